"""Timeline: every dated thing of a case in one stream (``core.timeline.build_timeline``).

Newest first by default (a button turns it round), a separator line for each day, each entry with
its local time, how long ago that was, its kind and its words. Chips filter by kind, a search box
finds within; Enter or a double-click opens the entry's item in its section. Entries whose item is
new or changed since the reviewer last looked (``core.changes``, given by ui/triage through the
tab's ``changes``) say so, and a "Since I last looked" chip shows only those. Entries without a
date, or with one that cannot be read, are listed at the end under their own heading, never
dropped.

A case may carry thousands of events: the stream is a ``QListView`` over a small list model with a
painting delegate (no widget per event), so a case of 5,000 events costs one model reset.
"""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QAbstractTableModel, QDate, QLocale, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from caseviewer.core import timestamps
from caseviewer.core.changes import CaseChanges, Mark
from caseviewer.core.models import CaseDetail
from caseviewer.core.privacy import FieldKind, mask_field
from caseviewer.core.timeline import EventKind, TimelineEvent, build_timeline, event_mark
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.flow_layout import FlowLayout
from caseviewer.ui.guard import guarded
from caseviewer.ui.detail.tabs.base import DetailTab
from caseviewer.ui.detail.widgets import SPACING, empty_state

EventRole = Qt.ItemDataRole.UserRole + 11
KindRole = Qt.ItemDataRole.UserRole + 12
UNDATED_HEADING = "No date, or a date that cannot be read"
#: After a day heading whose day could not be moved into local time (the edge of the calendar).
AS_SENT_NOTE = "(as sent: outside the calendar in local time)"
SINCE_LABEL = "Since I last looked"
_MARK_WORDS = {Mark.NEW: "New", Mark.CHANGED: "Changed"}

#: An accent per kind (mixed into the palette by the delegate so it reads in light and dark).
KIND_COLOURS = {
    EventKind.CASE: "#2f6fb2", EventKind.DECISION: "#17612f", EventKind.COMMENT: "#1d4a8f",
    EventKind.NOTE: "#b45309", EventKind.PAYMENT: "#5f2a96", EventKind.ORDER: "#0f766e",
    EventKind.SHIPPING: "#0f766e", EventKind.CALENDAR: "#9d174d", EventKind.ATTACHMENT: "#4b5563",
    EventKind.ACTIVITY: "#6b7280", EventKind.PRODUCT: "#7c5800", EventKind.FORM: "#3f6212",
}


def relative_time(when: datetime, now: datetime) -> str:
    """"3 days ago", "in 2 hours", "just now" (naive times read as local)."""
    try:  # both can fall off the calendar (a naive 9999-12-31T23:59 read as local, east of UTC)
        moment = when.astimezone() if when.tzinfo is None else when
        seconds = (now - moment).total_seconds()
    except (OverflowError, ValueError, OSError):
        return ""
    future, seconds = seconds < 0, abs(seconds)
    for size, unit in ((365 * 86400, "year"), (30 * 86400, "month"), (7 * 86400, "week"), (86400, "day"),
                       (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = int(seconds // size)
            text = f"{n} {unit}{'s' if n != 1 else ''}"
            return f"in {text}" if future else f"{text} ago"
    return "just now"


class Row:
    """One line of the stream: a day heading (``event`` None) or an event with its words.

    An event's words (local time, how long ago, title, detail) are made when first read, by the
    delegate painting the row or by a search: a case of thousands of events then costs the rows
    on screen, not a formatted line per event before the tab can show."""

    def __init__(self, heading: str = "", event: TimelineEvent | None = None, *, now: datetime | None = None,
                 mark: Mark = Mark.NONE) -> None:
        self.heading = heading
        self.event = event
        self.mark = mark
        self._now = now
        self._words: tuple[str, str, str, str] | None = None

    def _made(self) -> tuple[str, str, str, str]:
        if self._words is None:
            self._words = ("", "", "", "") if self.event is None else _event_words(
                self.event, self._now or datetime.now(timezone.utc), self.mark)
        return self._words

    @property
    def when_text(self) -> str:
        return self._made()[0]

    @property
    def title(self) -> str:
        return self._made()[1]

    @property
    def detail(self) -> str:
        return self._made()[2]

    @property
    def search(self) -> str:
        """The row's words casefolded, for Find."""
        return self._made()[3]

    @property
    def has_detail(self) -> bool:
        """Whether the row has a detail line (known without making its words: its height)."""
        return self.event is not None and bool(self.event.detail and self.event.detail.strip())


def _day_words(found: timestamps.Day | None, locale: QLocale) -> str:
    """A day heading in the reader's words ("Tuesday, 1 July 2025"); a moment that local time
    cannot hold (the edge of the calendar) under the day it was sent with, said so."""
    if found is None:
        return UNDATED_HEADING
    day = found.day
    words = locale.toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat)
    if not words:  # a locale that cannot word the day: the ISO date, never an empty heading
        words = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    return f"{words} {AS_SENT_NOTE}" if found.as_sent else words


def event_row(event: TimelineEvent, now: datetime, mark: Mark = Mark.NONE) -> Row:
    return Row(event=event, now=now, mark=mark)


def _event_words(event: TimelineEvent, now: datetime, mark: Mark) -> tuple[str, str, str, str]:
    """The meta line, title, detail and casefolded search text of an event's row."""
    if event.when is not None:
        date_only = fmt.is_date_only(event.raw)
        local = fmt.format_date(event.raw) if date_only else fmt.format_timestamp(event.raw, with_zone=True)
        ago = relative_time(event.when, now)
        when_text = f"{local} · {ago}" if ago else local
    elif event.raw:
        when_text = f"Unreadable date: {fmt.one_line(event.raw, 60)}"
    else:
        when_text = "No date"
    title = fmt.one_line(event.title, 300)
    if event.amount:
        title += f" · {fmt.format_currency(event.amount, event.currency)}"
    detail = fmt.one_line(event.detail, 300)
    if event.kind in (EventKind.COMMENT, EventKind.NOTE):  # their words, masked whole in privacy mode
        detail = mask_field(FieldKind.FREE_TEXT, detail) or ""
    kind = event.kind.label + (" (internal, never shown to the patient)" if event.internal else "")
    meta = f"{when_text} · {kind}" + (f" · {_MARK_WORDS[mark]} since you last looked" if mark in _MARK_WORDS else "")
    return meta, title, detail, f"{title}\n{detail}\n{kind}".casefold()


def stream_rows(events: list[TimelineEvent], *, newest_first: bool, kinds: set[EventKind] | None = None,
                find: str = "", now: datetime | None = None, changes: CaseChanges | None = None,
                since_only: bool = False) -> list[Row]:
    """Events (as ``build_timeline`` orders them, oldest first, undated last) as display rows.

    With ``changes`` each row carries its item's New / Changed mark; ``since_only`` keeps only
    the marked ones."""
    now = now or datetime.now(timezone.utc)
    needle = find.casefold().strip()
    locale = QLocale()
    dated = [e for e in events if e.when is not None]
    undated = [e for e in events if e.when is None]
    if newest_first:
        dated.reverse()
    rows: list[Row] = []
    last_day: object = ()  # no day yet (None is the undated heading's)
    for event in dated + undated:
        if kinds is not None and event.kind not in kinds:
            continue
        mark = event_mark(event, changes) if changes is not None else Mark.NONE
        if since_only and mark is Mark.NONE:
            continue
        row = event_row(event, now, mark)
        if needle and needle not in row.search:
            continue
        day = timestamps.local_day(event.when)
        if day != last_day:  # worded once per day, not once per event
            rows.append(Row(heading=_day_words(day, locale)))
            last_day = day
        rows.append(row)
    return rows


class TimelineModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    @guarded
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    @guarded
    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and bool(self.rows)  # a flat list

    @guarded
    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 1

    @guarded
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.heading if row.event is None else f"{row.when_text}\n{row.title}\n{row.detail}".strip()
        if role == Qt.ItemDataRole.ToolTipRole and row.event is not None:
            tip = f"{row.title}\n{row.detail}".strip()
            if row.event.raw:
                tip += f"\n{row.event.raw}  (as sent by the service)"
            if row.event.code:
                tip += f"\nCode: {row.event.code}"
            return fmt.plain_tooltip(tip)
        if role == EventRole:
            return row.event
        if role == KindRole:
            return row.event.kind if row.event is not None else None
        return None

    @guarded
    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.rows[index.row()].event is None:
            return Qt.ItemFlag.ItemIsEnabled  # a day heading: not selectable
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class TimelineDelegate(QStyledItemDelegate):
    """Paints a heading or an event (meta line, title, detail) elided to the row's width."""

    PAD = 6

    def _lines(self, index: QModelIndex) -> int:
        model = index.model()
        row = model.rows[index.row()] if isinstance(model, TimelineModel) else None
        if row is None or row.event is None:
            return 1
        return 3 if row.has_detail else 2

    @guarded
    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        height = option.fontMetrics.height()
        lines = self._lines(index)
        extra = 10 if lines == 1 else 2 * self.PAD
        return QSize(200, lines * (height + 2) + extra)

    @guarded
    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # noqa: ANN001
        model = index.model()
        if not isinstance(model, TimelineModel) or index.row() >= len(model.rows):
            return
        row = model.rows[index.row()]
        painter.save()
        try:
            palette = option.palette
            rect = option.rect
            metrics = option.fontMetrics
            line = metrics.height() + 2
            if row.event is None:
                font = QFont(option.font)
                font.setBold(True)
                painter.setFont(font)
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
                text_rect = rect.adjusted(SPACING, 4, -SPACING, 0)
                painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                                 metrics.elidedText(row.heading, Qt.TextElideMode.ElideRight, text_rect.width()))
                painter.setPen(palette.color(QPalette.ColorRole.Mid))
                painter.drawLine(rect.left() + SPACING, rect.bottom(), rect.right() - SPACING, rect.bottom())
                return
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            if selected:
                painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
            accent = QColor(KIND_COLOURS.get(row.event.kind, "#6b7280"))
            bar = QRect(rect.left() + SPACING, rect.top() + self.PAD, 4, rect.height() - 2 * self.PAD)
            painter.fillRect(bar, accent)
            left = bar.right() + 10
            width = max(10, rect.right() - SPACING - left)
            text_pen = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
            muted = text_pen if selected else palette.color(QPalette.ColorRole.PlaceholderText)
            y = rect.top() + self.PAD
            painter.setPen(muted)
            painter.drawText(QRect(left, y, width, line), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             metrics.elidedText(row.when_text, Qt.TextElideMode.ElideRight, width))
            y += line
            font = QFont(option.font)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(text_pen)
            bold = painter.fontMetrics()
            painter.drawText(QRect(left, y, width, line), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             bold.elidedText(row.title, Qt.TextElideMode.ElideRight, width))
            if row.detail:
                y += line
                painter.setFont(option.font)
                painter.setPen(muted)
                painter.drawText(QRect(left, y, width, line), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                                 metrics.elidedText(row.detail, Qt.TextElideMode.ElideRight, width))
        finally:
            painter.restore()


class TimelineTab(DetailTab):
    TITLE = "Timeline"
    #: A ``TimelineEvent`` the reviewer opened: the pane shows its item in its section.
    event_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.events: list[TimelineEvent] = []
        self._built_for: CaseDetail | None = None
        self._built: list[TimelineEvent] = []
        self.newest_first = True
        self.kinds: set[EventKind] = set(EventKind)
        self.chips: dict[EventKind, QToolButton] = {}
        #: Only entries new or changed since the reviewer last looked (the chip is shown when any are).
        self.since_only = False
        self.since_chip: QToolButton | None = None

        bar = QHBoxLayout()
        bar.setContentsMargins(SPACING, SPACING, SPACING, 0)
        self.find = QLineEdit()
        self.find.setPlaceholderText("Find in the timeline")
        self.find.setClearButtonEnabled(True)
        self.find.setAccessibleName("Find in the timeline")
        self.find.textChanged.connect(self._refill)
        self.order = QToolButton()
        self.order.setCheckable(True)
        self.order.setChecked(True)
        self.order.toggled.connect(self._on_order)
        self._word_order()
        bar.addWidget(self.find, 1)
        bar.addWidget(self.order)
        self.layout_.addLayout(bar)

        self.chip_host = QWidget()
        self.chip_flow = FlowLayout(self.chip_host, spacing=6)
        self.chip_host.setContentsMargins(SPACING, 6, SPACING, 0)
        self.layout_.addWidget(self.chip_host)

        self.model = TimelineModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(TimelineDelegate(self.view))
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAccessibleName("Timeline")
        self.view.activated.connect(self._on_activated)
        self.view.setContentsMargins(0, 0, 0, 0)
        box = QVBoxLayout()
        box.setContentsMargins(0, 6, 0, 0)
        box.addWidget(self.view, 1)
        self.layout_.addLayout(box, 1)
        self.empty = empty_state("Nothing dated in this case")
        self.layout_.addWidget(self.empty)
        self.empty.hide()

    def count(self, detail: CaseDetail) -> int | None:
        return len(self._timeline(detail))

    def _timeline(self, detail: CaseDetail) -> list[TimelineEvent]:
        """The case's events, built once per case (the title's count and the stream share them)."""
        if self._built_for is not detail:
            self._built_for, self._built = detail, build_timeline(detail)
        return self._built

    def render(self, detail: CaseDetail) -> None:
        self.events = self._timeline(detail)
        self._build_chips()
        self._refill()

    # -- chips, order, find ----------------------------------------------------------------------
    def _build_chips(self) -> None:
        while self.chip_flow.count():
            item = self.chip_flow.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.chips = {}
        self.since_chip = None
        counts: dict[EventKind, int] = {}
        for event in self.events:
            counts[event.kind] = counts.get(event.kind, 0) + 1
        since = sum(1 for event in self.events if event_mark(event, self.changes) is not Mark.NONE)
        if since:
            chip = QToolButton()
            chip.setObjectName("sinceLastLookedChip")
            chip.setCheckable(True)
            chip.setChecked(self.since_only)
            chip.setText(f"{SINCE_LABEL} {since}")
            chip.setToolTip("Show only entries that are new or changed since you last opened this case")
            chip.toggled.connect(self._on_since)
            self.chip_flow.addWidget(chip)
            self.since_chip = chip
        else:
            self.since_only = False  # another case, nothing new in it: never an empty stream by surprise
        for kind in EventKind:
            if kind not in counts:
                continue
            chip = QToolButton()
            chip.setCheckable(True)
            chip.setChecked(kind in self.kinds)
            chip.setText(f"{kind.label} {counts[kind]}")
            chip.setToolTip(f"Show or hide {kind.label.lower()} entries")
            chip.toggled.connect(lambda on, k=kind: self._on_chip(k, on))
            self.chip_flow.addWidget(chip)
            self.chips[kind] = chip
        self.chip_host.setVisible(bool(self.chips))

    def _on_chip(self, kind: EventKind, on: bool) -> None:
        (self.kinds.add if on else self.kinds.discard)(kind)
        self._refill()

    def _on_since(self, on: bool) -> None:
        self.since_only = on
        self._refill()

    def _on_order(self, newest_first: bool) -> None:
        self.newest_first = newest_first
        self._word_order()
        self._refill()

    def _word_order(self) -> None:
        self.order.setText("Newest first" if self.order.isChecked() else "Oldest first")
        self.order.setToolTip("Turn the order round (entries without a date stay at the end)")

    def _refill(self, *_: object) -> None:
        rows = stream_rows(self.events, newest_first=self.newest_first, kinds=self.kinds, find=self.find.text(),
                           changes=self.changes, since_only=self.since_only)
        self.model.set_rows(rows)
        nothing = not rows
        self.view.setVisible(not nothing)
        self.empty.setVisible(nothing)
        if nothing:
            self.empty.setText("Nothing dated in this case" if not self.events else "No entry matches")

    def visible_events(self) -> list[TimelineEvent]:
        return [row.event for row in self.model.rows if row.event is not None]

    def _on_activated(self, index: QModelIndex) -> None:
        event = index.data(EventRole)
        if event is not None:
            self.event_activated.emit(event)
