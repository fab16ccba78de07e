#!/usr/bin/env python3
"""Tarn vs DuckDB benchmark driver (see benchmarks/README.md). Invoked by `benchmarks/run`."""
import argparse, csv, json, math, os, shutil, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import duck_bench  # noqa: E402  (the query-file splitter both engines' runs share)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CACHE = os.path.join(HERE, ".cache")
RESULTS = os.path.join(HERE, "results")
QUERIES = os.path.join(HERE, "queries")
VIEWS_SQL = os.path.join(ROOT, "testdata", "workload", "athena_views_fixed.sql")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    log("+ " + (cmd if isinstance(cmd, str) else " ".join(cmd)))
    return subprocess.run(cmd, check=True, shell=isinstance(cmd, str), **kw)


PEER_PACKAGES = {"polars": "polars", "datafusion": "datafusion", "chdb": "chdb"}


def ensure_tools(peers=()):
    try:
        import duckdb  # noqa: F401
    except ImportError:
        sh([sys.executable, "-m", "pip", "install", "--quiet", "duckdb"])
    for engine in peers:
        try:
            __import__(engine)
        except ImportError:
            sh([sys.executable, "-m", "pip", "install", "--quiet", PEER_PACKAGES[engine]])
    if not shutil.which("tpchgen-cli"):
        sh([sys.executable, "-m", "pip", "install", "--quiet", "tpchgen-cli"])


def build_tarn(args):
    if args.tarn:
        return args.tarn
    scratch = os.path.join(ROOT, ".build-perf")
    sh(["swift", "build", "-c", "release", "--product", "tarn", "--scratch-path", scratch], cwd=ROOT)
    return os.path.join(scratch, "release", "tarn")


def split_queries(path):
    """(name, sql) pairs of a query file, as duck_bench.py splits it."""
    return duck_bench.split(open(path).read())


# ---------------------------------------------------------------- data

CAMPAIGN_NULLS = ("CREATE TABLE adtech_db.campaigns AS SELECT *, "
                  "CASE WHEN impressions % 7 = 3 THEN NULL ELSE spend END AS spend_n "
                  "FROM adtech_db.processed_campaign_data")

# The silver table as `tarn demo` builds it (examples/campaigns/pipeline.sql), column for column, so both engines hold
# the same table; prepare_campaign checks the list against Tarn's DESCRIBE so a pipeline change cannot break it silently.
CAMPAIGN_COLUMNS = [("campaign_id", "VARCHAR"), ("ad_id", "VARCHAR"), ("date", "DATE"), ("brand", "VARCHAR"),
                    ("country", "VARCHAR"), ("state", "VARCHAR"), ("city", "VARCHAR"), ("zipcode", "VARCHAR"),
                    ("impressions", "BIGINT"), ("clicks", "BIGINT"), ("spend", "DOUBLE"), ("conversions", "BIGINT"),
                    ("channel", "VARCHAR"), ("ctr", "DOUBLE"), ("cpc", "DOUBLE"), ("cpm", "DOUBLE"), ("conversion_rate", "DOUBLE")]
DUCK_CAMPAIGN_DDL = ("CREATE SCHEMA adtech_db;\nCREATE TABLE adtech_db.processed_campaign_data ("
                     + ", ".join(f'"{n}" {t}' for n, t in CAMPAIGN_COLUMNS) + ");")


def duck_views_sql():
    # Trino divides integers with truncation; DuckDB's `/` is float division, `//` the integer one.
    return open(VIEWS_SQL).read().replace("(SUM(impressions) / 1000)", "(SUM(impressions) // 1000)")


def tarn_scalar(tarn, lake, sql):
    out = subprocess.run([tarn, lake, "--format", "csv", "-c", sql], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[1:]


# The data file format the cached Tarn lakes were written in: a new version (2 added distinct counts to the file
# statistics, which the planner's estimates use) rebuilds them, keeping the generated CSV files.
LAKE_FORMAT = "f2"


def prepare_campaign(tarn, rows):
    # The cache folder names the column layout: a pipeline that changes the silver table gets a fresh cache.
    base = os.path.join(CACHE, f"campaign-{rows}-c{len(CAMPAIGN_COLUMNS)}-{LAKE_FORMAT}")
    lake, duck = os.path.join(base, "lake"), os.path.join(base, "duck.db")
    if os.path.exists(os.path.join(base, "ready")):
        return lake, duck
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    sh([tarn, "demo", lake, "--rows", str(rows)], stdout=subprocess.DEVNULL)
    views = "USE adtech_db;\n" + open(VIEWS_SQL).read()
    sh([tarn, lake, "-c", CAMPAIGN_NULLS])
    sh([tarn, lake, "-c", views])
    described = [tuple(line.split(",")[:2]) for line in tarn_scalar(tarn, lake, "DESCRIBE adtech_db.processed_campaign_data")]
    if described != CAMPAIGN_COLUMNS:
        raise SystemExit(f"bench.py's CAMPAIGN_COLUMNS no longer match tarn's silver table: {described}")
    silver_rows = int(tarn_scalar(tarn, lake, "SELECT count(*) FROM adtech_db.processed_campaign_data")[0])
    csv_path = os.path.join(base, "campaign.csv")
    sh([tarn, lake, "-c", f"COPY adtech_db.processed_campaign_data TO '{csv_path}' (FORMAT csv, HEADER true)"])
    import duckdb
    con = duckdb.connect(duck)
    con.execute(DUCK_CAMPAIGN_DDL)
    columns = "{" + ", ".join(f"'{n}': '{t}'" for n, t in CAMPAIGN_COLUMNS) + "}"
    con.execute(f"INSERT INTO adtech_db.processed_campaign_data SELECT * FROM read_csv('{csv_path}', header=true, "
                f"columns={columns})")
    con.execute(CAMPAIGN_NULLS)
    con.execute("USE adtech_db")
    con.execute(duck_views_sql())
    n = con.execute("SELECT count(*) FROM adtech_db.campaigns").fetchone()[0]
    con.close()
    # The cleaning rules drop some raw rows (counted in tarn.pipeline_drops): both engines hold silver's rows.
    if n != silver_rows:
        raise SystemExit(f"DuckDB loaded {n} rows, expected silver's {silver_rows} (of {rows} raw)")
    os.remove(csv_path)
    open(os.path.join(base, "ready"), "w").close()
    return lake, duck


def prepare_random_order(tarn, lake, duck):
    """`adtech_random`: the silver table's rows in a random order (the demo generator writes them clustered by campaign,
    which flatters a GROUP BY campaign_id) with the workload views over it, unchanged, in both engines. DuckDB loads
    Tarn's shuffled rows from CSV, so both hold the same rows in the same order."""
    base = os.path.dirname(lake)
    if os.path.exists(os.path.join(base, "random-ready")):
        return
    sh([tarn, lake, "-c", "DROP SCHEMA IF EXISTS adtech_random CASCADE"], stdout=subprocess.DEVNULL)
    sh([tarn, lake, "-c", "CREATE SCHEMA adtech_random; CREATE TABLE adtech_random.processed_campaign_data AS "
        "SELECT * FROM adtech_db.processed_campaign_data ORDER BY random()"], stdout=subprocess.DEVNULL)
    sh([tarn, lake, "-c", "USE adtech_random;\n" + open(VIEWS_SQL).read()], stdout=subprocess.DEVNULL)
    csv_path = os.path.join(base, "campaign-random.csv")
    sh([tarn, lake, "-c", f"COPY adtech_random.processed_campaign_data TO '{csv_path}' (FORMAT csv, HEADER true)"])
    import duckdb
    con = duckdb.connect(duck)
    con.execute("DROP SCHEMA IF EXISTS adtech_random CASCADE")
    con.execute(DUCK_CAMPAIGN_DDL.replace("adtech_db", "adtech_random"))
    columns = "{" + ", ".join(f"'{n}': '{t}'" for n, t in CAMPAIGN_COLUMNS) + "}"
    con.execute(f"INSERT INTO adtech_random.processed_campaign_data SELECT * FROM read_csv('{csv_path}', header=true, "
                f"columns={columns})")
    con.execute("USE adtech_random")
    con.execute(duck_views_sql())
    con.close()
    os.remove(csv_path)
    open(os.path.join(base, "random-ready"), "w").close()


TPCH_DDL = {
    "nation": "n_nationkey INTEGER, n_name VARCHAR, n_regionkey INTEGER, n_comment VARCHAR",
    "region": "r_regionkey INTEGER, r_name VARCHAR, r_comment VARCHAR",
    "part": "p_partkey INTEGER, p_name VARCHAR, p_mfgr VARCHAR, p_brand VARCHAR, p_type VARCHAR, p_size INTEGER, "
            "p_container VARCHAR, p_retailprice DECIMAL(15,2), p_comment VARCHAR",
    "supplier": "s_suppkey INTEGER, s_name VARCHAR, s_address VARCHAR, s_nationkey INTEGER, s_phone VARCHAR, "
                "s_acctbal DECIMAL(15,2), s_comment VARCHAR",
    "partsupp": "ps_partkey INTEGER, ps_suppkey INTEGER, ps_availqty INTEGER, ps_supplycost DECIMAL(15,2), ps_comment VARCHAR",
    "customer": "c_custkey INTEGER, c_name VARCHAR, c_address VARCHAR, c_nationkey INTEGER, c_phone VARCHAR, "
                "c_acctbal DECIMAL(15,2), c_mktsegment VARCHAR, c_comment VARCHAR",
    "orders": "o_orderkey INTEGER, o_custkey INTEGER, o_orderstatus VARCHAR, o_totalprice DECIMAL(15,2), o_orderdate DATE, "
              "o_orderpriority VARCHAR, o_clerk VARCHAR, o_shippriority INTEGER, o_comment VARCHAR",
    "lineitem": "l_orderkey INTEGER, l_partkey INTEGER, l_suppkey INTEGER, l_linenumber INTEGER, l_quantity DECIMAL(15,2), "
                "l_extendedprice DECIMAL(15,2), l_discount DECIMAL(15,2), l_tax DECIMAL(15,2), l_returnflag VARCHAR, "
                "l_linestatus VARCHAR, l_shipdate DATE, l_commitdate DATE, l_receiptdate DATE, l_shipinstruct VARCHAR, "
                "l_shipmode VARCHAR, l_comment VARCHAR",
}


def prepare_tpch(tarn, sf):
    base = os.path.join(CACHE, f"tpch-sf{sf}")
    csvdir, lake, duck = os.path.join(base, "csv"), os.path.join(base, "lake"), os.path.join(base, "duck.db")
    ready = os.path.join(base, f"ready-{LAKE_FORMAT}")
    if os.path.exists(ready):
        return lake, duck
    if not os.path.exists(os.path.join(csvdir, "lineitem.csv")):
        os.makedirs(csvdir, exist_ok=True)
        sh(["tpchgen-cli", "csv", "-s", str(sf), f"--output-dir={csvdir}"])
    shutil.rmtree(lake, ignore_errors=True)
    if os.path.exists(duck):
        os.remove(duck)
    import duckdb
    con = duckdb.connect(duck)
    for t, cols in TPCH_DDL.items():
        f = os.path.join(csvdir, f"{t}.csv")
        sh([tarn, lake, "-c", f"CREATE TABLE {t} ({cols}); COPY INTO {t} FROM '{f}' FORMAT csv;"], stdout=subprocess.DEVNULL)
        con.execute(f"CREATE TABLE {t} ({cols})")
        con.execute(f"COPY {t} FROM '{f}' (HEADER true)")
    con.close()
    open(ready, "w").close()
    return lake, duck


def prepare_parquet(duck_campaign, duck_tpch, rows, sf):
    """The campaign table and TPC-H lineitem as one zstd Parquet file each, written by DuckDB."""
    base = os.path.join(CACHE, f"parquet-{rows}-sf{sf}")
    campaigns, lineitem = os.path.join(base, "campaigns.parquet"), os.path.join(base, "lineitem.parquet")
    if not os.path.exists(os.path.join(base, "ready")):
        shutil.rmtree(base, ignore_errors=True)
        os.makedirs(base)
        import duckdb
        for db, table, path in ((duck_campaign, "adtech_db.campaigns", campaigns), (duck_tpch, "lineitem", lineitem)):
            con = duckdb.connect(db, read_only=True)
            con.execute(f"COPY {table} TO '{path}' (FORMAT parquet, COMPRESSION zstd)")
            con.close()
        open(os.path.join(base, "ready"), "w").close()
    return base, campaigns, lineitem


def prepare_peer_tables(duck, tables, tag):
    """The DuckDB tables `tables` as one zstd Parquet file each (written by DuckDB, cached): what the peers read."""
    base = os.path.join(CACHE, f"peers-{tag}")
    paths = {t: os.path.join(base, t.replace(".", "_") + ".parquet") for t in tables}
    if not os.path.exists(os.path.join(base, "ready")):
        shutil.rmtree(base, ignore_errors=True)
        os.makedirs(base)
        import duckdb
        con = duckdb.connect(duck, read_only=True)
        for table, path in paths.items():
            con.execute(f"COPY {table} TO '{path}' (FORMAT parquet, COMPRESSION zstd)")
        con.close()
        open(os.path.join(base, "ready"), "w").close()
    return paths


# ---------------------------------------------------------------- measuring

CHILD_TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", "60"))


def run_child(cmd, name="?", timeout=None):
    """Runs a benchmark child; returns (lines, peak RSS in MB, CPU seconds). A child running longer than
    `timeout` (default CHILD_TIMEOUT) seconds is killed and reported as an error line."""
    timeout = timeout or CHILD_TIMEOUT
    import threading
    # ru_maxrss of a forked child starts at the parent's RSS (this Python process, with DuckDB loaded), so the
    # peak is taken by /usr/bin/time around the exec'ed engine instead.
    rss_file = tempfile.NamedTemporaryFile(suffix=".rss", delete=False).name
    if os.path.exists("/usr/bin/time"):
        cmd = ["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    killed = []
    # Kill the whole process group: /usr/bin/time's child holds the output pipe.
    timer = threading.Timer(timeout, lambda: (killed.append(1), os.killpg(p.pid, 9)))
    timer.start()
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    lines = [l.split("\t") for l in out.splitlines() if l.strip()]
    if killed:
        lines = [l for l in lines if len(l) >= 3 and l[1] != "ERROR"] or [[name, "ERROR", f"timeout after {timeout} s"]]
        if all(l[1] != "ERROR" for l in lines):
            lines.append([name, "ERROR", f"timeout after {timeout} s"])
    elif p.returncode != 0 and not out:
        lines = [[name, "ERROR", f"exit status {p.returncode}"]]
    peak_kb = usage.ru_maxrss
    try:
        text = open(rss_file).read().strip().splitlines()
        peak_kb = int(text[-1]) if text and text[-1].isdigit() else peak_kb
    except OSError:
        pass
    os.remove(rss_file)
    return lines, peak_kb / 1024, usage.ru_utime + usage.ru_stime


def drop_caches():
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


class Measurement:
    def __init__(self, name):
        self.name = name
        self.tarn, self.duck = [], []
        self.tarn_cpu, self.duck_cpu = [], []
        self.tarn_rss = self.duck_rss = 0.0
        self.tarn_error = self.duck_error = None
        self.tarn_rows = self.duck_rows = None
        self.cold_tarn = self.cold_duck = None
        # False for statements whose result is not rows (COPY TO: Tarn reports rows written, DuckDB one count row).
        self.compare_rows = True
        # Peers (--peers): engine -> timed runs, error, rows.
        self.peer_ms, self.peer_error, self.peer_rows = {}, {}, {}


def absorb(lines, times, kind, m):
    for parts in lines:
        if len(parts) >= 3 and parts[1] == "ERROR":
            setattr(m, kind + "_error", parts[2])
        elif len(parts) >= 3:
            times.append(float(parts[1]))
            setattr(m, kind + "_rows", int(parts[2]))


def absorb_peer(lines, engine, m):
    for parts in lines:
        if len(parts) >= 3 and parts[1] == "ERROR":
            m.peer_error[engine] = parts[2]
        elif len(parts) >= 3:
            m.peer_ms.setdefault(engine, []).append(float(parts[1]))
            m.peer_rows[engine] = int(parts[2])


def measure(tarn, lake, duck, name, sql, args, setup_tarn=None, setup_duck="", cold=False, duck_sql=None, peer_tables=None):
    """Times `sql` in both engines (`duck_sql` instead in DuckDB when given), and in the --peers engines over the
    Parquet files `peer_tables` names, alternating the order round by round."""
    m = Measurement(name)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(f"-- name: {name}\n{sql}\n")
        qfile = f.name
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(f"-- name: {name}\n{duck_sql or sql}\n")
        duck_qfile = f.name
    try:
        def tarn_cmd(warmup, runs):
            c = [tarn, "bench", lake, "--threads", str(args.threads), "--warmup", str(warmup), "--runs", str(runs), "--file", qfile]
            return c + (["--setup", setup_tarn] if setup_tarn else [])

        def duck_cmd(warmup, runs):
            return [sys.executable, os.path.join(HERE, "duck_bench.py"), duck, str(args.threads), str(warmup), str(runs), duck_qfile, setup_duck]

        if cold:
            if drop_caches():
                lines, _, _ = run_child(tarn_cmd(0, 1), name)
                t = []; absorb(lines, t, "tarn", m); m.cold_tarn = t[0] if t else None
                drop_caches()
                lines, _, _ = run_child(duck_cmd(0, 1), name)
                d = []; absorb(lines, d, "duck", m); m.cold_duck = d[0] if d else None
        def peer_cmd(engine):
            return lambda warmup, runs: [sys.executable, os.path.join(HERE, "peer_bench.py"), engine, json.dumps(peer_tables),
                                         str(args.threads), str(warmup), str(runs), qfile]

        peers = [(engine, peer_cmd(engine)) for engine in (args.peers if peer_tables else [])]
        for r in range(args.rounds):
            order = [("tarn", tarn_cmd), ("duck", duck_cmd)] + peers
            order = order[r % len(order):] + order[:r % len(order)]
            for kind, cmd in order:
                if kind not in ("tarn", "duck"):
                    if kind not in m.peer_error:
                        absorb_peer(run_child(cmd(1, args.runs), name)[0], kind, m)
                    continue
                if getattr(m, kind + "_error"):
                    continue
                lines, rss, cpu = run_child(cmd(1, args.runs), name)
                before = len(getattr(m, kind))
                absorb(lines, getattr(m, kind), kind, m)
                timed = len(getattr(m, kind)) - before
                if timed:
                    # CPU seconds of the whole child (start-up, warm-up and timed runs) per query execution.
                    getattr(m, kind + "_cpu").append(cpu / (timed + 1) * 1000)
                setattr(m, kind + "_rss", max(getattr(m, kind + "_rss"), rss))
    finally:
        os.remove(qfile)
        os.remove(duck_qfile)
    med = lambda xs: statistics.median(xs) if xs else None
    peer_text = "".join(f", {e} {med(m.peer_ms.get(e, []))} ms" + (f" [{m.peer_error[e][:60]}]" if e in m.peer_error else "")
                        for e in (args.peers if peer_tables else []))
    log(f"  {name}: tarn {med(m.tarn)} ms, duckdb {med(m.duck)} ms{peer_text}" + (f"  [tarn error: {m.tarn_error}]" if m.tarn_error else ""))
    return m


def column_bytes(duck, queries):
    """Bytes of the columns each query touches, as plain values (8 B numbers, 4 B dates, string lengths)."""
    import duckdb
    con = duckdb.connect(duck, read_only=True)
    out = {}
    for name, (table, cols) in queries.items():
        total, rows = 0, con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for c in cols:
            typ = con.execute(f"SELECT typeof(\"{c}\") FROM {table} LIMIT 1").fetchone()[0]
            if typ == "VARCHAR":
                total += con.execute(f"SELECT sum(strlen(\"{c}\")) FROM {table}").fetchone()[0]
            elif typ == "DATE" or typ == "INTEGER":
                total += 4 * rows
            else:
                total += 8 * rows
        out[name] = (rows, total)
    con.close()
    return out


def memory_bandwidth(threads):
    exe = os.path.join(CACHE, "membw")
    if not os.path.exists(exe):
        sh(["cc", "-O3", "-march=native", "-pthread", os.path.join(HERE, "membw.c"), "-o", exe])
    return float(subprocess.run([exe, str(threads), "1024"], capture_output=True, text=True, check=True).stdout.strip())


def startup_time(tarn, lake):
    cmd = f"echo 'SELECT 1;' | {tarn} {lake} > /dev/null"
    if shutil.which("hyperfine"):
        out = os.path.join(CACHE, "hyperfine.json")
        subprocess.run(["hyperfine", "-N" if False else "--shell=bash", "--warmup", "5", "--runs", "30", "--export-json", out, cmd],
                       capture_output=True, check=True)
        import json
        r = json.load(open(out))["results"][0]
        return r["median"] * 1000
    ts = []
    for _ in range(20):
        t = time.perf_counter(); subprocess.run(cmd, shell=True); ts.append(time.perf_counter() - t)
    return statistics.median(ts) * 1000


def delta_publish(tarn, lake, duck, runs):
    """Publishing the campaign table as a Delta table (Tarn `EXPORT TABLE … (FORMAT delta)`, one version) against
    DuckDB writing the same rows with `COPY … TO '….parquet'`: medians of `runs` runs, each into a fresh folder."""
    import duckdb
    work = tempfile.mkdtemp(prefix="tarn-bench-delta-")
    try:
        tarn_ms, duck_ms = [], []
        for r in range(runs):
            out = os.path.join(work, f"delta-{r}")
            t = time.perf_counter()
            sh([tarn, lake, "-c", f"EXPORT TABLE adtech_db.campaigns TO '{out}' (FORMAT delta)"], stdout=subprocess.DEVNULL)
            tarn_ms.append((time.perf_counter() - t) * 1000)
            con = duckdb.connect(duck, read_only=True)
            t = time.perf_counter()
            con.execute(f"COPY adtech_db.campaigns TO '{os.path.join(work, f'duck-{r}.parquet')}' (FORMAT parquet)")
            duck_ms.append((time.perf_counter() - t) * 1000)
            con.close()
        a, b = statistics.median(tarn_ms), statistics.median(duck_ms)
        return (f"publish as Delta (EXPORT TABLE adtech_db.campaigns, FORMAT delta): tarn {a:.0f} ms vs DuckDB "
                f"COPY TO parquet {b:.0f} ms = {a / b:.2f}x (median of {runs})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def ingest(tarn, rows):
    r = subprocess.run(["bash", os.path.join(HERE, "ingest.sh"), str(rows)], env=dict(os.environ, TARN=tarn),
                       capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else f"ingest.sh failed: {r.stderr.strip()[-500:]}"


# ---------------------------------------------------------------- reporting

def write_svg(path, ms):
    rows = [(m.name, statistics.median(m.tarn) / statistics.median(m.duck)) for m in ms if m.tarn and m.duck]
    if not rows:
        return
    w, bar, left = 760, 18, 190
    h = 40 + len(rows) * (bar + 6) + 30
    top = max(2.0, max(r for _, r in rows) * 1.05)
    scale = (w - left - 60) / top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
             f'<text x="{left}" y="20" font-weight="bold">Tarn time / DuckDB time (lower is better; 1.0 = parity)</text>']
    for i, (name, r) in enumerate(rows):
        y = 35 + i * (bar + 6)
        color = "#2a9d8f" if r <= 1.0 else ("#e9c46a" if r <= 1.5 else "#e76f51")
        parts.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{name}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{r * scale:.1f}" height="{bar}" fill="{color}"/>')
        parts.append(f'<text x="{left + r * scale + 4:.1f}" y="{y + 13}">{r:.2f}</text>')
    for v in (1.0, 1.5):
        x = left + v * scale
        parts.append(f'<line x1="{x:.1f}" y1="28" x2="{x:.1f}" y2="{h - 25}" stroke="#333" stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{x:.1f}" y="{h - 10}" text-anchor="middle">{v}</text>')
    parts.append("</svg>")
    open(path, "w").write("\n".join(parts))


def geometric_means(ms, peers):
    """Lines with the geometric mean of Tarn's time / each other engine's, over the queries both ran (row counts equal)."""
    med = lambda xs: statistics.median(xs) if xs else None
    out = []
    for engine in ["duckdb"] + list(peers):
        ratios = []
        for m in ms:
            t = med(m.tarn)
            other = med(m.duck) if engine == "duckdb" else med(m.peer_ms.get(engine, []))
            other_rows = m.duck_rows if engine == "duckdb" else m.peer_rows.get(engine)
            if t and other and (not m.compare_rows or other_rows == m.tarn_rows):
                ratios.append(t / other)
        if ratios:
            g = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
            out.append(f"geometric mean of Tarn / {engine}: {g:.2f} over {len(ratios)} queries both ran with equal row counts")
    return out


def report(ms, sizes, extras, peers=()):
    med = lambda xs: statistics.median(xs) if xs else None
    # spread = (slowest − fastest) / median of every timed run over all rounds (each round is a fresh process).
    spread = lambda xs: f"{100 * (max(xs) - min(xs)) / statistics.median(xs):.0f}%" if len(xs) > 1 and statistics.median(xs) > 0 else "-"
    head = ["query", "tarn_ms", "tarn_spread", "duckdb_ms", "duckdb_spread", "ratio", "tarn_cpu_ms", "duckdb_cpu_ms", "cpu_ratio", "tarn_Mrows_s", "tarn_GB_s", "tarn_peak_MB", "duckdb_peak_MB",
            "cold_tarn_ms", "cold_duckdb_ms"]
    for engine in peers:
        head += [f"{engine}_ms", f"ratio_{engine}"]
    head.append("note")
    table = []
    for m in ms:
        t, d = med(m.tarn), med(m.duck)
        rows, nbytes = sizes.get(m.name, (None, None))
        peer_cells = []
        for engine in peers:
            p = med(m.peer_ms.get(engine, []))
            same = not m.compare_rows or m.peer_rows.get(engine) == m.tarn_rows
            peer_cells += [f"{p:.1f}" if p else ("err" if engine in m.peer_error else "-"),
                           f"{t / p:.2f}" if t and p and same else ("rows differ" if t and p else "-")]
        table.append([
            m.name,
            f"{t:.1f}" if t else "-", spread(m.tarn), f"{d:.1f}" if d else "-", spread(m.duck),
            f"{t / d:.2f}" if t and d else "-",
            f"{med(m.tarn_cpu):.0f}" if m.tarn_cpu else "-", f"{med(m.duck_cpu):.0f}" if m.duck_cpu else "-",
            f"{med(m.tarn_cpu) / med(m.duck_cpu):.2f}" if m.tarn_cpu and m.duck_cpu and med(m.duck_cpu) > 0 else "-",
            f"{rows / t / 1e3:.0f}" if t and rows else "-",
            f"{nbytes / t / 1e6:.2f}" if t and nbytes else "-",
            f"{m.tarn_rss:.0f}" if m.tarn_rss else "-", f"{m.duck_rss:.0f}" if m.duck_rss else "-",
            f"{m.cold_tarn:.1f}" if m.cold_tarn else "-", f"{m.cold_duck:.1f}" if m.cold_duck else "-",
            *peer_cells,
            ("tarn: " + m.tarn_error[:90]) if m.tarn_error else (("duckdb: " + m.duck_error[:90]) if m.duck_error else
             ("row counts differ" if m.compare_rows and m.tarn_rows is not None and m.duck_rows is not None and m.tarn_rows != m.duck_rows else "")),
        ])
    widths = [max(len(str(r[i])) for r in table + [head]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(widths[i]) if i in (0, len(head) - 1) else str(c).rjust(widths[i]) for i, c in enumerate(r))
             for r in [head] + table]
    text = "\n".join(lines) + "\n\n" + "\n".join(geometric_means(ms, peers) + extras) + "\n"
    print(text)
    os.makedirs(RESULTS, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for name in (f"results-{stamp}.csv", "latest.csv"):
        with open(os.path.join(RESULTS, name), "w", newline="") as f:
            w = csv.writer(f); w.writerow(head); w.writerows(table)
    open(os.path.join(RESULTS, "latest.txt"), "w").write(text)
    write_svg(os.path.join(RESULTS, "latest-ratios.svg"), ms)
    log(f"results in {RESULTS}/latest.csv, latest.txt, latest-ratios.svg")


def main():
    ap = argparse.ArgumentParser(description="Tarn vs DuckDB benchmarks")
    ap.add_argument("--rows", type=int, default=10_000_000, help="campaign table rows")
    ap.add_argument("--sf", type=float, default=1, help="TPC-H scale factor")
    ap.add_argument("--quick", action="store_true", help="1 round, no cold runs, no ingestion; exits 1 when a query fails "
                    "in either engine or their row counts differ (the harness check CI runs on tiny data)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds (each a child process per engine)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per round after one warm-up")
    ap.add_argument("--only", default="", help="comma-separated suites: scans,views,analyst,tpch,parquet,lakeops (default all)")
    ap.add_argument("--peers", default="", help="also time Polars, DataFusion and chDB (comma-separated, or 'all') on Parquet "
                    "exports of the same tables, for the scans, analyst and tpch suites")
    ap.add_argument("--filter", default="", help="only queries whose name contains this")
    ap.add_argument("--ingest-rows", type=int, default=1_000_000)
    ap.add_argument("--tarn", help="use this tarn binary instead of building")
    args = ap.parse_args()
    if args.quick:
        args.rounds = 1
    sf = int(args.sf) if args.sf == int(args.sf) else args.sf
    suites = set((args.only or "scans,views,analyst,tpch,parquet,lakeops").split(","))
    args.peers = list(PEER_PACKAGES) if args.peers == "all" else [p for p in args.peers.split(",") if p]
    for engine in args.peers:
        if engine not in PEER_PACKAGES:
            raise SystemExit(f"--peers: unknown engine '{engine}' (polars, datafusion, chdb or all)")
    ensure_tools(args.peers)
    tarn = build_tarn(args)
    os.makedirs(CACHE, exist_ok=True)
    ms, sizes, extras = [], {}, []
    scan_cols = {"sum_bigint": ["impressions"], "sum_double_nulls": ["spend_n"], "count_filter": ["country", "clicks"],
                 "count_distinct_zip": ["zipcode"]}
    if suites & {"scans", "views", "analyst"}:
        lake, duck = prepare_campaign(tarn, args.rows)
        campaign_peers = prepare_peer_tables(duck, ["adtech_db.campaigns"], f"campaign-{args.rows}") if args.peers else None
        want = {k: ("adtech_db.campaigns", v) for k, v in scan_cols.items()}
        view_cols = ["impressions", "clicks", "spend", "conversions"]
        dims = ["campaign_id", "brand", "country", "state", "city", "zipcode", "date"]
        want["view_campaign_summary"] = ("adtech_db.processed_campaign_data", ["campaign_id"] + view_cols)
        want["view_campaign_performance"] = ("adtech_db.processed_campaign_data", dims + view_cols)
        want["view_creative_performance"] = ("adtech_db.processed_campaign_data", ["ad_id"] + dims + view_cols)
        sizes.update(column_bytes(duck, want))
        if "scans" in suites:
            log("== scans")
            for name, sql in split_queries(os.path.join(QUERIES, "campaign.sql")):
                if args.filter in name:
                    ms.append(measure(tarn, lake, duck, name, sql, args, cold=not args.quick, peer_tables=campaign_peers))
        if "views" in suites:
            prepare_random_order(tarn, lake, duck)
            want["view_campaign_summary_random_order"] = ("adtech_random.processed_campaign_data", ["campaign_id"] + view_cols)
            sizes.update(column_bytes(duck, {"view_campaign_summary_random_order": want["view_campaign_summary_random_order"]}))
            log("== views")
            for name, sql in split_queries(os.path.join(QUERIES, "views.sql")):
                if args.filter in name:
                    ms.append(measure(tarn, lake, duck, name, sql, args))
        if "analyst" in suites:
            log("== analyst query classes")
            for name, sql in split_queries(os.path.join(QUERIES, "analyst.sql")):
                if args.filter in name:
                    ms.append(measure(tarn, lake, duck, name, sql, args, peer_tables=campaign_peers))
    if "tpch" in suites:
        lake_t, duck_t = prepare_tpch(tarn, sf)
        sizes.update(column_bytes(duck_t, {
            "tpch_q01": ("lineitem", ["l_returnflag", "l_linestatus", "l_quantity", "l_extendedprice", "l_discount", "l_tax", "l_shipdate"]),
            "tpch_q06": ("lineitem", ["l_shipdate", "l_discount", "l_quantity", "l_extendedprice"])}))
        tpch_peers = prepare_peer_tables(duck_t, list(TPCH_DDL), f"tpch-sf{sf}") if args.peers else None
        log("== tpch")
        for name, sql in split_queries(os.path.join(QUERIES, "tpch.sql")):
            if args.filter in name:
                ms.append(measure(tarn, lake_t, duck_t, name, sql, args, peer_tables=tpch_peers))
    if "parquet" in suites:
        lake_c, duck_c = prepare_campaign(tarn, args.rows)
        lake_t, duck_t = prepare_tpch(tarn, sf)
        base, campaigns, lineitem = prepare_parquet(duck_c, duck_t, args.rows, sf)
        log("== parquet")
        for name, sql in split_queries(os.path.join(QUERIES, "parquet.sql")):
            if args.filter in name:
                ms.append(measure(tarn, lake_c, duck_c, name, sql.replace("{campaigns}", campaigns).replace("{lineitem}", lineitem), args))
        if args.filter in "pq_copy_to_zstd":
            # COPY TO parquet of the whole campaign table, zstd, each engine from its own stored table to its own file.
            out_t, out_d = os.path.join(base, "tarn_copy.parquet"), os.path.join(base, "duckdb_copy.parquet")
            copy = "COPY adtech_db.campaigns TO '{}' (FORMAT parquet, COMPRESSION zstd)"
            m = measure(tarn, lake_c, duck_c, "pq_copy_to_zstd", copy.format(out_t), args, duck_sql=copy.format(out_d))
            m.compare_rows = False
            ms.append(m)
            if os.path.exists(out_t) and os.path.exists(out_d):
                st, sd = os.path.getsize(out_t), os.path.getsize(out_d)
                extras.append(f"COPY TO parquet (zstd) of adtech_db.campaigns: Tarn {st / 1e6:.1f} MB, DuckDB {sd / 1e6:.1f} MB "
                              f"(Tarn/DuckDB size {st / sd:.2f})")
    lakeops_problems = []
    if "lakeops" in suites and (not args.filter or args.filter in "merge_upsert_spread merge_upsert_recent optimize_landing"):
        import lake_ops
        lake_c, _ = prepare_campaign(tarn, args.rows)
        lake_ms, lake_extras, lakeops_problems = lake_ops.run(tarn, lake_c, args.rows, args, sys.modules[__name__])
        ms += lake_ms
        extras += lake_extras + ([] if args.quick else [f"PROBLEM: {p}" for p in lakeops_problems])
    bw = memory_bandwidth(args.threads)
    extras.append(f"memory bandwidth (STREAM-like sum, {args.threads} threads): {bw:.2f} GB/s")
    for m in ms:
        if m.name in ("sum_bigint", "sum_double_nulls", "tpch_q06") and m.tarn and m.name in sizes:
            gbs = sizes[m.name][1] / statistics.median(m.tarn) / 1e6
            extras.append(f"  {m.name}: {gbs:.2f} GB/s of plain column data = {gbs / bw:.0%} of memory bandwidth")
    if "scans" in suites and args.filter in "delta_publish":
        extras.append(delta_publish(tarn, lake, duck, 1 if args.quick else 3))
    if suites & {"scans", "views", "analyst"}:
        extras.append(f"start-up `echo 'SELECT 1;' | tarn LAKE` (median, warm cache): {startup_time(tarn, lake):.1f} ms")
    if not args.quick and "ingest" in (args.only or "ingest"):
        extras.append("ingestion (benchmarks/ingest.sh):\n" + ingest(tarn, args.ingest_rows))
    extras.append(f"load average at end: {os.getloadavg()[0]:.1f}; threads={args.threads}; rounds={args.rounds} x runs={args.runs}")
    report(ms, sizes, extras, args.peers)
    if args.quick:
        problems = [f"{m.name}: " + (f"tarn: {m.tarn_error}" if m.tarn_error else f"duckdb: {m.duck_error}" if m.duck_error
                                     else f"{m.tarn_rows} rows in tarn, {m.duck_rows} in duckdb")
                    for m in ms if m.tarn_error or m.duck_error or (m.compare_rows and m.tarn_rows != m.duck_rows)] + lakeops_problems
        if not ms or problems:
            raise SystemExit("benchmark harness check failed:\n  " + ("\n  ".join(problems) or "no query was measured"))
        log(f"harness check: {len(ms)} queries ran in both engines with equal row counts")


if __name__ == "__main__":
    main()
