"""Differential test: `classify_text` against the standard library, and `may_send`'s copy.

Two things know the right answer here. Python's ``ipaddress`` module decides what an
IPv4 address is (0-255, no leading zeros) and whether it lies in one of RFC 1918's
three networks; the solution must agree on every generated dotted quad. And the
``may_send`` exercise ships the complete classifier at the end of its starter: it
must behave exactly like the ``classify_text`` reference solution, or the gate is
weaker than the lesson says (the issue this test guards against: a simplified copy
that skipped normalisation let "CONFI\\u200bDENTIAL" through).
"""

from __future__ import annotations

import ast
import ipaddress
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from reference import load_solution

from tutor.paths import default_course_dir

classify = load_solution("classify_text")
may_send = load_solution("may_send")

DIFFERENCES: dict[str, str] = {}  # none: both comparisons must agree exactly

RFC1918 = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]
octets = st.one_of(
    st.integers(min_value=0, max_value=255).map(str),
    st.sampled_from(["10", "172", "192", "168", "16", "31", "32", "15", "0", "255"]),
    st.integers(min_value=256, max_value=999).map(str),
    st.integers(min_value=0, max_value=99).map(lambda n: f"0{n}"),  # leading zero
)
quads = st.lists(octets, min_size=4, max_size=4).map(".".join)


def _expected_for_address(text: str) -> str:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return "public"
    return "internal" if any(address in network for network in RFC1918) else "public"


@given(quads, st.sampled_from(["{}", "host {} is up", "redis at {}:6379", "{}/24"]))
def test_addresses_agree_with_ipaddress(quad, template):
    assert classify.classify_text(template.format(quad)) == _expected_for_address(quad)


# Text that mixes evidence of every level with the disguises the lesson names.
fragments = st.sampled_from([
    "AKIAIOSFODNN7EXAMPLE", "ABIAZ7VXQG3R5T2LWMBN", "ＡＫＩＡＩＯＳＦＯＤＮＮ７ＥＸＡＭＰＬＥ",
    "4242 4242 4242 4242", "4242 4242 4242 4241", "-----BEGIN PGP PRIVATE KEY BLOCK-----",
    "-----BEGIN PUBLIC KEY-----", "ann@example.com", "ann\u200b@example.com",
    "+44 20 7946 0958", "CONFI\u200bDENTIAL", "ＣＯＮＦＩＤＥＮＴＩＡＬ", "build-07.corp",
    "10.0.0.1", "１０.０.０.１", "172.32.0.1", "127.0.0.1", "\u200b", "\u00ad", " ", "\n",
])
texts = st.lists(st.one_of(fragments, st.text(max_size=12)), max_size=6).map("".join)


@given(texts)
def test_may_send_classifier_is_the_reference_classifier(text):
    assert may_send.classify_text(text) == classify.classify_text(text)


def test_may_send_starter_ships_the_same_classifier_code():
    # The starter (what learners get) must carry the same classifier as the solution.
    course = Path(default_course_dir())
    starter = ast.parse((course / "exercises/02_mindful/may_send.py").read_text("utf-8"))
    reference = ast.parse((course / "solutions/classify_text.py").read_text("utf-8"))

    def top_level(tree: ast.Module) -> dict[str, str]:
        names = {}
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.Assign)):
                name = node.name if isinstance(node, ast.FunctionDef) else ast.unparse(
                    node.targets[0])
                names[name] = ast.unparse(node)
        return names

    ours, theirs = top_level(starter), top_level(reference)
    for name, code in theirs.items():
        assert ours.get(name) == code, f"may_send's starter differs in {name}"
