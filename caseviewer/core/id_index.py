"""The case ids of a listed table, packed, with a lookup from id to row and no object per row.

The case table needs the id of a row (selection, triage marks) and the row of an id (a mark
changed, a record updated). Held as a list of ``str`` plus a ``dict`` of id to row, 100,000 listed
cases cost about 16 MB: 8.5 MB of id strings (~85 bytes each), 7 MB of dict and row ``int``s, and
a list; all of it objects the garbage collector walks. ``IdIndex`` keeps them in three flat
buffers and one hash table of row numbers, about 3 MB for 100,000 ids:

* each id as bytes in one ``bytearray``: a canonical lowercase UUID (what the service sends) as
  its 16 raw bytes, anything else as its UTF-8 (ids are the service's, not ours to refuse);
* where each id ends (``array('I')``) and what it is (``array('B')``: none, UUID, text);
* an open-addressing table (linear probing, ``array('i')``, -1 for empty) of row numbers, at most
  half full. It is sized for the rows the list says it has (``reserve``), so growing it, which
  re-hashes every id (tens of ms at 100,000), happens only when a list outgrows what it claimed.

An id is turned back into a ``str`` when asked for (a few hundred nanoseconds); no id is kept as
an object.
"""

from __future__ import annotations

from array import array

_NONE, _UUID, _TEXT = 0, 1, 2
_MIN_SLOTS = 1024


def _key(case_id: str) -> tuple[int, bytes]:
    """What an id is stored as: (kind, bytes). Asked for every look-up, so no regex: a canonical
    UUID is 36 characters, dashes at 8, 13, 18 and 23, 32 lowercase hex digits between."""
    if (len(case_id) == 36 and case_id[8] == "-" and case_id[13] == "-" and case_id[18] == "-"
            and case_id[23] == "-" and case_id.islower()):
        try:
            raw = bytes.fromhex(case_id.replace("-", ""))
        except ValueError:
            raw = b""
        if len(raw) == 16:  # fromhex skips spaces: a UUID with some is not canonical
            return _UUID, raw
    return _TEXT, case_id.encode("utf-8", "surrogatepass")


def _slots_for(count: int) -> int:
    slots = _MIN_SLOTS
    while slots < 2 * count:
        slots *= 2
    return slots


class IdIndex:
    """Ids of rows ``0..n-1`` (``None`` for a row without one), appended in row order."""

    __slots__ = ("_data", "_ends", "_kinds", "_slots", "_mask", "_filled")

    def __init__(self, expected: int = 0) -> None:
        self._data = bytearray()
        self._ends = array("I")
        self._kinds = array("B")
        self._filled = 0  # ids in the table (rows without an id are not)
        self._resize(_slots_for(expected))

    def __len__(self) -> int:
        return len(self._kinds)

    def __getitem__(self, row: int) -> str | None:
        kind = self._kinds[row]
        if kind == _NONE:
            return None
        if row < 0:
            row += len(self._kinds)
        raw = self._data[self._ends[row - 1] if row else 0:self._ends[row]]
        if kind == _UUID:
            h = raw.hex()
            return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        return raw.decode("utf-8", "surrogatepass")

    @property
    def nbytes(self) -> int:
        """Bytes held by the buffers and the table."""
        return len(self._data) + self._ends.itemsize * len(self._ends) + len(self._kinds) + 4 * len(self._slots)

    def reserve(self, count: int) -> None:
        """Size the table for ``count`` ids in all, so adding them never re-hashes."""
        if _slots_for(count) > len(self._slots):
            self._resize(_slots_for(count))

    def row_of(self, case_id: str | None) -> int | None:
        if not case_id:
            return None
        kind, raw = _key(case_id)
        # Through _find, not a copy of its probe inlined here: the call costs 3-10 % of a look-up
        # (0.07-0.17 of 1.4-2.4 us, paired run), and the table model keeps the last row's answer anyway.
        row = self._slots[self._find(kind, raw, hash(raw))]
        return row if row >= 0 else None

    def __iter__(self):  # noqa: ANN204 - an iterator of str
        """The ids, in row order (rows without one are skipped): a set of ids can be one of these."""
        return (self[row] for row in range(len(self._kinds)) if self._kinds[row] != _NONE)

    def __contains__(self, case_id: object) -> bool:
        return isinstance(case_id, str) and self.row_of(case_id) is not None

    def add(self, case_id: str | None) -> int | None:
        """Give the next row this id; None (and nothing added) when the id has a row already.

        A row without an id (None or "") is always added: it cannot be listed twice by its id.
        """
        row = len(self._kinds)
        if not case_id:
            self._ends.append(len(self._data))
            self._kinds.append(_NONE)
            return row
        kind, raw = _key(case_id)
        if 2 * (self._filled + 1) > len(self._slots):
            self._resize(2 * len(self._slots))
        slot = self._find(kind, raw, hash(raw))
        if self._slots[slot] >= 0:
            return None
        self._slots[slot] = row
        self._filled += 1
        self._data += raw
        self._ends.append(len(self._data))
        self._kinds.append(kind)
        return row

    def _find(self, kind: int, raw: bytes, hashed: int) -> int:
        """The slot holding the row of (kind, raw), or the empty slot where it would go."""
        slots, mask, kinds, ends, data = self._slots, self._mask, self._kinds, self._ends, self._data
        slot = hashed & mask
        while True:
            row = slots[slot]
            if row < 0:
                return slot
            if kinds[row] == kind and data[ends[row - 1] if row else 0:ends[row]] == raw:
                return slot
            slot = (slot + 1) & mask

    def _resize(self, size: int) -> None:
        self._slots = array("i", [-1]) * size
        self._mask = size - 1
        slots, mask, data, ends, kinds = self._slots, self._mask, self._data, self._ends, self._kinds
        start = 0
        for row in range(len(kinds)):
            end = ends[row]
            if kinds[row] != _NONE:
                slot = hash(bytes(data[start:end])) & mask
                while slots[slot] >= 0:
                    slot = (slot + 1) & mask
                slots[slot] = row
            start = end


__all__ = ["IdIndex"]
