"""Differential test: `check_requirements` against pip's own requirements-file reader.

The reference solution must read a requirements file exactly as pip does, and inspect
exactly the requirements pip would install. For generated files (ordinary and
adversarial: confusable and non-ASCII names and extras, versions, markers, URLs, local
archives, comments at line ends, comment lines ending in a backslash, continuation
lines, CRLF and CR line ends, option lines with -r/-c/-i/--extra-index-url/-f/
--trusted-host/-e in every spelling pip accepts, abbreviations, several options on one
line, unknown options, blank lines and ${ENVIRONMENT} variables) it checks, line by line:

- the logical lines equal those of pip's `preprocess` (join_lines, ignore_comments);
- every line pip would refuse (an option its parser rejects, a requirement that
  `install_req_from_line` rejects) is reported as "invalid" or "direct-url";
- every requirement pip would fetch from somewhere other than the index (a URL, a local
  archive, an editable) is reported as "direct-url";
- for every requirement pip would look up in the index, the solution looks up the same
  normalised name ("not-found" with an empty index), flags anything packaging cannot
  parse, and calls it "unpinned" exactly when packaging's specifier pins no version;
- every option that changes where packages come from (pip's parsed options: index_url,
  extra_index_urls, find_links, trusted_hosts, requirements, constraints) is reported
  with its value, and an option line that changes nothing is reported not at all;
- nothing is reported for a line pip never reads.

pip here is the installed one (`pip._internal`, which has no stable API: this file
reads the functions `parse_requirements` itself is made of). DIFFERENCES lists what
the solution does on purpose that pip does not; the test excludes exactly those cases.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from pip._internal.exceptions import InstallationError
from pip._internal.network.session import PipSession
from pip._internal.req.constructors import install_req_from_parsed_requirement
from pip._internal.req.req_file import (
    OptionParsingError,
    ParsedLine,
    get_line_parser,
    handle_requirement_line,
    parse_requirements,
    preprocess,
)
from reference import load_solution, load_starter_docstring

SOLUTION = load_solution("check_requirements")
TODAY = date(2025, 6, 1)

# What the solution does on purpose that pip does not (each key is a phrase of the
# starter's docstring, where the learner reads it too).
DIFFERENCES = {
    "environment variables": "pip replaces ${NAME} with the installer's environment "
    "variable; the auditor cannot know it and reports the whole line as 'invalid'.",
    "non-ASCII": "packaging accepts non-ASCII characters in marker strings and URLs; the "
    "auditor reports any non-ASCII character in a requirement as 'invalid'.",
    "archive suffix": "pip installs 'name.whl' (a name ending in an archive suffix, with "
    "no version) from a local file; the auditor reports every name ending in an archive "
    "suffix as 'direct-url', also 'name.zip==1.0', which pip looks up in the index.",
    "options on a requirement line": "pip ignores all but --hash and --config-settings "
    "on a requirement line (and anything after -e); the auditor reports them anyway.",
    "older pip": "pip 23 vendors packaging 21.3, which accepts a few requirements that the "
    "installed packaging refuses (an empty version after '==', an empty marker after ';'); "
    "the auditor follows the installed packaging and reports them as 'invalid'.",
    "options of pip 23 to 26": "the auditor accepts the options of every pip from 23 to "
    "26; the installed pip refuses the newer ones (--all-releases, --only-final, "
    "--no-require-hashes) and pip 26 the older ones (--global-option, --install-option). "
    "Lines pip refuses install nothing, so accepting them there changes no verdict.",
}

PYPI = SOLUTION.PYPI_SIMPLE
ENV_NAMES = ("AISEC_DIFF_UNSET_A", "AISEC_DIFF_UNSET_B")
# Options the solution's table knows and the installed pip may not.
OTHER_PIP_OPTIONS = ("--all-releases", "--only-final", "--no-require-hashes",
                     "--global-option", "--install-option")

NAMES = [
    "requests", "Requests", "Scikit_Learn", "python.dateutil", "zope.interface", "a", "A1",
    "x-y_z.w", "six", "numpy", "huggingface_hub", "reqeusts", "jeIlyfish",
    # confusables and other non-ASCII: must never be looked up as if they were ASCII
    "r\u0435quests", "\u017fix", "\u212aeras", "\u0130nfo", "\u0131nfo",
    "\uff52\uff45\uff51\uff55\uff45\uff53\uff54\uff53", "req\u200buests", "caf\u00e9",
    # not names, or names pip reads as local files
    "numpy-", "-numpy", "_x", ".hidden", "a/b", "evil.whl", "Evil-1.0-py3-none-any.WHL",
    "pkg.tar.gz", "pkg.tgz", "pkg.zip", "pkg.tar", "pkg.tar.lzma", "pkg.gz", "",
]
EXTRAS = ["", "", "[security]", "[security,socks]", " [ cli ] ", "[\u017fecurity]",
          "[\u212aerberos]", "[]", "[a b]"]
SPECS = ["", "", "==1.0", "===1.0", " == 1.0", "==1.0.*", ">=1,<2", "~=1.2", "!=1.0",
         "<3", "==1.0, >=0.9", "==1.0poſt1", "==\uff11.0", "1.0", "==", "== 1.0 ==2"]
MARKERS = ["", "", ' ; python_version >= "3.8"', ";os_name=='nt'", ' ; os_name == "\u00e9"',
           "; bogus", ";"]
URL_FORMS = [
    "pkg @ https://example.com/pkg-1.0-py3-none-any.whl",
    "pkg[x]@https://example.com/p.tar.gz ; python_version>'3'",
    "git+https://github.com/example/tool.git#egg=tool",
    "https://example.com/pkg-1.0.tar.gz",
    "file:///tmp/aisec-diff/pkg.whl",
    "./local/project", "../up", "pkg @ file:relative", "hg+https://example.com/r",
    "pip install requests", "pkg @ https://ex\u00e4mple.com/p.whl",
]
PER_REQ = ["", "", " --hash=sha256:" + "0" * 64, " --hash sha256:" + "a" * 64,
           " --config-settings=key=value", "\t--hash=sha256:00", " -C k=v",
           " --index-url https://evil.example/simple", " --pre", " -e ./x"]
COMMENTS = ["", "", "  # why", " #x", "\t# tab", "#not-a-comment", " # ends in \\"]
VALUES = [PYPI, PYPI + "/", PYPI + "//", "https://evil.example/simple",
          "https://pypi.org.evil.example/simple", "http://pypi.org/simple",
          "https://PYPI.org/simple", PYPI + "?mirror=evil", "./wheels", "other.txt",
          "'quoted value'",
          "${AISEC_DIFF_UNSET_A}", "git+https://github.com/example/tool.git#egg=tool"]
# (spellings of an option that takes a value, as pip's optparse reads them)
VALUE_OPTIONS = [
    ["-i", "--index-url", "--pypi-url", "--index", "--pypi"],
    ["--extra-index-url", "--extra-index", "--extra"],
    ["-f", "--find-links", "--find"],
    ["--trusted-host", "--trusted"],
    ["-r", "--requirement", "--requirem"],
    ["-c", "--constraint", "--cons"],
    ["-e", "--editable", "--ed"],
    ["--no-binary"], ["--only-binary", "--only-b"],
]
FLAG_OPTIONS = ["--pre", "--prefer-binary", "--prefer", "--require-hashes", "--no-index",
                "--no-require-hashes", "--all-releases :all:"]
BAD_OPTIONS = ["--bogus", "--e x", "--re x", "-i", "--pre=yes", "--index-url 'unclosed",
               "--hash=sha256:" + "1" * 64, "-x y"]


@st.composite
def option_lines(draw) -> str:
    """An option line: one to three options in the spellings pip accepts, or a bad one."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(BAD_OPTIONS))
    used = draw(st.lists(st.integers(0, len(VALUE_OPTIONS) - 1), min_size=0, max_size=3,
                         unique=True))
    parts = []
    for which in used:
        spelling = draw(st.sampled_from(VALUE_OPTIONS[which]))
        value = draw(st.sampled_from(VALUES))
        if spelling.startswith("--"):
            sep = draw(st.sampled_from([" ", "=", "  "]))
        else:
            sep = draw(st.sampled_from([" ", ""]))
        parts.append(f"{spelling}{sep}{value}")
    parts += draw(st.lists(st.sampled_from(FLAG_OPTIONS), max_size=2, unique=True))
    if not parts:
        parts = [draw(st.sampled_from(FLAG_OPTIONS))]
    return " ".join(draw(st.permutations(parts)))


@st.composite
def requirement_lines(draw) -> str:
    if draw(st.integers(0, 5)) == 0:
        body = draw(st.sampled_from(URL_FORMS))
    else:
        name = draw(st.sampled_from(NAMES) | st.text("aZ09._-", min_size=1, max_size=6))
        body = (name + draw(st.sampled_from(EXTRAS)) + draw(st.sampled_from(SPECS))
                + draw(st.sampled_from(MARKERS)))
    if draw(st.integers(0, 9)) == 0:
        body += f"${{{draw(st.sampled_from(ENV_NAMES))}}}"
    return body + draw(st.sampled_from(PER_REQ))


@st.composite
def physical_lines(draw) -> list[str]:
    """One logical line of a file, as one or more physical lines."""
    kind = draw(st.integers(0, 9))
    if kind <= 4:
        line = draw(requirement_lines())
    elif kind <= 6:
        line = draw(option_lines())
    elif kind == 7:
        return [draw(st.sampled_from(["", "   ", "\t", "# a comment", "# note \\",
                                      "   # indented note \\", "#\\", "\\", "\\\\"]))]
    elif kind == 8:
        line = draw(st.sampled_from(["  ", ""])) + draw(requirement_lines())
    else:
        line = "\\" + draw(option_lines()) + " \\"  # pip strips backslashes at both ends
    line += draw(st.sampled_from(COMMENTS))
    # Split the line at a space into continued physical lines, sometimes.
    pieces = [line]
    if " " in line and draw(st.booleans()):
        cut = draw(st.sampled_from([i for i, ch in enumerate(line) if ch == " "]))
        pieces = [line[:cut] + draw(st.sampled_from(["\\", " \\", "\\\\"])), line[cut:]]
    return pieces


@st.composite
def files(draw) -> str:
    lines = [piece for group in draw(st.lists(physical_lines(), max_size=7)) for piece in group]
    ends = draw(st.lists(st.sampled_from(["\n", "\n", "\r\n", "\r"]), min_size=len(lines),
                         max_size=len(lines)))
    text = "".join(line + end for line, end in zip(lines, ends, strict=True))
    if text and draw(st.booleans()):
        text = text.rstrip("\r\n")  # no newline at the end of the file
    return text


@contextmanager
def _in_empty_directory() -> Iterator[None]:
    """pip looks for local files and directories; let it find none."""
    old = os.getcwd()
    with tempfile.TemporaryDirectory() as empty:
        os.chdir(empty)
        try:
            yield
        finally:
            os.chdir(old)


def _flagged(findings, line, kinds=("invalid", "direct-url")) -> bool:
    return any(f.line == line and f.kind in kinds for f in findings)


def _pinned(specifier) -> bool:
    return any(s.operator == "===" or (s.operator == "==" and not s.version.endswith("*"))
               for s in specifier)


def _is_requirement(parsed: ParsedLine) -> bool:
    if hasattr(parsed, "is_requirement"):  # pip < 24.1
        return parsed.is_requirement
    return parsed.requirement is not None


def _expected_option_findings(opts) -> list[tuple[str, str]]:
    """(kind, subject) of every source-changing option pip parsed on an option line."""
    expected = []
    urls = ([opts.index_url] if opts.index_url else []) + list(opts.extra_index_urls or [])
    expected += [("index", url) for url in urls if url.rstrip("/") != PYPI]
    expected += [("index", v) for v in [*(opts.find_links or []), *(opts.trusted_hosts or [])]]
    expected += [("include", v) for v in [*(opts.requirements or []), *(opts.constraints or [])]]
    return sorted(expected)


def _check_file(text: str) -> None:
    assert not any(name in os.environ for name in ENV_NAMES)
    findings = SOLUTION.check_requirements(text, {}, set(), TODAY)
    by_line: dict[int, list] = {}
    for finding in findings:
        by_line.setdefault(finding.line, []).append(finding)

    pip_lines = list(preprocess(text))
    ours = SOLUTION.logical_lines(text)
    assert ours == pip_lines, f"logical lines of {text!r}: solution {ours!r}, pip {pip_lines!r}"
    unread = set(by_line) - {number for number, _ in pip_lines}
    assert not unread, f"findings on lines pip never reads {sorted(unread)}: {text!r}"

    line_parser = get_line_parser(None)
    for number, line in pip_lines:
        here = by_line.get(number, [])
        where = f"line {number} {line!r} of {text!r}: solution {here!r}"
        if SOLUTION.ENV_VAR.search(line):  # DIFFERENCES["environment variables"]
            assert [f.kind for f in here] == ["invalid"], where
            continue
        try:
            args, opts = line_parser(line)
        except OptionParsingError:
            # pip refuses the file. Only options pip lacks may pass here (DIFFERENCES).
            if not any(option in line for option in OTHER_PIP_OPTIONS):
                assert _flagged(here, number, ("invalid",)), where
            continue
        parsed = ParsedLine("requirements.txt", number, args, opts, False)
        if not _is_requirement(parsed):
            got = sorted((f.kind, f.subject) for f in here)
            assert got == _expected_option_findings(opts), where
            continue
        if parsed.is_editable:
            assert _flagged(here, number, ("direct-url",)), where
            continue
        requirement = handle_requirement_line(parsed)
        try:
            installed = install_req_from_parsed_requirement(requirement)
        except Exception:  # pip stops (InstallationError, or an InvalidMarker that
            # escapes pip 23): nothing is installed, and the line must not look clean.
            assert _flagged(here, number), where
            continue
        if installed.link is not None:  # a URL or a local file or directory
            assert _flagged(here, number, ("direct-url", "invalid")), where
            continue
        # pip would look installed.req.name up in the index.
        if not args.isascii():  # DIFFERENCES["non-ASCII"]
            assert _flagged(here, number, ("invalid",)), where
            continue
        try:
            Requirement(args)
        except InvalidRequirement:  # DIFFERENCES["older pip"]: packaging must parse it
            assert _flagged(here, number, ("invalid",)), where
            continue
        if installed.req.name.lower().endswith(SOLUTION.ARCHIVE_SUFFIXES):
            assert _flagged(here, number, ("direct-url",)), where  # DIFFERENCES
            continue
        name = canonicalize_name(installed.req.name)
        kinds = [f.kind for f in here]
        assert ("not-found", name) in [(f.kind, f.subject) for f in here], where
        assert "invalid" not in kinds, where
        assert ("unpinned" in kinds) is not _pinned(installed.req.specifier), where

    # The same file through pip's entry point, when it includes no other file.
    if not _includes_files(pip_lines, line_parser):
        _check_against_parse_requirements(text, by_line)


def _includes_files(pip_lines, line_parser) -> bool:
    """Whether pip would open another file (-r, -c): maybe a URL, so it is not tried."""
    for _, line in pip_lines:
        try:
            args, opts = line_parser(line)
        except OptionParsingError:
            continue
        if not args and not opts.editables and (opts.requirements or opts.constraints):
            return True
    return False


class _NoNetwork(PipSession):
    """A PipSession that never connects: a test must not fetch an -r URL."""

    def request(self, method, url, *args, **kwargs):
        raise AssertionError(f"pip tried to fetch {url}")


SESSION = _NoNetwork()


def _check_against_parse_requirements(text: str, by_line: dict[int, list]) -> None:
    """Every requirement parse_requirements yields is one the solution inspected."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "requirements.txt")
        with open(path, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        try:
            parsed = list(parse_requirements(path, session=SESSION))
        except InstallationError:  # a bad line, or an -r/-c file that does not exist
            return
    for requirement in parsed:
        number = int(requirement.comes_from.rsplit("(line ", 1)[1].rstrip(")"))
        # Every requirement is inspected: with an empty index, each yields a finding.
        assert by_line.get(number), f"no finding for line {number} of {text!r}"


@settings(max_examples=100)  # each example runs pip's reader: keep the file near 10 s
@given(files())
@example("# pinned below \\\nevil-package==1.0\n")
@example("requests==2.32.3 \\\n# note \\\nevil-package==1.0\n")
@example("requests==2.32.3  # note \\\nevil-package==1.0\n")
@example("\\--extra-index-url=https://evil.example/simple \\\n\n")
@example("--pre --extra-index https://evil.example/simple\r\n-ihttps://evil.example/x\r\n")
@example("--pypi-url https://evil.example/simple\n--trusted=evil.example\n-rother.txt\n")
@example("requests[\u017fecurity]==2.32.3\nrequests[\u212aerberos]==2.32.3\n")
@example("evil-1.0-py3-none-any.whl\nrequests==2.32.3\t--hash=sha256:00\n")
@example("--only-binary ${AISEC_DIFF_UNSET_A}\nrequests==1 ; os_name=='${AISEC_DIFF_UNSET_B}'")
@example("git+https://github.com/example/tool.git#egg=tool\n-e ./local --extra https://x\n")
@example("requests==2.32.3 \\")
@example("\\\n\\\\\nrequests\\\n==1.0\n")
def test_solution_inspects_what_pip_installs(text):
    with _in_empty_directory():
        _check_file(text)


def test_differences_are_documented():
    docstring = load_starter_docstring("08_misinformation/check_requirements.py")
    for what in DIFFERENCES:
        assert what in docstring, f"{what!r} is a deliberate difference the starter omits"
