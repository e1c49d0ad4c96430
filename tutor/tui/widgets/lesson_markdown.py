"""Textual's Markdown with lighter lists, for long lessons.

Textual lays out each list item as four widgets (a row, its bullet, a column and the
paragraph). Lessons are mostly lists and paragraphs, so a lesson of 25 minutes became
hundreds of widgets, and every open, restyle and layout paid for each one. Here an item
that is one paragraph is that paragraph alone: its bullet is drawn in its left padding,
which gives the same hanging indent. Items holding more (nested lists, code) keep
Textual's layout.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from markdown_it.token import Token
from rich.segment import Segment
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets._markdown import (  # MarkdownBullet is not re-exported
    MarkdownBlock,
    MarkdownBullet,
    MarkdownBulletList,
    MarkdownListItem,
    MarkdownOrderedList,
    MarkdownOrderedListItem,
    MarkdownParagraph,
)


class BulletedParagraph(MarkdownParagraph):
    """A paragraph that may carry a list bullet, drawn in its left padding on its first line."""

    COMPONENT_CLASSES = MarkdownParagraph.COMPONENT_CLASSES | {"bullet"}
    DEFAULT_CSS = """
    BulletedParagraph > .bullet { color: $text-primary; }
    BulletedParagraph:light > .bullet { color: $text-secondary; }
    """
    bullet = ""

    def set_bullet(self, symbol: str) -> None:
        self.bullet = symbol
        self.styles.padding = (0, 0, 0, len(symbol))

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        if not self.bullet or not lines or crop.y != 0 or crop.x != 0:
            return lines
        width = len(self.bullet)  # the padding: lines include it, render_line does not
        style = self.rich_style + self.get_component_rich_style("bullet", partial=True)
        lines[0] = Strip.join([Strip([Segment(self.bullet, style)], width),
                               lines[0].crop(width)])
        return lines


def _items(blocks: Iterable[MarkdownBlock], symbols: Iterable[str]) -> Iterable[Widget]:
    """One widget per item where it is a single paragraph, else Textual's row of widgets."""
    for block, symbol in zip(blocks, symbols, strict=False):
        children = block._blocks
        if len(children) == 1 and isinstance(children[0], BulletedParagraph):
            children[0].set_bullet(symbol)
            yield children[0]
        else:
            bullet = MarkdownBullet()
            bullet.symbol = symbol
            yield Horizontal(bullet, Vertical(*children))


class LightBulletList(MarkdownBulletList):
    def compose(self) -> ComposeResult:
        items = [block for block in self._blocks if isinstance(block, MarkdownListItem)]
        yield from _items(items, (item.bullet for item in items))
        self._blocks.clear()


class LightOrderedList(MarkdownOrderedList):
    def compose(self) -> ComposeResult:
        items = [block for block in self._blocks if isinstance(block, MarkdownListItem)]
        start = 1
        if items and isinstance(items[0], MarkdownOrderedListItem):
            with contextlib.suppress(ValueError):  # a list may start at any number
                start = int(items[0].bullet)
        width = len(f"{start + len(items) - 1}. ")
        symbols = (f"{number}. ".rjust(width + 1) for number in range(start, start + len(items)))
        yield from _items(items, symbols)
        self._blocks.clear()


class LessonMarkdown(Markdown):
    """Markdown whose lists cost one widget per simple item, its last block marked '-last'.

    The class stands in for ':last-child' in CSS, which would make Textual restyle every
    block (and all it holds) again each time blocks are mounted beside it.
    """

    BLOCKS = {**Markdown.BLOCKS,
              "paragraph_open": BulletedParagraph,
              "bullet_list_open": LightBulletList,
              "ordered_list_open": LightOrderedList}

    def __init__(self, markdown: str, *, classes: str | None = None, open_links: bool = True,
                 mark_last: bool = True) -> None:
        super().__init__(markdown, classes=classes, open_links=open_links)
        # False for text cut in two between blocks (the first frame of a lesson): the
        # block before the cut keeps its margin, as it has when the text is whole.
        self.mark_last = mark_last

    def _parse_markdown(self, tokens: Iterable[Token]) -> Iterable[MarkdownBlock]:
        blocks = list(super()._parse_markdown(tokens))
        if blocks and self.mark_last:
            # Not mounted yet: its style is worked out when it is, not once more now.
            blocks[-1].add_class("-last", update=False)
        return blocks
