"""Which call a check was trying when the learner's code raised.

A check calls the learner's functions through the ``exercise`` fixture
(:class:`tutor.grader.loader.ExerciseModule`), which hands out each function
wrapped by :func:`recording`. When the function raises, the wrapper writes the
call, with its arguments, onto the exception before it travels on, so the
failure message can say ``luhn_valid('4111 1111 1111 1111') raised ValueError``
instead of the exception alone. The exception itself is unchanged: a check that
expects it (``pytest.raises``) sees exactly what the learner's code raised.
"""

from __future__ import annotations

import contextlib
import functools
import reprlib
from collections.abc import Callable
from typing import Any

_ATTRIBUTE = "_aisec_call"
CALL_WIDTH = 240  # characters of one call as shown; arguments can be megabytes

_repr = reprlib.Repr()
_repr.maxstring = 80
_repr.maxother = 80
_repr.maxlong = 40
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 6
_repr.maxlevel = 3


def _argument(value: Any) -> str:
    try:
        return _repr.repr(value)
    except Exception:  # a learner's object whose __repr__ raises
        return f"<{type(value).__name__} object>"


def describe_call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """``name(arg, key=value)`` with each argument shortened, the whole capped."""
    parts = [_argument(a) for a in args] + [f"{k}={_argument(v)}" for k, v in kwargs.items()]
    text = f"{name}({', '.join(parts)})"
    return text if len(text) <= CALL_WIDTH else text[: CALL_WIDTH - 4] + "...)"


def call_of(exc: BaseException) -> str | None:
    """The call to the learner's code that raised ``exc``, if one was recorded."""
    call = getattr(exc, _ATTRIBUTE, None)
    return call if isinstance(call, str) else None


def recording(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    """``function``, writing the call onto any exception it raises (the innermost call wins)."""

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except BaseException as exc:
            if call_of(exc) is None:
                with contextlib.suppress(Exception):  # some exceptions take no attributes
                    setattr(exc, _ATTRIBUTE, describe_call(name, args, kwargs))
            raise

    return call
