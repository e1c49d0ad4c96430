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

This module is the Python API. Underneath: :mod:`~tutor.fake_ollama.transport`
moves the bytes, :mod:`~tutor.fake_ollama.api` routes each request to an endpoint
(:mod:`~tutor.fake_ollama.generation`, :mod:`~tutor.fake_ollama.endpoints`), which
reads and changes the :mod:`~tutor.fake_ollama.state`, and
:mod:`~tutor.fake_ollama.recording` keeps what was received.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from tutor.errors import TutorError
from tutor.fake_ollama.api import FakeApi
from tutor.fake_ollama.recording import RecordedRequest, RequestLog
from tutor.fake_ollama.script import Script, ScriptError, load_script, parse_script
from tutor.fake_ollama.state import ServerState
from tutor.fake_ollama.transport import BackgroundHttpServer
from tutor.ollama.host import is_loopback

__all__ = ["FakeOllama", "FakeServerError", "RecordedRequest"]


class FakeServerError(TutorError):
    """The fake server cannot start as asked (address in use, not loopback...)."""


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
        self._state = ServerState()
        self._log = RequestLog(record_file)
        self._httpd: BackgroundHttpServer | None = None
        self.verbose = verbose
        self.script(script)

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> FakeOllama:
        if self._httpd is not None:
            return self
        try:
            httpd = BackgroundHttpServer(self._bind, FakeApi(self._state, self._log),
                                         self._log_line)
        except OSError as exc:
            host, port = self._bind
            hint = (" Is Ollama (or another fake server) already running there? Pick another "
                    "port with --port." if port else "")
            raise FakeServerError(f"Cannot listen on {host}:{port}: "
                                  f"{exc.strerror or exc}.{hint}") from None
        try:
            self._log.open_file()
        except OSError:
            httpd.server_close()
            raise
        self._httpd = httpd
        httpd.serve_in_background("fake-ollama")
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.close()
        self._log.close_file()

    def __enter__(self) -> FakeOllama:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _log_line(self, line: str) -> None:
        if self.verbose:
            sys.stderr.write(f"fake-ollama: {line}\n")

    # -- addresses -----------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise FakeServerError("The fake server is not running; call start() first.")
        return self._httpd.port

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
        self._state.use(new)
        return new

    @property
    def current_script(self) -> Script:
        """The script in use, with the models pulled and deleted since it was set."""
        return self._state.script

    @property
    def models(self) -> list[str]:
        """Names of the models the server currently reports as installed."""
        return [m.name for m in self._state.script.models]

    # -- what was received ---------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far (control endpoints excluded), oldest first."""
        return self._log.all()

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def last_request(self, path: str | None = None) -> RecordedRequest | None:
        found = self.requests_to(path) if path else self.requests
        return found[-1] if found else None

    def clear_requests(self) -> int:
        return self._log.clear()

    def wait_for_requests(self, count: int = 1, path: str | None = None,
                          timeout: float = 5.0) -> bool:
        """Block until ``count`` requests (to ``path``) have arrived; False on timeout."""
        return self._log.wait_for(count, path, timeout)
