"""The `command` runner's failure modes and the `predictions` runner."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from benchmark.dataset import Dataset
from benchmark.engine import RunOptions, run_system
from benchmark.records import ClaimInput
from runners.command import CommandChecker

ROOT = Path(__file__).resolve().parents[1]

PROGRAM = r'''
import json, sys, time
mode = sys.argv[1]
for line in sys.stdin:
    claim = json.loads(line)
    cid = claim["case_id"]
    if mode == "exit" and cid == "kcs-003":
        print("giving up on " + cid, file=sys.stderr, flush=True)
        sys.exit(3)
    if mode == "hang" and cid == "kcs-003":
        print("thinking hard about " + cid, file=sys.stderr, flush=True)
        time.sleep(60)
    if mode == "garbage" and cid == "kcs-003":
        print("this is not json", flush=True)
        continue
    if mode == "wrong-id" and cid == "kcs-003":
        cid = "kcs-999"
    print(json.dumps({"case_id": cid, "label": "supported", "confidence": 0.2}), flush=True)
'''


def run(tmp_path, mode, limit=6, **params):
    script = tmp_path / "prog.py"
    script.write_text(PROGRAM)
    checker = CommandChecker(command=[sys.executable, str(script), mode], **params)
    res = run_system(checker, Dataset.load(), RunOptions(out_dir=tmp_path / "r", limit=limit,
                                                         progress=False))
    preds = [json.loads(x) for x in (res.run_dir / "predictions.jsonl").read_text().splitlines()]
    assert [p["case_id"] for p in preds] == [f"kcs-{i:03d}" for i in range(1, limit + 1)]
    assert res.record["status"] == "complete"
    return preds


def test_well_behaved_program(tmp_path):
    preds = run(tmp_path, "ok")
    assert all(p["error"] is None and p["label"] == "supported" for p in preds)


def test_program_that_exits(tmp_path):
    preds = run(tmp_path, "exit")
    err = preds[2]["error"]
    assert "exited with code 3 on case kcs-003" in err and "giving up on kcs-003" in err
    assert all(p["error"] is None for p in preds[3:])  # restarted for the next cases


def test_program_that_hangs(tmp_path):
    preds = run(tmp_path, "hang", case_timeout=1.0)
    err = preds[2]["error"]
    assert "no answer for case kcs-003 within 1 s" in err and "thinking hard" in err
    assert all(p["error"] is None for p in preds[3:])


def test_program_that_writes_garbage(tmp_path):
    preds = run(tmp_path, "garbage")
    assert "not a prediction for case kcs-003" in preds[2]["error"]
    assert "this is not json" in preds[2]["error"]


def test_program_that_answers_for_another_case(tmp_path):
    preds = run(tmp_path, "wrong-id")
    assert "answered for case 'kcs-999'" in preds[2]["error"]


def test_missing_program_is_clear(tmp_path):
    c = CommandChecker(command=["/no/such/program"])
    with pytest.raises(RuntimeError, match="cannot start /no/such/program"):
        c.check(ClaimInput("kcs-001", "x", "claim"))


def test_example_checker_runs_from_the_cli(bench, tmp_path):
    code, out, err = bench("run", "--system", "command", "--param",
                           f"command={sys.executable} {ROOT / 'examples' / 'surname_checker.py'}",
                           "--out", str(tmp_path), "--quiet")
    assert code == 0, err
    assert "68/68 cases, 0 failed" in out


def test_predictions_runner_counts_missing_and_refuses_unknown(bench, tmp_path):
    f = tmp_path / "p.jsonl"
    f.write_text("".join(json.dumps({"case_id": f"kcs-{i:03d}", "label": "supported"}) + "\n"
                         for i in range(1, 61)))
    code, out, err = bench("run", "--system", "predictions", "--param", f"path={f}",
                           "--out", str(tmp_path / "r"), "--quiet")
    assert code == 0, err
    assert "60/68 cases" in out
    [run_dir] = list((tmp_path / "r" / "korea-china-summit-2026" / "predictions").iterdir())
    record = json.loads((run_dir / "run.json").read_text())
    assert record["counts"]["missing"] == 8 and record["summary"]["counts"]["missing"] == 8
    assert record["status"] == "complete"  # every case was asked; 8 had no answer
    with f.open("a") as fh:
        fh.write(json.dumps({"case_id": "zzz-001", "label": "supported"}) + "\n")
    code, _, err = bench("run", "--system", "predictions", "--param", f"path={f}",
                         "--out", str(tmp_path / "r"), "--quiet")
    assert code == 2 and "zzz-001" in err
    f.write_text('{"case_id": "kcs-001", "label": "perhaps"}\n')
    code, _, err = bench("run", "--system", "predictions", "--param", f"path={f}", "--quiet",
                         "--out", str(tmp_path / "r"))
    assert code == 2 and f"{f}:1: label" in err
