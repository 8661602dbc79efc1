"""Failures injected into every kind of Qt virtual override, through real widgets.

Not collected on its own (the name does not start with ``test_``): ``test_qt_overrides.py`` runs
this file with pytest in a child process, because an unguarded exception inside an override
that Qt was entered for from Python does not fail a test, it kills the process (SIGSEGV in
PySide6). Each probe makes something the override calls raise, drives Qt from Python into the
override (``grab()``, ``sendEvent``, ``show()``, ``close()``), and checks that the guard reported
it (the message the reviewer sees) and that the widget still answers.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QIdentityProxyModel, QModelIndex, QSize, Qt
from PySide6.QtGui import QImage, QPalette, QResizeEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient
from caseviewer.core.models import CaseDetail
from caseviewer.core.repository import CaseRepository
from caseviewer.ui import guard
from caseviewer.ui.case_list.case_table_model import CaseTableModel
from caseviewer.ui.detail import DetailPane
from caseviewer.ui.detail.flow_layout import FlowLayout
from caseviewer.ui.detail.tabs.base import DetailTab
from caseviewer.ui.detail.tabs.overview import OverviewTab
from caseviewer.ui.detail.tabs.raw import RawTab
from caseviewer.ui.detail.table import DataTable
from caseviewer.ui.detail.widgets import Card, SelectableLabel, SideBySide
from caseviewer.ui.window.main_window import MainWindow
from caseviewer.ui.preview.image_view import ImageViewer
from caseviewer.ui.preview.pdf_view import PdfViewer
from caseviewer.ui.preview.text_view import _FindField
from caseviewer.ui.dialogs.text_search_dialog import TextSearchDialog
from caseviewer.ui.workers import TaskRunner
from tests.ui.detail_fixtures import full_detail, full_detail_dict, result_for

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


class Boom(OverflowError):
    """What hostile data raised inside overrides (``parse_timestamp`` on year 10000)."""


def boom(*_args, **_kwargs):
    raise Boom("injected")


@pytest.fixture(autouse=True)
def messages(monkeypatch):
    """The reviewer-facing messages the guard sends, with a fresh once-per-site memory."""
    monkeypatch.setattr(guard, "_seen", {})
    seen: list[str] = []
    guard.reports().failed.connect(seen.append)
    yield seen
    guard.reports().failed.disconnect(seen.append)


def failed_sites() -> set[str]:
    return set(guard.failure_counts())


@pytest.fixture
def window(qtbot, fresh_demo):
    api = CaseApi(
        list=CaseListClient(fresh_demo.list_url, customer_id=fresh_demo.customer_id,
                            credential=BearerToken(fresh_demo.list_token)),
        detail=CaseDetailClient(fresh_demo.detail_url, api_key=fresh_demo.detail_key),
    )
    win = MainWindow(CaseRepository(api), connection_label="Demo")
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitUntil(lambda: win.model.rowCount() >= 5, timeout=20_000)
    yield win
    win.shutdown()


# -- item delegates and models: the case table of the real window ---------------------------------


def test_delegate_paint_failure_paints_plain_text_and_tells_the_reviewer(qtbot, window, messages, monkeypatch):
    monkeypatch.setattr("caseviewer.ui.case_list.status_chip.status_group", boom)
    window.view.viewport().grab()  # Qt entered from Python: unguarded, this is the segfault
    assert "caseviewer.ui.case_list.status_chip.StatusChipDelegate.paint" in failed_sites()
    assert len(messages) == 1  # once per site, not once per painted cell
    qtbot.waitUntil(lambda: "could not be shown" in window.statusBar().currentMessage())
    window.view.viewport().grab()
    assert len(messages) == 1


def test_delegate_size_hint_failure_gives_a_default_size(window, monkeypatch):
    monkeypatch.setattr("caseviewer.ui.case_list.status_chip.QSize", boom)
    assert window.view.sizeHintForColumn(CaseTableModel.COL_STATUS) > 0
    assert "caseviewer.ui.case_list.status_chip.StatusChipDelegate.sizeHint" in failed_sites()


def test_timestamp_failure_inside_model_data_leaves_the_cell_empty(window, monkeypatch):
    monkeypatch.setattr("caseviewer.core.timestamps.format_local", boom)
    window.model._views.clear()  # the cached display strings would hide the injected failure
    window.model.forget_roles()  # and so would the answers kept per row (ui/case_list/role_cache.py)
    window.view.viewport().grab()
    # data / multiData are the base's (kept_roles_model), the model's own code is what failed
    assert any(site.startswith(("caseviewer.ui.case_list.case_table_model.CaseTableModel.",
                                "caseviewer.ui.case_list.kept_roles_model.KeptRolesTableModel."))
               for site in failed_sites())
    assert window.model.index(0, CaseTableModel.COL_CREATED).data() is None


def test_multi_data_failure(window, monkeypatch):
    monkeypatch.setattr(CaseTableModel, "_paint_cells", boom)  # what multiData calls, unguarded
    monkeypatch.setattr(CaseTableModel, "_role_data", boom)
    window.model.forget_roles()  # the answers kept per row would be served without calling it
    window.view.viewport().grab()
    assert "caseviewer.ui.case_list.kept_roles_model.KeptRolesTableModel.multiData" in failed_sites()


class _BadSequence(tuple):
    def __getitem__(self, item):
        raise Boom("injected")


def test_header_data_failure(window, monkeypatch):
    monkeypatch.setattr(window.model, "HEADERS", _BadSequence(CaseTableModel.HEADERS))
    window.view.horizontalHeader().grab()
    assert "caseviewer.ui.case_list.case_table_model.CaseTableModel.headerData" in failed_sites()


def test_can_fetch_more_and_fetch_more_failures(window, monkeypatch):
    monkeypatch.setattr(window.model, "_more_pages", boom)
    proxy = QIdentityProxyModel()  # a C++ model calling the Python one: Qt entered from Python
    proxy.setSourceModel(window.model)
    assert proxy.canFetchMore(QModelIndex()) is False
    # fetchMore asks canFetchMore first: say yes, then fail in what it does next.
    monkeypatch.setattr(CaseTableModel, "canFetchMore", guard.guarded(lambda self, parent=QModelIndex(): True))
    monkeypatch.setattr(window.model, "_request", boom)
    proxy.fetchMore(QModelIndex())
    assert {"caseviewer.ui.case_list.case_table_model.CaseTableModel.canFetchMore",
            "caseviewer.ui.case_list.case_table_model.CaseTableModel.fetchMore"} <= failed_sites()


def test_row_and_column_count_and_flags_failures(qtbot, monkeypatch):
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show_case(result_for(full_detail()))
    pane.attachments_tab().ensure_rendered()
    model = pane.attachments_tab().table.source
    proxy = QIdentityProxyModel()  # a C++ model calling the Python one: Qt entered from Python
    proxy.setSourceModel(model)
    assert proxy.rowCount(QModelIndex()) > 0
    with monkeypatch.context() as patch:
        patch.setattr("caseviewer.ui.detail.table.Qt", _Raising())
        proxy.flags(proxy.index(0, 0))
    monkeypatch.setattr(model, "_rows", _BadLen(model._rows))
    monkeypatch.setattr(model, "_columns", _BadLen(model._columns))
    assert proxy.rowCount(QModelIndex()) == 0
    assert proxy.columnCount(QModelIndex()) == 0
    assert {"caseviewer.ui.detail.table.RowTableModel.rowCount",
            "caseviewer.ui.detail.table.RowTableModel.columnCount",
            "caseviewer.ui.detail.table.RowTableModel.flags"} <= failed_sites()


class _BadLen(list):
    def __len__(self):
        raise Boom("injected")


class _Raising:
    def __getattr__(self, name):
        raise Boom("injected")


# -- event filters, show/resize/paint/change/key/close events ----------------------------------------


def test_event_filter_failure_answers_false(window, monkeypatch):
    monkeypatch.setattr(window.state_overlay if hasattr(window, "state_overlay") else _overlay(window), "_fit", boom)
    viewport = window.view.viewport()
    QApplication.sendEvent(viewport, QResizeEvent(QSize(300, 200), viewport.size()))
    assert "caseviewer.ui.case_list.table_states.TableStateOverlay.eventFilter" in failed_sites()


def _overlay(window):
    from caseviewer.ui.case_list.table_states import TableStateOverlay

    return window.findChild(TableStateOverlay)


def test_show_event_failure_still_shows_the_tab(qtbot, monkeypatch):
    tab = RawTab()
    qtbot.addWidget(tab)
    tab.set_detail(full_detail())
    monkeypatch.setattr(tab, "ensure_rendered", boom)
    tab.show()  # showEvent renders a lazy tab
    assert tab.isVisible()
    assert "caseviewer.ui.detail.tabs.base.DetailTab.showEvent" in failed_sites()


def test_a_section_that_raises_says_so_and_the_others_render(qtbot, monkeypatch, messages):
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.resize(900, 650)
    pane.show()
    overview = next(t for t in pane.tab_pages if isinstance(t, OverviewTab))
    pane.set_current_tab(pane.tab_pages.index(overview))
    monkeypatch.setattr(OverviewTab, "render", boom)
    pane.show_case(result_for(full_detail()))  # the case record is the visible section: rendered now
    assert overview.has_failed() and overview.failure_note.isVisible()
    assert "Could not show this section" in overview.failure_note.text()
    raw = next(t for t in pane.tab_pages if isinstance(t, RawTab))
    pane.set_current_tab(pane.tab_pages.index(raw))
    assert not raw.has_failed()
    qtbot.waitUntil(lambda: '"shortId": "CV-424242"' in raw.view.toPlainText())  # filled a chunk per turn
    assert messages


def test_raw_tab_of_a_deeply_nested_document(qtbot):
    raw = full_detail_dict()
    deep: list = []
    for _ in range(20_000):
        deep = [deep]
    raw["extraDeep"] = deep
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show()
    pane.show_case(result_for(CaseDetail.from_raw(raw)))
    tab = next(t for t in pane.tab_pages if isinstance(t, RawTab))
    pane.set_current_tab(pane.tab_pages.index(tab))
    assert not tab.has_failed()
    qtbot.waitUntil(lambda: "too deep to show" in tab.note.text())
    assert '"shortId": "CV-424242"' in tab.view.toPlainText()


def test_resize_event_failure(qtbot, monkeypatch):
    widget = SideBySide(QLabel("first"), QLabel("second"))
    qtbot.addWidget(widget)
    widget.show()
    monkeypatch.setattr(widget, "_side_by_side_width", boom)
    widget.resize(500, 200)
    QApplication.sendEvent(widget, QResizeEvent(QSize(400, 200), QSize(500, 200)))
    assert "caseviewer.ui.detail.widgets.SideBySide.resizeEvent" in failed_sites()


def test_minimum_size_hint_failure(qtbot, monkeypatch):
    first, second = QLabel("first"), QLabel("second")
    widget = SideBySide(first, second)
    qtbot.addWidget(widget)
    monkeypatch.setattr(first, "minimumSizeHint", boom)
    parent = QWidget()
    qtbot.addWidget(parent)
    widget.setParent(parent)
    parent.adjustSize()  # Qt asks the child's minimumSizeHint
    assert widget.minimumSizeHint() is not None
    assert "caseviewer.ui.detail.widgets.SideBySide.minimumSizeHint" in failed_sites()


def test_enter_event_failure(qtbot, monkeypatch):
    label = SelectableLabel("a value")
    qtbot.addWidget(label)
    label.show()
    monkeypatch.setattr(label, "make_selectable", boom)
    QApplication.sendEvent(label, QEvent(QEvent.Type.Enter))
    assert "caseviewer.ui.detail.widgets.SelectableLabel.enterEvent" in failed_sites()


def test_change_event_failure(qtbot, monkeypatch):
    table = DataTable([])
    qtbot.addWidget(table)
    monkeypatch.setattr("caseviewer.ui.detail.table.QEvent", None)  # reading the event's type fails
    font = table.font()
    font.setPointSize(font.pointSize() + 5)
    table.setFont(font)  # a FontChange event
    assert "caseviewer.ui.detail.table.DataTable.changeEvent" in failed_sites()


def test_paint_event_failure(qtbot, monkeypatch):
    card = Card("A card")
    qtbot.addWidget(card)
    card.resize(200, 100)
    monkeypatch.setattr("caseviewer.ui.detail.widgets.QPen", boom)
    card.grab()
    assert "caseviewer.ui.detail.widgets.Card.paintEvent" in failed_sites()


def test_case_table_view_paint_failure(qtbot):
    """The case table's shortcut for rows not held failing: Qt's own paint draws the rows."""
    from caseviewer.ui.case_list.table_view import CaseTableView

    model = CaseTableModel()
    model.holds_any = boom  # the store model's question, raising
    model.rowCount = lambda parent=QModelIndex(): 5  # noqa: ARG005 - rows to paint
    view = CaseTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(300, 200)
    view.grab()
    assert "caseviewer.ui.case_list.table_view.CaseTableView.paintEvent" in failed_sites()


def test_flow_layout_failures(qtbot, monkeypatch):
    host = QWidget()
    qtbot.addWidget(host)
    layout = FlowLayout(host)
    for text in ("one", "two", "three"):
        layout.addWidget(QLabel(text))
    host.show()
    monkeypatch.setattr(layout, "_arrange", boom)
    monkeypatch.setattr(layout, "_visible", boom)
    host.resize(120, 90)
    host.grab()
    assert host.sizeHint() is not None and host.minimumSizeHint() is not None
    QApplication.sendEvent(host, QEvent(QEvent.Type.LayoutRequest))
    assert {"caseviewer.ui.detail.flow_layout.FlowLayout.setGeometry",
            "caseviewer.ui.detail.flow_layout.FlowLayout.sizeHint"} & failed_sites()


def test_graphics_item_paint_and_image_viewer_events(qtbot, monkeypatch):
    viewer = ImageViewer()
    qtbot.addWidget(viewer)
    viewer.resize(400, 300)
    viewer.show()
    image = QImage(50, 40, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    viewer.set_image(image, "")
    item = viewer._item
    monkeypatch.setattr(item, "image", _Raising())
    viewer.grab()
    assert "caseviewer.ui.preview.image_view._ImageItem.paint" in failed_sites() or \
        "caseviewer.ui.preview.image_view._ImageItem.boundingRect" in failed_sites()
    monkeypatch.setattr("caseviewer.ui.preview.common.set_backdrop", boom)
    viewer.setPalette(QPalette(Qt.GlobalColor.darkGray))
    assert "caseviewer.ui.preview.common.ScrollViewer.changeEvent" in failed_sites()  # ImageViewer's base


def test_pdf_viewer_event_filter_and_change_event(qtbot, monkeypatch):
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    viewer.show()
    monkeypatch.setattr(viewer, "_show_zoom", boom)
    viewport = viewer._view.viewport()
    QApplication.sendEvent(viewport, QResizeEvent(QSize(300, 200), viewport.size()))
    monkeypatch.setattr("caseviewer.ui.preview.common.set_backdrop", boom)
    viewer.setPalette(QPalette(Qt.GlobalColor.darkGray))
    assert {"caseviewer.ui.preview.pdf_view.PdfViewer.eventFilter",
            "caseviewer.ui.preview.common.ScrollViewer.changeEvent"} <= failed_sites()  # PdfViewer's base


def test_key_press_event_failure(qtbot, monkeypatch):
    field = _FindField()
    qtbot.addWidget(field)
    field.show()
    monkeypatch.setattr("caseviewer.ui.preview.text_view.Qt", _Raising())
    QTest.keyClick(field, Qt.Key.Key_A)
    assert field.text() == "a"  # the base class handled the key
    assert "caseviewer.ui.preview.text_view._FindField.keyPressEvent" in failed_sites()


def test_dialog_done_failure_still_closes(qtbot, monkeypatch):
    runner = TaskRunner(threads=1)
    try:
        dialog = TextSearchDialog(runner, repository=None)
        qtbot.addWidget(dialog)
        dialog.show()
        monkeypatch.setattr(runner, "cancel", boom)
        dialog.reject()
        assert not dialog.isVisible()
        assert "caseviewer.ui.dialogs.text_search_dialog.TextSearchDialog.done" in failed_sites()
    finally:
        monkeypatch.undo()
        runner.shutdown()


def test_close_event_failure_still_closes_the_window(qtbot, window, monkeypatch):
    monkeypatch.setattr(window, "save_settings", boom)
    window.close()
    assert not window.isVisible()
    assert "caseviewer.ui.window.main_window.MainWindow.closeEvent" in failed_sites()
