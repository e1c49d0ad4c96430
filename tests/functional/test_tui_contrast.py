"""Every colour the app draws text in reads at WCAG AA (4.5:1) in both themes.

The ratios are computed from the themes as the running app has them, with
WCAG's formula written out here (not the module's), so a theme change that makes
"failing" or a check's mark hard to read fails this test.
"""

from __future__ import annotations

import asyncio
import shutil

import pytest
from textual.color import Color

from tutor.tui.app import AisecApp

TEXT_ROLES = ("text", "text-muted", "success", "error", "warning", "accent",
              "footer-key-foreground")
BACKGROUNDS = ("background", "surface", "panel")
BORDERS = " ▊▎▏▔▁"  # the list's border glyphs: lines, not text


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


def drawn_contrasts(app, first_words: str) -> list[tuple[str, float]]:
    """(text, contrast) of every text run on the two screen rows of the lesson list
    entry that starts with ``first_words``, as the terminal would draw them."""
    rows = app.screen._compositor.render_strips()
    texts = [strip.text for strip in rows]
    top = next(i for i, text in enumerate(texts) if first_words in text)
    found = []
    for strip in rows[top:top + 2]:
        for segment in strip:
            style = segment.style
            if not segment.text.strip(BORDERS) or style is None or style.color is None \
                    or style.bgcolor is None:
                continue
            fg = Color.from_rich_color(style.color)
            bg = Color.from_rich_color(style.bgcolor)
            if style.reverse:
                fg, bg = bg, fg
            found.append((segment.text.strip(BORDERS), wcag_ratio(fg, bg)))
    return found


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("focused", [False, True])
def test_the_highlighted_lesson_row_reads_at_aa(mini_course, mini_workspace, theme, focused):
    """A done lesson's row has green text; on the list's cursor it must still read."""
    from tests.pilot import wait_until

    adder = mini_course.exercise("adder")
    greeter = mini_course.exercise("greeter")
    for ex in (adder, greeter):
        shutil.copy(mini_course.paths.solution(ex.id), mini_workspace.exercise_path(ex))
        mini_workspace.check(ex)

    async def scenario() -> list[tuple[str, float]]:
        app = AisecApp(mini_course, mini_workspace, watch_files=False)
        async with app.run_test(size=(100, 30)) as pilot:
            app.theme = theme
            if focused:
                app.screen.query_one("#lessons").focus()
            await wait_until(pilot, lambda: app.screen.query_one("#lessons").has_focus
                             == focused)
            await pilot.pause()
            return drawn_contrasts(app, "A demo lesson")

    runs = asyncio.run(scenario())
    assert any("exercises" in text for text, _ in runs), runs
    low = [(text, round(ratio, 2)) for text, ratio in runs if ratio < 4.5]
    assert not low, f"{theme}, list focused={focused}: {low}"
