"""What the fake server knows between requests: its script and what requests changed.

Requests use up queued answers and rules limited by ``times``, pull and delete
models, and load models (which ``/api/ps`` lists). Every method is thread-safe:
the server answers each connection on its own thread.
"""

from __future__ import annotations

import math
import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from tutor.fake_ollama.script import PROMPT_ENDPOINTS, ModelSpec, Rule, Script

DEFAULT_KEEP_ALIVE = 300.0  # seconds: Ollama's OLLAMA_KEEP_ALIVE default (envconfig, KeepAlive)
# A negative keep_alive is math.MaxInt64 nanoseconds in Ollama (api/types.go,
# Duration.UnmarshalJSON): about 292 years, which /api/ps shows as a far-off expires_at.
FOREVER = timedelta(microseconds=(2**63 - 1) // 1000)


def _span(seconds: float) -> timedelta:
    if math.isinf(seconds) or seconds >= FOREVER.total_seconds():
        return FOREVER
    return timedelta(seconds=seconds)


class ServerState:
    """The script in use, the answers it has left, and the models installed and loaded."""

    def __init__(self, script: Script | None = None) -> None:
        self._lock = threading.Lock()
        self._script = script or Script()
        self._queue: list[Rule] = list(self._script.queue)
        self._used: dict[int, int] = {}  # rule index -> times it answered
        self._loaded: dict[str, tuple[datetime, float]] = {}  # name -> (expires, keep_alive)

    @property
    def script(self) -> Script:
        """The script as it stands, with the models pulled and deleted since it was set."""
        with self._lock:
            return self._script

    def use(self, script: Script) -> None:
        """Replace the script; its queue and rule counts start afresh."""
        with self._lock:
            self._script = script
            self._queue = list(script.queue)
            self._used = {}

    def pick(self, endpoint: str, model: str, prompt: str) -> Rule | None:
        """The rule that answers this request (used up if it is limited), or None."""
        with self._lock:
            if endpoint in PROMPT_ENDPOINTS and self._queue:
                return self._queue.pop(0)
            for index, rule in enumerate(self._script.rules):
                used = self._used.get(index, 0)
                if rule.times is not None and used >= rule.times:
                    continue
                if rule.matches(endpoint, model, prompt):
                    self._used[index] = used + 1
                    return rule
        return None

    def install(self, spec: ModelSpec) -> None:
        with self._lock:
            models = [m for m in self._script.models if m.name != spec.name]
            self._script = replace(self._script, models=(*models, spec))

    def uninstall(self, name: str) -> None:
        with self._lock:
            models = tuple(m for m in self._script.models if m.name != name)
            self._script = replace(self._script, models=models)
            self._loaded.pop(name, None)

    def mark_loaded(self, spec: ModelSpec, keep_alive: float | None = None) -> None:
        """A request used the model; it stays loaded ``keep_alive`` seconds after.

        Without a ``keep_alive`` a loaded model keeps the one it had, else the default
        (server/sched.go: a request's sessionDuration replaces the runner's only when
        set); ``0`` unloads it once the request is answered.
        """
        with self._lock:
            if keep_alive is None:
                previous = self._loaded.get(spec.name)
                keep_alive = previous[1] if previous else DEFAULT_KEEP_ALIVE
            if keep_alive <= 0:
                self._loaded.pop(spec.name, None)
                return
            now = datetime.now(timezone.utc)
            self._loaded[spec.name] = (now + _span(keep_alive), keep_alive)

    def unload(self, name: str) -> None:
        with self._lock:
            self._loaded.pop(name, None)

    def loaded_models(self) -> list[tuple[ModelSpec, datetime]]:
        """Installed models still loaded, with when they expire: the latest first, as in
        Ollama's /api/ps (server/routes.go, PsHandler). Expired ones are dropped."""
        now = datetime.now(timezone.utc)
        with self._lock:
            for name in [n for n, (at, _keep) in self._loaded.items() if at <= now]:
                del self._loaded[name]
            loaded = {name: at for name, (at, _keep) in self._loaded.items()}
            script = self._script
        found = ((script.model(name), at) for name, at in loaded.items())
        models = [(spec, at) for spec, at in found if spec is not None]
        return sorted(models, key=lambda item: item[1], reverse=True)
