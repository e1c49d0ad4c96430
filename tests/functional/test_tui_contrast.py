"""Every colour the app draws text in reads at WCAG AA (4.5:1) in both themes.

The ratios are computed from the themes as the running app has them, with
WCAG's formula written out here (not the module's), so a theme change that makes
"failing" or a check's mark hard to read fails this test.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.color import Color

from tutor.tui.app import AisecApp

TEXT_ROLES = ("text", "text-muted", "success", "error", "warning", "accent",
              "footer-key-foreground")
BACKGROUNDS = ("background", "surface", "panel")


def wcag_ratio(a: Color, b: Color) -> float:
    def lum(c: Color) -> float:
        def ch(v: int) -> float:
            x = v / 255
            return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b)
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def resolve(value: str, background: Color) -> Color:
    """A theme value as drawn: 'auto 60%' is the contrasting text colour at 60%."""
    if value.startswith("auto"):
        alpha = float(value.split()[1].rstrip("%")) / 100 if " " in value else 1.0
        return background.blend(background.get_contrast_text(1.0).with_alpha(1), alpha)
    colour = Color.parse(value)
    return background.blend(colour.with_alpha(1), colour.a) if colour.a < 1 else colour


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_text_colours_reach_aa_on_every_background(mini_course, mini_workspace, theme):
    async def themed() -> dict[str, str]:
        app = AisecApp(mini_course, mini_workspace, watch_files=False)
        async with app.run_test() as pilot:
            app.theme = theme
            await pilot.pause()
            return dict(app.theme_variables)

    variables = asyncio.run(themed())
    low = []
    if True:
        for bg_name in BACKGROUNDS:
            background = Color.parse(variables[bg_name])
            for role in TEXT_ROLES:
                ratio = wcag_ratio(resolve(variables[role], background), background)
                if ratio < 4.5:
                    low.append(f"${role} on ${bg_name}: {ratio:.2f}")
        assert not low, f"{theme}: text below 4.5:1: {low}"
