"""The README stays true: its two commands exist and its leaderboard is the generated one."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_first_screen_has_the_two_commands():
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:30])
    assert "pip install . && .venv/bin/bench run --system kb" in first_screen
    assert "./scripts/setup-dev.sh && .venv/bin/python -m pytest -q" in first_screen
    ci = (ROOT / ".ci" / "run").read_text()
    assert "./scripts/setup-dev.sh && .venv/bin/python -m pytest -q" in ci


def test_readme_leaderboard_is_generated_from_committed_results():
    spec = importlib.util.spec_from_file_location("update_readme",
                                                  ROOT / "scripts" / "update_readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (ROOT / "README.md").read_text()
    assert module.render(current) == current, "run: python scripts/update_readme.py"
    assert "| 1 | kb |" in current
