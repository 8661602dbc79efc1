"""The status bar shows the active profile's environment and switches profiles safely."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QMainWindow

from caseviewer.core.profiles import Profile, ProfileStore
from caseviewer.ui.profile_bar import ProfileBar, restart_command

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_badge_and_switcher_show_the_active_profile(qtbot):
    store = ProfileStore()
    store.add(Profile(name="prod", detail_url="https://cases.example.org", environment="PRODUCTION"))
    store.add(Profile(name="staging", detail_url="https://staging.example.org", environment="STAGING"))
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = ProfileBar(window, profile_name="staging", environment="STAGING")
    assert bar.badge.text() == "STAGING" and not bar.badge.isHidden()
    assert bar.switcher.current_profile() == "staging"
    assert set(bar.switcher.profile_names()) == {"prod", "staging"}
    bar.switch_to("staging")  # choosing the active profile starts nothing and keeps the window
    assert bar.switcher.current_profile() == "staging"


def test_restart_carries_only_the_profile_name():
    program, arguments = restart_command("staging")
    assert program == sys.executable
    assert arguments[-2:] == ["--profile", "staging"]
    assert all("key" not in a and "token" not in a for a in arguments)
