"""The call a check was trying, written onto what the learner's function raised."""

from __future__ import annotations

import pytest

from tutor.grader.calls import CALL_WIDTH, call_of, describe_call, recording


def test_a_call_is_shown_with_its_arguments():
    assert describe_call("f", (1, "a b"), {"k": None}) == "f(1, 'a b', k=None)"


def test_a_huge_argument_is_shortened():
    call = describe_call("luhn_valid", ("4" * 10_000,), {"strict": True})
    assert call.startswith("luhn_valid('4444") and len(call) <= CALL_WIDTH


def test_an_argument_whose_repr_raises_is_named_by_type():
    class Odd:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    assert describe_call("f", (Odd(),), {}).startswith("f(<Odd ")


def test_the_exception_is_unchanged_and_the_innermost_call_wins():
    def inner(x: int) -> int:
        raise ValueError(f"bad {x}")

    wrapped_inner = recording(inner, "inner")
    outer = recording(lambda x: wrapped_inner(x + 1), "outer")
    with pytest.raises(ValueError, match="bad 2") as caught:
        outer(1)
    assert call_of(caught.value) == "inner(2)"
    assert recording(inner, "inner").__name__ == "inner"
