"""Ask an Ollama server a quick question (GET /api/version, /api/tags) with the stdlib.

``aisec doctor`` uses this instead of the ``ollama`` client so that it still works
(and stays fast) when the client or its dependencies are missing or broken.
Local requests never go through a proxy from the environment, and redirects are
not followed: a reply must come from the host that was asked.

Whatever answers may not be Ollama, so every failure is a :class:`Probe` with a
reason, never an exception: not HTTP at all, a dropped or cut-off reply, a body
over :data:`BODY_LIMIT` or still arriving after the timeout, JSON nested too
deeply. The data is returned exactly as sent; showing it safely is the caller's job.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from tutor.ollama.host import OllamaHost, api_key_allowed

# Why a probe failed, for messages and for the TUI.
REFUSED, TIMEOUT, NAME, TLS, HTTP, NOT_OLLAMA, UNREACHABLE = (
    "refused", "timeout", "name", "tls", "http", "not_ollama", "unreachable")
BODY_LIMIT = 1_000_000  # /api/tags with dozens of models is a few KB


class _Unusable(Exception):
    """The reply cannot be used; args: (error constant, detail)."""


@dataclass(frozen=True)
class Probe:
    """The outcome of one GET: JSON data, or why there is none."""

    url: str
    data: Any = None
    error: str | None = None  # one of the constants above
    detail: str = ""
    status: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError for the 3xx itself


def _opener(target: OllamaHost, direct: bool) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
    if direct or target.on_this_machine:
        handlers.append(urllib.request.ProxyHandler({}))  # local prompts never via a proxy
    return urllib.request.build_opener(*handlers)


def _reason(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    if isinstance(exc, ConnectionRefusedError):
        return REFUSED, "connection refused"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return TIMEOUT, "no answer in time"
    if isinstance(exc, socket.gaierror):
        return NAME, f"the name could not be resolved ({exc.strerror or exc})"
    if isinstance(exc, ssl.SSLError):
        return TLS, f"TLS failed ({exc.reason or exc})"
    if isinstance(exc, OSError):
        return UNREACHABLE, exc.strerror or str(exc)
    return UNREACHABLE, str(exc)


def _read_body(response: http.client.HTTPResponse, deadline: float) -> bytes:
    """The body, at most BODY_LIMIT bytes and no later than ``deadline`` (a server that
    drips one byte a second never trips the per-read timeout)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read1(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > BODY_LIMIT:
            raise _Unusable(NOT_OLLAMA, f"it answered with more than {BODY_LIMIT:,} bytes")
        if time.monotonic() > deadline:
            raise _Unusable(TIMEOUT, "its answer kept coming for too long")
        chunks.append(chunk)


def _whole_number(text: str) -> int | None:
    # Python refuses ints over 4,300 digits (a ValueError); no real field is that long.
    return int(text) if len(text) <= 30 else None


def get_json(target: OllamaHost, path: str, timeout: float, *, direct: bool = False) -> Probe:
    """GET ``path`` on ``target`` (its loopback-safe ``connect_url``) and parse the JSON.

    ``direct`` skips any proxy even for a non-loopback address (e.g. our own LAN address).
    """
    url = target.connect_url + path
    headers = {"Accept": "application/json", "User-Agent": "aisec-doctor",
               "Accept-Encoding": "identity"}
    if api_key_allowed(target):  # the same rule as aisec's client: see ollama_host
        headers["Authorization"] = f"Bearer {os.environ['OLLAMA_API_KEY']}"
    request = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + 2 * timeout
    status = None
    try:
        with _opener(target, direct).open(request, timeout=timeout) as response:
            status = response.status
            body = _read_body(response, deadline)
    except urllib.error.HTTPError as exc:
        return Probe(url, error=HTTP, detail=f"HTTP {exc.code} {str(exc.reason)[:100]}",
                     status=exc.code)
    except _Unusable as exc:
        return Probe(url, error=exc.args[0], detail=exc.args[1], status=status)
    except http.client.RemoteDisconnected:  # before http.client.HTTPException: it is one
        return Probe(url, error=UNREACHABLE, status=status,
                     detail="it closed the connection without answering")
    except http.client.IncompleteRead:
        return Probe(url, error=NOT_OLLAMA, status=status,
                     detail="its answer was cut off before the end")
    except http.client.HTTPException:  # a bad status line or headers: not HTTP
        return Probe(url, error=NOT_OLLAMA, status=status,
                     detail="it answered, but not with HTTP")
    except (OSError, ValueError) as exc:  # URLError is an OSError
        error, detail = _reason(exc)
        return Probe(url, error=error, detail=detail, status=status)
    try:
        return Probe(url, data=json.loads(body, parse_int=_whole_number), status=status)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deeply
        return Probe(url, error=NOT_OLLAMA, status=status,
                     detail="it answered, but not with JSON")


def lan_address() -> str | None:
    """This machine's address on its main network, without sending anything.

    Connecting a UDP socket only picks a route; no packet leaves the machine.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
            address = sock.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith(("127.", "0.")) else address
