"""Saved views above the case table: a combo of views and a menu to save, rename, reorder, delete.

The built-ins (All cases, New, Updated since I looked, Flagged, one per status group) come first;
the reviewer's own follow. Choosing a view sets the filter bar (statuses, dates, scope), the sort
and the columns; its triage filter hides the loaded rows that are not new / updated / flagged
(the services cannot filter by the reviewer's own state, so online this works over the rows loaded
so far, and the count beside a triage view is of those rows). Online the bar also asks for the next
page while the shown rows leave the table unfilled or the reviewer scrolls to the end (Qt would
ask only when the list's last row, hidden, came into view), and tells the count line and the empty
state what the view shows (``triage_shown``). While the rows leave the table unfilled it looks
through ``SCAN_CASES`` cases at most on its own, then stops and offers "Keep looking"
(``keep_looking``): a view with few matches on a 100,000-case list would otherwise ask for every
page of it (1,000 requests at 100 a page). Offline the table lists the cache,
which holds the reviewer's state beside the list: the triage view is then part of the model's
SQL (``StoreTableModel.set_triage_view``) and the counts are counts of every cached case. Views
and the selected one are kept in ``ui.ini`` (``core/views.py``: no search text, so no case data)
and restored at start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QLabel, QMenu, QPushButton, QWidget

from caseviewer.core import views as core_views
from caseviewer.core.models import LIST_STATUS_CODES
from caseviewer.core.views import SavedView, TriageFilter
from caseviewer.ui.case_list.status_chip import GROUPS, status_group
from caseviewer.ui.triage.view_counts import TriageTally, in_view
from caseviewer.ui.window.case_list import TriageShown

if TYPE_CHECKING:
    from caseviewer.ui.window.main_window import MainWindow

#: After the reviewer's marks change offline, the triage counts are read again this much later.
RECOUNT_DELAY_MS = 300
#: Online, how many cases a triage view looks through on its own (a page at a time) while its
#: rows leave the table unfilled, before it stops and offers "Keep looking".
SCAN_CASES = 2_000

#: What the rows a triage view shows are, in the count line ("3 flagged of 250 cases").
_SHOWN_LABEL = {TriageFilter.NEW: "new", TriageFilter.UPDATED: "updated", TriageFilter.FLAGGED: "flagged"}


def builtin_views() -> tuple[SavedView, ...]:
    views = [
        SavedView("All cases", builtin=True),
        SavedView("New", triage=TriageFilter.NEW, builtin=True),
        SavedView("Updated since I looked", triage=TriageFilter.UPDATED, builtin=True),
        SavedView("Flagged", triage=TriageFilter.FLAGGED, builtin=True),
    ]
    for group in GROUPS:
        ids = tuple(sid for sid, code in sorted(LIST_STATUS_CODES.items()) if status_group(code) is group)
        if ids:
            views.append(SavedView(group.name, statuses=ids, builtin=True))
    return tuple(views)


class ViewsBar(QWidget):
    """The view chooser of one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.builtins = builtin_views()
        self.own: tuple[SavedView, ...] = core_views.decode(window.settings.saved_views())
        self._applying = False
        model = window.case_list.paged_model
        # Online, counts and hidden rows follow the table row by row (a full pass per page or per
        # read-state answer cost a second on the GUI thread with 100,000 rows listed).
        self.tally = TriageTally(lambda row: window.triage.marks.get(model.case_id(row)))
        self.tally.reset(model.rowCount())
        self._hiding = False  # some rows may be hidden: a full pass is needed to show them all
        #: Offline, the counts of every cached case (``StoreTableModel.triage_counted``).
        self._store_counts: dict[TriageFilter, int] = {}
        self._follows_store = False
        self._recount = QTimer(self)  # marks change in bursts (a window of rows): count once after
        self._recount.setSingleShot(True)
        self._recount.setInterval(RECOUNT_DELAY_MS)
        self._recount.timeout.connect(self._recount_store)
        # Online, Qt asks for the next page only when the list's last row comes into view, and a
        # triage view hides most rows: this asks instead, while the shown rows leave the table
        # unfilled or the reviewer scrolls to the end (once per event-loop turn).
        self._fill_timer = QTimer(self)
        self._fill_timer.setSingleShot(True)
        self._fill_timer.setInterval(0)
        self._fill_timer.timeout.connect(self._load_more_if_unfilled)
        #: Pages a triage view may still load without the reviewer asking (``SCAN_CASES``, from
        #: the view's choice, a new query or "Keep looking"): every page asked for counts, this
        #: bar's and Qt's own (the model's ``fetch_gate``), since a page whose rows are all
        #: hidden leaves the scroll bar at its end and Qt asks again.
        self._scan_pages_left = 0
        self._restart_scan()
        model.fetch_gate = self._may_fetch
        model.page_requested.connect(self._page_requested)
        window.case_list.triage_shown = self.triage_shown
        bar = window.view.verticalScrollBar()
        bar.valueChanged.connect(lambda _value: self._fill_timer.start())
        bar.rangeChanged.connect(lambda _low, _high: self._fill_timer.start())  # rows hidden or shown
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&View:")
        self.combo = QComboBox()
        self.combo.setObjectName("viewCombo")
        self.combo.setMinimumContentsLength(18)
        label.setBuddy(self.combo)
        # A push button with a menu: its width allows for the menu arrow (a tool button's did not,
        # and the arrow sat over the text).
        self.menu_button = QPushButton("Views")
        self.menu_button.setAutoDefault(False)
        self.menu_button.setToolTip("Save, rename, reorder or delete views")
        menu = QMenu(self.menu_button)
        self.save_action = menu.addAction("&Save current as view…", self.ask_save)
        self.rename_action = menu.addAction("&Rename view…", self.ask_rename)
        self.up_action = menu.addAction("Move &up", lambda: self.move_view(-1))
        self.down_action = menu.addAction("Move &down", lambda: self.move_view(1))
        self.delete_action = menu.addAction("&Delete view", self.delete_current)
        menu.aboutToShow.connect(self._update_menu)
        self.menu_button.setMenu(menu)
        layout.addWidget(label)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.menu_button)
        self._fill()
        self.combo.currentIndexChanged.connect(self._chosen)
        window.triage.states_changed.connect(self._states_changed)
        model.rowsInserted.connect(self._rows_inserted)
        model.rowsRemoved.connect(lambda _parent, first, last: self.tally.removed(first, last))
        model.modelReset.connect(self._model_reset)
        window.case_list.model_changed.connect(self._table_model_changed)
        wanted = window.settings.selected_view()
        if wanted and wanted != self.builtins[0].name:
            QTimer.singleShot(0, lambda: self.select(wanted))

    # -- the list of views ------------------------------------------------------------------------

    def all_views(self) -> tuple[SavedView, ...]:
        return self.builtins + self.own

    def current(self) -> SavedView:
        index = self.combo.currentIndex()
        views = self.all_views()
        return views[index] if 0 <= index < len(views) else self.builtins[0]

    def _fill(self, select: str | None = None) -> None:
        name = select or (self.current().name if self.combo.count() else "")
        self.combo.blockSignals(True)
        self.combo.clear()
        for view in self.all_views():
            self.combo.addItem(view.name)
        found = self.combo.findText(name)
        self.combo.setCurrentIndex(max(0, found))
        self.combo.blockSignals(False)
        self._update_counts()

    def triage_shown(self) -> TriageShown | None:
        """How many rows the current triage view shows (online, of those loaded; offline the
        store lists only the view's rows); None for a view without a triage filter."""
        triage_filter = self._active_filter()
        if triage_filter is TriageFilter.ALL:
            return None
        if self.window.case_list.shows_store:
            return TriageShown(_SHOWN_LABEL[triage_filter], self.window.model.rowCount())
        model, count = self.window.model, self.tally.count(triage_filter)
        # (A full table scrolled to somewhere short of its end wants no more rows yet.)
        paused = (self._scan_pages_left == 0 and not model.is_loading and model.has_more_pages()
                  and self._wants_rows(count))
        return TriageShown(_SHOWN_LABEL[triage_filter], count, paused)

    def _wants_rows(self, shown: int) -> bool:
        """Whether the table wants more of the view's rows: they leave it unfilled, or the
        reviewer is at its end (where the rows a new page adds may all be hidden)."""
        table = self.window.view
        fits = table.viewport().height() // max(1, table.verticalHeader().defaultSectionSize()) + 1
        bar = table.verticalScrollBar()
        return shown < fits or bar.value() >= bar.maximum()

    def select_all_cases(self) -> None:
        self.select(self.builtins[0].name)

    def keep_looking(self) -> None:
        """Look through the next ``SCAN_CASES`` cases of the list for the view's rows."""
        self._restart_scan()
        self._update_counts()

    def _may_fetch(self) -> bool:
        """The table model's ``fetch_gate``: a triage view pages on within its bound only."""
        return self._scan_pages_left > 0 or self._active_filter() is TriageFilter.ALL

    def _page_requested(self, query) -> None:  # noqa: ANN001 - CaseQuery
        if query.page > 1 and self._active_filter() is not TriageFilter.ALL:
            self._scan_pages_left = max(0, self._scan_pages_left - 1)

    def _restart_scan(self) -> None:
        self._scan_pages_left = max(1, -(-SCAN_CASES // max(1, self.window.case_list.page_size)))

    def _load_more_if_unfilled(self) -> None:
        shown, model = self.triage_shown(), self.window.model
        if shown is None or self.window.case_list.shows_store:
            return
        # (canFetchMore: more pages, and the bound not reached: the gate holds it after.)
        if not model.is_loading and model.canFetchMore() and self._wants_rows(shown.count):
            model.fetchMore()
        elif self.window.case_list.keep_looking_button.isHidden() == shown.paused:
            self.window.case_list.update_table_state()  # Keep looking follows the rows and the scroll

    def _update_counts(self) -> None:
        """Counts where they are cheap: the triage views, over the rows loaded (kept by the tally)."""
        if not self.window.case_list.shows_store:
            self.window.case_list.update_table_state()  # the count line says what a view shows
            self._fill_timer.start()
        for index, view in enumerate(self.all_views()):
            count = None
            if view.triage is not TriageFilter.ALL and self.window.triage.available:
                if self.window.case_list.shows_store:
                    count = self._store_counts.get(view.triage)
                else:
                    count = self.tally.count(view.triage)
            text = f"{view.name} ({count})" if count is not None else view.name
            if self.combo.itemText(index) != text:
                self.combo.setItemText(index, text)

    def select(self, name: str) -> bool:
        for index, view in enumerate(self.all_views()):
            if view.name == name:
                self.combo.setCurrentIndex(index)
                self._chosen(index)
                return True
        return False

    def _save(self) -> None:
        self.window.settings.save_views(core_views.encode(self.own))
        self.window.settings.save_selected_view(self.current().name)
        self.window.settings.sync()

    # -- applying ---------------------------------------------------------------------------------

    def _chosen(self, _index: int) -> None:
        view = self.current()
        if view.triage is not TriageFilter.ALL and self.window.triage.explain_unavailable():
            pass  # the list still shows, unfiltered; the status bar said why
        window = self.window
        self._applying = True
        try:
            state = window.filter_bar.state()
            # Only what differs: each change reloads the list, and a triage view needs no reload.
            if (state.created_from, state.created_to) != (view.created_from, view.created_to):
                window.filter_bar.set_dates(view.created_from, view.created_to)
            if set(state.statuses) != set(view.statuses):
                window.filter_bar.set_statuses(view.statuses)
            if view.sort_column is not None:
                window.sort_by(view.sort_column, view.descending)
            if view.hidden_columns is not None:
                for column in range(window.model.columnCount()):
                    window.set_column_visible(column, column not in view.hidden_columns)
        finally:
            self._applying = False
        self._restart_scan()
        self.refresh_rows()
        window.settings.save_selected_view(view.name)
        window.settings.sync()

    def _active_filter(self) -> TriageFilter:
        view = self.current()
        return view.triage if self.window.triage.available else TriageFilter.ALL

    def refresh_rows(self) -> None:
        """Hide the loaded rows the current view's triage filter leaves out (a pass over all rows);
        offline, list the cached cases of the triage view instead."""
        if self.window.case_list.shows_store:
            self.window.case_list.store_model.set_triage_view(
                self._active_filter(), counted=self.window.triage.available)
            self._update_counts()
            return
        triage_filter, table = self._active_filter(), self.window.view
        if triage_filter is not TriageFilter.ALL or self._hiding:
            for row in range(len(self.tally)):
                hide = not in_view(triage_filter, self.tally.bits(row))
                if table.isRowHidden(row) != hide:
                    table.setRowHidden(row, hide)
            self._hiding = triage_filter is not TriageFilter.ALL
        self._update_counts()

    def _show_rows(self, rows) -> None:  # noqa: ANN001 - iterable of rows
        """Hide or show just these rows under the current triage filter."""
        triage_filter, table = self._active_filter(), self.window.view
        if triage_filter is TriageFilter.ALL or self.window.case_list.shows_store:
            return  # nothing is hidden (refresh_rows showed every row when the view changed)
        self._hiding = True
        for row in rows:
            hide = not in_view(triage_filter, self.tally.bits(row))
            if table.isRowHidden(row) != hide:
                table.setRowHidden(row, hide)

    def _rows_inserted(self, _parent, first: int, last: int) -> None:  # noqa: ANN001 - QModelIndex
        self.tally.inserted(first, last)
        self._show_rows(range(first, last + 1))
        self._update_counts()

    def _states_changed(self, case_ids) -> None:  # noqa: ANN001 - iterable of ids
        if self.window.case_list.shows_store:
            # The rows stay listed (a case read in "New" does not vanish under the cursor); the
            # counts follow.
            self._recount.start()
            return
        model = self.window.model
        rows = [row for row in map(model.row_of, case_ids) if row is not None]
        self._show_rows(self.tally.changed(rows))
        self._update_counts()

    def _model_reset(self) -> None:
        self._restart_scan()  # a new query: its list is looked through from the start
        self.tally.reset(self.window.case_list.paged_model.rowCount())
        self._hiding = False  # the view forgets hidden rows with the old ones
        self._show_rows(range(len(self.tally)))
        self._update_counts()

    def _table_model_changed(self, model) -> None:  # noqa: ANN001 - CaseTableModel
        store = self.window.case_list.store_model
        if model is store and not self._follows_store:
            self._follows_store = True
            store.triage_counted.connect(self._store_counted)
        self._store_counts = {}
        self.refresh_rows()

    def _store_counted(self, counts: dict) -> None:
        self._store_counts = dict(counts)
        self._update_counts()

    def _recount_store(self) -> None:
        if self.window.case_list.shows_store and not self.window.closed:
            self.window.case_list.store_model.recount_triage()

    def view_from_window(self, name: str) -> SavedView:
        window = self.window
        state = window.filter_bar.state()
        hidden = tuple(c for c in range(window.model.columnCount()) if window.header.isSectionHidden(c))
        return SavedView(
            name=name, statuses=tuple(sorted(state.statuses)), created_from=state.created_from, created_to=state.created_to,
            search_fields=tuple(f.value for f in state.search_fields), sort_column=window.case_list.sort_column,
            descending=window.case_list.descending, hidden_columns=hidden, triage=self.current().triage,
        )

    # -- editing ----------------------------------------------------------------------------------

    def save_as(self, name: str) -> SavedView:
        """Save the window's filters, sort and columns as a view (ValueError for a bad name)."""
        view = self.view_from_window(name)
        self.own = core_views.add(self.own, view, self.builtins)
        self._fill(select=self.own[-1].name)
        self._save()
        return self.own[-1]

    def rename_current(self, name: str) -> None:
        index = self.combo.currentIndex() - len(self.builtins)
        if index < 0:
            raise ValueError("Built-in views cannot be renamed.")
        self.own = core_views.rename(self.own, index, name, self.builtins)
        self._fill(select=self.own[index].name)
        self._save()

    def move_view(self, delta: int) -> None:
        """Move the selected saved view up (-1) or down (1); ``move`` is QWidget's own."""
        index = self.combo.currentIndex() - len(self.builtins)
        if index >= 0:
            name = self.own[index].name
            self.own = core_views.move(self.own, index, delta)
            self._fill(select=name)
            self._save()

    def delete_current(self) -> None:
        index = self.combo.currentIndex() - len(self.builtins)
        if index >= 0:
            self.own = core_views.delete(self.own, index)
            self._fill(select=self.builtins[0].name)
            self._chosen(0)
            self._save()

    def _ask_name(self, title: str, text: str, action) -> None:  # noqa: ANN001 - callable(name)
        name, ok = QInputDialog.getText(self, title, text)
        while ok:
            try:
                action(name)
                return
            except ValueError as exc:  # bad input: say why and keep what was typed
                name, ok = QInputDialog.getText(self, title, f"{exc}\n\n{text}", text=name)

    def ask_save(self) -> None:
        note = "" if not self.window.filter_bar.state().search.strip() else \
            "\n(The search text is not kept in a view: it may be a person's name.)"
        self._ask_name("Save view", f"Name of the new view:{note}", self.save_as)

    def ask_rename(self) -> None:
        self._ask_name("Rename view", "New name of the view:", self.rename_current)

    def _update_menu(self) -> None:
        own = self.combo.currentIndex() >= len(self.builtins)
        for action in (self.rename_action, self.up_action, self.down_action, self.delete_action):
            action.setEnabled(own)


__all__ = ["ViewsBar", "builtin_views"]
