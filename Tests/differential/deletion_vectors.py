#!/usr/bin/env python3
"""Deletion vectors (`deletion_vectors = 'true'`), Tarn vs DuckDB: a generated sequence of DELETE / UPDATE / MERGE /
INSERT on a 300,000-row table (files of several row groups, whole row groups deleted, consecutive ids so the
sequence-chunk answers apply, a dictionary label column emptied of one value) runs in both engines; DuckDB keeps a
copy of every version. Then, for every Tarn version (VERSION AS OF): count(*), fused sums, count(DISTINCT), filters,
point lookups and a GROUP BY equal DuckDB's copy; table_changes of each version equals the difference of the
neighbouring versions (EXCEPT ALL both ways, in DuckDB); EXPORT TABLE … (FORMAT delta) read back by delta-rs equals
every version; OPTIMIZE drops the vectors and keeps the rows and the time travel; VACUUM then `tarn check` is clean.
Some consecutive statements run as one `BEGIN … COMMIT` block (one Tarn version; its statements read the block's own
marks), and one block ends in ROLLBACK (nothing changes).

Usage: python3 Tests/differential/deletion_vectors.py [--seed S] [--steps N] [--keep DIR]. Exit status 1 on a difference.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import TarnError, ensure_duckdb, parse_tarn_json, run_tarn, tarn_binary  # noqa: E402

ROWS = 300_000

QUERIES = [
    "SELECT count(*) FROM {t}",
    "SELECT sum(v), count(*) FROM {t}",
    "SELECT count(*), sum(id), sum(v), sum(k), min(id), max(id), count(DISTINCT label), sum(length(label)) FROM {t}",
    "SELECT count(*), sum(v) FROM {t} WHERE id BETWEEN 120000 AND 130000",
    "SELECT count(*), sum(v) FROM {t} WHERE id >= 250000",
    "SELECT id, k, v, label FROM {t} WHERE id = 7",
    "SELECT id, k, v, label FROM {t} WHERE id = 123457",
    "SELECT id, k, v, label FROM {t} WHERE id = 299999",
    "SELECT label, count(*), sum(v), sum(id % 1000) FROM {t} GROUP BY label ORDER BY label",
    "SELECT id % 97 AS b, count(*), sum(v) FROM {t} GROUP BY b ORDER BY b",
]


def operations(rng, steps):
    """The generated statements (the same SQL in both engines)."""
    out = []
    for _ in range(steps):
        kind = rng.choice(["delete_spread", "delete_range", "update", "merge", "merge", "insert", "delete_label"])
        if kind == "delete_spread":
            m = rng.randint(5, 13)
            out.append(f"DELETE FROM t WHERE id % {m} = {rng.randint(0, m - 1)}")
        elif kind == "delete_range":
            a = rng.randint(0, ROWS)
            out.append(f"DELETE FROM t WHERE id BETWEEN {a} AND {a + rng.choice([50, 5000, 130000])}")
        elif kind == "delete_label":
            out.append(f"DELETE FROM t WHERE label = 'l{rng.randint(0, 39)}'")
        elif kind == "update":
            m = rng.randint(3, 17)
            out.append(f"UPDATE t SET v = v + {rng.randint(1, 99)}, label = 'u{rng.randint(0, 3)}' WHERE id % {m} = {rng.randint(0, m - 1)}")
        elif kind == "insert":
            a = rng.randint(ROWS, ROWS * 2)
            out.append(f"INSERT INTO t SELECT generate_series AS id, generate_series % 10 AS k, generate_series * 3 AS v, "
                       f"'n' || (generate_series % 4) AS label FROM generate_series({a}, {a + rng.randint(10, 3000)})")
        else:
            a = rng.randint(0, ROWS * 2)
            step = rng.choice([1, 7, 101])
            out.append(
                f"MERGE INTO t USING (SELECT generate_series AS id, generate_series % 5 AS x FROM generate_series({a}, {a + rng.randint(100, 40000)}, {step})) s "
                "ON t.id = s.id "
                "WHEN MATCHED AND s.x = 0 THEN DELETE "
                f"WHEN MATCHED AND s.x < 3 THEN UPDATE SET v = t.v * 2 + s.x, label = 'm{rng.randint(0, 2)}' "
                "WHEN NOT MATCHED AND s.x = 4 THEN INSERT VALUES (s.id, s.x, s.id, 'ins')")
    return out


def blocks(rng, ops):
    """The statements grouped into units: a single statement, or 2-4 consecutive ones as a transaction block."""
    out, i = [], 0
    while i < len(ops):
        n = rng.choice([1, 1, 2, 3, 4])
        out.append(ops[i:i + n])
        i += n
    return out


def multiset_diff(con, left, right):
    """Rows of `left` EXCEPT ALL `right` (both SQL table expressions), sorted."""
    return sorted(con.execute(f"SELECT * FROM ({left}) EXCEPT ALL SELECT * FROM ({right})").fetchall(), key=repr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--keep")
    args = ap.parse_args()
    duckdb = ensure_duckdb()
    rng = random.Random(args.seed)
    work = args.keep or tempfile.mkdtemp(prefix="tarn-dv-")
    lake = os.path.join(work, "lake")
    failures = []
    con = duckdb.connect()

    setup = ("CREATE TABLE t (id BIGINT, k INTEGER, v BIGINT, label VARCHAR); "
             f"INSERT INTO t SELECT generate_series AS id, generate_series % 10 AS k, generate_series * 3 AS v, "
             f"'l' || (generate_series % 40) AS label FROM generate_series(0, {ROWS - 1})")
    run_tarn(lake, setup + "; ALTER TABLE t SET TBLPROPERTIES ('deletion_vectors' = 'true'); "
             "INSERT INTO t VALUES (900000, 1, 1, 'x'), (900001, 2, NULL, NULL)")
    con.execute(setup + "; INSERT INTO t VALUES (900000, 1, 1, 'x'), (900001, 2, NULL, NULL)")
    versions = {}   # Tarn version -> DuckDB copy table

    def latest_version():
        return max(r[0] for r in parse_tarn_json(run_tarn(lake, "DESCRIBE HISTORY t")))

    version = latest_version()
    con.execute(f"CREATE TABLE v{version} AS SELECT * FROM t")
    versions[version] = f"v{version}"
    ops = operations(rng, args.steps)
    units = blocks(random.Random(args.seed + 1), ops)
    # A block that rolls back: its statements change nothing.
    rolled_back = operations(random.Random(args.seed + 2), 3)
    units.insert(len(units) // 2, rolled_back + ["ROLLBACK"])
    for unit in units:
        if unit[-1] == "ROLLBACK":
            sql = "BEGIN; " + "; ".join(unit)
        elif len(unit) > 1:
            sql = "BEGIN; " + "; ".join(unit) + "; COMMIT"
        else:
            sql = unit[0]
        try:
            run_tarn(lake, sql)
        except TarnError as e:
            failures.append(f"{sql}: {e}")
            continue
        if unit[-1] != "ROLLBACK":
            con.execute(sql)
        now = latest_version()
        if now != version:
            version = now
            con.execute(f"CREATE TABLE v{version} AS SELECT * FROM t")
            versions[version] = f"v{version}"
    history = parse_tarn_json(run_tarn(lake, "DESCRIBE HISTORY t"))
    operations_seen = [r[2] for r in history]
    if not {"DELETE", "UPDATE", "MERGE"} & set(operations_seen):
        failures.append(f"the sequence made no DELETE / UPDATE / MERGE version: {operations_seen}")

    def check_reads(label, table_expr, copy):
        script = os.path.join(work, "queries.sql")
        with open(script, "w") as f:
            for q in QUERIES:
                f.write(q.format(t=table_expr) + ";\n")
        out = subprocess.run([tarn_binary(), lake, "--format", "csv", "-f", script], capture_output=True, text=True)
        if out.returncode != 0:
            failures.append(f"{label}: {out.stderr.strip()[:300]}")
            return
        got = out.stdout
        expected_parts = []
        for q in QUERIES:
            rows = con.execute(q.format(t=copy)).fetchall()
            expected_parts.append(rows)
        # Tarn's csv output: each result with its header line; compare value lines per query.
        blocks = [b for b in got.strip().split("\n")]
        cursor = 0
        for q, rows in zip(QUERIES, expected_parts):
            cursor += 1   # header
            for row in rows:
                line = blocks[cursor] if cursor < len(blocks) else "<missing>"
                cursor += 1
                want = ",".join("" if v is None else str(v) for v in row)
                if line != want:
                    failures.append(f"{label}: {q.format(t='t')}: Tarn {line!r}, DuckDB {want!r}")
                    return
        if cursor != len(blocks):
            failures.append(f"{label}: Tarn printed {len(blocks) - cursor} more lines than DuckDB's results")

    for v, copy in sorted(versions.items()):
        check_reads(f"version {v}", f"t VERSION AS OF {v}", copy)
    check_reads("latest", "t", "t")

    # The change data feed of each version against the difference of its neighbours.
    ordered = sorted(versions)
    for prev, cur in zip(ordered, ordered[1:]):
        # Tarn's CSV of the version's changes, read by DuckDB (NULL as an empty field).
        feed = os.path.join(work, "changes.csv")
        with open(feed, "w") as f:
            f.write(run_tarn(lake, f"SELECT id, k, v, label, _change_type FROM table_changes('t', {cur}, {cur})", fmt="csv"))
        columns = "{'id': 'BIGINT', 'k': 'INTEGER', 'v': 'BIGINT', 'label': 'VARCHAR', '_change_type': 'VARCHAR'}"
        for table, kinds in [("cdf_del", "('delete', 'update_preimage')"), ("cdf_ins", "('insert', 'update_postimage')")]:
            con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT id, k, v, label FROM read_csv('{feed}', header = true, "
                        f"columns = {columns}) WHERE _change_type IN {kinds}")
        for what, a, b, c, d in [("deleted", "cdf_del", "cdf_ins", versions[prev], versions[cur]),
                                 ("inserted", "cdf_ins", "cdf_del", versions[cur], versions[prev])]:
            if multiset_diff(con, f"SELECT * FROM {a}", f"SELECT * FROM {b}") != multiset_diff(con, f"SELECT * FROM {c}", f"SELECT * FROM {d}"):
                failures.append(f"table_changes of version {cur}: the {what} rows differ from v{prev} / v{cur} EXCEPT ALL")

    # Delta export, every version read back by delta-rs.
    out = os.path.join(work, "delta")
    try:
        run_tarn(lake, f"EXPORT TABLE t TO '{out}' (FORMAT delta)")
        from delta_common import DeltaTable  # installs deltalake / pyarrow when missing
        for v, copy in sorted(versions.items()):
            con.register("delta_version", DeltaTable(out, version=v).to_pyarrow_table())
            expr = "SELECT id, k, v, label FROM delta_version"
            if multiset_diff(con, expr, f"SELECT * FROM {copy}") or multiset_diff(con, f"SELECT * FROM {copy}", expr):
                failures.append(f"Delta export: version {v} read by delta-rs differs from DuckDB's copy")
    except TarnError as e:
        failures.append(f"Delta export: {e}")

    # OPTIMIZE rewrites the files with deleted rows; rows and time travel stay.
    optimized = parse_tarn_json(run_tarn(lake, "OPTIMIZE t"))
    check_reads("after OPTIMIZE", "t", "t")
    middle = ordered[len(ordered) // 2]
    check_reads(f"version {middle} after OPTIMIZE", f"t VERSION AS OF {middle}", versions[middle])
    run_tarn(lake, "VACUUM t RETAIN 0 HOURS")
    check_reads("after VACUUM", "t", "t")
    check = subprocess.run([tarn_binary(), "check", lake], capture_output=True, text=True)
    if check.returncode != 0:
        failures.append(f"tarn check after VACUUM: {check.stdout.strip()[-300:]} {check.stderr.strip()[-300:]}")

    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"deletion_vectors: {len(ops)} statements ({sum(len(u) > 1 for u in units)} blocks), {len(versions)} versions × {len(QUERIES)} queries, table_changes, "
          f"Delta export, OPTIMIZE {optimized} and VACUUM vs DuckDB; {len(failures)} differences")
    for f in failures[:10]:
        print("  " + f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
