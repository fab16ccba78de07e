#!/usr/bin/env bash
# Fit time of Tarn's MMM vs PyMC-Marketing on the same simulated data (3 channels × 156 weeks), in one run, same
# model and sampler settings: geometric adstock (l_max 8) + logistic saturation, 2 Fourier harmonics, linear trend,
# 2 event controls, 4 chains × 1000 tune + 1000 draws, target_accept 0.8, 2 cores. Prints both fit times (wall and,
# for Tarn, CPU), the speed ratio, convergence (max R-hat, min bulk ESS) and ROAS vs the truth for both.
# Usage: benchmarks/mmm_vs_pymc.sh   (VENV=/path/to/venv to reuse a virtualenv; MMM_BENCH_CHANNELS, MMM_BENCH_WEEKS,
#        MMM_BENCH_SEED pick another simulated data set, e.g. recovery repetition 6: 4, 104, 1006)
set -uo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-$(mktemp -d /tmp/mmm-bench-XXXX)}"
SCRATCH="${SCRATCH:-.build-mmm-release}"
VENV="${VENV:-/tmp/mmm-venv}"
echo "== $(date -u +%FT%TZ) machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== Tarn (release) — data and truth exported to $OUT"
MMM_BENCH_DIR="$OUT" swift test -c release --scratch-path "$SCRATCH" --filter MMMBenchmarkTests/testFitTimeForPyMCComparison 2>&1 \
  | grep -E "^TARN|error" | tee "$OUT/tarn.txt"
grep -q "^TARN fit_seconds" "$OUT/tarn.txt" || { echo "Tarn benchmark failed"; exit 1; }

echo "== PyMC-Marketing (load $(cut -d' ' -f1-3 /proc/loadavg))"
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV" || { echo "PYMC: cannot create a virtualenv"; exit 0; }; fi
if ! "$VENV/bin/python" -c "import pymc_marketing" 2>/dev/null; then
  echo "installing pymc-marketing into $VENV (this can take minutes)…"
  if ! "$VENV/bin/pip" install -q pymc-marketing; then
    echo "PYMC: pip install pymc-marketing FAILED — no PyMC-Marketing figures in this run"; exit 0
  fi
fi
"$VENV/bin/python" - "$OUT" <<'PY' | tee "$OUT/pymc.txt"
import sys, time, warnings
warnings.filterwarnings("ignore")
import numpy as np, pandas as pd
out = sys.argv[1]
data = pd.read_csv(f"{out}/mmm_data.csv", parse_dates=["week"])
truth = pd.read_csv(f"{out}/mmm_truth.csv")
channels = list(truth["channel"])
data["t"] = np.arange(len(data)) / (len(data) - 1)
import arviz as az
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
sampling = float(mmm.idata.posterior.attrs.get("sampling_time", float("nan")))
summary = az.summary(mmm.idata, kind="diagnostics", round_to="none")
divergences = int(mmm.idata.sample_stats["diverging"].sum())
print(f"PYMC fit_seconds={seconds:.2f} sampling_seconds={sampling:.2f} max_rhat={summary['r_hat'].max():.3f} "
      f"min_ess_bulk={summary['ess_bulk'].min():.0f} divergences={divergences} (fit_seconds includes PyTensor compilation)")
contrib = mmm.compute_channel_contribution_original_scale()   # (chain, draw, date, channel)
totals = contrib.sum(dim="date")
for c in channels:
    spend = data[c].sum()
    roas = (totals.sel(channel=c) / spend).values.reshape(-1)
    lo, hi = az.hdi(roas, hdi_prob=0.9)
    row = truth[truth.channel == c].iloc[0]
    err = 100 * (totals.sel(channel=c).values.mean() / row.contribution - 1)
    print(f"PYMC {c} roas {roas.mean():.3f} [{lo:.3f}, {hi:.3f}] true {row.roas:.3f} contribution error {err:+.1f}%")
PY
echo "== Comparison (same data, same run)"
tarn=$(sed -n 's/^TARN fit_seconds=\([0-9.]*\) cpu_seconds=\([0-9.]*\) .*/\1 \2/p' "$OUT/tarn.txt")
pymc=$(sed -n 's/^PYMC fit_seconds=\([0-9.]*\) sampling_seconds=\([0-9.na]*\).*/\1 \2/p' "$OUT/pymc.txt")
if [ -n "$tarn" ] && [ -n "$pymc" ]; then
  set -- $tarn $pymc
  awk -v tw="$1" -v tc="$2" -v pf="$3" -v ps="$4" 'BEGIN {
    printf "RATIO Tarn %.2f s wall (%.2f s CPU) vs PyMC-Marketing %.1f s fit (%.1f s sampling): %.0fx faster by wall clock (%.0fx vs PyMC sampling alone)\n",
           tw, tc, pf, ps, pf / tw, ps / tw }'
  paste <(grep -E "^TARN [a-z]+ roas" "$OUT/tarn.txt") <(grep -E "^PYMC [a-z]+ roas" "$OUT/pymc.txt") | sed 's/^/ROAS /'
else
  echo "RATIO unavailable (one side did not finish)"
fi
