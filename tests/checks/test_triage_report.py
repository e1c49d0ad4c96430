"""Hidden checks for `triage_report`.

The project below is made up for these checks. Its paths and some of its function
names (Curl_cookie_add) are borrowed from curl's source tree as realistic examples (names
are facts, no code is copied); other names are invented, and the set is not curl's file
list. The function name ngtcp2_http3_handle_priority_frame comes from a real
report submitted to curl in 2025 (HackerOne #3125832), to which the curl team replied
that no function of that name exists in ngtcp2 or nghttp3 (see ATTRIBUTION.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from markdown_it import MarkdownIt

FILES = frozenset({
    "lib/cookie.c",
    "lib/http.c",
    "lib/vtls/openssl.c",
    "src/tool_main.c",
    "tests/server/mqttd.c",
    "docs/SECURITY.md",
})
SYMBOLS = frozenset({
    "Curl_cookie_add",
    "Curl_http_done",
    "Curl_ossl_keylog",
    "main",
    "mqttd_connect",
    "strcpy",
})
FABRICATED = "ngtcp2_http3_handle_priority_frame"


PROJECT = (
    "(The project's files: " + ", ".join(sorted(FILES)) + "; its symbols: "
    + ", ".join(sorted(SYMBOLS)) + ".)"
)


def _triage(exercise, report: str, files=FILES, symbols=SYMBOLS) -> dict:
    return exercise.triage_report(report, set(files), set(symbols))


def _call(report: str) -> str:
    return f"triage_report({report!r}, files, symbols)"


def _brief(value: object) -> str:
    """repr(value) with every long string shortened, for messages."""
    if isinstance(value, str) and len(value) > 60:
        return repr(value[:30] + "...") + f" ({len(value)} characters)"
    if isinstance(value, list):
        shown = ", ".join(_brief(item) for item in value[:5])
        return f"[{shown}, ... ({len(value)} items)]" if len(value) > 5 else f"[{shown}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_brief(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _expect(missing_files: list[str], missing_symbols: list[str], verdict: str) -> dict:
    return {"missing_files": missing_files, "missing_symbols": missing_symbols, "verdict": verdict}


def test_plausible_report(exercise):
    """Calls a report plausible when every file and function it names exists"""
    report = (
        "## Summary\n\n"
        "A cookie line longer than 8 KiB makes `Curl_cookie_add()` read past the end of\n"
        "its buffer in lib/cookie.c:412. The caller is `Curl_http_done(data, status)`.\n"
        "Reproduced with `curl -b cookies.txt https://example.com` on main().\n"
    )
    got = _triage(exercise, report)
    expected = _expect([], [], "plausible")
    assert got == expected, (
        f"triage_report(<a report naming Curl_cookie_add, lib/cookie.c, Curl_http_done and "
        f"main, all of which exist>) returned {got!r}, expected {expected!r}. A report that "
        "refers to real code goes to the front of the queue; flagging it would waste the "
        "reporter's goodwill and your time."
    )


def test_fabricated_report(exercise):
    """Calls a report likely fabricated when what it names does not exist"""
    report = (
        "# HTTP/3 Stream Dependency Cycle Exploit\n\n"
        "0x00 Overview: a cyclic priority frame causes stack recursion in\n"
        f"`{FABRICATED}()` (lib/vquic/ngtcp2.c:1042), reached from\n"
        "process_incoming_frames() on every crafted stream.\n"
    )
    got = _triage(exercise, report)
    expected = _expect(
        ["lib/vquic/ngtcp2.c"], [FABRICATED, "process_incoming_frames"], "likely-fabricated"
    )
    assert got == expected, (
        f"triage_report(<a report naming {FABRICATED}(), lib/vquic/ngtcp2.c:1042 and "
        f"process_incoming_frames()>) returned {got!r}, expected {expected!r}: none of the "
        "three exists in the project (the line number is dropped from the path, the '()' "
        "from the names). Reports like this, with invented functions, cost maintainers "
        "hours each."
    )


def test_path_spellings_are_normalised(exercise):
    """Matches a file however the path is written: ./, \\, :line, leading /"""
    cases = [
        "Crash in ./lib/cookie.c.",
        "Crash in lib\\cookie.c (Windows build).",
        "Crash in .\\lib\\vtls\\openssl.c.",
        "Crash in lib/cookie.c:120.",
        "Crash in lib/cookie.c:120:7.",
        "Crash in /lib/cookie.c.",
        "Crash in `./lib/http.c:88`.",
        "Crash in `cookie.c`.",
        "Crash in vtls/openssl.c.",
    ]
    for report in cases:
        got = _triage(exercise, report)
        expected = _expect([], [], "plausible")
        assert got == expected, (
            f"{_call(report)} returned {got!r}, expected {expected!r}: the path "
            "names a file of the project once '\\' becomes '/', the ':line[:column]' suffix "
            "goes and leading './' and '/' are dropped; a name without all its directories "
            "matches a path that ends with '/' + the name. Reporters copy paths from "
            "compilers, debuggers and Windows shells. " + PROJECT
        )


def test_partial_names_do_not_match(exercise):
    """Does not match part of a file name, or a path in the wrong case"""
    cases = [
        ("`ookie.c`", "ookie.c", "only the tail of 'cookie.c', not a whole path component"),
        ("tls/openssl.c", "tls/openssl.c", "'tls' is not the directory 'vtls'"),
        ("Lib/Cookie.c", "Lib/Cookie.c", "paths are case-sensitive, as in git"),
        ("lib/cookie.cc", "lib/cookie.cc", "a different extension"),
    ]
    for mention, missing, why in cases:
        report = f"Overflow in {mention}."
        got = _triage(exercise, report)
        expected = _expect([missing], [], "likely-fabricated")
        assert got == expected, (
            f"{_call(report)} returned {got!r}, expected {expected!r}: {why}. Compare whole "
            "path components: path == mention or path.endswith('/' + mention). A loose match "
            "lets invented file names pass as real. " + PROJECT
        )


def test_symbol_spellings(exercise):
    """Reads function names from code spans and name() calls, and ignores the rest"""
    cases = [
        ("The bug is in `Curl_cookie_add`.", _expect([], [], "plausible")),
        ("The bug is in `Curl_cookie_add()`.", _expect([], [], "plausible")),
        ("The bug is in ` Curl_cookie_add(data, line, 0) `.", _expect([], [], "plausible")),
        ("The bug is in Curl_cookie_add() itself.", _expect([], [], "plausible")),
        ("The bug is in `curl_cookie_add()`.", _expect([], ["curl_cookie_add"],
                                                       "likely-fabricated")),
        ("The bug is in Curl_cookie_add, see function(s) above.",
         _expect([], [], "needs-evidence")),
        ("Run `curl -v https://example.com` and `a.b` then `0x41414141`.",
         _expect([], [], "needs-evidence")),
    ]
    for report, expected in cases:
        got = _triage(exercise, report)
        assert got == expected, (
            f"{_call(report)} returned {got!r}, expected {expected!r}. A code span "
            "that SPAN_SYMBOL_RE matches whole names a symbol (group 1, without the call); in "
            "prose only name() with empty parentheses counts; names compare exactly, case "
            "included. Anything else is not a concrete mention. " + PROJECT
        )


def test_lookalike_characters_never_match(exercise):
    """Treats names with look-alike characters as names that do not exist"""
    cases = [
        ("Overflow in `lib/ｃookie.c`.", _expect(["lib/ｃookie.c"], [], "likely-fabricated"),
         "a fullwidth 'ｃ' (U+FF43), which NFKC normalisation would turn into 'c'"),
        ("Overflow in lib/cооkie.c.", _expect(["lib/cооkie.c"], [], "likely-fabricated"),
         "two Cyrillic 'о' (U+043E) in place of Latin 'o'"),
        ("Overflow in `Curl_cookie_аdd()`.", _expect([], ["Curl_cookie_аdd"],
                                                     "likely-fabricated"),
         "a Cyrillic 'а' (U+0430) in the function name"),
    ]
    for report, expected, what in cases:
        got = _triage(exercise, report)
        assert got == expected, (
            f"{_call(report)} returned {got!r}, expected {expected!r}: the name has "
            f"{what}. It looks like a real name but is a different string, and no such file "
            "or function exists. Compare exactly: folding look-alikes together would let a "
            "fabricated or deceptive name pass as real."
        )


def test_counts_each_mention_once(exercise):
    """Lists each missing name once, in order of first appearance"""
    report = (
        "First `b_missing()`, then lib/zz.c, then `a_missing()`.\n"
        "Again `b_missing()` and lib/zz.c and lib/aa.c and `a_missing()` and `b_missing()`.\n"
        "Real ones: `Curl_cookie_add()`, lib/cookie.c, lib/http.c, `main()`, `strcpy()`.\n"
        "And lib/zz.c and `b_missing()` once more.\n"
    )
    expected = _expect(["lib/zz.c", "lib/aa.c"], ["b_missing", "a_missing"], "needs-evidence")
    got = _triage(exercise, report)
    assert got == expected, (
        f"triage_report(<a report naming b_missing, lib/zz.c, a_missing, lib/aa.c and five real "
        f"names, the missing ones several times>) returned {got!r}, expected {expected!r}: "
        "each missing name once, in order of first appearance. The verdict counts distinct "
        "names: 4 missing of 9 is less than half, so 'needs-evidence'. Counting repeats "
        "would let a report that repeats one typo look fabricated. " + PROJECT
    )


def test_verdict_thresholds(exercise):
    """Applies the verdict rules exactly, including the half-way boundary"""
    cases = [
        ("`x1()` `x2()` `main()` `strcpy()`", _expect([], ["x1", "x2"], "likely-fabricated"),
         "2 of 4 names missing: exactly half counts as likely fabricated"),
        ("`x1()` `main()` `strcpy()`", _expect([], ["x1"], "needs-evidence"),
         "1 of 3 missing: less than half"),
        ("`x1()` lib/http.c", _expect([], ["x1"], "likely-fabricated"),
         "1 of 2 missing: exactly half"),
        ("lib/http.c lib/cookie.c src/tool_main.c lib/nope.c",
         _expect(["lib/nope.c"], [], "needs-evidence"), "1 of 4 files missing"),
        ("", _expect([], [], "needs-evidence"), "an empty report names nothing"),
        ("It is very critical. Please fix it ASAP!!!", _expect([], [], "needs-evidence"),
         "a report that names no file and no function"),
    ]
    for report, expected, why in cases:
        got = _triage(exercise, report)
        assert got == expected, (
            f"{_call(report)} returned {got!r}, expected {expected!r}: {why}. The rule: no "
            "names -> needs-evidence; none missing -> plausible; missing * 2 >= names -> "
            "likely-fabricated; otherwise needs-evidence. " + PROJECT
        )


def test_ignores_code_blocks_and_urls(exercise):
    """Ignores names inside fenced code blocks and inside URLs"""
    report = (
        "Proof of concept:\n\n"
        "```python\n"
        "def send_cyclic_priority(conn):\n"
        "    exploit/server.py\n"
        "    conn.send_frame()\n"
        "```\n\n"
        "~~~\n#0 0x7ffff7e3b120 in ngtcp2_conn_read_pkt () at lib/ngtcp2_conn.c:42\n~~~\n\n"
        "See https://github.com/example/project/blob/main/lib/nothere.c for context.\n"
    )
    expected = _expect([], [], "needs-evidence")
    got = _triage(exercise, report)
    assert got == expected, (
        f"triage_report({report!r}) returned {got!r}, expected {expected!r}: every name is "
        "inside a fenced block (```...``` or ~~~...~~~), which holds exploit code and logs "
        "whose names belong to other programs, or inside a URL. Counting them would call "
        "honest proof-of-concept code fabricated."
    )
    after = "```\nignored_fn()\n```\nThe real problem is in `Curl_http_done()`.\n"
    got = _triage(exercise, after)
    expected = _expect([], [], "plausible")
    assert got == expected, (
        f"triage_report({after!r}) returned {got!r}, expected {expected!r}: the code block "
        "closes at the second ``` line, so the sentence after it is prose again."
    )


def test_returns_the_documented_shape(exercise):
    """Returns a dict with exactly the three documented keys"""
    got = _triage(exercise, f"`{FABRICATED}()`")
    assert isinstance(got, dict) and set(got) == {"missing_files", "missing_symbols",
                                                  "verdict"}, (
        f"triage_report(...) returned {got!r}, expected a dict with exactly the keys "
        "'missing_files', 'missing_symbols' and 'verdict'. A triage bot or a dashboard "
        "reads these keys; extra or renamed keys break it."
    )
    assert isinstance(got["missing_files"], list) and isinstance(got["missing_symbols"], list), (
        f"triage_report(...) returned {got!r}: both missing_* values must be lists, in order "
        "of first appearance."
    )
    assert got["verdict"] in exercise.VERDICTS, (
        f"triage_report(...) returned verdict {got['verdict']!r}, expected one of "
        f"{exercise.VERDICTS!r}."
    )


def test_rejects_non_text(exercise):
    """Raises TypeError when the report is not a str"""
    for value in (b"`main()`", None, 42):
        try:
            got = exercise.triage_report(value, set(FILES), set(SYMBOLS))
        except TypeError:
            continue
        raise AssertionError(
            f"triage_report({value!r}, ...) returned {got!r}, expected TypeError: a report is "
            "text. Bytes mean nobody decoded it yet, and guessing an encoding can change the "
            "very names you are checking."
        )


# --- A long report -------------------------------------------------------------------
# triage_report is timed against parsing the same report with markdown-it (what the
# starter's pieces() does, and most of the reference solution's time), in CPU seconds:
# a ratio, not a wall-clock limit, so a slow or busy machine slows both alike. The
# yardstick runs only when triage_report took over NOISE_SECONDS: below that no ratio
# can fail.
#
# What it catches, graded through the grader: comparing every repeated mention with the
# file list instead of each distinct one (250 lines x 12,000 files of endswith()) takes
# some 1 s, about 90 times the parse; the reference takes about 2 times the parse.
# The old form (1,000 lines, 3,000 files, under 1 s of wall-clock time) caught that
# answer by 1.2 s against 1.0 s on a loaded machine, and let it pass on a fast one; it
# also parsed 100 KB for every correct answer. The 'a/' run and the 20,000-character
# name stay: they catch regexes that backtrack on long tokens.
LONG_LINES = 250  # repeated lines naming the same three things
LONG_FILES = 12_000  # generated paths in the code base
SLOWER_ALLOWED = 10  # times the parse's CPU time on the same report
NOISE_SECONDS = 0.05  # timer noise and start-up costs


def _cpu_seconds(function: Callable[..., object], *args: object) -> tuple[object, float]:
    started = time.process_time()
    result = function(*args)
    return result, time.process_time() - started


def test_long_reports_stay_fast(exercise):
    """Triages a very long report against a large code base quickly"""
    files = set(FILES) | {f"lib/gen/module_{i}.c" for i in range(LONG_FILES)}
    symbols = set(SYMBOLS) | {f"fn_{i}" for i in range(3000)}
    report = (
        "Overflow in `Curl_cookie_add()` (lib/cookie.c) and lib/missing.c.\n" * LONG_LINES
        + "a/" * 8000 + "\n"
        + "x" * 20000 + "()\n"
    )
    got, took = _cpu_seconds(exercise.triage_report, report, files, set(symbols))
    parse = 0.0
    if took > NOISE_SECONDS:  # only then can the ratio fail: time the yardstick
        parse = _cpu_seconds(MarkdownIt("commonmark").parse, report)[1]
    if took > SLOWER_ALLOWED * parse + NOISE_SECONDS:  # measure once more to be sure
        parse = min(parse, _cpu_seconds(MarkdownIt("commonmark").parse, report)[1])
        got, took = min((got, took),
                        _cpu_seconds(exercise.triage_report, report, files, set(symbols)),
                        key=lambda result: result[1])
    long_name = "x" * 20000
    expected = _expect(["lib/missing.c"], [long_name], "likely-fabricated")
    assert got == expected, (
        f"triage_report(<{LONG_LINES:,} repeated lines naming Curl_cookie_add, lib/cookie.c "
        "and lib/missing.c, then 'a/' * 8000 and a 20,000-character name()>) returned "
        f"{_brief(got)}, expected {_brief(expected)}: 2 of 4 distinct names are missing."
    )
    assert took <= SLOWER_ALLOWED * parse + NOISE_SECONDS, (
        f"triage_report(<about {len(report) // 1000} KB of report, {len(files):,} files>) "
        f"took {took:.2f} s of CPU time, {took / max(parse, 1e-3):.0f} times as long as "
        f"parsing the report with markdown-it ({parse:.3f} s on this machine); the limit "
        f"is {SLOWER_ALLOWED} times (the reference solution needs about 2 times, half of "
        "it parsing). Drop repeated mentions before you compare them with the file list: a "
        "bot that triages every incoming report must not stall on a long one."
    )
