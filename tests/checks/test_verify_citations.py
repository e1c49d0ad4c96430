"""Hidden checks for `verify_citations`: citations and quotes in a RAG answer.

The documents in SOURCES are made up for these checks (a fictional airline's help pages).
"""

from __future__ import annotations

import time

SOURCES = {
    "doc-1": "Refunds are issued within 14 days of a return. Refunds go back to the original "
             "payment method.",
    "doc-2": "Bereavement fares must be requested before travel. Requests made after travel "
             "has been completed are not accepted.",
    "doc-3": "Checked bags may weigh up to 23 kg.  Overweight bags cost\nan extra fee.",
    "faq-12": "Don't pack spare lithium batteries in checked bags.",
}

WHY_FAKE_SOURCE = (
    "A citation that points to no retrieved document is an invented source: the reader "
    "trusts the answer because it looks referenced."
)


def _check(exercise, answer, sources=None):
    return exercise.verify_citations(answer, SOURCES if sources is None else sources)


def _summary(problems):
    return [(p.kind, p.offset, p.text) for p in problems]


def test_accepts_grounded_answers(exercise):
    """Reports nothing for answers whose citations and quotes all check out"""
    answers = [
        "Refunds are issued within two weeks [doc-1].",
        'The policy says "Refunds are issued within 14 days of a return." [doc-1]',
        "You must ask before you fly [doc-2]; bags may weigh 23 kg [doc-3].",
        'Bags: "Overweight bags cost an extra fee" [doc-1, doc-3].',
        "\u201cBereavement fares must be requested before travel.\u201d [doc-2]",
        'The FAQ says "Don\u2019t pack spare lithium batteries" [faq-12].',
        'Your "fast track" request is noted; see [doc-2].',
        "Read [the refund page](https://example.com/doc-9) or [doc-1] [see below].",
        "Start at [doc-9](https://example.com/doc-9), then [doc-2].",
        "Both apply [ doc-1 ,doc-2 ].",
    ]
    for answer in answers:
        got = _summary(_check(exercise, answer))
        assert got == [], (
            f"verify_citations({answer!r}) returned {got!r}, expected []: every cited id is a key "
            "of the sources, and every attributed quote appears in a cited source after "
            "normalising whitespace and typographic apostrophes (’ becomes '). Curly “ ” quotes "
            "count as quotes, a quote cited with several ids needs to be in one of them, a quote "
            "not followed by a citation is not checked, '[text](url)' is a link and '[see "
            "below]' is not a citation. A checker that flags good answers gets ignored."
        )


def test_flags_answers_without_citations(exercise):
    """Flags answers that cite nothing"""
    answers = [
        "Refunds take two weeks.",
        "",
        'The policy says "Refunds are issued within 14 days of a return."',
        "See [the refund page](https://example.com/doc-1) for details.",
        "Details are [see the FAQ] in the help centre.",
    ]
    for answer in answers:
        got = _summary(_check(exercise, answer))
        assert got == [("no-citations", 0, "")], (
            f"verify_citations({answer!r}) returned {got!r}, expected "
            "[('no-citations', 0, '')]: there is no citation in it (a Markdown link and words "
            "in brackets are not citations). An ungrounded answer may be a confabulation, and "
            "the caller must know before showing it as if it came from the documents."
        )


def test_flags_unknown_sources(exercise):
    """Flags cited ids that no provided source has"""
    cases = [
        ("Refunds are fast [doc-4].", [("unknown-source", 18, "doc-4")]),
        ("See [doc-13].", [("unknown-source", 5, "doc-13")]),
        ("As the policy says [policy].", [("unknown-source", 20, "policy")]),
        ("Footnote style [1].", [("unknown-source", 16, "1")]),
        ("Both [doc-1, doc-9].", [("unknown-source", 13, "doc-9")]),
        ("Twice [doc-7] and [doc-7].",
         [("unknown-source", 7, "doc-7"), ("unknown-source", 19, "doc-7")]),
    ]
    for answer, expected in cases:
        for _kind, offset, cited in expected:  # the test data itself is consistent
            assert answer[offset : offset + len(cited)] == cited, f"bad test data: {answer!r}"
        got = _summary(_check(exercise, answer))
        assert got == expected, (
            f"verify_citations({answer!r}) returned {got!r}, expected {expected!r}: each cited id "
            "that is not a key of the sources is reported where it is cited (offset = index of "
            "its first character in the answer), once per citation. " + WHY_FAKE_SOURCE
        )


def test_flags_lookalike_ids(exercise):
    """Flags ids that only look like a real one: zeros, case, separators, look-alike letters"""
    ids = [
        ("doc-03", "a leading zero"),
        ("DOC-3", "capitals"),
        ("doc_3", "an underscore for the hyphen"),
        ("doc3", "no separator"),
        ("Doc-1", "a capital D"),
        ("faq-012", "a leading zero"),
        ("\uff44\uff4f\uff43\uff0d\uff13", "fullwidth letters (NFKC makes them ASCII)"),
        ("d\u043e\u0441-3", "a Cyrillic о and с"),
        ("doc-\u0663", "an Arabic-Indic digit three"),
    ]
    for cited, what in ids:
        answer = f"See [{cited}]."
        got = _summary(_check(exercise, answer))
        expected = [("lookalike-id", 5, cited)]
        assert got == expected, (
            f"verify_citations({answer!r}) returned {got!r}, expected {expected!r}: the id has "
            f"{what}, so it looks like a real id but is not a key of the sources. loose() of both "
            "must match (NFKC, CONFUSABLES, casefold, letters and digits only, digit runs "
            "without leading zeros), and the id is reported exactly as written. A near miss is "
            "the citation a reader is least likely to question."
        )


def test_flags_unsupported_quotes(exercise):
    """Flags attributed quotes that are not word for word in the cited source"""
    cases = [
        ('Apply "within 90 days after travel" [doc-2].', "invented words"),
        ('Refunds "are issued within 30 days" [doc-1].', "one number changed"),
        ('"refunds are issued within 14 days" [doc-1]',
         "a lowercase r: the match is case-sensitive"),
        ('"Refunds are issued \u2026 of a return" [doc-1]',
         "an ellipsis standing for left-out words"),
        ('"Refunds are\u200b issued" [doc-1]', "a zero-width space inside the quote"),
        ('"Bereavement fares must be requested before travel" [doc-1]',
         "words from doc-2, attributed to doc-1: check the cited source, not all of them"),
    ]
    for answer, what in cases:
        got = _summary(_check(exercise, answer))
        quote = answer[answer.index('"') + 1 : answer.index('"', answer.index('"') + 1)]
        expected = [("unsupported-quote", answer.index('"'), quote)]
        assert got == expected, (
            f"verify_citations({answer!r}) returned {got!r}, expected {expected!r}: {what}. A "
            "quotation tells the reader 'the document says exactly this'; after normalising only "
            "whitespace and apostrophes, the quote must be a substring of a cited source. "
            "Report it at the offset of its opening quote mark, with the text between the marks."
        )


def test_never_corrects_a_bad_id(exercise):
    """Does not resolve a look-alike id to the real source, even to check a quote"""
    answer = '"Refunds are issued within 14 days" [doc-01].'
    expected = [("unsupported-quote", 0, "Refunds are issued within 14 days"),
                ("lookalike-id", 37, "doc-01")]
    got = _summary(_check(exercise, answer))
    assert got == expected, (
        f"verify_citations({answer!r}) returned {got!r}, expected {expected!r}: the quote is in "
        "doc-1, but the answer cites doc-01, which was never provided. Guessing what the model "
        "meant would vouch for a citation it did not make; report the id and the quote."
    )


def test_attribution_and_quote_rules(exercise):
    """Checks a quote only when a citation follows it, after whitespace alone"""
    cases = [
        ('The page says "bags go free"\n  [doc-3].',
         [("unsupported-quote", 14, "bags go free")],
         "whitespace, even a line break, between the quote and the citation still attributes it"),
        ('The page says "bags go free", see [doc-3].', [],
         "a comma stands between the quote and the citation: not attributed, not checked"),
        ('An empty quote "" [doc-1].', [], "an empty quote has nothing to check"),
        ('A quote "   " [doc-1].', [], "a quote of whitespace has nothing to check"),
        ('One "Refunds go back" [doc-1] and two "to the original account" [doc-1].',
         [("unsupported-quote", 38, "to the original account")],
         "quotes pair in order; only the second one is not in doc-1"),
    ]
    for answer, expected, why in cases:
        got = _summary(_check(exercise, answer))
        assert got == expected, (
            f"verify_citations({answer!r}) returned {got!r}, expected {expected!r}: {why}."
        )


def test_reports_in_order_of_offset(exercise):
    """Returns Problem objects sorted by offset"""
    answer = (
        'Refunds come back "within 30 days" [doc-1]. Bereavement fares are retroactive '
        "[doc-02], see also [manual] and [doc-2]."
    )
    expected = [
        ("unsupported-quote", 18, "within 30 days"),
        ("lookalike-id", 79, "doc-02"),
        ("unknown-source", 98, "manual"),
    ]
    got = _check(exercise, answer)
    assert _summary(got) == expected, (
        f"verify_citations({answer!r}) returned {_summary(got)!r}, expected {expected!r}: problems "
        "come in the order they appear in the answer (by offset), so a reviewer can read along."
    )
    assert all(isinstance(p, exercise.Problem) for p in got), (
        f"verify_citations returned {[type(p).__name__ for p in got]!r}, expected Problem "
        "objects (the dataclass in the starter)."
    )


def test_long_and_hostile_input_stays_fast(exercise):
    """Handles long answers, unclosed brackets and huge ids quickly"""
    huge_id = "doc-" + "1" * 5_000
    cases = [
        ("Fine [doc-1]. " * 10_000, [], "10,000 good citations"),
        ("[doc-1, " * 20_000 + "[doc-1]", [], "20,000 unclosed citation brackets"),
        ('"' * 30_000 + " [doc-1]", [], "30,000 quote marks (empty quotes)"),
        ("[" * 50_000 + "doc-1]", [], "50,000 opening brackets"),
        ("See [doc-1]. [" + "a" * 5_000 + " b", [],
         "an unclosed bracket before a 5,000-letter word"),
        (f"See [{huge_id}].", [("unknown-source", 5, huge_id)],
         "an id with 5,000 digits, longer than int() converts by default"),
    ]
    for answer, expected, what in cases:
        started = time.perf_counter()
        try:
            got = _summary(_check(exercise, answer))
        except ValueError as exc:
            raise AssertionError(
                f"verify_citations(<{what}>) raised ValueError: {exc}. Untrusted text must "
                "never crash the checker; int() refuses digit strings longer than 4,300 "
                "digits by default. Use the given loose(), which rewrites digit runs without "
                "int()."
            ) from None
        elapsed = time.perf_counter() - started
        assert got == expected, (
            f"verify_citations(<{what}>) returned {got!r:.300}, expected {expected!r:.120}."
        )
        assert elapsed < 1.5, (
            f"verify_citations(<{what}>) took {elapsed:.2f} s, expected well under a second. "
            "The check runs on every answer; a regex that backtracks on hostile input turns it "
            "into a denial of service."
        )


def test_rejects_answers_that_are_not_text(exercise):
    """Raises TypeError for an answer that is not a str"""
    for bad in (b"See [doc-1].", None, ["See [doc-1]."]):
        try:
            got = _check(exercise, bad)
        except TypeError:
            continue
        raise AssertionError(
            f"verify_citations({bad!r}) returned {got!r}, expected a TypeError: only text can be "
            "checked. Returning a result for something else would make an unchecked answer look "
            "verified."
        )
