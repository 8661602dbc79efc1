"""The zoom sits on top of the system font size, and follows it when the app becomes active again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from caseviewer.ui import zoom as zoom_module
from caseviewer.ui.settings_store import UiSettings


def test_a_new_system_font_size_is_followed_when_the_app_is_active_again(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr(zoom_module.Zoom, "_instance", None)
    original = QApplication.font()
    try:
        monkeypatch.setattr(zoom_module, "system_point_size", lambda: 10.0)
        zoom = zoom_module.Zoom.of(qapp, UiSettings(tmp_path / "ui.ini"))
        zoom.set_percent(150)
        assert QApplication.font().pointSizeF() == 15.0
        monkeypatch.setattr(zoom_module, "system_point_size", lambda: 12.0)  # changed in the desktop's settings
        qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
        assert QApplication.font().pointSizeF() == 15.0  # nothing read while in the background
        qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
        assert QApplication.font().pointSizeF() == 18.0  # the new size, the reviewer's 150 % on top
    finally:
        made = zoom_module.Zoom._instance
        if made is not None:  # never left behind to re-apply its level in later tests
            qapp.applicationStateChanged.disconnect(made._follow_system_size)
            made.deleteLater()
        zoom_module.Zoom._instance = None
        QApplication.setFont(original)
