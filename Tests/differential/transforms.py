#!/usr/bin/env python3
"""Transforms vs DuckDB: the campaign silver table (the four cleaning rules, hierarchical-median imputation)
and the retail segmentation (quantile_cont cuts), on the same data.

Usage: python3 Tests/differential/transforms.py [--rows N] [--keep DIR]
1. `tarn generate campaigns` writes dirty raw JSON; `tarn run examples/campaigns/pipeline.sql` builds silver.
2. DuckDB reads the same raw files and applies the README's rules (coalesce defaults, drop null counts,
   funnel filter, median of (ad_id,country) > ad_id > (brand,country) > brand via quantile_cont(spend, 0.5)).
3. Compares the per-rule drop counts with tarn.pipeline_drops, silver row by row (spend within 1e-9), and the gold
   table marketing.weekly_channel_spend (each week of the sales feed beside its spend per channel) week by week.
4. Runs examples/retail/pipeline.sql and recomputes every customer's segment from fact_sales in DuckDB.
Exit status 1 on any difference. Installs duckdb with pip when missing.
"""
import argparse
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import PACKAGE_ROOT, ensure_duckdb, tarn_binary  # noqa: E402


def tarn(*args, cwd=None):
    done = subprocess.run([tarn_binary(), *args], cwd=cwd, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise SystemExit(f"tarn {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def tarn_rows(lake, sql):
    text = tarn(lake, "--format", "csv", "-c", sql)
    return list(csv.reader(io.StringIO(text)))[1:]


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def check_campaigns(work, rows, duckdb):
    failures = []
    shutil.copy(os.path.join(PACKAGE_ROOT, "examples/campaigns/pipeline.sql"), work)
    tarn("generate", "campaigns", "--rows", str(rows), "--files", "8", "--days", "56", "--out", os.path.join(work, "raw"),
         "--sales", os.path.join(work, "sales"))
    lake = os.path.join(work, "lake")
    tarn("run", os.path.join(work, "pipeline.sql"), "--lake", lake)
    drops = {r[0]: int(r[1]) for r in tarn_rows(lake, "SELECT rule, sum(rows) FROM tarn.pipeline_drops GROUP BY rule")}
    cols = "campaign_id, ad_id, CAST(date AS VARCHAR), brand, country, state, city, zipcode, channel, impressions, clicks, conversions, spend"
    silver = tarn_rows(lake, f"SELECT {cols} FROM adtech_db.processed_campaign_data")

    con = duckdb.connect()
    con.execute(f"""
        CREATE TABLE raw AS SELECT * FROM read_json('{work}/raw/*/*.json', format = 'newline_delimited', columns = {{
            campaign_id: 'VARCHAR', ad_id: 'VARCHAR', date: 'DATE', brand: 'VARCHAR', country: 'VARCHAR', state: 'VARCHAR',
            city: 'VARCHAR', zipcode: 'VARCHAR', impressions: 'BIGINT', clicks: 'BIGINT', spend: 'DOUBLE', conversions: 'BIGINT',
            channel: 'VARCHAR'}})""")
    con.execute("""
        CREATE TABLE filled AS SELECT coalesce(campaign_id, 'unknown_campaign') campaign_id, coalesce(ad_id, 'unknown_ad') ad_id,
            coalesce(date, current_date) date, coalesce(brand, 'Unknown') brand, coalesce(country, 'Unknown') country,
            coalesce(state, 'Unknown') state, coalesce(city, 'Unknown') city, coalesce(zipcode, '0000') zipcode,
            coalesce(channel, 'Unknown') channel, impressions, clicks, spend, conversions FROM raw""")
    null_counts = con.execute("SELECT count(*) FROM filled WHERE impressions IS NULL OR clicks IS NULL OR conversions IS NULL").fetchone()[0]
    con.execute("CREATE TABLE present AS SELECT * FROM filled WHERE impressions IS NOT NULL AND clicks IS NOT NULL AND conversions IS NOT NULL")
    funnel = con.execute("SELECT count(*) FROM present WHERE NOT (conversions <= clicks AND clicks <= impressions)").fetchone()[0]
    con.execute("CREATE TABLE valid AS SELECT * FROM present WHERE conversions <= clicks AND clicks <= impressions")
    con.execute("""
        CREATE TABLE imputed AS
        WITH m1 AS (SELECT ad_id, country, quantile_cont(spend, 0.5) m FROM valid GROUP BY ALL),
             m2 AS (SELECT ad_id, quantile_cont(spend, 0.5) m FROM valid GROUP BY ALL),
             m3 AS (SELECT brand, country, quantile_cont(spend, 0.5) m FROM valid GROUP BY ALL),
             m4 AS (SELECT brand, quantile_cont(spend, 0.5) m FROM valid GROUP BY ALL)
        SELECT v.* REPLACE (coalesce(v.spend, m1.m, m2.m, m3.m, m4.m) AS spend), v.spend IS NULL AS was_null
        FROM valid v
        LEFT JOIN m1 ON m1.ad_id = v.ad_id AND m1.country = v.country LEFT JOIN m2 ON m2.ad_id = v.ad_id
        LEFT JOIN m3 ON m3.brand = v.brand AND m3.country = v.country LEFT JOIN m4 ON m4.brand = v.brand""")
    no_median = con.execute("SELECT count(*) FROM imputed WHERE spend IS NULL").fetchone()[0]
    imputed_count = con.execute("SELECT count(*) FROM imputed WHERE was_null AND spend IS NOT NULL").fetchone()[0]
    reference = con.execute(f"""
        SELECT campaign_id, ad_id, CAST(date AS VARCHAR), brand, country, state, city, zipcode, channel, impressions, clicks,
               conversions, spend
        FROM imputed WHERE spend IS NOT NULL""").fetchall()
    raw_rows = con.execute("SELECT count(*) FROM raw").fetchone()[0]

    expected = {"expectation counts_present": null_counts, "expectation funnel_order": funnel,
                "impute: no median of spend at any level": no_median}
    for rule, n in expected.items():
        if drops.get(rule, 0) != n:
            failures.append(f"rule {rule}: tarn dropped {drops.get(rule, 0)}, DuckDB {n}")
    if raw_rows != len(silver) + sum(drops.values()):
        failures.append(f"raw {raw_rows} != silver {len(silver)} + dropped {sum(drops.values())}")

    def key(row):
        return tuple(str(v) for v in row[:12])
    tarn_by_key, ref_by_key = {}, {}
    for r in silver:
        tarn_by_key.setdefault(key(r), []).append(float(r[12]))
    for r in reference:
        ref_by_key.setdefault(key(r), []).append(float(r[12]))
    mismatched = 0
    for k in set(tarn_by_key) | set(ref_by_key):
        a, b = sorted(tarn_by_key.get(k, [])), sorted(ref_by_key.get(k, []))
        if len(a) != len(b) or not all(close(x, y) for x, y in zip(a, b)):
            mismatched += 1
            if mismatched <= 5:
                failures.append(f"silver differs for {k}: tarn {a} DuckDB {b}")
    print(f"campaigns: raw {raw_rows}, silver {len(silver)} (DuckDB {len(reference)}), dropped {drops}, "
          f"imputed spends {imputed_count}, differing keys {mismatched}")

    # Gold: each week of the sales feed beside the week's silver spend per channel (0 where none).
    channels = ["google_ads", "meta", "tiktok", "youtube", "tv", "radio", "ooh"]
    gold = tarn_rows(lake, f"SELECT CAST(week AS VARCHAR), revenue, {', '.join(channels)} FROM marketing.weekly_channel_spend ORDER BY week")
    sums = ", ".join(f"sum(spend) FILTER (WHERE channel = '{c}') AS {c}" for c in channels)
    gold_reference = con.execute(f"""
        WITH spend AS (SELECT date_trunc('week', date) AS week, {sums} FROM imputed WHERE spend IS NOT NULL GROUP BY 1),
             sales AS (SELECT * FROM read_csv('{work}/sales/weekly_sales.csv', header = true,
                                              columns = {{'week': 'DATE', 'revenue': 'DOUBLE'}}))
        SELECT CAST(sales.week AS VARCHAR), sales.revenue, {', '.join(f'coalesce(spend.{c}, 0)' for c in channels)}
        FROM sales LEFT JOIN spend ON spend.week = sales.week ORDER BY sales.week""").fetchall()
    gold_mismatches = [(a, b) for a, b in zip(gold, gold_reference)
                       if a[0] != b[0] or not all(close(float(x), float(y)) for x, y in zip(a[1:], b[1:]))]
    if len(gold) != len(gold_reference) or gold_mismatches:
        failures.append(f"gold weekly_channel_spend: {len(gold)} tarn rows vs {len(gold_reference)} DuckDB rows; "
                        f"first differences {gold_mismatches[:2]}")
    print(f"gold: {len(gold)} weeks of revenue and spend per channel, {len(gold_mismatches)} differing from DuckDB")
    return failures


def check_segments(work, duckdb):
    failures = []
    shutil.copy(os.path.join(PACKAGE_ROOT, "examples/retail/pipeline.sql"), os.path.join(work, "retail.sql"))
    lake = os.path.join(work, "retail-lake")
    tarn("run", os.path.join(work, "retail.sql"), "--lake", lake)
    facts = tarn_rows(lake, "SELECT customer_key, revenue FROM retail.fact_sales")
    segments = {r[0]: r[2] for r in tarn_rows(lake, "SELECT customer_key, revenue, segment FROM retail.customer_segments")}
    con = duckdb.connect()
    con.execute("CREATE TABLE f(customer_key BIGINT, revenue DOUBLE)")
    con.executemany("INSERT INTO f VALUES (?, ?)", [(int(a), float(b)) for a, b in facts])
    ref = con.execute("""
        WITH t AS (SELECT customer_key, sum(revenue) total FROM f GROUP BY customer_key),
             q AS (SELECT quantile_cont(total, 0.5) p50, quantile_cont(total, 0.8) p80 FROM t)
        SELECT customer_key, CASE WHEN total > p80 THEN 'High' WHEN total > p50 THEN 'Medium' ELSE 'Low' END FROM t, q""").fetchall()
    differing = [(k, s, segments.get(str(k))) for k, s in ref if segments.get(str(k)) != s]
    if differing or len(ref) != len(segments):
        failures.append(f"segments differ for {len(differing)} customers (e.g. {differing[:3]}); {len(ref)} vs {len(segments)} keys")
    counts = {}
    for s in segments.values():
        counts[s] = counts.get(s, 0) + 1
    print(f"segments: {len(segments)} customers, {counts}, differing {len(differing)}")
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--keep")
    args = parser.parse_args()
    duckdb = ensure_duckdb()
    work = args.keep or tempfile.mkdtemp(prefix="tarn-transforms-")
    os.makedirs(work, exist_ok=True)
    try:
        failures = check_campaigns(work, args.rows, duckdb) + check_segments(work, duckdb)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("DIFF:", f)
    print("OK" if not failures else f"{len(failures)} difference(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
