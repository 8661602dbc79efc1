"""CaseTableModel on its own: paging contract, display, roles, and Qt's model checks.

Pages come from the real demo service, fetched here on the test thread (the model itself never
fetches: it only emits ``page_requested``).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from caseviewer.core.api import BearerToken, CaseApi, CaseListClient, CaseQuery, SortField
from caseviewer.core.errors import PageOutOfRange, ServerError
from caseviewer.core.repository import CaseRepository
from caseviewer.ui.case_list.case_table_model import CaseTableModel
from caseviewer.ui.case_list.row_texts import display_text, format_created
from caseviewer.ui.formatting import plain_tooltip
from caseviewer.ui.case_list.status_chip import APPROVED, INACTIVE, REJECTED, REVIEW, RISK, StatusChipDelegate, pretty_status, status_group

M = CaseTableModel


@pytest.fixture
def list_repo(demo_service):
    api = CaseApi(
        list=CaseListClient(
            demo_service.list_url, customer_id=demo_service.customer_id, credential=BearerToken(demo_service.list_token)
        )
    )
    repo = CaseRepository(api)
    yield repo
    repo.close()


@pytest.fixture
def model(qtbot):
    return CaseTableModel()


def serve(model: CaseTableModel, repo: CaseRepository, requested: list[CaseQuery]) -> None:
    """Answer the model's outstanding request the way the window's worker would."""
    assert requested, "the model asked for nothing"
    model.append_page(repo.list_page(requested[-1]))


def test_reset_asks_for_page_one_and_fetch_more_for_the_next(model, list_repo):
    requested: list[CaseQuery] = []
    model.page_requested.connect(requested.append)
    model.reset_for_query(CaseQuery(items_per_page=50))
    assert [q.page for q in requested] == [1]
    assert model.is_loading and not model.canFetchMore()
    serve(model, list_repo, requested)
    assert model.rowCount() == 50
    assert model.count_text() == "Showing 50 of 1,000 cases"
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()  # a second ask while the first is out is ignored
    assert [q.page for q in requested] == [1, 2]
    serve(model, list_repo, requested)
    assert model.rowCount() == 100


def test_pages_for_another_query_or_twice_are_ignored(model, list_repo):
    requested: list[CaseQuery] = []
    model.page_requested.connect(requested.append)
    old = CaseQuery(items_per_page=20, search="a")
    model.reset_for_query(old)
    model.reset_for_query(CaseQuery(items_per_page=20))
    late_page = list_repo.list_page(old)
    assert model.append_page(late_page) is False
    page = list_repo.list_page(requested[-1])
    assert model.append_page(page) is True
    assert model.append_page(page) is False, "the same page must not be inserted twice"
    assert model.rowCount() == 20


def test_paging_to_the_end(model, list_repo):
    requested: list[CaseQuery] = []
    model.page_requested.connect(requested.append)
    model.reset_for_query(CaseQuery(items_per_page=300))
    serve(model, list_repo, requested)
    while model.canFetchMore():
        model.fetchMore()
        serve(model, list_repo, requested)
    assert model.rowCount() == 1000
    assert [q.page for q in requested] == [1, 2, 3, 4]
    ids = [model.index(r, M.COL_CASE_ID).data() for r in range(model.rowCount())]
    assert len(set(ids)) == 1000


def test_model_passes_qt_model_checks(qtmodeltester, model, list_repo):
    requested: list[CaseQuery] = []
    model.page_requested.connect(requested.append)
    model.reset_for_query(CaseQuery(items_per_page=40))
    serve(model, list_repo, requested)
    qtmodeltester.check(model)


def test_roles_and_display(model, list_repo):
    requested: list[CaseQuery] = []
    model.page_requested.connect(requested.append)
    model.reset_for_query(CaseQuery(items_per_page=20))
    serve(model, list_repo, requested)
    record = model.index(0, 0).data(M.ObjectRole)
    assert record.id == model.index(0, M.COL_CASE_ID).data()
    assert model.index(0, M.COL_CASE_ID).data(M.CaseIdRole) == record.id
    created = model.index(0, M.COL_CREATED)
    local = datetime.fromisoformat(record.created_at).astimezone().strftime("%Y-%m-%d %H:%M")
    assert created.data() == local
    assert record.created_at in created.data(Qt.ItemDataRole.ToolTipRole)
    status = model.index(0, M.COL_STATUS)
    assert status.data() == pretty_status(record.status_code)
    assert status.data(M.StatusCodeRole) == record.status_code
    assert model.headerData(M.COL_APPLICANT_ID, Qt.Orientation.Horizontal) == "Applicant ID"
    assert M.COL_APPLICANT_ID in M.HIDDEN_BY_DEFAULT
    assert set(M.SORTABLE) == {M.COL_CREATED, M.COL_BUSINESS}


def test_service_text_is_shown_as_plain_text(model):
    assert "<b>" not in plain_tooltip("<b>x</b>") and "&lt;b&gt;x&lt;/b&gt;" in plain_tooltip("<b>x</b>")
    assert format_created("not a date") == "not a date"
    assert format_created("2024-02-14T06:45:00Z") == datetime.fromisoformat("2024-02-14T06:45:00+00:00").astimezone().strftime("%Y-%m-%d %H:%M")


def test_status_labels_and_groups():
    assert pretty_status("UNDER_MANUAL_REVIEW") == "Under manual review"
    assert pretty_status(None) == "Unknown"
    assert status_group("MANUALLY_APPROVED") is APPROVED
    assert status_group("AUTO_APPROVED") is APPROVED
    assert status_group("AUTO_REJECTED") is REJECTED
    assert status_group("PENDING_DECISION") is REVIEW
    assert status_group("ESCALATED") is RISK
    assert status_group("PAUSED") is INACTIVE
    assert status_group("SOMETHING_NEW") is INACTIVE


def test_failed_page_shows_error_and_retry_asks_again(model, list_repo):
    requested: list[CaseQuery] = []
    model.page_requested.connect(requested.append)
    model.reset_for_query(CaseQuery(items_per_page=20))
    assert model.page_failed(requested[-1], "The case list service is down.", ServerError("down")) is True
    assert model.error_message == "The case list service is down."
    assert model.count_text() == ""  # not "Loading cases…": nothing is loading any more
    assert not model.canFetchMore()
    model.retry()
    assert [q.page for q in requested] == [1, 1]
    assert model.error_message is None
    assert model.count_text() == "Loading cases…"
    serve(model, list_repo, requested)
    assert model.rowCount() == 20


def test_page_out_of_range_ends_the_list_quietly(model, list_repo):
    requested: list[CaseQuery] = []
    model.page_requested.connect(requested.append)
    model.reset_for_query(CaseQuery(items_per_page=20))
    serve(model, list_repo, requested)
    model.fetchMore()
    model.page_failed(requested[-1], "past the end", PageOutOfRange("past the end"))
    assert model.error_message is None
    assert not model.canFetchMore()


def test_update_record_is_a_targeted_change(qtbot, model, list_repo):
    requested: list[CaseQuery] = []
    model.page_requested.connect(requested.append)
    model.reset_for_query(CaseQuery(items_per_page=20, sort_field=SortField.BUSINESS_NAME, descending=False))
    serve(model, list_repo, requested)
    record = model.record(5).model_copy(update={"business_name": "Renamed Ltd"})
    with qtbot.waitSignal(model.dataChanged) as blocker:
        assert model.update_record(record)
    top_left, bottom_right = blocker.args[:2]
    assert (top_left.row(), bottom_right.row()) == (5, 5)
    assert model.index(5, M.COL_BUSINESS).data() == "Renamed Ltd"


def chip_table(qtbot, model, list_repo) -> QTableView:
    """A shown table of the first 20 cases with the status chips' delegate."""
    requested: list[CaseQuery] = []
    model.page_requested.connect(requested.append)
    model.reset_for_query(CaseQuery(items_per_page=20))
    serve(model, list_repo, requested)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegateForColumn(M.COL_STATUS, StatusChipDelegate(view))
    view.resize(900, 400)
    view.show()
    return view


def test_status_chip_paints(qtbot, model, list_repo):
    view = chip_table(qtbot, model, list_repo)
    assert not view.grab().isNull()
    assert not model.canFetchMore(model.index(0, 0)), "rows have no children to fetch"
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None


def test_multidata_answers_every_role_as_data_does(model, list_repo):
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan

    requested: list[CaseQuery] = []
    model.page_requested.connect(requested.append)
    model.reset_for_query(CaseQuery(items_per_page=20))
    serve(model, list_repo, requested)
    roles = [
        Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.AccessibleTextRole, M.CaseIdRole, M.StatusCodeRole,
    ]
    for column in range(M.COL_APPLICANT_ID + 1):
        index = model.index(3, column)
        for role in roles:
            # Qt's delegate asks with a span of several roles; one element is enough to compare.
            role_data = QModelRoleData(role)
            model.multiData(index, QModelRoleDataSpan(role_data))
            assert role_data.data() == index.data(role), (column, role)


def test_display_stays_right_beyond_the_rows_whose_texts_are_kept(model, list_repo, monkeypatch):
    # Display strings are kept for a few thousand rows only (here 100); past that they are recomputed.
    from caseviewer.ui.case_list import case_table_model

    monkeypatch.setattr(case_table_model, "_DISPLAY_CACHE_ROWS", 100)
    requested: list[CaseQuery] = []
    model.page_requested.connect(requested.append)
    model.reset_for_query(CaseQuery(items_per_page=500))
    for _ in range(10):
        serve(model, list_repo, requested)
        if model.canFetchMore():
            model.fetchMore()
    assert model.rowCount() == 1000
    first = [model.index(r, M.COL_BUSINESS).data() for r in range(model.rowCount())]
    again = [model.index(r, M.COL_BUSINESS).data() for r in range(model.rowCount())]
    assert first == again
    assert len(model._views) <= 100
    for row in (0, 99, 100, 999):
        assert first[row] == (display_text(model.record(row).business_name) or "—")


def test_status_chips_are_drawn_in_the_current_themes_colours_after_a_theme_change(qtbot, qapp, model, list_repo,
                                                                                   restore_theme):
    """The delegate reuses chips it has drawn; a theme change must still reach the chips on screen."""
    from caseviewer.ui import theme
    from caseviewer.ui.case_list import status_chip

    view = chip_table(qtbot, model, list_repo)
    view.setColumnWidth(M.COL_STATUS, 260)
    qtbot.waitExposed(view)
    cell = view.visualRect(model.index(0, M.COL_STATUS))
    tone = status_group(model.index(0, M.COL_STATUS).data(M.StatusCodeRole)).tone
    inside = cell.topLeft() + view.viewport().pos()
    inside.setX(inside.x() + status_chip._MARGIN + 4)  # in the chip's rounded left end, before its shape
    inside.setY(inside.y() + cell.height() // 2)
    seen = []
    for choice in (theme.ThemeChoice.LIGHT, theme.ThemeChoice.DARK, theme.ThemeChoice.LIGHT):
        theme.apply_theme(qapp, choice)
        colour = view.grab().toImage().pixelColor(inside)
        assert colour.rgb() == theme.tone_colors(tone)[0].rgb(), choice
        seen.append(colour.rgb())
    assert seen[0] != seen[1] and seen[0] == seen[2]
