"""Status as a reviewer scans it: a chip per status *tone*, its colours from the theme and a shape.

The tones and which code has which tone are decided in ``core/status.py``; here a tone becomes
the current theme's colours (``ui/theme.py``) and a small shape drawn before the text (a tick,
a cross, an exclamation mark, a dot, a ring, a triangle), so colour never carries the meaning
alone. Two forms: ``StatusChipDelegate`` paints the case table's status cell, and ``ToneBadge``
is the label used on the case page (status, outcome, flags, "Internal note", "New").
Both read the theme when they paint, so a theme change reaches chips already on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from caseviewer.core.models import LIST_STATUS_CODES
from caseviewer.core.status import StatusTone, list_status_tone, pretty_status
from caseviewer.ui import theme
from caseviewer.ui.guard import guarded


@dataclass(frozen=True)
class StatusGroup:
    """A tone with its name; the colours are the current theme's (read each time)."""

    key: str
    name: str
    tone: StatusTone

    @property
    def background(self) -> QColor:
        return theme.tone_colors(self.tone)[0]

    @property
    def foreground(self) -> QColor:
        return theme.tone_colors(self.tone)[1]


APPROVED, REJECTED, REVIEW, ACTIVE, INACTIVE, RISK = (
    StatusGroup(tone.value, tone.label, tone) for tone in StatusTone)

GROUPS: tuple[StatusGroup, ...] = (APPROVED, REJECTED, REVIEW, ACTIVE, INACTIVE, RISK)
_GROUP_OF_TONE = {group.tone: group for group in GROUPS}


def group_of(tone: StatusTone) -> StatusGroup:
    return _GROUP_OF_TONE[tone]


def status_group(code: str | None) -> StatusGroup:
    """The group of a case-list status code (unknown codes: inactive)."""
    return _GROUP_OF_TONE[list_status_tone(code)]


def paint_tone_mark(painter: QPainter, rect: QRectF, tone: StatusTone, color: QColor) -> None:
    """The tone's shape in ``rect`` (a square), stroked or filled in ``color``."""
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(rect.width(), rect.height())
        box = QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)
        pen = QPen(color, max(1.5, side / 6), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inner = box.adjusted(side * 0.15, side * 0.15, -side * 0.15, -side * 0.15)
        if tone is StatusTone.APPROVED:  # a tick
            path = QPainterPath(QPointF(inner.left(), inner.center().y()))
            path.lineTo(QPointF(inner.left() + inner.width() * 0.38, inner.bottom()))
            path.lineTo(QPointF(inner.right(), inner.top()))
            painter.drawPath(path)
        elif tone is StatusTone.REJECTED:  # a cross
            painter.drawLine(inner.topLeft(), inner.bottomRight())
            painter.drawLine(inner.topRight(), inner.bottomLeft())
        elif tone is StatusTone.REVIEW:  # an exclamation mark
            x = inner.center().x()
            painter.drawLine(QPointF(x, inner.top()), QPointF(x, inner.top() + inner.height() * 0.6))
            painter.drawPoint(QPointF(x, inner.bottom()))
        elif tone is StatusTone.ACTIVE:  # a filled dot
            painter.setBrush(color)
            painter.drawEllipse(inner.adjusted(side * 0.08, side * 0.08, -side * 0.08, -side * 0.08))
        elif tone is StatusTone.INACTIVE:  # a ring
            painter.drawEllipse(inner)
        else:  # risk: a triangle
            path = QPainterPath(QPointF(inner.center().x(), inner.top()))
            path.lineTo(inner.bottomRight())
            path.lineTo(inner.bottomLeft())
            path.closeSubpath()
            painter.setBrush(color)
            painter.drawPath(path)
    finally:
        painter.restore()


def tone_icon(tone: StatusTone, size: int = 14) -> QIcon:
    """The tone's shape on its chip colour, for menus (the current theme's colours)."""
    background, foreground = theme.tone_colors(tone)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(foreground, 1))
    painter.setBrush(background)
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
    paint_tone_mark(painter, QRectF(2, 2, size - 4, size - 4), tone, foreground)
    painter.end()
    return QIcon(pixmap)


def _paint_chip(painter: QPainter, rect: QRect, tone: StatusTone, text: str) -> None:
    """Rounded chip, the tone's shape, then ``text``: the one drawing for cells and badges."""
    background, foreground = theme.tone_colors(tone)
    painter.save()
    try:  # restored even on failure: the guard's fallback paints with the same painter
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = rect.height() / 2
        outline = theme.current().outlined_chips
        painter.setPen(QPen(foreground, 1) if outline else Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
        mark = _mark_size(rect.height())
        paint_tone_mark(painter, QRectF(rect.left() + _H_PAD, rect.top() + (rect.height() - mark) / 2, mark, mark),
                        tone, foreground)
        painter.setPen(foreground)
        text_rect = rect.adjusted(_H_PAD + mark + _GAP, 0, -_H_PAD, 0)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
    finally:
        painter.restore()


def _mark_size(chip_height: int) -> int:
    return max(6, round(chip_height * 0.5))


def chip_width(metrics: QFontMetrics, text: str, chip_height: int) -> int:
    """The width a chip needs for ``text`` at ``chip_height`` (padding, shape, gap, text)."""
    return metrics.horizontalAdvance(text) + 2 * _H_PAD + _mark_size(chip_height) + _GAP


def status_column_width(font: QFont) -> int:
    """A table column wide enough for the widest list status chip in ``font`` (bold: an unread
    row's text is bold), with the cell's margins: no chip is elided."""
    bold = QFont(font)
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    height = metrics.height() + 4
    widest = max((chip_width(metrics, pretty_status(code), height) for code in LIST_STATUS_CODES.values()), default=0)
    return widest + 2 * _MARGIN + 2


#: Item data role carrying the status code for the delegate (set by the table model).
StatusCodeRole = Qt.ItemDataRole.UserRole + 20

_H_PAD = 8  # inside the chip
_GAP = 5  # between the shape and the text
_MARGIN = 6  # between the cell edge and the chip


@dataclass(frozen=True)
class _Chip:
    pixmap: QPixmap
    height: int  # in the cell's (logical) pixels


#: Chips drawn once and reused: a table shows a handful of statuses at one size, and drawing a
#: chip (antialiased rounded rect, shape, text) cost ~0.6 ms a cell, a third of a repaint.
_CHIPS: dict[tuple, _Chip | None] = {}
_CHIPS_KEPT = 512


def _cell_chip(font: QFont, label: str, tone: StatusTone, cell_width: int, cell_height: int,
               ratio: float) -> _Chip | None:
    """The chip of a status cell (elided to fit), drawn or found; None when nothing fits.

    Keyed by everything its pixels depend on, the theme's colours included, so a theme, zoom or
    screen change draws new chips rather than showing old ones.
    """
    # A painter on a pixmap fills what the font leaves unset from the application font: measure
    # with that same font, or a font that inherits its size (a view's, under a style sheet, after
    # a zoom) is measured at one size and drawn at another, its text cut at the chip's edge.
    font = font.resolve(QApplication.font())
    background, foreground = theme.tone_colors(tone)
    key = (font.key(), label, tone, cell_width, cell_height, ratio, background.rgba(), foreground.rgba(),
           theme.current().outlined_chips)
    if key in _CHIPS:
        return _CHIPS[key]
    metrics = QFontMetrics(font)
    chip_height = min(cell_height - 6, metrics.height() + 4)
    available = cell_width - 2 * _MARGIN
    extra = chip_width(metrics, "", chip_height)
    text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, max(0, available - extra))
    width = min(available, metrics.horizontalAdvance(text) + extra)
    chip = None
    if width > extra and chip_height > 0:
        pixmap = QPixmap(max(1, round(width * ratio)), max(1, round(chip_height * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        chip_painter = QPainter(pixmap)
        try:
            chip_painter.setFont(font)
            _paint_chip(chip_painter, QRect(0, 0, width, chip_height), tone, text)
        finally:
            chip_painter.end()
        chip = _Chip(pixmap, chip_height)
    if len(_CHIPS) >= _CHIPS_KEPT:
        _CHIPS.clear()  # rare (a resize drag of the column): the next paint draws the few needed again
    _CHIPS[key] = chip
    return chip


class StatusChipDelegate(QStyledItemDelegate):
    """Paints the status cell as a rounded chip; the cell's text stays the plain label."""

    @guarded
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        label = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        # Selection and hover backgrounds as the style draws them, then the chip on top.
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if not label:
            return
        group = status_group(index.data(StatusCodeRole))
        chip = _cell_chip(opt.font, label, group.tone, opt.rect.width(), opt.rect.height(),
                          painter.device().devicePixelRatioF())
        if chip is not None:
            painter.drawPixmap(opt.rect.left() + _MARGIN, opt.rect.top() + (opt.rect.height() - chip.height) // 2,
                               chip.pixmap)

    @guarded
    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        mark = _mark_size(size.height())
        return QSize(size.width() + 2 * (_H_PAD + _MARGIN) + mark + _GAP, max(size.height(), 24))


#: What a squeezed badge still shows of its text (its width, in the badge's font).
BADGE_MIN_TEXT = "Mmmmmm…"


class ToneBadge(QLabel):
    """A small rounded chip with a tone's shape and colours; ``text()`` is the plain label.

    It paints itself (colours from the theme at paint time, so it follows a theme change) and
    reads as a label to assistive technology: its name is the text, its description the tone.
    """

    #: Shortens its text on purpose when squeezed (``shown_text``; whole in the tooltip).
    ELIDES = True

    def __init__(self, text: str, tone: StatusTone, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("toneBadge")
        self.tone = tone
        self.setTextFormat(Qt.TextFormat.PlainText)
        font = self.font()
        font.setWeight(font.Weight.DemiBold)
        self.setFont(font)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.setAccessibleDescription(tone.label)

    def _chip_height(self) -> int:
        return self.fontMetrics().height() + 4

    @guarded
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        height = self._chip_height()
        return QSize(chip_width(self.fontMetrics(), self.text(), height) + 4, height)

    @guarded
    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # A narrow pane may squeeze the chip: its text elides (whole in the tooltip) rather than
        # the page scrolling sideways; a few letters always show.
        height = self._chip_height()
        shortest = chip_width(self.fontMetrics(), BADGE_MIN_TEXT, height) + 4
        return QSize(min(self.sizeHint().width(), shortest), height)

    def shown_text(self) -> str:
        """The text as drawn at the badge's width: elided when squeezed below its size hint."""
        height = self._chip_height()
        metrics = self.fontMetrics()
        room = min(self.width(), self.sizeHint().width() - 4) - chip_width(metrics, "", height)
        if metrics.horizontalAdvance(self.text()) <= room:  # (elidedText's own measure rounds otherwise)
            return self.text()
        return metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, max(0, room))

    @guarded
    def paintEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's signature
        painter = QPainter(self)
        try:
            height = min(self.height(), self._chip_height())
            rect = QRect(0, (self.height() - height) // 2, min(self.width(), self.sizeHint().width() - 4), height)
            _paint_chip(painter, rect, self.tone, self.shown_text())
        finally:
            painter.end()

    @guarded
    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's signature
        super().resizeEvent(event)
        elided = self.shown_text() != self.text()
        if elided and not self.toolTip():
            self.setToolTip(self.text())
            self._tip_is_text = True
        elif not elided and getattr(self, "_tip_is_text", False):
            self.setToolTip("")
            self._tip_is_text = False

    @guarded
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self.updateGeometry()  # zoom: the chip grows with its text
        super().changeEvent(event)


__all__ = [
    "GROUPS",
    "StatusChipDelegate",
    "StatusCodeRole",
    "StatusGroup",
    "ToneBadge",
    "chip_width",
    "status_column_width",
    "group_of",
    "paint_tone_mark",
    "pretty_status",
    "status_group",
    "tone_icon",
]
