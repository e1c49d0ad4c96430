"""Hidden checks for `ask_json`.

Every reply comes from the engine's fake Ollama server (the `fake_ollama` fixture:
real HTTP on 127.0.0.1, the real `ollama` client), scripted with a queue: each chat
request takes the next reply in order, so the number of recorded requests is exactly
the number of attempts.
"""

from __future__ import annotations

import json
import ssl
import sys

import httpx
import ollama

MODEL = "llama3.2:1b"  # one of the fake server's default models
PROMPT = "Classify this report: 'Stored XSS in the comment preview, CVE-2024-0001.'"

SCHEMA = {
    "title": "Triage",
    "type": "object",
    "properties": {
        "severity": {"type": "string", "enum": ["low", "medium", "high"]},
        "summary": {"type": "string", "description": "one sentence"},
        "cve_count": {"type": "integer"},
        "score": {"type": "number"},
        "exploited": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["severity", "summary", "cve_count"],
    "additionalProperties": False,
}

GOOD = {"severity": "high", "summary": "Stored XSS in comment preview.", "cve_count": 1}
GOOD_TEXT = json.dumps(GOOD)
FULL = {**GOOD, "score": 8.1, "exploited": False, "tags": ["xss", "web"]}


_CLIENTS: dict[str, ollama.Client] = {}
# Every check gets its own fake server, so its own client. An httpx client given no TLS
# context loads certifi's CA bundle, some 0.13 s each time; one shared context (default
# verification, never used: the fake server speaks plain HTTP) is loaded once, by the
# first check that needs it rather than on import.
_TLS: list[ssl.SSLContext] = []


def _client(fake) -> ollama.Client:
    """One client per fake server, all sharing one TLS context.

    Without keep-alive every request gets a fresh connection, which on loopback is faster
    than a reused one that waits on delayed ACKs.
    """
    if not _TLS:
        _TLS.append(ssl.create_default_context())
    if fake.url not in _CLIENTS:
        _CLIENTS[fake.url] = ollama.Client(
            host=fake.url, timeout=5, verify=_TLS[0],
            limits=httpx.Limits(max_keepalive_connections=0))
    return _CLIENTS[fake.url]


def _chats(fake) -> list:
    return fake.requests_to("/api/chat")


def _ask(exercise, fake, replies: list[str], retries: int = 2, model: str = MODEL,
         schema: dict | None = None):
    """Queue the replies and call ask_json.

    Returns ('ok', value), ('raised', InvalidModelOutput) or ('error', other exception).
    NotImplementedError propagates, so the engine reports the TODO.
    """
    fake.script(queue=replies)
    fake.clear_requests()
    try:
        return "ok", exercise.ask_json(_client(fake), model, PROMPT, schema or SCHEMA,
                                       retries=retries)
    except exercise.InvalidModelOutput as exc:
        return "raised", exc
    except NotImplementedError:
        raise
    except (Exception, RecursionError) as exc:
        return "error", exc


def _outcome(kind: str, result: object) -> str:
    if kind == "ok":
        return f"returned {result!r:.160}"
    return f"raised {type(result).__name__}: {result!s:.160}"


def _rejects(exercise, fake, reply: str, why: str, schema: dict | None = None) -> None:
    kind, result = _ask(exercise, fake, [reply], retries=0, schema=schema)
    crash = (" Every kind of bad reply must end in InvalidModelOutput, so that callers handle "
             "one exception instead of crashing." if kind == "error" else "")
    assert kind == "raised", (
        f"With retries=0 and the model replying {reply!r:.100}, ask_json "
        f"{_outcome(kind, result)}, expected InvalidModelOutput: {why}{crash}"
    )
    count = len(_chats(fake))
    assert count == 1, (
        f"With retries=0, ask_json sent {count} chat requests for the reply {reply!r:.80}, "
        "expected exactly 1."
    )


def test_returns_valid_object_and_sends_the_schema(exercise, fake_ollama):
    """Returns a valid reply, sending the schema, stream=False and temperature 0"""
    kind, result = _ask(exercise, fake_ollama, [json.dumps(FULL)])
    assert (kind, result) == ("ok", FULL), (
        f"The model replied with a valid object, {json.dumps(FULL)!r}; ask_json "
        f"{_outcome(kind, result)}, expected it to return that object as a dict."
    )
    sent = _chats(fake_ollama)
    assert len(sent) == 1, f"ask_json sent {len(sent)} chat requests for a valid reply, expected 1."
    body = sent[0].body
    checks = [
        (body.get("model") == MODEL, f"model {body.get('model')!r}, expected {MODEL!r}"),
        (body.get("format") == SCHEMA, "format was not the schema dict: pass format=schema, "
                                       "so the server constrains the reply to it"),
        (body.get("stream") is False, f"stream {body.get('stream')!r}, expected False: one "
                                      "complete reply to validate, not chunks"),
        ((body.get("options") or {}).get("temperature") == 0,
         f"options {body.get('options')!r}, expected temperature 0: structured output should "
         "be as deterministic as the model allows"),
        (body.get("messages") == [{"role": "user", "content": PROMPT}],
         f"messages {body.get('messages')!r}, expected one user message with the prompt"),
    ]
    for ok, problem in checks:
        assert ok, f"The chat request ask_json sent had {problem}."


def test_strips_one_surrounding_fence(exercise, fake_ollama):
    """Accepts JSON wrapped in one ```json fence (any case, with or without the tag)"""
    for reply in [f"```json\n{GOOD_TEXT}\n```", f"```\n{GOOD_TEXT}\n```",
                  f"  ```JSON\n{GOOD_TEXT}\n```\n", f"```json {GOOD_TEXT} ```"]:
        kind, result = _ask(exercise, fake_ollama, [reply], retries=0)
        assert (kind, result) == ("ok", GOOD), (
            f"The model replied {reply!r}; ask_json {_outcome(kind, result)}, expected {GOOD!r}. "
            "Small models often wrap JSON in a Markdown fence even when asked not to; one fence "
            "around the whole reply is unambiguous, so remove it before parsing."
        )


def test_rejects_prose_around_json(exercise, fake_ollama):
    """Refuses JSON with prose around it instead of digging it out"""
    for reply in [f"Sure! Here is the JSON: {GOOD_TEXT}", f"{GOOD_TEXT}\nHope this helps!",
                  f"Here you go:\n```json\n{GOOD_TEXT}\n```",
                  f"```json\n{GOOD_TEXT}\n```\n```json\n{GOOD_TEXT}\n```", "", "   "]:
        _rejects(exercise, fake_ollama, reply,
                 "only a bare object, or one fence around it, is an answer. Scraping an object "
                 "out of prose is how text the model was quoting (an attacker's report, say) "
                 "becomes the object you act on.")


def test_rejects_wrong_types_missing_keys_and_enums(exercise, fake_ollama):
    """Validates types (bool is not a number), required keys, enums and unknown keys"""
    cases = [
        ({**GOOD, "cve_count": "1"}, "cve_count is the string '1', not an integer"),
        ({**GOOD, "cve_count": True}, "cve_count is true: a boolean, even though "
                                      "isinstance(True, int) is True in Python"),
        ({**GOOD, "cve_count": 1.5}, "cve_count is 1.5, not an integer"),
        ({**GOOD, "summary": 42}, "summary is a number, not a string"),
        ({**GOOD, "score": "8.1"}, "score is a string, not a number"),
        ({**GOOD, "score": False}, "score is false: a boolean is not a number"),
        ({**GOOD, "exploited": "yes"}, "exploited is a string, not a boolean"),
        ({**GOOD, "tags": "xss,web"}, "tags is a string, not an array"),
        ({**GOOD, "tags": ["xss", 7]}, "tags contains a number; items must be strings"),
        ({k: v for k, v in GOOD.items() if k != "severity"}, "the required key severity is "
                                                               "missing"),
        ({**GOOD, "severity": "urgent"}, "severity 'urgent' is not in the enum"),
        ({**GOOD, "severity": "HIGH"}, "severity 'HIGH' is not in the enum (enums are exact)"),
        ({**GOOD, "action": "delete_all"}, "the key 'action' is not in properties and the "
                                           "schema says additionalProperties: false"),
    ]
    for value, why in cases:
        _rejects(exercise, fake_ollama, json.dumps(value), why + ".")
    for reply, why in [("[1, 2, 3]", "a JSON array is not an object"),
                       ("null", "null is not an object"),
                       ('"high"', "a JSON string is not an object")]:
        _rejects(exercise, fake_ollama, reply, why + ".")


def test_strict_json_only(exercise, fake_ollama):
    """Refuses Python literals, NaN, duplicate keys and deep nesting, and never evaluates"""
    marker = "aisec_ask_json_evaluated"
    payload = (f"__import__('sys').modules.__setitem__('{marker}', 1) or "
               "{'severity': 'high', 'summary': 'x', 'cve_count': 1}")
    cases = [
        ("{'severity': 'high', 'summary': 'x', 'cve_count': 1}", "single quotes make it a "
         "Python dict literal, not JSON (ast.literal_eval would accept it; json.loads does not)"),
        (payload, "this is Python code, not JSON"),
        ('{"severity": "high", "summary": "x", "cve_count": 1, "score": NaN}', "NaN is not "
         "JSON; json.loads accepts it unless parse_constant rejects it"),
        ('{"severity": "high", "summary": "x", "cve_count": 1, "score": Infinity}',
         "Infinity is not JSON either"),
        ('{"severity": "high", "summary": "x", "cve_count": 1, "score": 1e999}',
         "1e999 is valid JSON syntax, but Python reads it as infinity; a number must be finite "
         "(math.isfinite)"),
        ('{"severity": "low", "summary": "x", "cve_count": 1, "severity": "high"}',
         "the key severity appears twice; json.loads keeps the last, other parsers the first, "
         "so two components could disagree about the same reply"),
        ("[" * 100_000 + "]" * 100_000, "it is nested 100,000 levels deep: json.loads raises "
         "RecursionError, and a model (or an attacker steering it) must not crash your program"),
    ]
    for reply, why in cases:
        _rejects(exercise, fake_ollama, reply, why + ".")
    untyped = {"type": "object", "properties": {"value": {}}, "required": ["value"]}
    _rejects(exercise, fake_ollama, '{"value": NaN}', "NaN is not JSON. Here the schema puts no "
             "type on 'value', so only the parser can stop it: reject NaN, Infinity and "
             "-Infinity with json.loads(..., parse_constant=...).", schema=untyped)
    assert marker not in sys.modules, (
        "A reply containing Python code was executed: it set sys.modules["
        f"{marker!r}]. Never pass model output to eval(), exec() or ast.literal_eval(); "
        "use json.loads."
    )


def test_retries_with_feedback_then_succeeds(exercise, fake_ollama):
    """Retries an invalid reply, telling the model what was wrong, and returns the next valid one"""
    first = "Sure! Here it is."
    kind, result = _ask(exercise, fake_ollama, [first, GOOD_TEXT], retries=2)
    assert (kind, result) == ("ok", GOOD), (
        f"The model replied {first!r}, then a valid object; ask_json "
        f"{_outcome(kind, result)}, expected {GOOD!r} from the second attempt."
    )
    sent = _chats(fake_ollama)
    assert len(sent) == 2, (
        f"ask_json sent {len(sent)} chat requests, expected 2: stop at the first valid reply."
    )
    messages = sent[1].body.get("messages") or []
    assert messages[:1] == [{"role": "user", "content": PROMPT}], (
        f"The retry's messages began with {messages[:1]!r}; the original prompt must still be "
        "the first message."
    )
    assert {"role": "assistant", "content": first} in messages, (
        f"The retry's messages were {messages!r}; they should include the invalid reply as an "
        "assistant message, so the model sees what it said."
    )
    assert messages[-1].get("role") == "user" and messages[-1] != messages[0], (
        f"The retry's last message was {messages[-1]!r}, expected a new user message saying what "
        "was wrong. At temperature 0 the same messages give the same reply, so an unchanged "
        "retry is wasted."
    )


def test_bounded_retries_and_last_problem(exercise, fake_ollama):
    """Makes at most retries + 1 requests, then raises with the last problem"""
    bad = ["not json at all", '{"severity": "low"}',
           json.dumps({"summary": "x", "cve_count": 1}), "more prose", "and more", "still no"]
    for retries, expected in [(0, 1), (2, 3), (4, 5)]:
        kind, result = _ask(exercise, fake_ollama, bad[:expected] + [GOOD_TEXT] * 3,
                            retries=retries)
        count = len(_chats(fake_ollama))
        assert kind == "raised" and count == expected, (
            f"With retries={retries} and {expected} invalid replies in a row, ask_json "
            f"{_outcome(kind, result)} after {count} chat requests, expected InvalidModelOutput "
            f"after exactly {expected} (retries + 1). The next reply in the queue was valid, so "
            "one request too many would have returned it: the budget must be exact."
        )
    kind, result = _ask(exercise, fake_ollama, bad[:3], retries=2)
    assert kind == "raised" and "severity" in str(result), (
        f"The last of three invalid replies was {bad[2]!r}, which lacks the required key "
        f"'severity'; the InvalidModelOutput message was {str(result)!r}. Report the LAST "
        "problem, and name the key, so whoever reads the log can fix the prompt or schema."
    )


def test_server_errors_are_not_retried(exercise, fake_ollama):
    """Lets ollama.ResponseError through at once: no retries for a missing model or a 500"""
    fake_ollama.script(queue=[GOOD_TEXT] * 3)
    try:
        result = exercise.ask_json(_client(fake_ollama), "no-such-model:1b", PROMPT, SCHEMA,
                                   retries=2)
    except ollama.ResponseError as exc:
        assert exc.status_code == 404, (
            f"ask_json raised ResponseError with status {exc.status_code}, expected the "
            "server's 404 untouched."
        )
    except NotImplementedError:
        raise
    except Exception as exc:
        raise AssertionError(
            f"For a model that is not installed, ask_json raised {type(exc).__name__}: {exc}, "
            "expected the client's ollama.ResponseError (status_code 404) to propagate: it says "
            "exactly what is wrong ('ollama pull ...'), and it is not invalid model output."
        ) from None
    else:
        raise AssertionError(f"ask_json returned {result!r} for a model that does not exist.")
    count = len(_chats(fake_ollama))
    assert count == 1, (
        f"ask_json sent {count} chat requests for a model that does not exist, expected 1: "
        "asking again will not install it."
    )
    fake_ollama.script(queue=[{"error": "out of memory", "status": 500}, GOOD_TEXT])
    fake_ollama.clear_requests()
    try:
        exercise.ask_json(_client(fake_ollama), MODEL, PROMPT, SCHEMA, retries=2)
    except ollama.ResponseError:
        pass
    else:
        raise AssertionError(
            "The server answered the first request with HTTP 500; ask_json should let "
            "ollama.ResponseError propagate. Retries are for invalid output, not for server "
            "errors (back-off is a separate policy)."
        )
    count = len(_chats(fake_ollama))
    assert count == 1, f"After an HTTP 500, ask_json sent {count} chat requests, expected 1."


def test_rejects_bad_retries_argument(exercise, fake_ollama):
    """Rejects a negative or non-integer retries value before sending anything"""
    fake_ollama.script(queue=[GOOD_TEXT] * 3)
    for retries in [-1, True, 1.5, "2", None]:
        try:
            result = exercise.ask_json(_client(fake_ollama), MODEL, PROMPT, SCHEMA,
                                       retries=retries)
        except ValueError:
            continue
        except TypeError:
            continue
        raise AssertionError(
            f"ask_json(..., retries={retries!r}) returned {result!r}, expected ValueError: the "
            "retry budget must be a whole number >= 0, or it is not a budget."
        )
    sent = _chats(fake_ollama)
    assert not sent, (
        f"Rejecting bad retries values still sent {len(sent)} chat request(s); check the "
        "arguments before calling the model."
    )
