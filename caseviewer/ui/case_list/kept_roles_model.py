"""A table model base whose painted cells' answers are kept per row (``role_cache``).

Both case table models (online ``case_table_model``, offline ``store_table_model``) answer the
paint roles of a row's cells all at once (``_paint_cells(row)``: the row unpacked and its marks
looked up once, not once per role of every cell) and any other role through
``_role_data(row, column, role)``. This base is what Qt calls: ``data`` and ``multiData`` (every
role of a painted cell in one call), serving the paint roles from the kept answers and working
out the rest each time, and the signals that make kept answers stale.
Also the roles the models answer, as the plain ints Qt passes (an enum member per comparison
costs an attribute lookup in every painted cell).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication

from caseviewer.ui.case_list.role_cache import PAINT_ROLES, RoleCache
from caseviewer.ui.case_list.status_chip import StatusCodeRole
from caseviewer.ui.guard import guarded

AnyIndex = QModelIndex | QPersistentModelIndex

DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
FONT = int(Qt.ItemDataRole.FontRole.value)
ACCESSIBLE_TEXT = int(Qt.ItemDataRole.AccessibleTextRole.value)
OBJECT_ROLE = int(Qt.ItemDataRole.UserRole.value) + 2
CASE_ID_ROLE = int(Qt.ItemDataRole.UserRole.value) + 3
STATUS_CODE_ROLE = int(StatusCodeRole)


class KeptRolesTableModel(QAbstractTableModel):
    """Subclasses give ``_row_count()``, ``_paint_cells(row)``, ``_role_data(row, column, role)``
    and ``COLUMNS``."""

    #: How many columns the table has (the subclass's headers).
    COLUMNS = 0

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        #: The paint roles' answers of the rows drawn last (see role_cache for what clears them).
        self._roles = RoleCache()
        self.dataChanged.connect(self._forget_roles)
        self.modelReset.connect(self.forget_roles)
        self.layoutChanged.connect(self.forget_roles)
        app = QGuiApplication.instance()
        if app is not None:  # zoom (the application font) and theme (its palette); the model
            app.fontChanged.connect(self.forget_roles)  # is the receiver: gone with it
            app.paletteChanged.connect(self.forget_roles)

    def _row_count(self) -> int:
        raise NotImplementedError

    def _paint_cells(self, row: int) -> list[dict[int, Any]]:
        """The paint roles' answers (``PAINT_ROLES``) of each cell of a row known to be in the
        table, one dict per column; a role a dict lacks is answered None."""
        raise NotImplementedError

    def _role_data(self, row: int, column: int, role: int) -> Any:
        """What ``data`` answers for a role that is not a paint role (roles as plain ints)."""
        raise NotImplementedError

    def _cells(self, row: int) -> list[dict[int, Any]]:
        """The row's paint answers: kept ones, or worked out now (and kept, if the row may be)."""
        if not self._keeps_roles(row):
            return self._paint_cells(row)
        cells = self._roles.row(row)
        if cells is None:
            cells = self._roles.keep(row, self._paint_cells(row))
        return cells

    def _keeps_roles(self, row: int) -> bool:
        """Whether the row's answers may be kept (a subclass's placeholder row must not be)."""
        return True

    @guarded
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()  # an invalid index is (-1, -1)
        if not (0 <= row < self._row_count() and 0 <= column < self.COLUMNS):
            return None
        role = int(role)
        if role in PAINT_ROLES:
            return self._cells(row)[column].get(role)
        return self._role_data(row, column, role)

    @guarded
    def multiData(self, index: AnyIndex, roleDataSpan) -> None:  # noqa: N802, N803 - Qt's names
        """All the roles a painted cell needs in one call (Qt's item delegate asks for seven).

        Each call from Qt into Python has to take the GIL; while a worker is parsing a page,
        every one of those hand-overs can wait. One call per cell instead of one per role, with
        the index read once, keeps a repaint of a full screen of rows within a frame.
        """
        row, column = index.row(), index.column()
        if not (0 <= row < self._row_count() and 0 <= column < self.COLUMNS):
            for k in range(roleDataSpan.size()):
                roleDataSpan[k].setData(None)
            return
        # A repaint of rows already drawn finds every answer kept: no unpacking, no triage look-up.
        cell = None
        for k in range(roleDataSpan.size()):
            role_data = roleDataSpan[k]
            role = role_data.role()
            if role in PAINT_ROLES:
                if cell is None:
                    cell = self._cells(row)[column]
                role_data.setData(cell.get(role))
            else:
                role_data.setData(self._role_data(row, column, role))

    def forget_roles(self, *_args: object) -> None:
        """Every row's kept answers are stale (what they depend on changed for the whole table)."""
        self._roles.clear()

    def _forget_roles(self, top_left: AnyIndex, bottom_right: AnyIndex, _roles: object = None) -> None:
        self._roles.forget(top_left.row(), bottom_right.row())


__all__ = ["ACCESSIBLE_TEXT", "AnyIndex", "CASE_ID_ROLE", "DISPLAY", "FONT", "FOREGROUND",
           "KeptRolesTableModel", "OBJECT_ROLE", "STATUS_CODE_ROLE", "TOOLTIP"]
