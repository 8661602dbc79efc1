"""GUI entry point: ``run_gui(open_session=...)`` builds the app and runs it.

The CLI decides *what* to connect to (a profile, flags, the bundled demo) and hands over how to
open its session (``cli/connect.py`` through ``core/session.py``, ``open_session``: the repository
and what the window shows about the connection). Start-up order, so the window is on screen
before the repository stack (pydantic models, httpx, keyring, SQLCipher, the demo service) is
even imported: the main window's frame (``MainWindow(None, ...)``: title, saved size, "Opening…")
is shown first; the session opens on one of the window's workers; once it is there the GUI thread
builds the app context (``ui/context.py``: settings, stores, runner, made once) and the window's
parts on it (``MainWindow.attach_context``). A session that cannot be opened ends the run with
its error, as when no window was shown. ``build_window`` is the same composition all at once
(tests, screenshots).
``smoke_test=True`` proves the whole path end to end without a person: first page, first row,
its detail, then exit 0 (1 on failure or after 30 s).

Around the window (``ui/lifecycle.py``, ``core/child_env.py``, ``core/files.py``): the
environment's secrets are removed from the process once the connection is resolved (children Qt
starts inherit none), SIGTERM/SIGINT quit cleanly, unhandled exceptions go to the crash dialog
redacted, ``ui.ini`` is 0600, private copies of earlier runs that died are removed, and this
run's are wiped on the way out.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from caseviewer.core import errors
from caseviewer.core.files import private_temp, remove_stale_private_copies
from caseviewer.core.paths import private_file
from caseviewer.core.runtime import freeze_startup_heap
from caseviewer.ui.icons import app_icon
from caseviewer.ui.theme import ThemeChoice, apply_theme
from caseviewer.ui.stragglers import set_exit_code
from caseviewer.ui.workers import TaskRunner

if TYPE_CHECKING:  # the repository stack: imported by the session's opener, after the first frame
    from caseviewer.core.session import Session

log = logging.getLogger(__name__)

APP_NAME = "caseviewer"
SMOKE_TIMEOUT_MS = 30_000
#: The session opens once the frame is painted (its imports would hold the GIL against that
#: paint); at the latest after this long, should the frame never be painted (a hidden desktop).
OPEN_AT_THE_LATEST_MS = 500


def _application(theme: ThemeChoice | None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(app_icon())
    from caseviewer.ui.settings_store import UiSettings, settings_path

    private_file(settings_path())  # QSettings keeps an existing file's mode: 0600 from the start
    if theme is None:  # no --theme: the choice saved from View > Theme
        theme = ThemeChoice(UiSettings().theme())
    apply_theme(app, theme)
    return app  # type: ignore[return-value]


def _arm_smoke_test(app: QApplication, window) -> Callable[[], None]:
    """First page -> select row 0 -> its detail shown -> exit 0; any failure or 30 s -> exit 1.

    Armed with the frame (a bug, or 30 s without the detail, fails it from the start); the call
    it returns watches the list and the pane once the window has its parts.
    """
    def finish(code: int, why: str) -> None:
        if code:
            log.error("smoke test failed: %s", why)
            print(f"smoke test failed: {why}", file=sys.stderr, flush=True)
        app.exit(code)

    first_rows = []

    def first_page(_page) -> None:
        if first_rows:
            return
        first_rows.append(True)
        if window.model.rowCount() == 0:
            finish(1, "the case list is empty")
            return
        window.select_row(0)

    def list_state() -> None:
        model = window.model
        if model.error_message and model.rowCount() == 0:
            finish(1, f"the case list failed: {model.error_message}")
        elif window.case_list.shows_store and model.has_loaded_first_page:
            first_page(None)  # offline, the cached list's first rows stand for the first page

    def watch_parts() -> None:
        window.page_loaded.connect(first_page)
        window.case_list.list_state_changed.connect(list_state)
        window.detail_shown.connect(lambda _result: finish(0, ""))
        window.detail_failed.connect(lambda failure: finish(1, f"the case detail failed: {failure.message}"))
        if not window.repository.has_list:
            QTimer.singleShot(0, lambda: finish(0, ""))  # nothing to page through; the window came up

    window.bug_reported.connect(lambda failure: finish(1, f"bug: {type(failure.exception).__name__}"))
    timer = QTimer(window)
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: finish(1, "timed out after 30 s"))
    timer.start(SMOKE_TIMEOUT_MS)
    return watch_parts


def build_window(session: Session):
    """The composition root: the app context (built once), then the main window on it, with its
    profile bar when the session has a profile or an environment (not shown yet); needs a
    QApplication."""
    from caseviewer.ui.context import build_context
    from caseviewer.ui.window.main_window import MainWindow  # after QApplication exists

    return MainWindow.from_context(build_context(session))


def _opened(open_session: Callable[[], Session]) -> tuple[Session | None, BaseException | None]:
    """The worker's task: the session, or why it could not be opened (handed to the GUI thread
    as a value, so the run ends with it as it did before any window was shown)."""
    try:
        return open_session(), None
    except BaseException as exc:  # noqa: BLE001 - re-raised by run_gui on the main thread
        return None, exc


class _Start:
    """The steps after the frame is on screen: the session's arrival, then the window's parts."""

    def __init__(self, app: QApplication, window, runner: TaskRunner, *, smoke_test: bool, link) -> None:  # noqa: ANN001
        self.app, self.window, self.runner = app, window, runner
        self.smoke_test, self.link = smoke_test, link
        self.watch_smoke_test = _arm_smoke_test(app, window) if smoke_test else None
        self.failure: BaseException | None = None
        self.instance = None
        self._open_session: Callable[[], Session] | None = None

    def open_after_first_paint(self, open_session: Callable[[], Session]) -> None:
        self._open_session = open_session
        self.window.frame_painted.connect(self._open, Qt.ConnectionType.QueuedConnection)
        QTimer.singleShot(OPEN_AT_THE_LATEST_MS, self._open)

    def _open(self) -> None:
        open_session, self._open_session = self._open_session, None
        if open_session is not None and not self.window.closed:  # once: the paint or the timer
            self._listen()
            self.runner.submit(lambda _context: _opened(open_session), on_result=self.opened)

    def _listen(self) -> None:
        """Later launches with a caseviewer:// link hand it to this window (ui/single_instance.py).
        From the first frame on, not only once the session is open: a link arriving meanwhile
        is held and opened with the session (the last one wins: each would replace the other)."""
        from caseviewer.ui.single_instance import SingleInstanceServer

        self.instance = SingleInstanceServer(self.window)
        self.instance.link_received.connect(self._link_arrived)
        if not self.smoke_test:
            self.instance.listen()

    def _link_arrived(self, link) -> None:  # noqa: ANN001 - core.deeplink.DeepLink
        window = self.window
        if window.attached:
            window.open_link(link)
            return
        self.link = link
        window.bring_to_front()  # the launch that sent it exits: show where its link will open

    def opened(self, outcome: tuple[Session | None, BaseException | None]) -> None:
        session, failure = outcome
        if failure is not None:
            self.failure = failure
            # The frame goes; the error is the run's answer, as with no window. Hidden, not
            # closed: closing the last window would also post a quit that outlives this loop.
            self.window.hide()
            self.app.exit(failure.exit_code if isinstance(failure, errors.KnownError) else errors.EXIT_FAILURE)
            return
        if self.window.closed:  # closed while the session opened: nothing to show it in
            session.repository.close()
            return
        self.attach(session)

    def attach(self, session: Session) -> None:
        from caseviewer.core.child_env import scrub_own_environment
        from caseviewer.ui.context import build_context

        scrub_own_environment()  # the connection is resolved: no child may inherit its secrets
        window = self.window
        window.attach_context(build_context(session, runner=self.runner, settings=window.settings))
        window.safeguards.configure(profile=session.profile_name)  # which secret unlocks, its idle timeout
        window.safeguards.start_os_watch()  # the desktop's own screen lock, where D-Bus has it
        if self.link is not None:  # the command line's, or one a later launch handed over meanwhile
            QTimer.singleShot(0, lambda: window.open_link(self.link))
        log.info("window attached to its session")
        # See core/runtime.py: keeps full GC passes short all session. After the parts' first
        # frame (a zero timer runs once the event loop has painted them): a full collection of
        # the start-up heap took ~100 ms in front of it.
        QTimer.singleShot(0, freeze_startup_heap)
        if self.watch_smoke_test is not None:
            self.watch_smoke_test()


def run_gui(
    session: Session | None = None,
    *,
    open_session: Callable[[], Session] | None = None,
    label: str = "",
    on_quit: Callable[[], None] | None = None,
    smoke_test: bool = False,
    theme: ThemeChoice | None = None,
    link=None,  # noqa: ANN001 - core.deeplink.DeepLink to open once the window is up
) -> int:
    """Show the main window and run until it closes; returns the exit code.

    ``open_session`` (the CLI's) is called on a worker once the window's frame is shown, titled
    with ``label``; a ``session`` already open is shown the same way. An error opening it is
    raised here, after the frame is hidden. The window closes the session's repository; stopping
    the session is its opener's.
    """
    from caseviewer.ui.lifecycle import ExceptionHooks, QuitOnSignals
    from caseviewer.ui.settings_store import UiSettings
    from caseviewer.ui.window.main_window import MainWindow  # after QApplication exists

    if session is not None:
        open_session, label = (lambda: session), session.label
    if open_session is None:
        raise TypeError("run_gui needs a session or open_session")
    # File I/O off the GUI thread; not a daemon, so a quick exit still finishes it.
    threading.Thread(target=remove_stale_private_copies, name="stale-copies").start()
    app = _application(theme)
    quit_on_signals = QuitOnSignals(app)
    runner = TaskRunner(threads=3)  # the app context's (ui/context.py), made with the frame
    window = MainWindow(None, connection_label=label, runner=runner, settings=UiSettings())
    hooks = ExceptionHooks(window._report_bug)
    start = _Start(app, window, runner, smoke_test=smoke_test, link=link)
    window.show()
    log.info("window open")
    start.open_after_first_paint(open_session)
    try:
        code = app.exec()
    finally:
        # app.exit() (smoke test) does not close the window; save and stop here as well.
        window.save_settings()
        window.shutdown()
        private_temp.cleanup()
        hooks.uninstall()
        quit_on_signals.uninstall()
        window.deleteLater()
        if on_quit is not None:
            on_quit()
    set_exit_code(code)
    if start.failure is not None:
        raise start.failure
    return code


__all__ = ["build_window", "run_gui"]


def run_first_run(*, theme: ThemeChoice | None = None) -> tuple[str, str | None]:
    """The first-run screen (no profile yet): ("demo", None), ("profile", NAME) or ("quit", None).

    "Connect to a service…" opens the profile dialog; a saved profile becomes the one to open.
    """
    from caseviewer.core.profiles import ProfileStore
    from caseviewer.core.secrets import SecretStore
    from caseviewer.ui.dialogs.first_run import FirstRunDialog
    from caseviewer.ui.dialogs.profile_dialog import ProfileDialog
    from caseviewer.ui.workers import TaskRunner

    _application(theme)
    runner = TaskRunner(threads=1)
    try:
        while True:
            first = FirstRunDialog(runner)
            first.exec()
            choice = first.choice()
            if choice == "demo":
                return "demo", None
            if choice != "connect":
                return "quit", None
            dialog = ProfileDialog(runner, ProfileStore(), SecretStore())
            dialog.exec()
            profile = dialog.saved_profile()
            if profile is not None:
                return "profile", profile.name
    finally:
        runner.shutdown()
