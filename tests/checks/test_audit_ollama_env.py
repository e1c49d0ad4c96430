"""Hidden checks for `audit_ollama_env`.

The host rules follow Ollama's server (envconfig.Host() and envconfig.Var() in
github.com/ollama/ollama, MIT licence): values are trimmed of spaces and quotes, an
empty host such as ":11434" is passed to Go's net.Listen, which listens on every
interface. The API key below is a made-up placeholder, not a real credential.
"""

from __future__ import annotations

import time

FAKE_KEY = "ollama-test-key-7f3a9c2e5b1d"  # placeholder, never a real key


def _codes(exercise, env: dict[str, str]) -> list[str]:
    return [finding.code for finding in exercise.audit_ollama_env(dict(env))]


def _expect(exercise, env: dict[str, str], expected: list[str], why: str) -> None:
    got = _codes(exercise, env)
    assert got == expected, (
        f"audit_ollama_env({env!r}) gave the codes {got!r}, expected {expected!r} (sorted by "
        f"severity, high first, then by code). {why}"
    )


def test_quiet_for_safe_settings(exercise):
    """Reports nothing for an empty environment or local-only settings"""
    safe = [
        {},
        {"PATH": "/usr/bin", "HOME": "/home/ada"},
        {"OLLAMA_HOST": "127.0.0.1:11434"},
        {"OLLAMA_HOST": "localhost"},
        {"OLLAMA_HOST": "LOCALHOST:8080"},
        {"OLLAMA_HOST": "http://127.0.0.1:11434/"},
        {"OLLAMA_HOST": "127.0.0.2:11434"},
        {"OLLAMA_HOST": "[::1]:11434"},
        {"OLLAMA_HOST": "[::ffff:127.0.0.1]:11434"},
        {"OLLAMA_HOST": ""},
        {"OLLAMA_HOST": " '127.0.0.1:11434' "},
        {"OLLAMA_ORIGINS": "http://localhost:3000,https://app.example.com"},
        {"OLLAMA_ORIGINS": "http://localhost:*, http://127.0.0.1:*"},
        {"OLLAMA_ORIGINS": "chrome-extension://*"},
        {"OLLAMA_ORIGINS": ""},
        {"OLLAMA_API_KEY": FAKE_KEY},
        {"OLLAMA_API_KEY": FAKE_KEY, "OLLAMA_HOST": "localhost:11434"},
    ]
    for env in safe:
        _expect(exercise, env, [], "These settings keep Ollama on this machine (or only allow "
                "listed origins). An audit that cries wolf on safe settings gets ignored when "
                "it matters.")


def test_flags_every_interface(exercise):
    """Flags OLLAMA_HOST values that make the server listen on every interface"""
    for value in ["0.0.0.0", "0.0.0.0:11434", "http://0.0.0.0:11434", "0.0.0.0:11434/",
                  "HTTP://0.0.0.0", "::", "[::]", "[::]:11434", "[0:0:0:0:0:0:0:0]:8080",
                  ' "0.0.0.0:11434" ', "'0.0.0.0'", "\t0.0.0.0\n"]:
        _expect(exercise, {"OLLAMA_HOST": value}, ["host-all-interfaces"],
                "0.0.0.0 and :: are the unspecified addresses: `ollama serve` listens on every "
                "interface, and the API has no authentication. Ollama strips spaces and quotes "
                "from the value, so the audit must too. (Exactly one finding: a client given "
                "0.0.0.0 stays on this machine, so it is not 'plain http to another machine'.)")


def test_flags_empty_host_with_port(exercise):
    """Treats ':11434' (an empty host) as every interface, the way the server does"""
    for value in [":11434", ":8080", "http://:11434", " :11434 "]:
        _expect(exercise, {"OLLAMA_HOST": value}, ["host-all-interfaces"],
                "Ollama's server passes an empty host to Go's net.Listen, which then listens "
                "on every interface. (The Python client reads the same value as 127.0.0.1: one "
                "variable, two meanings, and the dangerous one is the server's.)")


def test_flags_network_hosts(exercise):
    """Flags LAN addresses and names that are not provably loopback, and plain http"""
    cases = [
        ("192.168.1.20:11434", "a private LAN address"),
        ("http://10.0.0.5:11434", "a private address with an explicit http scheme"),
        ("[fd00::5]:11434", "an IPv6 unique-local address"),
        ("[::ffff:10.0.0.1]", "an IPv4-mapped IPv6 form of 10.0.0.1"),
        ("ollama.internal", "a host name, which we never resolve"),
        ("127.0.0.1.nip.io", "a name that merely starts with 127.0.0.1; DNS decides where it goes"),
        ("localhost.evil.example", "a name that merely starts with localhost"),
        ("lоcalhost", "'lоcalhost' with a Cyrillic о, a homoglyph of localhost"),
        ("HTTP://203.0.113.7:11434", "a public address with an upper-case scheme"),
    ]
    for value, what in cases:
        _expect(exercise, {"OLLAMA_HOST": value}, ["host-network", "host-plaintext"],
                f"OLLAMA_HOST={value!r} is {what}: not loopback, so the server would listen "
                "where other machines can reach it, and a client would send prompts there "
                "over unencrypted http. Only 'localhost' and 127.0.0.0/8 or ::1 count as "
                "loopback; every other name fails closed.")
    for value in ["https://ollama.example.com", "HTTPS://ollama.example.com:8443/api"]:
        _expect(exercise, {"OLLAMA_HOST": value}, ["host-network"],
                f"OLLAMA_HOST={value!r} is another machine, but over https (the scheme compares "
                "case-insensitively), so host-network applies and host-plaintext does not.")


def test_flags_wildcard_origins(exercise):
    """Flags OLLAMA_ORIGINS entries that let any website call the local API"""
    for value in ["*", " * ", "'*'", "http://*", "https://*", "HTTP://*",
                  "http://localhost:3000,*", "http://localhost:3000, https://*",
                  "https://*.example.com", "https://*:8443", "*.example.com"]:
        _expect(exercise, {"OLLAMA_ORIGINS": value}, ["origins-wildcard"],
                f"OLLAMA_ORIGINS={value!r} contains a wildcard web origin. CORS is what stops "
                "JavaScript on a random website from reading your local Ollama's replies; a "
                "wildcard in the host (or a bare '*') turns that off for sites you never listed.")


def test_api_key_over_plain_http(exercise):
    """Flags OLLAMA_API_KEY when the client would send it over plain http off loopback"""
    key = {"OLLAMA_API_KEY": FAKE_KEY}
    _expect(exercise, {**key, "OLLAMA_HOST": "http://192.168.1.20:11434"},
            ["api-key-plaintext", "host-network", "host-plaintext"],
            "The Python client sends OLLAMA_API_KEY as 'Authorization: Bearer ...' to whatever "
            "OLLAMA_HOST names; over plain http to a LAN host, anyone on the path can copy it.")
    _expect(exercise, {**key, "OLLAMA_HOST": "0.0.0.0:11434"},
            ["api-key-plaintext", "host-all-interfaces"],
            "0.0.0.0 is not a loopback address (see the exercise's rules), and the scheme is "
            "http, so the key finding applies as well.")
    _expect(exercise, {**key, "OLLAMA_HOST": "https://ollama.com"}, ["host-network"],
            "Over https the key is encrypted in transit, so api-key-plaintext does not apply.")
    for blank in ["", "   ", "''"]:
        _expect(exercise, {"OLLAMA_API_KEY": blank, "OLLAMA_HOST": "10.0.0.5"},
                ["host-network", "host-plaintext"],
                f"OLLAMA_API_KEY={blank!r} is empty once spaces and quotes are removed, so "
                "there is no secret to leak.")


def test_api_key_follows_the_client(exercise):
    """Judges the API key by where the Python client connects, not where the server listens"""
    key = {"OLLAMA_API_KEY": FAKE_KEY}
    for value in [":11434", "http://:8080", " ':11434' "]:
        _expect(exercise, {**key, "OLLAMA_HOST": value}, ["host-all-interfaces"],
                f"OLLAMA_HOST={value!r} exposes the server (its empty host means every "
                "interface), but the key is sent by the Python client, and the client reads "
                "an empty host as 127.0.0.1: the key stays on this machine, so "
                "api-key-plaintext does not apply. Read OLLAMA_HOST the client's way "
                "(client_host) for the key rule.")
    for value in ["127.0.0.1:11434@evil.example", "[::1]:11434@evil.example",
                  "localhost:8080@attacker.example"]:
        _expect(exercise, {**key, "OLLAMA_HOST": value},
                ["api-key-plaintext", "host-network", "host-plaintext"],
                f"OLLAMA_HOST={value!r} keeps the server on loopback, but to the client "
                "everything before '@' is user info: it connects to the host after it, over "
                "plain http, and sends the key there. Judge the key by client_host(value).")
    _expect(exercise, {**key, "OLLAMA_HOST": "localhost:abc"}, [],
            "The client raises ValueError for the port 'abc' when it is created, so it sends "
            "nothing, key included (client_host returns None); the server reads the same "
            "value as localhost with its default port.")


def test_flags_hosts_the_client_reads_as_remote(exercise):
    """Flags OLLAMA_HOST values that keep the server local but send the client elsewhere"""
    for value, expected in [("127.0.0.1:11434@evil.example", ["host-network", "host-plaintext"]),
                            ("https://127.0.0.1:11434@evil.example", ["host-network"]),
                            ("localhost:11434@evil.example", ["host-network", "host-plaintext"])]:
        _expect(exercise, {"OLLAMA_HOST": value}, expected,
                f"OLLAMA_HOST={value!r}: the server listens on loopback, but the Python client "
                "connects to evil.example (the part before '@' is user info) and sends every "
                "prompt there. host-network applies when EITHER reader leaves this machine.")


def test_messages_name_the_variable_and_hide_the_key(exercise):
    """Messages name the variable and never contain the API key"""
    env = {"OLLAMA_HOST": "http://10.1.2.3:11434", "OLLAMA_ORIGINS": "*",
           "OLLAMA_API_KEY": FAKE_KEY}
    findings = exercise.audit_ollama_env(dict(env))
    for finding in findings:
        assert isinstance(finding, exercise.Finding), (
            f"audit_ollama_env returned {finding!r}, expected Finding objects "
            "(Finding(code, severity, message), defined in the starter)."
        )
        assert finding.severity == exercise.CODES.get(finding.code), (
            f"{finding.code!r} came back with severity {finding.severity!r}, expected "
            f"{exercise.CODES.get(finding.code)!r} from CODES."
        )
        assert FAKE_KEY not in finding.message and FAKE_KEY[-8:] not in finding.message, (
            f"The message of {finding.code!r} contains the API key: {finding.message!r}. "
            "Findings are logged, pasted into tickets and screenshotted; an audit must not "
            "leak the secret it is warning about, not even its last characters."
        )
        variable = ("OLLAMA_ORIGINS" if finding.code.startswith("origins")
                    else "OLLAMA_API_KEY" if finding.code.startswith("api-key") else "OLLAMA_HOST")
        assert variable in finding.message, (
            f"The message of {finding.code!r} is {finding.message!r}; it should name "
            f"{variable} so the reader knows which setting to change."
        )


def test_sorted_deterministic_and_pure(exercise):
    """Sorts findings (high first, then by code), repeats itself, leaves env unchanged"""
    env = {"OLLAMA_ORIGINS": "https://*", "OLLAMA_API_KEY": FAKE_KEY,
           "OLLAMA_HOST": " \"HTTP://[::]:11434/\" "}
    before = dict(env)
    first = exercise.audit_ollama_env(env)
    second = exercise.audit_ollama_env(env)
    codes = [f.code for f in first]
    expected = ["api-key-plaintext", "host-all-interfaces", "origins-wildcard"]
    assert codes == expected, (
        f"audit_ollama_env({before!r}) gave {codes!r}, expected {expected!r}: all three are "
        "high, so they sort by code. A stable order lets a team diff two audits."
    )
    assert first == second, (
        f"Two calls with the same env gave {first!r} and then {second!r}; an audit must be "
        "deterministic."
    )
    assert env == before, (
        f"audit_ollama_env changed its input: {before!r} became {env!r}. It only reads."
    )


def test_long_origin_lists_are_fast(exercise):
    """Handles a very long OLLAMA_ORIGINS quickly and still finds the wildcard"""
    value = ",".join(f"https://app{i}.example.com" for i in range(20_000)) + ",http://*"
    start = time.perf_counter()
    got = _codes(exercise, {"OLLAMA_ORIGINS": value})
    elapsed = time.perf_counter() - start
    assert got == ["origins-wildcard"], (
        f"With 20,000 listed origins followed by 'http://*', the codes were {got!r}, expected "
        "['origins-wildcard']: the wildcard at the end still opens the API to every website."
    )
    assert elapsed < 2.0, (
        f"Auditing 20,000 origins took {elapsed:.1f} s; a linear pass over the list takes "
        "milliseconds. Avoid work that grows with the square of the list."
    )
