"""Scoring runs end to end: run -> score -> leaderboard -> compare -> plot."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score

from benchmark.dataset import Dataset
from benchmark.engine import RunOptions, run_system
from benchmark.leaderboard import build_leaderboards
from benchmark.scoring import score, select_cases
from runners.baselines import AlwaysRefuted, AlwaysSupported, RandomChecker


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("results")
    ds = Dataset.load()
    for checker in (AlwaysSupported(), AlwaysRefuted(), RandomChecker(seed=1)):
        run_system(checker, ds, RunOptions(out_dir=out, progress=False))
    return out


def test_always_supported_scores_exactly(results):
    ds = Dataset.load()
    [run_dir] = list((results / ds.name / "always-supported").iterdir())
    summary = json.loads((run_dir / "run.json").read_text())["summary"]
    assert summary["headline"]["accuracy"]["value"] == round(46 / 68, 6)
    gold = [c.label for c in ds.cases()]
    expected = f1_score(gold, ["supported"] * 68, average="macro",
                        labels=["supported", "refuted", "not_enough_info"], zero_division=0)
    assert summary["headline"]["macro_f1"]["value"] == pytest.approx(expected, abs=1e-6)
    lo, hi = summary["headline"]["accuracy"]["ci_low"], summary["headline"]["accuracy"]["ci_high"]
    assert lo < 46 / 68 < hi and hi - lo > 0.1  # 68 cases: the interval is wide


def test_missing_and_failed_predictions_count_as_wrong():
    ds = Dataset.load()
    cases = select_cases(ds)
    preds = {c.id: {"case_id": c.id, "label": c.label, "error": None} for c in cases}
    perfect = score(cases, preds, n_resamples=200)
    assert perfect["headline"]["accuracy"]["value"] == 1.0
    del preds[cases[0].id]
    preds[cases[1].id] = {"case_id": cases[1].id, "label": None, "error": "boom"}
    r = score(cases, preds, n_resamples=200)
    assert r["headline"]["accuracy"]["value"] == pytest.approx(66 / 68, abs=1e-6)
    assert r["counts"] == {"cases": 68, "answered": 66, "failed": 1, "missing": 1}
    assert r["confusion_matrix"]["matrix"][1][3] == 2  # both are refuted cases: "no answer"


def test_strict_score_requires_the_located_error():
    ds = Dataset.load()
    cases = select_cases(ds)
    refuted = [c for c in cases if c.label == "refuted"]
    preds = {c.id: {"case_id": c.id, "label": c.label, "error": None} for c in cases}
    no_spans = score(cases, preds, n_resamples=200)
    assert no_spans["headline"]["strict_score"]["value"] == pytest.approx(49 / 68, abs=1e-6)
    for c in refuted:
        preds[c.id]["errors"] = [{"span": c.errors[0].span, "correction": c.errors[0].correction}]
    full = score(cases, preds, n_resamples=200)
    assert full["headline"]["strict_score"]["value"] == 1.0
    assert full["span"]["correction_accuracy"]["value"] == 1.0
    assert full["span"]["span_precision"]["value"] == 1.0


def test_unknown_case_ids_are_refused():
    ds = Dataset.load()
    with pytest.raises(Exception, match="not in the dataset"):
        score(select_cases(ds), {"zzz-1": {"case_id": "zzz-1", "label": "supported"}})


def test_leaderboard_ranks_and_tests_against_the_leader(results):
    [board] = build_leaderboards(results, metric="accuracy", n_resamples=300)
    names = [r.run.system for r in board.rows]
    assert names[0] == "always-supported" and board.rows[0].is_leader
    accs = [r.headline["accuracy"]["value"] for r in board.rows]
    assert accs == sorted(accs, reverse=True)
    assert all(r.p_vs_leader is not None for r in board.rows[1:])
    refuted_row = next(r for r in board.rows if r.run.system == "always-refuted")
    assert refuted_row.p_vs_leader < 0.05


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json", "html"])
def test_leaderboard_formats(results, bench, fmt):
    code, out, err = bench("leaderboard", "--results-dir", str(results), "--format", fmt,
                           "--resamples", "200")
    assert code == 0, err
    assert "always-refuted" in out
    if fmt == "json":
        data = json.loads(out)
        assert data[0]["rows"][0]["leader"] is True
    if fmt == "html":
        assert out.startswith("<table>")


def test_leaderboard_separates_dataset_versions(results, seed_copy, tmp_path, bench):
    out = tmp_path / "res"
    ds_old = Dataset.load(str(seed_copy))
    run_system(AlwaysSupported(), ds_old, RunOptions(out_dir=out, progress=False))
    with (seed_copy / "article.txt").open("a") as fh:
        fh.write("\n")
    ds_new = Dataset.load(str(seed_copy))
    run_system(AlwaysRefuted(), ds_new, RunOptions(out_dir=out, progress=False))
    boards = build_leaderboards(out, datasets_dir=seed_copy.parent, n_resamples=200)
    assert len(boards) == 2
    assert {b.hash for b in boards} == {ds_old.hash, ds_new.hash}
    assert sorted(b.current for b in boards) == [False, True]
    for b in boards:
        assert len(b.rows) == 1


def test_score_and_compare_commands(results, bench):
    ds = Dataset.load()
    a = next((results / ds.name / "always-supported").iterdir())
    b = next((results / ds.name / "random").iterdir())
    code, out, err = bench("score", str(a), "--resamples", "200")
    assert code == 0, err
    assert "accuracy" in out and "Confusion matrix" in out and "Detection by error category" in out
    code, out, _ = bench("score", str(a / "predictions.jsonl"), "--format", "json",
                         "--resamples", "200", "--dataset", ds.name)
    assert code == 0 and json.loads(out)["headline"]["accuracy"]["value"] == round(46 / 68, 6)
    code, out, err = bench("compare", str(a), str(b), "--resamples", "200")
    assert code == 0, err
    assert "McNemar" in out and "disagree" in out
    code, out, _ = bench("compare", str(a), str(b), "--format", "json", "--resamples", "200")
    res = json.loads(out)
    gold = {c.id: c.label for c in ds.cases()}
    for d in res["disagreements"]:
        assert d["a"] == "supported" and d["b"] != "supported" and d["gold"] == gold[d["id"]]


def test_bad_predictions_file_is_reported(tmp_path, bench):
    f = tmp_path / "p.jsonl"
    f.write_text('{"case_id": "kcs-001", "label": "maybe"}\n')
    code, _, err = bench("score", str(f), "--dataset", "korea-china-summit-2026")
    assert code == 2 and f"{f}:1: label" in err


def test_plots_are_written_readable_and_deterministic(results, tmp_path, bench):
    from PIL import Image

    code, out, err = bench("plot", "--results-dir", str(results), "--out", str(tmp_path / "a"))
    assert code == 0, err
    pngs = sorted((tmp_path / "a").glob("*.png"))
    names = {p.name.split("-korea")[0] for p in pngs}
    assert {"leaderboard", "detection-heatmap", "reliability", "confusion"} <= names
    assert len(list((tmp_path / "a").glob("*.svg"))) == len(pngs)
    for p in pngs:
        img = np.asarray(Image.open(p).convert("L"))
        assert img.shape[0] > 200 and img.shape[1] > 300
        assert img.std() > 10, f"{p.name} looks blank"
    bench("plot", "--results-dir", str(results), "--out", str(tmp_path / "b"))
    for p in (tmp_path / "a").iterdir():
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes(), p.name


def test_leaderboard_has_one_row_per_configuration(tmp_path, bench):
    ds = Dataset.load()
    for seed in (1, 2):
        run_system(RandomChecker(seed=seed), ds, RunOptions(out_dir=tmp_path, progress=False))
    run_system(RandomChecker(seed=1), ds, RunOptions(out_dir=tmp_path, progress=False,
                                                     resume=False))  # a later run, same config
    code, out, err = bench("leaderboard", "--results-dir", str(tmp_path), "--resamples", "200")
    assert code == 0, err
    assert "random (seed=1)" in out and "random (seed=2)" in out
    assert out.count("random (seed=1)") == 1
    code, out, _ = bench("leaderboard", "--results-dir", str(tmp_path), "--resamples", "200",
                         "--all-runs")
    assert out.count("random (seed=1") == 2
