"""The strip above the case table that says the window is showing cached data, and why.

"Offline — showing cached data (cached 12 min ago)". When the services could not be reached
(``OfflineReason.UNREACHABLE``) it offers "Try again"; when the reviewer chose to work offline it
offers "Go online". Hidden while online. Pure display: the main window decides when and what.
"""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from caseviewer.core.offline import OfflineReason
from caseviewer.ui import accessible
from caseviewer.ui import theme
from caseviewer.ui.accessible import Politeness


def describe_age(when: datetime | None, now: datetime | None = None) -> str:
    """ "just now", "12 min ago", "3 h ago", "2 days ago"; "" when unknown."""
    if when is None:
        return ""
    now = now or datetime.now(timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    seconds = max(0.0, (now - when).total_seconds())
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h ago"
    return f"{hours // 24} days ago"


def banner_text(reason: OfflineReason | str, cached_at: datetime | None, now: datetime | None = None) -> str:
    age = describe_age(cached_at, now)
    text = "Offline — showing cached data"
    if age:
        text += f" (cached {age})"
    if reason == OfflineReason.CHOSEN:
        text += ". You chose to work offline."
    elif reason == OfflineReason.UNREACHABLE:
        text += ". The case service cannot be reached."
    return text


class OfflineBanner(QFrame):
    """Hidden while online; ``try_again`` asks for a probe, ``go_online`` undoes a chosen offline."""

    try_again = Signal()
    go_online = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        text, background = theme.BANNERS["offline"]  # the same in every theme; in contrast_pairs
        self.setStyleSheet(
            f"#offlineBanner {{ background: {background}; border: 1px solid #e0b44c; border-radius: 4px; }}"
            f"#offlineBanner QLabel {{ color: {text}; }}"
        )
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setObjectName("offlineBannerText")
        self.label.setWordWrap(True)
        self.try_again_button = QPushButton("Try again")
        self.try_again_button.setObjectName("offlineTryAgain")
        self.try_again_button.setToolTip("Check whether the case service answers again")
        self.try_again_button.clicked.connect(self.try_again)
        self.go_online_button = QPushButton("Go online")
        self.go_online_button.setObjectName("offlineGoOnline")
        self.go_online_button.setToolTip("Stop working offline and use the case service again")
        self.go_online_button.clicked.connect(self.go_online)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.try_again_button)
        layout.addWidget(self.go_online_button)
        self.reason = ""
        self.cached_at: datetime | None = None
        self.hide()

    def show_offline(self, reason: OfflineReason, cached_at: datetime | None) -> None:
        news = self.isHidden() or reason != self.reason  # said once, not on every refresh
        self.reason = reason
        self.cached_at = cached_at
        self.refresh_text()
        self.try_again_button.setVisible(reason == OfflineReason.UNREACHABLE)
        self.go_online_button.setVisible(reason == OfflineReason.CHOSEN)
        self.show()
        if news:
            accessible.announce(self, self.label.text(), Politeness.ASSERTIVE)

    def refresh_text(self) -> None:
        text = banner_text(self.reason, self.cached_at)
        self.label.setText(text)
        accessible.name(self, "Working offline", text)

    def set_probing(self, probing: bool) -> None:
        self.try_again_button.setEnabled(not probing)
        self.try_again_button.setText("Checking…" if probing else "Try again")

    def hide_banner(self) -> None:
        self.reason = ""
        self.hide()


__all__ = ["OfflineBanner", "banner_text", "describe_age"]
