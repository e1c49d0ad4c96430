"""Finding one's way on the command line: names, numbers, paths, near misses, help
pages, rerunning the Quick start, and getting `aisec` onto the PATH."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

# -- rerunning the Quick start -------------------------------------------------

def test_init_on_its_own_workspace_changes_nothing_and_succeeds(ws, course_dir, aisec):
    (ws / "exercises/demo/adder.py").write_text("# mine\n")

    again = aisec("--course", course_dir, "init", "w", cwd=ws.parent)

    assert again.code == 0, again.err
    assert again.out == "w is already your workspace; nothing changed.\n"
    assert (ws / "exercises/demo/adder.py").read_text() == "# mine\n"
    inside = aisec("--course", course_dir, "init", ".", cwd=ws)
    assert inside.code == 0 and "nothing changed" in inside.out


def test_init_from_inside_a_workspace_makes_no_second_one_inside_it(ws, course_dir, aisec):
    """A learner who reruns the Quick start from inside aisec-course, or from one of
    its folders, gets their workspace back, not a new course nested in it."""
    for cwd in (ws, ws / "exercises"):
        again = aisec("--course", course_dir, "init", cwd=cwd)
        assert again.code == 0, again.err
        assert again.out == f"{ws.resolve()} is already your workspace; nothing changed.\n"
        assert not (cwd / "aisec-course").exists()
    nested = aisec("--course", course_dir, "init", "exercises/more", cwd=ws)
    assert nested.code == 2
    assert "would be a workspace inside your workspace" in nested.err
    assert not (ws / "exercises/more").exists()


def test_init_with_another_track_on_a_workspace_says_it_keeps_its_own(ws, course_dir, aisec):
    again = aisec("--course", course_dir, "init", "w", "--track", "quick", cwd=ws.parent)
    assert again.code == 0
    assert "It keeps the whole course" in again.out


def test_init_on_a_workspace_of_another_course_stays_an_error(ws, course_dir, aisec):
    config = ws / ".aisec/workspace.json"
    config.write_text(json.dumps({**json.loads(config.read_text()), "course_id": "other"}))

    again = aisec("--course", course_dir, "init", "w", cwd=ws.parent)

    assert again.code == 2
    assert "already an aisec workspace, of another course ('other')" in again.err


def test_quitting_the_tui_tells_how_to_put_aisec_on_the_path(ws, monkeypatch, capsys):
    from tutor.cli.main import main
    from tutor.tui.app import AisecApp

    monkeypatch.setattr(AisecApp, "run", lambda self, *a, **k: None)  # as if quit at once
    monkeypatch.setenv("PATH", "/nonexistent-bin")  # the learner's shell: no venv on it

    assert main(["--workspace", str(ws), "tui"]) == 0

    activate = Path(sys.executable).absolute().parent / "activate"
    assert activate.is_file(), "the tests run in a virtual environment"
    assert capsys.readouterr().out == f"To run aisec from any folder: source {activate}\n"


def test_no_path_tip_when_aisec_is_on_the_path(ws, monkeypatch, capsys, tmp_path):
    from tutor.cli.main import main
    from tutor.tui.app import AisecApp

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "aisec").write_text("#!/bin/sh\n")
    (bin_dir / "aisec").chmod(0o755)
    monkeypatch.setattr(AisecApp, "run", lambda self, *a, **k: None)
    monkeypatch.setenv("PATH", str(bin_dir))

    assert main(["--workspace", str(ws), "tui"]) == 0
    assert capsys.readouterr().out == ""


def test_without_an_activate_script_the_tip_names_the_aisec_script(tmp_path, monkeypatch):
    from tutor.cli.commands.tui import path_tip

    monkeypatch.setenv("PATH", "/nonexistent-bin")
    (tmp_path / "python").write_text("")
    (tmp_path / "aisec").write_text("")
    assert path_tip(str(tmp_path / "python")) == (
        f"aisec is not on your PATH; run it as {tmp_path / 'aisec'}")


# -- names, numbers and paths ----------------------------------------------------

def test_lesson_by_the_number_list_shows(ws, aisec):
    assert " 0. A demo lesson" in aisec("list", cwd=ws).out
    result = aisec("lesson", "0", cwd=ws)
    assert result.code == 0 and "Quiz 1: What is 1 + 1?" in result.out
    missing = aisec("lesson", "7", cwd=ws)
    assert missing.code == 2 and "'aisec list' numbers them 0 to 0" in missing.err


def test_part_of_a_lesson_name_suggests_it(ws, aisec):
    result = aisec("lesson", "demo", cwd=ws)
    assert result.code == 2
    assert "There is no lesson 'demo'. Did you mean 'demo-lesson'?" in result.err


@pytest.mark.parametrize("command", ["check", "hint", "reset"])
def test_an_exercise_by_its_file_relative_to_the_workspace(ws, aisec, command):
    result = aisec(command, "exercises/demo/adder.py", cwd=ws)
    assert result.code in (0, 1), result.err
    assert "greeter" not in result.out and "Traceback" not in result.err
    assert "adder" in aisec("check", cwd=ws).err, "it became the current exercise"


def test_an_exercise_by_its_file_relative_to_the_current_folder(ws, aisec):
    result = aisec("check", "adder.py", cwd=ws / "exercises/demo")
    assert result.code == 1 and "adder — Add two numbers" in result.out
    within_exercises = aisec("check", "demo/greeter.py", cwd=ws)
    assert "greeter — Greet someone" in within_exercises.out


def test_a_file_that_is_no_exercise_says_so(ws, aisec):
    result = aisec("check", "exercises/demo/nope.py", cwd=ws)
    assert result.code == 2
    assert "exercises/demo/nope.py is not an exercise file of this course" in result.err


def test_a_mistyped_command_suggests_the_right_one(tmp_path, aisec):
    result = aisec("chek", cwd=tmp_path)
    assert result.code == 2
    assert result.err == ("aisec: there is no command 'chek'. Did you mean 'check'? "
                          "'aisec --help' lists them all.\n")


def test_a_mistyped_choice_lists_the_choices(ws, aisec):
    result = aisec("report", "--format", "mdd", cwd=ws)
    assert result.code == 2
    assert "'mdd' is not a choice for --format. Did you mean 'md'?" in result.err
    assert "Choose from: json, csv, md." in result.err


# -- help pages --------------------------------------------------------------------

def test_init_help_lists_the_course_tracks(tmp_path, aisec):
    result = aisec("init", "--help", cwd=tmp_path)
    assert result.code == 0
    assert "tracks in the course:" in result.out and "intro-90" in result.out
    assert "changes nothing and succeeds" in result.out


def test_lesson_help_lists_lessons_with_their_numbers(tmp_path, aisec):
    result = aisec("lesson", "--help", cwd=tmp_path)
    assert result.code == 0
    assert "   0  how-this-course-works" in result.out
    assert "the number 'aisec list' shows" in result.out


@pytest.mark.parametrize("command", ["check", "watch", "hint", "solution", "reset"])
def test_exercise_commands_explain_the_id_and_what_happens_without_it(tmp_path, aisec,
                                                                      command):
    result = aisec(command, "--help", cwd=tmp_path)
    assert result.code == 0
    text = " ".join(result.out.split())
    assert "exercises/09_pii/luhn.py" in text and "Without ID" in text
