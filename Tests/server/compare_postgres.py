#!/usr/bin/env python3
"""Side by side: `tarn serve` and a running PostgreSQL server holding the same 1M campaign rows,
measured with psycopg from one client per server: campaign summary (GROUP BY) queries/s, small lookups
queries/s, and rows/s fetching 1M rows in binary. Prints a table; exits 0 (it measures, it does not judge).

Fair on a shared machine: both servers get one psycopg connection, the same queries with the same values and
the same warm-up (each query run until prepared and its data cached), and the measuring time is cut into
`--rounds` slices that alternate between the servers (the order flips every round), so a burst of load from
elsewhere falls on both. Besides the rates it prints each server's CPU time per query (user + system of the
`tarn serve` process and of the PostgreSQL backend serving the connection, from /proc), which the machine's
load moves much less than the rates, and the load average while measuring.

Usage: Tests/server/compare_postgres.py --pg "host=127.0.0.1 port=5433 user=postgres dbname=postgres" [--tarn PATH]
           [--seconds 5] [--rounds 5]
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


HZ = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU seconds of process `pid` so far (all its threads), or 0 when /proc cannot tell."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / HZ
    except (OSError, IndexError, ValueError):
        return 0.0


class Target:
    """One server under test: its connection, the process whose CPU time is its cost, and what was measured."""

    def __init__(self, psycopg, name, dsn, pid=None):
        self.name = name
        self.conn = psycopg.connect(dsn, autocommit=True)
        # PostgreSQL serves the connection from one backend process; `tarn serve` is one process.
        self.pid = pid if pid is not None else self.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        self.totals = {}  # measure -> [count, wall seconds, server CPU seconds]

    def add(self, key, count, wall, server_cpu):
        t = self.totals.setdefault(key, [0, 0.0, 0.0])
        t[0] += count
        t[1] += wall
        t[2] += server_cpu

    def rate(self, key):
        count, wall, _ = self.totals[key]
        return count / wall if wall > 0 else 0.0

    def cpu_per(self, key):
        count, _, server = self.totals[key]
        return server / count if count else 0.0


def run_queries(target, key, sql, with_value, seconds, first):
    """Runs `sql` for `seconds` (value n: a spread of ids); returns how many ran. `first`: the next n."""
    n, started, cpu = 0, time.time(), cpu_seconds(target.pid)
    while time.time() - started < seconds:
        target.conn.execute(sql, (((first + n) * 7919) % ROWS,) if with_value else None).fetchall()
        n += 1
    target.add(key, n, time.time() - started, cpu_seconds(target.pid) - cpu)
    return n


def fetch_all(target):
    cpu, started = cpu_seconds(target.pid), time.time()
    with target.conn.cursor(binary=True) as cur:
        cur.execute(FETCH)
        rows = len(cur.fetchall())
    target.add("fetch_rows_per_s", rows, time.time() - started, cpu_seconds(target.pid) - cpu)


def warm_up(target):
    # psycopg prepares a query from its fifth run; the lookups also bring the id column's chunks into the caches.
    target.conn.execute(SUMMARY).fetchall()
    for n in range(200):
        target.conn.execute(LOOKUP, ((n * 7919) % ROWS,)).fetchall()


def measure(targets, seconds, rounds):
    """Alternating slices: every round runs each measure on each server, the servers' order flipping each round."""
    for target in targets:
        warm_up(target)
    loads = []
    slice_seconds = seconds / rounds
    next_value = {t.name: 0 for t in targets}
    for r in range(rounds):
        loads.append(os.getloadavg()[0])
        order = targets if r % 2 == 0 else targets[::-1]
        for key, sql, with_value in [("campaign_summary", SUMMARY, False), ("small_lookup", LOOKUP, True)]:
            for target in order:
                next_value[target.name] += run_queries(target, key, sql, with_value, slice_seconds, next_value[target.name])
        for target in order:
            fetch_all(target)
    return loads


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", required=True)
    parser.add_argument("--tarn", default=os.environ.get("TARN_BIN", os.path.join(ROOT, ".build", "release", "tarn")))
    parser.add_argument("--seconds", type=float, default=5, help="measuring time per measure and server, all rounds together")
    parser.add_argument("--rounds", type=int, default=5, help="alternating slices the measuring time is cut into")
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
    targets = []
    try:
        wait_for(server, port)
        targets.append(Target(psycopg, "tarn serve", f"host=127.0.0.1 port={port} user=bench dbname=tarn sslmode=disable", pid=server.pid))
        targets.append(Target(psycopg, "PostgreSQL", args.pg))
        loads = measure(targets, args.seconds, max(1, args.rounds))
    finally:
        for target in targets:
            target.conn.close()
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    tarn, pg = targets
    print(f"{'measure':26s} {'tarn serve':>14s} {'PostgreSQL':>14s} {'ratio':>7s}")
    for key in ("campaign_summary", "small_lookup", "fetch_rows_per_s"):
        unit = "rows/s" if key.endswith("per_s") else "queries/s"
        print(f"{key + ' (' + unit + ')':26s} {tarn.rate(key):14,.0f} {pg.rate(key):14,.0f} {tarn.rate(key) / pg.rate(key):7.2f}")
    print("server CPU, user + system (ratio: PostgreSQL's over tarn's):")
    for key, unit, scale in (("campaign_summary", "ms/query", 1e3), ("small_lookup", "µs/query", 1e6), ("fetch_rows_per_s", "µs/row", 1e6)):
        a, b = tarn.cpu_per(key) * scale, pg.cpu_per(key) * scale
        ratio = f"{b / a:7.2f}" if a > 0 else "      -"
        print(f"{'  ' + key.removesuffix('_rows_per_s') + ' (' + unit + ')':26s} {a:14,.1f} {b:14,.1f} {ratio}")
    print(f"rounds: {max(1, args.rounds)} alternating slices; load average while measuring: "
          f"{min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
