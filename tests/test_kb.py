"""The knowledge-based checker: targets on the bundled dataset, general rules on unseen text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmark.dataset import Dataset
from benchmark.engine import RunOptions, run_system
from benchmark.errors import InputError
from benchmark.records import ClaimInput
from benchmark.scoring import score, select_cases
from runners.kb import KnowledgeChecker

ROOT = Path(__file__).resolve().parents[1]
TARGET = ("wrong-person", "wrong-title-or-organisation", "transliteration")


@pytest.fixture(scope="module")
def kb_report(tmp_path_factory):
    ds = Dataset.load()
    res = run_system(KnowledgeChecker(), ds, RunOptions(out_dir=tmp_path_factory.mktemp("r"),
                                                        progress=False))
    preds = {json.loads(x)["case_id"]: json.loads(x)
             for x in (res.run_dir / "predictions.jsonl").read_text().splitlines()}
    return score(select_cases(ds), preds, n_resamples=200), preds


def test_meets_detection_and_false_alarm_targets(kb_report):
    report, _ = kb_report
    det = report["detection"]
    caught = sum(round(det[c]["rate"]["value"] * det[c]["n"]) for c in TARGET)
    total = sum(det[c]["n"] for c in TARGET)
    assert total == 13
    assert caught / total >= 0.90
    assert report["headline"]["false_alarm_rate"]["value"] <= 0.10


def test_corrections_point_at_the_right_words(kb_report):
    report, preds = kb_report
    assert report["span"]["span_precision"]["value"] >= 0.9
    wei = next(c for c in Dataset.load().cases() if c.claim.startswith("Wei "))
    assert preds[wei.id]["errors"][0]["span"] == "Wei"
    assert preds[wei.id]["errors"][0]["correction"] == "Wi"


def check(text: str, sentence: str | None = None, article: str | None = None):
    ci = ClaimInput("x-1", text, "article", sentence or text, article or text, "2026-01-04")
    return KnowledgeChecker().check(ci)


@pytest.mark.parametrize(
    ("text", "category", "span"),
    [
        # sentences written for this test, not taken from the dataset
        ("Lee Myung-bak toured a factory in Shanghai with Xi Jinping.", "wrong-person",
         "Lee Myung-bak"),
        ("Wee Song-nak, head of South Korea's National Security Office, briefed reporters.",
         "transliteration", "Wee Song-nak"),
        ("Wi Sung-lac, director of South Korea's National Intelligence Service, spoke.",
         "wrong-title-or-organisation", "National Intelligence Service"),
        ("Yoon Suk-yol was removed from office in April.", "transliteration", "Yoon Suk-yol"),
    ],
)
def test_flags_unseen_rewrites(text, category, span):
    pred = check(text)
    assert pred.label == "refuted"
    assert (pred.errors[0].category, pred.errors[0].span) == (category, span)


@pytest.mark.parametrize(
    "text",
    [
        "Lee Jae Myung met Xi Jinping at the Great Hall of the People.",
        "Samsung chairman Lee Jae-yong joined the business delegation in Beijing.",
        "Singapore's former leader Lee Hsien Loong once visited Beijing too.",
        "Kim Jong-un watched the launch.",
        "Premier Li Qiang hosted a lunch in Beijing.",
    ],
)
def test_leaves_correct_unseen_sentences_alone(text):
    assert check(text).label == "supported"


def test_bad_knowledge_file_is_one_sentence(tmp_path):
    bad = tmp_path / "k.json"
    bad.write_text(json.dumps({"article_date": "2026-01-04", "people": [{"id": "x"}],
                               "organisations": [], "events": []}))
    with pytest.raises(InputError, match=r"k.json: people.0.name: is required"):
        KnowledgeChecker(knowledge=str(bad))


def test_runner_code_holds_no_string_from_the_article_or_cases():
    code = (ROOT / "runners" / "kb.py").read_text()
    ds = Dataset.load()
    needles = set()
    for case in ds.cases():
        for e in case.errors:
            needles.update([e.span, e.correction])
    needles.update(re.findall(r"\b[A-Z][a-z]+(?:[- ][A-Z]?[a-z]+)+\b", ds.article))
    found = [n for n in needles if n and re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", code)]
    assert not found, found


def test_uses_the_knowledge_file_beside_the_dataset(small_dataset, bench, tmp_path):
    out = tmp_path / "r"
    (small_dataset / "cases.jsonl").write_text(json.dumps({
        "id": "tiny-001", "claim": "Sentence 1 says that Alice Smith met Bob Jones",
        "location": {"start": 0, "end": 0}, "label": "supported", "errors": [], "evidence": [],
        "rationale": "r", "confidence": "high"}) + "\n")
    code, _, err = bench("run", "--system", "kb", "--dataset", str(small_dataset), "--out",
                         str(out), "--quiet")
    assert code == 2 and "has no knowledge.json" in err and "--param knowledge" in err
    knowledge = {"article_date": "2026-01-01", "events": [],
                 "people": [{"id": "a", "name": "Alice Smith", "family_name": "Smith"}],
                 "organisations": []}
    (small_dataset / "knowledge.json").write_text(json.dumps(knowledge))
    code, out_text, err = bench("run", "--system", "kb", "--dataset", str(small_dataset),
                                "--out", str(out), "--quiet")
    assert code == 0, err
    [run_dir] = list((out / "tiny-set" / "kb").iterdir())
    pred = json.loads((run_dir / "predictions.jsonl").read_text())
    assert pred["label"] == "supported"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Xi Jin-ping hosted a banquet.", "supported"),  # hyphenation of a known name
        ("Former President Lee Myung-bak was not invited.", "supported"),  # his own past title
        ("Samsung Executive Chairman Lee Jae-yong joined.", "supported"),
        ("South Korean President Lee Myung-bak arrived in Beijing.", "refuted"),  # not in 2026
        ("Lee Jae-yong said that his visit opens a new chapter.", "refuted"),
    ],
)
def test_titles_confirm_or_contradict_a_person(text, label):
    assert check(text).label == label


def test_an_organisation_error_does_not_make_the_person_wrong():
    pred = check("Lee Jong-seok, director of the National Security Office, attended.")
    assert [(e.category, e.span, e.correction) for e in pred.errors] == [
        ("wrong-title-or-organisation", "National Security Office", "National Intelligence Service")]
