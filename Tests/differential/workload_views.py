#!/usr/bin/env python3
"""The workload's three Athena views on a deterministic 1M-row adtech_db.processed_campaign_data, Tarn vs DuckDB.

Usage: python3 Tests/differential/workload_views.py [--rows N] [--keep DIR]
1. Generates the table as CSV (seeded; NULL-free like the cleaned "silver" data the views read).
2. Loads it into DuckDB (read_csv, schema adtech_db plus an unqualified view) and into a Tarn lake
   (COPY INTO when Tarn supports it, else a script of batched INSERT … VALUES).
3. Runs `athena_views_fixed.sql` unchanged in both and compares every view's rows (order-insensitive, 1e-9),
   then the GROUPINGS queries (many groups: NULL keys, mixed key types, DISTINCT, string_agg).
4. Checks `athena_views.sql` fails in Tarn with the FRO syntax error (line 20) and that the creative_performance
   view (no GROUP BY) is rejected with a GROUP BY error.
Exit status 1 on any difference.
"""
import argparse
import csv
import datetime
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import PACKAGE_ROOT, TarnError, compare, ensure_duckdb, parse_tarn_json, run_tarn, tarn_binary  # noqa: E402

WORKLOAD = os.path.join(PACKAGE_ROOT, "testdata", "workload")
COLUMNS = [("campaign_id", "VARCHAR"), ("ad_id", "VARCHAR"), ("date", "DATE"), ("brand", "VARCHAR"), ("country", "VARCHAR"),
           ("state", "VARCHAR"), ("city", "VARCHAR"), ("zipcode", "VARCHAR"), ("impressions", "BIGINT"), ("clicks", "BIGINT"),
           ("conversions", "BIGINT"), ("spend", "DOUBLE")]
VIEWS = ["campaign_summary", "campaign_performance", "creative_performance"]
# GROUP BYs with many groups over the same table (two workers aggregate and merge them by partitions): NULL
# keys, keys of several types, keys too wide to pack into one word, DOUBLE keys, DISTINCT aggregates, string_agg.
T = "adtech_db.processed_campaign_data"
GROUPINGS = [
    f"SELECT ad_id, campaign_id, date, clicks % 50, count(*), sum(impressions), sum(spend), min(conversions), max(zipcode) FROM {T} GROUP BY 1, 2, 3, 4",
    f"SELECT CASE WHEN clicks % 7 = 0 THEN NULL ELSE zipcode END, CASE WHEN impressions % 5 = 0 THEN NULL ELSE date END, "
    f"clicks > 300, ad_id, count(*), sum(clicks), avg(spend) FROM {T} GROUP BY 1, 2, 3, 4",
    f"SELECT impressions * 1000000007, ad_id, date, count(*), sum(conversions) FROM {T} GROUP BY 1, 2, 3",
    f"SELECT round(spend, 0), ad_id, count(*), max(date) FROM {T} GROUP BY 1, 2",
    f"SELECT ad_id, date, count(DISTINCT zipcode) FROM {T} GROUP BY 1, 2",
    f"SELECT campaign_id, date, count(DISTINCT clicks), sum(DISTINCT conversions), count(*) FROM {T} GROUP BY 1, 2",
    f"SELECT ad_id, date, length(string_agg(zipcode, ',')), count(*) FROM {T} GROUP BY 1, 2",
    # DISTINCT aggregates of several arguments (each deduplicated in parallel on its own), with NULL values and keys.
    f"SELECT campaign_id, count(DISTINCT ad_id), count(DISTINCT CASE WHEN clicks % 4 = 0 THEN NULL ELSE zipcode END), "
    f"sum(DISTINCT clicks), avg(DISTINCT conversions), max(DISTINCT date), count(DISTINCT zipcode) FROM {T} GROUP BY 1",
    f"SELECT CASE WHEN clicks % 9 = 0 THEN NULL ELSE country END, date, count(DISTINCT city), count(DISTINCT clicks % 10) "
    f"FROM {T} GROUP BY 1, 2",
    # 64-bit per-group DECIMAL sums (each product fits 64 bits) that overflow into 128 bits, in the workers and in
    # their merge; averages merged with their counts.
    f"SELECT clicks % 3, CAST(sum(CAST(impressions AS DECIMAL(20,0)) * CAST(400000000000000 AS DECIMAL(18,0))) AS VARCHAR), "
    f"avg(CAST(impressions AS DECIMAL(20,0)) * CAST(400000000000000 AS DECIMAL(18,0))), count(*) FROM {T} GROUP BY 1",
]


def generate_csv(path, rows, seed=7):
    rng = random.Random(seed)
    places = [("US", "California", "Los Angeles", "90001"), ("US", "California", "San Francisco", "94103"),
              ("US", "New York", "New York", "10001"), ("US", "Texas", "Austin", "73301"), ("DE", "Berlin", "Berlin", "10115"),
              ("DE", "Bavaria", "Munich", "80331"), ("FR", "Ile-de-France", "Paris", "75001"), ("GB", "England", "London", "0000")]
    brands = ["BrandA", "BrandB", "BrandC", "BrandD", "Unknown"]
    ads = [(f"ad{a:04d}", f"cmp{a % 97:03d}", brands[a % len(brands)]) for a in range(600)]
    start = datetime.date(2024, 1, 1)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([c for c, _ in COLUMNS])
        for _ in range(rows):
            ad, campaign, brand = rng.choice(ads)
            country, state, city, zipcode = rng.choice(places)
            # No row has 1..999 impressions: for a group whose SUM(impressions) is 1..999, the views divide a
            # DOUBLE by SUM(impressions) / 1000 = 0, which is Infinity in Trino (and in Tarn) but an error in
            # DuckDB with integer_division = true, so such groups would compare semantics, not engines.
            impressions = 0 if rng.random() < 0.02 else rng.randint(1000, 20000)
            clicks = rng.randint(0, impressions // 20) if impressions else 0
            conversions = rng.randint(0, clicks // 5) if clicks else 0
            spend = round(rng.uniform(0, 500), 2)
            d = start + datetime.timedelta(days=rng.randint(0, 180))
            w.writerow([campaign, ad, d.isoformat(), brand, country, state, city, zipcode, impressions, clicks, conversions, spend])


def create_table_sql():
    return ("CREATE SCHEMA IF NOT EXISTS adtech_db;\nCREATE TABLE adtech_db.processed_campaign_data ("
            + ", ".join(f'"{c}" {t}' for c, t in COLUMNS) + ");\n")


def load_tarn(lake, csv_path, workdir):
    setup = os.path.join(workdir, "create.sql")
    with open(setup, "w") as f:
        f.write(create_table_sql())
    run_tarn(lake, script=setup, fmt="csv")
    try:
        run_tarn(lake, sql=f"COPY INTO adtech_db.processed_campaign_data FROM '{csv_path}' FORMAT csv", fmt="csv")
        return "COPY INTO"
    except TarnError:
        pass
    # Fallback: batched INSERT … VALUES, 200k rows per script.
    with open(csv_path, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        chunk, part = [], 0

        def flush():
            nonlocal chunk, part
            if not chunk:
                return
            path = os.path.join(workdir, f"insert_{part}.sql")
            with open(path, "w") as out:
                for i in range(0, len(chunk), 5000):
                    out.write("INSERT INTO adtech_db.processed_campaign_data VALUES\n" + ",\n".join(chunk[i:i + 5000]) + ";\n")
            run_tarn(lake, script=path, fmt="csv", timeout=3600)
            os.remove(path)
            chunk, part = [], part + 1

        for r in reader:
            text = ", ".join("'" + v.replace("'", "''") + "'" for v in r[:2])
            chunk.append(f"({text}, DATE '{r[2]}', " + ", ".join("'" + v.replace("'", "''") + "'" for v in r[3:8])
                         + f", {r[8]}, {r[9]}, {r[10]}, {float(r[11])!r}E0)".replace("E0E0", "E0"))
            if len(chunk) >= 200_000:
                flush()
        flush()
    return "INSERT VALUES"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", help="work directory to keep (CSV and lake)")
    args = parser.parse_args()
    duckdb = ensure_duckdb()
    workdir = args.keep or tempfile.mkdtemp(prefix="tarn-views-")
    os.makedirs(workdir, exist_ok=True)
    failures = []
    try:
        csv_path = os.path.join(workdir, "processed_campaign_data.csv")
        generate_csv(csv_path, args.rows)
        fixed = os.path.join(WORKLOAD, "athena_views_fixed.sql")
        broken = os.path.join(WORKLOAD, "athena_views.sql")

        duck = duckdb.connect()
        duck.execute("SET integer_division = true")
        duck.execute("CREATE SCHEMA adtech_db")
        types = ", ".join(f"'{c}': '{t}'" for c, t in COLUMNS)
        duck.execute(f"CREATE TABLE adtech_db.processed_campaign_data AS SELECT * FROM read_csv('{csv_path}', header = true, columns = {{{types}}})")
        duck.execute("CREATE VIEW processed_campaign_data AS SELECT * FROM adtech_db.processed_campaign_data")
        with open(fixed) as f:
            duck.execute(f.read())

        lake = os.path.join(workdir, "lake")
        try:
            method = load_tarn(lake, csv_path, workdir)
            print(f"loaded {args.rows} rows into Tarn via {method}")
            # Athena runs these in the adtech_db database; a Tarn session selects it with USE.
            in_schema = os.path.join(workdir, "views_in_adtech_db.sql")
            with open(fixed) as src, open(in_schema, "w") as dst:
                dst.write("USE adtech_db;\n" + src.read())
            run_tarn(lake, script=in_schema, fmt="csv")
        except TarnError as e:
            failures.append(f"Tarn could not load the data or create the fixed views: {e}")
        if not failures:
            def check(label, duck_sql, tarn_sql, detail):
                expected = duck.execute(duck_sql).fetchall()
                try:
                    got = parse_tarn_json(run_tarn(lake, sql=tarn_sql))
                except (TarnError, ValueError) as e:
                    failures.append(f"{label}: Tarn error: {e}")
                    return
                difference = compare(expected, got, ordered=False)
                print(f"{label:<22} {len(expected):>8} rows  {'OK' if difference is None else 'DIFFERENT: ' + difference}")
                if difference:
                    failures.append(f"{detail}: {difference}")

            for view in VIEWS:
                check(view, f'SELECT * FROM "{view}"', f'SELECT * FROM adtech_db."{view}"', view)
            for number, sql in enumerate(GROUPINGS, 1):
                check(f"grouping {number}", sql, sql, f"grouping {number} ({sql})")

        # The original file: FRO on line 20 is a syntax error, reported with its line and column.
        done = subprocess.run([tarn_binary(), os.path.join(workdir, "lake-broken"), "-f", broken], capture_output=True, text=True)
        message = (done.stderr + done.stdout).strip()
        if done.returncode == 0 or not re.search(r"line 2[01]\D", message) or "column" not in message:
            failures.append(f"athena_views.sql: expected a syntax error at line 20 (FRO) with a column, got exit {done.returncode}: {message[:300]}")
        else:
            print(f"athena_views.sql fails as expected: {message.splitlines()[0][:160]}")
        # creative_performance without GROUP BY: the view body alone (with FRO fixed) must be rejected.
        with open(broken) as f:
            text = f.read()
        body = text[text.index('CREATE OR REPLACE VIEW "creative_performance"'):]
        script = os.path.join(workdir, "creative_no_group_by.sql")
        with open(script, "w") as f:
            f.write(create_table_sql() + body)
        done = subprocess.run([tarn_binary(), os.path.join(workdir, "lake-group-by"), "-f", script], capture_output=True, text=True)
        message = (done.stderr + done.stdout).strip()
        if done.returncode == 0 or "group by" not in message.lower():
            failures.append(f"creative_performance without GROUP BY: expected a GROUP BY error, got exit {done.returncode}: {message[:300]}")
        else:
            print(f"creative_performance is rejected as expected: {message.splitlines()[0][:160]}")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    print("workload views:", "all OK" if not failures else f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
