"""The two themes the app offers, with every colour used for text readable.

Textual's own ``textual-light`` draws green, orange and red text at 1.3–4:1
against its grey backgrounds, and ``textual-dark`` its red at 2.5–3.4:1; WCAG AA
asks 4.5:1 for text. The app uses these colours for words that matter ("failing",
a check's ✗, the lesson titles), so each theme is registered again under its
own name with those colours darkened (light) or lightened (dark) just enough,
keeping their hue. Nothing else about the themes changes.
"""

from __future__ import annotations

from dataclasses import replace

from textual.color import Color
from textual.theme import BUILTIN_THEMES, Theme

DARK, LIGHT = "textual-dark", "textual-light"
AA_TEXT = 4.5  # WCAG 2.x level AA, normal-size text
# Variables the footer draws its key names in.
TEXT_VARIABLES = ("footer-key-foreground",)
BACKGROUNDS = ("background", "surface", "panel")


def luminance(colour: Color) -> float:
    """Relative luminance as WCAG defines it."""
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast(a: Color, b: Color) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _readable(colour: Color, backgrounds: list[Color], dark: bool) -> Color:
    """``colour`` moved towards white (dark theme) or black (light) until it reaches
    AA against every background, in small steps so the hue stays recognisable."""
    step = 0.0
    candidate = colour
    while min(contrast(candidate, bg) for bg in backgrounds) < AA_TEXT and step < 1:
        step += 0.02
        candidate = colour.lighten(step) if dark else colour.darken(step)
    return candidate


def _auto_text(value: str, background: Color) -> Color:
    """The colour Textual draws an ``auto N%`` foreground in, over ``background``."""
    parts = value.split()
    alpha = float(parts[1].rstrip("%")) / 100 if len(parts) > 1 else 1.0
    return background.blend(background.get_contrast_text(1.0), alpha)


def _readable_cursor(generated: dict[str, str]) -> str | None:
    """The list cursor's background, darkened or lightened until its own text reads at
    AA (textual-dark's white-ish text on #0178D4 is 3.8:1); None if it already does."""
    text, cursor = generated["block-cursor-foreground"], Color.parse(
        generated["block-cursor-background"])
    if not text.startswith("auto"):
        return None
    candidate, step = cursor, 0.0
    while contrast(_auto_text(text, candidate), candidate) < AA_TEXT and step < 1:
        step += 0.02
        light_text = candidate.get_contrast_text(1.0).brightness > 0.5
        candidate = cursor.darken(step) if light_text else cursor.lighten(step)
    return None if candidate == cursor else candidate.hex


def readable(theme: Theme) -> Theme:
    """``theme`` with its text colours raised to AA contrast on its backgrounds."""
    generated = theme.to_color_system().generate()
    backgrounds = [Color.parse(generated[name]) for name in BACKGROUNDS]

    def fixed(name: str) -> str:
        return _readable(Color.parse(generated[name]), backgrounds, theme.dark).hex

    variables = {name: fixed(name) for name in TEXT_VARIABLES if name in generated}
    if (cursor := _readable_cursor(generated)) is not None:
        variables["block-cursor-background"] = cursor
    return replace(theme, success=fixed("success"), error=fixed("error"),
                   warning=fixed("warning"), accent=fixed("accent"),
                   variables={**theme.variables, **variables})


def app_themes() -> list[Theme]:
    return [readable(BUILTIN_THEMES[DARK]), readable(BUILTIN_THEMES[LIGHT])]
