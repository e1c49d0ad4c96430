"""Hidden checks for `budget_guard`: prompt size, output cap and a token bucket.

The model is a fake client that records every call and returns dicts shaped like
Ollama's non-streaming chat response; the clock is a fake too, so no check waits.
"""

from __future__ import annotations

import copy
import math
import time

MODEL = "llama3.2"
LIMITS = {"max_prompt_chars": 100, "max_output_tokens": 64, "tokens_per_minute": 60, "burst": 100}
START = 1000.0  # the fake clock does not start at 0, as time.monotonic() does not

WHY_NUM_PREDICT = (
    "num_predict is the only limit on how long the model talks. Ollama's documentation "
    "gives -1 as 'infinite generation', and 0 is no safe 'nothing' either (Ollama's MLX "
    "runner reads 0 or less as 'as many as fit in the context'), so anything that is "
    "not an int from 1 to the cap must become the cap."
)


def _short(value: object, limit: int = 200) -> str:
    """repr() of a value, cut in the middle when it is too long to read in a message."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit // 2]} ... {text[-limit // 2 :]} ({len(text)} characters)"


class FakeClock:
    """A clock the check moves by hand."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def reply(prompt_eval_count: object = 30, eval_count: object = 20, **extra: object) -> dict:
    """A response shaped like Ollama's non-streaming /api/chat reply."""
    response: dict = {
        "model": MODEL,
        "message": {"role": "assistant", "content": "Thanks, we are on it."},
        "done": True,
        "done_reason": "stop",
    }
    if prompt_eval_count is not ...:
        response["prompt_eval_count"] = prompt_eval_count
    if eval_count is not ...:
        response["eval_count"] = eval_count
    response.update(extra)
    return response


class FakeClient:
    """Records every call (a deep copy of its keyword arguments) and returns replies."""

    def __init__(self, *responses: dict) -> None:
        self.responses = list(responses)
        self.calls: list[dict] = []
        self.raw_calls: list[dict] = []

    def chat(self, *args: object, **kwargs: object) -> dict:
        assert not args, (
            f"The guard called client.chat() with positional arguments {_short(args)}. "
            "Call it with keywords only: client.chat(model=..., messages=..., options=...), "
            "as ollama.Client.chat() is usually called; positional order is easy to get wrong."
        )
        self.raw_calls.append(kwargs)
        self.calls.append(copy.deepcopy(kwargs))
        return self.responses.pop(0) if self.responses else reply()


def user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def _guard(exercise, client=None, clock=None, **overrides):
    limits = {**LIMITS, **overrides}
    client = client if client is not None else FakeClient()
    clock = clock if clock is not None else FakeClock()
    return exercise.BudgetGuard(client, clock, **limits), client, clock


def _available(guard) -> float:
    usage = guard.usage()
    assert isinstance(usage, dict) and "available" in usage, (
        f"usage() returned {_short(usage)}, expected a dict with the keys 'calls', 'refused', "
        "'prompt_tokens', 'output_tokens', 'total_tokens' and 'available'."
    )
    return usage["available"]


def _outcome(call) -> tuple[str, object]:
    """('returned', value) or ('raised', exception)."""
    try:
        return "returned", call()
    except NotImplementedError:
        raise  # the engine explains this one ("Not implemented yet")
    except Exception as exc:  # any exception is a result worth describing
        return "raised", exc


def _describe(kind: str, result: object) -> str:
    if kind == "returned":
        return f"returned {_short(result)}"
    return f"raised {type(result).__name__}: {result}"


def _no_waiting(monkeypatch) -> None:
    """Make time.sleep() fail loudly: a guard refuses, it never waits."""

    def no_sleep(seconds: float) -> None:
        raise AssertionError(
            f"The guard called time.sleep({seconds!r}). It must never wait: it refuses "
            "with BudgetExceeded(RATE_LIMITED, ...), and the caller decides what to do. "
            "A guard that sleeps lets one busy user hold your worker threads."
        )

    monkeypatch.setattr(time, "sleep", no_sleep)


def test_passes_the_call_through(exercise):
    """Calls the client with keywords and returns its response unchanged"""
    response = reply(31, 7)
    guard, client, _ = _guard(exercise, FakeClient(response))
    messages = [
        {"role": "system", "content": "You answer support tickets."},
        {"role": "user", "content": "Where is my parcel?"},
    ]
    got = guard.chat(MODEL, messages, {"temperature": 0})
    assert got is response, (
        f"chat() returned {_short(got)}, expected the very object the client returned "
        "(the guard adds limits, it does not rewrite answers): callers read the reply "
        "and its metadata from it."
    )
    assert len(client.calls) == 1, (
        f"The client was called {len(client.calls)} times for one chat(), expected once: "
        "every extra call costs tokens the bucket never sees."
    )
    call = client.calls[0]
    assert call.get("model") == MODEL and call.get("messages") == messages, (
        f"The client got {_short(call)}, expected model={MODEL!r} and the caller's messages "
        "unchanged: the guard limits the call, it must not change what is asked."
    )
    assert call.get("options", {}).get("temperature") == 0, (
        f"The client got options {_short(call.get('options'))}, expected the caller's "
        "'temperature': 0 to be kept next to num_predict: only num_predict is the guard's "
        "business."
    )
    assert "format" not in call, (
        f"The client got format={call.get('format')!r} although the caller passed none: add "
        "format= only when it is not None."
    )
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}}
    guard.chat(MODEL, user("Hello"), format=schema)
    assert client.calls[1].get("format") == schema, (
        f"chat(..., format={schema!r}) sent format={client.calls[1].get('format')!r} to the "
        "client, expected the schema unchanged: structured output is how the caller gets "
        "JSON it can validate."
    )


def test_caps_num_predict(exercise):
    """Always sends num_predict, and never more than max_output_tokens"""
    cap = LIMITS["max_output_tokens"]
    cases = [
        (None, cap),
        ({}, cap),
        ({"num_predict": 10}, 10),
        ({"num_predict": 1}, 1),
        ({"num_predict": cap}, cap),
        ({"num_predict": cap + 1}, cap),
        ({"num_predict": 10**9}, cap),
        ({"num_predict": -1}, cap),
        ({"num_predict": -2}, cap),
        ({"num_predict": 0}, cap),
        ({"num_predict": True}, cap),
        ({"num_predict": 10.0}, cap),
        ({"num_predict": "10"}, cap),
        ({"num_predict": None}, cap),
    ]
    for options, expected in cases:
        guard, client, _ = _guard(exercise)
        guard.chat(MODEL, user("Hi"), copy.deepcopy(options))
        sent = client.calls[0].get("options")
        got = sent.get("num_predict") if isinstance(sent, dict) else sent
        assert got == expected and type(got) is int, (
            f"chat(..., options={options!r}) with max_output_tokens={cap} sent "
            f"num_predict={got!r}, expected {expected!r}. {WHY_NUM_PREDICT}"
        )
    guard, client, _ = _guard(exercise)
    guard.chat(MODEL, user("Hi"), {"num_ctx": 2048, "temperature": 0.2, "num_predict": 5})
    sent = client.calls[0].get("options")
    expected = {"num_ctx": 2048, "temperature": 0.2, "num_predict": 5}
    assert sent == expected, (
        f"The client got options {sent!r}, expected {expected!r}: every other option is "
        "passed through as the caller wrote it."
    )


def test_does_not_change_callers_data(exercise):
    """Leaves the caller's options and messages untouched"""
    options = {"temperature": 0, "num_predict": -1}
    messages = user("Please help.")
    before_options, before_messages = copy.deepcopy(options), copy.deepcopy(messages)
    guard, client, _ = _guard(exercise)
    guard.chat(MODEL, messages, options)
    guard.chat(MODEL, messages, options)
    assert options == before_options, (
        f"After chat(..., options={before_options!r}) the caller's dict is {options!r}: "
        "build a new dict (dict(options)) and cap num_predict there. Writing into the "
        "caller's dict changes settings they may reuse for other calls or other guards."
    )
    assert messages == before_messages, (
        f"After chat() the caller's messages are {messages!r}, expected them unchanged "
        f"({before_messages!r})."
    )
    for call in client.raw_calls:
        assert call.get("options") is not options, (
            "The guard passed the caller's own options dict to the client. Make a new dict: "
            "the client (or the next caller) may change it."
        )


def test_refuses_oversize_prompts(exercise):
    """Refuses a prompt over max_prompt_chars before calling the model"""
    limit = LIMITS["max_prompt_chars"]
    system = {"role": "system", "content": "s" * 60}
    cases = [
        ([system, {"role": "user", "content": "u" * 41}], 101),
        ([{"role": "user", "content": "x" * (limit + 1)}], limit + 1),
        ([system, {"role": "assistant", "content": "a" * 30},
          {"role": "user", "content": "u" * 11}], 101),
        ([{"role": "user", "content": "x" * 100_000}], 100_000),
    ]
    for messages, size in cases:
        guard, client, _ = _guard(exercise)
        kind, result = _outcome(lambda g=guard, m=messages: g.chat(MODEL, m))
        assert kind == "raised" and isinstance(result, exercise.BudgetExceeded), (
            f"chat() with {len(messages)} messages of {size} characters in all "
            f"(max_prompt_chars={limit}) {_describe(kind, result)}, expected "
            "BudgetExceeded: count every message, the system prompt and earlier turns "
            "included, because the model processes all of them. Oversize input is the "
            "first example OWASP LLM10 gives of unbounded consumption."
        )
        assert getattr(result, "reason", None) == exercise.PROMPT_TOO_LONG, (
            f"The BudgetExceeded for a {size}-character prompt has reason "
            f"{getattr(result, 'reason', None)!r}, expected PROMPT_TOO_LONG: callers use "
            "the reason to tell 'shorten your ticket' from 'try again later'."
        )
        assert client.calls == [], (
            f"The client was called ({len(client.calls)} times) for a {size}-character "
            f"prompt over the {limit}-character limit: refuse BEFORE calling. By then the "
            "model has already done the expensive work."
        )
        usage = guard.usage()
        assert usage.get("refused") == 1 and usage.get("calls") == 0, (
            f"After one refused oversize prompt usage() is {usage!r}, expected refused=1 "
            "and calls=0: refusals are what your monitoring should alert on."
        )
        assert math.isclose(usage.get("available", -1), LIMITS["burst"]), (
            f"After a refused prompt usage()['available'] is {usage.get('available')!r}, "
            f"expected {LIMITS['burst']} (the full bucket): a refusal costs no tokens."
        )
    guard, client, _ = _guard(exercise)
    exactly = [system, {"role": "user", "content": "u" * 40}]
    guard.chat(MODEL, exactly)
    assert len(client.calls) == 1, (
        f"A prompt of exactly max_prompt_chars={limit} characters was not sent, expected "
        "it to be allowed: the limit is the largest size you accept (refuse only > limit)."
    )


def test_refill_math(exercise):
    """Starts full, refills tokens_per_minute / 60 per second, never above burst"""
    responses = [reply(30, 20), reply(100, 100), reply(1, 1)]
    guard, _, clock = _guard(exercise, FakeClient(*responses))
    steps = []

    def expect(expected: float, what: str) -> None:
        got = _available(guard)
        steps.append(f"{what}: {got!r}")
        assert isinstance(got, (int, float)) and math.isclose(got, expected, abs_tol=1e-9), (
            f"With burst=100 and tokens_per_minute=60 (one token a second), after "
            f"{'; '.join(steps)}, usage()['available'] should be {expected!r}. The bucket "
            "starts full, each call subtracts prompt_eval_count + eval_count, and it "
            "refills continuously at tokens_per_minute / 60 tokens per second of the "
            "injected clock, capped at burst."
        )

    expect(100, "a new guard")
    clock.now += 30
    expect(100, "30 s idle (already full, so it stays at burst)")
    guard.chat(MODEL, user("Hi"))
    expect(50, "a call that used 30 + 20 tokens")
    clock.now += 10
    expect(60, "10 s later")
    clock.now += 2.5
    expect(62.5, "2.5 s later (refill is continuous, not in whole seconds)")
    guard.chat(MODEL, user("Hi"))
    expect(-137.5, "a call that used 100 + 100 tokens (the bucket goes into debt)")
    clock.now += 3600
    expect(100, "an hour later (full again, never above burst)")

    guard, _, clock = _guard(exercise, tokens_per_minute=90, burst=10)
    guard.chat(MODEL, user("Hi"))
    steps.clear()
    steps.append("tokens_per_minute=90, burst=10, a call that used 50 tokens")
    clock.now += 2
    got = _available(guard)
    assert math.isclose(got, -37.0, abs_tol=1e-9), (
        f"With tokens_per_minute=90 and burst=10, after a call that used 50 tokens and 2 s "
        f"of waiting, usage()['available'] is {got!r}, expected -37.0 (10 - 50 + 2 * 1.5): "
        "the rate is per MINUTE, so it is tokens_per_minute / 60 per second."
    )


def test_refuses_while_bucket_is_empty(exercise, monkeypatch):
    """Refuses calls while the bucket holds 0 tokens or fewer, and allows them once it refills"""
    _no_waiting(monkeypatch)
    guard, client, clock = _guard(exercise, FakeClient(reply(100, 50), reply(1, 1)))
    guard.chat(MODEL, user("Write me a long story."))
    # The bucket now holds 100 - 150 = -50 tokens, and refills one token a second.
    for wait, available in ((0, -50), (30, -20), (20, 0)):
        clock.now += wait
        kind, result = _outcome(lambda: guard.chat(MODEL, user("And another one.")))
        assert kind == "raised" and isinstance(result, exercise.BudgetExceeded), (
            f"With {available} tokens in the bucket, chat() {_describe(kind, result)}, "
            "expected BudgetExceeded: a call is allowed only while the bucket holds MORE "
            "than 0 tokens. A debt from an expensive call must be paid back first, or one "
            "user can keep the model busy for everyone."
        )
        assert getattr(result, "reason", None) == exercise.RATE_LIMITED, (
            f"The refusal with {available} tokens has reason "
            f"{getattr(result, 'reason', None)!r}, expected RATE_LIMITED."
        )
    assert len(client.calls) == 1, (
        f"The client was called {len(client.calls)} times, expected once: refused calls "
        "must not reach the model."
    )
    clock.now += 0.5
    kind, result = _outcome(lambda: guard.chat(MODEL, user("And another one.")))
    assert kind == "returned" and len(client.calls) == 2, (
        f"With 0.5 tokens in the bucket, chat() {_describe(kind, result)}, expected the "
        "call to go through: any positive balance allows one call, which is then charged "
        "in full (the bucket may go into debt again)."
    )
    usage = guard.usage()
    assert usage.get("refused") == 3 and usage.get("calls") == 2, (
        f"usage() is {usage!r}, expected calls=2 and refused=3: every refusal is counted, "
        "so that monitoring can see who keeps hitting the limit."
    )


def test_missing_counts_are_estimated(exercise):
    """Charges an estimate, never 0, when the response has no token counts"""
    prompt = [{"role": "system", "content": "s" * 20}, {"role": "user", "content": "u" * 15}]
    cases = [
        (reply(..., ...), None, 35, 64, "both counts missing"),
        (reply(None, None), None, 35, 64, "both counts None"),
        (reply(..., 12), None, 35, 12, "prompt_eval_count missing"),
        (reply(9, ...), {"num_predict": 10}, 9, 10, "eval_count missing, num_predict 10 sent"),
    ]
    for response, options, prompt_tokens, output_tokens, what in cases:
        guard, _, _ = _guard(exercise, FakeClient(response))
        guard.chat(MODEL, prompt, options)
        usage = guard.usage()
        expected = {
            "prompt_tokens": prompt_tokens,
            "output_tokens": output_tokens,
            "total_tokens": prompt_tokens + output_tokens,
        }
        got = {key: usage.get(key) for key in expected}
        assert got == expected, (
            f"For a response with {what} (a 35-character prompt, max_output_tokens=64), "
            f"usage() reports {got!r}, expected {expected!r}. A missing count is not a "
            "free call: charge the prompt's length in characters for prompt_eval_count and "
            "the num_predict you sent for eval_count. Ollama has shipped releases that left "
            "prompt_eval_count out whenever the prompt came from its cache; a guard that "
            "reads that as 0 lets a user repeat the same long prompt for free."
        )
        assert math.isclose(usage.get("available"), 100 - expected["total_tokens"]), (
            f"For a response with {what}, usage()['available'] is {usage.get('available')!r}, "
            f"expected {100 - expected['total_tokens']}: the estimate is charged to the "
            "bucket too, not only counted."
        )


def test_bad_counts_never_refill(exercise):
    """Never lets a negative, bool, float or str count refill the bucket"""
    prompt = user("u" * 40)
    bad_values = [-1000, True, 12.0, "12", [12], float("nan")]
    for bad in bad_values:
        guard, _, _ = _guard(exercise, FakeClient(reply(bad, bad)))
        guard.chat(MODEL, prompt)
        usage = guard.usage()
        got = (usage.get("prompt_tokens"), usage.get("output_tokens"), usage.get("available"))
        assert got[:2] == (40, 64) and math.isclose(got[2], 100 - 104), (
            f"For a response whose counts are {bad!r}, usage() gives prompt_tokens, "
            f"output_tokens, available = {got!r}, expected (40, 64, -4): a count must be an "
            "int >= 0 (and not a bool), anything else is replaced by the estimate. A "
            "negative count would ADD tokens to the bucket, so a misbehaving or compromised "
            "server could hand out unlimited calls."
        )


def test_large_counts_are_charged_in_full(exercise):
    """Charges a huge reported count in full and keeps refusing until it is repaid"""
    guard, _, clock = _guard(exercise, FakeClient(reply(10**6, 10**6)))
    guard.chat(MODEL, user("Summarise the attached book."))
    clock.now += 3600
    kind, result = _outcome(lambda: guard.chat(MODEL, user("Next one.")))
    assert kind == "raised" and getattr(result, "reason", None) == exercise.RATE_LIMITED, (
        f"After a call that reported 2 000 000 tokens and one hour of refill at 60 tokens a "
        f"minute, chat() {_describe(kind, result)}, expected BudgetExceeded(RATE_LIMITED): "
        "valid counts are charged as reported, however large, and the debt must be repaid "
        "before the next call. Capping the charge at burst would let an expensive user "
        "start over after one minute."
    )
    usage = guard.usage()
    assert usage.get("total_tokens") == 2 * 10**6, (
        f"usage()['total_tokens'] is {usage.get('total_tokens')!r}, expected 2000000: the "
        "totals are what you bill and alert on, so they must not be capped either."
    )


def test_clock_going_backwards(exercise):
    """Adds nothing and removes nothing when the clock goes backwards"""
    guard, _, clock = _guard(exercise)
    guard.chat(MODEL, user("Hi"))  # 100 - 50 = 50
    clock.now -= 100
    got = _available(guard)
    assert math.isclose(got, 50), (
        f"After a call that used 50 tokens, the clock went back 100 s (wall clocks do, "
        f"after an NTP correction). usage()['available'] is {got!r}, expected 50: a "
        "negative interval adds nothing and removes nothing. Subtracting would lock users "
        "out; adding would hand out free tokens."
    )
    clock.now += 10
    got = _available(guard)
    assert math.isclose(got, 60), (
        f"10 s after the clock went back, usage()['available'] is {got!r}, expected 60: "
        "remember the new, earlier time as the last time you looked, and refill from there."
    )


def test_rejects_what_it_cannot_measure(exercise):
    """Rejects messages and options it cannot measure, without calling the model"""
    cases = [
        ("Hello", None, "messages as a str"),
        ([{"role": "user", "content": b"Hello"}], None, "content as bytes"),
        ([{"role": "user", "content": ["x" * 10_000]}], None, "content as a list"),
        ([{"role": "user"}], None, "a message without content"),
        ([{"role": "user", "content": None}], None, "content None"),
        (["Hello"], None, "a message that is a str"),
        (user("Hello"), [("num_predict", 10**9)], "options as a list"),
        (user("Hello"), "num_predict=1000000", "options as a str"),
    ]
    for messages, options, what in cases:
        guard, client, _ = _guard(exercise)
        kind, result = _outcome(
            lambda g=guard, m=messages, o=options: g.chat(MODEL, m, o)
        )
        assert kind == "raised" and isinstance(result, TypeError), (
            f"chat() with {what} ({_short(messages)}, options={options!r}) "
            f"{_describe(kind, result)}, expected TypeError. Call check_messages(messages, "
            "options) first: the size check counts characters of str contents, and "
            "anything it cannot count (a list of 10 000 characters looks like 1 item) "
            "could carry an oversize prompt past it."
        )
        assert client.calls == [], (
            f"chat() with {what} called the client: call check_messages() before anything "
            "is sent."
        )


def test_client_errors_pass_through(exercise):
    """Lets a client error through without counting a call"""

    class BrokenClient:
        def chat(self, **kwargs: object) -> dict:
            raise ConnectionError("Failed to connect to Ollama.")

    guard, _, _ = _guard(exercise, BrokenClient())
    kind, result = _outcome(lambda: guard.chat(MODEL, user("Hello")))
    assert kind == "raised" and isinstance(result, ConnectionError), (
        f"When the client raises ConnectionError, chat() {_describe(kind, result)}, expected "
        "the same ConnectionError: the caller must know the model is unreachable, and "
        "turning it into a reply or a BudgetExceeded hides an outage."
    )
    usage = guard.usage()
    assert usage.get("calls") == 0 and usage.get("total_tokens") == 0, (
        f"After a call that raised, usage() is {usage!r}, expected calls=0 and "
        "total_tokens=0: there is no response, so there are no counts to charge."
    )
