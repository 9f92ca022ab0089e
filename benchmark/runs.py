"""Finding and loading run records (``results/<dataset>/<system>/<run_id>/``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .engine import RUN_JSON
from .errors import InputError
from .fileio import iter_jsonl, read_json
from .predlog import PREDICTIONS, read_predictions
from .schemas import schema_problems


@dataclass
class Run:
    """A run record, or a bare predictions file (then ``record`` is mostly empty)."""

    path: Path
    record: dict[str, Any] = field(default_factory=dict)
    predictions_path: Path | None = None

    @property
    def system(self) -> str:
        return self.record.get("system", {}).get("name") or self.path.stem

    @property
    def dataset_name(self) -> str | None:
        return self.record.get("dataset", {}).get("name")

    @property
    def dataset_hash(self) -> str | None:
        return self.record.get("dataset", {}).get("hash")

    @property
    def label(self) -> str:
        return f"{self.system}/{self.record.get('run_id', self.path.name)}"

    @cached_property
    def predictions(self) -> dict[str, dict[str, Any]]:
        assert self.predictions_path is not None
        return read_predictions(self.predictions_path)


def load_run(path: Path) -> Run:
    """Load a run folder, or a predictions JSONL file (validated against the schema)."""
    if path.is_dir():
        if not (path / RUN_JSON).is_file():
            raise InputError(f"{path}: not a run folder (no {RUN_JSON}).")
        record = read_json(path / RUN_JSON)
        return Run(path, record, path / PREDICTIONS)
    if path.is_file():
        validate_predictions_file(path)
        return Run(path, {}, path)
    raise InputError(f"{path}: no such run folder or predictions file.")


def validate_predictions_file(path: Path) -> None:
    problems = []
    for lineno, obj in iter_jsonl(path, allow_empty=False):
        for fld, msg in schema_problems("prediction", obj):
            problems.append(f"{path}:{lineno}: {fld}: {msg}")
    if problems:
        raise InputError("Invalid predictions file:\n" + "\n".join(problems[:20]))


def iter_runs(results_dir: Path, dataset: str | None = None) -> list[Run]:
    """Every run record under ``results_dir`` (optionally of one dataset), oldest first."""
    if not results_dir.is_dir():
        return []
    runs = []
    pattern = f"{dataset}/*/*/{RUN_JSON}" if dataset else f"*/*/*/{RUN_JSON}"
    for rj in sorted(results_dir.glob(pattern)):
        try:
            runs.append(load_run(rj.parent))
        except InputError:
            continue
    runs.sort(key=lambda r: (r.record.get("started_at") or "", r.path.name))
    return runs


def resolve_run(ref: str, results_dir: Path, dataset: str | None = None) -> Run:
    """A run folder, a predictions file, or a system name (its latest complete run)."""
    p = Path(ref)
    if p.exists():
        return load_run(p)
    candidates = [r for r in iter_runs(results_dir, dataset)
                  if r.system == ref and r.record.get("status") == "complete"]
    if candidates:
        return candidates[-1]
    raise InputError(f"'{ref}' is not a run folder, a predictions file, or a system with a "
                     f"complete run under {results_dir}.")
