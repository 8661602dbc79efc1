"""Which case the pane shows, and loading it: selection debounce, retry, open by id / link / dialog.

A selection change waits ``SELECTION_DEBOUNCE_MS`` before asking, so holding an arrow key shows
only the case the reviewer stops on; the first change after a pause loads at once. Every load runs
on the "detail" channel, so a newer one supersedes the older (its answer is dropped). Open case…
(Ctrl+L) looks the case up on its own channel while the dialog waits, and only a found case
replaces what the pane shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, QTimer

from caseviewer.core import errors
from caseviewer.core.query import SearchField
from caseviewer.core.repository import CaseResult
from caseviewer.ui.dialogs.open_case_dialog import BY_EMAIL, BY_ID, CaseLookup, OpenCaseDialog
from caseviewer.ui.workers import TaskContext, TaskFailure, cancellable

if TYPE_CHECKING:
    from caseviewer.ui.window.main_window import MainWindow

DETAIL_CHANNEL = "detail"
LOOKUP_CHANNEL = "lookup"  # Open case… (Ctrl+L) while its dialog waits
SELECTION_DEBOUNCE_MS = 120

#: A detail load: a repository method, its arguments and keywords (``cancel=`` is added).
DetailRequest = tuple[Callable[..., CaseResult], tuple[Any, ...], dict[str, Any]]


class SelectedRow(NamedTuple):
    """A table row and the case on it (rows are renumbered by a new query; ids stay)."""

    row: int
    case_id: str | None


def detail_task(request: DetailRequest) -> Callable[[TaskContext], CaseResult]:
    """The worker task of a detail request: the repository call with the task's cancel event."""
    fn, args, kwargs = request
    return cancellable(fn, *args, **kwargs)


class SelectionController(QObject):
    """Follows the table's current row and keeps the pane showing the case the reviewer wants."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.detail_request: DetailRequest | None = None  # the pane's last load, for Retry
        self._selected: SelectedRow | None = None  # the table row the reviewer is on
        self._loaded_selection: SelectedRow | None = None  # the row whose case was last asked for
        self._select_first_when_loaded = False
        self.detail_channel = window.runner.channel(DETAIL_CHANNEL, self)
        self._lookup_channel = window.runner.channel(LOOKUP_CHANNEL, self)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SELECTION_DEBOUNCE_MS)
        self.timer.timeout.connect(self._selection_settled)
        window.view.selectionModel().currentRowChanged.connect(self._current_row_changed)
        window.pane.retry_requested.connect(self.retry_detail)
        window.case_list.model_changed.connect(self._model_changed)
        self._follows_store = False

    def _model_changed(self, model) -> None:  # noqa: ANN001 - CaseTableModel
        """The table shows another model: it came with a selection model of its own."""
        self.window.view.selectionModel().currentRowChanged.connect(self._current_row_changed)
        store = self.window.case_list.store_model
        if model is store and not self._follows_store:
            self._follows_store = True
            store.window_loaded.connect(self._rows_arrived)

    def _rows_arrived(self, first: int, last: int) -> None:
        """Offline, a row can be current before its window is read (End, a long jump): load it
        once it is here."""
        selected = self._selected
        if selected is not None and selected.case_id is None and first <= selected.row <= last:
            self._selected = SelectedRow(selected.row, self.model.case_id(selected.row))
            self._load_selected()

    @property
    def model(self):  # noqa: ANN201 - CaseTableModel
        return self.window.model

    @property
    def view(self):  # noqa: ANN201 - QTableView
        return self.window.view

    # -- selection and detail ---------------------------------------------------------------

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return  # a reset cleared the selection; the pane keeps what it shows
        row = current.row()
        selection = SelectedRow(row, self.model.case_id(row))
        if selection == self._selected:
            return
        self._selected = selection
        if self.timer.isActive():
            # Rapid keying: restart the quiet period; only the row the reviewer stops on loads.
            self.window.pane.show_loading()
            self.timer.start()
        else:
            # The first change after a pause (a click, one arrow press) loads at once and opens
            # the quiet period.
            self._load_selected()
            self.timer.start()

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
        self._load_detail(self.window.repository.open_case, record.id, record=record)

    def _load_detail(self, fn: Callable[..., CaseResult], *args: Any, **kwargs: Any) -> None:
        if self.window.closed:
            return
        self.detail_request = (fn, args, kwargs)
        self.window.pane.show_loading()
        self.detail_channel.submit(detail_task(self.detail_request), on_result=self._show_result,
                                    on_error=self._detail_failed)

    def _show_result(self, result: CaseResult) -> None:
        self.window.offline.detail_arrived(result.provenance.fetched_at if result.provenance.from_cache else None)
        self.window.pane.show_case(result)
        self.window.detail_shown.emit(result)

    def _detail_failed(self, failure: TaskFailure) -> None:
        self.window.offline.update_offline_state()
        # Retrying cannot find a case the service says does not exist.
        can_retry = self.detail_request is not None and not isinstance(failure.exception, errors.NotFound)
        self.window.pane.show_error(
            failure.message, can_retry=can_retry,
            fix_credentials=isinstance(failure.exception, errors.AuthError) and self.window.can_update_credentials,
        )
        self.window.detail_failed.emit(failure)

    def retry_detail(self) -> None:
        """Run the last detail request again (the pane's Retry)."""
        if self.detail_request is None:
            return
        fn, args, kwargs = self.detail_request
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
            self.window.show_message("There is no case list to step through.", 4000)
            return
        current = self.view.selectionModel().currentIndex()
        if current.isValid() and self.view.selectionModel().isRowSelected(current.row()):
            row = current.row() + delta
        else:
            pane = self.window.pane
            open_row = self.model.row_of(pane.current_case_id()) if pane.current_case_id() else None
            row = open_row + delta if open_row is not None else 0
        if not 0 <= row < rows:
            self.window.show_message(
                "That was the last case in the list." if delta > 0 else "That was the first case in the list.", 4000)
            return
        self.select_row(row)

    def focus_results(self) -> None:
        """Enter or Down in the search box: go to the table, on its first row when none is chosen."""
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.model.rowCount() and not self.view.selectionModel().hasSelection():
            self.select_row(0)
        elif not self.model.rowCount():
            self._select_first_when_loaded = True

    def page_accepted(self) -> None:
        """A list page went into the table: highlight the open case again, or the first row."""
        self._reselect_if_needed()
        if self._select_first_when_loaded and self.view.hasFocus() and self.model.rowCount():
            self._select_first_when_loaded = False
            if not self.view.selectionModel().hasSelection():
                self.select_row(0)

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

    # -- open by id, link or dialog ---------------------------------------------------------

    def _lookup_request(self, lookup: CaseLookup, record=None) -> DetailRequest:  # noqa: ANN001 - CaseRecord
        """(fn, args, kwargs) that load ``lookup``; the repository decides id / short id / email."""
        repository = self.window.repository
        if lookup.kind == BY_EMAIL:
            return repository.open_case, (), {"email": lookup.value}
        return repository.open_reference, (lookup.value,), {"record": record}

    def open_case(self, lookup: CaseLookup) -> None:
        """Load a case by ID, short ID or submitter email into the pane (e.g. from Find in cached cases)."""
        if not self.window.repository.has_detail:
            # Only the list is configured: the list service can find a case by its ID.
            self.window.filter_bar.set_search(lookup.value, (SearchField.CASE_ID,))
            return
        self.timer.stop()
        self._selected = self._loaded_selection = None
        self.view.selectionModel().clearSelection()
        row = self.model.row_of(lookup.value) if lookup.kind == BY_ID else None
        record = self.model.record(row) if row is not None else None
        fn, args, kwargs = self._lookup_request(lookup, record)
        self._load_detail(fn, *args, **kwargs)

    def open_link(self, link) -> None:  # noqa: ANN001 - core.deeplink.DeepLink
        """A caseviewer:// link (the command line, or a second launch): open its case here."""
        window = self.window
        if link.profile and window.profile_name and link.profile != window.profile_name:
            window.show_message(f"That link is for the profile \u201c{link.profile}\u201d; this window shows "
                                f"\u201c{window.profile_name}\u201d. Quit and start caseviewer with that link to open it there.")
        else:
            self.open_case(CaseLookup(BY_ID, link.case_id))
        window.bring_to_front()

    def show_open_dialog(self, text: str = "") -> OpenCaseDialog:
        dialog = OpenCaseDialog(self.window, allow_email=self.window.repository.has_detail)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if text:
            dialog.edit.setText(text)
        dialog.lookup_requested.connect(lambda lookup: self._look_up_for_dialog(dialog, lookup))
        dialog.finished.connect(lambda _code: self._lookup_channel.cancel())
        dialog.open()
        return dialog

    def _look_up_for_dialog(self, dialog: OpenCaseDialog, lookup: CaseLookup) -> None:
        """Ctrl+L: look the case up while the dialog waits; the pane and the table's selection
        change only once it is found, and a failure is told in the dialog (no pointless Retry)."""
        if self.window.closed:
            return
        if not self.window.repository.has_detail:
            dialog.found()
            self.open_case(lookup)
            return
        row = self.model.row_of(lookup.value) if lookup.kind == BY_ID else None
        request = self._lookup_request(lookup, self.model.record(row) if row is not None else None)
        self._lookup_channel.submit(
            detail_task(request),
            on_result=lambda result: self._looked_up(dialog, request, result),
            on_error=lambda failure: (self.window.offline.update_offline_state(), dialog.show_failure(failure.message)),
        )

    def _looked_up(self, dialog: OpenCaseDialog, request: DetailRequest, result: CaseResult) -> None:
        dialog.found()
        self.timer.stop()
        self.detail_channel.cancel()  # a row's case still loading must not replace this one
        self.detail_request = request
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


__all__ = ["DETAIL_CHANNEL", "LOOKUP_CHANNEL", "SELECTION_DEBOUNCE_MS", "SelectedRow", "SelectionController"]
