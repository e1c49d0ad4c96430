"""``aisec init [DIR] [--track NAME]``: create a workspace and say what to do next."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from tutor.cli.context import load_given_course
from tutor.cli.render import Result, lines
from tutor.course.model import Exercise, Track
from tutor.learner.paths import DEFAULT_WORKSPACE
from tutor.learner.workspace import Workspace
from tutor.text.terminal import Style, plural


@dataclass(frozen=True)
class Created(Result):
    root: Path
    target: Path  # as the learner wrote it, for the 'cd' line
    track: Track | None
    track_exercises: int
    course_exercises: int
    first_lesson: str
    first_exercise: Exercise | None

    def to_text(self, style: Style) -> str:
        out = [style.green(f"Created your workspace in {self.root}")]
        if self.track is not None:
            out += [f"  Track: {self.track.title} ({self.track.minutes} min): "
                    f"{plural(len(self.track.lessons), 'lesson')}, "
                    f"{plural(self.track_exercises, 'exercise')}.",
                    "  The rest of the course is there too: 'aisec list --all'."]
        out += [f"  {plural(self.course_exercises, 'exercise')} in exercises/, progress in "
                ".aisec/\n",
                "Next:",
                f"  cd {self.target}",
                "  aisec list                  see the lessons and exercises",
                f"  aisec lesson {self.first_lesson}"]
        first = self.first_exercise
        if first is not None:
            out.append(f"  aisec check {first.id:<15} grade exercises/{first.file}")
        return lines(*out)


def run(args: argparse.Namespace) -> Created:
    course = load_given_course(args)
    track = course.track(args.track) if args.track else None
    target = args.dir if args.dir is not None else Path(DEFAULT_WORKSPACE)
    workspace = Workspace.create(target, course, custom_course=args.course is not None,
                                 track=track)
    exercises = workspace.track_exercises
    return Created(root=workspace.root, target=target, track=track,
                   track_exercises=len(exercises), course_exercises=len(course.exercises),
                   first_lesson=workspace.track_lessons[0].id,
                   first_exercise=exercises[0] if exercises else None)
