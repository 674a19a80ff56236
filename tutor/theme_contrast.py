"""Readable colours in every theme: WCAG AA (4.5:1) for all text, computed from the theme.

Textual's themes do not promise AA: in textual-light, ``$text-success`` on the background is
3.8:1, and status colours on the blue cursor row are below 3:1 in both themes. Instead of
hard-coding colours per theme, :func:`accessible_variables` takes the theme's own colours
and moves each text colour towards white (dark themes) or black (light themes) until it
reaches :data:`TARGET` against every background it is drawn on; the cursor row becomes a
tint of the surface so coloured text stays readable on it. This works for any theme the
learner picks from the palette, not only the two we ship with.
"""
from __future__ import annotations

from textual.color import BLACK, WHITE, Color

TARGET = 4.6  # AA is 4.5; a little margin for rounding in the terminal
TEXT_VARIABLES = ("text", "text-muted", "text-primary", "text-secondary", "text-accent", "text-success",
                  "text-warning", "text-error", "footer-key-foreground", "footer-foreground",
                  "block-cursor-foreground")
BACKGROUNDS = ("background", "surface", "panel", "footer-background", "block-cursor-background")


def luminance(color: Color) -> float:
    """WCAG relative luminance of an opaque colour."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(foreground: Color, background: Color) -> float:
    """WCAG contrast ratio (1..21) of two opaque colours."""
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def resolve(value: str, variables: dict[str, str], under: Color | None = None) -> Color:
    """A theme value as the opaque colour the terminal shows on ``under`` (for alpha and
    "auto N%" values, which depend on what is behind them)."""
    value = value.strip()
    if value.startswith("$"):
        return resolve(variables[value[1:]], variables, under)
    name, _, percent = value.partition(" ")
    alpha = float(percent.rstrip("%")) / 100 if percent else 1.0
    if under is None:  # the page itself: its own colour, made opaque
        return Color.parse(name).with_alpha(1.0) if name != "auto" else BLACK
    if name == "auto":
        color = under.get_contrast_text(alpha)
    else:
        color = Color.parse(name)
        color = color.with_alpha(color.a * alpha)
    return under.blend(color.with_alpha(1.0), color.a) if color.a < 1 else color


def worst_contrast(foreground: str, backgrounds: list[str], variables: dict[str, str]) -> float:
    base = resolve(variables["background"], variables)
    lowest = 21.0
    for name in backgrounds:
        background = resolve(variables[name], variables, base)
        lowest = min(lowest, contrast(resolve(variables[foreground], variables, background), background))
    return lowest


def _readable(color: Color, backgrounds: list[Color], dark: bool) -> Color:
    """``color`` moved towards white (dark theme) or black until it passes on every background."""
    target = WHITE if dark else BLACK
    for step in range(0, 101, 2):
        candidate = color.blend(target, step / 100)
        if all(contrast(candidate, b) >= TARGET for b in backgrounds):
            return candidate
    return target


def accessible_variables(variables: dict[str, str], dark: bool) -> dict[str, str]:
    """Overrides for ``variables`` (a theme's CSS variables) that make every text colour AA."""
    out = dict(variables)
    base = resolve(out["background"], out)
    surface = resolve(out["surface"], out, base)
    # the highlighted row: a tint of the surface, so text colours that pass there pass here too
    cursor = surface.blend(resolve(out["primary"], out, base), 0.3 if dark else 0.18)
    out["block-cursor-background"] = cursor.hex
    out["block-cursor-blurred-background"] = surface.blend(cursor, 0.5).hex
    backgrounds = [resolve(out[name], out, base) for name in BACKGROUNDS]
    for name in TEXT_VARIABLES:
        if name not in out or out[name].startswith("auto"):
            continue  # "auto" picks black or white for whatever is behind it
        out[name] = _readable(resolve(out[name], out, base), backgrounds, dark).hex
    # muted text is "auto 60%" in Textual's themes: 4.3:1 on the dark background; make it solid
    muted = base.get_contrast_text(1.0).blend(base, 0.35)
    out["text-muted"] = _readable(muted, backgrounds, dark).hex
    return out
