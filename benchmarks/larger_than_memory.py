#!/usr/bin/env python3
"""Larger than memory (issue 21): Tarn and DuckDB under the same `memory_limit` on a generated campaign table.

    benchmarks/larger_than_memory.py [--rows N] [--limit 4GB] [--only sort,groupby,selfjoin] [--tarn PATH] [--quick]

Generates `campaign` (N rows; default 100,000,000) with the same SQL in both engines (integers and short strings from
the row number, so both hold identical rows), then runs, each engine in its own child process with `threads = 2`:

* sort      `COPY (SELECT … FROM campaign ORDER BY spend DESC, campaign, id) TO 'out.csv'` — a full ORDER BY whose
            whole output is written, so neither engine may drop the sort;
* groupby   a GROUP BY with one group per row (`GROUP BY id`), reduced to one row;
* selfjoin  `campaign a JOIN campaign b ON a.id = b.id + 1`, reduced to one row.

Reports wall time, Tarn/DuckDB ratio, CPU time (user + system, from `os.wait4`) of each and their ratio, peak RSS of each child (from `os.wait4`; DuckDB's includes Python, ~30 MB) as a
multiple of the limit, and whether the two answers are equal (the sorted CSV files byte for byte, the reduced rows).
A query over `--timeout` seconds or failing is reported as such (e.g. Tarn's clear out-of-memory error).
`--quick` (CI, ~30 s): 200,000 rows, Tarn under 8MB (DuckDB, the reference, under 256MB: it cannot run under 8MB);
the queries write their whole answers (`QUICK_QUERIES`: the GROUP BY with a DISTINCT aggregate, the join's rows, and a
windowed query, ordered) and each must equal DuckDB's byte for byte; exit 1 when they differ, either engine fails or Tarn leaves
spill files. Data is cached under benchmarks/.cache/ltm-N/.
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def ensure_duckdb():
    try:
        import duckdb  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "duckdb"], check=True)


def table_sql(rows):
    """The campaign table from the row number i: the same SQL text runs in both engines."""
    i = "generate_series"
    return f"""CREATE TABLE campaign AS SELECT
        {i} AS id,
        ({i} * 7919) % 50000 AS campaign_id,
        'campaign-' || CAST(({i} * 7919) % 50000 AS VARCHAR) AS campaign,
        ({i} * 104729) % 250 AS geo_id,
        {i} % 366 AS day_index,
        ({i} * 31337) % 10000 AS impressions,
        ({i} * 131) % 97 AS clicks,
        ({i} * 2654435761) % 1000003 AS spend
    FROM generate_series(1, {rows})"""


QUERIES = {
    "sort": ("COPY (SELECT id, campaign_id, campaign, geo_id, spend FROM campaign ORDER BY spend DESC, campaign, id) "
             "TO '{out}' (FORMAT csv, HEADER false)"),
    "groupby": ("SELECT count(*), sum(s), max(c) FROM (SELECT id, sum(spend) AS s, count(*) AS c FROM campaign GROUP BY id) g"),
    "selfjoin": ("SELECT count(*), sum(a.spend - b.spend) FROM campaign a JOIN campaign b ON a.id = b.id + 1"),
}


# `--quick` checks every spilling operator's whole answer against DuckDB's, byte for byte: the GROUP BY (with a
# DISTINCT aggregate) and the join write all their rows, ordered, instead of one reduced row.
QUICK_QUERIES = {
    "sort": QUERIES["sort"],
    "groupby": ("COPY (SELECT id % 50000 AS k, count(*) AS n, sum(spend) AS s, count(DISTINCT geo_id) AS g, "
                "min(campaign) AS c FROM campaign GROUP BY id % 50000 ORDER BY k) TO '{out}' (FORMAT csv, HEADER false)"),
    "selfjoin": ("COPY (SELECT a.id, a.campaign, b.spend, b.geo_id FROM campaign a JOIN campaign b ON a.id = b.id + 1 "
                 "ORDER BY a.id) TO '{out}' (FORMAT csv, HEADER false)"),
    "window": ("COPY (SELECT id, campaign_id, sum(spend) OVER (PARTITION BY campaign_id ORDER BY id) AS running, "
               "row_number() OVER (PARTITION BY campaign_id ORDER BY spend DESC, id) AS rank FROM campaign ORDER BY id) "
               "TO '{out}' (FORMAT csv, HEADER false)"),
}


def run_measured(args, timeout):
    """Runs `args`; returns (seconds, peak RSS in MiB from wait4, stdout, error text or None, CPU seconds)."""
    start = time.monotonic()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(args, stdout=out, stderr=err, text=True)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                return (time.monotonic() - start, usage.ru_maxrss / 1024, "", f"timed out after {timeout}s",
                        usage.ru_utime + usage.ru_stime)
            time.sleep(0.05)
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        code = os.waitstatus_to_exitcode(status)
        error = None if code == 0 else ((err.read().strip() or out.read().strip())[:400] or f"exit {code}")
        out.seek(0)
        return seconds, usage.ru_maxrss / 1024, out.read(), error, usage.ru_utime + usage.ru_stime


DUCK_CHILD = r"""
import sys, duckdb
db, limit, temp, sql = sys.argv[1:5]
con = duckdb.connect(db)
con.execute("SET threads = 2")
con.execute("SET enable_progress_bar = false")
con.execute(f"SET memory_limit = '{limit}'")
con.execute(f"SET temp_directory = '{temp}'")
con.execute("SET preserve_insertion_order = true")
rows = con.execute(sql).fetchall()
print("|".join(str(v) for v in rows[0]) if rows else "")
"""


def tarn_answer(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-1].strip() if lines else ""


def file_digest(path):
    if not os.path.exists(path):
        return None
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--limit", default="4GB")
    parser.add_argument("--duckdb-limit", help="DuckDB's memory_limit when it must differ (default: --limit)")
    parser.add_argument("--only", default="sort,groupby,selfjoin")
    parser.add_argument("--tarn", help="tarn binary (default: build release into .build-perf)")
    parser.add_argument("--timeout", type=int, default=3600)
    parser.add_argument("--quick", action="store_true", help="CI: 200,000 rows, 8MB, whole answers must agree")
    args = parser.parse_args()
    if args.quick:
        # DuckDB cannot run at all under 8MB ("could not allocate block"): here it is the reference answer only.
        args.rows, args.limit, args.only, args.timeout = 200_000, "8MB", ",".join(QUICK_QUERIES), 120
        args.duckdb_limit = args.duckdb_limit or "256MB"
    duck_limit = args.duckdb_limit or args.limit
    ensure_duckdb()
    import duckdb

    tarn = args.tarn
    if not tarn:
        subprocess.run(["swift", "build", "-c", "release", "--product", "tarn", "--scratch-path", ".build-perf"], cwd=ROOT, check=True)
        tarn = os.path.join(ROOT, ".build-perf", "release", "tarn")

    cache = os.path.join(HERE, ".cache", f"ltm-{args.rows}")
    lake, duck_db = os.path.join(cache, "lake"), os.path.join(cache, "duck.db")
    if not (os.path.exists(os.path.join(cache, "ready"))):
        shutil.rmtree(cache, ignore_errors=True)
        os.makedirs(cache)
        print(f"generating {args.rows:,} rows in both engines …", flush=True)
        seconds, _, _, error, _ = run_measured([tarn, lake, "-c", table_sql(args.rows)], 7200)
        if error:
            sys.exit(f"tarn: generating the table failed: {error}")
        print(f"  tarn {seconds:.1f} s", flush=True)
        con = duckdb.connect(duck_db)
        start = time.monotonic()
        con.execute(table_sql(args.rows))
        con.close()
        print(f"  duckdb {time.monotonic() - start:.1f} s", flush=True)
        open(os.path.join(cache, "ready"), "w").close()

    limit_mb = None
    work = tempfile.mkdtemp(prefix="tarn-ltm-")
    failures = 0
    try:
        from_text = args.limit.strip().lower()
        units = {"kb": 1e3, "mb": 1e6, "gb": 1e9, "kib": 1024, "mib": 1 << 20, "gib": 1 << 30}
        number = float("".join(c for c in from_text if c.isdigit() or c == "."))
        limit_mb = number * units.get(from_text.lstrip("0123456789. "), 1) / (1 << 20)
        print(f"\n{args.rows:,} rows, memory_limit = '{args.limit}' ({limit_mb:,.1f} MiB)"
              + (f", DuckDB '{duck_limit}'" if duck_limit != args.limit else "") + ", threads = 2\n")
        print(f"{'query':<10} {'tarn_s':>9} {'duckdb_s':>9} {'ratio':>6} {'tarn_cpu':>9} {'duck_cpu':>9} {'cpu_ratio':>9} "
              f"{'tarn_MB':>8} {'duck_MB':>8} {'tarn/limit':>10} {'same':>5}  notes")
        for name in [q for q in args.only.split(",") if q]:
            template = (QUICK_QUERIES if args.quick else QUERIES)[name]
            outs = {e: os.path.join(work, f"{name}-{e}.csv") for e in ("tarn", "duckdb")}
            tarn_temp = os.path.join(work, "tarn-temp")
            t_seconds, t_rss, t_out, t_error, t_cpu = run_measured(
                [tarn, lake, "--memory-limit", args.limit, "--temp-directory", tarn_temp, "--format", "csv",
                 "-c", "SET threads = 2; " + template.format(out=outs["tarn"])], args.timeout)
            d_seconds, d_rss, d_out, d_error, d_cpu = run_measured(
                [sys.executable, "-c", DUCK_CHILD, duck_db, duck_limit, os.path.join(work, "duck-temp"),
                 template.format(out=outs["duckdb"])], args.timeout)
            if "{out}" in template:
                same = not t_error and not d_error and file_digest(outs["tarn"]) == file_digest(outs["duckdb"])
            else:
                same = not t_error and not d_error and tarn_answer(t_out).replace(",", "|") == tarn_answer(d_out)
            left = os.path.exists(tarn_temp) and any(os.scandir(tarn_temp))
            notes = "; ".join(x for x in [f"tarn: {t_error}" if t_error else "", f"duckdb: {d_error}" if d_error else "",
                                          "tarn left spill files" if left else ""] if x)
            ratio = f"{t_seconds / d_seconds:.2f}" if not t_error and not d_error else "-"
            cpu_ratio = f"{t_cpu / d_cpu:.2f}" if not t_error and not d_error and d_cpu > 0 else "-"
            print(f"{name:<10} {t_seconds:>9.1f} {d_seconds:>9.1f} {ratio:>6} {t_cpu:>9.1f} {d_cpu:>9.1f} {cpu_ratio:>9} "
                  f"{t_rss:>8.0f} {d_rss:>8.0f} "
                  f"{t_rss / limit_mb:>10.2f} {('yes' if same else 'NO'):>5}  {notes}", flush=True)
            if not same or t_error or d_error or left:
                failures += 1
            for path in outs.values():
                if os.path.exists(path):
                    os.remove(path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if args.quick:
            shutil.rmtree(cache, ignore_errors=True)
    return 1 if args.quick and failures else 0


if __name__ == "__main__":
    sys.exit(main())
