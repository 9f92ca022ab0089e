"""Running a system over a dataset and keeping a complete, resumable record of what it said.

Layout: ``OUT/<dataset>/<system>/<run_id>/{run.json, predictions.jsonl}``. ``predictions.jsonl``
is appended and flushed per case; ``run.json`` is rewritten atomically (status ``running`` while
the run goes, ``complete`` or ``aborted`` at the end). A run's identity is a hash of the system,
its public configuration, the setting, the split and the dataset hash: the same command again
finds the run with the same identity and calls the system only for the cases it lacks.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import itertools
import json
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._version import __version__
from .claims import claim_inputs
from .dataset import Dataset
from .errors import CheckFailed, InputError
from .executor import run_checker
from .fileio import atomic_write_json, read_json
from .predlog import PREDICTIONS, PredictionLog, read_predictions, repair_tail
from .records import SETTINGS
from .systems import Checker

RUN_JSON = "run.json"


@dataclass
class RunOptions:
    setting: str = "article"
    split: str | None = None
    limit: int | None = None
    workers: int = 1
    timeout: float | None = None
    max_errors: int | None = None
    out_dir: Path = field(default_factory=lambda: Path("results"))
    resume: bool = True
    retry_errors: bool = False
    progress: bool = True
    score: bool = True


@dataclass
class RunResult:
    run_dir: Path
    record: dict[str, Any]
    calls: int  # system calls made by this invocation
    resumed: bool


def utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def run_identity(system_name: str, runner: str, config: dict[str, Any], extra: dict[str, Any],
                 setting: str, split: str | None, dataset_name: str, dataset_hash: str) -> str:
    blob = json.dumps({"system": system_name, "runner": runner, "config": config, "extra": extra,
                       "setting": setting, "split": split, "dataset": dataset_name,
                       "dataset_hash": dataset_hash}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def find_resumable(system_dir: Path, identity: str) -> Path | None:
    """The latest run folder with this identity, if any."""
    if not system_dir.is_dir():
        return None
    for run_dir in sorted(system_dir.iterdir(), reverse=True):
        rj = run_dir / RUN_JSON
        if rj.is_file():
            try:
                if read_json(rj).get("identity") == identity:
                    return run_dir
            except InputError:
                continue
    return None


def machine_info() -> dict[str, Any]:
    return {"python": platform.python_version(), "platform": platform.platform(),
            "processor": platform.machine(), "cpus": os.cpu_count()}


def run_system(checker: Checker, dataset: Dataset, options: RunOptions, *,
               system_name: str | None = None, runner: str | None = None,
               description: str = "") -> RunResult:
    """Run ``checker`` over ``dataset`` per ``options``; see the module doc for the record."""
    if options.setting not in SETTINGS:
        raise InputError(f"Unknown setting '{options.setting}'; choose one of {', '.join(SETTINGS)}.")
    if options.limit is not None and options.limit < 1:
        raise InputError("--limit must be at least 1.")
    checker.use_dataset(dataset.path)
    name = system_name or checker.name
    config = checker.public_config()
    identity = run_identity(name, runner or checker.name, config, checker.identity_extra(),
                            options.setting, options.split, dataset.name, dataset.hash)
    system_dir = options.out_dir / dataset.name / name
    run_dir = find_resumable(system_dir, identity) if options.resume else None
    resumed = run_dir is not None
    previous: dict[str, Any] = read_json(run_dir / RUN_JSON) if run_dir else {}
    if run_dir is None:
        stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
        run_dir = system_dir / f"{stamp}-{identity[:8]}"
        k = 1
        while run_dir.exists():  # two fresh runs in the same second
            k += 1
            run_dir = system_dir / f"{stamp}-{identity[:8]}-{k}"
    pred_path = run_dir / PREDICTIONS
    repair_tail(pred_path)  # a crash mid-write may have left a torn last line
    done = read_predictions(pred_path) if pred_path.exists() else {}
    skip = {cid for cid, p in done.items() if not (options.retry_errors and p.get("error"))}

    wants_ids = type(checker).begin is not Checker.begin
    selected_ids: list[str] = []
    total = n_skip = n_pred = 0  # n_pred: selected cases with a record
    failed: set[str] = set()  # selected cases whose latest record is a failure
    for case in itertools.islice(dataset.iter_cases(options.split), options.limit):
        total += 1
        n_skip += case.id in skip
        if case.id in done:
            n_pred += 1
            if done[case.id].get("error"):
                failed.add(case.id)
        if wants_ids:
            selected_ids.append(case.id)
    if wants_ids:
        checker.begin(selected_ids)  # may refuse the run before anything is written

    if resumed and n_skip == total and previous.get("status") == "complete":
        checker.close()  # nothing left to do: the record stands as it is
        return RunResult(run_dir, previous, 0, True)

    run_dir.mkdir(parents=True, exist_ok=True)
    log = PredictionLog(pred_path)
    record: dict[str, Any] = {
        "run_id": run_dir.name,
        "identity": identity,
        "status": "running",
        "system": {"name": name, "runner": runner or checker.name,
                   "description": description or checker.description, "config": config},
        "dataset": {"name": dataset.name, "version": dataset.version, "hash": dataset.hash},
        "setting": options.setting,
        "split": options.split,
        "limit": options.limit,
        "harness_version": __version__,
        "started_at": previous.get("started_at") or utc_now(),
        "ended_at": None,
        "wall_time_s": previous.get("wall_time_s") or 0.0,
        "machine": machine_info(),
        "counts": {"selected": total},
        "summary": None,
    }
    atomic_write_json(run_dir / RUN_JSON, record)

    cases = itertools.islice(dataset.iter_cases(options.split), options.limit)
    todo = (c for c in cases if c.id not in skip)
    claims = claim_inputs(dataset, todo, options.setting)
    n_todo = total - n_skip
    bar = _progress_bar(n_todo, options.progress)
    t0 = time.perf_counter()
    calls = errors = 0
    aborted = None
    try:
        with log:
            for pred in run_checker(checker.check, claims, options.workers, options.timeout):
                calls += 1
                if bar is not None:
                    bar.update(1)
                if pred is None:  # no answer for this case: it stays missing
                    continue
                log.append(pred)
                n_pred += pred.case_id not in done
                if pred.error is not None:
                    errors += 1
                    failed.add(pred.case_id)
                    if bar is not None:
                        bar.set_postfix(errors=errors, refresh=False)
                else:
                    failed.discard(pred.case_id)
                if options.max_errors is not None and errors > options.max_errors:
                    aborted = (f"stopped after {errors} failed cases (more than --max-errors "
                               f"{options.max_errors}); the last error was: {pred.error}")
                    break
    finally:
        if bar is not None:
            bar.close()
        checker.close()

    elapsed = time.perf_counter() - t0
    n_err = len(failed)
    record["ended_at"] = utc_now()
    record["wall_time_s"] = round(record["wall_time_s"] + elapsed, 6)
    record["counts"] = {"selected": total, "predicted": n_pred, "errors": n_err,
                        "missing": max(total - n_pred, 0), "calls_this_invocation": calls}
    # complete: every selected case was put to the system (some may have had no answer)
    record["status"] = "aborted" if aborted else "complete"
    if options.score and not aborted:
        from .scoring import headline_summary

        record["summary"] = headline_summary(dataset, read_predictions(pred_path),
                                             split=options.split, limit=options.limit)
    atomic_write_json(run_dir / RUN_JSON, record)
    if aborted:
        raise CheckFailed(f"{aborted}. The partial record is in {run_dir}; run the same command "
                          "again to resume.")
    return RunResult(run_dir, record, calls, resumed)


def _progress_bar(total: int, enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="case", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
