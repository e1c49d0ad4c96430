"""A fake Ollama server over real HTTP, for checks, tests and offline workshops.

It speaks enough of Ollama's REST API (``/``, ``/api/version``, ``/api/tags``,
``/api/show``, ``/api/ps``, ``/api/chat``, ``/api/generate``, ``/api/embed``,
``/api/embeddings``, ``/api/pull``, ``/api/delete``) that the official ``ollama``
client works against it unchanged: NDJSON streaming by default, ``stream: false``,
Ollama's error bodies and status codes, and a mid-stream ``{"error": ...}`` line.
What it answers comes from a :class:`~tutor.fake_ollama.script.Script`.

Every request it receives (outside ``/_fake/``) is recorded, so a check can
assert what a learner's code sent: in process via :attr:`FakeOllama.requests`,
from another process via ``GET /_fake/requests`` or a JSON-lines ``record_file``.
``DELETE /_fake/requests`` clears the record and ``PUT /_fake/script`` (a JSON
script) replaces the script.

    with FakeOllama(script={"rules": [{"match": "hi", "reply": "Hello!"}]}) as fake:
        client = ollama.Client(host=fake.url, timeout=5)
        ...
        assert fake.last_request("/api/chat").body["messages"][-1]["content"] == "hi"

It binds 127.0.0.1 by default and refuses other addresses unless
``allow_network=True``: a server that runs whatever it is sent should not be on
the network by accident (the same lesson as ``OLLAMA_HOST=0.0.0.0``).
"""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from tutor.errors import TutorError
from tutor.fake_ollama import replies
from tutor.fake_ollama.script import (
    PROMPT_ENDPOINTS,
    ModelSpec,
    Rule,
    Script,
    ScriptError,
    load_script,
    normalize_model,
    parse_script,
)
from tutor.ollama.host import is_loopback

NDJSON = "application/x-ndjson"
JSON = "application/json; charset=utf-8"
CONTROL = "/_fake/"
MAX_BODY = 32 * 1024 * 1024
IDLE_TIMEOUT = 60.0  # seconds a kept-alive connection may sit idle
_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


class FakeServerError(TutorError):
    """The fake server cannot start as asked (address in use, not loopback...)."""


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake server received, as the learner's code sent it."""

    index: int
    method: str
    path: str
    headers: dict[str, str]  # names lowercased
    body: Any  # the parsed JSON body, or None
    text: str  # the raw body
    received_at: str

    @property
    def prompt(self) -> str | None:
        """The last user message (chat) or the prompt (generate), if any."""
        return _prompt_of(self.body) if isinstance(self.body, dict) else None

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "method": self.method, "path": self.path,
                "headers": self.headers, "body": self.body, "text": self.text,
                "received_at": self.received_at}


def _prompt_of(body: dict[str, Any]) -> str:
    messages = body.get("messages")
    if isinstance(messages, list):
        users = [m for m in messages if isinstance(m, dict) and m.get("role") == "user"]
        last = (users or [m for m in messages if isinstance(m, dict)] or [{}])[-1]
        content = last.get("content")
        return content if isinstance(content, str) else ""
    prompt = body.get("prompt")
    return prompt if isinstance(prompt, str) else ""


class _BadRequest(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked streams, like the real server
    server_version = "aisec-fake-ollama"
    sys_version = ""
    timeout = IDLE_TIMEOUT
    server: _Server

    # -- plumbing ---------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's
        # algorithm and delayed ACKs add ~40 ms to every request on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.fake.verbose:
            sys.stderr.write(f"fake-ollama: {self.address_string()} {format % args}\n")

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        self._sent = False
        fake = self.server.fake
        path = urlsplit(self.path).path
        try:
            text = self._read_body()
            if path.startswith(CONTROL):
                self._control(method, path, text)
                return
            body = self._parse(text)
            fake._record_request(method, path, dict(self.headers.items()), body, text)
            route = ROUTES.get(("GET" if method == "HEAD" else method, path))
            if route is None:
                self._send(404, b"404 page not found", "text/plain")
                return
            if route[1] and not isinstance(body, dict):
                raise _BadRequest("missing request body" if not text.strip()
                                  else "request body must be a JSON object")
            route[0](self, body if isinstance(body, dict) else {})
        except _BadRequest as exc:
            self._error(exc.status, str(exc))
        except _GONE:
            self.close_connection = True  # the client went away (e.g. its timeout)
        except Exception as exc:  # a bug in the fake must not look like a hang
            sys.stderr.write(f"fake-ollama: internal error: {type(exc).__name__}: {exc}\n")
            if not self._sent:
                with contextlib.suppress(*_GONE):
                    self._error(500, f"fake server internal error: {exc}")
            self.close_connection = True

    def _read_body(self) -> str:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                data += self.rfile.read(size)
                self.rfile.readline()
                if len(data) > MAX_BODY:
                    raise _BadRequest("request body too large", 413)
            return data.decode("utf-8", "replace")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise _BadRequest("request body too large", 413)
        return self.rfile.read(length).decode("utf-8", "replace") if length else ""

    @staticmethod
    def _parse(text: str) -> Any:
        if not text.strip():
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise _BadRequest(f"invalid JSON in request body: {exc.msg} "
                              f"(line {exc.lineno} column {exc.colno})") from None

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self._sent = True
        if self.command != "HEAD":
            self.wfile.write(data)

    def _json(self, status: int, obj: Any) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), JSON)

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    def _wait(self, seconds: float) -> bool:
        """Pause for injected latency; False if the server is stopping meanwhile."""
        if seconds > 0 and self.server.fake._stopping.wait(seconds):
            self.close_connection = True
            return False
        return True

    def _stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", NDJSON)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._sent = True

    def _line(self, obj: Any) -> None:
        data = (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def _end(self) -> None:
        self.wfile.write(b"0\r\n\r\n")

    # -- helpers shared by the model endpoints --------------------------------

    def _model(self, body: dict[str, Any]) -> tuple[str, ModelSpec]:
        name = body.get("model") or body.get("name")  # "name" is the deprecated spelling
        if not isinstance(name, str) or not name.strip():
            raise _BadRequest("model is required")
        spec = self.server.fake.current_script.model(name)
        if spec is None:
            raise _BadRequest(f"model '{name}' not found", 404)
        return name, spec

    def _begin(self, rule: Rule | None) -> tuple[float, float] | None:
        """Wait the scripted latency and send a scripted error, if any.

        Returns (latency, delay between streamed chunks), or None when the answer is done.
        """
        timing = self._settings(rule)
        if not self._wait(timing[0]):
            return None
        if rule is not None and rule.http_status is not None:
            self._error(rule.http_status, rule.error_text)
            return None
        return timing

    def _settings(self, rule: Rule | None) -> tuple[float, float]:
        script = self.server.fake.current_script
        latency = rule.latency if rule and rule.latency is not None else script.latency
        chunk = (rule.chunk_latency if rule and rule.chunk_latency is not None
                 else script.chunk_latency)
        return latency, chunk

    # -- control endpoints (not recorded) ---------------------------------------

    def _control(self, method: str, path: str, text: str) -> None:
        fake = self.server.fake
        if path == "/_fake/requests" and method == "GET":
            self._json(200, [r.to_json() for r in fake.requests])
        elif path == "/_fake/requests" and method == "DELETE":
            self._json(200, {"cleared": fake.clear_requests()})
        elif path == "/_fake/script" and method in ("PUT", "POST"):
            try:
                fake.script(parse_script(self._parse(text) or {}, "script"))
            except ScriptError as exc:
                raise _BadRequest(str(exc)) from None
            self._json(200, {"ok": True})
        else:
            self._send(404, b"404 page not found", "text/plain")

    # -- Ollama endpoints ---------------------------------------------------------

    def _root(self, body: dict[str, Any]) -> None:
        self._send(200, b"Ollama is running", "text/plain; charset=utf-8")

    def _version(self, body: dict[str, Any]) -> None:
        self._json(200, {"version": self.server.fake.current_script.version})

    def _tags(self, body: dict[str, Any]) -> None:
        models = self.server.fake.current_script.models
        self._json(200, {"models": [replies.tag_entry(m) for m in models]})

    def _ps(self, body: dict[str, Any]) -> None:
        self._json(200, {"models": [replies.ps_entry(m, at)
                                    for m, at in self.server.fake._loaded_models()]})

    def _show(self, body: dict[str, Any]) -> None:
        _name, spec = self._model(body)
        self._json(200, replies.show(spec))

    def _delete(self, body: dict[str, Any]) -> None:
        _name, spec = self._model(body)
        self.server.fake._uninstall(spec.name)
        self._send(200, b"", JSON)

    def _chat(self, body: dict[str, Any]) -> None:
        name, spec = self._model(body)
        if "completion" not in spec.capabilities:
            raise _BadRequest(f'"{name}" does not support chat')
        if body.get("tools") and "tools" not in spec.capabilities:
            raise _BadRequest(f"registry.ollama.ai/library/{name} does not support tools")
        messages = body.get("messages") or []
        if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
            raise _BadRequest("messages must be a list of {role, content} objects")
        if not messages:  # Ollama answers an empty chat by loading the model
            self._loaded_only(body, name, spec, {"message": {"role": "assistant",
                                                             "content": ""}})
            return
        prompt = _prompt_of(body)
        tokens = sum(replies.count_tokens(str(m.get("content") or "")) + 1 for m in messages)
        self._answer("chat", body, name, spec, prompt, tokens)

    def _generate(self, body: dict[str, Any]) -> None:
        name, spec = self._model(body)
        if "completion" not in spec.capabilities:
            raise _BadRequest(f'"{name}" does not support generate')
        prompt = body.get("prompt") or ""
        if not isinstance(prompt, str):
            raise _BadRequest("prompt must be a string")
        if not prompt:
            self._loaded_only(body, name, spec, {"response": ""})
            return
        system = body.get("system") if isinstance(body.get("system"), str) else ""
        tokens = replies.count_tokens(prompt) + replies.count_tokens(system)
        self._answer("generate", body, name, spec, prompt, tokens)

    def _loaded_only(self, body: dict[str, Any], name: str, spec: ModelSpec,
                     payload: dict[str, Any]) -> None:
        self.server.fake._mark_loaded(spec)
        final = {"model": name, "created_at": replies.timestamp(), **payload,
                 "done_reason": "load", "done": True}
        if body.get("stream", True) is False:
            self._json(200, final)
        else:
            self._stream()
            self._line(final)
            self._end()

    def _answer(self, endpoint: str, body: dict[str, Any], name: str, spec: ModelSpec,
                prompt: str, prompt_tokens: int) -> None:
        fake = self.server.fake
        rule = fake._pick(endpoint, spec.name, prompt)
        timing = self._begin(rule)
        if timing is None:
            return
        latency, chunk_latency = timing
        script = fake.current_script
        text = rule.text() if rule else None
        tool_calls = rule.tool_calls if rule else None
        if text is None:
            text = "" if tool_calls else script.default_reply
        parts, reason = replies.apply_options(text, body.get("options"), script.chunk_size)
        if rule is not None and rule.done_reason:
            reason = rule.done_reason
        error_after = rule.error_after_chunks if rule else None
        fake._mark_loaded(spec)
        final: dict[str, Any] = {"model": name, "created_at": ""}
        if endpoint == "chat":
            final["message"] = {"role": "assistant", "content": ""}
        else:
            final["response"] = ""
        final["done"] = True
        final["done_reason"] = reason
        if endpoint == "generate":
            final["context"] = replies.context_tokens(prompt + " " + "".join(parts))
        final.update(replies.metrics(prompt_tokens, len(parts) + bool(tool_calls), latency))

        if body.get("stream", True) is False:
            if error_after is not None:
                assert rule is not None
                self._error(500, rule.error_text)
                return
            final["created_at"] = replies.timestamp()
            if endpoint == "chat":
                final["message"]["content"] = "".join(parts)
                if tool_calls:
                    final["message"]["tool_calls"] = tool_calls
            else:
                final["response"] = "".join(parts)
            self._json(200, final)
            return

        self._stream()
        for index, part in enumerate(parts):
            if error_after is not None and index >= error_after:
                break
            if index and not self._wait(chunk_latency):
                return
            self._line(self._piece(endpoint, name, part))
        if error_after is not None:
            assert rule is not None
            self._line({"error": rule.error_text})
            self._end()
            return
        if tool_calls:
            self._line({**self._piece(endpoint, name, ""),
                        **({"message": {"role": "assistant", "content": "",
                                        "tool_calls": tool_calls}} if endpoint == "chat"
                           else {})})
        if parts and not self._wait(chunk_latency):
            return
        final["created_at"] = replies.timestamp()
        self._line(final)
        self._end()

    @staticmethod
    def _piece(endpoint: str, name: str, text: str) -> dict[str, Any]:
        piece: dict[str, Any] = {"model": name, "created_at": replies.timestamp()}
        if endpoint == "chat":
            piece["message"] = {"role": "assistant", "content": text}
        else:
            piece["response"] = text
        piece["done"] = False
        return piece

    def _embed(self, body: dict[str, Any]) -> None:
        name, spec = self._model(body)
        raw = body.get("input")
        if raw is None or raw == "":
            inputs: list[str] = []
        elif isinstance(raw, str):
            inputs = [raw]
        elif isinstance(raw, list) and all(isinstance(i, str) for i in raw):
            inputs = raw
        else:
            raise _BadRequest("invalid input type: input must be a string or a list of strings")
        rule = self.server.fake._pick("embed", spec.name, "\n".join(inputs))
        latency, _chunk = self._settings(rule)
        if not self._wait(latency):
            return
        if rule is not None and (rule.http_status or rule.error_after_chunks is not None):
            self._error(rule.http_status or 500, rule.error_text)
            return
        dim = body.get("dimensions")
        if not isinstance(dim, int) or isinstance(dim, bool) or dim <= 0:
            dim = self.server.fake.current_script.embedding_dim
        self.server.fake._mark_loaded(spec)
        tokens = sum(replies.count_tokens(i) for i in inputs)
        metrics = replies.metrics(tokens, 0, latency)
        self._json(200, {"model": name,
                         "embeddings": [replies.embedding(i, dim) for i in inputs],
                         "total_duration": metrics["total_duration"],
                         "load_duration": metrics["load_duration"],
                         "prompt_eval_count": tokens})

    def _embeddings(self, body: dict[str, Any]) -> None:  # the legacy endpoint
        _name, spec = self._model(body)
        prompt = body.get("prompt")
        dim = self.server.fake.current_script.embedding_dim
        vector = replies.embedding(prompt, dim) if isinstance(prompt, str) and prompt else []
        self.server.fake._mark_loaded(spec)
        self._json(200, {"embedding": vector})

    def _pull(self, body: dict[str, Any]) -> None:
        name = body.get("model") or body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _BadRequest("model is required")
        fake = self.server.fake
        wanted = normalize_model(name)
        rule = fake._pick("pull", wanted, "")
        timing = self._begin(rule)
        if timing is None:
            return
        chunk_latency = timing[1]
        spec = fake.current_script.model(wanted) or ModelSpec(wanted)
        statuses = replies.pull_statuses(spec)
        error_after = rule.error_after_chunks if rule else None
        if body.get("stream", True) is False:
            if error_after is not None:
                assert rule is not None
                self._error(500, rule.error_text)
                return
            fake._install(spec)
            self._json(200, {"status": "success"})
            return
        self._stream()
        for index, status in enumerate(statuses):
            if error_after is not None and index >= error_after:
                assert rule is not None
                self._line({"error": rule.error_text})
                self._end()
                return
            if index and not self._wait(chunk_latency):
                return
            if status["status"] == "success":
                fake._install(spec)
            self._line(status)
        self._end()


# (handler, needs a JSON object body)
ROUTES: dict[tuple[str, str], tuple[Callable[[_Handler, dict[str, Any]], None], bool]] = {
    ("GET", "/"): (_Handler._root, False),
    ("GET", "/api/version"): (_Handler._version, False),
    ("GET", "/api/tags"): (_Handler._tags, False),
    ("GET", "/api/ps"): (_Handler._ps, False),
    ("POST", "/api/show"): (_Handler._show, True),
    ("POST", "/api/chat"): (_Handler._chat, True),
    ("POST", "/api/generate"): (_Handler._generate, True),
    ("POST", "/api/embed"): (_Handler._embed, True),
    ("POST", "/api/embeddings"): (_Handler._embeddings, True),
    ("POST", "/api/pull"): (_Handler._pull, True),
    ("DELETE", "/api/delete"): (_Handler._delete, True),
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], fake: FakeOllama) -> None:
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can stall on DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End kept-alive connections so their threads finish with the server."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class FakeOllama:
    """A scripted Ollama server on an ephemeral loopback port, in a background thread.

    Use it as a context manager (or call :meth:`start` and :meth:`stop`). ``url``
    is the base URL for ``ollama.Client(host=...)``; ``host`` is the ``HOST:PORT``
    form for ``OLLAMA_HOST``.
    """

    def __init__(self, script: Script | dict[str, Any] | Path | str | None = None, *,
                 host: str = "127.0.0.1", port: int = 0, record_file: Path | None = None,
                 allow_network: bool = False, verbose: bool = False) -> None:
        if not is_loopback(host) and not allow_network:
            raise FakeServerError(
                f"Refusing to listen on {host}: the fake server answers anyone who can reach "
                "it, so it binds to this machine only (127.0.0.1). Pass allow_network=True "
                "(--allow-network on the command line) if you really mean to share it.")
        self._bind = (host, port)
        self._lock = threading.Lock()
        self._received = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._requests: list[RecordedRequest] = []
        self._loaded: dict[str, datetime] = {}
        self._record_file = record_file
        self._record_io: IO[str] | None = None
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self.verbose = verbose
        self.current_script = Script()
        self._queue: list[Rule] = []
        self._used: dict[int, int] = {}
        self.script(script)

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> FakeOllama:
        if self._httpd is not None:
            return self
        try:
            self._httpd = _Server(self._bind, self)
        except OSError as exc:
            host, port = self._bind
            hint = (" Is Ollama (or another fake server) already running there? Pick another "
                    "port with --port." if port else "")
            raise FakeServerError(f"Cannot listen on {host}:{port}: "
                                  f"{exc.strerror or exc}.{hint}") from None
        if self._record_file is not None:
            self._record_io = open(self._record_file, "a", encoding="utf-8")  # noqa: SIM115
        self._stopping.clear()
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="fake-ollama", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()  # wakes requests that are sleeping for injected latency
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            if self._record_io is not None:
                self._record_io.close()
                self._record_io = None

    def __enter__(self) -> FakeOllama:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses -----------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise FakeServerError("The fake server is not running; call start() first.")
        return int(self._httpd.server_address[1])

    @property
    def host(self) -> str:
        """``HOST:PORT``, the form ``OLLAMA_HOST`` takes."""
        name = self._bind[0]
        return f"[{name}]:{self.port}" if ":" in name else f"{name}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    # -- scripting -----------------------------------------------------------------

    def script(self, source: Script | dict[str, Any] | Path | str | None = None,
               **fields: Any) -> Script:
        """Replace the script: a Script, a mapping, a file (Path), YAML text, or keywords.

        ``fake.script(rules=[{"match": "France", "reply": "Paris."}])`` keeps every
        other setting at its default. Models pulled or deleted earlier are forgotten.
        """
        if fields:
            if source is not None:
                raise ScriptError("pass a script or keyword settings, not both")
            new = parse_script(fields)
        else:
            new = load_script(source)
        with self._lock:
            self.current_script = new
            self._queue = list(new.queue)
            self._used = {}
        return new

    def _pick(self, endpoint: str, model: str, prompt: str) -> Rule | None:
        with self._lock:
            if endpoint in PROMPT_ENDPOINTS and self._queue:
                return self._queue.pop(0)
            for index, rule in enumerate(self.current_script.rules):
                used = self._used.get(index, 0)
                if rule.times is not None and used >= rule.times:
                    continue
                if rule.matches(endpoint, model, prompt):
                    self._used[index] = used + 1
                    return rule
        return None

    def _install(self, spec: ModelSpec) -> None:
        with self._lock:
            models = [m for m in self.current_script.models if m.name != spec.name]
            self.current_script = replace(self.current_script, models=(*models, spec))

    def _uninstall(self, name: str) -> None:
        with self._lock:
            models = tuple(m for m in self.current_script.models if m.name != name)
            self.current_script = replace(self.current_script, models=models)
            self._loaded.pop(name, None)

    def _mark_loaded(self, spec: ModelSpec) -> None:
        with self._lock:
            self._loaded[spec.name] = datetime.now(timezone.utc)

    def _loaded_models(self) -> Iterator[tuple[ModelSpec, datetime]]:
        with self._lock:
            loaded = dict(self._loaded)
            script = self.current_script
        for name, at in loaded.items():
            spec = script.model(name)
            if spec is not None:
                yield spec, at

    # -- what was received ---------------------------------------------------------

    def _record_request(self, method: str, path: str, headers: dict[str, str], body: Any,
                        text: str) -> None:
        with self._received:
            recorded = RecordedRequest(len(self._requests), method, path,
                                       {k.lower(): v for k, v in headers.items()}, body, text,
                                       replies.timestamp())
            self._requests.append(recorded)
            if self._record_io is not None:
                self._record_io.write(json.dumps(recorded.to_json(), ensure_ascii=False) + "\n")
                self._record_io.flush()
            self._received.notify_all()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far (control endpoints excluded), oldest first."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def last_request(self, path: str | None = None) -> RecordedRequest | None:
        found = self.requests_to(path) if path else self.requests
        return found[-1] if found else None

    def clear_requests(self) -> int:
        with self._lock:
            count = len(self._requests)
            self._requests.clear()
            return count

    def wait_for_requests(self, count: int = 1, path: str | None = None,
                          timeout: float = 5.0) -> bool:
        """Block until ``count`` requests (to ``path``) have arrived; False on timeout."""
        def enough() -> bool:
            return sum(path is None or r.path == path for r in self._requests) >= count

        with self._received:
            return self._received.wait_for(enough, timeout=timeout)

    @property
    def models(self) -> list[str]:
        """Names of the models the server currently reports as installed."""
        return [m.name for m in self.current_script.models]
