"""``aisec doctor [--json]``: Python, terminal, course and Ollama; a fix for what fails.

The checks and both renderings are :mod:`tutor.doctor`'s; its ``--json`` shape
already carries ``schema_version``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from tutor.cli.render import Result
from tutor.doctor import DoctorOptions, DoctorReport, render_text, run_doctor
from tutor.text.terminal import Style


@dataclass(frozen=True)
class Diagnosis(Result):
    report: DoctorReport

    @property
    def exit_code(self) -> int:
        return self.report.exit_code

    def to_json(self) -> dict[str, Any]:
        return self.report.to_json()

    def to_text(self, style: Style) -> str:
        return render_text(self.report, style) + "\n"


def run(args: argparse.Namespace) -> Diagnosis:
    return Diagnosis(run_doctor(DoctorOptions(
        require_ollama=args.require_ollama, allow_remote=args.allow_remote,
        course_dir=args.course)))
