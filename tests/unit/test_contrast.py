"""WCAG AA (4.5:1) for all text in both shipped themes, computed from the themes' colours."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.color import Color
from textual.theme import BUILTIN_THEMES

import tutor
from tutor.theme_contrast import BACKGROUNDS, TEXT_VARIABLES, accessible_variables, contrast, resolve, worst_contrast

THEMES = ("textual-dark", "textual-light")
AA = 4.5


def theme_variables(name: str) -> dict[str, str]:
    theme = BUILTIN_THEMES[name]
    return {**theme.to_color_system().generate(), **theme.variables}


def fixed(name: str) -> dict[str, str]:
    return accessible_variables(theme_variables(name), BUILTIN_THEMES[name].dark)


def test_wcag_formula_on_known_pairs():
    assert contrast(Color.parse("#000000"), Color.parse("#FFFFFF")) == pytest.approx(21.0)
    assert contrast(Color.parse("#777777"), Color.parse("#FFFFFF")) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme", THEMES)
def test_every_text_colour_is_aa_on_every_background(theme):
    variables = fixed(theme)
    for name in TEXT_VARIABLES:
        if name in variables:
            assert worst_contrast(name, list(BACKGROUNDS), variables) >= AA, (theme, name, variables[name])


@pytest.mark.parametrize("theme", THEMES)
def test_the_colours_the_issue_named_now_pass(theme):
    """Wrong pick (was red on orange), right pick (pale green on grey), "100%" on the blue row."""
    before, after = theme_variables(theme), fixed(theme)
    base = resolve(after["background"], after)
    for background, foreground in (("error-muted", "text"), ("success-muted", "text"),
                                   ("block-cursor-background", "text-success"),
                                   ("block-cursor-background", "text-warning")):
        under = resolve(after[background], after, base)
        assert contrast(resolve(after[foreground], after, under), under) >= AA, (theme, background, foreground)
    # and the test can fail: Textual's own values do not all pass
    assert min(worst_contrast(n, list(BACKGROUNDS), before) for n in ("text-success", "text-error")) < AA


def test_the_stylesheet_uses_only_checked_text_colours():
    css = (Path(tutor.__file__).parent / "tutor.tcss").read_text(encoding="utf-8")
    colours = set(re.findall(r"(?<![-\w])color:\s*\$([\w-]+)", css))
    assert colours and colours <= set(TEXT_VARIABLES), colours - set(TEXT_VARIABLES)
