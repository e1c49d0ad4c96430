"""Hidden checks for `check_requirements`: audit an AI-written requirements.txt.

Test data:
- INDEX is a made-up snapshot of a package index. The project names are real PyPI
  projects (requests, numpy, ...) or invented ones (pdf-table-magic, ...), but every date
  and download count was invented for these checks: none of them describes PyPI.
- "python3-dateutil" and "jeIlyfish" are names of malicious typosquatting packages that
  were reported on PyPI in 2019 and removed (see ATTRIBUTION.md); only the names are used.
- The PEP 503 normalisation examples come from the Python Packaging User Guide's "Names
  and normalization" specification.
"""

from __future__ import annotations

from datetime import date

TODAY = date(2025, 6, 1)

_OLD = {"first_release": "2012-01-01", "downloads_last_month": 50_000_000}
INDEX = {
    "requests": _OLD,
    "numpy": _OLD,
    "pandas": _OLD,
    "python-dateutil": _OLD,
    "jellyfish": _OLD,
    "scikit-learn": _OLD,
    "pyyaml": _OLD,
    "django": _OLD,
    "urllib3": _OLD,
    "six": _OLD,
    "huggingface-hub": _OLD,
    # Made-up projects with made-up metadata.
    "python3-dateutil": {"first_release": "2025-05-20", "downloads_last_month": 37},
    "pdf-table-magic": {"first_release": "2025-05-20", "downloads_last_month": 50_000},
    "tiny-helper": {"first_release": "2019-03-01", "downloads_last_month": 12},
}
POPULAR = {
    "requests", "numpy", "pandas", "python-dateutil", "jellyfish", "Scikit-Learn", "PyYAML",
    "Django", "urllib3", "six", "huggingface_hub",
}

WHY_REVIEW = (
    "Each finding is a line a human must look at before `pip install -r` runs code from "
    "whoever owns that name."
)


def _audit(exercise, text, index=None, popular=None, today=TODAY):
    return exercise.check_requirements(
        text, INDEX if index is None else index, POPULAR if popular is None else popular, today
    )


def _triples(findings):
    return [(f.line, f.kind, f.subject) for f in findings]


def _kinds(findings):
    return [f.kind for f in findings]


def test_normalise_follows_pep_503(exercise):
    """Looks every spelling of a name up the way PEP 503 and pip normalise it"""
    index = {"friendly-bard": INDEX["requests"], "zope-interface": INDEX["requests"]}
    popular = {"Friendly_Bard", "zope.interface"}
    for name in ("friendly-bard", "Friendly-Bard", "FRIENDLY-BARD", "friendly.bard",
                 "friendly_bard", "friendly--bard", "FrIeNdLy-._.-bArD", "Zope.Interface"):
        text = f"{name}==1.0.0\n"
        got = _triples(_audit(exercise, text, index=index, popular=popular))
        assert got == [], (
            f"check_requirements({text!r}) with the index keys 'friendly-bard' and "
            f"'zope-interface' returned {got!r}, expected []: pip treats every spelling as the "
            "same project, so look up normalise(requirement.name), and normalise the popular "
            "names too, before comparing. Otherwise the auditor looks up the wrong name."
        )


def test_clean_file_has_no_findings(exercise):
    """Reports nothing for a clean, pinned file in any legal spelling and layout"""
    text = (
        "# Generated for the invoice script\r\n"
        "--index-url https://pypi.org/simple/\r\n"
        "--require-hashes --prefer-binary\r\n"
        "\r\n"
        "# the pins below were reviewed \\\r\n"
        "requests[security,socks] == 2.32.3 ; python_version >= \"3.8\"  # HTTP\r\n"
        "numpy==1.26.4 \\\r\n"
        "    --hash=sha256:0123456789abcdef \\\r\n"
        "    --hash=sha256:fedcba9876543210\r\n"
        "pandas===2.2.2\r\n"
        "Scikit_Learn==1.5.0\r\n"
        "PyYAML==6.0.1\r\n"
        "python.dateutil==2.9.0.post0\r\n"
        "DJANGO==5.0.6,!=5.0.5\r\n"
        "   six==1.16.0   \r\n"
        "huggingface_hub[cli]==0.23.4 --hash=sha256:00ff\r\n"
    )
    got = _audit(exercise, text)
    assert got == [], (
        f"check_requirements(<a clean file>) returned {_triples(got)!r}, expected []. The file "
        "uses comments (one ending in a backslash), CRLF line ends, two options on one line, "
        "extras, markers, spaces around ==, === pins, hashes on backslash-continued lines, "
        "pip's own index URL with a trailing '/', and other legal "
        "spellings of popular projects (Scikit_Learn, python.dateutil, DJANGO): normalise names "
        "before every lookup. An auditor that cries wolf on clean files gets switched off.\n"
        f"File:\n{text}"
    )


def test_reads_lines_as_pip_does(exercise):
    """Reads continued lines and comments exactly as pip does, so nothing hides in them"""
    cases = [
        ("# pinned below \\\nevil-package==1.0\n", [(2, "not-found", "evil-package")],
         "a comment line is never continued, even when it ends in a backslash: pip installs "
         "evil-package from line 2"),
        ("requests==2.32.3 \\\n# reviewed \\\nevil-package==1.0\n",
         [(3, "not-found", "evil-package")],
         "line 1 continues onto the comment line, and there the continuation stops: pip "
         "installs evil-package from line 3"),
        ("   # indented note \\\r\nevil-package==1.0\r\n", [(2, "not-found", "evil-package")],
         "a comment line may start with spaces, and CRLF line ends change nothing"),
        ("requests==2.32.3  # note \\\nevil-package==1.0\n", [],
         "a requirement whose trailing comment ends in a backslash IS continued, so pip reads "
         "'requests==2.32.3  # note evil-package==1.0' and installs only requests: report "
         "what pip reads, not what the eye sees"),
        ("\\--extra-index-url=https://evil.example/simple \\\n\n",
         [(1, "index", "https://evil.example/simple")],
         "pip strips the backslashes at BOTH ends of a continued line, so this is an option"),
    ]
    for text, expected, why in cases:
        got = _triples(_audit(exercise, text))
        assert got == expected, (
            f"check_requirements({text!r}) returned {got!r}, expected {expected!r}: {why}. Read "
            "the file with the given logical_lines(), which follows pip's own reader; an "
            "auditor that joins or drops lines differently from pip vouches for a file it has "
            "not really read."
        )


def test_flags_names_missing_from_the_index(exercise):
    """Flags requirements whose name is not in the index snapshot"""
    cases = [
        ("flask-gpt-auth==0.3.1\n", [(1, "not-found", "flask-gpt-auth")]),
        ("\n\nPandas_Easy.Excel==1.0.0\n", [(3, "not-found", "pandas-easy-excel")]),
        ("numpy-fast-stats\n", [(1, "not-found", "numpy-fast-stats"),
                                (1, "unpinned", "numpy-fast-stats")]),
    ]
    for text, expected in cases:
        got = _triples(_audit(exercise, text))
        assert got == expected, (
            f"check_requirements({text!r}) returned {got!r}, expected {expected!r}: the "
            "normalised name is not a key of the index, so the model may have invented it, and "
            "anyone could register it tomorrow. The subject is the normalised name. " + WHY_REVIEW
        )


def test_flags_lookalikes_of_popular_packages(exercise):
    """Flags names one insertion, deletion, change or swap away from a popular package"""
    cases = [
        ("reqeusts==2.32.3", "reqeusts", "two neighbouring letters swapped (requests)"),
        ("requets==2.32.3", "requets", "one letter missing (requests)"),
        ("requestss==2.32.3", "requestss", "one letter added (requests)"),
        ("numpi==1.26.4", "numpi", "one letter changed (numpy)"),
        ("scikitlearn==1.5.0", "scikitlearn", "the separator dropped (scikit-learn)"),
        ("jeIlyfish==1.0.3", "jeilyfish", "a capital I for an l (jellyfish), a 2019 typosquat"),
        ("python3-dateutil==2.9.0", "python3-dateutil", "a '3' added, a 2019 typosquat"),
    ]
    for line, name, what in cases:
        got = _triples(_audit(exercise, line + "\n"))
        assert (1, "lookalike", name) in got, (
            f"check_requirements({line!r}) returned {got!r}, expected it to contain "
            f"{(1, 'lookalike', name)!r}: {what}. Typosquatters register exactly such names; "
            "compare the normalised name with every normalised popular name and count one "
            "insertion, deletion, substitution or swap of neighbours as one edit. " + WHY_REVIEW
        )
    got = _triples(_audit(exercise, "python3-dateutil==2.9.0\n"))
    expected = [
        (1, "lookalike", "python3-dateutil"),
        (1, "too-new", "python3-dateutil"),
        (1, "little-used", "python3-dateutil"),
    ]
    assert got == expected, (
        f"check_requirements('python3-dateutil==2.9.0') returned {got!r}, expected {expected!r}: "
        "the name IS in this index (typosquats are real packages), so it is not 'not-found', but "
        "it is one edit from python-dateutil, 12 days old and has 37 downloads: report every "
        "rule that applies, in the order of KINDS."
    )


def test_spelling_variants_are_not_lookalikes(exercise):
    """Does not call a popular package a lookalike of itself, whatever its spelling"""
    for line in ("Scikit_Learn==1.5.0", "SCIKIT.LEARN==1.5.0", "pyyaml==6.0.1",
                 "python_dateutil==2.9.0", "Huggingface-Hub==0.23.4", "requests==2.32.3"):
        got = _triples(_audit(exercise, line + "\n"))
        assert got == [], (
            f"check_requirements({line!r}) returned {got!r}, expected []: after PEP 503 "
            "normalisation this IS a popular project in the index (popular names come in any "
            "spelling too, e.g. 'Scikit-Learn' and 'huggingface_hub'). Normalise both sides "
            "before comparing, and skip the lookalike rule for popular projects themselves."
        )
    text = "pandas==2.2.2\nsix==1.16.0\n"
    popular = POPULAR | {"sip"}
    got = _triples(_audit(exercise, text, popular=popular))
    assert got == [], (
        f"check_requirements({text!r}, popular=POPULAR | {{'sip'}}) returned {got!r}, expected "
        "[]: 'six' is one edit from 'sip', but 'six' is itself popular, so it is not a lookalike."
    )


def test_flags_new_and_little_used_packages(exercise):
    """Flags packages released recently or rarely downloaded, using the given date"""
    def entry(first_release, downloads=50_000):
        return {"first_release": first_release, "downloads_last_month": downloads}

    cases = [
        (entry("2025-03-04"), ["too-new"], "released 89 days before 2025-06-01"),
        (entry("2025-03-03"), [], "released exactly 90 days before: old enough"),
        (entry("2025-07-01"), ["too-new"], "a first release in the future"),
        (entry("01/05/2025"), ["too-new"], "a date that is not ISO (unreadable)"),
        ({"downloads_last_month": 50_000}, ["too-new"], "no first_release at all"),
        (entry("2012-01-01", 999), ["little-used"], "999 downloads last month"),
        (entry("2012-01-01", 1_000), [], "exactly 1,000 downloads: enough"),
        (entry("2012-01-01", "50000"), ["little-used"], "a download count that is a str"),
        ({"first_release": "2012-01-01"}, ["little-used"], "no download count at all"),
        (entry("2025-05-30", 3), ["too-new", "little-used"], "two days old, three downloads"),
    ]
    for meta, kinds, what in cases:
        index = {"shiny-new-lib": meta}
        got = _kinds(_audit(exercise, "shiny-new-lib==1.0.0\n", index=index, popular=set()))
        assert got == kinds, (
            f"check_requirements('shiny-new-lib==1.0.0') with index entry {meta!r} and today="
            f"{TODAY} returned kinds {got!r}, expected {kinds!r}: {what}. Fewer than "
            "MIN_AGE_DAYS (90) days or MIN_MONTHLY_DOWNLOADS (1,000) downloads is suspicious, and "
            "metadata you cannot read must not vouch for a package (fail closed)."
        )
    text = "pdf-table-magic==0.1.0\n"
    later = date(2026, 1, 1)
    got = _kinds(_audit(exercise, text, today=later))
    assert got == [], (
        f"check_requirements({text!r}, today={later}) returned kinds {got!r}, expected []: with "
        "today=2026-01-01 the 2025-05-20 release is old enough. Use the `today` argument, never "
        "the real clock: an audit must give the same answer when it is repeated."
    )
    got = _kinds(_audit(exercise, text))
    assert got == ["too-new"], (
        f"check_requirements({text!r}, today={TODAY}) returned kinds {got!r}, expected "
        "['too-new']: released 12 days before the given date. Use the `today` argument."
    )


def test_flags_unpinned_requirements(exercise):
    """Flags requirements that do not pin one exact version"""
    unpinned = ["requests", "requests>=2.0", "requests~=2.32", "requests==2.*",
                "requests!=2.31.0", "requests<3", "requests>=2,<3", "requests[socks]"]
    pinned = ["requests==2.32.3", "requests===2.32.3", "requests == 2.32.3",
              "requests>=2,==2.32.3", "requests[socks]==2.32.3 ; os_name == 'nt'"]
    for line in unpinned:
        got = _triples(_audit(exercise, line + "\n"))
        assert got == [(1, "unpinned", "requests")], (
            f"check_requirements({line!r}) returned {got!r}, expected "
            "[(1, 'unpinned', 'requests')]: no clause fixes one version ('==V' without '*', or "
            "'===V'). A range lets pip pick a release published after the review, including "
            "one pushed by whoever took over the project."
        )
    for line in pinned:
        got = _triples(_audit(exercise, line + "\n"))
        assert got == [], (
            f"check_requirements({line!r}) returned {got!r}, expected []: a clause pins one "
            "exact version; an environment marker after ';' does not change that."
        )


def test_flags_other_package_sources(exercise):
    """Flags options that add indexes, drop TLS checks or include unaudited files"""
    cases = [
        ("--index-url https://pypi.org/simple", []),
        ("--index-url=https://pypi.org/simple/", []),
        ("-i https://pypi.org/simple", []),
        ("--extra-index-url https://pypi.org.evil.example/simple",
         [(1, "index", "https://pypi.org.evil.example/simple")]),
        ("--extra-index-url=https://test.pypi.org/simple/",
         [(1, "index", "https://test.pypi.org/simple/")]),
        ("--index-url http://pypi.org/simple", [(1, "index", "http://pypi.org/simple")]),
        ("-i https://mirror.example.com/simple", [(1, "index", "https://mirror.example.com/simple")]),
        ("-f https://example.com/wheels/", [(1, "index", "https://example.com/wheels/")]),
        ("--trusted-host example.com", [(1, "index", "example.com")]),
        ("-r requirements-dev.txt", [(1, "include", "requirements-dev.txt")]),
        ("--requirement=base.txt", [(1, "include", "base.txt")]),
        ("-c constraints.txt  # versions", [(1, "include", "constraints.txt")]),
        ("-e git+https://github.com/example/tool.git#egg=tool",
         [(1, "direct-url", "git+https://github.com/example/tool.git#egg=tool")]),
        ("--pre", []),
        ("--only-binary :all:", []),
    ]
    for text, expected in cases:
        got = _triples(_audit(exercise, text + "\n"))
        assert got == expected, (
            f"check_requirements({text!r}) returned {got!r}, expected {expected!r}. Only pip's own "
            "index, https://pypi.org/simple (a trailing '/' is fine), is trusted: compare the "
            "whole URL, not a prefix ('https://pypi.org.evil.example' starts with "
            "'https://pypi.org'). An extra index invites dependency confusion, --trusted-host "
            "turns off certificate checks, and an included file has not been audited."
        )


def test_flags_options_in_every_spelling_pip_accepts(exercise):
    """Finds package sources in every option spelling pip accepts, and on any line"""
    evil = "https://evil.example/simple"
    cases = [
        (f"--pre --extra-index-url {evil}", [(1, "index", evil)],
         "one line may hold several options, and pip applies all of them"),
        (f"--require-hashes -i {evil} -r dev.txt",
         [(1, "include", "dev.txt"), (1, "index", evil)], "three options on one line"),
        (f"--extra-index {evil}", [(1, "index", evil)],
         "pip accepts an unambiguous abbreviation of a long option"),
        (f"--pypi-url={evil}", [(1, "index", evil)], "--pypi-url is another name of --index-url"),
        (f"-i{evil}", [(1, "index", evil)], "a short option's value may follow without a space"),
        ("--trusted=evil.example", [(1, "index", "evil.example")],
         "an abbreviation of --trusted-host"),
        ("-rother.txt", [(1, "include", "other.txt")], "-r with its value attached"),
        ("--edit ./vendored/tool", [(1, "direct-url", "./vendored/tool")],
         "an abbreviation of --editable"),
        (f"requests==2.32.3 --index-url {evil}", [(1, "index", evil)],
         "an option after a requirement: audit it wherever it stands"),
        ("--bogus-option", [(1, "invalid", "--bogus-option")],
         "an option pip does not know: parse_options raises ValueError, and pip would refuse "
         "the file"),
        ("--e ./tool", [(1, "invalid", "--e ./tool")],
         "'--e' could be --editable or --extra-index-url: pip refuses an ambiguous abbreviation"),
    ]
    for text, expected, why in cases:
        got = _triples(_audit(exercise, text + "\n"))
        assert got == expected, (
            f"check_requirements({text!r}) returned {got!r}, expected {expected!r}: {why}. Split "
            "each line with split_line() and read its options with parse_options(), which "
            "names every option by its main long name; checking only the first word of the line "
            "for '--extra-index-url' misses all of these."
        )


def test_flags_lines_that_use_environment_variables(exercise):
    """Reports lines with ${VARIABLES}, whose meaning pip takes from the installer's environment"""
    cases = [
        "--only-binary ${BINARY_OPTIONS}",
        "requests==2.32.3 ; python_version >= '${PY_VERSION}'",
        "--index-url https://${TOKEN}@packages.example.com/simple",
        "${EXTRA_REQUIREMENTS}",
    ]
    for text in cases:
        got = _triples(_audit(exercise, text + "\n"))
        expected = [(1, "invalid", text)]
        assert got == expected, (
            f"check_requirements({text!r}) returned {got!r}, expected {expected!r}: pip replaces "
            "${NAME} with an environment variable of whoever installs, after the comments are "
            "gone and before the options are read, so '--only-binary ${BINARY_OPTIONS}' can "
            "become '--only-binary x --extra-index-url https://evil...'. The audit cannot know "
            "that value: report the whole line as 'invalid' and nothing else for it."
        )


def test_flags_direct_urls(exercise):
    """Flags requirements installed from a URL, keeping the URL's #fragment"""
    cases = [
        ("git+https://github.com/psf/requests.git#egg=requests",
         "git+https://github.com/psf/requests.git#egg=requests"),
        ("requests @ https://example.com/requests-2.32.3-py3-none-any.whl ; python_version>='3.8'",
         "https://example.com/requests-2.32.3-py3-none-any.whl"),
        ("requests[socks]@https://example.com/r.whl", "https://example.com/r.whl"),
        ("https://example.com/pkg-1.0.tar.gz  # vendored", "https://example.com/pkg-1.0.tar.gz"),
    ]
    for text, url in cases:
        got = _triples(_audit(exercise, text + "\n"))
        expected = [(1, "direct-url", url)]
        assert got == expected, (
            f"check_requirements({text!r}) returned {got!r}, expected {expected!r}: the package "
            "comes from that URL, not from the index, so the snapshot cannot vouch for it. A '#' "
            "inside a word is not a comment: pip only starts a comment at '#' after whitespace "
            "or at the start of a line."
        )
    for text in ("requests-2.32.3-py3-none-any.whl", "evil.tar.gz", "Tool.ZIP[cli]"):
        got = _triples(_audit(exercise, text + "\n"))
        name = text.split("[")[0]
        expected = [(1, "direct-url", name)]
        assert got == expected, (
            f"check_requirements({text!r}) returned {got!r}, expected {expected!r}: packaging "
            "parses this as a valid project name, but pip installs a requirement whose name ends "
            "in an archive suffix (ARCHIVE_SUFFIXES, in any case) from a local file of that "
            "name, not from the index. Report 'direct-url' with the name as subject."
        )


def test_flags_invalid_and_lookalike_unicode_names(exercise):
    """Reports names with non-ASCII look-alike letters and lines that are not requirements"""
    cases = [
        ("r\u0435quests==2.32.3", "a Cyrillic 'е' (U+0435)"),
        ("nump\u03bf==1.26.4", "a Greek omicron (U+03BF)"),
        ("req\u057dests==2.32.3", "an Armenian 'ս' (U+057D)"),
        ("\uff52\uff45\uff51\uff55\uff45\uff53\uff54\uff53==2.32.3", "fullwidth letters"),
        ("\u017fix==1.16.0", "a long s 'ſ' (U+017F): [A-Z] with re.IGNORECASE accepts it"),
        ("\u212aeras==3.3.3", "a Kelvin sign (U+212A): [A-Z] with re.IGNORECASE accepts it"),
        ("req\u200buests==2.32.3", "a zero-width space inside the name"),
        ("requests[\u017fecurity]==2.32.3", "a long s 'ſ' in the extra: the name is fine, but "
         "a line with a look-alike letter anywhere is not one to vouch for"),
        ("requests[\u212aerberos]==2.32.3", "a Kelvin sign 'K' in the extra"),
        ("requests==2.32.3 ; os_name == '\u0578t'", "an Armenian 'ո' in a marker, which "
         "packaging accepts: any non-ASCII character makes the requirement 'invalid'"),
        ("numpy-==1.26.4", "a name ending in '-'"),
        ("pip install requests", "a shell command, not a requirement"),
        ("==2.32.3", "a version without a name"),
        ("requests 2.32.3", "a version without an operator"),
    ]
    for text, what in cases:
        got = _triples(_audit(exercise, text + "\n"))
        expected = [(1, "invalid", text)]
        assert got == expected, (
            f"check_requirements({text!r}) returned {got!r}, expected {expected!r}: the line "
            f"has {what}. Project names are ASCII letters, digits, '.', '_' and '-' only; a name "
            "that merely looks like a real one must never be normalised, looked up or "
            "installed as if it were that project. Reject any non-ASCII character first, then "
            "let packaging's Requirement() refuse the rest (no regex: [A-Z] with "
            "re.IGNORECASE also matches 'İ', 'ı', 'ſ' and the Kelvin sign). Report 'invalid' "
            "with the requirement text as subject."
        )


def test_line_numbers_and_order(exercise):
    """Reports physical line numbers, continued lines by their first line, in KINDS order"""
    text = (
        "# assistant output\n"
        "reqeusts>=2.0\n"
        "numpy==1.26.4 \\\n"
        "    --hash=sha256:0123456789abcdef\n"
        "\n"
        "--extra-index-url https://download.example.com/simple\n"
        "tiny-helper\n"
        "r\u0435quests==2.32.3  # looks fine\n"
    )
    expected = [
        (2, "not-found", "reqeusts"),
        (2, "lookalike", "reqeusts"),
        (2, "unpinned", "reqeusts"),
        (6, "index", "https://download.example.com/simple"),
        (7, "little-used", "tiny-helper"),
        (7, "unpinned", "tiny-helper"),
        (8, "invalid", "r\u0435quests==2.32.3"),
    ]
    got = _audit(exercise, text)
    assert _triples(got) == expected, (
        f"check_requirements(<file below>) returned {_triples(got)!r}, expected {expected!r}. "
        "Lines count from 1 and include comments and blanks; a backslash-continued requirement "
        "counts as its first line; findings come by line, then in the order of KINDS. A reviewer "
        f"jumps to these line numbers.\nFile:\n{text}"
    )
    assert all(isinstance(f, exercise.Finding) for f in got), (
        f"check_requirements returned {[type(f).__name__ for f in got]!r}, expected Finding "
        "objects (the dataclass in the starter), so callers can read .line, .kind and .subject."
    )


def test_empty_input_long_input_and_wrong_types(exercise):
    """Handles empty and very long files, and rejects input that is not text"""
    for text in ("", "\n\n", "# nothing but a comment\n", "   \n\t\n"):
        got = _audit(exercise, text)
        assert got == [], (
            f"check_requirements({text!r}) returned {got!r}, expected []: no requirement, nothing "
            "to report."
        )
    long_name = "a" * 5_000
    text = "\n".join(["six==1.16.0"] * 2_000 + [long_name + "==1.0"]) + "\n"
    got = _triples(_audit(exercise, text))
    expected = [(2_001, "not-found", long_name)]
    assert got == expected, (
        f"check_requirements(<2,000 pinned six lines, then a 5,000-letter name>) returned "
        f"{got!r:.200}, expected [(2001, 'not-found', 'aaaa...')]: a valid but unknown name. "
        "Long names are legal; keep the lookalike test cheap (lengths that differ by more than "
        "one are never one edit apart)."
    )
    for bad in (b"requests==2.32.3\n", None, ["requests==2.32.3"]):
        try:
            got = _audit(exercise, bad)
        except TypeError:
            continue
        raise AssertionError(
            f"check_requirements({bad!r}) returned {got!r}, expected a TypeError: the file must "
            "be decoded text (str). Auditing bytes or a list by accident would report nothing "
            "and make an unread file look clean."
        )
