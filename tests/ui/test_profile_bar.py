"""The status bar shows the active profile's environment and switches profiles safely."""

from __future__ import annotations

import os
import sys

import pytest
from PySide6.QtWidgets import QMainWindow

from caseviewer.core.profiles import Profile, ProfileStore
from caseviewer.core.secrets import SecretStore
from caseviewer.ui.window.profile_bar import ProfileBar, restart_command

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_badge_and_switcher_show_the_active_profile(qtbot):
    store = ProfileStore()
    store.add(Profile(name="prod", detail_url="https://cases.example.org", environment="PRODUCTION"))
    store.add(Profile(name="staging", detail_url="https://staging.example.org", environment="STAGING"))
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = ProfileBar(window, profile_name="staging", environment="STAGING", profiles=store, secrets=SecretStore())
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


def test_switching_profile_hands_no_secret_to_the_new_process(qtbot, tmp_path, monkeypatch):
    """A real child started by the switcher: its environment has no CASEVIEWER_* but the home."""
    import json

    store = ProfileStore()
    store.add(Profile(name="a", detail_url="https://a.example.org"))
    store.add(Profile(name="b", detail_url="https://b.example.org"))
    monkeypatch.setenv("CASEVIEWER_LIST_TOKEN", "token-of-profile-a")
    monkeypatch.setenv("CASEVIEWER_DETAIL_KEY", "key-of-profile-a")
    monkeypatch.setenv("CASEVIEWER_DETAIL_URL", "https://a.example.org")
    monkeypatch.setenv("CASEVIEWER_PROFILE", "a")
    dump = tmp_path / "child-env.json"
    script = f"import json, os; open({str(dump)!r}, 'w').write(json.dumps(dict(os.environ)))"
    monkeypatch.setattr("caseviewer.ui.window.profile_bar.restart_command", lambda name: (sys.executable, ["-c", script, name]))
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    bar = ProfileBar(window, profile_name="a", environment="", profiles=store, secrets=SecretStore())
    bar.switch_to("b")
    qtbot.waitUntil(lambda: dump.exists() and dump.stat().st_size > 0, timeout=20_000)
    qtbot.waitUntil(lambda: not window.isVisible())
    child = json.loads(dump.read_text())
    assert not [name for name in child if name.startswith("CASEVIEWER_") and name != "CASEVIEWER_HOME"]
    assert "token-of-profile-a" not in json.dumps(child) and "key-of-profile-a" not in json.dumps(child)
    assert child["CASEVIEWER_HOME"] == os.environ["CASEVIEWER_HOME"]
    assert child.get("PATH") == os.environ.get("PATH")  # the rest of the environment is kept
