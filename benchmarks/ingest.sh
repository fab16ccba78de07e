#!/usr/bin/env bash
# Load rate and peak memory of `COPY INTO` (Tarn, release build) against DuckDB's read_json on the same NDJSON file.
#
#   benchmarks/ingest.sh [ROWS]          # default 1,000,000 rows (10,000,000 ≈ 2 GB of NDJSON)
#
# Environment: TARN (path of a release `tarn`, default: built with `swift build -c release`), WORK (scratch folder).
set -euo pipefail
ROWS=${1:-1000000}
HERE=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/tarn-ingest-bench}
SCRATCH=${SCRATCH:-$HERE/.build-ingest}
if [[ -z "${TARN:-}" ]]; then
  (cd "$HERE" && swift build -c release --scratch-path "$SCRATCH" --product tarn >&2)
  TARN="$SCRATCH/release/tarn"
fi
[[ -x "$TARN" ]] || { echo "tarn binary not found at $TARN" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is needed for peak memory (apt-get install time)" >&2; exit 1; }
python3 -c 'import duckdb' 2>/dev/null || pip install --quiet duckdb

rm -rf "$WORK"; mkdir -p "$WORK"
echo "generating $ROWS rows of NDJSON ..." >&2
"$TARN" generate campaigns --rows "$ROWS" --files 1 --out "$WORK/raw" --clean >&2
FILE=$(find "$WORK/raw" -name '*.json' | head -1)
BYTES=$(stat -c %s "$FILE")

peak_kb() { grep 'Maximum resident set size' "$1" | awk '{print $NF}'; }
seconds() { grep 'Elapsed (wall clock)' "$1" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }

echo "loading with tarn ..." >&2
/usr/bin/time -v "$TARN" "$WORK/lake" -c "COPY INTO campaigns FROM '$FILE'" > "$WORK/tarn.out" 2> "$WORK/tarn.time"
TARN_S=$(seconds "$WORK/tarn.time"); TARN_KB=$(peak_kb "$WORK/tarn.time")
TARN_ROWS=$("$TARN" "$WORK/lake" --format csv -c "SELECT count(*) FROM campaigns" | tail -1)

echo "loading with duckdb ..." >&2
cat > "$WORK/duck.py" <<PY
import duckdb
con = duckdb.connect("$WORK/duck.db")
con.execute("CREATE TABLE campaigns AS SELECT * FROM read_json('$FILE', format='newline_delimited')")
print(con.execute("SELECT count(*) FROM campaigns").fetchone()[0])
PY
/usr/bin/time -v python3 "$WORK/duck.py" > "$WORK/duck.out" 2> "$WORK/duck.time"
DUCK_S=$(seconds "$WORK/duck.time"); DUCK_KB=$(peak_kb "$WORK/duck.time")
DUCK_ROWS=$(tail -1 "$WORK/duck.out")

python3 - "$ROWS" "$BYTES" "$TARN_ROWS" "$TARN_S" "$TARN_KB" "$DUCK_ROWS" "$DUCK_S" "$DUCK_KB" <<'PY'
import sys
rows, size, trows, ts, tkb, drows, ds, dkb = sys.argv[1:]
rows, size = int(rows), int(size)
print(f"file: {rows:,} rows, {size/1e6:,.0f} MB NDJSON")
print(f"{'engine':8} {'rows loaded':>12} {'seconds':>8} {'rows/s':>12} {'MB/s':>8} {'peak RSS MB':>12}")
for name, r, s, kb in (("tarn", trows, ts, tkb), ("duckdb", drows, ds, dkb)):
    s = float(s)
    print(f"{name:8} {int(r):>12,} {s:>8.2f} {int(r)/s:>12,.0f} {size/1e6/s:>8.1f} {int(kb)/1024:>12,.0f}")
PY
