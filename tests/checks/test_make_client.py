"""Hidden checks for `make_client`.

Local behaviour is checked against the engine's fake Ollama server (real HTTP on
127.0.0.1, the `fake_ollama` fixture) with the real `ollama` client. Remote hosts are
never contacted: 192.0.2.0/24 is TEST-NET-1 (RFC 5737, reserved for documentation),
.invalid names never resolve (RFC 6761), and where a check needs a remote server to
answer, an httpx.MockTransport stands in for it. The API key is a made-up placeholder.
"""

from __future__ import annotations

import math
import time

import httpx
import ollama
import pytest

FAKE_KEY = "ollama-test-key-7f3a9c2e5b1d"  # placeholder, never a real key
REMOTE = "http://192.0.2.10:11434"  # TEST-NET-1: documentation only, never routed
HTTPS_REMOTE = "https://ollama.invalid"  # .invalid: a name that never resolves (RFC 6761)
MODEL = "llama3.2:1b"  # one of the fake server's default models


class Recorder:
    """An httpx transport that answers like Ollama and remembers what it was sent."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self._answer)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path.endswith("/web_search"):
            return httpx.Response(200, json={"results": []})
        return httpx.Response(200, json={"models": []})


def _clean_env(monkeypatch, host: str | None = None) -> None:
    monkeypatch.delenv("OLLAMA_API_KEY", raising=False)
    if host is None:
        monkeypatch.delenv("OLLAMA_HOST", raising=False)
    else:
        monkeypatch.setenv("OLLAMA_HOST", host)


def _list_via(client, what: str) -> None:
    """client.list(), turning a real connection attempt into a teaching failure."""
    try:
        client.list()
    except (httpx.TransportError, ConnectionError) as exc:
        raise AssertionError(
            f"{what}: client.list() tried a real connection ({type(exc).__name__}: {exc}) "
            "instead of using the transport= the check passed. Pass **kwargs on to "
            "ollama.Client(...), which hands them to httpx.Client."
        ) from None


def test_connects_to_the_local_server(exercise, fake_ollama):
    """Returns a working ollama.Client for the local server in OLLAMA_HOST"""
    client = exercise.make_client(timeout=5)
    assert isinstance(client, ollama.Client), (
        f"make_client(timeout=5) returned {client!r}, expected an ollama.Client."
    )
    models = [m.model for m in client.list().models]
    assert MODEL in models, (
        f"OLLAMA_HOST points at a local (fake) Ollama server, {fake_ollama.host}; "
        f"client.list() from make_client() returned {models!r}, expected it to include {MODEL!r}."
    )
    client = exercise.make_client(fake_ollama.url, timeout=5)
    reply = client.chat(model=MODEL, messages=[{"role": "user", "content": "Say hello"}])
    assert reply.message.content, (
        f"make_client({fake_ollama.url!r}).chat(...) got an empty reply from the local server."
    )
    paths = [r.path for r in fake_ollama.requests]
    assert paths == ["/api/tags", "/api/chat"], (
        f"The local server received {paths!r}, expected exactly ['/api/tags', '/api/chat'] "
        "(one list, one chat). make_client must not send requests of its own."
    )


def test_host_argument_beats_env(exercise, fake_ollama, monkeypatch):
    """Uses the host argument before OLLAMA_HOST, like the client"""
    monkeypatch.setenv("OLLAMA_HOST", REMOTE)
    client = exercise.make_client(fake_ollama.url, timeout=5)
    client.list()
    assert fake_ollama.requests_to("/api/tags"), (
        f"With OLLAMA_HOST={REMOTE!r} and make_client({fake_ollama.url!r}), the local server "
        "received nothing: the host argument must win over OLLAMA_HOST, as in ollama.Client."
    )
    monkeypatch.setenv("OLLAMA_HOST", fake_ollama.host)
    fake_ollama.clear_requests()
    with pytest.raises(exercise.RemoteHostRefused):
        exercise.make_client(REMOTE, timeout=5)
    client = exercise.make_client("", timeout=5)  # "" is falsy: the client falls back too
    client.list()
    assert fake_ollama.requests_to("/api/tags"), (
        "make_client('') must fall back to OLLAMA_HOST (the client uses `host or "
        "os.getenv('OLLAMA_HOST')`), which points at the local server; it received nothing."
    )


def test_refuses_remote_hosts_before_sending(exercise, fake_ollama, monkeypatch):
    """Refuses hosts off loopback, from the argument or OLLAMA_HOST, and sends nothing"""
    port = fake_ollama.port
    cases = [
        (REMOTE, "192.0.2.10", "a LAN-style address"),
        ("10.0.0.5", "10.0.0.5", "a private address without a scheme"),
        ("https://ollama.com", "ollama.com", "a remote server, even over https"),
        (f"0.0.0.0:{port}", "0.0.0.0", "the 'every interface' bind address, not loopback"),
        (f"127.1:{port}", "127.1", "a non-canonical spelling (which would in fact reach the "
                                   "local server, and record the request)"),
    ]
    for value, name, what in cases:
        for where in ("OLLAMA_HOST", "argument"):
            fake_ollama.clear_requests()
            monkeypatch.setenv("OLLAMA_HOST", value if where == "OLLAMA_HOST" else fake_ollama.host)
            call = "make_client(timeout=1)" if where == "OLLAMA_HOST" else \
                f"make_client({value!r}, timeout=1)"
            start = time.perf_counter()
            try:
                if where == "OLLAMA_HOST":
                    exercise.make_client(timeout=1)
                else:
                    exercise.make_client(value, timeout=1)
            except exercise.RemoteHostRefused as exc:
                message = str(exc)
            else:
                raise AssertionError(
                    f"{call} with {where}={value!r} returned a client, expected "
                    f"RemoteHostRefused: {value!r} is {what}. Without allow_remote=True, "
                    "prompts must not be able to leave this machine."
                )
            elapsed = time.perf_counter() - start
            sent = [r.path for r in fake_ollama.requests]
            assert not sent, (
                f"{call} with {where}={value!r} raised RemoteHostRefused, but the server "
                f"had already received {sent!r}. Decide from the address alone, before any "
                "request: 'testing the connection' is itself sending data."
            )
            assert elapsed < 0.9, (
                f"{call} took {elapsed:.1f} s to refuse {value!r}; the decision is made from "
                "the text, so it should be instant. Did it try to connect first?"
            )
            assert name in message, (
                f"The RemoteHostRefused message was {message!r}; it should name the host "
                f"({name!r}) so the user can see which setting to fix."
            )


def test_remote_host_needs_the_opt_in(exercise, monkeypatch):
    """Connects to a remote host only with allow_remote=True, passing extra arguments on"""
    _clean_env(monkeypatch, REMOTE)
    recorder = Recorder()
    client = exercise.make_client(timeout=1, allow_remote=True, transport=recorder.transport)
    _list_via(client, f"make_client(allow_remote=True, transport=...) with OLLAMA_HOST={REMOTE}")
    urls = [str(r.url) for r in recorder.requests]
    assert urls == [f"{REMOTE}/api/tags"], (
        f"With OLLAMA_HOST={REMOTE!r} and allow_remote=True, the requests went to {urls!r}, "
        f"expected [{REMOTE + '/api/tags'!r}]: opting in must connect where the user asked."
    )


def test_timeout_is_enforced(exercise, fake_ollama):
    """Gives up on a server that does not answer within the timeout"""
    fake_ollama.script(rules=[{"reply": "finally", "latency": 1.5}])
    client = exercise.make_client(timeout=0.25)
    start = time.perf_counter()
    try:
        reply = client.chat(model=MODEL, messages=[{"role": "user", "content": "Are you there?"}])
    except httpx.TimeoutException:
        elapsed = time.perf_counter() - start
    else:
        raise AssertionError(
            f"make_client(timeout=0.25).chat(...) waited {time.perf_counter() - start:.1f} s and "
            f"returned {reply.message.content!r} from a server that takes 1.5 s, expected "
            "httpx.ReadTimeout after 0.25 s. Pass the timeout to ollama.Client: its own "
            "default is None, which waits forever."
        )
    assert elapsed < 1.2, (
        f"The timeout fired after {elapsed:.1f} s, expected about 0.25 s."
    )


def test_rejects_bad_timeouts(exercise, fake_ollama):
    """Rejects timeouts that are zero, negative, NaN, infinite or not numbers"""
    for value in [0, 0.0, -1, -0.5, math.nan, math.inf, -math.inf]:
        try:
            got = exercise.make_client(timeout=value)
        except ValueError:
            continue
        except NotImplementedError:
            raise
        except Exception as exc:
            raise AssertionError(
                f"make_client(timeout={value!r}) raised {type(exc).__name__}: {exc}, expected "
                "ValueError: it is a number, just not a usable one."
            ) from None
        raise AssertionError(
            f"make_client(timeout={value!r}) returned {got!r}, expected ValueError. A timeout "
            "of 0 or less fails every call, and with NaN or infinity the first request "
            "crashes (ValueError, OverflowError) far from the line that caused it. Refuse it "
            "here. (`nan <= 0` is False: test with math.isfinite.)"
        )
    for value in [None, "30", True, False]:
        try:
            got = exercise.make_client(timeout=value)
        except (ValueError, TypeError):
            continue
        raise AssertionError(
            f"make_client(timeout={value!r}) returned {got!r}, expected ValueError or "
            "TypeError: None is the client's 'wait forever', a string is not a number, and "
            "True is an int in Python but not a number of seconds anyone meant."
        )
    assert not fake_ollama.requests, (
        f"Rejecting bad timeouts sent {[r.path for r in fake_ollama.requests]!r} to the server; "
        "make_client should send nothing."
    )


def test_no_api_key_over_plain_http(exercise, fake_ollama, monkeypatch):
    """Never sends OLLAMA_API_KEY over plain http, local or remote"""
    monkeypatch.setenv("OLLAMA_API_KEY", FAKE_KEY)
    client = exercise.make_client(timeout=5)
    client.list()
    client.chat(model=MODEL, messages=[{"role": "user", "content": "hi"}])
    for request in fake_ollama.requests:
        header = request.headers.get("authorization")
        assert header is None, (
            f"With OLLAMA_API_KEY set, the local server at {fake_ollama.url} received "
            f"{request.method} {request.path} with 'Authorization: {header}'. The client adds "
            "the key to every request; over plain http anything on the path can read it, and a "
            "local Ollama does not need it. Remove the header in an httpx request hook."
        )
    recorder = Recorder()
    client = exercise.make_client(REMOTE, timeout=1, allow_remote=True,
                                  transport=recorder.transport)
    _list_via(client, f"make_client({REMOTE!r}, allow_remote=True, transport=...)")
    for request in recorder.requests:
        header = request.headers.get("authorization")
        assert header is None, (
            f"make_client({REMOTE!r}, allow_remote=True) sent 'Authorization: {header}' to "
            f"{request.url} over plain http. Opting in to a remote server is not opting in to "
            "handing it (and everyone between) your API key."
        )


def _args(host: str, options: dict) -> str:
    """The arguments of a make_client call as the learner would write them."""
    return ", ".join([repr(host), "allow_remote=True", *(f"{k}={v!r}" for k, v in options.items())])


def _sent_key(exercise, host: str, what: str, **options) -> list[tuple[str, str | None]]:
    """(URL, Authorization header) of what make_client(host, ...).list() sent.

    The transport is a mock: nothing leaves this machine, whatever the host.
    """
    recorder = Recorder()
    call = f"make_client({_args(host, options)})"
    try:
        client = exercise.make_client(host, timeout=1, allow_remote=True,
                                      transport=recorder.transport, **options)
    except TypeError as exc:
        if "key_hosts" not in options:
            raise
        raise AssertionError(
            f"{call} raised TypeError: {exc}. make_client takes a keyword-only argument "
            "key_hosts (host names that may receive the key), and must not pass it on to "
            "ollama.Client."
        ) from None
    _list_via(client, f"{call} ({what})")
    return [(str(r.url), r.headers.get("authorization")) for r in recorder.requests]


def test_api_key_reaches_its_audience(exercise, monkeypatch):
    """Sends OLLAMA_API_KEY over https to ollama.com and to hosts named in key_hosts"""
    _clean_env(monkeypatch)
    monkeypatch.setenv("OLLAMA_API_KEY", FAKE_KEY)
    bearer = f"Bearer {FAKE_KEY}"
    for host, options, url, what in [
        ("https://ollama.com", {}, "https://ollama.com/api/tags",
         "ollama.com issues the key; its API needs it"),
        ("https://OLLAMA.COM:443", {}, "https://ollama.com/api/tags",
         "the same host in capitals, with its default port"),
        (HTTPS_REMOTE, {"key_hosts": ["ollama.invalid"]}, f"{HTTPS_REMOTE}/api/tags",
         "a host the caller named in key_hosts"),
        (HTTPS_REMOTE, {"key_hosts": ["Ollama.INVALID"]}, f"{HTTPS_REMOTE}/api/tags",
         "host names compare case-insensitively"),
    ]:
        sent = _sent_key(exercise, host, what, **options)
        assert sent == [(url, bearer)], (
            f"make_client({_args(host, options)}).list() sent {sent!r}, expected one "
            f"request to {url} carrying 'Bearer <the key>': {what}, over TLS, so the key "
            "is what makes the request work."
        )

    recorder = Recorder()
    client = exercise.make_client("127.0.0.1:11434", timeout=1, transport=recorder.transport)
    _list_via(client, "make_client('127.0.0.1:11434', transport=...)")  # stays in the mock
    if not hasattr(client, "web_search"):  # ollama-python before 0.6 has no web_search
        return
    recorder.requests.clear()
    try:
        client.web_search("ollama security")
    except ValueError as exc:
        raise AssertionError(
            f"client.web_search() from make_client('127.0.0.1:11434') raised ValueError: {exc}. "
            "web_search goes to https://ollama.com whatever the host, and needs the key. "
            "Removing the header from the client itself breaks it; decide per request, from "
            "request.url, in an httpx request hook."
        ) from None
    sent = [(str(r.url), r.headers.get("authorization")) for r in recorder.requests]
    assert sent == [("https://ollama.com/api/web_search", bearer)], (
        f"client.web_search() sent {sent!r}, expected one request to "
        "https://ollama.com/api/web_search with the key: it is an https request to the "
        "key's issuer, so the key rule allows it. Decide from each request's URL, not from "
        "the configured host."
    )


def test_api_key_never_leaves_its_audience(exercise, monkeypatch):
    """Never sends OLLAMA_API_KEY to a host outside its audience, whatever allow_remote says"""
    _clean_env(monkeypatch)
    monkeypatch.setenv("OLLAMA_API_KEY", FAKE_KEY)
    for host, options, what in [
        (HTTPS_REMOTE, {}, "a server you allowed for prompts, but never named for the key"),
        ("https://ollama.com.attacker.invalid", {}, "a name that merely starts with ollama.com"),
        ("https://ollama.com@attacker.invalid", {}, "user info: the host is attacker.invalid"),
        ("https://attacker.invalid/ollama.com", {}, "ollama.com is only the path"),
        ("https://attacker.invalid", {"key_hosts": ["proxy.invalid"]},
         "key_hosts names proxy.invalid, not this host"),
        ("http://proxy.invalid", {"key_hosts": ["proxy.invalid"]},
         "a named host, but over plain http"),
        ("http://ollama.com", {}, "the issuer, but over plain http"),
    ]:
        sent = _sent_key(exercise, host, what, **options)
        leaked = [url for url, header in sent if header is not None]
        assert not leaked, (
            f"make_client({_args(host, options)}) sent 'Authorization: Bearer <the key>' "
            f"to {leaked!r}: {what}. allow_remote lets prompts go to a server; it does not "
            "make that server the key's audience. Keep "
            "the header only when request.url.scheme is https and request.url.host is "
            "exactly ollama.com or a host in key_hosts."
        )
