"""Differential test of `read_parquet` on nested columns: pyarrow writes Parquet files with LIST, MAP and STRUCT
columns (NULL lists, empty lists, NULL elements, NULL structs, NULL map values, several row groups), Tarn reads them
into ARRAY / MAP / ROW and DuckDB reads the same files natively; the answers to the same questions (whole values,
cardinality, UNNEST's elements, field access, map keys and values; lists and maps inside structs) must be equal.
Several levels of lists and maps (a list of lists, of lists of lists, a map in a list, a list in a map value, a struct
holding a list in a list) are checked the same way: whole values, cardinality at each level, flatten, UNNEST, element
access, NULL vs empty inner and outer lists, NULL elements. Installs pyarrow and duckdb
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


def make_deep_table(rows, seed):
    """Columns with several levels of lists and maps: NULL and empty lists at every level, NULL elements."""
    rng = random.Random(seed)

    def maybe(make, null_rate=0.15):
        return None if rng.random() < null_rate else make()

    def small_list(make, max_len=3):
        return [maybe(make, 0.2) for _ in range(rng.randint(0, max_len))]

    def a_map(make):
        return [(f"k{j}", maybe(make, 0.2)) for j in rng.sample(range(6), rng.randint(0, 3))]

    ids = list(range(rows))
    ll = [maybe(lambda: small_list(lambda: small_list(lambda: rng.randint(-10**12, 10**12)))) for _ in ids]
    lll = [maybe(lambda: small_list(lambda: small_list(lambda: small_list(lambda: rng.randint(0, 99), 2), 2), 2)) for _ in ids]
    lls = [maybe(lambda: small_list(lambda: small_list(lambda: rng.choice(["a", "", "bé", "c" * 30])))) for _ in ids]
    lm = [maybe(lambda: small_list(lambda: a_map(lambda: rng.randint(0, 99)))) for _ in ids]
    ml = [maybe(lambda: a_map(lambda: small_list(lambda: rng.randint(0, 99)))) for _ in ids]
    lsl = [maybe(lambda: small_list(lambda: {"a": maybe(lambda: rng.randint(0, 9)),
                                             "v": maybe(lambda: small_list(lambda: rng.randint(0, 9)))})) for _ in ids]
    sll = [maybe(lambda: {"ll": maybe(lambda: small_list(lambda: small_list(lambda: rng.randint(0, 9)))),
                          "z": maybe(lambda: rng.randint(0, 9))}) for _ in ids]
    types = {
        "id": pa.int64(), "ll": pa.list_(pa.list_(pa.int64())), "lll": pa.list_(pa.list_(pa.list_(pa.int32()))),
        "lls": pa.list_(pa.list_(pa.string())), "lm": pa.list_(pa.map_(pa.string(), pa.int64())),
        "ml": pa.map_(pa.string(), pa.list_(pa.int64())),
        "lsl": pa.list_(pa.struct([("a", pa.int64()), ("v", pa.list_(pa.int64()))])),
        "sll": pa.struct([("ll", pa.list_(pa.list_(pa.int64()))), ("z", pa.int64())]),
    }
    values = {"id": ids, "ll": ll, "lll": lll, "lls": lls, "lm": lm, "ml": ml, "lsl": lsl, "sll": sll}
    return pa.table({k: pa.array(values[k], t) for k, t in types.items()})


# (label, Tarn's SQL, DuckDB's SQL, ordered) over the deep columns.
DEEP_QUERIES = [
    ("whole values", "SELECT id, ll, lll, lls, lm, ml, lsl, sll FROM '{f}' ORDER BY id",
     "SELECT id, ll, lll, lls, lm, ml, lsl, sll FROM '{f}' ORDER BY id", True),
    ("file order (the streaming scan, cut into batches)", "SELECT id, ll, lm, ml FROM '{f}'", "SELECT id, ll, lm, ml FROM '{f}'", True),
    ("cardinality", "SELECT id, cardinality(ll) AS c1, cardinality(lll) AS c2, cardinality(lm) AS c3, cardinality(ml) AS c4, cardinality(lsl) AS c5, "
     "cardinality(sll.ll) AS c6 FROM '{f}' ORDER BY id",
     "SELECT id, len(ll), len(lll), len(lm), cardinality(ml), len(lsl), len(sll.ll) FROM '{f}' ORDER BY id", True),
    ("flatten", "SELECT id, flatten(ll) AS f1, flatten(lls) AS f2, flatten(sll.ll) AS f3 FROM '{f}' ORDER BY id",
     "SELECT id, flatten(ll), flatten(lls), flatten(sll.ll) FROM '{f}' ORDER BY id", True),
    ("element access", "SELECT id, ll[1] AS e1, lll[1] AS e2, lm[1] AS e3, lsl[1].v AS e4, sll.ll[1][1] AS e5 FROM '{f}' WHERE cardinality(ll) > 0 AND cardinality(lll) > 0 "
     "AND cardinality(lm) > 0 AND cardinality(lsl) > 0 AND cardinality(sll.ll[1]) > 0 ORDER BY id",
     "SELECT id, ll[1], lll[1], lm[1], lsl[1].v, sll.ll[1][1] FROM '{f}' WHERE len(ll) > 0 AND len(lll) > 0 "
     "AND len(lm) > 0 AND len(lsl) > 0 AND len(sll.ll[1]) > 0 ORDER BY id", True),
    ("unnest the outer list", "SELECT id, x, cardinality(x), x IS NULL FROM '{f}' CROSS JOIN UNNEST(ll) AS u(x)",
     "SELECT id, x, len(x), x IS NULL FROM (SELECT id, unnest(ll) AS x FROM '{f}')", False),
    ("unnest twice", "SELECT id, y FROM '{f}' CROSS JOIN UNNEST(ll) AS u(x) CROSS JOIN UNNEST(x) AS v(y)",
     "SELECT id, unnest(x) AS y FROM (SELECT id, unnest(ll) AS x FROM '{f}')", False),
    ("NULL vs empty inner and outer lists, NULL elements",
     "SELECT count(*) FILTER (WHERE x IS NULL) AS n, count(*) FILTER (WHERE cardinality(x) = 0) AS e, sum(cardinality(x)) AS t "
     "FROM '{f}' CROSS JOIN UNNEST(ll) AS u(x)",
     "SELECT count(*) FILTER (WHERE x IS NULL), count(*) FILTER (WHERE len(x) = 0), sum(len(x)) FROM (SELECT unnest(ll) AS x FROM '{f}')", True),
    ("NULL vs empty outer lists", "SELECT count(*) FILTER (WHERE ll IS NULL) AS n1, count(*) FILTER (WHERE cardinality(ll) = 0) AS e1, "
     "count(*) FILTER (WHERE lm IS NULL) AS n2, count(*) FILTER (WHERE ml IS NULL) AS n3 FROM '{f}'",
     "SELECT count(*) FILTER (WHERE ll IS NULL), count(*) FILTER (WHERE len(ll) = 0), "
     "count(*) FILTER (WHERE lm IS NULL), count(*) FILTER (WHERE ml IS NULL) FROM '{f}'", True),
    ("maps in a list", "SELECT id, map_keys(x), map_values(x) FROM '{f}' CROSS JOIN UNNEST(lm) AS u(x)",
     "SELECT id, map_keys(x), map_values(x) FROM (SELECT id, unnest(lm) AS x FROM '{f}')", False),
    ("lists in a map's values", "SELECT id, map_keys(ml), map_values(ml) FROM '{f}' ORDER BY id",
     "SELECT id, map_keys(ml), map_values(ml) FROM '{f}' ORDER BY id", True),
    ("a list in a struct in a list", "SELECT id, a, v, cardinality(v) FROM '{f}' CROSS JOIN UNNEST(lsl) AS u(a, v)",
     "SELECT id, e.a, e.v, len(e.v) FROM (SELECT id, unnest(lsl) AS e FROM '{f}')", False),
]



def compare_with_duckdb(lake, files, queries, prefix, failed):
    """Runs every (label, tarn_sql, duck_sql, ordered) query on every file in Tarn and DuckDB; appends each
    difference to `failed` and returns how many queries agreed."""
    passed = 0
    for kind, path in files.items():
        for label, tarn_sql, duck_sql, ordered in queries:
            name = f"{prefix}{kind}: {label}"
            got, error, code = run_tarn(lake, tarn_sql.format(f=path))
            want = [normalise(list(r)) for r in duckdb.sql(duck_sql.format(f=path)).fetchall()]
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
    return passed


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
        passed += compare_with_duckdb(lake, files, QUERIES, "", failed)
        # DESCRIBE names the nested types.
        got, error, _ = run_tarn(lake, f"DESCRIBE SELECT ints, m, s FROM '{files['groups']}'")
        types = [r[1] for r in got] if got else error
        if types == ["BIGINT[]", "MAP(VARCHAR, BIGINT)", "STRUCT(a BIGINT, b VARCHAR)"]:
            passed += 1
        else:
            failed.append(f"DESCRIBE: {types}")
        # Several levels of lists and maps (Dremel assembly with several repetition levels).
        deep_table = make_deep_table(max(30, args.rows // 3), 20261208)
        deep = {"groups": os.path.join(work, "deep.parquet"), "plain_v2": os.path.join(work, "deep_v2.parquet")}
        pq.write_table(deep_table, deep["groups"], row_group_size=max(1, deep_table.num_rows // 3), data_page_size=1024)
        pq.write_table(deep_table, deep["plain_v2"], use_dictionary=False, data_page_version="2.0", compression="zstd")
        passed += compare_with_duckdb(lake, deep, DEEP_QUERIES, "deep ", failed)
    for f in failed:
        print("FAIL", f)
    print(f"parquet_nested: {passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
