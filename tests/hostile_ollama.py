"""A small hostile server for the Ollama port: real sockets on 127.0.0.1, scripted abuse.

Each mode answers every request in one broken or malicious way (an HTML page, a
dropped connection, JSON of the wrong shape, a stream line that is not JSON, a body
that never ends, wrong content types, an empty 200, escape sequences in names...).
Tests point OLLAMA_HOST at it and check that aisec says one clear thing and stops.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
from collections.abc import Callable

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;aGk=\x07\u202eevil"
VERSION = {"version": "0.17.1"}
ONE_MODEL = {"models": [{"model": "llama3.2:1b", "name": "llama3.2:1b", "size": 1,
                         "details": {"family": "llama"}}]}


def _response(status: str, body: bytes, content_type: str = "application/json",
              extra: str = "", length: int | None = None) -> bytes:
    size = len(body) if length is None else length
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {size}\r\n"
            f"{extra}Connection: close\r\n\r\n").encode() + body


def _json(data: object, status: str = "200 OK") -> bytes:
    return _response(status, json.dumps(data).encode())


def _chat_line(content: str, done: bool = False) -> bytes:
    return json.dumps({"model": "llama3.2:1b", "created_at": "2026-01-01T00:00:00Z",
                       "message": {"role": "assistant", "content": content},
                       "done": done}).encode() + b"\n"


ENDLESS = object()  # send headers, then body bytes until the client goes away
DROP = object()  # close the connection without a word


def _answer(mode: str, method: str, path: str) -> bytes | object | tuple[bytes, bytes]:
    ok = {"/api/version": _json(VERSION), "/api/tags": _json(ONE_MODEL)}
    if mode == "html":
        return _response("200 OK", b"<html><body><h1>Welcome to nginx!</h1></body></html>",
                         "text/html")
    if mode == "drop":
        return DROP
    if mode == "not-http":
        return b"HELLO THERE, THIS IS NOT HTTP\r\n\r\n"
    if mode == "short":  # promises 1000 bytes, sends a few, hangs up
        return _response("200 OK", b'{"vers', length=1000)
    if mode == "models-notalist":
        return ok["/api/version"] if path == "/api/version" else _json({"models": "notalist"})
    if mode == "models-wrong-shapes":
        models = [{"model": 5, "size": "big"}, ["x"], {"model": {"a": 1}},
                  {"model": "gemma3:1b", "size": "1e999", "details": "no"}]
        body = json.dumps({"models": models}).encode().replace(b'"1e999"', b"1e999")
        return ok["/api/version"] if path == "/api/version" else _response("200 OK", body)
    if mode == "deep":
        return _response("200 OK", b"[" * 200_000)
    if mode == "bad-stream":
        if path == "/api/chat":
            body = _chat_line("Hello ") + b"this is not json\n" + _chat_line("", done=True)
            return _response("200 OK", body, "application/x-ndjson")
        return ok.get(path, _json({"error": "not found"}, "404 Not Found"))
    if mode == "stream-wrong-shapes":
        if path == "/api/chat":
            body = b'[1, 2]\n{"message": 5}\n'
            return _response("200 OK", body, "application/x-ndjson")
        return ok.get(path, _json({"error": "not found"}, "404 Not Found"))
    if mode == "endless":
        return ENDLESS
    if mode == "endless-answer":  # valid lines, forever
        if path == "/api/chat":
            return ("lines", _chat_line("x" * 1000))
        return ok.get(path, _json({"error": "not found"}, "404 Not Found"))
    if mode == "wrong-type":
        return _response("200 OK", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\xfd",
                         "image/png")
    if mode == "gzip-bomb":
        bomb = gzip.compress(b"0" * (64 << 20))
        return _response("200 OK", bomb, "application/json", "Content-Encoding: gzip\r\n")
    if mode == "empty":
        return _response("200 OK", b"")
    if mode == "escapes":
        if path == "/api/version":
            return _json({"version": "0.17.1" + ESCAPES})
        if path == "/api/tags":
            return _json({"models": [{"model": "llama3.2:1b" + ESCAPES, "size": 1,
                                      "details": {"family": "llama"}}]})
        if path == "/api/chat":
            return _response("200 OK", _chat_line("Hi " + ESCAPES) + _chat_line("", True),
                             "application/x-ndjson")
    return _json({"error": "not found"}, "404 Not Found")


class HostileServer:
    """``with HostileServer("html") as server: ... server.host``"""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self._stop = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.host = f"127.0.0.1:{self.port}"
        self.paths: list[str] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):  # wake accept(): closing the socket does not
            socket.create_connection(("127.0.0.1", self.port), timeout=5).close()
        self._thread.join()
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            if self._stop.is_set():
                conn.close()
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            try:
                method, path = self._read_request(conn)
                self.paths.append(path)
                self._send(conn, _answer(self.mode, method, path))
            except OSError:
                pass  # the client went away: that is how an endless body ends

    @staticmethod
    def _read_request(conn: socket.socket) -> tuple[str, str]:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                raise OSError("client closed")
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path = lines[0].split(" ")[:2]
        length = next((int(line.split(":", 1)[1]) for line in lines[1:]
                       if line.lower().startswith("content-length:")), 0)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return method, path

    def _send(self, conn: socket.socket, answer: object) -> None:
        if answer is DROP:
            conn.shutdown(socket.SHUT_RDWR)
            return
        if answer is ENDLESS or isinstance(answer, tuple):
            kind = "application/x-ndjson" if isinstance(answer, tuple) else "application/json"
            conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nConnection: close"
                         "\r\n\r\n".encode())
            piece = answer[1] * 64 if isinstance(answer, tuple) else b"[" * 65536
            while not self._stop.is_set():
                conn.sendall(piece)
            return
        assert isinstance(answer, bytes)
        conn.sendall(answer)


def strict_json(text: str) -> object:
    """json.loads that refuses NaN and Infinity, as every other JSON reader does."""
    def refuse(name: str) -> Callable[[], None]:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)
