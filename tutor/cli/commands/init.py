"""``aisec init [DIR] [--track NAME]``: create a workspace and say what to do next.

Run again on a folder that already is a workspace of the same course, it changes
nothing and succeeds, so that the Quick start's chain (``aisec init && cd
aisec-course && aisec``) can be rerun and still opens the course. A folder that is
a workspace of another course, or that holds files of the learner's, stays an error.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from tutor.cli.context import load_given_course
from tutor.cli.render import Result, lines, note
from tutor.course.loader import load_course
from tutor.course.model import Course, Exercise, Track
from tutor.errors import UsageError
from tutor.grader.preload import preload_names
from tutor.learner.course_index import course_index
from tutor.learner.git_repo import GitSetup, make_repository, require_git
from tutor.learner.manifest_cache import ManifestCache
from tutor.learner.paths import DEFAULT_WORKSPACE, STATE_DIR, WorkspacePaths, find_workspace
from tutor.learner.workspace import Workspace, read_config
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


@dataclass(frozen=True)
class AlreadyThere(Result):
    """The folder already is the learner's workspace of this course: nothing to do."""

    target: Path  # as the learner wrote it
    other_track: bool  # --track asked for a track the workspace does not have
    kept_track: str | None  # the workspace's track (None: the whole course)

    def to_text(self, style: Style) -> str:
        out = [f"{self.target} is already your workspace; nothing changed."]
        if self.other_track:
            kept = f"its track '{self.kept_track}'" if self.kept_track else "the whole course"
            out.append(f"It keeps {kept}; for another track, create a workspace in another "
                       "folder: 'aisec init DIR --track NAME'.")
        return lines(*out)


def _report_git(setup: GitSetup, target: Path) -> None:
    done = "Made it a git repository" if setup.initialised else "It is a git repository"
    ignore = (", with a .gitignore that keeps .aisec/ progress and solutions/ out"
              if setup.ignore_written else "; its .gitignore already keeps aisec's files out")
    note(f"{done}{ignore}. Commit your work with: cd {target} && git add -A && "
         "git commit -m 'Start the course'")


def existing_workspace(target: Path, course: Course, track: Track | None) -> AlreadyThere | None:
    """The note for a folder that already is a workspace of this course; None when
    there is no workspace there. A workspace of another course is a usage error."""
    paths = WorkspacePaths(target.resolve())
    if not paths.state.exists():
        return None
    config = read_config(paths)
    found = config.get("course_id")
    if found != course.id:
        which = f"of another course ('{found}')" if isinstance(found, str) else \
            "but not of this course"
        raise UsageError(f"{paths.root} is already an aisec workspace, {which}. cd into it "
                         "and run 'aisec', or choose another folder.")
    kept = config.get("track") if isinstance(config.get("track"), str) else None
    other = track is not None and track.id != kept
    return AlreadyThere(target, other, kept)


def _target(given: Path | None) -> Path:
    """Where the workspace goes. Inside a workspace, that workspace: rerunning the Quick
    start from in there must not make a second course inside the first."""
    if given is None:
        enclosing = find_workspace()
        return Path(DEFAULT_WORKSPACE) if enclosing is None else enclosing
    inside = find_workspace(given.resolve().parent)
    if inside is not None and not (given / STATE_DIR).is_dir():
        raise UsageError(f"{given} would be a workspace inside your workspace {inside}. "
                         "Choose a folder outside it, or cd into it and run 'aisec'.")
    return given


def run(args: argparse.Namespace) -> Created | AlreadyThere:
    course = load_given_course(args)
    track = course.track(args.track) if args.track else None
    target = _target(args.dir)
    git = require_git() if args.git else None  # before anything is created
    already = existing_workspace(target, course, track)
    if already is not None:
        if git is not None:
            _report_git(make_repository(target.resolve(), git), target)
        return already
    workspace = Workspace.create(target, course, custom_course=args.course is not None,
                                 track=track)
    if git is not None:
        _report_git(make_repository(workspace.root, git), target)
    # Work out the course index, the manifest's tree and what the warm grader imports
    # now, once, so that the first `aisec list`, TUI start and grading are quick too.
    course_index(course, workspace.paths.cache)
    load_course(course.root, ManifestCache(workspace.paths.cache))
    preload_names(course.paths.checks, workspace.paths.cache)
    exercises = workspace.track_exercises
    return Created(root=workspace.root, target=target, track=track,
                   track_exercises=len(exercises), course_exercises=len(course.exercises),
                   first_lesson=workspace.track_lessons[0].id,
                   first_exercise=exercises[0] if exercises else None)
