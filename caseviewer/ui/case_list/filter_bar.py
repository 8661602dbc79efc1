"""The filter bar above the case table: search, status and created-date filters.

It only collects what the reviewer wants and emits a ``FilterState``; the main window turns that
into a ``CaseQuery`` for the service. Typing is debounced (300 ms) so a search is sent once the
reviewer pauses, not on every key; Enter sends at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from caseviewer.core.query import SearchField
from caseviewer.core.models import LIST_STATUS_CODES
from caseviewer.ui import accessible
from caseviewer.ui.case_list.status_chip import GROUPS, pretty_status, status_group, tone_icon
from caseviewer.ui.guard import guarded

SEARCH_DEBOUNCE_MS = 300

#: (label, fields) for the search field selector; the first is the default.
SEARCH_SCOPES: tuple[tuple[str, tuple[SearchField, ...]], ...] = (
    ("All fields", tuple(SearchField)),
    ("Business name", (SearchField.BUSINESS_NAME,)),
    ("Case ID", (SearchField.CASE_ID,)),
    ("First name", (SearchField.FIRST_NAME,)),
    ("Last name", (SearchField.LAST_NAME,)),
)

# QDateEdit has no empty value: its minimum date stands for "no limit" and shows as "Any".
_NO_DATE = QDate(2000, 1, 1)


@dataclass(frozen=True)
class FilterState:
    search: str = ""
    search_fields: tuple[SearchField, ...] = tuple(SearchField)
    statuses: tuple[int, ...] = ()
    created_from: date | None = None
    created_to: date | None = None

    @property
    def is_default(self) -> bool:
        return not (self.search.strip() or self.statuses or self.created_from or self.created_to)


class _StickyMenu(QMenu):
    """A menu whose checkable items toggle without closing it, so several can be picked."""

    @guarded
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        action = self.activeAction()
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)


class _DateEdit(QDateEdit):
    """A date edit whose minimum means "Any".

    Unset, its calendar opens on ``page_hint()`` (the other bound, else this month) rather than
    on the minimum. Tab and Shift+Tab always leave the field: QDateTimeEdit swallows Tab while it
    shows its special value, which trapped the keyboard in "Any"; the arrow keys step the parts.
    """

    def __init__(self, placeholder: str) -> None:
        super().__init__()
        self.setCalendarPopup(True)
        self.setMinimumDate(_NO_DATE)
        self.setSpecialValueText(placeholder)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setDate(_NO_DATE)
        #: The date the calendar should show while unset; the filter bar points it at the other bound.
        self.page_hint = QDate.currentDate

    def value(self) -> date | None:
        current = self.date()
        return None if current == _NO_DATE else date(current.year(), current.month(), current.day())

    def set_value(self, value: date | None) -> None:
        self.setDate(_NO_DATE if value is None else QDate(value.year, value.month, value.day))

    def _turn_calendar_page(self) -> None:
        # The popup is opened (and set to the current date) inside the base class's event
        # handler, so the page is turned after it; opening shows the popup synchronously.
        if self.date() != _NO_DATE:
            return
        calendar = self.calendarWidget()
        if calendar is not None and calendar.isVisible():
            hint = self.page_hint()
            if not hint.isValid() or hint == _NO_DATE:
                hint = QDate.currentDate()
            calendar.setCurrentPage(hint.year(), hint.month())

    @guarded
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt name
        super().mousePressEvent(event)
        self._turn_calendar_page()

    @guarded
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt name
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not (
            event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            QWidget.focusNextPrevChild(self, forward)
            event.accept()
            return
        super().keyPressEvent(event)
        self._turn_calendar_page()


class FilterBar(QWidget):
    """Search box, search field, status menu and created-date range."""

    #: The filters changed (debounced for typing): a ``FilterState``.
    filters_changed = Signal(object)
    #: Enter or Down in the search box: the reviewer wants to go to the results.
    results_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self._last_emitted: FilterState | None = None

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText("Search cases  (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setToolTip("Search the case list; results come from the service")
        accessible.name(self.search_edit, "Search cases")

        self.scope_combo = QComboBox()
        self.scope_combo.setObjectName("searchScope")
        self.scope_combo.setToolTip("Which field the search looks in")
        for label, fields in SEARCH_SCOPES:
            self.scope_combo.addItem(label, fields)

        # A push button draws its menu arrow beside the text (a tool button overlaps it).
        self.status_button = QPushButton()
        self.status_button.setObjectName("statusFilter")
        self.status_button.setToolTip("Show only cases with these statuses")
        self.status_menu = _StickyMenu(self.status_button)
        any_action = self.status_menu.addAction("Any status")
        any_action.setToolTip("Clear the status filter")
        any_action.triggered.connect(lambda: self.set_statuses(()))
        self.status_menu.addSeparator()
        self.status_actions: dict[int, QAction] = {}
        # Grouped as the status chips are (Approved, Rejected, Needs review, ...), A→Z inside a group.
        for group in GROUPS:
            members = sorted(
                ((sid, code) for sid, code in LIST_STATUS_CODES.items() if status_group(code) is group),
                key=lambda item: pretty_status(item[1]).casefold(),
            )
            if not members:
                continue
            self.status_menu.addSection(group.name)
            for status_id, code in members:
                action = self.status_menu.addAction(tone_icon(group.tone), pretty_status(code))
                action.setCheckable(True)
                action.setData(status_id)
                action.toggled.connect(self._statuses_toggled)
                self.status_actions[status_id] = action
        self.status_button.setMenu(self.status_menu)

        self.from_edit = _DateEdit("Any")
        self.from_edit.setObjectName("createdFrom")
        self.from_edit.setToolTip("Created on or after this date")
        accessible.name(self.from_edit, "Created from")
        self.to_edit = _DateEdit("Any")
        self.to_edit.setObjectName("createdTo")
        self.to_edit.setToolTip("Created on or before this date")
        accessible.name(self.to_edit, "Created to")
        # An unset bound's calendar opens on the other bound when that one is set.
        self.from_edit.page_hint = lambda: self.to_edit.date() if self.to_edit.value() else QDate.currentDate()
        self.to_edit.page_hint = lambda: self.from_edit.date() if self.from_edit.value() else QDate.currentDate()
        self.clear_dates_button = QToolButton()
        self.clear_dates_button.setText("✕")
        self.clear_dates_button.setAutoRaise(True)
        self.clear_dates_button.setToolTip("Clear the created-date range")
        accessible.name(self.clear_dates_button, "Clear dates", "Clear the created-date range")
        self.clear_dates_button.clicked.connect(self.clear_dates)

        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.setToolTip("Show all cases again")
        self.clear_button.clicked.connect(self.clear)

        # One row; when the text is too large for one (200 % zoom at 1280 px) the created-date
        # range and Clear filters move to a second row instead of squeezing every field.
        self.dates = QWidget()
        dates = QHBoxLayout(self.dates)
        dates.setContentsMargins(0, 0, 0, 0)
        dates.setSpacing(6)
        dates.addWidget(QLabel("Created"))
        dates.addWidget(self.from_edit)
        dates.addWidget(QLabel("–"))
        dates.addWidget(self.to_edit)
        dates.addWidget(self.clear_dates_button)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(6)
        self._first_row, self._second_row = QHBoxLayout(), QHBoxLayout()
        for row in (self._first_row, self._second_row):
            row.setSpacing(6)
            rows.addLayout(row)
        first = self._first_row
        first.addWidget(self.search_edit, 3)
        first.addWidget(self.scope_combo)
        first.addSpacing(8)
        first.addWidget(self.status_button)
        first.addSpacing(8)
        first.addWidget(self.dates)
        first.addStretch(1)
        first.addWidget(self.clear_button)
        self.wrapped = False
        self._fit_to_font()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.search_edit.textChanged.connect(self._debounce.start)
        self.search_edit.returnPressed.connect(self._emit_now)
        self.search_edit.returnPressed.connect(self.results_requested)
        self.search_edit.installEventFilter(self)
        self.scope_combo.currentIndexChanged.connect(self._scope_changed)
        self.from_edit.dateChanged.connect(self._emit_now)
        self.to_edit.dateChanged.connect(self._emit_now)
        self._refresh_labels()

    # -- reading and writing ----------------------------------------------------------------

    def state(self) -> FilterState:
        return FilterState(
            search=self.search_edit.text().strip(),
            search_fields=self.scope_combo.currentData(),
            statuses=tuple(sid for sid, action in self.status_actions.items() if action.isChecked()),
            created_from=self.from_edit.value(),
            created_to=self.to_edit.value(),
        )

    def set_statuses(self, statuses: tuple[int, ...] | list[int]) -> None:
        wanted = set(statuses)
        self._apply_silently(lambda: [a.setChecked(sid in wanted) for sid, a in self.status_actions.items()])
        self._emit_now()

    def set_search(self, text: str, fields: tuple[SearchField, ...] | None = None) -> None:
        """Set the search text (and scope) and send it at once."""
        def apply() -> None:
            self.search_edit.setText(text)
            if fields is not None:
                for i in range(self.scope_combo.count()):
                    if tuple(self.scope_combo.itemData(i)) == tuple(fields):
                        self.scope_combo.setCurrentIndex(i)
        self._apply_silently(apply)
        self._emit_now()

    def set_dates(self, created_from: date | None, created_to: date | None) -> None:
        self._apply_silently(lambda: (self.from_edit.set_value(created_from), self.to_edit.set_value(created_to)))
        self._emit_now()

    def clear_dates(self) -> None:
        self.set_dates(None, None)

    def clear(self) -> None:
        """Back to no filters (the scope selector keeps its choice)."""
        def apply() -> None:
            self.search_edit.clear()
            for action in self.status_actions.values():
                action.setChecked(False)
            self.from_edit.set_value(None)
            self.to_edit.set_value(None)
        self._apply_silently(apply)
        self._emit_now()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- fitting the text (zoom) --------------------------------------------------------------

    def _fit_to_font(self) -> None:
        """The search box is wide enough for its whole placeholder at the current text size."""
        metrics = self.search_edit.fontMetrics()
        self.search_edit.setMinimumWidth(max(160, metrics.horizontalAdvance(self.search_edit.placeholderText())
                                             + 2 * metrics.height() + 12))  # + the clear button
        if self.isVisible():
            self._wrap_if_needed(self.width())

    def one_row_width(self) -> int:
        """The width the bar wants on one row (every part at its preferred width)."""
        parts = (self.search_edit, self.scope_combo, self.status_button, self.dates, self.clear_button)
        return sum(max(part.sizeHint().width(), part.minimumWidth()) for part in parts) + 6 * 8 + 16

    def _wrap_if_needed(self, width: int) -> None:
        wrap = width > 0 and self.one_row_width() > width
        if wrap == self.wrapped:
            return
        self.wrapped = wrap
        first, second = self._first_row, self._second_row
        if wrap:
            first.removeWidget(self.dates)
            first.removeWidget(self.clear_button)
            second.addWidget(self.dates)
            second.addStretch(1)
            second.addWidget(self.clear_button)
        else:
            second.removeWidget(self.dates)
            second.removeWidget(self.clear_button)
            while second.count():
                second.takeAt(0)  # its stretch
            first.insertWidget(first.count() - 1, self.dates)  # before the stretch that ends the row
            first.addWidget(self.clear_button)

    @guarded
    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's signature
        super().resizeEvent(event)
        self._wrap_if_needed(event.size().width())

    @guarded
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._fit_to_font()
        super().changeEvent(event)

    @guarded
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        """Down in the search box moves to the results (Enter does too, through returnPressed)."""
        try:
            if (
                watched is self.search_edit
                and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Down
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
            ):
                self._emit_now()
                self.results_requested.emit()
                return True
        except Exception:  # never let an override abort the process
            return False
        return False

    # -- internals --------------------------------------------------------------------------

    def _apply_silently(self, change) -> None:
        widgets = [self.search_edit, self.scope_combo, self.from_edit, self.to_edit, *self.status_actions.values()]
        blocked = [w.blockSignals(True) for w in widgets]
        try:
            change()
        finally:
            for widget, was in zip(widgets, blocked):
                widget.blockSignals(was)

    def _statuses_toggled(self) -> None:
        self._emit_now()

    def _scope_changed(self) -> None:
        if self.search_edit.text().strip():
            self._emit_now()

    def _emit_now(self) -> None:
        self._debounce.stop()
        self._emit()

    def _emit(self) -> None:
        self._refresh_labels()
        state = self.state()
        if state == self._last_emitted:
            return
        self._last_emitted = state
        self.filters_changed.emit(state)

    def mark_sent(self, state: FilterState) -> None:
        """Record the state the window queried with, so an unchanged state is not resent."""
        self._last_emitted = state
        self._refresh_labels()

    def _refresh_labels(self) -> None:
        chosen = [a for a in self.status_actions.values() if a.isChecked()]
        if not chosen:
            self.status_button.setText("Status: any")
        elif len(chosen) == 1:
            self.status_button.setText(f"Status: {chosen[0].text()}")
        else:
            self.status_button.setText(f"Status: {len(chosen)} selected")
        has_dates = self.from_edit.value() is not None or self.to_edit.value() is not None
        self.clear_dates_button.setVisible(has_dates)
        self.clear_button.setEnabled(not self.state().is_default)


__all__ = ["FilterBar", "FilterState", "SEARCH_DEBOUNCE_MS", "SEARCH_SCOPES"]
