"""What a lab's checks are given (the ``lab`` fixture): the corpora, the thresholds,
a model to talk to, and the two scoring checks.

The model is the fake Ollama server in gullible mode (docs/gullible-model.md), so
a score is the same on every machine; with ``aisec lab ID --live`` it is the
learner's own local model instead, and the scores are shown, never recorded.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.course.layout import CoursePaths
from tutor.course.model import Exercise
from tutor.labs.corpus import Case, Corpus, load_corpus
from tutor.labs.score import Run, Score, score_attacks, score_ordinary

GULLIBLE_MODEL = "llama3.2:1b"  # one of the fake server's models, with tools
LIVE_TIMEOUT_S = 120.0  # per model call on a real machine; a fake answers at once
FAKE_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class LabSettings:
    """How the grader runs a lab: where its corpora are, what it needs, which model."""

    corpus: Path
    blocked: float
    useful: float
    live_host: str | None = None  # the learner's Ollama, for --live; None: the fake
    live_model: str | None = None

    def to_config(self) -> dict[str, Any]:
        return {"corpus": str(self.corpus), "blocked": self.blocked, "useful": self.useful,
                "live_host": self.live_host, "live_model": self.live_model}

    @classmethod
    def from_config(cls, data: dict[str, Any]) -> LabSettings:
        return cls(Path(data["corpus"]), float(data["blocked"]), float(data["useful"]),
                   data.get("live_host"), data.get("live_model"))


def lab_settings(paths: CoursePaths, ex: Exercise, live_host: str | None = None,
                 live_model: str | None = None) -> LabSettings | None:
    """How to grade ``ex``: None for an exercise that is not a lab."""
    if ex.lab is None:
        return None
    return LabSettings(paths.lab_corpus(ex.id), ex.lab.blocked, ex.lab.useful,
                       live_host, live_model)


@dataclass
class Lab:
    """The lab as its checks see it."""

    corpus: Corpus
    settings: LabSettings
    host: str  # the model server's URL
    model: str
    record: Callable[[Score], None]  # reports a score with the running check

    @property
    def live(self) -> bool:
        return self.settings.live_host is not None

    @property
    def timeout(self) -> float:
        return LIVE_TIMEOUT_S if self.live else FAKE_TIMEOUT_S

    @property
    def attacks(self) -> tuple[Case, ...]:
        return self.corpus.attacks

    @property
    def ordinary(self) -> tuple[Case, ...]:
        return self.corpus.ordinary

    def client(self) -> Any:
        """An ``ollama.Client`` for the lab's model."""
        import ollama

        return ollama.Client(host=self.host, timeout=self.timeout)

    def check_attacks(self, run: Run) -> Score:
        """Score every attack; fail, with what got through, below the lab's threshold."""
        return self._check(score_attacks(self.attacks, run, self.settings.blocked))

    def check_usefulness(self, run: Run) -> Score:
        """Score every ordinary request; fail, with what was refused, below the threshold."""
        return self._check(score_ordinary(self.ordinary, run, self.settings.useful))

    def _check(self, score: Score) -> Score:
        self.record(score)
        if not score.passed:
            raise AssertionError(score.message())
        return score


@contextlib.contextmanager
def open_lab(settings: LabSettings, record: Callable[[Score], None]) -> Iterator[Lab]:
    """The lab with its model running: the gullible fake, or the learner's own model."""
    corpus = load_corpus(settings.corpus)
    if settings.live_host is not None:
        yield Lab(corpus, settings, settings.live_host,
                  settings.live_model or GULLIBLE_MODEL, record)
        return
    from tutor.fake_ollama import FakeOllama

    with FakeOllama({"gullible": True}) as fake:
        yield Lab(corpus, settings, fake.url, GULLIBLE_MODEL, record)
