"""A table model base whose painted cells' answers are kept per row (``role_cache``).

Both case table models (online ``case_table_model``, offline ``store_table_model``) answer a
cell through ``_role_data(row, column, role)``; this base is what Qt calls: ``data`` and
``multiData`` (every role of a painted cell in one call), serving the paint roles from the kept
answers and working out the rest each time, and the signals that make kept answers stale.
Also the roles the models answer, as the plain ints Qt passes (an enum member per comparison
costs an attribute lookup in every painted cell).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication

from caseviewer.ui.case_list.role_cache import PAINT_ROLES, UNSET, RoleCache
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
    """Subclasses give ``_row_count()``, ``_role_data(row, column, role)`` and ``COLUMNS``."""

    #: How many columns the table has (the subclass's headers).
    COLUMNS = 0

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        #: The paint roles' answers of the rows drawn last (see role_cache for what clears them).
        self._roles = RoleCache(self.COLUMNS)
        self.dataChanged.connect(self._forget_roles)
        self.modelReset.connect(self.forget_roles)
        self.layoutChanged.connect(self.forget_roles)
        app = QGuiApplication.instance()
        if app is not None:  # zoom (the application font) and theme (its palette); the model
            app.fontChanged.connect(self.forget_roles)  # is the receiver: gone with it
            app.paletteChanged.connect(self.forget_roles)

    def _row_count(self) -> int:
        raise NotImplementedError

    def _role_data(self, row: int, column: int, role: int) -> Any:
        """What ``data`` answers for a cell known to be in the table (roles as plain ints)."""
        raise NotImplementedError

    def _keeps_roles(self, row: int) -> bool:
        """Whether the row's answers may be kept (a subclass's placeholder row must not be)."""
        return True

    @guarded
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()  # an invalid index is (-1, -1)
        if not (0 <= row < self._row_count() and 0 <= column < self.COLUMNS):
            return None
        role = int(role)
        if role not in PAINT_ROLES or not self._keeps_roles(row):
            return self._role_data(row, column, role)
        cell = self._roles.cell(row, column)
        value = cell.get(role, UNSET)
        if value is UNSET:
            value = cell[role] = self._role_data(row, column, role)
        return value

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
        cell = self._roles.cell(row, column) if self._keeps_roles(row) else None
        for k in range(roleDataSpan.size()):
            role_data = roleDataSpan[k]
            role = role_data.role()
            if cell is None or role not in PAINT_ROLES:
                role_data.setData(self._role_data(row, column, role))
                continue
            value = cell.get(role, UNSET)
            if value is UNSET:
                value = cell[role] = self._role_data(row, column, role)
            role_data.setData(value)

    def forget_roles(self, *_args: object) -> None:
        """Every row's kept answers are stale (what they depend on changed for the whole table)."""
        self._roles.clear()

    def _forget_roles(self, top_left: AnyIndex, bottom_right: AnyIndex, _roles: object = None) -> None:
        self._roles.forget(top_left.row(), bottom_right.row())


__all__ = ["ACCESSIBLE_TEXT", "AnyIndex", "CASE_ID_ROLE", "DISPLAY", "FONT", "FOREGROUND",
           "KeptRolesTableModel", "OBJECT_ROLE", "STATUS_CODE_ROLE", "TOOLTIP"]
