"""Where the Ollama server is, whether it is on this machine, and a safe client for it.

Host resolution mirrors the official ``ollama`` Python client (``_parse_host`` in
``ollama/_client.py``, 0.6.x) exactly, so what ``aisec`` reports is what a
learner's own ``ollama.Client()`` would use:

- ``Client(host=...)`` wins, then ``OLLAMA_HOST``, then ``http://127.0.0.1:11434``;
- a bare host gets port 11434, ``:PORT`` means 127.0.0.1, ``http://host`` without
  a port means port 80 and ``https://host`` 443; IPv6 literals go in brackets; a
  path is kept without its trailing slash.

Loopback is decided from the text alone: a loopback address literal (127.0.0.0/8,
``::1``, IPv4-mapped forms) or exactly ``localhost``. No DNS lookup, so nothing
leaves the machine to decide whether something may leave the machine, and
anything that would need a resolver counts as remote: ``localhost.`` and
``127.0.0.1.`` (trailing dots), ``localhost.localdomain``, ``127.1``. A trailing
dot makes a fully qualified name that the resolver may send to DNS, where anyone
can answer for it. The same rule holds for ``aisec ask``, ``doctor``, the TUI and
``serve``.

``0.0.0.0`` and ``::`` are *bind* addresses: ``OLLAMA_HOST=0.0.0.0`` tells
``ollama serve`` to listen on every interface. The official client then tries to
connect to 0.0.0.0, which reaches this machine on Linux and macOS but fails on
Windows. They are not loopback (:func:`is_loopback` says False), but
:func:`make_client` treats them as "this machine" and connects to 127.0.0.1
(``::1`` for ``::``) on the same port, so the course works everywhere and no
prompt leaves the machine. ``aisec doctor`` reports the exposure separately.

This module imports only the standard library; ``ollama`` and ``httpx`` are
imported inside :func:`make_client`, so ``aisec --help`` stays fast.
"""

from __future__ import annotations

import ipaddress
import os
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tutor.errors import TutorError, UsageError

if TYPE_CHECKING:
    import ollama

DEFAULT_PORT = 11434
DEFAULT_URL = f"http://127.0.0.1:{DEFAULT_PORT}"
# A small model on a laptop CPU can take a minute to load and answer; a hung
# server must still end, because the client's own default is no timeout at all.
DEFAULT_TIMEOUT = 120.0
CONNECT_TIMEOUT = 5.0  # a local server accepts at once; long waits mean a wrong host
# The host that issues OLLAMA_API_KEY (cloud models, web search).
KEY_ISSUER = "ollama.com"
# More hosts the key may go to, listed on purpose (e.g. a workshop's proxy).
KEY_HOSTS_ENV = "AISEC_OLLAMA_KEY_HOSTS"


class OllamaHostError(TutorError):
    """OLLAMA_HOST (or --host) cannot be used as written."""


class RemoteHostError(TutorError):
    """The configured host is not this machine and the user has not opted in."""


def parse_host(host: str | None) -> str:
    """The base URL the official client builds from ``host`` (same rules, same errors).

    >>> parse_host(None)
    'http://127.0.0.1:11434'
    >>> parse_host('0.0.0.0')
    'http://0.0.0.0:11434'
    >>> parse_host('http://example.com')
    'http://example.com:80'
    >>> parse_host('[::1]:8080/ollama/')
    'http://[::1]:8080/ollama'

    Like the client, an invalid port raises ``ValueError``.
    """
    host, port = host or "", DEFAULT_PORT
    scheme, _, hostport = host.partition("://")
    if not hostport:
        scheme, hostport = "http", host
    elif scheme == "http":
        port = 80
    elif scheme == "https":
        port = 443

    split = urllib.parse.urlsplit(f"{scheme}://{hostport}")
    hostname = split.hostname or "127.0.0.1"
    port = split.port or port

    try:
        if isinstance(ipaddress.ip_address(hostname), ipaddress.IPv6Address):
            hostname = f"[{hostname}]"  # urlsplit drops the brackets
    except ValueError:
        pass

    if path := split.path.strip("/"):
        return f"{scheme}://{hostname}:{port}/{path}"
    return f"{scheme}://{hostname}:{port}"


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = host.removeprefix("[").removesuffix("]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """True for a loopback literal (127.0.0.0/8, ::1, IPv4-mapped) or exactly ``localhost``.

    No DNS lookup: a name a resolver would have to answer (``localhost.``, with its
    trailing dot, included) is not loopback. ``0.0.0.0`` and ``::`` are bind
    addresses, not loopback: see the module docstring.
    """
    name = host.lower()
    if name == "localhost":
        return True
    ip = _ip(name)
    if ip is None:
        return False  # a name we would have to resolve: fail closed
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def is_unspecified(host: str) -> bool:
    """True for the "every interface" bind addresses ``0.0.0.0`` and ``::``."""
    ip = _ip(host)
    return ip is not None and ip.is_unspecified


@dataclass(frozen=True)
class OllamaHost:
    """A resolved Ollama address, and where it came from."""

    url: str  # exactly what the official client would use
    scheme: str
    hostname: str  # lowercased, without IPv6 brackets
    port: int
    path: str  # "" or "/prefix"
    source: str  # "argument", "OLLAMA_HOST" or "default"
    raw: str | None = None  # what the user wrote, if anything

    @property
    def loopback(self) -> bool:
        return is_loopback(self.hostname)

    @property
    def unspecified(self) -> bool:
        return is_unspecified(self.hostname)

    @property
    def on_this_machine(self) -> bool:
        """Loopback, or a bind-all address that aisec rewrites to loopback."""
        return self.loopback or self.unspecified

    @property
    def tls(self) -> bool:
        return self.scheme == "https"

    @property
    def origin(self) -> str:
        return self.url.removesuffix(self.path) if self.path else self.url

    @property
    def connect_url(self) -> str:
        """Where aisec connects: the URL, with 0.0.0.0/:: replaced by loopback."""
        if not self.unspecified:
            return self.url
        loop = "[::1]" if ":" in self.hostname else "127.0.0.1"
        return f"{self.scheme}://{loop}:{self.port}{self.path}"


def resolve_host(host: str | None = None, env: Mapping[str, str] | None = None) -> OllamaHost:
    """Resolve ``host`` (or ``OLLAMA_HOST`` in ``env``, or the default) like the client."""
    env = os.environ if env is None else env
    configured = env.get("OLLAMA_HOST")
    raw = host or configured  # the client also falls back when host is ""
    source = "argument" if host else ("OLLAMA_HOST" if configured else "default")
    where = "the host you passed" if host else "OLLAMA_HOST"
    try:
        url = parse_host(raw)
    except ValueError as exc:
        raise OllamaHostError(
            f"{where} is {raw!r}, which is not a valid address ({exc}). Use HOST:PORT, "
            f"e.g. 127.0.0.1:{DEFAULT_PORT}, or unset it to use the default {DEFAULT_URL}."
        ) from None
    split = urllib.parse.urlsplit(url)
    if split.scheme not in ("http", "https"):
        raise OllamaHostError(
            f"{where} is {raw!r}: Ollama speaks http:// or https://, not {split.scheme}://. "
            f"Use e.g. http://127.0.0.1:{DEFAULT_PORT}."
        )
    return OllamaHost(url=url, scheme=split.scheme, hostname=split.hostname or "127.0.0.1",
                      port=split.port or DEFAULT_PORT, path=split.path, source=source, raw=raw)


def remote_refusal(target: OllamaHost) -> str:
    """Why aisec will not talk to ``target`` without an opt-in, and how to opt in."""
    via = {"OLLAMA_HOST": f" (from OLLAMA_HOST={target.raw})", "argument": ""}.get(
        target.source, "")
    clear = "" if target.tls else " It uses plain http://, so anyone on the way could read them."
    return (
        f"Refusing to contact {target.url}{via}: it is not this machine, so your questions, "
        "lesson context and any code you include would leave your computer and be readable "
        f"by whoever runs that server.{clear} Nothing was sent. To use a local model, unset "
        f"OLLAMA_HOST (the default is {DEFAULT_URL}); if you trust that server, opt in with "
        "--allow-remote."
    )


def check_allowed(target: OllamaHost, allow_remote: bool) -> None:
    """Raise :class:`RemoteHostError` for a host off this machine without an opt-in."""
    if not target.on_this_machine and not allow_remote:
        raise RemoteHostError(remote_refusal(target))


def key_audience(env: Mapping[str, str] | None = None) -> frozenset[str]:
    """Where ``OLLAMA_API_KEY`` may go: its issuer and the hosts listed on purpose.

    ``AISEC_OLLAMA_KEY_HOSTS`` is a comma-separated list of host names (or
    ``host:port``), e.g. a workshop's authenticating proxy. Nothing else is
    inferred: not even the host in ``OLLAMA_HOST``, which decides where prompts go,
    not who may hold the key.
    """
    env = os.environ if env is None else env
    listed = (item.strip().lower() for item in env.get(KEY_HOSTS_ENV, "").split(","))
    return frozenset({KEY_ISSUER, *(item for item in listed if item)})


def key_may_go_to(scheme: str, hostname: str, port: int | None,
                  env: Mapping[str, str] | None = None) -> bool:
    """The key rule for one request: https, to a host of :func:`key_audience`."""
    if scheme != "https":
        return False  # the key never travels in clear text, loopback included
    audience = key_audience(env)
    name = hostname.lower()
    return name in audience or f"{name}:{port or 443}" in audience


def api_key_allowed(target: OllamaHost, env: Mapping[str, str] | None = None) -> bool:
    """May ``OLLAMA_API_KEY`` go to ``target``? (see :func:`key_may_go_to`)

    The official client sends it as a bearer token to whatever host it talks to;
    aisec binds it to its audience: https://ollama.com, which issues it, and the
    hosts listed in ``AISEC_OLLAMA_KEY_HOSTS``. A local server needs no key.
    """
    env = os.environ if env is None else env
    if not env.get("OLLAMA_API_KEY"):
        return False
    return key_may_go_to(target.scheme, target.hostname, target.port, env)


def make_client(host: str | None = None, timeout: Any = DEFAULT_TIMEOUT, *,
                allow_remote: bool = False, **kwargs: Any) -> ollama.Client:
    """An ``ollama.Client`` that cannot hang, leak prompts or leak the API key.

    - ``timeout`` (seconds, or an ``httpx.Timeout``) is always set; ``None`` means
      :data:`DEFAULT_TIMEOUT`, because the client's own default is to wait forever.
    - A host off this machine raises :class:`RemoteHostError` before any
      connection unless ``allow_remote`` is true.
    - ``OLLAMA_API_KEY`` is stripped from every request that is not https to its
      audience (:func:`key_may_go_to`), whatever ``allow_remote`` says.
    - Redirects are not followed (one could carry a prompt elsewhere), and for a
      local host proxies and ``.netrc`` from the environment are ignored.

    Extra keyword arguments go to the client (and from there to ``httpx.Client``).
    Like the client, it reads ``OLLAMA_HOST`` and ``OLLAMA_API_KEY`` from ``os.environ``.
    """
    env = os.environ
    target = resolve_host(host, env)
    check_allowed(target, allow_remote)
    import httpx
    import ollama

    if timeout is None:
        timeout = DEFAULT_TIMEOUT
    if isinstance(timeout, (int, float)):
        if isinstance(timeout, bool) or timeout <= 0:
            raise UsageError(f"The timeout must be a positive number of seconds, not {timeout!r}.")
        timeout = httpx.Timeout(float(timeout), connect=min(CONNECT_TIMEOUT, float(timeout)))

    explicit_auth = any(k.lower() == "authorization" for k in (kwargs.get("headers") or {}))
    key = env.get("OLLAMA_API_KEY")
    if key and not explicit_auth:
        # The client reads OLLAMA_API_KEY from os.environ itself and offers no way
        # to turn that off, so the header is removed from every request that is not
        # for the key's audience, decided per request (web_search() goes to an
        # absolute URL on ollama.com whatever the host).
        bearer = f"Bearer {key}"

        def drop_key(request: httpx.Request) -> None:
            url = request.url
            if (request.headers.get("authorization") == bearer
                    and not key_may_go_to(url.scheme, url.host, url.port, env)):
                del request.headers["authorization"]

        hooks = dict(kwargs.pop("event_hooks", None) or {})
        hooks["request"] = [drop_key, *hooks.get("request", [])]
        kwargs["event_hooks"] = hooks

    kwargs.setdefault("follow_redirects", False)
    if target.on_this_machine:
        kwargs.setdefault("trust_env", False)  # no proxy may see local prompts
    return ollama.Client(host=target.connect_url, timeout=timeout, **kwargs)
