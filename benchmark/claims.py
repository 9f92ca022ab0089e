"""Turning cases into what a checker sees (:class:`ClaimInput`) for a setting."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from .dataset import Dataset
from .errors import InputError
from .records import SETTINGS, Case, ClaimInput

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+|\n+")


class SentenceIndex:
    """Sentence boundaries of an article, for finding the sentence(s) around a claim."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]

    def around(self, start: int, end: int) -> str:
        i = bisect.bisect_right(self.starts, start) - 1
        j = bisect.bisect_left(self.starts, max(end, start + 1))
        s = self.starts[max(i, 0)]
        e = self.starts[j] if j < len(self.starts) else len(self.text)
        return self.text[s:e].strip()


def claim_inputs(dataset: Dataset, cases: Iterator[Case], setting: str) -> Iterator[ClaimInput]:
    """Yield the checker's view of each case. Only non-gold fields are copied."""
    if setting not in SETTINGS:
        raise InputError(f"Unknown setting '{setting}'; choose one of {', '.join(SETTINGS)}.")
    article = dataset.article if setting != "claim" else None
    index = SentenceIndex(article) if article is not None else None
    evidence = dataset.evidence if setting == "evidence" else {}
    date = dataset.article_date
    for case in cases:
        yield ClaimInput(
            case_id=case.id,
            claim=case.claim,
            setting=setting,
            sentence=index.around(case.start, case.end) if index else None,
            article=article,
            article_date=date if setting != "claim" else None,
            evidence=tuple(evidence[e] for e in case.evidence if e in evidence),
        )
