"""Paired comparison of two runs on the same dataset version."""

from __future__ import annotations

from typing import Any

from .dataset import Dataset
from .errors import InputError
from .metrics import mcnemar_exact, paired_bootstrap
from .metrics.stats import DEFAULT_RESAMPLES, DEFAULT_SEED
from .records import LABELS, Case
from .runs import Run
from .scoring import GOLD, HEADLINE, PRED, build_table, metric_values


def same_cases(dataset: Dataset, a: Run, b: Run) -> list[Case]:
    """The cases both runs are scored on; refuses runs made on another dataset version."""
    for run in (a, b):
        if run.dataset_hash and run.dataset_hash != dataset.hash:
            raise InputError(
                f"{run.label} was made on another version of '{dataset.name}' (hash "
                f"{run.dataset_hash[:12]}, now {dataset.hash[:12]}); runs on different dataset "
                "versions are not compared."
            )
    ids = set(a.predictions) | set(b.predictions)
    cases = [c for c in dataset.iter_cases() if c.id in ids]
    unknown = ids - {c.id for c in cases}
    if unknown:
        raise InputError(f"Predictions name case ids not in '{dataset.name}', e.g. "
                         f"'{sorted(unknown)[0]}'.")
    return cases


def paired(cases: list[Case], a: dict, b: dict, *, n_resamples: int = DEFAULT_RESAMPLES,
           seed: int = DEFAULT_SEED):
    """Per-case tables of two prediction sets and the paired bootstrap of every metric."""
    ta, tb = build_table(cases, a), build_table(cases, b)
    return ta, tb, paired_bootstrap(ta.features, tb.features, metric_values,
                                    n_resamples=n_resamples, seed=seed)


def compare_runs(dataset: Dataset, a: Run, b: Run, *, n_resamples: int = DEFAULT_RESAMPLES,
                 seed: int = DEFAULT_SEED) -> dict[str, Any]:
    cases = same_cases(dataset, a, b)
    ta, tb, diffs = paired(cases, a.predictions, b.predictions, n_resamples=n_resamples,
                           seed=seed)
    correct_a = ta.features[:, GOLD] == ta.features[:, PRED]
    correct_b = tb.features[:, GOLD] == tb.features[:, PRED]
    only_a, only_b, p = mcnemar_exact(correct_a, correct_b)
    names = [*LABELS, "no answer"]
    disagreements = [
        {"id": cid, "gold": LABELS[g], "a": names[pa], "b": names[pb]}
        for cid, g, pa, pb in zip(ta.ids, ta.features[:, GOLD], ta.features[:, PRED],
                                  tb.features[:, PRED], strict=True)
        if pa != pb
    ]
    return {
        "a": a.label, "b": b.label, "n_cases": len(cases),
        "metrics": {k: diffs[k].as_dict() for k in HEADLINE},
        "mcnemar": {"only_a_right": only_a, "only_b_right": only_b, "p_value": round(p, 6)},
        "disagreements": disagreements,
        "bootstrap": {"resamples": n_resamples, "seed": seed, "level": 0.95},
    }


def paired_p_value(dataset_cases: list[Case], a: dict, b: dict, metric: str, *,
                   n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> float:
    """Two-sided paired-bootstrap p-value for ``metric`` between two prediction sets."""
    return paired(dataset_cases, a, b, n_resamples=n_resamples, seed=seed)[2][metric].p_value

