"""The run engine: what a checker sees, failures, timeouts, crash-safety and resume."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmark.dataset import Dataset
from benchmark.engine import RunOptions, run_system
from benchmark.errors import CheckFailed
from benchmark.records import ClaimInput, Prediction
from benchmark.systems import Checker

from .helpers.checkers import FlakyChecker, calls

ROOT = Path(__file__).resolve().parents[1]
GOLD_KEYS = {"label", "errors", "rationale", "confidence", "tags", "provenance", "split",
             "correction", "severity", "category", "location"}


class Spy(Checker):
    name = "spy"

    def setup(self):
        self.seen: list[ClaimInput] = []

    def check(self, claim):
        self.seen.append(claim)
        return Prediction(claim.case_id, "supported")


@pytest.mark.parametrize("setting", ["claim", "article", "evidence"])
def test_no_gold_field_reaches_the_checker(tmp_path, setting):
    ds = Dataset.load()
    spy = Spy()
    run_system(spy, ds, RunOptions(setting=setting, out_dir=tmp_path, progress=False))
    cases = {c.id: c for c in ds.cases()}
    assert len(spy.seen) == 68
    fields = {f.name for f in dataclasses.fields(ClaimInput)}
    assert fields == {"case_id", "claim", "setting", "sentence", "article", "article_date",
                      "evidence"}
    for ci in spy.seen:
        assert type(ci) is ClaimInput
        blob = json.dumps(ci.to_dict())
        case = cases[ci.case_id]
        assert case.rationale not in blob
        assert not GOLD_KEYS & set(ci.to_dict())
        for ev in ci.evidence:
            assert set(dataclasses.asdict(ev)) == {"id", "url", "title", "date", "text"}
        if setting == "claim":
            assert ci.article is None and ci.sentence is None and ci.evidence == ()
        else:
            assert ci.article == ds.article and case.claim in ci.sentence
        if setting == "evidence":
            assert [e.id for e in ci.evidence] == list(case.evidence)
        else:
            assert ci.evidence == ()


def test_failures_and_timeouts_are_recorded_and_the_run_finishes(tmp_path):
    ds = Dataset.load()
    opts = RunOptions(out_dir=tmp_path, timeout=0.3, workers=4, progress=False)
    result = run_system(FlakyChecker(hang=3.0), ds, opts)
    preds = [json.loads(x) for x in (result.run_dir / "predictions.jsonl").read_text().splitlines()]
    assert len(preds) == 68 and len({p["case_id"] for p in preds}) == 68
    by_id = {p["case_id"]: p for p in preds}
    assert "boom on kcs-005" in by_id["kcs-005"]["error"] and by_id["kcs-005"]["label"] is None
    assert "timed out after 0.3 s" in by_id["kcs-007"]["error"]
    assert by_id["kcs-001"]["error"] is None and by_id["kcs-001"]["label"] == "refuted"
    n_fail = sum(1 for i in range(1, 69) if i % 5 == 0 or i % 7 == 0)
    assert result.record["counts"]["errors"] == n_fail
    assert result.record["status"] == "complete"


def test_max_errors_stops_the_run(tmp_path):
    ds = Dataset.load()
    with pytest.raises(CheckFailed, match="more than --max-errors 2"):
        run_system(FlakyChecker(hang=0.0), ds, RunOptions(out_dir=tmp_path, max_errors=2,
                                                          progress=False))
    [run_dir] = list((tmp_path / ds.name / "flaky").iterdir())
    record = json.loads((run_dir / "run.json").read_text())
    assert record["status"] == "aborted"
    assert len((run_dir / "predictions.jsonl").read_text().splitlines()) == 15  # 3rd error: kcs-015


def _systems_toml(tmp_path: Path, calls_file: Path, sleep: float) -> Path:
    f = tmp_path / "systems.toml"
    f.write_text(f'[systems.counter]\nrunner = "tests.helpers.checkers:CountingChecker"\n'
                 f'calls_file = "{calls_file}"\nsleep = {sleep}\n')
    return f


def _bench(*args: str, cwd: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", "from benchmark.cli import entry; entry()",
                             *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_sigkill_then_resume_makes_exactly_the_remaining_calls(tmp_path):
    calls_file = tmp_path / "calls.txt"
    toml = _systems_toml(tmp_path, calls_file, 0.05)
    args = ("run", "--system", "counter", "--systems-file", str(toml), "--out",
            str(tmp_path / "results"), "--quiet")
    proc = _bench(*args, cwd=tmp_path)
    deadline = time.time() + 30
    while len(calls(calls_file)) < 20 and time.time() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    first = calls(calls_file)
    assert 20 <= len(first) < 68
    [run_dir] = list((tmp_path / "results" / "korea-china-summit-2026" / "counter").iterdir())
    assert json.loads((run_dir / "run.json").read_text())["status"] == "running"
    done_before = {json.loads(x)["case_id"]
                   for x in (run_dir / "predictions.jsonl").read_text().splitlines()}

    proc = _bench(*args, cwd=tmp_path)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Resumed" in out
    second = calls(calls_file)[len(first):]
    assert set(second).isdisjoint(done_before)
    assert len(second) == 68 - len(done_before)
    preds = [json.loads(x)["case_id"]
             for x in (run_dir / "predictions.jsonl").read_text().splitlines()]
    assert len(preds) == 68 and len(set(preds)) == 68
    assert json.loads((run_dir / "run.json").read_text())["status"] == "complete"


def test_changed_param_starts_a_new_run_and_same_command_resumes(tmp_path, bench, monkeypatch):
    monkeypatch.chdir(tmp_path)
    base = ("run", "--system", "random", "--out", str(tmp_path / "r"), "--quiet")
    assert bench(*base, "--param", "seed=1")[0] == 0
    code, out, _ = bench(*base, "--param", "seed=1")
    assert code == 0 and "Resumed" in out and "0 system calls" in out
    assert bench(*base, "--param", "seed=2")[0] == 0
    runs = list((tmp_path / "r" / "korea-china-summit-2026" / "random").iterdir())
    assert len(runs) == 2
    code, out, _ = bench(*base, "--param", "seed=1", "--no-resume")
    assert code == 0 and "Ran random" in out
    assert len(list((tmp_path / "r" / "korea-china-summit-2026" / "random").iterdir())) == 3


def test_random_baseline_is_deterministic_per_seed(tmp_path):
    ds = Dataset.load()
    from runners.baselines import RandomChecker

    def labels(seed, workers):
        r = run_system(RandomChecker(seed=seed), ds,
                       RunOptions(out_dir=tmp_path / f"{seed}-{workers}", workers=workers,
                                  progress=False))
        return {json.loads(x)["case_id"]: json.loads(x)["label"]
                for x in (r.run_dir / "predictions.jsonl").read_text().splitlines()}

    assert labels(3, 1) == labels(3, 4)
    assert labels(3, 1) != labels(4, 1)


def test_systems_toml_configurations_and_errors(tmp_path, bench, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "systems.toml").write_text(
        '[systems.rnd7]\nrunner = "random"\nseed = 7\ndescription = "random, seed 7"\n')
    code, out, _ = bench("systems")
    assert code == 0 and "rnd7" in out and "systems.toml" in out
    code, out, err = bench("run", "--system", "rnd7", "--quiet", "--limit", "3")
    assert code == 0, err
    [run_dir] = list((tmp_path / "results" / "korea-china-summit-2026" / "rnd7").iterdir())
    assert json.loads((run_dir / "run.json").read_text())["system"]["config"]["seed"] == 7

    (tmp_path / "systems.toml").write_text('[systems.bad]\nrunner = "nonexistent"\n')
    code, _, err = bench("systems")
    assert code == 2 and "runner 'nonexistent' is unknown" in err and "systems.toml" in err

    (tmp_path / "systems.toml").write_text('[systems.bad]\nrunner = "random"\ntemperature = 1\n')
    code, _, err = bench("run", "--system", "bad", "--quiet")
    assert code == 2 and "has no parameter 'temperature'" in err
    code, out, _ = bench("systems")
    assert code == 0 and "no parameter 'temperature'" in out

    code, _, err = bench("run", "--system", "random", "--param", "seed=abc", "--quiet")
    assert code == 2 and "parameter 'seed'" in err
    code, _, err = bench("run", "--system", "random", "--param", "seed", "--quiet")
    assert code == 2 and "expected key=value" in err


ENTRY_POINT_MODULE = '''
from benchmark.records import Prediction
from benchmark.systems import Checker

class Shouty(Checker):
    name = "shouty"
    description = "third-party test system"

    def check(self, claim):
        return Prediction(claim.case_id, "refuted" if claim.claim.isupper() else "supported")
'''


def test_third_party_entry_point_system_is_discovered_and_runs(tmp_path):
    src = tmp_path / "src"
    (src / "shouty_checker").mkdir(parents=True)
    (src / "shouty_checker" / "__init__.py").write_text(ENTRY_POINT_MODULE)
    (src / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "shouty-checker"\nversion = "0.1"\n'
        '[project.entry-points."claimbench.systems"]\nshouty = "shouty_checker:Shouty"\n')
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--no-build-isolation", "--target", str(site), str(src)], check=True,
                   capture_output=True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(ROOT)]))
    run = [sys.executable, "-c", "from benchmark.cli import entry; entry()"]
    out = subprocess.run([*run, "systems"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, check=True).stdout
    assert "shouty" in out and "entry point (shouty-checker)" in out
    res = subprocess.run([*run, "run", "--system", "shouty", "--quiet"], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "68/68 cases" in res.stdout


def test_torn_last_line_is_repaired_on_resume(tmp_path):
    ds = Dataset.load()
    opts = RunOptions(out_dir=tmp_path, limit=10, progress=False)
    from runners.baselines import AlwaysSupported

    r = run_system(AlwaysSupported(), ds, opts)
    p = r.run_dir / "predictions.jsonl"
    lines = p.read_text().splitlines(keepends=True)
    p.write_text("".join(lines[:6]) + lines[6][:15])  # a crash mid-write
    r2 = run_system(AlwaysSupported(), ds, opts)
    assert r2.resumed and r2.calls == 4
    ids = [json.loads(x)["case_id"] for x in p.read_text().splitlines()]
    assert len(ids) == 10 == len(set(ids))


def test_rerunning_a_complete_run_leaves_its_record_untouched(tmp_path):
    from runners.baselines import AlwaysSupported

    ds = Dataset.load()
    first = run_system(AlwaysSupported(), ds, RunOptions(out_dir=tmp_path, progress=False))
    before = (first.run_dir / "run.json").read_bytes()
    again = run_system(AlwaysSupported(), ds, RunOptions(out_dir=tmp_path, progress=False))
    assert again.resumed and again.calls == 0 and again.run_dir == first.run_dir
    assert (first.run_dir / "run.json").read_bytes() == before
