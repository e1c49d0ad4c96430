"""What each ``aisec`` command does. Parsing and error handling live in :mod:`tutor.cli.main`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tutor.course.layout import default_course_dir
from tutor.course.model import Course, Exercise, load_course
from tutor.errors import ContentError, UsageError
from tutor.grader.checks import list_checks
from tutor.grader.result import GradeResult
from tutor.learner.paths import DEFAULT_WORKSPACE, find_workspace
from tutor.learner.workspace import Workspace
from tutor.text.terminal import Style, grade_report, plural, wrap


def _workspace(args: argparse.Namespace) -> Workspace:
    workspace = Workspace.open(args.workspace, args.course)
    _flush_warnings(workspace)
    return workspace


def _flush_warnings(workspace: Workspace) -> None:
    from tutor.text.safe import safe_text

    workspace.progress.load()
    for warning in workspace.progress.warnings:
        print(f"warning: {safe_text(warning)}", file=sys.stderr)
    workspace.progress.warnings.clear()


def _course_and_workspace(args: argparse.Namespace) -> tuple[Course, Workspace | None]:
    """The course, and the workspace if there is one (list and lesson work without)."""
    if args.workspace is not None or find_workspace() is not None:
        workspace = _workspace(args)
        return workspace.course, workspace
    return load_course(args.course or default_course_dir()), None


def _print_json(data: Any) -> None:
    from tutor.text.safe import json_for_terminal

    print(json_for_terminal(data))


def _hidden_checks(course: Course, ex: Exercise) -> int:
    try:
        return sum(not c.optional for c in list_checks(course.paths.check_file(ex.id)))
    except ContentError:
        return 0


# -- init ------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    course = load_course(args.course or default_course_dir())
    track = course.track(args.track) if args.track else None
    target = args.dir if args.dir is not None else Path(DEFAULT_WORKSPACE)
    workspace = Workspace.create(target, course, custom_course=args.course is not None,
                                 track=track)
    style = Style()
    exercises = workspace.track_exercises
    first = exercises[0] if exercises else None
    print(style.green(f"Created your workspace in {workspace.root}"))
    if track is not None:
        print(f"  Track: {track.title} ({track.minutes} min): "
              f"{plural(len(track.lessons), 'lesson')}, {plural(len(exercises), 'exercise')}.")
        print("  The rest of the course is there too: 'aisec list --all'.")
    print(f"  {plural(len(course.exercises), 'exercise')} in exercises/, progress in .aisec/\n")
    print("Next:")
    print(f"  cd {target}")
    print("  aisec list                  see the lessons and exercises")
    print(f"  aisec lesson {workspace.track_lessons[0].id}")
    if first:
        print(f"  aisec check {first.id:<15} grade exercises/{first.file}")
    return 0


# -- overview / list -----------------------------------------------------------


def cmd_overview(args: argparse.Namespace) -> int:
    """Bare `aisec`: the full-screen course; a plain overview when not on a terminal."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return _start_tui(args)
    if args.workspace is None and find_workspace() is None:
        from tutor.cli.main import build_parser

        build_parser().print_help()
        print(f"\nNo workspace here yet: run 'aisec init' to create ./{DEFAULT_WORKSPACE}.")
        return 0
    code = cmd_list(argparse.Namespace(**{**vars(args), "json": False, "all": False}))
    workspace = _workspace(args)
    current = workspace.current_exercise()
    if current is not None:
        print(f"\nNext up: {current.title}\n  edit exercises/{current.file}, then "
              f"'aisec check {current.id}' (or 'aisec watch').")
    return code


def cmd_tui(args: argparse.Namespace) -> int:
    return _start_tui(args)


def cmd_serve(args: argparse.Namespace) -> int:
    import shlex
    import subprocess

    from tutor.ollama.host import is_loopback

    try:
        from tutor.tui.serve import serve
    except ImportError:
        raise UsageError("Browser mode needs the 'serve' extra: pip install "
                         "'aisec-tutor[serve]' (or pip install textual-serve).") from None
    if not 0 < args.port < 65536:
        raise UsageError("--port must be between 1 and 65535.")
    if not 1 <= args.max_sessions <= 50:
        raise UsageError("--max-sessions must be between 1 and 50.")
    if not is_loopback(args.host):
        if not args.allow_network:
            raise UsageError(
                f"Serving on {args.host} would let anyone who can reach this machine open the "
                "course, and every session runs Python code (the learner's exercises) here. "
                "Keep the default 127.0.0.1 (a name with a trailing dot, or any name but "
                "'localhost', counts as the network), or pass --allow-network if this machine "
                "is a disposable VM or container for one learner.")
        print(f"warning: serving on {args.host}: anyone who can reach port {args.port} and "
              "learns the address with its token can run code on this machine through the "
              "exercises. Use this only in an isolated VM or container.", file=sys.stderr)
    command = [sys.executable, "-m", "tutor"]
    if args.course is not None:
        command += ["--course", str(args.course.resolve())]
    workspace = args.workspace or find_workspace()
    if workspace is not None:  # each browser session starts in the same workspace
        command += ["--workspace", str(Path(workspace).resolve())]
    command.append("tui")
    line = (subprocess.list2cmdline(command) if sys.platform == "win32"
            else shlex.join(command))
    serve(line, args.host, args.port, max_sessions=args.max_sessions)
    return 0


def _start_tui(args: argparse.Namespace) -> int:
    from tutor.tui.app import AisecApp

    if args.workspace is not None or find_workspace() is not None:
        workspace: Workspace | None = _workspace(args)
        course = workspace.course
    else:
        workspace, course = None, load_course(args.course or default_course_dir())
    AisecApp(course, workspace).run()
    return 0


def list_data(course: Course, workspace: Workspace | None) -> dict[str, Any]:
    """The `list --json` contract: lessons in order, each with its exercises."""
    from tutor.course.lessons import load_lesson

    data = workspace.progress.load() if workspace else None
    track = workspace.track if workspace else None
    lessons = []
    for entry in course.lessons:
        lesson = load_lesson(course.root / entry.file, entry.id)
        exercises = [{
            "id": ex.id,
            "title": ex.title,
            "file": f"exercises/{ex.file}",
            "minutes": ex.minutes,
            "status": workspace.status(ex, data).state if workspace else "pending",
            "hidden_checks": _hidden_checks(course, ex),
            "tags": list(ex.tags),
            "in_track": workspace.in_track(ex) if workspace else True,
        } for ex in entry.exercises]
        lessons.append({"id": entry.id, "title": lesson.title, "minutes": lesson.minutes,
                        "quizzes": len(lesson.quizzes), "exercises": exercises,
                        "in_track": workspace.lesson_in_track(entry.id) if workspace else True})
    return {"course": course.id, "title": course.title,
            "workspace": str(workspace.root) if workspace else None,
            "track": ({"id": track.id, "title": track.title, "minutes": track.minutes}
                      if track else None),
            "tracks": [{"id": t.id, "title": t.title, "minutes": t.minutes}
                       for t in course.tracks],
            "lessons": lessons}


def cmd_list(args: argparse.Namespace) -> int:
    course, workspace = _course_and_workspace(args)
    data = list_data(course, workspace)
    if args.json:
        _print_json(data)
        return 0
    style = Style()
    print(style.bold(course.title))
    if workspace is None:
        print(style.dim(f"(no workspace: run 'aisec init' to start; ./{DEFAULT_WORKSPACE})"))
    if data["track"]:
        print(style.dim(f"Track: {data['track']['title']} ({data['track']['minutes']} min)"))
    hidden = 0
    for number, lesson in enumerate(data["lessons"]):
        if not lesson["in_track"] and not getattr(args, "all", False):
            hidden += 1
            continue
        print(f"\n{number:>2}. {style.bold(lesson['title'])}  "
              + style.dim(f"[{lesson['id']}, {lesson['minutes']} min]"))
        for ex in lesson["exercises"]:
            if not ex["in_track"] and not getattr(args, "all", False):
                continue
            state = style.state(ex["status"])
            print(f"      {ex['id']:<22} {state:<9} {ex['title']}  "
                  + style.dim(f"(~{ex['minutes']} min, {ex['hidden_checks']} checks)"))
    if hidden:
        print(style.dim(f"\n{plural(hidden, 'more lesson')} outside your track: "
                        "'aisec list --all' shows them; any of them opens by its id."))
    return 0


# -- lesson -------------------------------------------------------------------


def cmd_lesson(args: argparse.Namespace) -> int:
    from tutor.course.lessons import load_lesson
    from tutor.course.plaintext import lesson_to_text

    course, workspace = _course_and_workspace(args)
    entry = course.lesson(args.id)
    lesson = load_lesson(course.root / entry.file, entry.id)
    text = lesson_to_text(lesson)
    if entry.exercises:
        text += "\nExercises for this lesson:\n" + "".join(
            f"  - {ex.id}: {ex.title} (exercises/{ex.file})\n" for ex in entry.exercises
        )
    sys.stdout.write(text)
    if workspace is not None:
        workspace.record_lesson(entry.id, opened=True)
    return 0


# -- check --------------------------------------------------------------------


def _pick(workspace: Workspace, exercise_id: str | None) -> Exercise:
    if exercise_id:
        return workspace.course.exercise(exercise_id)
    current = workspace.current_exercise()
    if current is None:
        raise UsageError("Every exercise has passed — well done! Name one to check it again.")
    return current


def cmd_check(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    if args.all and args.id:
        raise UsageError("Give an exercise id or --all, not both.")
    exercises = workspace.track_exercises if args.all else [_pick(workspace, args.id)]
    style = Style()
    results: list[GradeResult] = []
    for ex in exercises:
        result = workspace.check(ex)
        results.append(result)
        if args.json:
            continue
        if args.all:
            passed, total = result.counts()
            print(f"{style.mark('passed' if result.passed else 'failed')} {ex.id:<22} "
                  f"{passed}/{total} checks" + (f"  ({result.status})" if result.status
                                                in ("error", "timeout") else ""))
        else:
            print(grade_report(result, ex.title, workspace.display(ex), style))
            _after_check(workspace, ex, result, style)
    all_passed = all(r.passed for r in results)
    if args.json:
        if args.all:
            _print_json({"exercises": [r.to_json() for r in results],
                         "passed": sum(r.passed for r in results), "total": len(results)})
        else:
            _print_json(results[0].to_json())
    elif args.all:
        print(f"\n{sum(r.passed for r in results)} of {len(results)} exercises pass.")
    return 0 if all_passed else 1


def _after_check(workspace: Workspace, ex: Exercise, result: GradeResult, style: Style) -> None:
    if result.passed:
        if workspace.paths.solution(ex.file).is_file():
            print(f"The reference solution is now in {workspace.solution_display(ex)}: "
                  "compare it with yours.")
        else:  # the copy was refused (the result's message says why)
            print(f"'aisec solution {ex.id}' shows the reference solution: compare it with "
                  "yours.")
        following = workspace.next_exercise(ex)
        if following is not None:
            print(f"Next: {following.title} — 'aisec check {following.id}' "
                  f"(exercises/{following.file})")
        else:
            print(style.green("That was the last one: you have finished every exercise!"))
        return
    status = workspace.status(ex)
    if status.hints_revealed < len(ex.hints):
        print(f"Stuck? 'aisec hint {ex.id}' reveals hint {status.hints_revealed + 1} of "
              f"{len(ex.hints)}.")


# -- watch --------------------------------------------------------------------


def cmd_watch(args: argparse.Namespace) -> int:
    from tutor.learner.watch import watch

    workspace = _workspace(args)
    if args.interval <= 0:
        raise UsageError("--interval must be a positive number of seconds.")
    exercise = workspace.course.exercise(args.id) if args.id else None
    return watch(workspace, exercise, interval=args.interval)


# -- hint, solution, reset -------------------------------------------------------


def cmd_hint(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    ex = workspace.course.exercise(args.id)
    count, new = workspace.reveal_hint(ex)
    style = Style()
    for number, hint in enumerate(ex.hints[:count], 1):
        label = f"Hint {number} of {len(ex.hints)}"
        print(style.bold(label) if number == count and new else style.dim(label))
        print(wrap(hint, "  "))
    if not new:
        print(style.dim(f"\nThat was the last hint. Still stuck? 'aisec solution {ex.id} --force' "
                        "shows the reference solution (recorded in your progress)."))
    return 0


def cmd_solution(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    ex = workspace.course.exercise(args.id)
    path = workspace.view_solution(ex, force=args.force)
    sys.stdout.write(path.read_text(encoding="utf-8"))
    print(Style(sys.stderr).dim(f"\n(saved in {workspace.solution_display(ex)})"), file=sys.stderr)
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    ex = workspace.course.exercise(args.id)
    was_link = workspace.exercise_path(ex).is_symlink()
    backup = workspace.reset(ex)
    print(f"Restored the starter of {workspace.display(ex)}.")
    if backup is not None and was_link:
        print(f"It was a symbolic link; where it pointed is recorded in "
              f"{workspace.paths.display(backup)}, and the file it pointed to was not touched.")
    elif backup is not None:
        print(f"Your previous version is saved in {workspace.paths.display(backup)}.")
    return 0


# -- progress -------------------------------------------------------------------


def progress_data(workspace: Workspace) -> dict[str, Any]:
    data = workspace.progress.load()
    exercises = []
    for ex in workspace.course.exercises:
        record = data["exercises"].get(ex.id, {})
        status = workspace.status(ex, data)
        exercises.append({
            "id": ex.id, "lesson": ex.lesson_id, "status": status.state,
            "attempts": status.attempts, "hints_revealed": status.hints_revealed,
            "hints_total": len(ex.hints), "solution_viewed": status.solution_viewed,
            "first_passed_at": record.get("first_passed_at"),
            "attempts_to_pass": record.get("attempts_to_pass"),
            "in_track": workspace.in_track(ex),
        })
    lessons = []
    for entry in workspace.course.lessons:
        record = data["lessons"].get(entry.id, {})
        quiz = record.get("quiz", {}) if isinstance(record, dict) else {}
        lessons.append({
            "id": entry.id, "opened": bool(record.get("opened_at")),
            "finished": bool(record.get("finished_at")),
            "quiz_answered": len(quiz),
            "quiz_correct_first_try": sum(bool(a.get("first_correct")) for a in quiz.values()
                                          if isinstance(a, dict)),
            "exercises_passed": sum(e["status"] == "passed" for e in exercises
                                    if e["lesson"] == entry.id),
            "exercises_total": len(entry.exercises),
        })
    passed = sum(e["status"] == "passed" for e in exercises)
    return {"schema_version": data["schema_version"], "course": workspace.course.id,
            "passed": passed, "total": len(exercises), "lessons": lessons,
            "exercises": exercises}


def cmd_progress(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    data = progress_data(workspace)
    if args.json:
        _print_json(data)
        return 0
    style = Style()
    track = workspace.track
    if track is not None and not args.all:
        done = sum(e["status"] == "passed" for e in data["exercises"] if e["in_track"])
        total = sum(e["in_track"] for e in data["exercises"])
        print(style.bold(f"{done} of {plural(total, 'exercise')} done in the track "
                         f"'{track.title}'") + style.dim(f" ({data['passed']} of "
                                                         f"{data['total']} in the course)"))
    else:
        print(style.bold(f"{data['passed']} of {plural(data['total'], 'exercise')} done"))
    for lesson in data["lessons"]:
        if not (args.all or workspace.lesson_in_track(lesson["id"])):
            continue
        shown = [e for e in data["exercises"] if e["lesson"] == lesson["id"]
                 and (args.all or e["in_track"])]
        passed = sum(e["status"] == "passed" for e in shown)
        print(f"\n{lesson['id']}: {passed}/{len(shown)} exercises"
              + (", read" if lesson["opened"] else ""))
        for ex in shown:
            extra = [plural(ex["attempts"], "attempt"),
                     f"{ex['hints_revealed']}/{ex['hints_total']} hints"]
            if ex["solution_viewed"]:
                extra.append("solution viewed")
            print(f"  {ex['id']:<22} {style.state(ex['status']):<9} " + style.dim(", ".join(extra)))
    return 0


# -- verify-course -----------------------------------------------------------------


def cmd_verify_course(args: argparse.Namespace) -> int:
    from tutor.course.verify import verify_course

    return verify_course(args.course or default_course_dir())


# -- doctor -----------------------------------------------------------------------


def cmd_doctor(args: argparse.Namespace) -> int:
    from tutor.doctor import DoctorOptions, render_text, run_doctor

    report = run_doctor(DoctorOptions(require_ollama=args.require_ollama,
                                      allow_remote=args.allow_remote, course_dir=args.course))
    if args.json:
        _print_json(report.to_json())
    else:
        print(render_text(report, Style()))
    return report.exit_code


# -- ask --------------------------------------------------------------------------


def cmd_ask(args: argparse.Namespace) -> int:
    from tutor.ollama import assistant
    from tutor.ollama.host import check_allowed, resolve_host

    check_allowed(resolve_host(), args.allow_remote)  # before even opening the workspace
    course, workspace = _course_and_workspace(args)
    session = assistant.open_session(
        course, workspace, args.question, lesson_id=args.lesson, exercise_id=args.exercise,
        include_code=args.include_code, model=args.model, allow_remote=args.allow_remote,
        timeout=args.timeout)
    print(Style(sys.stderr).dim(session.describe()), file=sys.stderr)
    ended_with_newline = True
    try:
        for piece in session.stream():
            sys.stdout.write(piece)  # plain text: never interpreted as markup
            sys.stdout.flush()
            ended_with_newline = piece.endswith("\n")
    finally:
        if not ended_with_newline:
            sys.stdout.write("\n")
            sys.stdout.flush()
    return 0


# -- workshop: learner report, class summary -------------------------------------------


def _emit(text: str, output: Path | None, what: str) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from tutor.text.safe import safe_line

    output.write_text(text, encoding="utf-8")
    print(f"Wrote {what} to {safe_line(str(output))}.", file=sys.stderr)


def cmd_report(args: argparse.Namespace) -> int:
    from tutor.workshop.report import build_report, render

    workspace = _workspace(args)
    report = build_report(workspace, name=args.name)
    _emit(render(report, args.format), args.output, "your progress report")
    if args.output is not None:
        print("It holds your progress, quiz scores and the name you gave — no code, no file "
              "contents, no paths. Hand it to your facilitator.", file=sys.stderr)
    return 0


def cmd_class_summary(args: argparse.Namespace) -> int:
    from tutor.text.safe import safe_line
    from tutor.workshop.class_summary import load_reports, render, summarise

    loaded = load_reports(list(args.reports))
    for file, why in loaded.skipped:  # file names are the learners': shown, never obeyed
        print(f"skipped {safe_line(file)}: {safe_line(why)}", file=sys.stderr)
    for file, why in loaded.dropped:
        print(f"warning: {safe_line(file)}: {safe_line(why)}. The rest of it is used; ask "
              "the learner for a fresh 'aisec report' if those entries matter.", file=sys.stderr)
    if not loaded.reports:
        raise UsageError("No valid learner reports among the files given. Learners make "
                         "them with 'aisec report -o NAME.json'.")
    _emit(render(summarise(loaded), args.format), args.output, "the class summary")
    return 0
