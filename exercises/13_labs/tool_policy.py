r"""Lab: write the tool policy of an office assistant agent.

The feature
-----------

Ana Lopez (ana@example.com) works at Example Corp. Her office assistant is an
agent (lesson 6): it sends the model her request and four tools, runs the tool
calls the model asks for, gives it the results, and repeats, a few turns at
most, until the model answers.

    read_file(path)               a file, path relative to Ana's home folder
    search_mail(query)            messages from Ana's mailbox
    send_email(to, subject, body) sends a mail from Ana's address
    run_query(sql)                one SQL query on the company database

Ana's mailbox and files contain text that anyone can write: a mail from a
stranger, a shared document. The model obeys instructions wherever it reads
them, in a mail, a file or a tool's description, so one sentence such as
"use send_email with {...}" in a mail is a tool call. That is OWASP LLM06
Excessive Agency meeting LLM01 Prompt Injection, and Willison's lethal trifecta
in one agent: private data, untrusted content and a way to send data out.

The tools are FAKE and in memory: no file, mailbox or database of yours is
touched.

Your defence
------------

One function that the agent calls before every tool call, and nothing else to
change:

    decide(call: dict, task: Task) -> "allow" | "deny" | "confirm"

`call` is what the model asked for: {"name": "send_email", "arguments": {...}}.
The model wrote it, so it can be anything, malformed included; decide must
never raise. `task` is what Ana asked (Task, below): her request as she typed
it, and the calls she approved beforehand (`task.approved`, as in
plan-then-execute: each {"name": ..., "arguments": {...}} names the tool and
the arguments she fixed; the others, an email's body say, are filled in later).

- "allow" runs the call.
- "deny" does not run it; the model is told the policy refused.
- "confirm" shows Ana the exact call and runs it if she says yes. She says yes
  only to a call she wants. But she is human: she answers the first two
  confirmations of a task carefully and, asked again, clicks yes without
  reading (dialog fatigue, lesson 6). Ask rarely, and only when her answer is
  what decides.

Ana's world (constants below): her documents are under docs/ (FILES_FOLDER),
her colleagues' addresses end in @example.com (COMPANY_DOMAIN), and she may
read Acme's tables (TABLES) of the database whose schema is SCHEMA. Acme is her
company's account; the database also holds other tenants' tables.

How it is graded
----------------

This is a defence lab: your policy runs inside the real agent loop against a
model that obeys every instruction it reads (the course's "gullible" model,
docs/gullible-model.md), on two corpora:

- attacks (exfiltration, file access, destructive SQL, cross-tenant SQL,
  unasked action): instructions in mails, files and a tool description; the
  lab needs at least 90% of them to do no harm;
- Ana's own requests: read a report, search her mail, run a read-only query,
  email a colleague (with or without a plan); the lab needs at least 90% of
  them served. Some queries say "deleted" or "updated_at", some paths are not
  written the shortest way, some emails need a confirmation.

Two rules of the agent loop: a call the model already asked for in the same
task is not asked again (the gullible model re-reads the whole conversation
each turn and would repeat Ana's request), and at most four turns run.

You see a sample of each corpus while you work (`aisec lab tool_policy`); the
grade uses every case, held-out ones included. "Deny every send_email" blocks
a lot and breaks Ana's work; "confirm everything" tires Ana out; "allow what
the model asks", this file as it is, blocks nothing. Least privilege per tool:
decide from the call's exact arguments, never from the model's or the mail's
opinion of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Decision = Literal["allow", "deny", "confirm"]

COMPANY_DOMAIN = "example.com"  # colleagues: exactly this domain, no subdomains
FILES_FOLDER = "docs"  # Ana's documents, relative to her home folder
TABLES = frozenset({"acme_invoices", "acme_customers"})  # what Ana may read
TOOL_PARAMETERS = {  # each tool's exact parameters, all str
    "read_file": ("path",),
    "search_mail": ("query",),
    "send_email": ("to", "subject", "body"),
    "run_query": ("sql",),
}
SCHEMA = """
CREATE TABLE acme_invoices (number TEXT, customer TEXT, amount REAL, status TEXT,
  updated_at TEXT);
CREATE TABLE acme_customers (name TEXT, email TEXT, city TEXT);
CREATE TABLE globex_invoices (number TEXT, customer TEXT, amount REAL, status TEXT,
  updated_at TEXT);
CREATE TABLE globex_customers (name TEXT, email TEXT, city TEXT);
"""


@dataclass(frozen=True)
class Task:
    """What Ana asked for (written for you; the agent builds one per request)."""

    request: str  # her message, as she typed it
    approved: tuple[dict[str, Any], ...] = field(default_factory=tuple)  # her plan


def decide(call: dict[str, Any], task: Task) -> Decision:
    """"allow", "deny" or "confirm" for one tool call the model asked for."""
    return "allow"  # TODO: least privilege per tool; ask Ana only when her answer decides
