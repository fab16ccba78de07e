#!/usr/bin/env bash
# Runs the whole differential suite: 300+ queries vs DuckDB/SQLite, the workload views on 1M rows, and
# the cleaning rules / imputation / segmentation against DuckDB references, and the MMM fits' intervals
# against the information bound of their data, and read_parquet against pyarrow-written Parquet files.
# Works on a fresh machine: installs duckdb quietly if missing, builds `tarn` (release) unless TARN_BIN is set.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python3 -c "import duckdb" 2>/dev/null || python3 -m pip install --quiet duckdb
if [ -z "${TARN_BIN:-}" ]; then
    (cd "$root" && swift build -c release --product tarn) || { echo "building tarn failed" >&2; exit 1; }
    export TARN_BIN="$root/.build/release/tarn"
fi
status=0
# Runs one suite, remembers a failure, and prints how long it took (the CI run has a 30-minute budget).
timed() { local t0=$SECONDS; "$@" || status=1; echo "    [$(basename "$2"): $(( SECONDS - t0 )) s]"; }
timed python3 "$here/run.py" "$@"
timed python3 "$here/workload_views.py" --rows "${TARN_VIEW_ROWS:-1000000}"
timed python3 "$here/transforms.py"
timed python3 "$here/files_from_sql.py"
timed python3 "$here/statements.py"
timed python3 "$here/merge.py" --cases 60
# Deletion vectors: the generated MERGEs again on targets that mark rows deleted, then a DELETE / UPDATE / MERGE sequence
# on 300,000 rows checked at every version (reads, table_changes, Delta export via delta-rs, OPTIMIZE, VACUUM; ~25 s).
timed python3 "$here/merge.py" --cases 30 --seed 11 --deletion-vectors
timed python3 "$here/deletion_vectors.py"
# read_parquet against pyarrow: every type × encoding × codec × page version, parquet-testing, skipping, damaged files (~30 s).
timed python3 "$here/parquet_read.py"
# read_parquet's LIST / MAP / STRUCT columns against DuckDB on pyarrow-written files: values, cardinality, UNNEST,
# field access, map keys and values, NULL vs empty lists; deeper nesting an error naming the column (~3 s).
timed python3 "$here/parquet_nested.py"
# Parquet writing: COPY TO files read back by pyarrow and DuckDB (types, rows, statistics, codecs), PARTITION_BY
# read with hive_partitioning, COPY INTO from pyarrow-written files exactly once.
timed python3 "$here/parquet_write.py"
# Delta Lake: delta_scan against delta-rs at every version of tables it wrote (installs deltalake; ~15 s).
timed python3 "$here/delta_read.py"
# Delta Lake: EXPORT TABLE … (FORMAT delta) of a 13-version table, each version read by delta-rs and by DuckDB's delta
# extension (pip, own venv) vs Tarn's VERSION AS OF (~15 s; the first run installs DuckDB 1.5.5 and the extension, ~1 min).
timed python3 "$here/delta_publish.py"
# Larger than memory: under memory_limit 8MB, a 200,000-row ORDER BY (external merge sort), a GROUP BY with a DISTINCT
# aggregate (spilled partitions), a self-join (grace hash join) and two windows (spilled partitions), each written whole by COPY TO and byte for byte
# equal to DuckDB's; no spill files left (~20 s).
timed python3 "$root/benchmarks/larger_than_memory.py" --quick --tarn "$TARN_BIN"
# MMM: Tarn's contribution intervals against the Cramer-Rao bound of the same simulated data (4 fits).
timed python3 "$root/benchmarks/mmm_information_bound.py" --check 4
# Logic-bug oracles on a fixed seed: 2,000 random checks each of TLP, NoREC and DuckDB (docs/RELIABILITY.md).
timed python3 "$root/Tests/oracles/oracles.py" --seed 20261206 --queries 2000 --quiet
exit $status
