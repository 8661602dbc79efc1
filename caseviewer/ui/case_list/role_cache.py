"""The answers a painted cell gets, kept per row so a repaint of the same rows asks no Python.

A repaint of the case table asks every visible cell for the roles Qt's item delegate reads (seven
of them, one ``multiData`` call per cell). Working those out means unpacking the row's display
strings, asking the triage marks, masking for privacy mode and building fonts and colours: most of
the ~9-12 ms a full repaint of 10 columns took. They are worked out for a whole row at once (the
model's ``_paint_cells``) and kept as one dict per cell. The answers change only when something they depend
on changes, and every one of those is seen here:

* the row's content or its triage marks: the model emits ``dataChanged`` for it (``rows_changed``,
  ``update_record``, a window of the store arriving, the lock screen's and privacy mode's repaint);
* the rows themselves: a reset (a new query, a sort, a filter) or a layout change;
* privacy mode and the lock screen (``MASK_STATE.active``) and the theme (``theme.current()``):
  compared on every look-up, so a cell read after a toggle is never stale even without a repaint;
* the zoom and the theme's palette: the application's ``fontChanged`` / ``paletteChanged``.

Only the paint roles are kept (``PAINT_ROLES``); tooltips and screen-reader text are asked one
cell at a time and depend on more (the PHI strings of the cases shown), so they are worked out
each time. Rows are kept up to a bound: a screenful is 30-80 rows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from caseviewer.core.privacy import MASK_STATE
from caseviewer.ui import theme
from caseviewer.ui.case_list.status_chip import StatusCodeRole

_ROLE = Qt.ItemDataRole
#: The roles kept: what ``QStyledItemDelegate.initStyleOption`` reads, plus the status chip's code.
PAINT_ROLES = frozenset(
    int(role.value)
    for role in (_ROLE.DisplayRole, _ROLE.DecorationRole, _ROLE.FontRole, _ROLE.TextAlignmentRole,
                 _ROLE.ForegroundRole, _ROLE.BackgroundRole, _ROLE.CheckStateRole)
) | {int(StatusCodeRole)}
#: Rows kept; a few screenfuls. Each is ten small dicts (~4 KB), so the bound is ~1 MB.
ROWS_KEPT = 256


class RoleCache:
    """Per row, every cell's ``{role: answer}`` for the paint roles (a list, one dict a column),
    worked out for the whole row at once (``KeptRolesTableModel._paint_cells``)."""

    __slots__ = ("_rows", "_masked", "_theme")

    def __init__(self) -> None:
        self._rows: dict[int, list[dict[int, Any]]] = {}
        self._masked = MASK_STATE.active
        self._theme = theme.current()

    def row(self, row: int) -> list[dict[int, Any]] | None:
        """The kept answers of a row's cells, None when none are kept."""
        if MASK_STATE.active is not self._masked or theme.current() is not self._theme:
            self.clear()
        return self._rows.get(row)

    def keep(self, row: int, cells: list[dict[int, Any]]) -> list[dict[int, Any]]:
        """Keep a row's answers (and hand them back)."""
        if len(self._rows) >= ROWS_KEPT:
            self._rows.clear()  # the next paint refills the rows on screen
        self._rows[row] = cells
        return cells

    def forget(self, first: int, last: int) -> None:
        """Rows ``first``..``last`` changed."""
        rows = self._rows
        if last - first + 1 >= len(rows):
            for row in [row for row in rows if first <= row <= last]:
                del rows[row]
        else:
            for row in range(first, last + 1):
                rows.pop(row, None)

    def clear(self, *_args: object) -> None:
        """Everything changed (any arguments of the signal that says so are ignored)."""
        self._rows.clear()
        self._masked = MASK_STATE.active
        self._theme = theme.current()

    def __len__(self) -> int:
        return len(self._rows)


__all__ = ["PAINT_ROLES", "ROWS_KEPT", "RoleCache"]
