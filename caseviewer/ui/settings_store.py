"""Window and table layout remembered across runs (``ui.ini`` in the config dir).

Only layout lives here: geometry, splitter, column widths/order/visibility and the sort. Nothing
that can carry case data (search text, selected case ids) and no secret is ever written, since
this is a plain INI file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

from caseviewer.core import paths

#: Bumped when the table's columns change, so an old header state is not applied to new columns.
TABLE_LAYOUT_VERSION = 3  # 2: the Flag column; 3: widths from the font, the business name stretches


def settings_path() -> Path:
    return paths.config_dir() / "ui.ini"


class UiSettings:
    """Typed access to ``ui.ini``."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    # -- window -----------------------------------------------------------------------------

    def save_window(self, window: QMainWindow, splitter: QSplitter) -> None:
        self._qs.setValue("window/geometry", window.saveGeometry())
        self._qs.setValue("window/state", window.saveState())
        self._qs.setValue("window/splitter", splitter.saveState())

    def restore_geometry(self, window: QMainWindow) -> bool:
        """The window's saved size and place only (the frame shown before its parts are built);
        False when nothing was saved."""
        geometry = self._bytes("window/geometry")
        if geometry is not None:
            window.restoreGeometry(geometry)
        return geometry is not None

    def restore_window(self, window: QMainWindow, splitter: QSplitter) -> bool:
        """Returns False when nothing was saved (first run: the caller picks a default size)."""
        restored = self.restore_geometry(window)
        state = self._bytes("window/state")
        if state is not None:
            window.restoreState(state)
        splitter_state = self._bytes("window/splitter")
        if splitter_state is not None:
            splitter.restoreState(splitter_state)
        return restored

    # -- table ------------------------------------------------------------------------------

    def save_table(self, header: QHeaderView, sort_column: int, descending: bool) -> None:
        self._qs.setValue("table/version", TABLE_LAYOUT_VERSION)
        self._qs.setValue("table/header", header.saveState())
        self._qs.setValue("table/sort_column", sort_column)
        self._qs.setValue("table/sort_descending", bool(descending))

    def restore_table(self, header: QHeaderView) -> bool:
        """Restore widths, order and hidden columns; False when there is no usable saved state."""
        if int(self._qs.value("table/version", 0) or 0) != TABLE_LAYOUT_VERSION:
            return False
        state = self._bytes("table/header")
        return state is not None and header.restoreState(state)

    def table_sort(self, default_column: int, default_descending: bool) -> tuple[int, bool]:
        if int(self._qs.value("table/version", 0) or 0) != TABLE_LAYOUT_VERSION:
            return default_column, default_descending
        column = self._qs.value("table/sort_column", default_column)
        descending = self._qs.value("table/sort_descending", default_descending)
        try:
            column = int(column)
        except (TypeError, ValueError):
            column = default_column
        if isinstance(descending, str):  # INI files give booleans back as strings
            descending = descending.lower() == "true"
        return column, bool(descending)

    # -- theme ------------------------------------------------------------------------------

    def theme(self) -> str:
        """The saved theme choice ("system", "light", "dark" or "high-contrast")."""
        value = self._qs.value("appearance/theme", "system")
        return value if value in ("system", "light", "dark", "high-contrast") else "system"

    def save_theme(self, choice: str) -> None:
        self._qs.setValue("appearance/theme", choice)

    def zoom(self) -> int:
        """The UI text zoom in percent (100 = the system font size)."""
        try:
            return int(self._qs.value("appearance/zoom", 100))
        except (TypeError, ValueError):
            return 100

    def save_zoom(self, percent: int) -> None:
        self._qs.setValue("appearance/zoom", int(percent))

    # -- offline cache ------------------------------------------------------------------------

    def purge_days(self) -> int:
        """Cached cases older than this many days are purged at start (0 = never)."""
        try:
            return max(0, int(self._qs.value("cache/purge_days", 0)))
        except (TypeError, ValueError):
            return 0

    def save_purge_days(self, days: int) -> None:
        self._qs.setValue("cache/purge_days", int(days))

    # -- files ----------------------------------------------------------------------------------

    def last_save_folder(self) -> str:
        """The folder attachments were last saved to ("" when none yet)."""
        value = self._qs.value("files/last_save_folder", "")
        return value if isinstance(value, str) else ""

    def save_last_save_folder(self, folder: str) -> None:
        self._qs.setValue("files/last_save_folder", str(folder))

    # -- workstation safeguards (rules in core/lock_policy.py) -------------------------------

    def idle_lock_minutes(self, profile: str) -> int | None:
        """The reviewer's idle-lock timeout for ``profile`` (None: the default)."""
        value = self._qs.value(f"lock/idle_minutes/{profile or '_'}")
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def save_idle_lock_minutes(self, profile: str, minutes: int) -> None:
        self._qs.setValue(f"lock/idle_minutes/{profile or '_'}", int(minutes))

    def exclude_from_capture(self) -> bool:
        return str(self._qs.value("privacy/exclude_from_capture", "false")).lower() == "true"

    def save_exclude_from_capture(self, on: bool) -> None:
        self._qs.setValue("privacy/exclude_from_capture", "true" if on else "false")

    # -- saved views (core/views.py: never search text, so no case data) ------------------------

    def saved_views(self) -> str:
        value = self._qs.value("views/saved", "[]")
        return value if isinstance(value, str) else "[]"

    def save_views(self, encoded: str) -> None:
        self._qs.setValue("views/saved", encoded)

    def selected_view(self) -> str:
        value = self._qs.value("views/selected", "")
        return value if isinstance(value, str) else ""

    def save_selected_view(self, name: str) -> None:
        self._qs.setValue("views/selected", name)

    def sync(self) -> None:
        self._qs.sync()


__all__ = ["TABLE_LAYOUT_VERSION", "UiSettings", "settings_path"]
