#!/usr/bin/env python3
"""The catalog queries BI tools and drivers send at connect and browse time — captured from the public sources
of pgjdbc (DBeaver and JDBC tools), Npgsql (Power BI) and Metabase in Tests/server/fixtures/*.sql — run against
a real `tarn serve`, over both the simple and the extended protocol (libpq's PQexec and psycopg's Cursor). Each
must run through Tarn's pg_catalog / information_schema (not the server's "no rows" fallback for catalog probes
it cannot run: that fallback announces itself with a DEBUG notice, which fails the check) and its rows must hold
what the fixture's `-- expect:` lines say:

    -- expect: row V1 V2 …      some row has every value Vi as one of its cells ($DATABASE = the connected database)
    -- expect: no row V1 V2 …   no row has them all
    -- expect: rows | no rows   at least one row | none

Usage: Tests/server/bi_catalog.py [--tarn PATH]   (default: $TARN_BIN, else .build/debug/tarn). Bounded to a minute.
"""
import argparse
import glob
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import shutil

sys.path.insert(0, os.path.dirname(__file__))
from clients import ROOT, Checker, canon_rows, ensure_clients, free_port, reference, stop, wait_for  # noqa: E402

DATABASE = "bi_db"
USER = "bi"
PASSWORD = "bi-catalog-secret"

SETUP = """
CREATE SCHEMA sales;
CREATE TABLE sales.campaigns(id BIGINT, name VARCHAR, channel VARCHAR, clicks INTEGER, spend DECIMAL(12,2), day DATE,
                             ok BOOLEAN, ts TIMESTAMP, ctr DOUBLE);
INSERT INTO sales.campaigns VALUES (1, 'spring', 'tv', 10, 12.50, '2024-03-01', true, '2024-03-01 10:00:00', 0.5),
                                   (2, 'summer', 'radio', 20, 3.25, '2024-06-01', false, '2024-06-01 11:00:00', 0.25);
CREATE VIEW sales.campaign_summary AS SELECT channel, sum(spend) AS spend FROM sales.campaigns GROUP BY channel;
CREATE TABLE main.notes(id INTEGER, body VARCHAR);
"""


def parse_fixture(path):
    """[(name, [expectations], sql)] from one fixture file."""
    checks, current = [], None
    for line in open(path, encoding="utf-8"):
        stripped = line.strip()
        if stripped.startswith("-- name:"):
            current = {"name": stripped[len("-- name:"):].strip(), "expect": [], "sql": []}
            checks.append(current)
        elif current is not None and stripped.startswith("-- expect:"):
            current["expect"].append(shlex.split(stripped[len("-- expect:"):].replace("$DATABASE", DATABASE)))
        elif current is not None and not (stripped.startswith("--") and not current["sql"]):
            current["sql"].append(line.rstrip("\n"))
    return [(c["name"], c["expect"], "\n".join(c["sql"]).strip().rstrip(";")) for c in checks]


def cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "t" if v else "f"
    return str(v)


def holds(expectation, rows):
    kind, values = expectation[0], expectation[1:]
    cells = [set(cell(v) for v in r) for r in rows]
    if kind == "rows":
        return len(rows) > 0
    if kind == "no" and values == ["rows"]:
        return len(rows) == 0
    if kind == "row":
        return any(all(v in c for v in values) for c in cells)
    if kind == "no" and values[:1] == ["row"]:
        return not any(all(v in c for v in values[1:]) for c in cells)
    raise ValueError(f"unknown expectation {expectation}")


def run_simple(conn, sql):
    """The simple query protocol (libpq's PQexec), as Npgsql and psql send catalog queries; values as text."""
    from psycopg import pq
    result = conn.pgconn.exec_(sql.encode())
    if result.status not in (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK):
        raise RuntimeError(result.error_message.decode(errors="replace").strip())
    rows = []
    for r in range(result.ntuples):
        row = []
        for c in range(result.nfields):
            v = result.get_value(r, c)
            row.append(None if v is None else v.decode())
        rows.append(row)
    return rows


def run_extended(conn, sql):
    """The extended protocol (Parse/Bind/Describe/Execute), as pgjdbc and Metabase send them."""
    with conn.cursor() as cur:
        cur.execute(sql, prepare=False)
        return cur.fetchall() if cur.description else []


JDBC_JAR = "/usr/share/java/postgresql.jar"  # Debian's libpostgresql-jdbc-java
PREPARED_REFERENCE = ("SELECT id, name, channel, clicks, spend, day, ok, ts, ctr FROM sales.campaigns"
                      " WHERE id >= 1 AND channel <> 'it''s' AND spend > -1.5 ORDER BY id")
TARN_TO_PG = {"BIGINT": "int8", "VARCHAR": "text", "INTEGER": "int4", "DATE": "date", "BOOLEAN": "bool",
              "TIMESTAMP": "timestamp", "DOUBLE": "float8"}


def ensure_jdbc():
    """Debian's pgjdbc jar and a JDK, installed when missing (apt); None when they cannot be had."""
    if not os.path.exists(JDBC_JAR) and shutil.which("apt-get"):
        command = ["apt-get", "install", "-y", "-q", "libpostgresql-jdbc-java"]
        if os.geteuid() != 0 and shutil.which("sudo"):
            command = ["sudo", "-n"] + command
        subprocess.run(command, capture_output=True, timeout=240)
    if not os.path.exists(JDBC_JAR) or not shutil.which("javac") or not shutil.which("java"):
        return None
    return JDBC_JAR


def jdbc_sections(output):
    sections, current = {}, None
    for line in output.splitlines():
        if line.startswith("== "):
            current = sections.setdefault(line[3:], [])
        elif current is not None:
            current.append(line.split("|"))
    return sections


def check_jdbc(check, tarn, lake, port, work):
    jar = ensure_jdbc()
    if jar is None:
        print("pgjdbc or a JDK not available: JDBC checks skipped")
        return
    classes = os.path.join(work, "classes")
    source = os.path.join(os.path.dirname(__file__), "jdbc", "TarnJdbcCheck.java")
    subprocess.run(["javac", "-d", classes, "-cp", jar, source], check=True, capture_output=True, timeout=120)
    out = subprocess.run(["java", "-cp", jar + os.pathsep + classes, "TarnJdbcCheck",
                          f"jdbc:postgresql://127.0.0.1:{port}/{DATABASE}", USER, PASSWORD],
                         capture_output=True, text=True, timeout=60)
    check.true("pgjdbc run", out.returncode == 0, out.stderr)
    got = jdbc_sections(out.stdout)
    check.same("pgjdbc product", got.get("product", []), [["PostgreSQL", "15"]])
    check.same("pgjdbc getCatalogs", got.get("getCatalogs", []), [[DATABASE]])
    schemas = [r[0] for r in got.get("getSchemas", [])]
    check.true("pgjdbc getSchemas", "sales" in schemas and "main" in schemas, str(schemas))
    tables = reference(tarn, lake, "SELECT table_schema, table_name, CASE table_type WHEN 'BASE TABLE' THEN 'TABLE' ELSE 'VIEW' END AS t "
                                   "FROM information_schema.tables WHERE table_schema = 'sales' ORDER BY t, table_schema, table_name")
    check.same("pgjdbc getTables", canon_rows(got.get("getTables", [])), tables)
    columns = reference(tarn, lake, "SELECT table_name, column_name, data_type, ordinal_position FROM information_schema.columns "
                                    "WHERE table_schema = 'sales' AND table_name = 'campaigns' ORDER BY ordinal_position")
    want = [[t, c, "numeric" if d.startswith("DECIMAL") else TARN_TO_PG.get(d, d), p, "2" if d == "DECIMAL(12,2)" else None]
            for t, c, d, p in columns]
    have = [[t, c, ty, canon_rows([[p]])[0][0], dd] for t, c, ty, p, dd in got.get("getColumns", [])]
    check.same("pgjdbc getColumns (name, type, position)", [r[:4] for r in have], [r[:4] for r in want])
    check.true("pgjdbc getColumns DECIMAL_DIGITS of numeric(12,2)", any(r[1] == "spend" and r[4] == "2" for r in have), str(have))
    prepared = reference(tarn, lake, PREPARED_REFERENCE)
    for run in range(3):
        check.same(f"pgjdbc prepared statement, run {run}", canon_rows(got.get(f"prepared run {run}", [])), prepared)
    check.same("pgjdbc prepared over a view", canon_rows(got.get("prepared view", [])),
               reference(tarn, lake, "SELECT channel, spend FROM sales.campaign_summary WHERE channel = 'tv'"))
    check.same("pgjdbc statement", canon_rows(got.get("statement", [])),
               reference(tarn, lake, "SELECT count(*) AS n, sum(clicks) AS clicks FROM sales.campaigns"))
    check.same("pgjdbc undefined table SQLSTATE", got.get("error", []), [["42P01"]])
    print(f"pgjdbc ({os.path.realpath(jar)}): {sum(len(v) for v in got.values())} result rows checked")


def check_sqlalchemy(check, tarn, lake, port):
    """SQLAlchemy's inspector (its PostgreSQL dialect reads pg_catalog) and pandas.read_sql_table, which reflects the
    table through it (both installed by clients.ensure_clients)."""
    import pandas
    import sqlalchemy
    engine = sqlalchemy.create_engine(f"postgresql+psycopg://{USER}:{PASSWORD}@127.0.0.1:{port}/{DATABASE}")
    with engine.connect() as conn:
        inspector = sqlalchemy.inspect(conn)
        check.true("SQLAlchemy get_schema_names", {"sales", "main"} <= set(inspector.get_schema_names()), str(inspector.get_schema_names()))
        check.same("SQLAlchemy get_table_names", sorted(inspector.get_table_names(schema="sales")), ["campaigns"])
        columns = inspector.get_columns("campaigns", schema="sales")
        want = reference(tarn, lake, "SELECT column_name, data_type FROM information_schema.columns "
                                     "WHERE table_schema = 'sales' AND table_name = 'campaigns' ORDER BY ordinal_position")
        check.same("SQLAlchemy get_columns names", [[c["name"]] for c in columns], [[r[0]] for r in want])
        spend = next((c for c in columns if c["name"] == "spend"), None)
        check.true("SQLAlchemy get_columns NUMERIC(12,2)", spend is not None and str(spend["type"]) == "NUMERIC(12, 2)", str(spend))
        frame = pandas.read_sql_table("campaigns", conn, schema="sales")
        frame["day"] = frame["day"].dt.date  # pandas reads DATE columns as datetime64, from PostgreSQL too
        rows = [[None if (isinstance(v, float) and v != v) or v is pandas.NaT else v for v in r]
                for r in frame.sort_values("id").itertuples(index=False)]
        check.same("pandas.read_sql_table (reflected through pg_catalog)", canon_rows(rows),
                   reference(tarn, lake, "SELECT * FROM sales.campaigns ORDER BY id"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tarn", default=os.environ.get("TARN_BIN", os.path.join(ROOT, ".build", "debug", "tarn")))
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("bi_catalog.py exceeded its time bound")))
    signal.alarm(180)
    ensure_clients()
    ensure_jdbc()
    signal.alarm(90)
    import psycopg

    work = tempfile.mkdtemp(prefix="tarn-bi-")
    lake = os.path.join(work, "lake")
    subprocess.run([args.tarn, lake, "-c", SETUP], check=True, capture_output=True, timeout=60)
    port = free_port()
    env = dict(os.environ, TARN_BI_PW=PASSWORD)
    server = subprocess.Popen([args.tarn, "serve", lake, "--port", str(port), "--user", USER, "--password-env", "TARN_BI_PW"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    check = Checker()
    try:
        wait_for(server, port)
        dsn = f"host=127.0.0.1 port={port} user={USER} password={PASSWORD} dbname={DATABASE}"
        with psycopg.connect(dsn, autocommit=True) as conn:
            notices = []
            conn.add_notice_handler(lambda d: notices.append(d.message_primary))
            conn.execute("SET client_min_messages = debug1")
            for path in sorted(glob.glob(os.path.join(os.path.dirname(__file__), "fixtures", "*.sql"))):
                fixture = os.path.basename(path)
                for name, expectations, sql in parse_fixture(path):
                    for protocol in ("simple", "extended"):
                        label = f"{fixture} {name} ({protocol})"
                        notices.clear()
                        try:
                            rows = run_simple(conn, sql) if protocol == "simple" else run_extended(conn, sql)
                        except (psycopg.Error, RuntimeError) as e:
                            check.true(label, False, f"failed: {e}")
                            continue
                        check.true(f"{label} ran in Tarn", not notices, "; ".join(notices))
                        for expectation in expectations:
                            check.true(f"{label} expect {' '.join(expectation)}", holds(expectation, rows),
                                       f"rows: {rows[:6]}{' …' if len(rows) > 6 else ''}")
        check_jdbc(check, args.tarn, lake, port, work)
        check_sqlalchemy(check, args.tarn, lake, port)
    finally:
        stop(server)
        shutil.rmtree(work, ignore_errors=True)
        signal.alarm(0)
    print(f"bi_catalog.py: {check.checks} checks, {check.failures} failures")
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
