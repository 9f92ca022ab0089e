"""Harness throughput and peak memory of `run_system` with a no-op system.

Builds a synthetic dataset (one sentence per case), then runs a no-op checker over it with one
and with eight workers, each in a fresh process so peak RSS is its own. Memory should stay flat
as the number of cases grows: cases are streamed from disk and predictions are streamed to disk.

    python perf/engine.py [--cases 100000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build(root: Path, n: int) -> Path:
    ds = root / f"synthetic-{n}"
    ds.mkdir(parents=True)
    parts, cases, pos = [], [], 0
    for i in range(n):
        sentence = f"Claim number {i} says the harness is fast."
        parts.append(sentence)
        cases.append(json.dumps({
            "id": f"syn-{i:06d}", "claim": sentence, "location": {"start": pos, "end": pos + len(sentence)},
            "label": "supported", "errors": [], "evidence": [], "rationale": "synthetic",
            "confidence": "high"}))
        pos += len(sentence) + 1
    (ds / "article.txt").write_text(" ".join(parts))
    (ds / "cases.jsonl").write_text("\n".join(cases) + "\n")
    (ds / "evidence.jsonl").write_text("")
    (ds / "dataset.json").write_text(json.dumps({
        "name": f"synthetic-{n}", "version": "0.0.1", "title": "synthetic", "description": "",
        "language": "en", "licence": "none", "sources": [], "labels": ["supported"],
        "error_categories": [], "provenance": "perf/engine.py"}))
    return ds


CHILD = """
import sys, time, resource
from pathlib import Path
from benchmark.dataset import Dataset
from benchmark.engine import RunOptions, run_system
from benchmark.records import Prediction
from benchmark.systems import Checker

class NoOp(Checker):
    name = "noop"
    def check(self, claim):
        return Prediction(claim.case_id, "supported")

ds = Dataset.load(sys.argv[1])
_ = ds.hash  # hashing the files is timed separately from the run loop
t0 = time.perf_counter()
res = run_system(NoOp(), ds, RunOptions(out_dir=Path(sys.argv[2]), workers=int(sys.argv[3]),
                                        progress=False, score=False))
dt = time.perf_counter() - t0
assert res.record["counts"]["predicted"] == res.record["counts"]["selected"]
print(dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure(ds: Path, out: Path, workers: int) -> tuple[float, float]:
    res = subprocess.run([sys.executable, "-c", CHILD, str(ds), str(out), str(workers)],
                         capture_output=True, text=True, check=True)
    dt, rss_kb = res.stdout.split()
    return float(dt), int(rss_kb) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        small = build(root, args.cases // 10)
        big = build(root, args.cases)
        print(f"built synthetic datasets in {time.perf_counter() - t0:.1f} s")
        print(f"{'cases':>8} {'workers':>7} {'seconds':>8} {'cases/s':>9} {'peak RSS MB':>12}")
        for ds, n in ((small, args.cases // 10), (big, args.cases)):
            for workers in (1, 8):
                dt, rss = measure(ds, root / f"out-{n}-{workers}", workers)
                print(f"{n:>8} {workers:>7} {dt:>8.2f} {n / dt:>9.0f} {rss:>12.1f}")
    print(f"(python {sys.version.split()[0]}, max RSS of this parent "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
