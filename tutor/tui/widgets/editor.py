"""The in-app editor of an exercise file, which never loses a learner's code.

- A file it cannot represent exactly (not UTF-8, unreadable, a folder, missing)
  is shown read-only with a note that says why and how to fix it, and a save
  never writes over it. We refuse rather than keep the undecodable bytes
  somehow: a learner cannot see or edit such bytes here anyway, and the grader
  could not import the file until it is UTF-8 (see tutor.learner.files).
- A save compares the file on disk with what the editor loaded or last saved.
  If another editor changed it meanwhile, every such save asks: reload from
  disk (the edits here are backed up first), keep both (the disk version is
  backed up and the edits here saved), or cancel. The screen's polling watcher
  only warns early; the check at save time is what protects.
- Every save is atomic and keeps the previous version in .aisec/backups/
  (Workspace.save); a save that changes nothing writes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Static, TextArea

from tutor.course.model import Exercise
from tutor.errors import TutorError
from tutor.learner.files import EditableFile, read_for_editing
from tutor.learner.workspace import Workspace
from tutor.tui.screens.confirm import ChoiceScreen, ConfirmScreen
from tutor.tui.text import plain


class PythonArea(TextArea):
    """A code editor whose Enter keeps the line's indentation, one level more after ``:``.

    Until it has the focus, its border says how to type in it: the Editor tab (4) only
    shows it, and letter keys are the screen's (r checks, x resets) until t or a click.
    """

    HOW_TO_TYPE = "t or a click: type here"
    # The code theme is dark in both app themes: the hint gets the app's own colours,
    # or it is dark grey on black (dark theme) or dark on the code's background (light).
    DEFAULT_CSS = ("PythonArea { border-subtitle-color: $text; "
                   "border-subtitle-background: $surface; }")

    def on_mount(self) -> None:
        self._say_how_to_type(focused=False)

    def on_focus(self) -> None:
        self._say_how_to_type(focused=True)

    def on_blur(self) -> None:
        self._say_how_to_type(focused=False)

    def watch_read_only(self, _read_only: bool) -> None:
        self._say_how_to_type(focused=self.has_focus)

    def _say_how_to_type(self, focused: bool) -> None:
        self.border_subtitle = "" if self.read_only or focused else self.HOW_TO_TYPE

    async def _on_key(self, event: events.Key) -> None:
        if event.key != "enter" or self.read_only:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        start, end = sorted(self.selection)
        self._restart_blink()
        self._replace_via_keyboard("\n" + self.indent_after(start), start, end)

    def indent_after(self, location: tuple[int, int]) -> str:
        """The indentation a new line gets when Enter is pressed at ``location``."""
        row, column = location
        before = self.document[row][:column]
        indent = before[:len(before) - len(before.lstrip(" \t"))]
        code = before.split("#", 1)[0].rstrip() if "#" in before else before.rstrip()
        if code.endswith(":"):
            indent += "\t" if self.indent_type == "tabs" else " " * self.indent_width
        return indent


def code_area(text: str, read_only: bool = False, **kwargs: Any) -> TextArea:
    """A Python editor; plain text where syntax highlighting is unavailable."""
    try:
        return PythonArea.code_editor(text, language="python", read_only=read_only, **kwargs)
    except Exception:  # tree-sitter missing or broken: editing still works
        return PythonArea.code_editor(text, read_only=read_only, **kwargs)


# How this screen offers the starter back; it completes "To get it back, ...".
RESTORE = "restore the starter with x, which backs up your file first"


class ExerciseEditor(Vertical):
    """Edits one exercise file in place; posts :class:`Synced` when disk and editor agree."""

    DEFAULT_CSS = """
    ExerciseEditor #editor { height: 1fr; }
    ExerciseEditor #editor-note { height: auto; padding: 0 1; display: none;
                                  background: $warning 25%; color: $text; }
    ExerciseEditor #editor-note.-shown { display: block; }
    """

    class Synced(Message):
        """The editor wrote (or found) its text on disk; ``changed`` if the file did,
        ``saved`` unless a reset changed it."""

        def __init__(self, changed: bool, saved: bool = True) -> None:
            super().__init__()
            self.changed = changed
            self.saved = saved

    def __init__(self, workspace: Workspace, exercise: Exercise, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.workspace = workspace
        self.exercise = exercise
        self._loaded_text = ""  # the editor's text as last loaded or saved
        self._base: bytes | None = None  # the file's bytes on disk at that moment
        self._file: EditableFile | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="editor-note")
        yield code_area("", id="editor")

    @property
    def display_name(self) -> str:
        return self.workspace.display(self.exercise)

    @property
    def text(self) -> str:
        return self.query_one("#editor", TextArea).text

    def read_file(self) -> EditableFile:
        return read_for_editing(self.workspace.exercise_path(self.exercise), self.display_name,
                                restore=RESTORE)

    def load(self) -> None:
        """Show the file as it is on disk now; read-only if it cannot be edited here."""
        loaded = self._file = self.read_file()
        editor = self.query_one("#editor", TextArea)
        place, scroll = editor.cursor_location, editor.scroll_offset
        editor.load_text(loaded.text)
        # A reload (a save in another editor, say) keeps the learner's place in the file.
        row = min(place[0], editor.document.line_count - 1)
        editor.cursor_location = (row, min(place[1], len(editor.document[row])))
        editor.scroll_to(scroll.x, scroll.y, animate=False)
        editor.read_only = not loaded.editable
        self._loaded_text = editor.text  # as the editor holds it (line endings included)
        self._base = loaded.data
        note = loaded.problem
        if note is None and loaded.link_target is not None:
            note = (f"{self.display_name} is a symbolic link to {loaded.link_target}. Saving "
                    "here replaces the link with a regular file (the link is recorded in "
                    ".aisec/backups/); the file it points to is not changed.")
        self._show_note(note)

    def _show_note(self, note: str | None) -> None:
        widget = self.query_one("#editor-note", Static)
        widget.update(plain(note or ""))
        widget.set_class(note is not None, "-shown")

    def unsaved(self) -> bool:
        """Whether the editor holds edits that are not on disk."""
        if self._file is None or self._file.problem is not None:
            return False  # not loaded yet, or read-only: nothing here could be saved anyway
        try:
            return self.text != self._loaded_text
        except NoMatches:  # not composed (yet, or any more)
            return False

    # -- saving ----------------------------------------------------------------------

    def save(self) -> None:
        if self._file is not None and self._file.problem is not None:
            # Never write over a file the editor could not show exactly.
            self.notify(f"Not saved. {self._file.problem}", severity="error", timeout=12,
                        markup=False)
            return
        on_disk = self.read_file().data
        changed_on_disk = on_disk is not None and on_disk != self._base
        if not self.unsaved():
            self._nothing_to_save(changed_on_disk)
            return
        text = self.text
        if changed_on_disk and on_disk == text.encode("utf-8", errors="surrogatepass"):
            # The other editor saved exactly this text: nothing to overwrite, nothing to ask.
            self._loaded_text, self._base = text, on_disk
            self.post_message(self.Synced(changed=False))
            self.notify(f"{self.display_name} already holds exactly this text.", markup=False)
            return
        if changed_on_disk:
            self._ask_about_conflict()
            return
        self._write("Saved {file}.{backup} Running the checks…",
                    " The previous version is in {path}.")

    def _nothing_to_save(self, changed_on_disk: bool) -> None:
        if changed_on_disk:
            self.load()
            self.notify(f"No changes to save here. {self.display_name} changed on disk, so "
                        "the editor now shows that version.", markup=False)
        else:
            self.notify("No changes to save.", markup=False)

    def _encoded(self, text: str) -> bytes | None:
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError as exc:
            line = text.count("\n", 0, exc.start) + 1
            self.notify(f"Not saved: line {line} has a character that cannot be saved as "
                        "UTF-8 (a lone surrogate). Delete it and save again.", severity="error",
                        timeout=10, markup=False)
            return None

    def _write(self, done: str, backed_up: str) -> None:
        """Save the editor's text; ``done``/``backed_up`` word the notice."""
        text = self.text
        data = self._encoded(text)
        if data is None:
            return
        try:
            backup = self.workspace.save(self.exercise, data)
        except TutorError as exc:
            self.notify(f"Not saved. {exc}", severity="error", timeout=12, markup=False)
            return
        except OSError as exc:
            self.notify(f"Could not save {self.display_name}: {exc.strerror or exc}. Your "
                        "edits are still here.", severity="error", timeout=10, markup=False)
            return
        self._loaded_text, self._base = text, data
        if self._file is not None and self._file.link_target is not None:
            self._file = replace(self._file, link_target=None)
            self._show_note(None)  # the link is now a regular file
        where = backed_up.format(path=self.workspace.paths.display(backup)) if backup else ""
        self.notify(done.format(file=self.display_name, backup=where), markup=False, timeout=6)
        self.post_message(self.Synced(changed=True))

    def _ask_about_conflict(self) -> None:
        def answered(choice: str | None) -> None:
            if choice == "keep":
                self._write("Saved your edits to {file}.{backup} Running the checks…",
                            " The version that was on disk is in {path}.")
            elif choice == "reload":
                self._reload_discarding_edits()
            else:
                self.notify("Nothing was saved; your edits are still here. ctrl+s asks again.",
                            markup=False)

        self.app.push_screen(ChoiceScreen(
            f"{self.display_name} was changed on disk (in another editor?) since the editor "
            "here loaded or saved it, and you have unsaved edits here. Saving now would "
            "overwrite that change.\n\n"
            "• Reload: show the version on disk; your edits here are backed up first.\n"
            "• Keep both: save your edits; the version on disk is backed up first.\n"
            "• Cancel: change nothing.\n\n"
            "Backups go to .aisec/backups/.",
            [("reload", "Reload", "r"), ("keep", "Keep both", "k"),
             ("cancel", "Cancel", "escape")], focus="cancel"), answered)

    def _reload_discarding_edits(self) -> None:
        try:
            backup = self.workspace.backup_text(self.exercise, self.text)
        except (OSError, TutorError) as exc:
            why = exc if isinstance(exc, TutorError) else (exc.strerror or exc)
            self.notify(f"Did not reload: your edits could not be backed up ({why}). They are "
                        "still here.", severity="error", timeout=12, markup=False)
            return
        self.load()
        self.notify(f"Reloaded {self.display_name} from disk. Your edits from here are in "
                    f"{self.workspace.paths.display(backup)}.", markup=False, timeout=8)
        self.post_message(self.Synced(changed=True))

    # -- reset -----------------------------------------------------------------------

    def reset(self) -> None:
        """Ask, then restore the starter; the file and any unsaved edits are backed up."""
        workspace, exercise = self.workspace, self.exercise
        unsaved = self.unsaved()

        def answered(sure: bool | None) -> None:
            if not sure:
                return
            saved: list[str] = []
            try:
                if unsaved:  # the edits here are not in the file: keep them too
                    edits = workspace.backup_text(exercise, self.text)
                    saved.append(f"your unsaved edits in {workspace.paths.display(edits)}")
                backup = workspace.reset(exercise)
            except (OSError, TutorError) as exc:
                why = exc if isinstance(exc, TutorError) else (exc.strerror or exc)
                self.notify(f"Could not reset: {why}", severity="error", timeout=12,
                            markup=False)
                return
            if backup:
                saved.insert(0, f"your version in {workspace.paths.display(backup)}")
            where = f" Saved {' and '.join(saved)}." if saved else ""
            self.notify(f"Restored the starter.{where}", markup=False, timeout=8)
            self.load()
            self.post_message(self.Synced(changed=True, saved=False))

        edits = " and your unsaved edits here are" if unsaved else " is"
        self.app.push_screen(ConfirmScreen(
            f"Reset {self.display_name} to the starter? Your current file{edits} backed up "
            "in .aisec/backups/ first.", yes="Reset"), answered)
