"""A safe way to get an Ollama client: local by default, never hangs, keeps the key private.

The scenario
------------

`ollama.Client()` is easy to misuse in three quiet ways:

1. It waits forever. Its default timeout is None, so a server that accepts a request
   and never answers hangs your program (and your web worker, and its queue).
2. It goes wherever OLLAMA_HOST points. Someone's shell profile, a .env file or a
   container image can point it at another machine, and your prompts, with whatever
   data is in them, go there without a word.
3. If OLLAMA_API_KEY is set, it sends `Authorization: Bearer <key>` on every request,
   to whatever host it talks to, even over plain http. The key belongs to ollama.com;
   any other server that receives it can reuse it.

You will write the factory every other piece of code in your project uses instead.

What to implement
-----------------

    make_client(host: str | None = None, timeout: float = 30.0,
                allow_remote: bool = False, *, key_hosts: Iterable[str] = (),
                **kwargs) -> ollama.Client

In this order:

1. Check `timeout`: it must be a finite number of seconds above 0. Raise ValueError
   for 0, negative numbers, NaN and infinity. For values that are not numbers at all
   (None, "30", True) raise ValueError or TypeError. Careful: `nan <= 0` is False,
   and `True` is an int in Python.
2. Resolve the host exactly like the client: `host` if it is truthy, else the
   OLLAMA_HOST environment variable (read it when the function runs), else the
   default; then `parse_host(...)` (given below: the client's own function) gives
   the URL.
3. If the URL is not loopback (`is_loopback`, given below) and `allow_remote` is not
   true, raise RemoteHostRefused (defined below) with a message that names the URL
   and says nothing was sent. Do this before creating the client; never "test the
   connection" first.
4. Return `ollama.Client(host=url, timeout=timeout, ..., **kwargs)`. Extra keyword
   arguments go to the client, which passes them on to `httpx.Client` (the checks use
   `transport=` to stand in for remote servers).
5. The key rule: bind the key to its audience. An Authorization header leaves only
   on a request whose URL is https AND whose host is KEY_ISSUER ("ollama.com", the
   service that issues OLLAMA_API_KEY) or one of `key_hosts`, the host names the
   caller lists on purpose (compare them case-insensitively). Every other request
   loses the header: plain http to any host, loopback included (a local Ollama does
   not need it), and https to any host outside the audience, WHATEVER allow_remote
   says. allow_remote lets your prompts go to a server; it does not hand that server
   your key.

For rule 5 you cannot simply leave the header out: the client reads OLLAMA_API_KEY
itself and adds the header when it is created. But httpx lets you run a function on
every request just before it is sent:

    def hook(request: httpx.Request) -> None:
        ...   # request.url.scheme, request.url.host (already lowercased by httpx);
              # request.headers.pop("authorization", None) removes the header

    ollama.Client(host=url, timeout=timeout, event_hooks={"request": [hook]}, **kwargs)

Deciding per request (not from the configured host) also covers requests the client
sends to absolute URLs: `web_search()` always goes to https://ollama.com. Compare the
host exactly: "ollama.com.attacker.example", "https://ollama.com@attacker.example"
(user info: the host is attacker.example) and "https://attacker.example/ollama.com"
all start with or contain "ollama.com", and none of them is ollama.com.

Examples
--------

>>> client = make_client()                       # OLLAMA_HOST unset: the local default
>>> client = make_client("localhost:11434", timeout=5)
>>> make_client("http://10.0.0.5:11434")
Traceback (most recent call last):
    ...
RemoteHostRefused: Refusing to connect to http://10.0.0.5:11434: ... Nothing was sent. ...
>>> client = make_client("http://10.0.0.5:11434", allow_remote=True)   # you said so
>>> # prompts go to your https proxy, and so does the key, because you named it:
>>> client = make_client("https://ollama.example.com", allow_remote=True,
...                      key_hosts=["ollama.example.com"])
>>> make_client(timeout=float("nan"))
Traceback (most recent call last):
    ...
ValueError: timeout must be a finite number of seconds above 0, not nan

Why it matters
--------------

OWASP LLM02:2025 Sensitive Information Disclosure: prompts and API keys are sensitive,
and a misdirected client leaks both. Encryption alone does not protect a key: https to
the wrong server delivers it, safely encrypted, to the wrong server. LLM10:2025
Unbounded Consumption: a call without a timeout ties up your resources for as long as
the other side likes. A factory makes the safe choice the default one, so nobody has
to remember it at every call.
"""

from __future__ import annotations

import math  # noqa: F401  (math.isfinite)
import os  # noqa: F401  (os.environ)
from collections.abc import Iterable
from typing import Any

import httpx  # httpx.URL here; httpx.Request for the hook
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


# --- your part ---------------------------------------------------------------------------


def make_client(host: str | None = None, timeout: float = 30.0, allow_remote: bool = False,
                *, key_hosts: Iterable[str] = (), **kwargs: Any) -> ollama.Client:
    """An ollama.Client with a finite timeout, a loopback-only default, and a key that
    only goes over https to ollama.com or to a host named in ``key_hosts``."""
    # TODO 1: validate timeout (finite, above 0; not NaN, not inf, not a bool or None).
    # TODO 2: url = parse_host(host or the OLLAMA_HOST variable).
    # TODO 3: not loopback and not allow_remote -> raise RemoteHostRefused (nothing sent).
    # TODO 4: the audience: KEY_ISSUER plus key_hosts, lowercased. A request hook that
    #         removes the Authorization header unless the request's URL is https AND its
    #         host is in the audience, passed as event_hooks={"request": [hook]}.
    # TODO 5: return ollama.Client(host=url, timeout=timeout, event_hooks=..., **kwargs)
    raise NotImplementedError("TODO: implement make_client")
