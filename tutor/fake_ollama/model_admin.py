"""``/api/copy``, ``/api/create`` and ``/api/push``: models made from models, and a push.

The fake has no blobs and no registry. A copy or a create adds a
:class:`~tutor.fake_ollama.script.ModelSpec` to the installed models, so that
/api/tags, /api/show and chat see it at once. A push always fails the way a real
server with no route to the registry does (it never pretends to publish): the
first status line, then an error naming the registry request that could not be
made. Tests that need another outcome script a rule on ``push`` the day the
script knows that endpoint; until then the failure is the documented behaviour.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from tutor.fake_ollama.exchange import Call
from tutor.fake_ollama.script import ModelSpec, normalize_model
from tutor.fake_ollama.transport import HttpError

REGISTRY = "registry.ollama.ai"
INVALID_NAME = "invalid model name"  # types/errtypes, InvalidModelNameErrMsg


def _valid(name: Any) -> bool:
    """A loose model.ParseName(...).IsValid(): non-empty, no spaces, at most host/ns/model:tag."""
    if not isinstance(name, str) or not name.strip() or any(c.isspace() for c in name):
        return False
    return name.count("/") <= 2 and not name.startswith(("/", ":")) and not name.endswith(":")


def _installed(call: Call, name: str) -> ModelSpec | None:
    return call.state.script.model(name)


def copy(call: Call) -> None:
    """server/routes.go, CopyHandler: 200 with an empty body, 404 for a missing source."""
    source, destination = call.body.get("source"), call.body.get("destination")
    if not _valid(source):
        raise HttpError(f'source "{source or ""}" is invalid')
    if not _valid(destination):
        raise HttpError(f'destination "{destination or ""}" is invalid')
    spec = _installed(call, str(source))
    if spec is None:
        raise HttpError(f'model "{source}" not found', 404)
    call.state.install(replace(spec, name=normalize_model(str(destination))))
    call.reply.send(200, b"", None)


# -- create -----------------------------------------------------------------------


def create(call: Call) -> None:
    """server/create.go, CreateHandler, for the ``from`` form (no blobs in the fake).

    Streams the layer statuses, ``writing manifest`` and ``success``; the new
    model keeps the base's weights and takes any ``system``/``template`` given.
    """
    body = call.body
    name = body.get("model") or body.get("name")
    if not _valid(name):
        raise HttpError(INVALID_NAME)
    base_name = body.get("from")
    if not base_name:
        if body.get("files"):
            raise HttpError("the fake server has no blobs: create a model 'from' another one")
        _finish(call, [], {"error": "neither 'from' or 'files' was specified"}, 400)
        return
    if not _valid(base_name):
        _finish(call, [], {"error": INVALID_NAME}, 400)
        return
    base = _installed(call, str(base_name))
    if base is None:  # real: parseFromModel pulls a missing base, which needs the registry
        _finish(call, [{"status": "pulling manifest"}],
                {"error": _offline("GET", str(base_name), "manifests")}, 500)
        return
    spec = _derived(base, normalize_model(str(name)), body)
    statuses = [{"status": f"using existing layer sha256:{base.digest}"}]
    for kind, text in (("template", spec.template), ("system", spec.system)):
        if text and text != getattr(base, kind):
            digest = hashlib.sha256(text.encode()).hexdigest()
            statuses.append({"status": f"creating new layer sha256:{digest}"})
    statuses += [{"status": "writing manifest"}, {"status": "success"}]
    call.state.install(spec)
    _finish(call, statuses, None, 200)


def _derived(base: ModelSpec, name: str, body: dict[str, Any]) -> ModelSpec:
    changes: dict[str, Any] = {"name": name}
    for key in ("system", "template", "license"):
        value = body.get(key)
        if isinstance(value, str):
            changes[key] = value
        elif isinstance(value, list) and key == "license":
            changes[key] = "\n".join(str(v) for v in value)
    params = body.get("parameters")
    if isinstance(params, dict) and params:
        changes["parameters"] = "\n".join(
            f"{k} {_param(v)}" for k, values in params.items()
            for v in (values if isinstance(values, list) else [values]))
    return replace(base, **changes)


def _param(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


# -- push -------------------------------------------------------------------------


def push(call: Call) -> None:
    """server/routes.go, PushHandler and server/images.go, PushModel, with no registry."""
    name = call.body.get("model") or call.body.get("name")
    if not isinstance(name, str) or not name:
        raise HttpError("model is required")
    wanted = normalize_model(name)
    if _installed(call, wanted) is None:
        path = "/root/.ollama/models/manifests/" + _registry_path(wanted).replace(":", "/")
        _finish(call, [{"status": "retrieving manifest"}, {"status": "couldn't retrieve manifest"}],
                {"error": f"open {path}: no such file or directory"}, 500)
        return
    spec = _installed(call, wanted)
    assert spec is not None
    error = _offline("HEAD", wanted, f"blobs/sha256:{spec.digest}")
    _finish(call, [{"status": "retrieving manifest"}], {"error": error}, 500)


def _registry_path(name: str) -> str:
    """host/namespace/model:tag, with Ollama's defaults filled in."""
    parts = name.split("/")
    if len(parts) == 1:
        parts = ["library", *parts]
    if len(parts) == 2:
        parts = [REGISTRY, *parts]
    return "/".join(parts)


def _offline(method: str, name: str, what: str) -> str:
    """Go's net/http error for a registry that cannot be reached (the fake is offline)."""
    host, rest = _registry_path(normalize_model(name)).split("/", 1)
    model, _, tag = rest.rpartition(":")
    where = f"{what}/{tag}" if what == "manifests" else what
    return (f'{method.capitalize()} "https://{host}/v2/{model}/{where}": '
            f"dial tcp: lookup {host}: no such host")


def _finish(call: Call, statuses: list[dict[str, Any]], error: dict[str, Any] | None,
            status: int) -> None:
    """Progress as NDJSON lines, or (``stream: false``) only the outcome, as routes.go does."""
    if call.body.get("stream", True) is False:
        if error is not None:
            call.reply.json(status, error)
        else:
            call.reply.json(200, statuses[-1])
        return
    if error is not None and status == 400 and not statuses:
        call.reply.json(status, error)  # a 400 found before streaming starts
        return
    call.reply.start_stream()
    for line in statuses:
        call.reply.line(line)
    if error is not None:
        call.reply.line(error)
    call.reply.end_stream()
