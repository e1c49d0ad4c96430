"""Reference solution for `readonly_sql`: an SQLite authorizer as the gate for model SQL."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Collection


class UnsafeQuery(Exception):
    """The SQL is not a single SELECT over allowed tables and functions."""


# The tables the assistant may read. Compare without regard to case.
ALLOWED_TABLES = frozenset({"products", "orders"})

# SQL functions the assistant may call: pure and cheap. Not on the list, for example:
# randomblob() and zeroblob() (can allocate a gigabyte), load_extension() (loads code),
# printf()/format() and replace() (can build huge strings).
ALLOWED_FUNCTIONS = frozenset({
    "avg", "count", "group_concat", "max", "min", "sum", "total",  # aggregates
    "abs", "coalesce", "ifnull", "iif", "instr", "length", "lower", "ltrim", "nullif",
    "round", "rtrim", "substr", "trim", "typeof", "upper",
    "date", "datetime", "julianday", "strftime", "time",
    "like", "glob",  # the LIKE and GLOB operators call these functions
})

# Names for the authorizer's action codes, for messages: ACTION_NAMES.get(action).
# Built from an explicit list on purpose: sqlite3 also exports result codes such as
# SQLITE_TOOBIG with the SAME numbers as some action codes (18 is both SQLITE_INSERT
# and SQLITE_TOOBIG), so a table built from dir(sqlite3) gives wrong names.
ACTION_NAMES = {
    getattr(sqlite3, name): name
    for name in (
        "SQLITE_CREATE_INDEX", "SQLITE_CREATE_TABLE", "SQLITE_CREATE_TEMP_INDEX",
        "SQLITE_CREATE_TEMP_TABLE", "SQLITE_CREATE_TEMP_TRIGGER", "SQLITE_CREATE_TEMP_VIEW",
        "SQLITE_CREATE_TRIGGER", "SQLITE_CREATE_VIEW", "SQLITE_DELETE", "SQLITE_DROP_INDEX",
        "SQLITE_DROP_TABLE", "SQLITE_DROP_TEMP_INDEX", "SQLITE_DROP_TEMP_TABLE",
        "SQLITE_DROP_TEMP_TRIGGER", "SQLITE_DROP_TEMP_VIEW", "SQLITE_DROP_TRIGGER",
        "SQLITE_DROP_VIEW", "SQLITE_INSERT", "SQLITE_PRAGMA", "SQLITE_READ",
        "SQLITE_SELECT", "SQLITE_TRANSACTION", "SQLITE_UPDATE", "SQLITE_ATTACH",
        "SQLITE_DETACH", "SQLITE_ALTER_TABLE", "SQLITE_REINDEX", "SQLITE_ANALYZE",
        "SQLITE_CREATE_VTABLE", "SQLITE_DROP_VTABLE", "SQLITE_FUNCTION",
        "SQLITE_SAVEPOINT", "SQLITE_RECURSIVE",
    )
    if hasattr(sqlite3, name)
}


def remove_authorizer(conn: sqlite3.Connection) -> None:
    """Remove the connection's authorizer (ready to use)."""
    if sys.version_info >= (3, 11):
        conn.set_authorizer(None)
    else:
        # Python 3.10 accepts None but then tries to call it for every action, which
        # fails and so denies everything. An authorizer that allows all is the nearest
        # thing to none.
        conn.set_authorizer(lambda *args: sqlite3.SQLITE_OK)


def run_readonly_sql(
    conn: sqlite3.Connection,
    sql: str,
    params: tuple = (),
    allowed_tables: Collection[str] = ALLOWED_TABLES,
) -> list[tuple]:
    """Run one SELECT written by a model; raise UnsafeQuery for anything else."""
    allowed = {name.lower() for name in allowed_tables}
    reasons: list[str] = []  # why the authorizer said no; it cannot raise itself

    def authorizer(action: int, arg1: str | None, arg2: str | None,
                   db_name: str | None, source: str | None) -> int:
        # An allow-list of actions: whatever SQLite adds in a future version is denied.
        if action == sqlite3.SQLITE_SELECT:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ:
            # Every read counts, including those a view makes (source is the view's
            # name then): a view over a forbidden table must not launder it.
            if arg1 is not None and arg1.lower() in allowed:
                return sqlite3.SQLITE_OK
            reasons.append(f"reading table {arg1!r} is not allowed")
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_FUNCTION:
            if arg2 is not None and arg2.lower() in ALLOWED_FUNCTIONS:
                return sqlite3.SQLITE_OK
            reasons.append(f"calling the SQL function {arg2}() is not allowed")
            return sqlite3.SQLITE_DENY
        name = ACTION_NAMES.get(action, f"action {action}")
        target = f" on {arg1!r}" if arg1 else ""
        reasons.append(f"{name}{target} is not allowed")
        return sqlite3.SQLITE_DENY

    conn.set_authorizer(authorizer)
    try:
        # execute(), never executescript(): execute() refuses a second statement
        # before running the first one.
        cursor = conn.execute(sql, params)
        if cursor.description is None:  # nothing that returns rows: not a SELECT
            raise UnsafeQuery("the query must be a single SELECT statement")
        return cursor.fetchall()
    except sqlite3.Error as exc:
        if reasons:
            raise UnsafeQuery(reasons[0]) from exc
        raise  # a typo or an unknown column: a mistake, not a refusal
    finally:
        # The connection goes back to the application exactly as it came: with no
        # authorizer, whether we return, refuse or fail.
        remove_authorizer(conn)
