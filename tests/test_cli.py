"""The command line: help everywhere, lazy imports, one-sentence errors, a non-editable install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ["datasets", "validate", "new", "add", "systems", "run", "score", "leaderboard",
            "compare", "plot"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_explains_itself(bench, command):
    code, out, _ = bench(command, "--help")
    assert code == 0
    assert "Usage: bench " + command in out
    assert len(out.splitlines()) > 4


def test_top_level_help_lists_all_commands(bench):
    code, out, _ = bench("--help")
    assert code == 0
    for command in COMMANDS:
        assert command in out


def test_cli_import_is_light():
    """`bench --help` must not pay for numpy, jsonschema, matplotlib or HTTP clients."""
    code = ("import sys, benchmark.cli; heavy = [m for m in ('numpy', 'jsonschema', 'matplotlib', "
            "'pandas', 'httpx', 'tqdm', 'rapidfuzz') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.strip()
    assert out == "[]"


def test_bad_option_value_is_usage_error(bench):
    code, _, err = bench("run", "--system", "random", "--setting", "nonsense")
    assert code == 2 and "nonsense" in err


def test_unknown_system_is_one_sentence(bench):
    code, _, err = bench("run", "--system", "nope")
    assert code == 2 and err.startswith("error: Unknown system 'nope'")
    assert "Traceback" not in err


def test_non_editable_install_finds_bundled_data_from_elsewhere(tmp_path):
    """The wheel carries the datasets and schemas inside the package (benchmark/_data)."""
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--no-build-isolation", "--target", str(target), str(ROOT)], check=True,
                   capture_output=True)
    assert (target / "benchmark" / "_data" / "schema" / "case.schema.json").is_file()
    assert not (target / "datasets").exists(), "no top-level 'datasets' package may be installed"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target))
    run = [sys.executable, "-c", "from benchmark.cli import entry; entry()"]
    res = subprocess.run([*run, "datasets"], cwd=elsewhere, env=env, capture_output=True,
                         text=True)
    assert res.returncode == 0, res.stderr
    assert "korea-china-summit-2026" in res.stdout and "46/19/3" in res.stdout
    assert str(target) in res.stdout
    res = subprocess.run([*run, "validate", "korea-china-summit-2026"], cwd=elsewhere, env=env,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_local_datasets_folder_takes_precedence(seed_copy, bench, monkeypatch):
    monkeypatch.chdir(seed_copy.parent.parent)
    code, out, _ = bench("datasets")
    assert code == 0 and str(Path("datasets") / "korea-china-summit-2026") in out


def test_public_api_resolves():
    import benchmark

    for name in benchmark.__all__:
        assert getattr(benchmark, name) is not None, name
    with pytest.raises(AttributeError):
        benchmark.no_such_thing  # noqa: B018
