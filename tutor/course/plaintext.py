"""Render a lesson as plain text, for pipes and screen readers.

Markdown is turned into readable text without markup characters: headings are
underlined, links show their address, code is indented, quizzes are numbered
with their answers collected at the end.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

from tutor.course.lessons import Lesson, Quiz, drop_title

WIDTH = 80


# What each inline token reads as; link markers and unknown tokens read as nothing.
_INLINE_TEXT: dict[str, Callable[[Token], str]] = {
    "text": lambda child: child.content,
    "html_inline": lambda child: child.content,
    "code_inline": lambda child: f"`{child.content}`",
    "softbreak": lambda child: " ",
    "hardbreak": lambda child: "\n",
    "image": lambda child: f"[image: {child.content}]",
}


def _inline(token: Token) -> str:
    parts: list[str] = []
    links: list[str] = []  # addresses of the links being read, innermost last
    for child in token.children or []:
        if child.type == "link_open":
            links.append(str(child.attrs.get("href", "")))
        elif child.type == "link_close" and links:
            href = links.pop()
            if href and not href.startswith("#"):  # a link within the page has nowhere to go
                parts.append(f" ({href})")
        elif child.type in _INLINE_TEXT:
            parts.append(_INLINE_TEXT[child.type](child))
    return "".join(parts)


class _TextWriter:
    """Writes block tokens as text, keeping what spans several tokens (lists, tables)."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.prefix: list[str] = []  # indentation from list items and block quotes, innermost last
        self.ordinals: list[int] = []  # 0 for a bullet list, else the next number
        self.row: list[str] | None = None  # cells of the table row being read
        self.heading = ""  # the underline character while inside a heading
        self.item_marker = ""  # a list marker waiting for its first paragraph

    def heading_open(self, token: Token) -> None:
        self.heading = "=" if token.tag == "h1" else "-"

    def heading_close(self, token: Token) -> None:
        self.heading = ""

    def inline(self, token: Token) -> None:
        if self.row is not None:
            self.row.append(_inline(token))
        elif self.heading:
            text = _inline(token)
            self.out += ["", text, self.heading * min(len(text), WIDTH), ""]
        else:
            self._paragraph(_inline(token))

    def _paragraph(self, text: str) -> None:
        indent = "".join(self.prefix)
        first = indent[: len(indent) - len(self.item_marker)] + self.item_marker
        cont = " " * len(indent)
        for i, para in enumerate(text.split("\n")):
            self.out.append(textwrap.fill(para, WIDTH, initial_indent=first if i == 0 else cont,
                                          subsequent_indent=cont, break_long_words=False,
                                          break_on_hyphens=False))
        self.item_marker = ""

    def list_open(self, token: Token) -> None:
        bullet = token.type == "bullet_list_open"
        self.ordinals.append(0 if bullet else int(token.attrs.get("start", 1)))

    def list_close(self, token: Token) -> None:
        self.ordinals.pop()
        self.out.append("")

    def list_item_open(self, token: Token) -> None:
        if self.ordinals and self.ordinals[-1]:
            self.item_marker = f"{self.ordinals[-1]}. "
            self.ordinals[-1] += 1
        else:
            self.item_marker = "- "
        self.prefix.append(" " * len(self.item_marker))

    def blockquote_open(self, token: Token) -> None:
        self.prefix.append("| ")

    def indent_close(self, token: Token) -> None:
        self.prefix.pop()

    def code(self, token: Token) -> None:
        lang = token.info.strip().split(" ")[0] if token.info else ""
        self.out.append(f"  [{lang} code]" if lang else "  [code]")
        self.out += ["    " + line for line in token.content.rstrip("\n").splitlines()]
        self.out.append("")

    def paragraph_close(self, token: Token) -> None:
        if not self.prefix:  # inside a list or quote, paragraphs stay together
            self.out.append("")

    def row_open(self, token: Token) -> None:
        self.row = []

    def row_close(self, token: Token) -> None:
        if self.row is not None:
            self.out.append("  " + " | ".join(self.row))
            self.row = None

    def table_close(self, token: Token) -> None:
        self.out += ["", ""]

    def rule(self, token: Token) -> None:
        self.out += ["-" * 20, ""]


# Block tokens that change the text; the rest (paragraph_open, table cells...) add nothing.
_BLOCK_HANDLERS: dict[str, Callable[[_TextWriter, Token], None]] = {
    "heading_open": _TextWriter.heading_open,
    "heading_close": _TextWriter.heading_close,
    "inline": _TextWriter.inline,
    "bullet_list_open": _TextWriter.list_open,
    "ordered_list_open": _TextWriter.list_open,
    "bullet_list_close": _TextWriter.list_close,
    "ordered_list_close": _TextWriter.list_close,
    "list_item_open": _TextWriter.list_item_open,
    "list_item_close": _TextWriter.indent_close,
    "blockquote_open": _TextWriter.blockquote_open,
    "blockquote_close": _TextWriter.indent_close,
    "fence": _TextWriter.code,
    "code_block": _TextWriter.code,
    "paragraph_close": _TextWriter.paragraph_close,
    "tr_open": _TextWriter.row_open,
    "tr_close": _TextWriter.row_close,
    "table_close": _TextWriter.table_close,
    "hr": _TextWriter.rule,
}


def markdown_to_text(markdown: str) -> str:
    writer = _TextWriter()
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        handler = _BLOCK_HANDLERS.get(token.type)
        if handler is not None:
            handler(writer, token)
    return _squeeze("\n".join(writer.out))


def _squeeze(text: str) -> str:
    lines = [line.rstrip() for line in text.splitlines()]
    squeezed: list[str] = []
    for line in lines:
        if line == "" and (not squeezed or squeezed[-1] == ""):
            continue
        squeezed.append(line)
    return "\n".join(squeezed).strip() + "\n"


def quiz_to_text(quiz: Quiz, number: int) -> str:
    lines = [textwrap.fill(f"Quiz {number}: {quiz.question}", WIDTH, subsequent_indent="  ",
                           break_long_words=False, break_on_hyphens=False)]
    lines += [textwrap.fill(f"  {chr(ord('a') + i)}) {choice}", WIDTH, subsequent_indent="     ",
                            break_long_words=False, break_on_hyphens=False)
              for i, choice in enumerate(quiz.choices)]
    return "\n".join(lines) + "\n"


def sources_to_text(lesson: Lesson) -> str:
    """Where the lesson's facts come from, and when they were last checked."""
    lines = ["Sources", "-------"]
    lines += [textwrap.fill(f"- {source.title}: {source.url}", WIDTH, subsequent_indent="  ",
                            break_long_words=False, break_on_hyphens=False)
              for source in lesson.sources]
    if lesson.last_checked is not None:
        lines += ["", f"Facts last checked against these sources on {lesson.last_checked}."]
    return "\n".join(lines) + "\n"


def lesson_to_text(lesson: Lesson) -> str:
    header = [lesson.title, "=" * min(len(lesson.title), WIDTH),
              f"About {lesson.minutes} minutes.", "", "You will be able to:"]
    header += [textwrap.fill(o, WIDTH, initial_indent="  - ", subsequent_indent="    ")
               for o in lesson.objectives]
    parts = ["\n".join(header) + "\n"]
    quizzes: list[Quiz] = []
    for index, segment in enumerate(lesson.segments):
        if index == 0 and isinstance(segment, str):
            segment = drop_title(segment, lesson.title)
        if isinstance(segment, Quiz):
            quizzes.append(segment)
            parts.append(quiz_to_text(segment, len(quizzes)))
        else:
            parts.append(markdown_to_text(segment))
    parts.append(sources_to_text(lesson))
    if quizzes:
        answers = ["Quiz answers", "------------"]
        for number, quiz in enumerate(quizzes, 1):
            letter = chr(ord("a") + quiz.answer)
            answers.append(textwrap.fill(f"{number}) {letter}. {quiz.explanation}", WIDTH,
                                         subsequent_indent="   "))
        parts.append("\n".join(answers) + "\n")
    return "\n".join(parts)
