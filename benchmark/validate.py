"""Schema and consistency checks of a dataset folder, reported as ``file:line: field: problem``."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .dataset import ARTICLE, CASES, EVIDENCE, MANIFEST
from .errors import InputError
from .fileio import iter_jsonl, read_json, read_text
from .schemas import schema_problems


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field}: {self.message}"


@dataclass
class Report:
    """The outcome of validating one dataset."""

    path: Path
    problems: list[Problem]
    n_cases: int
    labels: Counter
    n_evidence: int

    @property
    def ok(self) -> bool:
        return not self.problems


def _input_problem(exc: InputError, file: Path) -> Problem:
    """A whole-file problem (missing, empty, not UTF-8); the message starts with the file name."""
    message = re.sub(rf"^{re.escape(str(file))}(:\d+)?: ", "", str(exc))
    return Problem(str(file), None, "(file)", message.rstrip("."))


def validate_dataset(path: Path) -> Report:
    """Check every file of the dataset at ``path``; never raises for bad content."""
    problems: list[Problem] = []
    labels: Counter = Counter()

    manifest_file = path / MANIFEST
    manifest: dict = {}
    try:
        manifest = read_json(manifest_file)
        for fld, msg in schema_problems("manifest", manifest):
            problems.append(Problem(str(manifest_file), None, fld, msg))
    except InputError as exc:
        problems.append(_input_problem(exc, manifest_file))
    if not isinstance(manifest, dict):
        manifest = {}

    article_file = path / ARTICLE
    article: str | None = None
    try:
        article = read_text(article_file)
        if not article.strip():
            problems.append(Problem(str(article_file), None, "(file)", "file is empty"))
    except InputError as exc:
        problems.append(_input_problem(exc, article_file))

    evidence_ids = _validate_evidence(path / EVIDENCE, problems)
    n_cases = _validate_cases(path / CASES, article, manifest, evidence_ids, labels, problems)

    counts = manifest.get("counts") or {}
    if isinstance(counts, dict):
        if "cases" in counts and counts["cases"] != n_cases:
            problems.append(Problem(str(manifest_file), None, "counts.cases",
                                    f"says {counts['cases']} but cases.jsonl has {n_cases}"))
        for label in ("supported", "refuted", "not_enough_info"):
            if label in counts and counts[label] != labels[label]:
                problems.append(Problem(str(manifest_file), None, f"counts.{label}",
                                        f"says {counts[label]} but cases.jsonl has {labels[label]}"))
    return Report(path, problems, n_cases, labels, len(evidence_ids))


def _validate_evidence(file: Path, problems: list[Problem]) -> set[str]:
    ids: set[str] = set()
    if not file.exists():
        return ids
    bad: list[tuple[int, str]] = []
    try:
        for lineno, obj in iter_jsonl(file, bad_lines=bad):
            for fld, msg in schema_problems("evidence", obj):
                problems.append(Problem(str(file), lineno, fld, msg))
            eid = obj.get("id") if isinstance(obj, dict) else None
            if isinstance(eid, str):
                if eid in ids:
                    problems.append(Problem(str(file), lineno, "id", f"duplicate evidence id '{eid}'"))
                ids.add(eid)
    except InputError as exc:
        problems.append(_input_problem(exc, file))
    problems.extend(Problem(str(file), n, "(line)", what) for n, what in bad)
    return ids


def _validate_cases(file: Path, article: str | None, manifest: dict, evidence_ids: set[str],
                    labels: Counter, problems: list[Problem]) -> int:
    allowed_labels = set(manifest.get("labels") or ())
    allowed_categories = set(manifest.get("error_categories") or ())
    seen_ids: dict[str, int] = {}
    seen_claims: dict[tuple, int] = {}
    n = 0
    bad: list[tuple[int, str]] = []
    try:
        for lineno, obj in iter_jsonl(file, allow_empty=False, bad_lines=bad):
            n += 1

            def add(fld: str, msg: str, lineno: int = lineno) -> None:
                problems.append(Problem(str(file), lineno, fld, msg))

            schema_errs = schema_problems("case", obj)
            for fld, msg in schema_errs:
                add(fld, msg)
            if not isinstance(obj, dict):
                continue
            _check_case(obj, add, article, allowed_labels, allowed_categories, evidence_ids,
                        bool(schema_errs))
            cid = obj.get("id")
            if isinstance(cid, str):
                if cid in seen_ids:
                    add("id", f"duplicate id '{cid}' (first on line {seen_ids[cid]})")
                else:
                    seen_ids[cid] = lineno
            loc = obj.get("location") if isinstance(obj.get("location"), dict) else {}
            key = (obj.get("claim"), loc.get("start"), loc.get("end"))
            if key in seen_claims:
                add("claim", f"same claim and location as line {seen_claims[key]}")
            else:
                seen_claims[key] = lineno
            if isinstance(obj.get("label"), str):
                labels[obj["label"]] += 1
    except InputError as exc:
        problems.append(_input_problem(exc, file))
    problems.extend(Problem(str(file), n, "(line)", what) for n, what in bad)
    return n + len(bad)


def _check_case(obj: dict, add, article: str | None, allowed_labels: set[str],
                allowed_categories: set[str], evidence_ids: set[str], schema_failed: bool) -> None:
    claim = obj.get("claim")
    loc = obj.get("location")
    label = obj.get("label")
    errors = obj.get("errors") if isinstance(obj.get("errors"), list) else []
    if allowed_labels and isinstance(label, str) and label not in allowed_labels:
        add("label", f"'{label}' is not in the manifest's labels {sorted(allowed_labels)}")
    if isinstance(loc, dict) and isinstance(claim, str) and article is not None:
        start, end = loc.get("start"), loc.get("end")
        if isinstance(start, int) and isinstance(end, int):
            if not 0 <= start < end <= len(article):
                add("location", f"[{start}, {end}) is outside the article (0..{len(article)})")
            elif article[start:end] != claim:
                add("location", f"article[{start}:{end}] is {article[start:end]!r}, not the claim text")
    if label == "refuted" and not errors:
        add("errors", "a refuted case needs at least one error")
    if label in ("supported", "not_enough_info") and errors:
        add("errors", f"a {label} case must have no errors")
    for i, err in enumerate(errors):
        if not isinstance(err, dict):
            continue
        cat = err.get("category")
        if allowed_categories and isinstance(cat, str) and cat not in allowed_categories:
            add(f"errors.{i}.category", f"'{cat}' is not in the manifest's error_categories")
        start, end, span = err.get("start"), err.get("end"), err.get("span")
        if isinstance(claim, str) and isinstance(start, int) and isinstance(end, int):
            if not 0 <= start < end <= len(claim):
                add(f"errors.{i}", f"[{start}, {end}) is outside the claim (0..{len(claim)})")
            elif claim[start:end] != span:
                add(f"errors.{i}.span", f"claim[{start}:{end}] is {claim[start:end]!r}, not {span!r}")
    for i, eid in enumerate(obj.get("evidence") or ()):
        if isinstance(eid, str) and eid not in evidence_ids:
            add(f"evidence.{i}", f"unknown evidence id '{eid}' (not in evidence.jsonl)")
