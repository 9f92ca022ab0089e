"""Scoring a set of predictions against a dataset: the full report and the headline summary.

Missing and failed predictions count as wrong everywhere ("no answer"): never the right label,
never a detection, always a false alarm on a supported claim, never a located span.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .dataset import Dataset
from .errors import InputError
from .metrics import (
    balanced_accuracy,
    bootstrap,
    brier_score,
    case_span_counts,
    confusion_matrix,
    detection_rate,
    expected_calibration_error,
    macro_f1,
    precision_recall_f1,
    roc_auc,
    span_scores,
    wilson_interval,
)
from .metrics.stats import DEFAULT_RESAMPLES, DEFAULT_SEED, percentile_interval
from .records import CATEGORIES, LABELS, Case

NO_ANSWER = len(LABELS)
SUPPORTED, REFUTED = LABELS.index("supported"), LABELS.index("refuted")
GOLD, PRED, STRICT, CAT, MAJOR, NPRED, NPM, NGOLD, NGM, NGC = range(10)
HEADLINE = ("accuracy", "macro_f1", "balanced_accuracy", "strict_score", "detection_rate",
            "false_alarm_rate", "span_f05")
CALIBRATION_BOOTSTRAP_MAX_N = 20_000


@dataclass
class CaseTable:
    """Per-case integer features (see the column constants) plus confidences."""

    ids: list[str]
    features: np.ndarray
    confidence: np.ndarray  # probability of refuted; NaN where not given or failed
    n_failed: int
    n_missing: int


def build_table(cases: list[Case], predictions: dict[str, dict[str, Any]]) -> CaseTable:
    n = len(cases)
    feats = np.zeros((n, 10), dtype=np.int64)
    conf = np.full(n, np.nan)
    failed = missing = 0
    label_code = {lab: i for i, lab in enumerate(LABELS)}
    cat_bit = {cat: 1 << i for i, cat in enumerate(CATEGORIES)}
    for i, case in enumerate(cases):
        pred = predictions.get(case.id)
        if pred is None:
            missing += 1
            code = NO_ANSWER
        elif pred.get("error"):
            failed += 1
            code = NO_ANSWER
        else:
            code = label_code.get(pred.get("label"), NO_ANSWER)
        gold = label_code[case.label]
        cat = major = 0
        for e in case.errors:
            bit = cat_bit[e.category]
            cat |= bit
            if e.severity == "major":
                major |= bit
        gold_spans = [(e.start, e.end, e.correction) for e in case.errors]
        pred_spans = []
        if code == REFUTED:
            pred_spans = [(e.get("span") or "", e.get("correction"))
                          for e in pred.get("errors") or ()]
            if pred.get("confidence") is not None:
                conf[i] = float(pred["confidence"])
        elif code != NO_ANSWER and pred.get("confidence") is not None:
            conf[i] = float(pred["confidence"])
        counts = case_span_counts(case.claim, gold_spans, pred_spans) if gold_spans else (
            len(pred_spans), 0, 0, 0, 0)
        located = counts[3] > 0 if gold_spans else True
        strict = int(code == gold and located)
        feats[i] = (gold, code, strict, cat, major, *counts)
    return CaseTable([c.id for c in cases], feats, conf, failed, missing)


def metric_values(rows: np.ndarray, w: np.ndarray | None) -> dict[str, Any]:
    """Every bootstrappable metric from feature rows and (possibly batched) case weights."""
    if w is None:
        w = np.ones(len(rows))
    gold, pred = rows[:, GOLD], rows[:, PRED]
    cm = confusion_matrix(gold, pred, len(LABELS), w)
    total = cm.sum((-1, -2))
    out: dict[str, Any] = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        out["accuracy"] = np.trace(cm[..., : len(LABELS)], axis1=-2, axis2=-1) / total
    out["macro_f1"] = macro_f1(cm)
    out["balanced_accuracy"] = balanced_accuracy(cm, REFUTED)
    out["strict_score"] = (w @ rows[:, STRICT]) / w.sum(-1)
    flagged = pred == REFUTED
    out["detection_rate"] = detection_rate(flagged, gold == REFUTED, w)
    out["false_alarm_rate"] = detection_rate(flagged | (pred == NO_ANSWER), gold == SUPPORTED, w)
    spans = span_scores(rows[:, NPRED], rows[:, NPM], rows[:, NGOLD], rows[:, NGM], rows[:, NGC],
                        w)
    out.update(spans)
    p, r, f = precision_recall_f1(cm)
    for i, lab in enumerate(LABELS):
        out[f"precision.{lab}"] = p[..., i]
        out[f"recall.{lab}"] = r[..., i]
        out[f"f1.{lab}"] = f[..., i]
    for i, cat in enumerate(CATEGORIES):
        out[f"detection.{cat}"] = detection_rate(flagged, (rows[:, CAT] >> i) & 1, w)
        out[f"detection_major.{cat}"] = detection_rate(flagged, (rows[:, MAJOR] >> i) & 1, w)
    out["detection_rate_major"] = detection_rate(flagged, rows[:, MAJOR] > 0, w)
    return out


def select_cases(dataset: Dataset, split: str | None = None, limit: int | None = None) -> list[Case]:
    return list(itertools.islice(dataset.iter_cases(split), limit))


def score(cases: list[Case], predictions: dict[str, dict[str, Any]], *,
          n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The full metric report (JSON-friendly) of ``predictions`` on ``cases``."""
    known = {c.id for c in cases}
    unknown = [cid for cid in predictions if cid not in known]
    if unknown:
        raise InputError(f"Predictions name {len(unknown)} case id(s) not in the dataset "
                         f"selection, e.g. '{unknown[0]}'.")
    table = build_table(cases, predictions)
    est = bootstrap(table.features, metric_values, n_resamples=n_resamples, seed=seed)
    feats = table.features
    cm = confusion_matrix(feats[:, GOLD], feats[:, PRED], len(LABELS))
    report: dict[str, Any] = {
        "counts": {"cases": len(cases), "answered": len(cases) - table.n_failed - table.n_missing,
                   "failed": table.n_failed, "missing": table.n_missing},
        "bootstrap": {"resamples": n_resamples, "seed": seed, "level": 0.95},
        "headline": {k: est[k].as_dict() for k in HEADLINE},
        "per_label": {
            lab: {"precision": est[f"precision.{lab}"].as_dict(),
                  "recall": est[f"recall.{lab}"].as_dict(),
                  "f1": est[f"f1.{lab}"].as_dict(),
                  "support": int((feats[:, GOLD] == i).sum())}
            for i, lab in enumerate(LABELS)
        },
        "confusion_matrix": {"rows": list(LABELS), "columns": [*LABELS, "no answer"],
                             "matrix": cm.astype(int).tolist()},
        "detection": {
            cat: _detection_entry(feats, i, est[f"detection.{cat}"],
                                  est[f"detection_major.{cat}"])
            for i, cat in enumerate(CATEGORIES) if ((feats[:, CAT] >> i) & 1).any()
        },
        "detection_rate_major": est["detection_rate_major"].as_dict(),
        "span": {k: est[k].as_dict() for k in ("span_precision", "span_recall", "span_f05",
                                                 "correction_accuracy")},
        "calibration": calibration(table, n_resamples, seed),
    }
    return report


def _detection_entry(feats: np.ndarray, bit: int, rate, rate_major) -> dict[str, Any]:
    """One category's detection rate: bootstrap interval, plus a Wilson interval that stays
    honest when a category has only a few cases."""
    has = ((feats[:, CAT] >> bit) & 1).astype(bool)
    has_major = ((feats[:, MAJOR] >> bit) & 1).astype(bool)
    flagged = feats[:, PRED] == REFUTED
    n, k = int(has.sum()), int((has & flagged).sum())
    lo, hi = wilson_interval(k, n)
    return {"rate": rate.as_dict(), "n": n, "detected": k,
            "wilson": [round(lo, 6), round(hi, 6)],
            "rate_major": rate_major.as_dict(), "n_major": int(has_major.sum())}


def calibration(table: CaseTable, n_resamples: int, seed: int) -> dict[str, Any] | None:
    """Brier, ECE and AUC of the refuted-probability over cases that gave one."""
    has = ~np.isnan(table.confidence)
    if not has.any():
        return None
    y = (table.features[has, GOLD] == REFUTED).astype(float)
    p = table.confidence[has]
    values = {"brier": brier_score(y, p), "ece": expected_calibration_error(y, p),
              "roc_auc": roc_auc(y, p)}
    out: dict[str, Any] = {"n": int(has.sum())}
    boots: dict[str, list[float]] = {k: [] for k in values}
    if len(y) <= CALIBRATION_BOOTSTRAP_MAX_N:
        rng = np.random.default_rng(seed)
        for _ in range(n_resamples):
            idx = rng.integers(0, len(y), len(y))
            boots["brier"].append(brier_score(y[idx], p[idx]))
            boots["ece"].append(expected_calibration_error(y[idx], p[idx]))
            boots["roc_auc"].append(roc_auc(y[idx], p[idx]))
    for key, value in values.items():
        lo, hi = percentile_interval(np.array(boots[key])) if boots[key] else (math.nan, math.nan)
        out[key] = {"value": None if math.isnan(value) else round(value, 6),
                    "ci_low": None if math.isnan(lo) else round(lo, 6),
                    "ci_high": None if math.isnan(hi) else round(hi, 6)}
    return out


def headline_summary(dataset: Dataset, predictions: dict[str, dict[str, Any]], *,
                     split: str | None = None, limit: int | None = None) -> dict[str, Any]:
    """What a run record keeps: the headline metrics with intervals and the answer counts."""
    report = score(select_cases(dataset, split, limit), predictions)
    return {"headline": report["headline"], "counts": report["counts"],
            "detection": {k: v["rate"]["value"] for k, v in report["detection"].items()},
            "bootstrap": report["bootstrap"]}
