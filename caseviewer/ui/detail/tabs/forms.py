"""Form responses tab: each submitted form with its questions and answers in order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from caseviewer.core.models import Answer, CaseDetail, FormResponse
from caseviewer.core.vocabulary import Vocab, answer_text
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.table import Cell, Column, DataTable, flag_cell, text_cell, time_cell, user_cell
from caseviewer.ui.detail.tabs.base import CardsTab
from caseviewer.ui.detail.widgets import Card, text_label
from caseviewer.ui.detail.key_value_form import KeyValueForm


def _question(a: Answer) -> Any:
    return a.question


def _index_cell(a: Answer) -> Cell:
    index = a.question.index if a.question is not None else None
    return Cell(fmt.MISSING if index is None else str(index), right=True,
                sort=index if index is not None else 10**9)


def _answer_cell(a: Answer) -> Cell:
    worded = answer_text(_question(a).type if _question(a) else None, a.text)
    cell = text_cell(worded, 300)
    sent = f"As sent: {a.text}" if worded != a.text else ""  # "No" was "false"
    if a.id or sent:
        tip = "\n".join(part for part in (fmt.elide(worded or "", 800), sent, f"Answer ID: {a.id}" if a.id else "") if part)
        cell.tooltip = fmt.plain_tooltip(tip)
    return cell


def _type_cell(a: Answer) -> Cell:
    code = _question(a).type if _question(a) else None
    return Cell(fmt.word(Vocab.QUESTION_TYPE, code), tooltip=fmt.code_tooltip(code))


#: The answer first (a reviewer reads answers; it was off-screen at the end), the question beside it.
ANSWER_COLUMNS = [
    Column("Answer", _answer_cell, max_width=320),
    Column("Question", lambda a: text_cell(_question(a).text if _question(a) else None), max_width=320),
    Column("#", _index_cell, fold=True),
    Column("Kind of answer", _type_cell, fold=True),
    Column("Required", lambda a: flag_cell(_question(a).required if _question(a) else None), fold=True),
    Column("PHI", lambda a: flag_cell(_question(a).is_phi if _question(a) else None), fold=True),
    Column("Options", lambda a: text_cell(", ".join(fmt.any_text(o, 100) for o in _question(a).options)
                                          if _question(a) and _question(a).options else None), fold=True),
    Column("Respondent", lambda a: user_cell(a.respondent), max_width=180, fold=True),
    Column("Created", lambda a: time_cell(a.created_at), fold=True),
    Column("Archived", lambda a: flag_cell(a.is_archived), fold=True),
]


class FormsTab(CardsTab):
    TITLE = "Forms"
    EMPTY = "No form responses on this case"

    def items(self, detail: CaseDetail) -> Sequence[Any]:
        return detail.responses

    def card(self, item: Any, number: int) -> QWidget:
        response: FormResponse = item
        form_info = response.form
        name = fmt.clean(form_info.name) if form_info is not None and form_info.name else f"Form {number}"
        card = Card(name, subtitle="Draft" if response.is_draft else "Submitted")
        form = KeyValueForm()
        form.add("Description", form_info.description if form_info is not None else None)
        form.add_flag("Draft", response.is_draft)
        form.add("Form ID", form_info.id if form_info is not None else None)
        form.add("Response ID", response.id)
        form.add_extras(response)
        if form_info is not None:
            form.add_extras(form_info)
        card.add(form)
        card.add_heading(f"Answers ({len(response.responses)})")
        if response.responses:
            card.add(DataTable(ANSWER_COLUMNS, response.responses, sort_column=2, fit_rows=15, fold=True, name="Answers").with_details())
        else:
            card.add(text_label("No answers in this response", muted=True, selectable=False))
        return card
