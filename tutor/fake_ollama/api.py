"""What the fake server answers: Ollama's routes, recorded, and its own ``/_fake/`` controls.

:class:`FakeApi` is the :class:`~tutor.fake_ollama.transport.Service` the HTTP
server is given. A request outside ``/_fake/`` is recorded (once its body is
valid JSON or empty) and then routed by method and path, as Ollama's gin router
does (server/routes.go, GenerateRoutes): ``HEAD`` only where Ollama registers it,
405 with an ``Allow`` header for a known path and a wrong method (gin's
HandleMethodNotAllowed), 404 otherwise. Before routing, :mod:`guard` applies
Ollama's CORS and Host checks. Control requests are neither checked nor recorded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tutor.fake_ollama import endpoints, generation, model_admin, openai_compat
from tutor.fake_ollama.exchange import Call, Endpoint
from tutor.fake_ollama.gocheck import decode_body, not_an_object
from tutor.fake_ollama.guard import Guard, allowed_origins
from tutor.fake_ollama.openai_shapes import error_body
from tutor.fake_ollama.recording import RequestLog
from tutor.fake_ollama.script import ScriptError, parse_script
from tutor.fake_ollama.state import ServerState
from tutor.fake_ollama.transport import JSON, TEXT, HttpError, Request, Responder

CONTROL = "/_fake/"
OPENAI = "/v1/"
NOT_FOUND = b"404 page not found"
NOT_ALLOWED = b"405 method not allowed"  # gin's default405Body, sent as text/plain
# The order gin's method trees were first registered in (routes.go), which Allow lists.
METHOD_ORDER = ("HEAD", "GET", "POST", "DELETE")
MODEL_PATH = "/v1/models/"


@dataclass(frozen=True)
class Route:
    """The endpoint a method and path lead to."""

    endpoint: Endpoint
    needs_body: bool  # a JSON object body is required


ROUTES: dict[tuple[str, str], Route] = {
    ("HEAD", "/"): Route(endpoints.root, False),
    ("GET", "/"): Route(endpoints.root, False),
    ("HEAD", "/api/version"): Route(endpoints.version, False),
    ("GET", "/api/version"): Route(endpoints.version, False),
    ("HEAD", "/api/tags"): Route(endpoints.tags, False),
    ("GET", "/api/tags"): Route(endpoints.tags, False),
    ("GET", "/api/ps"): Route(endpoints.ps, False),
    ("POST", "/api/show"): Route(endpoints.show, True),
    ("POST", "/api/chat"): Route(generation.chat, True),
    ("POST", "/api/generate"): Route(generation.generate, True),
    ("POST", "/api/embed"): Route(endpoints.embed, True),
    ("POST", "/api/embeddings"): Route(endpoints.embeddings, True),
    ("POST", "/api/pull"): Route(endpoints.pull, True),
    ("DELETE", "/api/delete"): Route(endpoints.delete, True),
    ("POST", "/api/copy"): Route(model_admin.copy, True),
    ("POST", "/api/create"): Route(model_admin.create, True),
    ("POST", "/api/push"): Route(model_admin.push, True),
    ("POST", "/v1/chat/completions"): Route(openai_compat.chat_completions, True),
    ("POST", "/v1/completions"): Route(openai_compat.completions, True),
    ("POST", "/v1/embeddings"): Route(openai_compat.embeddings, True),
    ("GET", "/v1/models"): Route(openai_compat.list_models, False),
}


class FakeApi:
    """Answers each request from the server's state, and records the Ollama ones."""

    def __init__(self, state: ServerState, log: RequestLog,
                 origins: tuple[str, ...] | None = None) -> None:
        self.state = state
        self.log = log
        # Ollama reads OLLAMA_ORIGINS once, when it starts (envconfig.AllowedOrigins).
        self.guard = Guard(allowed_origins() if origins is None else origins)

    def handle(self, request: Request, reply: Responder) -> None:
        if request.path.startswith(CONTROL):
            self._control(request, reply)
            return
        verdict = self.guard.check(request)
        reply.headers.extend(verdict.headers)
        if verdict.status is not None:  # gin's AbortWithStatus: no body
            reply.send(verdict.status, b"", None)
            return
        try:
            body = decode_body(request.text)  # Go's json.Decoder: its errors, word for word
        except HttpError as exc:
            if not request.path.startswith(OPENAI):
                raise
            # middleware/openai.go answers a body it cannot decode in OpenAI's shape.
            reply.send(400, (json.dumps(error_body(400, str(exc))) + "\n").encode(), JSON)
            return
        self.log.record(request.method, request.path, request.headers, body, request.text)
        route = _route(request.method, request.path)
        if route is None:
            allowed = _allowed_methods(request.path)
            if allowed:
                reply.headers.append(("Allow", ", ".join(allowed)))
                reply.send(405, NOT_ALLOWED, TEXT)
            else:
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


def _route(method: str, path: str) -> Route | None:
    if path.startswith(MODEL_PATH) and "/" not in path[len(MODEL_PATH):]:
        # GET /v1/models/:model (a gin path parameter: one segment)
        name = path[len(MODEL_PATH):]
        return Route(openai_compat.retrieve_model(name), False) if method == "GET" else None
    return ROUTES.get((method, path))


def _allowed_methods(path: str) -> list[str]:
    """The methods Ollama serves on this path, in gin's order, for a 405's Allow header."""
    return [m for m in METHOD_ORDER if _route(m, path) is not None]
