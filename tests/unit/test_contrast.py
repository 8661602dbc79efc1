"""WCAG AA contrast for every theme: ratios computed from the palette and the status chip colours.

Text needs 4.5:1, the selection and focus highlight 3:1 against the surfaces it sits on
(``ui/theme.py``, ``contrast_pairs``). A colour added to a theme is checked once it is listed
there. No widget is drawn: the ratios come from the colours themselves (WCAG 2.1 formulas).
"""

from __future__ import annotations

import pytest

from caseviewer.core.status import StatusTone
from caseviewer.ui.theme import THEMES, ThemeChoice, contrast_pairs, contrast_ratio


@pytest.mark.parametrize("choice", [ThemeChoice.LIGHT, ThemeChoice.DARK, ThemeChoice.HIGH_CONTRAST])
def test_every_text_and_chip_pair_meets_wcag_aa(choice):
    theme = THEMES[choice]
    failing = [f"{what}: {fg} on {bg} is {contrast_ratio(fg, bg):.2f}:1, needs {minimum}:1"
               for what, fg, bg, minimum in contrast_pairs(theme) if contrast_ratio(fg, bg) < minimum]
    assert failing == []


@pytest.mark.parametrize("choice", [ThemeChoice.LIGHT, ThemeChoice.DARK, ThemeChoice.HIGH_CONTRAST])
def test_every_tone_has_chip_colours_in_every_theme(choice):
    assert set(THEMES[choice].tones) == set(StatusTone)


def test_the_banners_fixed_colours_are_checked_too():
    # The offline and privacy banners look the same in every theme (ui/theme.py BANNERS), and
    # their widgets take their colours from there, so the pair checked is the pair shown.
    for choice in THEMES:
        checked = {what for what, *_ in contrast_pairs(THEMES[choice])}
        assert {"offline banner text", "privacy banner text"} <= checked


def test_high_contrast_is_at_least_aaa_for_body_text():
    c = THEMES[ThemeChoice.HIGH_CONTRAST].colors
    assert contrast_ratio(c["text"], c["base"]) >= 7.0


def test_the_ratio_formula_matches_known_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    # a failing pair is caught: light grey text on white
    assert contrast_ratio("#aaaaaa", "#ffffff") < 4.5
