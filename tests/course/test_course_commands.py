"""Every command the course tells a learner to run is registered, and run offline.

1. Extract: shell commands in lessons' fenced blocks, inline code in lesson prose and
   quizzes, starter docstrings, course.yaml and hidden-check strings that start with a
   command word, `python -c`/`python -m` forms anywhere, and lessons' Python blocks.
2. Registry (tests/course/course_commands.py): each one either runs here (how) or cannot run
   offline (why). A command missing from it, or an entry the course no longer has,
   fails the build, so nothing lands unclassified and the registry stays current.
3. Run: each runnable command in a POSIX shell whose PATH starts with shims for
   `aisec`, `python` and `python3` (this interpreter), in a workspace made by
   `aisec init`, offline; anything that talks to Ollama gets a FakeOllama instead.
4. Every `>>>` example in every starter docstring runs with doctest against the
   reference solution.
"""

from __future__ import annotations

import ast
import doctest
import functools
import importlib.util
import os
import queue
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.course.course_commands import EXAMPLES, REGISTRY, Entry, ExampleSetup, NotRunnable, Run
from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course
from tutor.course.model import Exercise
from tutor.fake_ollama import FakeOllama

COURSE = load_course(default_course_dir())
ROOT = COURSE.root
REGISTRY_FILE = "tests/course/course_commands.py"
TIMEOUT = 60.0  # seconds for one command; the slowest (aisec check) takes about 2

# -- 1. extraction -------------------------------------------------------------------

# A command starts with one of these words. Some need what follows to look like a
# command too, so that a sentence ("pip accepts...", "set the limit") is not one.
_WORDS = (
    r"aisec(?=\s+(?:-|[a-z][\w-]*(?:\s|$))|$)"
    r"|python3?(?=\s+(?:-|\S+\.py\b)|$)|py(?=\s+-)"
    r"|pip3?(?=\s+(?:install|download|uninstall|freeze|list|show|wheel|hash|check|inspect|-)"
    r"|$)"
    r"|ollama(?=\s+(?:run|pull|push|serve|list|ls|show|ps|rm|cp|create|stop|-)|$)"
    r"|(?:pipx|uv|curl|wget|git|ss|lsof|netstat|docker|podman|unset|setx|Remove-Item"
    r"|Set-Item|Get-\w+|cd|sudo|systemctl|launchctl|brew|winget|cat|sh|bash|pytest|ruff"
    r"|gitleaks|trufflehog|openssl|sha256sum|shasum|huggingface-cli)(?=\s|$)"
)
COMMAND_RE = re.compile(rf"(?:{_WORDS})|(?:export|set)\s+\w+=|\$env:\w+", re.ASCII)
SHELL_INFOS = {"bash", "sh", "shell", "zsh", "console", "shell-session", "powershell",
               "ps1", "pwsh", "ps", "bat", "cmd"}
PYTHON_INFOS = {"python", "py", "python3"}
PYCON_INFOS = {"pycon", "python-repl"}
PROMPT_RE = re.compile(r"^(?:\$|PS(?: [^>]*)?>)\s+")
# `python -m pkg.mod:obj ARGS` and `python -c "CODE"` written without backticks.
BARE_PYTHON_RE = re.compile(
    r"\bpython3? -m [A-Za-z_][\w.]*(?::[\w.]+)?"
    r"(?:[ \t]+(?:-[\w-]+|\d+|[^\s,;`()]*[./:=][^\s,;`()]*))*"
    r"|\bpython3? -c (?:\"(?:[^\"\\]|\\.)*\"|'[^']*')")
ALTERNATIVE_RE = re.compile(r"(?:^|[\s(])or:\s*([^()]+?)\s*(?=\(|\)|$)")
SPAN_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)


@dataclass(frozen=True)
class Found:
    """One command as the course writes it, and where."""

    key: str  # the normalised text: what the registry is keyed by
    text: str  # as written (a block's code, or the command)
    file: str  # relative to the course root
    line: int
    source: str  # lesson block | lesson prose | lesson python | starter | hint | check
    kind: str  # shell | python | pycon

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def normalise(command: str) -> str:
    command = PROMPT_RE.sub("", command.strip())
    return " ".join(command.split())


def is_command(text: str) -> bool:
    return bool(COMMAND_RE.match(PROMPT_RE.sub("", text.strip())))


def strip_comment(line: str) -> tuple[str, str]:
    """Split a shell line into (command, comment): `#` after a space, outside quotes."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip(), line[i + 1:]
    return line.rstrip(), ""


def code_key(code: str) -> str:
    lines = [line.rstrip() for line in textwrap.dedent(code).splitlines()]
    return "\n".join(lines).strip("\n")


def _line_of(text: str, offset: int, first: int) -> int:
    return first + text.count("\n", 0, offset)


def commands_in_prose(text: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Inline code spans that start with a command word, and bare python -c/-m forms."""
    masked = list(text)
    for m in SPAN_RE.finditer(text):
        body = m.group(2)
        if "\n\n" in body:  # an unmatched backtick, not a span across paragraphs
            continue
        masked[m.start():m.end()] = re.sub(r"[^\n]", " ", m.group(0))  # keep line numbers
        body = " ".join(body.split())
        if is_command(body):
            yield _line_of(text, m.start(), first_line), body
        else:  # `see python -m x` inside a longer span
            for bare in BARE_PYTHON_RE.finditer(body):
                yield _line_of(text, m.start(), first_line), bare.group(0)
    rest = "".join(masked)
    for m in BARE_PYTHON_RE.finditer(rest):
        yield _line_of(rest, m.start(), first_line), m.group(0).rstrip(".")


def shell_block(lines: list[tuple[int, str]], info: str) -> Iterator[tuple[int, str]]:
    """Commands in a shell block: prompts, continuation lines, `# or: CMD` comments."""
    prompted = info in {"console", "shell-session"} or any(
        PROMPT_RE.match(text) for _, text in lines)
    pending: tuple[int, str] | None = None
    for number, raw in lines:
        if pending is not None:  # a continuation of the line before
            start, so_far = pending
            text = so_far + " " + raw.strip()
        elif prompted and not PROMPT_RE.match(raw):
            continue  # output, not a command
        else:
            start, text = number, PROMPT_RE.sub("", raw.strip())
        continues = text.endswith(("\\", "`")) and not text.endswith("``")
        if continues:
            pending = (start, text[:-1].rstrip())
            continue
        pending = None
        command, comment = strip_comment(text)
        if command:
            yield start, command
        for alternative in ALTERNATIVE_RE.finditer(comment):
            if is_command(alternative.group(1)):
                yield start, alternative.group(1)
        for _, spanned in commands_in_prose(comment, start):
            yield start, spanned


def extract_lesson(path: Path, rel: str) -> list[Found]:
    lines = path.read_text(encoding="utf-8").split("\n")
    found: list[Found] = []
    prose: list[str] = []
    i = 0
    if lines and lines[0].strip() == "---":  # front matter is data, not prose
        end = next((j for j in range(1, len(lines)) if lines[j].strip() == "---"), 0)
        prose.extend([""] * (end + 1))
        i = end + 1
    while i < len(lines):
        fence = re.match(r"^\s*(`{3,}|~{3,})\s*([\w+-]*)", lines[i])
        if not fence:
            prose.append(lines[i])
            i += 1
            continue
        marker, info = fence.group(1), fence.group(2).lower()
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(marker):
            j += 1
        body = [(n + 1, lines[n]) for n in range(i + 1, min(j, len(lines)))]
        code = "\n".join(text for _, text in body)
        if info in SHELL_INFOS:
            for number, command in shell_block(body, info):
                found.append(Found(normalise(command), command, rel, number, "lesson block",
                                   "shell"))
        elif info in PYTHON_INFOS | PYCON_INFOS:
            kind = "python" if info in PYTHON_INFOS else "pycon"
            found.append(Found(code_key(code), code, rel, i + 2, "lesson python", kind))
        elif info == "":  # no language: a command line in it is still a command
            for number, text in body:
                if is_command(text):
                    command = strip_comment(PROMPT_RE.sub("", text.strip()))[0]
                    found.append(Found(normalise(command), command, rel, number,
                                       "lesson block", "shell"))
        # quiz blocks are prose the learner reads; text/markdown blocks show output.
        prose.append("")
        prose.extend(text if info == "quiz" else "" for _, text in body)
        prose.append("")
        i = j + 1
    for number, command in commands_in_prose("\n".join(prose), 1):
        found.append(Found(normalise(command), command, rel, number, "lesson prose", "shell"))
    return found


def _docstring_nodes(tree: ast.Module) -> Iterator[tuple[ast.AST, ast.Constant]]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                yield node, body[0].value


def _locate(snippet: str, source: list[str], start: int, end: int, guess: int) -> int:
    """The line of `snippet` in the file: escapes in the source can shift the guess."""
    probe = snippet.split()[0] if snippet.split() else snippet
    candidates = [n for n in range(start, end + 1) if probe in source[n - 1]]
    if guess in candidates or not candidates:
        return guess
    return min(candidates, key=lambda n: abs(n - guess))


def commands_in_docstring(text: str, first: int) -> Iterator[tuple[int, str]]:
    """Code spans, bare python forms, and indented lines that start with a command."""
    yield from commands_in_prose(text, first)
    for offset, line in enumerate(text.split("\n")):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if indent >= 4 and is_command(stripped) and not stripped.startswith((">>>", "...")):
            yield first + offset, strip_comment(PROMPT_RE.sub("", stripped))[0]


def extract_python_strings(path: Path, rel: str, source_label: str,
                           docstrings_only: bool) -> list[Found]:
    text = path.read_text(encoding="utf-8")
    source = text.split("\n")
    tree = ast.parse(text)
    found: list[Found] = []

    def add(node: ast.expr, value: str) -> None:
        pairs = list(commands_in_docstring(value, node.lineno))
        if not docstrings_only and len(value.split()) > 1 and is_command(value):
            pairs.append((node.lineno, value.strip()))
        for guess, command in pairs:
            line = _locate(command, source, node.lineno, node.end_lineno or node.lineno, guess)
            found.append(Found(normalise(command), command, rel, line, source_label, "shell"))

    if docstrings_only:
        for _, constant in _docstring_nodes(tree):
            add(constant, constant.value)
        return found
    inside_fstrings: set[int] = set()  # ast.walk visits an f-string before its parts
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in inside_fstrings:
            parts = []
            for part in node.values:
                inside_fstrings.add(id(part))
                if isinstance(part, ast.FormattedValue):
                    inside_fstrings.add(id(part.format_spec))
                    parts.append("{" + ast.unparse(part.value) + "}")
                elif isinstance(part, ast.Constant):
                    parts.append(str(part.value))
            add(node, "".join(parts))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in inside_fstrings):
            add(node, node.value)
    return found


def extract_manifest(path: Path, rel: str) -> list[Found]:
    """Every string value in course.yaml (hints above all), with its line."""
    found: list[Found] = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            for _, value in node.value:
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)
        elif isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str"):
            first = node.start_mark.line + 1 + (1 if node.style in ("|", ">") else 0)
            pairs = list(commands_in_prose(node.value, first))
            if " " in node.value.strip() and is_command(node.value):  # not ids and tags
                pairs.append((first, node.value.strip()))
            for line, command in pairs:
                found.append(Found(normalise(command), command, rel, line, "hint", "shell"))

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is 10x faster
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=loader)
    if root is not None:
        walk(root)
    return found


def extract_file(path: Path, rel: str | None = None) -> list[Found]:
    """The commands in one course file, by what kind of file it is."""
    rel = rel or path.relative_to(ROOT).as_posix()
    if path.suffix == ".md":
        found = extract_lesson(path, rel)
    elif path.name == "course.yaml":
        found = extract_manifest(path, rel)
    elif rel.startswith("tests/checks/"):
        found = extract_python_strings(path, rel, "check", docstrings_only=False)
    else:
        found = extract_python_strings(path, rel, "starter", docstrings_only=True)
    unique = {(f.line, f.key, f.kind): f for f in found}  # one per line and command
    return sorted(unique.values(), key=lambda f: (f.line, f.key))


def course_files(root: Path = ROOT) -> list[Path]:
    return [*sorted((root / "lessons").glob("*.md")),
            *sorted(p for p in (root / "exercises").rglob("*.py") if "__pycache__" not in p.parts),
            root / "course.yaml",
            *sorted((root / "tests" / "checks").glob("test_*.py"))]


def extract_course(root: Path = ROOT) -> list[Found]:
    return [found for path in course_files(root)
            for found in extract_file(path, path.relative_to(root).as_posix())]


@functools.cache
def course_commands() -> tuple[Found, ...]:
    """The whole course's commands, extracted once (not at collection: ~1 s of parsing)."""
    return tuple(extract_course())


@functools.cache
def grouped() -> dict[str, list[Found]]:
    return by_key(course_commands())


def by_key(found: Sequence[Found]) -> dict[str, list[Found]]:
    groups: dict[str, list[Found]] = {}
    for item in found:
        groups.setdefault(item.key, []).append(item)
    return groups


def _shown(key: str) -> str:
    if "\n" not in key:
        return f"{key}\n    registry key: {key!r}"
    code = textwrap.indent(key, "    | ", lambda _: True)
    return f'a Python block\n{code}\n    registry key: this code as written, in r"""..."""'


def unregistered(found: Sequence[Found], registry: dict[str, Entry] = REGISTRY) -> list[str]:
    """One message per command the registry does not classify, naming where it is."""
    return [f"{item.where} ({item.source}): {_shown(item.key)}" for item in found
            if item.key not in registry]


def stale(found: Sequence[Found], registry: dict[str, Entry] = REGISTRY) -> list[str]:
    keys = {item.key for item in found}
    return [f"{key!r}" for key in registry if key not in keys]


def where_list(found: list[Found]) -> str:
    places = ", ".join(item.where for item in found[:4])
    return places + (f" and {len(found) - 4} more" if len(found) > 4 else "")


# -- 3. running ----------------------------------------------------------------------


@dataclass(frozen=True)
class Learner:
    """A learner's machine: shims on PATH and a workspace made by `aisec init`."""

    shims: Path
    parent: Path  # where `aisec init` ran
    workspace: Path  # parent / aisec-course

    def env(self) -> dict[str, str]:
        # No OLLAMA_* from the machine running the tests: each command says what it needs.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PYTEST", "AISEC", "OLLAMA"))}
        env["PATH"] = f"{self.shims}{os.pathsep}{env.get('PATH', os.defpath)}"
        env["NO_COLOR"] = "1"
        return env

    def cwd(self, where: str, fresh: Path) -> Path:
        if where == "workspace":
            return self.workspace
        if where == "parent":
            return self.parent
        if where == "fresh":
            return fresh
        exercise = next(ex for ex in COURSE.exercises if f"exercise:{ex.id}" == where)
        return self.workspace / "exercises" / Path(exercise.file).parent


def make_shims(folder: Path) -> Path:
    """`aisec`, `python` and `python3` as the learner's activated environment has them."""
    folder.mkdir(parents=True, exist_ok=True)
    targets = {"aisec": f'exec "{sys.executable}" -m tutor "$@"',
               "python": f'exec "{sys.executable}" "$@"',
               "python3": f'exec "{sys.executable}" "$@"'}
    for name, line in targets.items():
        shim = folder / name
        shim.write_text(f"#!/bin/sh\n{line}\n", encoding="utf-8")
        shim.chmod(shim.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


@dataclass
class Outcome:
    ran: str  # what was run, as a learner would type it
    cwd: Path
    note: str  # OLLAMA_HOST and what answers there
    code: int | None  # None: it did not finish (or never printed stop_after)
    output: str  # stdout and stderr, interleaved
    port: int | None = None


def _collect(proc: subprocess.Popen[str], stop_after: str | None) -> tuple[int | None, str]:
    """Read the output; for a long-running command press ctrl+c once it printed stop_after."""
    lines: queue.Queue[str | None] = queue.Queue()

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    output: list[str] = []
    deadline = time.monotonic() + TIMEOUT
    interrupted = False
    try:
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return None, "".join(output)  # timed out: killed in finally
            if line is None:
                break
            output.append(line)
            if stop_after and not interrupted and stop_after in line:
                os.killpg(proc.pid, signal.SIGINT)  # what ctrl+c sends to the foreground job
                interrupted = True
        try:
            code = proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:  # it closed its output but did not exit
            return None, "".join(output)
        if stop_after and not interrupted:
            return None, "".join(output)
        return code, "".join(output)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        thread.join(timeout=5)


def run_command(text: str, kind: str, run: Run, learner: Learner, fresh: Path) -> Outcome:
    """Run one command (or Python block) as a learner would, offline."""
    env = learner.env()
    cwd = learner.cwd(run.cwd, fresh)
    command = run.cmd or text
    note, port = "no OLLAMA_HOST set", None
    fake: FakeOllama | None = None
    closed: socket.socket | None = None
    if run.ollama == "fake":
        fake = FakeOllama(script=run.script).start()
        port, note = fake.port, f"OLLAMA_HOST={fake.host}, a FakeOllama"
    elif run.ollama == "down":
        closed = socket.socket()  # bound but not listening: every connection is refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        note = f"OLLAMA_HOST=127.0.0.1:{port}, where nothing listens"
    try:
        if port is not None:
            env["OLLAMA_HOST"] = f"127.0.0.1:{port}"
            command = command.replace("11434", str(port))
        if kind == "shell":
            argv = ["/bin/sh", "-c", ("exec " if run.stop_after else "") + command]
            ran = command
        else:
            script = fresh / ("lesson_block.py" if kind == "python" else "lesson_block.txt")
            script.write_text(command + "\n", encoding="utf-8")
            argv = [str(learner.shims / "python"), str(script)] if kind == "python" else [
                str(learner.shims / "python"), "-m", "doctest", "-o", "ELLIPSIS",
                "-o", "NORMALIZE_WHITESPACE", str(script)]
            ran = " ".join(["python", *argv[2:-1], script.name])
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                encoding="utf-8", errors="replace", start_new_session=True)
        code, output = _collect(proc, run.stop_after)
        return Outcome(ran, cwd, note, code, output, port)
    finally:
        if fake is not None:
            fake.stop()
        if closed is not None:
            closed.close()


NEVER = ("Traceback (most recent call last)", "internal error")


def judge(found: list[Found], run: Run, outcome: Outcome) -> str | None:
    """None when the command did what the course says; else a message for the author."""
    def fill(text: str) -> str:
        return text.replace("{port}", str(outcome.port)) if outcome.port else text

    problems: list[str] = []
    if outcome.code is None:
        problems.append(f"it was still running after {TIMEOUT:.0f} s" if not run.stop_after
                        else f"it never printed {run.stop_after!r}, so ctrl+c was not sent")
    elif outcome.code != run.exit:
        problems.append(f"exit code {outcome.code}, expected {run.exit}")
    problems += [f"the output contains {bad!r}" for bad in (*NEVER, *map(fill, run.reject))
                 if bad in outcome.output]
    problems += [f"the output lacks {fill(want)!r}" for want in run.expect
                 if fill(want) not in outcome.output]
    if not problems:
        return None
    text = found[0].text if found else run.cmd or ""
    tail = outcome.output.rstrip().splitlines()[-15:] or ["(no output)"]
    return (
        f"{where_list(found)}: the course tells learners to run\n"
        f"{textwrap.indent(text.strip(), '    ')}\n"
        f"It was run as: {outcome.ran}{f'  ({run.why})' if run.why else ''}\n"
        f"  in {outcome.cwd} ({outcome.note})\n"
        f"What happened: {'; '.join(problems)}.\n"
        f"Last lines of output:\n{textwrap.indent(chr(10).join(tail), '    ')}\n"
        "What to do: fix the command in the course (or the tool it calls) so that it works "
        f"as written, and its entry in {REGISTRY_FILE} if the expectation changed; if it "
        "cannot run offline, make the entry NotRunnable('why') instead.")


@pytest.fixture(scope="module")
def learner(tmp_path_factory: pytest.TempPathFactory) -> Learner:
    home = tmp_path_factory.mktemp("learner")
    shims = make_shims(home / "bin")
    parent = home / "machine"
    parent.mkdir()
    made = Learner(shims, parent, parent / "aisec-course")
    init = subprocess.run(["/bin/sh", "-c", "aisec init"], cwd=parent, env=made.env(),
                          capture_output=True, text=True, timeout=TIMEOUT,
                          stdin=subprocess.DEVNULL)
    assert init.returncode == 0, f"aisec init failed: {init.stdout}{init.stderr}"
    return made


# -- the tests -----------------------------------------------------------------------

PLACEHOLDER_RE = re.compile(r"\b(?:ID|DIR|NAME|MODEL|FILE)\b|<[^<>\s]+>")


def test_every_command_in_the_course_is_registered():
    missing = unregistered(course_commands())
    assert not missing, (
        f"{len(missing)} command(s) in the course are not in {REGISTRY_FILE}. Add each under "
        "its key, as Run(...) (how to run it offline; expect what the course promises) or "
        "NotRunnable('why it cannot run offline'):\n" + "\n".join(missing))


def test_every_registry_entry_is_still_in_the_course():
    gone = stale(course_commands())
    assert not gone, (f"{REGISTRY_FILE} has entries the course no longer contains; delete "
                      "them (or fix the key if the text only changed):\n" + "\n".join(gone))


def _runs(entry: Entry) -> tuple[Run, ...]:
    return entry if isinstance(entry, tuple) else (entry,) if isinstance(entry, Run) else ()


def test_registry_entries_say_how_or_why():
    problems: list[str] = []
    exercise_cwds = {f"exercise:{ex.id}" for ex in COURSE.exercises}
    for key, entry in REGISTRY.items():
        if isinstance(entry, NotRunnable):
            if len(entry.reason.split()) < 3:
                problems.append(f"{key!r}: say why it cannot run offline, in a few words")
            continue
        kinds = {item.kind for item in grouped().get(key, [])}
        for run in _runs(entry):
            if run.cwd not in {"workspace", "parent", "fresh", *exercise_cwds}:
                problems.append(f"{key!r}: unknown cwd {run.cwd!r}")
            if run.ollama not in {"none", "fake", "down"}:
                problems.append(f"{key!r}: ollama must be none, fake or down")
            if "shell" in kinds and PLACEHOLDER_RE.search(key) and run.cmd is None:
                problems.append(f"{key!r} has a placeholder: give cmd= with a real value")
            if kinds - {"shell"} and not run.name:
                problems.append(f"{key[:40]!r}...: a Python block needs a name= for its id")
    assert not problems, "\n".join(problems)


def _case_id(key: str, run: Run, index: int, count: int) -> str:
    flat = " ".join(key.split())
    name = run.name or (flat if len(flat) <= 70 else f"{flat[:48]}...{flat[-19:]}")
    return name if count == 1 or run.name else f"{name} #{index + 1}"


def _cases() -> Iterator[object]:
    for key, entry in REGISTRY.items():
        runs = _runs(entry)
        for index, run in enumerate(runs):
            marks = [pytest.mark.xfail(strict=True, reason=run.xfail)] if run.xfail else []
            yield pytest.param(key, run, id=_case_id(key, run, index, len(runs)), marks=marks)


@pytest.mark.skipif(sys.platform == "win32", reason="runs the commands in a POSIX shell")
@pytest.mark.parametrize(("key", "run"), list(_cases()))
def test_course_command_works_offline(key: str, run: Run, learner: Learner, tmp_path: Path):
    if run.needs and shutil.which(run.needs) is None:
        pytest.skip(f"{run.needs} is not installed on this machine")
    found = grouped().get(key)
    if not found:
        pytest.skip("no longer in the course (test_every_registry_entry_is_still_in_the_course)")
    outcome = run_command(found[0].text, found[0].kind, run, learner, tmp_path)
    problem = judge(found, run, outcome)
    assert problem is None, problem


# -- 4. the starters' examples -------------------------------------------------------


class _Checker(doctest.OutputChecker):
    """Compares what a learner reads: the docstring names an exception class without the
    module it lives in, which here is the solution loaded under a private name."""

    def __init__(self, module: str) -> None:
        self.prefix = module + "."

    def _strip(self, got: str) -> str:
        return got[len(self.prefix):] if got.startswith(self.prefix) else got

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        return super().check_output(want, self._strip(got), optionflags)

    def output_difference(self, example: doctest.Example, got: str, optionflags: int) -> str:
        return super().output_difference(example, self._strip(got), optionflags)


class _Runner(doctest.DocTestRunner):
    """Collects each failing example as a message instead of printing it."""

    def __init__(self, checker: _Checker, flags: int, rel: str, solution: str) -> None:
        super().__init__(checker=checker, optionflags=flags, verbose=False)
        self.rel, self.solution = rel, solution
        self.messages: list[str] = []

    def _say(self, test: doctest.DocTest, example: doctest.Example, what: str) -> None:
        line = (test.lineno or 0) + example.lineno + 1
        source = textwrap.indent(example.source.rstrip(), ">>> ").replace("\n>>> ", "\n... ")
        self.messages.append(
            f"{self.rel}:{line}: the example\n{textwrap.indent(source, '    ')}\n"
            f"run against {self.solution}: {what}")

    def report_failure(self, out, test, example, got):  # type: ignore[override]
        self._say(test, example, self._checker.output_difference(example, got,
                                                                  self.optionflags))

    def report_unexpected_exception(self, out, test, example, exc_info):  # type: ignore[override]
        exc = "".join(traceback.format_exception_only(*exc_info[:2])).strip()
        self._say(test, example, f"raised {exc}")


def starter_examples(path: Path, globs: dict[str, object]) -> list[doctest.DocTest]:
    """One DocTest per docstring (module, class, function) that has `>>>` examples."""
    parser = doctest.DocTestParser()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    tests = []
    for node, constant in _docstring_nodes(tree):
        if ">>>" not in constant.value:
            continue
        name = getattr(node, "name", path.stem)
        # lineno is 0-based and the docstring's text starts on the literal's first line
        tests.append(parser.get_doctest(constant.value, dict(globs), name, str(path),
                                        constant.lineno - 1))
    return tests


def _starter_imports(path: Path) -> dict[str, object]:
    """The starter's own imports: several exist only for its examples (`# noqa: F401`),
    and a learner's finished file keeps them, while the solution may not."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
               and not (isinstance(node, ast.ImportFrom) and node.module == "__future__")]
    namespace: dict[str, object] = {}
    exec(compile(ast.Module(body=imports, type_ignores=[]), str(path), "exec"), namespace)
    return namespace


def _load_solution(exercise: Exercise) -> tuple[str, dict[str, object]]:
    name = f"aisec_solution_{exercise.id}"
    spec = importlib.util.spec_from_file_location(name, COURSE.paths.solution(exercise.id))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickle look the module up by name
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    return name, dict(vars(module))


def run_examples(exercise: Exercise, setup: ExampleSetup | None) -> tuple[int, list[str]]:
    """Run a starter's examples against its solution: (how many ran, failure messages)."""
    starter = COURSE.paths.starter(exercise.file)
    module, namespace = _load_solution(exercise)
    globs = {**_starter_imports(starter), **namespace}
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | (setup.flags if setup else 0)
    runner = _Runner(_Checker(module), flags, starter.relative_to(ROOT).as_posix(),
                     f"solutions/{exercise.id}.py")
    skip = setup.skip if setup else {}
    fake: FakeOllama | None = None
    try:
        if setup is not None and setup.fake_script is not None:
            import ollama

            fake = FakeOllama(script=setup.fake_script).start()
            globs[setup.client_name] = ollama.Client(host=fake.url, timeout=10)
        ran = 0
        for test in starter_examples(starter, globs):
            test.examples = [ex for ex in test.examples if ex.source.strip() not in skip]
            ran += len(test.examples)
            runner.run(test, out=lambda _text: None, clear_globs=True)
        return ran, runner.messages
    finally:
        if fake is not None:
            fake.stop()


@pytest.mark.parametrize("exercise", COURSE.exercises, ids=lambda ex: ex.id)
def test_starter_examples_run_against_the_solution(exercise: Exercise, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch):
    for name in [k for k in os.environ if k.startswith("OLLAMA")]:
        monkeypatch.delenv(name)  # make_client's examples read OLLAMA_HOST
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # sign_manifest's mkdtemp()
    _ran, failures = run_examples(exercise, EXAMPLES.get(exercise.id))
    assert not failures, (
        "\n\n".join(failures) + "\n\nWhat to do: make the example show what the code really "
        "does (or fix the solution); if it cannot run offline, add its source to "
        f"EXAMPLES[{exercise.id!r}].skip in {REGISTRY_FILE} with the reason.")


def test_example_setups_name_real_exercises_and_examples():
    ids = {ex.id: ex for ex in COURSE.exercises}
    problems = [f"EXAMPLES[{key!r}]: no such exercise" for key in EXAMPLES if key not in ids]
    for key, setup in EXAMPLES.items():
        if key in ids and setup.skip:
            sources = {ex.source.strip() for test in starter_examples(
                COURSE.paths.starter(ids[key].file), {}) for ex in test.examples}
            problems += [f"EXAMPLES[{key!r}].skip: {src!r} is no longer an example"
                         for src in setup.skip if src not in sources]
    assert not problems, "\n".join(problems)


# -- the test of the test ------------------------------------------------------------


def test_an_unregistered_command_in_a_lesson_is_reported_with_its_line(tmp_path: Path):
    original = ROOT / "lessons" / "00-how-this-course-works.md"
    copy = tmp_path / "00-copy.md"
    text = original.read_text(encoding="utf-8")
    copy.write_text(text + "\n```bash\naisec frobnicate --now    # brand new\n```\n\n"
                    "Then run `pip install left-pad`.\n", encoding="utf-8")
    lines = copy.read_text(encoding="utf-8").split("\n")
    block, prose = lines.index("aisec frobnicate --now    # brand new") + 1, len(lines) - 1
    found = extract_file(copy, "lessons/00-copy.md")
    missing = unregistered(found)
    assert len(missing) == 2, missing
    assert missing[0].startswith(f"lessons/00-copy.md:{block} (lesson block): "
                                 "aisec frobnicate --now")
    assert missing[1].startswith(f"lessons/00-copy.md:{prose} (lesson prose): "
                                 "pip install left-pad")
    # and the lesson's own commands are all still found in the copy
    assert {f.key for f in found} >= {f.key for f in extract_file(original)}


def test_a_registry_entry_the_course_lost_is_reported():
    registry = {**REGISTRY, "aisec frobnicate": NotRunnable("an entry nobody needs")}
    assert stale(course_commands(), registry) == ["'aisec frobnicate'"]


def test_shell_blocks_prompts_continuations_and_comments(tmp_path: Path):
    lesson = tmp_path / "x.md"
    lesson.write_text(
        "```console\n$ aisec list\nlesson output, not a command\n"
        "$ python -c \"print(1)\" \\\n    --flag   # or: aisec list --json\n```\n"
        "```powershell\n$env:OLLAMA_HOST = \"127.0.0.1\"   # the client only\n"
        "Remove-Item Env:OLLAMA_HOST `\n  -ErrorAction SilentlyContinue\n```\n"
        "Prose: `ollama show --modelfile\nMODEL` and python -m inspect json:dumps prints it.\n",
        encoding="utf-8")
    got = [(f.line, f.key) for f in extract_file(lesson, "x.md")]
    assert got == [(2, "aisec list"), (4, "aisec list --json"),
                   (4, 'python -c "print(1)" --flag'), (8, '$env:OLLAMA_HOST = "127.0.0.1"'),
                   (9, "Remove-Item Env:OLLAMA_HOST -ErrorAction SilentlyContinue"),
                   (12, "ollama show --modelfile MODEL"),
                   (13, "python -m inspect json:dumps")]


@pytest.mark.skipif(sys.platform == "win32", reason="runs the commands in a POSIX shell")
def test_a_broken_command_fails_with_file_line_command_and_output(learner: Learner,
                                                                 tmp_path: Path):
    text = 'python -c "from olama import Client; print(Client.__name__)"'  # a typo of ollama
    found = [Found(normalise(text), text, "lessons/99-example.md", 7, "lesson block", "shell")]
    outcome = run_command(text, "shell", Run(), learner, tmp_path)
    message = judge(found, Run(), outcome)
    assert message is not None
    assert message.startswith("lessons/99-example.md:7: the course tells learners to run\n"
                              f"    {text}\n")
    assert "exit code 1, expected 0" in message
    assert "ModuleNotFoundError: No module named 'olama'" in message
    assert "What to do:" in message
    # the same command spelt right passes
    fixed = text.replace("olama", "ollama")
    assert judge(found, Run(), run_command(fixed, "shell", Run(), learner, tmp_path)) is None


@pytest.mark.skipif(sys.platform == "win32", reason="runs the commands in a POSIX shell")
def test_a_wrong_exit_code_or_missing_output_is_reported(learner: Learner, tmp_path: Path):
    found = [Found("aisec lesson ID", "aisec lesson ID", "lessons/99-x.md", 3, "lesson prose",
                   "shell")]
    run = Run(cmd="aisec lesson no-such-lesson", expect=("Your workspace",))
    message = judge(found, run, run_command("aisec lesson ID", "shell", run, learner, tmp_path))
    assert message is not None
    assert "exit code 2, expected 0" in message and "lacks 'Your workspace'" in message


@pytest.mark.skipif(sys.platform == "win32", reason="runs the commands in a POSIX shell")
def test_a_pycon_block_runs_as_a_doctest(learner: Learner, tmp_path: Path):
    found = [Found(">>> 1 + 1\n2", ">>> 1 + 1\n2", "lessons/99-x.md", 5, "lesson python",
                   "pycon")]
    run = Run(name="a pycon block")
    assert judge(found, run, run_command(">>> 1 + 1\n2", "pycon", run, learner, tmp_path)) is None
    (tmp_path / "wrong").mkdir()
    wrong = run_command(">>> 1 + 1\n3", "pycon", run, learner, tmp_path / "wrong")
    message = judge(found, run, wrong)
    assert message is not None and "exit code 1, expected 0" in message
    assert "Expected:\n        3\n    Got:\n        2" in message
