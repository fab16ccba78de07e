#!/usr/bin/env bash
# Fit time of Tarn's MMM vs PyMC-Marketing on the same simulated data (3 channels × 156 weeks), same settings:
# geometric adstock (l_max 8) + logistic saturation, 2 Fourier harmonics, linear trend, 2 event controls,
# 4 chains × 1000 tune + 1000 draws, target_accept 0.8, 2 cores. Reports both fit times and ROAS vs truth.
# Usage: benchmarks/mmm_vs_pymc.sh   (VENV=/path/to/venv to reuse a virtualenv)
set -uo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-$(mktemp -d /tmp/mmm-bench-XXXX)}"
SCRATCH="${SCRATCH:-.build-mmm-release}"
VENV="${VENV:-/tmp/mmm-venv}"
echo "== Tarn (release) — data and truth exported to $OUT"
MMM_BENCH_DIR="$OUT" swift test -c release --scratch-path "$SCRATCH" --filter MMMBenchmarkTests/testFitTimeForPyMCComparison 2>&1 \
  | grep -E "^TARN|error" || { echo "Tarn benchmark failed"; exit 1; }

echo "== PyMC-Marketing"
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV" || { echo "PYMC: cannot create a virtualenv"; exit 0; }; fi
if ! "$VENV/bin/python" -c "import pymc_marketing" 2>/dev/null; then
  echo "installing pymc-marketing into $VENV (this can take minutes)…"
  if ! "$VENV/bin/pip" install -q pymc-marketing; then
    echo "PYMC: pip install pymc-marketing FAILED — no PyMC-Marketing figures in this run"; exit 0
  fi
fi
"$VENV/bin/python" - "$OUT" <<'PY'
import sys, time, warnings
warnings.filterwarnings("ignore")
import numpy as np, pandas as pd
out = sys.argv[1]
data = pd.read_csv(f"{out}/mmm_data.csv", parse_dates=["week"])
truth = pd.read_csv(f"{out}/mmm_truth.csv")
channels = list(truth["channel"])
data["t"] = np.arange(len(data)) / (len(data) - 1)
import pymc_marketing
from pymc_marketing.mmm import MMM, GeometricAdstock, LogisticSaturation
print("PYMC pymc-marketing", pymc_marketing.__version__)
X = data[["week"] + channels + ["event_1", "event_2", "t"]]
y = data["revenue"]
mmm = MMM(adstock=GeometricAdstock(l_max=8), saturation=LogisticSaturation(), date_column="week",
          channel_columns=channels, control_columns=["event_1", "event_2", "t"], yearly_seasonality=2)
start = time.time()
mmm.fit(X, y, chains=4, draws=1000, tune=1000, target_accept=0.8, random_seed=42, cores=2, progressbar=False)
seconds = time.time() - start
print(f"PYMC fit_seconds={seconds:.2f} (includes PyTensor compilation)")
contrib = mmm.compute_channel_contribution_original_scale()   # (chain, draw, date, channel)
totals = contrib.sum(dim="date")
for c in channels:
    spend = data[c].sum()
    roas = (totals.sel(channel=c) / spend).values.reshape(-1)
    lo, hi = np.quantile(roas, [0.05, 0.95])
    row = truth[truth.channel == c].iloc[0]
    err = 100 * (totals.sel(channel=c).values.mean() / row.contribution - 1)
    print(f"PYMC {c} roas {roas.mean():.3f} [{lo:.3f}, {hi:.3f}] true {row.roas:.3f} contribution error {err:+.1f}%")
PY
