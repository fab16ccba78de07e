"""Shared by the Delta differential tests: installing deltalake/pyarrow, running tarn, and comparing Tarn's rows
with delta-rs's (values canonicalised by type, rows sorted)."""
import datetime
import decimal
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(os.path.dirname(HERE))


def ensure(module, package):
    try:
        __import__(module)
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)


ensure("pyarrow", "pyarrow")
ensure("deltalake", "deltalake")
import pyarrow as pa  # noqa: E402,F401
from deltalake import DeltaTable, write_deltalake  # noqa: E402,F401

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def tarn_binary():
    return os.environ.get("TARN_BIN") or os.path.join(PACKAGE_ROOT, ".build", "debug", "tarn")


def tarn(sql, lake=":memory:"):
    """(ok, rows as lists or the error text)."""
    done = subprocess.run([tarn_binary(), lake, "--format", "json", "-c", sql], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        return False, (done.stderr or done.stdout).strip()[:600]
    text = done.stdout.strip()
    if not text:
        return True, []
    start = text.find("[")
    return True, json.loads(text[start:], parse_float=decimal.Decimal, object_pairs_hook=lambda pairs: [v for _, v in pairs])


def micros_of(text):
    """Tarn's `YYYY-MM-DD HH:MM:SS[.ffffff]` as microseconds since the epoch."""
    t = datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc)
    delta = t - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def canon_expected(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return "b:" + str(v).lower()
    if isinstance(v, int):
        return "i:" + str(v)
    if isinstance(v, float):
        return "f:" + repr(v)
    if isinstance(v, decimal.Decimal):
        return "d:" + str(v.normalize())
    if isinstance(v, datetime.datetime):
        t = v if v.tzinfo else v.replace(tzinfo=datetime.timezone.utc)
        delta = t - EPOCH
        return "t:" + str((delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds)
    if isinstance(v, datetime.date):
        return "s:" + v.isoformat()
    return "s:" + str(v)


def canon_tarn(v, arrow_type):
    if v is None:
        return None
    if pa.types.is_timestamp(arrow_type):
        return "t:" + str(micros_of(v))
    if pa.types.is_boolean(arrow_type):
        return "b:" + str(v).lower()
    if pa.types.is_integer(arrow_type):
        return "i:" + str(int(v))
    if pa.types.is_floating(arrow_type):
        return "f:" + repr(float(v))
    if pa.types.is_decimal(arrow_type):
        return "d:" + str(decimal.Decimal(str(v)).normalize())
    return "s:" + str(v)


def delta_rs_rows(dt):
    """Column names, Arrow schema and canonical sorted rows of a delta-rs DeltaTable or of a pyarrow Table."""
    table = dt if isinstance(dt, pa.Table) else dt.to_pyarrow_table()
    names = table.schema.names
    rows = sorted((tuple(canon_expected(v) for v in r.values()) for r in table.to_pylist()), key=repr)
    return names, table.schema, rows


failures = []


def check(label, condition, detail=""):
    if not condition:
        failures.append(f"{label}: {detail}")
        print(f"FAIL {label}: {detail}")


def compare(label, dt, sql, lake=":memory:", tarn_sql_for_columns=None):
    """delta-rs's rows of `dt` (or a pyarrow Table another reader produced) against Tarn's rows of `sql`, and the
    column names against `DESCRIBE`."""
    names, schema, expected = delta_rs_rows(dt)
    ok, got = tarn(sql, lake)
    if not ok:
        check(label, False, got)
        return
    types = [schema.field(n).type for n in names]
    got_rows = sorted((tuple(canon_tarn(v, t) for v, t in zip(r, types)) for r in got), key=repr)
    if got_rows != expected:
        missing = [r for r in expected if r not in got_rows][:3]
        extra = [r for r in got_rows if r not in expected][:3]
        check(label, False, f"{len(got_rows)} rows vs delta-rs {len(expected)}; missing {missing}; extra {extra}")
    ok, described = tarn(f"DESCRIBE {tarn_sql_for_columns or sql}", lake)
    check(label + " columns", ok and [d[0] for d in described] == names, f"{described if not ok else [d[0] for d in described]} vs {names}")


def q(path):
    return path.replace("'", "''")
