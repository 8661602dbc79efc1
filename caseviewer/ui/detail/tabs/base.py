"""The contract every detail tab follows, and lazy rendering.

A tab is given each case with ``set_detail``; it reports its title (with a count) at once, but
builds its widgets only when it is first shown. Arrowing through twenty cases therefore builds
only the tab the reviewer is looking at, and the Raw tab's pretty-printing only happens on demand.

A tab whose ``render`` (or ``count``) raises on some case shows "could not show this section"
instead of its content, and the other tabs are unaffected (``guard.contain``): one odd value must
not cost the reviewer the whole case, nor (inside ``showEvent``) the process.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from caseviewer.core.changes import CaseChanges
from caseviewer.core.models import CaseDetail
from caseviewer.ui.detail.widgets import ScrollPage, empty_state, text_label
from caseviewer.ui.detail.key_value_form import KeyValueForm

#: GUI-thread time one batch of cards may take before the rest waits for the next event-loop
#: turn (a case with hundreds of comments then never freezes the window).
BATCH_BUDGET_S = 0.015
#: Widgets per batch at most: Qt lays out and paints a batch after it is built (~10 ms a card),
#: which the budget above cannot see.
BATCH_MAX_WIDGETS = 4
#: The next batch waits on a timer, not a posted call: ``singleShot(0)`` posts an event, and Qt
#: delivers events posted meanwhile in the same pass, so batches ran back to back (four of them,
#: ~80 ms, before a 1 MiB-comments case let input or a paint in). A 1 ms timer takes its turn.
NEXT_BATCH_MS = 1
from caseviewer.ui.guard import contain, guarded

SECTION_FAILED = ("Could not show this section: caseviewer hit an internal error on this case's data. "
                  "The other tabs are not affected; the Raw tab shows what the service sent.")


class DetailTab(QWidget):
    """Base class: subclasses set ``TITLE``, and implement ``count`` and ``render``."""

    TITLE = ""
    #: Widgets built per event-loop turn at most (``build_gradually``).
    batch_max_widgets = BATCH_MAX_WIDGETS
    #: Emitted with an ``Attachment`` model when the reviewer activates one in this tab.
    attachment_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        #: Shown instead of ``content`` when rendering this case failed.
        self.failure_note = text_label(SECTION_FAILED, selectable=False, muted=True, wrap=True)
        self.failure_note.setObjectName("sectionFailed")
        self.failure_note.setContentsMargins(24, 24, 24, 24)
        self.failure_note.hide()
        outer.addWidget(self.failure_note)
        #: Subclasses build inside this widget, through ``layout_``.
        self.content = QWidget()
        self.layout_ = QVBoxLayout(self.content)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(0)
        outer.addWidget(self.content, 1)
        self._detail: CaseDetail | None = None
        self._dirty = False
        self._failed = False
        self._pending: deque[Callable[[], QWidget]] = deque()
        self._page: ScrollPage | None = None
        self._generation = 0
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
        number = None
        if self._detail is not None:
            _ok, number = contain(f"{type(self).__name__}.count", self.count, self._detail)
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
            ok, _ = contain(f"{type(self).__name__}.render", self.render, self._detail)
            self.show_failed(not ok)

    def show_failed(self, failed: bool) -> None:
        """The "could not show this section" note instead of the content (or the content again)."""
        self._failed = failed
        self.failure_note.setVisible(failed)
        self.content.setVisible(not failed)

    def has_failed(self) -> bool:
        return self._failed

    # -- gradual building --------------------------------------------------------------------
    def build_gradually(self, page: ScrollPage, builders: Sequence[Callable[[], QWidget]]) -> None:
        """Add the widgets ``builders`` make to ``page`` (already ``reset``), as many per
        event-loop turn as fit ``BATCH_BUDGET_S``; a new case supersedes unfinished batches."""
        self._generation += 1
        self._page = page
        self._pending = deque(builders)
        self._build_batch(self._generation)

    def _build_batch(self, generation: int) -> None:
        if not shiboken6.isValid(self) or generation != self._generation or self._page is None:
            return  # the tab is gone, or a newer case superseded this one
        deadline = time.monotonic() + BATCH_BUDGET_S
        built = 0
        while self._pending:
            builder = self._pending.popleft()
            ok, widget = contain(f"{type(self).__name__}.render", builder)
            if not ok:
                self._pending.clear()
                self.show_failed(True)
                return
            self._page.add(widget)
            built += 1
            if time.monotonic() > deadline or built >= self.batch_max_widgets:
                break
        self._page.finish()
        if self._pending:
            QTimer.singleShot(NEXT_BATCH_MS, lambda: self._build_batch(generation))

    def is_complete(self) -> bool:
        """True once every card of the current case is built."""
        return not self._pending

    def build_all_now(self) -> None:
        """Build what is still pending at once (tests, and a reviewer's Find)."""
        self.ensure_rendered()
        while self._pending and self._page is not None:
            self._build_batch(self._generation)

    @guarded
    def showEvent(self, event) -> None:  # noqa: ANN001 - Qt signature
        self.ensure_rendered()
        super().showEvent(event)


class CardsTab(DetailTab):
    """A tab that is a scrolling column of cards, one per item, or a friendly empty state."""

    EMPTY = "Nothing to show"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = ScrollPage(name=self.TITLE.replace("&&", "&"))
        self.layout_.addWidget(self.page)

    def items(self, detail: CaseDetail) -> Sequence[Any]:
        raise NotImplementedError

    def card(self, item: Any, number: int) -> QWidget:
        raise NotImplementedError

    def count(self, detail: CaseDetail) -> int | None:
        return len(self.items(detail))

    def reveal(self, item_id: str) -> bool:
        """Scroll to the card of the item with ``item_id`` (a timeline entry was opened)."""
        self.build_all_now()  # the card may still be waiting for its batch
        card = getattr(self, "cards_by_id", {}).get(item_id)
        if card is None:
            return False
        self.page.ensureWidgetVisible(card, 0, 0)
        return True

    def render(self, detail: CaseDetail) -> None:
        self.page.reset()
        self.cards_by_id: dict[str, QWidget] = {}
        items = self.items(detail)
        builders: list[Callable[[], QWidget]] = [lambda: empty_state(self.EMPTY)] if not items else []
        builders += [lambda item=item, number=number: self._card_for(item, number)
                     for number, item in enumerate(items, start=1)]
        self.build_gradually(self.page, builders)

    def _card_for(self, item: Any, number: int) -> QWidget:
        card = self.card(item, number)
        item_id = getattr(item, "id", None)
        if item_id:
            self.cards_by_id.setdefault(item_id, card)
        # Long values (ids, links, service text) wrap instead of widening the card: the
        # section sits beside the section list and must never scroll sideways.
        for form in card.findChildren(KeyValueForm):
            form.wrap_values()
        return card
