#!/usr/bin/env python3
"""Real PostgreSQL clients against `tarn serve`: psql, psycopg 3 (text and binary, with parameters)
and asyncpg (extended binary protocol). Every result must equal what `tarn LAKE -c SQL --format csv`
prints for the same query. Exits non-zero on any mismatch; bounded to about a minute; always stops
the server it started.

Usage: Tests/server/clients.py [--tarn PATH]   (default: $TARN_BIN, else .build/debug/tarn)
"""
import argparse
import asyncio
import csv
import datetime
import decimal
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PASSWORD = "clients-py-secret"
USER = "tester"
DEADLINE_SECONDS = 55

SETUP = """
CREATE TABLE t(id INTEGER, name VARCHAR, price DECIMAL(10,2), d DATE, ts TIMESTAMP, ok BOOLEAN, x DOUBLE, big BIGINT);
INSERT INTO t VALUES (1, 'alpha', 1.50, '2024-01-02', '2024-01-02 03:04:05.25', true, 1.5, 9000000000),
                     (2, 'beta', -20.05, '1999-12-31', '1970-01-01 00:00:00', false, -0.25, -1),
                     (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                     (4, 'it''s', 0.00, '2030-06-15', '2030-06-15 23:59:59.999999', true, 2.0, 0);
CREATE TABLE big AS SELECT range AS n, range % 7 AS k, 'row ' || CAST(range AS VARCHAR) AS label FROM range(20000);
CREATE TABLE txn(id INTEGER, v INTEGER);
INSERT INTO txn VALUES (1, 0), (2, 0);
CREATE TABLE txn_log(who VARCHAR);
"""

QUERIES = [
    "SELECT id, name, price, d, ts, ok, x, big FROM t ORDER BY id",
    "SELECT count(*) AS n, sum(price) AS total, min(d) AS first_day, max(ts) AS last_ts FROM t",
    "SELECT name, count(*) AS c FROM t GROUP BY name ORDER BY name NULLS FIRST",
    "SELECT k, count(*) AS c, sum(n) AS s FROM big GROUP BY k ORDER BY k",
    "SELECT n, k, label FROM big ORDER BY n",
    "SELECT 1 AS one, 'x' AS s, NULL AS nothing, 2.5 AS dec, 1.0 / 4 AS q",
]

# (query with %s placeholders, parameters, the same query with literals for the reference)
PARAMETERISED = [
    ("SELECT id, name FROM t WHERE id >= %s ORDER BY id", (2,), "SELECT id, name FROM t WHERE id >= 2 ORDER BY id"),
    ("SELECT id FROM t WHERE name = %s", ("it's",), "SELECT id FROM t WHERE name = 'it''s'"),
    ("SELECT id, price FROM t WHERE price > %s ORDER BY id", (decimal.Decimal("-1.25"),),
     "SELECT id, price FROM t WHERE price > -1.25 ORDER BY id"),
    ("SELECT id FROM t WHERE d < %s ORDER BY id", (datetime.date(2025, 1, 1),),
     "SELECT id FROM t WHERE d < CAST('2025-01-01' AS DATE) ORDER BY id"),
    ("SELECT count(*) AS c FROM big WHERE n < %s AND label <> %s", (1000, "row 5"),
     "SELECT count(*) AS c FROM big WHERE n < 1000 AND label <> 'row 5'"),
]

ASYNCPG = [
    ("SELECT id, name, price, d, ts, ok, x, big FROM t ORDER BY id", (), "SELECT id, name, price, d, ts, ok, x, big FROM t ORDER BY id"),
    ("SELECT id, name FROM t WHERE id >= $1::int4 ORDER BY id", (2,), "SELECT id, name FROM t WHERE id >= 2 ORDER BY id"),
    ("SELECT id FROM t WHERE name = $1", ("it's",), "SELECT id FROM t WHERE name = 'it''s'"),
    ("SELECT n, k, label FROM big ORDER BY n", (), "SELECT n, k, label FROM big ORDER BY n"),
]


def ensure_clients():
    """psycopg 3, asyncpg, SQLAlchemy and pandas from PyPI when missing (the issue's Python clients)."""
    try:
        import psycopg  # noqa: F401
        import asyncpg  # noqa: F401
        import sqlalchemy  # noqa: F401
        import pandas  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "psycopg[binary]", "asyncpg", "sqlalchemy", "pandas"],
                       check=True, timeout=300)


def canon(cell):
    """One comparable text per value: NULL → '', booleans → true/false, numbers by value."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, datetime.datetime):
        s = cell.strftime("%Y-%m-%d %H:%M:%S")
        if cell.microsecond:
            s += ("." + "%06d" % cell.microsecond).rstrip("0")
        return s
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    s = str(cell)
    if s in ("t", "true"):
        return "true"
    if s in ("f", "false"):
        return "false"
    try:
        return repr(float(s))
    except ValueError:
        return s


def canon_rows(rows):
    return [[canon(c) for c in r] for r in rows]


def reference(tarn, lake, sql):
    out = subprocess.run([tarn, lake, "-c", sql, "--format", "csv"], capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        raise RuntimeError(f"tarn -c failed for {sql!r}: {out.stderr}")
    rows = list(csv.reader(io.StringIO(out.stdout)))
    return canon_rows(rows[1:])


def wait_for(server, port):
    started = time.time()
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if server.poll() is not None or time.time() - started > 15:
                raise RuntimeError("tarn serve did not start" + (f" (exit {server.returncode})" if server.poll() is not None else ": timeout"))
            time.sleep(0.1)


def stop(server):
    """Stops a `tarn serve` process: SIGTERM, then SIGKILL after 5 s."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Checker:
    def __init__(self):
        self.failures = 0
        self.checks = 0

    def same(self, label, got, want):
        self.checks += 1
        if got != want:
            self.failures += 1
            print(f"MISMATCH {label}\n  got:  {got[:5]}{' …' if len(got) > 5 else ''} ({len(got)} rows)\n"
                  f"  want: {want[:5]}{' …' if len(want) > 5 else ''} ({len(want)} rows)")

    def true(self, label, condition, detail=""):
        self.checks += 1
        if not condition:
            self.failures += 1
            print(f"FAILED {label} {detail}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tarn", default=os.environ.get("TARN_BIN", os.path.join(ROOT, ".build", "debug", "tarn")))
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("clients.py exceeded its time bound")))
    signal.alarm(DEADLINE_SECONDS + 60)  # pip may take a while on a fresh machine; the checks themselves are bounded below
    ensure_clients()
    signal.alarm(DEADLINE_SECONDS)
    import psycopg
    import asyncpg

    work = tempfile.mkdtemp(prefix="tarn-clients-")
    lake = os.path.join(work, "lake")
    subprocess.run([args.tarn, lake, "-c", SETUP], check=True, capture_output=True, timeout=60)
    refs = {sql: reference(args.tarn, lake, sql) for sql in QUERIES}
    for _, _, ref_sql in PARAMETERISED + ASYNCPG:
        refs[ref_sql] = reference(args.tarn, lake, ref_sql)

    port = free_port()
    env = dict(os.environ, TARN_CLIENTS_PW=PASSWORD)
    server = subprocess.Popen([args.tarn, "serve", lake, "--port", str(port), "--user", USER, "--password-env", "TARN_CLIENTS_PW"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    check = Checker()
    servers = []
    try:
        wait_for(server, port)
        dsn = f"host=127.0.0.1 port={port} user={USER} password={PASSWORD} dbname=tarn sslmode=prefer"

        # psql, the way people run it (it asks for SSL first: sslmode=prefer falls back to plain).
        psql = shutil.which("psql")
        if psql:
            for sql in QUERIES:
                out = subprocess.run([psql, dsn, "--csv", "-t", "-c", sql], capture_output=True, text=True, timeout=20)
                check.true(f"psql exit {sql}", out.returncode == 0, out.stderr)
                check.same(f"psql {sql}", canon_rows(list(csv.reader(io.StringIO(out.stdout)))), refs[sql])
            for meta, expected in [("\\dt", "t"), ("\\d t", "numeric(10,2)"), ("\\dn", "main"), ("\\l", "tarn")]:
                out = subprocess.run([psql, dsn, "-c", meta], capture_output=True, text=True, timeout=20)
                check.true(f"psql {meta}", out.returncode == 0 and expected in out.stdout, out.stdout + out.stderr)
            copy_sql = QUERIES[0]
            out = subprocess.run([psql, dsn, "-c", f"COPY ({copy_sql}) TO STDOUT WITH (FORMAT csv)"], capture_output=True, text=True, timeout=20)
            check.same("psql COPY TO STDOUT csv", canon_rows(list(csv.reader(io.StringIO(out.stdout)))), refs[copy_sql])
            out = subprocess.run([psql, dsn, "-c", "SELECT * FROM missing_table"], capture_output=True, text=True, timeout=20)
            check.true("psql error text", "table or view 'missing_table' does not exist" in out.stderr, out.stderr)
        else:
            print("psql not installed: skipped")

        # psycopg 3: text and binary, simple and parameterised.
        with psycopg.connect(dsn, autocommit=True) as conn:
            for binary in (False, True):
                for sql in QUERIES:
                    with conn.cursor(binary=binary) as cur:
                        cur.execute(sql)
                        check.same(f"psycopg binary={binary} {sql}", canon_rows(cur.fetchall()), refs[sql])
                for sql, params, ref_sql in PARAMETERISED:
                    with conn.cursor(binary=binary) as cur:
                        cur.execute(sql, params)
                        check.same(f"psycopg binary={binary} {sql} {params}", canon_rows(cur.fetchall()), refs[ref_sql])
            try:
                conn.execute("SELECT * FROM missing_table")
                check.true("psycopg error", False, "no error raised")
            except psycopg.errors.UndefinedTable as e:
                check.true("psycopg 42P01", e.sqlstate == "42P01", str(e.sqlstate))
            try:
                conn.execute("SELECT 1 / 0")
                check.true("psycopg division", False, "no error raised")
            except psycopg.errors.DivisionByZero:
                check.true("psycopg 22012", True)
        # psycopg's default (non-autocommit) mode sends BEGIN first; a server-side cursor fetches in chunks.
        with psycopg.connect(dsn) as conn:
            with conn.cursor(binary=True) as cur:
                cur.execute("SELECT n, k, label FROM big ORDER BY n")
                check.same("psycopg in a transaction", canon_rows(cur.fetchall()), refs["SELECT n, k, label FROM big ORDER BY n"])
            conn.commit()
        # psycopg transactions over two tables: invisible to others until commit, undone by rollback; two blocks
        # rewriting the same rows: the second commit fails with SerializationFailure (40001) and leaves nothing.
        with psycopg.connect(dsn) as a, psycopg.connect(dsn) as b, psycopg.connect(dsn, autocommit=True) as watch:
            a.execute("UPDATE txn SET v = 1")
            a.execute("INSERT INTO txn_log VALUES ('a')")
            check.same("psycopg block reads its writes", a.execute("SELECT sum(v), (SELECT count(*) FROM txn_log) FROM txn").fetchall(), [(2, 1)])
            check.same("psycopg others do not see them", watch.execute("SELECT sum(v), (SELECT count(*) FROM txn_log) FROM txn").fetchall(), [(0, 0)])
            b.execute("UPDATE txn SET v = 2")
            b.execute("INSERT INTO txn_log VALUES ('b')")
            a.commit()
            try:
                b.commit()
                check.true("psycopg conflicting commit", False, "the second commit succeeded")
            except psycopg.errors.SerializationFailure as e:
                check.true("psycopg conflicting commit", "conflict" in str(e), str(e))
            check.same("psycopg first block committed whole, second not at all",
                       watch.execute("SELECT sum(v), (SELECT string_agg(who, ',') FROM txn_log) FROM txn").fetchall(), [(2, "a")])
            a.execute("DELETE FROM txn")
            a.execute("DELETE FROM txn_log")
            a.rollback()
            check.same("psycopg rollback undid both tables", watch.execute("SELECT count(*), (SELECT count(*) FROM txn_log) FROM txn").fetchall(), [(2, 1)])
        try:
            psycopg.connect(f"host=127.0.0.1 port={port} user={USER} password=wrong dbname=tarn sslmode=disable").close()
            check.true("wrong password refused", False, "connected")
        except psycopg.OperationalError as e:
            check.true("wrong password refused", "password authentication failed" in str(e), str(e))

        # asyncpg: extended protocol, binary results, parameters described by the server.
        async def run_asyncpg():
            conn = await asyncpg.connect(host="127.0.0.1", port=port, user=USER, password=PASSWORD, database="tarn", ssl=False)
            try:
                for sql, params, ref_sql in ASYNCPG:
                    rows = await conn.fetch(sql, *params)
                    check.same(f"asyncpg {sql} {params}", canon_rows([tuple(r) for r in rows]), refs[ref_sql])
                statement = await conn.prepare("SELECT n FROM big WHERE k = $1::int4 ORDER BY n")
                async with conn.transaction():
                    cursor = await statement.cursor(3)
                    first = await cursor.fetch(5)
                    check.same("asyncpg cursor (Execute with a row limit)", [[r[0]] for r in first], [[3], [10], [17], [24], [31]])
            finally:
                await conn.close()
        asyncio.run(run_asyncpg())

        # SQLAlchemy's postgres dialect (psycopg driver) with pandas.read_sql (both installed by ensure_clients):
        # its connect-time probes (version, SAVEPOINT, pg_type lookups) must not fail the connection.
        import pandas
        import sqlalchemy
        engine = sqlalchemy.create_engine(f"postgresql+psycopg://{USER}:{PASSWORD}@127.0.0.1:{port}/tarn?sslmode=disable")
        with engine.connect() as conn:
            frame = pandas.read_sql(QUERIES[0], conn)
            rows = [[None if (isinstance(v, float) and v != v) or v is pandas.NaT else v for v in r]
                    for r in frame.astype(object).itertuples(index=False)]
            rows = [[v.to_pydatetime() if hasattr(v, "to_pydatetime") else v for v in r] for r in rows]
            check.same("pandas.read_sql over SQLAlchemy", canon_rows(rows), refs[QUERIES[0]])
        engine.dispose()

        # TLS: a second server with a throw-away self-signed certificate; sslmode=require must get TLS.
        openssl = shutil.which("openssl")
        if openssl:
            cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
            subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                            "-days", "1", "-subj", "/CN=localhost"], check=True, capture_output=True, timeout=30)
            tls_port = free_port()
            tls_server = subprocess.Popen([args.tarn, "serve", lake, "--port", str(tls_port), "--tls-cert", cert, "--tls-key", key],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            servers.append(tls_server)
            wait_for(tls_server, tls_port)
            with psycopg.connect(f"host=127.0.0.1 port={tls_port} user={USER} password={PASSWORD} dbname=tarn sslmode=require") as conn:
                check.true("TLS in use with sslmode=require", conn.pgconn.ssl_in_use)
                check.same("query over TLS", canon_rows(conn.execute(QUERIES[0]).fetchall()), refs[QUERIES[0]])
        else:
            print("openssl not installed: TLS check skipped")
    finally:
        for extra in servers:
            stop(extra)
        stop(server)
        shutil.rmtree(work, ignore_errors=True)
        signal.alarm(0)
    print(f"clients.py: {check.checks} checks, {check.failures} failures")
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
