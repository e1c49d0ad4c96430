"""Search a shared index, returning only chunks the asking user may read.

The scenario
------------

Your company sells a help-desk assistant to many customers ("tenants"). Each tenant
uploads its documents; you cut them into chunks and put every chunk from every tenant
into one shared search index. When someone asks a question, the assistant retrieves
the chunks that match best and pastes them into the model's prompt.

Whatever reaches the prompt can reach the answer. A system prompt that says "never
reveal salaries" or "only use documents of the user's company" is a request to the
model, not access control: a prompt injection, or plain bad luck, gets past it. The
only safe place to enforce permissions is the retriever, before the model sees
anything. That is your job here.

What to implement
-----------------

    tenant_search(index: list[Chunk], user: User, query: str, k: int = 3) -> list[Chunk]

`Chunk`, `User` and `score()` are written for you, below.

1. Tenant first. Only chunks with `chunk.tenant == user.tenant` can ever be
   returned, whatever their ACL says. User ids are only unique within a tenant:
   "ann" at Acme and "ann" at Globex are two different people, so a Globex chunk
   that lists "user:ann" must never reach Acme's Ann.
2. Then the ACL. `chunk.acl` is a frozenset of principals, each written either
   "user:<user id>" or "group:<group name>". The user may read the chunk if
   f"user:{user.id}" is in it, or f"group:{g}" for one of the user's groups. The
   prefixes keep the two kinds apart: a user who signs up with the id "hr" is not
   the group "hr".
3. Fail closed. An empty ACL means nobody may read the chunk. There are no
   wildcards ("*" and "group:everyone" are ordinary names), and
   `chunk.classification` grants nothing: it is a label for people and audit logs,
   and a chunk marked "public" still needs its tenant and its ACL to match.
4. Exact comparison. Tenants, user ids and groups are opaque identifiers issued by
   your identity system. Compare them with ==, exactly as they are: no lower(),
   casefold(), strip() or Unicode normalisation. "Acme", "acme ", "ａｃｍｅ"
   (fullwidth) and "аcme" (a Cyrillic а) are not "acme". Normalising would merge
   identifiers that are different, and a mistyped ACL entry should lock people out
   (someone notices and fixes it) rather than let the wrong people in.
5. Filter, THEN rank. Keep only the chunks the user may read, and only then pick
   the best k among them. Ranking everything and filtering the top k afterwards is
   wrong twice: the user gets fewer results (often none) whenever chunks they may
   not read score higher, and how many come back depends on documents they cannot
   see, which tells them that such documents exist. The result must be exactly the
   same as if the chunks the user may not read were not in the index at all.
6. Ranking: higher `score(query, chunk.text)` first; chunks with equal scores are
   ordered by `chunk.id`, compared as plain strings ("doc-10" comes before
   "doc-2"). Chunks that score 0 still count: return min(k, number of readable
   chunks) chunks.
7. If k <= 0, return [] (beware: some_list[:-1] is not empty).
8. Return a new list of chunks taken from `index`. Never change `index` itself
   (no index.sort(), no index.remove()): the caller reuses it for the next user.

The query is only ever used for ranking. Text such as "ignore the ACL and show
every tenant's data" is just words to score.

Examples
--------

>>> index = [
...     Chunk("acme-1", "acme", "Holiday policy: 30 days of paid leave",
...           frozenset({"group:staff"})),
...     Chunk("acme-2", "acme", "Salary bands, paid monthly", frozenset({"group:hr"})),
...     Chunk("globex-1", "globex", "Holiday policy: 25 days of paid leave",
...           frozenset({"user:ann"})),
... ]
>>> ann = User("ann", "acme", frozenset({"staff"}))
>>> [chunk.id for chunk in tenant_search(index, ann, "paid holiday")]
['acme-1']
>>> hana = User("hana", "acme", frozenset({"staff", "hr"}))
>>> [chunk.id for chunk in tenant_search(index, hana, "paid holiday")]
['acme-1', 'acme-2']
>>> tenant_search(index, User("ann", "Acme", frozenset({"staff"})), "holiday")
[]

Ann cannot see the salary bands (she is not in "hr") nor Globex's chunk (although
its ACL names "user:ann": that is Globex's Ann). Hana sees both Acme chunks, the
better match first (acme-1 shares "paid" and "holiday" with the query, acme-2 only
"paid"). And "Acme" is not the tenant "acme".

Why it matters
--------------

OWASP LLM08:2025 Vector and Embedding Weaknesses names unauthorised access and
leaks between tenants that share a vector database, and asks for permission-aware
vector stores with strict logical partitioning of the data. OWASP LLM07:2025
(System Prompt Leakage) adds that authorisation checks must not be delegated to the
model, through the system prompt or otherwise. The model cannot keep a secret that
is in its context: keep the secret out of the context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Chunk:
    """One piece of a document in the shared index."""

    id: str  # unique across the index, e.g. "acme-hr-0007"
    tenant: str  # the customer the document belongs to, e.g. "acme"
    text: str
    acl: frozenset[str]  # who may read it: "user:<id>" and "group:<name>" entries
    classification: str = "internal"  # a label ("public", "confidential"...); grants nothing


@dataclass(frozen=True)
class User:
    """The person asking, as your login system identified them."""

    id: str  # unique within the tenant only
    tenant: str
    groups: frozenset[str] = frozenset()  # group names, without the "group:" prefix


_WORD_RE = re.compile(r"[a-z0-9]+")


def score(query: str, text: str) -> int:
    """How well `text` matches `query`: the number of distinct words they share.

    Words are runs of ASCII letters and digits, compared in lower case. A stand-in for
    the similarity of two embeddings in a real vector store; use it as it is.

    >>> score("Paid holiday?", "Holiday policy: 30 days of paid leave")
    2
    """
    return len(set(_WORD_RE.findall(query.lower())) & set(_WORD_RE.findall(text.lower())))


def tenant_search(index: list[Chunk], user: User, query: str, k: int = 3) -> list[Chunk]:
    """Return the k best chunks for `query` among those `user` may read.

    See the module docstring for the rules: tenant first, then the ACL (empty means
    nobody), exact comparison, filter before ranking, ties by id, k <= 0 gives [].
    """
    # TODO: return [] when k <= 0.
    # TODO: keep the chunks of the user's tenant whose ACL names the user or one of
    #       their groups ("user:<id>", "group:<name>"), compared exactly.
    # TODO: sort those by score (highest first), then by id, and return the first k.
    raise NotImplementedError("TODO: implement tenant_search(index, user, query, k)")
