"""Regenerate the leaderboard block of README.md from the committed runs in results/.

    python scripts/update_readme.py          # rewrite README.md
    python scripts/update_readme.py --check  # exit 1 if README.md is out of date
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

from benchmark.cli import main

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- leaderboard:start -->", "<!-- leaderboard:end -->"


def generated() -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["leaderboard", "--format", "markdown", "--results-dir",
                     str(ROOT / "results")])
    if code:
        raise SystemExit(code)
    return buf.getvalue().strip()


def render(readme: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{generated()}\n{END}{tail}"


if __name__ == "__main__":
    path = ROOT / "README.md"
    current = path.read_text(encoding="utf-8")
    new = render(current)
    if "--check" in sys.argv:
        sys.exit(0 if new == current else 1)
    path.write_text(new, encoding="utf-8")
