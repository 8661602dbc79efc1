"""The case table as a view over a real SQLCipher cache (ui/case_list/store_table_model.py): a sound Qt
model, every row the cache's in the query's order, placeholders until a window is read, and no
answer of an older query landing in a newer one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from caseviewer.core.query import CaseQuery, SortField
from caseviewer.core.cache import CaseCache
from caseviewer.core.cached_list import CachedList
from caseviewer.ui.case_list.case_table_model import CaseTableModel
from caseviewer.ui.case_list.store_table_model import WINDOW_ROWS, StoreTableModel
from caseviewer.ui.case_list.table_view import CaseTableView, set_up_case_view
from caseviewer.ui.theme import ThemeChoice, apply_theme
from caseviewer.ui.workers import TaskRunner
from tests.unit.test_cache_support import cache_all_pages, make_api, new_key
from tests.unit.test_cache_list_view import cached_records, reference


@pytest.fixture(scope="module")
def cached(demo_service, tmp_path_factory):
    cache = CaseCache(key=new_key(), path=tmp_path_factory.mktemp("table") / "table.db")
    api = make_api(demo_service)
    cache_all_pages(api, cache, demo_service.customer_id)
    api.close()
    yield cache, demo_service.customer_id
    cache.close()


@pytest.fixture
def model(qtbot, cached):
    cache, customer_id = cached
    runner = TaskRunner(threads=2)
    model = StoreTableModel(runner, CachedList(cache, customer_id))
    yield model
    model.close()
    runner.shutdown()


def show(qtbot, model: StoreTableModel, query: CaseQuery) -> None:
    with qtbot.waitSignals([model.head_loaded, model.view_ready], timeout=20_000):
        model.reset_for_query(query)


def read_all(qtbot, model: StoreTableModel) -> list[str]:
    """Every row's case id, window by window, as drawing them would ask."""
    ids = []
    for first in range(0, model.rowCount(), WINDOW_ROWS):
        if not model.is_held(first):
            with qtbot.waitSignal(model.window_loaded, timeout=20_000):
                model.data(model.index(first, 0))
        ids += [model.case_id(row) for row in range(first, min(model.rowCount(), first + WINDOW_ROWS))]
    return ids


def test_it_is_a_sound_qt_model(qtbot, qtmodeltester, model):
    show(qtbot, model, CaseQuery())
    read_all(qtbot, model)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 1000 and model.columnCount() == len(CaseTableModel.HEADERS)


@pytest.mark.parametrize("sort,descending,statuses", [
    (SortField.CREATED_AT, True, ()), (SortField.BUSINESS_NAME, False, ()),
    (SortField.BUSINESS_NAME, True, (4, 5, 6)), (SortField.CREATED_AT, False, (1, 9)),
])
def test_rows_are_the_caches_in_the_reference_order(qtbot, model, cached, sort, descending, statuses):
    cache, customer_id = cached
    show(qtbot, model, CaseQuery(sort_field=sort, descending=descending, statuses=statuses))
    ids = read_all(qtbot, model)
    expected = cached_records(cache, customer_id, sort=sort, descending=descending, statuses=statuses)
    assert ids == [r.id for r in expected] == reference(
        cached_records(cache, customer_id), sort=sort, descending=descending, statuses=statuses)
    # Each held row is its cached record, and found again by its id.
    last = model.rowCount() - 1
    for row in (0, last // 2, last):
        assert model.record(row).model_dump() == expected[row].model_dump()
        assert model.row_of(expected[row].id) == row
        assert model.data(model.index(row, CaseTableModel.COL_CASE_ID)) == expected[row].id
    assert model.count_text() == f"{len(expected):,} cached cases"


def test_a_row_is_a_placeholder_until_its_window_is_read(qtbot, model):
    show(qtbot, model, CaseQuery())
    far = model.rowCount() - 1
    assert model.is_held(0) and not model.is_held(far)  # the first window came with the count
    assert model.data(model.index(far, CaseTableModel.COL_BUSINESS)) == ""
    assert model.case_id(far) is None and model.record(far) is None
    with qtbot.waitSignal(model.window_loaded, timeout=20_000) as loaded:
        pass  # the ask above is sent from the event loop
    first, last = loaded.args
    assert first <= far <= last and model.is_held(far)
    assert model.data(model.index(far, CaseTableModel.COL_CASE_ID)) == model.case_id(far)


def test_a_newer_query_drops_the_older_ones_answers(qtbot, model, cached):
    cache, customer_id = cached
    model.reset_for_query(CaseQuery(sort_field=SortField.BUSINESS_NAME))
    show(qtbot, model, CaseQuery(statuses=(4,)))  # asked at once: the first query's answers are stale
    expected = [r.id for r in cached_records(cache, customer_id, statuses=(4,))]
    qtbot.wait(200)  # let any late answer of the first query arrive (and be dropped)
    assert model.rowCount() == len(expected) < 1000
    assert read_all(qtbot, model) == expected


def case_view(qtbot, model: StoreTableModel) -> CaseTableView:
    """The window's case table view over ``model``, shown."""
    view = CaseTableView()
    qtbot.addWidget(view)
    set_up_case_view(view)
    view.setModel(model)
    view.resize(800, 400)
    view.show()
    return view


def test_drawn_in_a_view_the_rows_fill_in(qtbot, model):
    view = case_view(qtbot, model)
    show(qtbot, model, CaseQuery(descending=False))
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)  # the view has laid the rows out
    assert not model.is_held(700)
    view.scrollTo(model.index(700, 0))
    # Nothing on screen is held: the view paints the blank rows itself and asks for their window.
    assert view.placeholder_rows(view.viewport().rect()) is not None
    qtbot.waitUntil(lambda: model.is_held(700), timeout=20_000)
    assert view.placeholder_rows(view.viewport().rect()) is None
    assert model.data(model.index(700, CaseTableModel.COL_STATUS), Qt.ItemDataRole.DisplayRole)


@pytest.mark.parametrize("theme", [ThemeChoice.LIGHT, ThemeChoice.DARK, ThemeChoice.HIGH_CONTRAST])
def test_rows_not_held_look_the_same_painted_by_the_view_as_by_qt_cell_by_cell(qtbot, model, theme):
    """The view's own paint of rows the model does not hold yet is only a shortcut: the pixels
    are those Qt draws asking every cell, in every theme; a current row on screen takes Qt's."""
    app = QApplication.instance()
    apply_theme(app, theme)
    try:
        view = case_view(qtbot, model)
        show(qtbot, model, CaseQuery())
        qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)
        model.stop()  # no window arrives from here on: what is not held stays a placeholder
        view.scrollTo(model.index(701, 0), CaseTableView.ScrollHint.PositionAtTop)
        shown = view.placeholder_rows(view.viewport().rect())
        assert shown is not None and shown[0] == 701 and not model.holds_any(*shown)

        by_view = view.viewport().grab().toImage()
        view.placeholder_rows = lambda _rect: None  # Qt's own paint, cell by cell
        by_qt = view.viewport().grab().toImage()
        assert by_view == by_qt
        del view.placeholder_rows

        view.setCurrentIndex(model.index(703, 0))
        assert view.placeholder_rows(view.viewport().rect()) is None  # its focus frame is Qt's
    finally:
        apply_theme(app, ThemeChoice.LIGHT)
