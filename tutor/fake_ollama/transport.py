"""The fake server's HTTP plumbing, with no knowledge of Ollama.

A :class:`BackgroundHttpServer` serves HTTP/1.1 (keep-alive, chunked streams) on
a background thread. For each request its handler reads the body (within
:data:`MAX_BODY`), and hands a :class:`Request` and a :class:`Responder` to the
:class:`Service` it was given. What to answer is the service's business; how
bytes go out (whole bodies, NDJSON lines, pauses a stop can cut short) is this
module's.
"""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import urlsplit

NDJSON = "application/x-ndjson"
JSON = "application/json; charset=utf-8"
TEXT = "text/plain"
MAX_BODY = 32 * 1024 * 1024
IDLE_TIMEOUT = 60.0  # seconds a kept-alive connection may sit idle
# How often the serving loop looks whether it was asked to stop: what stopping waits for.
# The checks start and stop a server per check (make_client, ask_json: 16 stops a grading).
SHUTDOWN_POLL_S = 0.01
CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


class HttpError(Exception):
    """An answer of ``{"error": message}`` with this status, raised from anywhere in a request."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Request:
    """One request as received: the path without its query, and the raw body."""

    method: str
    path: str
    headers: dict[str, str]
    text: str
    bound_host: str = "127.0.0.1"  # the address the server listens on

    def header(self, name: str) -> str | None:
        """A header's value, whatever the case of its name as sent."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    def json(self) -> Any:
        """The body as JSON, or None when it is empty."""
        if not self.text.strip():
            return None
        try:
            return json.loads(self.text)
        except json.JSONDecodeError as exc:
            raise HttpError(f"invalid JSON in request body: {exc.msg} "
                            f"(line {exc.lineno} column {exc.colno})") from None


class Responder:
    """How a service answers one request: a whole body, or an NDJSON stream."""

    def __init__(self, handler: BaseHTTPRequestHandler, stopping: threading.Event) -> None:
        self._handler = handler
        self._stopping = stopping
        self.sent = False  # True once the status line is out: too late for an error response
        self.headers: list[tuple[str, str]] = []  # extra headers for the answer (CORS, Allow)

    def _head(self, status: int) -> None:
        handler = self._handler
        handler.send_response(status)
        for name, value in self.headers:
            handler.send_header(name, value)

    def send(self, status: int, data: bytes, content_type: str | None) -> None:
        handler = self._handler
        self._head(status)
        if content_type is not None:
            handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        self.sent = True
        if handler.command != "HEAD":
            handler.wfile.write(data)

    def json(self, status: int, obj: Any) -> None:
        self.send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), JSON)

    def error(self, status: int, message: str) -> None:
        self.json(status, {"error": message})

    def start_stream(self, content_type: str = NDJSON) -> None:
        handler = self._handler
        self._head(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        self.sent = True

    def line(self, obj: Any) -> None:
        self.chunk((json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8"))

    def chunk(self, data: bytes) -> None:
        """One chunk of a stream started with :meth:`start_stream`."""
        self._handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def end_stream(self) -> None:
        self._handler.wfile.write(b"0\r\n\r\n")

    def pause(self, seconds: float) -> bool:
        """Wait (for injected latency); False if the server is stopping meanwhile."""
        if seconds > 0 and self._stopping.wait(seconds):
            self._handler.close_connection = True
            return False
        return True


class Service(Protocol):
    """What the server asks for every request; it answers through the responder."""

    def handle(self, request: Request, reply: Responder) -> None: ...


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked streams, like the real server
    server_version = "aisec-fake-ollama"
    sys_version = ""
    timeout = IDLE_TIMEOUT
    server: BackgroundHttpServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's
        # algorithm and delayed ACKs add ~40 ms to every request on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        self.server.log(f"{self.address_string()} {format % args}")

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

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_OPTIONS(self) -> None:
        self._handle("OPTIONS")

    def _handle(self, method: str) -> None:
        reply = Responder(self, self.server.stopping)
        path = urlsplit(self.path).path
        try:
            request = Request(method, path, dict(self.headers.items()), self._read_body(),
                              str(self.server.server_address[0]))
            self.server.service.handle(request, reply)
        except HttpError as exc:
            reply.error(exc.status, str(exc))
        except CLIENT_GONE:
            self.close_connection = True  # the client went away (e.g. its timeout)
        except Exception as exc:  # a bug in the fake must not look like a hang
            sys.stderr.write(f"fake-ollama: internal error: {type(exc).__name__}: {exc}\n")
            if not reply.sent:
                with contextlib.suppress(*CLIENT_GONE):
                    reply.error(500, f"fake server internal error: {exc}")
            self.close_connection = True

    def _read_body(self) -> str:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise HttpError("request body too large", 413)
        return self.rfile.read(length).decode("utf-8", "replace") if length else ""

    def _read_chunked(self) -> str:
        data = bytearray()
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()
                break
            data += self.rfile.read(size)
            self.rfile.readline()
            if len(data) > MAX_BODY:
                raise HttpError("request body too large", 413)
        return data.decode("utf-8", "replace")


class BackgroundHttpServer(ThreadingHTTPServer):
    """A threading HTTP server for one service, run on a daemon thread until :meth:`close`.

    ``log`` receives one line per request handled.
    """

    daemon_threads = True

    def __init__(self, address: tuple[str, int], service: Service,
                 log: Callable[[str], None]) -> None:
        self.service = service
        self.log = log
        self.stopping = threading.Event()  # wakes requests paused for injected latency
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

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

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up (mid-stream, or while a kept-alive connection idles)
        # is routine, not a fault: socketserver would print a traceback for it.
        if isinstance(sys.exc_info()[1], CLIENT_GONE):
            return
        super().handle_error(request, client_address)

    def serve_in_background(self, name: str) -> None:
        self._thread = threading.Thread(target=self.serve_forever,
                                        kwargs={"poll_interval": SHUTDOWN_POLL_S}, name=name,
                                        daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop serving, end every connection (even paused ones) and wait for the thread."""
        self.stopping.set()
        self.shutdown()
        self._close_connections()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _close_connections(self) -> None:
        """End kept-alive connections so their threads finish with the server."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
