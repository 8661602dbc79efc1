"""Raw tab: the case detail JSON as received, pretty-printed, with a find bar.

When reading the response had to replace something (a lone surrogate, an invalid byte), the
document shows U+FFFD there and "Show as sent" shows the response as it came
(``CaseDetail.as_sent``).

Long lines wrap in the view (it never scrolls sideways). Built only when the tab is first shown (``DetailTab`` renders lazily). Inline attachment bodies
(``content``) can be tens of megabytes of base64, so they are replaced by a short marker such as
``<base64, 1.2 MB>``, and a document still over ``MAX_CHARS`` is cut with a note saying so. The
pretty-printer is iterative: a hostile document nested thousands of levels deep shows its first
``MAX_DEPTH`` levels and says the rest is too deep, instead of raising ``RecursionError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QTextDocument, QTextOption
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton, QWidget

from caseviewer.core.models import CaseDetail
from caseviewer.core.privacy import MASK_STATE
from caseviewer.ui import accessible
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.tabs.base import DetailTab
from caseviewer.ui.detail.widgets import SPACING, fill_plain_text, text_label
from caseviewer.ui.zoom import set_relative_font
from caseviewer.ui.local_keys import local_keys

MAX_CHARS = 1_000_000
#: ``content`` strings shorter than this are shown as they are (they are not worth hiding).
INLINE_CONTENT_CHARS = 80
#: Strings longer than this are cut in the view (a 1 MB comment on one line takes seconds to lay
#: out); the note says so, and the text itself is on its tab.
MAX_STRING_CHARS = 10_000
#: Levels of nesting shown; deeper values are replaced by a marker (the note says so).
MAX_DEPTH = 100
TOO_DEEP_MARKER = '"<nested too deeply to show>"'
_SURROGATE = re.compile("[\ud800-\udfff]")


def _is_base64_content(key: Any, item: Any) -> bool:
    return key == "content" and isinstance(item, str) and len(item) > INLINE_CONTENT_CHARS


def _content_marker(item: str) -> str:
    return f"<base64, {fmt.human_size(len(item) * 3 // 4)}>"


def abbreviate(value: Any) -> Any:
    """A copy of ``value`` with long base64 ``content`` strings replaced by a size marker.

    Iterative (an explicit stack), so a document nested thousands of levels deep cannot raise
    ``RecursionError``.
    """
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(value, root, 0)]
    while stack:
        item, holder, key = stack.pop()
        if isinstance(item, dict):
            copy: dict[Any, Any] = {}
            holder[key] = copy
            for k, child in item.items():
                if _is_base64_content(k, child):
                    copy[k] = _content_marker(child)
                else:
                    copy[k] = None  # keeps the key order; filled in when popped
                    stack.append((child, copy, k))
        elif isinstance(item, list):
            items: list[Any] = [None] * len(item)
            holder[key] = items
            stack.extend((child, items, i) for i, child in enumerate(item))
        else:
            holder[key] = item
    return root[0]


def _scalar(value: Any, stats: "PrettyStats | None" = None) -> str:
    if isinstance(value, str) and len(value) > MAX_STRING_CHARS:
        value = value[:MAX_STRING_CHARS] + f"… ({len(value) - MAX_STRING_CHARS:,} more characters not shown)"
        if stats is not None:
            stats.cut_strings = True
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:  # an integer with more digits than Python converts to text
        return '"<number too long to show>"'


class PrettyStats:
    """What ``iter_pretty_json`` found out on the way (known once it has finished)."""

    def __init__(self) -> None:
        self.truncated = False
        self.too_deep = False
        self.cut_strings = False


def iter_pretty_json(value: Any, stats: PrettyStats, *, indent: int = 2, max_chars: int = MAX_CHARS,
                     max_depth: int = MAX_DEPTH) -> Iterator[str]:
    """The pieces of ``json.dumps(value, indent=2)``, produced without recursion and on demand.

    Stops after ``max_chars`` (the rest would not be shown anyway), abbreviates base64 ``content``
    on the way, cuts strings over ``MAX_STRING_CHARS`` and shows values below ``max_depth``
    levels as a marker; ``stats`` says which of these happened.
    """
    size = 0
    # Entries are literal text (str) or a value still to write with its depth (tuple).
    stack: list[str | tuple[Any, int]] = [(value, 0)]
    while stack:
        entry = stack.pop()
        if isinstance(entry, str):
            piece = entry
        else:
            item, depth = entry
            if isinstance(item, (dict, list)) and item:
                if depth >= max_depth:
                    stats.too_deep = True
                    piece = TOO_DEEP_MARKER
                else:
                    is_dict = isinstance(item, dict)
                    pad = "\n" + " " * ((depth + 1) * indent)
                    pieces: list[str | tuple[Any, int]] = []
                    pairs = item.items() if is_dict else enumerate(item)
                    last = len(item) - 1
                    for i, (key, child) in enumerate(pairs):
                        if is_dict:
                            pieces.append(f"{pad}{_scalar(str(key), stats)}: ")
                            pieces.append(_scalar(_content_marker(child), stats) if _is_base64_content(key, child)
                                          else (child, depth + 1))
                        else:
                            pieces.append(pad)
                            pieces.append((child, depth + 1))
                        if i < last:
                            pieces.append(",")
                    pieces.append("\n" + " " * (depth * indent) + ("}" if is_dict else "]"))
                    stack.extend(reversed(pieces))
                    piece = "{" if is_dict else "["
            elif isinstance(item, dict):
                piece = "{}"
            elif isinstance(item, list):
                piece = "[]"
            else:
                piece = _scalar(item, stats)
        if size + len(piece) > max_chars:
            stats.truncated = True
            yield _displayable(piece[:max_chars - size])
            return
        size += len(piece)
        yield _displayable(piece)


def pretty_json(value: Any, *, indent: int = 2, max_chars: int = MAX_CHARS,
                max_depth: int = MAX_DEPTH) -> tuple[str, bool, bool]:
    """``(text, truncated, too_deep)``: ``iter_pretty_json`` all at once."""
    stats = PrettyStats()
    text = "".join(iter_pretty_json(value, stats, indent=indent, max_chars=max_chars, max_depth=max_depth))
    return text, stats.truncated, stats.too_deep


def _displayable(text: str) -> str:
    """Lone surrogates (``"\\udfaa"`` in the JSON) cannot become Qt text: shown as U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def raw_note(stats: PrettyStats) -> str:
    notes = []
    if stats.truncated:
        notes.append(f"Showing the first {fmt.human_size(MAX_CHARS)} of the document")
    if stats.cut_strings:
        notes.append(f"strings over {MAX_STRING_CHARS:,} characters are cut")
    if stats.too_deep:
        notes.append(f"the document is nested more than {MAX_DEPTH} levels deep: deeper levels are too deep to show")
    notes.append("attachment contents are abbreviated.")
    note = "; ".join(notes)
    return note[:1].upper() + note[1:]


def raw_text(raw: dict[str, Any]) -> tuple[str, str]:
    """(pretty JSON, note for the reviewer) for a raw detail object."""
    stats = PrettyStats()
    text = "".join(iter_pretty_json(raw, stats))
    if stats.truncated:
        text += "\n… (truncated)"
    return text, raw_note(stats)


class RawTab(DetailTab):
    TITLE = "Raw"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bar = QHBoxLayout()
        bar.setContentsMargins(SPACING, 8, SPACING, 8)
        self.find = QLineEdit()
        self.find.setPlaceholderText("Find in JSON")
        accessible.name(self.find, "Find in JSON")
        self.find.setClearButtonEnabled(True)
        self.find.setMaximumWidth(320)
        self.find.returnPressed.connect(lambda: self.find_next())
        self.next_button = QPushButton("Next")
        self.next_button.clicked.connect(lambda: self.find_next())
        self.previous_button = QPushButton("Previous")
        self.previous_button.clicked.connect(lambda: self.find_next(backward=True))
        # Only for a case whose response had to be changed to be read (CaseDetail.as_sent).
        self.sent_button = QPushButton("Show as sent")
        self.sent_button.setCheckable(True)
        self.sent_button.setToolTip("The response exactly as the service sent it, before invalid text was replaced")
        self.sent_button.toggled.connect(self._show_sent)
        self.sent_button.hide()
        self._detail: CaseDetail | None = None
        self.note = text_label("", muted=True, selectable=False, wrap=True)
        self._note = ""
        bar.addWidget(self.find)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.sent_button)
        bar.addStretch(1)
        self.layout_.addLayout(bar)
        # The note on a row of its own: beside the buttons it was squeezed to a word a line.
        self.note.setContentsMargins(SPACING, 0, SPACING, 6)
        self.layout_.addWidget(self.note)
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        accessible.name(self.view, "Case JSON", "The case as the services sent it")
        # Long lines wrap (anywhere when they have no spaces: base64, a 5,000-digit number), so the
        # view never scrolls sideways, and Qt lays out only the lines on screen instead of
        # measuring the longest one for a horizontal scroll range.
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.view.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        set_relative_font(self.view, monospace=True)
        self.layout_.addWidget(self.view)
        # Only while focus is inside this tab (and winning there over the window's Ctrl+F, which
        # searches the case list everywhere else).
        local_keys(self).add(QKeySequence.StandardKey.Find, self._focus_find)

    def _focus_find(self) -> None:
        self.find.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find.selectAll()

    def render(self, detail: CaseDetail) -> None:
        self._detail = detail
        self.sent_button.blockSignals(True)
        self.sent_button.setChecked(False)
        self.sent_button.blockSignals(False)
        self.sent_button.setVisible(bool(detail.as_sent) and not MASK_STATE.active)
        self._show_document(detail)

    def _show_sent(self, on: bool) -> None:
        """The response as sent (``CaseDetail.as_sent``) instead of the document, or back."""
        detail = self._detail
        if detail is None:
            return
        if not on or not detail.as_sent or MASK_STATE.active:
            self._show_document(detail)
            return
        sent = detail.as_sent
        cut = len(sent) > MAX_CHARS
        self._note = ("As the service sent it" + (f": the first {MAX_CHARS:,} of {len(sent):,} characters" if cut else "")
                      + ". Invalid bytes read \\xNN; escaped lone surrogates read \\uDxxx.")
        self.note.setText(self._note)
        fill_plain_text(self.view, sent[:MAX_CHARS])

    def _show_document(self, detail: CaseDetail) -> None:
        if not detail.raw:
            fill_plain_text(self.view, "")
            self._note = "The service's raw JSON is not available for this case."
            self.note.setText(self._note)
            return
        if MASK_STATE.active:  # JSON escapes free text (quotes, newlines): hide it all, not term by term
            self.view.setPlainText("")
            self._note = "The raw JSON is hidden while privacy mode is on (Ctrl+Shift+M)."
            self.note.setText(self._note)
            return
        # Up to a megabyte of text, produced and laid out a chunk per event-loop turn, so the
        # window stays live; the note is final once all of it is in.
        stats = PrettyStats()

        def finished() -> None:
            if stats.truncated:
                self.view.appendPlainText("… (truncated)")
            self._note = raw_note(stats)
            if detail.as_sent:
                self._note = (f"{self._note} " if self._note else "") + (
                    "The service sent text that could not be read as it was; it shows as \ufffd here. "
                    "Show as sent shows the response as it came.")
            self.note.setText(self._note)

        self._note = "Loading the raw JSON…"
        self.note.setText(self._note)
        fill_plain_text(self.view, iter_pretty_json(detail.raw, stats), done=finished)

    def find_next(self, *, backward: bool = False) -> bool:
        needle = self.find.text()
        if not needle:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if self.view.find(needle, flags):
            self.note.setText(self._note)
            return True
        # Wrap around once from the other end.
        cursor = self.view.textCursor()
        cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
        self.view.setTextCursor(cursor)
        found = self.view.find(needle, flags)
        self.note.setText(self._note if found else f"Not found: {fmt.elide(needle, 60)}")
        return found
