"""Build datasets/korea-china-summit-2026 from the annotation table (seed-annotations.md).

Usage: python scripts/build_seed_dataset.py ANNOTATIONS.md ARTICLE.txt OUT_DIR

Kept for provenance: it documents exactly how each case's offsets were derived. The curly quotes,
apostrophes and line breaks of the article are normalised only for *finding* a claim; the stored
claim is always the article's own characters at the stored offsets.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlparse

NORMALISE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\n": " "})
CATEGORY_WORDS = {
    "wrong-person": "names the wrong person",
    "wrong-title-or-organisation": "gives the wrong title or organisation",
    "transliteration": "uses a wrong romanisation of the name",
    "mistranslation": "mistranslates the original",
    "boilerplate-or-residue": "is scraping residue, not part of the report",
}
ADDED_ON = "2026-11-29"


def parse_rows(md: str) -> list[dict]:
    rows = []
    for line in md.splitlines():
        if not re.match(r"^\| S\d", line):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        keys = ["seed", "claim", "label", "category", "span", "correction", "severity",
                "confidence", "evidence", "note"]
        if len(cells) == len(keys) - 1:
            cells.append("")
        rows.append(dict(zip(keys, cells, strict=True)))
    return rows


def date_from_url(url: str) -> str | None:
    for pat in (r"/(20\d\d)/(\d\d)/(\d\d)/", r"/(20\d\d)-(\d\d)-(\d\d)/", r"/(20\d\d)(\d\d)(\d\d)-?\d*$",
                r"/(20\d\d)(\d\d)(\d\d)\d{6,}", r"/(20\d\d)(\d\d)(\d\d)/"):
        m = re.search(pat, url)
        if m:
            y, mo, d = m.groups()
            if 1 <= int(mo) <= 12 and 1 <= int(d) <= 31:
                return f"{y}-{mo}-{d}"
    return None


def title_from_url(url: str) -> str:
    parsed = urlparse(url)
    host = parsed.netloc.removeprefix("www.")
    slug = [p for p in parsed.path.split("/") if p and not p.isdigit()]
    words = slug[-1] if slug else ""
    words = re.sub(r"\.(html?|php)$", "", words)
    words = re.sub(r"[-_+]+", " ", words).strip()
    return f"{host}: {words}" if len(words) > 12 else f"{host} (report)"


def main(annotations: Path, article_path: Path, out: Path) -> None:
    article = article_path.read_text(encoding="utf-8")
    norm = article.translate(NORMALISE)
    assert len(norm) == len(article)
    rows = parse_rows(annotations.read_text(encoding="utf-8"))

    evidence: dict[str, dict] = {}
    cases = []
    cursor = 0
    for i, row in enumerate(rows, start=1):
        claim_norm = row["claim"]
        start = norm.find(claim_norm, cursor)
        if start < 0:
            raise SystemExit(f"{row['seed']}: claim not found after offset {cursor}")
        end = start + len(claim_norm)
        cursor = start
        claim = article[start:end]

        ev_ids = []
        for part in row["evidence"].split(" ; "):
            url, _, text = part.partition(" \u2014 ")
            url = url.strip()
            if url not in evidence:
                evidence[url] = {"id": f"ev-{len(evidence) + 1:03d}", "url": url,
                                 "title": title_from_url(url), "date": date_from_url(url),
                                 "texts": []}
            if text.strip() and text.strip() not in evidence[url]["texts"]:
                evidence[url]["texts"].append(text.strip())
            ev_ids.append(evidence[url]["id"])

        errors = []
        if row["label"] == "refuted":
            span_start = claim.translate(NORMALISE).find(row["span"])
            if span_start < 0:
                raise SystemExit(f"{row['seed']}: span {row['span']!r} not in claim")
            span = claim[span_start:span_start + len(row["span"])]
            correction = "" if row["correction"] == "(delete)" else row["correction"]
            errors.append({"category": row["category"], "span": span, "start": span_start,
                           "end": span_start + len(span), "correction": correction,
                           "severity": row["severity"]})
        cases.append({
            "id": f"kcs-{i:03d}",
            "claim": claim,
            "location": {"start": start, "end": end},
            "label": row["label"],
            "errors": errors,
            "evidence": ev_ids,
            "rationale": rationale(row, errors),
            "confidence": row["confidence"],
            "split": "test",
            "tags": [f"seed:{row['seed']}"] + ([row["category"]] if row["category"] else []),
            "provenance": {"added_by": "seed annotation", "added_on": ADDED_ON},
        })

    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(article_path, out / "article.txt")
    with (out / "cases.jsonl").open("w", encoding="utf-8") as fh:
        for c in cases:
            fh.write(json.dumps(c, ensure_ascii=False) + "\n")
    with (out / "evidence.jsonl").open("w", encoding="utf-8") as fh:
        for ev in evidence.values():
            texts = ev.pop("texts")
            ev["text"] = " ".join(t if t.endswith(".") else t + "." for t in texts[:3])
            fh.write(json.dumps(ev, ensure_ascii=False) + "\n")
    print(f"{len(cases)} cases, {len(evidence)} evidence passages -> {out}")


def rationale(row: dict, errors: list[dict]) -> str:
    """One or two sentences of why, from the annotation: the verdict, then the annotator's note."""
    note = row["note"].strip().replace("The seed", "The article").replace("the seed", "the article")
    if row["label"] == "refuted":
        err = errors[0]
        what = CATEGORY_WORDS.get(err["category"], "is wrong")
        if not err["correction"]:
            text = "Scraping residue, not part of the report: it should be deleted."
            if note.startswith("This is scraping residue"):
                note = note.split(". ", 1)[1] if ". " in note else ""
        else:
            text = f"The text {what}: '{err['span']}' should read '{err['correction']}'."
    elif row["label"] == "supported":
        first = row["evidence"].split(" ; ")[0].partition(" \u2014 ")[2].strip()
        first = re.sub(r"^(BBC( wording| quote)?|Matches the BBC):\s*", "The original has: ", first)
        text = f"Correct as written. {first[0].upper() + first[1:]}"
        text = text if text.endswith(".") else text + "."
    else:
        text = "The available sources cannot settle this claim either way."
    return f"{text} {note}".strip() if note else text


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
