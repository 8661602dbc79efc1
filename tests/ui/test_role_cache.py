"""The case table keeps the paint roles' answers of the rows it drew (ui/case_list/role_cache.py):
a repaint of the same rows asks no Python for them, and every change they depend on is seen.

Each invalidation test reads a cell (so its answer is kept), changes one thing the answer depends
on, and reads it again: without that path the second read would be the kept, stale answer.
Rows come from the real demo service, as in test_case_table.py.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableView

from caseviewer.core.changes import RowState
from caseviewer.core.privacy import MASK, MASK_STATE
from caseviewer.core.query import CaseQuery, SortField
from caseviewer.core.reviewer_state import CaseTriage
from caseviewer.ui import theme
from caseviewer.ui.case_list.case_table_model import CaseTableModel
from caseviewer.ui.case_list.store_table_model import WINDOW_ROWS
from caseviewer.ui.triage.marks import TriageMarks
from tests.ui.test_case_table import list_repo, serve  # noqa: F401 - the fixture is used by name
from tests.ui.test_store_table_model import cached, model as store_model, show  # noqa: F401 - fixtures

M = CaseTableModel
DISPLAY, FONT, FOREGROUND = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole


class CountingModel(CaseTableModel):
    """Counts the answers worked out (not found kept): a row's paint answers, any other role."""

    def __init__(self) -> None:
        super().__init__()
        self.worked_out = 0
        self.rows_worked_out: list[int] = []

    def _paint_cells(self, row):  # noqa: ANN001, ANN202
        self.worked_out += 1
        self.rows_worked_out.append(row)
        return super()._paint_cells(row)

    def _role_data(self, row, column, role):  # noqa: ANN001, ANN202
        self.worked_out += 1
        return super()._role_data(row, column, role)


@pytest.fixture
def model(qtbot, list_repo):  # noqa: F811 - the imported fixture
    model = CountingModel()
    requested: list[CaseQuery] = []
    model.page_requested.connect(requested.append)
    model.reset_for_query(CaseQuery(items_per_page=40))
    serve(model, list_repo, requested)
    model.requested = requested
    return model


def read(model: CaseTableModel, row: int, column: int, role) -> object:  # noqa: ANN001
    return model.index(row, column).data(role)


def styled(model: CaseTableModel, row: int, column: int) -> QStyleOptionViewItem:
    """What Qt's item delegate reads for a cell: one ``multiData`` span of its seven roles."""
    option = QStyleOptionViewItem()
    QStyledItemDelegate().initStyleOption(option, model.index(row, column))
    return option


def test_a_delegate_span_is_answered_from_what_is_kept(model):
    model.triage = TriageMarks(M.COL_FLAG)
    case_id = model.case_id(3)
    model.triage.update({case_id: CaseTriage(case_id, RowState.NEW)})
    model.rows_changed([case_id])
    first = styled(model, 3, M.COL_BUSINESS)
    worked_out = model.worked_out
    again = styled(model, 3, M.COL_BUSINESS)
    assert model.worked_out == worked_out, "the second span is answered from what is kept"
    assert (again.text, again.font.bold()) == (first.text, True)
    assert again.text == read(model, 3, M.COL_BUSINESS, DISPLAY)


def test_a_kept_span_follows_privacy_mode_and_marks(model):
    model.triage = TriageMarks(M.COL_FLAG)
    case_id = model.case_id(4)
    shown = styled(model, 4, M.COL_BUSINESS)
    assert shown.text not in ("", MASK) and not shown.font.bold()
    MASK_STATE.enabled = True
    try:
        assert styled(model, 4, M.COL_BUSINESS).text == MASK
    finally:
        MASK_STATE.enabled = False
    model.triage.update({case_id: CaseTriage(case_id, RowState.NEW)})
    model.rows_changed([case_id])
    assert styled(model, 4, M.COL_BUSINESS).font.bold()


def test_a_span_of_another_layout_is_answered_in_full(model):
    """Two one-role spans: the kept answer of the first must not answer the second's role."""
    index = model.index(5, M.COL_CASE_ID)
    shown = QModelRoleData(DISPLAY)
    index.multiData(QModelRoleDataSpan(shown))
    assert shown.data() == read(model, 5, M.COL_CASE_ID, DISPLAY)
    font = QModelRoleData(FONT)
    index.multiData(QModelRoleDataSpan(font))
    assert isinstance(font.data(), QFont) and font.data() == read(model, 5, M.COL_CASE_ID, FONT)
    tip = QModelRoleData(Qt.ItemDataRole.ToolTipRole)
    index.multiData(QModelRoleDataSpan(tip))  # a role not kept: answered, the span not kept
    assert tip.data() == read(model, 5, M.COL_CASE_ID, Qt.ItemDataRole.ToolTipRole)
    again = QModelRoleData(DISPLAY)
    index.multiData(QModelRoleDataSpan(again))
    assert again.data() == shown.data()


def shown(qtbot, model: CaseTableModel) -> QTableView:  # noqa: ANN001
    """The model in a table on screen, ready to be grabbed."""
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_repaint_of_the_same_rows_works_out_nothing(qtbot, model):
    view = shown(qtbot, model)
    model.forget_roles()
    before = model.worked_out
    view.grab()
    assert model.worked_out > before
    before = model.worked_out
    view.grab()
    assert model.worked_out == before, "every painted role of rows already drawn is kept"


def test_a_repaint_works_out_each_drawn_row_once(qtbot, model):
    """A row's paint answers are worked out together (unpacked and its marks looked up once),
    not once per role of each of its ten cells."""
    model.triage = TriageMarks(M.COL_FLAG)
    model.triage.update({model.case_id(r): CaseTriage(model.case_id(r), RowState.NEW) for r in range(model.rowCount())})
    view = shown(qtbot, model)
    model.forget_roles()
    model.rows_worked_out.clear()
    view.grab()
    drawn = model.rows_worked_out
    assert drawn and len(drawn) == len(set(drawn)), "each drawn row once"
    assert all(read(model, row, column, FONT).bold() for row in drawn for column in (M.COL_BUSINESS, M.COL_CASE_ID))


def test_privacy_mode_masks_a_kept_name(model):
    assert read(model, 0, M.COL_BUSINESS, DISPLAY) not in (MASK, None)
    MASK_STATE.enabled = True
    try:
        assert read(model, 0, M.COL_BUSINESS, DISPLAY) == MASK
    finally:
        MASK_STATE.enabled = False
    assert read(model, 0, M.COL_BUSINESS, DISPLAY) != MASK


def test_the_lock_screen_masks_a_kept_name(model):
    read(model, 1, M.COL_APPLICANT, DISPLAY)
    MASK_STATE.locked = True
    try:
        assert read(model, 1, M.COL_APPLICANT, DISPLAY) == MASK
    finally:
        MASK_STATE.locked = False


def test_a_changed_mark_reaches_a_kept_font(model):
    model.triage = TriageMarks(M.COL_FLAG)
    case_id = model.case_id(2)
    assert read(model, 2, M.COL_BUSINESS, FONT) is None  # no marks yet: the plain font
    model.triage.update({case_id: CaseTriage(case_id, RowState.NEW)})
    model.rows_changed([case_id])
    font = read(model, 2, M.COL_BUSINESS, FONT)
    assert isinstance(font, QFont) and font.bold()
    model.triage.update({case_id: CaseTriage(case_id, RowState.READ)})
    model.rows_changed([case_id])
    assert read(model, 2, M.COL_BUSINESS, FONT) is None


def test_a_theme_change_reaches_a_kept_colour(model, qapp, restore_theme):
    row = next(r for r in range(model.rowCount()) if read(model, r, M.COL_DBA, FOREGROUND) is not None)
    theme.apply_theme(qapp, theme.ThemeChoice.LIGHT)
    light = read(model, row, M.COL_DBA, FOREGROUND).name()
    theme.apply_theme(qapp, theme.ThemeChoice.DARK)
    dark = read(model, row, M.COL_DBA, FOREGROUND).name()
    assert light == theme.colors(theme.ThemeChoice.LIGHT)["muted"]
    assert dark == theme.colors(theme.ThemeChoice.DARK)["muted"] != light


def test_a_zoom_reaches_a_kept_font(model, qapp):
    before = read(model, 0, M.COL_CASE_ID, FONT).pointSizeF()
    font = QFont(qapp.font())
    original = QFont(font)
    font.setPointSizeF(font.pointSizeF() * 2)
    qapp.setFont(font)  # what ui/zoom.Zoom.apply does
    try:
        assert read(model, 0, M.COL_CASE_ID, FONT).pointSizeF() == pytest.approx(before * 2, rel=0.05)
    finally:
        qapp.setFont(original)
    assert read(model, 0, M.COL_CASE_ID, FONT).pointSizeF() == pytest.approx(before)


def test_an_updated_record_replaces_its_kept_text(model):
    record = model.record(3)
    assert read(model, 3, M.COL_BUSINESS, DISPLAY) == record.business_name
    assert model.update_record(record.model_copy(update={"business_name": "Renamed Holdings"}))
    assert read(model, 3, M.COL_BUSINESS, DISPLAY) == "Renamed Holdings"


def test_a_new_sort_drops_the_kept_rows(model, list_repo):  # noqa: F811 - the imported fixture
    first = read(model, 0, M.COL_BUSINESS, DISPLAY)
    model.reset_for_query(CaseQuery(items_per_page=40, sort_field=SortField.BUSINESS_NAME, descending=False))
    serve(model, list_repo, model.requested)
    expected = model.record(0).business_name
    assert read(model, 0, M.COL_BUSINESS, DISPLAY) == expected
    assert expected != first  # the demo's newest case is not its first by name


def test_a_placeholder_row_is_not_kept(qtbot, store_model):  # noqa: F811 - the imported fixture
    """A row drawn before its window is here asks for the window each time it is drawn (an ask
    can be superseded by a later one and dropped), so its blank answer must not be kept."""
    show(qtbot, store_model, CaseQuery())
    row = 5 * WINDOW_ROWS + 3
    assert not store_model.is_held(row)
    assert read(store_model, row, M.COL_BUSINESS, DISPLAY) == ""
    store_model._wanted.clear()  # as if that ask had gone out and been superseded
    store_model._flush.stop()
    read(store_model, row, M.COL_BUSINESS, DISPLAY)
    assert row // WINDOW_ROWS in store_model._wanted
    with qtbot.waitSignal(store_model.window_loaded, timeout=20_000):
        store_model._flush.start()
    assert read(store_model, row, M.COL_BUSINESS, DISPLAY) == store_model.record(row).business_name
