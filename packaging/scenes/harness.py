"""What every scene stands on: a private home and keyring, the app, demo services, windows, waits.

``Stage`` is one run of ``screenshots.py``: it points ``CASEVIEWER_HOME`` at a temporary folder and
the keyring at an in-memory one *before* anything reads them (never the user's files or secrets),
builds the QApplication as the app does (names, icon, theme), starts demo services on demand, and
opens windows as ``caseviewer --demo`` and ``caseviewer --profile NAME`` do (a session from
``core.session.open_session``: the repository with its encrypted cache and access log; then
``ui.app.build_window``).

Every wait has a timeout and raises ``SceneError`` (the scene fails, the run goes on); nothing here
sleeps the GUI thread: waits run a local event loop so workers' results are delivered.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
from keyring.backend import KeyringBackend

WAIT_MS = 30_000


class SceneError(Exception):
    """A scene could not reach the state it photographs (a wait timed out, a widget is missing)."""


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this process only: the demo's synthetic secrets, the cache key."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


# -- waiting ------------------------------------------------------------------------------------


def settle(ms: int = 300) -> None:
    """Let queued work (layouts, repaints, worker results) run for ``ms``."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(predicate: Callable[[], Any], what: str, timeout_ms: int = WAIT_MS) -> Any:
    """Run the event loop until ``predicate()`` is truthy (its value), or raise ``SceneError``."""
    from PySide6.QtCore import QDeadlineTimer

    deadline = QDeadlineTimer(timeout_ms)
    while True:
        value = predicate()
        if value:
            return value
        if deadline.hasExpired():
            raise SceneError(f"timed out after {timeout_ms / 1000:.0f} s waiting for {what}")
        settle(25)


def wait_signal(signal, what: str, trigger: Callable[[], Any] | None = None, timeout_ms: int = WAIT_MS) -> tuple:
    """Connect to ``signal``, call ``trigger``, and wait for the signal; its arguments."""
    got: list[tuple] = []

    def seen(*args: Any) -> None:
        got.append(args)

    signal.connect(seen)
    try:
        if trigger is not None:
            trigger()
        wait_until(lambda: got, what, timeout_ms)
    finally:
        signal.disconnect(seen)
    return got[0]


# -- the stage ----------------------------------------------------------------------------------


class Stage:
    """One run: private home, app, demo services (by case count), and the shots it wrote."""

    def __init__(self, out: Path, *, size: tuple[int, int], theme: str, all_sections: bool = False) -> None:
        self.out = out
        self.size = size
        self.theme = theme
        self.all_sections = all_sections
        self.home = Path(tempfile.mkdtemp(prefix="caseviewer-shots-"))
        os.environ["CASEVIEWER_HOME"] = str(self.home)
        for name in ("CASEVIEWER_LIST_TOKEN", "CASEVIEWER_DETAIL_KEY", "CASEVIEWER_PROFILE"):
            os.environ.pop(name, None)  # the user's connection must not leak into a scene
        keyring.set_keyring(MemoryKeyring())
        self._services: dict[int, Any] = {}
        self._windows: list[Any] = []
        self.app = self._application()

    def _application(self):  # noqa: ANN202 - QApplication
        from PySide6.QtWidgets import QApplication

        from caseviewer.ui.app import APP_NAME
        from caseviewer.ui.icons import app_icon
        from caseviewer.ui.theme import ThemeChoice, apply_theme

        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setApplicationName(APP_NAME)
        app.setOrganizationName(APP_NAME)
        app.setApplicationDisplayName(APP_NAME)
        app.setWindowIcon(app_icon())
        apply_theme(app, ThemeChoice(self.theme))
        return app

    @property
    def size_text(self) -> str:
        return f"{self.size[0]}x{self.size[1]}"

    def path(self, scene: str, suffix: str = "") -> Path:
        """OUTDIR/<scene>-<size>-<theme>[-suffix].png"""
        tail = f"-{suffix}" if suffix else ""
        return self.out / f"{scene}-{self.size_text}-{self.theme}{tail}.png"

    def save(self, widget, scene: str, suffix: str = "") -> Path:
        """Grab ``widget`` (after a settle) as the scene's PNG; one line per file on stdout.

        A window's case page builds its cards a few per event-loop turn: wait for the section on
        screen to be complete, or a loaded machine photographs half a page."""
        pane = getattr(widget, "pane", None)
        if pane is not None:
            section = pane.tab_widget().currentWidget()
            if hasattr(section, "is_complete"):
                wait_until(section.is_complete, "the section's cards built")
        settle(400)
        target = self.path(scene, suffix)
        pixmap = widget.grab()
        if pixmap.isNull() or not pixmap.save(str(target)):
            raise SceneError(f"could not write {target}")
        print(target, flush=True)
        return target

    # -- demo services and windows --------------------------------------------------------------

    def demo(self, cases: int = 250, seed: int = 1):  # noqa: ANN201 - DemoService
        """A running demo service with ``cases`` cases (one per count, shared by the scenes)."""
        from caseviewer.demo.server import DemoConfig, DemoService

        if cases not in self._services:
            self._services[cases] = DemoService(DemoConfig(cases=cases, seed=seed)).start()
        return self._services[cases]

    def demo_window(self, svc, *, page_size: int | None = None):  # noqa: ANN201 - MainWindow
        """The window ``caseviewer --demo`` opens on ``svc``, shown at the stage's size."""
        from caseviewer.core.connection import ConnectionSettings, Secrets
        from caseviewer.core.session import open_session
        from caseviewer.ui.app import build_window

        settings = ConnectionSettings(name="Demo", environment="DEMO", list_url=svc.list_url, auth_url=svc.auth_url,
                                      customer_id=svc.customer_id, detail_url=svc.detail_url)
        session = open_session(settings, Secrets(list_token=svc.list_token, detail_key=svc.detail_key),
                               label="Demo service", unsaved_name="Demo")
        session.page_size = page_size
        return self._show(build_window(session), profile="")

    def add_profile(self, svc, name: str, *, token: str | None = None, key: str | None = None,
                    environment: str = "STAGING", color: str = ""):  # noqa: ANN201 - Profile
        """A saved profile on ``svc`` (its secrets in the in-memory keyring)."""
        from caseviewer.core.connection import Secrets
        from caseviewer.core.profiles import Profile, ProfileStore
        from caseviewer.core.secrets import SecretStore

        profile = ProfileStore().add(Profile(name=name, list_url=svc.list_url, customer_id=svc.customer_id,
                                             detail_url=svc.detail_url, environment=environment, color=color,
                                             page_size=50))
        SecretStore().save(name, Secrets(list_token=token or svc.list_token, detail_key=key or svc.detail_key))
        return profile

    def profile_window(self, name: str):  # noqa: ANN201 - MainWindow
        """The window ``caseviewer --profile NAME`` opens."""
        from caseviewer.core.connection import resolve
        from caseviewer.core.session import open_session
        from caseviewer.ui.app import build_window

        session = open_session(*resolve(name, flags={}))
        return self._show(build_window(session), profile=session.profile_name)

    def _show(self, window, *, profile: str):  # noqa: ANN001, ANN202
        window.safeguards.configure(profile=profile)  # as run_gui does (no OS lock watch: no D-Bus here)
        window.resize(*self.size)
        window.show()
        self._windows.append(window)
        return window

    def wait_rows(self, window, rows: int = 1) -> None:
        wait_until(lambda: window.model.rowCount() >= rows, f"{rows} listed cases")

    def open_index(self, window, svc, index: int):  # noqa: ANN201 - CaseResult
        """Select the demo case ``index`` in the table (load pages until it is listed); its result."""
        case_id = svc.data.case_id(index)

        def row() -> int | None:
            for r in range(window.model.rowCount()):
                if window.model.case_id(r) == case_id:
                    return r
            return None

        self.wait_rows(window, min(index + 1, svc.data.cases))
        found = row()
        if found is None:
            raise SceneError(f"demo case {index} is not in the first page of the list")
        shown = wait_signal(window.detail_shown, f"demo case {index} on the case page",
                            lambda: window.select_row(found), timeout_ms=60_000)
        return shown[0]

    def close_window(self, window) -> None:
        """Close one window as the app does on quit (its settings saved, workers stopped)."""
        if window in self._windows:
            self._windows.remove(window)
        bar = getattr(window, "profile_bar", None)
        if bar is not None and getattr(bar, "dialog", None) is not None:
            bar.dialog.reject()
        window.shutdown()
        window.close()
        window.repository.close()
        window.deleteLater()
        settle(50)

    def close_windows(self) -> None:
        """Close what a scene left open (it failed part way), so the next one starts clean."""
        from PySide6.QtWidgets import QApplication

        for window in list(self._windows):
            try:
                self.close_window(window)
            except Exception as exc:  # noqa: BLE001 - tearing down: report and go on
                print(f"closing a window failed: {exc}", file=sys.stderr)
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                widget.close()
        settle(50)

    def close(self) -> None:
        self.close_windows()
        for svc in self._services.values():
            svc.stop()
        self._services.clear()
        shutil.rmtree(self.home, ignore_errors=True)
