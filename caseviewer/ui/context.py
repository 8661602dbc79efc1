"""The application context: what one running caseviewer shares, built once at start.

``build_context`` (called by the composition root, ``ui/app.py``) makes the Qt-side services
around the session the CLI opened (``core/session.py``, ``open_session``: the repository and what
the window shows about its connection): the UI settings,
the profile and secret stores, and the task runner. ``MainWindow.from_context`` passes them down
to every part, so no widget makes stores or runners of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from caseviewer.core.profiles import ProfileStore
from caseviewer.core.repository import CaseRepository
from caseviewer.core.secrets import SecretStore
from caseviewer.core.session import Session
from caseviewer.ui.settings_store import UiSettings
from caseviewer.ui.workers import TaskRunner


@dataclass
class AppContext:
    """The shared services of one running app; the window and its parts get them from here."""

    session: Session
    settings: UiSettings = field(default_factory=UiSettings)
    profiles: ProfileStore = field(default_factory=ProfileStore)
    secrets: SecretStore = field(default_factory=SecretStore)
    runner: TaskRunner = field(default_factory=lambda: TaskRunner(threads=3))


    @property
    def repository(self) -> CaseRepository:
        return self.session.repository


def build_context(session: Session, *, runner: TaskRunner | None = None, settings: UiSettings | None = None) -> AppContext:
    """The one place the app's services are made (needs a QApplication for the settings); the
    runner and settings the window's frame was shown with, before the session, are passed in."""
    services = {name: value for name, value in (("runner", runner), ("settings", settings)) if value is not None}
    return AppContext(session=session, **services)


__all__ = ["AppContext", "build_context"]
