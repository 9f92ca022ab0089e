"""Metrics against scikit-learn on random inputs, and against hand-computed small cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn import metrics as skm

from benchmark.metrics import (
    accuracy,
    balanced_accuracy,
    brier_score,
    case_span_counts,
    confusion_matrix,
    expected_calibration_error,
    f_beta,
    macro_f1,
    mcnemar_exact,
    normalise,
    precision_recall_f1,
    roc_auc,
    span_scores,
)
from benchmark.metrics.stats import bootstrap, paired_bootstrap

L = 3
SEEDS = range(40)


def random_labels(seed, n=None, with_missing=False):
    rng = np.random.default_rng(seed)
    n = n or int(rng.integers(5, 200))
    y_true = rng.integers(0, L, n)
    y_pred = rng.integers(0, L + (1 if with_missing else 0), n)
    if rng.random() < 0.3:  # sometimes a label is never predicted or absent
        y_pred[y_pred == 2] = 0
    if rng.random() < 0.3:
        y_true[y_true == 1] = 0
    return y_true, y_pred


@pytest.mark.parametrize("seed", SEEDS)
def test_classification_metrics_match_sklearn(seed):
    y_true, y_pred = random_labels(seed)
    cm = confusion_matrix(y_true, y_pred, L)
    assert np.array_equal(cm[:, :L], skm.confusion_matrix(y_true, y_pred, labels=range(L)))
    assert accuracy(y_true, y_pred) == pytest.approx(skm.accuracy_score(y_true, y_pred))
    assert macro_f1(cm) == pytest.approx(
        skm.f1_score(y_true, y_pred, labels=range(L), average="macro", zero_division=0))
    p, r, f = precision_recall_f1(cm)
    sk_p, sk_r, sk_f, _ = skm.precision_recall_fscore_support(
        y_true, y_pred, labels=range(L), zero_division=np.nan)
    np.testing.assert_allclose(p, sk_p, equal_nan=True)
    np.testing.assert_allclose(r, sk_r, equal_nan=True)
    sk_f0 = skm.f1_score(y_true, y_pred, labels=range(L), average=None, zero_division=0)
    np.testing.assert_allclose(np.nan_to_num(f), sk_f0)
    bin_true, bin_pred = y_true == 1, y_pred == 1
    if bin_true.any() and (~bin_true).any():
        assert balanced_accuracy(cm, 1) == pytest.approx(
            skm.balanced_accuracy_score(bin_true, bin_pred))


@pytest.mark.parametrize("seed", SEEDS)
def test_missing_answers_count_as_wrong(seed):
    y_true, y_pred = random_labels(seed, with_missing=True)
    cm = confusion_matrix(y_true, y_pred, L)
    # sklearn sees "no answer" as a 4th label that is never right
    assert accuracy(y_true, y_pred) == pytest.approx(skm.accuracy_score(y_true, y_pred))
    assert macro_f1(cm) == pytest.approx(
        skm.f1_score(y_true, y_pred, labels=range(L), average="macro", zero_division=0))
    bin_true = y_true == 1
    bin_pred = np.where(y_pred == L, ~bin_true, y_pred == 1)  # no answer = wrong decision
    if bin_true.any() and (~bin_true).any():
        assert balanced_accuracy(cm, 1) == pytest.approx(
            skm.balanced_accuracy_score(bin_true, bin_pred))


@pytest.mark.parametrize("seed", SEEDS)
def test_weighted_metrics_match_sklearn_sample_weight(seed):
    y_true, y_pred = random_labels(seed)
    w = np.random.default_rng(seed + 1000).integers(0, 4, len(y_true)).astype(float)
    if w.sum() == 0:
        w[0] = 1
    cm = confusion_matrix(y_true, y_pred, L, w)
    assert accuracy(y_true, y_pred, w) == pytest.approx(
        skm.accuracy_score(y_true, y_pred, sample_weight=w))
    assert macro_f1(cm) == pytest.approx(skm.f1_score(
        y_true, y_pred, labels=range(L), average="macro", zero_division=0, sample_weight=w))
    # batched weights give the same as one at a time
    W = np.stack([w, np.ones_like(w)])
    np.testing.assert_allclose(accuracy(y_true, y_pred, W),
                               [accuracy(y_true, y_pred, w), accuracy(y_true, y_pred)])
    np.testing.assert_allclose(confusion_matrix(y_true, y_pred, L, W)[0], cm)


@pytest.mark.parametrize("seed", SEEDS)
def test_calibration_matches_sklearn(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(10, 300))
    y = rng.integers(0, 2, n)
    p = np.round(rng.random(n), int(rng.integers(1, 4)))  # rounding makes ties
    assert brier_score(y, p) == pytest.approx(skm.brier_score_loss(y, p))
    if 0 < y.sum() < n:
        assert roc_auc(y, p) == pytest.approx(skm.roc_auc_score(y, p))


def test_roc_auc_undefined_with_one_class():
    assert math.isnan(roc_auc([1, 1, 1], [0.2, 0.5, 0.9]))


def test_ece_hand_computed():
    # bins of width 0.1: [0.05, 0.15] -> bins 0 and 1; 0.95, 1.0 -> bin 9
    y = [0, 0, 1, 1, 1]
    p = [0.05, 0.15, 0.95, 1.0, 0.15]
    # bin0: n=1, freq 0, conf .05 -> .05; bin1: n=2, freq .5, conf .15 -> .35;
    # bin9: n=2, freq 1, conf .975 -> .025
    expected = (1 * 0.05 + 2 * 0.35 + 2 * 0.025) / 5
    assert expected_calibration_error(y, p) == pytest.approx(expected)


def test_span_counts_hand_computed():
    claim = "Lee Myung-bak met Wei and Li Qiang."
    gold = [(0, 13, "Lee Jae-myung"), (18, 21, "Wi")]
    # one exact hit with right correction, one overlapping hit with wrong correction,
    # one span that overlaps nothing, one not in the claim at all
    predicted = [("Myung-bak", "Jae-myung"), ("Wei", "Wee"), ("Li Qiang", "x"), ("Moon", "y")]
    assert case_span_counts(claim, gold, predicted) == (4, 2, 2, 2, 0)
    predicted = [("Lee Myung-bak", "lee jae myung"), ("wei", "Wi")]  # normalised matches
    assert case_span_counts(claim, gold, predicted) == (2, 2, 2, 2, 2)
    assert case_span_counts(claim, gold, []) == (0, 0, 2, 0, 0)


def test_span_scores_and_empty_conventions():
    s = span_scores([4, 0], [2, 0], [2, 1], [2, 0], [1, 0])
    assert s["span_precision"] == pytest.approx(0.5)
    assert s["span_recall"] == pytest.approx(2 / 3)
    p, r = 0.5, 2 / 3
    assert s["span_f05"] == pytest.approx(1.25 * p * r / (0.25 * p + r))
    assert s["correction_accuracy"] == pytest.approx(1 / 3)
    empty = span_scores([0, 0], [0, 0], [1, 1], [0, 0], [0, 0])
    assert math.isnan(empty["span_precision"])  # nothing predicted: undefined, not 1.0
    assert math.isnan(empty["span_f05"])
    assert empty["span_recall"] == 0.0
    assert f_beta(0.0, 0.0) == 0.0


def test_normalise():
    assert normalise("Lee Jae-myung") == normalise("lee jae myung") == "lee jae myung"
    assert normalise(None) is None
    assert normalise("") == ""


def _binom_tail(k, n):
    return sum(math.comb(n, i) for i in range(k + 1)) / 2**n


@pytest.mark.parametrize(("b", "c"), [(0, 0), (3, 0), (5, 9), (12, 12), (1, 30), (40, 25)])
def test_mcnemar_matches_exact_binomial(b, c):
    a = np.array([True] * b + [False] * c + [True] * 7 + [False] * 4)
    bb = np.array([False] * b + [True] * c + [True] * 7 + [False] * 4)
    got_b, got_c, p = mcnemar_exact(a, bb)
    assert (got_b, got_c) == (b, c)
    expected = 1.0 if b + c == 0 else min(1.0, 2 * _binom_tail(min(b, c), b + c))
    assert p == pytest.approx(expected, rel=1e-9)


def _acc_metrics(rows, w):
    return {"accuracy": accuracy(rows[:, 0], rows[:, 1], w)}


def test_bootstrap_covers_the_true_value_at_about_the_nominal_rate():
    rng = np.random.default_rng(7)
    true_acc, n, reps = 0.7, 80, 300
    covered = 0
    for i in range(reps):
        correct = rng.random(n) < true_acc
        rows = np.stack([np.zeros(n, int), np.where(correct, 0, 1)], axis=1)
        est = bootstrap(rows, _acc_metrics, n_resamples=500, seed=i)["accuracy"]
        covered += est.ci_low <= true_acc <= est.ci_high
    rate = covered / reps
    assert 0.90 <= rate <= 0.99, rate


def test_bootstrap_is_seeded_and_matches_index_resampling_in_distribution():
    rng = np.random.default_rng(1)
    n = 60
    rows = np.stack([rng.integers(0, 3, n), rng.integers(0, 3, n)], axis=1)
    a = bootstrap(rows, _acc_metrics, n_resamples=400, seed=5)["accuracy"]
    b = bootstrap(rows, _acc_metrics, n_resamples=400, seed=5)["accuracy"]
    assert a == b
    # classic index bootstrap: intervals agree within Monte Carlo error
    correct = rows[:, 0] == rows[:, 1]
    idx = np.random.default_rng(9).integers(0, n, (4000, n))
    lo, hi = np.quantile(correct[idx].mean(1), [0.025, 0.975])
    assert abs(a.ci_low - lo) < 0.04 and abs(a.ci_high - hi) < 0.04


def test_paired_bootstrap_detects_a_real_difference_and_not_noise():
    rng = np.random.default_rng(3)
    n = 300
    gold = rng.integers(0, 3, n)
    good = np.where(rng.random(n) < 0.9, gold, (gold + 1) % 3)
    bad = np.where(rng.random(n) < 0.6, gold, (gold + 1) % 3)
    res = paired_bootstrap(np.stack([gold, good], 1), np.stack([gold, bad], 1), _acc_metrics)
    assert res["accuracy"].difference > 0.2 and res["accuracy"].p_value < 0.01
    assert res["accuracy"].ci_low > 0
    same = paired_bootstrap(np.stack([gold, good], 1), np.stack([gold, good], 1), _acc_metrics)
    assert same["accuracy"].difference == 0 and same["accuracy"].p_value == 1.0


@pytest.mark.parametrize("seed", range(10))
def test_compress_matches_numpy_unique_rows(seed):
    from benchmark.metrics.stats import compress

    rng = np.random.default_rng(seed)
    feats = rng.integers(-3, 5, (500, 6))
    rows, counts = compress(feats)
    ref_rows, ref_counts = np.unique(feats, axis=0, return_counts=True)
    assert np.array_equal(rows, ref_rows) and np.array_equal(counts, ref_counts)
    wide = rng.integers(0, 2**40, (50, 3))  # too wide to pack: falls back to row-wise unique
    rows, counts = compress(wide)
    ref_rows, ref_counts = np.unique(wide, axis=0, return_counts=True)
    assert np.array_equal(rows, ref_rows) and np.array_equal(counts, ref_counts)


@pytest.mark.parametrize(
    ("k", "n", "lo", "hi"),
    [
        # hand-computed from the Wilson formula with z = 1.959964
        (8, 8, 0.675592, 1.0),
        (0, 4, 0.0, 0.489891),
        (13, 19, 0.460104, 0.846356),
        (1, 1, 0.206549, 1.0),
    ],
)
def test_wilson_interval_hand_computed(k, n, lo, hi):
    from benchmark.metrics import wilson_interval

    got = wilson_interval(k, n)
    assert got == pytest.approx((lo, hi), abs=1e-5)


def test_wilson_interval_undefined_for_empty():
    from benchmark.metrics import wilson_interval

    assert all(math.isnan(x) for x in wilson_interval(0, 0))
