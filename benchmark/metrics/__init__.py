"""Metrics as pure functions of arrays (scikit-learn style ``metric(y_true, y_pred)``)."""

from .calibration import brier_score, expected_calibration_error, reliability_bins, roc_auc
from .classification import (
    accuracy,
    balanced_accuracy,
    binary_rates,
    confusion_matrix,
    macro_f1,
    precision_recall_f1,
)
from .detection import detection_rate, false_alarm_rate
from .spans import case_span_counts, f_beta, normalise, span_scores
from .stats import (
    Estimate,
    PairedResult,
    bootstrap,
    mcnemar_exact,
    paired_bootstrap,
    wilson_interval,
)

__all__ = [
    "Estimate", "PairedResult", "accuracy", "balanced_accuracy", "binary_rates", "bootstrap",
    "brier_score", "case_span_counts", "confusion_matrix", "detection_rate",
    "expected_calibration_error", "f_beta", "false_alarm_rate", "macro_f1", "mcnemar_exact",
    "normalise", "paired_bootstrap", "precision_recall_f1", "reliability_bins", "roc_auc",
    "span_scores", "wilson_interval",
]
