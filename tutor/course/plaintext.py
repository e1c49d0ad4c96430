"""Render a lesson as plain text, for pipes and screen readers.

Markdown is turned into readable text without markup characters: headings are
underlined, links show their address, code is indented, quizzes are numbered
with their answers collected at the end.
"""

from __future__ import annotations

import textwrap

from markdown_it import MarkdownIt
from markdown_it.token import Token

from tutor.course.lessons import Lesson, Quiz

WIDTH = 80


def _inline(token: Token) -> str:
    parts: list[str] = []
    links: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "html_inline"):
            parts.append(child.content)
        elif child.type == "code_inline":
            parts.append(f"`{child.content}`")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" " if child.type == "softbreak" else "\n")
        elif child.type == "link_open":
            links.append(str(child.attrs.get("href", "")))
        elif child.type == "link_close" and links:
            href = links.pop()
            if href and not href.startswith("#"):
                parts.append(f" ({href})")
        elif child.type == "image":
            parts.append(f"[image: {child.content}]")
    return "".join(parts)


def markdown_to_text(markdown: str) -> str:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    out: list[str] = []
    prefix: list[str] = []  # indentation from list items and block quotes, innermost last
    ordinals: list[int] = []  # 0 for a bullet list, else the next number
    row: list[str] | None = None  # cells of the table row being read
    heading = ""  # the underline character while inside a heading
    item_marker = ""  # a list marker waiting for its first paragraph
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            heading = "=" if token.tag == "h1" else "-"
        elif kind == "heading_close":
            heading = ""
        elif kind == "inline" and row is not None:
            row.append(_inline(token))
        elif kind == "inline" and heading:
            text = _inline(token)
            out += ["", text, heading * min(len(text), WIDTH), ""]
        elif kind == "inline":
            indent = "".join(prefix)
            first = indent[: len(indent) - len(item_marker)] + item_marker
            cont = " " * len(indent)
            for i, para in enumerate(_inline(token).split("\n")):
                out.append(textwrap.fill(para, WIDTH, initial_indent=first if i == 0 else cont,
                                         subsequent_indent=cont, break_long_words=False,
                                         break_on_hyphens=False))
            item_marker = ""
        elif kind in ("bullet_list_open", "ordered_list_open"):
            ordinals.append(0 if kind == "bullet_list_open" else int(token.attrs.get("start", 1)))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            ordinals.pop()
            out.append("")
        elif kind == "list_item_open":
            if ordinals and ordinals[-1]:
                item_marker = f"{ordinals[-1]}. "
                ordinals[-1] += 1
            else:
                item_marker = "- "
            prefix.append(" " * len(item_marker))
        elif kind in ("list_item_close", "blockquote_close"):
            prefix.pop()
        elif kind == "blockquote_open":
            prefix.append("| ")
        elif kind in ("fence", "code_block"):
            lang = token.info.strip().split(" ")[0] if token.info else ""
            out.append(f"  [{lang} code]" if lang else "  [code]")
            out += ["    " + line for line in token.content.rstrip("\n").splitlines()]
            out.append("")
        elif kind == "paragraph_close" and not prefix:
            out.append("")
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            out.append("  " + " | ".join(row))
            row = None
        elif kind in ("table_close", "hr"):
            out += ["-" * 20 if kind == "hr" else "", ""]
    return _squeeze("\n".join(out))


def _squeeze(text: str) -> str:
    lines = [line.rstrip() for line in text.splitlines()]
    squeezed: list[str] = []
    for line in lines:
        if line == "" and (not squeezed or squeezed[-1] == ""):
            continue
        squeezed.append(line)
    return "\n".join(squeezed).strip() + "\n"


def _drop_title(markdown: str, title: str) -> str:
    """Drop a leading '# Title' that repeats the header printed from the front matter."""
    first, _, rest = markdown.partition("\n")
    repeats_title = first.startswith("# ") and first[2:].strip() == title
    return rest if repeats_title else markdown


def quiz_to_text(quiz: Quiz, number: int) -> str:
    lines = [f"Quiz {number}: {quiz.question}"]
    lines += [f"  {chr(ord('a') + i)}) {choice}" for i, choice in enumerate(quiz.choices)]
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
            segment = _drop_title(segment, lesson.title)
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
