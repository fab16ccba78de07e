#!/usr/bin/env python3
"""Kill -9 loops on every writer of the lake, and a multi-process concurrency mix (issue 22, items 4 and 5).

    python3 Tests/crash/kill_loop.py --tarn .build/release/tarn --kills 200          # every writer, 200 kills each
    python3 Tests/crash/kill_loop.py --tarn .build/debug/tarn --kills 5 --concurrency 20   # the CI smoke

Each writer statement runs in its own `tarn LAKE -c …` process that is killed with SIGKILL after a random delay
(between 0 and 1.5x the statement's measured duration, so kills land before, during and after the commit).
After every kill:
  * `tarn check LAKE` reports nothing but orphans (files of the killed, uncommitted write), which `--repair` moves
    aside; the catalog passes SQLite's integrity check and every referenced file its checksums;
  * each table's invariant holds, which only whole versions can satisfy: INSERT adds 20,000-row batches, so every
    batch has 0 or 20,000 rows; UPDATE / MERGE / RESTORE change every row of `w.upd` at once, so all its rows share
    one `v`; OPTIMIZE keeps the row count and batch sums; COPY INTO loads whole files, each exactly once;
    ALTER leaves a readable table; a CTAS, pipeline or model either exists whole or not at all (a pipeline's two tables
    always from the same run); a TRANSACTION block
    (a batch into w.ta, the same rows read back into w.tb, and UPDATE w.upd) commits on all three tables or none;
    a Delta export (`EXPORT TABLE w.pub … (FORMAT delta)`, after a new commit of w.pub) leaves a Delta table whose
    latest version `delta_scan` reads as exactly Tarn's `VERSION AS OF` that version, and once an export finishes,
    every Delta version equals Tarn's.
At the end, COPY INTO runs to completion and every landing-file record is in the table exactly once.

--concurrency N: four processes mix INSERT, DELETE, BEGIN … COMMIT blocks (an INSERT and a DELETE), COPY INTO, VACUUM
and reads on one table for N seconds. A
statement either succeeds or fails with a write conflict (anything else is a violation); readers always see whole
batches; at the end the table holds exactly the batches whose INSERT succeeded minus those whose DELETE
succeeded, and every landing record once.
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

BATCH = 20_000
UPD_ROWS = 50_000


class Violation(Exception):
    pass


class Lake:
    def __init__(self, tarn, path):
        self.tarn, self.path = tarn, path

    def run(self, sql, check=True, timeout=600):
        p = subprocess.run([self.tarn, self.path, "-c", sql, "--format", "json", "--bail"],
                           capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise Violation(f"statement failed: {sql[:200]}\n{p.stderr.strip()[:2000]}")
        return p

    def query(self, sql):
        out = self.run(sql).stdout.strip()
        return json.loads(out) if out else []  # one statement: one JSON array

    def scalar(self, sql):
        rows = self.query(sql)
        return list(rows[0].values())[0] if rows else None

    def check(self):
        """`tarn check`: anything beyond orphans is damage. Orphans are moved aside so the next check starts clean."""
        p = subprocess.run([self.tarn, "check", self.path], capture_output=True, text=True, timeout=600)
        if p.returncode == 0:
            return 0
        problems = [line for line in p.stdout.splitlines() + p.stderr.splitlines()
                    if line.strip() and "orphan" not in line.lower() and not line.lower().startswith(("checked", "summary", "ok"))]
        damage = [line for line in problems if any(w in line.lower() for w in ("missing", "damaged", "checksum", "integrity", "corrupt", "size", "error"))]
        if damage:
            raise Violation("tarn check found damage after a kill:\n" + "\n".join(damage[:20]))
        r = subprocess.run([self.tarn, "check", self.path, "--repair"], capture_output=True, text=True, timeout=600)
        again = subprocess.run([self.tarn, "check", self.path], capture_output=True, text=True, timeout=600)
        if again.returncode != 0:
            raise Violation("tarn check still fails after --repair:\n" + again.stdout[-2000:] + again.stderr[-2000:])
        return sum(1 for line in p.stdout.splitlines() if "orphan" in line.lower())


def write_landing_file(folder, number, records=2000):
    """NDJSON landing file `number`: ids number*100000 + i, so every record is identifiable."""
    path = os.path.join(folder, f"day{number:05d}.json")
    with open(path + ".tmp", "w") as f:
        for i in range(records):
            f.write(json.dumps({"id": number * 100_000 + i, "file_no": number, "amount": i % 97}) + "\n")
    os.replace(path + ".tmp", path)
    return records


class KillLoop:
    def __init__(self, tarn, root, kills, seed, only):
        self.lake = Lake(tarn, os.path.join(root, "lake"))
        self.raw = os.path.join(root, "raw")
        self.delta = os.path.join(root, "pub_delta")
        self.root = root
        os.makedirs(self.raw)
        self.kills, self.rng, self.only = kills, random.Random(seed), only
        self.next_batch = 1
        self.next_file = 0
        self.file_records = {}
        self.counts = {}
        self.orphans = 0

    def setup(self):
        self.lake.run(f"""
            CREATE SCHEMA w;
            CREATE TABLE w.events (batch BIGINT, seq BIGINT, v BIGINT, tag VARCHAR);
            CREATE TABLE w.base AS SELECT i AS id, i % 13 AS k FROM generate_series(1, 50000) AS g(i);
            CREATE TABLE w.upd AS SELECT i AS id, 0 AS v FROM generate_series(1, {UPD_ROWS}) AS g(i);
            CREATE TABLE w.alt (id BIGINT);
            INSERT INTO w.alt VALUES (1), (2), (3);
            CREATE TABLE w.ta (batch BIGINT, seq BIGINT);
            CREATE TABLE w.tb (batch BIGINT, seq BIGINT);
            CREATE TABLE w.landing (id BIGINT, file_no BIGINT, amount BIGINT);
            CREATE TABLE w.pub (batch BIGINT, seq BIGINT);
            CREATE TABLE w.weekly AS SELECT DATE '2022-01-03' + CAST(7 * i AS INTEGER) AS week,
                100.0 + 40 * (i % 5) AS tv, 50.0 + 10 * (i % 3) AS search,
                1000.0 + 3 * (100.0 + 40 * (i % 5)) + 2 * (50.0 + 10 * (i % 3)) + (i % 7) AS revenue
                FROM generate_series(0, 103) AS g(i);
        """)
        for _ in range(3):
            self.lake.run(self.insert_batch_sql())
        self.lake.run("UPDATE w.upd SET v = v + 1")  # a second version of w.upd for RESTORE to go back to
        with open(os.path.join(self.root, "pipeline.sql"), "w") as f:
            # Every run stamps its tables (`at`); the second step is slowed down so that kills often land between the two.
            f.write("CREATE OR REFRESH TABLE w.per_batch AS SELECT batch, count(*) AS n, sum(seq) AS s, max(current_timestamp) AS at "
                    "FROM w.events GROUP BY batch;\n"
                    "CREATE OR REFRESH TABLE w.batch_totals AS SELECT count(*) AS batches, sum(n) AS n, max(at) AS at FROM w.per_batch "
                    "WHERE (SELECT count(DISTINCT i % 1000003) FROM generate_series(1, 1000000) AS g(i)) > 0;\n")

    def insert_sql(self, b):
        return f"INSERT INTO w.events SELECT {b}, i, 0, 'b{b}' FROM generate_series(1, {BATCH}) AS g(i)"

    def insert_batch_sql(self):
        b = self.next_batch
        self.next_batch += 1
        return self.insert_sql(b)

    # Each writer: (name, make the statement (may prepare state), argv kind)
    def writers(self):
        return [
            ("INSERT", lambda: ("sql", self.insert_batch_sql())),
            ("CTAS", lambda: ("sql", f"CREATE TABLE w.ctas_{self.rng.randrange(10**9)} AS SELECT * FROM w.base")),
            ("COPY INTO", self.copy_into),
            ("DELETE", lambda: ("sql", f"DELETE FROM w.events WHERE batch % 5 = {self.rng.randrange(5)} AND batch > 3")),
            ("UPDATE", lambda: ("sql", "UPDATE w.upd SET v = v + 1")),
            ("ALTER", lambda: ("sql", f"ALTER TABLE w.alt ADD COLUMN c{self.rng.randrange(10**9)} BIGINT")),
            ("RESTORE", self.restore),
            ("VACUUM", lambda: ("sql", "VACUUM w.events RETAIN 0 HOURS")),
            ("MERGE", lambda: ("sql", "MERGE INTO w.upd AS t USING (SELECT id FROM w.base) AS s ON t.id = s.id "
                                      "WHEN MATCHED THEN UPDATE SET v = t.v + 1")),
            ("OPTIMIZE", lambda: ("sql", "OPTIMIZE w.events")),
            ("TRANSACTION", self.transaction),
            ("DELTA EXPORT", self.delta_export),
            ("pipeline run", self.pipeline_run),
            ("model fit", lambda: ("sql", f"CREATE OR REPLACE MODEL m{self.rng.randrange(3)} AS mmm(TABLE w.weekly, date => 'week', "
                                          "target => 'revenue', channels => ARRAY['tv', 'search'], chains => 2, tune => 150, draws => 150)")),
        ]

    def pipeline_run(self):
        """A new batch of w.events (not killed), so the run recomputes both of its tables, then the run (killed)."""
        self.lake.run(self.insert_batch_sql())
        return ("run", os.path.join(self.root, "pipeline.sql"))

    def transaction(self):
        """A block over three tables: w.tb copies what the block just wrote to w.ta (read-your-writes), w.upd moves."""
        b = self.next_batch
        self.next_batch += 1
        return ("sql", f"BEGIN; INSERT INTO w.ta SELECT {b}, i FROM generate_series(1, {BATCH}) AS g(i); "
                       f"INSERT INTO w.tb SELECT * FROM w.ta WHERE batch = {b}; UPDATE w.upd SET v = v + 1; COMMIT")

    def delta_export(self):
        """A new version of w.pub (not killed), then the export of every version not yet published (killed)."""
        b = self.next_batch
        self.next_batch += 1
        self.lake.run(f"INSERT INTO w.pub SELECT {b}, i FROM generate_series(1, 2000) AS g(i)")
        return ("sql", f"EXPORT TABLE w.pub TO '{self.delta}' (FORMAT delta)")

    def delta_versions(self):
        log = os.path.join(self.delta, "_delta_log")
        if not os.path.isdir(log):
            return []
        return sorted(int(f[:-5]) for f in os.listdir(log) if f.endswith(".json") and f[:-5].isdigit())

    def delta_matches(self, version, writer):
        """Tarn's delta_scan of the published copy at `version` has w.pub's rows at that version (count and sum)."""
        got = self.lake.query(f"SELECT count(*) AS n, coalesce(sum(seq * batch), 0) AS s FROM delta_scan('{self.delta}', version => {version})")[0]
        want = self.lake.query(f"SELECT count(*) AS n, coalesce(sum(seq * batch), 0) AS s FROM w.pub VERSION AS OF {version}")[0]
        if got != want:
            raise Violation(f"after killing {writer}: Delta version {version} has {got}, Tarn's VERSION AS OF {version} has {want}")

    def delta_complete(self):
        """An export run to completion publishes every version, each equal to Tarn's."""
        self.lake.run(f"EXPORT TABLE w.pub TO '{self.delta}' (FORMAT delta)")
        latest = max(r["version"] for r in self.lake.query("DESCRIBE HISTORY w.pub"))
        versions = self.delta_versions()
        if versions != list(range(latest + 1)):
            raise Violation(f"after a completed export: Delta commits {versions[:3]}…{versions[-3:]} for Tarn versions 0..{latest}")
        for v in versions:
            self.delta_matches(v, "DELTA EXPORT")
        return len(versions)

    def copy_into(self):
        for _ in range(3):
            self.file_records[self.next_file] = write_landing_file(self.raw, self.next_file)
            self.next_file += 1
        return ("sql", f"COPY INTO w.landing FROM '{self.raw}' FORMAT json")

    def restore(self):
        versions = sorted(r["version"] for r in self.lake.query("DESCRIBE HISTORY w.upd"))
        version = self.rng.choice(versions[:2] + versions[-2:])
        return ("sql", f"RESTORE TABLE w.upd TO VERSION AS OF {version}")

    def argv(self, kind, text):
        if kind == "run":
            return [self.lake.tarn, "run", text, "--lake", self.lake.path]
        return [self.lake.tarn, self.lake.path, "-c", text]

    def measure(self, make):
        kind, text = make()
        start = time.monotonic()
        p = subprocess.run(self.argv(kind, text), capture_output=True, text=True, timeout=900)
        if p.returncode != 0:
            raise Violation(f"writer failed when not killed: {text[:200]}\n{p.stderr[-2000:]}")
        return time.monotonic() - start

    def invariants(self, writer):
        rows = self.lake.query("""
            SELECT (SELECT count(*) FROM (SELECT batch, count(*) AS n FROM w.events GROUP BY batch) WHERE n <> 20000) AS partial_batches,
                   (SELECT count(*) FROM w.events) AS events,
                   (SELECT sum(seq) FROM w.events) AS seq_sum,
                   (SELECT count(DISTINCT v) FROM w.upd) AS upd_values,
                   (SELECT count(*) FROM w.upd) AS upd_rows,
                   (SELECT count(*) FROM w.landing) AS landing_rows,
                   (SELECT count(DISTINCT id) FROM w.landing) AS landing_ids,
                   (SELECT count(*) FROM w.alt) AS alt_rows,
                   (SELECT count(*) FROM (SELECT batch, count(*) AS n FROM w.ta GROUP BY batch) WHERE n <> 20000) AS partial_ta,
                   (SELECT count(*) FROM (SELECT batch, seq FROM w.ta EXCEPT SELECT batch, seq FROM w.tb)) +
                   (SELECT count(*) FROM (SELECT batch, seq FROM w.tb EXCEPT SELECT batch, seq FROM w.ta)) +
                   abs((SELECT count(*) FROM w.ta) - (SELECT count(*) FROM w.tb)) AS ta_tb_differ
        """)[0]
        if rows["partial_batches"] != 0:
            raise Violation(f"after killing {writer}: {rows['partial_batches']} INSERT batch(es) are partial")
        if rows["upd_values"] != 1 or rows["upd_rows"] != UPD_ROWS:
            raise Violation(f"after killing {writer}: w.upd has {rows['upd_values']} distinct v over {rows['upd_rows']} rows (a half-applied update)")
        if rows["landing_rows"] != rows["landing_ids"]:
            raise Violation(f"after killing {writer}: w.landing has {rows['landing_rows']} rows but {rows['landing_ids']} ids (duplicated load)")
        per_file = self.lake.query("SELECT file_no, count(*) AS n FROM w.landing GROUP BY file_no")
        for r in per_file:
            if r["n"] != self.file_records.get(r["file_no"]):
                raise Violation(f"after killing {writer}: landing file {r['file_no']} has {r['n']} of {self.file_records.get(r['file_no'])} rows")
        if rows["partial_ta"] or rows["ta_tb_differ"]:
            raise Violation(f"after killing {writer}: a transaction's tables disagree ({rows['partial_ta']} partial w.ta batches, "
                            f"{rows['ta_tb_differ']} rows in one of w.ta / w.tb only): it committed in part")
        if rows["alt_rows"] != 3:
            raise Violation(f"after killing {writer}: w.alt has {rows['alt_rows']} rows")
        if writer == "OPTIMIZE" and (rows["events"], rows["seq_sum"]) != self.counts.get("events"):
            raise Violation(f"after killing OPTIMIZE: w.events changed from {self.counts.get('events')} to {(rows['events'], rows['seq_sum'])}")
        for t in self.lake.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'w' AND table_name LIKE 'ctas_%'"):
            n = self.lake.scalar(f"SELECT count(*) FROM w.{t['table_name']}")
            if n != 50_000:
                raise Violation(f"after killing {writer}: CTAS table {t['table_name']} has {n} rows")
        if self.lake.scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'w' AND table_name = 'per_batch'"):
            bad = self.lake.scalar("SELECT count(*) FROM w.per_batch WHERE n <> 20000 OR s <> 200010000")
            if bad:
                raise Violation(f"after killing {writer}: pipeline table w.per_batch has {bad} wrong rows")
        # A run's tables commit together: w.batch_totals always summarises the w.per_batch of the same run.
        if self.lake.scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'w' AND table_name = 'batch_totals'"):
            mismatch = self.lake.scalar("SELECT count(*) FROM w.batch_totals t, (SELECT count(*) AS batches, sum(n) AS n, max(at) AS at "
                                        "FROM w.per_batch) p WHERE t.batches <> p.batches OR t.n IS DISTINCT FROM p.n OR t.at <> p.at")
            if mismatch:
                raise Violation(f"after killing {writer}: w.batch_totals disagrees with w.per_batch: a pipeline run committed in part")
        self.lake.run("SELECT * FROM w.alt LIMIT 1")
        if writer == "DELTA EXPORT" and self.delta_versions():
            self.delta_matches(self.delta_versions()[-1], writer)
        self.counts["events"] = (rows["events"], rows["seq_sum"])

    def loop(self):
        results = []
        for name, make in self.writers():
            if self.only and name not in self.only:
                continue
            duration = self.measure(make)
            self.invariants(name)
            finished = killed = 0
            for _ in range(self.kills):
                kind, text = make()
                self.counts["events"] = tuple(self.lake.query("SELECT count(*) AS n, sum(seq) AS s FROM w.events")[0].values())
                proc = subprocess.Popen(self.argv(kind, text), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                time.sleep(self.rng.uniform(0, 1.5 * duration))
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    killed += 1
                else:
                    finished += 1
                proc.wait()
                self.orphans += self.lake.check()
                self.invariants(name)
            results.append((name, duration, killed, finished))
            extra = f"; then a full export: {self.delta_complete()} Delta versions equal Tarn's" if name == "DELTA EXPORT" else ""
            print(f"  {name:<13} {self.kills} runs ({killed} killed mid-run, {finished} finished first; one run {duration:.2f} s): 0 violations{extra}", flush=True)
        # Exactly once, across every kill: finish the load and compare with the files.
        self.lake.run(f"COPY INTO w.landing FROM '{self.raw}' FORMAT json")
        total = sum(self.file_records.values())
        got = self.lake.query("SELECT count(*) AS n, count(DISTINCT id) AS d FROM w.landing")[0]
        if got["n"] != total or got["d"] != total:
            raise Violation(f"after the final COPY INTO: {got['n']} rows, {got['d']} ids, files hold {total}")
        self.lake.check()
        print(f"kill loop: {sum(r[2] for r in results)} kills mid-run over {len(results)} writers, {self.orphans} orphan files moved aside, "
              f"final COPY INTO: {total} landing records loaded exactly once; 0 violations")


def concurrency(tarn, root, seconds, seed):
    lake = Lake(tarn, os.path.join(root, "conc-lake"))
    raw = os.path.join(root, "conc-raw")
    os.makedirs(raw)
    lake.run("CREATE SCHEMA c; CREATE TABLE c.t (batch BIGINT, seq BIGINT); CREATE TABLE c.landing (id BIGINT, file_no BIGINT, amount BIGINT)")
    lock = threading.Lock()
    inserted, deleted, files = set(), set(), {}
    stats = {"ok": 0, "conflict": 0, "reads": 0, "blocks": 0}
    errors = []
    deadline = time.monotonic() + seconds
    next_ids = {"batch": 0, "file": 0}

    def conflict(stderr):
        s = stderr.lower()
        # A write conflict, or a VACUUM that waited for running statements and gave up (nothing deleted).
        return "conflict" in s or "40001" in s or "vacuum waited" in s

    def worker(w):
        rng = random.Random(seed * 100 + w)
        while time.monotonic() < deadline and not errors:
            op = rng.choice(["insert", "insert", "delete", "txn", "copy", "vacuum", "read", "read"])
            with lock:
                if op == "insert":
                    next_ids["batch"] += 1
                    b = next_ids["batch"]
                    sql = f"INSERT INTO c.t SELECT {b}, i FROM generate_series(1, 5000) AS g(i)"
                elif op == "delete":
                    candidates = sorted(inserted - deleted)
                    if not candidates:
                        continue
                    b = rng.choice(candidates)
                    sql = f"DELETE FROM c.t WHERE batch = {b}"
                elif op == "txn":
                    # One block inserts a batch and deletes another: both happen, or (on a conflict) neither.
                    candidates = sorted(inserted - deleted)
                    if not candidates:
                        continue
                    next_ids["batch"] += 1
                    b, d = next_ids["batch"], rng.choice(candidates)
                    sql = (f"BEGIN; INSERT INTO c.t SELECT {b}, i FROM generate_series(1, 5000) AS g(i); "
                           f"DELETE FROM c.t WHERE batch = {d}; COMMIT")
                elif op == "copy":
                    n = next_ids["file"]
                    next_ids["file"] += 1
                    files[n] = write_landing_file(raw, n, 500)
                    sql = f"COPY INTO c.landing FROM '{raw}' FORMAT json"
                elif op == "vacuum":
                    sql = "VACUUM c.t RETAIN 0 HOURS"
                else:
                    sql = ("SELECT (SELECT count(*) FROM (SELECT batch, count(*) AS n FROM c.t GROUP BY batch) WHERE n <> 5000) AS partial, "
                           "(SELECT count(*) - count(DISTINCT id) FROM c.landing) AS dups")
            p = lake.run(sql, check=False)
            if p.returncode != 0:
                if conflict(p.stderr):
                    with lock:
                        stats["conflict"] += 1
                    continue
                errors.append(f"{sql[:120]}: {p.stderr.strip()[:500]}")
                return
            with lock:
                stats["ok"] += 1
                if op == "insert":
                    inserted.add(b)
                elif op == "delete":
                    deleted.add(b)
                elif op == "txn":
                    inserted.add(b)
                    deleted.add(d)
                    stats["blocks"] += 1
                elif op == "read":
                    stats["reads"] += 1
                    row = json.loads(p.stdout)[0]
                    if row["partial"] or row["dups"]:
                        errors.append(f"a reader saw {row['partial']} partial batches and {row['dups']} duplicated landing rows")

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise Violation("concurrency: " + "; ".join(errors[:5]))
    present = {r["batch"] for r in lake.query("SELECT DISTINCT batch FROM c.t")}
    expected = inserted - deleted
    if present != expected:
        raise Violation(f"concurrency: batches present {len(present)} != inserted - deleted {len(expected)} "
                        f"(lost {sorted(expected - present)[:10]}, unexpected {sorted(present - expected)[:10]})")
    lake.run(f"COPY INTO c.landing FROM '{raw}' FORMAT json")
    got = lake.query("SELECT count(*) AS n, count(DISTINCT id) AS d FROM c.landing")[0]
    if got["n"] != sum(files.values()) or got["d"] != got["n"]:
        raise Violation(f"concurrency: landing has {got['n']} rows / {got['d']} ids, files hold {sum(files.values())}")
    if lake.check():
        pass
    print(f"concurrency: 4 processes for {seconds} s: {stats['ok']} statements committed or read ({stats['reads']} reads, {stats['blocks']} BEGIN … COMMIT blocks), "
          f"{stats['conflict']} write conflicts reported as conflicts, {len(inserted)} batches inserted, {len(deleted)} deleted, "
          f"{len(files)} landing files loaded exactly once; 0 violations")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tarn", required=True)
    ap.add_argument("--kills", type=int, default=200, help="kills per writer")
    ap.add_argument("--only", action="append", help="only this writer (repeatable), e.g. --only INSERT")
    ap.add_argument("--concurrency", type=int, default=0, help="seconds of the four-process mix (0: skip)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    tarn = os.path.abspath(args.tarn)
    root = tempfile.mkdtemp(prefix="tarn-kill-loop-")
    try:
        if args.kills > 0:
            k = KillLoop(tarn, root, args.kills, args.seed, set(args.only or []))
            k.setup()
            k.loop()
        if args.concurrency > 0:
            concurrency(tarn, root, args.concurrency, args.seed)
    except Violation as v:
        print(f"VIOLATION: {v}\n(the lake is kept at {root})", file=sys.stderr)
        sys.exit(1)
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
