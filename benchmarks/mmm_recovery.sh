#!/usr/bin/env bash
# Parameter-recovery study of Tarn's marketing-mix model, in release mode:
# 20 seeded simulations (2–5 channels, 104/156/208 weeks, PyMC-Marketing-like noise), each fitted with the
# default sampler (4 chains × 1000 tune + 1000 draws). Reports per channel the contribution error and whether
# the 90% ROAS interval covers the truth, and (2–3 channels) the optimiser's return vs the true optimum.
# Usage: benchmarks/mmm_recovery.sh [reps]   (default 20; MMM_RECOVERY_SEED_BASE=2000 simulates another set of seeds;
#        MMM_RECOVERY_LIFT_SE=0.1 calibrates each fit with one noisy holdout experiment per channel)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS="${1:-20}"
SCRATCH="${SCRATCH:-.build-mmm-release}"
MMM_RECOVERY_REPS="$REPS" swift test -c release --scratch-path "$SCRATCH" --filter MMMBenchmarkTests/testRecoveryRepetitions 2>&1 \
  | grep -E "^rep|^SUMMARY|error|passed|failed" 
