"""The main window: filter bar, case table (left), detail pane (right), menus and status bar.

All service work goes through one ``TaskRunner`` on two channels: "list" (table pages) and
"detail" (the case in the pane). A new request on a channel supersedes the old one, and a
selection change waits ~120 ms before asking, so holding an arrow key shows only the case the
reviewer stops on.

Errors the reviewer can act on (``KnownError``) are shown where they happened: the detail pane,
the table's state overlay, or the status bar through ``show_message``. Anything else is a bug and
opens the crash dialog with a copyable report (versions and stack, no case data).
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QAbstractItemView,
    QInputDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from caseviewer import __version__
from caseviewer.core import errors
from caseviewer.core.api import CasePage, CaseQuery, SearchField, SortField
from caseviewer.core.packed_rows import PackedRows, pack_records
from caseviewer.core.repository import CaseRepository, CaseResult, LookupKind, lookup_kind
from caseviewer.ui.cache_actions import (
    DEFAULT_NO_CACHE_REASON,
    cache_size,
    clear_cache,
    format_bytes,
    has_cache,
    purge_cache,
)
from caseviewer.ui.actions import WINDOW_ACTIONS, build_actions, make_action, shortcut_rows, shortcut_sheet_html
from caseviewer.ui.case_table_model import CaseTableModel
from caseviewer.ui.detail.pane import DetailPane
from caseviewer.ui.detail.section_list import section_keys
from caseviewer.ui.filter_bar import FilterBar, FilterState
from caseviewer.ui.offline_banner import REASON_UNREACHABLE, OfflineBanner
from caseviewer.ui.open_case_dialog import BY_EMAIL, BY_ID, CaseLookup, OpenCaseDialog
from caseviewer.ui.safeguards import Safeguards
from caseviewer.ui.settings_store import UiSettings
from caseviewer.ui.status_chip import StatusChipDelegate
from caseviewer.ui.table_states import TableStateOverlay
from caseviewer.ui.triage.controller import TriageController
from caseviewer.ui.triage.menus import TriageMenus
from caseviewer.ui.triage.views import ViewsBar
from caseviewer.ui.triage.refresh import DEFAULT_INTERVAL_S as DEFAULT_REFRESH_S, BackgroundRefresh
from caseviewer.ui import icons
from caseviewer.ui.workers import TaskFailure, TaskRunner
from caseviewer.ui.zoom import Zoom
from caseviewer.ui.guard import guarded, reports as guard_reports

if TYPE_CHECKING:  # imported when first used: the sync (and SQLCipher) is only needed with a cache
    from caseviewer.ui.sync_dialog import SyncDialog

LIST_CHANNEL = "list"
DETAIL_CHANNEL = "detail"
PROBE_CHANNEL = "probe"
LOOKUP_CHANNEL = "lookup"  # Open case… (Ctrl+L) while its dialog waits
OFFLINE_CHANNEL = "offline"
CACHE_CHANNEL = "cache"
#: While the services are unreachable, ask every this many ms whether they answer again.
DEFAULT_PROBE_INTERVAL_MS = 15_000
#: The banner's "cached N min ago" is refreshed this often.
BANNER_REFRESH_MS = 30_000
NEEDS_NETWORK_TIP = "Needs the case service: you are working offline"
SELECTION_DEBOUNCE_MS = 120
DEFAULT_PAGE_SIZE = 100
SHUTDOWN_TIMEOUT_S = 1.0
#: At quit, how long a running sync may take to stop before the cache is left open for it.
SYNC_STOP_TIMEOUT_S = 3.0
MESSAGE_TIMEOUT_MS = 10_000

#: Default widths (px) by column; the reviewer's own widths are restored over these.
_DEFAULT_WIDTHS = {
    CaseTableModel.COL_BUSINESS: 205,
    CaseTableModel.COL_APPLICANT: 145,
    CaseTableModel.COL_STATUS: 165,
    CaseTableModel.COL_CREATED: 130,
    CaseTableModel.COL_CASE_ID: 100,  # the last column stretches; the full id is in the tooltip
    CaseTableModel.COL_APPLICANT_ID: 280,
    CaseTableModel.COL_CASE_TYPE: 130,
    CaseTableModel.COL_ASSIGNEE: 150,
    CaseTableModel.COL_DBA: 170,
    CaseTableModel.COL_FLAG: 90,
}
#: Natural first direction when a sortable header is clicked: newest first, names A→Z.
_FIRST_DIRECTION_DESCENDING = {CaseTableModel.COL_CREATED: True, CaseTableModel.COL_BUSINESS: False}

class SelectedRow(NamedTuple):
    """A table row and the case on it (rows are renumbered by a new query; ids stay)."""

    row: int
    case_id: str | None


def fetch_packed_page(repository: CaseRepository, query: CaseQuery, *, cancel=None) -> tuple[CasePage, PackedRows]:
    """Worker side of a list page: fetch it and pack its records for the table model."""
    page = repository.list_page(query, cancel=cancel)
    return page, pack_records(page.records)


def crash_report(failure: TaskFailure) -> str:
    """Versions and the stack of a bug; no case data (the exception message is left out)."""
    return "\n".join(
        [
            "caseviewer crash report",
            f"caseviewer {__version__}",
            f"Python {platform.python_version()} ({sys.implementation.name})",
            f"Qt {qVersion()} / PySide6 {pyside_version}",
            f"Platform {platform.platform()}",
            f"Request channel: {failure.channel or '-'}",
            "",
            failure.traceback.rstrip() or type(failure.exception).__name__,
        ]
    )


class CrashDialog(QDialog):
    """Shows a bug's report with a Copy button; later bugs are appended while it is open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("caseviewer hit a bug")
        self.resize(640, 420)
        intro = QLabel(
            "Something went wrong inside caseviewer. This is a bug, not something you did.\n"
            "Copy the report below and send it to support. It holds no case data."
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy report", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)

    def add_report(self, report: str) -> None:
        if self.text.toPlainText():
            self.text.appendPlainText("\n" + "-" * 60 + "\n")
        self.text.appendPlainText(report)


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

    def __init__(
        self,
        repository: CaseRepository,
        *,
        connection_label: str,
        runner: TaskRunner | None = None,
        settings: UiSettings | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        cache_unavailable_reason: str = "",
        probe_interval_ms: int = DEFAULT_PROBE_INTERVAL_MS,
        refresh_interval_s: float = DEFAULT_REFRESH_S,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        # Ends with the application name: Qt appends the display name to a title that does not
        # (which read "caseviewer — Demo service — caseviewer").
        self.setWindowTitle(f"{connection_label} — caseviewer")
        self.setMinimumSize(900, 600)
        self.repository = repository
        self.connection_label = connection_label
        self.runner = runner or TaskRunner(threads=3, parent=self)
        self.runner.bug.connect(self._report_bug)
        # A guarded Qt override that failed (ui/guard.py): one line, queued so never inside a paint.
        guard_reports().failed.connect(self.show_message, Qt.ConnectionType.QueuedConnection)
        self.settings = settings or UiSettings()
        self.page_size = page_size
        self._sort_column = CaseTableModel.COL_CREATED
        self._descending = True
        self._detail_request: tuple[Callable[..., CaseResult], tuple[Any, ...], dict[str, Any]] | None = None
        self._selected: SelectedRow | None = None  # the table row the reviewer is on
        self._loaded_selection: SelectedRow | None = None  # the row whose case was last asked for
        self._crash_dialog: CrashDialog | None = None
        self._shut_down = False
        self.cache_unavailable_reason = cache_unavailable_reason or DEFAULT_NO_CACHE_REASON
        self._page_cached_at = None  # cached_at of the list page shown, when it came from the cache
        self._detail_cached_at = None  # fetched_at of the case shown, when it came from the cache
        self._sync_dialog: SyncDialog | None = None
        self._cache_size: int | None = None
        self._credentials_handler: Callable[[], Any] | None = None  # set by the profile bar
        self._list_auth_failed = False  # the list's last failure was a rejected credential

        self._build_table()
        self._build_layout()
        # Read state, flags and notes (ui/triage); before the first page so it is marked too.
        self.triage = TriageController(self, cache_reason=self.cache_unavailable_reason)
        self.zoom = Zoom.of(QApplication.instance(), self.settings)  # Ctrl++ / Ctrl+- / Ctrl+0 (ui/zoom.py)
        self.zoom.changed.connect(self._fit_rows_to_font)
        self._build_actions()
        self._build_status_bar()
        self.triage_menus = TriageMenus(self)
        self.triage_refresh = BackgroundRefresh(self, interval_s=refresh_interval_s)
        self.views_bar = ViewsBar(self)
        self._table_layout.insertWidget(0, self.views_bar)

        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(SELECTION_DEBOUNCE_MS)
        self._selection_timer.timeout.connect(self._selection_settled)

        self.probe_timer = QTimer(self)
        self.probe_timer.setInterval(max(1, probe_interval_ms))
        self.probe_timer.timeout.connect(self.probe_now)
        self._banner_timer = QTimer(self)
        self._banner_timer.setInterval(BANNER_REFRESH_MS)
        self._banner_timer.timeout.connect(self.banner.refresh_text)
        # The reviewer's retention setting (File > Purge old cached cases…), applied at every start.
        QTimer.singleShot(0, lambda: self.purge_cached(self.settings.purge_days()))

        self._restore_settings()
        self.pane.show_placeholder()
        self.update_offline_state()
        self.update_cache_size()
        if repository.has_list:
            self.reload_list()
        else:
            self.filter_bar.setEnabled(False)
            self.model.clear()
        # Idle lock, privacy mode, access log (ui/safeguards.py): they attach themselves.
        self.safeguards = Safeguards(self)

    # -- construction -----------------------------------------------------------------------

    def _build_table(self) -> None:
        self.model = CaseTableModel(self)
        self.model.page_requested.connect(self._request_page)
        self.model.state_changed.connect(self._update_table_state)

        view = QTableView()
        view.setObjectName("caseTable")
        # No sort/filter proxy: the service sorts and filters, and with 100,000 rows a proxy only
        # doubles the calls into Python per painted cell.
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.verticalHeader().hide()
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._fit_rows_to_font(view=view)
        view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it (no keyboard trap)
        view.setItemDelegateForColumn(CaseTableModel.COL_STATUS, StatusChipDelegate(view))
        view.setSortingEnabled(False)  # a header click asks the service; see _sort_requested

        header = view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(60)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sortIndicatorChanged.connect(self._sort_requested)
        for column, width in _DEFAULT_WIDTHS.items():
            header.resizeSection(column, width)
        for column in CaseTableModel.HIDDEN_BY_DEFAULT:
            header.hideSection(column)
        self.view = view
        self.header = header
        view.selectionModel().currentRowChanged.connect(self._current_row_changed)

        self.overlay = TableStateOverlay(view)
        self.overlay.action_triggered.connect(self._overlay_action)

    def _build_layout(self) -> None:
        self.banner = OfflineBanner()
        self.banner.try_again.connect(self.probe_now)
        self.banner.go_online.connect(lambda: self.set_work_offline(False))
        self.filter_bar = FilterBar()
        self.filter_bar.filters_changed.connect(self._filters_changed)
        self.filter_bar.results_requested.connect(self.focus_results)
        self._select_first_when_loaded = False

        self.count_label = QLabel()
        self.count_label.setObjectName("caseCount")
        self.more_retry_button = QPushButton("Retry")
        self.more_retry_button.setToolTip("Load the rest of the list again")
        self.more_retry_button.clicked.connect(self.model.retry)
        self.more_retry_button.hide()
        footer = QHBoxLayout()
        footer.setContentsMargins(2, 0, 2, 0)
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.more_retry_button)

        table_area = QWidget()
        table_layout = QVBoxLayout(table_area)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.setSpacing(4)
        table_layout.addWidget(self.view, 1)
        table_layout.addLayout(footer)
        self._table_layout = table_layout  # the saved-views bar goes on top (ui/triage/views.py)

        self.pane = DetailPane()
        self.pane.retry_requested.connect(self.retry_detail)
        self.pane.credentials_requested.connect(self.update_credentials)
        # Attachment preview, Save / Save all / Open with run on our workers through the repository.
        self.pane.set_services(self.runner, self.repository)
        if self.pane.actions is not None:
            self.pane.actions.remember_folders(self.settings)  # Save starts in the last folder used
        self.pane.status_message.connect(self.show_message)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(table_area)
        self.splitter.addWidget(self.pane)
        # The table's four main columns fit without a scrollbar at the default 1280 px width.
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        # Table just wide enough for its default columns; the rest (most of it) for reading the case.
        self.splitter.setSizes([700, 580])

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(8)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

    def _fit_rows_to_font(self, _percent: int = 0, *, view: QTableView | None = None) -> None:
        """Row height from the text height, again after a zoom."""
        (view or self.view).verticalHeader().setDefaultSectionSize(max(28, QFontMetrics(QApplication.font()).height() + 12))

    def _build_theme_menu(self, menu) -> None:
        """System / Light / Dark / High contrast; applied at once and remembered in ui.ini."""
        group = QActionGroup(self)
        current = self.settings.theme()
        self.theme_actions: dict[str, QAction] = {}
        for choice, label in (("system", "Follow the &system"), ("light", "&Light"), ("dark", "&Dark"),
                              ("high-contrast", "&High contrast")):
            action = QAction(label, self, checkable=True)
            action.setChecked(choice == current)
            action.setToolTip(f"Use the {choice} colour theme" if choice != "system" else "Follow the system colour scheme")
            action.triggered.connect(lambda _checked=False, c=choice: self.set_theme(c))
            group.addAction(action)
            menu.addAction(action)
            self.theme_actions[choice] = action
        menu.setIcon(icons.icon("theme"))

    def set_theme(self, choice: str) -> None:
        from caseviewer.ui.theme import ThemeChoice, apply_theme

        apply_theme(QApplication.instance(), ThemeChoice(choice))
        self.settings.save_theme(choice)
        self.theme_actions[choice].setChecked(True)

    def _build_actions(self) -> None:
        # One table (ui/actions.py): menus, tooltips and the F1 sheet all read these QActions.
        build_actions(self, WINDOW_ACTIONS)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.work_offline_action.setObjectName("workOfflineAction")
        # A key for every section of the case (Ctrl+1 … Ctrl+9, Alt+2 …, Ctrl+J for the Raw JSON).
        self.tab_actions = []
        for index, (page, key) in enumerate(zip(self.pane.tab_pages, section_keys(self.pane.tab_pages))):
            action = make_action(self, page.TITLE, key, f"Show the {page.TITLE} section",
                                 lambda index=index: self.pane.set_current_tab(index))
            action.setProperty("sheetGroup", "Sections")
            self.tab_actions.append(action)

        self.update_credentials_action.setEnabled(False)  # until a saved profile is in use

        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.refresh_action)
        file_menu.addAction(self.update_credentials_action)
        file_menu.addSeparator()
        from caseviewer.ui.export.controller import ExportController  # PDF, print, CSV (ui/export)

        self.exports = ExportController(self)
        file_menu.addActions(self.exports.actions())
        file_menu.addSeparator()
        file_menu.addAction(self.sync_action)
        file_menu.addAction(self.find_cached_action)
        file_menu.addAction(self.purge_action)
        file_menu.addAction(self.clear_cache_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = menus.addMenu("&View")
        view_menu.addAction(self.search_action)
        view_menu.addAction(self.next_case_action)
        view_menu.addAction(self.previous_case_action)
        view_menu.addAction(self.work_offline_action)
        self.columns_menu = view_menu.addMenu("&Columns")
        self.columns_menu.aboutToShow.connect(lambda: self._fill_columns_menu(self.columns_menu))
        tabs_menu = view_menu.addMenu("Case &sections")
        for action in self.tab_actions:
            tabs_menu.addAction(action)
        self._build_theme_menu(view_menu.addMenu("&Theme"))
        view_menu.addSeparator()
        view_menu.addActions([self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action])
        triage_menu = menus.addMenu("&Triage")
        for name in ("open_window_action", "next_updated_action", "previous_updated_action", "toggle_read_action",
                     "mark_all_read_action", "flag_action", "note_action", "copy_summary_action"):
            triage_menu.addAction(getattr(self, name))
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)
        for menu in (file_menu, view_menu, triage_menu, help_menu):
            menu.setToolTipsVisible(True)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.busy_label = QLabel()
        self.busy_label.setObjectName("busyLabel")
        self.connection_status = QLabel(self.connection_label)
        self.connection_status.setObjectName("connectionLabel")
        self.connection_status.setToolTip("The case service this window is connected to")
        self.offline_button = QToolButton()
        self.offline_button.setObjectName("workOfflineButton")
        self.offline_button.setDefaultAction(self.work_offline_action)
        self.offline_button.setAutoRaise(True)
        self.cache_label = QLabel()
        self.cache_label.setObjectName("cacheSizeLabel")
        bar.addPermanentWidget(self.busy_label)
        bar.addPermanentWidget(self.cache_label)
        bar.addPermanentWidget(self.offline_button)
        bar.addPermanentWidget(self.connection_status)
        self.runner.busy_changed.connect(lambda n: self.busy_label.setText("Loading…" if n else ""))

    # -- messages ---------------------------------------------------------------------------

    def show_message(self, text: str, timeout_ms: int = MESSAGE_TIMEOUT_MS) -> None:
        """The one path for known errors and notices that have no better place."""
        self.statusBar().showMessage(text, timeout_ms)

    def _report_bug(self, failure: TaskFailure) -> None:
        if self._crash_dialog is None:
            self._crash_dialog = CrashDialog(self)
        self._crash_dialog.add_report(crash_report(failure))
        self._crash_dialog.open()  # not exec(): the app keeps running
        self.bug_reported.emit(failure)

    # -- the list ---------------------------------------------------------------------------

    def current_query(self) -> CaseQuery:
        state = self.filter_bar.state()
        return CaseQuery(
            items_per_page=self.page_size,
            sort_field=CaseTableModel.SORTABLE.get(self._sort_column, SortField.CREATED_AT),
            descending=self._descending,
            statuses=tuple(state.statuses),
            search=state.search,
            search_fields=tuple(state.search_fields),
            created_from=state.created_from,
            created_to=state.created_to,
        )

    def reload_list(self) -> None:
        """Start the list again from page 1 with the current filters and sort."""
        if not self.repository.has_list:
            return
        self.filter_bar.mark_sent(self.filter_bar.state())
        self.model.reset_for_query(self.current_query())

    def _filters_changed(self, _state: FilterState) -> None:
        self.reload_list()

    def _request_page(self, query: CaseQuery) -> None:
        if self._shut_down:
            return  # a page asked for by a timer that fired after the window closed
        self.runner.submit(
            fetch_packed_page,
            self.repository,
            query,
            channel=LIST_CHANNEL,
            on_result=self._page_arrived,
            on_error=lambda failure, query=query: self._page_failed(query, failure),
        )

    def _page_arrived(self, fetched: tuple[CasePage, PackedRows]) -> None:
        page, packed = fetched
        if getattr(page, "source", "network") == "cache":
            if page.query.page <= 1 or self._page_cached_at is None:
                self._page_cached_at = getattr(page, "cached_at", None)
        elif page.query.page <= 1:
            self._page_cached_at = None
        self.update_offline_state()
        if self.model.append_page(page, packed):
            self._reselect_if_needed()
            if self._select_first_when_loaded and self.view.hasFocus() and self.model.rowCount():
                self._select_first_when_loaded = False
                if not self.view.selectionModel().hasSelection():
                    self.select_row(0)
            self.page_loaded.emit(page)

    def _page_failed(self, query: CaseQuery, failure: TaskFailure) -> None:
        self._list_auth_failed = isinstance(failure.exception, errors.AuthError)
        self.update_offline_state()
        if self.model.page_failed(query, failure.message, failure.exception) and self.model.rowCount() > 0:
            self.show_message(f"Couldn't load more cases: {failure.message}")

    def _update_table_state(self) -> None:
        model = self.model
        rows = model.rowCount()
        if not self.repository.has_list:
            self.overlay.show_hint(
                "Open a case by ID or email (Ctrl+L)",
                "No case list service is configured for this connection.",
                action=("open_case", "Open case…"),
            )
        elif model.error_message is not None and rows == 0:
            fix = self._list_auth_failed and self.can_update_credentials
            self.overlay.show_error(model.error_message, action=("credentials", "Update credentials…") if fix else None)
        elif model.is_loading and rows == 0:
            self.overlay.show_loading()
        elif model.has_loaded_first_page and rows == 0:
            search = self.filter_bar.state().search
            if self.filter_bar.state().is_default:
                self.overlay.show_hint("No cases yet", "This customer has no cases.")
            elif search and lookup_kind(search) is LookupKind.SHORT_ID and self.repository.has_detail:
                # The list service cannot search by short ID; Open case can (among known cases).
                self.overlay.show_hint(
                    "No cases match these filters",
                    f"{search} looks like a short ID, which the case list cannot search by. "
                    "Open it with Open case (Ctrl+L).",
                    action=("open_short_id", "Open case…"),
                )
            else:
                self.overlay.show_empty()
        else:
            self.overlay.hide_state()
        text = model.count_text()
        if model.error_message is not None and rows > 0:
            text += " — couldn't load more"
        elif model.is_loading and rows > 0:
            text += " — loading more…"
        self.count_label.setText(text)
        self.more_retry_button.setVisible(model.error_message is not None and rows > 0)

    def _overlay_action(self, action: str) -> None:
        if action == "retry":
            self.model.retry()
        elif action == "clear_filters":
            self.filter_bar.clear()
        elif action == "open_case":
            self.show_open_dialog()
        elif action == "credentials":
            self.update_credentials()
        elif action == "open_short_id":
            self.show_open_dialog(self.filter_bar.state().search)

    # -- sorting ----------------------------------------------------------------------------

    def _sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        if column not in CaseTableModel.SORTABLE:
            self._show_sort_indicator()  # the service cannot sort by it: put the arrow back
            return
        if column == self._sort_column:
            descending = order == Qt.SortOrder.DescendingOrder
        else:
            descending = _FIRST_DIRECTION_DESCENDING[column]
        self._sort_column, self._descending = column, descending
        self._show_sort_indicator()
        self.reload_list()

    def _show_sort_indicator(self) -> None:
        order = Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder
        blocked = self.header.blockSignals(True)
        self.header.setSortIndicator(self._sort_column, order)
        self.header.blockSignals(blocked)

    def sort_by(self, column: int, descending: bool) -> None:
        """Sort the list on the service by a sortable column."""
        if column not in CaseTableModel.SORTABLE:
            raise ValueError(f"column {column} cannot be sorted by the service")
        self._sort_column, self._descending = column, descending
        self._show_sort_indicator()
        self.reload_list()

    # -- columns ----------------------------------------------------------------------------

    def _header_menu(self, pos) -> None:
        menu = QMenu(self)
        self._fill_columns_menu(menu)
        menu.popup(self.header.mapToGlobal(pos))

    def _fill_columns_menu(self, menu: QMenu) -> None:
        menu.clear()
        visible = [c for c in range(self.model.columnCount()) if not self.header.isSectionHidden(c)]
        for column, title in enumerate(CaseTableModel.HEADERS):
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(column in visible)
            action.setEnabled(not (column in visible and len(visible) == 1))  # keep one column
            action.toggled.connect(lambda on, c=column: self.set_column_visible(c, on))
        menu.addSeparator()
        menu.addAction("Reset columns", self.reset_columns)

    def set_column_visible(self, column: int, visible: bool) -> None:
        self.header.setSectionHidden(column, not visible)
        if visible and self.header.sectionSize(column) < 40:
            self.header.resizeSection(column, _DEFAULT_WIDTHS.get(column, 120))

    def reset_columns(self) -> None:
        for column in range(self.model.columnCount()):
            self.header.moveSection(self.header.visualIndex(column), column)
            self.header.setSectionHidden(column, column in CaseTableModel.HIDDEN_BY_DEFAULT)
            self.header.resizeSection(column, _DEFAULT_WIDTHS.get(column, 120))

    # -- selection and detail ---------------------------------------------------------------

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return  # a reset cleared the selection; the pane keeps what it shows
        row = current.row()
        selection = SelectedRow(row, self.model.case_id(row))
        if selection == self._selected:
            return
        self._selected = selection
        if self._selection_timer.isActive():
            # Rapid keying: restart the quiet period; only the row the reviewer stops on loads.
            self.pane.show_loading()
            self._selection_timer.start()
        else:
            # The first change after a pause (a click, one arrow press) loads at once and opens
            # the quiet period.
            self._load_selected()
            self._selection_timer.start()

    def _selection_settled(self) -> None:
        if self._selected is not None and self._selected != self._loaded_selection:
            self._load_selected()

    def _load_selected(self) -> None:
        selection = self._selected
        if selection is None:
            return
        self._loaded_selection = selection
        record = self.model.record(selection.row)
        if record is None:
            return
        self._load_detail(self.repository.open_case, record.id, record=record)

    def _load_detail(self, fn: Callable[..., CaseResult], *args: Any, **kwargs: Any) -> None:
        if self._shut_down:
            return
        self._detail_request = (fn, args, kwargs)
        self.pane.show_loading()
        self.runner.submit(fn, *args, channel=DETAIL_CHANNEL, on_result=self._show_result, on_error=self._detail_failed, **kwargs)

    def _show_result(self, result: CaseResult) -> None:
        self._detail_cached_at = result.fetched_at if result.source == "cache" else None
        self.update_offline_state()
        self.pane.show_case(result)
        self.detail_shown.emit(result)

    def _detail_failed(self, failure: TaskFailure) -> None:
        self.update_offline_state()
        # Retrying cannot find a case the service says does not exist.
        can_retry = self._detail_request is not None and not isinstance(failure.exception, errors.NotFound)
        self.pane.show_error(
            failure.message, can_retry=can_retry,
            fix_credentials=isinstance(failure.exception, errors.AuthError) and self.can_update_credentials,
        )
        self.detail_failed.emit(failure)

    # -- credentials (the profile bar supplies the dialog) -----------------------------------

    def set_credentials_handler(self, handler: Callable[[], Any] | None) -> None:
        """How to fix a rejected credential: open the profile's secrets (None: no saved profile)."""
        self._credentials_handler = handler
        self.update_credentials_action.setEnabled(handler is not None)

    @property
    def can_update_credentials(self) -> bool:
        return self._credentials_handler is not None

    def update_credentials(self) -> None:
        if self._credentials_handler is not None:
            self._credentials_handler()

    def retry_detail(self) -> None:
        """Run the last detail request again (the pane's Retry)."""
        if self._detail_request is None:
            return
        fn, args, kwargs = self._detail_request
        self._load_detail(fn, *args, **kwargs)

    def select_row(self, row: int) -> None:
        """Make a model row current (the view scrolls to it); loading follows as for a click."""
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.scrollTo(index)

    def step_case(self, delta: int) -> None:
        """Ctrl+. / Ctrl+,: the next (1) or previous (-1) case in the list, from anywhere.

        Counts from the table row the reviewer is on, else from the open case's row, else
        starts at the top. Loading follows as for a click; focus stays where it is.
        """
        rows = self.model.rowCount()
        if rows == 0:
            self.show_message("There is no case list to step through.", 4000)
            return
        current = self.view.selectionModel().currentIndex()
        if current.isValid() and self.view.selectionModel().isRowSelected(current.row()):
            row = current.row() + delta
        else:
            open_row = self.model.row_of(self.pane.current_case_id()) if self.pane.current_case_id() else None
            row = open_row + delta if open_row is not None else 0
        if not 0 <= row < rows:
            self.show_message("That was the last case in the list." if delta > 0 else "That was the first case in the list.", 4000)
            return
        self.select_row(row)

    def focus_results(self) -> None:
        """Enter or Down in the search box: go to the table, on its first row when none is chosen."""
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.model.rowCount() and not self.view.selectionModel().hasSelection():
            self.select_row(0)
        elif not self.model.rowCount():
            self._select_first_when_loaded = True

    def _reselect_if_needed(self) -> None:
        """After a refresh, highlight the open case again if it is back in the list (no reload)."""
        selected = self._selected
        if selected is None or self.view.selectionModel().hasSelection():
            return
        row = self.model.row_of(selected.case_id)
        if row is None:
            return
        # Marked as loaded: the pane already shows this case, so re-highlighting must not reload it.
        self._selected = self._loaded_selection = SelectedRow(row, selected.case_id)
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )

    def _lookup_request(self, lookup: CaseLookup, record=None):  # noqa: ANN001 - CaseRecord
        """(fn, args, kwargs) that load ``lookup``; the repository decides id / short id / email."""
        if lookup.kind == BY_EMAIL:
            return self.repository.open_case, (), {"email": lookup.value}
        return self.repository.open_reference, (lookup.value,), {"record": record}

    def open_case(self, lookup: CaseLookup) -> None:
        """Load a case by ID, short ID or submitter email into the pane (e.g. from Find in cached cases)."""
        if not self.repository.has_detail:
            # Only the list is configured: the list service can find a case by its ID.
            self.filter_bar.set_search(lookup.value, (SearchField.CASE_ID,))
            return
        self._selection_timer.stop()
        self._selected = self._loaded_selection = None
        self.view.selectionModel().clearSelection()
        row = self.model.row_of(lookup.value) if lookup.kind == BY_ID else None
        record = self.model.record(row) if row is not None else None
        fn, args, kwargs = self._lookup_request(lookup, record)
        self._load_detail(fn, *args, **kwargs)

    #: The profile this window shows ("" for the demo or flags only), for deep links.
    profile_name = ""

    def open_link(self, link) -> None:  # noqa: ANN001 - core.deeplink.DeepLink
        """A caseviewer:// link (the command line, or a second launch): open its case here."""
        if link.profile and self.profile_name and link.profile != self.profile_name:
            self.show_message(f"That link is for the profile \u201c{link.profile}\u201d; this window shows "
                              f"\u201c{self.profile_name}\u201d. Quit and start caseviewer with that link to open it there.")
        else:
            self.open_case(CaseLookup(BY_ID, link.case_id))
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def show_open_dialog(self, text: str = "") -> OpenCaseDialog:
        dialog = OpenCaseDialog(self, allow_email=self.repository.has_detail)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if text:
            dialog.edit.setText(text)
        dialog.lookup_requested.connect(lambda lookup: self._look_up_for_dialog(dialog, lookup))
        dialog.finished.connect(lambda _code: self.runner.cancel(LOOKUP_CHANNEL))
        dialog.open()
        return dialog

    def _look_up_for_dialog(self, dialog: OpenCaseDialog, lookup: CaseLookup) -> None:
        """Ctrl+L: look the case up while the dialog waits; the pane and the table's selection
        change only once it is found, and a failure is told in the dialog (no pointless Retry)."""
        if self._shut_down:
            return
        if not self.repository.has_detail:
            dialog.found()
            self.open_case(lookup)
            return
        row = self.model.row_of(lookup.value) if lookup.kind == BY_ID else None
        request = self._lookup_request(lookup, self.model.record(row) if row is not None else None)
        fn, args, kwargs = request
        self.runner.submit(
            fn, *args, channel=LOOKUP_CHANNEL,
            on_result=lambda result: self._looked_up(dialog, request, result),
            on_error=lambda failure: (self.update_offline_state(), dialog.show_failure(failure.message)),
            **kwargs,
        )

    def _looked_up(self, dialog: OpenCaseDialog, request, result: CaseResult) -> None:  # noqa: ANN001
        dialog.found()
        self._selection_timer.stop()
        self.runner.cancel(DETAIL_CHANNEL)  # a row's case still loading must not replace this one
        self._detail_request = request
        self.view.selectionModel().clearSelection()
        self._selected = self._loaded_selection = None
        row = self.model.row_of(result.case_id) if result.case_id else None
        if row is not None:
            # Highlight its row (without loading it again), so Ctrl+. / Ctrl+, carry on from it.
            self._selected = self._loaded_selection = SelectedRow(row, result.case_id)
            index = self.model.index(row, 0)
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
            self.view.scrollTo(index)
        self._show_result(result)

    def refresh(self) -> None:
        """F5: the list from page 1 and the open case again.

        While the services are unreachable, Refresh first asks whether they are back (the probe
        reloads on success); the cached copy is shown again meanwhile. While working offline by
        choice it re-reads the cache only.
        """
        if self.repository.offline_reason == REASON_UNREACHABLE:
            self.probe_now()
        self.reload_list()
        if self._detail_request is not None:
            self.retry_detail()
        self.show_message("Refreshing from the offline cache…" if self.repository.is_offline else "Refreshing…", 2000)

    # -- offline ----------------------------------------------------------------------------

    @property
    def is_offline(self) -> bool:
        return self.repository.is_offline

    def _report_cache_write_failure(self) -> None:
        """A failed write-through (full disk, quota) never fails the read; say it once in the status bar."""
        failure = getattr(self.repository, "last_cache_error", None)
        if failure is not None and failure is not getattr(self, "_reported_cache_error", None):
            self._reported_cache_error = failure
            self.show_message(f"Not saved to the offline cache: {failure.message}")

    def update_offline_state(self) -> None:
        """Banner, probe timer and action states after anything that may have changed them.

        Reads the repository's two flags (plain bools) on the GUI thread; it never does I/O here.
        """
        self._report_cache_write_failure()
        reason = self.repository.offline_reason
        offline = bool(reason)
        if offline:
            cached_at = self._page_cached_at or self._detail_cached_at
            self.banner.show_offline(reason, cached_at)
            if not self._banner_timer.isActive():
                self._banner_timer.start()
        else:
            self.banner.hide_banner()
            self._banner_timer.stop()
            self._page_cached_at = self._detail_cached_at = None
        if reason == REASON_UNREACHABLE:
            if not self.probe_timer.isActive():
                self.probe_timer.start()
        else:
            self.probe_timer.stop()
            if reason:  # working offline by choice: a probe's answer no longer matters
                self.runner.cancel(PROBE_CHANNEL)
            # Back online: a probe in flight is kept. It may be the one that cleared "unreachable"
            # (on its worker, before its answer got here); its answer reloads from the services.
            self.banner.set_probing(False)
        chosen = reason == "chosen"
        if self.work_offline_action.isChecked() != chosen and self.runner.current_request_id(OFFLINE_CHANNEL) is None:
            blocked = self.work_offline_action.blockSignals(True)
            self.work_offline_action.setChecked(chosen)
            self.work_offline_action.blockSignals(blocked)
        self._update_action_states()

    def _update_action_states(self) -> None:
        offline = self.repository.is_offline
        cached = has_cache(self.repository)
        self.refresh_action.setToolTip(
            "Reload the case list and the open case from the offline cache (F5); the case service is "
            "tried again when it could not be reached" if offline else "Reload the case list and the open case (F5)"
        )
        self.work_offline_action.setEnabled(cached)
        self.work_offline_action.setToolTip(
            "Read cases from the offline cache only (Ctrl+Shift+O)" if cached else self.cache_unavailable_reason
        )
        syncing = self._sync_dialog is not None and self._sync_dialog.running
        if not cached:
            for action in (self.sync_action, self.clear_cache_action, self.find_cached_action, self.purge_action):
                action.setEnabled(False)
                action.setToolTip(self.cache_unavailable_reason)
                action.setStatusTip(self.cache_unavailable_reason)
        else:
            self.sync_action.setEnabled(not offline and self.repository.has_list)
            tip = (
                NEEDS_NETWORK_TIP if offline
                else "Fetch every case into the encrypted offline cache" if self.repository.has_list
                else "Needs the case list service: it is how the cases are found"
            )
            self.sync_action.setToolTip(tip)
            self.sync_action.setStatusTip(tip)
            self.clear_cache_action.setEnabled(not syncing)
            for action, usual in (
                (self.find_cached_action, "Find cases by any word in their cached content (Ctrl+Shift+F)"),
                (self.purge_action, "Remove cached cases not refreshed for a number of days"),
            ):
                action.setEnabled(True)
                action.setToolTip(usual)
                action.setStatusTip(usual)
            tip = "Remove every case kept in the offline cache"
            if syncing:
                tip = "Wait for the sync to finish first"
            elif self._cache_size is not None:
                tip += f" ({format_bytes(self._cache_size)} on disk)"
            self.clear_cache_action.setToolTip(tip)
            self.clear_cache_action.setStatusTip(tip)
        if cached:
            size = "…" if self._cache_size is None else format_bytes(self._cache_size)
            self.cache_label.setText(f"Cache {size}")
            self.cache_label.setToolTip(f"Encrypted offline cache on disk: {size}")
        else:
            self.cache_label.setText("No cache")
            self.cache_label.setToolTip(self.cache_unavailable_reason)

    def set_work_offline(self, offline: bool) -> None:
        """Work from the cache only (True) or use the services again (False); on a worker."""
        blocked = self.work_offline_action.blockSignals(True)
        self.work_offline_action.setChecked(offline)
        self.work_offline_action.blockSignals(blocked)
        if self._shut_down:
            return
        if not has_cache(self.repository) and offline:
            self.work_offline_action.setChecked(False)
            self.show_message(self.cache_unavailable_reason)
            return
        self.runner.submit(
            self.repository.set_offline,
            offline,
            channel=OFFLINE_CHANNEL,
            pass_cancel=False,
            on_result=lambda _none, offline=offline: self._offline_set(offline),
            on_error=lambda failure: (self.show_message(failure.message), self.update_offline_state()),
        )

    def _offline_set(self, offline: bool) -> None:
        self.update_offline_state()
        self.show_message("Working offline: showing the offline cache." if offline else "Back online.", 4000)
        self._reload_everything()

    def _reload_everything(self) -> None:
        self.reload_list()
        if self._detail_request is not None:
            self.retry_detail()

    def probe_now(self) -> None:
        """Ask (on a worker) whether the services answer again; on success reload from them.

        A newer probe supersedes an older one, whose answer is dropped.
        """
        if self._shut_down or self.repository.offline_reason != REASON_UNREACHABLE:
            return
        self.banner.set_probing(True)
        self.runner.submit(
            self.repository.probe, channel=PROBE_CHANNEL, on_result=self._probed, on_error=self._probe_failed
        )

    def _probed(self, reachable: bool) -> None:
        self.banner.set_probing(False)
        self.update_offline_state()
        if reachable and not self.repository.is_offline:
            self.show_message("The case service answers again: back online.", 4000)
            self._reload_everything()

    def _probe_failed(self, failure: TaskFailure) -> None:
        self.banner.set_probing(False)
        self.update_offline_state()

    # -- offline cache ----------------------------------------------------------------------

    def update_cache_size(self) -> None:
        """Read the cache's size on a worker; shown in the status bar and the sync dialog."""
        if not has_cache(self.repository) or self._shut_down:
            self._update_action_states()
            return
        self.runner.submit(cache_size, self.repository, channel=CACHE_CHANNEL, on_result=self._cache_size_known)

    def _cache_size_known(self, size: int | None) -> None:
        self._cache_size = size
        if self._sync_dialog is not None:
            self._sync_dialog.set_cache_size(size)
        self._update_action_states()

    def show_sync_dialog(self) -> SyncDialog | None:
        if not self.sync_action.isEnabled():
            self.show_message(self.sync_action.toolTip())
            return None
        if self._sync_dialog is not None:
            self._sync_dialog.raise_()
            self._sync_dialog.activateWindow()
            return self._sync_dialog
        from caseviewer.ui.sync_dialog import SyncDialog

        dialog = SyncDialog(self.repository, self.runner, self)
        dialog.started_sync.connect(self._update_action_states)
        dialog.cache_changed.connect(self.update_cache_size)  # the size grows while it runs
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.set_cache_size(self._cache_size)
        dialog.finished_sync.connect(self._sync_finished)
        dialog.finished.connect(lambda _code: self._sync_dialog_closed(dialog))
        self._sync_dialog = dialog
        dialog.open()
        self._update_action_states()
        return dialog

    def _sync_dialog_closed(self, dialog: SyncDialog) -> None:
        if self._sync_dialog is dialog:
            self._sync_dialog = None
        self._update_action_states()

    def _sync_finished(self, _report: object) -> None:
        self.update_offline_state()
        self.update_cache_size()

    def confirm_clear_cache(self) -> QMessageBox | None:
        if not self.clear_cache_action.isEnabled():
            self.show_message(self.clear_cache_action.toolTip())
            return None
        size = "" if self._cache_size is None else f" ({format_bytes(self._cache_size)})"
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Clear offline cache",
            f"Remove every case kept in the offline cache{size}?\n\n"
            "Cases can then be read only while the case service can be reached, until they are "
            "opened or made available offline again.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("clearCacheConfirm")
        clear = box.addButton("Clear cache", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self.clear_offline_cache() if button is clear else None)
        box.open()
        return box

    def clear_offline_cache(self) -> None:
        """Empty the cache on a worker (no confirmation: see ``confirm_clear_cache``)."""
        if not has_cache(self.repository) or self._shut_down:
            return
        self.runner.submit(
            clear_cache,
            self.repository,
            channel=CACHE_CHANNEL,
            on_result=self._cache_cleared,
            on_error=lambda failure: self.show_message(f"Couldn't clear the offline cache: {failure.message}"),
        )

    def show_text_search(self):
        """Find in cached cases (FTS over the offline cache); choosing a hit opens it in the pane."""
        if not has_cache(self.repository):
            self.show_message(self.cache_unavailable_reason)
            return None
        from caseviewer.ui.text_search_dialog import TextSearchDialog

        dialog = TextSearchDialog(self.runner, self.repository, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.case_chosen.connect(lambda case_id: self.open_case(CaseLookup(BY_ID, case_id)))
        dialog.show()
        return dialog

    def ask_purge_days(self) -> None:
        """Ask for N days (remembered), then purge cached cases older than that on a worker."""
        if not has_cache(self.repository):
            self.show_message(self.cache_unavailable_reason)
            return
        days, accepted = QInputDialog.getInt(
            self,
            "Purge old cached cases",
            "Remove cached cases not refreshed for this many days\n(also done at every start; 0 = never):",
            self.settings.purge_days(),
            0,
            3650,
        )
        if accepted:
            self.settings.save_purge_days(days)
            self.purge_cached(days)

    def purge_cached(self, days: int) -> None:
        if days <= 0 or not has_cache(self.repository) or self._shut_down:
            return
        self.runner.submit(
            purge_cache,
            self.repository,
            days,
            channel=CACHE_CHANNEL + "-purge",
            on_result=self._cache_purged,
            on_error=lambda failure: self.show_message(failure.message),
        )

    def _cache_purged(self, outcome: tuple[int, int | None]) -> None:
        removed, size = outcome
        self._cache_size_known(size)
        self.show_message(f"Purged {removed:,} old cached case{'s' if removed != 1 else ''}.", 4000)

    def _cache_cleared(self, size: int | None) -> None:
        self._cache_size_known(size)
        self.show_message("The offline cache is empty.", 4000)
        if self.repository.is_offline:
            self._reload_everything()

    # -- help -------------------------------------------------------------------------------

    def shortcut_actions(self) -> list[QAction]:
        """Every action whose shortcut the sheet lists: the window's, then the attachment actions."""
        actions = list(self.actions())
        pane_actions = getattr(self.pane, "actions", None)
        if pane_actions is not None:
            for action in (pane_actions.save_action, pane_actions.save_all_action, pane_actions.open_action):
                action.setProperty("sheetGroup", "Attachments")
                actions.append(action)
        return actions

    def show_shortcuts(self) -> QMessageBox:
        """F1: the sheet, generated from the actions themselves (see ui/actions.py)."""
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts",
                          shortcut_sheet_html(shortcut_rows(self.shortcut_actions())),
                          QMessageBox.StandardButton.Close, self)
        box.setObjectName("shortcutSheet")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def show_about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "About caseviewer",
            f"caseviewer {__version__}\nA case browser for case reviewers.\n\nQt {qVersion()}, PySide6 {pyside_version}",
            QMessageBox.StandardButton.Close,
            self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- settings and shutdown --------------------------------------------------------------

    def _restore_settings(self) -> None:
        if not self.settings.restore_window(self, self.splitter):
            self.resize(1280, 800)
        self.settings.restore_table(self.header)
        column, descending = self.settings.table_sort(CaseTableModel.COL_CREATED, True)
        if column in CaseTableModel.SORTABLE:
            self._sort_column, self._descending = column, descending
        self._show_sort_indicator()

    def save_settings(self) -> None:
        self.settings.save_window(self, self.splitter)
        self.settings.save_table(self.header, self._sort_column, self._descending)
        self.settings.sync()

    def shutdown(self) -> None:
        """Stop all work: cancel requests, close the clients (wakes back-off), join threads."""
        if self._shut_down:
            return
        self._shut_down = True
        self._selection_timer.stop()
        self.probe_timer.stop()
        self._banner_timer.stop()
        self.triage_refresh.stop()
        self.runner.cancel_all()
        if self._sync_dialog is not None and self._sync_dialog.running:
            self._sync_dialog.stop_and_wait(0)  # sets its cancel event; the join below waits
        # Close the clients first: that wakes requests in flight and back-off sleeps. The cache is
        # closed only once no worker can still be writing to it (closing a SQLCipher connection
        # under a running statement crashes the process); a straggler keeps it open until exit.
        self.repository.api.close()
        if self.runner.shutdown(timeout=SHUTDOWN_TIMEOUT_S + (SYNC_STOP_TIMEOUT_S if self._sync_running() else 0)):
            self.repository.close()

    def _sync_running(self) -> bool:
        return self._sync_dialog is not None and self._sync_dialog.running

    @guarded
    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)


__all__ = ["CrashDialog", "MainWindow", "crash_report"]
