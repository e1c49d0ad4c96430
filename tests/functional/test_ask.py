"""`aisec ask`: streams a local model's answer, refuses remote hosts, explains failures."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tutor.fake_ollama import FakeOllama
from tutor.ollama.assistant import (
    NUM_CTX,
    SYSTEM_PROMPT,
    build_messages,
    choose_model,
    safe_text,
)

MARKUP = "Use [@click=app.quit] and [bold]this[/bold] literally."


@pytest.fixture
def env(monkeypatch):
    for name in ("OLLAMA_HOST", "OLLAMA_API_KEY", "OLLAMA_ORIGINS", "HTTP_PROXY",
                 "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def fake(env):
    with FakeOllama(script={"default_reply": MARKUP + "\n"}) as server:
        env.setenv("OLLAMA_HOST", server.host)
        yield server


@pytest.fixture
def ws(tmp_path: Path, course_dir: Path, aisec) -> Path:
    assert aisec("--course", course_dir, "init", "w", cwd=tmp_path).code == 0
    return tmp_path / "w"


def sent_messages(fake: FakeOllama) -> list[dict[str, str]]:
    request = fake.last_request("/api/chat")
    assert request is not None, "nothing was sent to /api/chat"
    return request.body["messages"]


def test_streams_the_whole_reply_and_prints_markup_literally(fake, tmp_path, aisec):
    fake.script(default_reply=MARKUP + " \x1b]52;c;aGk=\x07 done.", chunk_size=4)
    result = aisec("ask", "What is a Luhn check?", cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.out == MARKUP + " \\x1b]52;c;aGk=\\x07 done.\n"  # escapes shown, not run
    assert "Asking llama3.2:1b" in result.err
    request = fake.last_request("/api/chat")
    assert request.body["stream"] is True and request.body["model"] == "llama3.2:1b"


def test_system_prompt_asks_for_hints_and_the_lesson_is_context(fake, tmp_path, aisec):
    result = aisec("ask", "--lesson", "pii-redaction", "Why a checksum?", cwd=tmp_path)
    assert result.code == 0, result.err
    system, user = sent_messages(fake)
    assert system == {"role": "system", "content": SYSTEM_PROMPT}
    assert "hints" in system["content"] and "Do not write the solution" in system["content"]
    assert user["content"].startswith('<lesson id="pii-redaction"')
    assert user["content"].endswith("Question: Why a checksum?")
    assert "Quiz answers" not in user["content"]  # hints, not the answers


def test_code_is_sent_only_when_asked(fake, ws, aisec):
    learner = ws / "exercises/demo/adder.py"
    learner.write_text(learner.read_text() + "\n# MY-PRIVATE-MARKER\n")
    assert aisec("ask", "--exercise", "adder", "Help?", cwd=ws).code == 0
    (_system, user) = sent_messages(fake)
    assert '<exercise id="adder"' in user["content"]
    assert "MY-PRIVATE-MARKER" not in user["content"] and "<learner_code" not in user["content"]

    result = aisec("ask", "--exercise", "adder", "--include-code", "Help?", cwd=ws)
    assert result.code == 0, result.err
    (_system, user) = sent_messages(fake)
    assert "MY-PRIVATE-MARKER" in user["content"]
    assert "<failing_checks>" in user["content"] and "Not implemented yet" in user["content"]
    assert "your code in exercises/demo/adder.py" in result.err
    assert aisec("progress", "--json", cwd=ws).out.count('"attempts": 0') == 2  # not recorded


def test_remote_host_is_refused_before_connecting(fake, env, tmp_path, aisec):
    # 127.1 reaches this machine through the resolver, but is not a loopback address
    # in writing: aisec refuses it, and the fake proves nothing was sent.
    env.setenv("OLLAMA_HOST", f"http://127.1:{fake.port}")
    result = aisec("ask", "Hello?", cwd=tmp_path)
    assert result.code == 2
    assert "Refusing to contact" in result.err and "Nothing was sent" in result.err
    assert "--allow-remote" in result.err and "Traceback" not in result.err
    assert fake.requests == []
    allowed = aisec("ask", "--allow-remote", "Hello?", cwd=tmp_path)
    # The same address does reach the server, which refuses the Host "127.1" as real
    # Ollama does on loopback (server/routes.go, allowedHostsMiddleware).
    assert allowed.code == 1 and "answered HTTP 403" in allowed.err


def test_server_down_names_ollama_serve(env, tmp_path, aisec):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        env.setenv("OLLAMA_HOST", f"127.0.0.1:{sock.getsockname()[1]}")
        result = aisec("ask", "Hello?", cwd=tmp_path)
    assert result.code == 1
    assert "not running" in result.err and "ollama serve" in result.err
    assert "Traceback" not in result.err


def test_missing_model_names_ollama_pull(fake, tmp_path, aisec):
    result = aisec("ask", "--model", "phi9:mini", "Hello?", cwd=tmp_path)
    assert result.code == 1 and "ollama pull phi9:mini" in result.err


def test_no_chat_model_suggests_one(fake, tmp_path, aisec):
    fake.script(models=["nomic-embed-text"])
    result = aisec("ask", "Hello?", cwd=tmp_path)
    assert result.code == 1 and "ollama pull llama3.2:1b" in result.err


def test_cloud_model_needs_opt_in(fake, tmp_path, aisec):
    result = aisec("ask", "--model", "gpt-oss:120b-cloud", "Hello?", cwd=tmp_path)
    assert result.code == 2 and "ollama.com" in result.err
    assert fake.requests_to("/api/chat") == []


def test_error_mid_answer_keeps_what_arrived(fake, tmp_path, aisec):
    fake.script(rules=[{"reply": "one two three", "error_after_chunks": 2,
                        "error": "model runner crashed"}])
    result = aisec("ask", "Hello?", cwd=tmp_path)
    assert result.code == 1 and result.out == "one two\n"
    assert "model runner crashed" in result.err and "Traceback" not in result.err


def test_slow_model_times_out_with_advice(fake, tmp_path, aisec):
    fake.script(latency=30)
    result = aisec("ask", "--timeout", "0.5", "Hello?", cwd=tmp_path)
    assert result.code == 1 and "did not answer within 0.5 s" in result.err


def test_usage_errors(fake, tmp_path, aisec):
    assert aisec("ask", "  ", cwd=tmp_path).code == 2
    assert aisec("ask", "--include-code", "x", cwd=tmp_path).code == 2  # no workspace
    unknown = aisec("ask", "--lesson", "pii-redactoin", "x", cwd=tmp_path)
    assert unknown.code == 2 and "pii-redaction" in unknown.err


# -- the pieces -------------------------------------------------------------------------


def test_choose_model_prefers_small_local_chat_models():
    def entry(name, family="llama"):
        return {"model": name, "details": {"family": family}}

    installed = [entry("nomic-embed-text:latest", "nomic-bert"), entry("gpt-oss:120b-cloud"),
                 entry("mistral:7b"), entry("gemma3:1b", "gemma3")]
    assert choose_model(installed, env={}) == "gemma3:1b"
    assert choose_model(installed[:3], env={}) == "mistral:7b"
    assert choose_model(installed[:2], env={}) is None
    assert choose_model(installed, env={"AISEC_MODEL": "qwen2.5:0.5b"}) == "qwen2.5:0.5b"
    assert choose_model(installed, "llama3.2", env={"AISEC_MODEL": "x"}) == "llama3.2"


def test_safe_text_shows_controls_and_bidi_but_keeps_text():
    assert safe_text("a\tb\nc [red]x[/red] é 漢") == "a\tb\nc [red]x[/red] é 漢"
    assert safe_text("\x1b[2J\r\x07") == "\\x1b[2J\\x0d\\x07"
    assert safe_text("abc\u202edcba") == "abc\\u202edcba"


def test_build_messages_without_context():
    assert build_messages("Q?", "") == [{"role": "system", "content": SYSTEM_PROMPT},
                                        {"role": "user", "content": "Q?"}]


def test_a_proxy_refusing_the_model_list_is_a_clear_error(mini_workspace, monkeypatch):
    """An HTML 401 from a proxy in front of Ollama: one clear line, no internal error."""
    page = "<html><body><h1>401 Authorization Required</h1></body></html>"
    result = _ask_hi(mini_workspace, {"endpoint": "any", "error": page, "status": 401})
    assert result.returncode == 1, result.stderr
    assert "HTTP 401" in result.stderr and "internal error" not in result.stderr
    assert "<html>" not in result.stderr


@pytest.mark.parametrize(("status", "advice", "not_said"), [
    (429, "limiting how many requests", "OLLAMA_API_KEY"),
    (401, "OLLAMA_API_KEY", "limiting"),
])
def test_a_refusal_says_what_to_do_for_its_status(mini_workspace, status, advice, not_said):
    """A proxy's rate limit (429) is not a password problem, on the model list or the answer."""


    for rule in ({"endpoint": "any", "error": "slow down", "status": status},
                 {"endpoint": "chat", "error": "slow down", "status": status}):
        result = _ask_hi(mini_workspace, rule)
        assert result.returncode == 1, result.stderr
        assert f"HTTP {status}" in result.stderr and advice in result.stderr, result.stderr
        assert not_said not in result.stderr


def _ask_hi(workspace, rule):
    """`aisec ask hi` in a real process, against a fake server that answers by ``rule``."""
    import os
    import subprocess
    import sys

    from tutor.fake_ollama import FakeOllama

    with FakeOllama(script={"rules": [rule]}) as fake:
        env = {**os.environ, "OLLAMA_HOST": fake.host, "NO_COLOR": "1"}
        env.pop("AISEC_MODEL", None)
        return subprocess.run([sys.executable, "-m", "tutor", "ask", "hi"], cwd=workspace.root,
                              env=env, capture_output=True, text=True, timeout=60)


def test_the_question_fits_the_context_it_asks_for(fake, ws, aisec):
    """A long lesson, instructions, code and failures are cut to fit NUM_CTX tokens, and
    the request asks for that context: beyond it Ollama would cut the prompt itself."""
    from tutor.ollama.ask_context import MAX_CONTEXT

    learner = ws / "exercises/demo/adder.py"
    learner.write_text(learner.read_text() + "\n" + "# a long comment line\n" * 2_000)
    result = aisec("ask", "--exercise", "adder", "--include-code", "Help?", cwd=ws)
    assert result.code == 0, result.err
    chat = [r for r in fake.requests if r.path == "/api/chat"][-1]
    assert chat.body["options"]["num_ctx"] == NUM_CTX
    (_system, user) = sent_messages(fake)
    context = user["content"].rsplit("\n\nQuestion: ", 1)[0]
    assert len(context) <= MAX_CONTEXT and "cut to fit the model" in context
    assert "<failing_checks>" in context  # what comes after the code is kept
