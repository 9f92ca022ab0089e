"""Every record the harness writes follows the JSON Schemas in datasets/schema/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.dataset import Dataset
from benchmark.engine import RunOptions, run_system
from benchmark.schemas import schema_problems
from runners.baselines import RandomChecker

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = sorted((ROOT / "results").glob("*/*/*/run.json"))


def assert_valid_run(run_json: Path) -> None:
    record = json.loads(run_json.read_text())
    assert schema_problems("run", record) == []
    lines = (run_json.parent / "predictions.jsonl").read_text().splitlines()
    assert lines
    for line in lines:
        assert schema_problems("prediction", json.loads(line)) == [], line


@pytest.mark.parametrize("run_json", COMMITTED, ids=lambda p: p.parent.parent.name)
def test_committed_reference_runs_are_valid(run_json):
    assert_valid_run(run_json)
    record = json.loads(run_json.read_text())
    assert record["status"] == "complete"
    assert record["dataset"]["hash"] == Dataset.load(record["dataset"]["name"]).hash


def test_reference_runs_exist_for_the_published_systems():
    systems = {p.parent.parent.name for p in COMMITTED}
    assert {"kb", "gemma-local", "always-supported", "always-refuted", "random"} <= systems


def test_a_fresh_run_record_is_valid(tmp_path):
    res = run_system(RandomChecker(seed=5), Dataset.load(), RunOptions(out_dir=tmp_path,
                                                                      progress=False))
    assert_valid_run(res.run_dir / "run.json")


def test_schema_catches_a_typo_in_a_prediction():
    problems = schema_problems("prediction", {"case_id": "a", "label": "refuted", "confidnce": 1})
    assert problems and problems[0][1].startswith("unknown field")
    problems = schema_problems("prediction", {"case_id": "a", "label": None, "error": None})
    assert problems  # a label may be null only when the prediction failed
