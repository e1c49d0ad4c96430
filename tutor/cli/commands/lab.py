"""``aisec lab ID [--live [--model M]]``: a defence lab's sample, then its two scores.

Without ``--live`` it prints the sample of the lab's corpora that the learner may
see (the shown attacks and ordinary requests) and grades the learner's defence
exactly like ``aisec check ID``, recording the attempt. With ``--live`` it runs
the same corpora against the learner's own local model through Ollama and prints
the two scores for comparison, marked as not graded: a live model varies, so
nothing is recorded.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from tutor.cli.choose import require_exercise
from tutor.cli.commands.check import Graded, check_one, result_json
from tutor.cli.context import open_workspace
from tutor.cli.remedies import WORDS
from tutor.cli.render import Result, lines, note
from tutor.course.model import Exercise
from tutor.errors import UsageError
from tutor.grader.result import GradeResult
from tutor.labs.corpus import Corpus, load_corpus
from tutor.labs.sample import case_heading, counts_line, describe_input, held_out
from tutor.learner.workspace import LiveModel, Workspace
from tutor.text.safe import safe_text
from tutor.text.terminal import Style, grade_report, wrap

LIVE_PROBE_S = 3.0


@dataclass(frozen=True)
class Sample(Result):
    """The shown cases of a lab, then its grading."""

    exercise: Exercise
    corpus: Corpus
    graded: Graded

    @property
    def exit_code(self) -> int:
        return self.graded.exit_code

    def to_json(self) -> dict[str, Any]:
        return {**self.graded.to_json(),
                "sample": [{"id": c.id, "kind": c.kind, "aim": c.aim, "harm": c.harm,
                            "input": c.input} for c in self.corpus.sample()],
                "held_out_attacks": held_out(self.corpus)}

    def to_text(self, style: Style) -> str:
        out = [style.bold(f"The sample of {self.exercise.id}'s corpora"),
               style.dim("  " + counts_line(self.corpus)), ""]
        for case in self.corpus.sample():
            out.append(wrap(safe_text(case_heading(case)), "  "))
            out.append(wrap(safe_text(describe_input(case.input)), "      "))
        return lines(*out, "", self.graded.to_text(style))


@dataclass(frozen=True)
class LiveRun(Result):
    """The lab against the learner's own model: scores for comparison, not graded."""

    exercise: Exercise
    display: str
    model: str
    host: str
    result: GradeResult

    def to_json(self) -> dict[str, Any]:
        return {"graded": False, "model": self.model, "host": self.host,
                **result_json(self.result)}

    def to_text(self, style: Style) -> str:
        heading = style.bold(f"Live run on {safe_text(self.model)} at {safe_text(self.host)}: "
                             "NOT GRADED, NOT RECORDED")
        why = style.dim("A live model answers differently from run to run; compare these "
                        "scores with the graded ones of 'aisec lab "
                        f"{self.exercise.id}'.")
        report = grade_report(self.result, self.exercise.title, self.display, style, WORDS)
        return lines(heading, why, "", report)


def _lab(workspace: Workspace, exercise_id: str | None) -> Exercise:
    ex = require_exercise(workspace, exercise_id, "lab").exercise
    if ex.lab is None:
        labs = ", ".join(e.id for e in workspace.course.exercises if e.lab is not None)
        raise UsageError(f"'{ex.id}' is an exercise, not a defence lab: 'aisec check "
                         f"{ex.id}' grades it. The labs are: {labs or 'none'}.")
    return ex


def _live_model(wanted: str | None, allow_remote: bool) -> LiveModel:
    """The learner's server and the model ``aisec ask`` would choose there (never a
    cloud or embedding model), or ``wanted`` if the server has it.

    Like ``aisec ask``, a server off this machine, or a cloud model, is refused
    before anything is sent unless ``allow_remote``: the lab's system prompts and
    corpora would leave the machine.
    """
    from tutor.ollama.assistant import choose_model, is_cloud
    from tutor.ollama.host import OllamaHostError, check_allowed, resolve_host
    from tutor.ollama.probe import get_json

    try:
        target = resolve_host()
    except OllamaHostError as exc:
        raise UsageError(f"{exc} 'aisec doctor' explains the setting.") from None
    check_allowed(target, allow_remote)
    if wanted is not None and is_cloud(wanted) and not allow_remote:
        raise UsageError(f"The model '{safe_text(wanted)}' runs on ollama.com, not on this "
                         "machine: the lab's prompts would be sent there. Nothing was sent. "
                         "Pick a local model, or pass --allow-remote if that is what you want.")
    tags = get_json(target, "/api/tags", LIVE_PROBE_S)
    if not tags.ok:
        raise UsageError(f"No Ollama server answered at {target.url}. Start it ('ollama "
                         "serve') or set OLLAMA_HOST; 'aisec doctor' checks the setup.")
    listed = tags.data.get("models") if isinstance(tags.data, dict) else None
    entries = [m for m in (listed if isinstance(listed, list) else []) if isinstance(m, dict)]
    names = [str(m.get("name")) for m in entries if isinstance(m.get("name"), str)]
    if wanted is not None and wanted not in names and f"{wanted}:latest" not in names:
        raise UsageError(f"The Ollama server at {target.url} has no model '{wanted}'. "
                         f"Installed: {', '.join(names) or 'none'}.")
    model = choose_model(entries, wanted)
    if model is None:
        raise UsageError(f"The Ollama server at {target.url} has no chat model. Pull one, "
                         "e.g. 'ollama pull llama3.2:1b', then run this again.")
    return LiveModel(target.connect_url, model)


def run(args: argparse.Namespace) -> Result:
    workspace = open_workspace(args)
    ex = _lab(workspace, args.id)
    if (args.model or args.allow_remote) and not args.live:
        raise UsageError("--model and --allow-remote are for a live run: add --live.")
    if args.live:
        live = _live_model(args.model, args.allow_remote)
        note(f"Replaying {ex.id}'s corpora on {live.model}; a real model takes a while...")
        grading = workspace.grade(ex, live=live)
        return LiveRun(ex, workspace.display(ex), live.model, live.host, grading.result)
    corpus = load_corpus(workspace.course.paths.lab_corpus(ex.id))
    return Sample(ex, corpus, check_one(workspace, ex))
