"""What assistive technology reads: accessible names and descriptions, and live announcements.

A screen reader meets a widget by its accessible name (what it is) and description (what it does
or what state it is in). Qt derives a name from a button's text or a form label's buddy; fields
with only a placeholder, tables, lists and scroll areas have none unless the app gives one.
``name(widget, text, description)`` is the one way the UI gives them (tests/e2e/
test_accessibility_tree.py reads the result through AT-SPI).

``announce(widget, text, politeness)`` is a live region: a status message, the offline banner or
an error view is spoken without moving the focus (``QAccessibleAnnouncementEvent``, Qt ≥ 6.8;
AT-SPI's ``Announcement`` signal). Every announcement is also emitted on ``announcer().announced``
so the parts that announce can be tested without a screen reader.
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

try:  # Qt 6.8+
    from PySide6.QtGui import QAccessibleAnnouncementEvent
except ImportError:  # pragma: no cover - older Qt: announcements are only emitted on the signal
    QAccessibleAnnouncementEvent = None

W = TypeVar("W", bound=QWidget)


class Politeness(Enum):
    """How urgently an announcement interrupts: ``POLITE`` waits for the reader to finish;
    ``ASSERTIVE`` (errors, going offline) interrupts."""

    POLITE = "polite"
    ASSERTIVE = "assertive"


def name(widget: W, text: str, description: str | None = None) -> W:
    """Give ``widget`` an accessible name (and description); returns the widget."""
    widget.setAccessibleName(text)
    if description is not None:
        widget.setAccessibleDescription(description)
    return widget


class Announcer(QObject):
    """Emits ``announced(text, politeness)`` for every announcement (one per application)."""

    announced = Signal(str, object)


_announcer: Announcer | None = None


def announcer() -> Announcer:
    global _announcer
    if _announcer is None:
        _announcer = Announcer()
    return _announcer


def announce(widget: QWidget, text: str, politeness: Politeness = Politeness.POLITE) -> None:
    """Speak ``text`` for ``widget`` without moving the focus (nothing for empty text)."""
    text = " ".join(text.split())
    if not text:
        return
    if QAccessibleAnnouncementEvent is not None and QAccessible.isActive():
        event = QAccessibleAnnouncementEvent(widget, text)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if politeness is Politeness.ASSERTIVE
                            else QAccessible.AnnouncementPoliteness.Polite)
        QAccessible.updateAccessibility(event)
    announcer().announced.emit(text, politeness)


__all__ = ["Announcer", "Politeness", "announce", "announcer", "name"]
