"""A defence lab in the app: its sample under the instructions, both scores as rows
above the checks, and its last scores in the progress screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from tests.pilot import run, wait_until
from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course
from tutor.learner.workspace import Workspace
from tutor.tui.app import AisecApp, _jump_help, _jump_text
from tutor.tui.screens.exercise import ExerciseScreen
from tutor.tui.screens.progress import ProgressScreen

LAB = "retrieval_guard"
NAIVE = (Path(__file__).parents[1] / "course" / "naive_defences" / LAB
         / "output_layer_only.py")


def _home_row_mentions(app: AisecApp, lesson_id: str, words: str) -> bool:
    """Whether home's row of the lesson says ``words`` (home is on top)."""
    row = getattr(app.screen, "_lesson_row", None)
    return row is not None and words in row(lesson_id, app.workspace.state()).plain


def text_of(widget: Static) -> str:
    return str(widget.render())


def test_a_lab_shows_its_sample_its_scores_and_records_them(tmp_path):
    course = load_course(default_course_dir())
    workspace = Workspace.create(tmp_path / "ws", course, custom_course=False)
    ex = course.exercise(LAB)
    workspace.exercise_path(ex).write_text(NAIVE.read_text())

    async def scenario():
        app = AisecApp(course, workspace, watch_files=False)
        async with app.run_test(size=(100, 40)) as pilot:
            app.open_exercise(LAB)
            await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen)
                             and app.screen.last_result is not None, timeout=60)
            screen = app.screen
            instructions = text_of(screen.query_one(".instructions", Static))
            assert "4 attacks shown, 12 more held out; 5 ordinary requests shown." in (
                instructions)
            assert "comment-image-exfil (attack, exfiltration)" in instructions
            assert "tag-smuggled-image" not in instructions, "a held-out case was shown"
            await pilot.press("r")  # asked for: an attempt, recorded
            await wait_until(pilot, lambda: workspace.state().exercise(LAB).lab is not None,
                             timeout=60)
            await wait_until(pilot, lambda: bool(screen.query(".scores")))
            scores = text_of(screen.query_one(".scores", Static))
            assert "Attacks blocked" in scores and "8/16" in scores and "needs 90%" in scores
            assert "Usefulness kept" in scores and "11/12" in scores
            app.action_show_progress()
            await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen)
                             and bool(app.screen.query(DataTable))
                             and app.screen.query_one(DataTable).row_count > 0)
            table = app.screen.query_one(DataTable)
            columns = [str(column.label) for column in table.columns.values()]
            row = dict(zip(columns, (str(cell) for cell in table.get_row(LAB)), strict=True))
            assert (row["Blocked"], row["Useful"]) == ("8/16", "11/12"), row
            # The palette names it a lab and shows its last scores.
            assert _jump_text(ex) == ex.title and ex.title.startswith("Lab: ")
            assert _jump_help(ex, workspace.state().exercise(LAB).lab).endswith(
                "· blocked 8/16 · useful 11/12")
            # Home counts a lesson of labs in labs.
            labs = f"0/{len(course.lesson(ex.lesson_id).exercises)} labs"
            while len(app.screen_stack) > 1:
                app.pop_screen()
            await wait_until(pilot, lambda: _home_row_mentions(app, ex.lesson_id, labs))

    run(scenario)
