"""Time to score 1,000,000 synthetic predictions with 1,000 bootstrap resamples.

Cases mimic the seed dataset's mix (about 2/3 supported, 1/4 refuted with one error span each,
the rest not_enough_info); predictions are right about 70% of the time and name a span on half
of the refuted ones. Building the records is not timed; `score()` is, split into its two parts.

    python perf/scoring.py [--n 1000000] [--resamples 1000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from benchmark.metrics import bootstrap
from benchmark.records import LABELS, Case, ErrorAnnotation
from benchmark.scoring import build_table, metric_values, score


def synthetic(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    gold = rng.choice(3, n, p=[0.68, 0.28, 0.04])
    right = rng.random(n) < 0.7
    pred = np.where(right, gold, (gold + rng.integers(1, 3, n)) % 3)
    named = rng.random(n) < 0.5
    cats = rng.integers(0, 6, n)
    claim = "Lee Myung-bak arrived in Beijing on Sunday."
    err = ErrorAnnotation("wrong-person", "Lee Myung-bak", 0, 13, "Lee Jae-myung", "major")
    cases, preds = [], {}
    for i in range(n):
        cid = f"c{i}"
        g = LABELS[gold[i]]
        errors = (ErrorAnnotation(["wrong-person", "transliteration", "mistranslation",
                                   "wrong-title-or-organisation", "boilerplate-or-residue",
                                   "other"][cats[i]], err.span, 0, 13, err.correction,
                                  "major"),) if g == "refuted" else ()
        cases.append(Case(cid, claim, 0, len(claim), g, errors))
        p = {"case_id": cid, "label": LABELS[pred[i]], "confidence": float(pred[i] == 1),
             "error": None}
        if pred[i] == 1 and named[i]:
            p["errors"] = [{"span": "Lee Myung-bak", "correction": "Lee Jae-myung"}]
        preds[cid] = p
    return cases, preds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--resamples", type=int, default=1000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    cases, preds = synthetic(args.n)
    print(f"built {args.n:,} cases and predictions in {time.perf_counter() - t0:.1f} s (untimed)")

    t0 = time.perf_counter()
    table = build_table(cases, preds)
    t_table = time.perf_counter() - t0
    t0 = time.perf_counter()
    est = bootstrap(table.features, metric_values, n_resamples=args.resamples)
    t_boot = time.perf_counter() - t0
    print(f"per-case features: {t_table:.2f} s ({args.n / t_table:,.0f} cases/s)")
    print(f"bootstrap, {args.resamples} resamples, every metric: {t_boot:.2f} s")
    acc = est["accuracy"]
    print(f"accuracy {acc.value:.4f} [{acc.ci_low:.4f}, {acc.ci_high:.4f}]")

    t0 = time.perf_counter()
    report = score(cases, preds, n_resamples=args.resamples)
    total = time.perf_counter() - t0
    print(f"full score() report (with calibration): {total:.2f} s "
          f"(calibration intervals are skipped above {20_000:,} cases)")
    assert report["counts"]["cases"] == args.n


if __name__ == "__main__":
    main()
