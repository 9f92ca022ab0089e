"""The append-only predictions log of a run: one JSON line per case, flushed per case."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import InputError
from .fileio import dumps_line, iter_jsonl
from .records import Prediction

PREDICTIONS = "predictions.jsonl"


def repair_tail(path: Path) -> None:
    """Drop a torn last line (no trailing newline) left by a crash mid-write."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb+") as fh:
        fh.seek(-1, os.SEEK_END)
        if fh.read(1) == b"\n":
            return
        fh.seek(0)
        data = fh.read()
        fh.truncate(data.rfind(b"\n") + 1)


def read_predictions(path: Path) -> dict[str, dict[str, Any]]:
    """The latest record per case id (a retried case supersedes its earlier error record)."""
    out: dict[str, dict[str, Any]] = {}
    for lineno, obj in iter_jsonl(path):
        if not isinstance(obj, dict) or "case_id" not in obj:
            raise InputError(f"{path}:{lineno}: expected a prediction object with a case_id.")
        out[obj["case_id"]] = obj
    return out


class PredictionLog:
    """Appends predictions with one ``write`` each, so a killed process loses nothing done."""

    def __init__(self, path: Path):
        """Open for appending; the caller has already run :func:`repair_tail` on ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def append(self, prediction: Prediction) -> None:
        os.write(self._fd, dumps_line(prediction.to_dict()).encode("utf-8"))

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> PredictionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
