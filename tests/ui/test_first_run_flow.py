"""With no profile, `caseviewer` opens the welcome screen; its choices lead to the demo or to quit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from caseviewer.cli.gui import _needs_first_run
from caseviewer.cli.parser import build_parser
from caseviewer.core.profiles import Profile, ProfileStore
from caseviewer.ui.app import run_first_run
from caseviewer.ui.dialogs.first_run import FirstRunDialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def click_when_shown(button_name: str | None) -> None:
    def attempt():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, FirstRunDialog):
            QTimer.singleShot(20, attempt)
            return
        if button_name is None:
            dialog.reject()
        else:
            getattr(dialog, button_name).click()

    QTimer.singleShot(0, attempt)


def test_try_the_demo(qapp):
    click_when_shown("demo_button")
    assert run_first_run() == ("demo", None)


def test_closing_the_welcome_screen_quits(qapp):
    click_when_shown(None)
    assert run_first_run() == ("quit", None)


def test_first_run_only_without_any_profile_or_connection(qapp, monkeypatch):
    parser = build_parser()
    assert _needs_first_run(parser.parse_args([]))
    assert not _needs_first_run(parser.parse_args(["--detail-url", "http://127.0.0.1:1"]))
    monkeypatch.setenv("CASEVIEWER_LIST_URL", "http://127.0.0.1:1/case/api/v1")
    assert not _needs_first_run(parser.parse_args([]))
    monkeypatch.delenv("CASEVIEWER_LIST_URL")
    ProfileStore().add(Profile(name="local", detail_url="http://127.0.0.1:1"))
    assert not _needs_first_run(parser.parse_args([]))
