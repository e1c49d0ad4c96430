"""Put a budget around every model call: prompt size, output cap, token bucket.

The scenario
------------

Your support assistant calls a local model through Ollama. Anyone who can open a
ticket can make it call the model, and every call costs: GPU time on your own
server, or money on a hosted API. Without limits, one script that sends huge
tickets in a loop slows the assistant down for everybody (denial of service) or
runs up your bill (denial of wallet). OWASP calls this LLM10:2025 Unbounded
Consumption.

You will write `BudgetGuard`, a wrapper that sits between your code and the chat
client and refuses to spend more than you allowed:

1. it refuses prompts that are too long, before they reach the model;
2. it always caps the number of tokens the model may generate (`num_predict`);
3. it keeps a token bucket: every call is paid for with the tokens the model
   reports having used, and when the bucket is empty, calls are refused until it
   has refilled.

The client
----------

`client` is anything with the interface of `ollama.Client`:

    client.chat(model=..., messages=[...], options={...}) -> response

In the checks it is a fake that records its calls and returns a dict shaped like
Ollama's non-streaming chat response:

    {"message": {"role": "assistant", "content": "Hello!"},
     "done": True,
     "prompt_eval_count": 26,   # tokens in the prompt
     "eval_count": 290}         # tokens generated

(the real client returns a `ChatResponse` object; it supports `key in response`
and `response[key]` just like a dict, so code written with those works for both).
Always call the client with keyword arguments: `model=`, `messages=`, `options=`,
and `format=` only when the caller passed a format that is not None.

`clock` is a function without arguments that returns the current time in seconds,
as a float: `time.monotonic` in production, a fake in the checks. Never call
`time.time()`, `time.monotonic()` or `time.sleep()` yourself: the guard refuses,
it never waits.

What to implement
-----------------

    BudgetGuard(client, clock, *, max_prompt_chars, max_output_tokens,
                tokens_per_minute, burst)

All four limits must be ints (not bools) greater than 0: raise TypeError for any
other type and ValueError for 0 or less. Raise TypeError if `clock` is not
callable. The bucket starts FULL: `burst` tokens, at the time `clock()` returns
when the guard is created.

    guard.chat(model, messages, options=None, *, format=None) -> response

Steps, in this order:

1. Check the arguments. `messages` must be a list or tuple of dicts, each with a
   str under "content"; `options` must be None or a dict. Anything else: raise
   TypeError (you cannot measure what you cannot read, so you must not send it).
   Nothing is counted.
2. Prompt size: add up `len(message["content"])` over ALL messages (system prompt
   and earlier turns included). If the total is greater than `max_prompt_chars`,
   count a refusal and raise `BudgetExceeded(PROMPT_TOO_LONG, ...)`. A total equal
   to the limit is fine.
3. Refill: `now = clock()`. If `now` is later than the last time you looked, add
   `(now - last) * tokens_per_minute / 60` tokens, but never let the bucket hold
   more than `burst`. Then remember `now` as the last time, even when the clock
   went backwards (then add nothing, and never remove tokens).
4. If the bucket holds 0 tokens or fewer, count a refusal and raise
   `BudgetExceeded(RATE_LIMITED, ...)`.
5. Options: make a NEW dict from the caller's options (never change the caller's
   dict) and set "num_predict" in it to `max_output_tokens`, unless the caller
   asked for an int between 1 and `max_output_tokens`, which you keep. Missing,
   0, negative, too large, bool, float, str: all become the cap. (Ollama's
   documentation gives -1 as "infinite generation", and its Go runners only check
   a value above 0 as a limit: none of those mean "less".)
6. Call `client.chat(model=model, messages=messages, options=new_options)`, adding
   `format=format` only when format is not None. If the client raises, let the
   exception through: nothing is charged.
7. Charge the bucket with the tokens the call used: the response's
   "prompt_eval_count" plus its "eval_count". A count that is missing, None, or
   not an int >= 0 (negative, bool, float, str) is replaced by an estimate that
   errs on the expensive side:
   - prompt: the prompt's length in characters (from step 2), one token per
     character;
   - output: the "num_predict" you sent in step 5 (the model may not generate
     more).
   Subtract the total from the bucket (it may go below zero: that is a debt the
   refill pays back before the next call is allowed). A reported count that is
   valid is charged as it is, however large.
8. Return the response unchanged (the same object).

    guard.usage() -> dict

Refill first (step 3), then return exactly these keys:
`{"calls": ..., "refused": ..., "prompt_tokens": ..., "output_tokens": ...,
"total_tokens": ..., "available": ...}`: calls that reached the client and
returned, refusals (both reasons), the prompt and output tokens charged so far
(estimates included), their sum, and the tokens in the bucket now (a float, may
be negative).

Out of scope: threads and asyncio. This guard keeps its state without a lock, so
two calls at the same time could both pass step 4. A server that shares one guard
between threads needs a lock around steps 3-4 and 7, or one guard per worker.

Examples
--------

>>> class FakeClient:
...     def chat(self, **kwargs):
...         return {"message": {"role": "assistant", "content": "Hi!"}, "done": True,
...                 "prompt_eval_count": 30, "eval_count": 20}
>>> now = [1000.0]
>>> guard = BudgetGuard(FakeClient(), lambda: now[0], max_prompt_chars=2000,
...                     max_output_tokens=256, tokens_per_minute=600, burst=100)
>>> guard.chat("llama3.2", [{"role": "user", "content": "Hello"}])["message"]["content"]
'Hi!'
>>> usage = guard.usage()
>>> usage["calls"], usage["prompt_tokens"], usage["output_tokens"], usage["available"]
(1, 30, 20, 50.0)
>>> now[0] += 3.0      # 600 tokens a minute is 10 a second: 30 tokens come back
>>> guard.usage()["available"]
80.0
>>> try:
...     guard.chat("llama3.2", [{"role": "user", "content": "x" * 2001}])
... except BudgetExceeded as exc:
...     print(exc.reason)
prompt_too_long

Why it matters
--------------

OWASP LLM10:2025 lists input size limits, rate limiting and quotas, timeouts and
monitoring among its mitigations. A server like Ollama has no notion of users or
quotas: it queues requests (up to OLLAMA_MAX_QUEUE, 512 by default, then answers
503) and works through them. Per-user budgets are your application's job, and the
numbers the model reports are the only measure of cost you have, so a missing
number must never count as "free".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PROMPT_TOO_LONG = "prompt_too_long"
RATE_LIMITED = "rate_limited"


class BudgetExceeded(Exception):
    """Raised by BudgetGuard.chat() instead of calling the model.

    `reason` is PROMPT_TOO_LONG or RATE_LIMITED; the message says more. Provided:
    you don't need to change this class.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class BudgetGuard:
    """Wraps a chat client: refuses oversize prompts, caps output, rate-limits tokens."""

    def __init__(
        self,
        client: Any,
        clock: Callable[[], float],
        *,
        max_prompt_chars: int,
        max_output_tokens: int,
        tokens_per_minute: int,
        burst: int,
    ) -> None:
        # TODO: validate the four limits (int, not bool, > 0) and that clock is callable.
        # TODO: remember the client, the clock and the limits.
        # TODO: start with a full bucket (burst tokens) at time clock(), and zero counters.
        raise NotImplementedError("TODO: implement BudgetGuard.__init__")

    def chat(
        self,
        model: str,
        messages: list[dict[str, Any]],
        options: dict[str, Any] | None = None,
        *,
        format: str | dict[str, Any] | None = None,  # the parameter name Ollama uses
    ) -> Any:
        """Call the client within budget, or raise BudgetExceeded. Steps 1-8 above."""
        # TODO: 1. check messages and options (TypeError).
        # TODO: 2. refuse a prompt longer than max_prompt_chars (PROMPT_TOO_LONG).
        # TODO: 3-4. refill from the clock; refuse when the bucket is <= 0 (RATE_LIMITED).
        # TODO: 5. build new options with a capped num_predict.
        # TODO: 6. call the client with keyword arguments.
        # TODO: 7. charge prompt_eval_count + eval_count, estimating missing or bad counts.
        # TODO: 8. return the response.
        raise NotImplementedError("TODO: implement BudgetGuard.chat")

    def usage(self) -> dict[str, int | float]:
        """Totals so far and the tokens in the bucket now."""
        # TODO: refill, then return the six keys described in the module docstring.
        raise NotImplementedError("TODO: implement BudgetGuard.usage")
