#!/usr/bin/env python3
"""Files straight from SQL, Tarn vs DuckDB: `SELECT * FROM 'file.csv'` (and .tsv, .json, .ndjson) in Tarn against
DuckDB's `read_csv_auto` / `read_json_auto` on the same files: `;`-, tab- and `|`-delimited CSV, a UTF-8 byte order
mark, quoted fields holding the delimiter (quoted with " or '), no header line, empty fields, CRLF line ends; column
names and rows must match.
Also `DESCRIBE SELECT …` names the same columns as DuckDB's.

A Parquet file (written by DuckDB) is read with `FROM 'x.parquet'` too.

Usage: python3 Tests/differential/files_from_sql.py [--keep DIR]. Exit status 1 on any difference.
"""
import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import TarnError, compare, ensure_duckdb, parse_tarn_json, run_tarn  # noqa: E402

ROWS = [(1, "Lyon", "Saint-Étienne", 2.5), (2, "Paris, 75", None, 10.0), (3, "Nice", "a;b|c", -1.25), (4, "", "x", None)]


def csv_text(delimiter, bom=False, crlf=False):
    def cell(v):
        if v is None:
            return ""
        text = str(v)
        if any(c in text for c in (delimiter, '"', ",", ";", "|", "\t")):
            text = '"' + text.replace('"', '""') + '"'
        return text
    end = "\r\n" if crlf else "\n"
    lines = [delimiter.join(["id", "city", "note", "amount"])] + [delimiter.join(cell(v) for v in row) for row in ROWS]
    return ("\ufeff" if bom else "") + end.join(lines) + end


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep")
    args = ap.parse_args()
    duckdb = ensure_duckdb()
    work = args.keep or tempfile.mkdtemp(prefix="tarn-files-")
    os.makedirs(work, exist_ok=True)
    files = {
        "comma.csv": csv_text(","), "semicolon.csv": csv_text(";"), "tab.tsv": csv_text("\t"), "tab_in.csv": csv_text("\t"),
        "pipe.csv": csv_text("|"), "bom.csv": csv_text(",", bom=True), "bom_semicolon.csv": csv_text(";", bom=True),
        "crlf.csv": csv_text(";", crlf=True),
    }
    for name, text in files.items():
        with open(os.path.join(work, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)
    # No header line: the sniffer sees that the first line fits its columns' types (DuckDB names them column0, …).
    headerless = {"no_header.csv": "1;x;2.5;2024-01-01\n2;y;3.0;2024-01-02\n3;;-1;\n",
                  "no_header_pipe.csv": "10|20\n30|40\n",
                  # Fields quoted with ' (holding the delimiter): the quote is sniffed too.
                  "single_quoted.csv": "id,name,note\n1,'Smith, J',x\n2,'Lee, K',y\n"}
    for name, text in headerless.items():
        with open(os.path.join(work, name), "w", encoding="utf-8") as f:
            f.write(text)
    files.update(headerless)
    with open(os.path.join(work, "events.ndjson"), "w", encoding="utf-8") as f:
        f.write('{"id": 1, "kind": "click", "value": 2.5}\n{"id": 2, "kind": "view", "value": null}\n')
    lake = os.path.join(work, "lake")
    con = duckdb.connect()
    pq = os.path.join(work, "sales.parquet")
    con.execute(f"COPY (SELECT range AS id, 'item' || (range % 7) AS item, range * 1.5 AS amount, DATE '2024-01-01' + CAST(range % 30 AS INTEGER) AS day "
                f"FROM range(2000)) TO '{pq}' (FORMAT parquet)")
    failures, checked = [], 0
    queries = [(f"SELECT * FROM '{os.path.join(work, n)}'", f"SELECT * FROM read_csv_auto('{os.path.join(work, n)}')") for n in files]
    queries.append((f"SELECT * FROM '{pq}' WHERE id % 97 = 3", f"SELECT * FROM '{pq}' WHERE id % 97 = 3"))
    ev = os.path.join(work, "events.ndjson")
    queries += [(f"SELECT id, kind, value FROM '{ev}'", f"SELECT id, kind, value FROM read_json_auto('{ev}')"),
                (f"SELECT e.kind FROM '{ev}' e WHERE e.id = 2", f"SELECT e.kind FROM read_json_auto('{ev}') e WHERE e.id = 2")]
    for tarn_sql, duck_sql in queries:
        checked += 1
        try:
            got = parse_tarn_json(run_tarn(lake, tarn_sql))
            names = [line.split(",")[0] for line in run_tarn(lake, "DESCRIBE " + tarn_sql, fmt="csv").splitlines()[1:]]
        except TarnError as e:
            failures.append(f"{tarn_sql}: tarn failed: {e}")
            continue
        cursor = con.execute(duck_sql)
        expected = cursor.fetchall()
        expected_names = [d[0] for d in cursor.description]
        diff = compare(expected, got, ordered=False)
        if diff:
            failures.append(f"{tarn_sql}: {diff}")
        if names != expected_names:
            failures.append(f"{tarn_sql}: columns {names}, DuckDB {expected_names}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"files from SQL: {checked} queries over {len(files) + 1} files, {len(failures)} differing from DuckDB")
    for f in failures:
        print("  " + f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
