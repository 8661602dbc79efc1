"""Choosing the active profile in the toolbar, and the environment badge next to it."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap, QWheelEvent
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from caseviewer.core import errors
from caseviewer.core.profiles import Profile, ProfileStore
from caseviewer.ui.guard import guarded

ENVIRONMENT_COLORS = {"PRODUCTION": "#c62828", "STAGING": "#b26a00", "DEMO": "#1f63a8"}
NEUTRAL_COLOR = "#5f6b7a"

NEW_PROFILE = "New profile…"
MANAGE_PROFILES = "Manage profiles…"
_ACTION_ROLE = Qt.ItemDataRole.UserRole + 1


def environment_color(environment: str, color: str = "") -> str:
    """The badge colour: the well-known labels have theirs, else the profile's colour."""
    known = ENVIRONMENT_COLORS.get((environment or "").strip().upper())
    if known:
        return known
    candidate = QColor(color) if color else QColor()
    return candidate.name() if candidate.isValid() else NEUTRAL_COLOR


def profile_color(environment: str, color: str = "") -> str:
    """A profile's own colour (its swatch in lists): the one it was given, else its environment's.

    The environment badge keeps ``environment_color`` (a PRODUCTION badge is red whatever the
    profile's colour); the swatch is how a reviewer tells two profiles of one environment apart.
    """
    candidate = QColor(color) if color else QColor()
    return candidate.name() if candidate.isValid() else environment_color(environment)


def swatch(color: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(0, 0, 0, 60))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(0, 0, size - 1, size - 1, 3, 3)
    painter.end()
    return QIcon(pixmap)


class EnvironmentBadge(QLabel):
    """A small plain-text label, e.g. "PRODUCTION" in red; hidden when there is no label."""

    def __init__(self, environment: str = "", color: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.set_environment(environment, color)

    def set_environment(self, environment: str, color: str = "") -> None:
        text = (environment or "").strip().upper()
        self.color = environment_color(text, color)
        self.setText(text)
        self.setToolTip(f"Environment: {text}" if text else "")
        self.setStyleSheet(
            f"QLabel {{ color: {self.color}; border: 1px solid {self.color}; border-radius: 3px;"
            " padding: 1px 6px; font-weight: bold; }"
        )
        self.setVisible(bool(text))


class ProfileSwitcher(QComboBox):
    """Profiles with their environment and colour, then "New profile…" and "Manage profiles…".

    Choosing a profile emits ``profile_chosen(name)``; the two entries emit ``new_requested`` and
    ``manage_requested`` and put the selection back on the current profile.

    Switching restarts the app, so it happens only on an explicit choice in the open list (a click,
    or Enter on the highlighted entry): an arrow key or the wheel on the closed box opens the list
    (or does nothing) instead of stepping to the next entry, which QComboBox would "activate".
    """

    _STEP_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
                  Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Left, Qt.Key.Key_Right)

    profile_chosen = Signal(str)
    new_requested = Signal()
    manage_requested = Signal()

    def __init__(self, store: ProfileStore, parent: QWidget | None = None, *, unsaved: str = "") -> None:
        """``unsaved`` names a connection that is no stored profile (the demo): it is listed
        first and shown as current while no profile is."""
        super().__init__(parent)
        self._store = store
        self._unsaved = unsaved
        self._current: str | None = None
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setIconSize(QSize(12, 12))
        self.setToolTip("Connection profile")
        self.activated.connect(self._activated)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the profiles file (keeps the current profile when it still exists)."""
        self.blockSignals(True)
        try:
            self.clear()
            try:
                profiles = self._store.list()
            except errors.ConfigError as exc:
                profiles = []
                self.setToolTip(exc.message)
            if self._unsaved:
                self.addItem(self._unsaved)
                self.setItemData(self.count() - 1, "unsaved", _ACTION_ROLE)
                self.setItemData(self.count() - 1, "A connection that is not a saved profile", Qt.ItemDataRole.ToolTipRole)
            for profile in profiles:
                self.addItem(swatch(profile_color(profile.environment, profile.color)), self.label(profile), profile.name)
            if profiles:
                self.insertSeparator(self.count())
            self.addItem(NEW_PROFILE)
            self.setItemData(self.count() - 1, "new", _ACTION_ROLE)
            self.addItem(MANAGE_PROFILES)
            self.setItemData(self.count() - 1, "manage", _ACTION_ROLE)
            names = [p.name for p in profiles]
            if self._current not in names:
                self._current = None if self._unsaved else (names[0] if names else None)
            self._select_current()
        finally:
            self.blockSignals(False)

    @staticmethod
    def label(profile: Profile) -> str:
        return f"{profile.name} · {profile.environment}" if profile.environment else profile.name

    def profile_names(self) -> list[str]:
        return [self.itemData(i) for i in range(self.count()) if self.itemData(i) and not self.itemData(i, _ACTION_ROLE)]

    def current_profile(self) -> str | None:
        return self._current

    def set_current_profile(self, name: str | None) -> None:
        self._current = name
        self.blockSignals(True)
        self._select_current()
        self.blockSignals(False)

    @guarded
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt name
        try:
            if event.key() in self._STEP_KEYS or (event.key() == Qt.Key.Key_Space):
                event.accept()
                self.showPopup()
                return
        except Exception:  # never let an override abort the process
            return
        super().keyPressEvent(event)

    @guarded
    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt name
        event.ignore()  # scrolling over the status bar must not switch (and restart)

    def _select_current(self) -> None:
        index = self.findData(self._current) if self._current else -1
        if index < 0 and self._unsaved:
            index = 0
        self.setCurrentIndex(index)

    def choose(self, index: int) -> None:
        """Act as if the user picked item ``index`` (for tests and keyboard shortcuts)."""
        self.setCurrentIndex(index)
        self._activated(index)

    def _activated(self, index: int) -> None:
        action = self.itemData(index, _ACTION_ROLE)
        if action:
            self.set_current_profile(self._current)
            if action == "new":
                self.new_requested.emit()
            elif action == "manage":
                self.manage_requested.emit()
            return
        name = self.itemData(index)
        if isinstance(name, str) and name:
            changed = name != self._current
            self._current = name
            if changed:
                self.profile_chosen.emit(name)


__all__ = ["ENVIRONMENT_COLORS", "EnvironmentBadge", "ProfileSwitcher", "environment_color", "profile_color", "swatch"]
