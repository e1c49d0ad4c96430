r"""Decide whether a text may go to an AI destination, and say why.

The scenario
------------

Your team uses three kinds of AI tools: a model running on each laptop (Ollama on
127.0.0.1), a model the company hosts under its own contract, and a public chatbot.
They are not equally trusted with data. A small gate in front of every call, in an
editor plugin, a CLI wrapper or a proxy, can enforce the rule "classify before you
paste" so that people do not have to remember it at 11 pm.

What to implement
-----------------

    may_send(text: str, destination: str, classify=None) -> tuple[bool, str]

returns (allowed, reason).

1. Classify `text` with `classify(text)`, the classifier you are given; without one
   (None), with `rough_classify` at the end of this file. That one is a deliberately
   rough STAND-IN: it knows a private key header and the word "confidential", and
   nothing else, disguised or not. In your own gate, pass your `classify_text` from
   the previous exercise: `may_send(text, destination, classify=classify_text)`.
   The gate is only as good as the classifier in front of it; the checks pass
   classifiers of their own and test what the gate does with their answers.
   If `classify(text)` raises, or returns anything that is not one of LEVELS,
   refuse: (False, reason). A broken classifier must not open the gate.
2. Look the destination up in POLICY, which gives the HIGHEST level each destination
   may receive:

       "local"           up to "confidential"  (the data stays on this machine)
       "company-hosted"  up to "internal"      (your organisation's contract applies)
       "public-hosted"   only "public"         (someone else's terms apply)

   Before the lookup, strip surrounding whitespace and lower-case the destination:
   " Local\n" means "local". Nothing else is folded: "localhost", "public", "ｌocal"
   (a fullwidth letter) or "local\u200b" (a zero-width space) are unknown.
3. The text may go when its level is at or below the destination's limit, in the
   order of LEVELS: public < internal < confidential < restricted. Restricted text
   never goes anywhere.
4. Fail closed. An unknown destination gets (False, reason), even for public text
   (a gate that defaults to "allow" is no gate). A text or destination that is not
   a str also gives (False, reason). may_send never raises.
5. The reason is a one-line string for the person at the keyboard. It must contain
   the text's level (when the text is a str) and the destination: the normalised
   name ("local") for a known one, the stripped value as given for an unknown one.

Examples
--------

>>> may_send("How do I reverse a list?", "public-hosted")
(True, 'allowed: public text may go to public-hosted (limit: public)')
>>> may_send("CONFIDENTIAL: Q3 numbers", " Company-Hosted ")
(False, 'blocked: confidential text may not go to company-hosted (limit: internal)')
>>> may_send("anything", "cloud")[0]
False
>>> may_send("anything", "local", classify=lambda text: "top secret")[0]  # not a level
False

(The wording of the reason is yours; the checks look for the level and the destination
in it.)

Why it matters
--------------

Data minimisation (GDPR Art. 5(1)(c)) and OWASP LLM02:2025 both say the same thing
in practice: the safest data is the data you never send. A policy table turns that
into a decision a program can make, and "unknown means no" is what keeps a typo, a
new plugin or an attacker-chosen endpoint from receiving everything. The reason
string matters too: a gate that says "blocked" without saying why gets bypassed.
"""

from __future__ import annotations

from collections.abc import Callable

LEVELS = ("public", "internal", "confidential", "restricted")  # from lowest to highest

# Destination -> the highest level of data it may receive.
POLICY = {
    "local": "confidential",  # a model on this machine, e.g. Ollama on 127.0.0.1
    "company-hosted": "internal",  # a model your organisation runs under its own contract
    "public-hosted": "public",  # a hosted service on someone else's terms
}


def may_send(
    text: str, destination: str, classify: Callable[[str], str] | None = None
) -> tuple[bool, str]:
    """(allowed, reason): may `text` go to `destination` under POLICY? Never raises."""
    classify = rough_classify if classify is None else classify
    # TODO: (False, reason) if text or destination is not a str.
    # TODO: level = classify(text), inside try/except; (False, reason) if it raises or
    #       the level is not in LEVELS.
    # TODO: key = destination stripped and lower-cased; unknown key -> (False, reason).
    #       Otherwise compare LEVELS.index(level) with LEVELS.index(POLICY[key]);
    #       name the level and the destination.
    raise NotImplementedError("TODO: implement may_send")


# --- A stand-in classifier: deliberately rough ------------------------------------------
# NOT the answer to `classify_text`: it knows two obvious patterns and misses disguised
# text, emails, card numbers, access keys and internal hosts. Pass your own
# classify_text instead: may_send(text, destination, classify=classify_text).


def rough_classify(text: str) -> str:
    """A stand-in: 'restricted' for a private key header, 'confidential' for the word."""
    if "PRIVATE KEY-----" in text:
        return "restricted"
    return "confidential" if "confidential" in text.lower() else "public"
