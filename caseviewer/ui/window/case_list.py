"""The case table: its query (filters and sort), its model, columns and state overlay.

Two models serve the one table, by where the list comes from:

* online, ``CaseTableModel`` (``ui/case_list/case_table_model.py``) lists the service's pages: it
  asks for pages (``page_requested``); this controller runs them on the "list" channel and hands
  the answers back (``append_page`` / ``page_failed``);
* offline, ``StoreTableModel`` (``ui/case_list/store_table_model.py``) lists every cached case
  of the customer at once and reads rows a window at a time from the cache.

``reload_list`` picks the model for where the list comes from now and swaps it in keeping the
columns (order, widths, hidden ones) and the sort; ``model_changed`` tells the parts that follow
the model's rows (selection, views bar). A new query supersedes the answers of the old one.
Sorting and filtering happen where the rows are (service or cache SQL; no proxy model).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseviewer.core import errors, heap
from caseviewer.core.cached_list import CachedList
from caseviewer.core.query import CasePage, CaseQuery, SortField
from caseviewer.core.packed_rows import PackedRows, pack_records
from caseviewer.core.lookup import LookupKind, lookup_kind
from caseviewer.core.repository import CaseRepository
from caseviewer.ui import accessible
from caseviewer.ui.case_list.case_table_model import CaseTableModel
from caseviewer.ui.case_list.store_table_model import StoreTableModel
from caseviewer.ui.case_list.column_widths import BusinessFloor, default_width, lay_out_columns
from caseviewer.ui.case_list.filter_bar import FilterState
from caseviewer.ui.case_list.table_view import CaseTableView, row_height, set_up_case_view
from caseviewer.ui.case_list.table_states import TableStateOverlay
from caseviewer.ui.workers import TaskFailure, cancellable

if TYPE_CHECKING:
    from caseviewer.ui.window.main_window import MainWindow

LIST_CHANNEL = "list"
DEFAULT_PAGE_SIZE = 100

#: Natural first direction when a sortable header is clicked: newest first, names A→Z.
_FIRST_DIRECTION_DESCENDING = {CaseTableModel.COL_CREATED: True, CaseTableModel.COL_BUSINESS: False}


class TriageShown(NamedTuple):
    """How many rows a triage view shows: online, of the rows loaded (it hides the others);
    offline, the store's rows (the store lists only the view's)."""

    label: str  # what the shown rows are: "new", "updated", "flagged"
    count: int
    #: Online: the view stopped loading pages on its own and more of the list can load
    #: ("Keep looking" asks for more).
    paused: bool = False


def fetch_packed_page(repository: CaseRepository, query: CaseQuery, *, cancel=None) -> tuple[CasePage, PackedRows]:
    """Worker side of a list page: fetch it and pack its records for the table model."""
    heap.give_back()  # the last page's parse is freed by now: its memory goes back (core/heap.py)
    page = repository.list_page(query, cancel=cancel)
    return page, pack_records(page.records)




class CaseListController(QObject):
    """Builds the table (``model``, ``view``, ``header``, ``overlay``) and keeps it filled."""

    #: The table now shows this model (the paged one or the store one).
    model_changed = Signal(object)
    #: The shown list's state changed (loading, loaded, failed), whichever model shows it.
    list_state_changed = Signal()
    #: Offline: the first rows of the cached list are shown (how many cases it lists). Online
    #: lists tell with the window's ``page_loaded``.
    cached_list_shown = Signal(int)

    def __init__(self, window: MainWindow, *, page_size: int = DEFAULT_PAGE_SIZE) -> None:
        super().__init__(window)
        self.window = window
        self.page_size = page_size
        self._triage_marks = None  # the triage controller's marks, given to every model
        self._cached_list = CachedList.of(window.repository)
        self.store_model: StoreTableModel | None = None  # built the first time the list is offline
        self.sort_column = CaseTableModel.COL_CREATED
        self.descending = True
        self._list_auth_failed = False  # the list's last failure was a rejected credential
        self._channel = window.runner.channel(LIST_CHANNEL, self)
        #: What the current triage view shows (None without one); the views bar
        #: (ui/triage/views.py) answers it, for the count line and the empty state.
        self.triage_shown: Callable[[], TriageShown | None] = lambda: None
        self._build_table()
        self._build_area()

    # -- construction -----------------------------------------------------------------------


    def fit_rows_to_font(self, _percent: int = 0) -> None:
        """Row height and column widths from the text's size, again after a zoom (ui/zoom.py)."""
        self.view.verticalHeader().setDefaultSectionSize(row_height())
        lay_out_columns(self.header)

    @property
    def model(self) -> CaseTableModel:
        """The model the table shows now."""
        return self._model

    @property
    def shows_store(self) -> bool:
        """The table lists the offline cache (every cached case, a window at a time)."""
        return self._model is self.store_model

    def set_triage_marks(self, marks) -> None:  # noqa: ANN001 - TriageMarks
        """The marks every model draws (read state, flags), whichever is shown."""
        self._triage_marks = marks
        for model in (self.paged_model, self.store_model):
            if model is not None:
                model.set_triage_marks(marks)

    def _store(self) -> StoreTableModel:
        if self.store_model is None:
            assert self._cached_list is not None
            model = StoreTableModel(self.window.runner, self._cached_list, self.window)
            model.state_changed.connect(self._state_changed)
            model.head_loaded.connect(self._head_loaded)
            if self._triage_marks is not None:
                model.set_triage_marks(self._triage_marks)
            self.store_model = model
        return self.store_model

    def _wants_store(self) -> bool:
        return self._cached_list is not None and self.window.repository.is_offline

    def _use(self, model: CaseTableModel) -> None:
        """Show ``model`` in the table, keeping the columns as they are; the other is emptied."""
        if model is self._model:
            return
        old, columns = self._model, self.header.saveState()
        self._model = model
        self.view.setModel(model)
        self.header.restoreState(columns)
        self.show_sort_indicator()
        old.clear()
        self.model_changed.emit(model)

    def _state_changed(self) -> None:
        if self.sender() is self._model:
            self.update_table_state()
            self.list_state_changed.emit()

    def _build_table(self) -> None:
        self.paged_model = CaseTableModel(self.window)
        self._model = self.paged_model
        self.paged_model.page_requested.connect(self._request_page)
        self.paged_model.state_changed.connect(self._state_changed)

        view = CaseTableView()
        view.setObjectName("caseTable")
        accessible.name(view, "Cases", "The case list; Enter or the arrow keys open a case")
        # No sort/filter proxy: the service sorts and filters, and with 100,000 rows a proxy only
        # doubles the calls into Python per painted cell.
        view.setModel(self.model)
        set_up_case_view(view)  # as the benchmarks time it; a header click asks the service (_sort_requested)

        header = view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sortIndicatorChanged.connect(self._sort_requested)
        lay_out_columns(header)
        for column in CaseTableModel.HIDDEN_BY_DEFAULT:
            header.hideSection(column)
        self.business_floor = BusinessFloor(header)  # a narrow table scrolls rather than squeeze it
        self.view = view
        self.header = header

        self.overlay = TableStateOverlay(view)
        self.overlay.action_triggered.connect(self._overlay_action)

    def _build_area(self) -> None:
        """The table with its footer (count, Retry for the rest); ``table_layout`` takes the views bar."""
        self.count_label = QLabel()
        self.count_label.setObjectName("caseCount")
        self.more_retry_button = QPushButton("Retry")
        self.more_retry_button.setToolTip("Load the rest of the list again")
        self.more_retry_button.clicked.connect(lambda: self.model.retry())
        self.more_retry_button.hide()
        self.keep_looking_button = QPushButton("Keep looking")
        self.keep_looking_button.setToolTip("Look through more of the list for the cases this view shows")
        self.keep_looking_button.clicked.connect(lambda: self.window.views_bar.keep_looking())
        # Its place is kept while hidden: the table's height must not change as it comes and
        # goes (it comes when the table is scrolled to its end, which a shorter table is not).
        policy = self.keep_looking_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.keep_looking_button.setSizePolicy(policy)
        self.keep_looking_button.hide()
        footer = QHBoxLayout()
        footer.setContentsMargins(2, 0, 2, 0)
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.keep_looking_button)
        footer.addWidget(self.more_retry_button)

        self.area = QWidget()
        self.table_layout = QVBoxLayout(self.area)
        self.table_layout.setContentsMargins(0, 0, 0, 0)
        self.table_layout.setSpacing(4)
        self.table_layout.addWidget(self.view, 1)
        self.table_layout.addLayout(footer)

    # -- the list ---------------------------------------------------------------------------

    def current_query(self) -> CaseQuery:
        state = self.window.filter_bar.state()
        return CaseQuery(
            items_per_page=self.page_size,
            sort_field=CaseTableModel.SORTABLE.get(self.sort_column, SortField.CREATED_AT),
            descending=self.descending,
            statuses=tuple(state.statuses),
            search=state.search,
            search_fields=tuple(state.search_fields),
            created_from=state.created_from,
            created_to=state.created_to,
        )

    def reload_list(self) -> None:
        """Start the list again from page 1 with the current filters and sort."""
        if not self.window.repository.has_list:
            return
        self.window.filter_bar.mark_sent(self.window.filter_bar.state())
        self._use(self._store() if self._wants_store() else self.paged_model)
        self.model.reset_for_query(self.current_query())

    def filters_changed(self, _state: FilterState) -> None:
        self.reload_list()

    def _request_page(self, query: CaseQuery) -> None:
        if self.window.closed:
            return  # a page asked for by a timer that fired after the window closed
        self._channel.submit(
            cancellable(fetch_packed_page, self.window.repository, query),
            on_result=self._page_arrived,
            on_error=lambda failure, query=query: self._page_failed(query, failure),
        )

    def _page_arrived(self, fetched: tuple[CasePage, PackedRows]) -> None:
        page, packed = fetched
        if page.provenance.from_cache and page.query.page <= 1 and self._wants_store():
            # The service did not answer, so this page came from the cache: list the whole
            # cache instead (the store model), for this query.
            self.window.offline.update_offline_state()
            self.reload_list()
            return
        self.window.offline.page_arrived(page)
        if self.paged_model.append_page(page, packed):
            self.window.selection.page_accepted()
            self.window.page_loaded.emit(page)

    def _page_failed(self, query: CaseQuery, failure: TaskFailure) -> None:
        self._list_auth_failed = isinstance(failure.exception, errors.AuthError)
        self.window.offline.update_offline_state()
        if self.paged_model.page_failed(query, failure.message, failure.exception) and self.paged_model.rowCount() > 0:
            self.window.show_message(f"Couldn't load more cases: {failure.message}")

    def update_table_state(self) -> None:
        """The overlay (loading, error, empty, hints) and the count line, from the list's state."""
        model = self.model
        rows = model.rowCount()
        shown = self.triage_shown()
        visible = rows if shown is None else shown.count
        repository, filter_bar = self.window.repository, self.window.filter_bar
        if not repository.has_list:
            self.overlay.show_hint(
                "Open a case by ID or email (Ctrl+L)",
                "No case list service is configured for this connection.",
                action=("open_case", "Open case…"),
            )
        elif model.error_message is not None and visible == 0:
            fix = self._list_auth_failed and self.window.can_update_credentials
            self.overlay.show_error(model.error_message, action=("credentials", "Update credentials…") if fix else None)
        elif model.is_loading and visible == 0:
            self.overlay.show_loading()
        elif model.has_loaded_first_page and rows == 0 and not (shown is not None and self.shows_store):
            # (Offline a triage view's rows are the store's rows: none means none in the view.)
            search = filter_bar.state().search
            if filter_bar.state().is_default:
                self.overlay.show_hint("No cases yet", "This customer has no cases.")
            elif search and lookup_kind(search) is LookupKind.SHORT_ID and repository.has_detail:
                # The list service cannot search by short ID; Open case can (among known cases).
                self.overlay.show_hint(
                    "No cases match these filters",
                    f"{search} looks like a short ID, which the case list cannot search by. "
                    "Open it with Open case (Ctrl+L).",
                    action=("open_short_id", "Open case…"),
                )
            else:
                self.overlay.show_empty()
        elif shown is not None and visible == 0 and shown.paused:
            self.overlay.show_hint(
                f"No {shown.label} cases among the first {rows:,}",
                f"None of the first {rows:,} of {max(model.total_items or 0, rows):,} cases is {shown.label}.",
                action=("keep_looking", "Keep looking"),
            )
        elif shown is not None and visible == 0 and model.has_more_pages() and not self.shows_store:
            self.overlay.show_loading()  # the views bar asks for the next page (none shown yet)
        elif shown is not None and visible == 0 and model.has_loaded_first_page:
            among = "No cached case in this list" if self.shows_store else f"None of the {rows:,} cases in this list"
            self.overlay.show_hint(f"No {shown.label} cases", f"{among} is {shown.label}.",
                                   action=("all_cases", "Show all cases"))
        else:
            self.overlay.hide_state()
        text = model.count_text() if shown is None or model.total_items is None else self._triage_count_text(shown)
        if model.error_message is not None and rows > 0:
            text += " — couldn't load more"
        elif model.is_loading and rows > 0:
            text += " — loading more…"
        self.count_label.setText(text)
        self.more_retry_button.setVisible(model.error_message is not None and rows > 0)
        self.keep_looking_button.setVisible(shown is not None and shown.paused and model.error_message is None)

    def _triage_count_text(self, shown: TriageShown) -> str:
        """"3 flagged of 250 cases", "… among the first 100 of 250" while more can load; offline
        "3 flagged cached cases" (the store lists only the view's)."""
        model = self.model
        if self.shows_store:
            return f"{shown.count:,} {shown.label} cached {'case' if shown.count == 1 else 'cases'}"
        total = max(model.total_items or 0, model.rowCount())
        noun = "case" if total == 1 else "cases"
        if model.has_more_pages() or model.is_loading:
            return f"{shown.count:,} {shown.label} among the first {model.rowCount():,} of {total:,} {noun}"
        return f"{shown.count:,} {shown.label} of {total:,} {noun}"

    def _head_loaded(self, total: int) -> None:
        """The store model's first rows are shown: as a first page is, for the banner and selection."""
        if self.shows_store:
            self.window.offline.list_cached_at(self.store_model.cached_at)
            self.window.selection.page_accepted()
            self.cached_list_shown.emit(total)

    def _overlay_action(self, action: str) -> None:
        if action == "retry":
            self.model.retry()
        elif action == "clear_filters":
            self.window.filter_bar.clear()
        elif action == "open_case":
            self.window.selection.show_open_dialog()
        elif action == "credentials":
            self.window.update_credentials()
        elif action == "all_cases":
            self.window.views_bar.select_all_cases()
        elif action == "keep_looking":
            self.window.views_bar.keep_looking()
        elif action == "open_short_id":
            self.window.selection.show_open_dialog(self.window.filter_bar.state().search)

    # -- sorting ----------------------------------------------------------------------------

    def _sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        if column not in CaseTableModel.SORTABLE:
            self.show_sort_indicator()  # the service cannot sort by it: put the arrow back
            return
        if column == self.sort_column:
            descending = order == Qt.SortOrder.DescendingOrder
        else:
            descending = _FIRST_DIRECTION_DESCENDING[column]
        self.sort_column, self.descending = column, descending
        self.show_sort_indicator()
        self.reload_list()

    def show_sort_indicator(self) -> None:
        order = Qt.SortOrder.DescendingOrder if self.descending else Qt.SortOrder.AscendingOrder
        blocked = self.header.blockSignals(True)
        self.header.setSortIndicator(self.sort_column, order)
        self.header.blockSignals(blocked)

    def sort_by(self, column: int, descending: bool) -> None:
        """Sort the list on the service by a sortable column."""
        if column not in CaseTableModel.SORTABLE:
            raise ValueError(f"column {column} cannot be sorted by the service")
        self.sort_column, self.descending = column, descending
        self.show_sort_indicator()
        self.reload_list()

    # -- columns ----------------------------------------------------------------------------

    def _header_menu(self, pos) -> None:
        menu = QMenu(self.window)
        self.fill_columns_menu(menu)
        menu.popup(self.header.mapToGlobal(pos))

    def fill_columns_menu(self, menu: QMenu) -> None:
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
            self.header.resizeSection(column, default_width(column))

    def reset_columns(self) -> None:
        for column in range(self.model.columnCount()):
            self.header.moveSection(self.header.visualIndex(column), column)
            self.header.setSectionHidden(column, column in CaseTableModel.HIDDEN_BY_DEFAULT)
        lay_out_columns(self.header)

    def stop(self) -> None:
        """Start no more list work (the window is shutting down)."""
        if self.store_model is not None:
            self.store_model.stop()

    def close(self) -> None:
        """Let go of the store model's cache connection (no worker may still be using it)."""
        if self.store_model is not None:
            self.store_model.close()

    # -- settings ---------------------------------------------------------------------------

    def restore(self, settings) -> None:  # noqa: ANN001 - UiSettings
        restored = settings.restore_table(self.header)
        # A saved layout brings widths and order; the modes are this version's (the business
        # name stretches), and without one the widths are measured from the font.
        lay_out_columns(self.header, resize=not restored)
        column, descending = settings.table_sort(CaseTableModel.COL_CREATED, True)
        if column in CaseTableModel.SORTABLE:
            self.sort_column, self.descending = column, descending
        self.show_sort_indicator()

    def save(self, settings) -> None:  # noqa: ANN001 - UiSettings
        settings.save_table(self.header, self.sort_column, self.descending)


__all__ = ["DEFAULT_PAGE_SIZE", "LIST_CHANNEL", "CaseListController", "fetch_packed_page"]
