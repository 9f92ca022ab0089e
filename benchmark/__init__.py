"""claimbench: a benchmark harness for fact-checking systems.

The public API, re-exported from small private-ish modules. Records and the plug-in interface
are imported eagerly (they are light); the rest is loaded on first use so that `bench --help`
stays fast.

    from benchmark import Checker, ClaimInput, Prediction, Dataset, run_system, RunOptions, score
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ._version import __version__
from .errors import BenchError, CheckFailed, InputError
from .records import (
    CATEGORIES,
    LABELS,
    SETTINGS,
    Case,
    ClaimInput,
    ErrorAnnotation,
    Evidence,
    PredictedError,
    Prediction,
)
from .systems import Checker, NoAnswer, Param

_LAZY = {
    "Dataset": "benchmark.dataset",
    "validate_dataset": "benchmark.validate",
    "add_cases": "benchmark.authoring",
    "CaseDraft": "benchmark.authoring",
    "new_dataset": "benchmark.authoring",
    "RunOptions": "benchmark.engine",
    "run_system": "benchmark.engine",
    "load_system": "benchmark.systems",
    "score": "benchmark.scoring",
    "compare_runs": "benchmark.compare",
    "build_leaderboards": "benchmark.leaderboard",
    "load_run": "benchmark.runs",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'benchmark' has no attribute {name!r}")


__all__ = [
    "CATEGORIES", "LABELS", "SETTINGS", "BenchError", "Case", "CheckFailed", "Checker",
    "ClaimInput", "ErrorAnnotation", "Evidence", "InputError", "NoAnswer", "Param",
    "PredictedError", "Prediction", "__version__", *_LAZY,
]
