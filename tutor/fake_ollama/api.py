"""What the fake server answers: Ollama's routes, recorded, and its own ``/_fake/`` controls.

:class:`FakeApi` is the :class:`~tutor.fake_ollama.transport.Service` the HTTP
server is given. A request outside ``/_fake/`` is recorded (once its body is
valid JSON or empty) and then routed by method and path; ``HEAD`` is routed as
``GET``, as in Ollama. Control requests are not recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from tutor.fake_ollama import endpoints, generation
from tutor.fake_ollama.exchange import Call, Endpoint
from tutor.fake_ollama.gocheck import decode_body, not_an_object
from tutor.fake_ollama.recording import RequestLog
from tutor.fake_ollama.script import ScriptError, parse_script
from tutor.fake_ollama.state import ServerState
from tutor.fake_ollama.transport import TEXT, HttpError, Request, Responder

CONTROL = "/_fake/"
NOT_FOUND = b"404 page not found"


@dataclass(frozen=True)
class Route:
    """The endpoint a method and path lead to."""

    endpoint: Endpoint
    needs_body: bool  # a JSON object body is required


ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/"): Route(endpoints.root, False),
    ("GET", "/api/version"): Route(endpoints.version, False),
    ("GET", "/api/tags"): Route(endpoints.tags, False),
    ("GET", "/api/ps"): Route(endpoints.ps, False),
    ("POST", "/api/show"): Route(endpoints.show, True),
    ("POST", "/api/chat"): Route(generation.chat, True),
    ("POST", "/api/generate"): Route(generation.generate, True),
    ("POST", "/api/embed"): Route(endpoints.embed, True),
    ("POST", "/api/embeddings"): Route(endpoints.embeddings, True),
    ("POST", "/api/pull"): Route(endpoints.pull, True),
    ("DELETE", "/api/delete"): Route(endpoints.delete, True),
}


class FakeApi:
    """Answers each request from the server's state, and records the Ollama ones."""

    def __init__(self, state: ServerState, log: RequestLog) -> None:
        self.state = state
        self.log = log

    def handle(self, request: Request, reply: Responder) -> None:
        if request.path.startswith(CONTROL):
            self._control(request, reply)
            return
        body = decode_body(request.text)  # Go's json.Decoder: its errors, word for word
        self.log.record(request.method, request.path, request.headers, body, request.text)
        method = "GET" if request.method == "HEAD" else request.method
        route = ROUTES.get((method, request.path))
        if route is None:
            reply.send(404, NOT_FOUND, TEXT)
            return
        if route.needs_body and not isinstance(body, dict):
            if not request.text.strip():
                raise HttpError("missing request body")
            if body is not None:  # Go decodes a null body as an empty request
                raise HttpError(not_an_object(request.path, body))
        route.endpoint(Call(body if isinstance(body, dict) else {}, self.state, reply))

    def _control(self, request: Request, reply: Responder) -> None:
        where = (request.method, request.path)
        if where == ("GET", "/_fake/requests"):
            reply.json(200, [r.to_json() for r in self.log.all()])
        elif where == ("DELETE", "/_fake/requests"):
            reply.json(200, {"cleared": self.log.clear()})
        elif where in (("PUT", "/_fake/script"), ("POST", "/_fake/script")):
            try:
                self.state.use(parse_script(request.json() or {}, "script"))
            except ScriptError as exc:
                raise HttpError(str(exc)) from None
            reply.json(200, {"ok": True})
        else:
            reply.send(404, NOT_FOUND, TEXT)
