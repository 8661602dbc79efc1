"""Service text is never rendered as rich text (issue class 9).

Every string of a case detail (and of Find in cached cases hits) is replaced by hostile text:
HTML tags, an image, HTML entities and a right-to-left override. Then every widget of every tab
of the real detail pane, and of the find dialog, is walked: labels, tooltips (of widgets and of
item-view cells) and cell texts. What each one *displays* (a label in PlainText shows its text;
rich text goes through ``QTextDocument`` as Qt would render it) must show the markup literally:
no bold, no image, no anchor, no entity turned into ``<script>``, no raw bidi override.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QAbstractItemView, QLabel, QWidget

from caseviewer.core.models import CaseDetail
from caseviewer.ui import formatting as fmt
from caseviewer.ui.window.cache_actions import CachedHit, CachedSearch
from tests.support.models import column_count
from caseviewer.ui.case_list.case_table_model import CaseTableModel
from caseviewer.ui.detail import DetailPane
from caseviewer.ui.dialogs.text_search_dialog import TextSearchDialog
from caseviewer.ui.workers import TaskRunner
from tests.ui.detail_fixtures import full_detail_dict, result_for
from tests.ui.detail_helpers import render_all_tabs

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

#: No literal "<script>" in here: seeing one on screen means an entity was decoded.
HOSTILE = [
    "<b>bold</b> &lt;script&gt;alert(1)&lt;/script&gt; <img src=x onerror=alert(2)>",
    "&amp;lt;i&amp;gt; <a href='http://evil.example'>click</a> \u202eevil\u202c",
    "<qt><h1>Big</h1></qt> &#60;script&#62;",
    "<p style='color:red'>red</p> &nbsp;&copy;",
]


def hostile_copy(value, payload: str):
    """``value`` with every string replaced by ``payload`` + the original (base64 kept)."""
    if isinstance(value, dict):
        return {k: (v if k == "content" else hostile_copy(v, payload)) for k, v in value.items()}
    if isinstance(value, list):
        return [hostile_copy(v, payload) for v in value]
    if isinstance(value, str):
        return f"{payload} {value}"
    return value


def displayed(text: str, rich: bool) -> tuple[str, list[str]]:
    """(what is on screen, formatting found) for ``text`` shown as rich (or plain) text."""
    if not rich:
        return text, []
    document = QTextDocument()
    document.setHtml(text)
    problems = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            char_format = fragment.charFormat()
            if char_format.isImageFormat():
                problems.append("image")
            if char_format.isAnchor():
                problems.append("link")
            if char_format.fontWeight() > 400 and fragment.text().strip():
                problems.append("bold")
            if char_format.fontItalic():
                problems.append("italic")
            iterator += 1
        if block.blockFormat().headingLevel():
            problems.append("heading")
        block = block.next()
    return document.toPlainText(), problems


def check(text: str, rich: bool, where: str, leaks: list[str]) -> None:
    shown, problems = displayed(text, rich)
    if "<script>" in shown.lower():
        problems.append("entity decoded")
    if "\u202e" in shown:
        problems.append("raw bidi override")
    if problems:
        leaks.append(f"{where}: {sorted(set(problems))} in {text[:120]!r}")


def is_rich_label(label: QLabel) -> bool:
    text_format = label.textFormat()
    if text_format == Qt.TextFormat.PlainText:
        return False
    if text_format == Qt.TextFormat.RichText:
        return True
    return QtGui.mightBeRichText(label.text())


def walk(root: QWidget) -> tuple[list[str], list[str]]:
    """(leaks, every shown text) under ``root``."""
    leaks: list[str] = []
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        name = type(widget).__name__
        if isinstance(widget, QLabel):
            texts.append(widget.text())
            check(widget.text(), is_rich_label(widget), f"{name} text", leaks)
        tip = widget.toolTip()
        if tip:
            texts.append(tip)
            check(tip, QtGui.mightBeRichText(tip), f"{name} tooltip", leaks)
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(model.rowCount(QModelIndex())):
                for column in range(column_count(model)):
                    index = model.index(row, column)
                    cell = index.data(Qt.ItemDataRole.DisplayRole)
                    if isinstance(cell, str):
                        texts.append(cell)  # item views paint DisplayRole as plain text
                        check(cell, False, f"{name} cell", leaks)
                    cell_tip = index.data(Qt.ItemDataRole.ToolTipRole)
                    if isinstance(cell_tip, str) and cell_tip:
                        texts.append(cell_tip)
                        check(cell_tip, QtGui.mightBeRichText(cell_tip), f"{name} cell tooltip", leaks)
    return leaks, texts


@pytest.mark.parametrize("payload", HOSTILE)
def test_every_tab_of_the_detail_pane_shows_hostile_text_literally(qtbot, payload):
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.resize(1000, 700)
    pane.show()
    pane.show_case(result_for(CaseDetail.from_raw(hostile_copy(full_detail_dict(), payload))))
    render_all_tabs(pane)
    leaks, texts = walk(pane)
    assert not leaks, "\n".join(leaks)
    # and the hostile text is really on screen (a test that saw nothing would prove nothing)
    assert any("bold" in text or "Big" in text or "red" in text or "click" in text for text in texts)


@pytest.mark.parametrize("payload", HOSTILE)
def test_find_in_cached_cases_shows_hostile_hits_literally(qtbot, payload):
    runner = TaskRunner(threads=1)
    try:
        dialog = TextSearchDialog(runner, repository=None)
        qtbot.addWidget(dialog)
        dialog.show()
        hit = CachedHit(case_id=f"{payload} id", business_name=f"{payload} Biz", applicant=f"{payload} Ann",
                        snippet=f"… {payload} snippet …")
        dialog._show_results(CachedSearch(hits=[hit], limit=200, capped=False))
        leaks, texts = walk(dialog)
        assert not leaks, "\n".join(leaks)
        assert any(payload[:10] in text for text in texts)
    finally:
        runner.shutdown()


@pytest.mark.parametrize("payload", HOSTILE)
def test_case_table_tooltips_show_hostile_text_literally(payload):
    from caseviewer.core.models import CaseRecord
    from caseviewer.core.packed_rows import RowBlocks, pack_records

    model = CaseTableModel()
    record = CaseRecord.model_validate({"id": f"{payload} 1", "business_name": f"{payload} B",
                                        "created_at": f"{payload} 2025"} if hasattr(CaseRecord, "model_validate")
                                       else {})
    model._packed = RowBlocks()
    model._packed.append(pack_records([record]).block)
    model._ids = [record.id]
    leaks: list[str] = []
    for column in range(model.columnCount()):
        tip = model.index(0, column).data(Qt.ItemDataRole.ToolTipRole)
        if tip:
            check(tip, QtGui.mightBeRichText(tip), f"column {column} tooltip", leaks)
    assert not leaks, "\n".join(leaks)


def test_the_one_tooltip_helper_round_trips_through_qt():
    for payload in HOSTILE:
        tip = fmt.plain_tooltip(payload)
        shown, problems = displayed(tip, QtGui.mightBeRichText(tip))
        assert not problems
        assert shown == fmt.clean(payload)
