"""Who may talk to the fake server: Ollama's CORS rules and its Host allow-list.

Real Ollama runs two middlewares before any route, including unknown paths
(server/routes.go, GenerateRoutes): gin-contrib/cors configured with
envconfig.AllowedOrigins, then allowedHostsMiddleware. :func:`check` applies
both, in that order, and either answers the request itself (403, or 204 for a
preflight) or returns the headers the answer must carry.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass, field

from tutor.fake_ollama.transport import Request
from tutor.ollama.host import is_loopback

# envconfig/config.go, AllowedOrigins: always allowed, after any OLLAMA_ORIGINS entries.
DEFAULT_ORIGINS = (
    *(f"{scheme}://{host}{port}" for host in ("localhost", "127.0.0.1", "0.0.0.0")
      for port in ("", ":*") for scheme in ("http", "https")),
    "app://*", "file://*", "tauri://*", "vscode-webview://*", "vscode-file://*",
)

# server/routes.go, GenerateRoutes: corsConfig.AllowHeaders, canonicalised by gin-contrib/cors.
ALLOW_HEADERS = ",".join((
    "Authorization", "Content-Type", "User-Agent", "Accept", "X-Requested-With", "Openai-Beta",
    "X-Stainless-Arch", "X-Stainless-Async", "X-Stainless-Custom-Poll-Interval",
    "X-Stainless-Helper-Method", "X-Stainless-Lang", "X-Stainless-Os",
    "X-Stainless-Package-Version", "X-Stainless-Poll-Helper", "X-Stainless-Retry-Count",
    "X-Stainless-Runtime", "X-Stainless-Runtime-Version", "X-Stainless-Timeout",
))
# gin-contrib/cors DefaultConfig: methods and a 12-hour preflight cache.
ALLOW_METHODS = "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS"
MAX_AGE = str(12 * 3600)
LOCAL_SUFFIXES = (".localhost", ".local", ".internal")  # routes.go, allowedHost
PRIVATE_NETS = tuple(ipaddress.ip_network(n) for n in  # Go's netip.Addr.IsPrivate
                     ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))


def allowed_origins(env: str | None = None) -> tuple[str, ...]:
    """OLLAMA_ORIGINS (comma-separated) followed by Ollama's defaults."""
    raw = os.environ.get("OLLAMA_ORIGINS", "") if env is None else env
    extra = tuple(raw.split(",")) if raw else ()
    return extra + DEFAULT_ORIGINS


@dataclass(frozen=True)
class Verdict:
    """Either a finished answer (``status``) or headers for the routed answer."""

    status: int | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Guard:
    """The origins allowed, fixed when the server starts (as Ollama reads them once)."""

    origins: tuple[str, ...]

    @property
    def allow_all(self) -> bool:
        return any(o.strip() == "*" for o in self.origins)

    def origin_ok(self, origin: str) -> bool:
        """gin-contrib/cors, validateOrigin: exact (lower-cased list) or one-``*`` wildcard."""
        if self.allow_all:
            return True
        if origin in (o.strip().lower() for o in self.origins):
            return True
        for rule in self.origins:
            if rule.count("*") != 1:
                continue
            prefix, suffix = rule.split("*")
            if origin.startswith(prefix) and origin.endswith(suffix):
                return True
        return False

    def check(self, request: Request) -> Verdict:
        headers: list[tuple[str, str]] = []
        host = request.header("Host") or ""
        origin = request.header("Origin") or ""
        # cors.applyCors: no Origin, or one naming this very host, is not a CORS request.
        if origin and origin not in (f"http://{host}", f"https://{host}"):
            if not self.origin_ok(origin):
                return Verdict(403)
            headers = self._cors_headers(origin, request.method == "OPTIONS")
            if request.method == "OPTIONS":
                return Verdict(204, headers)
        return self._host_check(request, host, headers)

    def _cors_headers(self, origin: str, preflight: bool) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if preflight:
            out += [("Access-Control-Allow-Methods", ALLOW_METHODS),
                    ("Access-Control-Allow-Headers", ALLOW_HEADERS),
                    ("Access-Control-Max-Age", MAX_AGE)]
        if self.allow_all:
            return [*out, ("Access-Control-Allow-Origin", "*")]
        out.append(("Vary", "Origin"))
        if preflight:
            out += [("Vary", "Access-Control-Request-Method"),
                    ("Vary", "Access-Control-Request-Headers")]
        return [*out, ("Access-Control-Allow-Origin", origin)]

    @staticmethod
    def _host_check(request: Request, host: str, headers: list[tuple[str, str]]) -> Verdict:
        """routes.go, allowedHostsMiddleware: only a server bound to loopback checks Host."""
        if not is_loopback(request.bound_host):
            return Verdict(None, headers)
        name = _hostname(host)
        if _local_ip(name):
            return Verdict(None, headers)
        if _allowed_name(name):
            return Verdict(204 if request.method == "OPTIONS" else None, headers)
        return Verdict(403, headers)


def _hostname(host: str) -> str:
    """The Host header without its port (net.SplitHostPort, or the whole value)."""
    if host.startswith("["):
        end = host.find("]")
        return host[1:end] if end > 0 and host[end + 1:].startswith(":") else host
    name, sep, _port = host.rpartition(":")
    return name if sep and ":" not in name else host


def _local_ip(name: str) -> bool:
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False
    # The real server also accepts the machine's own interface addresses (isLocalIP);
    # the fake does not list interfaces, so such a Host gets 403 here.
    return (ip.is_loopback or ip.is_unspecified
            or any(ip.version == n.version and ip in n for n in PRIVATE_NETS))


def _allowed_name(name: str) -> bool:
    """routes.go, allowedHost: empty, localhost, this machine's name, or a local TLD."""
    name = name.lower()
    if name in ("", "localhost") or name == socket.gethostname().lower():
        return True
    return name.endswith(LOCAL_SUFFIXES)
