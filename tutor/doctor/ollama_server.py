"""The optional Ollama part: binary, server, models, recommended model."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from typing import Any

from tutor.doctor.model import Check, Status, everywhere, fixes, listing
from tutor.ollama.host import DEFAULT_URL, OllamaHost, remote_refusal
from tutor.ollama.probe import HTTP, NOT_OLLAMA, REFUSED, TIMEOUT, TLS, Probe, get_json

SECTION = "ollama"
# Small models that run on a laptop without a GPU. llama3.2:1b (~1.3 GB) first:
# it supports tool calling, which the tool-use lessons need with a real model;
# gemma3:1b (~815 MB) is the smallest good chat model when disk or RAM is tight.
RECOMMENDED = ("llama3.2:1b", "gemma3:1b")
RECOMMENDED_SIZES = {"llama3.2:1b": "1.3 GB", "gemma3:1b": "815 MB"}
INSTALL = fixes(
    linux="Run 'curl -fsSL https://ollama.com/install.sh | sh': it installs Ollama as a "
          "service listening on 127.0.0.1:11434.",
    macos="Download Ollama.dmg from https://ollama.com/download, open it, move Ollama to "
          "Applications and start it.",
    windows="Run OllamaSetup.exe from https://ollama.com/download; Ollama then starts from "
            "the tray.",
)
START = fixes(
    linux="Start it: 'sudo systemctl start ollama' if you installed the service, or run "
          "'ollama serve' in another terminal.",
    macos="Start it: open the Ollama app (menu-bar icon), or run 'ollama serve' in another "
          "terminal.",
    windows="Start it: open Ollama from the Start menu (tray icon), or run 'ollama serve' "
            "in another terminal.",
)


@dataclass
class OllamaFacts:
    binary: str | None = None
    host: dict[str, Any] | None = None
    probed: bool = False
    reachable: bool = False
    version: str | None = None
    error: str | None = None
    models: list[dict[str, Any]] = field(default_factory=list)
    recommended: tuple[str, ...] = RECOMMENDED
    recommended_present: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"binary": self.binary, "host": self.host, "probed": self.probed,
                "reachable": self.reachable, "version": self.version, "error": self.error,
                "models": self.models, "recommended": list(self.recommended),
                "recommended_present": self.recommended_present}


def host_facts(target: OllamaHost) -> dict[str, Any]:
    return {"url": target.url, "connect_url": target.connect_url, "source": target.source,
            "raw": target.raw, "loopback": target.loopback,
            "on_this_machine": target.on_this_machine, "tls": target.tls}


def binary_check(facts: OllamaFacts) -> Check:
    facts.binary = shutil.which("ollama")
    if facts.binary:
        return Check("ollama-binary", SECTION, "ok", "ollama is installed", facts.binary)
    return Check("ollama-binary", SECTION, "warning", "ollama is not on your PATH",
                 "Ollama is optional: every exercise passes without it. It runs the local "
                 "model for the AI helper and the optional live checks.", INSTALL)


def _start_fix(facts: OllamaFacts, target: OllamaHost) -> dict[str, str]:
    first = "" if facts.binary else "Install Ollama first (see above). "
    steps = {k: first + v for k, v in START.items()}
    if target.source != "default":
        note = (f" aisec looked at {target.url} because OLLAMA_HOST={target.raw}; if your "
                f"server uses the default, unset OLLAMA_HOST ({DEFAULT_URL}).")
        steps = {k: v + note for k, v in steps.items()}
    return steps


def _unreachable(probe: Probe, facts: OllamaFacts, target: OllamaHost, status: Status,
                 wsl: bool) -> Check:
    url = target.connect_url
    if target.source == "OLLAMA_HOST":
        url += f" (from OLLAMA_HOST={target.raw})"
    if probe.error == REFUSED:
        summary = f"No Ollama server at {url} (connection refused)"
    elif probe.error == TIMEOUT:
        summary = f"{url} did not answer in time"
    elif probe.error == HTTP and probe.status in (401, 403) and not target.on_this_machine:
        return Check("ollama-server", SECTION, status,
                     f"{url} refused aisec ({probe.detail}): it wants credentials",
                     "A proxy with a password or token seems to sit in front of Ollama. "
                     "aisec sends OLLAMA_API_KEY only over https, to ollama.com and to "
                     "the hosts you list in AISEC_OLLAMA_KEY_HOSTS.",
                     everywhere(f"Set OLLAMA_HOST to that https address, OLLAMA_API_KEY to "
                                "the token your facilitator gave you, and "
                                f"AISEC_OLLAMA_KEY_HOSTS={target.hostname}."))
    elif probe.error == TLS:
        return Check("ollama-server", SECTION, status,
                     f"The TLS connection to {url} failed ({probe.detail})",
                     "Something answers there, but its certificate is not trusted here.",
                     everywhere("If your facilitator gave you a certificate, point "
                                "SSL_CERT_FILE at it; otherwise ask them for one. Do not "
                                "switch to plain http: prompts would cross the network "
                                "unencrypted."))
    elif probe.error in (HTTP, NOT_OLLAMA):
        summary = f"Something answers at {url}, but it is not Ollama ({probe.detail})"
        return Check("ollama-server", SECTION, status, summary,
                     "Another program is using that port.",
                     everywhere("Stop the other program, or run Ollama on another port "
                                "('OLLAMA_HOST=127.0.0.1:11435 ollama serve') and set "
                                "OLLAMA_HOST=127.0.0.1:11435 for aisec too."))
    else:
        summary = f"Ollama at {url} is not reachable ({probe.detail})"
    detail = "Ollama is optional: the course works without it."
    if wsl and target.loopback:
        detail += (" You are in WSL: an Ollama running on Windows is not at 127.0.0.1 here "
                   "unless WSL's mirrored networking is on; install Ollama inside WSL, or "
                   "set OLLAMA_HOST to the Windows host's address.")
    return Check("ollama-server", SECTION, status, summary, detail, _start_fix(facts, target))


def server_checks(target: OllamaHost, facts: OllamaFacts, *, allow_remote: bool,
                  require: bool, timeout: float, wsl: bool) -> list[Check]:
    """Probe the server (never a remote one without opt-in), then its models."""
    missing: Status = "error" if require else "warning"
    facts.host = host_facts(target)
    if not target.on_this_machine and not allow_remote:
        facts.error = "remote host not contacted"
        return [Check("ollama-server", SECTION, missing,
                      f"Not contacted: {target.url} is not this machine",
                      remote_refusal(target).replace("Refusing to contact", "aisec did not "
                                                     "contact"),
                      everywhere("Run Ollama locally and unset OLLAMA_HOST, or pass "
                                 "--allow-remote if you trust that server."))]
    facts.probed = True
    probe = get_json(target, "/api/version", timeout)
    version = probe.data.get("version") if isinstance(probe.data, dict) else None
    if not probe.ok or not isinstance(version, str):
        if probe.ok:  # JSON, but not Ollama's
            probe = Probe(probe.url, error=NOT_OLLAMA, detail="no version in its answer")
        facts.error = probe.detail
        return [_unreachable(probe, facts, target, missing, wsl)]
    facts.reachable, facts.version = True, version  # exact, for --json
    shown = version if len(version) <= 40 else version[:39] + "…"  # text is made safe later
    checks = [Check("ollama-server", SECTION, "ok", f"Ollama {shown} is running at "
                    f"{target.url}", "" if target.connect_url == target.url else
                    f"(connected to {target.connect_url})")]
    checks += model_checks(target, facts, timeout)
    return checks


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _model_entry(raw: dict[str, Any]) -> dict[str, Any]:
    """One model as the doctor reports it; a field of the wrong type is None (the
    server is not trusted to send the types it should, and the JSON must stay JSON)."""
    details = raw.get("details")
    details = details if isinstance(details, dict) else {}
    size = raw.get("size")
    return {"name": _text(raw.get("model")) or _text(raw.get("name")),
            "size": size if type(size) is int and size >= 0 else None,
            "digest": _text(raw.get("digest")), "family": _text(details.get("family")),
            "parameter_size": _text(details.get("parameter_size")),
            "quantization_level": _text(details.get("quantization_level"))}


def _same(a: str, b: str) -> bool:
    def norm(name: str) -> str:
        return name if ":" in name.rsplit("/", 1)[-1] else name + ":latest"
    return norm(a.lower()) == norm(b.lower())


def model_checks(target: OllamaHost, facts: OllamaFacts, timeout: float) -> list[Check]:
    probe = get_json(target, "/api/tags", timeout)
    models = probe.data.get("models") if isinstance(probe.data, dict) else None
    if not probe.ok or not isinstance(models, list):
        return [Check("ollama-models", SECTION, "warning",
                      f"Could not list the models ({probe.detail or 'unexpected answer'})",
                      "The server answered /api/version but not /api/tags.",
                      everywhere("Restart Ollama, then run 'aisec doctor' again."))]
    entries = [_model_entry(m) for m in models if isinstance(m, dict)]
    facts.models = [m for m in entries if m["name"]]  # no name: not a model anyone can use
    names = [m["name"] for m in facts.models if m["name"]]
    facts.recommended_present = [r for r in RECOMMENDED if any(_same(r, n) for n in names)]
    first = RECOMMENDED[0]
    pull = everywhere(f"'ollama pull {first}' ({RECOMMENDED_SIZES[first]}), or the smaller "
                      f"'ollama pull {RECOMMENDED[1]}' ({RECOMMENDED_SIZES[RECOMMENDED[1]]}).")
    checks = []
    if names:
        checks.append(Check("ollama-models", SECTION, "ok",
                            f"{len(names)} model{'s' if len(names) != 1 else ''}: "
                            + listing(names)))
    else:
        checks.append(Check("ollama-models", SECTION, "warning", "No models pulled yet",
                             "The AI helper needs one small chat model.", pull))
    if facts.recommended_present:
        checks.append(Check("ollama-recommended", SECTION, "ok",
                            f"Recommended model present: {facts.recommended_present[0]}"))
    else:
        checks.append(Check("ollama-recommended", SECTION, "warning",
                            f"The recommended small model {first} is not pulled",
                            "It runs on a laptop without a GPU and supports tool calling.",
                            pull))
    return checks
