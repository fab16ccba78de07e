#!/usr/bin/env python3
"""How precisely can *any* estimator recover each channel's total contribution in the MMM recovery study?

For every repetition of benchmarks/mmm_recovery.sh (same channels x weeks x seed scheme), this script takes the
simulated weekly data and the true parameters from Tarn (`simulate_mmm`, `simulate_mmm_truth`) and computes the
Cramer-Rao lower bound on the variance of an unbiased estimate of each channel's total contribution
C_c = sum_t beta_c * logistic(adstock(u_c; alpha_c)_t; lambda_c), from the Gaussian model's Fisher information
I = J'J / sigma^2 at the true parameters (J = d mu / d theta, numerically, independent of Tarn's code).

Two oracles, both better informed than any real fit (Tarn's or PyMC-Marketing's):
  * "shape oracle": knows the baseline's exact functional form (the concave trend, the calendar seasonality,
    the event weeks), so only their coefficients, and every channel's alpha, lambda and beta, are unknown;
  * "curve oracle": additionally knows every alpha and lambda (the model is then linear in the rest).
With the bound's sd, an efficient unbiased estimate lands within 10% of the truth with probability
erf(0.1 / (sd_rel * sqrt 2)); summed over channels that is the most channels such an estimator can be expected to
get within 10%, and the product is the chance of getting all of them.

With --check, each repetition is also fitted by Tarn (`mmm()` with its defaults, as the recovery study fits it) and
the width of every channel's 90% contribution interval is compared with the bound's 90% width (2 x 1.645 sd of the
shape oracle): a ratio well below 1 would be an interval narrower than the data can justify (overconfident), one
far above 1 information the fit leaves unused. The check fails outside [0.75, 1.6] (the bound is taken at the true
parameters, the posterior at the data's; over the 70 channels of the study the ratio ranges 0.84-1.34).

Usage: TARN_BIN=.build/release/tarn benchmarks/mmm_information_bound.py [--check] [reps]
       (MMM_RECOVERY_SEED_BASE=1000 as in benchmarks/mmm_recovery.sh)
"""
import csv
import datetime
import io
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

LAGS = 8
WEEKS_CYCLE = [104, 156, 208]


def tarn_rows(tarn, lake, sql):
    out = subprocess.run([tarn, lake, "-c", sql, "--format", "csv"], check=True, capture_output=True, text=True)
    return list(csv.DictReader(io.StringIO(out.stdout)))


def adstock(u, alpha):
    """Normalised geometric adstock with LAGS weights (zeros before the first week)."""
    w = alpha ** np.arange(LAGS)
    w /= w.sum()
    out = np.zeros_like(u)
    for lag in range(LAGS):
        out[lag:] += w[lag] * u[: len(u) - lag]
    return out


def logistic(x, lam):
    e = np.exp(-lam * x)
    return (1 - e) / (1 + e)


def channel_effect(u, beta, alpha, lam):
    return beta * logistic(adstock(u, alpha), lam)


def bound(rows, truth, noise_sd, amplitude):
    n = len(rows)
    t = np.arange(n)
    days = [datetime.date.fromisoformat(r["week"]) for r in rows]
    doy = np.array([d.timetuple().tm_yday for d in days], dtype=float)
    y = np.array([float(r["revenue"]) for r in rows])
    # The baseline's shapes exactly as the simulator draws them; the oracle knows these, not their coefficients.
    trend = (50 * t / (n - 1) + 10) ** 0.25 - 1
    season_sin = -np.sin(2 * 2 * np.pi * doy / 365.5)
    season_cos = np.cos(2 * np.pi * doy / 365.5)
    events = [np.array([float(r["event_1"]) for r in rows]), np.array([float(r["event_2"]) for r in rows])]
    baseline_columns = [amplitude * c for c in [np.ones(n), trend, season_sin, season_cos] + events]
    true_baseline_coefficients = [2.0, 1, 0.5, 0.5, 1.5, 2.5]   # intercept, trend, ½·seasonality, events

    channels = []
    for c in truth:
        u = np.array([float(r[c["channel"]]) for r in rows]) / float(c["spend_scale"])
        channels.append((c, u, float(c["beta"]), float(c["alpha"]), float(c["lambda"])))

    # Consistency: the true contributions recomputed here equal Tarn's truth table (spend is rounded to cents).
    for c, u, beta, alpha, lam in channels:
        mine = channel_effect(u, beta, alpha, lam).sum()
        theirs = float(c["contribution"])
        if abs(mine / theirs - 1) > 1e-4:
            raise SystemExit(f"{c['channel']}: recomputed contribution {mine} != simulate_mmm_truth {theirs}")
    # And the residual of the truth is the simulator's noise (a check that the shapes above are the simulator's).
    mu = sum(k * col for k, col in zip(true_baseline_coefficients, baseline_columns))
    mu = mu + sum(channel_effect(u, b, a, l) for _, u, b, a, l in channels)
    residual_sd = np.std(y - mu)
    if not 0.7 * noise_sd < residual_sd < 1.3 * noise_sd:
        raise SystemExit(f"residual sd {residual_sd:.1f} of the true mean is not the simulator's noise {noise_sd}")

    def jac(fn, x, h):
        return (fn(x + h) - fn(x - h)) / (2 * h)

    media_columns, gradients = [], []
    for c, u, beta, alpha, lam in channels:
        d_beta = channel_effect(u, 1.0, alpha, lam)
        d_alpha = jac(lambda a: channel_effect(u, beta, a, lam), alpha, 1e-6)
        d_lam = jac(lambda l: channel_effect(u, beta, alpha, l), lam, 1e-6)
        media_columns.append([d_beta, d_alpha, d_lam])
        # Gradient of C = sum_t effect_t with respect to (beta, alpha, lambda).
        gradients.append(np.array([d_beta.sum(), d_alpha.sum(), d_lam.sum()]))

    def contribution_sd(with_curves):
        cols = list(baseline_columns)
        index = []
        for mc in media_columns:
            index.append(len(cols))
            cols.extend(mc if with_curves else mc[:1])
        J = np.column_stack(cols)
        cov = np.linalg.inv(J.T @ J / noise_sd**2)
        sds = []
        for k, (g, (c, *_)) in enumerate(zip(gradients, channels)):
            width = 3 if with_curves else 1
            sl = slice(index[k], index[k] + width)
            gk = g[:width]
            sds.append(math.sqrt(gk @ cov[sl, sl] @ gk) / float(c["contribution"]))
        return sds

    return [c["channel"] for c, *_ in channels], contribution_sd(True), contribution_sd(False)


CHECK_RANGE = (0.75, 1.6)


def fitted_widths(tarn, lake, args, names, r):
    """Tarn's posterior 90% contribution interval width relative to its mean, per channel."""
    table = f"sim_{r}"
    tarn_rows(tarn, lake, f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM simulate_mmm({args})")
    channel_list = ", ".join(f"'{n}'" for n in names)
    tarn_rows(tarn, lake, f"CREATE OR REPLACE MODEL m_{r} AS mmm(TABLE {table}, date => 'week', target => 'revenue', "
                          f"channels => ARRAY[{channel_list}], controls => ARRAY['event_1', 'event_2'], "
                          f"seasonality => 2, trend => true, seed => {r})")
    roi = {row["channel"]: row for row in tarn_rows(tarn, lake, f"SELECT * FROM mmm_roi('m_{r}')")}
    return [(float(roi[n]["contribution_high"]) - float(roi[n]["contribution_low"])) / float(roi[n]["contribution"])
            for n in names]


def main():
    argv = sys.argv[1:]
    check = "--check" in argv
    argv = [a for a in argv if a != "--check"]
    reps = int(argv[0]) if argv else 20
    failures = []
    base = int(os.environ.get("MMM_RECOVERY_SEED_BASE", "1000"))
    tarn = os.environ.get("TARN_BIN", ".build/release/tarn")
    expected_shape = expected_curve = 0.0
    log_all_shape = log_all_curve = 0.0
    count = 0
    by_channel = {}
    with tempfile.TemporaryDirectory() as lake:
        for r in range(reps):
            channels, weeks, seed = 2 + r % 4, WEEKS_CYCLE[r % 3], base + r
            args = f"weeks => {weeks}, channels => {channels}, seed => {seed}"
            rows = tarn_rows(tarn, lake, f"SELECT * FROM simulate_mmm({args})")
            truth = tarn_rows(tarn, lake, f"SELECT * FROM simulate_mmm_truth({args})")
            names, shape_sd, curve_sd = bound(rows, truth, noise_sd=250.0, amplitude=1000.0)
            parts = []
            for name, s1, s2 in zip(names, shape_sd, curve_sd):
                p1, p2 = math.erf(0.1 / (s1 * math.sqrt(2))), math.erf(0.1 / (s2 * math.sqrt(2)))
                expected_shape += p1
                expected_curve += p2
                log_all_shape += math.log(p1)
                log_all_curve += math.log(p2)
                count += 1
                by_channel.setdefault(name, []).append((s1, p1))
                parts.append(f"{name} sd {100 * s1:.1f}% P {p1:.2f} (curves known: sd {100 * s2:.1f}% P {p2:.2f})")
            print(f"rep {r} {channels}x{weeks} seed {seed}: " + ", ".join(parts))
            if check:
                widths = fitted_widths(tarn, lake, args, names, r)
                ratios = [w / (2 * 1.645 * s) for w, s in zip(widths, shape_sd)]
                print(f"  tarn 90% interval / bound's: " +
                      ", ".join(f"{n} {100 * w:.0f}% / {329 * s:.0f}% = {q:.2f}" for n, w, s, q in zip(names, widths, shape_sd, ratios)))
                failures += [f"rep {r} {n}: ratio {q:.2f}" for n, q in zip(names, ratios)
                             if not CHECK_RANGE[0] <= q <= CHECK_RANGE[1]]
    print(f"BOUND shape oracle: expected channels within 10% = {expected_shape:.1f}/{count}; "
          f"P(all {count} within 10%) = {math.exp(log_all_shape):.1e}")
    print(f"BOUND curve oracle (alpha, lambda known): expected = {expected_curve:.1f}/{count}; "
          f"P(all {count} within 10%) = {math.exp(log_all_curve):.1e}")
    for name, values in by_channel.items():
        sds = [s for s, _ in values]
        print(f"BOUND {name}: mean sd {100 * sum(sds) / len(sds):.1f}% (90% interval about +-{164.5 * sum(sds) / len(sds):.0f}%), "
              f"expected within 10% {sum(p for _, p in values):.1f}/{len(values)}")
    if check:
        if failures:
            print("CHECK FAILED: Tarn's contribution intervals outside " + f"{CHECK_RANGE} x the information bound: " + "; ".join(failures))
            sys.exit(1)
        print(f"CHECK OK: every channel's 90% contribution interval is {CHECK_RANGE[0]}-{CHECK_RANGE[1]} x the information bound's")


if __name__ == "__main__":
    main()
