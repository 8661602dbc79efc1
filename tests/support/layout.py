"""Layout checks the window tests share: texts a layout squeezed below their width (cut off)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget


def squeezed_texts(root: QWidget) -> list[str]:
    """Every one-line label and text button shown under ``root`` that has less width than its
    text needs: Qt then paints it cut off (under its neighbours). Word-wrapped labels, labels
    that shorten their text on purpose (``ELIDES``) and pictures are not one-line texts."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 0 or getattr(widget, "ELIDES", False):
            continue  # (no width: not laid out yet, nothing of it shows)
        if isinstance(widget, QLabel):
            pixmap = widget.pixmap()
            if widget.wordWrap() or not widget.text() or (pixmap is not None and not pixmap.isNull()):
                continue
        elif not (isinstance(widget, QAbstractButton) and widget.text()):
            continue
        needed = widget.sizeHint().width()
        if widget.width() + 1 < needed:
            found.append(f"{type(widget).__name__} {widget.text()[:50]!r}: {widget.width()} of {needed} px")
    return found


__all__ = ["squeezed_texts"]
