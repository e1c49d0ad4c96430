"""Security and privacy findings about the Ollama setup, each with a fix per system.

``OLLAMA_HOST`` means two things: ``ollama serve`` reads it as the address to
*listen* on, the clients (``ollama run``, the Python client, aisec) as the
address to *connect* to. The doctor reads its own environment, which is what
your shell would hand to ``ollama serve`` started from it; a service (systemd,
the macOS app, the Windows tray app) has its own settings, so the fixes say
where those live. Findings are warnings: they never change the exit code.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping

from tutor.doctor.model import Check, fixes, listing
from tutor.ollama.host import DEFAULT_URL, OllamaHost, api_key_allowed, resolve_host

SECTION = "security"
# The newest fix among the CVEs the course teaches (CVE-2026-7482 "Bleeding Llama",
# fixed in 0.17.1; see shared/reference/ollama.md). Older servers are flagged.
SAFE_VERSION = (0, 17, 1)


def _ps_unset(name: str) -> str:
    return (f"Remove-Item Env:{name} -ErrorAction SilentlyContinue; "
            f"[Environment]::SetEnvironmentVariable('{name}', $null, 'User')")


def _unset_fix(name: str, extra: str = "") -> dict[str, str]:
    """How to remove a server setting on each system, then restart the server."""
    return fixes(
        linux=(f"If Ollama runs as a service: 'sudo systemctl edit ollama', delete the line "
               f"Environment=\"{name}=...\", then 'sudo systemctl restart ollama'. In your "
               f"shell: 'unset {name}' and remove it from ~/.bashrc or ~/.profile.{extra}"),
        macos=(f"'launchctl unsetenv {name}', remove it from ~/.zshrc, then quit the Ollama "
               f"app from the menu bar and open it again.{extra}"),
        windows=(f"In PowerShell: {_ps_unset(name)} — then quit Ollama from the tray icon "
                 f"and start it again.{extra}"),
    )


SHARE_SAFELY = (" To share a model with other machines, keep Ollama on 127.0.0.1 and put a "
                "reverse proxy with authentication and TLS in front, or use an SSH tunnel.")


def bind_all(target: OllamaHost) -> Check:
    return Check(
        "ollama-host-bind-all", SECTION, "warning",
        f"OLLAMA_HOST={target.raw} exposes Ollama to your whole network",
        ("For 'ollama serve' this means: listen on every network interface. Ollama has no "
         "authentication, so anyone who can reach this machine can run prompts, pull models "
         "and delete them (scans have found over 175,000 exposed servers). For clients it "
         "is not an address at all: aisec connects to 127.0.0.1 instead, but your own "
         "scripts using ollama.Client() will try 0.0.0.0, which fails on Windows. Docker: "
         "publish with -p 127.0.0.1:11434:11434, never a bare -p 11434:11434."),
        _unset_fix("OLLAMA_HOST", SHARE_SAFELY),
    )


def _is_network_address(hostname: str) -> bool:
    try:
        ipaddress.ip_address(hostname.split("%", 1)[0])
    except ValueError:
        return False
    return True


def remote_host(target: OllamaHost, allow_remote: bool) -> Check:
    bind_note = (" If you set it for 'ollama serve', the server listens on that network "
                 "address and anyone on that network can use it." if _is_network_address(
                     target.hostname) else "")
    contacted = ("You allowed it with --allow-remote." if allow_remote else
                 "aisec will not contact it unless you pass --allow-remote.")
    return Check(
        "ollama-host-remote", SECTION, "info" if allow_remote else "warning",
        f"OLLAMA_HOST points to another machine: {target.url}",
        (f"Prompts, lesson text and any code you send would leave this computer and be "
         f"readable by whoever runs that server. {contacted}{bind_note}"),
        fixes(
            linux=f"To use a local model: 'unset OLLAMA_HOST' (the default is {DEFAULT_URL}) "
                  "and remove it from ~/.bashrc or ~/.profile.",
            macos=f"To use a local model: 'unset OLLAMA_HOST' and 'launchctl unsetenv "
                  f"OLLAMA_HOST' (the default is {DEFAULT_URL}).",
            windows=f"To use a local model, in PowerShell: {_ps_unset('OLLAMA_HOST')} "
                    f"(the default is {DEFAULT_URL}).",
        ),
    )


def no_tls(target: OllamaHost) -> Check:
    tunnel = (f"ssh -N -L 11434:127.0.0.1:{target.port} you@{target.hostname}, then "
              "OLLAMA_HOST=127.0.0.1:11434")
    return Check(
        "ollama-host-no-tls", SECTION, "warning",
        f"{target.url} is plain http:// to another machine",
        ("Without TLS every prompt and answer crosses the network in clear text, and "
         "anyone on the path can read or change them."),
        fixes(
            linux=f"Reach the server through https:// (a reverse proxy with TLS and "
                  f"authentication) or an SSH tunnel: '{tunnel}'.",
            macos=f"Reach the server through https:// (a reverse proxy with TLS and "
                  f"authentication) or an SSH tunnel: '{tunnel}'.",
            windows=f"Reach the server through https:// (a reverse proxy with TLS and "
                    f"authentication) or an SSH tunnel (OpenSSH is built into Windows 10 "
                    f"and later): '{tunnel.replace('OLLAMA_HOST=', '$env:OLLAMA_HOST=')}'.",
        ),
    )


def origins_wildcard(value: str) -> Check:
    return Check(
        "ollama-origins-wildcard", SECTION, "warning",
        f"OLLAMA_ORIGINS={value} lets any website use your local Ollama",
        ("OLLAMA_ORIGINS is the server's CORS allow-list. With '*', JavaScript on any web "
         "page you open can call http://127.0.0.1:11434 from your browser: read your "
         "models, run prompts on your machine, pull or delete models."),
        _unset_fix("OLLAMA_ORIGINS", " If a web app needs access, list its exact origin "
                   "instead, e.g. OLLAMA_ORIGINS=http://localhost:3000."),
    )


def api_key_foreign(target: OllamaHost) -> Check:
    return Check(
        "ollama-api-key-foreign-host", SECTION, "warning",
        f"OLLAMA_API_KEY is set and would be sent to {target.url}",
        ("The official Python client sends OLLAMA_API_KEY as a bearer token to whatever "
         "host it talks to, so any script you run with ollama.Client() hands your "
         "ollama.com key to that server. aisec strips it; your own code does not. A local "
         "server needs no key. If this host is a proxy that should get the key (say, your "
         "workshop's), list it on purpose: AISEC_OLLAMA_KEY_HOSTS=its-host-name; aisec "
         "then sends the key there, over https only."),
        fixes(
            linux="'unset OLLAMA_API_KEY' and remove it from ~/.bashrc or ~/.profile; set it "
                  "only for the command that needs it: 'OLLAMA_API_KEY=... your-cloud-tool'.",
            macos="'unset OLLAMA_API_KEY' and remove it from ~/.zshrc; set it only for the "
                  "command that needs it: 'OLLAMA_API_KEY=... your-cloud-tool'.",
            windows=f"In PowerShell: {_ps_unset('OLLAMA_API_KEY')}; set it only in the "
                    "session of the tool that needs it.",
        ),
    )


def _wildcard(origins: str) -> bool:
    return any(o.strip() in ("*", "http://*", "https://*") for o in origins.split(","))


def env_findings(env: Mapping[str, str], target: OllamaHost | None,
                 allow_remote: bool) -> list[Check]:
    """Findings from the environment alone (no connection needed)."""
    found: list[Check] = []
    if target is not None and env.get("OLLAMA_HOST"):
        configured = resolve_host(None, {"OLLAMA_HOST": env["OLLAMA_HOST"]})
        if configured.unspecified:
            found.append(bind_all(configured))
        elif not configured.loopback:
            found.append(remote_host(configured, allow_remote))
            if not configured.tls:
                found.append(no_tls(configured))
    origins = env.get("OLLAMA_ORIGINS", "")
    if _wildcard(origins):
        found.append(origins_wildcard(origins))
    if target is not None and env.get("OLLAMA_API_KEY") and not api_key_allowed(target, env):
        found.append(api_key_foreign(target))
    return found


def exposed_on_network(address: str, port: int) -> Check:
    return Check(
        "ollama-exposed-on-network", SECTION, "warning",
        f"Ollama answers on this machine's network address {address}:{port}",
        ("The server listens beyond 127.0.0.1, so other machines on your network (or the "
         "internet, without a firewall) can use it: Ollama has no authentication. This was "
         "checked by connecting to your own network address; nothing left the machine."),
        _unset_fix("OLLAMA_HOST", SHARE_SAFELY),
    )


def _version(text: str) -> tuple[int, int, int] | None:
    match = re.match(r"v?(\d+)\.(\d+)\.(\d+)", text.strip())
    if not match:
        return None
    parsed = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return None if parsed == (0, 0, 0) else parsed  # 0.0.0 is a development build


def outdated(version: str) -> Check | None:
    parsed = _version(version)
    if parsed is None or parsed >= SAFE_VERSION:
        return None
    safe = ".".join(map(str, SAFE_VERSION))
    return Check(
        "ollama-outdated", SECTION, "warning",
        f"Ollama {version} is older than {safe}",
        (f"Versions before {safe} have known vulnerabilities, the latest being "
         "CVE-2026-7482 ('Bleeding Llama', an out-of-bounds read in the model loader). "
         "Docker: 'docker pull ollama/ollama' and recreate the container."),
        fixes(
            linux="Run the installer again: 'curl -fsSL https://ollama.com/install.sh | sh', "
                  "then 'sudo systemctl restart ollama'.",
            macos="Click 'Restart to update' in the Ollama menu-bar icon, or install the "
                  "latest Ollama.dmg from https://ollama.com/download.",
            windows="Click 'Restart to update' in the Ollama tray icon, or run the latest "
                    "OllamaSetup.exe from https://ollama.com/download.",
        ),
    )


def cloud_models(names: list[str]) -> Check | None:
    cloud = [n for n in names if re.search(r"[-:]cloud\b", n)]
    if not cloud:
        return None
    return Check(
        "ollama-cloud-models", SECTION, "info",
        f"Cloud models are listed: {listing(cloud)}",
        ("Prompts to these models are sent to ollama.com, not run on this machine. Use "
         "local models for anything private."),
        fixes(
            linux="To turn cloud features off: 'sudo systemctl edit ollama', add "
                  "Environment=\"OLLAMA_NO_CLOUD=1\", then 'sudo systemctl restart ollama'.",
            macos="To turn cloud features off: 'launchctl setenv OLLAMA_NO_CLOUD 1', then "
                  "restart the Ollama app.",
            windows="To turn cloud features off, in PowerShell: [Environment]::"
                    "SetEnvironmentVariable('OLLAMA_NO_CLOUD', '1', 'User'), then restart "
                    "Ollama from the tray icon.",
        ),
    )


def all_clear() -> Check:
    return Check("security-ok", SECTION, "ok",
                 "No risky Ollama settings in this environment",
                 "OLLAMA_HOST, OLLAMA_ORIGINS and OLLAMA_API_KEY look safe here.")
