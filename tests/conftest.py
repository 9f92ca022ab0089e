from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from benchmark.cli import main
from benchmark.paths import bundled_data_dir

SEED = "korea-china-summit-2026"


@pytest.fixture
def bench(capsys):
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled dataset under tmp_path/datasets."""
    target = tmp_path / "datasets" / SEED
    shutil.copytree(bundled_data_dir() / SEED, target)
    return target


def read_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in (path / "cases.jsonl").read_text().splitlines() if line]


def write_cases(path: Path, cases: list[dict]) -> None:
    (path / "cases.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cases))


@pytest.fixture
def small_dataset(tmp_path: Path) -> Path:
    """A tiny dataset with a synthetic article of numbered sentences and no cases yet."""
    from benchmark.authoring import new_dataset

    article = tmp_path / "article.txt"
    article.write_text(" ".join(f"Sentence {i} says that Alice Smith met Bob Jones in city {i}."
                                for i in range(300)))
    return new_dataset(tmp_path / "datasets", "tiny-set", article, title="Tiny")
