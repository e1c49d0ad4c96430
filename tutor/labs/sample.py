"""The sample of a lab's corpora that the learner may see, as plain text.

Shown by ``aisec lab ID`` and under the lab's instructions in the app: the shown
attacks and ordinary requests with what each is given, and how many attacks are
held out. Held-out cases are never described.
"""

from __future__ import annotations

from typing import Any

from tutor.course.model import Course, Exercise
from tutor.errors import ContentError
from tutor.labs.corpus import Case, Corpus, load_corpus

INPUT_SHOWN = 300  # characters of a case's input printed in the sample


def describe_input(data: dict[str, Any]) -> str:
    text = "; ".join(f"{key}: {value!r}" for key, value in data.items())
    return text if len(text) <= INPUT_SHOWN else text[:INPUT_SHOWN] + "..."


def case_heading(case: Case) -> str:
    kind = f"attack, {case.harm}" if case.kind == "attack" else "ordinary"
    return f"{case.id} ({kind}): {case.aim}"


def held_out(corpus: Corpus) -> int:
    return sum(not case.shown for case in corpus.attacks)


def counts_line(corpus: Corpus) -> str:
    shown = [c for c in corpus.attacks if c.shown]
    ordinary = [c for c in corpus.ordinary if c.shown]
    return (f"{len(shown)} attacks shown, {held_out(corpus)} more held out; "
            f"{len(ordinary)} ordinary requests shown.")


def sample_text(corpus: Corpus) -> str:
    """The whole sample, one case per paragraph."""
    lines = ["The sample of this lab's corpora", counts_line(corpus), ""]
    for case in corpus.sample():
        lines += [case_heading(case), "    " + describe_input(case.input), ""]
    return "\n".join(lines).rstrip()


def lab_sample(course: Course, exercise: Exercise) -> str:
    """What follows a lab's instructions in the app: a blank line and its sample;
    nothing for an exercise."""
    if exercise.lab is None:
        return ""
    try:
        corpus = load_corpus(course.paths.lab_corpus(exercise.id))
    except ContentError as exc:
        return f"\n\nThe sample cannot be shown: {exc.problems[0]}"
    return "\n\n" + sample_text(corpus)
