"""Differential test of `delta_scan`: delta-rs (the `deltalake` package) writes Delta tables — appends, an
overwrite, a delete, an update, a schema change, a partitioned table with a NULL partition, checkpoints — and for
every version Tarn's `delta_scan(dir, version => n)` must return exactly delta-rs's rows (both sorted). Also checks
time travel by timestamp (against delta-rs's `load_as_version(datetime)`), reading from a checkpoint after the
commits before it are gone, CREATE TABLE … AS SELECT from delta_scan, and that column mapping and deletion
vectors fail with an error naming the feature. Installs deltalake and pyarrow with pip when missing.

Usage: python3 Tests/differential/delta_read.py [--keep DIR]
Env: TARN_BIN (default .build/debug/tarn in the package).
"""
import argparse
import datetime
import decimal
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from delta_common import EPOCH, DeltaTable, check, compare, failures, pa, q, tarn, write_deltalake  # noqa: E402


def plain_table(root):
    """Versions 0..8 of an unpartitioned table with every type delta-rs writes that Tarn reads."""
    path = os.path.join(root, "plain")

    def batch(lo, hi, extra=False):
        ids = list(range(lo, hi))
        cols = {
            "id": pa.array(ids, pa.int64()),
            "small": pa.array([i % 100 if i % 7 else None for i in ids], pa.int32()),
            "tiny": pa.array([i % 50 for i in ids], pa.int16()),
            "name": pa.array([f"n{i}" if i % 5 else None for i in ids], pa.string()),
            "score": pa.array([i * 0.25 if i % 3 else None for i in ids], pa.float64()),
            "ratio": pa.array([float(i) / 8 for i in ids], pa.float32()),
            "flag": pa.array([i % 2 == 0 for i in ids], pa.bool_()),
            "day": pa.array([datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 400) for i in ids], pa.date32()),
            "at": pa.array([EPOCH + datetime.timedelta(seconds=1_700_000_000 + i * 3601, microseconds=i) for i in ids],
                           pa.timestamp("us", tz="UTC")),
            "amount": pa.array([decimal.Decimal(i * 7) / 100 for i in ids], pa.decimal128(10, 2)),
        }
        if extra:
            cols["note"] = pa.array([f"note {i}" for i in ids], pa.string())
        return pa.table(cols)

    write_deltalake(path, batch(0, 300))                                   # 0 CREATE
    write_deltalake(path, batch(300, 500), mode="append")                  # 1
    write_deltalake(path, batch(1000, 1200), mode="overwrite")             # 2 overwrite
    write_deltalake(path, batch(1200, 1300), mode="append")                # 3
    DeltaTable(path).delete("id % 4 = 0")                                  # 4 delete
    DeltaTable(path).update(predicate="id < 1100", updates={"name": "'updated'"})  # 5 update
    DeltaTable(path).create_checkpoint()                                   # checkpoint at 5
    write_deltalake(path, batch(2000, 2050), mode="append")                # 6
    write_deltalake(path, batch(3000, 3020, extra=True), mode="append", schema_mode="merge")  # 7 add column
    write_deltalake(path, batch(4000, 4010, extra=True), mode="append")    # 8
    return path, 8


def partitioned_table(root):
    path = os.path.join(root, "parted")

    def batch(lo, hi):
        ids = list(range(lo, hi))
        return pa.table({
            "id": pa.array(ids, pa.int64()),
            "region": pa.array([["eu", "us", "apac", None][i % 4] for i in ids], pa.string()),
            "year": pa.array([2020 + i % 3 for i in ids], pa.int32()),
            "spend": pa.array([i * 1.5 for i in ids], pa.float64()),
            "day": pa.array([datetime.date(2024, 5, 1 + i % 3) for i in ids], pa.date32()),
        })

    write_deltalake(path, batch(0, 100), partition_by=["region", "day"])         # 0
    write_deltalake(path, batch(100, 160), mode="append", partition_by=["region", "day"])  # 1
    DeltaTable(path).delete("region = 'us'")                                       # 2
    write_deltalake(path, batch(500, 520), mode="append", partition_by=["region", "day"])  # 3
    DeltaTable(path).create_checkpoint()                                           # checkpoint at 3
    DeltaTable(path).delete("id > 510")                                            # 4
    write_deltalake(path, batch(600, 610), mode="append", partition_by=["region", "day"])  # 5
    return path, 5


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="write the tables here and keep them")
    args = parser.parse_args()
    root = args.keep or tempfile.mkdtemp(prefix="tarn-delta-read-")
    if args.keep:
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
    try:
        checks = 0
        for path, latest in (plain_table(root), partitioned_table(root)):
            name = os.path.basename(path)
            for v in range(latest + 1):
                compare(f"{name} version {v}", DeltaTable(path, version=v), f"SELECT * FROM delta_scan('{q(path)}', version => {v})")
                checks += 1
            compare(f"{name} latest", DeltaTable(path), f"SELECT * FROM delta_scan('{q(path)}')")

        plain = os.path.join(root, "plain")
        # Time travel by timestamp: commit times set one hour apart, then delta-rs and Tarn asked for the same instants.
        base = datetime.datetime(2025, 3, 1, tzinfo=datetime.timezone.utc)
        log = os.path.join(plain, "_delta_log")
        for v in range(9):
            t = (base + datetime.timedelta(hours=v)).timestamp()
            os.utime(os.path.join(log, f"{v:020d}.json"), (t, t))
        for v, minutes in ((0, 0), (3, 30), (6, 59), (8, 600)):
            at = base + datetime.timedelta(hours=v, minutes=minutes)
            dt = DeltaTable(plain)
            dt.load_as_version(at)
            check(f"delta-rs timestamp {at}", dt.version() == v, f"delta-rs picked {dt.version()}")
            compare(f"plain timestamp {at}", dt, f"SELECT * FROM delta_scan('{q(plain)}', timestamp => '{at.strftime('%Y-%m-%d %H:%M:%S')}')")
            checks += 1
        ok, err = tarn(f"SELECT * FROM delta_scan('{q(plain)}', timestamp => '2025-02-28 00:00:00')")
        check("timestamp before the first commit", not ok and "no version" in err, err)

        # A checkpoint alone: the commits before it deleted, as log cleanup does.
        parted = os.path.join(root, "parted")
        only = os.path.join(root, "parted_checkpointed")
        shutil.copytree(parted, only)
        for v in range(3):
            os.remove(os.path.join(only, "_delta_log", f"{v:020d}.json"))
        for v in (3, 4, 5):
            compare(f"checkpoint-only version {v}", DeltaTable(only, version=v), f"SELECT * FROM delta_scan('{q(only)}', version => {v})")
            checks += 1
        ok, err = tarn(f"SELECT * FROM delta_scan('{q(only)}', version => 1)")
        check("version before the checkpoint, commits gone", not ok and "missing" in err, err)

        # Partition pruning: only the matching partition's files are opened.
        ok, plan = tarn(f"EXPLAIN ANALYZE SELECT count(*) FROM delta_scan('{q(parted)}') WHERE region = 'eu'")
        check("partition skipping", ok and "files_skipped" in json.dumps(plan), str(plan)[:300])

        # Files skipped by the log's per-file stats give the same answers as delta-rs's rows filtered in Python.
        rows = DeltaTable(plain).to_pyarrow_table().to_pylist()
        at_cut = EPOCH + datetime.timedelta(seconds=1_700_000_000 + 1250 * 3601)
        for label, where, keep in (
            ("id >= 3000", "id >= 3000", lambda r: r["id"] >= 3000),
            ("id = 1201", "id = 1201", lambda r: r["id"] == 1201),
            ("id < 1100", "id < 1100", lambda r: r["id"] < 1100),
            ("at <= cut", f"at <= TIMESTAMP '{at_cut.strftime('%Y-%m-%d %H:%M:%S.%f')}'", lambda r: r["at"] <= at_cut),
            ("note IS NULL", "note IS NULL", lambda r: r["note"] is None),
            ("small IS NULL", "small IS NULL", lambda r: r["small"] is None),
        ):
            ok, got = tarn(f"SELECT count(*), coalesce(sum(id), 0) FROM delta_scan('{q(plain)}') WHERE {where}")
            expected = [r for r in rows if keep(r)]
            check(f"stats skipping: {label}", ok and got == [[len(expected), sum(r["id"] for r in expected)]],
                  f"tarn {got} vs delta-rs {[len(expected), sum(r['id'] for r in expected)]}")
        ok, plan = tarn(f"EXPLAIN ANALYZE SELECT count(*) FROM delta_scan('{q(plain)}') WHERE id >= 3000")
        check("stats skip files", ok and "files_skipped" in json.dumps(plan), str(plan)[:300])

        # CREATE TABLE … AS SELECT brings the table into the lake.
        lake = os.path.join(root, "lake")
        ok, out = tarn(f"CREATE TABLE imported AS SELECT * FROM delta_scan('{q(plain)}', version => 5); SELECT count(*), sum(id) FROM imported", lake)
        rows = DeltaTable(plain, version=5).to_pyarrow_table().to_pylist()
        check("CREATE TABLE AS SELECT", ok and out and out[-1] == [len(rows), sum(r["id"] for r in rows)], str(out)[:300])

        # Features delta_scan cannot read fail naming them.
        for feature, action, words in (
            ("column mapping", {"metaData": None}, "column mapping"),
            ("deletion vectors", {"protocol": {"minReaderVersion": 3, "minWriterVersion": 7, "readerFeatures": ["deletionVectors"],
                                               "writerFeatures": ["deletionVectors"]}}, "deletion vectors"),
        ):
            broken = os.path.join(root, feature.replace(" ", "_"))
            shutil.copytree(parted, broken)
            with open(os.path.join(broken, "_delta_log", f"{0:020d}.json")) as f:
                lines = [json.loads(line) for line in f if line.strip()]
            if feature == "column mapping":
                meta = next(line["metaData"] for line in lines if "metaData" in line)
                meta["configuration"] = {"delta.columnMapping.mode": "name", "delta.columnMapping.maxColumnId": "5"}
                action = {"metaData": meta}
            with open(os.path.join(broken, "_delta_log", f"{6:020d}.json"), "w") as f:
                f.write(json.dumps(action) + "\n")
            ok, err = tarn(f"SELECT * FROM delta_scan('{q(broken)}')")
            check(f"unsupported {feature}", not ok and words in err, err)
        ok, err = tarn(f"SELECT * FROM delta_scan('{q(root)}')")
        check("not a Delta table", not ok and "_delta_log" in err, err)

        print(f"delta_read: {checks} versions compared with delta-rs, {len(failures)} failures")
        return 1 if failures else 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
