"""Growing datasets: create a new dataset folder, add labelled cases safely (locked, atomic)."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dataset import ARTICLE, CASES, EVIDENCE, MANIFEST
from .errors import CheckFailed, InputError
from .fileio import (
    atomic_write_json,
    atomic_write_text,
    dumps_line,
    file_lock,
    iter_jsonl,
    read_json,
    read_text,
)
from .records import CATEGORIES, LABELS
from .schemas import schema_problems
from .validate import _check_case

LOCK_NAME = ".claimbench.lock"
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class ErrorDraft:
    category: str
    span: str
    correction: str = ""
    severity: str = "major"
    start: int | None = None  # offset in the claim; found from the span when omitted

    @classmethod
    def parse(cls, text: str) -> ErrorDraft:
        """Parse the ``--error`` form ``category|wrong span|correction|severity``."""
        parts = text.split("|")
        if len(parts) not in (2, 3, 4):
            raise InputError(
                f"--error {text!r}: expected 'category|wrong span|correction|severity' "
                "(correction and severity may be left out)."
            )
        parts += [""] * (4 - len(parts))
        category, span, correction, severity = (p.strip() for p in parts)
        return cls(category, span, correction, severity or "major")


@dataclass
class CaseDraft:
    """A case as a user gives it: offsets and id are worked out when it is added."""

    claim: str
    label: str
    errors: list[ErrorDraft] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    rationale: str = ""
    confidence: str = "medium"
    split: str = "test"
    tags: list[str] = field(default_factory=list)
    start: int | None = None
    id: str | None = None
    added_by: str = "bench add"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CaseDraft:
        """Accept a full case (with location and error offsets) or a partial one."""
        if not isinstance(d, dict):
            raise InputError("expected a JSON object")
        loc = d.get("location") or {}
        errors = [
            ErrorDraft(e.get("category", ""), e.get("span", ""), e.get("correction", ""),
                       e.get("severity", "major"), e.get("start"))
            for e in d.get("errors") or ()
            if isinstance(e, dict)
        ]
        prov = d.get("provenance") or {}
        return cls(
            claim=d.get("claim", ""), label=d.get("label", ""), errors=errors,
            evidence=list(d.get("evidence") or ()), rationale=d.get("rationale", ""),
            confidence=d.get("confidence", "medium"), split=d.get("split", "test"),
            tags=list(d.get("tags") or ()), start=loc.get("start", d.get("start")), id=d.get("id"),
            added_by=prov.get("added_by", "bench add"),
        )


def find_all(text: str, sub: str) -> list[int]:
    out, i = [], text.find(sub)
    while sub and i >= 0:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


def new_dataset(root: Path, name: str, article_file: Path, *, title: str | None = None,
                description: str = "", language: str = "en", licence: str = "unspecified",
                article_date: str | None = None) -> Path:
    """Create ``root/name`` with a manifest, the article and empty case/evidence files."""
    if not _NAME_RE.match(name):
        raise InputError(f"Dataset name {name!r} must be lower-case letters, digits and hyphens.")
    target = root / name
    if target.exists():
        raise InputError(f"{target}: already exists; choose another name.")
    article = read_text(article_file)
    if not article.strip():
        raise InputError(f"{article_file}: the article is empty.")
    manifest = {
        "name": name,
        "version": "0.1.0",
        "title": title or name.replace("-", " ").capitalize(),
        "description": description,
        "language": language,
        "licence": licence,
        "id_prefix": re.sub(r"[^a-z0-9]", "", name.split("-")[0]) or "case",
        "article_date": article_date,
        "sources": [{"file": ARTICLE, "description": f"Copied from {article_file.name}."}],
        "labels": list(LABELS),
        "error_categories": list(CATEGORIES),
        "provenance": f"Created with `bench new` on {_dt.date.today().isoformat()}.",
    }
    problems = schema_problems("manifest", manifest)
    if problems:
        raise InputError("; ".join(f"{f}: {m}" for f, m in problems))
    target.mkdir(parents=True)
    atomic_write_text(target / ARTICLE, article)
    atomic_write_text(target / CASES, "")
    atomic_write_text(target / EVIDENCE, "")
    atomic_write_json(target / MANIFEST, manifest)
    return target


def add_cases(dataset_dir: Path, drafts: Iterable[tuple[str, CaseDraft]], *,
              dry_run: bool = False, known_problems: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Add cases all-or-nothing under an inter-process lock; return the case records written.

    ``drafts`` pairs each draft with where it came from (``"file:line"`` or ``"--claim"``), used in
    messages. If any draft is invalid nothing is written and every problem is reported at once,
    together with ``known_problems`` found earlier (e.g. lines of a file that did not parse).
    """
    drafts = list(drafts)
    with file_lock(dataset_dir / LOCK_NAME):
        manifest = read_json(dataset_dir / MANIFEST)
        article = read_text(dataset_dir / ARTICLE)
        cases_file = dataset_dir / CASES
        existing_text = read_text(cases_file) if cases_file.exists() else ""
        existing = [obj for _, obj in iter_jsonl(cases_file)] if cases_file.exists() else []
        evidence_ids = {obj.get("id") for _, obj in iter_jsonl(dataset_dir / EVIDENCE)} \
            if (dataset_dir / EVIDENCE).exists() else set()

        prefix = str(manifest.get("id_prefix") or manifest["name"].split("-")[0])
        ids = {c.get("id") for c in existing}
        keys = {(c.get("claim"), (c.get("location") or {}).get("start")) for c in existing}
        next_num = 1 + max([_id_number(i, prefix) for i in ids] + [0])
        today = _dt.date.today().isoformat()

        records: list[dict[str, Any]] = []
        problems = list(known_problems)
        for origin, draft in drafts:
            rec, errs = _build(draft, article, prefix, next_num, today)
            if rec is not None:
                if rec["id"] in ids:
                    errs.append(f"id: '{rec['id']}' is already used")
                key = (rec["claim"], rec["location"]["start"])
                if key in keys:
                    errs.append("claim: the same claim at the same offset is already in the dataset")
                errs += [f"{f}: {m}" for f, m in schema_problems("case", rec)]
                _check_case(rec, lambda f, m, errs=errs: errs.append(f"{f}: {m}"), article,
                            set(manifest.get("labels") or LABELS),
                            set(manifest.get("error_categories") or CATEGORIES), evidence_ids, False)
            if errs:
                problems += [f"{origin}: {e}" for e in dict.fromkeys(errs)]
                continue
            ids.add(rec["id"])
            keys.add(key)
            if draft.id is None:
                next_num += 1
            records.append(rec)

        if problems:
            raise CheckFailed("Nothing was added:\n" + "\n".join(problems), exit_code=2)
        if dry_run or not records:
            return records

        if existing_text and not existing_text.endswith("\n"):
            existing_text += "\n"
        atomic_write_text(cases_file, existing_text + "".join(dumps_line(r) for r in records))
        if isinstance(manifest.get("counts"), dict):
            counts = manifest["counts"]
            counts["cases"] = len(existing) + len(records)
            for label in LABELS:
                if label in counts:
                    counts[label] += sum(r["label"] == label for r in records)
            atomic_write_json(dataset_dir / MANIFEST, manifest)
        return records


def _id_number(case_id: Any, prefix: str) -> int:
    m = re.fullmatch(rf"{re.escape(prefix)}-(\d+)", str(case_id))
    return int(m.group(1)) if m else 0


def _build(draft: CaseDraft, article: str, prefix: str, num: int,
           today: str) -> tuple[dict[str, Any] | None, list[str]]:
    errs: list[str] = []
    if not draft.claim:
        return None, ["claim: is required"]
    if draft.label not in LABELS:
        return None, [f"label: {draft.label!r} is not one of {', '.join(LABELS)}"]
    hits = find_all(article, draft.claim)
    if draft.start is not None:
        if draft.start not in hits:
            where = f" (it occurs at {', '.join(map(str, hits))})" if hits else ""
            return None, [f"claim: the text is not at offset {draft.start} of article.txt{where}"]
        start = draft.start
    elif not hits:
        return None, ["claim: the text does not occur in article.txt (it must match exactly)"]
    elif len(hits) > 1:
        return None, [f"claim: the text occurs {len(hits)} times in article.txt (at "
                      f"{', '.join(map(str, hits))}); give --start to choose one"]
    else:
        start = hits[0]
    errors = []
    for i, e in enumerate(draft.errors):
        span_hits = find_all(draft.claim, e.span) if e.span else []
        if e.start is not None:
            es = e.start
        elif not span_hits:
            errs.append(f"errors.{i}.span: {e.span!r} does not occur in the claim")
            continue
        else:
            es = span_hits[0]
        errors.append({"category": e.category, "span": e.span, "start": es, "end": es + len(e.span),
                       "correction": e.correction, "severity": e.severity})
    rec = {
        "id": draft.id or f"{prefix}-{num:03d}",
        "claim": draft.claim,
        "location": {"start": start, "end": start + len(draft.claim)},
        "label": draft.label,
        "errors": errors,
        "evidence": list(draft.evidence),
        "rationale": draft.rationale or "",
        "confidence": draft.confidence,
        "split": draft.split,
        "tags": list(draft.tags),
        "provenance": {"added_by": draft.added_by, "added_on": today},
    }
    if not rec["rationale"]:
        errs.append("rationale: is required (one or two sentences: why this label)")
    return rec, errs


def drafts_from_file(path: Path) -> tuple[list[tuple[str, CaseDraft]], list[str]]:
    """Read drafts from a JSONL file: ``(drafts, problems)``, one problem per unreadable line."""
    out: list[tuple[str, CaseDraft]] = []
    problems: list[str] = []
    bad: list[tuple[int, str]] = []
    try:
        for lineno, obj in iter_jsonl(path, allow_empty=False, bad_lines=bad):
            try:
                out.append((f"{path}:{lineno}", CaseDraft.from_dict(obj)))
            except (InputError, AttributeError, TypeError) as exc:
                problems.append(f"{path}:{lineno}: {exc}")
    except InputError as exc:
        problems.append(str(exc))
    problems += [f"{path}:{n}: {what}" for n, what in bad]
    return out, problems
