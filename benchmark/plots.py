"""Figures from leaderboards: PNG and SVG, Agg backend, colour-blind-safe, byte-deterministic."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from .leaderboard import Board
from .records import CATEGORIES, LABELS

# Okabe-Ito: distinguishable with the common colour-vision deficiencies
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
             "#000000"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "claimbench", "font.size": 10, "axes.titlesize": 11,
                         "figure.dpi": 100, "savefig.dpi": 150})
    return plt


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-")


def _save(fig, out: Path, stem: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        p = out / f"{stem}.{ext}"
        fig.savefig(p, format=ext, metadata=meta, bbox_inches="tight")
        paths.append(p)
    return paths


def leaderboard_figure(plt, board: Board):
    metrics = [("accuracy", "accuracy"), ("macro_f1", "macro-F1"), ("strict_score", "strict")]
    systems = [r.run.system for r in board.rows]
    fig, ax = plt.subplots(figsize=(7.5, 1.0 + 0.55 * len(systems) * len(metrics) / 2))
    height = 0.8 / len(metrics)
    y = np.arange(len(systems))
    for k, (key, label) in enumerate(metrics):
        vals, lo, hi = [], [], []
        for r in board.rows:
            est = r.headline.get(key) or {}
            v = est.get("value")
            vals.append(np.nan if v is None else v)
            lo.append(0 if est.get("ci_low") is None else v - est["ci_low"])
            hi.append(0 if est.get("ci_high") is None else est["ci_high"] - v)
        ax.barh(y + (k - 1) * height, vals, height=height * 0.9, xerr=[lo, hi],
                color=OKABE_ITO[k], label=label, capsize=2, error_kw={"elinewidth": 1})
    ax.set_yticks(y, systems)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("score (bars: 95% bootstrap interval)")
    ax.set_title(f"{board.dataset} v{board.version} — setting '{board.setting}'")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return fig


def heatmap_figure(plt, board: Board):
    cats = [c for c in CATEGORIES if any(r.detection.get(c) is not None for r in board.rows)]
    cols = [*cats, "false alarms"]
    data = np.array([[np.nan if r.detection.get(c) is None else r.detection[c] for c in cats]
                     + [(r.headline.get("false_alarm_rate") or {}).get("value") or 0.0]
                     for r in board.rows], dtype=float)
    fig, ax = plt.subplots(figsize=(1.2 + 1.1 * len(cols), 1.2 + 0.5 * len(board.rows)))
    im = ax.imshow(data, cmap="cividis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(cols)), [c.replace("-", "-\n", 1) for c in cols], fontsize=8)
    ax.set_yticks(range(len(board.rows)), [r.run.system for r in board.rows])
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            v = data[i, j]
            ax.text(j, i, "—" if np.isnan(v) else f"{v:.2f}", ha="center", va="center",
                    fontsize=8, color="black" if (not np.isnan(v) and v > 0.6) else "white")
    ax.set_title("Which system catches what: detection rate by error category")
    fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    return fig


def confusion_figure(plt, board: Board, row):
    cm = np.array(row.report["confusion_matrix"]["matrix"])
    cols = [*LABELS, "no answer"]
    fig, ax = plt.subplots(figsize=(5.2, 3.4))
    ax.imshow(cm, cmap="cividis", aspect="auto")
    ax.set_xticks(range(len(cols)), [c.replace("_", " ") for c in cols], fontsize=8)
    ax.set_yticks(range(len(LABELS)), [c.replace("_", " ") for c in LABELS], fontsize=8)
    top = cm.max() if cm.size else 1
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            ax.text(j, i, str(cm[i, j]), ha="center", va="center",
                    color="black" if cm[i, j] > 0.6 * top else "white")
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(f"{row.run.system}: confusion matrix")
    return fig


def reliability_figure(plt, board: Board):
    from .metrics import reliability_bins
    from .scoring import REFUTED, build_table, select_cases

    fig, ax = plt.subplots(figsize=(4.8, 4.4))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="perfect")
    drawn = 0
    cases = None
    for k, row in enumerate(board.rows):
        if row.report is None or row.report.get("calibration") is None:
            continue
        if cases is None:
            from .dataset import Dataset

            cases = select_cases(Dataset.load(board.dataset), row.run.record.get("split"))
        table = build_table(cases, row.run.predictions)
        has = ~np.isnan(table.confidence)
        bins = reliability_bins(table.features[has, 0] == REFUTED, table.confidence[has])
        xs, ys, ns = zip(*bins, strict=True)
        ax.plot(xs, ys, marker="o", color=OKABE_ITO[k % len(OKABE_ITO)], label=row.run.system)
        drawn += 1
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("predicted P(refuted)")
    ax.set_ylabel("observed share refuted")
    ax.set_title("Reliability diagram")
    ax.legend(fontsize=8)
    return fig if drawn else None


def write_figures(boards: list[Board], out: Path) -> list[Path]:
    """Write every figure for the given (current-dataset) boards; return the files written."""
    plt = _pyplot()
    written: list[Path] = []
    for board in boards:
        tag = _slug(f"{board.dataset}-{board.setting}")
        for name, fig in (("leaderboard", leaderboard_figure(plt, board)),
                          ("detection-heatmap", heatmap_figure(plt, board)),
                          ("reliability", reliability_figure(plt, board))):
            if fig is not None:
                written += _save(fig, out, f"{name}-{tag}")
                plt.close(fig)
        for row in board.rows:
            if row.report is not None:
                fig = confusion_figure(plt, board, row)
                written += _save(fig, out, f"confusion-{tag}-{_slug(row.run.system)}")
                plt.close(fig)
    return written
