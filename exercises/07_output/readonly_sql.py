"""Run SQL that a model wrote, and let it read only what it may read.

The scenario
------------

Your shop's assistant answers questions such as "how many orders did Ann place in
March?" by asking a model to write SQL and running it on the shop's SQLite database.
The same database also holds a `customers` table with addresses and an `api_keys`
table. The model's SQL is untrusted output: a prompt injection hidden in a product
review, or a model that simply gets it wrong, can produce `DROP TABLE orders`,
`SELECT * FROM api_keys`, `ATTACH DATABASE '/tmp/copy.db' AS x` or a query that never
ends. Parameterised queries do not help here, because the model writes the structure
of the query itself. What helps is letting the DATABASE judge every action the
statement would take, before it runs.

What to implement
-----------------

    run_readonly_sql(conn: sqlite3.Connection, sql: str, params: tuple = (),
                     allowed_tables: Collection[str] = ALLOWED_TABLES) -> list[tuple]

Run `sql` (bound to `params`) on `conn` and return all result rows, but only if it is
a single SELECT statement that reads allowed tables and calls allowed functions.
Otherwise raise `UnsafeQuery` with a message that says what was refused.

1. Before anything else, `allowed` = the lower-cased `allowed_tables` that are also in
   `main_tables(conn)` (provided): the tables and views of the main database that a
   bare name reaches. Then install an authorizer with `conn.set_authorizer(callback)`.
   SQLite calls
   `callback(action, arg1, arg2, db_name, source)` for every action while it COMPILES
   the statement, before anything runs. Return `sqlite3.SQLITE_OK` to allow the action
   and `sqlite3.SQLITE_DENY` to refuse it; a single refusal makes the whole statement
   fail with `sqlite3.DatabaseError` ("not authorized", or "access to api_keys.key is
   prohibited" for a column read).
2. Allow exactly these actions and deny everything else:
   - `sqlite3.SQLITE_SELECT`: the statement (or a subquery) is a SELECT;
   - `sqlite3.SQLITE_READ`: reading a column of table `arg1` (the column is `arg2`)
     in database `db_name`, only if `db_name` is None or "main" AND `arg1.lower()` is
     in `allowed`. Compare names in lower case: SQLite identifiers are
     case-insensitive, and SQLite reports a name as it is spelled in the schema
     (`Products`) or in the query (`SeCrEtS`, `MAIN`);
   - `sqlite3.SQLITE_FUNCTION`: calling the SQL function `arg2`, only if its
     lower-cased name is in `ALLOWED_FUNCTIONS`.
   Everything else is denied: INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, PRAGMA,
   ATTACH, DETACH, transactions, savepoints, ANALYZE, REINDEX, and recursive common
   table expressions (`SQLITE_RECURSIVE`: `WITH RECURSIVE` can loop without end).
   The database matters: `SELECT * FROM secret.orders` reads a table called
   `orders` in a database the application attached as `secret`, and SQLite reports
   `db_name == "secret"`; `temp` is the connection's temporary database. When the
   statement reads no column of a table it found by its bare name, as in
   `SELECT COUNT(*) FROM orders`, SQLite passes `db_name` None. A bare name means the
   first of temp, main and the attached databases that has it, which is why
   `allowed` only holds names that `main_tables(conn)` found in main and not in temp.
3. A callback cannot usefully raise (sqlite3 turns any exception in it into a
   denial). So when you deny, first remember WHY, for example in a list in the
   enclosing function: "reading table 'api_keys' is not allowed". When the statement
   then fails with an sqlite3 error, raise `UnsafeQuery(<that reason>)` from it.
   Other errors (a typo in the SQL, an unknown column) may propagate as they are.
   One reason needs care: a SELECT never writes, so if SQLite asks to change
   `sqlite_master` (arg1) after it reported SQLITE_SELECT, the statement uses a
   table-valued function such as `json_each()` or `pragma_table_info()`. Some SQLite
   versions (3.40, for one) set one up that way on its first use; newer ones report a
   READ of the function's name instead. Say "table-valued functions are not allowed",
   not "UPDATE on sqlite_master", or the log sends its reader the wrong way.
4. More than one statement: `conn.execute()` already refuses "SELECT 1; DROP TABLE x"
   before running either part (`sqlite3.ProgrammingError` "You can only execute one
   statement at a time."; `sqlite3.Warning` on Python 3.10). Let that error propagate
   or turn it into `UnsafeQuery`. Never use `executescript()`: it runs them all.
5. Empty SQL, blanks or only a comment run nothing and return no columns
   (`cursor.description` is None): raise `UnsafeQuery`, it is not a SELECT.
6. ALWAYS remove the authorizer before you return or raise (`try`/`finally` and the
   `remove_authorizer(conn)` helper below). The application uses the same connection
   for its own writes; a forgotten authorizer breaks them, or, worse, a later
   caller's authorizer is silently replaced by yours.

Views: SQLite checks a view's own reads too. `SELECT * FROM v` where `v` is defined as
`SELECT token FROM api_keys` produces a READ of `v` AND a READ of `api_keys` (with
`source == 'v'`), so a view never launders a forbidden table, as long as you check
every READ, whatever its `source` says.

Examples
--------

>>> conn = sqlite3.connect(":memory:")
>>> _ = conn.executescript('''
...     CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price REAL);
...     CREATE TABLE api_keys (service TEXT, key TEXT);
...     INSERT INTO products VALUES (1, 'mug', 8.5), (2, 'teapot', 24.0);
...     INSERT INTO api_keys VALUES ('payments', 'sk_test_123');
... ''')
>>> run_readonly_sql(conn, "SELECT name FROM products WHERE price < ?", (10,))
[('mug',)]
>>> run_readonly_sql(conn, "SELECT name FROM products UNION SELECT key FROM api_keys")
Traceback (most recent call last):
    ...
UnsafeQuery: reading 'api_keys' is not allowed: it is not on the list of tables
>>> run_readonly_sql(conn, "DELETE FROM products")
Traceback (most recent call last):
    ...
UnsafeQuery: SQLITE_DELETE on 'products' is not allowed
>>> conn.execute("SELECT key FROM api_keys").fetchall()   # the app's own query still works
[('sk_test_123',)]

(Your messages may be worded differently; they must say what was refused.)

Why it matters
--------------

OWASP LLM05:2025 Improper Output Handling: treat the model as any other user and
validate its output before it reaches a backend. The authorizer is a gate that sees
what the statement will actually do, after SQLite has parsed it: no regex over the SQL
text can be as precise (comments, quoting, views, subqueries and CTEs all defeat
one). It is one layer. Also open the database read-only (`file:shop.db?mode=ro` with
`uri=True`), give the assistant a copy without the secret tables where you can, and
cap how long a query may run (`conn.set_progress_handler`) and how large a string or
blob may get (`conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, ...)`, Python 3.11+).
"""

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
    # TODO 1: allowed = the lower-cased allowed_tables & main_tables(conn);
    #         reasons = [] to record denials; a flag for "SQLITE_SELECT was reported".
    # TODO 2: def authorizer(action, arg1, arg2, db_name, source): allow SQLITE_SELECT,
    #         SQLITE_READ of an allowed table in db "main" (or None), SQLITE_FUNCTION in
    #         ALLOWED_FUNCTIONS; otherwise append a reason and return SQLITE_DENY.
    # TODO 3: conn.set_authorizer(authorizer), then in try: cursor = conn.execute(sql,
    #         params); no columns (cursor.description is None) -> UnsafeQuery;
    #         return cursor.fetchall(). except sqlite3.Error: if reasons, raise
    #         UnsafeQuery(reasons[0]) from the error, else re-raise.
    #         finally: remove_authorizer(conn).
    raise NotImplementedError("TODO: implement run_readonly_sql(conn, sql, params)")
