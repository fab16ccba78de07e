#!/usr/bin/env python3
"""MERGE INTO, Tarn vs DuckDB, on generated cases: random target and source tables (NULL keys, NULL values, keys on
one side only) and random sets of WHEN clauses of every kind (MATCHED UPDATE / DELETE / DO NOTHING, NOT MATCHED INSERT,
NOT MATCHED BY SOURCE UPDATE / DELETE, each with or without an AND condition, several per kind so order matters).
After each MERGE the target table must hold the same rows in both engines. A source with two rows for one key must
fail in both, leaving the target unchanged in Tarn.

With --deletion-vectors the target has `deletion_vectors = 'true'` (MERGE marks changed rows deleted and reads only the
columns the statement names for the join); without it `'false'` (copy-on-write: the changed files are rewritten),
set explicitly since new tables have deletion vectors by default.

Usage: python3 Tests/differential/merge.py [--cases N] [--seed S] [--keep DIR] [--deletion-vectors]. Exit status 1 on any difference.
"""
import argparse
import os
import random
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import TarnError, compare, ensure_duckdb, parse_tarn_json, run_tarn, sql_literal  # noqa: E402


def table_sql(name, rows):
    values = ", ".join("(" + ", ".join(sql_literal(v) for v in r) + ")" for r in rows)
    ddl = f"CREATE TABLE {name} (id INTEGER, n INTEGER, label VARCHAR);"
    return ddl + (f" INSERT INTO {name} VALUES {values};" if rows else "")


def rows(rng, count, keys):
    out = []
    for k in rng.sample(keys, min(count, len(keys))):
        out.append((k if rng.random() > 0.08 else None, rng.choice([None, rng.randint(-5, 50)]), rng.choice([None, "a", "b", "c"])))
    return out


def clause(rng, kind):
    cond = rng.choice(["", " AND t.n > 10", " AND s.n IS NULL", " AND t.label = 'a'", " AND s.label <> 'b'", " AND t.n < s.n"])
    if kind == "matched":
        cond = cond if "s." in cond or "t." in cond else cond
        action = rng.choice(["UPDATE SET n = s.n", "UPDATE SET n = t.n + 1, label = s.label", "DELETE", "DO NOTHING",
                             "UPDATE SET label = 'm'"])
        return f"WHEN MATCHED{cond} THEN {action}"
    if kind == "insert":
        cond = rng.choice(["", " AND s.n > 10", " AND s.label = 'a'", " AND s.id IS NULL"])
        action = rng.choice(["INSERT VALUES (s.id, s.n, s.label)", "INSERT (id, label) VALUES (s.id, 'new')", "INSERT (n, id) VALUES (s.n * 2, s.id)"])
        return f"WHEN NOT MATCHED{rng.choice(['', ' BY TARGET'])}{cond} THEN {action}"
    cond = rng.choice(["", " AND t.n > 10", " AND t.label = 'b'", " AND t.n IS NULL"])
    action = rng.choice(["DELETE", "UPDATE SET label = 'orphan'", "UPDATE SET n = 0"])
    return f"WHEN NOT MATCHED BY SOURCE{cond} THEN {action}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=60)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep")
    ap.add_argument("--deletion-vectors", action="store_true")
    args = ap.parse_args()
    # New tables have deletion vectors by default: without the flag the target is made copy-on-write explicitly.
    dv = f" ALTER TABLE t SET TBLPROPERTIES ('deletion_vectors' = '{'true' if args.deletion_vectors else 'false'}');"
    duckdb = ensure_duckdb()
    rng = random.Random(args.seed)
    work = args.keep or tempfile.mkdtemp(prefix="tarn-merge-")
    failures = []
    for case in range(args.cases):
        keys = list(range(1, 30))
        target, source = rows(rng, rng.randint(0, 20), keys), rows(rng, rng.randint(0, 15), keys)
        kinds = [rng.choice(["matched", "insert", "source"]) for _ in range(rng.randint(1, 4))]
        merge = "MERGE INTO t USING s ON t.id = s.id " + " ".join(clause(rng, k) for k in kinds)
        setup = table_sql("t", target) + " " + table_sql("s", source)
        lake = os.path.join(work, f"lake{case}")
        con = duckdb.connect()
        con.execute(setup)
        try:
            con.execute(merge)
            duck_error = None
        except Exception as e:  # noqa: BLE001 (DuckDB raises several kinds)
            duck_error = str(e)
        expected = con.execute("SELECT * FROM t").fetchall()
        try:
            run_tarn(lake, setup + dv)
            tarn_error = None
            try:
                run_tarn(lake, merge)
            except TarnError as e:
                tarn_error = str(e)
            got = parse_tarn_json(run_tarn(lake, "SELECT * FROM t"))
        except TarnError as e:
            failures.append(f"case {case}: setup failed in tarn: {e}")
            continue
        if (duck_error is None) != (tarn_error is None):
            failures.append(f"case {case}: DuckDB {'failed: ' + duck_error if duck_error else 'succeeded'}, "
                            f"Tarn {'failed: ' + tarn_error if tarn_error else 'succeeded'}\n    {setup}\n    {merge}")
            continue
        diff = compare(expected, got, ordered=False)
        if diff:
            failures.append(f"case {case}: {diff}\n    {setup}\n    {merge}")

    # Two source rows for one target row: an error, and nothing changes.
    lake = os.path.join(work, "duplicates")
    run_tarn(lake, table_sql("t", [(1, 1, "a"), (2, 2, "b")]) + " " + table_sql("s", [(1, 10, "x"), (1, 11, "y"), (3, 3, "z")]) + dv)
    try:
        run_tarn(lake, "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET n = s.n WHEN NOT MATCHED THEN INSERT *")
        failures.append("a target row matched by two source rows did not fail")
    except TarnError as e:
        if "matches more than one source row" not in str(e):
            failures.append(f"duplicate match: unexpected error {e}")
    after = parse_tarn_json(run_tarn(lake, "SELECT * FROM t ORDER BY id"))
    if after != [(1, 1, "a"), (2, 2, "b")]:
        failures.append(f"duplicate match changed the target: {after}")

    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"merge{' (deletion vectors)' if args.deletion_vectors else ''}: {args.cases} generated MERGE statements and the duplicate-match rule, {len(failures)} differing from DuckDB")
    for f in failures[:10]:
        print("  " + f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
