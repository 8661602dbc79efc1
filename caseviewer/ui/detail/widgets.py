"""Building blocks every detail tab uses: plain-text labels, cards, empty states (the key/value
form is ``key_value_form.py``).

All service text enters the UI through these helpers, which is how the pane keeps its promise that
service strings are never interpreted as rich text: labels are forced to ``Qt.PlainText``, long
text goes into read-only ``QPlainTextEdit``s, and tooltips are escaped (``formatting.plain_tooltip``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import shiboken6
from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QTextCursor
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caseviewer.core.privacy import FieldKind, mask_field, mask_text
from caseviewer.core.status import StatusTone
from caseviewer.ui import accessible
from caseviewer.ui import formatting as fmt
from caseviewer.ui import icons
from caseviewer.ui.guard import guarded
from caseviewer.ui.case_list.status_chip import ToneBadge
from caseviewer.ui.word_label import WordLabel, has_long_piece
from caseviewer.ui.zoom import set_relative_font

#: Text longer than this (characters or lines) goes into a scrollable box instead of a label, so a
#: 1 MB comment neither freezes layout nor pushes everything else a mile down.
LONG_TEXT_CHARS = 1500
LONG_TEXT_LINES = 20
LONG_TEXT_MAX_HEIGHT = 240
#: Characters of a long text shown until "Show all" (a 1 MB box costs ~1 s to lay out).
LONG_TEXT_PREVIEW_CHARS = 4000
#: Characters put into a text box per event-loop turn (~30-50 ms of layout).
FILL_CHUNK_CHARS = 50_000
#: The next chunk waits on a 1 ms timer: a posted ``singleShot(0)`` call runs in the same pass as
#: the one before it (see ``tabs/base.py``, ``NEXT_BATCH_MS``), so chunks ran back to back.
NEXT_CHUNK_MS = 1

SPACING = 12
#: Labels wrap only when their text is longer than this (see ``text_label``).
WRAP_FROM = 80
#: Property of a label whose text privacy mode masked: the text itself, for a timed reveal.
REVEAL_PROPERTY = "privacyOriginal"


class SelectableLabel(WordLabel):
    """A plain-text label the reviewer can select text in with the mouse.

    Selection is switched on when the pointer first enters the label (always before a press
    can start one): a selectable QLabel builds a text control and document at once, and a
    case's tabs hold hundreds of labels the reviewer never selects in. Made eagerly that cost
    about a third of building a tab (more under the app-wide idle filter, which sees each of the
    extra events that control sends)."""

    @guarded
    def enterEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt signature
        self.make_selectable()
        super().enterEvent(event)

    def make_selectable(self) -> None:
        if not self.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse:
            self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)


def text_label(
    text: str,
    *,
    selectable: bool = True,
    wrap: bool | None = None,
    muted: bool = False,
    tooltip: str = "",
    parent: QWidget | None = None,
    kind: FieldKind | None = None,
) -> QLabel:
    """A label that shows ``text`` literally (never as HTML), selectable for copying by default.

    ``kind`` says the whole value is PHI of that kind (an age tells the date of birth): privacy
    mode then masks all of it, not only the known terms in it.

    ``wrap`` defaults to wrapping only long text, or text with a piece too long for a line
    (``word_label.breakable``): word-wrapped labels report a height-for-width, and forms full of
    them get squeezed in scroll areas; short values never need to wrap.
    """
    label = SelectableLabel(parent) if selectable else WordLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    shown = (mask_field(kind, text) or "") if kind is not None else mask_text(text)  # privacy mode (core/privacy.py)
    tooltip = (mask_field(kind, tooltip) or "") if kind is not None else mask_text(tooltip)
    if shown != text:
        label.setProperty(REVEAL_PROPERTY, text)  # what "Reveal for 5 s" shows (ui/safeguards/privacy_mode.py)
    label.setText(shown)
    label.setWordWrap(len(text) > WRAP_FROM or has_long_piece(shown) if wrap is None else wrap)
    if selectable:  # selection itself is switched on when the pointer enters (SelectableLabel)
        label.setCursor(Qt.CursorShape.IBeamCursor)
    if muted:
        set_muted(label)
    if tooltip:
        label.setToolTip(tooltip)
    return label


def set_muted(widget: QWidget) -> None:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText))
    widget.setPalette(palette)


def set_point_delta(widget: QWidget, delta: float, *, bold: bool = False) -> None:
    """``delta`` points larger (or smaller) than the UI text, following the zoom (``ui/zoom.py``)."""
    set_relative_font(widget, delta=delta, bold=bold)


def tint(widget: QWidget, color: str, strength: float) -> QColor:
    """``color`` mixed into the palette's base colour: a tint that works in light and dark mode."""
    base = widget.palette().color(QPalette.ColorRole.Base)
    other = QColor(color)
    mix = [round(a * (1 - strength) + b * strength) for a, b in zip(base.getRgb()[:3], other.getRgb()[:3])]
    return QColor(*mix)


def _line_chunks(source: str | Iterable[str], size: int) -> Iterator[str]:
    """The text of ``source`` (a string, or pieces of one) in chunks of about ``size`` characters,
    each to become its own paragraph: cut at a line end (dropped), else at a space (which becomes
    the paragraph break), else anywhere. Adding to one ever-growing paragraph instead would lay
    it out again at every chunk: seconds for a megabyte on one line."""
    pending = ""
    for piece in ([source] if isinstance(source, str) else source):
        pending += piece
        while len(pending) >= size:
            cut = pending.rfind("\n", 0, size)
            if cut <= 0:
                cut = pending.rfind(" ", 0, size)
            if cut > 0:
                yield pending[:cut]
                pending = pending[cut + 1:]
            else:
                yield pending[:size]
                pending = pending[size:]
    yield pending


def fill_plain_text(edit: QPlainTextEdit, source: str | Iterable[str], *, chunk: int = FILL_CHUNK_CHARS,
                    done: Callable[[], None] | None = None) -> None:
    """Put the text of ``source`` (a string, or a generator of pieces produced as needed) into
    ``edit`` one chunk per event-loop turn, so a megabyte never freezes the window (laying out
    plain text costs about a microsecond a character). A later call for the same edit
    supersedes an unfinished one; ``done`` runs once all of it is in."""
    token = object()
    edit.setProperty("fillToken", id(token))
    chunks = _line_chunks(source, chunk)
    edit.setPlainText(next(chunks, ""))

    def step() -> None:
        if not shiboken6.isValid(edit) or edit.property("fillToken") != id(token):
            return  # deleted, or superseded by a newer fill
        piece = next(chunks, None)
        if piece is None:
            if done is not None:
                done()
            return
        cursor = QTextCursor(edit.document())  # not the view's cursor: the view stays where it is
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText("\n" + piece)
        QTimer.singleShot(NEXT_CHUNK_MS, step)

    step.token = token  # type: ignore[attr-defined] - keeps the token alive while pending
    QTimer.singleShot(NEXT_CHUNK_MS, step)


class LongText(QWidget):
    """Service text that may be one word or a megabyte: a label when short, a scroll box when long.

    Beyond ``LONG_TEXT_PREVIEW_CHARS`` the box shows the beginning, with "Show all" to load the
    rest (gradually, ``fill_plain_text``): thirty 1 MB comments then cost thirty short boxes.
    """

    def __init__(self, text: str | None, parent: QWidget | None = None, *, free_text: bool = False) -> None:
        """``free_text``: a comment's or note's own words, masked whole in privacy mode."""
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        raw = (mask_field(FieldKind.FREE_TEXT, text) if free_text else text) or ""
        self._raw = raw
        self.show_all_button: QPushButton | None = None
        if len(raw) <= LONG_TEXT_CHARS and raw.count("\n") <= LONG_TEXT_LINES:
            # Always wrapping: free text must not widen its card past the pane (sideways scrolling).
            self.view: QWidget = text_label(fmt.clean(raw) if raw.strip() else fmt.MISSING, wrap=True)
        else:
            box = QPlainTextEdit()
            box.setReadOnly(True)
            box.setMaximumHeight(LONG_TEXT_MAX_HEIGHT)
            box.setMinimumHeight(120)
            box.setFrameShape(QFrame.Shape.StyledPanel)
            self.view = box
            if len(raw) > LONG_TEXT_PREVIEW_CHARS:
                box.setPlainText(mask_text(fmt.clean(raw[:LONG_TEXT_PREVIEW_CHARS])) + " …")
                self.note = text_label(f"Long text ({len(raw):,} characters): showing the first "
                                       f"{LONG_TEXT_PREVIEW_CHARS:,}.", muted=True, selectable=False, wrap=True)
                self.show_all_button = QPushButton("Show all")
                self.show_all_button.setObjectName("showAllText")
                self.show_all_button.setAutoDefault(False)
                self.show_all_button.clicked.connect(self.show_all)
            else:
                box.setPlainText(mask_text(fmt.clean(raw)))
                self.note = text_label(f"Long text ({len(raw):,} characters): scroll inside the box.",
                                       muted=True, selectable=False, wrap=True)
            set_point_delta(self.note, -1)
            layout.addWidget(self.note if self.show_all_button is None
                             else with_buttons(self.note, self.show_all_button, spacing=SPACING))
        layout.addWidget(self.view)

    def show_all(self) -> None:
        """Load the whole text into the box, a chunk per event-loop turn."""
        if self.show_all_button is None or not isinstance(self.view, QPlainTextEdit):
            return
        self.show_all_button.setEnabled(False)
        self.show_all_button.setText("Loading…")

        def finished() -> None:
            if shiboken6.isValid(self):
                self.show_all_button.hide()
                self.note.setText(f"Long text ({len(self._raw):,} characters): scroll inside the box.")

        fill_plain_text(self.view, mask_text(fmt.clean(self._raw)), done=finished)

    def is_complete(self) -> bool:
        """True once the whole text is in the box (always for short text)."""
        return self.show_all_button is None or self.show_all_button.isHidden()


class Card(QFrame):
    """A titled, bordered group (one decision, one order, one comment...)."""

    def __init__(self, title: str = "", *, subtitle: str = "", background: QColor | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailCard")
        # Painted here rather than with a style sheet: a style sheet on the card puts every label
        # inside it under Qt's style-sheet style, which made building a case's cards ~3x slower.
        self._border = self.palette().color(QPalette.ColorRole.Mid)
        self._fill = QColor(background) if background is not None else self.palette().color(QPalette.ColorRole.Base)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 10, 14, 12)
        self.body.setSpacing(8)
        if title or subtitle:
            header = QHBoxLayout()
            header.setSpacing(10)
            self.title_label = text_label(title, wrap=True)
            set_point_delta(self.title_label, 1, bold=True)
            # A screen reader names the group by its title (as shown: masked in privacy mode).
            accessible.name(self, self.title_label.text(), subtitle or None)
            header.addWidget(self.title_label, 1)
            if subtitle:
                header.addWidget(text_label(subtitle, wrap=False, muted=True), 0, Qt.AlignmentFlag.AlignTop)
            self.body.addLayout(header)

    @guarded
    def paintEvent(self, event) -> None:  # noqa: ANN001 - Qt signature
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self._border, 1))
        painter.setBrush(self._fill)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)

    def add(self, widget: QWidget) -> QWidget:
        self.body.addWidget(widget)
        return widget

    def add_heading(self, text: str) -> QLabel:
        return self.add(section_heading(text))  # type: ignore[return-value]


def section_heading(text: str) -> QLabel:
    label = text_label(text, selectable=False, wrap=False)
    set_point_delta(label, 0, bold=True)
    label.setContentsMargins(0, 6, 0, 0)
    return label


def empty_state(text: str) -> QLabel:
    """The friendly line shown instead of an empty table or list."""
    label = text_label(text, selectable=False, muted=True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setObjectName("emptyState")
    label.setContentsMargins(12, 36, 12, 36)
    set_point_delta(label, 1)
    return label


class ScrollPage(QScrollArea):
    """A vertically scrolling column of cards; ``reset()`` starts a fresh column for a new case,
    ``finish()`` shows it.

    The fresh column stays hidden while it is filled: a widget added to a shown parent is
    polished and laid out on its own, so filling a hidden one and showing it once is cheaper.
    """

    def __init__(self, parent: QWidget | None = None, *, name: str = "Section content") -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        accessible.name(self, name)  # it takes the focus (to scroll by keys): say what it holds
        self.column: QVBoxLayout
        self.reset()

    def reset(self) -> QVBoxLayout:
        self._finished = False
        content = QWidget()
        self.column = QVBoxLayout(content)
        self.column.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        self.column.setSpacing(SPACING)
        # Deletes the previous case's widgets. A widget set on an already visible scroll area
        # stays hidden until shown: finish() shows it once the cards are in.
        self.setWidget(content)
        return self.column

    def add(self, widget: QWidget) -> QWidget:
        if self._finished:  # built gradually: later cards go above the closing stretch
            self.column.insertWidget(self.column.count() - 1, widget)
        else:
            self.column.addWidget(widget)
        return widget

    def finish(self) -> None:
        if not self._finished:
            self._finished = True
            self.column.addStretch(1)
            self.widget().show()


class SideBySide(QWidget):
    """Two widgets side by side when the pane is wide enough, the second under the first when not.

    Its minimum width is the wider of the two, not their sum, so a narrow pane stacks them
    instead of scrolling sideways.
    """

    def __init__(self, first: QWidget, second: QWidget, *, spacing: int = SPACING * 2,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._first, self._second = first, second
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(spacing)
        self._layout.addWidget(first, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._layout.addWidget(second, 1, Qt.AlignmentFlag.AlignTop)

    def _side_by_side_width(self) -> int:
        return (self._first.sizeHint().width() + self._layout.spacing()
                + self._second.minimumSizeHint().width())

    @guarded
    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        narrow = max(self._first.minimumSizeHint().width(), self._second.minimumSizeHint().width())
        return QSize(narrow, hint.height())

    def is_side_by_side(self) -> bool:
        return self._layout.direction() == QBoxLayout.Direction.LeftToRight

    @guarded
    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt signature
        wanted = (QBoxLayout.Direction.LeftToRight if self.width() >= self._side_by_side_width()
                  else QBoxLayout.Direction.TopToBottom)
        if self._layout.direction() != wanted:
            self._layout.setDirection(wanted)
        super().resizeEvent(event)


def with_buttons(text: QWidget, *buttons: QWidget, spacing: int = 6) -> SideBySide:
    """``text`` with ``buttons`` in a left-aligned row beside it, or under it on a narrow page."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(spacing)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return SideBySide(text, holder, spacing=spacing)


def badge(text: str, tone: StatusTone) -> QLabel:
    """A small rounded chip in a status tone (status, outcome, flag). ``text`` is shown as plain text."""
    shown = mask_text(text)  # privacy mode (core/privacy.py)
    label = ToneBadge(shown, tone)
    if shown != text:
        label.setProperty(REVEAL_PROPERTY, text)
    return label


def icon_label(name: str, size: int = 16) -> QLabel:
    """One of the app's tinted icons as a label (plain-text format, like every label here)."""
    label = text_label("", selectable=False, wrap=False)
    label.setPixmap(icons.icon(name).pixmap(QSize(size, size)))
    return label
