"""Span-level metrics: did the system find the wrong words, and did it correct them?

Overlap rule: a predicted span is located in the claim (first exact occurrence, else first
case-insensitive one); it *matches* a gold error span when the half-open intervals overlap
(``a < d and c < b``). A predicted span not found in the claim matches nothing.

Per case we count: predicted spans, predicted spans that match some gold span, gold spans, gold
spans matched by some predicted span, and gold spans whose matching prediction also carries the
right correction. The corpus metrics are ratios of sums (micro-averages):

* span precision = matched predicted / predicted (NaN when nothing was predicted),
* span recall = matched gold / gold (NaN when there is no gold span),
* F-beta (beta = 0.5, precision weighted higher) — NaN if P or R is NaN, 0 when both are 0,
* correction accuracy = gold spans corrected right / gold spans.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from ._weights import ratio, weights

_PUNCT = re.compile(r"[\s\-\u2010-\u2015_.,;:!?\"'\u2018\u2019\u201c\u201d()]+")


def normalise(text: str | None) -> str | None:
    """Normalised form for correction matching: NFKC, case-folded, punctuation and hyphens as
    single spaces, trimmed. ``None`` (no correction given) stays ``None``."""
    if text is None:
        return None
    return _PUNCT.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def locate(claim: str, span: str) -> tuple[int, int] | None:
    if not span:
        return None
    i = claim.find(span)
    if i < 0:
        i = claim.casefold().find(span.casefold())
    return (i, i + len(span)) if i >= 0 else None


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def case_span_counts(claim: str, gold: list[tuple[int, int, str]],
                     predicted: list[tuple[str, str | None]]) -> tuple[int, int, int, int, int]:
    """Counts for one case.

    ``gold``: ``(start, end, correction)`` per gold error; ``predicted``: ``(span, correction)``.
    Returns ``(n_pred, n_pred_matched, n_gold, n_gold_matched, n_gold_corrected)``.
    """
    located = [(locate(claim, span), corr) for span, corr in predicted]
    pred_matched = sum(
        1 for loc, _ in located if loc and any(overlaps(loc, (g[0], g[1])) for g in gold)
    )
    gold_matched = corrected = 0
    for start, end, correction in gold:
        hits = [c for loc, c in located if loc and overlaps(loc, (start, end))]
        if hits:
            gold_matched += 1
            if any(normalise(c) is not None and normalise(c) == normalise(correction) for c in hits):
                corrected += 1
    return len(predicted), pred_matched, len(gold), gold_matched, corrected


def f_beta(precision, recall, beta: float = 0.5):
    p = np.asarray(precision, dtype=float)
    r = np.asarray(recall, dtype=float)
    b2 = beta * beta
    den = b2 * p + r
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(den > 0, (1 + b2) * p * r / np.where(den > 0, den, 1), 0.0)
    out = np.where(np.isnan(p) | np.isnan(r), np.nan, out)
    return out if out.ndim else float(out)


def span_scores(n_pred, n_pred_matched, n_gold, n_gold_matched, n_gold_corrected,
                sample_weight=None) -> dict[str, float | np.ndarray]:
    """Corpus span precision, recall, F0.5 and correction accuracy from per-case counts."""
    n_pred = np.asarray(n_pred, dtype=float)
    w = weights(sample_weight, len(n_pred))
    precision = ratio(w @ np.asarray(n_pred_matched, float), w @ n_pred)
    recall = ratio(w @ np.asarray(n_gold_matched, float), w @ np.asarray(n_gold, float))
    return {
        "span_precision": precision,
        "span_recall": recall,
        "span_f05": f_beta(precision, recall, 0.5),
        "correction_accuracy": ratio(w @ np.asarray(n_gold_corrected, float),
                                     w @ np.asarray(n_gold, float)),
    }
