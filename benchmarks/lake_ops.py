"""The `lakeops` suite of benchmarks/run (see benchmarks/README.md): MERGE and OPTIMIZE on the campaign lake.

* merge_upsert_spread / merge_upsert_recent: `MERGE INTO bench_ops.target USING bench_ops.changes_… ON row_id …`
  where the target is the campaign table with a row_id (N rows; 10M raw rows at the default size) and the source
  holds N/20 changed rows (spend and clicks) and N/20 new ones (1M together at 10M rows), the changed ones spread
  over the whole table (every file of the target holds one) or among its most recent tenth (the last rows written),
  in Tarn and in DuckDB (its MERGE INTO, DuckDB >= 1.4) on the same rows: Tarn builds both tables, exports them to Parquet, and DuckDB loads those files. Every run starts
  from the same target: Tarn RESTOREs it untimed before each run (`tarn bench --write --before`), DuckDB re-creates
  it from a copy. After the runs both engines' targets are compared (count, sums).
* optimize_landing: OPTIMIZE of the demo lake's landing table as daily landings leave it: `bench_ops.landing` is
  loaded like `adtech_db.campaign_raw` but with one `COPY INTO … FROM 'file'` per raw JSON file of the demo (366 at
  10M rows: one small data file each); files before and after, and a scan of it before and after.

Works on a copy of the cached lake (catalog copied, data files hard-linked: Tarn never changes a data file in
place), so the cache stays as it was.
"""
import os, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

MERGE_COLUMNS = ["row_id", "campaign_id", "ad_id", "date", "brand", "country", "state", "city", "zipcode", "impressions",
                 "clicks", "spend", "conversions", "channel", "ctr", "cpc", "cpm", "conversion_rate", "spend_n"]
SCAN = "SELECT count(*), sum(impressions), sum(clicks) FROM bench_ops.landing"


def merge_sql(changes):
    cols = ", ".join(MERGE_COLUMNS)
    values = ", ".join("s." + c for c in MERGE_COLUMNS)
    return (f"MERGE INTO bench_ops.target t USING bench_ops.{changes} s ON t.row_id = s.row_id\n"
            "WHEN MATCHED THEN UPDATE SET spend = s.spend, clicks = s.clicks\n"
            f"WHEN NOT MATCHED THEN INSERT ({cols}) VALUES ({values})")


def changes_sql(table, updated_where, new_where):
    def select(overrides, where):
        return "SELECT " + ", ".join(overrides.get(c, c) + (f" AS {c}" if c in overrides else "") for c in MERGE_COLUMNS) \
            + f" FROM bench_ops.target WHERE {where}"
    updated = select({"spend": "spend * 1.1", "clicks": "clicks + 1"}, updated_where)
    new = select({"row_id": "row_id + 1000000000"}, new_where)
    return f"CREATE TABLE bench_ops.{table} AS {updated} UNION ALL {new};"


def variants(n):
    """(measurement name, source table, rows updated, rows inserted) of the two MERGEs on an n-row target."""
    recent = n - n // 10
    return [("merge_upsert_spread", "changes_spread", "row_id % 20 = 0", "row_id % 20 = 1"),
            ("merge_upsert_recent", "changes_recent", f"row_id > {recent} AND row_id % 2 = 0", f"row_id > {recent} AND row_id % 2 = 1")]


def copy_lake(src, dst):
    """The lake's catalog copied and its data (and change) files hard-linked; raw landings are not needed."""
    os.makedirs(dst)
    con = sqlite3.connect(os.path.join(src, "catalog.db"))
    out = sqlite3.connect(os.path.join(dst, "catalog.db"))
    con.backup(out)
    out.close(); con.close()
    for folder in ("data", "changes"):
        if os.path.isdir(os.path.join(src, folder)):
            subprocess.run(["cp", "-al", os.path.join(src, folder), os.path.join(dst, folder)], check=True)


def landing_files(lake):
    con = sqlite3.connect(os.path.join(lake, "catalog.db"))
    n = con.execute("SELECT count(*) FROM data_files f JOIN tables t ON t.table_id = f.table_id JOIN schemas s ON "
                    "s.schema_id = t.schema_id WHERE s.name = 'bench_ops' AND t.name = 'landing' "
                    "AND f.removed_version IS NULL").fetchone()[0]
    con.close()
    return n


def tarn_rows(tarn, lake, sql):
    out = subprocess.run([tarn, lake, "--format", "csv", "-c", sql], capture_output=True, text=True, check=True).stdout
    return [line.split(",") for line in out.splitlines()[1:]]


def run(tarn, lake, rows, args, bench):
    """Returns (measurements, extra report lines, problems)."""
    import duckdb
    ms, extras, problems = [], [], []
    work = tempfile.mkdtemp(prefix="lakeops-", dir=os.path.dirname(os.path.dirname(lake)))
    try:
        copy = os.path.join(work, "lake")
        copy_lake(lake, copy)
        bench.log("== lakeops: preparing the MERGE target and sources")
        bench.sh([tarn, copy, "-c", "CREATE SCHEMA bench_ops; CREATE TABLE bench_ops.target AS "
                  "SELECT row_number() OVER () AS row_id, * FROM adtech_db.campaigns"], stdout=subprocess.DEVNULL)
        # Deletion vectors (docs/LAKE.md; new tables' default, set explicitly so the mode does not depend on the build
        # or on the cached lake): MERGE marks the updated rows' old positions deleted instead of rewriting their files.
        # LAKEOPS_COPY_ON_WRITE=1 measures the rewriting MERGE instead.
        mode = "false" if os.environ.get("LAKEOPS_COPY_ON_WRITE") == "1" else "true"
        bench.sh([tarn, copy, "-c", f"ALTER TABLE bench_ops.target SET TBLPROPERTIES ('deletion_vectors' = '{mode}')"],
                 stdout=subprocess.DEVNULL)
        n_target = int(tarn_rows(tarn, copy, "SELECT count(*) FROM bench_ops.target")[0][0])
        kinds = variants(n_target)
        bench.sh([tarn, copy, "-c", " ".join(changes_sql(t, u, w) for _, t, u, w in kinds)], stdout=subprocess.DEVNULL)
        base_version = int(tarn_rows(tarn, copy, "DESCRIBE HISTORY bench_ops.target")[0][0])  # newest first
        tables = ["target"] + [t for _, t, _, _ in kinds]
        bench.sh([tarn, copy, "-c", "; ".join(f"COPY bench_ops.{t} TO '{os.path.join(work, t)}.parquet' (FORMAT parquet)"
                                              for t in tables)], stdout=subprocess.DEVNULL)
        duck = os.path.join(work, "duck.db")
        con = duckdb.connect(duck)
        con.execute(f"SET threads = {args.threads}")
        con.execute("CREATE SCHEMA bench_ops")
        for t in tables:
            con.execute(f"CREATE TABLE bench_ops.{'target_base' if t == 'target' else t} AS "
                        f"SELECT * FROM read_parquet('{os.path.join(work, t)}.parquet')")
        restore = f"RESTORE TABLE bench_ops.target TO VERSION AS OF {base_version}"
        runs = max(1, args.runs)
        check = "SELECT count(*), count(DISTINCT row_id), round(sum(spend), 2), sum(clicks) FROM bench_ops.target"
        for name, changes, _, _ in kinds:
            n_changes = con.execute(f"SELECT count(*) FROM bench_ops.{changes}").fetchone()[0]
            m = bench.Measurement(name)
            m.compare_rows = False  # a MERGE's result row: Tarn's four counts, DuckDB's one
            sql = merge_sql(changes)
            with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
                f.write(f"-- name: {name}\n{sql}\n")
                qfile = f.name
            for r in range(args.rounds):
                cmd = [tarn, "bench", copy, "--write", "--before", restore, "--threads", str(args.threads), "--warmup", "1",
                       "--runs", str(runs), "--file", qfile]
                lines, rss, cpu = bench.run_child(cmd, name, timeout=max(bench.CHILD_TIMEOUT, 600))
                before = len(m.tarn)
                bench.absorb(lines, m.tarn, "tarn", m)
                if len(m.tarn) > before:
                    m.tarn_cpu.append(cpu / (len(m.tarn) - before + 1) * 1000)
                m.tarn_rss = max(m.tarn_rss, rss)
                for i in range(1 + runs):
                    con.execute("CREATE OR REPLACE TABLE bench_ops.target AS SELECT * FROM bench_ops.target_base")
                    con.execute("CHECKPOINT")
                    t = time.perf_counter()
                    try:
                        con.execute(sql).fetchall()
                        con.execute("CHECKPOINT")  # durable, as Tarn's commit is
                    except Exception as e:  # report and go on
                        m.duck_error = str(e).splitlines()[0]
                        break
                    if i >= 1:
                        m.duck.append((time.perf_counter() - t) * 1000)
            os.remove(qfile)
            ms.append(m)
            bench.log(f"  {name} ({n_changes} source rows into {n_target}): tarn "
                      f"{statistics.median(m.tarn) if m.tarn else None} ms, duckdb {statistics.median(m.duck) if m.duck else None} ms"
                      + (f"  [tarn error: {m.tarn_error}]" if m.tarn_error else ""))
            # Both targets after the MERGE: the same rows.
            if not m.tarn_error and not m.duck_error:
                t_row = [str(v) for v in tarn_rows(tarn, copy, check)[0]]
                d_row = [str(v) for v in con.execute(check).fetchone()]
                same = t_row[:2] == d_row[:2] and t_row[3] == d_row[3] and \
                    abs(float(t_row[2]) - float(d_row[2])) <= 1e-6 * max(1.0, abs(float(d_row[2])))
                extras.append(f"{name}: MERGE of {n_changes} changed/new rows into {n_target}; target after it (count, "
                              f"distinct row_id, sum(spend), sum(clicks)) tarn {t_row} duckdb {d_row}" + ("" if same else "  DIFFERENT"))
                if not same:
                    problems.append(f"{name}: targets differ after MERGE: tarn {t_row}, duckdb {d_row}")
        con.close()

        if args.filter and args.filter not in "optimize_landing":
            return ms, extras, problems   # --filter merge…: the MERGEs only
        # OPTIMIZE of the landing table as daily landings leave it: one COPY INTO (one commit, one data file) per raw file.
        raw = sorted(os.path.join(d, f) for d, _, names in os.walk(os.path.join(lake, "raw")) for f in names if f.endswith(".json"))
        script = os.path.join(work, "landings.sql")
        with open(script, "w") as f:
            f.write("CREATE TABLE bench_ops.landing AS SELECT * FROM adtech_db.campaign_raw LIMIT 0;\n")
            for path in raw:
                f.write(f"COPY INTO bench_ops.landing FROM '{path}' FORMAT json;\n")
        bench.log(f"== lakeops: landing {len(raw)} raw files one COPY INTO at a time")
        with open(script) as f:
            bench.sh([tarn, copy], stdin=f, stdout=subprocess.DEVNULL)
        before_files = landing_files(copy)

        def scan_ms():
            """(warm median, cold) ms of the scan; cold after dropping the page cache (root only, else nan)."""
            def timed(warmup, n):
                lines, _, _ = bench.run_child([tarn, "bench", copy, "--threads", str(args.threads), "--warmup", str(warmup),
                                               "--runs", str(n), f"optimize_scan={SCAN}"], "optimize_scan")
                times = [float(p[1]) for p in lines if len(p) >= 3 and p[1] != "ERROR"]
                errors = [p[2] for p in lines if len(p) >= 3 and p[1] == "ERROR"]
                if errors:
                    problems.append("optimize_landing scan: " + errors[0])
                return times
            cold = timed(0, 1) if not args.quick and bench.drop_caches() else []
            warm = timed(1, max(3, runs))
            return (statistics.median(warm) if warm else float("nan")), (cold[0] if cold else float("nan"))
        scan_before = scan_ms()
        result_before = tarn_rows(tarn, copy, SCAN)
        t = time.perf_counter()
        out = tarn_rows(tarn, copy, "OPTIMIZE bench_ops.landing")
        optimize_ms = (time.perf_counter() - t) * 1000
        after_files = landing_files(copy)
        scan_after = scan_ms()
        result_after = tarn_rows(tarn, copy, SCAN)
        if result_after != result_before:
            problems.append(f"optimize_landing: the scan's result changed: {result_before} -> {result_after}")
        extras.append(f"OPTIMIZE bench_ops.landing ({len(raw)} daily landings of adtech_db.campaign_raw, {result_before[0][0]} rows): files {before_files} -> "
                      f"{after_files} (OPTIMIZE said {out[0] if out else '?'}), {optimize_ms:.0f} ms incl. start-up; "
                      f"scan `{SCAN}` warm {scan_before[0]:.1f} ms -> {scan_after[0]:.1f} ms, "
                      f"cold {scan_before[1]:.1f} ms -> {scan_after[1]:.1f} ms")
        if after_files >= before_files and before_files > 1:
            problems.append(f"optimize_landing: OPTIMIZE left {after_files} of {before_files} files")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ms, extras, problems
