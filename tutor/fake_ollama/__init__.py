"""A fake Ollama server shipped with the engine (real HTTP, scripted replies).

Used by hidden checks (the ``fake_ollama`` fixture in :mod:`tutor.grader.plugin`),
by the engine's tests, and in offline workshops::

    python -m tutor.fake_ollama --port 11434 --script replies.yaml

The script format is described in :mod:`tutor.fake_ollama.script`; the server's
Python API (:class:`FakeOllama`) and how its modules fit together in
:mod:`tutor.fake_ollama.server`.
Standard library only (PyYAML is imported when a YAML script is read).
"""

from tutor.fake_ollama.recording import RecordedRequest
from tutor.fake_ollama.script import ModelSpec, Rule, Script, ScriptError, load_script
from tutor.fake_ollama.server import FakeOllama, FakeServerError

__all__ = [
    "FakeOllama",
    "FakeServerError",
    "ModelSpec",
    "RecordedRequest",
    "Rule",
    "Script",
    "ScriptError",
    "load_script",
]
