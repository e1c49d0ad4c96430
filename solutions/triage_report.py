"""Reference solution for `triage_report`: do the files and functions a report names exist?

A cheap first filter for incoming vulnerability reports. It never says a report is
right; it says whether the names in it match the code, so that a maintainer knows
where to spend the first ten minutes.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

SOURCE_EXTENSIONS = (
    "c", "h", "cc", "cpp", "hpp", "py", "js", "ts", "go", "rs", "java", "rb", "php",
    "sh", "md", "txt", "json", "toml", "yaml", "yml", "cfg", "ini",
)
_EXT = "|".join(SOURCE_EXTENSIONS)

# The whole of a code span that is a path: directories optional, ":line[:column]" allowed.
SPAN_PATH_RE = re.compile(
    rf"[/\\]?(?:[\w.-]+[/\\])*[\w.-]+\.(?:{_EXT})(?::\d+){{0,2}}", re.IGNORECASE
)
# The whole of a code span that is a name, optionally called: `name`, `name()`, `name(a, b)`.
SPAN_SYMBOL_RE = re.compile(r"([^\W\d]\w*)(?:\(.*\))?")
# In prose, a path needs at least one separator; URLs do not match (no ":" or "/" before).
PROSE_PATH_RE = re.compile(
    rf"(?<![\w/\\.:-])[/\\]?(?:[\w.-]+[/\\])+[\w.-]+\.(?:{_EXT})(?::\d+){{0,2}}(?![\w/\\])",
    re.IGNORECASE,
)
# In prose, a name counts only when it is called with empty parentheses: name().
PROSE_CALL_RE = re.compile(r"(?<![\w.:/\\])([^\W\d]\w*)\(\)")
LINE_SUFFIX_RE = re.compile(r"(?::\d+){1,2}$")

VERDICTS = ("plausible", "needs-evidence", "likely-fabricated")

MARKDOWN = MarkdownIt("commonmark")


def pieces(report: str) -> list[tuple[str, str]]:
    """("code", span) and ("prose", text) pieces of the report, in order.

    Code blocks (fenced or indented) hold proof-of-concept code and logs, whose names
    belong to other programs: they are skipped entirely, and so is raw HTML.
    """
    found: list[tuple[str, str]] = []
    for token in MARKDOWN.parse(report):
        if token.type != "inline":
            continue  # fence, code_block, html_block and structure tokens
        for child in token.children or []:
            if child.type == "code_inline":
                found.append(("code", child.content))
            elif child.type == "text":
                found.append(("prose", child.content))
    return found


def normalise_path(mention: str) -> str:
    """`./lib\\cookie.c:120` -> `lib/cookie.c`. Never touches the characters themselves."""
    path = LINE_SUFFIX_RE.sub("", mention.replace("\\", "/"))
    while path.startswith("./"):
        path = path[2:]
    return path.lstrip("/")


def mentions(report: str) -> tuple[list[str], list[str]]:
    """(files, symbols) the report names, in order of first appearance, no duplicates."""
    files: dict[str, None] = {}  # a dict keeps insertion order and drops repeats
    symbols: dict[str, None] = {}
    for kind, text in pieces(report):
        if kind == "code":
            content = text.strip()
            if SPAN_PATH_RE.fullmatch(content):
                files.setdefault(normalise_path(content))
            elif symbol := SPAN_SYMBOL_RE.fullmatch(content):
                symbols.setdefault(symbol.group(1))
        else:
            for match in PROSE_PATH_RE.finditer(text):
                files.setdefault(normalise_path(match.group()))
            for match in PROSE_CALL_RE.finditer(text):
                symbols.setdefault(match.group(1))
    return list(files), list(symbols)


def file_exists(mention: str, files: set[str]) -> bool:
    """`cookie.c` names lib/cookie.c, but `ookie.c` does not: whole path components."""
    return mention in files or any(path.endswith("/" + mention) for path in files)


def triage_report(report: str, files: set[str], symbols: set[str]) -> dict:
    """Which named files and symbols are missing, and a verdict (see the starter)."""
    if not isinstance(report, str):
        raise TypeError(f"triage_report expects the report as str, got {type(report).__name__}")
    file_mentions, symbol_mentions = mentions(report)
    # Exact comparison: a look-alike character makes a different name, and that name
    # does not exist. No case folding, no Unicode normalisation.
    missing_files = [m for m in file_mentions if not file_exists(m, files)]
    missing_symbols = [m for m in symbol_mentions if m not in symbols]
    mentioned = len(file_mentions) + len(symbol_mentions)
    missing = len(missing_files) + len(missing_symbols)
    if mentioned == 0:
        verdict = "needs-evidence"  # nothing concrete to check: ask for a file, a function
    elif missing == 0:
        verdict = "plausible"
    elif 2 * missing >= mentioned:
        verdict = "likely-fabricated"  # at least half of what it names is not there
    else:
        verdict = "needs-evidence"  # a typo or an older version? ask the reporter
    return {"missing_files": missing_files, "missing_symbols": missing_symbols, "verdict": verdict}
