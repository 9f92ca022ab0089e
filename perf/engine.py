"""Harness throughput and peak memory of `run_system` with a no-op system.

Builds a synthetic dataset (cases over a fixed 1,000-sentence article), then runs a no-op
checker over it with one and with eight workers, each in a fresh process that reports its own
peak resident memory (VmHWM). Memory should stay flat as the number of cases grows: cases are
streamed from disk and predictions are appended to disk as they come.

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


def build(root: Path, n: int, sentences: int = 1000) -> Path:
    """A dataset of ``n`` cases over a fixed article of ``sentences`` sentences, so that only
    the number of cases grows."""
    ds = root / f"synthetic-{n}"
    ds.mkdir(parents=True)
    parts, spans, pos = [], [], 0
    for i in range(sentences):
        sentence = f"Claim number {i} says the harness is fast."
        parts.append(sentence)
        spans.append((sentence, pos))
        pos += len(sentence) + 1
    cases = []
    for i in range(n):
        sentence, start = spans[i % sentences]
        cases.append(json.dumps({
            "id": f"syn-{i:06d}", "claim": sentence,
            "location": {"start": start, "end": start + len(sentence)},
            "label": "supported", "errors": [], "evidence": [], "rationale": "synthetic",
            "confidence": "high"}))
    (ds / "article.txt").write_text(" ".join(parts))
    (ds / "cases.jsonl").write_text("\n".join(cases) + "\n")
    (ds / "evidence.jsonl").write_text("")
    (ds / "dataset.json").write_text(json.dumps({
        "name": f"synthetic-{n}", "version": "0.0.1", "title": "synthetic", "description": "",
        "language": "en", "licence": "none", "sources": [], "labels": ["supported"],
        "error_categories": [], "provenance": "perf/engine.py"}))
    return ds


CHILD = """
import sys, time
from pathlib import Path
from benchmark.dataset import Dataset
from benchmark.engine import RunOptions, run_system
from benchmark.records import Prediction
from benchmark.systems import Checker

class NoOp(Checker):
    name = "noop"
    def check(self, claim):
        return Prediction(claim.case_id, "supported")

def status_mb(key):  # this process's own figures (ru_maxrss would include the parent's at fork)
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) for l in fh if l.startswith(key)) / 1024

ds = Dataset.load(sys.argv[1])
_ = ds.hash  # hashing the files is timed separately from the run loop
_ = ds.article
before = status_mb("VmRSS")
t0 = time.perf_counter()
res = run_system(NoOp(), ds, RunOptions(out_dir=Path(sys.argv[2]), workers=int(sys.argv[3]),
                                        progress=False, score=False))
dt = time.perf_counter() - t0
assert res.record["counts"]["predicted"] == res.record["counts"]["selected"]
print(dt, status_mb("VmHWM"), before)
"""


def measure(ds: Path, out: Path, workers: int) -> tuple[float, float, float]:
    res = subprocess.run([sys.executable, "-c", CHILD, str(ds), str(out), str(workers)],
                         capture_output=True, text=True, check=True)
    dt, peak_mb, before_mb = res.stdout.split()
    return float(dt), float(peak_mb), float(before_mb)


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
        print(f"{'cases':>8} {'workers':>7} {'seconds':>8} {'cases/s':>9} {'RSS before MB':>14} "
              f"{'peak RSS MB':>12} {'growth MB':>10}")
        for ds, n in ((small, args.cases // 10), (big, args.cases)):
            for workers in (1, 8):
                dt, peak, before = measure(ds, root / f"out-{n}-{workers}", workers)
                print(f"{n:>8} {workers:>7} {dt:>8.2f} {n / dt:>9.0f} {before:>14.1f} "
                      f"{peak:>12.1f} {peak - before:>10.1f}")
    print(f"(python {sys.version.split()[0]}, max RSS of this parent "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
