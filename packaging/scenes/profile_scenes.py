"""Scenes of the profile dialogs, opened from the window's profile switcher as a reviewer opens them.

Profiles and their secrets go to the stage's temporary ``CASEVIEWER_HOME`` and in-memory keyring.
"""

from __future__ import annotations

from pathlib import Path

from scenes.harness import SceneError, Stage, wait_signal, wait_until


def _choose(window, text: str):  # noqa: ANN001, ANN202 - MainWindow, the dialog it opens
    switcher = window.profile_bar.switcher
    item = switcher.findText(text)
    if item < 0:
        raise SceneError(f"the profile switcher has no {text!r}")
    switcher.choose(item)
    dialog = window.profile_bar.dialog
    if dialog is None:
        raise SceneError(f"{text!r} opened no dialog")
    return dialog


def profile_dialog(stage: Stage) -> list[Path]:
    """New profile… from the demo window, after the first edit (a name typed)."""
    from PySide6.QtTest import QTest

    window = stage.demo_window(stage.demo())
    stage.wait_rows(window)
    dialog = _choose(window, "New profile…")
    wait_until(lambda: dialog.isVisible(), "the New profile dialog")
    dialog.name_edit.setFocus()
    QTest.keyClicks(dialog.name_edit, "clinic-staging")
    written = [stage.save(dialog, "profile-dialog")]
    dialog.reject()
    stage.close_window(window)
    return written


def manage_profiles(stage: Stage) -> list[Path]:
    """Manage profiles… with two saved profiles, then after Test on the other one."""
    svc = stage.demo()
    stage.add_profile(svc, "work", environment="PRODUCTION", color="#2e7d32")
    stage.add_profile(svc, "clinic-staging", key="wrong-key")
    window = stage.profile_window("work")
    stage.wait_rows(window)
    dialog = _choose(window, "Manage profiles…")
    wait_until(lambda: dialog.list.count() >= 2, "the two saved profiles listed")
    written = [stage.save(dialog, "manage-profiles")]
    dialog.select("clinic-staging")
    wait_signal(dialog.tested, "the connection test", dialog.test_button.click)
    written.append(stage.save(dialog, "manage-profiles", "tested"))
    dialog.reject()
    stage.close_window(window)
    return written
