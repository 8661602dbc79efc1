"""The main window: assembles the parts and owns the layout, the settings and shutdown.

Filter bar, offline banner, case table (left) and detail pane (right), menus and status bar. What
each part does lives in its controller (``ui/window/``): the case list (query, paging, sort,
columns), the selection (which case the pane shows, and loading it), the offline state, the cache
commands; the actions, menus and F1 sheet come from one table (``ui/window/actions.py``). All service
work goes through one ``TaskRunner``; each controller owns its channels.

The window can be shown before its connection is open (``ui/app.py``): ``MainWindow(None, ...)``
is the frame alone (title, size, an "Opening…" line), painted while the session opens on a worker;
``attach_context`` then builds the parts on the session, the same parts ``MainWindow(repository,
...)`` builds at once. The parts' modules are imported there, not at the top of this module: they
pull in the repository stack (pydantic models, httpx), which the first frame does not need.

Errors the reviewer can act on (``KnownError``) are shown where they happened: the detail pane,
the table's state overlay, or the status bar through ``show_message``. Anything else is a bug and
opens the crash dialog with a copyable report (versions and stack, no case data).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QPaintEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from caseviewer.core.offline import OfflineReason
from caseviewer.ui import accessible
from caseviewer.ui.window.actions import WINDOW_ACTIONS, WindowState, apply_states
from caseviewer.ui.window.cache_actions import DEFAULT_NO_CACHE_REASON
from caseviewer.ui.guard import guarded, reports as guard_reports
from caseviewer.ui.settings_store import UiSettings
from caseviewer.ui.window import help as window_help
from caseviewer.ui.window.crash import CrashDialog, crash_report
from caseviewer.ui.window.offline import DEFAULT_PROBE_INTERVAL_MS
from caseviewer.ui.window.status_bar import MESSAGE_TIMEOUT_MS
from caseviewer.ui.workers import TaskFailure, TaskRunner

if TYPE_CHECKING:
    from caseviewer.core.repository import CaseRepository
    from caseviewer.ui.context import AppContext

class _OpeningLine(QLabel):
    """The frame's one line ("Opening Demo service…"); says when it was first painted."""

    painted = Signal()

    @guarded
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self.property("wasPainted"):
            self.setProperty("wasPainted", True)
            self.painted.emit()


SHUTDOWN_TIMEOUT_S = 1.0
#: At quit, how long a running sync may take to stop before the cache is left open for it.
SYNC_STOP_TIMEOUT_S = 3.0


class MainWindow(QMainWindow):
    """The case browser. ``repository`` is used only from worker threads, through the runner."""

    #: A page was accepted into the table (the ``CasePage``).
    page_loaded = Signal(object)
    #: The pane now shows this ``CaseResult``.
    detail_shown = Signal(object)
    #: Loading the pane's case failed (``TaskFailure``); the pane shows the message.
    detail_failed = Signal(object)
    #: A bug (non-KnownError) happened; the crash dialog is open (``TaskFailure``).
    bug_reported = Signal(object)
    #: The frame alone (``MainWindow(None, ...)``) is on screen: painted once.
    frame_painted = Signal()

    #: The profile this window shows ("" for the demo or flags only), for deep links.
    profile_name = ""

    def __init__(
        self,
        repository: CaseRepository | None,
        *,
        connection_label: str,
        runner: TaskRunner | None = None,
        settings: UiSettings | None = None,
        page_size: int | None = None,
        cache_unavailable_reason: str = "",
        probe_interval_ms: int = DEFAULT_PROBE_INTERVAL_MS,
        refresh_interval_s: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """The whole window on ``repository``; with None the frame alone, until ``attach_context``."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setMinimumSize(900, 600)
        self._set_connection_label(connection_label)
        self.runner = runner or TaskRunner(threads=3, parent=self)
        self.runner.bug.connect(self._report_bug)
        # A guarded Qt override that failed (ui/guard.py): one line, queued so never inside a paint.
        guard_reports().failed.connect(self.show_message, Qt.ConnectionType.QueuedConnection)
        self.settings = settings or UiSettings()
        self.crash_dialog: CrashDialog | None = None
        self._shut_down = False
        self._credentials_handler: Callable[[], Any] | None = None  # set by the profile bar
        self.repository: CaseRepository | None = None
        if repository is None:
            self._show_opening()
        else:
            self.attach(repository, page_size=page_size, cache_unavailable_reason=cache_unavailable_reason,
                        probe_interval_ms=probe_interval_ms, refresh_interval_s=refresh_interval_s)

    def _set_connection_label(self, label: str) -> None:
        self.connection_label = label
        # Ends with the application name: Qt appends the display name to a title that does not
        # (which read "caseviewer — Demo service — caseviewer").
        self.setWindowTitle(f"{label} — caseviewer" if label else "caseviewer")

    def _show_opening(self) -> None:
        """The frame before the session: its saved size and place, and what is being opened."""
        opening = _OpeningLine(f"Opening {self.connection_label}…" if self.connection_label else "Opening…")
        opening.setObjectName("openingPlaceholder")
        opening.painted.connect(self.frame_painted)
        opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(opening)
        if not self.settings.restore_geometry(self):
            self.resize(1280, 800)

    @property
    def model(self):  # noqa: ANN201 - CaseTableModel: the one the table shows now (online or offline)
        return self.case_list.model

    @property
    def attached(self) -> bool:
        """The parts are built on a repository (False: the frame shown before the session)."""
        return self.repository is not None

    def attach(
        self,
        repository: CaseRepository,
        *,
        page_size: int | None = None,
        cache_unavailable_reason: str = "",
        probe_interval_ms: int = DEFAULT_PROBE_INTERVAL_MS,
        refresh_interval_s: float | None = None,
    ) -> None:
        """Build the window's parts on ``repository`` (once): what the constructor does with one."""
        if self.repository is not None:
            raise RuntimeError("the window is already attached to a repository")
        # Imported here: these pull in the repository stack, which the first frame does without.
        from caseviewer.ui.safeguards.controller import Safeguards
        from caseviewer.ui.triage.controller import TriageController
        from caseviewer.ui.triage.menus import TriageMenus
        from caseviewer.ui.triage.refresh import DEFAULT_INTERVAL_S as DEFAULT_REFRESH_S, BackgroundRefresh
        from caseviewer.ui.triage.views import ViewsBar
        from caseviewer.ui.window.cache_commands import CacheCommands
        from caseviewer.ui.window.case_list import DEFAULT_PAGE_SIZE, CaseListController
        from caseviewer.ui.window.menus import build_window_actions
        from caseviewer.ui.window.offline import OfflineController
        from caseviewer.ui.window.selection import SelectionController
        from caseviewer.ui.window.status_bar import StatusBar
        from caseviewer.ui.zoom import Zoom

        page_size = page_size or DEFAULT_PAGE_SIZE
        refresh_interval_s = DEFAULT_REFRESH_S if refresh_interval_s is None else refresh_interval_s
        self.repository = repository
        self.cache_unavailable_reason = cache_unavailable_reason or DEFAULT_NO_CACHE_REASON

        self.case_list = CaseListController(self, page_size=page_size)
        self.view, self.header = self.case_list.view, self.case_list.header
        self.overlay, self.count_label = self.case_list.overlay, self.case_list.count_label
        self._build_layout()
        self.selection = SelectionController(self)
        self.offline = OfflineController(self, probe_interval_ms=probe_interval_ms)
        self.probe_timer = self.offline.probe_timer
        self.cache_commands = CacheCommands(self)
        # Read state, flags and notes (ui/triage); before the first page so it is marked too.
        self.triage = TriageController(self, cache_reason=self.cache_unavailable_reason)
        self.zoom = Zoom.of(QApplication.instance(), self.settings)  # Ctrl++ / Ctrl+- / Ctrl+0 (ui/zoom.py)
        self.zoom.changed.connect(self.case_list.fit_rows_to_font)
        build_window_actions(self)  # the action table, the section keys, menus and toolbar
        self.status_bar = StatusBar(self, self.runner, self.connection_label)
        self.cache_label, self.connection_status = self.status_bar.cache_label, self.status_bar.connection_status
        self.triage_menus = TriageMenus(self)
        self.triage_refresh = BackgroundRefresh(self, interval_s=refresh_interval_s)
        self.views_bar = ViewsBar(self)
        self.case_list.table_layout.insertWidget(0, self.views_bar)

        # The window's commands, as the actions, the triage parts, deep links and tests call them.
        self.page_size = page_size
        self.current_query, self.reload_list = self.case_list.current_query, self.case_list.reload_list
        self.sort_by, self.set_column_visible = self.case_list.sort_by, self.case_list.set_column_visible
        self.select_row, self.step_case = self.selection.select_row, self.selection.step_case
        self.open_case, self.open_link = self.selection.open_case, self.selection.open_link
        self.show_open_dialog, self.retry_detail = self.selection.show_open_dialog, self.selection.retry_detail
        self.set_work_offline, self.probe_now = self.offline.set_work_offline, self.offline.probe_now
        self.show_sync_dialog = self.cache_commands.show_sync_dialog
        self.show_text_search = self.cache_commands.show_text_search

        self._restore_settings()
        self.pane.show_placeholder()
        self.offline.update_offline_state()
        self.cache_commands.update_cache_size()
        if repository.has_list:
            self.reload_list()
        else:
            self.filter_bar.setEnabled(False)
            self.model.clear()
        # Idle lock, privacy mode, access log (ui/safeguards/controller.py): they attach themselves.
        self.safeguards = Safeguards(self)

    @classmethod
    def from_context(cls, context: AppContext) -> MainWindow:
        """The window on the app's shared services, with the profile bar when there is a profile."""
        window = cls(None, connection_label=context.session.label, runner=context.runner, settings=context.settings)
        window.attach_context(context)
        return window

    def attach_context(self, context: AppContext) -> None:
        """The frame's parts on the app's shared services (its session), with the profile bar when
        there is a profile; the runner and settings are the ones the frame was made with."""
        session, settings = context.session, context.session.settings
        self._set_connection_label(session.label)
        self.attach(context.repository, page_size=session.page_size,
                    cache_unavailable_reason=session.cache_unavailable_reason)
        self.context, self.profile_name = context, session.profile_name
        if session.profile_name or settings.environment or session.unsaved_name:
            from caseviewer.ui.window.profile_bar import ProfileBar

            self.profile_bar = ProfileBar(self, profile_name=session.profile_name, environment=settings.environment,
                                          color=settings.color, unsaved=session.unsaved_name,
                                          profiles=context.profiles, secrets=context.secrets)

    # -- construction -----------------------------------------------------------------------

    def _build_layout(self) -> None:
        from caseviewer.ui.case_list.filter_bar import FilterBar
        from caseviewer.ui.detail.pane import DetailPane
        from caseviewer.ui.window.offline_banner import OfflineBanner

        self.banner = OfflineBanner()
        self.filter_bar = FilterBar()
        self.filter_bar.filters_changed.connect(self.case_list.filters_changed)
        self.filter_bar.results_requested.connect(lambda: self.selection.focus_results())

        self.pane = DetailPane()
        self.pane.credentials_requested.connect(self.update_credentials)
        # Attachment preview, Save / Save all / Open with run on our workers through the repository.
        self.pane.set_services(self.runner, self.repository)
        if self.pane.actions is not None:
            self.pane.actions.remember_folders(self.settings)  # Save starts in the last folder used
        self.pane.status_message.connect(self.show_message)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.case_list.area)
        self.splitter.addWidget(self.pane)
        # The table's four main columns fit without a scrollbar at the default 1280 px width.
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        # Table just wide enough for its default columns; the rest (most of it) for reading the case.
        self.splitter.setSizes([740, 540])  # at 1280 px the table's default columns fit without a sideways scroll

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(8)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

    def show_shortcuts(self):  # noqa: ANN201 - QMessageBox
        return window_help.show_shortcuts(self)

    def show_about(self) -> None:
        window_help.show_about(self)

    # -- state shown in several parts -------------------------------------------------------

    @property
    def closed(self) -> bool:  # shut down: no new work may start (timers that fire late check this)
        return self._shut_down

    def state(self) -> WindowState:
        """What the actions and the status bar depend on (plain flags, no I/O)."""
        repository, cache = self.repository, self.cache_commands
        return WindowState(repository.is_offline, repository.has_cache, repository.has_list, cache.syncing,
                           cache.size, self.cache_unavailable_reason, self.can_update_credentials)

    def update_action_states(self) -> None:
        """The action table's enabled-when column, and the status bar, for the current state."""
        state = self.state()
        apply_states(self, WINDOW_ACTIONS, state)
        self.status_bar.show_state(state)

    def bring_to_front(self) -> None:
        """Unminimised, raised and active: for a link from another launch, a notification click."""
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def show_message(self, text: str, timeout_ms: int = MESSAGE_TIMEOUT_MS) -> None:
        """The one path for known errors and notices that have no better place (also spoken to
        assistive technology: a status bar message is a live region)."""
        self.statusBar().showMessage(text, timeout_ms)
        accessible.announce(self.statusBar(), text)

    def _report_bug(self, failure: TaskFailure) -> None:
        if self.crash_dialog is None:
            self.crash_dialog = CrashDialog(self)
        self.crash_dialog.add_report(crash_report(failure))
        self.crash_dialog.open()  # not exec(): the app keeps running
        self.bug_reported.emit(failure)

    def refresh(self) -> None:
        """F5: the list from page 1 and the open case again.

        While the services are unreachable, Refresh first asks whether they are back (the probe
        reloads on success); the cached copy is shown again meanwhile. While working offline by
        choice it re-reads the cache only.
        """
        if self.repository.offline_reason == OfflineReason.UNREACHABLE:
            self.offline.probe_now()
        self.reload_everything()
        self.show_message("Refreshing from the offline cache…" if self.repository.is_offline else "Refreshing…", 2000)

    def reload_everything(self) -> None:
        self.case_list.reload_list()
        if self.selection.detail_request is not None:
            self.selection.retry_detail()

    # -- credentials (the profile bar supplies the dialog) -----------------------------------

    def set_credentials_handler(self, handler: Callable[[], Any] | None) -> None:
        """How to fix a rejected credential: open the profile's secrets (None: no saved profile)."""
        self._credentials_handler = handler
        self.update_action_states()  # Update credentials… is enabled with a handler only

    @property
    def can_update_credentials(self) -> bool:
        return self._credentials_handler is not None

    def update_credentials(self) -> None:
        if self._credentials_handler is not None:
            self._credentials_handler()

    # -- settings and shutdown --------------------------------------------------------------

    def _restore_settings(self) -> None:
        if not self.settings.restore_window(self, self.splitter):
            self.resize(1280, 800)
        self.case_list.restore(self.settings)

    def save_settings(self) -> None:
        if not self.attached:  # the frame alone: nothing of its layout to keep
            return
        self.settings.save_window(self, self.splitter)
        self.case_list.save(self.settings)
        self.settings.sync()

    def shutdown(self) -> None:
        """Stop all work: cancel requests, close the clients (wakes back-off), join threads."""
        if self._shut_down:
            return
        self._shut_down = True
        if not self.attached:  # the frame alone: its runner may be opening the session
            self.runner.cancel_all()
            self.runner.shutdown(timeout=SHUTDOWN_TIMEOUT_S)
            return
        self.selection.timer.stop()
        self.case_list.stop()
        self.offline.stop()
        self.triage_refresh.stop()
        self.runner.cancel_all()
        syncing = self.cache_commands.syncing
        if syncing:
            self.cache_commands.sync_dialog.stop_and_wait(0)  # stops its task; the join below waits
        # Close the clients first: that wakes requests in flight and back-off sleeps. The cache is
        # closed only once no worker can still be writing to it (closing a SQLCipher connection
        # under a running statement crashes the process); a straggler keeps it open until exit.
        self.repository.close_clients()
        if self.runner.shutdown(timeout=SHUTDOWN_TIMEOUT_S + (SYNC_STOP_TIMEOUT_S if syncing else 0)):
            self.case_list.close()
            self.repository.close()

    @guarded
    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)


__all__ = ["MainWindow"]
