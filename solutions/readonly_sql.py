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
# randomblob() and zeroblob() (up to a gigabyte each, SQLite's default maximum length
# of a string or blob), load_extension() (loads code), printf()/format() and replace()
# (can build huge strings).
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


def main_tables(conn: sqlite3.Connection) -> frozenset[str]:
    """Lower-cased names of the tables and views a bare name reaches in main (ready to use).

    A bare name (`orders`, not `main.orders`) means the first of temp, main and the
    attached databases that has it, so a name the temp database also uses is left out.
    Call it before you install the authorizer.
    """
    def names(schema: str) -> set[str]:
        rows = conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type IN ('table', 'view')"
        ).fetchall()
        return {name.lower() for (name,) in rows}

    return frozenset(names("main") - names("temp"))


def run_readonly_sql(
    conn: sqlite3.Connection,
    sql: str,
    params: tuple = (),
    allowed_tables: Collection[str] = ALLOWED_TABLES,
) -> list[tuple]:
    """Run one SELECT written by a model; raise UnsafeQuery for anything else."""
    # Only tables of the main database: an attached database or the temp one can hold
    # a table with an allowed name.
    allowed = {name.lower() for name in allowed_tables} & main_tables(conn)
    reasons: list[str] = []  # why the authorizer said no; it cannot raise itself
    select_seen = False

    def authorizer(action: int, arg1: str | None, arg2: str | None,
                   db_name: str | None, source: str | None) -> int:
        nonlocal select_seen
        # An allow-list of actions: whatever SQLite adds in a future version is denied.
        if action == sqlite3.SQLITE_SELECT:
            select_seen = True
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ:
            # db_name is None when no column of a bare-named table is read (COUNT(*));
            # main_tables() made sure a bare allowed name can only mean main. It can
            # come spelled as in the query ("MAIN"), so compare in lower case.
            if db_name is not None and db_name.lower() != "main":
                reasons.append(f"reading {db_name}.{arg1} is not allowed: only the main "
                               "database may be read")
                return sqlite3.SQLITE_DENY
            # Every read counts, including those a view makes (source is the view's
            # name then): a view over a forbidden table must not launder it.
            if arg1 is not None and arg1.lower() in allowed:
                return sqlite3.SQLITE_OK
            reasons.append(f"reading {arg1!r} is not allowed: it is not on the list of tables")
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_FUNCTION:
            if arg2 is not None and arg2.lower() in ALLOWED_FUNCTIONS:
                return sqlite3.SQLITE_OK
            reasons.append(f"calling the SQL function {arg2}() is not allowed")
            return sqlite3.SQLITE_DENY
        if select_seen and arg1 in ("sqlite_master", "sqlite_temp_master"):
            # A SELECT never writes. Some SQLite versions (3.40, for one) ask to change
            # sqlite_master when a statement first uses a table-valued function.
            reasons.append("table-valued functions such as json_each() or "
                           "pragma_table_info() are not allowed")
        else:
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
