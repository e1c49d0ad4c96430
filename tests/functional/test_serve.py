"""`aisec serve` admits only the learner who started it: token, Host, Origin, a session cap.

Every test talks to a real `aisec serve` over real HTTP and websockets on
127.0.0.1, the way a browser (or an attacker's page, or a DNS-rebinding name)
would.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

pytest.importorskip("textual_serve", reason="the 'serve' extra is part of the test extra")
import contextlib

import aiohttp

TOKEN_RE = re.compile(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    proc: subprocess.Popen[str]
    port: int = 0
    token: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        return self.base

    def log(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def serve(mini_workspace) -> Iterator[callable]:
    started: list[Served] = []

    def start(*extra: str) -> Served:
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "tutor", "serve", "--port", str(port), *extra],
            cwd=mini_workspace.root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, env={**os.environ, "NO_COLOR": "1"}, start_new_session=True)
        served = Served(proc)
        started.append(served)
        ready = threading.Event()

        def read() -> None:
            assert proc.stderr is not None
            for line in proc.stderr:
                served.lines.append(line.rstrip("\n"))
                if match := TOKEN_RE.search(line):
                    served.port, served.token = int(match.group(1)), match.group(2)
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        assert ready.wait(60) and served.token, f"no URL printed:\n{served.log()}"
        deadline = time.monotonic() + 30
        while True:  # the URL is printed on start-up; wait until the port accepts
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return served
            except OSError:
                assert time.monotonic() < deadline, served.log()
                time.sleep(0.05)

    yield start
    for served in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(served.proc.pid, 15)
        served.proc.wait(timeout=20)


async def _get(url: str, **headers: str) -> tuple[int, str, dict[str, str]]:
    async with aiohttp.ClientSession() as session, session.get(
            url, headers=headers, allow_redirects=False) as reply:
        return reply.status, await reply.text(), dict(reply.headers)


def get(url: str, **headers: str) -> tuple[int, str, dict[str, str]]:
    return asyncio.run(_get(url, **headers))


async def _ws(url: str, headers: dict[str, str], wait_for_output: bool) -> int | str:
    """101 plus the first bytes the TUI sent, or the HTTP status of the refusal."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, headers=headers) as ws:
                if not wait_for_output:
                    return 101
                message = await asyncio.wait_for(ws.receive(), timeout=90)
                return f"101 {message.type.name}"
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


def ws(url: str, wait_for_output: bool = False, **headers: str) -> int | str:
    return asyncio.run(_ws(url, {k.replace("_", "-"): v for k, v in headers.items()},
                           wait_for_output))


# -- the page -----------------------------------------------------------------------


def test_the_printed_address_opens_the_page_and_nothing_third_party(serve):
    served = serve()
    status, page, headers = get(f"{served.base}/?token={served.token}")
    assert status == 200 and "<html" in page.lower() and "aisec-tutor" in page
    assert "googleapis" not in page, "opening the course contacts no third party"
    assert headers.get("X-Frame-Options") == "DENY", "no other site may frame the course"
    assert headers.get("Referrer-Policy") == "no-referrer", "the token must not leak on"
    assert f"/ws/{served.token}" in page, "the page's websocket carries the token"


@pytest.mark.parametrize("query", ["", "?token=", "?token=wrong", "?token=%00"])
def test_no_page_without_the_token(serve, query):
    served = serve()
    status, page, _ = get(f"{served.base}/{query}")
    assert status == 403 and "token" in page
    assert "aisec-tutor" not in page
    assert "refused GET /" in served.log() or _eventually(lambda: "refused" in served.log())


def test_the_cookie_from_the_first_visit_lets_a_reload_in(serve):
    served = serve()

    async def visit() -> tuple[int, int]:
        # Browsers keep cookies for IP addresses; aiohttp's jar does only when unsafe.
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            async with session.get(f"{served.base}/?token={served.token}") as first:
                assert first.status == 200
            async with session.get(f"{served.base}/") as reload:
                return first.status, reload.status

    assert asyncio.run(visit()) == (200, 200)


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1.nip.io:{port}",
                                  "127.0.0.1:1", "localhost.:{port}", ""])
def test_a_foreign_host_gets_403_even_with_the_token(serve, host):
    """DNS rebinding: a name the attacker controls resolves to 127.0.0.1."""
    served = serve()
    status, page, _ = get(f"{served.base}/?token={served.token}",
                          Host=host.format(port=served.port))
    assert status == 403 and "aisec-tutor" not in page


@pytest.mark.parametrize("host", ["localhost:{port}", "[::1]:{port}", "LOCALHOST:{port}"])
def test_loopback_names_for_the_same_port_are_fine(serve, host):
    served = serve()
    status, _, _ = get(f"{served.base}/?token={served.token}", Host=host.format(port=served.port))
    assert status == 200


def test_a_page_request_from_a_foreign_origin_gets_403(serve):
    served = serve()
    status, _, _ = get(f"{served.base}/?token={served.token}", Origin="https://evil.example")
    assert status == 403


# -- the websocket that drives the TUI ------------------------------------------------


def test_the_right_token_and_origin_start_a_session(serve):
    served = serve()
    result = ws(f"ws://127.0.0.1:{served.port}/ws/{served.token}?width=80&height=24",
                wait_for_output=True, Origin=served.origin)
    assert str(result).startswith("101 "), result
    assert result != "101 CLOSED", "the session should send the TUI's screen"


def test_a_cross_site_page_cannot_open_the_websocket(serve):
    """Browsers let any page open a websocket anywhere; only Origin tells them apart."""
    served = serve()
    url = f"ws://127.0.0.1:{served.port}/ws/{served.token}"
    assert ws(url, Origin="https://evil.example") == 403
    assert ws(url, Origin="null") == 403
    assert ws(url, Origin=f"http://127.0.0.1:{served.port}.evil.example") == 403
    assert ws(url) == 403, "a websocket without an Origin is refused (fail closed)"
    assert _eventually(lambda: "Origin is not the served address" in served.log())


@pytest.mark.parametrize("path", ["/ws/", "/ws/wrong-token", "/ws", "/ws/{token}x"])
def test_the_websocket_needs_the_token(serve, path):
    served = serve()
    url = f"ws://127.0.0.1:{served.port}" + path.format(token=served.token)
    assert ws(url, Origin=served.origin) in (403, 404)


def test_a_foreign_host_cannot_open_the_websocket(serve):
    served = serve()
    url = f"ws://127.0.0.1:{served.port}/ws/{served.token}"
    assert ws(url, Origin=served.origin, Host=f"rebound.example:{served.port}") == 403


def test_sessions_are_capped_and_refusals_logged(serve):
    served = serve("--max-sessions", "1")
    url = f"ws://127.0.0.1:{served.port}/ws/{served.token}?width=80&height=24"

    async def two() -> tuple[str, int | str]:
        async with aiohttp.ClientSession() as session, session.ws_connect(
                url, headers={"Origin": served.origin}) as first:
            await asyncio.wait_for(first.receive(), timeout=90)
            second = await _ws(url, {"Origin": served.origin}, False)
            return "open", second

    assert asyncio.run(two()) == ("open", 503)
    assert _eventually(lambda: "already 1 sessions open" in served.log())


def test_a_malformed_request_logs_one_safe_line_and_no_traceback(serve):
    """aiohttp logs a bad request with its traceback and the sender's bytes."""
    served = serve()
    with socket.create_connection(("127.0.0.1", served.port), timeout=30) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"X-A: \x1b]0;pwned\x07\x1b[2J\r\n\r\n")
        assert b" 400 " in sock.recv(100).split(b"\r\n")[0]
    assert _eventually(lambda: "Error handling request" in served.log()), served.log()
    assert "Traceback" not in served.log()
    assert "\x1b" not in served.log() and "\x07" not in served.log()
    line = next(line for line in served.log().splitlines() if "Error handling" in line)
    assert line.startswith("aisec serve: ") and "BadHttpMessage" in line
    assert get(f"{served.base}/?token={served.token}")[0] == 200  # still serving


# -- the command line ---------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "127.0.0.1.", "localhost.", "192.0.2.1"])
def test_serve_refuses_a_network_address_without_opt_in(mini_workspace, aisec, host):
    result = aisec("serve", "--host", host, "--port", str(free_port()),
                   cwd=mini_workspace.root)
    assert result.code == 2 and "--allow-network" in result.err


def _eventually(condition: callable, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
