#!/usr/bin/env python3
"""Concurrent clients against `tarn serve` over loopback: CLIENTS asyncpg connections each run
QUERIES statements (small lookups, a GROUP BY over 200k rows, every 50th a 100k-row fetch).
Reports errors, queries/s, p50/p99 latency per kind and the server's peak RSS. Exits non-zero on
any error. Bounded: every query has a timeout and the whole run stops after --seconds.

Usage: Tests/server/load.py [--tarn PATH] [--clients 64] [--queries 100]
"""
import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clients import ROOT, ensure_clients, free_port, wait_for  # noqa: E402

SETUP = """
CREATE TABLE big AS SELECT range AS n, range % 97 AS k, 'row ' || CAST(range AS VARCHAR) AS label FROM range(200000);
CREATE TABLE lookup AS SELECT range AS id, 'name ' || CAST(range AS VARCHAR) AS name FROM range(1000);
"""


def peak_rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


async def client(asyncpg, port, password, index, queries, latencies, errors, deadline):
    conn = await asyncpg.connect(host="127.0.0.1", port=port, user="load", password=password, database="tarn", ssl=False)
    try:
        for q in range(queries):
            if time.time() > deadline:
                break
            if q % 50 == 49:
                kind, sql, args = "fetch_100k", "SELECT n, k, label FROM big WHERE n < 100000", ()
            elif q % 5 == 4:
                kind, sql, args = "group_by", "SELECT k, count(*) AS c, sum(n) AS s FROM big GROUP BY k ORDER BY k", ()
            else:
                kind, sql, args = "lookup", "SELECT id, name FROM lookup WHERE id = $1::int8", ((index * 7919 + q) % 1000,)
            started = time.perf_counter()
            try:
                rows = await asyncio.wait_for(conn.fetch(sql, *args), timeout=60)
                expected = {"fetch_100k": 100000, "group_by": 97, "lookup": 1}[kind]
                if len(rows) != expected:
                    errors.append(f"{kind}: {len(rows)} rows, expected {expected}")
            except Exception as e:  # noqa: BLE001 - every failure is counted and reported
                errors.append(f"{kind}: {type(e).__name__}: {e}")
            latencies.setdefault(kind, []).append(time.perf_counter() - started)
    finally:
        await conn.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tarn", default=os.environ.get("TARN_BIN", os.path.join(ROOT, ".build", "debug", "tarn")))
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=300)
    args = parser.parse_args()
    ensure_clients()
    import asyncpg

    work = tempfile.mkdtemp(prefix="tarn-load-")
    lake = os.path.join(work, "lake")
    subprocess.run([args.tarn, lake, "-c", SETUP], check=True, capture_output=True, timeout=120)
    port = free_port()
    password = "load-test"
    server = subprocess.Popen([args.tarn, "serve", lake, "--port", str(port), "--user", "load", "--password-env", "TARN_LOAD_PW",
                               "--max-connections", str(args.clients + 4)],
                              env=dict(os.environ, TARN_LOAD_PW=password), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    latencies, errors = {}, []
    try:
        wait_for(server, port)
        deadline = time.time() + args.seconds
        started = time.time()

        async def run_all():
            await asyncio.gather(*[client(asyncpg, port, password, i, args.queries, latencies, errors, deadline) for i in range(args.clients)])
        asyncio.run(run_all())
        elapsed = time.time() - started
        rss = peak_rss_kib(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    total = sum(len(v) for v in latencies.values())
    print(f"{args.clients} clients x {args.queries} queries: {total} queries in {elapsed:.1f} s = {total / elapsed:.0f} queries/s, "
          f"{len(errors)} errors, server peak RSS {rss / 1024 if rss else float('nan'):.0f} MiB")
    for kind, values in sorted(latencies.items()):
        print(f"  {kind:10s} n={len(values):5d}  p50 {percentile(values, 50) * 1000:8.1f} ms  p99 {percentile(values, 99) * 1000:8.1f} ms")
    for e in errors[:10]:
        print("  error:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
