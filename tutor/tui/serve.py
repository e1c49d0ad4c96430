"""`aisec serve`: the TUI in a web browser, through textual-serve, for one learner.

Each browser session starts ``python -m tutor tui`` as a subprocess on this
machine, and through the in-app editor that session can make the grader run
Python. So a session is as powerful as a shell, and the server admits only the
learner who started it:

- **A per-launch secret.** ``aisec serve`` prints a URL with a random token (as
  Jupyter does). The page needs it (in the URL, or the cookie that the first visit
  sets) and the websocket carries it in its path; tokens are compared in constant
  time. A web page the learner happens to have open does not know it.
- **Host and Origin.** Browsers let any page open a websocket to any address, and
  DNS rebinding makes a foreign name resolve to 127.0.0.1. So every request must
  name the address being served in ``Host`` (loopback names too when bound to
  loopback), and an ``Origin`` (always present on a browser's websocket) must be
  that same address. Anything else gets 403.
- **A cap on sessions**, since each one is a process; refusals are logged.
- **This machine only, unless asked.** :func:`check_launch` refuses an address
  other than loopback without ``--allow-network`` (meant for a disposable VM or
  container with one learner), and says what that exposes when it is given.

The checks sit in front of textual-serve's own handlers as aiohttp middleware;
textual-serve still does the terminal work. The page it renders would also load
a font from Google's servers; that link is removed so that opening the course
sends nothing to third parties.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import shlex
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

from tutor.errors import UsageError
from tutor.ollama.host import is_loopback
from tutor.text.safe import safe_line

log = logging.getLogger("aisec.serve")

DEFAULT_MAX_SESSIONS = 3
MAX_SESSIONS_LIMIT = 50
TOKEN_BYTES = 32
LOG_LINE_LIMIT = 300  # characters of one log line; a request can be far longer
# <link rel="stylesheet" href="https://fonts.googleapis.com/..."/> (spread over lines)
THIRD_PARTY_FONT = re.compile(r"<link\b[^>]*fonts\.googleapis\.com[^>]*>", re.S)
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def url_host(host: str) -> str:
    """``host`` as it appears in a URL: IPv6 literals in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


class Gate:
    """Who may use this server: the Host/Origin rules and the per-launch token."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.cookie = f"aisec-serve-{port}"  # cookies ignore ports: one name per server
        names = {url_host(host).lower()}
        if is_loopback(host):
            names.update(LOOPBACK_NAMES)
        self.hosts = {f"{name}:{port}" for name in names}
        if port == 80:  # a browser leaves the default port out of Host and Origin
            self.hosts.update(names)
        self.origins = {f"http://{h}" for h in self.hosts}

    def host_ok(self, request: web.Request) -> bool:
        return request.headers.get("Host", "").strip().lower() in self.hosts

    def origin_ok(self, request: web.Request, *, required: bool) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return not required
        return origin.strip().lower() in self.origins

    def token_ok(self, candidate: str | None) -> bool:
        if not candidate:
            return False
        return hmac.compare_digest(candidate.encode("utf-8", "replace"),
                                   self.token.encode("ascii"))


def _refuse(request: web.Request, status: int, why: str) -> web.Response:
    # Header values are the caller's text: logged on one line, control characters shown.
    log.warning("refused %s %s from %s: %s (Host=%s, Origin=%s)", request.method,
                safe_line(request.path, 200), request.remote or "?", why,
                safe_line(request.headers.get("Host", "-"), 200),
                safe_line(request.headers.get("Origin", "-"), 200))
    text = {403: "403 Forbidden: open the address that 'aisec serve' printed; it carries a "
                 "secret token for this launch.",
            503: "503: too many browser sessions are open; close one, or restart "
                 "'aisec serve' with a higher --max-sessions."}[status]
    return web.Response(status=status, text=text + "\n")


class OneLineFormatter(logging.Formatter):
    """One safe line per record, never a traceback. Anyone who can reach the port can
    send a malformed request; aiohttp logs its parse error with the traceback and the
    request's bytes, which are the sender's words, not ours, and not the terminal's."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text += f" ({type(error).__name__}: {error})"
        return "aisec serve: " + safe_line(text, LOG_LINE_LIMIT)


class LearnerServer(Server):
    """textual-serve, admitting only requests that carry this launch's token."""

    def __init__(self, command: str, host: str, port: int, *, token: str | None = None,
                 max_sessions: int = DEFAULT_MAX_SESSIONS) -> None:
        super().__init__(command, host=host, port=port, title="aisec-tutor",
                         public_url=f"http://{url_host(host)}:{port}")
        self.gate = Gate(host, port, token or secrets.token_urlsafe(TOKEN_BYTES))
        self.max_sessions = max_sessions
        self.sessions = 0

    @property
    def url(self) -> str:
        """What the learner opens: the served address with this launch's token."""
        return f"{self.public_url}/?token={self.gate.token}"

    def initialize_logging(self) -> None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(OneLineFormatter())
        logging.basicConfig(level=logging.INFO, handlers=[handler])
        # The access log would print every URL, token included; refusals are logged above.
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def on_startup(self, app: web.Application) -> None:
        print(f"Serving aisec-tutor. Open this address in your browser (it holds a secret "
              f"token for this launch; do not share it):\n\n    {self.url}\n\nctrl+c stops.",
              file=sys.stderr, flush=True)

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard, _no_third_parties])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws/{token}", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        gate = self.gate
        if not gate.host_ok(request):
            return _refuse(request, 403, "Host is not the served address")
        websocket = request.path.startswith("/ws/")
        if not gate.origin_ok(request, required=websocket):
            return _refuse(request, 403, "Origin is not the served address")
        if request.path.startswith("/static/"):
            return await handler(request)  # textual-serve's own scripts and styles
        if websocket:
            if not gate.token_ok(request.match_info.get("token")):
                return _refuse(request, 403, "wrong or missing token")
            if self.sessions >= self.max_sessions:
                return _refuse(request, 503, f"already {self.sessions} sessions open")
            self.sessions += 1
            try:
                return await handler(request)
            finally:
                self.sessions -= 1
        if not (gate.token_ok(request.query.get("token"))
                or gate.token_ok(request.cookies.get(gate.cookie))):
            return _refuse(request, 403, "wrong or missing token")
        response = await handler(request)
        if request.path == "/":
            # A reload without the token in the URL still works; other sites' pages
            # never carry the cookie (SameSite=Strict), and scripts cannot read it.
            response.set_cookie(gate.cookie, gate.token, httponly=True, samesite="Strict",
                                path="/")
        return response

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        # The websocket URL is built from the (already checked) Host the browser used,
        # so that its Origin and the websocket's Host agree.
        host = request.headers["Host"]
        context = {
            "font_size": _int(request.query.get("fontsize"), 16),
            "app_websocket_url": f"ws://{host}/ws/{self.gate.token}",
            "config": {"static": {"url": f"http://{host}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)


def _int(value: str | None, default: int) -> int:
    try:
        return max(8, min(64, int(value))) if value else default
    except ValueError:
        return default


@web.middleware
async def _no_third_parties(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    if isinstance(response, web.Response) and response.content_type == "text/html":
        response.text = THIRD_PARTY_FONT.sub("", response.text or "")
        response.headers["Referrer-Policy"] = "no-referrer"  # the token stays here
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        response.headers["Cache-Control"] = "no-store"
    return response


def serve(command: str, host: str, port: int, max_sessions: int = DEFAULT_MAX_SESSIONS,
          token: str | None = None) -> None:
    LearnerServer(command, host, port, token=token, max_sessions=max_sessions).serve()


def check_launch(host: str, port: int, max_sessions: int, allow_network: bool) -> str | None:
    """Refuse a launch that is invalid, or that would expose this machine unasked.

    Returns the warning to show when serving beyond this machine was asked for
    with ``allow_network``, else None. Raises :class:`UsageError` otherwise.
    """
    if not 0 < port < 65536:
        raise UsageError("--port must be between 1 and 65535.")
    if not 1 <= max_sessions <= MAX_SESSIONS_LIMIT:
        raise UsageError(f"--max-sessions must be between 1 and {MAX_SESSIONS_LIMIT}.")
    if is_loopback(host):
        return None
    if not allow_network:
        raise UsageError(
            f"Serving on {host} would let anyone who can reach this machine open the "
            "course, and every session runs Python code (the learner's exercises) here. "
            "Keep the default 127.0.0.1 (a name with a trailing dot, or any name but "
            "'localhost', counts as the network), or pass --allow-network if this machine "
            "is a disposable VM or container for one learner.")
    return (f"serving on {host}: anyone who can reach port {port} and learns the address "
            "with its token can run code on this machine through the exercises. Use this "
            "only in an isolated VM or container.")


def session_command(course: Path | None, workspace: Path | None) -> str:
    """What each browser session runs: this Python's ``-m tutor tui``, on the same course
    and in the same workspace as the ``aisec serve`` that started it."""
    command = [sys.executable, "-m", "tutor"]
    if course is not None:
        command += ["--course", str(course.resolve())]
    if workspace is not None:
        command += ["--workspace", str(workspace.resolve())]
    command.append("tui")
    return subprocess.list2cmdline(command) if sys.platform == "win32" else shlex.join(command)
