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

1. Mentions. Skip fenced code blocks entirely (a line starting, after up to 3
   spaces, with 3+ backticks or tildes opens one, FENCE_RE; the next line made only
   of the same character, at least as many, closes it; unclosed runs to the end).
   They hold proof-of-concept code and logs, whose names belong to other programs.
   In every other line:
   - code spans (CODE_SPAN_RE, text between two backticks on one line): strip the
     spaces around the content. If SPAN_PATH_RE matches the WHOLE content, it is a
     file (`cookie.c`, `lib/http.c:88`). Otherwise, if SPAN_SYMBOL_RE matches the
     whole content, its group 1 is a symbol (`Curl_cookie_add`, `main()`, `f(a, b)`
     all name a function). Anything else (`curl -v`, `a.b`, `0x41`) is ignored;
   - prose, the text outside code spans: every PROSE_PATH_RE match is a file (prose
     paths need a "/" or "\\": bare words like curl.se are too often domains), and
     group 1 of every PROSE_CALL_RE match is a symbol (a name followed by "()").
2. Normalise each file mention: "\\" becomes "/", a ":line" or ":line:column"
   suffix goes, then every leading "./" and "/". Change nothing else: no case
   folding, no Unicode normalisation. A file name with a look-alike letter
   (Cyrillic "о", fullwidth "ｃ") is a different name, and it does not exist.
3. A file mention exists when it is in `files`, or some path in `files` ends with
   "/" followed by the mention (`cookie.c` names lib/cookie.c; `ookie.c` does not).
   A symbol exists when it is in `symbols`, exactly.
4. The lists hold each missing mention once, in order of first appearance.
5. The verdict, with N distinct mentions (files plus symbols) and M of them missing:
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
"""

from __future__ import annotations

import re

SOURCE_EXTENSIONS = (
    "c", "h", "cc", "cpp", "hpp", "py", "js", "ts", "go", "rs", "java", "rb", "php",
    "sh", "md", "txt", "json", "toml", "yaml", "yml", "cfg", "ini",
)
_EXT = "|".join(SOURCE_EXTENSIONS)

# --- Ready to use. ----------------------------------------------------------------
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")  # group(1): the fence, e.g. "```"
CODE_SPAN_RE = re.compile(r"`([^`\n]+)`")  # group(1): the span's content
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

VERDICTS = ("plausible", "needs-evidence", "likely-fabricated")


def triage_report(report: str, files: set[str], symbols: set[str]) -> dict:
    """Which named files and symbols are missing, and a verdict (see above)."""
    # TODO: TypeError if report is not a str.
    # TODO: walk the lines, skipping fenced blocks; split each line into code spans and
    #       prose; collect file and symbol mentions (a dict keeps order and drops repeats).
    # TODO: normalise file mentions; compare exactly; compute the verdict.
    raise NotImplementedError("TODO: implement triage_report")
