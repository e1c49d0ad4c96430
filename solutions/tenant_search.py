"""Reference solution for `tenant_search`: permission filter first, then ranking."""

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


def _principals(user: User) -> frozenset[str]:
    """Every ACL entry that names this user: their id and each of their groups."""
    # The prefixes keep user ids and group names in separate namespaces, so a user who
    # picks the id "hr" never matches "group:hr". Nothing is lower-cased or stripped:
    # identifiers are compared exactly, and a near miss fails closed.
    return frozenset({f"user:{user.id}"} | {f"group:{group}" for group in user.groups})


def _may_read(chunk: Chunk, user: User) -> bool:
    """True if `user` may read `chunk`: same tenant, and the ACL names them."""
    if chunk.tenant != user.tenant:
        # Tenant isolation comes first and no ACL can override it: user ids are only
        # unique within a tenant, so "user:ann" in a Globex chunk is Globex's Ann.
        return False
    # An empty ACL shares nothing with the principals, so it means "nobody": fail closed.
    # classification is deliberately not consulted: a label is not a permission.
    return not chunk.acl.isdisjoint(_principals(user))


def tenant_search(index: list[Chunk], user: User, query: str, k: int = 3) -> list[Chunk]:
    """Return the k best chunks for `query` among those `user` may read."""
    if k <= 0:
        return []  # ranked[:k] with a negative k would return almost everything
    # Filter first, rank second. The ranking below never sees a chunk the user may not
    # read, so the result is the same as if those chunks were not in the index: no
    # missing results, and nothing to learn from how many come back.
    readable = [chunk for chunk in index if _may_read(chunk, user)]
    # sorted() builds a new list and leaves the caller's index alone. The key makes the
    # order total and deterministic: best score first, then the id as a plain string.
    ranked = sorted(readable, key=lambda chunk: (-score(query, chunk.text), chunk.id))
    return ranked[:k]
