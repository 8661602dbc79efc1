"""Right-click on a field of the case page: copy its whole value (not just a selection), or
"Label: value". Installed on each value of a ``KeyValueForm``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMenu, QWidget


def field_value(widget: QWidget) -> str:
    """The text a field shows: a label's text, or its labels' texts one a line."""
    if isinstance(widget, QLabel):
        return widget.text()
    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.text())


def install_copy_menu(widget: QWidget, label: str) -> None:
    labels = [widget] if isinstance(widget, QLabel) else widget.findChildren(QLabel)
    for target in labels:
        target.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        target.customContextMenuRequested.connect(
            lambda pos, target=target: field_menu(widget, label, target).popup(target.mapToGlobal(pos)))


def field_menu(widget: QWidget, label: str, target: QWidget | None = None) -> QMenu:
    menu = QMenu(target or widget)
    menu.setObjectName("fieldMenu")
    clipboard = QGuiApplication.clipboard()
    if isinstance(target, QLabel) and target.hasSelectedText():
        menu.addAction("&Copy selection", lambda: clipboard.setText(target.selectedText()))
    menu.addAction("Copy &value", lambda: clipboard.setText(field_value(widget)))
    menu.addAction(f"Copy \u201c{label}: …\u201d", lambda: clipboard.setText(f"{label}: {field_value(widget)}"))
    return menu


__all__ = ["field_menu", "field_value", "install_copy_menu"]
