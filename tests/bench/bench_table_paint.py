"""One full repaint of the case table, with the paint roles kept and without (prints, asserts nothing).

Run as a script (not collected by pytest)::

    .venv/bin/python tests/bench/bench_table_paint.py [--columns all|default] [--profile]

A ``CaseTableModel`` of 2,000 demo rows with triage marks (a third read, the rest new) in a
1280x800 ``QTableView`` set up as the window sets up its table (status chips, fixed row height).
Timed: ``viewport().repaint()`` of the same rows (what a dataChanged elsewhere, a hover or a
selection costs) and after the scrollbar moved to rows not drawn yet. The kept answers
(``ui/case_list/role_cache.py``) are switched on and off in alternating rounds in one process, so
both see the same machine load. Beside them, the floor: the same texts in a ``QStandardItemModel``
(C++ only, no Python on the paint path) in a view set up the same way with Qt's own delegate, in
the same alternating rounds: what Qt itself costs to paint this screenful. Between the two, the
floor of any model written in Python: the same texts answered by a ``QAbstractTableModel`` whose
``data`` only looks them up in lists (the per-cell calls into Python and nothing else).
``--profile`` adds cProfile's top functions for the repaints of the same rows.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", choices=["all", "default"], default="all")
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    app = QApplication(sys.argv[:1])
    from caseviewer.core.changes import RowState
    from caseviewer.core.models import CaseRecord
    from caseviewer.core.query import CasePage, CaseQuery
    from caseviewer.core.reviewer_state import CaseTriage
    from caseviewer.demo.data import DemoData
    from caseviewer.ui.case_list.case_table_model import CaseTableModel
    from caseviewer.ui.triage.marks import TriageMarks
    from caseviewer.ui.case_list.table_view import CaseTableView, row_height, set_up_case_view

    data = DemoData(cases=2000, seed=3)
    records = [CaseRecord.model_validate(data.list_record(i)) for i in range(2000)]
    model = CaseTableModel()
    model.triage = TriageMarks(CaseTableModel.COL_FLAG)
    model.triage.update({r.id: CaseTriage(r.id, RowState.READ if i % 3 == 0 else RowState.NEW)
                         for i, r in enumerate(records)})
    query = CaseQuery(items_per_page=2000)
    model.reset_for_query(query)
    model.append_page(CasePage(query.with_page(1), records, 1, 2000))

    def table_view(shown_model) -> QTableView:  # noqa: ANN001
        view = CaseTableView() if shown_model is model else QTableView()
        view.setModel(shown_model)
        set_up_case_view(view, status_chips=shown_model is model)  # the floors have no status codes
        if args.columns == "default":
            for column in CaseTableModel.HIDDEN_BY_DEFAULT:
                view.horizontalHeader().hideSection(column)
        view.resize(1280, 800)
        view.show()
        for _ in range(5):
            app.processEvents()
        return view

    view = table_view(model)
    # The floor: the same texts (and the monospace font of the id columns) held by Qt alone.
    plain = QStandardItemModel(model.rowCount(), model.columnCount())
    font_role = Qt.ItemDataRole.FontRole
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            item = QStandardItem(model.data(model.index(row, column)) or "")
            font = model.data(model.index(row, column), font_role)
            if font is not None:
                item.setFont(font)
            plain.setItem(row, column, item)
    floor_view = table_view(plain)

    class ListModel(QAbstractTableModel):
        """The Python floor: a cell's display text and font looked up, every other role None."""

        def __init__(self) -> None:
            super().__init__()
            self.texts = [[plain.item(r, c).text() for c in range(plain.columnCount())] for r in range(plain.rowCount())]
            self.fonts = [model.data(model.index(0, c), font_role) for c in range(plain.columnCount())]

        def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, ANN001 - Qt's name
            return 0 if parent.isValid() else len(self.texts)

        def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, ANN001 - Qt's name
            return 0 if parent.isValid() else len(self.fonts)

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, ANN201 - Qt's signature
            if role == Qt.ItemDataRole.DisplayRole:
                return self.texts[index.row()][index.column()]
            if role == Qt.ItemDataRole.FontRole:
                return self.fonts[index.column()]
            return None

    lists = ListModel()
    python_view = table_view(lists)
    def repaints(count: int, move: bool, shown: QTableView | None = None) -> list[float]:
        viewport, bar = (shown or view).viewport(), (shown or view).verticalScrollBar()
        times = []
        for k in range(count):
            if move:
                bar.setValue((k * 37 * row_height()) % bar.maximum())
            started = time.perf_counter()
            viewport.repaint()
            times.append((time.perf_counter() - started) * 1000)
        return times

    keeps = model._keeps_roles
    figures: dict[tuple[bool, bool], list[float]] = {(on, move): [] for on in (True, False) for move in (False, True)}
    floor: dict[bool, list[float]] = {False: [], True: []}
    python_floor: dict[bool, list[float]] = {False: [], True: []}
    for round_no in range(args.rounds):
        on = round_no % 2 == 0
        model._keeps_roles = keeps if on else (lambda _row: False)
        model.forget_roles()
        for move in (False, True):
            figures[(on, move)] += repaints(20, move)[1:]  # the first of a round fills what is kept
            floor[move] += repaints(20, move, floor_view)[1:]
            python_floor[move] += repaints(20, move, python_view)[1:]

    shown = sum(not view.isColumnHidden(c) for c in range(model.columnCount()))
    print(f"{shown} columns, ~{view.viewport().height() // row_height()} rows on screen, load {os.getloadavg()[0]:.2f}")
    print(f"{'repaint':<24}{'kept: median / p90':>22}{'not kept: median / p90':>26}{'Python floor':>18}"
          f"{'Qt alone: median / p90':>26}")

    def cell(times: list[float]) -> str:
        ordered = sorted(times)
        return f"{statistics.median(ordered):.1f} / {ordered[int(len(ordered) * 0.9)]:.1f} ms"

    for move, name in ((False, "same rows"), (True, "rows not drawn yet")):
        print(f"{name:<24}{cell(figures[(True, move)]):>22}{cell(figures[(False, move)]):>26}"
              f"{cell(python_floor[move]):>18}{cell(floor[move]):>26}")
    if args.profile:
        model._keeps_roles = keeps
        repaints(5, False)
        profile = cProfile.Profile()
        profile.enable()
        repaints(100, False)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(12)
    return 0


if __name__ == "__main__":
    sys.exit(main())
