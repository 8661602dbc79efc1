"""The key/value form of the case page's cards: "Label   value" rows, labels muted.

A form whose values may wrap (``wrap_values``) decides itself when its rows put their values
under their labels, all rows together: QFormLayout's own rule squeezed a value below its widest
word first, and left the fields' minimum widths out of its own, so a narrow case page cut the end
off a date ("74 (born 1952-08-1"). With both here, a narrow page wraps, and never clips.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from caseviewer.core.privacy import FieldKind
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.widgets import LONG_TEXT_CHARS, LONG_TEXT_LINES, LongText, set_point_delta, text_label
from caseviewer.ui.guard import guarded


class KeyValueForm(QWidget):
    """Rows of "Label   value": labels right-aligned and muted, values selectable plain text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._layout.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._layout.setHorizontalSpacing(14)
        self._layout.setVerticalSpacing(5)
        self._may_wrap = False  # wrap_values: rows may put their value under their label

    def _key(self, label: str) -> QLabel:
        key = text_label(label, selectable=False, wrap=False, muted=True)
        key.setMinimumWidth(110)
        key.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        return key

    def add_widget(self, label: str, widget: QWidget) -> QWidget:
        from caseviewer.ui.triage.copy_menu import install_copy_menu

        self._layout.addRow(self._key(label), widget)
        install_copy_menu(widget, label)  # right-click: copy the whole value
        return widget

    def add(self, label: str, value: str | None, *, tooltip: str = "", kind: FieldKind | None = None) -> QWidget:
        """A text value; missing ones read "—", long ones get a scroll box; ``kind`` as for
        ``text_label``."""
        if value and (len(value) > LONG_TEXT_CHARS or value.count("\n") > LONG_TEXT_LINES):
            return self.add_widget(label, LongText(value))
        return self.add_widget(label, text_label(fmt.or_missing(value), tooltip=tooltip, kind=kind if value else None))

    def add_time(self, label: str, value: str | None) -> QWidget:
        """Local time shown, the exact string the service sent in the tooltip."""
        return self.add_widget(label, text_label(fmt.format_timestamp(value), tooltip=fmt.timestamp_tooltip(value)))

    def add_flag(self, label: str, value: bool | None, yes: str = "Yes", no: str = "No") -> QWidget:
        return self.add_widget(label, text_label(fmt.yes_no(value, yes, no)))

    def add_user(self, label: str, user: Any) -> QWidget:
        """Name, with the user's email and id under it in small type (reviewers cross-reference ids)."""
        if user is None:
            return self.add(label, None)
        cell = QWidget()
        layout = QVBoxLayout(cell)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(text_label(fmt.user_name(user), tooltip=fmt.user_tooltip(user)))
        details = [fmt.clean(v) for v in (getattr(user, "email", None), getattr(user, "id", None)) if v]
        if details:
            small = text_label("  ·  ".join(details), muted=True)
            set_point_delta(small, -1)
            layout.addWidget(small)
        return self.add_widget(label, cell)

    def add_extras(self, model: Any) -> None:
        """Fields the service sent that no document describes: a humanised label ("Pharmacy
        notes"), the wire name (``pharmacyNotes``) in the label's tooltip."""
        for key, value in (getattr(model, "extra_fields", None) or {}).items():
            self.add_field(str(key), value)

    def add_field(self, key: str, value: Any) -> QWidget:
        """One unknown field under its humanised label; codes we know are worded."""
        widget = self.add(fmt.field_label(key), fmt.any_text(value))
        label = self._layout.labelForField(widget)
        if label is not None:
            label.setToolTip(fmt.plain_tooltip(f"Field name as sent: {key}"))
        return widget

    def add_word(self, label: str, vocab: Any, code: str | None) -> QWidget:
        """A service code in words, the code as sent in the tooltip."""
        return self.add(label, fmt.word(vocab, code) if code else None, tooltip=fmt.code_tooltip(code))

    def row_count(self) -> int:
        return self._layout.rowCount()

    def _widest(self) -> tuple[int, int, int]:
        """The widest label, field minimum and spanning row minimum."""
        widest = {QFormLayout.ItemRole.LabelRole: 0, QFormLayout.ItemRole.FieldRole: 0,
                  QFormLayout.ItemRole.SpanningRole: 0}
        for row in range(self._layout.rowCount()):
            for role in widest:
                item = self._layout.itemAt(row, role)
                widget = item.widget() if item is not None else None
                if widget is not None and not widget.isHidden():
                    widest[role] = max(widest[role], widget.minimumWidth(), widget.minimumSizeHint().width())
        return tuple(widest.values())

    @guarded
    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # QFormLayout leaves its fields' minimum widths out of its own, so a card was laid out
        # narrower than a value's widest word and cut it off ("74 (born 1952-08-1"). A form whose
        # rows may wrap is as narrow as its widest label or value, whatever it shows now.
        hint = super().minimumSizeHint()
        labels, fields, spanning = self._widest()
        if self._may_wrap:
            return QSize(max(labels, fields, spanning), hint.height())
        return QSize(max(hint.width(), labels + self._layout.horizontalSpacing() + fields, spanning), hint.height())

    @guarded
    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt signature
        # The form decides when its rows wrap: QFormLayout's own rule squeezes a value below its
        # widest word before it puts it under its label. All rows together, so labels align.
        if self._may_wrap:
            labels, fields, _spanning = self._widest()
            fits = event.size().width() >= labels + self._layout.horizontalSpacing() + fields
            policy = QFormLayout.RowWrapPolicy.WrapLongRows if fits else QFormLayout.RowWrapPolicy.WrapAllRows
            if self._layout.rowWrapPolicy() != policy:
                self._layout.setRowWrapPolicy(policy)
                # Beside its value a label is right-aligned against it; above it, left-aligned.
                side = Qt.AlignmentFlag.AlignRight if fits else Qt.AlignmentFlag.AlignLeft
                for row in range(self._layout.rowCount()):
                    item = self._layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
                    if item is not None and isinstance(item.widget(), QLabel):
                        item.widget().setAlignment(side | Qt.AlignmentFlag.AlignTop)
                self.updateGeometry()  # the card asks for the height at this width again
        super().resizeEvent(event)

    def wrap_values(self) -> None:
        """Let every text value wrap, and a row put its value under its label when the two do not
        fit side by side (a narrow column of cards must never scroll sideways)."""
        self._may_wrap = True
        self.updateGeometry()
        for row in range(self._layout.rowCount()):
            item = self._layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel) and not widget.styleSheet():
                widget.setWordWrap(True)


__all__ = ["KeyValueForm"]
