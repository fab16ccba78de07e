#!/usr/bin/env bash
# Compression of Tarn's data files against Parquet (zstd, pyarrow) on the same ad-campaign rows.
# Usage: benchmarks/compression.sh [ROWS]   (default 10,000,000; generate_campaigns with a fixed seed)
# Prints the bytes of each and the ratio. Needs a release build of tarn (built if missing) and pyarrow.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-10000000}"
work="benchmarks/.cache/compression-$rows"
mkdir -p "$work"
python3 -c "import pyarrow" 2>/dev/null || python3 -m pip install --quiet pyarrow
tarn="${TARN_BIN:-.build/release/tarn}"
[ -x "$tarn" ] || swift build -c release --product tarn >/dev/null

if [ ! -f "$work/lake/catalog.db" ]; then
    rm -rf "$work/lake"
    echo "==> building a lake of $rows campaign rows (the demo's generator, fixed seed, cleaned)"
    "$tarn" "$work/lake" -c "CREATE SCHEMA adtech_db; CREATE TABLE adtech_db.processed_campaign_data AS SELECT * FROM generate_campaigns($rows, seed => 42, clean => true)" >/dev/null
fi
if [ ! -f "$work/rows.csv" ]; then
    echo "==> exporting the same rows to CSV for pyarrow"
    "$tarn" "$work/lake" -c "COPY (SELECT * FROM adtech_db.processed_campaign_data) TO '$work/rows.csv' (FORMAT csv, HEADER true)" >/dev/null
fi

tarn_bytes=$(du -sb "$work/lake/data" | cut -f1)
python3 - "$work" "$tarn_bytes" "$rows" <<'PY'
import os, sys, pyarrow.csv as pc, pyarrow.parquet as pq, pyarrow as pa
work, tarn_bytes, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
types = {"zipcode": pa.string(), "date": pa.date32(), "impressions": pa.int64(), "clicks": pa.int64(),
         "conversions": pa.int64(), "spend": pa.float64()}
table = pc.read_csv(os.path.join(work, "rows.csv"), convert_options=pc.ConvertOptions(column_types=types))
assert table.num_rows == rows, (table.num_rows, rows)
results = []
for level in (3, 9):
    path = os.path.join(work, f"rows-zstd{level}.parquet")
    pq.write_table(table, path, compression="zstd", compression_level=level, use_dictionary=True)
    results.append((f"Parquet zstd level {level}", os.path.getsize(path)))
print(f"{'format':<28}{'bytes':>14}{'bytes/row':>12}{'vs Tarn':>10}")
print(f"{'Tarn':<28}{tarn_bytes:>14,}{tarn_bytes / rows:>12.2f}{1.0:>10.2f}")
for name, size in results:
    print(f"{name:<28}{size:>14,}{size / rows:>12.2f}{size / tarn_bytes:>10.2f}")
PY
