#!/usr/bin/env python3
"""Counts how many of Trino's functions Tarn implements, by category, and keeps the table in docs/SQL.md true.

The names Tarn knows come from the engine itself (`SELECT … FROM tarn_functions()`), not from a list kept by hand;
Trino's names come from docs/coverage/trino-functions.txt. Table functions are not counted: Trino's names here are
all called in expressions.

Usage: scripts/function_coverage.py --tarn .build/debug/tarn [--write | --check]
  --write  rewrites the table between the coverage markers in docs/SQL.md
  --check  fails (exit 1) when docs/SQL.md's table differs from what the engine gives (CI runs this)
"""
import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIST = os.path.join(ROOT, "docs", "coverage", "trino-functions.txt")
DOC = os.path.join(ROOT, "docs", "SQL.md")
BEGIN, END = "<!-- function coverage: begin (scripts/function_coverage.py --write) -->", "<!-- function coverage: end -->"


def trino_categories():
    categories = []
    with open(LIST) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            category, names = line.split(":", 1)
            categories.append((category.strip(), names.split()))
    return categories


def tarn_names(tarn):
    with tempfile.TemporaryDirectory() as lake:
        out = subprocess.run([tarn, os.path.join(lake, "lake"), "--format", "csv", "-c",
                              "SELECT function_name FROM tarn_functions() WHERE function_type <> 'table'"],
                             capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        sys.exit(f"tarn_functions() failed: {out.stderr.strip()}")
    lines = out.stdout.splitlines()
    if not lines or lines[0] != "function_name":
        sys.exit(f"unexpected output from tarn_functions(): {out.stdout[:200]!r}")
    return {n.strip().lower() for n in lines[1:]}


def table(categories, known):
    rows = ["| category | Trino's functions | Tarn has | coverage | missing |", "|---|---:|---:|---:|---|"]
    total = have_total = 0
    for category, names in categories:
        have = [n for n in names if n.lower() in known]
        missing = [n for n in names if n.lower() not in known]
        total += len(names); have_total += len(have)
        pct = round(100 * len(have) / len(names))
        rows.append(f"| {category} | {len(names)} | {len(have)} | {pct} % | {', '.join(missing) or '—'} |")
    rows.append(f"| **all** | {total} | {have_total} | {round(100 * have_total / total)} % | |")
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarn", required=True)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--check", action="store_true")
    args = ap.parse_args()
    rendered = table(trino_categories(), tarn_names(args.tarn))
    if not (args.write or args.check):
        print(rendered)
        return
    doc = open(DOC).read()
    if BEGIN not in doc or END not in doc:
        sys.exit(f"docs/SQL.md lacks the markers {BEGIN!r} … {END!r}")
    head, rest = doc.split(BEGIN, 1)
    current, tail = rest.split(END, 1)
    if args.check:
        if current.strip() != rendered.strip():
            print("docs/SQL.md's function coverage table is out of date; run scripts/function_coverage.py --write. "
                  "The engine gives:\n" + rendered, file=sys.stderr)
            sys.exit(1)
        print("function coverage table matches the engine")
        return
    with open(DOC, "w") as f:
        f.write(head + BEGIN + "\n" + rendered + "\n" + END + tail)
    print(rendered)


if __name__ == "__main__":
    main()
