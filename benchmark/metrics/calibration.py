"""Calibration of the probability that a claim is refuted: Brier score, ECE and ROC AUC."""

from __future__ import annotations

import numpy as np


def brier_score(y_true, prob) -> float:
    """Mean squared difference between the probability and the 0/1 outcome (lower is better)."""
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(prob, dtype=float)
    return float(np.mean((p - y) ** 2)) if len(y) else float("nan")


def expected_calibration_error(y_true, prob, n_bins: int = 10) -> float:
    """ECE with ``n_bins`` equal-width bins over [0, 1]: the bin-size-weighted mean of
    |observed frequency - mean probability|. A probability of exactly 1.0 falls in the last bin."""
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(prob, dtype=float)
    if not len(y):
        return float("nan")
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    total = 0.0
    for b in np.unique(bins):
        m = bins == b
        total += m.sum() * abs(y[m].mean() - p[m].mean())
    return float(total / len(y))


def reliability_bins(y_true, prob, n_bins: int = 10):
    """Per bin: (mean probability, observed frequency, count), for a reliability diagram."""
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(prob, dtype=float)
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    out = []
    for b in range(n_bins):
        m = bins == b
        if m.any():
            out.append((float(p[m].mean()), float(y[m].mean()), int(m.sum())))
    return out


def roc_auc(y_true, score) -> float:
    """Area under the ROC curve via the rank-sum (Mann-Whitney) identity, ties averaged.
    Undefined (NaN) when only one class is present."""
    y = np.asarray(y_true, dtype=bool)
    s = np.asarray(score, dtype=float)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    sorted_s = s[order]
    # average ranks over ties
    _, first, counts = np.unique(sorted_s, return_index=True, return_counts=True)
    avg = first + (counts + 1) / 2.0
    ranks[order] = np.repeat(avg, counts)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
