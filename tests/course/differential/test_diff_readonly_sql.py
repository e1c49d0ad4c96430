"""readonly_sql's reference solution against SQLite itself.

Hypothesis writes SQL from a small grammar: reads, joins, subqueries, CTEs (recursive
too), UNIONs, functions, table-valued functions, schema tables, views, tables of an
attached database and of the temp database, bare and qualified names, and writes,
ATTACH, PRAGMA, VACUUM, transactions and second statements. Whenever the solution
ACCEPTS a statement:

1. SQLite agrees it only reads: run on a fresh copy of the database with
   `PRAGMA query_only = ON`, it succeeds and returns the same rows;
2. nothing changed: schema, rows (main, temp and attached), attached databases,
   user_version and the transaction state are as before;
3. SQLite's own query plan (EXPLAIN) opens no table outside main, no table or index
   of a table that is not allowed, no virtual table (json_each(), pragma_*()), writes
   nothing, and calls no function outside ALLOWED_FUNCTIONS.

Whatever the solution refuses, it refuses without changing anything. And plain reads
of allowed tables with allowed functions are accepted (a gate that refuses everything
passes the first three trivially).
"""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st
from reference import load_solution

solution = load_solution("readonly_sql")

# Deliberate differences from "whatever SQLite can run read-only", and why.
DIFFERENCES = {
    "views": "A view must be on the allow-list itself, although EXPLAIN only shows the "
    "tables it reads: the allow-list names what the assistant may ask for.",
    "functions": "Only ALLOWED_FUNCTIONS may be called, and recursive CTEs are refused, "
    "although both run under query_only: they cost memory and time, not data.",
    "temp shadowing": "An allowed name that the temp database also uses is refused even "
    "as main.<name> (main_tables() leaves it out): simpler than tracking which one a "
    "statement means.",
}

SHOP = """
CREATE TABLE Products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, product_id INTEGER, qty INTEGER, placed TEXT);
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, email TEXT);
CREATE TABLE api_keys (service TEXT, key TEXT);
CREATE INDEX orders_by_product ON orders (product_id);
CREATE VIEW order_totals AS
    SELECT o.id AS order_id, p.price * o.qty AS total
    FROM orders AS o JOIN Products AS p ON p.id = o.product_id;
CREATE VIEW key_list AS SELECT service, key FROM api_keys;
INSERT INTO Products VALUES (1, 'mug', 8.5), (2, 'teapot', 24.0), (3, 'tea towel', 6.0);
INSERT INTO orders VALUES (1, 1, 2, '2025-03-02'), (2, 2, 1, '2025-03-15'),
                          (3, 3, 4, '2025-04-01');
INSERT INTO customers VALUES (1, 'Ann Lee', 'ann@example.com');
INSERT INTO api_keys VALUES ('payments', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc');
ATTACH DATABASE ':memory:' AS secret;
CREATE TABLE secret.orders (id INTEGER, card TEXT);
CREATE TABLE secret.archive (id INTEGER, card TEXT);
INSERT INTO secret.orders VALUES (1, '4242 4242 4242 4242');
INSERT INTO secret.archive VALUES (7, '4000 0566 5566 5556');
CREATE TEMP TABLE scratch (id INTEGER, note TEXT);
INSERT INTO scratch VALUES (1, 'internal');
"""


def _shop(temp_orders: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(SHOP)
    if temp_orders:  # a temp table that hides main.orders for bare names
        conn.executescript("CREATE TEMP TABLE orders (id INTEGER, card TEXT);")
    return conn


def _snapshot(conn: sqlite3.Connection) -> tuple:
    schemas = [name for _, name, _ in conn.execute("PRAGMA database_list")]
    state = []
    for schema in schemas:
        master = "sqlite_temp_master" if schema == "temp" else f'"{schema}".sqlite_master'
        rows = conn.execute(f"SELECT type, name, sql FROM {master} ORDER BY name").fetchall()
        state.append((schema, rows))
        for kind, name, _ in rows:
            if kind == "table":
                state.append(conn.execute(
                    f'SELECT * FROM "{schema}"."{name}" ORDER BY rowid').fetchall())
    return (tuple(schemas), tuple(map(repr, state)),
            conn.execute("PRAGMA user_version").fetchall(), conn.in_transaction)


def _plan(conn: sqlite3.Connection, sql: str) -> list[str]:
    """What EXPLAIN says the statement touches that the allow-list does not cover."""
    databases = {seq: name for seq, name, _ in conn.execute("PRAGMA database_list")}
    problems = []
    for row in conn.execute("EXPLAIN " + sql).fetchall():
        opcode, p2, p3, p4 = row[1], row[3], row[4], row[5]
        if opcode in ("OpenWrite", "VOpen", "VUpdate", "Destroy", "Clear", "CreateBtree"):
            problems.append(f"{opcode} {p4!r}")
        elif opcode in ("OpenRead", "ReopenIdx"):
            schema = databases.get(p3, f"database {p3}")
            if schema != "main":
                problems.append(f"reads a table of {schema!r}")
                continue
            if p2 == 1:
                problems.append("reads sqlite_master")
                continue
            found = conn.execute(
                "SELECT tbl_name FROM main.sqlite_master WHERE rootpage = ?", (p2,)
            ).fetchone()
            table = found[0].lower() if found else f"root page {p2}"
            problems.append(f"table:{table}")
        elif opcode in ("Function", "PureFunc", "AggStep", "AggStep1", "AggFinal", "AggValue",
                        "AggInverse"):
            name = str(p4).split("(")[0].lower()
            if name not in solution.ALLOWED_FUNCTIONS:
                problems.append(f"calls {name}()")
    return problems


# --- generated SQL ------------------------------------------------------------------

ALLOWED_SETS = [
    frozenset({"products", "orders"}),
    frozenset({"products", "orders", "archive"}),
    frozenset({"products", "orders", "order_totals"}),
    frozenset({"products", "orders", "key_list", "scratch"}),
]
GOOD_TABLES = ["products", "Products", "orders", "main.orders", "MAIN.Products"]
BAD_TABLES = ["secret.orders", "secret.archive", "archive", "temp.scratch", "scratch",
              "customers", "api_keys", "order_totals", "key_list", "sqlite_master",
              "secret.sqlite_master", "sqlite_temp_master", "pragma_table_info('api_keys')",
              "json_each('[1, 2]')", "(SELECT * FROM api_keys)", "secret.pragma_table_info('x')"]
GOOD_ITEMS = ["*", "COUNT(*)", "1", "upper('a')", "abs(-1)", "typeof(1)", "COUNT(1)",
              "round(1.5)", "length('abc')"]
BAD_ITEMS = ["randomblob(4)", "printf('%d', 1)", "sqlite_version()", "length(zeroblob(10))",
             "hex('a')", "load_extension('x')", "unicode('a')"]
WRITES = [
    "INSERT INTO orders VALUES (9, 1, 1, '2025-05-01')", "DELETE FROM orders",
    "UPDATE Products SET price = 0", "REPLACE INTO Products VALUES (1, 'mug', 0.01)",
    "DROP TABLE orders", "DROP VIEW key_list", "CREATE TABLE loot AS SELECT * FROM api_keys",
    "CREATE TEMP TABLE loot (x)", "ALTER TABLE orders ADD COLUMN x", "ATTACH ':memory:' AS x",
    "DETACH secret", "PRAGMA query_only = OFF", "PRAGMA user_version = 3",
    "PRAGMA table_info(api_keys)", "VACUUM", "BEGIN", "SAVEPOINT s", "REINDEX", "ANALYZE",
    "INSERT INTO secret.orders VALUES (2, 'x')", "DELETE FROM secret.archive",
    "UPDATE scratch SET note = 'x'", "SELECT 1; DELETE FROM orders",
    "WITH x AS (SELECT 1) DELETE FROM orders", "INSERT INTO orders SELECT * FROM orders",
]


@st.composite
def selects(draw: st.DrawFn, good: bool) -> str:
    tables = GOOD_TABLES if good else GOOD_TABLES + BAD_TABLES
    items = GOOD_ITEMS if good else GOOD_ITEMS + BAD_ITEMS
    table = draw(st.sampled_from(tables))
    item = draw(st.sampled_from(items))
    sql = f"SELECT {item} FROM {table}"
    shape = draw(st.integers(0, 6))
    other = draw(st.sampled_from(tables))
    if shape == 1:
        sql += f" JOIN {other} ON 1 = 1"
    elif shape == 2:
        sql += f" WHERE EXISTS (SELECT 1 FROM {other})"
    elif shape == 3:
        sql = f"WITH x AS (SELECT * FROM {other}) " + sql.replace(f"FROM {table}", "FROM x")
    elif shape == 4:
        sql += f" UNION ALL SELECT {item} FROM {other}"
    elif shape == 5:
        sql = f"SELECT (SELECT COUNT(*) FROM {other}), {item} FROM {table}"
    return sql


@st.composite
def statements(draw: st.DrawFn) -> tuple[str, bool]:
    """(sql, plain): plain means a read of allowed main tables with allowed functions."""
    kind = draw(st.integers(0, 9))
    if kind <= 1:
        return draw(selects(True)), True
    if kind <= 5:
        return draw(selects(False)), False
    if kind == 6:
        return ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3) "
                "SELECT x FROM n"), False
    sql = draw(st.sampled_from(WRITES))
    wrap = draw(st.sampled_from(["{}", "/* hi */ {}", "{} -- bye", "  {};  ", "{};;"]))
    return wrap.format(sql), False


@settings(max_examples=250)
@given(statements(), st.sampled_from(ALLOWED_SETS), st.booleans())
def test_against_sqlite(case: tuple[str, bool], allowed: frozenset[str],
                        temp_orders: bool) -> None:
    sql, plain = case
    conn = _shop(temp_orders)
    before = _snapshot(conn)
    try:
        rows = solution.run_readonly_sql(conn, sql, (), allowed_tables=allowed)
        accepted = True
    except (solution.UnsafeQuery, sqlite3.Error, sqlite3.Warning):
        accepted = False
    assert _snapshot(conn) == before, (
        f"run_readonly_sql(conn, {sql!r}, allowed_tables={sorted(allowed)}) changed the "
        f"database (accepted: {accepted})."
    )
    if not accepted:
        if plain and not (temp_orders and "orders" in sql.lower()):
            try:  # SQLite may refuse it too, e.g. a UNION of results of different widths
                _shop().execute(sql).fetchall()
            except sqlite3.Error:
                return
            raise AssertionError(
                f"run_readonly_sql(conn, {sql!r}, allowed_tables={sorted(allowed)}) refused "
                "a plain read of allowed tables with allowed functions."
            )
        return

    # 1. SQLite, told to refuse every write, runs it and gets the same rows.
    fresh = _shop(temp_orders)
    fresh.execute("PRAGMA query_only = ON")
    try:
        again = fresh.execute(sql).fetchall()
    except sqlite3.Error as exc:
        raise AssertionError(
            f"run_readonly_sql accepted {sql!r}, but under PRAGMA query_only = ON SQLite "
            f"fails with {type(exc).__name__}: {exc}."
        ) from None
    assert again == rows, (
        f"run_readonly_sql accepted {sql!r} and returned {rows!r}; SQLite itself returns "
        f"{again!r}."
    )
    # 3. The plan touches only allowed tables of main, with allowed functions.
    touched = _plan(_shop(temp_orders), sql)
    outside = [item for item in touched
               if not (item.startswith("table:") and item[6:] in allowed)]
    assert not outside, (
        f"run_readonly_sql accepted {sql!r} with allowed_tables={sorted(allowed)}, but "
        f"SQLite's plan for it {outside}."
    )
