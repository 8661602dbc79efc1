"""Links from the service (tracking, meeting, cancel/reschedule URLs) shown as copyable text.

The URL is service data: it is displayed as plain text, never inserted into HTML, and the "Open"
button only hands ``http``/``https`` URLs that parse strictly to the desktop's browser.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.widgets import text_label, with_buttons

SAFE_SCHEMES = ("http", "https")


def safe_url(text: str | None) -> QUrl | None:
    """The URL if it is a well-formed web link, else None (``javascript:``, ``file:``, junk...)."""
    if not text:
        return None
    url = QUrl(text.strip(), QUrl.ParsingMode.StrictMode)
    if not url.isValid() or url.scheme().lower() not in SAFE_SCHEMES or not url.host():
        return None
    return url


class LinkField(QWidget):
    """``url`` as selectable text with Copy and (for web links) Open buttons: beside the text when
    there is room, under it when the page is narrow (never a page scrolling sideways)."""

    def __init__(self, url: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = text_label(fmt.or_missing(url), wrap=True)
        self.url = url
        if not url:
            layout.addWidget(self.text, 1)
            return
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the link")
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(url))
        self.open_button = QPushButton("Open")
        target = safe_url(url)
        self.open_button.setEnabled(target is not None)
        self.open_button.setToolTip("Open in the web browser" if target else "Not a web link; copy it instead")
        if target is not None:
            self.open_button.clicked.connect(lambda: QDesktopServices.openUrl(target))
        for button in (self.copy_button, self.open_button):
            button.setAutoDefault(False)
        layout.addWidget(with_buttons(self.text, self.copy_button, self.open_button), 1)
