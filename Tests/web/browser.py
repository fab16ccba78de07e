#!/usr/bin/env python3
"""The built-in dashboards in headless Chromium (Selenium), on a small demo lake:
- every built-in page renders with no browser console error and no failed block;
- choosing a country changes the campaign tiles to exactly what the same SQL gives in the REPL;
- the optimiser form returns mmm_optimize's split (as the REPL computes it);
- a screenshot of each page is saved (--screenshots DIR, default .build/web-screenshots; docs/screenshots holds the
  committed ones).
Installs Debian chromium and chromium-driver (apt) and selenium (pip) when missing.

Usage: Tests/web/browser.py [--tarn PATH] [--screenshots DIR] [--rows N]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
USER, PASSWORD = "analyst", "browser-test-secret"


def ensure_tools():
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if subprocess.run(sudo + ["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"], env=env,
                          stdout=subprocess.DEVNULL).returncode != 0:
            subprocess.run(sudo + ["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL, check=True)
            subprocess.run(sudo + ["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"], env=env,
                           stdout=subprocess.DEVNULL, check=True)
    try:
        import selenium  # noqa: F401
    except ImportError:
        cmd = [sys.executable, "-m", "pip", "install", "-q", "selenium"]
        if subprocess.run(cmd).returncode != 0:
            subprocess.run(cmd + ["--break-system-packages"], check=True)


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print("  ok  " + what)


def repl_json(tarn, lake, sql):
    out = subprocess.run([tarn, lake, "-c", sql, "--format", "json"], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def close(a, b, rel=1e-9, abs_tol=0.0):
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= max(abs_tol, rel * max(abs(float(a)), abs(float(b))))


TOTALS = """SELECT sum(spend) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks, sum(conversions) AS conversions,
  CASE WHEN sum(impressions) > 0 THEN sum(clicks) * 1E0 / sum(impressions) END AS ctr,
  CASE WHEN sum(clicks) > 0 THEN sum(spend) * 1E0 / sum(clicks) END AS cpc,
  CASE WHEN sum(impressions) > 0 THEN sum(spend) * 1E0 / sum(impressions) * 1000 END AS cpm,
  CASE WHEN sum(clicks) > 0 THEN sum(conversions) * 1E0 / sum(clicks) END AS conversion_rate
FROM adtech_db.processed_campaign_data WHERE country = '%s'"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tarn", default=os.environ.get("TARN_BIN", os.path.join(ROOT, ".build", "debug", "tarn")))
    parser.add_argument("--screenshots", default=None)
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    ensure_tools()
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    def navigated(driver, fragment):
        """Waits until the form's submission has loaded (the old page's elements go stale)."""
        WebDriverWait(driver, 120).until(lambda d: fragment in d.current_url and d.execute_script("return document.readyState") == "complete")

    work = tempfile.mkdtemp(prefix="tarn-browser-")
    shots = args.screenshots or os.path.join(ROOT, ".build", "web-screenshots")
    os.makedirs(shots, exist_ok=True)
    lake = os.path.join(work, "demo")
    proc = driver = None
    try:
        t = time.time()
        subprocess.run([args.tarn, "demo", lake, "--rows", str(args.rows), "--draws", "100"], check=True, stdout=subprocess.DEVNULL)
        print("  demo lake of %d rows built in %.1f s" % (args.rows, time.time() - t))
        env = dict(os.environ, BROWSER_TEST_PW=PASSWORD)
        proc = subprocess.Popen([args.tarn, "serve", lake, "--user", USER, "--password-env", "BROWSER_TEST_PW", "--port", "0",
                                 "--http-port", "0", "--freshness", "adtech_db.processed_campaign_data=2h"],
                                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True)
        port = None
        for _ in range(20):
            m = re.search(r"dashboards on http://[^:]+:(\d+)/", proc.stderr.readline())
            if m:
                port = int(m.group(1))
                break
        check(port is not None, "tarn serve prints the dashboards URL")
        base = "http://127.0.0.1:%d" % port

        options = webdriver.ChromeOptions()
        for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,1000", "--disable-gpu"]:
            options.add_argument(a)
        options.binary_location = shutil.which("chromium")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=shutil.which("chromedriver")), options=options)

        driver.get(base + "/dashboards/campaigns")
        check("Log in" in driver.title, "without a session the browser gets the login form")
        driver.find_element(By.ID, "user").send_keys(USER)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.find_element(By.ID, "login").click()
        WebDriverWait(driver, 120).until(lambda d: "Log in" not in d.title and d.execute_script("return document.readyState") == "complete")
        check("Campaigns" in driver.title, "logging in leads back to the page asked for")
        logged_in = time.time() * 1000  # the 401 of the first visit, before logging in, is expected

        pages = [("campaigns", "/dashboards/campaigns"), ("mmm", "/dashboards/mmm"), ("pipelines", "/dashboards/pipelines"),
                 ("violations", "/dashboards/violations"), ("table", "/tables/adtech_db.processed_campaign_data"), ("view", "/tables/adtech_db.campaign_summary")]
        for name, path in pages:
            t = time.time()
            driver.get(base + path)
            elapsed = time.time() - t
            errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE" and e["timestamp"] >= logged_in]
            failed = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".error")]
            check(not errors and not failed and "Log in" not in driver.title,
                  "%s renders with no console error and no failed block (%.2f s) %s %s" % (path, elapsed, errors[:2], failed[:2]))
            driver.save_screenshot(os.path.join(shots, "dashboard-%s.png" % name))
        driver.get(base + "/dashboards/campaigns")
        check(len(driver.find_elements(By.CSS_SELECTOR, ".tile")) == 8 and driver.find_elements(By.CSS_SELECTOR, "svg"),
              "campaigns shows the eight tiles and charts")

        # Country filter → tiles equal the REPL's answer to the same SQL.
        select = Select(driver.find_element(By.ID, "filter-country"))
        countries = [o.get_attribute("value") for o in select.options if o.get_attribute("value")]
        check(len(countries) >= 2, "the country filter lists the countries")
        before = driver.find_element(By.CSS_SELECTOR, "#kpi-spend .value").get_attribute("data-raw")
        country = countries[1]
        select.select_by_value(country)
        driver.find_element(By.ID, "apply").click()
        navigated(driver, "country=" + country)
        check(("country=" + country) in driver.current_url, "the filter is kept in the URL")
        want = repl_json(args.tarn, lake, TOTALS % country.replace("'", "''"))[0]
        for key in ["spend", "impressions", "clicks", "conversions", "ctr", "cpc", "cpm", "conversion_rate"]:
            got = json.loads(driver.find_element(By.CSS_SELECTOR, "#kpi-%s .value" % key).get_attribute("data-raw"))
            check(close(got, want[key]), "tile %s for %s equals the REPL (%s)" % (key, country, got))
        check(driver.find_element(By.CSS_SELECTOR, "#kpi-spend .value").get_attribute("data-raw") != before, "the tiles changed")
        states = [o.get_attribute("value") for o in Select(driver.find_element(By.ID, "filter-state")).options if o.get_attribute("value")]
        want_states = [r["state"] for r in repl_json(args.tarn, lake, "SELECT DISTINCT state FROM adtech_db.processed_campaign_data WHERE country = '%s' ORDER BY state" % country.replace("'", "''"))]
        check(states == want_states, "the state filter cascades from the country (%d states)" % len(states))

        # Optimiser form → mmm_optimize's split.
        driver.get(base + "/dashboards/mmm")
        budget = driver.find_element(By.ID, "filter-budget")
        budget.clear()
        budget.send_keys("250000")
        weeks = driver.find_element(By.ID, "filter-weeks")
        weeks.clear()
        weeks.send_keys("4")
        driver.find_element(By.ID, "apply").click()
        navigated(driver, "budget=250000")
        table = driver.find_element(By.ID, "table-optimal")
        header = [th.text for th in table.find_elements(By.CSS_SELECTOR, "th")]
        rows = [[td.text for td in tr.find_elements(By.CSS_SELECTOR, "td")] for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
        model = repl_json(args.tarn, lake, "SELECT name FROM tarn.models LIMIT 1")[0]["name"]
        want = repl_json(args.tarn, lake, "SELECT * FROM mmm_optimize('%s', budget => 250000, weeks => 4)" % model)
        check(len(rows) == len(want) and rows, "the optimiser shows one row per channel and the total (%d)" % len(rows))
        for row, w in zip(rows, want):
            got = dict(zip(header, row))
            check(got["channel"] == w["channel"] and close(float(got["optimal_spend"].replace(",", "")), w["optimal_spend"], rel=1e-6, abs_tol=0.01),
                  "optimal spend of %s equals mmm_optimize's (%s)" % (w["channel"], got["optimal_spend"]))
        driver.save_screenshot(os.path.join(shots, "dashboard-mmm-optimised.png"))
    except AssertionError as e:
        print("FAIL: %s" % e)
        sys.exit(1)
    finally:
        if driver:
            driver.quit()
        if proc:
            proc.terminate()
            proc.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    print("web browser: all passed")


if __name__ == "__main__":
    main()
