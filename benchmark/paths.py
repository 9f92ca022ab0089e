"""Where datasets and schemas live: ``./datasets`` (or ``--datasets-dir``) first, then the bundled ones."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError

DEFAULT_DATASET = "korea-china-summit-2026"


def bundled_data_dir() -> Path:
    """The datasets shipped with the package: ``benchmark/_data`` when installed, else the
    ``datasets`` folder of a source checkout (editable install)."""
    here = Path(__file__).resolve().parent
    installed = here / "_data"
    if (installed / "schema").is_dir():
        return installed
    return here.parent / "datasets"


def schema_dir() -> Path:
    return bundled_data_dir() / "schema"


def dataset_roots(datasets_dir: Path | None = None) -> list[Path]:
    """Folders searched for datasets, first match wins: the user's, then the bundled one."""
    roots: list[Path] = []
    if datasets_dir is not None:
        if not datasets_dir.is_dir():
            raise InputError(f"{datasets_dir}: --datasets-dir is not a directory.")
        roots.append(datasets_dir)
    elif (Path.cwd() / "datasets").is_dir():
        roots.append(Path.cwd() / "datasets")
    roots.append(bundled_data_dir())
    unique: list[Path] = []
    for root in roots:
        if root.resolve() not in [u.resolve() for u in unique]:
            unique.append(root)
    return unique


def list_dataset_dirs(datasets_dir: Path | None = None) -> dict[str, Path]:
    """Every dataset folder (one holding ``dataset.json``) by name; earlier roots shadow later ones."""
    found: dict[str, Path] = {}
    for root in dataset_roots(datasets_dir):
        for child in sorted(root.iterdir()):
            if (child / "dataset.json").is_file() and child.name not in found:
                found[child.name] = child
    return found


def find_dataset_dir(name: str | None, datasets_dir: Path | None = None) -> Path:
    """Resolve a dataset name (or a path to a dataset folder) to its folder."""
    if name is None:
        name = DEFAULT_DATASET
    candidate = Path(name)
    if candidate.is_dir() and (os.sep in name or (candidate / "dataset.json").is_file()):
        return candidate
    if os.sep in name and not candidate.exists():
        raise InputError(f"{name}: no such dataset folder.")
    known = list_dataset_dirs(datasets_dir)
    if name in known:
        return known[name]
    choices = ", ".join(sorted(known)) or "none"
    raise InputError(f"Unknown dataset '{name}'; known datasets: {choices}.")
