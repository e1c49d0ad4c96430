"""The TUI's doctor screen and Ask panel, against the fake Ollama server over real HTTP."""

from __future__ import annotations

import asyncio

from textual.widgets import Input, Static

from tests.pilot import wait_until
from tutor.fake_ollama import FakeOllama
from tutor.tui.app import AisecApp
from tutor.tui.screens.ask import AskScreen
from tutor.tui.screens.doctor import DoctorScreen
from tutor.tui.screens.lesson import LessonScreen

SIZE = (100, 40)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def test_doctor_screen_reports_the_server(mini_workspace, monkeypatch):
    with FakeOllama() as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.host)

        async def scenario():
            app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
            async with app.run_test(size=SIZE) as pilot:
                await pilot.press("d")
                await wait_until(pilot, lambda: isinstance(app.screen, DoctorScreen)
                                 and "Security and privacy" in text_of(app.screen, "#report"))
                report = text_of(app.screen, "#report")
                assert "0.17.1" in report and "The course works" in report

        asyncio.run(scenario())


def test_ask_streams_an_answer_literally(mini_workspace, monkeypatch):
    reply = "Try [@click=app.quit]this[/] and [bold]that[/bold]."
    with FakeOllama(script={"default_reply": reply}) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.host)
        monkeypatch.delenv("AISEC_MODEL", raising=False)

        async def scenario():
            app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
            async with app.run_test(size=SIZE) as pilot:
                app.open_lesson("demo-lesson")
                await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
                await pilot.press("a")
                await wait_until(pilot, lambda: isinstance(app.screen, AskScreen)
                                 and bool(app.screen.query("#question")))
                screen = app.screen
                screen.query_one("#question", Input).value = "Why?"
                await pilot.press("enter")
                await wait_until(pilot, lambda: "Done." in text_of(screen, "#status"))
                assert screen.answer == reply
                assert reply in text_of(screen, "#answer")
                assert app.is_running
            request = fake.last_request("/api/chat")
            assert "A demo lesson" in request.body["messages"][-1]["content"]
            assert "Why?" in request.body["messages"][-1]["content"]

        asyncio.run(scenario())


def test_escape_cancels_a_slow_answer(mini_workspace, monkeypatch):
    words = [f"word{i}" for i in range(40)]
    script = {"default_reply": " ".join(words), "chunk_latency": 0.25}  # 10 s in all
    with FakeOllama(script=script) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.host)

        async def scenario():
            app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
            async with app.run_test(size=SIZE) as pilot:
                app.open_ask("demo-lesson")
                await wait_until(pilot, lambda: isinstance(app.screen, AskScreen)
                                 and bool(app.screen.query("#question")))
                screen = app.screen
                screen.query_one("#question", Input).value = "Explain"
                await pilot.press("enter")
                await wait_until(pilot, lambda: screen.answer != "")
                await pilot.press("escape")
                await wait_until(pilot, lambda: not screen.streaming)
                assert "Cancelled" in text_of(screen, "#status")
                assert len(screen.answer.split()) < len(words), "the stream stopped early"
                await pilot.press("escape")  # a second escape closes the panel
                await wait_until(pilot, lambda: not isinstance(app.screen, AskScreen))

        asyncio.run(scenario())


def test_a_remote_host_is_refused_before_connecting(mini_workspace, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "http://192.0.2.10:11434")  # TEST-NET-1: never routed

    async def scenario():
        app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
        async with app.run_test(size=SIZE) as pilot:
            app.open_ask("demo-lesson")
            await wait_until(pilot, lambda: isinstance(app.screen, AskScreen)
                                 and bool(app.screen.query("#question")))
            screen = app.screen
            screen.query_one("#question", Input).value = "Hi"
            await pilot.press("enter")
            await wait_until(pilot, lambda: "not" in text_of(screen, "#status").lower()
                             and "192.0.2.10" in text_of(screen, "#status"))
            assert screen.answer == ""

    asyncio.run(scenario())


def test_ollama_down_says_how_to_start_it(mini_workspace, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:9")  # discard port: nothing listens

    async def scenario():
        app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
        async with app.run_test(size=SIZE) as pilot:
            app.open_ask("demo-lesson")
            await wait_until(pilot, lambda: isinstance(app.screen, AskScreen)
                                 and bool(app.screen.query("#question")))
            screen = app.screen
            screen.query_one("#question", Input).value = "Hi"
            await pilot.press("enter")
            await wait_until(pilot, lambda: "ollama serve" in text_of(screen, "#status"))

    asyncio.run(scenario())
