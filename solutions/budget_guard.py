"""Reference solution for `budget_guard`: prompt size, output cap and a token bucket."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PROMPT_TOO_LONG = "prompt_too_long"
RATE_LIMITED = "rate_limited"


class BudgetExceeded(Exception):
    """Raised by BudgetGuard.chat() instead of calling the model."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _positive_int(name: str, value: object) -> int:
    # bool is a subclass of int: True would otherwise pass as a limit of 1.
    if type(value) is not int:
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be greater than 0, got {value}")
    return value


def check_messages(messages: Any, options: Any) -> int:
    """Step 1 (ready to use): the prompt's length in characters, over all messages.

    Raises TypeError unless `messages` is a list or tuple of dicts with a str
    "content" each, and `options` is None or a dict: what the guard cannot measure,
    it must not send.
    """
    if not isinstance(messages, (list, tuple)):
        raise TypeError(f"messages must be a list of dicts, not {type(messages).__name__}")
    for message in messages:
        if not isinstance(message, dict) or not isinstance(message.get("content"), str):
            raise TypeError("every message must be a dict with a str 'content'")
    if options is not None and not isinstance(options, dict):
        raise TypeError(f"options must be a dict or None, not {type(options).__name__}")
    return sum(len(message["content"]) for message in messages)


def reported_count(response: Any, key: str) -> int | None:
    """response[key] if it is a believable token count (an int >= 0, not a bool), else None."""
    try:
        value = response[key]  # a dict and ollama's ChatResponse both raise KeyError
    except (KeyError, TypeError, IndexError):  # missing, or not a mapping at all
        return None
    # Only a non-negative int is a count. A negative number would refill the bucket,
    # and a bool or float is not what Ollama sends: estimate instead of guessing.
    if type(value) is int and value >= 0:
        return value
    return None


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
        """Ready to use: validates the limits and starts with a full bucket."""
        if not callable(clock):
            raise TypeError("clock must be a function that returns the time in seconds")
        self._client = client
        self._clock = clock
        self._max_prompt_chars = _positive_int("max_prompt_chars", max_prompt_chars)
        self._max_output_tokens = _positive_int("max_output_tokens", max_output_tokens)
        self._rate_per_second = _positive_int("tokens_per_minute", tokens_per_minute) / 60
        self._burst = _positive_int("burst", burst)
        # A full bucket to start with: a new user may send a burst straight away.
        self._available: float = float(self._burst)
        self._last = clock()
        self._calls = 0
        self._refused = 0
        self._prompt_tokens = 0
        self._output_tokens = 0

    def _refill(self) -> None:
        """Add the tokens earned since self._last (never above burst); then self._last = now."""
        now = self._clock()
        elapsed = now - self._last
        if elapsed > 0:  # a clock that went backwards adds nothing and removes nothing
            self._available = min(
                float(self._burst), self._available + elapsed * self._rate_per_second
            )
        self._last = now

    def _refuse(self, reason: str, message: str) -> BudgetExceeded:
        """Count a refusal and return the exception to raise (ready to use)."""
        self._refused += 1
        return BudgetExceeded(reason, message)

    def chat(
        self,
        model: str,
        messages: list[dict[str, Any]],
        options: dict[str, Any] | None = None,
        *,
        format: str | dict[str, Any] | None = None,  # the parameter name Ollama uses
    ) -> Any:
        """Call the client within budget, or raise BudgetExceeded."""
        # 1. Only what we can measure may be sent.
        prompt_chars = check_messages(messages, options)

        # 2. Size before anything else: refusing costs nothing, processing does.
        if prompt_chars > self._max_prompt_chars:
            raise self._refuse(
                PROMPT_TOO_LONG,
                f"prompt is {prompt_chars} characters, the limit is {self._max_prompt_chars}",
            )

        # 3-4. The bucket may be in debt after an expensive call; wait until it is repaid.
        self._refill()
        if self._available <= 0:
            raise self._refuse(
                RATE_LIMITED, f"token budget exhausted ({self._available:.1f} available)"
            )

        # 5. A copy with a capped num_predict. Anything but an int from 1 to the cap
        # (missing, -1 "infinite", 0, huge, True, 100.0, "50") becomes the cap.
        sent = dict(options or {})
        requested = sent.get("num_predict")
        if not (type(requested) is int and 1 <= requested <= self._max_output_tokens):
            sent["num_predict"] = self._max_output_tokens

        # 6. If this raises, nothing was used that we can measure: let it through.
        kwargs: dict[str, Any] = {"model": model, "messages": messages, "options": sent}
        if format is not None:
            kwargs["format"] = format
        response = self._client.chat(**kwargs)

        # 7. Pay for what was used. A missing count is not zero: Ollama once left
        # prompt_eval_count out whenever the prompt came from its cache.
        prompt_tokens = reported_count(response, "prompt_eval_count")
        if prompt_tokens is None:
            prompt_tokens = prompt_chars  # one token per character: errs on the high side
        output_tokens = reported_count(response, "eval_count")
        if output_tokens is None:
            output_tokens = sent["num_predict"]  # the most the model was allowed
        self._available -= prompt_tokens + output_tokens
        self._calls += 1
        self._prompt_tokens += prompt_tokens
        self._output_tokens += output_tokens
        return response

    def usage(self) -> dict[str, int | float]:
        """Totals so far and the tokens in the bucket now (ready to use)."""
        self._refill()
        return {
            "calls": self._calls,
            "refused": self._refused,
            "prompt_tokens": self._prompt_tokens,
            "output_tokens": self._output_tokens,
            "total_tokens": self._prompt_tokens + self._output_tokens,
            "available": self._available,
        }
