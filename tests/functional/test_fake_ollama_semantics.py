"""The fake Ollama server checks requests as real Ollama does, with its error texts.

Each behaviour is tried with the official ``ollama`` client and with raw HTTP.
The facts come from github.com/ollama/ollama (server/routes.go, api/types.go,
llm/llama_server.go); docs/ollama.md lists them with their sources.
"""

from __future__ import annotations

import http.client
import json
import re
import time
from datetime import datetime, timedelta, timezone

import httpx
import ollama
import pytest

from tutor.fake_ollama import FakeOllama

USER = [{"role": "user", "content": "What is a riddle?"}]
THINKER = {"name": "qwen3:0.6b", "family": "qwen3",
           "capabilities": ["completion", "tools", "thinking"]}
SCRIPT = {
    "models": ["gemma3:1b", {"name": "llama3.2:1b", "capabilities": ["completion", "tools"]},
               THINKER, {"name": "nomic-embed-text", "capabilities": ["embedding"]}],
    "rules": [
        {"match": "riddle", "thinking": "The user wants a riddle. Keep it short.",
         "reply": "What has keys but no locks? A keyboard."},
        {"match": "weather", "reply": "Let me look that up.",
         "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Paris"}}},
                        {"function": {"name": "get_time", "arguments": {"tz": "CET"}}}]},
        {"match": "bare call",
         "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Oslo"}}}]},
    ],
}
TOOLS = [{"type": "function", "function": {"name": "get_weather"}}]
THINK_CHOICES = '(must be "high", "medium", "low", "max", true, or false)'


@pytest.fixture
def fake():
    with FakeOllama(script=SCRIPT) as server:
        yield server


@pytest.fixture
def client(fake):
    return ollama.Client(host=fake.url, timeout=5)


def post(fake: FakeOllama, path: str, body: object = None, text: str | None = None,
         ) -> tuple[int, str, str]:
    """One POST with the standard library: status, content type and body as sent."""
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    payload = text if text is not None else json.dumps(body)
    conn.request("POST", path, body=payload, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read().decode()
    conn.close()
    return response.status, response.getheader("Content-Type") or "", data


def error_of(fake: FakeOllama, path: str, body: object = None, text: str | None = None,
             ) -> tuple[int, str]:
    status, _type, data = post(fake, path, body, text)
    return status, json.loads(data)["error"]


def lines(data: str) -> list[dict]:
    return [json.loads(line) for line in data.splitlines()]


def loaded(fake: FakeOllama) -> dict[str, datetime]:
    models = httpx.get(f"{fake.url}/api/ps", timeout=5).json()["models"]
    return {m["model"]: datetime.fromisoformat(m["expires_at"].replace("Z", "+00:00"))
            for m in models}


def chat(model: str = "llama3.2:1b", **extra: object) -> dict:
    return {"model": model, "messages": USER, "stream": False, **extra}


# -- think ------------------------------------------------------------------------------


def test_think_on_a_model_without_thinking_is_refused(fake, client):
    with pytest.raises(ollama.ResponseError) as err:
        client.chat("gemma3:1b", USER, think=True)
    assert (err.value.status_code, err.value.error) == (
        400, '"gemma3:1b" does not support thinking')
    with pytest.raises(ollama.ResponseError, match="does not support thinking"):
        client.generate("gemma3:1b", "riddle", think="high")
    assert error_of(fake, "/api/chat", chat("gemma3:1b", think="low")) == (
        400, '"gemma3:1b" does not support thinking')
    # think: false asks for nothing a model lacks
    assert client.chat("gemma3:1b", USER, think=False).message.thinking is None


def test_think_values_are_validated(fake):
    assert error_of(fake, "/api/chat", chat(think="maybe")) == (
        400, f'invalid think value: "maybe" {THINK_CHOICES}')
    assert error_of(fake, "/api/generate", {"model": "qwen3:0.6b", "prompt": "x",
                                            "think": 1}) == (
        400, 'think must be a boolean or string ("high", "medium", "low", "max", true, '
             'or false)')


def test_a_thinking_model_thinks_by_default_and_streams_thinking_first(fake, client):
    whole = client.chat("qwen3:0.6b", USER)
    assert whole.message.thinking == "The user wants a riddle. Keep it short."
    assert whole.message.content == "What has keys but no locks? A keyboard."
    parts = list(client.chat("qwen3:0.6b", USER, stream=True, think="high"))
    thinking = [p.message.thinking for p in parts if p.message.thinking]
    content = [p.message.content for p in parts if p.message.content]
    assert "".join(thinking) == whole.message.thinking and len(thinking) > 1
    assert "".join(content) == whole.message.content
    first_text = next(i for i, p in enumerate(parts) if p.message.content)
    assert all(not p.message.thinking for p in parts[first_text:])
    assert client.chat("qwen3:0.6b", USER, think=False).message.thinking is None
    generated = client.generate("qwen3:0.6b", "a riddle please")
    assert generated.thinking == whole.message.thinking
    assert generated.response == whole.message.content
    status, _type, data = post(fake, "/api/generate", {"model": "qwen3:0.6b",
                                                       "prompt": "riddle"})
    streamed = lines(data)
    assert status == 200 and streamed[0]["thinking"] and streamed[0]["response"] == ""


# -- options ----------------------------------------------------------------------------


@pytest.mark.parametrize(("options", "error"), [
    ({"stop": "x"}, 'option "stop" must be of type array'),
    ({"stop": ["ok", 1]}, 'option "stop" must be of an array of strings'),
    ({"temperature": "hot"}, 'option "temperature" must be of type float32'),
    ({"num_predict": "10"}, 'option "num_predict" must be of type integer'),
    ({"use_mmap": 1}, 'option "use_mmap" must be of type boolean'),
])
def test_options_of_the_wrong_type_fail_like_ollama(fake, client, options, error):
    with pytest.raises(ollama.ResponseError) as err:
        client.chat("llama3.2:1b", USER, options=options)
    assert (err.value.status_code, err.value.error) == (500, error)
    assert error_of(fake, "/api/generate", {"model": "llama3.2:1b", "prompt": "x",
                                            "options": options}) == (500, error)


def test_well_typed_and_unknown_options_are_accepted(client):
    reply = client.chat("llama3.2:1b", USER, options={
        "temperature": 0, "num_predict": 2.0, "seed": 42, "stop": ["zzz"], "no_such": "x"})
    assert reply.done_reason == "length"


# -- keep_alive -------------------------------------------------------------------------


@pytest.mark.parametrize(("keep_alive", "error"), [
    ("bad", 'time: invalid duration "bad"'),
    ("5", 'time: missing unit in duration "5"'),
    ("5x", 'time: unknown unit "x" in duration "5x"'),
    ("", 'time: invalid duration ""'),
    (True, "Unsupported type: 'bool'"),
    ([1], "Unsupported type: '[]interface {}'"),
])
def test_bad_keep_alive_is_refused(fake, keep_alive, error):
    assert error_of(fake, "/api/chat", chat(keep_alive=keep_alive)) == (400, error)
    assert error_of(fake, "/api/embed", {"model": "nomic-embed-text", "input": "x",
                                         "keep_alive": keep_alive}) == (400, error)


def test_keep_alive_sets_expires_at(fake, client):
    before = datetime.now(timezone.utc)
    client.chat("llama3.2:1b", USER, keep_alive="1h30m")
    client.chat("gemma3:1b", USER)  # the default: 5 minutes
    client.generate("qwen3:0.6b", "hi", keep_alive=-1)  # negative: forever
    expires = loaded(fake)
    assert timedelta(minutes=89) < expires["llama3.2:1b"] - before < timedelta(minutes=91)
    assert timedelta(minutes=4) < expires["gemma3:1b"] - before < timedelta(minutes=6)
    assert expires["qwen3:0.6b"].year > 2300
    # /api/ps lists the model that stays longest first
    assert list(expires) == ["qwen3:0.6b", "llama3.2:1b", "gemma3:1b"]
    client.chat("llama3.2:1b", USER)  # no keep_alive: the model keeps its own
    assert loaded(fake)["llama3.2:1b"] - before > timedelta(minutes=89)
    client.chat("llama3.2:1b", USER, keep_alive=30)  # a number is seconds
    assert loaded(fake)["llama3.2:1b"] - before < timedelta(seconds=60)


def test_a_model_leaves_ps_when_its_keep_alive_runs_out(fake, client):
    client.chat("llama3.2:1b", USER, keep_alive="1ms")
    deadline = time.monotonic() + 5
    while "llama3.2:1b" in loaded(fake) and time.monotonic() < deadline:
        pass  # waiting on the condition, not a fixed delay
    assert "llama3.2:1b" not in loaded(fake)


def test_keep_alive_zero_unloads(fake, client):
    client.chat("llama3.2:1b", [])
    client.generate("gemma3:1b", "")
    assert set(loaded(fake)) == {"llama3.2:1b", "gemma3:1b"}
    unloaded = client.chat("llama3.2:1b", [], keep_alive=0)
    assert unloaded.done and unloaded.done_reason == "unload"
    assert unloaded.message.content == "" and unloaded.message.role == "assistant"
    status, content_type, data = post(fake, "/api/generate", {"model": "gemma3:1b",
                                                              "keep_alive": "0s"})
    # one JSON object, not a stream, even though stream defaults to true
    assert status == 200 and content_type.startswith("application/json")
    assert json.loads(data)["done_reason"] == "unload" and json.loads(data)["response"] == ""
    assert loaded(fake) == {}
    # answering with keep_alive 0 unloads the model once the answer is sent
    reply = client.chat("llama3.2:1b", USER, keep_alive=0)
    assert reply.message.content and "llama3.2:1b" not in loaded(fake)


def test_an_empty_request_loads_with_one_json_object(fake):
    status, content_type, data = post(fake, "/api/chat", {"model": "llama3.2:1b",
                                                          "messages": []})
    assert status == 200 and content_type.startswith("application/json")
    assert json.loads(data)["done_reason"] == "load" and "llama3.2:1b" in loaded(fake)


# -- tool calls -------------------------------------------------------------------------


def test_tool_calls_only_when_tools_were_offered(fake, client):
    plain = client.chat("llama3.2:1b", [{"role": "user", "content": "weather?"}])
    assert plain.message.tool_calls is None
    assert plain.message.content == "Let me look that up."
    streamed = list(client.chat("llama3.2:1b", [{"role": "user", "content": "weather?"}],
                                stream=True))
    assert not any(p.message.tool_calls for p in streamed)
    # a rule with calls and no reply: the call stays in the text, as a model writes it
    bare = client.chat("llama3.2:1b", [{"role": "user", "content": "bare call"}])
    assert json.loads(bare.message.content) == {"name": "get_weather",
                                                "arguments": {"city": "Oslo"}}
    offered = client.chat("llama3.2:1b", [{"role": "user", "content": "weather?"}],
                          tools=TOOLS)
    assert [c.function.name for c in offered.message.tool_calls] == ["get_weather", "get_time"]


def test_tool_calls_carry_an_id_and_an_index(fake):
    body = chat(messages=[{"role": "user", "content": "weather?"}], tools=TOOLS)
    status, _type, data = post(fake, "/api/chat", body)
    calls = json.loads(data)["message"]["tool_calls"]
    assert status == 200 and [c["function"]["index"] for c in calls] == [0, 1]
    assert all(re.fullmatch(r"call_[a-z0-9]{8}", c["id"]) for c in calls)
    assert calls[0]["function"]["arguments"] == {"city": "Paris"}
    status, _type, data = post(fake, "/api/chat", {**body, "stream": True})
    (with_calls,) = [line for line in lines(data) if line["message"].get("tool_calls")]
    assert len(with_calls["message"]["tool_calls"]) == 2


# -- model, name and format --------------------------------------------------------------


def test_name_is_not_model_for_chat_generate_and_embed(fake):
    assert error_of(fake, "/api/chat", {"name": "llama3.2:1b", "messages": USER}) == (
        400, "model is required")
    assert error_of(fake, "/api/generate", {"name": "llama3.2:1b", "prompt": "x"}) == (
        404, "model '' not found")
    assert error_of(fake, "/api/embed", {"name": "nomic-embed-text", "input": "x"}) == (
        404, "model '' not found")
    # the model-management endpoints still read the deprecated name
    assert post(fake, "/api/show", {"name": "llama3.2:1b"})[0] == 200


@pytest.mark.parametrize(("fmt", "shown"), [
    ("xml", '"\\"xml\\""'), (5, '"5"'), (["a"], '"[\\"a\\"]"'), (True, '"true"')])
def test_format_must_be_json_or_a_schema(fake, fmt, shown):
    error = f'invalid format: {shown}; expected "json" or a valid JSON Schema object'
    assert error_of(fake, "/api/chat", chat(format=fmt)) == (500, error)
    assert error_of(fake, "/api/generate", {"model": "llama3.2:1b", "prompt": "x",
                                            "format": fmt, "stream": True}) == (500, error)


def test_json_and_schema_formats_are_accepted(client):
    assert client.chat("llama3.2:1b", USER, format="json").done
    assert client.chat("llama3.2:1b", USER, format={"type": "object"}).done
    assert client.generate("llama3.2:1b", "x", format="").done


# -- bodies Go cannot decode, and the texts of errors the fake already had -----------------


@pytest.mark.parametrize(("text", "error"), [
    ("{not json", "invalid character 'n' looking for beginning of object key string"),
    ('{"model": "x"', "unexpected EOF"),
    ('{"model" "x"}', "invalid character '\"' after object key"),
    ('{"model": "x" "y"}', "invalid character '\"' after object key:value pair"),
    ('{"messages": [1 2]}', "invalid character '2' after array element"),
    ("nope", "invalid character 'o' in literal null (expecting 'u')"),
    ("[1]", "json: cannot unmarshal array into Go value of type api.ChatRequest"),
    ('"hi"', "json: cannot unmarshal string into Go value of type api.ChatRequest"),
    ("null", "model is required"),
])
def test_undecodable_bodies(fake, text, error):
    assert error_of(fake, "/api/chat", text=text) == (400, error)


def test_trailing_data_after_the_body_is_ignored_like_gos_decoder(fake):
    text = json.dumps(chat()) + " trailing"
    assert post(fake, "/api/chat", text=text)[0] == 200


@pytest.mark.parametrize(("path", "body", "error"), [
    ("/api/chat", {"model": 5, "messages": USER},
     "json: cannot unmarshal number into Go struct field ChatRequest.model of type string"),
    ("/api/chat", {"model": "llama3.2:1b", "messages": "hi"},
     "json: cannot unmarshal string into Go struct field ChatRequest.messages of type "
     "[]api.Message"),
    ("/api/chat", {"model": "llama3.2:1b", "messages": [{"role": "user", "content": 1}]},
     "json: cannot unmarshal number into Go struct field ChatRequest.messages.content of "
     "type string"),
    ("/api/chat", {"model": "llama3.2:1b", "messages": USER, "stream": "yes"},
     "json: cannot unmarshal string into Go struct field ChatRequest.stream of type bool"),
    ("/api/generate", {"model": "llama3.2:1b", "prompt": ["x"]},
     "json: cannot unmarshal array into Go struct field GenerateRequest.prompt of type string"),
    ("/api/chat", {"model": "llama3.2:1b", "messages": USER, "options": []},
     "json: cannot unmarshal array into Go struct field ChatRequest.options of type "
     "map[string]interface {}"),
    ("/api/embed", {"model": "nomic-embed-text", "input": 5}, "invalid input type"),
    ("/api/embeddings", {"prompt": "x"}, "model is required"),
    ("/api/generate", {"model": "llama3.2:1b", "prompt": "x", "raw": True, "system": "s"},
     "raw mode does not support template, system, or context"),
])
def test_field_errors_match_ollama(fake, path, body, error):
    assert error_of(fake, path, body) == (400, error)


def test_not_found_texts_differ_by_endpoint_as_in_ollama(fake, client):
    with pytest.raises(ollama.ResponseError) as err:
        client.chat("ghost", USER)
    assert (err.value.status_code, err.value.error) == (404, "model 'ghost' not found")
    with pytest.raises(ollama.ResponseError) as err:
        client.embed("ghost", "x")
    assert (err.value.status_code, err.value.error) == (
        404, 'model "ghost" not found, try pulling it first')
    assert error_of(fake, "/api/embeddings", {"model": "ghost", "prompt": "x"}) == (
        404, 'model "ghost" not found, try pulling it first')
    with pytest.raises(ollama.ResponseError) as err:
        client.chat("gemma3:1b", USER, tools=TOOLS)
    assert err.value.error == "registry.ollama.ai/library/gemma3:1b does not support tools"
    assert error_of(fake, "/api/chat", chat("nomic-embed-text")) == (
        400, '"nomic-embed-text" does not support chat')
