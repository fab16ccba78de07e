"""Differential test of Tarn's Parquet writing and loading (issue 16).

1. `COPY (query) TO 'f.parquet'` with every codec and several row groups: pyarrow and DuckDB read the file back
   with the rows Tarn's own query gives, the logical types Tarn promises (BIGINT→int64, INTEGER→int32, DOUBLE,
   BOOLEAN, VARCHAR→string, DATE→date32, DECIMAL(p,s)→decimal(p,s), TIMESTAMP→timestamp[us, UTC]), the
   codec asked for, page checksums that pyarrow verifies, and each row group's min/max/null_count equal to
   what pyarrow computes from that row group's rows.
2. `COPY … TO 'dir' (FORMAT parquet, PARTITION_BY (…))`: DuckDB reading the folder with hive_partitioning gets
   the source query's rows; a second COPY into the non-empty folder fails unless OVERWRITE_OR_IGNORE.
3. `COPY INTO t FROM 'dir' FORMAT parquet` over pyarrow-written files: Tarn's table equals pyarrow's rows;
   a rerun loads nothing; a new file is loaded alone; MERGE SCHEMA adds a new column.
Installs pyarrow and duckdb with pip when missing. Exits non-zero on any mismatch.

Usage: python3 Tests/differential/parquet_write.py [--rows N] [--keep DIR]
Env: TARN_BIN (default: the package's release, then debug build).
"""
import argparse
import datetime
import decimal
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import compare, ensure_duckdb, parse_tarn_json, run_tarn, TarnError  # noqa: E402


def ensure_pyarrow():
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pyarrow"], check=True)
    import pyarrow
    import pyarrow.parquet
    return pyarrow, pyarrow.parquet


pa, pq = ensure_pyarrow()
duckdb = ensure_duckdb()

# The source query: every type Tarn writes, NULLs at different rates, repeating values (dictionary pages) and
# unique ones (PLAIN pages).
SOURCE = """
SELECT i AS id,
       CAST(i % 1000 AS INTEGER) - 500 AS small,
       CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1000003 - 9000000000 END AS big,
       CASE WHEN i % 11 = 0 THEN NULL ELSE CAST(i AS DOUBLE) / 7 END AS ratio,
       CASE WHEN i % 5 = 0 THEN NULL ELSE 'channel_' || (i % 37) END AS channel,
       'campaign ' || i || ' ✓' AS campaign,
       CASE WHEN i % 13 = 0 THEN NULL ELSE DATE '2020-01-01' + (i % 2000) END AS day,
       CASE WHEN i % 17 = 0 THEN NULL ELSE CAST(CAST(i AS DECIMAL(12,2)) / 8 - 100 AS DECIMAL(12,2)) END AS price,
       CASE WHEN i % 19 = 0 THEN NULL ELSE from_unixtime(1700000000 + i * 37) END AS ts,
       CASE WHEN i % 23 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,
       CASE WHEN i % 4 = 0 THEN NULL ELSE 'c' || (i % 3) END AS country
FROM generate_series(1, {rows}) t(i)
"""

ARROW_TYPES = {"id": "int64", "small": "int32", "big": "int64", "ratio": "double", "channel": "string", "campaign": "string",
               "day": "date32[day]", "price": "decimal128(12, 2)", "ts": "timestamp[us, tz=UTC]", "flag": "bool", "country": "string"}
DUCKDB_TYPES = {"id": "BIGINT", "small": "INTEGER", "big": "BIGINT", "ratio": "DOUBLE", "channel": "VARCHAR", "campaign": "VARCHAR",
                "day": "DATE", "price": "DECIMAL(12,2)", "ts": "TIMESTAMP WITH TIME ZONE", "flag": "BOOLEAN", "country": "VARCHAR"}
CODEC_NAMES = {"zstd": "ZSTD", "snappy": "SNAPPY", "gzip": "GZIP", "uncompressed": "UNCOMPRESSED"}


def tarn_rows(lake, sql):
    return parse_tarn_json(run_tarn(lake, sql))


def naive(value):
    """pyarrow gives UTC timestamps as aware datetimes; compare them as UTC wall-clock times."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


def arrow_rows(table):
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return [tuple(naive(v) for v in row) for row in zip(*columns)]


def duckdb_rows(con, relation_sql):
    # TIMESTAMP WITH TIME ZONE comes back as naive UTC times once cast (the session is in UTC).
    cols = [r[0] for r in con.execute(f"DESCRIBE {relation_sql}").fetchall()]
    types = [r[1] for r in con.execute(f"DESCRIBE {relation_sql}").fetchall()]
    select = ", ".join(f'CAST("{c}" AS TIMESTAMP) AS "{c}"' if t == "TIMESTAMP WITH TIME ZONE" else f'"{c}"' for c, t in zip(cols, types))
    return con.execute(f"SELECT {select} FROM ({relation_sql})").fetchall()


def check(report, label, problem):
    (report["failed"] if problem else report["passed"]).append(label + (f": {problem}" if problem else ""))


def extreme(values, pick):
    present = [v for v in values if v is not None]
    return pick(present) if present else None


def write_and_read_back(work, lake, rows, report, con):
    expected = tarn_rows(lake, SOURCE.format(rows=rows))
    group = max(1, rows // 4 + 7)
    for codec in ("zstd", "snappy", "gzip", "uncompressed"):
        path = os.path.join(work, f"out_{codec}.parquet")
        run_tarn(lake, f"COPY ({SOURCE.format(rows=rows)}) TO '{path}' (FORMAT parquet, COMPRESSION {codec}, ROW_GROUP_SIZE {group})")
        label = f"COPY TO parquet ({codec}, row groups of {group})"
        meta = pq.ParquetFile(path).metadata
        table = pq.read_table(path)
        types = {f.name: str(f.type) for f in table.schema}
        check(report, label + ": pyarrow types", None if types == ARROW_TYPES else f"{types}")
        check(report, label + ": pyarrow rows", compare(expected, arrow_rows(table), ordered=True))
        try:
            pq.ParquetFile(path, page_checksum_verification=True).read()
            check(report, label + ": page checksums verified by pyarrow", None)
        except Exception as e:  # noqa: BLE001
            check(report, label + ": page checksums verified by pyarrow", str(e)[:200])
        codecs = {meta.row_group(g).column(c).compression for g in range(meta.num_row_groups) for c in range(meta.num_columns)}
        check(report, label + ": codec", None if codecs == {CODEC_NAMES[codec]} else f"{codecs}")
        wanted_groups = (rows + group - 1) // group
        check(report, label + ": row groups", None if meta.num_row_groups == wanted_groups else f"{meta.num_row_groups} for {wanted_groups}")
        # Statistics of every row group and column against pyarrow's own reading of that group's rows.
        problem = None
        pf = pq.ParquetFile(path)
        for g in range(meta.num_row_groups):
            group_table = pf.read_row_group(g)
            for c in range(meta.num_columns):
                stats = meta.row_group(g).column(c).statistics
                values = [naive(v) for v in group_table.column(c).to_pylist()]
                nulls = sum(v is None for v in values)
                lo, hi = extreme(values, min), extreme(values, max)
                got_lo = naive(stats.min) if stats is not None and stats.has_min_max else None
                got_hi = naive(stats.max) if stats is not None and stats.has_min_max else None
                if stats is None or stats.null_count != nulls or got_lo != lo or got_hi != hi:
                    problem = (f"row group {g} column {meta.schema.column(c).name}: stats "
                               f"{None if stats is None else (stats.null_count, got_lo, got_hi)}, rows give {(nulls, lo, hi)}")
                    break
            if problem:
                break
        check(report, label + ": statistics", problem)
        dtypes = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()}
        check(report, label + ": DuckDB types", None if dtypes == DUCKDB_TYPES else f"{dtypes}")
        check(report, label + ": DuckDB rows", compare(expected, duckdb_rows(con, f"SELECT * FROM read_parquet('{path}') ORDER BY id"), ordered=True))
        back = tarn_rows(lake, f"SELECT * FROM read_parquet('{path}') ORDER BY id")
        check(report, label + ": Tarn reads its own file", compare(expected, back, ordered=True))

    # The format from the extension, and COPY table TO.
    run_tarn(lake, f"CREATE TABLE IF NOT EXISTS src AS {SOURCE.format(rows=rows)}")
    path = os.path.join(work, "from_table.parquet")
    run_tarn(lake, f"COPY src TO '{path}'")
    check(report, "COPY table TO 'x.parquet' (format from the extension)",
          compare(expected, duckdb_rows(con, f"SELECT * FROM read_parquet('{path}') ORDER BY id"), ordered=True))


def partitioned(work, lake, rows, report, con):
    folder = os.path.join(work, "parts")
    source = SOURCE.format(rows=rows)
    run_tarn(lake, f"COPY ({source}) TO '{folder}' (FORMAT parquet, PARTITION_BY (country, day))")
    files = [os.path.join(d, f) for d, _, fs in os.walk(folder) for f in fs]
    stored = pq.read_table(files[0]).schema.names
    check(report, "PARTITION_BY: partition columns are not stored in the files",
          None if "country" not in stored and "day" not in stored else f"{stored}")
    check(report, "PARTITION_BY: Hive folder layout", None if all(
        os.path.relpath(f, folder).split(os.sep)[0].startswith("country=") and os.path.relpath(f, folder).split(os.sep)[1].startswith("day=")
        and f.endswith(".parquet") for f in files) else f"{files[:3]}")
    columns = "id, small, big, ratio, channel, campaign, CAST(day AS DATE) AS day, price, ts, flag, country"
    expected = tarn_rows(lake, f"SELECT {columns} FROM ({source}) s ORDER BY id")
    got = duckdb_rows(con, f"SELECT {columns} FROM read_parquet('{folder}/**/*.parquet', hive_partitioning = true) ORDER BY id")
    check(report, f"PARTITION_BY (country, day): DuckDB hive_partitioning read equals the query ({len(files)} files)",
          compare(expected, got, ordered=True))
    try:
        run_tarn(lake, f"COPY ({source}) TO '{folder}' (FORMAT parquet, PARTITION_BY (country, day))")
        check(report, "PARTITION_BY into a non-empty folder is refused", "it was accepted")
    except TarnError as e:
        check(report, "PARTITION_BY into a non-empty folder is refused", None if "OVERWRITE_OR_IGNORE" in str(e) else str(e))
    run_tarn(lake, f"COPY ({source} WHERE i % 2 = 0) TO '{folder}' (FORMAT parquet, PARTITION_BY (country, day), OVERWRITE_OR_IGNORE)")
    got = duckdb_rows(con, f"SELECT {columns} FROM read_parquet('{folder}/**/*.parquet', hive_partitioning = true) ORDER BY id")
    # A partition the even rows reach now holds exactly its even rows (its file was replaced); a partition only
    # odd rows had keeps its old file.
    key = lambda r: (r[10], r[6])  # noqa: E731  (country, day)
    touched = {key(r) for r in expected if r[0] % 2 == 0}
    after = [r for r in expected if (r[0] % 2 == 0) or key(r) not in touched]
    check(report, "OVERWRITE_OR_IGNORE replaces the files of the partitions written and keeps the others",
          compare(after, got, ordered=True))


def copy_into(work, lake, report):
    folder = os.path.join(work, "landing")
    os.makedirs(folder)
    tables = []
    for k in range(3):
        n = 500 + k * 100
        base = k * 10_000
        t = pa.table({
            "id": pa.array(range(base, base + n), pa.int64()),
            "clicks": pa.array([None if i % 9 == 0 else i % 1000 for i in range(n)], pa.int32()),
            "spend": pa.array([None if i % 7 == 0 else i * 0.25 for i in range(n)], pa.float64()),
            "channel": pa.array([None if i % 5 == 0 else ["search", "social", "video"][i % 3] for i in range(n)], pa.string()),
            "day": pa.array([datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 90) for i in range(n)], pa.date32()),
            "at": pa.array([datetime.datetime(2024, 5, 1) + datetime.timedelta(seconds=i * 61) for i in range(n)], pa.timestamp("us")),
            "budget": pa.array([decimal.Decimal(i * 3) / 100 for i in range(n)], pa.decimal128(10, 2)),
            "active": pa.array([i % 2 == 0 for i in range(n)], pa.bool_()),
        })
        pq.write_table(t, os.path.join(folder, f"part-{k}.parquet"), compression=["zstd", "snappy", "gzip"][k], row_group_size=256)
        tables.append(t)
    expected = [r for t in tables for r in arrow_rows(t)]
    out = tarn_rows(lake, f"COPY INTO landed FROM '{folder}' FORMAT parquet")
    check(report, "COPY INTO from pyarrow files: 3 files loaded", None if out and out[0][0] == 3 and out[0][1] == len(expected) else f"{out}")
    got = tarn_rows(lake, "SELECT id, clicks, spend, channel, day, at, budget, active FROM landed ORDER BY id")
    check(report, "COPY INTO from pyarrow files: rows equal pyarrow's", compare(expected, got, ordered=True))
    out = tarn_rows(lake, f"COPY INTO landed FROM '{folder}' FORMAT parquet")
    check(report, "COPY INTO rerun loads nothing new", None if out and out[0][0] == 0 and out[0][1] == 0 and out[0][3] == 3 else f"{out}")
    extra = pa.table({"id": pa.array([99_999], pa.int64()), "clicks": pa.array([1], pa.int32()), "note": ["new column"]})
    pq.write_table(extra, os.path.join(folder, "part-9.parquet"))
    try:
        run_tarn(lake, f"COPY INTO landed FROM '{folder}' FORMAT parquet")
        check(report, "COPY INTO a file with a new column needs MERGE SCHEMA", "it was loaded")
    except TarnError as e:
        check(report, "COPY INTO a file with a new column needs MERGE SCHEMA", None if "MERGE SCHEMA" in str(e) else str(e))
    out = tarn_rows(lake, f"COPY INTO landed FROM '{folder}' FORMAT parquet MERGE SCHEMA")
    got = tarn_rows(lake, "SELECT count(*), count(note), max(note) FROM landed")
    check(report, "COPY INTO … MERGE SCHEMA loads only the new file and adds its column",
          None if out[0][0] == 1 and out[0][3] == 3 and got == [(len(expected) + 1, 1, "new column")] else f"{out} {got}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--keep", help="keep the files in this folder")
    args = parser.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="tarn-parquet-write-")
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
    lake = os.path.join(work, "lake")
    report = {"passed": [], "failed": []}
    started = time.time()
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    try:
        for step in (lambda: write_and_read_back(work, lake, args.rows, report, con),
                     lambda: partitioned(work, lake, min(args.rows, 5_000), report, con),
                     lambda: copy_into(work, lake, report)):
            try:
                step()
            except TarnError as e:
                report["failed"].append(f"tarn failed: {e}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    for line in report["failed"]:
        print("FAIL", line)
    print(f"parquet_write: {len(report['passed'])} checks passed, {len(report['failed'])} failed ({time.time() - started:.1f} s)")
    sys.exit(1 if report["failed"] else 0)


if __name__ == "__main__":
    main()
