#!/usr/bin/env python3
"""Differential test: the same deterministic data and queries in Tarn, DuckDB and SQLite; results compared row by row.

Usage: python3 Tests/differential/run.py [--group PATTERN] [--keep LAKE_DIR] [--verbose]
DuckDB (with `SET integer_division = true`, matching Trino's `/` on integers) is the reference: a query passes when
Tarn's rows equal DuckDB's (order-insensitive unless the query ends in ORDER BY; doubles within 1e-9 relative).
SQLite runs every query too; where it runs and agrees with DuckDB it must agree with Tarn as well (reported as a
separate column). Exit status 1 when any query fails.
"""
import argparse
import datetime
import glob
import os
import random
import shutil
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (HERE, TarnError, compare, ensure_duckdb, has_top_level_order_by, parse_tarn_json,  # noqa: E402
                    run_tarn, sql_literal)

SCHEMA = {
    "nums": [("id", "INTEGER"), ("a", "INTEGER"), ("b", "INTEGER"), ("c", "BIGINT"), ("x", "DOUBLE"), ("y", "DOUBLE")],
    "strs": [("id", "INTEGER"), ("s", "VARCHAR"), ("t", "VARCHAR")],
    "events": [("id", "INTEGER"), ("d", "DATE"), ("ts", "TIMESTAMP"), ("kind", "VARCHAR"), ("amount", "DOUBLE")],
    "dim_customer": [("customer_key", "INTEGER"), ("name", "VARCHAR"), ("region", "VARCHAR"), ("segment", "VARCHAR")],
    "dim_product": [("product_key", "INTEGER"), ("name", "VARCHAR"), ("category", "VARCHAR"), ("product_line", "VARCHAR"),
                    ("price", "DOUBLE")],
    "fact_sales": [("sale_id", "INTEGER"), ("customer_key", "INTEGER"), ("product_key", "INTEGER"), ("sale_date", "DATE"),
                   ("quantity", "INTEGER"), ("amount", "DOUBLE")],
}


def generate_data(seed=20240520):
    """Deterministic rows for every table of SCHEMA."""
    rng = random.Random(seed)
    maybe = lambda v, p=0.1: None if rng.random() < p else v  # noqa: E731
    data = {}
    data["nums"] = [(i, maybe(rng.randint(0, 99)), maybe(rng.randint(0, 99), 0.15), rng.randint(-3_000_000_000, 3_000_000_000),
                     maybe(round(rng.random(), 6)), round(rng.uniform(-1, 1), 6)) for i in range(1, 2001)]
    words = ["apple", "banana", "cherry", "date", "elder", "fig", "grape", "", "Apple", "kiwi", "lemon", "mango",
             "café", "naïve", "日本", "zebra", "a", "ab", "abc", "b_c"]
    data["strs"] = [(i, maybe(rng.choice(words)), maybe(" ".join(rng.choice(words) for _ in range(rng.randint(0, 3))) + rng.choice(["", " ", "  x "])))
                    for i in range(1, 501)]
    start = datetime.date(2024, 1, 1)
    kinds = ["click", "view", "purchase", "signup"]
    data["events"] = []
    for i in range(1, 1001):
        d = start + datetime.timedelta(days=rng.randint(0, 365))
        ts = datetime.datetime(d.year, d.month, d.day, rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
        data["events"].append((i, d, ts, rng.choice(kinds), round(rng.uniform(0, 100), 2)))
    regions = ["North", "South", "East", "West"]
    data["dim_customer"] = [(k, f"customer {k}", rng.choice(regions), rng.choice(["consumer", "corporate", "home office"]))
                            for k in range(1, 201)]
    categories = {"Bikes": "Road", "Helmets": "Accessories", "Shoes": "Apparel", "Lights": "Accessories", "Frames": "Road"}
    data["dim_product"] = []
    for k in range(1, 51):
        cat = rng.choice(sorted(categories))
        data["dim_product"].append((k, f"product {k}", cat, categories[cat], round(rng.uniform(5, 500), 2)))
    data["fact_sales"] = [(i, rng.randint(1, 195), rng.randint(1, 50), start + datetime.timedelta(days=rng.randint(0, 365)),
                           rng.randint(1, 10), round(rng.uniform(1, 1000), 2)) for i in range(1, 5001)]
    return data


def load_script(data, batch=250):
    """CREATE TABLE + batched INSERT … VALUES statements, valid in Tarn, DuckDB and SQLite."""
    lines = []
    for table, columns in SCHEMA.items():
        lines.append(f"CREATE TABLE {table} ({', '.join(f'{n} {t}' for n, t in columns)});")
        rows = data[table]
        for i in range(0, len(rows), batch):
            values = ",\n".join("(" + ", ".join(sql_literal(v) for v in row) + ")" for row in rows[i:i + batch])
            lines.append(f"INSERT INTO {table} VALUES\n{values};")
    return "\n".join(lines) + "\n"


def load_queries(pattern):
    """(group, query) pairs from queries/*.sql: records separated by blank lines, `--` comment lines dropped."""
    queries = []
    for path in sorted(glob.glob(os.path.join(HERE, "queries", "*.sql"))):
        group = os.path.basename(path)[:-4]
        if pattern and pattern not in group:
            continue
        with open(path, encoding="utf-8") as f:
            for record in f.read().split("\n\n"):
                sql = "\n".join(l for l in record.splitlines() if not l.strip().startswith("--")).strip().rstrip(";").strip()
                if sql:
                    queries.append((group, sql))
    return queries


def sqlite_rows(connection, sql):
    try:
        return connection.execute(sql).fetchall()
    except sqlite3.Error:
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--group", help="only groups whose name contains this")
    parser.add_argument("--keep", help="build the Tarn lake here and keep it")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    duckdb = ensure_duckdb()

    data = generate_data()
    script = load_script(data)
    queries = load_queries(args.group)
    workdir = tempfile.mkdtemp(prefix="tarn-diff-")
    lake = args.keep or os.path.join(workdir, "lake")
    try:
        script_path = os.path.join(workdir, "load.sql")
        with open(script_path, "w", encoding="utf-8") as f:
            f.write(script)
        duck = duckdb.connect()
        duck.execute("SET integer_division = true")
        duck.execute("SET TimeZone = 'UTC'")  # Tarn's default session zone (DuckDB's is the machine's)
        try:  # DuckDB 1.3+ wants `lambda x: …` unless told to keep accepting Trino's `x -> …` (40_lambdas.sql)
            duck.execute("SET lambda_syntax = 'ENABLE_SINGLE_ARROW'")
        except Exception:
            pass  # older DuckDB: arrows are the only syntax
        duck.execute(script)
        lite = sqlite3.connect(":memory:")
        lite.executescript(script.replace("TIMESTAMP '", "'").replace("DATE '", "'"))
        try:
            run_tarn(lake, script=script_path, fmt="csv")
            load_error = None
        except TarnError as e:
            load_error = f"loading data into Tarn failed: {e}"
            print(load_error)

        stats, failures = {}, []
        for group, sql in queries:
            s = stats.setdefault(group, {"queries": 0, "passed": 0, "sqlite_checked": 0, "sqlite_agrees": 0})
            s["queries"] += 1
            try:
                expected = duck.execute(sql).fetchall()
            except Exception as e:  # a query DuckDB cannot run is a broken test, reported as a failure
                failures.append((group, sql, f"DuckDB error: {e}"))
                continue
            finally:
                duck.execute("SET TimeZone = 'UTC'")  # a record's SET TimeZone applies to that record only
            ordered = has_top_level_order_by(sql)
            if load_error:
                failures.append((group, sql, load_error))
                continue
            try:
                got = parse_tarn_json(run_tarn(lake, sql=sql))
            except (TarnError, ValueError) as e:
                failures.append((group, sql, f"Tarn error: {e}"))
                continue
            difference = compare(expected, got, ordered)
            if difference:
                failures.append((group, sql, difference))
            else:
                s["passed"] += 1
            reference = sqlite_rows(lite, sql)
            if reference is not None and compare(expected, reference, ordered) is None:
                s["sqlite_checked"] += 1
                if compare(reference, got, ordered) is None:
                    s["sqlite_agrees"] += 1

        print(f"{'group':<22} {'queries':>7} {'passed':>7} {'rate':>8} {'sqlite=duckdb':>14} {'tarn=sqlite':>12}")
        total = passed = 0
        for group, s in stats.items():
            total += s["queries"]
            passed += s["passed"]
            rate = 100.0 * s["passed"] / s["queries"] if s["queries"] else 100.0
            print(f"{group:<22} {s['queries']:>7} {s['passed']:>7} {rate:>7.1f}% {s['sqlite_checked']:>14} {s['sqlite_agrees']:>12}")
        rate = 100.0 * passed / total if total else 100.0
        print(f"{'TOTAL':<22} {total:>7} {passed:>7} {rate:>7.1f}%")
        if failures:
            print(f"\n{len(failures)} failing queries" + ("" if args.verbose else " (first 40; --verbose for all)") + ":")
            for group, sql, why in failures if args.verbose else failures[:40]:
                print(f"- [{group}] {sql}\n    {why}")
        return 1 if failures else 0
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
