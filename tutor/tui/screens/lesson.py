"""A lesson: rendered Markdown, inline quizzes, and its exercises."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widget import MountError, Widget
from textual.widgets import Button, Footer, Header, Markdown, Static

from tutor.course.lessons import Lesson, Quiz, drop_title, sections
from tutor.text.export import md_prose
from tutor.tui.first_screen import first_screen
from tutor.tui.navigation import Stop
from tutor.tui.screens.base import AisecScreen
from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.screens.reading import (
    SAVE_AFTER_SECONDS,
    ReadingClock,
    lesson_words,
    quiz_answered,
)
from tutor.tui.text import plain, state_label
from tutor.tui.widgets.lesson_markdown import LessonMarkdown
from tutor.tui.widgets.quiz import QuizWidget


class LessonScreen(AisecScreen[None]):
    DEFAULT_CSS = """
    LessonScreen VerticalScroll { padding: 0 2; }
    LessonScreen .meta { color: $text-muted; height: auto; padding: 0 2; }
    LessonScreen .objectives { margin-bottom: 1; height: auto; }
    LessonScreen .part > .-last, LessonScreen .objectives > .-last { margin-bottom: 0; }
    LessonScreen .exercises-title { text-style: bold; margin-top: 1; }
    LessonScreen .exercise { width: auto; max-width: 100%; margin: 0 0 1 2;
                             content-align: left middle; text-align: left; }
    LessonScreen .end { color: $text-muted; margin: 1 0 2 0; }
    LessonScreen .sources { color: $text-muted; margin-top: 1; height: auto; }
    """
    BINDINGS = [("escape", "app.pop_screen", "Back"),
                ("right_square_bracket", "neighbour(1)", "Next"),
                ("left_square_bracket", "neighbour(-1)", "Previous"),
                ("a", "ask", "Ask AI"),
                Binding("up", "scroll('scroll_up')", show=False),
                Binding("down", "scroll('scroll_down')", show=False),
                Binding("pageup", "scroll('scroll_page_up')", show=False),
                Binding("pagedown,space", "scroll('scroll_page_down')", show=False),
                Binding("home", "scroll('scroll_home')", show=False),
                Binding("end", "scroll('scroll_end')", show=False)]
    # Nothing takes focus by itself: focusing the body restyles every block of the lesson
    # (twice: on focus, and on blur when leaving), which made opening and quitting slow.
    AUTO_FOCUS = ""

    def __init__(self, lesson: Lesson, scroll: int = 0) -> None:
        super().__init__()
        self.lesson = lesson
        self.sub_title = lesson.title
        self._restore_to = scroll  # lines down to bring back (Continue), until reached
        self._save_timer: Timer | None = None
        self._body: VerticalScroll | None = None
        self.settled = asyncio.Event()  # set once the whole lesson is mounted
        self._rest: list[str | Quiz] = []
        self._early_keys: list[str] = []  # scroll keys pressed before the lesson was whole

    def _sources(self) -> str:
        """The sources as links (title and site): a long address would wrap mid-word."""
        checked = (f" (facts last checked against them on {self.lesson.last_checked})"
                   if self.lesson.last_checked is not None else "")
        lines = [f"**Sources**{checked}", ""]
        for source in self.lesson.sources:
            site = urlsplit(source.url).hostname or ""
            lines.append(f"- [{md_prose(source.title)} · {site}](<{source.url}>)")
        return "\n".join(lines)

    def _parts(self) -> list[str | Quiz]:
        """The lesson's text cut at its headings, with its quizzes where they stand."""
        parts: list[str | Quiz] = []
        for index, segment in enumerate(self.lesson.segments):
            if isinstance(segment, Quiz):
                parts.append(segment)
            else:
                text = drop_title(segment, self.lesson.title) if index == 0 else segment
                parts.extend(sections(text))
        return parts

    def compose(self) -> ComposeResult:
        lesson = self.lesson
        # About one screenful first (the title, objectives and chrome take ~7 rows);
        # the rest is mounted right after the first frame.
        width, height = self.app.size
        first, self._rest, cut = first_screen(self._parts(), height - 7 - len(lesson.objectives),
                                              width - 12)
        yield Header()
        with VerticalScroll(id="body", can_focus=False):
            yield LessonMarkdown(f"# {md_prose(lesson.title)}", classes="title", open_links=False)
            yield Static(plain(f"About {lesson.minutes} minutes · you will be able to:"),
                         classes="meta")
            # Objectives are course text, not untrusted input: Markdown lays out the list.
            yield LessonMarkdown("\n".join(f"- {o}" for o in lesson.objectives),
                                 classes="objectives", open_links=False)
            widgets = self._part_widgets(first)
            if cut:
                assert isinstance(first[-1], str)
                widgets[-1] = LessonMarkdown(first[-1], classes="part", open_links=False,
                                             mark_last=False)
            yield from widgets
        # The footer (a widget per key) follows in the next frame: see _mount_footer.

    def _part_widgets(self, parts: list[str | Quiz]) -> list[Widget]:
        answers = self.workspace.state().lesson(self.lesson.id).quiz
        return [QuizWidget(part, answers.get(part.id), id=f"quiz-{part.id}")
                if isinstance(part, Quiz)
                else LessonMarkdown(part, classes="part", open_links=False)
                for part in parts]

    def _ending_widgets(self) -> list[Widget]:
        """Sources, the lesson's exercises and the closing line."""
        state = self.workspace.state()
        widgets: list[Widget] = [LessonMarkdown(self._sources(), classes="sources",
                                                open_links=False)]
        entry = self.app.course.lesson(self.lesson.id)
        if entry.exercises:
            widgets.append(Static("Exercises", classes="exercises-title"))
            for ex in entry.exercises:
                label = Content.assemble(state_label(state.exercise(ex.id).state),
                                         plain(" · "), plain(ex.title),
                                         plain(f" · ~{ex.minutes} min"))
                widgets.append(Button(label, id=f"ex-{ex.id}", classes="exercise", compact=True))
        widgets.append(Static(plain(f"End of the lesson. ] {self._next_words()} · escape back"),
                              classes="end"))
        return widgets

    def on_mount(self) -> None:
        self.workspace.record_lesson(self.lesson.id, opened=True)
        self._start_reading(self.query_one("#body", VerticalScroll))
        # Queued behind the first frame, not run inside it: the frame is shown first.
        self.call_after_refresh(self.call_later, self._mount_footer)

    async def _mount_footer(self) -> None:
        """After the first frame: the footer, then (after its frame) the rest of the text.
        Not Textual's Lazy: its mount is not ordered with ours, and ``settled`` must
        mean that everything, footer included, is there."""
        if not self.is_attached:  # the learner left before the first frame
            return
        try:
            await self.mount(Footer())
        except MountError:
            return
        self.refresh_bindings()  # a footer mounted late shows its keys once told of them
        self.call_after_refresh(self.call_later, self._mount_rest)

    async def _mount_rest(self) -> None:
        """After the first frame: the rest of the lesson, in one mount (one layout)."""
        if not self.is_attached:  # the learner left before the first frame
            return
        body = self.query_one("#body", VerticalScroll)
        try:
            with self.app.batch_update():
                await body.mount_all([*self._part_widgets(self._rest), *self._ending_widgets()])
        except MountError:  # the learner left while it was being mounted
            return
        self.settled.set()
        self._laid_out()  # back to where the learner left it, now that it is all there
        if self._early_keys:
            self.call_after_refresh(self._replay_early_keys)  # once laid out

    def action_scroll(self, action: str) -> None:
        """Arrow keys, page up/down, home and end scroll the lesson wherever the focus is.
        Pressed while the rest of the lesson is still coming, they act once it is there
        (end would otherwise stop at the end of the first screenful)."""
        if not self.settled.is_set():
            self._early_keys.append(action)
            return
        # The scroll itself, not the body's key action: that one is refused (and the key
        # lost) while the body's scroll bar is not shown yet, just after the rest mounted.
        getattr(self.query_one("#body", VerticalScroll), action)()

    def _replay_early_keys(self) -> None:
        """Once the whole lesson is laid out: a key replayed before that (the body not
        scrollable yet) would do nothing, so the size watcher (``_laid_out``) calls again."""
        if not self._early_keys or not self.settled.is_set() or self._body is None:
            return
        if self._body.max_scroll_y == 0:
            return
        keys, self._early_keys = self._early_keys, []
        for action in keys:  # the scroll itself, not its key's action: that may be refused
            getattr(self._body, action)(animate=False)  # while the scroll bar is not shown

    # -- reading: where the learner is, and whether the lesson was read ------------

    def _start_reading(self, body: VerticalScroll) -> None:
        self._body = body  # kept: on unmount the screen's children are already gone
        self._reading = ReadingClock(self.app.clock, lesson_words(self.lesson))
        self._reading.start()
        self.app.remember_place("lesson", self.lesson.id, self._restore_to)
        self.watch(body, "scroll_y", self._scrolled, init=False)
        self.watch(body, "virtual_size", self._laid_out, init=False)

    def _shown_body(self) -> VerticalScroll:
        assert self._body is not None, "only called once the lesson is shown"
        return self._body

    def _laid_out(self, _size: object = None) -> None:
        """The lesson's height is known (or grew): scroll to where the learner left it,
        or as the keys pressed while it was coming asked."""
        if self._restore_to:
            self.call_after_refresh(self._restore)
        self._replay_early_keys()

    def _restore(self) -> None:
        body = self._shown_body()
        if self._restore_to and body.max_scroll_y > 0:
            body.scroll_to(y=min(self._restore_to, body.max_scroll_y), animate=False)

    def _scrolled(self, _value: float | None = None) -> None:
        body = self._shown_body()
        if self._restore_to:
            if round(body.scroll_y) != min(self._restore_to, round(body.max_scroll_y)):
                return  # still on the way back to where the learner was
            self._restore_to = 0  # back: reading starts from here
            self._reading.start(body.scroll_y / max(1, body.virtual_size.height))
        if body.max_scroll_y > 0 and body.scroll_y >= body.max_scroll_y - 1:
            self._reading.end_reached = True
            self._record_if_read()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_AFTER_SECONDS, self._save_place)

    def _record_if_read(self) -> None:
        if self._reading.read():
            self.workspace.record_lesson(self.lesson.id, finished=True)

    def _save_place(self, claim: bool = False) -> None:
        """Keep how far down the lesson the learner is; ``claim``: this lesson is where
        the learner is now. Without it, a screen opened since (an exercise on top, the
        next lesson) keeps its place: its mount may be handled before this leave."""
        place = self.workspace.state().place
        if claim or place is None or (place.screen, place.id) == ("lesson", self.lesson.id):
            # Left before the way back was done: the place stays where it was.
            scroll = self._restore_to or round(self._shown_body().scroll_y)
            self.app.remember_place("lesson", self.lesson.id, scroll)

    def _leaving(self) -> None:
        """Leaving the lesson (another screen, back, quitting): keep the place, and
        count it as read if its end is on screen now and it was open long enough."""
        if self._body is None:
            return  # never shown
        if self._save_timer is not None:
            self._save_timer.stop()
        body = self._body
        if body.scroll_y >= body.max_scroll_y - 1:
            self._reading.end_reached = True
        self._record_if_read()
        self._save_place()

    def on_screen_suspend(self) -> None:
        self._leaving()

    def on_screen_resume(self) -> None:
        if self._body is not None:  # back from an exercise or a dialog: here again
            self._save_place(claim=True)

    def on_unmount(self) -> None:
        self._leaving()

    @on(QuizWidget.Answered)
    def _answered(self, event: QuizWidget.Answered) -> None:
        state = self.workspace.record_quiz(self.lesson.id, event.quiz.id, event.choice,
                                           event.correct)
        if quiz_answered(self.lesson, len(state.lesson(self.lesson.id).quiz)):
            self.workspace.record_lesson(self.lesson.id, finished=True)

    @on(Button.Pressed, ".exercise")
    def _open_exercise(self, event: Button.Pressed) -> None:
        if event.button.id:
            self.app.open_exercise(event.button.id.removeprefix("ex-"))

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        href = event.href
        if not href.startswith(("https://", "http://")):
            self.notify(f"This link points to {href!r}, which can't be opened from here.",
                        markup=False, severity="warning")
            return

        def opened(ok: bool | None) -> None:
            if ok:
                self.app.open_url(href)

        self.app.push_screen(ConfirmScreen(f"Open this address in your web browser?\n\n{href}",
                                           yes="Open"), opened)

    def action_ask(self) -> None:
        self.app.open_ask(self.lesson.id)

    def action_neighbour(self, step: int) -> None:
        self.app.step(Stop("lesson", self.lesson.id, self.lesson.id), step)

    def _next_words(self) -> str:
        entry = self.app.course.lesson(self.lesson.id)
        return "first exercise" if entry.exercises else "next lesson"
