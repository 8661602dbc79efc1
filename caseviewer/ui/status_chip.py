"""Case status as a reviewer scans it: a coloured chip per status *group*, a readable label.

Twenty list statuses are too many colours to learn, so they fold into six groups (approved,
rejected, needs review, in progress, inactive, risk). Codes are the key (labels may vary); an
unknown code falls into the neutral group rather than failing.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from caseviewer.core.text import humanise_code
from caseviewer.ui.guard import guarded


@dataclass(frozen=True)
class StatusGroup:
    key: str
    name: str
    background: QColor
    foreground: QColor


# Soft tints with dark text: readable all day, still distinct at a glance.
APPROVED = StatusGroup("approved", "Approved", QColor("#dcf2e3"), QColor("#17612f"))
REJECTED = StatusGroup("rejected", "Rejected", QColor("#fadedd"), QColor("#9e1c1c"))
REVIEW = StatusGroup("review", "Needs review", QColor("#fdefd3"), QColor("#7f4d00"))
ACTIVE = StatusGroup("active", "In progress", QColor("#dde9fb"), QColor("#1d4a8f"))
INACTIVE = StatusGroup("inactive", "Inactive", QColor("#e9ecf0"), QColor("#4b5563"))
RISK = StatusGroup("risk", "Risk", QColor("#ede1fa"), QColor("#5f2a96"))

GROUPS: tuple[StatusGroup, ...] = (APPROVED, REJECTED, REVIEW, ACTIVE, INACTIVE, RISK)

_GROUP_OF_CODE: dict[str, StatusGroup] = {
    "MANUALLY_APPROVED": APPROVED,
    "AUTO_APPROVED": APPROVED,
    "MANUALLY_REJECTED": REJECTED,
    "AUTO_REJECTED": REJECTED,
    "UNDER_MANUAL_REVIEW": REVIEW,
    "PENDING_DECISION": REVIEW,
    "SCORE_CALCULATED": REVIEW,
    "SUBMITTED": REVIEW,
    "INFORMATION_REQUESTED": REVIEW,
    "INFORMATION_UPDATED": REVIEW,
    "INVITED": ACTIVE,
    "ONBOARDING": ACTIVE,
    "CREATED": ACTIVE,
    "INVITE_EXPIRED": INACTIVE,
    "ARCHIVED": INACTIVE,
    "DISMISSED": INACTIVE,
    "PAUSED": INACTIVE,
    "RISK_ALERT": RISK,
    "INVESTIGATING": RISK,
    "ESCALATED": RISK,
}


def status_group(code: str | None) -> StatusGroup:
    return _GROUP_OF_CODE.get((code or "").upper(), INACTIVE)


def pretty_status(code: str | None) -> str:
    """``UNDER_MANUAL_REVIEW`` -> "Under manual review"; empty codes read "Unknown"."""
    return humanise_code(code, missing="Unknown")


#: Item data role carrying the status code for the delegate (set by the table model).
StatusCodeRole = Qt.ItemDataRole.UserRole + 20

_H_PAD = 8  # inside the chip
_MARGIN = 6  # between the cell edge and the chip


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
        metrics = QFontMetrics(opt.font)
        chip_height = min(opt.rect.height() - 6, metrics.height() + 4)
        available = opt.rect.width() - 2 * _MARGIN
        text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, max(0, available - 2 * _H_PAD))
        width = min(available, metrics.horizontalAdvance(text) + 2 * _H_PAD)
        if width <= 2 * _H_PAD:
            return
        rect = QRect(
            opt.rect.left() + _MARGIN,
            opt.rect.top() + (opt.rect.height() - chip_height) // 2,
            width,
            chip_height,
        )
        painter.save()
        try:  # restored even on failure: the guard's fallback paints with the same painter
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(group.background)
            radius = chip_height / 2
            painter.drawRoundedRect(QRectF(rect), radius, radius)
            painter.setPen(group.foreground)
            painter.setFont(opt.font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        finally:
            painter.restore()

    @guarded
    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 2 * (_H_PAD + _MARGIN), max(size.height(), 24))


__all__ = [
    "GROUPS",
    "StatusChipDelegate",
    "StatusCodeRole",
    "StatusGroup",
    "pretty_status",
    "status_group",
]
