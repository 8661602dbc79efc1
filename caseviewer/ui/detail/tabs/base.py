"""The contract every detail tab follows, and lazy rendering.

A tab is given each case with ``set_detail``; it reports its title (with a count) at once, but
builds its widgets only when it is first shown. Arrowing through twenty cases therefore builds
only the tab the reviewer is looking at, and the Raw tab's pretty-printing only happens on demand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from caseviewer.core.changes import CaseChanges
from caseviewer.core.models import CaseDetail
from caseviewer.ui.detail.widgets import ScrollPage, empty_state


class DetailTab(QWidget):
    """Base class: subclasses set ``TITLE``, and implement ``count`` and ``render``."""

    TITLE = ""
    #: Emitted with an ``Attachment`` model when the reviewer activates one in this tab.
    attachment_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(0)
        self._detail: CaseDetail | None = None
        self._dirty = False
        #: What changed since the reviewer last looked (ui/triage): items carry New / Changed.
        self.changes = CaseChanges()

    # -- for subclasses --------------------------------------------------------------------
    def count(self, detail: CaseDetail) -> int | None:
        """The number shown in the tab title, or None for no number."""
        return None

    def render(self, detail: CaseDetail) -> None:
        raise NotImplementedError

    # -- for the pane ----------------------------------------------------------------------
    def title(self) -> str:
        number = self.count(self._detail) if self._detail is not None else None
        return self.TITLE if number is None else f"{self.TITLE} ({number})"

    def set_detail(self, detail: CaseDetail, changes: CaseChanges | None = None) -> None:
        self._detail = detail
        self.changes = changes or CaseChanges()
        self._dirty = True
        if self.isVisible():
            self.ensure_rendered()

    def ensure_rendered(self) -> None:
        if self._dirty and self._detail is not None:
            self._dirty = False
            self.render(self._detail)

    def showEvent(self, event) -> None:  # noqa: ANN001 - Qt signature
        self.ensure_rendered()
        super().showEvent(event)


class CardsTab(DetailTab):
    """A tab that is a scrolling column of cards, one per item, or a friendly empty state."""

    EMPTY = "Nothing to show"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = ScrollPage()
        self.layout_.addWidget(self.page)

    def items(self, detail: CaseDetail) -> Sequence[Any]:
        raise NotImplementedError

    def card(self, item: Any, number: int) -> QWidget:
        raise NotImplementedError

    def count(self, detail: CaseDetail) -> int | None:
        return len(self.items(detail))

    def render(self, detail: CaseDetail) -> None:
        self.page.reset()
        items = self.items(detail)
        if not items:
            self.page.add(empty_state(self.EMPTY))
        for number, item in enumerate(items, start=1):
            self.page.add(self.card(item, number))
        self.page.finish()
