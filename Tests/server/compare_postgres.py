#!/usr/bin/env python3
"""Side by side: `tarn serve` and a running PostgreSQL server holding the same 1M campaign rows,
measured with psycopg from one client: campaign summary (GROUP BY) queries/s, small lookups
queries/s, and rows/s fetching 1M rows in binary. Prints a table; exits 0 (it measures, it does not judge).

Usage: Tests/server/compare_postgres.py --pg "host=127.0.0.1 port=5433 user=postgres dbname=postgres" [--tarn PATH] [--seconds 5]
The PostgreSQL server is the caller's (start one with initdb + pg_ctl on a loopback port).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clients import ROOT, ensure_clients, free_port, wait_for  # noqa: E402

ROWS = 1_000_000
TARN_SETUP = f"""
CREATE TABLE campaigns AS SELECT range AS id, range % 50 AS campaign, range % 7 AS channel,
    CAST((range % 1000) AS DOUBLE) * 1.5 AS spend, range % 13 AS clicks FROM range({ROWS});
"""
PG_SETUP = f"""
DROP TABLE IF EXISTS campaigns;
CREATE TABLE campaigns AS SELECT i AS id, i % 50 AS campaign, i % 7 AS channel,
    ((i % 1000)::float8) * 1.5 AS spend, i % 13 AS clicks FROM generate_series(0::bigint, {ROWS - 1}) i;
ALTER TABLE campaigns ADD PRIMARY KEY (id);
ANALYZE campaigns;
"""
SUMMARY = "SELECT campaign, count(*) AS n, sum(spend) AS spend, avg(clicks) AS clicks FROM campaigns GROUP BY campaign ORDER BY campaign"
LOOKUP = "SELECT id, campaign, spend FROM campaigns WHERE id = %s"
FETCH = "SELECT id, campaign, channel, spend, clicks FROM campaigns"


def measure(psycopg, dsn, seconds):
    out = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        for name, sql, params in [("campaign_summary", SUMMARY, None), ("small_lookup", LOOKUP, "id")]:
            n, started = 0, time.time()
            while time.time() - started < seconds:
                conn.execute(sql, ((n * 7919) % ROWS,) if params else None).fetchall()
                n += 1
            out[name] = n / (time.time() - started)
        with conn.cursor(binary=True) as cur:
            started = time.time()
            cur.execute(FETCH)
            rows = len(cur.fetchall())
            out["fetch_rows_per_s"] = rows / (time.time() - started)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", required=True)
    parser.add_argument("--tarn", default=os.environ.get("TARN_BIN", os.path.join(ROOT, ".build", "release", "tarn")))
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    ensure_clients()
    import psycopg

    with psycopg.connect(args.pg, autocommit=True) as conn:
        conn.execute(PG_SETUP)
    work = tempfile.mkdtemp(prefix="tarn-vs-pg-")
    lake = os.path.join(work, "lake")
    subprocess.run([args.tarn, lake, "-c", TARN_SETUP], check=True, capture_output=True, timeout=300)
    port = free_port()
    server = subprocess.Popen([args.tarn, "serve", lake, "--port", str(port), "--trust"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(server, port)
        tarn = measure(psycopg, f"host=127.0.0.1 port={port} user=bench dbname=tarn sslmode=disable", args.seconds)
        pg = measure(psycopg, args.pg, args.seconds)
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'measure':22s} {'tarn serve':>14s} {'PostgreSQL':>14s} {'ratio':>7s}")
    for key in ("campaign_summary", "small_lookup", "fetch_rows_per_s"):
        unit = "rows/s" if key.endswith("per_s") else "queries/s"
        print(f"{key + ' (' + unit + ')':22s} {tarn[key]:14,.0f} {pg[key]:14,.0f} {tarn[key] / pg[key]:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
