r"""Reference defence for the tool_policy lab: least privilege per tool, a plan, and
a person only where her answer decides.

1. The call's shape first (lesson 6's gate): a dict, a known tool name character
   for character, exactly that tool's parameters, every value a str. Anything
   else is denied, never raised on.
2. A call that matches Ana's plan (task.approved: same tool, every fixed
   argument equal) is what she asked for: allowed, outside recipients included.
3. Otherwise each tool gets only what it needs:
   - read_file: the path, normalised, must stay under docs/ (no absolute path,
     no '~', no '..' that climbs out, no backslash);
   - search_mail: her own mailbox, read-only: allowed;
   - run_query: SQLite itself judges the query, on an empty in-memory database
     made from SCHEMA with an authorizer that allows only SELECT, reads of
     Acme's tables and functions; one statement only;
   - send_email: every address in "to" (parsed with email.utils.getaddresses)
     must be exactly @example.com, else denied. An unplanned mail to a
     colleague is a side effect Ana did not approve: with no plan she is asked;
     with a plan, a send that is not in it is a deviation and is denied
     (plan-then-execute), so she is not asked about what an injection wants.
"""

from __future__ import annotations

import posixpath
import sqlite3
from dataclasses import dataclass, field
from email.utils import getaddresses
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


def well_formed(call: Any) -> bool:
    if not isinstance(call, dict):
        return False
    name, arguments = call.get("name"), call.get("arguments")
    if type(name) is not str or name not in TOOL_PARAMETERS or not isinstance(arguments, dict):
        return False
    return (set(arguments) == set(TOOL_PARAMETERS[name])
            and all(type(value) is str for value in arguments.values()))


def planned(call: dict[str, Any], task: Task) -> bool:
    steps = getattr(task, "approved", ())
    if not isinstance(steps, (tuple, list)):
        return False
    arguments = call["arguments"]
    return any(isinstance(step, dict) and step.get("name") == call["name"]
               and isinstance(step.get("arguments"), dict)
               and all(k in arguments and arguments[k] == v
                       for k, v in step["arguments"].items())
               for step in steps)


def path_allowed(path: str) -> bool:
    if not path or "\\" in path or "\x00" in path or path.startswith(("/", "~")):
        return False
    parts = posixpath.normpath(path).split("/")
    return parts[0] == FILES_FOLDER and len(parts) > 1 and ".." not in parts


def recipients_internal(to: str) -> bool:
    addresses = getaddresses([to])
    if not addresses:
        return False
    for _name, address in addresses:
        local, at, domain = address.rpartition("@")
        if not (local and at and domain.lower() == COMPANY_DOMAIN):
            return False
    return True


def query_read_only(sql: str) -> bool:
    """Does SQLite, preparing the query against SCHEMA, see only reads of TABLES?"""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(SCHEMA)

        def authorizer(action: int, arg1: str | None, _arg2: str | None,
                       database: str | None, _source: str | None) -> int:
            if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_FUNCTION):
                return sqlite3.SQLITE_OK
            if (action == sqlite3.SQLITE_READ and database in (None, "main")
                    and (arg1 or "").lower() in TABLES):
                return sqlite3.SQLITE_OK
            return sqlite3.SQLITE_DENY

        db.set_authorizer(authorizer)
        db.execute(sql).fetchall()  # empty tables: nothing to read, only to judge
        return True
    except (sqlite3.Error, ValueError):  # denied, not SQL, or several statements
        return False
    finally:
        db.close()


def decide(call: dict[str, Any], task: Task) -> Decision:
    """"allow", "deny" or "confirm" for one tool call the model asked for."""
    if not well_formed(call):
        return "deny"
    if planned(call, task):
        return "allow"
    name, arguments = call["name"], call["arguments"]
    if name == "read_file":
        return "allow" if path_allowed(arguments["path"]) else "deny"
    if name == "search_mail":
        return "allow"
    if name == "run_query":
        return "allow" if query_read_only(arguments["sql"]) else "deny"
    if not recipients_internal(arguments["to"]):
        return "deny"
    return "deny" if getattr(task, "approved", ()) else "confirm"
