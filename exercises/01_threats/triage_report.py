"""Triage a vulnerability report: do the files and functions it names exist?

The scenario
------------

Your SECURITY.md works: reports arrive. Some describe real bugs. Others are written
by a chatbot for someone hoping for a bounty: fluent, confident, formatted like a
penetration test, and about code that is not there. In 2025 one such report to curl
(HackerOne #3125832) described a crash in `ngtcp2_http3_handle_priority_frame`; the
curl team replied that no function of that name exists. Every report like that costs
maintainers hours (curl's Daniel Stenberg counted 3-4 team members per report).

You will write the first, cheap step of triage: check whether the names a report
mentions exist in your code base. It cannot tell a real bug from a false one; it
tells you where to look first, and which reports should come back with evidence.

What to implement
-----------------

    triage_report(report: str, files: set[str], symbols: set[str]) -> dict

`files` holds the repository's file paths with "/" separators, as `git ls-files`
prints them ("lib/cookie.c"); `symbols` holds every name a report may legitimately
use (your functions, macros and classes, plus any library names you accept). The
result is a dict with exactly these keys:

    {"missing_files": [...], "missing_symbols": [...], "verdict": "..."}

A `report` that is not a str raises TypeError.

The work is split into small functions. Ready to use:

- pieces(report) parses the report as Markdown (CommonMark, as in lint_security_policy)
  and returns its pieces in order: ("code", content) for every inline code span and
  ("prose", text) for the text around them. Code blocks (fenced or indented) are
  skipped entirely: they hold proof-of-concept code and logs, whose names belong to
  other programs.
- normalise_path(mention): "\\" becomes "/", a ":line" or ":line:column" suffix goes,
  then every leading "./" and "/". Nothing else changes: no case folding, no Unicode
  normalisation. A file name with a look-alike letter (Cyrillic "о", fullwidth "ｃ")
  is a different name, and it does not exist.

Your part:

1. mentions(report) -> (files, symbols), each in order of first appearance, each
   name once (a dict does both: files.setdefault(name)). For every piece:
   - code: strip the spaces around it. If SPAN_PATH_RE.fullmatch() matches, it is a
     file (`cookie.c`, `lib/http.c:88`); otherwise, if SPAN_SYMBOL_RE.fullmatch()
     matches, its group 1 is a symbol (`Curl_cookie_add`, `main()`, `f(a, b)` all
     name a function). Anything else (`curl -v`, `a.b`, `0x41`) is ignored;
   - prose: every PROSE_PATH_RE match is a file (prose paths need a "/" or "\\": bare
     words like curl.se are too often domains), and group 1 of every PROSE_CALL_RE
     match is a symbol (a name followed by "()").
   Pass every file mention through normalise_path() before you store it.
2. file_exists(mention, files): True when the mention is in `files`, or some path in
   `files` ends with "/" followed by the mention (`cookie.c` names lib/cookie.c;
   `ookie.c` does not). A symbol exists when it is in `symbols`, exactly.
3. triage_report(report, files, symbols): TypeError for a report that is not a str;
   the missing files and symbols (each once, in order of first appearance) and the
   verdict, with N distinct mentions (files plus symbols) and M of them missing:
   - N == 0: "needs-evidence" (nothing concrete to check: ask for files, functions,
     a reproducer);
   - M == 0: "plausible" (the names exist; now read it properly);
   - M * 2 >= N (at least half missing): "likely-fabricated";
   - otherwise "needs-evidence" (one odd name in a report that otherwise fits is
     more often a typo or an older version: ask).

Examples
--------

>>> FILES = {"lib/cookie.c", "lib/http.c", "src/tool_main.c"}
>>> SYMBOLS = {"Curl_cookie_add", "Curl_http_done", "main"}
>>> triage_report("Overflow in `Curl_cookie_add()` (./lib/cookie.c:412).", FILES, SYMBOLS)
{'missing_files': [], 'missing_symbols': [], 'verdict': 'plausible'}
>>> triage_report(
...     "Stack recursion in `ngtcp2_http3_handle_priority_frame()`, lib/vquic/ngtcp2.c",
...     FILES, SYMBOLS)  # doctest: +NORMALIZE_WHITESPACE
{'missing_files': ['lib/vquic/ngtcp2.c'],
 'missing_symbols': ['ngtcp2_http3_handle_priority_frame'], 'verdict': 'likely-fabricated'}
>>> triage_report("CRITICAL: your software is vulnerable. Pay the bounty.", FILES, SYMBOLS)
{'missing_files': [], 'missing_symbols': [], 'verdict': 'needs-evidence'}

Why it matters
--------------

Hallucinated names are the signature of misinformation (OWASP LLM09:2025): a model
writes plausible identifiers as easily as real ones. Checking names against the code
is deterministic and costs nothing, so volunteers spend their hours on reports that
refer to real code. Treat the verdict as a queue order, never as a judgment on the
reporter: a "plausible" report can still be wrong, and a real bug can be described
with a wrong file name.

Going further (no check requires these)
---------------------------------------

- Names in a link's text count as prose, but its target does not. Should a link to
  https://github.com/OWNER/REPO/blob/main/lib/nothere.c count as a file mention?
- Read `files` from `git ls-files` and `symbols` from a ctags file for a real project,
  and run the function on a published report.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

SOURCE_EXTENSIONS = (
    "c", "h", "cc", "cpp", "hpp", "py", "js", "ts", "go", "rs", "java", "rb", "php",
    "sh", "md", "txt", "json", "toml", "yaml", "yml", "cfg", "ini",
)
_EXT = "|".join(SOURCE_EXTENSIONS)

# --- Ready to use. ----------------------------------------------------------------
# Use with .fullmatch() on a code span's stripped content.
SPAN_PATH_RE = re.compile(
    rf"[/\\]?(?:[\w.-]+[/\\])*[\w.-]+\.(?:{_EXT})(?::\d+){{0,2}}", re.IGNORECASE
)
SPAN_SYMBOL_RE = re.compile(r"([^\W\d]\w*)(?:\(.*\))?")  # group(1): the name
# Use with .finditer() on prose.
PROSE_PATH_RE = re.compile(
    rf"(?<![\w/\\.:-])[/\\]?(?:[\w.-]+[/\\])+[\w.-]+\.(?:{_EXT})(?::\d+){{0,2}}(?![\w/\\])",
    re.IGNORECASE,
)
PROSE_CALL_RE = re.compile(r"(?<![\w.:/\\])([^\W\d]\w*)\(\)")  # group(1): the name
LINE_SUFFIX_RE = re.compile(r"(?::\d+){1,2}$")

VERDICTS = ("plausible", "needs-evidence", "likely-fabricated")

MARKDOWN = MarkdownIt("commonmark")


def pieces(report: str) -> list[tuple[str, str]]:
    """("code", span) and ("prose", text) pieces of the report, in order.

    Code blocks (fenced or indented) and raw HTML are skipped entirely.
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


# --- Your part. -------------------------------------------------------------------
def mentions(report: str) -> tuple[list[str], list[str]]:
    """(files, symbols) the report names, in order of first appearance, no duplicates."""
    # TODO: for kind, text in pieces(report): classify code spans and prose (step 1).
    raise NotImplementedError("TODO: implement mentions")


def file_exists(mention: str, files: set[str]) -> bool:
    """Whether a (normalised) file mention names a path in `files` (step 2)."""
    # TODO: exact match, or a path that ends with "/" + mention.
    raise NotImplementedError("TODO: implement file_exists")


def triage_report(report: str, files: set[str], symbols: set[str]) -> dict:
    """Which named files and symbols are missing, and a verdict (step 3)."""
    # TODO: TypeError if report is not a str; use mentions() and file_exists();
    #       compare symbols exactly; compute the verdict.
    raise NotImplementedError("TODO: implement triage_report")
