"""A defence lab's two corpora, read and validated from ``tests/labs/<id>.yaml``.

The file (docs/labs.md has the whole format)::

    format_version: 1
    attacks:                      # each aims at a harm the defence must stop
      - id: comment-image-exfil
        shown: true               # in the sample the learner sees; false: held out
        harm: exfiltration        # a short category, the only thing said of a held-out case
        aim: "sends the question to evil.example through an image URL"
        input: {...}              # what the lab's feature is given (the lab's own shape)
        harmed_if: {links_outside: [example.com]}
    ordinary:                     # each a request the feature must still serve
      - id: return-window
        shown: true
        aim: "asks how long returns are accepted"
        input: {...}
        useful_if: {says: ["30 days"]}

What ``harmed_if`` and ``useful_if`` may say is :mod:`tutor.labs.judge`'s to define.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from tutor.course.yamlfile import LineDict, YamlProblem, parse_yaml
from tutor.errors import ContentError, Problem, ProblemList
from tutor.labs import judge

FORMAT_VERSION = 1
CORPUS_KEYS = {"format_version", "attacks", "ordinary"}
CASE_KEYS = {"attacks": {"id", "shown", "harm", "aim", "input", "harmed_if"},
             "ordinary": {"id", "shown", "aim", "input", "useful_if"}}

Kind = Literal["attack", "ordinary"]


@dataclass(frozen=True)
class Case:
    """One attack or one ordinary request of a corpus."""

    id: str
    kind: Kind
    shown: bool  # in the sample the learner sees while working
    aim: str  # what it tries to do, in a few words
    input: dict[str, Any]
    expect: dict[str, Any]  # harmed_if of an attack, useful_if of an ordinary request
    harm: str = ""  # the category of an attack's harm
    line: int = 0


@dataclass(frozen=True)
class Corpus:
    path: Path
    attacks: tuple[Case, ...] = ()
    ordinary: tuple[Case, ...] = field(default_factory=tuple)

    def sample(self) -> tuple[Case, ...]:
        """What the learner may see while working: the shown cases of both corpora."""
        return tuple(c for c in (*self.attacks, *self.ordinary) if c.shown)


def load_corpus(path: Path) -> Corpus:
    """Read and validate a lab's corpora; :class:`ContentError` names every problem."""
    return _load_cached(path.resolve(), _stamp(path))


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _load_cached(path: Path, _stamp: tuple[int, int]) -> Corpus:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"), path)
    except OSError as exc:
        raise ContentError([Problem(path, None, f"cannot read the lab's corpora: "
                                    f"{exc.strerror or exc}", "create it (docs/labs.md)")]) \
            from None
    except UnicodeDecodeError:
        raise ContentError([Problem(path, None, "not UTF-8 text", "save it as UTF-8")]) from None
    except YamlProblem as exc:
        raise ContentError([exc.problem]) from None
    check = ProblemList(path)
    corpus = _read(data, path, check)
    check.raise_if_any()
    return corpus


def _read(data: Any, path: Path, check: ProblemList) -> Corpus:
    if not isinstance(data, LineDict):
        check.add(1, "a lab's corpora must be a mapping with 'attacks' and 'ordinary'",
                  "see docs/labs.md")
        return Corpus(path)
    check.unknown_keys(data, CORPUS_KEYS, "the corpora")
    if data.get("format_version") != FORMAT_VERSION:
        check.add(data.line_of("format_version"), f"format_version must be {FORMAT_VERSION}",
                  f"add 'format_version: {FORMAT_VERSION}'")
    seen: dict[str, int] = {}
    attacks = _cases(data, "attacks", "attack", check, seen)
    ordinary = _cases(data, "ordinary", "ordinary", check, seen)
    for kind, cases in (("attacks", attacks), ("ordinary", ordinary)):
        if cases and not any(c.shown for c in cases):
            check.add(data.line_of(kind), f"no case of '{kind}' is shown to the learner",
                      "mark a few 'shown: true': the learner works from that sample")
    if attacks and all(c.shown for c in attacks):
        check.add(data.line_of("attacks"), "every attack is shown: none is held out",
                  "mark some 'shown: false', so that listing the sample cannot pass")
    return Corpus(path, attacks, ordinary)


def _cases(data: LineDict, key: str, kind: Kind, check: ProblemList,
           seen: dict[str, int]) -> tuple[Case, ...]:
    raw = data.get(key)
    if not isinstance(raw, list) or not raw:
        check.add(data.line_of(key), f"'{key}' must be a non-empty list of cases",
                  "see docs/labs.md")
        return ()
    cases = [_case(item, key, kind, check, seen, data.line_of(key)) for item in raw]
    return tuple(c for c in cases if c is not None)


def _case(raw: Any, key: str, kind: Kind, check: ProblemList, seen: dict[str, int],
          parent_line: int) -> Case | None:
    if not isinstance(raw, LineDict):
        check.add(parent_line, f"each case of '{key}' must be a mapping", "write '- id: ...'")
        return None
    check.unknown_keys(raw, CASE_KEYS[key], f"a case of '{key}'")
    case_id = check.text(raw, "id", f"a case of '{key}'")
    where = f"case '{case_id}'" if case_id else f"a case of '{key}'"
    if case_id in seen:
        check.add(raw.line_of("id"), f"case id '{case_id}' is used twice "
                  f"(first on line {seen[case_id]})", "ids must be unique in the file")
    elif case_id:
        seen[case_id] = raw.line_of("id")
    aim = check.text(raw, "aim", where)
    harm = check.text(raw, "harm", where) if kind == "attack" else ""
    shown = raw.get("shown", False)
    if not isinstance(shown, bool):
        check.add(raw.line_of("shown"), f"'shown' of {where} must be true or false")
    case_input = raw.get("input")
    if not isinstance(case_input, dict):
        check.add(raw.line_of("input"), f"{where} needs 'input': a mapping the lab's "
                  "feature is given")
    expect_key = "harmed_if" if kind == "attack" else "useful_if"
    expect = raw.get(expect_key)
    for problem in judge.problems(expect, expect_key):
        check.add(raw.line_of(expect_key), f"{problem} (in {where})", "see docs/labs.md")
    if not (case_id and aim and isinstance(case_input, dict) and isinstance(expect, dict)):
        return None
    return Case(case_id, kind, shown is True, aim, dict(case_input), dict(expect), harm,
                raw.line)
