"""Typed records that flow through the harness: cases, evidence, what a checker sees, predictions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

LABELS: tuple[str, ...] = ("supported", "refuted", "not_enough_info")
CATEGORIES: tuple[str, ...] = (
    "wrong-person",
    "wrong-title-or-organisation",
    "transliteration",
    "mistranslation",
    "wrong-number-or-date",
    "boilerplate-or-residue",
    "other",
)
SEVERITIES: tuple[str, ...] = ("major", "minor")
CONFIDENCES: tuple[str, ...] = ("high", "medium", "low")
SPLITS: tuple[str, ...] = ("test", "dev")
SETTINGS: tuple[str, ...] = ("claim", "article", "evidence")


@dataclass(frozen=True)
class ErrorAnnotation:
    """A gold error inside a claim: ``claim[start:end] == span``."""

    category: str
    span: str
    start: int
    end: int
    correction: str
    severity: str


@dataclass(frozen=True)
class Case:
    """One labelled claim of a dataset."""

    id: str
    claim: str
    start: int
    end: int
    label: str
    errors: tuple[ErrorAnnotation, ...] = ()
    evidence: tuple[str, ...] = ()
    rationale: str = ""
    confidence: str = "high"
    split: str = "test"
    tags: tuple[str, ...] = ()
    provenance: dict[str, str] | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Case:
        loc = d["location"]
        return cls(
            id=d["id"],
            claim=d["claim"],
            start=loc["start"],
            end=loc["end"],
            label=d["label"],
            errors=tuple(ErrorAnnotation(**e) for e in d.get("errors", ())),
            evidence=tuple(d.get("evidence", ())),
            rationale=d.get("rationale", ""),
            confidence=d.get("confidence", "high"),
            split=d.get("split", "test"),
            tags=tuple(d.get("tags", ())),
            provenance=d.get("provenance"),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "claim": self.claim,
            "location": {"start": self.start, "end": self.end},
            "label": self.label,
            "errors": [asdict(e) for e in self.errors],
            "evidence": list(self.evidence),
            "rationale": self.rationale,
            "confidence": self.confidence,
            "split": self.split,
            "tags": list(self.tags),
        }
        if self.provenance is not None:
            out["provenance"] = dict(self.provenance)
        return out


@dataclass(frozen=True)
class Evidence:
    """A short evidence passage in the dataset's own words, with its source."""

    id: str
    url: str
    title: str
    date: str | None
    text: str


@dataclass(frozen=True)
class ClaimInput:
    """Everything a checker is allowed to see about one case. Never a label or any gold field.

    ``sentence`` and ``article`` are ``None`` in the ``claim`` setting; ``evidence`` is empty
    except in the ``evidence`` setting.
    """

    case_id: str
    claim: str
    setting: str
    sentence: str | None = None
    article: str | None = None
    article_date: str | None = None
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["evidence"] = [asdict(e) for e in self.evidence]
        return d


@dataclass
class PredictedError:
    """An error a system says it found: the wrong words, what they should be, and why."""

    span: str
    correction: str | None = None
    category: str | None = None


@dataclass
class Prediction:
    """What a system said about one case. ``label`` is ``None`` only when ``error`` is set."""

    case_id: str
    label: str | None
    errors: list[PredictedError] = field(default_factory=list)
    confidence: float | None = None  # probability that the claim is refuted
    rationale: str | None = None
    latency_s: float | None = None
    usage: dict[str, int] | None = None
    error: str | None = None
    raw: str | None = None  # the raw answer, kept when it could not be parsed

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"case_id": self.case_id, "label": self.label}
        if self.errors:
            d["errors"] = [
                {k: v for k, v in asdict(e).items() if v is not None} for e in self.errors
            ]
        for key in ("confidence", "rationale", "latency_s", "usage", "raw"):
            value = getattr(self, key)
            if value is not None:
                d[key] = value
        d["error"] = self.error
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Prediction:
        return cls(
            case_id=d["case_id"],
            label=d.get("label"),
            errors=[PredictedError(**e) for e in d.get("errors") or ()],
            confidence=d.get("confidence"),
            rationale=d.get("rationale"),
            latency_s=d.get("latency_s"),
            usage=d.get("usage"),
            error=d.get("error"),
            raw=d.get("raw"),
        )
