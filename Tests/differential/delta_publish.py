"""Differential test of `EXPORT TABLE t TO 'dir' (FORMAT delta)`: a Tarn table goes through 13+ versions —
CREATE, INSERTs, DELETE, UPDATE, ADD COLUMN, RESTORE to a version with the older schema, OPTIMIZE — and is
published (with a Parquet checkpoint at version 10, also read alone); then for every version n delta-rs's `DeltaTable(dir, version=n)` must return exactly Tarn's
`SELECT * FROM t VERSION AS OF n` (rows sorted, same column names), `history()` must have one entry per version
with Tarn's operations, and loading by timestamp must pick the version Tarn's commit times say. Re-exporting after
one more commit adds exactly one commit file; after Tarn's VACUUM every published version still reads the same;
Tarn's own delta_scan reads the copy back; PRINT_DDL prints the Spark, Trino and Athena statements.
Installs deltalake and pyarrow with pip when missing.

DuckDB with its delta extension (the `duckdb-extension-delta` wheel on PyPI, pinned with the DuckDB it was built
for, in its own virtual environment under .build-venvs/) reads every version with `delta_scan(dir, version => n)`
and must equal Tarn's `VERSION AS OF n` too; when PyPI cannot be reached that check says so and is skipped
(--no-duckdb-delta skips it always).

With --pyspark (not in CI: installing pyspark alone takes longer than the suite's time budget), PySpark also reads
the latest version's Parquet files (listed by delta-rs; delta-spark itself needs Maven Central) and must return the
same rows.

Usage: python3 Tests/differential/delta_publish.py [--keep DIR] [--pyspark] [--no-duckdb-delta]
Env: TARN_BIN (default .build/debug/tarn in the package).
"""
import argparse
import datetime
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "peers"))
from duckdb_extensions import DUCKDB_VERSION, duckdb_with_extension  # noqa: E402
from delta_common import DeltaTable, canon_expected, canon_tarn, check, compare, ensure, failures, micros_of, q, tarn  # noqa: E402

STEPS = [
    "CREATE TABLE t (id BIGINT, n INTEGER, name VARCHAR, amount DECIMAL(10,2), day DATE, at TIMESTAMP, score DOUBLE, flag BOOLEAN)",
    "INSERT INTO t SELECT g, CAST(g % 17 AS INTEGER), 'name ' || g, CAST(g * 1.25 AS DECIMAL(10,2)), DATE '2024-01-01' + CAST(g % 300 AS INTEGER), "
    "date_add('hour', g, TIMESTAMP '2024-03-01 00:00:00'), g / 7.0, g % 2 = 0 FROM generate_series(1, 400) AS s(g)",
    "INSERT INTO t VALUES (1001, NULL, NULL, NULL, NULL, NULL, NULL, NULL), (1002, 5, 'quote '' and \"dq\"', -3.50, DATE '1999-12-31', TIMESTAMP '1969-07-20 20:17:40.123456', -0.0, true)",
    "DELETE FROM t WHERE id % 5 = 0",
    "UPDATE t SET name = 'updated', score = score * 2 WHERE id < 50",
    "ALTER TABLE t ADD COLUMN note VARCHAR",
    "INSERT INTO t SELECT g, 1, 'late', 1.00, DATE '2025-01-01', TIMESTAMP '2025-01-01 12:00:00', 1.5, false, 'note ' || g FROM generate_series(2000, 2100) AS s(g)",
    "UPDATE t SET note = 'changed' WHERE id BETWEEN 2000 AND 2010",
    "INSERT INTO t SELECT g, 2, 'more', 2.00, DATE '2025-02-01', TIMESTAMP '2025-02-01 00:00:00', 2.5, true, NULL FROM generate_series(3000, 3050) AS s(g)",
    "RESTORE TABLE t TO VERSION AS OF 4",
    "INSERT INTO t SELECT g, 3, 'after restore', 3.00, DATE '2025-03-01', TIMESTAMP '2025-03-01 00:00:00', 3.5, false FROM generate_series(4000, 4020) AS s(g)",
    "DELETE FROM t WHERE id BETWEEN 4000 AND 4005",
    "OPTIMIZE t",
]


def check_pyspark(out, lake):
    """PySpark reads the Parquet files of the latest version (as delta-rs lists them): same rows as Tarn's table."""
    ensure("pyspark", "pyspark")
    os.environ["TZ"] = "UTC"  # Spark hands timestamps to Python as naive local times
    time.tzset()
    from pyspark.sql import SparkSession
    spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false") \
        .config("spark.sql.session.timeZone", "UTC").getOrCreate()
    try:
        dt = DeltaTable(out)
        schema = dt.to_pyarrow_table().schema
        names = schema.names
        frame = spark.read.option("mergeSchema", "true").parquet(*[u.replace("file://", "") for u in dt.file_uris()])
        spark_rows = sorted(repr(tuple(canon_expected(r[n] if n in r.asDict() else None) for n in names)) for r in frame.collect())
        ok2, got = tarn("SELECT * FROM t", lake)
        types = [schema.field(n).type for n in names]
        tarn_rows = sorted(repr(tuple(canon_tarn(v, t) for v, t in zip(r, types))) for r in got) if ok2 else []
        check("pyspark reads the latest version's files", ok2 and len(spark_rows) > 0 and spark_rows == tarn_rows,
              f"{len(spark_rows)} rows in PySpark vs {len(tarn_rows)} in Tarn; first differing: "
              f"{next((a for a, b in zip(spark_rows, tarn_rows) if a != b), None)}")
    finally:
        spark.stop()


DUCKDB_DELTA_READER = r"""
import duckdb, sys
load, table, out, versions = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
con = duckdb.connect()
con.execute(load)
for v in range(versions):
    con.execute(f"COPY (SELECT * FROM delta_scan('{table}', version => {v})) TO '{out}/{v}.parquet' (FORMAT parquet)")
"""


def check_duckdb_delta(out, lake, versions, root):
    """DuckDB's delta extension reads every published version: the same rows and columns as Tarn's VERSION AS OF."""
    try:
        python, load = duckdb_with_extension("delta")
    except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
        print(f"SKIP DuckDB delta extension: {e}")
        return
    results = os.path.join(root, "duckdb_delta")
    os.makedirs(results, exist_ok=True)
    done = subprocess.run([python, "-c", DUCKDB_DELTA_READER, load, out, results, str(versions)], capture_output=True, text=True)
    check("DuckDB's delta extension reads the table", done.returncode == 0, done.stderr.strip()[-600:])
    if done.returncode != 0:
        return
    import pyarrow.parquet as pq
    for v in range(versions):
        compare(f"DuckDB delta_scan version {v}", pq.read_table(os.path.join(results, f"{v}.parquet")),
                f"SELECT * FROM t VERSION AS OF {v}", lake)
    print(f"DuckDB {DUCKDB_VERSION} with its delta extension read {versions} versions")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="write the lake and the Delta copy here and keep them")
    parser.add_argument("--pyspark", action="store_true", help="also read the latest version's files with PySpark")
    parser.add_argument("--no-duckdb-delta", action="store_true", help="skip the check with DuckDB's delta extension")
    args = parser.parse_args()
    root = args.keep or tempfile.mkdtemp(prefix="tarn-delta-publish-")
    if args.keep:
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
    lake = os.path.join(root, "lake")
    out = os.path.join(root, "t_delta")
    try:
        for sql in STEPS:
            ok, err = tarn(sql, lake)
            if not ok:
                print(f"FAIL setting up: {sql[:60]}…: {err}")
                return 1
            time.sleep(0.01)  # distinct commit milliseconds, so timestamp reads have one answer
        ok, history = tarn("DESCRIBE HISTORY t", lake)
        check("describe history", ok, str(history))
        history = sorted(history, key=lambda r: r[0]) if ok else []
        ok, result = tarn(f"EXPORT TABLE t TO '{q(out)}' (FORMAT delta)", lake)
        check("export", ok, str(result))
        if not ok:
            return 1
        latest = len(STEPS) - 1
        commits = sorted(glob.glob(os.path.join(out, "_delta_log", "*.json")))
        check("one commit file per version", len(commits) == latest + 1, f"{len(commits)} commit files for versions 0..{latest}")

        for v in range(latest + 1):
            compare(f"version {v}", DeltaTable(out, version=v), f"SELECT * FROM t VERSION AS OF {v}", lake,
                    tarn_sql_for_columns=f"SELECT * FROM t VERSION AS OF {v}")
        dt = DeltaTable(out)
        check("latest version", dt.version() == latest, f"delta-rs sees version {dt.version()}")
        entries = dt.history()
        check("history has one entry per version", len(entries) == latest + 1, f"{len(entries)} entries")
        ops = [e.get("operation") for e in sorted(entries, key=lambda e: e.get("version", 0))]
        check("history operations", ops == [r[2] for r in history], f"{ops} vs {[r[2] for r in history]}")

        # Timestamps: each commit file's time is the Tarn commit's, so a read at a commit's instant picks that version.
        times = [(r[0], micros_of(r[1]) // 1000) for r in history]
        if times:
            for v, millis in times[1:: max(1, len(times) // 5)]:
                at = datetime.datetime.fromtimestamp(millis / 1000, tz=datetime.timezone.utc)
                probe = DeltaTable(out)
                probe.load_as_version(at)
                check(f"timestamp of version {v}", probe.version() == v, f"delta-rs picked {probe.version()} at {at}")
                compare(f"timestamp read of version {v}", probe, f"SELECT * FROM t VERSION AS OF {v}", lake)
        else:
            check("commit times", False, str(times))

        # The checkpoint at version 10 alone (the commits before it deleted) gives delta-rs and delta_scan the same tables.
        log = os.path.join(out, "_delta_log")
        check("checkpoint written", os.path.exists(os.path.join(log, f"{10:020d}.checkpoint.parquet")), str(os.listdir(log)))
        with open(os.path.join(log, "_last_checkpoint")) as f:
            check("_last_checkpoint", json.load(f).get("version") == 10, "")
        trimmed = os.path.join(root, "checkpoint_only")
        shutil.copytree(out, trimmed)
        for v in range(10):
            os.remove(os.path.join(trimmed, "_delta_log", f"{v:020d}.json"))
        for v in range(10, latest + 1):
            compare(f"from the checkpoint, version {v}", DeltaTable(trimmed, version=v), f"SELECT * FROM t VERSION AS OF {v}", lake)
            compare(f"delta_scan from the checkpoint, version {v}", DeltaTable(trimmed, version=v),
                    f"SELECT * FROM delta_scan('{q(trimmed)}', version => {v})")

        # Tarn reads its own publication back.
        compare("delta_scan of the copy", DeltaTable(out), f"SELECT * FROM delta_scan('{q(out)}')")

        # Re-export: nothing new, then one more commit adds exactly one commit file.
        ok, again = tarn(f"EXPORT TABLE t TO '{q(out)}' (FORMAT delta)", lake)
        check("re-export with nothing new", ok and len(glob.glob(os.path.join(out, "_delta_log", "*.json"))) == latest + 1, str(again))
        ok, err = tarn("INSERT INTO t VALUES (9999, 9, 'last', 9.99, DATE '2026-01-01', TIMESTAMP '2026-01-01 00:00:00', 9.5, true)", lake)
        ok, again = tarn(f"EXPORT TABLE t TO '{q(out)}' (FORMAT delta)", lake)
        check("re-export after one commit", ok and len(glob.glob(os.path.join(out, "_delta_log", "*.json"))) == latest + 2, str(again))
        latest += 1
        compare(f"version {latest} after re-export", DeltaTable(out, version=latest), f"SELECT * FROM t VERSION AS OF {latest}", lake)

        if not args.no_duckdb_delta:
            check_duckdb_delta(out, lake, latest + 1, root)

        # Tarn's VACUUM deletes Tarn's old data files; the Delta copy has its own and keeps every version.
        before = {v: sorted(map(repr, DeltaTable(out, version=v).to_pyarrow_table().to_pylist())) for v in range(latest + 1)}
        ok, err = tarn("VACUUM t RETAIN 0 HOURS", lake)
        check("tarn vacuum", ok, str(err))
        ok, err = tarn("SELECT count(*) FROM t VERSION AS OF 1", lake)
        check("vacuum made old Tarn versions unreadable", not ok, str(err))
        after = {v: sorted(map(repr, DeltaTable(out, version=v).to_pyarrow_table().to_pylist())) for v in range(latest + 1)}
        check("published versions survive Tarn's VACUUM", before == after, "rows changed")
        ok, err = tarn(f"EXPORT TABLE t TO '{q(os.path.join(root, 'fresh'))}' (FORMAT delta)", lake)
        check("first export after VACUUM names it", not ok and "VACUUM" in err, str(err))

        ok, ddl = tarn(f"EXPORT TABLE t TO '{q(out)}' (FORMAT delta, PRINT_DDL)", lake)
        engines = [r[0] for r in ddl] if ok else []
        check("PRINT_DDL", ok and engines == ["spark", "trino", "athena"] and "USING DELTA LOCATION" in ddl[0][1], str(ddl))

        # delta.publish_to keeps a copy in step after every commit.
        kept = os.path.join(root, "kept_delta")
        steps = ["CREATE TABLE k AS SELECT * FROM generate_series(1, 10) AS g(x)",
                 f"ALTER TABLE k SET TBLPROPERTIES ('delta.publish_to' = '{q(kept)}')",
                 "INSERT INTO k VALUES (11)", "DELETE FROM k WHERE x < 3", "UPDATE k SET x = x * 10 WHERE x > 9"]
        for sql in steps:
            ok, err = tarn(sql, lake)
            check(f"publish_to: {sql[:40]}", ok, str(err))
        ok, hist = tarn("DESCRIBE HISTORY k", lake)
        newest = max(r[0] for r in hist) if ok else -1
        check("publish_to keeps the copy current", DeltaTable(kept).version() == newest, f"{DeltaTable(kept).version()} vs {newest}")
        compare("publish_to latest", DeltaTable(kept), "SELECT * FROM k", lake)

        if args.pyspark:
            check_pyspark(out, lake)

        print(f"delta_publish: {latest + 1} versions compared with delta-rs, {len(failures)} failures")
        return 1 if failures else 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
