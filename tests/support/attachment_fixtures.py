"""Fixtures for the attachment actions (Save, Save all, Open with) without real dialogs.

Shared by ``tests/ui/test_attachment_actions.py`` and ``tests/faults/test_file_names.py``:
``ScriptedDialogs`` answers every question the actions ask and records it, ``out`` is the
folder the user "chooses", and ``make_actions`` builds an ``AttachmentActions`` on a repository.
Import the fixtures by name (``from tests.support.attachment_fixtures import out, make_actions``).
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from caseviewer.ui.detail.attachment_actions import AttachmentActions, AttachmentDialogs


class ScriptedDialogs(AttachmentDialogs):
    """Answers the questions without dialogs and records what was asked.

    ``save_path`` may be a path (the Save dialog's answer) or a callable ``suggested -> path``,
    for a user who keeps the proposed name but picks a folder.
    """

    def __init__(self, *, save_path=None, folder=None, conflicts=(), confirm=True):
        self.answer_path = save_path
        self.answer_folder = folder
        self.conflict_answers = list(conflicts)
        self.confirm = confirm
        self.asked: list[tuple] = []
        self.errors: list[str] = []

    def save_path(self, parent, suggested):
        self.asked.append(("save_path", suggested))
        return self.answer_path(suggested) if callable(self.answer_path) else self.answer_path

    def folder(self, parent, start):
        self.asked.append(("folder", start))
        return self.answer_folder

    def conflict(self, parent, name, others):
        self.asked.append(("conflict", name, others))
        return self.conflict_answers.pop(0)

    def confirm_open_external(self, parent, name):
        self.asked.append(("confirm", name))
        return self.confirm

    def report_error(self, parent, title, message):
        self.errors.append(message)


@pytest.fixture
def out(tmp_path):
    """The (empty) folder the user picks in the Save / Save all dialogs."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def make_actions(qtbot, runner):
    """``make_actions(repository, dialogs)``: the real actions, parented to a throwaway widget."""

    def make(repository, dialogs):
        parent = QWidget()
        qtbot.addWidget(parent)
        actions = AttachmentActions(runner, parent, dialogs=dialogs)
        actions.set_repository(repository)
        return actions

    return make


def save_all_and_wait(qtbot, actions, attachments=None, timeout=30_000):
    """Run Save all (the folder comes from the actions' dialogs) and return its ``SaveReport``."""
    with qtbot.waitSignal(actions.saved, timeout=timeout) as blocker:
        actions.save_all(attachments)
    return blocker.args[0]
