#!/usr/bin/env python3
"""Server time of the built-in dashboard pages (issue 19: within 200 ms on the 1M-row demo lake, 1 s on 10M).

Builds a demo lake of --rows rows with `tarn demo` (cached under benchmarks/.cache/, or --lake an existing one),
starts `tarn serve` on it with a read-only dashboard user, and reads each page's "rendered in … ms on the server"
footer: the first view after the server started (nothing cached), a second view (the result cache keyed by table
version), and a first view with a filter. Also prints the server's CPU time for the first view (user + system, from
/proc, 10 ms ticks: on a loaded machine the CPU time moves far less than the wall time) and the wall time the client
saw. With --repeat N the whole sequence runs N times, each on a fresh `tarn serve`, and each figure is the median.
Not run in CI.

Usage: benchmarks/dashboard_times.py [--rows 1000000] [--lake DIR] [--tarn .build/release/tarn] [--repeat 1]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "Tests", "web"))
sys.path.insert(0, os.path.join(HERE, "..", "Tests", "server"))
from clients import stop  # noqa: E402
from http_alerts import request, start_serve  # noqa: E402  (tarn serve with a read-only dashboard user)
PAGES = [
    "/dashboards/campaigns",
    "/dashboards/campaigns?country=DE",
    "/dashboards/campaigns?country=US&state=CA",
    "/dashboards/mmm",
    "/dashboards/pipelines",
    "/dashboards/violations",
    "/tables/adtech_db.processed_campaign_data",
]


def fetch(port, path):
    """(HTTP status, the footer's server milliseconds, the client's wall milliseconds)."""
    start = time.perf_counter()
    status, _, body = request(port, path)
    wall = (time.perf_counter() - start) * 1000
    m = re.search(r"rendered in (\d+) ms on the server", body)
    return status, (int(m.group(1)) if m else None), wall


def cpu_ms(pid):
    """User + system CPU milliseconds of process `pid` so far (all its threads, finished ones included)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def measure(tarn, lake):
    """{page: (first server ms, second server ms, first-view CPU ms, first-view client wall ms) or an error string}
    from one fresh `tarn serve`."""
    proc, port, _, _ = start_serve(tarn, lake, ["--http-port", "0"])
    results = {}
    try:
        if port is None:
            raise SystemExit("tarn serve did not print its dashboards URL")
        for page in PAGES:
            before = cpu_ms(proc.pid)
            s1, first, wall = fetch(port, page)
            cpu = cpu_ms(proc.pid) - before
            s2, second, _ = fetch(port, page)
            results[page] = (first, second, cpu, wall) if s1 == 200 and s2 == 200 else f"HTTP {s1} / HTTP {s2}"
    finally:
        stop(proc)
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--lake", help="an existing demo lake (default: benchmarks/.cache/demo-ROWS, built when missing)")
    ap.add_argument("--tarn", default=os.path.join(HERE, "..", ".build", "release", "tarn"))
    ap.add_argument("--repeat", type=int, default=1, help="fresh servers to measure; figures are medians")
    args = ap.parse_args()
    tarn = os.path.abspath(args.tarn)
    lake = args.lake or os.path.join(HERE, ".cache", f"demo-{args.rows}")
    if not os.path.exists(os.path.join(lake, "catalog.db")) and not args.lake:
        print(f"building the demo lake ({args.rows:,} rows) in {lake} …", flush=True)
        subprocess.run([tarn, "demo", lake, "--rows", str(args.rows)], check=True, stdout=subprocess.DEVNULL)
    rows = subprocess.run([tarn, lake, "--format", "csv", "-c", "SELECT count(*) FROM adtech_db.processed_campaign_data"],
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]
    load = os.getloadavg()[0]
    runs = [measure(tarn, lake) for _ in range(max(1, args.repeat))]
    print(f"demo lake {lake}: {int(rows):,} rows in processed_campaign_data; load average {load:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after; median of {len(runs)} fresh server(s)")
    print("| page | first view (server ms) | second view (server ms) | first view, server CPU ms | first view, client wall ms |")
    print("|---|---|---|---|---|")
    for page in PAGES:
        got = [r[page] for r in runs if isinstance(r[page], tuple)]
        if len(got) < len(runs):
            print(f"| `{page}` | {next(r[page] for r in runs if not isinstance(r[page], tuple))} | | | |")
            continue
        first, second, cpu, wall = (statistics.median(x[k] for x in got) for k in range(4))
        print(f"| `{page}` | {first:.0f} | {second:.0f} | {cpu:.0f} | {wall:.0f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
