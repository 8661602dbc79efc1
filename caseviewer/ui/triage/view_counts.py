"""The triage views' counts over the listed rows, kept up to date row by row.

The views bar shows "New (12)", "Updated since I looked (3)", "Flagged (1)" over the rows the
table lists. Counting them afresh on every page and every read-state answer walked all the rows
each time: with 100,000 rows listed that was a second on the GUI thread per page and per
selection. ``TriageTally`` keeps one byte per row (which triage views the row is in) and the
totals, and touches only the rows that were inserted or whose marks changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from caseviewer.core.changes import RowState
from caseviewer.core.views import TriageFilter

#: One bit per triage view (ALL needs none: it is every row).
_BITS: dict[TriageFilter, int] = {TriageFilter.NEW: 1, TriageFilter.UPDATED: 2, TriageFilter.FLAGGED: 4}


def triage_bits(triage) -> int:  # noqa: ANN001 - CaseTriage | None
    """The triage views a row with these marks is in (no marks yet: the case is new to the reviewer)."""
    if triage is None:
        return _BITS[TriageFilter.NEW]
    bits = _BITS[TriageFilter.FLAGGED] if triage.flag is not None else 0
    if triage.state is RowState.NEW:
        bits |= _BITS[TriageFilter.NEW]
    elif triage.state is RowState.UPDATED:
        bits |= _BITS[TriageFilter.UPDATED]
    return bits


def in_view(triage_filter: TriageFilter, bits: int) -> bool:
    return triage_filter is TriageFilter.ALL or bool(bits & _BITS[triage_filter])


class TriageTally:
    """Per row, the triage views it is in; per view, how many rows are in it.

    ``marks_of(row)`` gives a row's current marks (``CaseTriage`` or None); the owner calls
    ``inserted``, ``removed``, ``reset`` and ``changed`` as the table's rows and marks change.
    """

    def __init__(self, marks_of: Callable[[int], object]) -> None:
        self._marks_of = marks_of
        self._bits = bytearray()
        self._counts = dict.fromkeys(_BITS, 0)

    def __len__(self) -> int:
        return len(self._bits)

    def count(self, triage_filter: TriageFilter) -> int:
        return len(self._bits) if triage_filter is TriageFilter.ALL else self._counts[triage_filter]

    def bits(self, row: int) -> int:
        return self._bits[row]

    def _add(self, bits: int, sign: int) -> None:
        for view, bit in _BITS.items():
            if bits & bit:
                self._counts[view] += sign

    def reset(self, rows: int) -> None:
        self._bits = bytearray()
        self._counts = dict.fromkeys(_BITS, 0)
        self.inserted(0, rows - 1)

    def inserted(self, first: int, last: int) -> None:
        fresh = bytearray(triage_bits(self._marks_of(row)) for row in range(first, last + 1))
        self._bits[first:first] = fresh
        for bit_value in set(fresh):
            self._add(bit_value, fresh.count(bit_value))

    def removed(self, first: int, last: int) -> None:
        gone = self._bits[first:last + 1]
        for bit_value in set(gone):
            self._add(bit_value, -gone.count(bit_value))
        del self._bits[first:last + 1]

    def changed(self, rows: Iterable[int]) -> list[int]:
        """Re-read these rows' marks; returns the rows whose views changed."""
        moved = []
        for row in rows:
            if not 0 <= row < len(self._bits):
                continue
            new = triage_bits(self._marks_of(row))
            old = self._bits[row]
            if new != old:
                self._add(old, -1)
                self._add(new, 1)
                self._bits[row] = new
                moved.append(row)
        return moved


__all__ = ["TriageTally", "in_view", "triage_bits"]
