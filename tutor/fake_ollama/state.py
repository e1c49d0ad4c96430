"""What the fake server knows between requests: its script and what requests changed.

Requests use up queued answers and rules limited by ``times``, pull and delete
models, and load models (which ``/api/ps`` lists). Every method is thread-safe:
the server answers each connection on its own thread.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timezone

from tutor.fake_ollama.script import PROMPT_ENDPOINTS, ModelSpec, Rule, Script


class ServerState:
    """The script in use, the answers it has left, and the models installed and loaded."""

    def __init__(self, script: Script | None = None) -> None:
        self._lock = threading.Lock()
        self._script = script or Script()
        self._queue: list[Rule] = list(self._script.queue)
        self._used: dict[int, int] = {}  # rule index -> times it answered
        self._loaded: dict[str, datetime] = {}

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

    def mark_loaded(self, spec: ModelSpec) -> None:
        with self._lock:
            self._loaded[spec.name] = datetime.now(timezone.utc)

    def loaded_models(self) -> list[tuple[ModelSpec, datetime]]:
        """Installed models that answered a request, with when they last did."""
        with self._lock:
            loaded = dict(self._loaded)
            script = self._script
        found = ((script.model(name), at) for name, at in loaded.items())
        return [(spec, at) for spec, at in found if spec is not None]
