"""Differential test of `read_parquet`: pyarrow writes Parquet files covering every supported physical and
logical type, encoding, codec and data page version (several row groups and pages, NULLs), DuckDB writes a few
more, Tarn reads them with `SELECT * FROM read_parquet(...)`, and its rows must equal pyarrow's own reading row
by row. The apache/parquet-testing files vendored in testdata/parquet-testing/ are read the same way. Also checks
multi-file folder/glob reads, parquet_metadata's statistics, page checksums, and that
unsupported features (lists of lists, brotli) and damaged files fail with an error, never a crash.
Installs pyarrow with pip when missing. Exits non-zero on any mismatch.

Usage: python3 Tests/differential/parquet_read.py [--rows N] [--keep DIR]
Env: TARN_BIN (default .build/debug/tarn in the package).
"""
import argparse
import datetime
import decimal
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(os.path.dirname(HERE))


def ensure_pyarrow():
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pyarrow"], check=True)
    import pyarrow
    import pyarrow.parquet
    return pyarrow, pyarrow.parquet


pa, pq = ensure_pyarrow()


def tarn_binary():
    if os.environ.get("TARN_BIN"):
        return os.environ["TARN_BIN"]
    return os.path.join(PACKAGE_ROOT, ".build", "debug", "tarn")


def run_tarn(lake, sql):
    """(ok, stdout or error text, exit code). A crash (signal) is reported as a negative exit code."""
    done = subprocess.run([tarn_binary(), lake, "--format", "json", "-c", sql], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        return False, (done.stderr or done.stdout).strip()[:400], done.returncode
    return True, done.stdout, 0


def explain_counter(lake, sql, name):
    """The figure `name=N` on the scan's line of `EXPLAIN ANALYZE sql` (0 when absent)."""
    _, out, _ = run_tarn(lake, "EXPLAIN ANALYZE " + sql)
    for part in out.split():
        if part.startswith(name + "="):
            return int(part.split("=")[1].rstrip('",)}'))
    return 0


def parse_rows(text):
    text = text.strip()
    if not text:
        return []
    start = text.find("[")
    rows = json.loads(text[start:], parse_float=decimal.Decimal, object_pairs_hook=lambda pairs: [v for _, v in pairs])
    return rows


# ---------------------------------------------------------------------------------------------- data

EPOCH = datetime.datetime(1970, 1, 1)
UNIT_NANOS = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1000, "ns": 1}


def make_table(rows, seed):
    """Every flat type read_parquet maps, about 10% NULLs in the nullable columns."""
    rng = random.Random(seed)

    def maybe(values, nulls=True, rate=0.1):
        return [None if nulls and rng.random() < rate else v for v in values]

    def ints(lo, hi):
        return [rng.randint(lo, hi) for _ in range(rows)]

    words = ["alpha", "beta", "gamma", "delta", "épsilon", "zeta", "", "a much longer string value " * 3]
    ts_us = [rng.randint(-2_000_000_000_000_000, 4_000_000_000_000_000) for _ in range(rows)]
    # Sorted prefixes make DELTA_BYTE_ARRAY share prefixes.
    prefixed = sorted("customer-%06d-%s" % (rng.randint(0, 999999), rng.choice(words)) for _ in range(rows))
    cols = {
        "bool_col": pa.array(maybe([rng.random() < 0.5 for _ in range(rows)]), pa.bool_()),
        "int8_col": pa.array(maybe(ints(-128, 127)), pa.int8()),
        "int16_col": pa.array(maybe(ints(-32768, 32767)), pa.int16()),
        "int32_col": pa.array(maybe(ints(-2**31, 2**31 - 1)), pa.int32()),
        "int64_col": pa.array(maybe(ints(-2**63, 2**63 - 1)), pa.int64()),
        "uint8_col": pa.array(maybe(ints(0, 255)), pa.uint8()),
        "uint16_col": pa.array(maybe(ints(0, 65535)), pa.uint16()),
        "uint32_col": pa.array(maybe(ints(0, 2**32 - 1)), pa.uint32()),
        "uint64_col": pa.array(maybe(ints(0, 2**63 - 1)), pa.uint64()),
        "required_int_col": pa.array(ints(-1000, 1000), pa.int32()),
        "small_range_col": pa.array(maybe(ints(100, 110)), pa.int64()),
        # NULLs in a few pages only: batches whose first pages have none and later ones do.
        "sparse_null_col": pa.array(maybe(ints(-10**12, 10**12), rate=0.003), pa.int64()),
        "sparse_null_str_col": pa.array(maybe(["s%d" % rng.randint(0, 20) for _ in range(rows)], rate=0.003), pa.string()),
        "float_col": pa.array(maybe([rng.uniform(-1e6, 1e6) for _ in range(rows)]), pa.float32()),
        "double_col": pa.array(maybe([rng.uniform(-1e12, 1e12) for _ in range(rows)]), pa.float64()),
        "string_col": pa.array(maybe(["%s-%d" % (rng.choice(words), rng.randint(0, 10**6)) for _ in range(rows)]), pa.string()),
        "category_col": pa.array(maybe([rng.choice(words) for _ in range(rows)]), pa.string()),
        "prefixed_col": pa.array(maybe(prefixed), pa.string()),
        "binary_col": pa.array(maybe([("b%d" % rng.randint(0, 999)).encode() for _ in range(rows)]), pa.binary()),
        "date_col": pa.array(maybe(ints(-50000, 50000)), pa.int32()).cast(pa.date32()),
        "ts_ms_col": pa.array(maybe([t // 1000 for t in ts_us]), pa.int64()).cast(pa.timestamp("ms")),
        "ts_us_col": pa.array(maybe(ts_us), pa.int64()).cast(pa.timestamp("us", tz="UTC")),
        "ts_ns_col": pa.array(maybe([rng.randint(-2**62, 2**62) for _ in range(rows)]), pa.int64()).cast(pa.timestamp("ns")),
        "time_ms_col": pa.array(maybe(ints(0, 86_399_999)), pa.int32()).cast(pa.time32("ms")),
        "time_us_col": pa.array(maybe(ints(0, 86_399_999_999)), pa.int64()).cast(pa.time64("us")),
        "time_ns_col": pa.array(maybe(ints(0, 86_399_999_999_999)), pa.int64()).cast(pa.time64("ns")),
        "dec9_col": pa.array(maybe([decimal.Decimal(rng.randint(-10**9 + 1, 10**9 - 1)).scaleb(-2) for _ in range(rows)]), pa.decimal128(9, 2)),
        "dec18_col": pa.array(maybe([decimal.Decimal(rng.randint(-10**18 + 1, 10**18 - 1)).scaleb(-6) for _ in range(rows)]), pa.decimal128(18, 6)),
        "dec38_col": pa.array(maybe([decimal.Decimal(rng.randint(-10**30, 10**30)).scaleb(-10) for _ in range(rows)]), pa.decimal128(38, 10)),
        "fixed_col": pa.array(maybe([("f%04d" % rng.randint(0, 9999)).encode() for _ in range(rows)]), pa.binary(5)),
    }
    try:  # FLOAT16 and UUID need a recent pyarrow
        import numpy
        halves = numpy.array([rng.uniform(-60000, 60000) for _ in range(rows)], dtype=numpy.float16)
        cols["half_col"] = pa.array(halves, pa.float16(), mask=numpy.array([rng.random() < 0.1 for _ in range(rows)]))
        cols["uuid_col"] = pa.array(maybe([uuid.UUID(int=rng.getrandbits(128)).bytes for _ in range(rows)]), pa.uuid())
    except (ImportError, AttributeError):
        pass
    return pa.table(cols)


# ------------------------------------------------------------------------------------- expected rows

def expected_rows(path):
    """pyarrow's reading of the file, normalised: timestamps as epoch micros, times as micros of day."""
    # INT96 read as microseconds: as nanoseconds (pyarrow's default) dates outside 1677..2262 overflow.
    table = pq.read_table(path, coerce_int96_timestamp_unit="us")
    columns = []
    for field, column in zip(table.schema, table.columns):
        t = field.type
        if pa.types.is_timestamp(t):
            raw = column.cast(pa.int64()).to_pylist()
            f = UNIT_NANOS[t.unit]
            columns.append([None if v is None else (v * f) // 1000 for v in raw])
        elif pa.types.is_time(t):
            raw = column.cast(pa.int32() if pa.types.is_time32(t) else pa.int64()).to_pylist()
            f = UNIT_NANOS[t.unit]
            columns.append([None if v is None else (v * f) // 1000 for v in raw])
        elif pa.types.is_binary(t) or pa.types.is_fixed_size_binary(t):
            columns.append([None if v is None else v.decode("utf-8", errors="replace") for v in column.to_pylist()])
        else:
            columns.append([str(v) if isinstance(v, uuid.UUID) else v for v in column.to_pylist()])
    names = table.schema.names
    return names, [list(r) for r in zip(*columns)] if columns else []


def days_from_civil(y, m, d):
    """Days since 1970-01-01 of a proleptic Gregorian date, for any year (Python's date stops at 1..9999)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def tarn_timestamp_micros(text):
    date_part, _, time_part = text.partition(" ")
    sign = -1 if date_part.startswith("-") else 1
    y, mo, d = date_part.lstrip("-").split("-")
    hms, _, frac = time_part.partition(".")
    h, m, s = (int(x) for x in hms.split(":"))
    micros = int((frac + "000000")[:6]) if frac else 0
    days = days_from_civil(sign * int(y), int(mo), int(d))
    return ((days * 86400 + h * 3600 + m * 60 + s) * 1_000_000) + micros


# Values documented by apache/parquet-testing where pyarrow's own reading differs: Spark's INT96 for the year
# 290000 overflows Spark's arithmetic, and wrapping the same way gives the value back (int96_from_spark.md).
KNOWN_VALUES = {
    "int96_from_spark.parquet": {"a": [1704141296123456, 1704070800000000, 253402225200000000, 1735599600000000, None,
                                       9089380393200000000]},
}


# Files whose pages fail their CRC: pyarrow does not verify checksums by default and reads them; Tarn must refuse.
CORRUPT_CHECKSUMS = {"datapage_v1-corrupt-checksum.parquet", "rle-dict-uncompressed-corrupt-checksum.parquet"}
# Files pyarrow refuses but DuckDB and Tarn read (compared with DuckDB).
READ_WHERE_ARROW_REFUSES = {"incorrect_map_schema.parquet"}


def equal(expected, got, arrow_type):
    if isinstance(expected, float) and math.isnan(expected):
        return got is None  # JSON has no NaN: Tarn prints null; check_file counts the NaNs separately
    if expected is None or got is None:
        return expected is None and got is None
    if pa.types.is_timestamp(arrow_type):
        return isinstance(got, str) and tarn_timestamp_micros(got) == expected
    if pa.types.is_date(arrow_type):
        return got == expected.isoformat()
    if pa.types.is_decimal(arrow_type):
        if arrow_type.precision > 38:  # read as DOUBLE
            return math.isclose(float(got), float(expected), rel_tol=1e-12)
        return decimal.Decimal(got) == expected
    if pa.types.is_floating(arrow_type):
        return math.isclose(float(got), float(expected), rel_tol=1e-12, abs_tol=0.0) or float(got) == float(expected)
    if pa.types.is_boolean(arrow_type):
        return got is expected
    if isinstance(expected, int) and not isinstance(expected, bool):
        return isinstance(got, int) and not isinstance(got, bool) and got == expected
    return got == expected


# ------------------------------------------------------------------------------------------- cases

INT_COLUMNS = ["int8_col", "int16_col", "int32_col", "int64_col", "uint8_col", "uint16_col", "uint32_col", "uint64_col",
               "required_int_col", "small_range_col", "sparse_null_col", "date_col", "ts_ms_col", "ts_us_col", "ts_ns_col",
               "time_ms_col", "time_us_col", "time_ns_col"]
STRING_COLUMNS = ["string_col", "category_col", "prefixed_col", "binary_col", "sparse_null_str_col"]
FLOAT_COLUMNS = ["float_col", "double_col", "half_col"]


def cases():
    """(name, columns or None for all, write_table keyword arguments)."""
    base = dict(row_group_size=1500, data_page_size=2048, write_batch_size=128, write_statistics=True)
    out = []
    for version in ("1.0", "2.0"):
        v = version[0]
        for codec in ("NONE", "SNAPPY", "GZIP", "ZSTD", "LZ4"):
            out.append((f"dict_{codec.lower()}_v{v}", None, dict(base, compression=codec, data_page_version=version)))
        out.append((f"plain_zstd_v{v}", None, dict(base, compression="ZSTD", data_page_version=version, use_dictionary=False)))
        out.append((f"int_as_decimal_v{v}", None, dict(base, compression="SNAPPY", data_page_version=version, store_decimal_as_integer=True)))
        out.append((f"dict_fallback_v{v}", STRING_COLUMNS + ["int64_col", "double_col"],
                    dict(base, compression="SNAPPY", data_page_version=version, dictionary_pagesize_limit=512)))
        out.append((f"delta_binary_packed_v{v}", INT_COLUMNS + ["dec9_col", "dec18_col"],
                    dict(base, compression="SNAPPY", data_page_version=version, use_dictionary=False, store_decimal_as_integer=True,
                         column_encoding={c: "DELTA_BINARY_PACKED" for c in INT_COLUMNS + ["dec9_col", "dec18_col"]})))
        for encoding in ("DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY"):
            out.append((f"{encoding.lower()}_v{v}", STRING_COLUMNS,
                        dict(base, compression="ZSTD", data_page_version=version, use_dictionary=False,
                             column_encoding={c: encoding for c in STRING_COLUMNS})))
        out.append((f"delta_byte_array_flba_v{v}", ["dec9_col", "dec18_col", "dec38_col"],
                    dict(base, compression="NONE", data_page_version=version, use_dictionary=False,
                         column_encoding={c: "DELTA_BYTE_ARRAY" for c in ["dec9_col", "dec18_col", "dec38_col"]})))
        bss = FLOAT_COLUMNS + ["int32_col", "int64_col", "dec9_col", "dec38_col"]
        out.append((f"byte_stream_split_v{v}", bss,
                    dict(base, compression="GZIP", data_page_version=version, use_dictionary=False,
                         column_encoding={c: "BYTE_STREAM_SPLIT" for c in bss})))
        out.append((f"rle_boolean_v{v}", ["bool_col"],
                    dict(base, compression="NONE", data_page_version=version, use_dictionary=False, column_encoding={"bool_col": "RLE"})))
        out.append((f"int96_v{v}", ["ts_ms_col", "ts_us_col", "ts_ns_col"],
                    dict(base, compression="SNAPPY", data_page_version=version, use_deprecated_int96_timestamps=True)))
    return out


def check_file(lake, path, label, report):
    names, expected = expected_rows(path)
    for column, values in KNOWN_VALUES.get(os.path.basename(path), {}).items():
        k = names.index(column)
        for row, v in zip(expected, values):
            row[k] = v
    schema = pq.read_schema(path)
    ok, out, code = run_tarn(lake, f"SELECT * FROM read_parquet('{path}')")
    if not ok:
        report["failed"].append(f"{label}: tarn failed (exit {code}): {out}")
        return
    got = parse_rows(out)
    if len(got) != len(expected):
        report["failed"].append(f"{label}: {len(got)} rows, expected {len(expected)}")
        return
    bad = 0
    for i, (e, g) in enumerate(zip(expected, got)):
        if len(g) != len(e):
            report["failed"].append(f"{label}: row {i} has {len(g)} columns, expected {len(e)}")
            return
        for k, (ev, gv) in enumerate(zip(e, g)):
            if not equal(ev, gv, schema.field(k).type):
                bad += 1
                if bad <= 3:
                    report["failed"].append(f"{label}: row {i} column {names[k]}: tarn {gv!r}, pyarrow {ev!r}")
    # NaNs print as null in JSON: count them in SQL (x <> x holds only for NaN) against pyarrow's count.
    for k, name in enumerate(names):
        nans = sum(1 for r in expected if isinstance(r[k], float) and math.isnan(r[k]))
        if nans:
            ok, out, _ = run_tarn(lake, f'SELECT count(*) FROM read_parquet(\'{path}\') WHERE "{name}" <> "{name}"')
            if not ok or parse_rows(out) != [[nans]]:
                bad += 1
                report["failed"].append(f"{label}: column {name}: {out if not ok else parse_rows(out)} NaNs, expected {nans}")
    report["values"] += len(expected) * len(names)
    if bad == 0:
        report["passed"].append(label)


def encodings_and_codecs(path):
    """(encodings, codecs, page kinds) the file really uses, from its metadata and page headers."""
    meta = pq.ParquetFile(path).metadata
    encodings, codecs = set(), set()
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        for c in range(rg.num_columns):
            col = rg.column(c)
            encodings.update(col.encodings)
            codecs.add(col.compression)
    return encodings, codecs


def expect_error(lake, sql, must_contain, label, report):
    ok, out, code = run_tarn(lake, sql)
    if ok:
        report["failed"].append(f"{label}: expected an error, got rows")
    elif code < 0 or code > 1 and "error" not in out.lower() and "not supported" not in out.lower() and "corrupt" not in out.lower():
        report["failed"].append(f"{label}: crashed (exit {code}): {out}")
    elif any(m not in out for m in must_contain):
        report["failed"].append(f"{label}: error lacks {must_contain}: {out}")
    else:
        report["passed"].append(label)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--keep", help="write the files into this folder and keep them")
    args = parser.parse_args()
    if not os.path.exists(tarn_binary()):
        print(f"tarn binary not found at {tarn_binary()}; build it (swift build) or set TARN_BIN", file=sys.stderr)
        return 2
    started = time.time()
    work = args.keep or tempfile.mkdtemp(prefix="tarn-parquet-")
    os.makedirs(work, exist_ok=True)
    lake = os.path.join(work, "lake")
    report = {"passed": [], "failed": [], "skipped": [], "values": 0}
    table = make_table(args.rows, seed=16)
    all_encodings, all_codecs = set(), set()
    pages_v = set()
    try:
        for name, columns, options in cases():
            path = os.path.join(work, name + ".parquet")
            t = table.select([c for c in columns if c in table.column_names]) if columns else table
            try:
                pq.write_table(t, path, **options)
            except Exception as e:  # an older pyarrow may not write some encodings
                report["skipped"].append(f"{name}: pyarrow cannot write it ({str(e)[:80]})")
                continue
            encodings, codecs = encodings_and_codecs(path)
            all_encodings |= encodings
            all_codecs |= codecs
            pages_v.add(options.get("data_page_version", "1.0"))
            check_file(lake, path, name, report)

        # Batches of 8192 rows from one large row group: the columns decode on several threads.
        path = os.path.join(work, "parallel_columns.parquet")
        pq.write_table(pa.concat_tables([table] * 5), path, row_group_size=5 * len(table), compression="SNAPPY")
        check_file(lake, path, "parallel_columns", report)

        # Files DuckDB writes (another writer's page layout and dictionary use), when duckdb is installed.
        try:
            import duckdb
        except ImportError:
            duckdb = None
            report["skipped"].append("duckdb-written files: the duckdb module is not installed")
        if duckdb is not None:
            con = duckdb.connect()
            source = os.path.join(work, "plain_zstd_v1.parquet")
            for codec in ("uncompressed", "snappy", "gzip", "zstd", "lz4"):
                path = os.path.join(work, f"duckdb_{codec}.parquet")
                try:
                    con.execute(f"COPY (SELECT * EXCLUDE (binary_col, time_ns_col) FROM read_parquet('{source}')) "
                                f"TO '{path}' (FORMAT parquet, COMPRESSION {codec}, ROW_GROUP_SIZE 2048)")
                except Exception as e:
                    report["skipped"].append(f"duckdb {codec}: {str(e)[:80]}")
                    continue
                encodings, codecs = encodings_and_codecs(path)
                all_encodings |= encodings
                all_codecs |= codecs
                check_file(lake, path, f"duckdb_{codec}", report)

        # The vendored apache/parquet-testing files: rows equal to pyarrow's where pyarrow reads the file and it is
        # flat; otherwise an error, never a crash (nested columns named).
        vendored = os.path.join(PACKAGE_ROOT, "testdata", "parquet-testing")
        for sub in ("data", "bad_data"):
            folder = os.path.join(vendored, sub)
            for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
                if not name.endswith(".parquet"):
                    continue
                path = os.path.join(folder, name)
                label = f"parquet-testing/{sub}/{name}"
                try:
                    schema = pq.read_schema(path)
                    nested = [f.name for f in schema if pa.types.is_nested(f.type)]
                    pq.read_table(path)
                    arrow_reads = True
                except Exception:
                    nested, arrow_reads = [], False
                if name in READ_WHERE_ARROW_REFUSES:
                    # A MAP whose keys are not marked required: DuckDB reads it, and so does Tarn, with the same answer.
                    import duckdb
                    ok, out, code = run_tarn(lake, f"SELECT * FROM read_parquet('{path}')")
                    want = [[{k: v for k, v in r[0].items()}] for r in duckdb.sql(f"SELECT * FROM '{path}'").fetchall()]
                    got = json.loads(out[out.find("["):]) if ok else out
                    if ok and [[r[c] for c in r] for r in got] == want:
                        report["passed"].append(label + " (read as DuckDB reads it)")
                    else:
                        report["failed"].append(f"{label}: {got} != DuckDB's {want}")
                elif name in CORRUPT_CHECKSUMS:
                    expect_error(lake, f"SELECT * FROM read_parquet('{path}')", ["CRC"], label + " (bad checksum: error)", report)
                elif arrow_reads and not nested:
                    check_file(lake, path, label, report)
                elif nested:
                    # Tarn reads LIST / MAP / STRUCT (Tests/differential/parquet_nested.py checks the values against
                    # DuckDB); shapes it does not read are an error naming the column, never a crash.
                    ok, out, code = run_tarn(lake, f"SELECT * FROM read_parquet('{path}')")
                    if ok and len(parse_rows(out)) == pq.read_table(path).num_rows:
                        report["passed"].append(label + " (nested: read)")
                    elif not ok and code > 0 and "nested" in out:
                        report["passed"].append(label + " (nested: error)")
                    else:
                        report["failed"].append(f"{label} (nested): {out[:300]} (exit {code})")
                else:
                    expect_error(lake, f"SELECT * FROM read_parquet('{path}')", [name], label + " (unreadable: error)", report)

        # Several files: a folder and a glob read in order.
        folder = os.path.join(work, "parts")
        os.makedirs(folder, exist_ok=True)
        part_names = []
        for k in range(3):
            p = os.path.join(folder, f"part-{k}.parquet")
            pq.write_table(table.slice(k * 100, 100), p, compression="ZSTD")
            part_names.append(p)
        combined = os.path.join(work, "combined.parquet")
        pq.write_table(pa.concat_tables([pq.read_table(p) for p in part_names]), combined)
        names, expected = expected_rows(combined)
        for label, location in (("folder", folder), ("glob", os.path.join(folder, "part-*.parquet"))):
            ok, out, code = run_tarn(lake, f"SELECT count(*), sum(int32_col), min(string_col) FROM read_parquet('{location}')")
            col = names.index("int32_col")
            want = [len(expected), sum(r[col] for r in expected if r[col] is not None),
                    min(r[names.index("string_col")] for r in expected if r[names.index("string_col")] is not None)]
            if ok and parse_rows(out) == [want]:
                report["passed"].append(f"multi-file {label}")
            else:
                report["failed"].append(f"multi-file {label}: {out if not ok else parse_rows(out)} != {want}")

        # parquet_metadata's statistics against pyarrow's, for a few types.
        p = os.path.join(work, "dict_zstd_v1.parquet")
        ok, out, _ = run_tarn(lake, f"SELECT row_group_id, path_in_schema, stats_min, stats_max, stats_null_count FROM parquet_metadata('{p}')")
        meta = pq.ParquetFile(p).metadata
        mismatches = []
        if not ok:
            mismatches.append(out)
        else:
            got = {(r[0], r[1]): r[2:] for r in parse_rows(out)}
            for g in range(meta.num_row_groups):
                for c in range(meta.num_columns):
                    col = meta.row_group(g).column(c)
                    name = col.path_in_schema
                    if name not in ("int32_col", "int64_col", "string_col", "date_col", "double_col") or not col.is_stats_set:
                        continue
                    st = col.statistics
                    lo, hi = (st.min.isoformat(), st.max.isoformat()) if name == "date_col" else (st.min, st.max)
                    tmin, tmax, nulls = got.get((g, name), (None, None, None))
                    if name == "double_col":
                        same = math.isclose(float(tmin), lo, rel_tol=1e-12) and math.isclose(float(tmax), hi, rel_tol=1e-12)
                    else:
                        same = str(tmin) == str(lo) and str(tmax) == str(hi)
                    if not same or nulls != st.null_count:
                        mismatches.append(f"row group {g} {name}: tarn {tmin}..{tmax} ({nulls} nulls), pyarrow {lo}..{hi} ({st.null_count})")
        if mismatches:
            report["failed"].append("parquet_metadata statistics: " + "; ".join(mismatches[:3]))
        else:
            report["passed"].append("parquet_metadata statistics")

        # Row-group skipping by statistics: sorted data in 10 row groups. Answers must equal Python's over the
        # same rows, and the selective filters must skip most row groups.
        sorted_path = os.path.join(work, "sorted.parquet")
        n = 10000
        base_day = datetime.date(2024, 1, 1)
        srows = [{"id": i, "name": "n%05d" % i, "day": base_day + datetime.timedelta(days=i // 100),
                  "opt": None if (i // 1000) % 3 == 0 else i} for i in range(n)]
        pq.write_table(pa.Table.from_pylist(srows, schema=pa.schema([("id", pa.int64()), ("name", pa.string()),
                                                                      ("day", pa.date32()), ("opt", pa.int64())])),
                       sorted_path, row_group_size=1000)
        filters = [
            ("id >= 9500", lambda r: r["id"] >= 9500, 9), ("id < 250", lambda r: r["id"] < 250, 9),
            ("id = 4242", lambda r: r["id"] == 4242, 9), ("4242 = id", lambda r: r["id"] == 4242, 9),
            ("name = 'n04242'", lambda r: r["name"] == "n04242", 9), ("name > 'n08999'", lambda r: r["name"] > "n08999", 8),
            ("day >= DATE '2024-03-31'", lambda r: r["day"] >= datetime.date(2024, 3, 31), 9),
            ("opt IS NOT NULL AND id < 3000", lambda r: r["opt"] is not None and r["id"] < 3000, 8),
            ("opt IS NULL", lambda r: r["opt"] is None, 6), ("opt > 8500", lambda r: r["opt"] is not None and r["opt"] > 8500, 9),
            ("id <> 5 AND name <> 'x'", lambda r: r["id"] != 5 and r["name"] != "x", 0),
            ("id > 100 OR id < 50", lambda r: r["id"] > 100 or r["id"] < 50, 0),
        ]
        skip_failures = []
        for text, keep, min_skipped in filters:
            want = [[sum(1 for r in srows if keep(r)), sum(r["id"] for r in srows if keep(r)) or None]]
            ok, out, _ = run_tarn(lake, f"SELECT count(*), sum(id) FROM read_parquet('{sorted_path}') WHERE {text}")
            if not ok or parse_rows(out) != want:
                skip_failures.append(f"WHERE {text}: {out if not ok else parse_rows(out)} != {want}")
                continue
            skipped = explain_counter(lake, f"SELECT count(*), sum(id) FROM read_parquet('{sorted_path}') WHERE {text}",
                                      "row_groups_skipped")
            if skipped < min_skipped:
                skip_failures.append(f"WHERE {text}: {skipped} row groups skipped, expected at least {min_skipped}")
        if skip_failures:
            report["failed"].append("row-group skipping: " + "; ".join(skip_failures[:4]))
        else:
            report["passed"].append(f"row-group skipping: {len(filters)} filters")

        # Page skipping by the page index: the same sorted rows in ONE row group of small pages, written with
        # pyarrow's page index (dictionary and plain pages, NULL pages). Every filter's whole answer (all columns,
        # ordered) must equal Python's, and the selective ones must skip rows by the page index.
        paged_path = os.path.join(work, "paged.parquet")
        pq.write_table(pa.Table.from_pylist(srows, schema=pa.schema([("id", pa.int64()), ("name", pa.string()),
                                                                      ("day", pa.date32()), ("opt", pa.int64())])),
                       paged_path, row_group_size=n, data_page_size=512, write_page_index=True,
                       use_dictionary=["day"], compression="zstd")
        page_failures = []
        for text, keep, min_skipped in filters:
            want = [[r["id"], r["name"], r["day"].isoformat(), r["opt"]] for r in srows if keep(r)]
            ok, out, _ = run_tarn(lake, f"SELECT id, name, day, opt FROM read_parquet('{paged_path}') WHERE {text} ORDER BY id")
            if not ok or parse_rows(out) != want:
                got = out if not ok else parse_rows(out)[:3]
                page_failures.append(f"WHERE {text}: {got} != {want[:3]} ({len(want)} rows)")
                continue
            skipped = explain_counter(lake, f"SELECT count(*), sum(id), max(name) FROM read_parquet('{paged_path}') WHERE {text}",
                                      "rows_skipped_by_page_index")
            if min_skipped >= 8 and skipped < n // 2:
                page_failures.append(f"WHERE {text}: {skipped} rows skipped by the page index, expected at least {n // 2}")
        if page_failures:
            report["failed"].append("page-index skipping: " + "; ".join(page_failures[:4]))
        else:
            report["passed"].append(f"page-index skipping: {len(filters)} filters")

        # Projection and filters over a dictionary-encoded string column.
        p = os.path.join(work, "dict_snappy_v1.parquet")
        ok, out, _ = run_tarn(lake, f"SELECT category_col, count(*) FROM read_parquet('{p}') GROUP BY category_col ORDER BY category_col")
        names, expected = expected_rows(p)
        col = names.index("category_col")
        counts = {}
        for r in expected:
            counts[r[col]] = counts.get(r[col], 0) + 1
        want = sorted(([k, v] for k, v in counts.items()), key=lambda kv: (kv[0] is not None, kv[0] or ""))
        got = parse_rows(out) if ok else None
        if got is not None and sorted(got, key=lambda kv: (kv[0] is not None, kv[0] or "")) == want:
            report["passed"].append("group by dictionary strings")
        else:
            report["failed"].append(f"group by dictionary strings: {got} != {want}")

        # Several levels of lists (Tests/differential/parquet_nested.py checks them in depth against DuckDB).
        def as_lists(v):
            if isinstance(v, dict):
                return [as_lists(x) for x in v.values()]
            if isinstance(v, list):
                return [as_lists(x) for x in v]
            return v
        deep_tables = {
            "list of lists": pa.table({"id": [1, 2, 3], "tags": [[[1], [2], None, []], None, []]}),
            "struct holding a list of lists": pa.table({"id": [1, 2], "point": pa.array(
                [{"x": [[1]], "y": 2}, None], pa.struct([("x", pa.list_(pa.list_(pa.int64()))), ("y", pa.int64())]))}),
        }
        deep_paths = {}
        for deep_label, deep_table in deep_tables.items():
            deep_paths[deep_label] = os.path.join(work, deep_label.replace(" ", "_") + ".parquet")
            pq.write_table(deep_table, deep_paths[deep_label])
        # Vendored files with lists of lists (legacy 2-level `repeated group array (LIST)` included), no maps.
        for name in ("nested_lists.snappy", "old_list_structure", "repeated_no_annotation"):
            deep_paths["parquet-testing " + name] = os.path.join(PACKAGE_ROOT, "testdata", "parquet-testing", "data", name + ".parquet")
            deep_tables["parquet-testing " + name] = pq.read_table(deep_paths["parquet-testing " + name])
        for deep_label, deep_table in deep_tables.items():
            deep_path = deep_paths[deep_label]
            ok, out, code = run_tarn(lake, f"SELECT * FROM read_parquet('{deep_path}')")
            want = [as_lists(list(r.values())) for r in deep_table.to_pylist()]
            if ok and parse_rows(out) == want:
                report["passed"].append(deep_label + " read")
            else:
                report["failed"].append(f"{deep_label}: {out[:300]} != pyarrow's {want} (exit {code})")
        # Unsupported features and damaged files: an error naming the problem, never a crash.
        brotli = os.path.join(work, "brotli.parquet")
        try:
            pq.write_table(table.slice(0, 50), brotli, compression="BROTLI")
            expect_error(lake, f"SELECT * FROM read_parquet('{brotli}')", ["BROTLI"], "brotli codec error", report)
        except Exception as e:
            report["skipped"].append(f"brotli: {e}")
        good = os.path.join(work, "dict_zstd_v2.parquet")
        data = open(good, "rb").read()
        damaged = os.path.join(work, "damaged.parquet")
        rng = random.Random(7)
        crashes = 0
        for trial in range(30):
            blob = bytearray(data)
            if trial < 10:
                blob = blob[: rng.randint(0, len(blob) - 1)]            # truncated
            elif trial < 12:
                blob[:4] = b"PAR0" if trial == 10 else blob[:4]          # bad magic at the start
                if trial == 11:
                    blob[-4:] = b"XXXX"                                  # bad magic at the end
            else:
                for _ in range(rng.randint(1, 20)):                     # flipped bytes anywhere
                    blob[rng.randrange(len(blob))] ^= 1 << rng.randrange(8)
            with open(damaged, "wb") as f:
                f.write(blob)
            ok, out, code = run_tarn(lake, f"SELECT * FROM read_parquet('{damaged}')")
            if code < 0 or code > 1:
                crashes += 1
                report["failed"].append(f"damaged file trial {trial}: crashed (exit {code}): {out[:200]}")
            elif trial < 12 and ok:
                report["failed"].append(f"damaged file trial {trial}: a truncated/bad-magic file read without an error")
        if crashes == 0:
            report["passed"].append("30 damaged files: errors or rows, no crash")
        # Page checksums: a file written with them reads; one value byte changed in it is an error, not other rows.
        crc_file = os.path.join(work, "checksums.parquet")
        pq.write_table(table.select(["int64_col", "string_col"]), crc_file, compression="NONE", use_dictionary=False,
                       write_page_checksum=True, data_page_size=4096)
        check_file(lake, crc_file, "page checksums", report)
        blob = bytearray(open(crc_file, "rb").read())
        blob[len(blob) // 4] ^= 0x10  # inside the int64 column's PLAIN values
        with open(damaged, "wb") as f:
            f.write(blob)
        expect_error(lake, f"SELECT * FROM read_parquet('{damaged}')", ["CRC", "int64_col", "row group 0"], "damaged checksummed page", report)

        # The footer length pointing outside the file.
        blob = bytearray(data)
        blob[-8:-4] = (len(blob) * 2).to_bytes(4, "little")
        with open(damaged, "wb") as f:
            f.write(blob)
        expect_error(lake, f"SELECT * FROM read_parquet('{damaged}')", ["damaged.parquet", "footer"], "footer outside the file", report)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"parquet_read: {len(report['passed'])} passed, {len(report['failed'])} failed, {len(report['skipped'])} skipped, "
          f"{report['values']} values compared in {time.time() - started:.1f}s")
    print(f"  encodings seen: {', '.join(sorted(all_encodings))}")
    print(f"  codecs seen: {', '.join(sorted(all_codecs))}; data page versions: {', '.join(sorted(pages_v))}")
    for s in report["skipped"]:
        print("  skipped:", s)
    for f in report["failed"]:
        print("  FAILED:", f)
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
