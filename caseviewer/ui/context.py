"""The application context: what one running caseviewer shares, built once at start.

``build_context`` (called by the composition root, ``ui/app.py``) makes the Qt-side services
around a repository the CLI opened (``core/session.py``, ``open_repository``): the UI settings,
the profile and secret stores, and the task runner. ``MainWindow.from_context`` passes them down
to every part, so no widget makes stores or runners of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from caseviewer.core.profiles import ProfileStore
from caseviewer.core.repository import CaseRepository
from caseviewer.core.secrets import SecretStore
from caseviewer.ui.settings_store import UiSettings
from caseviewer.ui.workers import TaskRunner


@dataclass(frozen=True)
class ConnectionInfo:
    """What the window shows about its connection (no secrets)."""

    label: str
    #: The saved profile in use ("" for the demo or flags only), for deep links and the switcher.
    profile_name: str = ""
    environment: str = ""
    color: str = ""
    #: Cases per list request (None: the window's default).
    page_size: int | None = None
    #: A connection that is no saved profile (the demo), named in the switcher.
    unsaved_name: str = ""
    #: Why there is no offline cache ("" when there is one, or for the default text).
    cache_unavailable_reason: str = ""

    @property
    def has_profile_bar(self) -> bool:
        return bool(self.profile_name or self.environment or self.unsaved_name)


@dataclass
class AppContext:
    """The shared services of one running app; the window and its parts get them from here."""

    repository: CaseRepository
    connection: ConnectionInfo
    settings: UiSettings = field(default_factory=UiSettings)
    profiles: ProfileStore = field(default_factory=ProfileStore)
    secrets: SecretStore = field(default_factory=SecretStore)
    runner: TaskRunner = field(default_factory=lambda: TaskRunner(threads=3))


def build_context(repository: CaseRepository, connection: ConnectionInfo) -> AppContext:
    """The one place the app's services are made (needs a QApplication for the settings)."""
    return AppContext(repository=repository, connection=connection)


__all__ = ["AppContext", "ConnectionInfo", "build_context"]
