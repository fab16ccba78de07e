#!/usr/bin/env python3
"""Copying a PostgreSQL table into the lake (issue 26): Tarn's ATTACH + CREATE TABLE AS (binary COPY, parallel ctid
ranges) against `psql \\copy` to CSV followed by Tarn's COPY INTO, and DuckDB's postgres scanner when it can be
installed. Reports wall time and the peak resident memory of each process. Not run in CI.

Usage: benchmarks/postgres_extract.py [--rows 10000000] [--tarn .build/release/tarn]
"""
import argparse, importlib.util, os, resource, shutil, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("opsdb", os.path.join(here, "..", "Tests", "opsdb", "run.py"))
opsdb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(opsdb)
sys.path.insert(0, os.path.join(here, "..", "Tests", "peers"))
from duckdb_extensions import DUCKDB_VERSION, duckdb_with_extension  # noqa: E402


def timed(cmd, env=None):
    """Runs cmd; returns (seconds, peak RSS in MiB of that child, stdout)."""
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read()
    err = proc.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[0]} failed: {err}")
    return time.time() - start, usage.ru_maxrss / 1024, out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--tarn", default=os.path.join(here, "..", ".build", "release", "tarn"))
    args = parser.parse_args()
    tarn = os.path.abspath(args.tarn)
    opsdb.ensure_packages()
    tmp = tempfile.mkdtemp(prefix="tarn-pgbench-")
    pg = opsdb.Postgres(tmp)
    try:
        # log_statement=all would log nothing large here; COPY is one statement.
        start = time.time()
        pg.psql(f"""CREATE TABLE orders(id int8, customer text, amount numeric(10,2), status text, placed date, updated_at timestamptz);
                    INSERT INTO orders SELECT g, 'customer_' || (g % 100000), (g % 100000) / 100.0,
                      CASE WHEN g % 7 = 0 THEN NULL ELSE 'open' END, DATE '2024-01-01' + (g % 365),
                      TIMESTAMPTZ '2024-01-01 00:00:00+00' + g * interval '1 second' FROM generate_series(1, {args.rows}) g;
""")
        pg.psql("VACUUM ANALYZE orders")
        size = pg.psql("SELECT pg_size_pretty(pg_relation_size('orders'))")[0][0]
        print(f"source: {args.rows:,} rows, {size}, generated in {time.time() - start:.1f}s")
        env = dict(os.environ, PGPASSWORD=opsdb.PASSWORD)
        dsn = f"postgresql://tarn@127.0.0.1:{pg.port}/postgres"

        lake = os.path.join(tmp, "lake")
        t, rss, _ = timed([tarn, lake, "-c", f"ATTACH '{dsn}' AS ops (TYPE postgres); CREATE TABLE orders AS SELECT * FROM ops.orders;"], env)
        print(f"tarn ATTACH + CREATE TABLE AS (binary COPY, parallel ranges): {t:.1f}s, peak RSS {rss:.0f} MiB, {args.rows / t / 1e6:.2f} M rows/s")
        t1, rss1, _ = timed([tarn, lake, "-c", "SET threads = 1; " + f"ATTACH '{dsn}' AS ops (TYPE postgres); CREATE TABLE orders1 AS SELECT * FROM ops.orders;"], env)
        print(f"tarn, one reader (SET threads = 1): {t1:.1f}s, peak RSS {rss1:.0f} MiB")

        csv = os.path.join(tmp, "orders.csv")
        psql = os.path.join(pg.bin, "psql")
        tc, rssc, _ = timed([psql, "-h", "127.0.0.1", "-p", str(pg.port), "-U", "tarn", "-d", "postgres", "-X", "-q", "-c",
                             f"\\copy orders TO '{csv}' CSV HEADER"], env)
        tl, rssl, _ = timed([tarn, lake, "-c", f"COPY INTO orders_csv FROM '{csv}' FORMAT csv;"], env)
        print(f"psql \\copy to CSV: {tc:.1f}s (peak RSS {rssc:.0f} MiB) + tarn COPY INTO from the CSV: {tl:.1f}s (peak RSS {rssl:.0f} MiB)"
              f" = {tc + tl:.1f}s")
        check = subprocess.run([tarn, lake, "--format", "csv", "-c",
                                "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM orders_csv), (SELECT sum(amount) FROM orders) = (SELECT sum(amount) FROM orders_csv);"],
                               capture_output=True, text=True)
        print("check (rows via COPY binary, rows via CSV, equal sums):", check.stdout.strip().splitlines()[-1])

        # DuckDB's postgres scanner, from its PyPI wheel (pinned with its DuckDB) when the extension server is out of reach.
        try:
            python, load = duckdb_with_extension("postgres_scanner")
            duck_file = os.path.join(tmp, "duck.db")
            script = (f"import duckdb; con = duckdb.connect({duck_file!r}); con.execute({load!r}); "
                      f"con.execute(\"ATTACH 'host=127.0.0.1 port={pg.port} user=tarn password={opsdb.PASSWORD} dbname=postgres' AS ops (TYPE postgres, READ_ONLY)\"); "
                      "con.execute('CREATE TABLE orders AS SELECT * FROM ops.public.orders'); "
                      "print(con.execute('SELECT count(*), sum(amount) FROM orders').fetchone())")
            td, rssd, out = timed([python, "-c", script], env)
            print(f"duckdb {DUCKDB_VERSION} postgres scanner CREATE TABLE AS: {td:.1f}s, peak RSS {rssd:.0f} MiB ({out.strip()}); "
                  f"tarn / duckdb time = {t / td:.2f}")
        except (RuntimeError, OSError, SystemExit) as e:
            print(f"duckdb postgres scanner: not available ({str(e).splitlines()[0][:160]})")
    finally:
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
