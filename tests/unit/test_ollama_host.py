"""Host resolution, loopback detection and the safe client factory (tutor.ollama.host)."""

from __future__ import annotations

import socket

import httpx
import ollama
import pytest
from ollama._client import _parse_host as client_parse_host

from tutor.errors import UsageError
from tutor.fake_ollama import FakeOllama
from tutor.ollama.host import (
    DEFAULT_TIMEOUT,
    OllamaHostError,
    RemoteHostError,
    api_key_allowed,
    is_loopback,
    is_unspecified,
    make_client,
    parse_host,
    resolve_host,
)

# The client's own doctest cases, plus forms learners actually type.
HOSTS = [
    None, "", "1.2.3.4", ":56789", "1.2.3.4:56789", "http://1.2.3.4", "https://1.2.3.4",
    "https://1.2.3.4:56789", "example.com", "example.com:56789", "http://example.com",
    "https://example.com", "https://example.com:56789", "example.com/", "example.com:56789/",
    "example.com/path", "example.com:56789/path", "https://example.com:56789/path",
    "example.com:56789/path/", "[0001:002:003:0004::1]", "[0001:002:003:0004::1]:56789",
    "http://[0001:002:003:0004::1]", "https://[0001:002:003:0004::1]",
    "https://[0001:002:003:0004::1]:56789", "[0001:002:003:0004::1]/",
    "[0001:002:003:0004::1]:56789/", "[0001:002:003:0004::1]/path",
    "[0001:002:003:0004::1]:56789/path", "https://[0001:002:003:0004::1]:56789/path",
    "[0001:002:003:0004::1]:56789/path/",
    "localhost", "LOCALHOST:8080", "0.0.0.0", "0.0.0.0:11434", "[::]", "[::]:11434", "[::1]",
    "http://[::1]:11434", "http://localhost", "https://ollama.com", "127.0.0.1:11434/",
    "http://user:secret@example.com:9", "ftp://example.com", "host:0", "a/b/c/",
]


@pytest.mark.parametrize("host", HOSTS)
def test_parse_host_matches_the_official_client(host):
    assert parse_host(host) == client_parse_host(host)


@pytest.mark.parametrize("host", ["example.com:abc", "example.com:99999", "[::1]:x"])
def test_parse_host_rejects_what_the_client_rejects(host):
    with pytest.raises(ValueError):
        client_parse_host(host)
    with pytest.raises(ValueError):
        parse_host(host)


@pytest.mark.parametrize("host", [
    "127.0.0.1", "127.255.255.254", "127.0.0.1", "::1", "[::1]", "::ffff:127.0.0.1",
    "localhost", "LOCALHOST",
])
def test_loopback_addresses(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", [
    "0.0.0.0", "::", "[::]", "192.168.1.10", "10.0.0.1", "8.8.8.8", "example.com",
    "localhost.example.com", "127.0.0.1.nip.io", "2130706433", "127.1", "", "fe80::1",
    # Names a resolver must answer, which DNS may do for an attacker: a trailing dot
    # makes a fully qualified name that skips /etc/hosts on some systems.
    "localhost.", "LOCALHOST.", "127.0.0.1.", "[::1].", "localhost..", "localhost.localdomain",
    " localhost", "localhost ", "localhost\t", "local\u0127host", "ｌｏｃａｌｈｏｓｔ",
])
def test_everything_else_is_not_loopback(host):
    assert not is_loopback(host)


@pytest.mark.parametrize("host", ["localhost.", "127.0.0.1.", "http://localhost.:11434",
                                  "localhost.:11434", "https://127.0.0.1.:443"])
def test_a_trailing_dot_is_remote_and_refused_before_any_connection(clean_env, host):
    """Regression: `OLLAMA_HOST=localhost.` once passed as loopback, then went through
    DNS with the learner's context and API key."""
    def no_connections(*args, **kwargs):
        raise AssertionError("make_client tried to open a connection")

    clean_env.setattr(socket.socket, "connect", no_connections)
    clean_env.setattr(socket, "create_connection", no_connections)
    clean_env.setenv("OLLAMA_HOST", host)
    clean_env.setenv("OLLAMA_API_KEY", "sk-test-key")
    target = resolve_host()
    assert not target.loopback and not target.on_this_machine
    if not target.tls:  # over TLS the key may go to the host configured beside it
        assert not api_key_allowed(target)
    with pytest.raises(RemoteHostError):
        make_client()


def test_bind_all_addresses_are_unspecified_not_loopback():
    assert is_unspecified("0.0.0.0") and is_unspecified("[::]") and is_unspecified("::")
    assert not is_unspecified("127.0.0.1") and not is_unspecified("example.com")


def test_resolution_order_argument_then_env_then_default():
    env = {"OLLAMA_HOST": "10.0.0.5:1234"}
    assert resolve_host(None, {}).url == "http://127.0.0.1:11434"
    assert resolve_host(None, {}).source == "default"
    from_env = resolve_host(None, env)
    assert (from_env.url, from_env.source, from_env.raw) == ("http://10.0.0.5:1234",
                                                            "OLLAMA_HOST", "10.0.0.5:1234")
    assert resolve_host("localhost:9", env).url == "http://localhost:9"
    assert resolve_host("", env).source == "OLLAMA_HOST"  # like the client: "" falls back


def test_resolved_host_parts():
    target = resolve_host("https://[::1]:8443/ollama/", {})
    assert (target.scheme, target.hostname, target.port, target.path) == (
        "https", "::1", 8443, "/ollama")
    assert target.loopback and target.tls and target.origin == "https://[::1]:8443"


def test_bind_all_host_connects_to_loopback_on_the_same_port():
    assert resolve_host("0.0.0.0:4321", {}).connect_url == "http://127.0.0.1:4321"
    assert resolve_host("[::]", {}).connect_url == "http://[::1]:11434"
    assert resolve_host("0.0.0.0", {}).on_this_machine
    assert not resolve_host("0.0.0.0", {}).loopback


def test_invalid_host_is_explained():
    with pytest.raises(OllamaHostError) as err:
        resolve_host(None, {"OLLAMA_HOST": "localhost:abc"})
    assert "OLLAMA_HOST" in str(err.value) and "127.0.0.1:11434" in str(err.value)
    with pytest.raises(OllamaHostError, match="http:// or https://"):
        resolve_host("ftp://example.com", {})


def test_api_key_goes_only_where_it_belongs():
    key = {"OLLAMA_API_KEY": "k"}
    assert not api_key_allowed(resolve_host(None, {}), {})  # no key, nothing to send
    assert not api_key_allowed(resolve_host(None, {}), key)  # local server needs none
    assert api_key_allowed(resolve_host("https://ollama.com", {}), key)
    assert not api_key_allowed(resolve_host("http://ollama.com", {}), key)  # cleartext
    # The host in OLLAMA_HOST decides where prompts go, not who may hold the key.
    corp = {**key, "OLLAMA_HOST": "https://llm.example.com"}
    assert not api_key_allowed(resolve_host(None, corp), corp)
    listed = {**corp, "AISEC_OLLAMA_KEY_HOSTS": " LLM.example.com , proxy.example:8443"}
    assert api_key_allowed(resolve_host(None, listed), listed)
    assert api_key_allowed(resolve_host("https://proxy.example:8443", listed), listed)
    assert not api_key_allowed(resolve_host("https://proxy.example:9443", listed), listed)
    assert not api_key_allowed(resolve_host("https://other.example.com", listed), listed)
    for lookalike in ("https://ollama.com.attacker.example", "https://llm.example.com.evil",
                      "https://attacker.example/ollama.com"):
        assert not api_key_allowed(resolve_host(lookalike, listed), listed), lookalike
    plain = {**listed, "OLLAMA_HOST": "http://llm.example.com"}
    assert not api_key_allowed(resolve_host(None, plain), plain)  # never in clear text
    local = {**key, "OLLAMA_HOST": "127.0.0.1:8080", "AISEC_OLLAMA_KEY_HOSTS": "127.0.0.1"}
    assert not api_key_allowed(resolve_host(None, local), local)


# -- make_client ---------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("OLLAMA_HOST", "OLLAMA_API_KEY", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                 "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_remote_host_is_refused_before_any_connection(clean_env):
    def no_connections(*args, **kwargs):
        raise AssertionError("make_client tried to open a connection")

    clean_env.setattr(socket.socket, "connect", no_connections)
    clean_env.setattr(socket, "create_connection", no_connections)
    clean_env.setenv("OLLAMA_HOST", "192.0.2.10:11434")
    with pytest.raises(RemoteHostError) as err:
        make_client()
    message = str(err.value)
    assert "192.0.2.10" in message and "OLLAMA_HOST" in message
    assert "Nothing was sent" in message and "--allow-remote" in message
    assert "plain http://" in message  # and it says the link is not encrypted


def test_remote_host_is_allowed_when_opted_in(clean_env):
    client = make_client("https://llm.example.com", allow_remote=True)
    base = client._client.base_url
    assert (base.scheme, base.host) == ("https", "llm.example.com")


def test_timeout_is_always_set(clean_env):
    default = make_client()._client.timeout
    assert default.read == DEFAULT_TIMEOUT and default.connect == 5.0
    assert make_client(timeout=None)._client.timeout.read == DEFAULT_TIMEOUT
    short = make_client(timeout=0.5)._client.timeout
    assert short.read == 0.5 and short.connect == 0.5
    custom = httpx.Timeout(3.0)
    assert make_client(timeout=custom)._client.timeout == custom
    for bad in (0, -1, True):
        with pytest.raises(UsageError, match="positive number of seconds"):
            make_client(timeout=bad)


def test_local_client_ignores_proxies_and_redirects(clean_env):
    clean_env.setenv("HTTP_PROXY", "http://proxy.example.com:3128")
    client = make_client()._client
    assert client.follow_redirects is False
    assert client.trust_env is False  # a proxy must not see local prompts


def test_client_works_against_a_local_server(clean_env):
    with FakeOllama() as fake:
        client = make_client(fake.url, timeout=5)
        assert "llama3.2:1b" in [m.model for m in client.list().models]


def test_bind_all_ollama_host_is_reached_on_loopback(clean_env):
    with FakeOllama() as fake:
        clean_env.setenv("OLLAMA_HOST", f"0.0.0.0:{fake.port}")
        make_client(timeout=5).list()
        assert fake.last_request("/api/tags") is not None


def test_the_official_client_leaks_the_api_key_and_make_client_does_not(clean_env):
    clean_env.setenv("OLLAMA_API_KEY", "secret-key")
    with FakeOllama() as fake:
        ollama.Client(host=fake.url, timeout=5).list()
        assert fake.last_request().headers.get("authorization") == "Bearer secret-key"
        make_client(fake.url, timeout=5).list()
        assert "authorization" not in fake.last_request().headers


def test_api_key_goes_over_https_to_its_audience_only(clean_env):
    """Regression: the key once went to whatever https host OLLAMA_HOST named."""
    seen: list[tuple[str, str | None]] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url.host), request.headers.get("authorization")))
        return httpx.Response(200, json={"models": []})

    clean_env.setenv("OLLAMA_API_KEY", "secret-key")
    clean_env.setenv("AISEC_OLLAMA_KEY_HOSTS", "proxy.example")
    for host in ("https://attacker.example", "https://proxy.example", "https://ollama.com",
                 "http://proxy.example", "https://ollama.com.attacker.example"):
        clean_env.setenv("OLLAMA_HOST", host)
        make_client(allow_remote=True, transport=httpx.MockTransport(record)).list()
    assert seen == [("attacker.example", None), ("proxy.example", "Bearer secret-key"),
                    ("ollama.com", "Bearer secret-key"), ("proxy.example", None),
                    ("ollama.com.attacker.example", None)]


def test_explicit_authorization_header_is_left_alone(clean_env):
    clean_env.setenv("OLLAMA_API_KEY", "secret-key")
    with FakeOllama() as fake:
        make_client(fake.url, timeout=5, headers={"Authorization": "Bearer mine"}).list()
        assert fake.last_request().headers.get("authorization") == "Bearer mine"
