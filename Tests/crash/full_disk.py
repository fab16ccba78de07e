#!/usr/bin/env python3
"""A lake on a full disk (issue 22, item 7): writes that run out of space fail with a clear error, change nothing,
leave no file behind, and the lake stays readable; once space is freed the same write succeeds.

    python3 Tests/crash/full_disk.py --tarn .build/debug/tarn

Mounts a small tmpfs (needs root, as CI runs; prints SKIPPED and exits 0 when mounting is not allowed) and, for
INSERT, CTAS, UPDATE and COPY INTO of a landing folder, runs the write on the nearly full lake, then checks: the
statement failed naming 'No space left on device' (or SQLite's 'disk is full'), the row counts and version are
unchanged, `tarn check` reports no damage and no orphan, and the lake's files take no more space than before. It
repeats the INSERT with a filler file sized so the data files fit but the catalog cannot grow, then removes the
filler, grows the tmpfs and checks the INSERT and the COPY INTO now commit exactly once.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile


class Failure(Exception):
    pass


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tarn", required=True)
    ap.add_argument("--size-mb", type=int, default=3)
    args = ap.parse_args()
    tarn = os.path.abspath(args.tarn)
    mount = tempfile.mkdtemp(prefix="tarn-full-disk-")
    landing = tempfile.mkdtemp(prefix="tarn-full-disk-landing-")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.size_mb}m", "tmpfs", mount], capture_output=True).returncode != 0:
        print("full disk: SKIPPED (cannot mount a tmpfs here; CI runs as root and can)")
        os.rmdir(mount)
        shutil.rmtree(landing)
        return
    lake = os.path.join(mount, "lake")

    def run(sql, expect_ok=True):
        p = subprocess.run([tarn, lake, "-c", sql, "--format", "json", "--bail"], capture_output=True, text=True, timeout=600)
        if expect_ok and p.returncode != 0:
            raise Failure(f"{sql[:120]} failed: {p.stderr.strip()[:500]}")
        return p

    def query(sql):
        return json.loads(run(sql).stdout)

    def state():
        tables = {r["table_name"]: None for r in query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")}
        for t in tables:
            tables[t] = query(f"SELECT count(*) AS n, sum(i) AS s FROM {t}")[0]
        return tables

    def used():
        return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(lake, "data")) for f in fs)

    def expect_full(sql, what):
        before, size = state(), used()
        p = run(sql, expect_ok=False)
        message = p.stderr.strip()
        if p.returncode == 0:
            raise Failure(f"{what}: succeeded on a full disk?")
        if "No space left on device" not in message and "disk is full" not in message:
            raise Failure(f"{what}: the error does not say the disk is full: {message[:300]}")
        after = state()
        if after != before:
            raise Failure(f"{what}: the failed write changed the lake: {before} -> {after}")
        check = subprocess.run([tarn, "check", lake], capture_output=True, text=True)
        if check.returncode != 0:
            raise Failure(f"{what}: tarn check after the failure: {check.stdout.strip()[-500:]}")
        if used() > size:
            raise Failure(f"{what}: the data folder grew from {size} to {used()} bytes")
        print(f"  {what}: failed (…{message[-60:]}); nothing changed, tarn check clean")

    try:
        run("CREATE TABLE t AS SELECT i, 'row ' || CAST(i AS VARCHAR) AS s FROM generate_series(1, 20000) AS g(i)")
        big = "SELECT i, CAST(random() AS VARCHAR) || CAST(random() AS VARCHAR) || CAST(i AS VARCHAR) AS s FROM generate_series(1, 1500000) AS g(i)"
        expect_full(f"INSERT INTO t {big}", "INSERT of 1.5M rows")
        expect_full(f"CREATE TABLE big AS {big}", "CTAS of 1.5M rows")
        run("INSERT INTO t SELECT i, 'x' FROM generate_series(20001, 120000) AS g(i)")
        expect_full("UPDATE t SET s = s || CAST(random() AS VARCHAR) || CAST(random() AS VARCHAR) || CAST(random() AS VARCHAR)",
                    "UPDATE rewriting every row")
        with open(os.path.join(landing, "big.json"), "w") as f:
            for i in range(400_000):
                f.write(json.dumps({"i": 1_000_000 + i, "s": os.urandom(16).hex()}) + "\n")
        expect_full(f"COPY INTO t FROM '{landing}' FORMAT json", "COPY INTO of a 400k-record landing file")
        if query("SELECT count(*) AS n FROM tarn.loaded_files")[0]["n"] != 0:
            raise Failure("COPY INTO recorded a file as loaded although the load failed")

        # Data files fit, the catalog cannot grow: fill the disk to the last few kilobytes.
        statvfs = os.statvfs(mount)
        free = statvfs.f_bavail * statvfs.f_frsize
        filler = os.path.join(mount, "filler")
        small_insert = "INSERT INTO t SELECT i, 'late' FROM generate_series(500001, 500100) AS g(i)"
        with open(filler, "wb") as f:
            f.write(b"\0" * max(0, free - 6 * 1024))
        p = run(small_insert, expect_ok=False)
        if p.returncode == 0:
            print("  INSERT with 6 KB free: committed (the catalog had room)")
            committed_early = True
        else:
            committed_early = False
            message = p.stderr.strip()
            if "No space left on device" not in message and "disk is full" not in message:
                raise Failure(f"INSERT with 6 KB free: unclear error: {message[:300]}")
            print(f"  INSERT with 6 KB free: failed (…{message[-60:]})")
        os.remove(filler)
        # More room: the writes that failed must now commit, each exactly once.
        if subprocess.run(["mount", "-o", "remount,size=96m", mount], capture_output=True).returncode != 0:
            raise Failure("cannot grow the tmpfs to retry the writes")
        check = subprocess.run([tarn, "check", lake], capture_output=True, text=True)
        if check.returncode != 0:
            raise Failure(f"after the catalog-full attempt, tarn check: {check.stdout.strip()[-500:]}")
        if not committed_early:
            run(small_insert)
        n = query("SELECT count(*) AS n FROM t WHERE i BETWEEN 500001 AND 500100")[0]["n"]
        if n != 100:
            raise Failure(f"with room again, the late INSERT left {n} rows, not 100")
        run(f"COPY INTO t FROM '{landing}' FORMAT json")
        if query("SELECT count(*) AS n FROM t WHERE i >= 1000000")[0]["n"] != 400_000:
            raise Failure("with room again, COPY INTO did not load the landing file exactly once")
        print("full disk: every write failed cleanly and changed nothing; with room again they committed exactly once")
    except Failure as f:
        print(f"FULL DISK FAILURE: {f}", file=sys.stderr)
        sys.exit(1)
    finally:
        subprocess.run(["umount", mount], capture_output=True)
        shutil.rmtree(mount, ignore_errors=True)
        shutil.rmtree(landing, ignore_errors=True)


if __name__ == "__main__":
    main()
