"""High contrast gives fields, check boxes and radio buttons a visible boundary (WCAG 1.4.11)."""

from __future__ import annotations

from caseviewer.ui import theme
from caseviewer.ui.theme import ThemeChoice, apply_theme


def test_high_contrast_frames_fields_in_the_text_colour_and_the_others_keep_fusion(qapp, restore_theme):
    apply_theme(qapp, ThemeChoice.HIGH_CONTRAST)
    sheet = qapp.styleSheet()
    edge = theme.HIGH_CONTRAST.colors["text"]
    assert f"border: 1px solid {edge}" in sheet and "QLineEdit" in sheet and "QRadioButton::indicator" in sheet
    apply_theme(qapp, ThemeChoice.LIGHT)
    assert qapp.styleSheet() == ""  # light and dark keep Fusion's own frames
    apply_theme(qapp, ThemeChoice.DARK)
    assert qapp.styleSheet() == ""
