"""The leaderboard: one row per system configuration, ranked, with intervals and a paired test
against the leader. Runs on different dataset versions or settings go to separate boards."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dataset import Dataset
from .errors import InputError
from .metrics.stats import DEFAULT_RESAMPLES, DEFAULT_SEED
from .paths import list_dataset_dirs
from .records import CATEGORIES
from .render import estimate_text
from .runs import Run, iter_runs
from .scoring import HEADLINE, score, select_cases

LOWER_IS_BETTER = {"false_alarm_rate"}
SIGNIFICANCE = 0.05


@dataclass
class Row:
    run: Run
    report: dict[str, Any] | None  # full report; None when only the stored summary is known
    headline: dict[str, dict[str, float | None]]
    detection: dict[str, float | None]
    errors: int
    mean_latency_s: float | None
    p_vs_leader: float | None = None
    is_leader: bool = False


@dataclass
class Board:
    dataset: str
    version: str
    hash: str
    setting: str
    current: bool  # the dataset on disk has this hash (so scores are recomputed and tested)
    metric: str
    rows: list[Row] = field(default_factory=list)


def _complete(run: Run, full_size: int | None) -> bool:
    c = run.record.get("counts", {})
    if run.record.get("status") != "complete":
        return False
    return full_size is None or c.get("selected") == full_size


def _mean_latency(preds: dict[str, dict[str, Any]]) -> float | None:
    vals = [p["latency_s"] for p in preds.values() if p.get("latency_s") is not None]
    return sum(vals) / len(vals) if vals else None


def build_leaderboards(results_dir: Path, *, dataset: str | None = None,
                       metric: str = "macro_f1", all_runs: bool = False,
                       datasets_dir: Path | None = None, n_resamples: int = DEFAULT_RESAMPLES,
                       seed: int = DEFAULT_SEED) -> list[Board]:
    if metric not in HEADLINE:
        raise InputError(f"Unknown metric '{metric}'; choose one of {', '.join(HEADLINE)}.")
    runs = iter_runs(results_dir, dataset)
    known = list_dataset_dirs(datasets_dir)
    datasets: dict[str, Dataset] = {}
    groups: dict[tuple[str, str, str], list[Run]] = {}
    for run in runs:
        name, h = run.dataset_name, run.dataset_hash
        if not name or not h:
            continue
        groups.setdefault((name, h, run.record.get("setting", "article")), []).append(run)

    boards = []
    for (name, h, setting), group in sorted(groups.items()):
        if name not in datasets and name in known:
            datasets[name] = Dataset.load(name, datasets_dir)
        ds = datasets.get(name)
        current = ds is not None and ds.hash == h
        split = group[-1].record.get("split")
        cases = select_cases(ds, split) if current else None
        full = len(cases) if cases is not None else None
        chosen: dict[str, Run] = {}
        for run in group:  # oldest first: later runs of a configuration replace earlier ones
            if not all_runs and not _complete(run, full):
                continue
            key = run.path.as_posix() if all_runs else run.record.get("identity", run.path.name)
            chosen[key] = run
        if not chosen:
            continue
        version = group[-1].record.get("dataset", {}).get("version", "?")
        board = Board(name, version, h, setting, current, metric)
        for run in chosen.values():
            if current:
                case_ids = {c.id for c in cases}
                preds = {k: v for k, v in run.predictions.items() if k in case_ids}
                report = score(cases, preds, n_resamples=n_resamples, seed=seed)
                headline = report["headline"]
                detection = {k: v["rate"]["value"] for k, v in report["detection"].items()}
                errors = report["counts"]["failed"] + report["counts"]["missing"]
                latency = _mean_latency(preds)
            else:
                summary = run.record.get("summary") or {}
                report, headline = None, summary.get("headline", {})
                detection = summary.get("detection", {})
                errors = run.record.get("counts", {}).get("errors", 0)
                latency = None
            board.rows.append(Row(run, report, headline, detection, errors, latency))
        _rank(board, cases, n_resamples, seed)
        boards.append(board)
    return boards


def _value(row: Row, metric: str) -> float:
    v = (row.headline.get(metric) or {}).get("value")
    return float("nan") if v is None else float(v)


def _rank(board: Board, cases, n_resamples: int, seed: int) -> None:
    reverse = board.metric not in LOWER_IS_BETTER

    def key(row: Row):
        v = _value(row, board.metric)
        missing = v != v  # NaN sorts last
        return (missing, -v if reverse and not missing else (v if not missing else 0),
                row.run.system)

    board.rows.sort(key=key)
    if not board.rows:
        return
    leader = board.rows[0]
    leader.is_leader = True
    if not board.current:
        return
    from .compare import paired_p_value

    for row in board.rows[1:]:
        row.p_vs_leader = paired_p_value(cases, leader.run.predictions, row.run.predictions,
                                         board.metric, n_resamples=n_resamples, seed=seed)


def _num(v: float | None, digits: int = 3) -> str:
    return "—" if v is None else f"{v:.{digits}f}"


def row_names(board: Board) -> list[str]:
    """System names, with the parameters that differ where one name has several configurations."""
    configs: dict[str, list[dict]] = {}
    for row in board.rows:
        configs.setdefault(row.run.system, []).append(row.run.record.get("system", {})
                                                      .get("config", {}))
    names = []
    for row in board.rows:
        name = row.run.system
        same = configs[name]
        config = row.run.record.get("system", {}).get("config", {})
        differing = sorted(k for k in config if len({json.dumps(c.get(k), sort_keys=True)
                                                     for c in same}) > 1)
        if len(same) > 1 and differing:
            name += " (" + ", ".join(f"{k}={config[k]}" for k in differing) + ")"
        elif len(same) > 1:
            name += f" ({row.run.path.name})"
        names.append(name)
    return names


def board_rows(board: Board) -> list[dict[str, str]]:
    """Display rows (strings) for one board."""
    cats = [c for c in CATEGORIES if any(c in r.detection for r in board.rows)]
    out = []
    for rank, (row, name) in enumerate(zip(board.rows, row_names(board), strict=True), start=1):
        if row.is_leader:
            vs = "leader"
        elif row.p_vs_leader is None:
            vs = "untested"
        elif row.p_vs_leader < SIGNIFICANCE:
            vs = f"worse (p={row.p_vs_leader:.3f})"
        else:
            vs = f"n.s. (p={row.p_vs_leader:.2f})"
        d = {
            "rank": str(rank),
            "system": name,
            "accuracy": estimate_text(row.headline.get("accuracy")),
            "macro-F1": estimate_text(row.headline.get("macro_f1")),
            "strict": estimate_text(row.headline.get("strict_score")),
            "bal. acc.": _num((row.headline.get("balanced_accuracy") or {}).get("value")),
        }
        for c in cats:
            d[f"det. {c}"] = _num(row.detection.get(c), 2)
        d["false alarms"] = _num((row.headline.get("false_alarm_rate") or {}).get("value"))
        d["no answer"] = str(row.errors)
        d["latency s"] = _num(row.mean_latency_s, 4)
        d["date"] = (row.run.record.get("started_at") or "")[:10]
        d["vs leader"] = vs
        out.append(d)
    return out


SETTING_NOTES = {"claim": " (claim alone)", "article": " (claim + article)",
                 "evidence": " (oracle: claim + article + gold evidence)"}


def board_title(board: Board) -> str:
    note = "" if board.current else " (not the dataset on disk: stored scores, no significance test)"
    return (f"{board.dataset} v{board.version} (hash {board.hash[:12]}), setting '{board.setting}'"
            f"{SETTING_NOTES.get(board.setting, '')}, ranked by {board.metric}{note}")


def board_json(board: Board) -> dict[str, Any]:
    return {
        "dataset": board.dataset, "version": board.version, "hash": board.hash,
        "setting": board.setting, "metric": board.metric, "scores_recomputed": board.current,
        "rows": [
            {"rank": i + 1, "system": r.run.system, "run": str(r.run.path),
             "config": r.run.record.get("system", {}).get("config", {}),
             "headline": r.headline, "detection": r.detection, "errors": r.errors,
             "mean_latency_s": r.mean_latency_s, "p_vs_leader": r.p_vs_leader,
             "leader": r.is_leader,
             "date": r.run.record.get("ended_at")}
            for i, r in enumerate(board.rows)
        ],
    }
