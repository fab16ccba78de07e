#!/usr/bin/env python3
"""Statements analysts bring from DuckDB and PostgreSQL, Tarn vs DuckDB: the same setup and statement run in both,
then the target table is compared row by row. Covers UPDATE … FROM, DELETE … USING, TRUNCATE and INSERT of untyped
NULLs; then information_schema's tables, columns and views against DuckDB's after the same DDL.

Usage: python3 Tests/differential/statements.py [--keep DIR]. Exit status 1 on any difference.
"""
import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import TarnError, compare, ensure_duckdb, parse_tarn_json, run_tarn  # noqa: E402

SETUP = """
CREATE TABLE orders (id INTEGER, customer VARCHAR, amount DOUBLE, status VARCHAR, day DATE);
INSERT INTO orders VALUES (1, 'ann', 10.5, 'new', DATE '2024-05-01'), (2, 'bob', 20.0, 'new', DATE '2024-05-02'),
  (3, 'cy', NULL, 'paid', DATE '2024-05-03'), (4, 'ann', 7.25, 'new', NULL), (5, 'dee', 99.0, 'void', DATE '2024-05-05');
CREATE TABLE payments (order_id INTEGER, paid DOUBLE, note VARCHAR);
INSERT INTO payments VALUES (1, 10.5, 'card'), (2, 5.0, 'cash'), (5, 0.0, NULL), (9, 1.0, 'orphan');
CREATE TABLE voids (id INTEGER, reason VARCHAR);
INSERT INTO voids VALUES (5, 'fraud'), (6, 'none'), (NULL, 'null key');
"""

CASES = [
    ("UPDATE … FROM sets matched rows only",
     "UPDATE orders SET status = 'paid', amount = orders.amount - payments.paid FROM payments WHERE payments.order_id = orders.id",
     "SELECT * FROM orders"),
    ("UPDATE … FROM with an extra condition on the target",
     "UPDATE orders SET status = payments.note FROM payments WHERE payments.order_id = orders.id AND orders.customer = 'ann'",
     "SELECT * FROM orders"),
    ("DELETE … USING",
     "DELETE FROM orders USING voids WHERE voids.id = orders.id",
     "SELECT * FROM orders"),
    ("DELETE … USING two sources",
     "DELETE FROM orders USING payments, voids WHERE payments.order_id = orders.id AND voids.id = payments.order_id",
     "SELECT * FROM orders"),
    ("TRUNCATE", "TRUNCATE orders", "SELECT count(*) FROM orders"),
    ("INSERT of untyped NULLs", "INSERT INTO orders VALUES (NULL, NULL, NULL, NULL, NULL), (6, NULL, 1.0, NULL, NULL)",
     "SELECT * FROM orders"),
    ("INSERT … SELECT with a NULL column", "INSERT INTO orders SELECT id + 10, NULL, amount, 'copy', NULL FROM orders WHERE id < 3",
     "SELECT * FROM orders"),
]


CATALOG_SETUP = SETUP + """
CREATE SCHEMA shop;
CREATE TABLE shop.items (sku VARCHAR NOT NULL, price DECIMAL(10,2), added TIMESTAMP, active BOOLEAN, qty BIGINT);
CREATE VIEW shop.cheap AS SELECT sku, price FROM shop.items WHERE price < 10;
"""

CATALOG_QUERIES = [
    "SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema NOT IN ('information_schema', 'pg_catalog')",
    "SELECT table_schema, table_name, column_name, ordinal_position, is_nullable, data_type FROM information_schema.columns "
    "WHERE table_schema NOT IN ('information_schema', 'pg_catalog')",
    # DuckDB also lists its own system views and schemas, in catalogs 'system' and 'temp'.
    "SELECT table_schema, table_name FROM information_schema.views WHERE table_catalog NOT IN ('system', 'temp')",
    "SELECT schema_name FROM information_schema.schemata WHERE catalog_name NOT IN ('system', 'temp') AND schema_name <> 'information_schema'",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep")
    args = ap.parse_args()
    duckdb = ensure_duckdb()
    work = args.keep or tempfile.mkdtemp(prefix="tarn-statements-")
    failures = []
    for i, (title, statement, check) in enumerate(CASES):
        lake = os.path.join(work, f"lake{i}")
        try:
            run_tarn(lake, SETUP + statement + ";")
            got = parse_tarn_json(run_tarn(lake, check))
        except TarnError as e:
            failures.append(f"{title}: tarn failed: {e}")
            continue
        con = duckdb.connect()
        con.execute(SETUP)
        con.execute(statement)
        expected = con.execute(check).fetchall()
        diff = compare(expected, got, ordered=False)
        if diff:
            failures.append(f"{title}: {diff}")
    lake = os.path.join(work, "catalog")
    con = duckdb.connect()
    con.execute(CATALOG_SETUP)
    try:
        run_tarn(lake, CATALOG_SETUP)
        for query in CATALOG_QUERIES:
            diff = compare(con.execute(query).fetchall(), parse_tarn_json(run_tarn(lake, query)), ordered=False)
            if diff:
                failures.append(f"{query}: {diff}")
    except TarnError as e:
        failures.append(f"information_schema: tarn failed: {e}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"statements: {len(CASES)} cases and {len(CATALOG_QUERIES)} information_schema queries, {len(failures)} differing from DuckDB")
    for f in failures:
        print("  " + f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
