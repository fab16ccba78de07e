"""Differential test of `read_parquet` on nested columns: pyarrow writes Parquet files with LIST, MAP and STRUCT
columns (NULL lists, empty lists, NULL elements, NULL structs, NULL map values, several row groups), Tarn reads them
into ARRAY / MAP / ROW and DuckDB reads the same files natively; the answers to the same questions (whole values,
cardinality, UNNEST's elements, field access, map keys and values; lists and maps inside structs) must be equal.
Deeper nesting Tarn does not read (a list of lists, a list of maps) must fail with an error naming the column. Installs pyarrow and duckdb
with pip when missing. Exits non-zero on any mismatch.

Usage: python3 Tests/differential/parquet_nested.py [--rows N]
Env: TARN_BIN (default .build/debug/tarn in the package).
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(os.path.dirname(HERE))

for module in ("pyarrow", "duckdb"):
    try:
        __import__(module)
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", module], check=True)
import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402


def tarn_binary():
    return os.environ.get("TARN_BIN") or os.path.join(PACKAGE_ROOT, ".build", "debug", "tarn")


def run_tarn(lake, sql):
    done = subprocess.run([tarn_binary(), lake, "--format", "json", "-c", sql], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        return None, (done.stderr or done.stdout).strip()[:500], done.returncode
    text = done.stdout.strip()
    rows = json.loads(text[text.find("["):]) if text else []
    return [list(r.values()) for r in rows], None, 0


def normalise(v):
    """DuckDB's maps come back as dicts, lists as lists, structs as dicts: the JSON shapes Tarn prints."""
    if isinstance(v, tuple):
        return [normalise(x) for x in v]
    if isinstance(v, list):
        return [normalise(x) for x in v]
    if isinstance(v, dict):
        return {k: normalise(x) for k, x in v.items()}
    return v


def sort_key(row):
    return json.dumps(row, sort_keys=True, default=str)


def make_table(rows, seed):
    rng = random.Random(seed)
    words = ["alpha", "beta", "", "gamma", "délta", "e" * 40]

    def maybe(make, null_rate=0.15):
        return None if rng.random() < null_rate else make()

    def small_list(make, max_len=4):
        return [maybe(make, 0.2) for _ in range(rng.randint(0, max_len))]

    ids = list(range(rows))
    ints = [maybe(lambda: small_list(lambda: rng.randint(-10**12, 10**12))) for _ in ids]
    strs = [maybe(lambda: small_list(lambda: rng.choice(words))) for _ in ids]
    structs = [maybe(lambda: {"a": maybe(lambda: rng.randint(-1000, 1000)), "b": maybe(lambda: rng.choice(words))}) for _ in ids]
    maps = [maybe(lambda: [(f"k{j}", maybe(lambda: rng.randint(0, 99), 0.2)) for j in rng.sample(range(8), rng.randint(0, 4))]) for _ in ids]
    lstructs = [maybe(lambda: small_list(lambda: {"a": maybe(lambda: rng.randint(0, 9)), "b": maybe(lambda: rng.choice(words))}, 3))
                for _ in ids]
    nested_struct = [maybe(lambda: {"x": maybe(lambda: rng.random()), "inner": maybe(lambda: {"y": maybe(lambda: rng.randint(0, 5))})})
                     for _ in ids]
    required = [[rng.randint(0, 9) for _ in range(rng.randint(0, 3))] for _ in ids]
    with_lists = [maybe(lambda: {"v": maybe(lambda: small_list(lambda: rng.randint(0, 99))),
                                 "m": maybe(lambda: [(f"k{j}", rng.randint(0, 9)) for j in range(rng.randint(0, 2))]),
                                 "z": maybe(lambda: rng.randint(0, 9))}) for _ in ids]
    sv_type = pa.struct([("v", pa.list_(pa.int64())), ("m", pa.map_(pa.string(), pa.int64())), ("z", pa.int64())])
    ab = pa.struct([("a", pa.int64()), ("b", pa.string())])
    return pa.table({
        "id": pa.array(ids, pa.int64()),
        "ints": pa.array(ints, pa.list_(pa.int64())),
        "strs": pa.array(strs, pa.list_(pa.string())),
        "s": pa.array(structs, ab),
        "m": pa.array(maps, pa.map_(pa.string(), pa.int64())),
        "ls": pa.array(lstructs, pa.list_(ab)),
        "ns": pa.array(nested_struct, pa.struct([("x", pa.float64()), ("inner", pa.struct([("y", pa.int32())]))])),
        "req": pa.array(required, pa.list_(pa.field("item", pa.int32(), nullable=False))),
        "sv": pa.array(with_lists, sv_type),
    }, schema=pa.schema([
        ("id", pa.int64()), ("ints", pa.list_(pa.int64())), ("strs", pa.list_(pa.string())), ("s", ab),
        ("m", pa.map_(pa.string(), pa.int64())), ("ls", pa.list_(ab)),
        ("ns", pa.struct([("x", pa.float64()), ("inner", pa.struct([("y", pa.int32())]))])),
        pa.field("req", pa.list_(pa.field("item", pa.int32(), nullable=False)), nullable=False),
        ("sv", sv_type),
    ]))


# (label, Tarn's SQL, DuckDB's SQL, ordered); {f} is the file. Both read the same file.
QUERIES = [
    ("whole values", "SELECT id, ints, strs, s, m, ls, ns, req, sv FROM '{f}' ORDER BY id",
     "SELECT id, ints, strs, s, m, ls, ns, req, sv FROM '{f}' ORDER BY id", True),
    ("a list and a map in a struct", "SELECT id, cardinality(sv.v), sv.v, map_keys(sv.m), sv.z FROM '{f}' ORDER BY id",
     "SELECT id, len(sv.v), sv.v, map_keys(sv.m), sv.z FROM '{f}' ORDER BY id", True),
    ("unnest a struct's list", "SELECT id, x FROM '{f}' CROSS JOIN UNNEST(sv.v) AS u(x)",
     "SELECT id, unnest(sv.v) AS x FROM '{f}'", False),
    ("file order (the streaming scan, cut into batches)", "SELECT id, ints, s, m FROM '{f}'", "SELECT id, ints, s, m FROM '{f}'", True),
    ("cardinality", "SELECT id, cardinality(ints), cardinality(strs), cardinality(m), cardinality(ls), cardinality(req) FROM '{f}' ORDER BY id",
     "SELECT id, len(ints), len(strs), cardinality(m), len(ls), len(req) FROM '{f}' ORDER BY id", True),
    ("unnest list<int64>", "SELECT id, x FROM '{f}' CROSS JOIN UNNEST(ints) AS u(x)",
     "SELECT id, unnest(ints) AS x FROM '{f}'", False),
    ("unnest list<string>", "SELECT id, x FROM '{f}' CROSS JOIN UNNEST(strs) AS u(x)",
     "SELECT id, unnest(strs) AS x FROM '{f}'", False),
    ("unnest list<struct> (Trino: a row's fields become columns)", "SELECT id, a, b FROM '{f}' CROSS JOIN UNNEST(ls) AS u(a, b)",
     "SELECT id, e.a, e.b FROM (SELECT id, unnest(ls) AS e FROM '{f}')", False),
    ("struct fields", "SELECT id, s.a, s.b, s IS NULL, ns.x, ns.inner.y, ns.inner IS NULL FROM '{f}' ORDER BY id",
     "SELECT id, s.a, s.b, s IS NULL, ns.x, ns.inner.y, ns.inner IS NULL FROM '{f}' ORDER BY id", True),
    ("map keys and values", "SELECT id, map_keys(m), map_values(m) FROM '{f}' ORDER BY id",
     "SELECT id, map_keys(m), map_values(m) FROM '{f}' ORDER BY id", True),
    ("NULL vs empty list", "SELECT count(*) FILTER (WHERE ints IS NULL) AS nulls, count(*) FILTER (WHERE cardinality(ints) = 0) AS empties, sum(cardinality(ints)) AS total FROM '{f}'",
     "SELECT count(*) FILTER (WHERE ints IS NULL), count(*) FILTER (WHERE len(ints) = 0), sum(len(ints)) FROM '{f}'", True),
    ("filter on a field", "SELECT count(*), sum(s.a) FROM '{f}' WHERE s.b = 'beta'",
     "SELECT count(*), sum(s.a) FROM '{f}' WHERE s.b = 'beta'", True),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=3000)
    args = parser.parse_args()
    failed, passed = [], 0
    with tempfile.TemporaryDirectory() as work:
        lake = os.path.join(work, "lake")
        table = make_table(args.rows, 20261207)
        files = {}
        # Several row groups (and pages) so assembly restarts at row group and batch edges; dictionary or plain.
        files["groups"] = os.path.join(work, "nested.parquet")
        pq.write_table(table, files["groups"], row_group_size=max(1, args.rows // 3), data_page_size=4096)
        files["plain_v2"] = os.path.join(work, "nested_v2.parquet")
        pq.write_table(table, files["plain_v2"], use_dictionary=False, data_page_version="2.0", compression="zstd")
        for kind, path in files.items():
            for label, tarn_sql, duck_sql, ordered in QUERIES:
                got, error, code = run_tarn(lake, tarn_sql.format(f=path))
                want = [normalise(list(r)) for r in duckdb.sql(duck_sql.format(f=path)).fetchall()]
                name = f"{kind}: {label}"
                if got is None:
                    failed.append(f"{name}: tarn failed ({code}): {error}")
                    continue
                if not ordered:
                    got, want = sorted(got, key=sort_key), sorted(want, key=sort_key)
                if got != want:
                    bad = next((i for i, (g, w) in enumerate(zip(got, want)) if g != w), min(len(got), len(want)))
                    failed.append(f"{name}: {len(got)} rows vs DuckDB's {len(want)}; first difference at {bad}: "
                                  f"{got[bad] if bad < len(got) else None} != {want[bad] if bad < len(want) else None}")
                else:
                    passed += 1
        # DESCRIBE names the nested types.
        got, error, _ = run_tarn(lake, f"DESCRIBE SELECT ints, m, s FROM '{files['groups']}'")
        types = [r[1] for r in got] if got else error
        if types == ["BIGINT[]", "MAP(VARCHAR, BIGINT)", "STRUCT(a BIGINT, b VARCHAR)"]:
            passed += 1
        else:
            failed.append(f"DESCRIBE: {types}")
        # Deeper nesting: an error naming the column, only when it is read; the other columns still read.
        deep = os.path.join(work, "deep.parquet")
        pq.write_table(pa.table({"id": [1, 2], "ll": [[[1], [2, 3]], None],
                                 "lm": pa.array([[[("a", 1)]], None], pa.list_(pa.map_(pa.string(), pa.int64())))}), deep)
        for column in ("ll", "lm"):
            got, error, code = run_tarn(lake, f"SELECT {column} FROM '{deep}'")
            if got is None and code > 0 and f"'{column}'" in error and "not supported" in error:
                passed += 1
            else:
                failed.append(f"deep column {column}: expected an error naming it, got {got or error} ({code})")
        got, error, _ = run_tarn(lake, f"SELECT id FROM '{deep}' ORDER BY id")
        if got == [[1], [2]]:
            passed += 1
        else:
            failed.append(f"flat column beside deep ones: {got or error}")
    for f in failed:
        print("FAIL", f)
    print(f"parquet_nested: {passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
