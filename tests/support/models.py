"""Small helpers for reading Qt item models in tests."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex


def column_count(model: QAbstractItemModel) -> int:
    """``model``'s columns; 1 for a QListWidget's model, whose ``columnCount`` PySide6 keeps private."""
    try:
        return model.columnCount(QModelIndex())
    except TypeError:
        return 1
