"""The fake Ollama's HTTP surface against real Ollama's: guards, methods, admin and /v1/.

Each behaviour is checked with the official ``ollama`` client where it has a
method for it, and with raw HTTP (http.client, httpx) to see the exact bytes.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import socket
import struct
import time
from datetime import datetime, timezone
from typing import Any

import httpx
import ollama
import pytest

from tutor.fake_ollama import FakeOllama
from tutor.fake_ollama.guard import Guard, allowed_origins
from tutor.fake_ollama.replies import timestamp
from tutor.fake_ollama.transport import Request

USER = [{"role": "user", "content": "What is the capital of France?"}]
PARIS = "Paris is the capital of France."
SCRIPT = {"rules": [{"match": "capital of france", "reply": PARIS}]}


@pytest.fixture
def fake():
    with FakeOllama(script=SCRIPT) as server:
        yield server


@pytest.fixture
def client(fake):
    return ollama.Client(host=fake.url, timeout=5)


def raw(fake: FakeOllama, method: str, path: str, body: object = None,
        headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, str]:
    """One request with the standard library; ``headers`` may replace Host."""
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    sent = dict(headers or {})
    payload = json.dumps(body) if body is not None else None
    if payload is not None:
        sent.setdefault("Content-Type", "application/json")
    conn.putrequest(method, path, skip_host="Host" in sent)
    for name, value in sent.items():
        conn.putheader(name, value)
    if payload is not None:
        conn.putheader("Content-Length", str(len(payload.encode())))
    conn.endheaders(payload.encode() if payload is not None else None)
    response = conn.getresponse()
    data = response.read().decode()
    conn.close()
    return response.status, response.msg, data


# -- Host and Origin (server/routes.go, allowedHostsMiddleware; gin-contrib/cors) ----------


@pytest.mark.parametrize("host", ["evil.example", "evil.example:11434", "ollama.com",
                                  "8.8.8.8:11434", "[2001:db8::1]:80"])
def test_a_foreign_host_gets_403_on_every_path(fake, host):
    for method, path in (("GET", "/api/tags"), ("GET", "/"), ("GET", "/nowhere")):
        status, _, body = raw(fake, method, path, headers={"Host": host})
        assert (status, body) == (403, "")
    assert fake.requests == []  # refused before any route: nothing recorded


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST:11434", "127.0.0.1", "127.0.0.2:9",
                                  "[::1]:11434", "0.0.0.0", "192.168.1.20", "10.0.0.7:11434",
                                  "172.20.0.1", "box.localhost", "nas.local", "db.internal",
                                  socket.gethostname()])
def test_local_hosts_are_allowed(fake, host):
    assert raw(fake, "GET", "/api/version", headers={"Host": host})[0] == 200


def test_the_official_client_passes_the_checks(client):
    assert client.chat("llama3.2:1b", USER).message.content == PARIS


def test_host_checks_apply_only_when_bound_to_loopback():
    guard = Guard(allowed_origins(""))
    foreign = {"Host": "evil.example"}
    assert guard.check(Request("GET", "/", foreign, "", "127.0.0.1")).status == 403
    assert guard.check(Request("GET", "/", foreign, "", "::1")).status == 403
    assert guard.check(Request("GET", "/", foreign, "", "0.0.0.0")).status is None
    assert guard.check(Request("GET", "/", foreign, "", "192.168.1.2")).status is None


def test_a_foreign_origin_gets_403(fake):
    for origin in ("https://evil.example", "http://localhost.evil.example",
                   "chrome-extension://abcdef", "null"):
        status, headers, body = raw(fake, "POST", "/api/chat",
                                    {"model": "llama3.2:1b", "messages": USER, "stream": False},
                                    headers={"Origin": origin})
        assert (status, body) == (403, ""), origin
        assert headers.get("Access-Control-Allow-Origin") is None
    assert fake.requests == []


@pytest.mark.parametrize("origin", ["http://localhost", "https://localhost:3000",
                                    "http://127.0.0.1:8080", "http://0.0.0.0:1",
                                    "app://desktop", "file://", "tauri://localhost",
                                    "vscode-webview://abc"])
def test_default_origins_get_cors_headers(fake, origin):
    status, headers, body = raw(fake, "GET", "/api/tags", headers={"Origin": origin})
    assert status == 200 and json.loads(body)["models"]
    assert headers["Access-Control-Allow-Origin"] == origin
    assert headers["Vary"] == "Origin"


def test_an_origin_naming_the_host_itself_is_not_cors(fake):
    host = f"127.0.0.1:{fake.port}"
    status, headers, _ = raw(fake, "GET", "/api/tags", headers={"Origin": f"http://{host}"})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers


def test_preflight(fake):
    status, headers, body = raw(fake, "OPTIONS", "/api/chat", headers={
        "Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert (status, body) == (204, "")
    assert headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert headers["Access-Control-Allow-Methods"] == "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS"
    allowed = headers["Access-Control-Allow-Headers"].split(",")
    assert {"Authorization", "Content-Type", "Openai-Beta", "X-Stainless-Os"} <= set(allowed)
    assert headers["Access-Control-Max-Age"] == "43200"
    assert headers.get_all("Vary") == ["Origin", "Access-Control-Request-Method",
                                       "Access-Control-Request-Headers"]
    assert raw(fake, "OPTIONS", "/api/chat", headers={"Origin": "https://evil.example"})[0] == 403


def test_options_without_origin(fake):
    # No CORS request: a loopback-IP Host is routed (no OPTIONS route: 405), while a
    # name on the allow-list is answered 204 by allowedHostsMiddleware itself.
    assert raw(fake, "OPTIONS", "/api/chat")[0] == 405
    assert raw(fake, "OPTIONS", "/api/chat", headers={"Host": "localhost"})[0] == 204


def test_ollama_origins_adds_origins(monkeypatch):
    # Split on commas only: exact entries are trimmed, wildcard ones are not (gin-contrib/cors).
    monkeypatch.setenv("OLLAMA_ORIGINS", "https://tutor.example,chrome-extension://*, moz-*")
    with FakeOllama() as fake:
        for origin in ("https://tutor.example", "chrome-extension://abcdef",
                       "http://localhost:3000"):
            status, headers, _ = raw(fake, "GET", "/api/version", headers={"Origin": origin})
            assert status == 200 and headers["Access-Control-Allow-Origin"] == origin
        assert raw(fake, "GET", "/", headers={"Origin": "https://other.example"})[0] == 403
        assert raw(fake, "GET", "/", headers={"Origin": "moz-extension://x"})[0] == 403


def test_ollama_origins_star_allows_any_origin(monkeypatch):
    monkeypatch.setenv("OLLAMA_ORIGINS", "*")
    with FakeOllama() as fake:
        status, headers, _ = raw(fake, "GET", "/", headers={"Origin": "https://any.example"})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
        assert "Vary" not in headers
        # The Host check still applies: CORS does not open a loopback server to rebinding.
        assert raw(fake, "GET", "/", headers={"Host": "evil.example"})[0] == 403


# -- methods (gin's HandleMethodNotAllowed) ----------------------------------------------------


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("GET", "/api/chat", "POST"), ("PUT", "/api/generate", "POST"),
    ("POST", "/api/tags", "HEAD, GET"), ("DELETE", "/", "HEAD, GET"),
    ("HEAD", "/api/ps", "GET"), ("GET", "/api/delete", "DELETE"),
    ("POST", "/v1/models", "GET"), ("GET", "/v1/chat/completions", "POST"),
    ("DELETE", "/v1/models/llama3.2:1b", "GET"),
])
def test_a_wrong_method_gets_405_with_allow(fake, method, path, allow):
    status, headers, body = raw(fake, method, path)
    assert status == 405 and headers["Allow"] == allow
    if method != "HEAD":
        assert body == "405 method not allowed"
        assert headers["Content-Type"] == "text/plain"


def test_unknown_paths_stay_404(fake):
    status, headers, body = raw(fake, "GET", "/api/nothing")
    assert (status, body) == (404, "404 page not found") and "Allow" not in headers


def test_head_where_ollama_registers_it(fake):
    for path in ("/", "/api/version", "/api/tags"):
        assert raw(fake, "HEAD", path)[0] == 200


# -- created_at (time.RFC3339Nano) ------------------------------------------------------------

RFC3339_NANO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,8}[1-9])?Z")


def test_created_at_is_rfc3339_nano(fake):
    stamps = []
    for _ in range(5):
        _status, _, body = raw(fake, "POST", "/api/chat",
                              {"model": "llama3.2:1b", "messages": USER, "stream": False})
        stamps.append(json.loads(body)["created_at"])
    assert all(RFC3339_NANO.fullmatch(s) for s in stamps), stamps
    assert max(len(s) for s in stamps) > len("2025-01-01T00:00:00.000000Z")  # nanoseconds


def test_timestamp_trims_trailing_zeros():
    at = datetime(2025, 3, 4, 5, 6, 7, 120000, tzinfo=timezone.utc)
    assert timestamp(at) == "2025-03-04T05:06:07.12Z"
    assert timestamp(at.replace(microsecond=0)) == "2025-03-04T05:06:07Z"


# -- a client that hangs up ---------------------------------------------------------------------


def _wait_idle(fake: FakeOllama) -> None:
    """Wait until the server has finished with every connection (and reported any error)."""
    httpd = fake._httpd
    assert httpd is not None
    deadline = time.monotonic() + 10
    while True:
        with httpd._connections_lock:
            if not httpd._connections:
                return
        assert time.monotonic() < deadline, "a connection never finished"
        time.sleep(0.01)


def _drop(sock: socket.socket) -> None:
    """Close with a reset (SO_LINGER 0), as a killed client does."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_a_client_dropping_mid_stream_ends_quietly(capfd):
    script = {"default_reply": "word " * 200, "chunk_latency": 0.01}
    with FakeOllama(script=script) as fake:
        body = json.dumps({"model": "llama3.2:1b", "messages": USER}).encode()
        for _ in range(3):
            sock = socket.create_connection(("127.0.0.1", fake.port), timeout=5)
            sock.sendall(b"POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                         % (len(body), body))
            received = b""
            while b'"done": false' not in received:  # wait for the stream's first line
                data = sock.recv(4096)
                assert data, "the server closed the stream"
                received += data
            _drop(sock)
        # and one dropped while the kept-alive connection waits for its next request
        sock = socket.create_connection(("127.0.0.1", fake.port), timeout=5)
        sock.sendall(b"GET /api/version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200 OK")
        _drop(sock)
        _wait_idle(fake)
        assert ollama.Client(host=fake.url, timeout=5).list().models  # still serving
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Error" not in err, err


# -- /api/copy, /api/create, /api/push ----------------------------------------------------------


def test_copy(fake, client):
    assert client.copy("llama3.2:1b", "my-llama").status == "success"
    assert "my-llama:latest" in [m.model for m in client.list().models]
    assert client.show("my-llama").capabilities == client.show("llama3.2:1b").capabilities
    status, headers, body = raw(fake, "POST", "/api/copy",
                                {"source": "gemma3:1b", "destination": "g2"})
    assert (status, body, headers["Content-Length"]) == (200, "", "0")
    with pytest.raises(ollama.ResponseError) as err:
        client.copy("missing-model", "x")
    assert err.value.status_code == 404 and err.value.error == 'model "missing-model" not found'
    status, _, body = raw(fake, "POST", "/api/copy", {"source": "", "destination": "x"})
    assert (status, json.loads(body)) == (400, {"error": 'source "" is invalid'})


def test_create_from_a_model_with_a_system_prompt(fake, client):
    statuses = [p.status for p in client.create(model="terse", from_="llama3.2:1b",
                                                system="Answer in one word.", stream=True)]
    assert statuses[0].startswith("using existing layer sha256:")
    assert statuses[1].startswith("creating new layer sha256:")
    assert statuses[-2:] == ["writing manifest", "success"]
    shown = client.show("terse")
    assert 'SYSTEM """Answer in one word."""' in (shown.modelfile or "")
    assert "terse:latest" in [m.model for m in client.list().models]
    assert client.chat("terse", USER).message.content == PARIS  # rules still apply
    assert client.create(model="t2", from_="terse", template="{{ .Prompt }}!").status == "success"
    assert client.show("t2").template == "{{ .Prompt }}!"


def test_create_errors(fake, client):
    status, _, body = raw(fake, "POST", "/api/create", {"model": "x"})
    assert (status, json.loads(body)) == (400, {"error": "neither 'from' or 'files' was specified"})
    status, _, body = raw(fake, "POST", "/api/create", {"from": "llama3.2:1b"})
    assert (status, json.loads(body)) == (400, {"error": "invalid model name"})
    with pytest.raises(ollama.ResponseError) as err:  # a missing base needs a pull: offline
        client.create(model="x", from_="not-here")
    assert "registry.ollama.ai" in err.value.error


def test_push_fails_without_a_registry(fake, client):
    with pytest.raises(ollama.ResponseError) as err:
        client.push("llama3.2:1b")
    assert err.value.status_code == 500 and "registry.ollama.ai" in err.value.error
    _, headers, body = raw(fake, "POST", "/api/push", {"model": "llama3.2:1b"})
    lines = [json.loads(line) for line in body.splitlines()]
    assert headers["Content-Type"] == "application/x-ndjson"
    assert lines[0] == {"status": "retrieving manifest"} and "error" in lines[-1]
    with pytest.raises(ollama.ResponseError) as err:
        list(client.push("nobody/missing", stream=True))
    assert "no such file or directory" in err.value.error
    assert raw(fake, "POST", "/api/push", {})[0] == 400


# -- /v1/ (middleware/openai.go, openai/openai.go) ------------------------------------------------


def v1(fake: FakeOllama, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
    with httpx.Client(base_url=fake.url + "/v1", timeout=5) as http:
        return http.post(path, json=body) if body is not None else http.get(path)


def sse(response: httpx.Response) -> list[Any]:
    assert response.headers["content-type"] == "text/event-stream"
    events = [e for e in response.text.split("\n\n") if e]
    assert all(e.startswith("data: ") for e in events)
    assert events[-1] == "data: [DONE]"
    return [json.loads(e[len("data: "):]) for e in events[:-1]]


def test_chat_completions(fake):
    response = v1(fake, "/chat/completions", {"model": "llama3.2:1b", "messages": USER})
    assert response.status_code == 200
    body = response.json()
    assert re.fullmatch(r"chatcmpl-\d{1,3}", body["id"]) and body["object"] == "chat.completion"
    assert body["model"] == "llama3.2:1b" and body["system_fingerprint"] == "fp_ollama"
    assert isinstance(body["created"], int)
    assert body["choices"] == [{"index": 0, "finish_reason": "stop",
                                "message": {"role": "assistant", "content": PARIS}}]
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0
    last = fake.last_request()
    assert last is not None and last.path == "/v1/chat/completions"


def test_chat_completions_stream(fake):
    response = v1(fake, "/chat/completions", {"model": "llama3.2:1b", "messages": USER,
                                              "stream": True,
                                              "stream_options": {"include_usage": True}})
    chunks = sse(response)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert all("role" not in c["choices"][0]["delta"] for c in chunks[1:-1])
    assert {c["id"] for c in chunks} == {chunks[0]["id"]}
    assert {c["created"] for c in chunks} == {chunks[0]["created"]}
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks[:-1])
    assert text == PARIS
    finish, usage = chunks[-2], chunks[-1]
    assert finish["choices"] == [{"index": 0, "delta": {}, "finish_reason": "stop"}]
    assert usage["choices"] == [] and usage["usage"]["completion_tokens"] > 0
    plain = sse(v1(fake, "/chat/completions", {"model": "llama3.2:1b", "messages": USER,
                                               "stream": True}))
    assert "usage" not in plain[-1] and plain[-1]["choices"][0]["finish_reason"] == "stop"


def test_chat_completions_options_and_tools():
    script = {"rules": [{"match": "weather", "tool_calls": [
        {"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]}]}
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}}}}}]
    with FakeOllama(script=script) as fake:
        body = v1(fake, "/chat/completions", {
            "model": "llama3.2:1b", "tools": tools,
            "messages": [{"role": "user", "content": "weather in Paris?"}]}).json()
        choice = body["choices"][0]
        assert choice["finish_reason"] == "tool_calls"
        call = choice["message"]["tool_calls"][0]
        assert call["type"] == "function" and call["function"]["name"] == "get_weather"
        assert json.loads(call["function"]["arguments"]) == {"city": "Paris"}
        short = v1(fake, "/chat/completions", {"model": "llama3.2:1b", "max_tokens": 2,
                                               "messages": [{"role": "user", "content": [
                                                   {"type": "text", "text": "hello"}]}]}).json()
        assert short["choices"][0]["finish_reason"] == "length"
        sent = fake.last_request()
        assert sent is not None and sent.body["max_tokens"] == 2  # recorded as sent


def test_chat_completions_errors(fake):
    response = v1(fake, "/chat/completions", {"model": "nope", "messages": USER})
    assert response.status_code == 404
    assert response.json() == {"error": {"message": "model 'nope' not found",
                                         "type": "not_found_error", "param": None,
                                         "code": None}}
    response = v1(fake, "/chat/completions", {"model": "llama3.2:1b", "messages": []})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "[] is too short - 'messages'"
    assert response.json()["error"]["type"] == "invalid_request_error"


def test_completions(fake):
    body = v1(fake, "/completions", {"model": "llama3.2:1b",
                                     "prompt": "What is the capital of France?"}).json()
    assert re.fullmatch(r"cmpl-\d{1,3}", body["id"]) and body["object"] == "text_completion"
    assert body["choices"] == [{"text": PARIS, "index": 0, "finish_reason": "stop"}]
    chunks = sse(v1(fake, "/completions", {"model": "llama3.2:1b", "stream": True,
                                           "prompt": "What is the capital of France?"}))
    assert "".join(c["choices"][0]["text"] for c in chunks) == PARIS
    assert [c["choices"][0]["finish_reason"] for c in chunks][-1] == "stop"
    response = v1(fake, "/completions", {"model": "llama3.2:1b", "prompt": "x", "stop": [1]})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "invalid type for 'stop' field: float64"


def test_models(fake, client):
    listed = v1(fake, "/models").json()
    assert listed["object"] == "list"
    assert [m["id"] for m in listed["data"]] == [m.model for m in client.list().models]
    assert listed["data"][0] == {"id": "llama3.2:1b", "object": "model",
                                 "created": 1735689600, "owned_by": "library"}
    one = v1(fake, "/models/llama3.2:1b").json()
    assert one == listed["data"][0]
    missing = v1(fake, "/models/nope")
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "not_found_error"


def test_embeddings(fake, client):
    body = v1(fake, "/embeddings", {"model": "nomic-embed-text", "input": ["a", "b"]}).json()
    assert body["object"] == "list" and body["model"] == "nomic-embed-text"
    assert [d["index"] for d in body["data"]] == [0, 1]
    assert body["data"][0]["embedding"] == client.embed("nomic-embed-text", "a").embeddings[0]
    encoded = v1(fake, "/embeddings", {"model": "nomic-embed-text", "input": "a",
                                       "encoding_format": "base64"}).json()
    packed = base64.b64decode(encoded["data"][0]["embedding"])
    floats = struct.unpack(f"<{len(packed) // 4}f", packed)
    assert floats == pytest.approx(body["data"][0]["embedding"], abs=1e-6)
    bad = v1(fake, "/embeddings", {"model": "nomic-embed-text", "input": "a",
                                   "encoding_format": "hex"})
    assert bad.status_code == 400 and "encoding_format" in bad.json()["error"]["message"]
    assert v1(fake, "/embeddings", {"model": "nomic-embed-text", "input": []}).status_code == 400


def test_a_v1_body_that_is_not_json_gets_openai_s_error_shape(fake):
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    conn.request("POST", "/v1/chat/completions", body="{not json",
                 headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    error = json.loads(response.read())["error"]
    conn.close()
    assert response.status == 400
    assert error["type"] == "invalid_request_error" and error["message"].startswith("invalid char")
    status, _headers, text = raw(fake, "POST", "/api/chat", None)
    assert status == 400 and json.loads(text) == {"error": "missing request body"}
