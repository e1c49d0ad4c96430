"""Reference solution for `make_client`: an ollama.Client that cannot hang or leak."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from typing import Any

import httpx
import ollama
from ollama._client import _parse_host  # what lesson 3's parse_host reproduces

DEFAULT_PORT = 11434
DEFAULT_URL = f"http://127.0.0.1:{DEFAULT_PORT}"
KEY_ISSUER = "ollama.com"  # the service that issues OLLAMA_API_KEY, and the key's audience


class RemoteHostRefused(Exception):
    """The host is not this machine's loopback and the caller did not opt in."""


# --- given: where the client connects, and a narrow loopback rule (use them as they are) ---

# The loopback hosts this factory accepts, exactly. Lesson 3's is_loopback answers the
# wider question (all of 127.0.0.0/8, IPv4-mapped addresses); a factory may be stricter:
# a host not listed here counts as remote, which fails closed.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def parse_host(value: str | None) -> str:
    """The base URL the official ollama client builds from ``value`` (its own function)."""
    return _parse_host(value)


def is_loopback(url: str) -> bool:
    """True only if the client, given ``url``, would connect to one of LOOPBACK_HOSTS.

    httpx reads the host the way the client will (user info and path are not part of
    it); a value the client would refuse (a bad port) is not loopback.
    """
    try:
        return httpx.URL(parse_host(url)).host in LOOPBACK_HOSTS
    except (ValueError, httpx.InvalidURL):
        return False


# --- the exercise ----------------------------------------------------------------------


def _key_audience_hook(audience: frozenset[str]) -> Any:
    """An httpx request hook: the bearer token leaves only over TLS, only to ``audience``.

    The client adds ``Authorization: Bearer $OLLAMA_API_KEY`` to every request it builds,
    whatever the host, and has no switch to turn that off. This hook runs just before each
    request is sent, so it also covers requests to absolute URLs (web_search) and redirects.
    """

    def keep_key_in_audience(request: httpx.Request) -> None:
        # request.url.host is the real host (user info and path are not part of it), and
        # httpx has lowercased it. Exact comparison: "ollama.com.attacker.example" is not
        # ollama.com, and neither is "ollama.com." (fail closed on other spellings).
        if request.url.scheme != "https" or request.url.host not in audience:
            request.headers.pop("authorization", None)

    return keep_key_in_audience


def make_client(host: str | None = None, timeout: float = 30.0, allow_remote: bool = False,
                *, key_hosts: Iterable[str] = (), **kwargs: Any) -> ollama.Client:
    """An ollama.Client with a finite timeout, a loopback-only default, and a key that
    only goes over https to ollama.com or to a host named in ``key_hosts``."""
    # 1. The timeout: a real, finite, positive number of seconds. bool is an int in Python,
    #    and NaN fails every comparison, so `timeout <= 0` alone would let both through.
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout must be a number of seconds, not {timeout!r}")
    if not math.isfinite(timeout) or timeout <= 0:
        raise ValueError(f"timeout must be a finite number of seconds above 0, not {timeout!r}")

    # 2. The host, resolved exactly like the client: argument, then OLLAMA_HOST, then default.
    url = parse_host(host or os.environ.get("OLLAMA_HOST"))

    # 3. Refuse before anything is sent: constructing the client opens no connection, but
    #    there is no reason to build one we will not use.
    if not allow_remote and not is_loopback(url):
        raise RemoteHostRefused(
            f"Refusing to connect to {url}: it is not this machine's loopback address, so your "
            "prompts would leave this computer. Nothing was sent. Unset OLLAMA_HOST to use the "
            f"local default {DEFAULT_URL}, or pass allow_remote=True if you trust that server."
        )

    # 4. The key rule, as a request hook: the key's audience is the service that issued
    #    it, plus the hosts the caller named on purpose. allow_remote is about prompts; it
    #    never widens the audience. The hook runs after any hooks the caller passed, so
    #    none of them can put the header back.
    audience = frozenset({KEY_ISSUER, *(name.lower() for name in key_hosts)})
    hooks = dict(kwargs.pop("event_hooks", None) or {})
    hooks["request"] = [*hooks.get("request", []), _key_audience_hook(audience)]
    return ollama.Client(host=url, timeout=float(timeout), event_hooks=hooks, **kwargs)
