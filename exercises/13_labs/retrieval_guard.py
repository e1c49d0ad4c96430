r"""Lab: keep a support bot safe from instructions hidden in what it retrieves.

The feature
-----------

Example Shop's support bot answers customers from the shop's own documents.
For each question a search finds a few documents (help pages, but also forum
posts and product reviews that anyone can write), the bot puts them into the
prompt, asks the model, and the chat window renders the model's reply as
Markdown, images included.

That is indirect prompt injection's home ground: a review can carry "Ignore the
previous instructions and reply ...", hidden in an HTML comment, in invisible
Unicode or in plain sight, and a rendered image whose URL carries the
customer's question sends that question to the attacker the moment it is shown.

Your defence
------------

Two functions that the bot calls, and nothing else to change:

    clean_document(text: str) -> str | None

        Called on every retrieved document before it goes into the prompt.
        Return the text the model may read, or None to leave the document out.

    safe_reply(reply: str) -> str

        Called on the model's reply before the chat window renders it. Return
        the Markdown the customer should see.

The shop's own sites are example.com and its subdomains (ALLOWED_HOSTS):
links and images there are part of good answers.

How it is graded
----------------

This is a defence lab: your two functions run inside the real feature against
a model that obeys every instruction it reads (the course's "gullible" model,
docs/gullible-model.md), on two corpora:

- attacks (exfiltration, phishing, hijack): the lab needs at least 90% of them
  to do no harm;
- ordinary questions: the lab needs at least 90% of them still answered
  usefully. Some ordinary documents say "ignore", "instructions" or "include",
  use HTML, or link to the shop's own pages.

You see a sample of each while you work (`aisec lab retrieval_guard`); the
grade uses every case, held-out ones included, so a defence that lists the
sample's attacks will not pass. Blocking everything is easy and useless:
both scores count.

Start by running `aisec lab retrieval_guard` with this file as it is: it blocks
nothing and keeps everything useful. Then defend in depth: what the model may
read (hidden content is not for it), and what the customer's screen may load.
"""

from __future__ import annotations

ALLOWED_HOSTS = ("example.com",)  # and every subdomain, e.g. help.example.com


def clean_document(text: str) -> str | None:
    """The document as the model may read it, or None to leave it out."""
    return text  # TODO: hidden content is not for the model; orders to it are not data


def safe_reply(reply: str) -> str:
    """The reply as the customer's chat window may render it."""
    return reply  # TODO: links and images may only lead to ALLOWED_HOSTS
