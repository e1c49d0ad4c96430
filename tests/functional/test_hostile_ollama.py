"""A broken or hostile server on the Ollama port: one clear line, never a crash or a hang.

Each case runs over real HTTP on 127.0.0.1 against :mod:`tests.hostile_ollama`,
through `aisec ask`, `aisec doctor` and the TUI's Ask and doctor screens.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile_ollama import ESCAPES, HostileServer, strict_json
from tests.pilot import wait_until

BROKEN = ["html", "drop", "not-http", "short", "models-notalist", "models-wrong-shapes",
          "deep", "bad-stream", "stream-wrong-shapes", "endless", "endless-answer",
          "wrong-type", "gzip-bomb", "empty"]
OLLAMA_VARS = ("OLLAMA_HOST", "OLLAMA_API_KEY", "OLLAMA_ORIGINS", "HTTP_PROXY", "HTTPS_PROXY",
               "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy", "AISEC_MODEL")


@pytest.fixture
def env(monkeypatch):
    for name in OLLAMA_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def run(*args: str, cwd: Path, host: str) -> subprocess.CompletedProcess[str]:
    """aisec in a subprocess, with a time and memory limit: a regression that reads an
    endless body into memory fails the test instead of taking the machine down."""
    def limits() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST", "AISEC")) and k not in OLLAMA_VARS}
    env.update(NO_COLOR="1", OLLAMA_HOST=host)
    return subprocess.run([sys.executable, "-m", "tutor", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=90,
                          stdin=subprocess.DEVNULL,
                          preexec_fn=limits if os.name == "posix" else None)


def no_crash(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    assert result.returncode not in (3, -9), result.stderr
    assert "\x1b" not in result.stderr + result.stdout


def clean_failure(result: subprocess.CompletedProcess[str]) -> str:
    """The last line of stderr, after checking that it is a clean, explained failure."""
    no_crash(result)
    lines = result.stderr.strip().splitlines()
    assert lines, "a failure must say something"
    return lines[-1]


# -- aisec ask ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", BROKEN)
def test_ask_gives_one_clear_line(env, tmp_path, mode):
    with HostileServer(mode) as server:
        result = run("ask", "Hello?", cwd=tmp_path, host=server.host)
    last = clean_failure(result)
    assert result.returncode == 1, result.stderr
    assert last.startswith("aisec: ") and server.host in last, last
    assert "aisec doctor" in last or "ollama" in last.lower(), last


def test_ask_neutralises_escapes_in_model_names_and_answers(env, tmp_path):
    with HostileServer("escapes") as server:
        result = run("ask", "Hello?", cwd=tmp_path, host=server.host)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr + result.stdout
    assert "\u202e" not in result.stderr + result.stdout
    assert "llama3.2:1b\\x1b]0;pwned\\x07" in result.stderr  # the model name, shown
    assert "Hi \\x1b]0;pwned\\x07" in result.stdout


def test_ask_names_a_model_with_escapes_safely_when_it_is_missing(env, tmp_path):
    with HostileServer("escapes") as server:
        result = run("ask", "--model", "x" + ESCAPES, "Hello?", cwd=tmp_path, host=server.host)
    clean_failure(result)
    assert "\u202e" not in result.stderr


# -- aisec doctor ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", BROKEN)
def test_doctor_explains_and_stays_valid_json(env, tmp_path, mode):
    with HostileServer(mode) as server:
        text = run("doctor", cwd=tmp_path, host=server.host)
        as_json = run("doctor", "--json", cwd=tmp_path, host=server.host)
    no_crash(text)
    assert text.returncode == 0, text.stderr
    assert "could not check this" not in text.stdout, text.stdout  # not blamed on a bug
    data = strict_json(as_json.stdout)
    assert isinstance(data, dict) and as_json.returncode == 0
    checks = {c["id"]: c for c in data["checks"]}
    assert not [i for i in checks if i.endswith("-internal")], checks
    server_check = checks["ollama-server"]
    if server_check["status"] == "ok":  # it did answer /api/version properly
        assert mode in ("models-notalist", "models-wrong-shapes", "bad-stream",
                        "stream-wrong-shapes", "endless-answer"), server_check
    else:
        assert server_check["status"] == "warning"
        assert server.host in server_check["summary"], server_check
        assert server_check["summary"] in text.stdout
    if mode == "models-notalist":
        assert checks["ollama-models"]["status"] == "warning"
    if mode == "models-wrong-shapes":
        names = [m["name"] for m in data["ollama"]["models"]]
        assert names == ["gemma3:1b"], names
        assert all(m["size"] is None or isinstance(m["size"], int)
                   for m in data["ollama"]["models"])


def test_doctor_neutralises_escapes_in_text_and_keeps_json_exact(env, tmp_path):
    with HostileServer("escapes") as server:
        text = run("doctor", cwd=tmp_path, host=server.host)
        as_json = run("doctor", "--json", cwd=tmp_path, host=server.host)
    assert text.returncode == 0 and as_json.returncode == 0, text.stderr
    assert "\x1b" not in text.stdout and "\u202e" not in text.stdout
    assert "0.17.1\\x1b]0;pwned\\x07" in text.stdout
    assert "llama3.2:1b\\x1b]0;pwned\\x07" in text.stdout
    data = json.loads(as_json.stdout)
    assert data["ollama"]["version"] == "0.17.1" + ESCAPES, "JSON keeps the exact data"
    assert data["ollama"]["models"][0]["name"] == "llama3.2:1b" + ESCAPES


# -- the TUI ------------------------------------------------------------------------------


def _text(screen, selector: str) -> str:
    from textual.widgets import Static

    return str(screen.query_one(selector, Static).render())


async def _ask(app, pilot, question: str = "Hello?"):
    from textual.widgets import Input

    from tutor.tui.screens.ask import AskScreen

    app.open_ask("demo-lesson")
    await wait_until(pilot, lambda: isinstance(app.screen, AskScreen)
                     and bool(app.screen.query("#question")))
    screen = app.screen
    screen.query_one("#question", Input).value = question
    await pilot.press("enter")
    # The status says "Connecting…", then "Asking <model>…", then how it ended.
    await wait_until(pilot, lambda: _text(screen, "#status").strip() != "" and not _text(
        screen, "#status").startswith(("Connecting", "Asking")), timeout=60)
    await wait_until(pilot, lambda: not screen.streaming)
    return screen


@pytest.mark.parametrize("mode", BROKEN)
def test_tui_ask_says_what_went_wrong(env, mini_workspace, mode):
    from tutor.tui.app import AisecApp

    with HostileServer(mode) as server:
        env.setenv("OLLAMA_HOST", server.host)

        async def scenario():
            app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
            async with app.run_test(size=(100, 40)) as pilot:
                screen = await _ask(app, pilot)
                status = _text(screen, "#status")
                assert "Connecting" not in status and "Done." not in status, status
                assert server.host in status, status
                assert "\x1b" not in status
                assert app.is_running

        asyncio.run(scenario())


def test_tui_ask_and_doctor_neutralise_escapes(env, mini_workspace):
    from tutor.tui.app import AisecApp
    from tutor.tui.screens.doctor import DoctorScreen

    with HostileServer("escapes") as server:
        env.setenv("OLLAMA_HOST", server.host)

        async def scenario():
            app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
            async with app.run_test(size=(100, 40)) as pilot:
                screen = await _ask(app, pilot)
                status, answer = _text(screen, "#status"), _text(screen, "#answer")
                assert "Done." in status
                for shown in (status, answer, screen.answer):
                    assert "\x1b" not in shown and "\u202e" not in shown
                assert "Hi \\x1b]0;pwned\\x07" in answer
                await pilot.press("escape")
                await wait_until(pilot, lambda: screen is not app.screen)

                await pilot.press("d")
                await wait_until(pilot, lambda: isinstance(app.screen, DoctorScreen)
                                 and "Security and privacy" in _text(app.screen, "#report"))
                report = _text(app.screen, "#report")
                assert "\x1b" not in report and "\u202e" not in report
                assert "0.17.1\\x1b]0;pwned\\x07" in report

        asyncio.run(scenario())


def test_tui_doctor_screen_survives_a_broken_server(env, mini_workspace):
    from tutor.tui.app import AisecApp
    from tutor.tui.screens.doctor import DoctorScreen

    with HostileServer("not-http") as server:
        env.setenv("OLLAMA_HOST", server.host)

        async def scenario():
            app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
            async with app.run_test(size=(100, 40)) as pilot:
                await pilot.press("d")
                await wait_until(pilot, lambda: isinstance(app.screen, DoctorScreen)
                                 and "Security and privacy" in _text(app.screen, "#report"))
                report = _text(app.screen, "#report")
                assert server.host in report and "could not check this" not in report

        asyncio.run(scenario())
