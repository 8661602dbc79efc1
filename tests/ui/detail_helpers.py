"""Helpers for the detail pane tests: render every tab, collect everything a reviewer can read."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from caseviewer.ui.detail import DetailPane

_TAG = re.compile(r"<[^>]+>")


def tooltip_text(tip: str) -> str:
    """What a (possibly escaped rich-text) tooltip displays."""
    if not tip:
        return ""
    return html.unescape(_TAG.sub("", tip)) if tip.startswith("<p") or tip.startswith("<qt>") else tip


def render_all_tabs(pane: DetailPane) -> None:
    """Visit every tab (as a reviewer would), so the lazily built ones exist."""
    current = pane.tab_widget().currentIndex()
    for index in range(pane.tab_widget().count()):
        pane.set_current_tab(index)
        pane.tab_pages[index].build_all_now()  # cards are otherwise built a batch per event-loop turn
    pane.set_current_tab(current)
    QApplication.processEvents()


def model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    texts: list[str] = []
    if model is None:
        return texts
    for column in range(model.columnCount()):
        texts.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))

    def walk(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = index.data(role)
                    if value is not None:
                        texts.append(tooltip_text(str(value)) if role == Qt.ItemDataRole.ToolTipRole else str(value))
            child = model.index(row, 0, parent)
            if model.hasChildren(child):
                walk(child)

    walk(QModelIndex())
    return texts


def collect_texts(root: QWidget, *, tooltips: bool = True) -> list[str]:
    """Every text shown by labels, line/plain/rich text edits, buttons and item views under ``root``."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QAbstractItemView):
            texts.extend(model_texts(widget))
        if tooltips and widget.toolTip():
            texts.append(tooltip_text(widget.toolTip()))
    return texts


def all_text(root: QWidget, *, tooltips: bool = True) -> str:
    return "\n".join(collect_texts(root, tooltips=tooltips))
