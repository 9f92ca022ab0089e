"""Claim-level classification metrics over integer-coded labels.

Labels are codes ``0..L-1``; a missing or failed prediction is coded ``L`` ("no answer") and is
always wrong. Conventions (documented in README, checked against scikit-learn in tests):
precision of a label never predicted and recall of a label never present are undefined (NaN);
macro-F1 counts such a label's F1 as 0, like scikit-learn's ``zero_division=0``.
"""

from __future__ import annotations

import numpy as np

from ._weights import ratio, weights


def confusion_matrix(y_true, y_pred, n_labels: int, sample_weight=None) -> np.ndarray:
    """Counts ``[..., true, pred]`` of shape ``(L, L+1)``; the last column is "no answer"."""
    y_true = np.asarray(y_true, dtype=np.int64)
    y_pred = np.asarray(y_pred, dtype=np.int64)
    w = weights(sample_weight, len(y_true))
    cols = n_labels + 1
    code = y_true * cols + np.clip(y_pred, 0, n_labels)
    if w.ndim == 1:
        return np.bincount(code, weights=w, minlength=n_labels * cols).reshape(n_labels, cols)
    onehot = np.zeros((len(code), n_labels * cols))
    onehot[np.arange(len(code)), code] = 1.0
    return (w @ onehot).reshape(w.shape[:-1] + (n_labels, cols))


def accuracy(y_true, y_pred, sample_weight=None):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    w = weights(sample_weight, len(y_true))
    return ratio(w @ (y_true == y_pred), w.sum(-1))


def precision_recall_f1(cm: np.ndarray):
    """Per-label precision, recall and F1 from a confusion matrix ``[..., L, L+1]``.

    Returns three arrays ``[..., L]``; undefined values are NaN.
    """
    n_labels = cm.shape[-2]
    tp = np.diagonal(cm[..., :n_labels], axis1=-2, axis2=-1)
    predicted = cm[..., :n_labels].sum(-2)
    actual = cm.sum(-1)
    precision = ratio(tp, predicted)
    recall = ratio(tp, actual)
    with np.errstate(invalid="ignore"):
        f1 = ratio(2 * tp, predicted + actual)
    return precision, recall, f1


def macro_f1(cm: np.ndarray):
    """Mean F1 over the fixed label list; a label with no true and no predicted case counts 0."""
    _, _, f1 = precision_recall_f1(cm)
    return np.nan_to_num(np.asarray(f1, dtype=float), nan=0.0).mean(-1)


def binary_rates(cm: np.ndarray, positive: int):
    """(TPR, TNR) of the decision "is ``positive``"; no answer counts as the wrong decision."""
    n_labels = cm.shape[-2]
    pos_row = cm[..., positive, :]
    tp = pos_row[..., positive]
    neg_rows = np.delete(cm, positive, axis=-2)
    neg_cols = [j for j in range(n_labels) if j != positive]  # excludes "no answer"
    tn = neg_rows[..., neg_cols].sum((-1, -2))
    return ratio(tp, pos_row.sum(-1)), ratio(tn, neg_rows.sum((-1, -2)))


def balanced_accuracy(cm: np.ndarray, positive: int):
    """Mean of TPR and TNR of the binary decision; NaN if a class is absent."""
    tpr, tnr = binary_rates(cm, positive)
    return (np.asarray(tpr) + np.asarray(tnr)) / 2
