"""Hidden checks for `may_send`.

The gate is graded on what it does with a classifier's answer, not on classifying:
the checks pass classifiers of their own (`classify=`), which label each text below
as a complete `classify_text` would. AKIAIOSFODNN7EXAMPLE is AWS's documentation
placeholder, 4242 4242 4242 4242 is a Stripe test card (the numbers next to it are
made up) and example.com is reserved by RFC 2606 (see ATTRIBUTION.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable

TEXTS = {
    "public": "How do I reverse a list in Python?",
    "internal": "The build on build-07.corp fails at step 3.",
    "confidential": "Please summarise the ticket from ann.lee@example.com.",
    "restricted": "Why does boto3 reject AKIAIOSFODNN7EXAMPLE?",
}
LIMITS = {"local": "confidential", "company-hosted": "internal", "public-hosted": "public"}
ORDER = ("public", "internal", "confidential", "restricted")
LABELS = {text: level for level, text in TEXTS.items()}


def classifier(labels: dict[str, str]) -> Callable[[str], str]:
    """A classifier that knows `labels` exactly (and TEXTS); anything else is public."""
    known = {**LABELS, **labels}

    def classify(text: str) -> str:
        return known.get(text, "public")

    return classify


CLASSIFY = classifier({})


def _call(destination: object, text: object, classify: str = "<a complete classifier>") -> str:
    return f"may_send({text!r}, {destination!r}, classify={classify})"


def _mentions_word(reason: str, word: str) -> bool:
    """`word` appears on its own, not as part of e.g. 'public-hosted'."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", reason) is not None


def _shape_ok(got: object) -> bool:
    return (
        isinstance(got, tuple)
        and len(got) == 2
        and type(got[0]) is bool
        and isinstance(got[1], str)
        and bool(got[1].strip())
    )


def test_applies_the_policy_table(exercise):
    """Allows each destination exactly the levels the policy table allows"""
    for destination, limit in LIMITS.items():
        for level, text in TEXTS.items():
            expected = ORDER.index(level) <= ORDER.index(limit)
            got = exercise.may_send(text, destination, classify=CLASSIFY)
            assert _shape_ok(got) and got[0] is expected, (
                f"{_call(destination, text)} returned {got!r}, expected ({expected}, <reason>):"
                f" the classifier passed as classify= calls the text {level}, and "
                f"{destination!r} may receive data up to {limit}. Use that classifier's "
                "answer, not your own. "
                "Compare positions in LEVELS (public < internal < confidential < restricted); "
                "at the limit is allowed, above it is not. Restricted data goes nowhere."
            )


def test_reason_names_the_level_and_the_destination(exercise):
    """Explains every decision with the text's level and the destination"""
    for destination in LIMITS:
        for level, text in TEXTS.items():
            got = exercise.may_send(text, destination, classify=CLASSIFY)
            reason = got[1] if _shape_ok(got) else None
            assert reason is not None and _mentions_word(reason, level) and _mentions_word(
                reason, destination
            ), (
                f"{_call(destination, text)} returned {got!r}, expected a reason that names "
                f"the level {level!r} (the classifier's answer) and the destination "
                f"{destination!r} as words of their own. A gate that only says 'blocked' gets "
                "bypassed; one that says 'confidential text may not go to company-hosted' "
                "teaches the policy."
            )


def test_normalises_destination_case_and_whitespace(exercise):
    """Accepts destinations with other capitalisation or surrounding whitespace"""
    cases = [
        (" local ", "local"),
        ("LOCAL", "local"),
        ("Company-Hosted\n", "company-hosted"),
        ("\tPUBLIC-HOSTED  ", "public-hosted"),
    ]
    text = TEXTS["internal"]
    for given, canonical in cases:
        expected = ORDER.index("internal") <= ORDER.index(LIMITS[canonical])
        got = exercise.may_send(text, given, classify=CLASSIFY)
        assert _shape_ok(got) and got[0] is expected and _mentions_word(got[1], canonical), (
            f"{_call(given, text)} returned {got!r}, expected ({expected}, <a reason naming "
            f"{canonical!r}>): strip surrounding whitespace and lower-case the destination "
            f"before the lookup, so {given!r} means {canonical!r}. Config files and form fields "
            "add stray spaces and capitals."
        )


def test_unknown_destinations_fail_closed(exercise):
    """Refuses every destination the policy table does not name, even for public text"""
    unknown = [
        "cloud",
        "localhost",
        "public",
        "hosted",
        "local-model",
        "public_hosted",
        "company hosted",
        "lоcal",  # Cyrillic о (U+043E)
        "ｌocal",  # fullwidth ｌ (U+FF4C)
        "local\u200b",  # zero-width space at the end
    ]
    for destination in unknown:
        for level in ("public", "confidential"):
            text = TEXTS[level]
            got = exercise.may_send(text, destination, classify=CLASSIFY)
            assert _shape_ok(got) and got[0] is False, (
                f"{_call(destination, text)} returned {got!r}, expected (False, <reason>): "
                f"{destination!r} is not a key of POLICY after stripping and lower-casing. "
                "Unknown means no, even for public text: a default of 'allow' sends "
                "everything to a mistyped or attacker-chosen endpoint."
            )
            given = destination.strip()
            named = given in got[1] or repr(given)[1:-1] in got[1]
            assert _mentions_word(got[1], level) and named, (
                f"{_call(destination, text)} returned {got!r}: the reason should name the "
                f"level {level!r} and the destination as given ({given!r}; its repr() is "
                "fine, and shows invisible characters), so the person can see which name was "
                "not recognised."
            )
    got = exercise.may_send(TEXTS["public"], "", classify=CLASSIFY)
    assert _shape_ok(got) and got[0] is False, (
        f"{_call('', TEXTS['public'])} returned {got!r}, expected (False, <reason>): an empty "
        "destination is unknown."
    )


def test_without_a_classifier_uses_the_stand_in(exercise):
    """Without a classifier, classifies with rough_classify from the starter"""
    cases = [("", "public"), ("CONFIDENTIAL: Q3 numbers", "confidential"),
             ("-----BEGIN OPENSSH PRIVATE KEY-----", "restricted")]
    for text, level in cases:
        for destination, limit in LIMITS.items():
            expected = ORDER.index(level) <= ORDER.index(limit)
            got = exercise.may_send(text, destination)
            assert _shape_ok(got) and got[0] is expected and _mentions_word(got[1], level), (
                f"may_send({text!r}, {destination!r}) returned {got!r}, expected ({expected}, "
                f"<a reason with {level!r}>): with no classifier given (classify=None), "
                f"classify with rough_classify, which calls this text {level}, and "
                f"{destination!r} may receive data up to {limit}."
            )


def test_never_raises_on_wrong_types(exercise):
    """Refuses, without raising, a text or destination that is not a str"""
    cases = [
        (None, "local"),
        (b"How do I reverse a list?", "local"),
        (["text"], "public-hosted"),
        (TEXTS["public"], None),
        (TEXTS["public"], 42),
        (TEXTS["public"], b"local"),
    ]
    for text, destination in cases:
        try:
            got = exercise.may_send(text, destination, classify=CLASSIFY)
        except NotImplementedError:
            raise  # the starter: let the grader say "not implemented yet"
        except Exception as exc:  # the check is about NOT raising
            raise AssertionError(
                f"{_call(destination, text)} raised {type(exc).__name__}: {exc}, expected "
                "(False, <reason>): the gate sits in front of a network call, and a caller "
                "that catches exceptions broadly may go ahead and send. Refuse explicitly."
            ) from None
        assert _shape_ok(got) and got[0] is False, (
            f"{_call(destination, text)} returned {got!r}, expected (False, <reason>): only a "
            "str text and a str destination can be checked against the policy."
        )


def test_restricted_text_goes_nowhere(exercise):
    """Blocks private keys and access keys for every destination"""
    texts = [
        TEXTS["restricted"],
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA",
    ]
    classify = classifier(dict.fromkeys(texts, "restricted"))
    for text in texts:
        for destination in ("local", " LOCAL ", "company-hosted", "public-hosted"):
            got = exercise.may_send(text, destination, classify=classify)
            assert _shape_ok(got) and got[0] is False and _mentions_word(got[1], "restricted"), (
                f"{_call(destination, text)} returned {got!r}, expected (False, <a reason "
                "with 'restricted'>): credentials are restricted, above every destination's "
                "limit, the local model's included. A key in a prompt ends up in histories "
                "and logs; rotate any key that was ever pasted."
            )


def test_uses_the_classifiers_answer_for_the_text_as_given(exercise):
    """Decides on the given classifier's answer for the text exactly as given"""
    cases = [
        ("CONFI\u200bDENTIAL: Q3 numbers", "confidential",
         "the word 'confidential' with a zero-width space (U+200B) inside"),
        ("ann\u200b@example.com asked for a refund", "confidential",
         "an email address with a zero-width space before the '@'"),
        ("card 4242 4242 4242 4242 12/34", "restricted",
         "a card number followed by its expiry date"),
        ("ＡＫＩＡＩＯＳＦＯＤＮＮ７ＥＸＡＭＰＬＥ", "restricted",
         "an AWS access key ID in fullwidth letters and digits"),
        ("The build on build-07.corp fails.\n", "internal",
         "an internal host name, and a line break at the end"),
    ]
    classify = classifier({text: level for text, level, _ in cases})
    for text, level, what in cases:
        for destination, limit in LIMITS.items():
            expected = ORDER.index(level) <= ORDER.index(limit)
            got = exercise.may_send(text, destination, classify=classify)
            assert _shape_ok(got) and got[0] is expected and _mentions_word(got[1], level), (
                f"{_call(destination, text)} returned {got!r}, expected ({expected}, <a reason "
                f"with {level!r}>): the text holds {what}; the classifier passed as classify= "
                f"calls it {level}, and {destination!r} may receive data up to {limit}. Call "
                "classify(text) on the text exactly as given (don't strip or change it first) "
                "and decide on its answer, not on rough_classify or rules of your own: the "
                "gate is only as strong as the classifier it is handed."
            )


def test_a_failing_classifier_closes_the_gate(exercise):
    """Refuses, without raising, when the classifier fails or answers with no level"""

    def broken(text: str) -> str:
        raise ValueError("classifier crashed")

    answers = {"a classifier that raises ValueError": broken,
               "a classifier that returns 'secret'": lambda text: "secret",
               "a classifier that returns 'PUBLIC'": lambda text: "PUBLIC",
               "a classifier that returns None": lambda text: None}
    for what, classify in answers.items():
        for destination in LIMITS:
            shown = _call(destination, TEXTS["public"], f"<{what}>")
            try:
                got = exercise.may_send(TEXTS["public"], destination, classify=classify)
            except NotImplementedError:
                raise  # the starter: let the grader say "not implemented yet"
            except Exception as exc:  # the check is about NOT raising
                raise AssertionError(
                    f"{shown} raised {type(exc).__name__}: {exc}, expected (False, <reason>): "
                    "call the classifier inside try/except and refuse when it fails. A gate "
                    "that crashes may be caught by a caller that then sends anyway."
                ) from None
            assert _shape_ok(got) and got[0] is False, (
                f"{shown} returned {got!r}, expected (False, <reason>): only an answer that "
                "is one of LEVELS can be compared with the policy. An unknown answer, like "
                "an unknown destination, means no: fail closed."
            )
