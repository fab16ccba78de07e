#!/usr/bin/env python3
"""HTTP side of `tarn serve` and its alerts, against the real binary:
- POST /query: 401 without credentials; with HTTP Basic its JSON equals `tarn LAKE -c SQL --format json`; CSV with
  Accept: text/csv; a write is refused (403, SQLSTATE 25006); a syntax error comes back with the REPL's message and 42601;
- a dashboard from the user's own Markdown folder renders, with filter values bound as literals (an injection attempt
  matches nothing);
- alerts to a local HTTP receiver: a failing `tarn run --notify` posts exactly one JSON alert; a stale table under
  `tarn serve --notify` (ALTER TABLE … SET TBLPROPERTIES ('freshness' = '1 second')) posts exactly one; a 2-second `--schedule` runs three times in seven seconds.
Exits non-zero on any failure; always stops the processes it started.

Usage: Tests/web/http_alerts.py [--tarn PATH]   (default: $TARN_BIN, else .build/debug/tarn)
"""
import argparse
import base64
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
USER, PASSWORD = "viewer", "web-test-secret"

SETUP = """
CREATE SCHEMA sales;
CREATE TABLE sales.orders AS SELECT * FROM (VALUES (1, 'DE', 10.5), (2, 'FR', 7.25), (3, 'DE', 1.0), (4, 'US', NULL)) v(id, country, amount);
"""


class Receiver:
    """A local webhook: records every JSON body POSTed to it."""

    def __init__(self):
        self.bodies = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                outer.bodies.append(json.loads(self.rfile.read(n)))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hook" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print("  ok  " + what)


def start_serve(tarn, lake, extra):
    env = dict(os.environ, WEB_TEST_PW=PASSWORD)
    proc = subprocess.Popen([tarn, "serve", lake, "--user", USER, "--password-env", "WEB_TEST_PW", "--read-only-user",
                             "--port", "0"] + extra, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True)
    lines = []
    port = None
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"dashboards on http://[^:]+:(\d+)/", line)
        if m:
            port = int(m.group(1))
            break
        if "--http-port" not in extra and "listening on" in line:
            break
    collected = []
    threading.Thread(target=lambda: [collected.append(l) for l in proc.stderr], daemon=True).start()
    return proc, port, lines, collected


def request(port, path, body=None, auth=True, headers=None, method=None):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=body, method=method)
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode()).decode())
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def repl_json(tarn, lake, sql):
    out = subprocess.run([tarn, lake, "-c", sql, "--format", "json"], capture_output=True, text=True, check=True).stdout
    return json.loads(out) if out.strip() else []


def http_tests(tarn, work):
    lake = os.path.join(work, "lake")
    subprocess.run([tarn, lake, "-c", SETUP], check=True, capture_output=True)
    with open(os.path.join(work, "secret.csv"), "w") as f:
        f.write("a\n1\n")
    folder = os.path.join(work, "dashboards")
    os.makedirs(folder)
    with open(os.path.join(folder, "orders.md"), "w") as f:
        f.write("""# Orders by country

```filter
name=country label=Country data=countries
```
```sql countries
SELECT DISTINCT country FROM sales.orders ORDER BY country
```
```sql totals
SELECT count(*) AS orders, sum(amount) AS amount FROM sales.orders WHERE ${country} IS NULL OR country = ${country}
```
```sql by_country
SELECT country, sum(amount) AS amount FROM sales.orders GROUP BY country ORDER BY country
```
```chart type=kpi data=totals value=orders title=Orders id=orders
```
```chart type=bar data=by_country x=country y=amount title="Amount by country"
```
""")
    proc, port, _, _ = start_serve(tarn, lake, ["--http-port", "0", "--dashboards", folder])
    try:
        check(port is not None, "tarn serve prints the dashboards URL")
        status, headers, _ = request(port, "/query", b"SELECT 1", auth=False)
        check(status == 401 and "Basic" in (headers.get("WWW-Authenticate") or ""), "POST /query without credentials is 401 with WWW-Authenticate")
        bad = base64.b64encode(b"viewer:wrong").decode()
        status, _, _ = request(port, "/query", b"SELECT 1", auth=False, headers={"Authorization": "Basic " + bad})
        check(status == 401, "a wrong password is 401")
        for sql in ["SELECT id, country, amount FROM sales.orders ORDER BY id",
                    "SELECT country, count(*) AS n, sum(amount) AS s, avg(amount) AS a FROM sales.orders GROUP BY country ORDER BY country",
                    "SELECT CAST('2024-02-29' AS DATE) AS d, 1.0 / 3 AS q, NULL AS nothing, true AS b"]:
            status, _, body = request(port, "/query", sql.encode())
            got = json.loads(body)
            want = repl_json(tarn, lake, sql)
            as_objects = [dict(zip(got["columns"], row)) for row in got["rows"]]
            check(status == 200 and as_objects == want, "/query equals the REPL's --format json: " + sql[:60])
            check(len(got["types"]) == len(got["columns"]), "/query gives one type per column")
        status, headers, body = request(port, "/query", b"SELECT id, country FROM sales.orders ORDER BY id", headers={"Accept": "text/csv"})
        check(status == 200 and headers.get("Content-Type", "").startswith("text/csv") and body.splitlines()[:2] == ["id,country", "1,DE"],
              "Accept: text/csv gives CSV")
        status, _, body = request(port, "/query", b"CREATE TABLE sales.x AS SELECT 1 AS a")
        check(status == 403 and json.loads(body)["sqlstate"] == "25006", "a write is refused with SQLSTATE 25006")
        status, _, body = request(port, "/query", ("SELECT * FROM read_csv('%s')" % os.path.join(work, "secret.csv")).encode())
        check(status == 400 and "secret.csv" in json.loads(body)["error"], "reading a file outside --allow-path is refused, as on the wire")
        status, _, body = request(port, "/query", b"SELEC 1")
        err = json.loads(body)
        repl = subprocess.run([tarn, lake, "-c", "SELEC 1"], capture_output=True, text=True)
        check(status == 400 and err["sqlstate"] == "42601" and err["error"] in repl.stderr, "a syntax error has the REPL's message and 42601")
        status, _, _ = request(port, "/query", b"x" * (2 << 20))
        check(status == 413, "a body over the limit is 413")
        status, _, page = request(port, "/dashboards/orders", headers={"Accept": "text/html"})
        check(status == 200 and "<svg" in page and 'id="kpi-orders"' in page and 'data-raw="4"' in page, "the user's Markdown dashboard renders")
        status, _, page = request(port, "/dashboards/orders?country=DE")
        check('data-raw="2"' in page, "the country filter is bound into the SQL")
        status, _, page = request(port, "/dashboards/orders?country=" + urllib.request.quote("DE' OR '1'='1"))
        check(status == 200 and 'data-raw="4"' in page and "class=\"error\"" not in page,
              "a value outside the filter's options is dropped, never spliced into SQL")
        status, _, page = request(port, "/dashboards/orders", auth=False, headers={"Accept": "text/html"})
        check(status == 401 and 'action="/login"' in page, "a browser without credentials gets the login form")
        status, _, page = request(port, "/tables/sales.orders")
        check(status == 200 and "CREATE" in page and "amount" in page, "/tables/<name> shows columns and history")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def alert_tests(tarn, work):
    receiver = Receiver()
    lake = os.path.join(work, "alerts-lake")
    bad = os.path.join(work, "bad.sql")
    with open(bad, "w") as f:
        f.write("CREATE OR REFRESH TABLE good AS SELECT 1 AS a;\nCREATE OR REFRESH TABLE broken AS SELECT a / 0 AS b FROM good;\n")
    run = subprocess.run([tarn, "run", bad, "--lake", lake, "--notify", receiver.url], capture_output=True, text=True)
    time.sleep(0.3)
    check(run.returncode == 1, "a failing pipeline exits 1 (cron sees it)")
    check(len(receiver.bodies) == 1, "a failing pipeline posts exactly one alert")
    alert = receiver.bodies[0]
    check(isinstance(alert.get("text"), str) and "broken" in alert.get("step", "") and alert.get("pipeline") == bad and "error" in alert,
          "the alert has text (Slack/Teams), pipeline, step and error")

    receiver.bodies.clear()
    subprocess.run([tarn, lake, "-c", "CREATE TABLE stale AS SELECT 1 AS a; CREATE TABLE fresh AS SELECT 1 AS a; "
                    "ALTER TABLE stale SET TBLPROPERTIES ('freshness' = '1 second')"], check=True, capture_output=True)
    good = os.path.join(work, "good.sql")
    with open(good, "w") as f:
        f.write("CREATE OR REFRESH TABLE fresh AS SELECT count(*) AS n FROM stale;\n")
    proc, _, _, log = start_serve(tarn, lake, ["--schedule", good + "@2s", "--freshness-interval", "1",
                                               "--notify", receiver.url])
    started = time.time()  # the schedules start once the server listens
    try:
        time.sleep(max(0, 7 - (time.time() - started)))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    time.sleep(0.3)
    runs = [l for l in log if "schedule " in l and "succeeded" in l]
    check(len(runs) == 3, "a 2-second schedule runs three times in seven seconds (ran %d)" % len(runs))
    stale = [b for b in receiver.bodies if b.get("kind") == "freshness_breach"]
    check(len(stale) == 1 and stale[0]["freshness"]["table"] in ("main.stale", "stale"), "a stale table posts exactly one alert (%d)" % len(stale))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tarn", default=os.environ.get("TARN_BIN", os.path.join(ROOT, ".build", "debug", "tarn")))
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="tarn-web-")
    try:
        print("HTTP:")
        http_tests(args.tarn, work)
        print("Alerts and schedules:")
        alert_tests(args.tarn, work)
    except AssertionError as e:
        print("FAIL: %s" % e)
        sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("web http/alerts: all passed")


if __name__ == "__main__":
    main()
