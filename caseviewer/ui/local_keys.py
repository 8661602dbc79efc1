"""Keys owned by a part of the window while focus is inside it: the nearest owner wins.

Used by the previews (find, zoom, rotate, pages) and the Raw tab (find), whose keys would
otherwise be ambiguous with the main window's actions on the same keys.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

from caseviewer.ui.guard import guarded


class LocalKeys(QObject):
    """Keys that belong to ``widget`` while focus is anywhere inside it (and nowhere else).

    A plain ``QShortcut`` with a widget context is *ambiguous* with a window-wide action on the
    same key (Qt then fires neither and prints "Ambiguous shortcut overload"): Ctrl+F in the Raw
    tab or a text preview did nothing. Accepting the ``ShortcutOverride`` event (which climbs from
    the focus widget through its parents) makes the key a plain key press here, so the nearest
    owner wins: the preview's Ctrl+F finds in the file, elsewhere Ctrl+F searches the case list.
    """

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._keys: list[tuple[QKeySequence, Callable[[], object]]] = []
        widget.installEventFilter(self)

    def add(self, key: str | QKeySequence | QKeySequence.StandardKey, slot: Callable[[], object]) -> None:
        sequences = QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey) else [QKeySequence(key)]
        self._keys.extend((sequence, slot) for sequence in sequences)

    def _slot_for(self, event: QKeyEvent) -> Callable[[], object] | None:
        pressed = QKeySequence(event.keyCombination())
        for sequence, slot in self._keys:
            if sequence.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                return slot
        return None

    @guarded
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        try:
            kind = event.type()
            if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
                return False
            slot = self._slot_for(event)
            if slot is None:
                return False
            event.accept()
            if kind == QEvent.Type.KeyPress:
                slot()
            return True
        except Exception:  # an exception in an event filter can abort the process under PySide6
            return False


def local_keys(widget: QWidget) -> LocalKeys:
    """The one ``LocalKeys`` of ``widget`` (created on first use)."""
    found = widget.findChild(LocalKeys, "", Qt.FindChildOption.FindDirectChildrenOnly)
    return found if found is not None else LocalKeys(widget)


__all__ = ["LocalKeys", "local_keys"]
