#!/usr/bin/env python3
"""Extraction from real PostgreSQL and MariaDB servers (issue 26).

Installs Debian `postgresql` and `mariadb-server` if missing, starts each on a free loopback port in a temporary
folder (PostgreSQL as the `postgres` user when run as root, which it refuses to run as), creates tables covering
every mapped type with NULLs and edge values, and checks through the `tarn` binary:
  * every type round-trips equal to what psql / the mariadb client print;
  * projection and filters are pushed down: visible in EXPLAIN and in the server's statement log;
  * a large table is read in parallel ctid ranges and gives the same count and sums;
  * IN lists, OR of comparisons on one column and NOT IN are pushed down too, with the same rows as unpushed;
  * wrong password, unreachable host and missing table fail clearly, and no password appears in error text,
    DESCRIBE HISTORY, tarn.lineage or tarn.pipeline_runs; lineage names the source `postgres:ops.sales.orders`;
  * CREATE SECRET keeps connection settings in the catalog: ATTACH … (SECRET name) and the type's default secret
    connect, listings show the password redacted, a wrong one fails clearly, the REPL history file is scrubbed;
  * examples/campaigns/sales_from_postgres.sql (tarn run, ATTACH through a secret) loads the MMM's weekly revenue;
  * wide tables are read in bounded memory (peak RSS, both servers); MySQL's LIMIT stops the server sending.
Usage: Tests/opsdb/run.py --tarn .build/debug/tarn
"""
import argparse, glob, json, os, re, shutil, socket, sqlite3, struct, subprocess, sys, tempfile, time
from decimal import Decimal

PASSWORD = "Sekret-pw-9137"
failures = []


def check(cond, what):
    if cond:
        print(f"  ok   {what}")
    else:
        print(f"  FAIL {what}")
        failures.append(what)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def ensure_packages():
    need = []
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        need.append("postgresql")
    if not shutil.which("mariadbd") and not os.path.exists("/usr/sbin/mariadbd"):
        need += ["mariadb-server", "mariadb-client"]
    if need:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(sudo + ["apt-get", "update", "-qq"], env=env, check=False, capture_output=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + need, env=env, check=True,
                       capture_output=True)


class Postgres:
    def __init__(self, tmp):
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.dir = os.path.join(tmp, "pg")
        self.port = free_port()
        self.log = os.path.join(tmp, "pg.log")
        os.makedirs(self.dir)
        pwfile = os.path.join(tmp, "pgpw")
        with open(pwfile, "w") as f:
            f.write(PASSWORD + "\n")
        self.as_user = []
        if os.geteuid() == 0:
            os.chmod(tmp, 0o755)
            for p in (self.dir, pwfile):
                shutil.chown(p, "postgres")
            open(self.log, "w").close()
            shutil.chown(self.log, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        r = run(self.as_user + [f"{self.bin}/initdb", "-D", self.dir, "-U", "tarn", "--pwfile", pwfile, "-A", "scram-sha-256",
                                "-E", "UTF8", "--locale", "C.UTF-8"])
        if r.returncode != 0:
            raise SystemExit("initdb failed: " + r.stderr)
        opts = f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} -c log_statement=all -c fsync=off -c TimeZone=UTC"
        r = run(self.as_user + [f"{self.bin}/pg_ctl", "-D", self.dir, "-l", self.log, "-o", opts, "-w", "start"])
        if r.returncode != 0:
            raise SystemExit("pg_ctl start failed: " + r.stderr + open(self.log).read())
        self.dsn = f"postgresql://tarn:{PASSWORD}@127.0.0.1:{self.port}/postgres"

    def psql(self, sql):
        env = dict(os.environ, PGPASSWORD=PASSWORD, PGTZ="UTC")
        r = run([f"{self.bin}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "tarn", "-d", "postgres", "-X", "-q",
                 "-A", "-t", "-F", "\x1f", "-R", "\x1e", "-v", "ON_ERROR_STOP=1", "-c", sql], env=env)
        if r.returncode != 0:
            raise SystemExit("psql failed: " + r.stderr)
        out = r.stdout[:-1] if r.stdout.endswith("\n") else r.stdout
        return [record.split("\x1f") for record in out.split("\x1e") if record != ""]

    def stop(self):
        run(self.as_user + [f"{self.bin}/pg_ctl", "-D", self.dir, "-m", "immediate", "stop"])


class MariaDB:
    def __init__(self, tmp):
        self.dir = os.path.join(tmp, "my")
        self.sock = os.path.join(tmp, "my.sock")
        self.port = free_port()
        self.log = os.path.join(tmp, "my-general.log")
        user = ["--user=root"] if os.geteuid() == 0 else []
        r = run(["mariadb-install-db", "--no-defaults", f"--datadir={self.dir}", "--auth-root-authentication-method=normal",
                 "--skip-test-db"] + user)
        if r.returncode != 0:
            raise SystemExit("mariadb-install-db failed: " + r.stderr)
        server = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
        self.proc = subprocess.Popen([server, "--no-defaults", f"--datadir={self.dir}", f"--socket={self.sock}",
                                      f"--port={self.port}", "--bind-address=127.0.0.1", "--general-log=1",
                                      f"--general-log-file={self.log}", "--skip-grant-tables=0", "--innodb-buffer-pool-size=64M",
                                      f"--pid-file={os.path.join(tmp, 'my.pid')}", "--skip-log-bin"] + user,
                                     stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "my.err"), "w"))
        for _ in range(200):
            if os.path.exists(self.sock) and run(["mariadb", "--no-defaults", "-S", self.sock, "-u", "root", "-e", "SELECT 1"]).returncode == 0:
                break
            time.sleep(0.1)
        else:
            raise SystemExit("mariadbd did not start: " + open(os.path.join(tmp, "my.err")).read())
        self.root(f"CREATE DATABASE crm CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci; CREATE USER 'tarn'@'127.0.0.1' IDENTIFIED BY '{PASSWORD}'; GRANT ALL ON *.* TO 'tarn'@'127.0.0.1';")
        self.dsn = f"mysql://tarn:{PASSWORD}@127.0.0.1:{self.port}/crm"

    def root(self, sql, db=None):
        r = run(["mariadb", "--no-defaults", "--default-character-set=utf8mb4", "-S", self.sock, "-u", "root", "-B", "-N"] + ([db] if db else []) + ["-e", sql])
        if r.returncode != 0:
            raise SystemExit("mariadb client failed: " + r.stderr)
        return [line.split("\t") for line in r.stdout.splitlines()]

    def stop(self):
        self.proc.kill()
        self.proc.wait()


class Tarn:
    def __init__(self, binary, lake):
        self.binary, self.lake = binary, lake

    def run(self, sql, env=None):
        e = dict(os.environ)
        e.update(env or {})
        return run([self.binary, self.lake, "--format", "json", "--bail", "-c", sql], env=e)

    def rows(self, sql, setup="", env=None):
        r = self.run(setup + sql, env)
        if r.returncode != 0:
            raise AssertionError(f"tarn failed on {sql}: {r.stderr.strip()}")
        return parse_json_rows(r.stdout)


def parse_json_rows(text):
    """The result of the last statement: tarn --format json prints one JSON array of objects per result."""
    decoder = json.JSONDecoder(parse_float=Decimal)
    text = text.strip()
    results, at = [], 0
    while at < len(text):
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            break
        value, at = decoder.raw_decode(text, at)
        results.append(value)
    return results[-1] if results else []


# ---------------------------------------------------------------- PostgreSQL

PG_TYPES = """
CREATE TABLE alltypes(id int PRIMARY KEY, i2 int2, i4 int4, i8 int8, f4 float4, f8 float8, nd numeric(12,3), na numeric,
  t text, vc varchar(20), bc char(5), b bool, d date, ts timestamp, tz timestamptz, u uuid, j json, jb jsonb, iv interval);
INSERT INTO alltypes VALUES
 (1, -32768, -2147483648, -9223372036854775808, -1.5, -1e300, -123456789.123, 0.000001, '', 'a', 'ab', false,
  '0001-01-01', '1970-01-01 00:00:00', '1999-12-31 23:59:59.999999+00', '00000000-0000-0000-0000-000000000000', '[]', '{}', '1 day'),
 (2, 32767, 2147483647, 9223372036854775807, 3.4028235e38, 2.2250738585072014e-308, 999999999.999, 123456789012345678901234.5,
  'héllo, "wörld"' || chr(10) || 'tab	end', 'ünïcode ✓', 'abcde', true, '2024-02-29', '2024-05-20 13:45:01.123456',
  '2024-05-20 13:45:01.5+02', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"k": [1, 2.5, null]}', '{"b": 1, "a": [true]}', '-3 hours'),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (4, 0, 0, 0, 0.1, 0.1, 0, -0.5, 'x', 'y', 'z', true, '2000-01-01', '2000-01-01 00:00:00.000001', '1900-06-01 00:00:00+00',
  'ffffffff-ffff-ffff-ffff-ffffffffffff', '"s"', '3', '00:00:01.5');
CREATE SCHEMA sales;
CREATE TABLE sales.orders(id int8 PRIMARY KEY, customer text, amount numeric(10,2), status text, updated_at timestamptz);
INSERT INTO sales.orders SELECT g, 'c' || (g % 50), (g % 1000) / 10.0, CASE WHEN g % 7 = 0 THEN NULL ELSE 'open' END,
  '2024-01-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, 5000) g;
CREATE TABLE big(id int8, grp int4, payload text);
INSERT INTO big SELECT g, g % 10, repeat('x', 40) FROM generate_series(1, 400000) g;
CREATE TABLE weird(id int, d date, n numeric(5,2));
INSERT INTO weird VALUES (1, 'infinity', 1.5);
"""


def same_pg(col, psql_text, tarn_value):
    if psql_text == "":
        # psql -A prints NULL and '' alike; the id column tells them apart below
        pass
    if tarn_value is None:
        return psql_text is None
    if psql_text is None:
        return False
    if col in ("i2", "i4", "i8", "id"):
        return int(psql_text) == int(tarn_value)
    if col == "f4":
        return struct.unpack("f", struct.pack("f", float(psql_text)))[0] == float(tarn_value)
    if col in ("f8", "na"):
        return float(psql_text) == float(tarn_value)
    if col == "nd":
        return Decimal(psql_text) == Decimal(str(tarn_value))
    if col == "b":
        return (psql_text == "t") == tarn_value
    if col == "tz":
        return psql_text.removesuffix("+00") == tarn_value
    return psql_text == str(tarn_value)


def test_postgres(pg, tarn):
    print("==> PostgreSQL")
    pg.psql(PG_TYPES)
    cols = ["id", "i2", "i4", "i8", "f4", "f8", "nd", "na", "t", "vc", "bc", "b", "d", "ts", "tz", "u", "j", "jb", "iv"]
    # NULLs are told apart from '' by a NULL marker column per value.
    marker = ", ".join(f"({c} IS NULL)::int" for c in cols)
    expected = pg.psql(f"SELECT {', '.join(cols)}, {marker} FROM alltypes ORDER BY id")
    attach = f"ATTACH '{pg.dsn}' AS ops (TYPE postgres, READ_ONLY);\n"
    got = tarn.rows("SELECT * FROM ops.alltypes ORDER BY id;", attach)
    check(len(got) == len(expected) == 4, "alltypes: 4 rows")
    for erow, grow in zip(expected, got):
        n = len(cols)
        for k, c in enumerate(cols):
            text = None if erow[n + k] == "1" else erow[k]
            if not same_pg(c, text, grow.get(c)):
                check(False, f"alltypes id={erow[0]} column {c}: psql {text!r} tarn {grow.get(c)!r}")
                break
        else:
            check(True, f"alltypes id={erow[0]}: every column equals psql's")
    types = tarn.rows("DESCRIBE SELECT * FROM ops.alltypes;", attach)
    typemap = {r.get("column_name", r.get("name")): r.get("column_type", r.get("type")) for r in types}
    check(typemap.get("nd") == "DECIMAL(12,3)" and typemap.get("na") == "DOUBLE" and typemap.get("i2") == "INTEGER"
          and typemap.get("tz") == "TIMESTAMP" and typemap.get("u") == "VARCHAR", f"type mapping {typemap}")

    three = tarn.rows("SELECT count(*) AS n, sum(amount) AS s FROM ops.sales.orders;", attach)
    truth = pg.psql("SELECT count(*), sum(amount) FROM sales.orders")[0]
    check(int(three[0]["n"]) == int(truth[0]) and Decimal(str(three[0]["s"])) == Decimal(truth[1]), "ops.sales.orders: count and sum equal psql's")
    scan = tarn.rows(f"SELECT count(*) AS n FROM postgres_scan('{pg.dsn}', 'sales', 'orders') WHERE status IS NULL;")
    truth = pg.psql("SELECT count(*) FROM sales.orders WHERE status IS NULL")[0]
    check(int(scan[0]["n"]) == int(truth[0]), "postgres_scan with IS NULL equals psql")
    kw = f"host=127.0.0.1 port={pg.port} dbname=postgres user=tarn"
    viaenv = tarn.rows(f"ATTACH '{kw}' AS k (TYPE postgres); SELECT count(*) AS n FROM k.alltypes;", env={"PGPASSWORD": PASSWORD})
    check(int(viaenv[0]["n"]) == 4, "keyword DSN with PGPASSWORD from the environment")

    # Pushdown: EXPLAIN shows the SELECT sent; the server's log shows it arrived.
    q = "SELECT id, customer FROM ops.sales.orders WHERE id >= 50 AND customer = 'c7' AND status IS NOT NULL AND updated_at < TIMESTAMP '2024-01-03 00:00:00' AND amount > 5 AND status IN ('open', 'shipped')"
    plan = "\n".join(r["plan"] for r in tarn.rows(f"EXPLAIN {q};", attach))
    sent = """WHERE "id" >= 50 AND ("customer"::text) = 'c7' AND "status" IS NOT NULL AND "updated_at" < '2024-01-03 00:00:00+00'::timestamptz AND "amount" > 5.00"""
    check(sent in plan, f"EXPLAIN shows the pushed-down WHERE: {plan!r}")
    check('SELECT "id", "customer", "amount", "status", "updated_at" FROM "sales"."orders"' in plan or '"id", "customer"' in plan, "EXPLAIN shows the projected columns")
    got = sorted(int(r["id"]) for r in tarn.rows(f"{q};", attach))
    truth = sorted(int(r[0]) for r in pg.psql("SELECT id FROM sales.orders WHERE id >= 50 AND customer = 'c7' AND status IS NOT NULL AND updated_at < '2024-01-03' AND amount > 5 AND status IN ('open', 'shipped')"))
    check(got == truth and len(got) > 0, f"filtered rows equal psql's ({len(got)})")
    log = open(pg.log, encoding="utf-8", errors="replace").read()
    check(sent in log and "COPY (SELECT" in log, "the server's statement log shows the pushed-down COPY (SELECT … WHERE …)")

    # IN lists, OR of comparisons on one column and NOT IN are pushed as well; an OR across columns is not.
    where = ("customer IN ('c7', 'c8', 'c9') AND (amount < 10 OR amount >= 95) AND (id <= 300 OR id > 4000 AND id < 4500) "
             "AND status NOT IN ('closed', 'lost') AND (customer = 'c7' OR amount > 99)")
    q = f"SELECT id, customer, amount FROM ops.sales.orders WHERE {where}"
    plan = "\n".join(r["plan"] for r in tarn.rows(f"EXPLAIN {q};", attach))
    pushed = ['("customer"::text) IN (\'c7\', \'c8\', \'c9\')', '("amount" < 10.00 OR "amount" >= 95.00)',
              '("id" <= 300 OR ("id" > 4000 AND "id" < 4500))', '("status"::text COLLATE "C") NOT IN (\'closed\', \'lost\')']
    for part in pushed:
        check(part in plan, f"EXPLAIN shows {part} pushed down")
    check("99" not in plan.split("sql=[")[1].split("]")[0], "an OR across two columns stays in Tarn")
    got = sorted((int(r["id"]), r["customer"], str(r["amount"])) for r in tarn.rows(f"{q};", attach))
    unpushed = sorted((int(r["id"]), r["customer"], str(r["amount"])) for r in tarn.rows(
        f"SELECT id, customer, amount FROM (SELECT * FROM ops.sales.orders LIMIT 1000000) o WHERE {where};", attach))
    truth = sorted((int(r[0]), r[1], str(Decimal(r[2]))) for r in pg.psql(f"SELECT id, customer, amount FROM sales.orders WHERE {where}"))
    check(len(got) > 0 and got == unpushed == truth, f"IN / OR pushed down: rows equal the unpushed answer and psql's ({len(got)})")
    log = open(pg.log, encoding="utf-8", errors="replace").read()
    check(all(part in log for part in pushed), "the server's statement log shows the IN lists and the ORs")

    # Parallel ctid ranges on a table of ~4,000 pages: same answer as the server.
    got = tarn.rows("SELECT count(*) AS n, sum(id) AS s, count(DISTINCT grp) AS g FROM ops.big;", attach)
    truth = pg.psql("SELECT count(*), sum(id), count(DISTINCT grp) FROM big")[0]
    check([int(got[0]["n"]), int(got[0]["s"]), int(got[0]["g"])] == [int(x) for x in truth], "parallel read of big equals psql")
    log = open(pg.log, encoding="utf-8", errors="replace").read()
    check("ctid >= '(" in log and "SET TRANSACTION SNAPSHOT" in log, "big was read in ctid ranges in one exported snapshot")
    start = time.time()
    got = tarn.rows("SELECT id FROM ops.big LIMIT 3;", attach)
    check(len(got) == 3 and time.time() - start < 15, "LIMIT stops the parallel read early (the COPYs are cancelled)")
    explain = "\n".join(r["plan"] for r in tarn.rows("EXPLAIN ANALYZE SELECT count(*) FROM ops.big;", attach))
    check("parallel_readers" in explain, "EXPLAIN ANALYZE counts the parallel readers")

    # Loading into the lake, history and lineage without credentials.
    r = tarn.run(attach + "CREATE TABLE lake_orders AS SELECT * FROM ops.sales.orders WHERE id <= 1000;"
                 f"CREATE TABLE lake_types AS SELECT * FROM postgres_scan('{pg.dsn}', 'public', 'alltypes');")
    check(r.returncode == 0, "CREATE TABLE AS from an attached table and from postgres_scan " + r.stderr.strip())
    history = tarn.run("DESCRIBE HISTORY lake_types; DESCRIBE HISTORY lake_orders;")
    check(PASSWORD not in history.stdout and history.returncode == 0, "DESCRIBE HISTORY holds no password")
    check(f"tarn@127.0.0.1:{pg.port}/postgres" in history.stdout, "DESCRIBE HISTORY keeps the scrubbed DSN")

    # Errors.
    bad = pg.dsn.replace(PASSWORD, "wrong-" + PASSWORD[::-1])
    r = tarn.run(f"ATTACH '{bad}' AS x (TYPE postgres);")
    check(r.returncode != 0 and "password authentication failed" in r.stderr and PASSWORD[::-1] not in r.stderr and PASSWORD not in r.stderr,
          f"wrong password: {r.stderr.strip()}")
    closed = free_port()
    r = tarn.run(f"ATTACH 'postgresql://tarn:{PASSWORD}@127.0.0.1:{closed}/postgres' AS x (TYPE postgres);")
    check(r.returncode != 0 and "cannot connect" in r.stderr and PASSWORD not in r.stderr, f"closed port: {r.stderr.strip()}")
    start = time.time()
    r = tarn.run(f"ATTACH 'postgresql://tarn:{PASSWORD}@10.255.255.1:5432/postgres?connect_timeout=2' AS x (TYPE postgres);")
    check(r.returncode != 0 and time.time() - start < 20 and PASSWORD not in r.stderr, f"unreachable host fails within the timeout: {r.stderr.strip()}")
    r = tarn.run(attach + "SELECT * FROM ops.nosuch;")
    check(r.returncode != 0 and "no table" in r.stderr and PASSWORD not in r.stderr, f"missing table: {r.stderr.strip()}")
    r = tarn.run(f"SELECT * FROM postgres_scan('{pg.dsn}', 'public', 'nosuch');")
    check(r.returncode != 0 and "no table public.nosuch" in r.stderr and PASSWORD not in r.stderr, f"postgres_scan missing table: {r.stderr.strip()}")
    r = tarn.run(attach + "SELECT * FROM ops.weird;")
    check(r.returncode != 0 and "row 1" in r.stderr and "'d'" in r.stderr and "weird" in r.stderr, f"unconvertible value names table, row, column: {r.stderr.strip()}")

    # A pipeline that attaches in its setup: lineage names the source without credentials.
    folder = os.path.dirname(tarn.lake)
    pipeline = os.path.join(folder, "extract.sql")
    with open(pipeline, "w") as f:
        f.write(f"ATTACH '{pg.dsn}' AS ops (TYPE postgres);\n"
                "CREATE OR REPLACE TABLE open_orders AS SELECT id, customer, amount FROM ops.sales.orders WHERE status = 'open';\n"
                "COPY INTO orders_log FROM ops.sales.orders WATERMARK updated_at;\n")
    r = run([tarn.binary, "run", pipeline, "--lake", tarn.lake])
    check(r.returncode == 0, "tarn run with ATTACH in the setup " + r.stderr.strip()[-300:])
    lineage = tarn.run("SELECT * FROM tarn.lineage; SELECT * FROM tarn.pipeline_runs;")
    check(lineage.stdout.count("postgres:ops.sales.orders") >= 2, "tarn.lineage records postgres:ops.sales.orders for both steps")
    check(PASSWORD not in lineage.stdout + r.stdout + r.stderr, "tarn.lineage, tarn.pipeline_runs and the run's output hold no password")


def test_incremental(pg, tarn):
    print("==> Incremental extraction (COPY INTO … WATERMARK) across runs and a kill -9")
    pg.psql("""CREATE TABLE events(id int8 PRIMARY KEY, v text, updated_at timestamptz NOT NULL);
               INSERT INTO events SELECT g, 'v0', '2024-01-01'::timestamptz + g * interval '1 second' FROM generate_series(1, 1000) g;""")
    attach = f"ATTACH '{pg.dsn}' AS ops (TYPE postgres);\n"
    copy = "COPY INTO lake_events FROM ops.public.events WATERMARK updated_at;"
    versions = set(tuple(r) for r in pg.psql("SELECT id, v FROM events"))

    def load():
        r = tarn.rows(copy, attach)
        return int(r[0]["rows_loaded"])

    check(load() == 1000, "run 1 loads 1000 rows")
    pg.psql("""INSERT INTO events SELECT g, 'v0', '2024-02-01'::timestamptz + g * interval '1 second' FROM generate_series(1001, 1500) g;
               UPDATE events SET v = 'v1', updated_at = '2024-03-01' WHERE id <= 100;""")
    versions |= set(tuple(r) for r in pg.psql("SELECT id, v FROM events"))
    check(load() == 600, "run 2 loads the 500 new rows and the 100 updated ones")
    pg.psql("""INSERT INTO events SELECT g, 'v0', '2024-04-01'::timestamptz + g * interval '1 millisecond' FROM generate_series(1501, 1700) g;
               UPDATE events SET v = 'v2', updated_at = '2024-05-01 00:00:00.000001' WHERE id BETWEEN 1001 AND 1050;""")
    versions |= set(tuple(r) for r in pg.psql("SELECT id, v FROM events"))
    check(load() == 250, "run 3 loads 200 new rows and 50 updated ones")
    check(load() == 0, "run 4 finds nothing new")
    r = tarn.run(attach + "CREATE TABLE narrow(id BIGINT); COPY INTO narrow FROM ops.public.events WATERMARK updated_at;")
    check(r.returncode != 0 and "column 'v'" in r.stderr, f"a source column the table lacks is an error, not dropped: {r.stderr.strip()}")
    lake = tarn.rows("SELECT id, v FROM lake_events;")
    pairs = [(str(r["id"]), r["v"]) for r in lake]
    check(len(pairs) == len(set(pairs)) == len(versions) and set(pairs) == versions,
          f"the lake holds each row version exactly once ({len(pairs)} rows, {len(versions)} versions)")

    # kill -9 in the middle of a load, then a rerun: nothing lost, nothing twice.
    pg.psql("INSERT INTO events SELECT g, 'big', '2024-06-01'::timestamptz + g * interval '1 microsecond' FROM generate_series(100001, 500000) g;")
    env = dict(os.environ)
    proc = subprocess.Popen([tarn.binary, tarn.lake, "-c", attach + copy], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    copying = False
    for _ in range(600):
        if proc.poll() is not None:
            break
        rows = pg.psql("SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE 'COPY (SELECT %events%'")
        if int(rows[0][0]) > 0:
            copying = True
            time.sleep(0.3)
            break
        time.sleep(0.02)
    killed = proc.poll() is None
    proc.kill()
    proc.wait()
    check(copying and killed, "tarn was killed (-9) while the COPY was streaming")
    before = tarn.rows("SELECT count(*) AS n FROM lake_events;")
    check(int(before[0]["n"]) == len(versions), "after the kill the lake holds what it held before the killed run")
    check(load() == 400000, "the rerun loads all 400,000 rows of the killed run")
    after = tarn.rows("SELECT count(*) AS n, count(DISTINCT id) AS d FROM lake_events WHERE v = 'big';")
    check(int(after[0]["n"]) == int(after[0]["d"]) == 400000, "each of them exactly once")
    wm = tarn.rows("SELECT max(updated_at) AS m FROM lake_events;")
    truth = pg.psql("SELECT max(updated_at) FROM events")[0][0]
    check(truth.removesuffix("+00") == str(wm[0]["m"]), "the lake's newest watermark equals the server's")


# ---------------------------------------------------------------- MariaDB

MY_TYPES = """
CREATE TABLE alltypes(id int PRIMARY KEY, ti tinyint, si smallint, mi mediumint, i int, iu int unsigned, bi bigint,
  f float, d double, dc decimal(12,3), dw decimal(30,5), vc varchar(30), tx text, ch char(4), bo tinyint(1), dt date,
  dtm datetime(6), tsp timestamp(3) NULL, js json, en enum('a','b'), tm time);
INSERT INTO alltypes VALUES
 (1, -128, -32768, -8388608, -2147483648, 4294967295, -9223372036854775808, -1.5, -1e300, -123456789.123,
  1234567890123456789012345.12345, '', 'x', 'ab', 0, '1000-01-01', '1970-01-01 00:00:00.000001', '2024-05-20 13:45:01.5',
  '{"a": 1}', 'a', '-01:00:00'),
 (2, 127, 32767, 8388607, 2147483647, 0, 9223372036854775807, 1.1, 0.1, 999999999.999, -0.5, 'ünïcode ✓', 'line1\\nline2',
  'abcd', 1, '2024-02-29', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07', '[1, 2]', 'b', '12:34:56'),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE orders(id bigint PRIMARY KEY, customer varchar(20), amount decimal(10,2), placed date);
INSERT INTO orders SELECT seq, CONCAT('c', seq % 50), (seq % 1000) / 10, DATE_ADD('2024-01-01', INTERVAL seq % 300 DAY) FROM seq_1_to_3000;
"""


def same_my(col, text, value):
    if text == "NULL":
        return value is None
    if value is None:
        return False
    if col in ("id", "ti", "si", "mi", "i", "iu", "bi"):
        return int(text) == int(value)
    if col in ("f", "d", "dw"):
        return float(text) == float(value)
    if col == "dc":
        return Decimal(text) == Decimal(str(value))
    if col == "bo":
        return (int(text) != 0) == value
    if col in ("dtm", "tsp"):
        t = text.rstrip("0").rstrip(".") if "." in text else text
        return t == str(value)
    text = text.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")
    return text == str(value)


def test_mysql(my, tarn):
    print("==> MariaDB")
    my.root(MY_TYPES, db="crm")
    cols = ["id", "ti", "si", "mi", "i", "iu", "bi", "f", "d", "dc", "dw", "vc", "tx", "ch", "bo", "dt", "dtm", "tsp", "js", "en", "tm"]
    expected = my.root("SET time_zone = '+00:00'; SELECT * FROM alltypes ORDER BY id", db="crm")
    attach = f"ATTACH '{my.dsn}' AS crm (TYPE mysql);\n"
    got = tarn.rows("SELECT * FROM crm.alltypes ORDER BY id;", attach)
    check(len(got) == len(expected) == 3, "alltypes: 3 rows")
    for erow, grow in zip(expected, got):
        for k, c in enumerate(cols):
            if not same_my(c, erow[k], grow.get(c)):
                check(False, f"alltypes id={erow[0]} column {c}: mariadb {erow[k]!r} tarn {grow.get(c)!r}")
                break
        else:
            check(True, f"alltypes id={erow[0]}: every column equals the mariadb client's")
    q = "SELECT id, amount FROM crm.orders WHERE amount > 50 AND placed >= DATE '2024-06-01' AND customer = 'c7'"
    plan = "\n".join(r["plan"] for r in tarn.rows(f"EXPLAIN {q};", attach))
    sent = "WHERE `amount` > 50.00 AND `placed` >= '2024-06-01' AND `customer` = 'c7'"
    check(sent in plan, f"EXPLAIN shows the pushed-down WHERE: {plan!r}")
    got = sorted(int(r["id"]) for r in tarn.rows(f"{q};", attach))
    truth = sorted(int(r[0]) for r in my.root("SELECT id FROM orders WHERE amount > 50 AND placed >= '2024-06-01' AND customer = 'c7'", db="crm"))
    check(got == truth and len(got) > 0, f"filtered rows equal the server's ({len(got)})")
    log = open(my.log, encoding="utf-8", errors="replace").read()
    check(sent in log, "the general log shows the pushed-down SELECT")
    where = ("customer IN ('c7', 'c8') AND (amount < 10 OR amount > 90) AND placed NOT IN (DATE '2024-01-08', DATE '2024-01-09') "
             "AND (id < 500 OR id >= 2500)")
    q = f"SELECT id, amount FROM crm.orders WHERE {where}"
    plan = "\n".join(r["plan"] for r in tarn.rows(f"EXPLAIN {q};", attach))
    pushed = ["`customer` IN ('c7', 'c8')", "(`amount` < 10.00 OR `amount` > 90.00)",
              "`placed` NOT IN ('2024-01-08', '2024-01-09')", "(`id` < 500 OR `id` >= 2500)"]
    check(all(part in plan for part in pushed), f"EXPLAIN shows the IN lists and ORs pushed down: {plan!r}")
    got = sorted(int(r["id"]) for r in tarn.rows(f"{q};", attach))
    unpushed = sorted(int(r["id"]) for r in tarn.rows(f"SELECT id FROM (SELECT * FROM crm.orders LIMIT 1000000) o WHERE {where};", attach))
    truth = sorted(int(r[0]) for r in my.root(f"SELECT id FROM orders WHERE {where.replace('DATE ', '')}", db="crm"))
    check(len(got) > 0 and got == unpushed == truth, f"IN / OR pushed down: rows equal the unpushed answer and the server's ({len(got)})")
    log = open(my.log, encoding="utf-8", errors="replace").read()
    check(all(part in log for part in pushed), "the general log shows the IN lists and the ORs")
    check(len(tarn.rows("SELECT id FROM crm.orders LIMIT 2;", attach)) == 2, "LIMIT on a streamed MySQL table")
    scan = tarn.rows(f"SELECT count(*) AS n FROM mysql_scan('{my.dsn}', 'orders');")
    check(int(scan[0]["n"]) == 3000, "mysql_scan counts 3000 rows")
    bad = my.dsn.replace(PASSWORD, "nope" + PASSWORD[::-1])
    r = tarn.run(f"ATTACH '{bad}' AS x (TYPE mysql);")
    check(r.returncode != 0 and "Access denied" in r.stderr and PASSWORD not in r.stderr and PASSWORD[::-1] not in r.stderr, f"wrong password: {r.stderr.strip()}")
    r = tarn.run(attach + "SELECT * FROM crm.nosuch;")
    check(r.returncode != 0 and "no table" in r.stderr and PASSWORD not in r.stderr, f"missing table: {r.stderr.strip()}")


def test_secrets(pg, my, tarn):
    print("==> Secrets: CREATE SECRET in the catalog, ATTACH … (SECRET name), redacted everywhere")
    def secret(name, kind, port, password, database):
        return (f"CREATE OR REPLACE SECRET {name} (TYPE {kind}, HOST '127.0.0.1', PORT {port}, USER 'tarn', "
                f"PASSWORD '{password}', DATABASE '{database}');")
    r = tarn.run(secret("pgops", "postgres", pg.port, PASSWORD, "postgres") + secret("", "mysql", my.port, PASSWORD, "crm").replace("SECRET  (", "SECRET ("))
    check(r.returncode == 0 and PASSWORD not in r.stdout + r.stderr, "CREATE SECRET (named postgres, default mysql) " + r.stderr.strip())
    # A new process: the secrets come from the lake's catalog.
    got = tarn.rows("ATTACH '' AS ops (TYPE postgres, SECRET pgops); SELECT count(*) AS n FROM ops.alltypes;")
    check(int(got[0]["n"]) == 4, "ATTACH '' AS ops (TYPE postgres, SECRET pgops) connects with the stored secret")
    got = tarn.rows("ATTACH '' AS ops (SECRET pgops); SELECT count(*) AS n FROM ops.sales.orders WHERE id IN (1, 2, 3);")
    check(int(got[0]["n"]) == 3, "ATTACH without TYPE takes the secret's type")
    got = tarn.rows("ATTACH '' AS crm (TYPE mysql); SELECT count(*) AS n FROM crm.orders;")
    check(int(got[0]["n"]) == 3000, "ATTACH (TYPE mysql) picks up the default mysql secret")
    tarn.run(secret("pgtemplate", "postgres", pg.port, PASSWORD, "template1"))
    got = tarn.rows("ATTACH 'dbname=postgres' AS o2 (TYPE postgres, SECRET pgtemplate); SELECT count(*) AS n FROM o2.alltypes;")
    check(int(got[0]["n"]) == 4, "a parameter in the ATTACH string (dbname) overrides the secret's (template1)")
    listing = tarn.run("SELECT * FROM duckdb_secrets(); SELECT name, type, secret_string FROM tarn.secrets;")
    check(listing.returncode == 0 and "password=redacted" in listing.stdout and "pgops" in listing.stdout
          and "__default_mysql" in listing.stdout and PASSWORD not in listing.stdout, "duckdb_secrets() and tarn.secrets show the password redacted")
    catalog = sqlite3.connect(os.path.join(tarn.lake, "catalog.db"))
    stored = catalog.execute("SELECT parameters FROM tarn_secrets WHERE name = 'pgops'").fetchone()
    catalog.close()
    check(stored is not None and PASSWORD in stored[0], "the secret is stored in the lake's SQLite catalog (tarn_secrets)")

    # A wrong password in a secret: a clear error without the password, for both servers.
    wrong = "Wr0ng-" + PASSWORD[::-1]
    tarn.run(secret("badpg", "postgres", pg.port, wrong, "postgres") + secret("badmy", "mysql", my.port, wrong, "crm"))
    r = tarn.run("ATTACH '' AS x (TYPE postgres, SECRET badpg);")
    check(r.returncode != 0 and "password authentication failed" in r.stderr and wrong not in r.stderr and PASSWORD not in r.stderr,
          f"wrong password in a postgres secret: {r.stderr.strip()}")
    r = tarn.run("ATTACH '' AS x (TYPE mysql, SECRET badmy);")
    check(r.returncode != 0 and "Access denied" in r.stderr and wrong not in r.stderr, f"wrong password in a mysql secret: {r.stderr.strip()}")
    r = tarn.run("DROP SECRET badpg; DROP SECRET badmy; ATTACH '' AS x (TYPE postgres, SECRET badpg);")
    check(r.returncode != 0 and "no secret named 'badpg'" in r.stderr, f"DROP SECRET removes it: {r.stderr.strip()}")
    r = tarn.run("DROP SECRET IF EXISTS badpg; SELECT count(*) AS n FROM tarn.secrets WHERE name LIKE 'bad%';")
    check(r.returncode == 0 and parse_json_rows(r.stdout)[0]["n"] == 0, "DROP SECRET IF EXISTS of a dropped secret succeeds")
    r = tarn.run(f"CREATE SECRET oops (TYPE postgres, PASWORD '{PASSWORD}');")
    check(r.returncode != 0 and "unknown parameter 'pasword'" in r.stderr and PASSWORD not in r.stderr, f"a misspelt parameter: {r.stderr.strip()}")
    r = tarn.run(f"CREATE TEMPORARY SECRET tmp (TYPE postgres, HOST '127.0.0.1', PORT {pg.port}, USER 'tarn', PASSWORD '{PASSWORD}', DATABASE 'postgres');"
                 "ATTACH '' AS t (SECRET tmp); SELECT count(*) AS n FROM t.alltypes;")
    check(r.returncode == 0 and parse_json_rows(r.stdout)[0]["n"] == 4, "a TEMPORARY secret works in its session " + r.stderr.strip())
    r = tarn.run("ATTACH '' AS t (TYPE postgres, SECRET tmp);")
    check(r.returncode != 0 and "no secret named 'tmp'" in r.stderr, "and is gone in the next one")

    # Tables loaded through a secret: no password in history, lineage or pipeline records.
    r = tarn.run("ATTACH '' AS ops (SECRET pgops); CREATE TABLE via_secret AS SELECT * FROM ops.sales.orders WHERE id < 10; DESCRIBE HISTORY via_secret;")
    check(r.returncode == 0 and PASSWORD not in r.stdout + r.stderr, "DESCRIBE HISTORY of a table loaded through a secret holds no password")

    # The REPL's history file keeps the CREATE SECRET statement without its password.
    history = os.path.join(os.path.dirname(tarn.lake), "repl_history")
    driver = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "CLITests", "pty_driver.py")
    steps = [{"expect": "tarn> ", "timeout": 20},
             {"send": f"CREATE OR REPLACE SECRET typed (TYPE postgres, HOST '127.0.0.1',\rUSER 'tarn', PASSWORD '{PASSWORD}');\r"},
             {"expect": "tarn> ", "timeout": 20}, {"send": ".quit\r"}, {"eof": True, "timeout": 20}]
    r = run([sys.executable, driver, json.dumps(steps), "--", tarn.binary, tarn.lake], env=dict(os.environ, TARN_HISTORY=history))
    text = open(history, encoding="utf-8", errors="replace").read() if os.path.exists(history) else ""
    text = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)   # libedit writes vis(3)-encoded lines
    check(r.returncode == 0 and "CREATE OR REPLACE SECRET typed" in text and PASSWORD not in text,
          f"the REPL history file holds the statement without the password: {text[-200:]!r}")
    listed = tarn.rows("SELECT count(*) AS n FROM tarn.secrets WHERE name = 'typed';")
    check(int(listed[0]["n"]) == 1, "the secret typed in the REPL was stored")


def test_campaign_sales_example(pg, tarn):
    print("==> examples/campaigns/sales_from_postgres.sql: the MMM's weekly revenue from PostgreSQL, through a secret")
    pg.psql("""CREATE TABLE weekly_sales(week date PRIMARY KEY, revenue float8 NOT NULL);
               INSERT INTO weekly_sales SELECT DATE '2024-01-01' + 7 * g, 10000 + 37.5 * g FROM generate_series(0, 51) g;""")
    example = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "campaigns", "sales_from_postgres.sql")
    r = tarn.run(f"CREATE SECRET erp (TYPE postgres, HOST '127.0.0.1', PORT {pg.port}, USER 'tarn', PASSWORD '{PASSWORD}', DATABASE 'postgres');")
    check(r.returncode == 0, "CREATE SECRET erp " + r.stderr.strip())

    def run_example():
        r = run([tarn.binary, "run", example, "--lake", tarn.lake])
        check(r.returncode == 0 and PASSWORD not in r.stdout + r.stderr, "tarn run sales_from_postgres.sql " + r.stderr.strip()[-300:])
        got = tarn.rows("SELECT count(*) AS n, sum(revenue) AS s, max(week) AS w FROM marketing.sales;")[0]
        truth = pg.psql("SELECT count(*), sum(revenue), max(week) FROM weekly_sales")[0]
        return int(got["n"]) == int(truth[0]) and float(got["s"]) == float(truth[1]) and str(got["w"]) == truth[2]

    check(run_example(), "run 1: marketing.sales equals the ERP's weekly_sales (count, sum, last week)")
    pg.psql("INSERT INTO weekly_sales SELECT DATE '2024-01-01' + 7 * g, 10000 + 37.5 * g FROM generate_series(52, 53) g;")
    check(run_example(), "run 2 after two new weeks: still equal, each week once")
    types = {r.get("column_name", r.get("name")): r.get("column_type", r.get("type")) for r in tarn.rows("DESCRIBE marketing.sales;")}
    check(types == {"week": "DATE", "revenue": "DOUBLE"}, f"marketing.sales has the feed's columns (week DATE, revenue DOUBLE): {types}")
    out = tarn.run("SELECT * FROM tarn.lineage; SELECT * FROM tarn.pipeline_runs;")
    check("postgres:erp.public.weekly_sales" in out.stdout and PASSWORD not in out.stdout,
          "tarn.lineage records postgres:erp.public.weekly_sales; no password in tarn.lineage / tarn.pipeline_runs")


def peak_rss(tarn, sql):
    """Runs tarn on sql; returns (rows of the last result, stderr, peak RSS in MB from wait4)."""
    proc = subprocess.Popen([tarn.binary, tarn.lake, "--format", "json", "-c", sql], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)   # the output is one short row: the pipes cannot fill up
    out, err = proc.stdout.read(), proc.stderr.read()
    return (parse_json_rows(out) if status == 0 else [{}]), err, usage.ru_maxrss / 1024


def test_streaming_memory(pg, my, tarn):
    print("==> Memory: tables of wide rows read in bounded memory; MySQL streamed (mysql_use_result), LIMIT stops the server")
    width = 3000
    # PostgreSQL compresses these values on disk (TOAST), so a 240 MB table is quick to make; COPY sends every byte.
    pg.psql(f"CREATE TABLE wide(id int PRIMARY KEY, payload text); "
            f"INSERT INTO wide SELECT g, repeat(chr(65 + g % 26), {width}) FROM generate_series(1, 80000) g;")
    my.root(f"CREATE TABLE wide(id int PRIMARY KEY, payload varchar(4000)); "
            f"INSERT INTO wide SELECT seq, REPEAT(CHAR(65 + seq % 26), {width}) FROM seq_1_to_40000;", db="crm")
    for kind, attach, small, rows in (("PostgreSQL", f"ATTACH '{pg.dsn}' AS db (TYPE postgres);\n", "db.alltypes", 80000),
                                      ("MySQL", f"ATTACH '{my.dsn}' AS db (TYPE mysql);\n", "db.orders", 40000)):
        total_mb = rows * width / 1e6
        _, _, base_mb = peak_rss(tarn, attach + f"SELECT count(*) AS n FROM {small} WHERE id IS NOT NULL;")
        got, err, peak_mb = peak_rss(tarn, attach + "SELECT count(*) AS n, max(id) AS m FROM db.wide WHERE payload <> 'x';")
        check(int(got[0].get("n", 0)) == rows and int(got[0].get("m", 0)) == rows, f"{kind}: {rows} rows of {width} bytes read {err.strip()}")
        print(f"       {kind}: peak RSS {peak_mb:.0f} MB reading a {total_mb:.0f} MB table ({base_mb:.0f} MB reading a tiny one)")
        check(peak_mb - base_mb < total_mb / 3, f"{kind}: peak memory grows by {peak_mb - base_mb:.0f} MB, far below the table's {total_mb:.0f} MB")
    total_mb = 40000 * width / 1e6

    def bytes_sent():
        return int(my.root("SHOW GLOBAL STATUS LIKE 'Bytes_sent'")[0][1])
    before = bytes_sent()
    got = tarn.rows("SELECT id FROM crm.wide LIMIT 3;", f"ATTACH '{my.dsn}' AS crm (TYPE mysql);\n")
    time.sleep(0.5)
    sent_mb = (bytes_sent() - before) / 1e6
    check(len(got) == 3 and sent_mb < total_mb / 4, f"MySQL LIMIT 3 closes the stream early: the server sent {sent_mb:.1f} MB of {total_mb:.0f} MB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tarn", required=True)
    args = parser.parse_args()
    started = time.time()
    ensure_packages()
    tmp = tempfile.mkdtemp(prefix="tarn-opsdb-")
    pg = my = None
    try:
        pg = Postgres(tmp)
        my = MariaDB(tmp)
        print(f"servers up in {time.time() - started:.1f}s")
        lake = os.path.join(tmp, "lake")
        tarn = Tarn(os.path.abspath(args.tarn), lake)
        test_postgres(pg, tarn)
        test_incremental(pg, Tarn(os.path.abspath(args.tarn), os.path.join(tmp, "lake-inc")))
        test_mysql(my, Tarn(os.path.abspath(args.tarn), os.path.join(tmp, "lake2")))
        test_secrets(pg, my, Tarn(os.path.abspath(args.tarn), os.path.join(tmp, "lake-secrets")))
        test_campaign_sales_example(pg, Tarn(os.path.abspath(args.tarn), os.path.join(tmp, "lake-campaign")))
        test_streaming_memory(pg, my, Tarn(os.path.abspath(args.tarn), os.path.join(tmp, "lake-stream")))
    finally:
        if pg:
            pg.stop()
        if my:
            my.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"opsdb: {len(failures)} failure(s) in {time.time() - started:.1f}s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
