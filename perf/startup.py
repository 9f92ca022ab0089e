"""Start-up time of `bench --help` (heavy libraries must be imported lazily).

    python perf/startup.py [--repeat 10]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    cmd = [sys.executable, "-c", "import sys; from benchmark.cli import main; "
           "sys.exit(main(['--help']))"]
    subprocess.run(cmd, capture_output=True, check=True)  # warm the file cache
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
    base = [sys.executable, "-c", "pass"]
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        subprocess.run(base, capture_output=True, check=True)
    bare = (time.perf_counter() - t0) / args.repeat
    print(f"bench --help: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {args.repeat} runs "
          f"(bare interpreter start: {bare * 1000:.0f} ms); target < 500 ms")


if __name__ == "__main__":
    main()
