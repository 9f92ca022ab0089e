"""Uncertainty: seeded bootstrap intervals, paired bootstrap differences and McNemar's exact test.

The bootstrap is exact and vectorised. A metric here depends on the cases only through a few
integer features per case, so cases with equal features are interchangeable. Resampling ``n``
cases with replacement is then the same as drawing, per distinct feature row, a count from
``Multinomial(n, row frequencies)``. Each resample is a weight vector over the distinct rows and
every metric accepts a ``(B, k)`` weight matrix, so 1,000 resamples cost one matrix product.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 20260104


def compress(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of an integer feature matrix ``(n, f)`` and how often each occurs."""
    features = np.ascontiguousarray(features, dtype=np.int64)
    if features.shape[0] == 0:
        return features, np.zeros(0, dtype=np.int64)
    lo = features.min(axis=0)
    span = features.max(axis=0) - lo + 1
    if float(np.prod(span.astype(float))) < 2.0**62:  # pack each row into one integer key
        strides = np.concatenate([np.cumprod(span[::-1])[::-1][1:], [1]])
        keys, counts = np.unique((features - lo) @ strides, return_counts=True)
        rows = (keys[:, None] // strides) % span + lo
        return rows, counts
    rows, counts = np.unique(features, axis=0, return_counts=True)
    return rows, counts


def resample_weights(counts: np.ndarray, n_resamples: int, seed: int) -> np.ndarray:
    """``(B, k)`` case counts per distinct row for ``B`` bootstrap resamples of ``n`` cases."""
    n = int(counts.sum())
    rng = np.random.default_rng(seed)
    return rng.multinomial(n, counts / n, size=n_resamples).astype(float)


def percentile_interval(samples: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval, ignoring resamples where the metric is undefined (NaN)."""
    s = np.asarray(samples, dtype=float)
    s = s[~np.isnan(s)]
    if not len(s):
        return float("nan"), float("nan")
    a = (1 - level) / 2
    lo, hi = np.quantile(s, [a, 1 - a])
    return float(lo), float(hi)


@dataclass(frozen=True)
class Estimate:
    value: float
    ci_low: float
    ci_high: float

    def as_dict(self) -> dict[str, float | None]:
        return {k: (None if math.isnan(v) else round(v, 6))
                for k, v in (("value", self.value), ("ci_low", self.ci_low),
                             ("ci_high", self.ci_high))}


MetricFn = Callable[[np.ndarray, np.ndarray | None], dict[str, np.ndarray | float]]


def bootstrap(features: np.ndarray, metrics: MetricFn, *, n_resamples: int = DEFAULT_RESAMPLES,
              seed: int = DEFAULT_SEED, level: float = 0.95) -> dict[str, Estimate]:
    """Point value and percentile interval of every metric ``metrics(rows, weights)`` returns."""
    rows, counts = compress(features)
    point = metrics(rows, counts.astype(float))
    if not len(counts):
        return {k: Estimate(float("nan"), float("nan"), float("nan")) for k in point}
    boot = metrics(rows, resample_weights(counts, n_resamples, seed))
    out = {}
    for key, value in point.items():
        lo, hi = percentile_interval(boot[key], level)
        out[key] = Estimate(float(value), lo, hi)
    return out


@dataclass(frozen=True)
class PairedResult:
    difference: float  # A - B
    ci_low: float
    ci_high: float
    p_value: float

    def as_dict(self) -> dict[str, float | None]:
        return {k: (None if math.isnan(v) else round(v, 6)) for k, v in self.__dict__.items()}


def paired_bootstrap(features_a: np.ndarray, features_b: np.ndarray, metrics: MetricFn, *,
                     n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                     level: float = 0.95) -> dict[str, PairedResult]:
    """Difference A - B of each metric with a paired bootstrap interval and two-sided p-value.

    Rows of A and B must be the same cases in the same order; cases are resampled jointly. The
    p-value uses the shifted bootstrap distribution: ``(1 + #{|d* - d| >= |d|}) / (B + 1)``.
    """
    fa = np.asarray(features_a, dtype=np.int64)
    fb = np.asarray(features_b, dtype=np.int64)
    width = fa.shape[1]
    rows, counts = compress(np.hstack([fa, fb]))
    w_point = counts.astype(float)
    weights = resample_weights(counts, n_resamples, seed)
    pa, pb = metrics(rows[:, :width], w_point), metrics(rows[:, width:], w_point)
    ba, bb = metrics(rows[:, :width], weights), metrics(rows[:, width:], weights)
    out = {}
    for key in pa:
        d = float(pa[key]) - float(pb[key])
        diffs = np.asarray(ba[key], dtype=float) - np.asarray(bb[key], dtype=float)
        lo, hi = percentile_interval(diffs, level)
        valid = diffs[~np.isnan(diffs)]
        if math.isnan(d) or not len(valid):
            p = float("nan")
        else:
            p = (1 + np.sum(np.abs(valid - d) >= abs(d) - 1e-12)) / (len(valid) + 1)
        out[key] = PairedResult(d, lo, hi, float(min(1.0, p)))
    return out


def mcnemar_exact(correct_a, correct_b) -> tuple[int, int, float]:
    """Exact two-sided McNemar test on paired right/wrong outcomes.

    Returns ``(b, c, p)``: ``b`` cases only A got right, ``c`` only B got right, and
    ``p = min(1, 2 * P(X <= min(b, c)))`` for ``X ~ Binomial(b + c, 1/2)``.
    """
    a = np.asarray(correct_a, dtype=bool)
    bb = np.asarray(correct_b, dtype=bool)
    b = int(np.sum(a & ~bb))
    c = int(np.sum(~a & bb))
    n = b + c
    if n == 0:
        return b, c, 1.0
    k = min(b, c)
    log_terms = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) - n * math.log(2)
                 for i in range(k + 1)]
    m = max(log_terms)
    tail = math.exp(m) * sum(math.exp(t - m) for t in log_terms)
    return b, c, min(1.0, 2 * tail)


def wilson_interval(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion. Unlike the percentile bootstrap it does not
    collapse to a point when all ``n`` cases agree (8/8 gives about [0.68, 1.00], not [1, 1]).
    NaN for ``n == 0``."""
    if n == 0:
        return float("nan"), float("nan")
    from statistics import NormalDist

    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    p = successes / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, centre - half), min(1.0, centre + half)

