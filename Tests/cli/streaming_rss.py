#!/usr/bin/env python3
"""Results stream: `SELECT *` of a large table piped out of `tarn`, and `COPY (query) TO` a file, run in memory that
does not grow with the result.

Builds a lake with one table of --rows rows (BIGINT, DOUBLE, VARCHAR), then for each way out — script on stdin in the
default format (an ASCII table when stdout is a pipe), --format csv / json / ndjson / markdown / line, -c, COPY TO
CSV / JSON / Parquet — checks the row count that came out and that the process's peak RSS (ru_maxrss of the child)
stays under --max-rss-mb (with the default chunk cache, which such scans read through without filling). Collecting the result first (as tarn did before results streamed) needs several times that
at 2M rows: the bound is set between the two (docs/SHELL.md, "Streaming output").

usage: streaming_rss.py --tarn BIN [--rows 2000000] [--max-rss-mb 150] [--label-width N] [--quick]
"""
import argparse, json, os, resource, shutil, subprocess, sys, tempfile, time


ENV = dict(os.environ)


def run_measured(command, stdin_text=None, count_lines=True):
    """Runs `command` in a fresh Python child that reports its child's peak RSS; returns (lines, peak MB, seconds)."""
    probe = (
        "import resource, subprocess, sys, json\n"
        "cmd = json.loads(sys.argv[1]); data = sys.argv[2].encode() if sys.argv[2] else None\n"
        "p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
        "if data: p.stdin.write(data)\n"
        "p.stdin.close()\n"
        "lines = 0\n"
        "while True:\n"
        "    chunk = p.stdout.read(1 << 20)\n"
        "    if not chunk: break\n"
        "    lines += chunk.count(b'\\n')\n"
        "err = p.stderr.read().decode(errors='replace'); rc = p.wait()\n"
        "print(json.dumps({'lines': lines, 'rc': rc, 'err': err[-2000:],\n"
        "                  'maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
    )
    started = time.time()
    out = subprocess.run([sys.executable, "-c", probe, json.dumps(command), stdin_text or ""],
                         capture_output=True, text=True, timeout=600, env=ENV)
    report = json.loads(out.stdout)
    if report["rc"] != 0:
        sys.exit(f"FAILED: {' '.join(command)} exited {report['rc']}: {report['err']}")
    return report["lines"], report["maxrss_kb"] / 1024, time.time() - started


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarn", required=True)
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--max-rss-mb", type=float, default=150)
    ap.add_argument("--label-width", type=int, default=0, help="add this many characters to each VARCHAR value "
                    "(wide rows make a collected result large at few rows, so a debug build checks streaming quickly)")
    ap.add_argument("--quick", action="store_true", help="only the default format, CSV, and COPY TO CSV")
    ap.add_argument("--chunk-cache-mb", type=int, default=None,
                    help="TARN_CHUNK_CACHE_MB for the measured runs (default: tarn's own, 1/8 of RAM; a scan whose rows "
                         "stream straight out does not fill that cache, so the bound holds with it on)")
    args = ap.parse_args()
    if args.chunk_cache_mb is not None:
        ENV["TARN_CHUNK_CACHE_MB"] = str(args.chunk_cache_mb)
    n = args.rows
    work = tempfile.mkdtemp(prefix="tarn-stream-")
    failures = []
    try:
        lake = os.path.join(work, "lake")
        label_sql = "'row ' || CAST(generate_series AS VARCHAR)"
        if args.label_width:
            label_sql += " || ' " + "." * args.label_width + "'"
        started = time.time()
        subprocess.run([args.tarn, lake, "-c",
                        f"CREATE TABLE t AS SELECT generate_series AS id, generate_series * 0.5 AS x, "
                        f"{label_sql} AS label FROM generate_series(1, {n});"],
                       check=True, capture_output=True, timeout=600)
        print(f"table of {n} rows written in {time.time() - started:.1f} s")
        select = "SELECT * FROM t;"
        # (label, command, stdin, expected output lines)
        cases = [
            ("stdin script, default format (table)", [args.tarn, lake], select, n + 6),
            ("-c, --format csv", [args.tarn, lake, "--format", "csv", "-c", select], None, n + 1),
        ]
        if not args.quick:
            cases += [
                ("stdin script, --format json", [args.tarn, lake, "--format", "json"], select, n),
                ("stdin script, --format ndjson", [args.tarn, lake, "--format", "ndjson"], select, n),
                ("stdin script, --format markdown", [args.tarn, lake, "--format", "markdown"], select, n + 2),
            ]
        copies = [("csv", "COPY (SELECT * FROM t) TO '{}' (HEADER);", n + 1)]
        if not args.quick:
            copies += [("json", "COPY (SELECT * FROM t) TO '{}' (FORMAT json);", None),
                       ("parquet", "COPY (SELECT * FROM t) TO '{}' (FORMAT parquet);", None)]
        for label, command, stdin_text, expected in cases:
            lines, rss, seconds = run_measured(command, stdin_text)
            print(f"{label}: {lines} lines, peak RSS {rss:.0f} MB, {seconds:.1f} s")
            if lines != expected:
                failures.append(f"{label}: {lines} lines, expected {expected}")
            if rss > args.max_rss_mb:
                failures.append(f"{label}: peak RSS {rss:.0f} MB > {args.max_rss_mb:.0f} MB (the result was collected?)")
        for fmt, sql, expected in copies:
            path = os.path.join(work, f"out.{fmt}")
            _, rss, seconds = run_measured([args.tarn, lake, "-c", sql.format(path)])
            check = subprocess.run([args.tarn, ":memory:", "--format", "csv", "-noheader", "-c",
                                    f"SELECT count(*) FROM '{path}';"], capture_output=True, text=True, timeout=300)
            counted = check.stdout.strip()
            print(f"COPY TO {fmt}: {counted} rows read back, peak RSS {rss:.0f} MB, {seconds:.1f} s")
            if counted != str(n):
                failures.append(f"COPY TO {fmt}: {counted!r} rows read back, expected {n} ({check.stderr.strip()})")
            if rss > args.max_rss_mb:
                failures.append(f"COPY TO {fmt}: peak RSS {rss:.0f} MB > {args.max_rss_mb:.0f} MB")
            os.remove(path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAILED: " + f)
    sys.exit(1 if failures else 0)


main()
