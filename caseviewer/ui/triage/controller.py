"""Wires triage to the main window: read state, changes, flags and notes, row menus, copy.

The window tells this controller what it shows (a list page arrived, a case is shown); the
controller asks workers to read or write the reviewer state (``core.reviewer_state``: SQL, never on
the GUI thread) and feeds the answers to ``TriageMarks`` (the table) and the case page's marks and
flag-and-note line.

Without a keyring there is no cache and so no reviewer state: the triage actions stay disabled
with the reason in their tooltip, and the first attempt to use one says why in the status bar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from caseviewer.core.cache_service import reviewer_state
from caseviewer.core.changes import CaseChanges, RowState, fingerprint_detail, fingerprint_record
from caseviewer.core.repository import CaseResult
from caseviewer.core.reviewer_state import CaseTriage, Flag, ReviewerState, unavailable_reason
from caseviewer.ui.triage.marks import TriageMarks

if TYPE_CHECKING:
    from caseviewer.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)


# -- worker functions (plain, no Qt: they run on worker threads) -------------------------------


def page_states(state: ReviewerState, listed: list[tuple[str, str | None]]) -> dict[str, CaseTriage]:
    """A list page arrived: note the list statuses of the cases seen before, then read the states."""
    state.observe({case_id: fingerprint_record(code) for case_id, code in listed})
    return state.states([case_id for case_id, _ in listed])


def view_case(state: ReviewerState, case_id: str, raw: dict[str, Any] | None,
              status_code: str | None) -> tuple[CaseChanges, dict[str, CaseTriage]]:
    """The reviewer is looking at a case: what changed since their last look, then remember it."""
    fingerprint = fingerprint_detail(raw).merged(fingerprint_record(status_code))
    changes = state.record_view(case_id, fingerprint)
    return changes, state.states([case_id])


def write_then_read(state: ReviewerState, action: Callable[[], object], case_ids: list[str]) -> dict[str, CaseTriage]:
    action()
    return state.states(case_ids)


class TriageController(QObject):
    """One per main window. ``marks`` is what the table shows; ``changes`` what the page shows."""

    #: Case ids whose table state changed (after any read or write).
    states_changed = Signal(object)
    #: (case id, ``CaseChanges``) for the case now shown, once known.
    changes_known = Signal(str, object)

    CHANNEL = None  # triage work is never superseded: every answer updates some rows

    def __init__(self, window: MainWindow, *, cache_reason: str) -> None:
        super().__init__(window)
        self.window = window
        self.state: ReviewerState | None = reviewer_state(window.repository)
        self.unavailable = "" if self.state is not None else unavailable_reason(cache_reason)
        self.marks = TriageMarks(flag_column=window.model.COL_FLAG)
        self.changes: dict[str, CaseChanges] = {}
        self._follows_store = False  # connected to the store model's rows
        self._step_channel = window.runner.channel("triage-step", self)  # N offline: the last press counts
        if self.state is not None:
            window.case_list.set_triage_marks(self.marks)
        window.page_loaded.connect(self._page_loaded)
        window.case_list.model_changed.connect(self._model_changed)
        window.detail_shown.connect(self._case_shown)

    @property
    def available(self) -> bool:
        return self.state is not None

    def explain_unavailable(self) -> bool:
        """True (after saying why in the status bar) when there is no reviewer state."""
        if self.state is None:
            self.window.show_message(self.unavailable)
            return True
        return False

    def _submit(self, fn: Callable[..., Any], *args: Any, on_result: Callable[[Any], None]) -> None:
        if self.state is None or self.window.closed:
            return
        state = self.state
        self.window.runner.submit(lambda _context: fn(state, *args), channel=self.CHANNEL,
                                  on_result=on_result, on_error=self._failed)

    def _failed(self, failure) -> None:  # noqa: ANN001 - TaskFailure
        self.window.show_message(f"Your read state, flags or notes could not be used: {failure.message}")

    def apply(self, states: dict[str, CaseTriage]) -> None:
        changed = self.marks.update(states)
        if changed:
            self.window.model.rows_changed(changed)
            for pane in self._panes():
                shown = pane.current_case_id()
                if shown in changed:
                    pane.show_annotation(shown, self.marks.get(shown))
            self.states_changed.emit(changed)

    def _panes(self) -> list:
        """The main window's case page and those of the cases open in their own windows."""
        menus = getattr(self.window, "triage_menus", None)
        return [self.window.pane, *(w.pane for w in (menus.case_windows if menus is not None else []))]

    # -- what the window shows --------------------------------------------------------------

    def _page_loaded(self, page) -> None:  # noqa: ANN001 - CasePage
        listed = [(record.id, record.status_code) for record in page.records if record.id]
        if listed:
            self._submit(page_states, listed, on_result=self.apply)

    def _model_changed(self, model) -> None:  # noqa: ANN001 - CaseTableModel
        """The table lists the cache now: read the marks of its rows as their windows arrive."""
        store = self.window.case_list.store_model
        if model is store and not self._follows_store:
            self._follows_store = True
            store.rows_held.connect(self._rows_held)

    def _rows_held(self, case_ids: list[str]) -> None:
        """Rows of the cached list arrived: read their marks (their list status was observed
        when they were cached, so nothing is written)."""
        if self.window.case_list.shows_store and case_ids:
            self._submit(lambda state: state.states(case_ids), on_result=self.apply)

    def _listed_ids(self) -> list[str]:
        """The ids of the rows the table holds (the store model holds only windows of rows)."""
        model = self.window.model
        if self.window.case_list.shows_store:
            return model.held_ids()
        return [case_id for case_id in (model.case_id(row) for row in range(model.rowCount())) if case_id]

    def reload(self) -> None:
        """Read the state of every listed case again (newer copies came in behind the table's
        back, e.g. by a sync)."""
        ids = self._listed_ids()
        if ids:
            self._submit(lambda state: state.states(ids), on_result=self.apply)

    def _case_shown(self, result: CaseResult) -> None:
        self.view_in(self.window.pane, result)

    def view_in(self, pane, result: CaseResult) -> None:  # noqa: ANN001 - DetailPane
        """``pane`` (the main window's or a case window's) shows ``result``: remember it as read."""
        case_id = result.case_id or (result.detail.id if result.detail is not None else None)
        if not case_id:
            return
        raw = result.detail.raw if result.detail is not None else None
        status = result.record.status_code if result.record is not None else None
        self._submit(view_case, case_id, raw, status,
                     on_result=lambda answer, case_id=case_id: self._viewed(pane, case_id, answer))

    def _viewed(self, pane, case_id: str, answer: tuple[CaseChanges, dict[str, CaseTriage]]) -> None:  # noqa: ANN001
        changes, states = answer
        self.changes[case_id] = changes
        self.apply(states)
        # The pane's window may have closed while the answer was on its way (Ctrl+W on a case
        # window right after it opened): the table's marks still take it, the pane is gone.
        if shiboken6.isValid(pane) and shiboken6.isValid(pane.header):
            pane.show_changes(case_id, changes)
            pane.show_annotation(case_id, states.get(case_id))
        self.changes_known.emit(case_id, changes)

    # -- commands ---------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        """The case of the current row, else the case in the pane."""
        view = self.window.view
        rows = sorted({index.row() for index in view.selectionModel().selectedRows()})
        ids = [self.window.model.case_id(row) for row in rows]
        ids = [case_id for case_id in ids if case_id]
        if not ids and self.window.pane.current_case_id():
            ids = [self.window.pane.current_case_id()]
        return ids

    def _write(self, action: Callable[[ReviewerState], object], case_ids: Iterable[str]) -> None:
        if self.explain_unavailable():
            return
        ids = list(case_ids)
        if not ids:
            self.window.show_message("Select a case first.", 4000)
            return
        self._submit(lambda state: write_then_read(state, lambda: action(state), ids), on_result=self.apply)

    def mark_unread(self, case_ids: Iterable[str] | None = None) -> None:
        ids_ = list(case_ids) if case_ids is not None else self.selected_ids()
        self._write(lambda state: state.mark_unread(ids_), ids_)

    def mark_read(self, case_ids: Iterable[str] | None = None) -> None:
        ids_ = list(case_ids) if case_ids is not None else self.selected_ids()
        self._write(lambda state: state.mark_read(ids_), ids_)

    def toggle_read(self) -> None:
        ids = self.selected_ids()
        triage = self.marks.get(ids[0]) if ids else None
        if triage is not None and triage.state is RowState.READ:
            self.mark_unread(ids)
        else:
            self.mark_read(ids)

    def mark_all_read(self) -> None:
        """Every case listed in the table is taken as read (offline: every case the cached list
        shows, its ids read on the worker)."""
        if self.window.case_list.shows_store:
            if self.explain_unavailable():
                return
            every_id, held = self.window.model.every_id_task(), self.window.model.held_ids()

            def mark_listed(state: ReviewerState) -> dict[str, CaseTriage]:
                state.mark_read(every_id(None) or [])
                return state.states(held)  # the marks of the rows on hand; others read as they come

            self._submit(mark_listed, on_result=self.apply)
            return
        model = self.window.model
        ids = [model.case_id(row) for row in range(model.rowCount())]
        self._write(lambda state: state.mark_read([i for i in ids if i]), [i for i in ids if i])

    def set_flag(self, flag: Flag | None, case_ids: Iterable[str] | None = None) -> None:
        ids_ = list(case_ids) if case_ids is not None else self.selected_ids()
        self._write(lambda state: [state.set_flag(case_id, flag) for case_id in ids_], ids_)

    def toggle_flag(self) -> None:
        ids = self.selected_ids()
        triage = self.marks.get(ids[0]) if ids else None
        self.set_flag(None if triage is not None and triage.flag is not None else Flag.RED, ids)

    def set_note(self, case_id: str, note: str) -> None:
        self._write(lambda state: state.set_note(case_id, note), [case_id])

    def step_updated(self, delta: int) -> None:
        """N / Shift+N: the next (1) or previous (-1) row updated since the reviewer last looked
        (new cases are the New view's).

        Online the rows are the pages listed so far, and their marks are here. Offline the table
        lists every cached case but holds only the windows read, so once the view is written the
        cache is asked instead (``_step_in_cache``)."""
        model = self.window.model
        rows = model.rowCount()
        if self.explain_unavailable() or rows == 0:
            return
        current = self.window.view.selectionModel().currentIndex()
        start = current.row() if current.isValid() else (-1 if delta > 0 else rows)
        if self.window.case_list.shows_store and model.is_view_ready:
            self._step_in_cache(model, start, delta)
            return
        row = start + delta
        while 0 <= row < rows:
            triage = self.marks.get(model.case_id(row))
            if triage is not None and triage.state is RowState.UPDATED:
                self.window.select_row(row)
                return
            row += delta
        self._no_more_updated(delta)

    def _step_in_cache(self, model, start: int, delta: int) -> None:  # noqa: ANN001 - StoreTableModel
        """The nearest updated case over every row of the offline view, in its order: the
        updated ids (``ReviewerState.updated_ids``, a few) looked for in the view by SQL on a
        worker. Its row is then selected; its window may not be read yet, and the selection
        opens the case when it arrives. A newer N supersedes an answer still on its way."""
        state, view_id, find = self.state, model.view_id, model.row_among_task(start, delta)
        if state is None or self.window.closed:
            return

        def found(row: int | None) -> None:
            if self.window.closed or self.window.model is not model or model.view_id != view_id:
                return  # the list changed meanwhile: the row is of another view
            if row is None:
                self._no_more_updated(delta)
            else:
                self.window.select_row(row)

        self._step_channel.submit(lambda _context: find(state.updated_ids()), on_result=found, on_error=self._failed)

    def _no_more_updated(self, delta: int) -> None:
        self.window.show_message("No more updated cases in the list." if delta > 0 else
                                 "No updated case above this one.", 4000)


__all__ = ["TriageController", "page_states", "view_case"]
