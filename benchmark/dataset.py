"""Loading a dataset folder: manifest, article, cases (streamed), evidence and its content hash."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import InputError
from .fileio import iter_jsonl, read_json, read_text
from .paths import find_dataset_dir
from .records import Case, Evidence

MANIFEST = "dataset.json"
ARTICLE = "article.txt"
CASES = "cases.jsonl"
EVIDENCE = "evidence.jsonl"
HASHED_FILES = (MANIFEST, ARTICLE, CASES, EVIDENCE)


def content_hash(path: Path) -> str:
    """SHA-256 over the dataset's files (name, size and bytes of each), read in chunks."""
    h = hashlib.sha256()
    for name in HASHED_FILES:
        f = path / name
        h.update(name.encode() + b"\0")
        if not f.exists():
            h.update(b"-\0")
            continue
        h.update(str(f.stat().st_size).encode() + b"\0")
        with f.open("rb") as fh:
            for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


@dataclass
class Dataset:
    """A dataset folder. Cases are read lazily and streamed, so large datasets stay cheap."""

    path: Path
    manifest: dict[str, Any] = field(repr=False)

    @classmethod
    def load(cls, name: str | None = None, datasets_dir: Path | None = None) -> Dataset:
        path = find_dataset_dir(name, datasets_dir)
        manifest = read_json(path / MANIFEST)
        if not isinstance(manifest, dict) or "name" not in manifest:
            raise InputError(f"{path / MANIFEST}: expected a JSON object with a 'name' field.")
        return cls(path=path, manifest=manifest)

    @property
    def name(self) -> str:
        return str(self.manifest["name"])

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", "0.0.0"))

    @property
    def article_date(self) -> str | None:
        return self.manifest.get("article_date")

    @property
    def id_prefix(self) -> str:
        return str(self.manifest.get("id_prefix") or self.name.split("-")[0])

    @cached_property
    def article(self) -> str:
        return read_text(self.path / ARTICLE)

    @cached_property
    def hash(self) -> str:
        return content_hash(self.path)

    def iter_cases(self, split: str | None = None) -> Iterator[Case]:
        """Stream the cases, optionally of one split; a malformed line raises InputError."""
        file = self.path / CASES
        for lineno, obj in iter_jsonl(file):
            try:
                case = Case.from_dict(obj)
            except (KeyError, TypeError, AttributeError) as exc:
                raise InputError(
                    f"{file}:{lineno}: not a valid case ({exc!s}); run `bench validate` for details."
                ) from None
            if split is None or case.split == split:
                yield case

    def cases(self, split: str | None = None) -> list[Case]:
        return list(self.iter_cases(split))

    @cached_property
    def evidence(self) -> dict[str, Evidence]:
        file = self.path / EVIDENCE
        if not file.exists():
            return {}
        out: dict[str, Evidence] = {}
        for lineno, obj in iter_jsonl(file):
            try:
                out[obj["id"]] = Evidence(**obj)
            except (KeyError, TypeError) as exc:
                raise InputError(f"{file}:{lineno}: not a valid evidence passage ({exc!s}).") from None
        return out
