"""Privacy mode in the window: the toggle (Ctrl+Shift+M, a status-bar button), the banner, masked
previews, the timed reveal, and re-rendering what is on screen when it changes.

What is masked is decided in ``core/privacy.py``; this module only switches it and makes the
widgets show it again. **Reveal** (Ctrl+Shift+Space, or View > Reveal field for 5 s): the masked
field under the mouse pointer — or the focused one — shows its text for five seconds, then is
masked again. Reveal works on the case page's fields; the table and the preview stay masked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QCursor, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QToolButton

from caseviewer.core.privacy import MASK_STATE
from caseviewer.ui import theme
from caseviewer.ui.detail.widgets import REVEAL_PROPERTY

REVEAL_MS = 5_000
BANNER_TEXT = ("Privacy mode — names, dates of birth, addresses, phone numbers, emails and comments "
               "are masked. Ctrl+Shift+M shows them again; Ctrl+Shift+Space reveals one field for 5 s.")


class PrivacyController(QObject):
    toggled = Signal(bool)

    def __init__(self, window: Any, *, rerender: Callable[[], None]) -> None:
        super().__init__(window)
        self.window = window
        self._rerender = rerender
        self.action = QAction("Privac&y mode", window, checkable=True)
        self.action.setObjectName("privacyModeAction")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.action.setToolTip("Mask names, dates of birth, contact details and comments (Ctrl+Shift+M)")
        self.action.setStatusTip("Mask names, dates of birth, contact details and comments")
        self.action.toggled.connect(self.set_enabled)
        window.addAction(self.action)
        self.reveal_action = QAction("Re&veal field for 5 s", window)
        self.reveal_action.setShortcut(QKeySequence("Ctrl+Shift+Space"))
        self.reveal_action.setToolTip("Show the masked field under the pointer for five seconds (Ctrl+Shift+Space)")
        self.reveal_action.triggered.connect(self.reveal_focused)
        window.addAction(self.reveal_action)

        self.button = QToolButton()
        self.button.setObjectName("privacyModeButton")
        self.button.setDefaultAction(self.action)
        self.button.setAutoRaise(True)
        self.button.setText("Privacy")
        window.statusBar().addPermanentWidget(self.button)

        self.banner = QLabel(BANNER_TEXT)
        self.banner.setObjectName("privacyBanner")
        self.banner.setWordWrap(True)
        text, background = theme.BANNERS["privacy"]  # the same in every theme; in contrast_pairs
        self.banner.setStyleSheet(
            f"QLabel#privacyBanner {{ background: {background}; color: {text}; padding: 6px 10px; border-radius: 4px; }}"
        )
        self.banner.hide()
        layout = window.centralWidget().layout() if window.centralWidget() is not None else None
        if layout is not None:
            layout.insertWidget(0, self.banner)

    @property
    def enabled(self) -> bool:
        return MASK_STATE.enabled

    def set_enabled(self, on: bool) -> None:
        on = bool(on)
        if self.action.isChecked() != on:
            self.action.setChecked(on)  # comes back here through toggled
            return
        MASK_STATE.enabled = on
        self.banner.setVisible(on)
        self.apply_to_preview()
        self._rerender()
        self.toggled.emit(on)

    def apply_to_preview(self) -> None:
        preview = getattr(self.window.pane, "preview", None)
        if preview is not None:
            preview.set_masked(MASK_STATE.active)

    # -- reveal ------------------------------------------------------------------------------

    def reveal_focused(self) -> QLabel | None:
        """Show the masked label under the pointer (else the focused one) for ``REVEAL_MS``."""
        if not MASK_STATE.active or MASK_STATE.locked:
            return None
        candidates = [QApplication.widgetAt(QCursor.pos()), QApplication.focusWidget()]
        for widget in candidates:
            if isinstance(widget, QLabel) and widget.property(REVEAL_PROPERTY):
                return self.reveal(widget)
        self.window.show_message("Point at a masked field on the case page, then press Ctrl+Shift+Space.", 4000)
        return None

    def reveal(self, label: QLabel) -> QLabel:
        original = label.property(REVEAL_PROPERTY)
        masked = label.text()
        label.setText(original)
        QTimer.singleShot(REVEAL_MS, self, lambda: self._hide_again(label, masked))
        return label

    @staticmethod
    def _hide_again(label: QLabel, masked: str) -> None:
        # The case may have been re-rendered meanwhile (the label deleted): then nothing to hide.
        if shiboken6.isValid(label) and MASK_STATE.active:
            label.setText(masked)


__all__ = ["BANNER_TEXT", "PrivacyController", "REVEAL_MS"]
