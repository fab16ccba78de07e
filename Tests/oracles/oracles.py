#!/usr/bin/env python3
"""Logic-bug oracles for Tarn: SQLancer's Ternary Logic Partitioning (TLP) and NoREC, plus a differential run
against DuckDB, over seeded random tables and queries.

Usage: python3 Tests/oracles/oracles.py [--seed N] [--queries N] [--oracle tlp|norec|duckdb|all]
                                        [--tarn PATH] [--batch N] [--max-reports N] [--quiet]

Every round generates one or two random tables (INTEGER, BIGINT, DOUBLE, VARCHAR, DATE and BOOLEAN columns with
NULLs, duplicates and edge values) and a batch of random queries, and pipes them all into one long-lived
`tarn LAKE --format json` process (a marker query after each query tells the results apart; a query that prints
nothing failed). The oracles:

- tlp:    `Q` has the same rows as `Q WHERE p UNION ALL Q WHERE NOT p UNION ALL Q WHERE p IS NULL`; also the
          DISTINCT form, the aggregate form (MIN/MAX/SUM/COUNT of the three partitions recombined) and the HAVING form.
- norec:  `SELECT count(*) FROM t WHERE p` equals `SELECT sum(CASE WHEN p THEN 1 ELSE 0 END) FROM t`.
- duckdb: the same query in DuckDB (`SET integer_division = true`) has the same rows.

Queries that fail in Tarn (with the same error for every partition) are counted but are not discrepancies; a
query Tarn rejects but DuckDB runs is counted as `tarn_only_error` (Tarn follows Trino: integer division truncates,
division by zero and integer overflow are errors, VARCHAR never compares with a number implicitly). Every
discrepancy is printed with a reproduction: the DDL and data, and the queries whose results differ.
Exit status 1 when any discrepancy was found. The whole run is a function of --seed.
"""
import argparse
import collections
import datetime
import fractions
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import sqlite3
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "differential"))
from common import ensure_duckdb, normalize, tarn_binary, values_equal  # noqa: E402

from generator import Generator  # noqa: E402

MARK = "__oracle_mark__"
MARK_SQL = f"SELECT 1 AS {MARK};"


class Crash(Exception):
    pass


def run_batch(tarn, setup, queries, timeout=600):
    """Runs `setup` then every query in one `tarn LAKE --format json` process on a fresh lake.

    Returns (setup_errors, results, errors, crash): results[i] is the list of rows of query i or None when it failed;
    errors[i] its error message; crash is a description when the process died (the queries after it are None)."""
    lake = tempfile.mkdtemp(prefix="tarn-oracle-")
    try:
        script = [s.rstrip().rstrip(";") + ";" for s in setup]
        script.append(MARK_SQL)
        first_query_statement = len(script) + 1
        for q in queries:
            script.append(q.rstrip().rstrip(";") + ";")
            script.append(MARK_SQL)
        text = "\n".join(s.replace("\n", " ") for s in script) + "\n"
        try:
            done = subprocess.run([tarn, os.path.join(lake, "lake"), "--format", "json"], input=text,
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return [], [None] * len(queries), [None] * len(queries), f"timed out after {timeout}s"
        outputs = split_json_arrays(done.stdout)
        # Group the outputs between markers: the first group is the setup, then one group per query.
        groups, current = [], []
        for out in outputs:
            if len(out) == 1 and len(out[0]) == 1 and out[0][0][0] == MARK:
                groups.append(current)
                current = []
            else:
                current.append(out)
        setup_group = groups[0] if groups else []
        del setup_group
        query_groups = groups[1:]
        results, errors = [], [None] * len(queries)
        for i in range(len(queries)):
            if i < len(query_groups) and len(query_groups[i]) == 1:
                results.append([tuple(v for _, v in row) for row in query_groups[i][0]])
            else:
                results.append(None)
        setup_errors = []
        for line in done.stderr.splitlines():
            if not line.startswith("error: statement "):
                continue
            try:
                number = int(line[len("error: statement "):].split(",")[0])
            except ValueError:
                continue
            if number < first_query_statement:
                setup_errors.append(line)
            else:
                index = (number - first_query_statement) // 2
                if 0 <= index < len(queries):
                    errors[index] = line.split(": ", 2)[-1] if ": " in line else line
        crash = None
        if done.returncode < 0 or len(query_groups) < len(queries):
            crash = f"tarn exited with status {done.returncode} after {len(query_groups)} of {len(queries)} queries; " \
                    f"stderr tail: {done.stderr.strip()[-300:]}"
        return setup_errors, results, errors, crash
    finally:
        shutil.rmtree(lake, ignore_errors=True)


def split_json_arrays(text):
    """The JSON arrays printed one after another by `--format json` (objects kept as (key, value) pair lists)."""
    decoder = json.JSONDecoder(object_pairs_hook=lambda pairs: pairs)
    out, i, n = [], 0, len(text)
    while i < n:
        while i < n and text[i] in " \r\n\t":
            i += 1
        if i >= n:
            break
        if text[i] != "[":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl + 1
            continue
        value, i = decoder.raw_decode(text, i)
        out.append(value)
    return out


def sort_key(row):
    """Orders rows of normalised values; doubles by 15 significant digits (common.sort_key's 9 would order
    3000000002.0 and 2999999995.5 as equal and pair the wrong rows)."""
    key = []
    for v in row:
        if v is None:
            key.append((0, 0.0, ""))
        elif isinstance(v, int):
            key.append((1, v, ""))  # exact: two BIGINTs may agree in their first 15 digits
        elif isinstance(v, float):
            key.append((1, float("%.15g" % v) if v == v else float("inf"), ""))
        else:
            key.append((2, 0.0, str(v)))
    return key


def compare(expected, got, ordered=False):
    """None when the two result sets hold the same rows (as multisets); else the first difference."""
    expected = [tuple(normalize(v) for v in row) for row in expected]
    got = [tuple(normalize(v) for v in row) for row in got]
    if len(expected) != len(got):
        return f"row count: expected {len(expected)}, got {len(got)}"
    if not ordered:
        expected, got = sorted(expected, key=sort_key), sorted(got, key=sort_key)
    for i, (e, g) in enumerate(zip(expected, got)):
        if len(e) != len(g) or not all(values_equal(x, y) for x, y in zip(e, g)):
            return f"row {i}: expected {e}, got {g}"
    return None


def multiset(rows):
    return sorted((tuple(normalize(v) for v in row) for row in rows), key=sort_key)


class Checks:
    """Pending oracle checks of one round: each names its queries and how to judge their results."""

    def __init__(self):
        self.queries = []
        self.checks = []  # (oracle, kind, [query indexes], judge)

    def add(self, oracle, kind, queries, judge):
        indexes = []
        for q in queries:
            indexes.append(len(self.queries))
            self.queries.append(q)
        self.checks.append((oracle, kind, indexes, judge))


def rows_equal(a, b):
    return compare(a, b, ordered=False) is None


def recombine(kind, parts):
    """The aggregate over the whole table from its values over the three TLP partitions."""
    values = [p for p in parts if p is not None]
    if kind == "count":
        return sum(values) if values else 0
    if not values:
        return None
    if kind == "sum":
        return sum(values)
    if kind == "min":
        return min(values, key=lambda v: sort_key([normalize(v)]))
    return max(values, key=lambda v: sort_key([normalize(v)]))


def plan_round(gen, rng, oracles, count):
    """Random checks for one round's tables, about `count` checks in all."""
    checks = Checks()
    for i in range(count):
        oracle = oracles[i % len(oracles)]
        if oracle == "tlp":
            plan_tlp(gen, rng, checks)
        elif oracle == "norec":
            source = gen.from_clause()
            p = gen.predicate(source)
            checks.add("norec", "count", [
                f"SELECT count(*) FROM {source.sql} WHERE {p}",
                f"SELECT sum(CASE WHEN {p} THEN 1 ELSE 0 END) FROM {source.sql}",
            ], lambda r: [[(r[0][0][0] or 0,)], [(r[1][0][0] or 0,)]])
        else:
            checks.add(oracle, "diff", [gen.random_query()], None)
    return checks


# SQLite as a second reference. The generator writes Trino SQL; these are the forms SQLite spells differently or
# evaluates differently by design (its upper/lower fold ASCII only; its LIKE folds case unless told not to), or
# lacks (quantified comparisons `x op ANY (SELECT …)`: those queries are checked by the other oracles only).
SQLITE_SKIP = re.compile(r"\b(upper|lower)\(|[<>=] (ANY|SOME|ALL) \(SELECT", re.IGNORECASE)


def sqlite_sql(sql):
    """The query in SQLite's spelling: DATE 'x' literals are ISO text (compared in the same order), and a window's
    ORDER BY puts NULLs last as Trino and DuckDB do (SQLite: first when ASC)."""
    sql = re.sub(r"DATE '(\d{4}-\d\d-\d\d)'", r"'\1'", sql)
    sql = re.sub(r"(OVER \([^()]*ORDER BY [\w.]+(?: ASC| DESC)?)\)", r"\1 NULLS LAST)", sql)
    return sql


def sqlite_connection(setup):
    con = sqlite3.connect(":memory:")
    con.execute("PRAGMA case_sensitive_like = ON")
    # Trino's year() / month() on the ISO text SQLite holds dates as.
    con.create_function("year", 1, lambda d: int(d[:4]) if isinstance(d, str) else None, deterministic=True)
    con.create_function("month", 1, lambda d: int(d[5:7]) if isinstance(d, str) else None, deterministic=True)
    # SQLite's avg sums BIGINTs in a double (avg(2^63-1, 5, -(2^63-1)) is not 5/3); Tarn and DuckDB sum exactly.
    con.create_aggregate("avg", 1, ExactAverage)
    for statement in setup:
        con.execute(sqlite_sql(statement))
    return con


class ExactAverage:
    """avg() for the SQLite reference: an exact sum of integers (doubles summed with fsum), divided once."""

    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        if not self.values:
            return None
        if all(isinstance(v, int) for v in self.values):
            return float(fractions.Fraction(sum(self.values), len(self.values)))
        return math.fsum(float(v) for v in self.values) / len(self.values)


def run_sqlite(con, sql):
    if SQLITE_SKIP.search(sql):
        return None, "skipped"
    try:
        return con.execute(sqlite_sql(sql)).fetchall(), None
    except Exception as error:
        return None, str(error).splitlines()[0][:200]


def plan_tlp(gen, rng, checks):
    source = gen.from_clause()
    p = gen.predicate(source)
    parts = [f"WHERE {p}", f"WHERE NOT ({p})", f"WHERE ({p}) IS NULL"]
    form = rng.choice(["where", "where", "distinct", "aggregate", "having"])
    if form == "where":
        cols = gen.select_list(source)
        base = f"SELECT {cols} FROM {source.sql}"
        union = " UNION ALL ".join(f"SELECT {cols} FROM {source.sql} {w}" for w in parts)
        checks.add("tlp", "where", [base, union], lambda r: [r[0], r[1]])
    elif form == "distinct":
        cols = gen.select_list(source)
        base = f"SELECT DISTINCT {cols} FROM {source.sql}"
        union = " UNION ".join(f"SELECT DISTINCT {cols} FROM {source.sql} {w}" for w in parts)
        checks.add("tlp", "distinct", [base, union], lambda r: [r[0], r[1]])
    elif form == "aggregate":
        kind, expr = gen.aggregate(source)
        agg = f"{kind}({expr})" if kind != "count" or expr != "*" else "count(*)"
        queries = [f"SELECT {agg} FROM {source.sql}"] + [f"SELECT {agg} FROM {source.sql} {w}" for w in parts]

        def judge(r, kind=kind):
            whole = r[0][0][0]
            combined = recombine(kind, [x[0][0] for x in r[1:]])
            return [[(whole,)], [(combined,)]]
        checks.add("tlp", f"aggregate-{kind}", queries, judge)
    else:
        group = gen.group_keys(source)
        having = gen.having_predicate(source, group)
        select = f"SELECT {group}, count(*), {gen.aggregate_sql(source)} FROM {source.sql} GROUP BY {group}"
        hparts = [f"HAVING {having}", f"HAVING NOT ({having})", f"HAVING ({having}) IS NULL"]
        union = " UNION ALL ".join(f"{select} {h}" for h in hparts)
        checks.add("tlp", "having", [select, union], lambda r: [r[0], r[1]])


def run_duckdb(con, sql):
    try:
        return con.execute(sql).fetchall(), None
    except Exception as error:  # DuckDB's own exception classes vary by version
        return None, str(error).splitlines()[0][:200]


def reproduction(setup, queries, results, errors):
    lines = ["-- reproduction (run with: tarn LAKE --format json < repro.sql)"]
    lines += [s.rstrip(";") + ";" for s in setup]
    for q, r, e in zip(queries, results, errors):
        lines.append(q + ";")
        shown = e if r is None else repr(multiset(r)[:12]) + (" …" if len(r) > 12 else "")
        lines.append(f"--   → {shown}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=2000, help="oracle checks per oracle")
    parser.add_argument("--oracle", choices=["tlp", "norec", "duckdb", "sqlite", "all"], default="all")
    parser.add_argument("--tarn", default=None, help="the tarn binary (default: $TARN_BIN, then .build/…/tarn)")
    parser.add_argument("--batch", type=int, default=300, help="checks per round (one table set, one tarn process)")
    parser.add_argument("--max-reports", type=int, default=20, help="discrepancies printed in full")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    tarn = args.tarn or tarn_binary()
    oracles = ["tlp", "norec", "duckdb", "sqlite"] if args.oracle == "all" else [args.oracle]
    duckdb = ensure_duckdb() if "duckdb" in oracles else None

    rng = random.Random(args.seed)
    total = args.queries * len(oracles)
    stats = collections.Counter()
    reports = 0
    tarn_errors = collections.Counter()
    duckdb_errors = collections.Counter()
    duckdb_error_examples = []
    tarn_error_examples = []
    done = 0
    round_number = 0
    while done < total:
        round_seed = rng.randrange(1 << 62)
        round_rng = random.Random(round_seed)
        gen = Generator(round_rng)
        setup = gen.tables_sql()
        checks = plan_round(gen, round_rng, oracles, min(args.batch, total - done))
        done += len(checks.checks)
        round_number += 1
        setup_errors, results, errors, crash = run_batch(tarn, setup, checks.queries)
        if setup_errors:
            stats["setup_errors"] += 1
            print(f"round {round_number} (seed {round_seed}): setup failed: {setup_errors[0]}", file=sys.stderr)
            continue
        if crash:
            stats["crashes"] += 1
            last = next((i for i, r in enumerate(results) if r is None and errors[i] is None), None)
            print(f"CRASH in round {round_number} (seed {round_seed}): {crash}")
            if last is not None:
                print(reproduction(setup, [checks.queries[last]], [None], ["crashed"]))
        con = None
        if duckdb is not None:
            con = duckdb.connect()
            con.execute("SET integer_division = true")
            for s in setup:
                con.execute(s)
        sqlite_con = sqlite_connection(setup) if "sqlite" in oracles else None
        references = {"duckdb": (lambda q: run_duckdb(con, q)), "sqlite": (lambda q: run_sqlite(sqlite_con, q))}
        for oracle, kind, indexes, judge in checks.checks:
            stats[f"{oracle}:queries"] += len(indexes)
            stats[f"{oracle}:checks"] += 1
            qs = [checks.queries[i] for i in indexes]
            rs = [results[i] for i in indexes]
            es = [errors[i] for i in indexes]
            if oracle in references:
                expected, derr = references[oracle](qs[0])
                if derr == "skipped":
                    stats[f"{oracle}:skipped"] += 1
                    continue
                if rs[0] is None and expected is None:
                    stats[f"{oracle}:both_error"] += 1
                    continue
                if rs[0] is None:
                    stats[f"{oracle}:tarn_only_error"] += 1
                    tarn_errors[classify(es[0])] += 1
                    if classify(es[0]) != "overflow" and len(tarn_error_examples) < 3:
                        tarn_error_examples.append(f"{qs[0]}\n    Tarn: {es[0]}")
                    continue
                if expected is None:
                    stats[f"{oracle}:{oracle}_only_error"] += 1
                    duckdb_errors[f"{oracle}: {classify(derr)}"] += 1
                    if len(duckdb_error_examples) < 3:
                        duckdb_error_examples.append(f"{qs[0]}\n    {oracle}: {derr}")
                    continue
                diff = compare(expected, rs[0], ordered=False)
                if diff is None:
                    stats[f"{oracle}:agree"] += 1
                    continue
                stats[f"{oracle}:discrepancies"] += 1
                if reports < args.max_reports:
                    reports += 1
                    print(f"\n=== DISCREPANCY {oracle} (round {round_number}, seed {round_seed}): {diff}")
                    print(reproduction(setup, qs, rs, es))
                    print(f"--   {oracle} → {multiset(expected)[:12]!r}")
                continue
            if any(r is None for r in rs):
                # The partitions evaluate the predicate, the whole query does not: an error there (an overflow,
                # a failed cast) says nothing about logic. Crashes are reported above.
                stats[f"{oracle}:errors"] += 1
                message = next(e for r, e in zip(rs, es) if r is None)
                tarn_errors[classify(message)] += 1
                if classify(message) != "overflow" and len(tarn_error_examples) < 3:
                    tarn_error_examples.append(f"{next(q for q, r in zip(qs, rs) if r is None)}\n    Tarn: {message}")
                continue
            try:
                left, right = judge(rs)
            except (IndexError, TypeError) as error:
                left, right = rs[0], [("judge failed: %s" % error,)]
            if rows_equal(left, right):
                stats[f"{oracle}:agree"] += 1
                continue
            stats[f"{oracle}:discrepancies"] += 1
            if reports < args.max_reports:
                reports += 1
                print(f"\n=== DISCREPANCY {oracle}/{kind} (round {round_number}, seed {round_seed}): "
                      f"{compare(left, right, ordered=False)}")
                print(reproduction(setup, qs, rs, es))
        if con is not None:
            con.close()
        if sqlite_con is not None:
            sqlite_con.close()
        if not args.quiet:
            print(f"round {round_number}: {done}/{total} checks; " +
                  ", ".join(f"{k}={v}" for k, v in sorted(stats.items()) if "discrep" in k or "crash" in k),
                  file=sys.stderr)

    print("\nsummary (seed %d):" % args.seed)
    for oracle in oracles:
        keys = sorted(k for k in stats if k.startswith(oracle + ":"))
        print("  " + oracle + ": " + ", ".join(f"{k.split(':')[1]}={stats[k]}" for k in keys))
    if stats["crashes"] or stats["setup_errors"]:
        print(f"  crashes={stats['crashes']} setup_errors={stats['setup_errors']}")
    if tarn_errors:
        print("  Tarn errors by kind: " + ", ".join(f"{k} ×{v}" for k, v in tarn_errors.most_common(12)))
    for example in tarn_error_examples:
        print("    e.g. " + example[:600])
    if duckdb_errors:
        print("  reference-only errors by kind: " + ", ".join(f"{k} ×{v}" for k, v in duckdb_errors.most_common(8)))
        for example in duckdb_error_examples:
            print("    e.g. " + example[:600])
    failed = stats["crashes"] + sum(v for k, v in stats.items() if k.endswith("discrepancies"))
    sys.exit(1 if failed else 0)


def classify(message):
    """A short class of an error message, for the summary."""
    if not message:
        return "unknown"
    text = message.split(": ", 1)[-1]
    for word in ("overflow", "division by zero", "cannot cast", "cannot compare", "type", "syntax", "not supported",
                 "unknown function", "out of range"):
        if word in text:
            return word
    return text[:60]


if __name__ == "__main__":
    main()
