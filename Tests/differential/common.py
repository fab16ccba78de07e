"""Shared helpers of the differential suite: finding and running `tarn`, normalising and comparing result sets."""
import datetime
import decimal
import json
import math
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(os.path.dirname(HERE))


def ensure_duckdb():
    """Imports duckdb, installing it quietly with pip when missing."""
    try:
        import duckdb  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "duckdb"], check=True)
    import duckdb
    return duckdb


def tarn_binary():
    """`$TARN_BIN`, else the release then debug build in the package, else `tarn` on PATH."""
    if os.environ.get("TARN_BIN"):
        return os.environ["TARN_BIN"]
    for candidate in (".build/release/tarn", ".build/debug/tarn"):
        path = os.path.join(PACKAGE_ROOT, candidate)
        if os.path.exists(path):
            return path
    return "tarn"


class TarnError(Exception):
    pass


def run_tarn(lake, sql=None, script=None, fmt="json", timeout=600):
    """Runs `tarn LAKE -c SQL` or `tarn LAKE -f SCRIPT` with `--format fmt`; returns stdout, raises TarnError."""
    args = [tarn_binary(), lake, "--format", fmt]
    args += ["-c", sql] if sql is not None else ["-f", script]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        raise TarnError(f"tarn binary not found ({args[0]}); build it or set TARN_BIN")
    except subprocess.TimeoutExpired:
        raise TarnError(f"timed out after {timeout}s")
    if done.returncode != 0:
        raise TarnError((done.stderr or done.stdout).strip()[:500])
    return done.stdout


def parse_tarn_json(text):
    """Rows of `--format json` output (an array of objects; duplicate column names kept by position)."""
    text = text.strip()
    if not text:
        return []
    start = text.find("[")
    if start < 0:
        raise TarnError(f"no JSON array in output: {text[:200]}")
    rows = json.loads(text[start:], object_pairs_hook=lambda pairs: [v for _, v in pairs])
    return [tuple(row) for row in rows]


def normalize(value):
    """One comparable form for a value from any engine."""
    kind = type(value)
    if value is None or kind is int or kind is float:  # the common cases first (not bool, a subclass of int)
        return value
    if kind is str:
        if len(value) == 19 and value.endswith(" 00:00:00") and re.fullmatch(r"\d{4}-\d\d-\d\d 00:00:00", value):
            return value[:10]
        return value
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    if isinstance(value, dict):
        # STRUCT and MAP values: their values in order (Tarn's JSON objects are parsed to value lists too).
        return [normalize(v) for v in value.values()]
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # TIMESTAMP WITH TIME ZONE: DuckDB's text form, local time in the session zone and its offset (+01, +05:30).
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        if value.microsecond:
            text += (".%06d" % value.microsecond).rstrip("0")
        seconds = int(value.utcoffset().total_seconds())
        sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
        text += "%s%02d" % (sign, seconds // 3600)
        if seconds % 3600:
            text += ":%02d" % (seconds // 60 % 60)
        if seconds % 60:
            text += ":%02d" % (seconds % 60)
        return text
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()  # DuckDB's DATE + INTERVAL / date_trunc give midnight timestamps
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        if value.microsecond:
            text += (".%06d" % value.microsecond).rstrip("0")
        return text
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d\d-\d\d 00:00:00", value):
            return value[:10]
        return value
    return value


def sort_key(row):
    key = []
    for v in row:
        if v is None:
            key.append((0, ""))
        elif type(v) is int and -999_999_999 <= v <= 999_999_999:
            key.append((1, float(v)))  # what "%.9g" gives for an integer of at most 9 digits, without formatting it
        elif isinstance(v, (int, float)):
            key.append((1, float("%.9g" % v) if not math.isnan(v) else math.inf))
        else:
            key.append((2, str(v)))
    return key


def values_equal(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(values_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def compare(expected, got, ordered):
    """None when the result sets agree; else a short description of the first difference."""
    expected = [tuple(normalize(v) for v in row) for row in expected]
    got = [tuple(normalize(v) for v in row) for row in got]
    if len(expected) != len(got):
        return f"row count: expected {len(expected)}, got {len(got)}"
    if not ordered:
        expected = sorted(expected, key=sort_key)
        got = sorted(got, key=sort_key)
    for i, (e, g) in enumerate(zip(expected, got)):
        if len(e) != len(g) or not all(values_equal(x, y) for x, y in zip(e, g)):
            return f"row {i}: expected {e}, got {g}"
    return None


def has_top_level_order_by(sql):
    """Whether the outermost query ends in ORDER BY (parenthesised parts and OVER clauses ignored)."""
    depth, flat = 0, []
    for ch in sql:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            flat.append(ch)
    return re.search(r"\border\s+by\b", "".join(flat), re.IGNORECASE) is not None


def sql_literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)  # an exponent makes it a DOUBLE literal in Trino (a plain 0.5 would be DECIMAL)
        return text if "e" in text else text + "E0"
    if isinstance(value, datetime.datetime):
        return "TIMESTAMP '%s'" % value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return "DATE '%s'" % value.isoformat()
    return "'" + str(value).replace("'", "''") + "'"
