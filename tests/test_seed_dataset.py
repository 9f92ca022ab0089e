"""The bundled dataset matches the seed annotation table."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark.dataset import Dataset
from benchmark.validate import validate_dataset

# Transcribed from the seed annotation table: (seed id, wrong span, correction, category, severity)
EXPECTED_ERRORS = {
    ("S01", "Physical Address\n304 North Cardinal St.\nDorchester Center, MA 02124", "",
     "boilerplate-or-residue", "minor"),
    ("S02", "Jack Quan", "Jake Kwon", "transliteration", "minor"),
    ("S04", "Getty Images", "", "boilerplate-or-residue", "minor"),
    ("S11", "assertion of autonomy over", "claim on self-governed", "mistranslation", "major"),
    ("S14", "Lee Myung-bak", "Lee Jae-myung", "wrong-person", "major"),
    ("S16", "Lee Hsien Loong", "Lee Jae-myung", "wrong-person", "major"),
    ("S20", "Lee Jae-yong", "Lee Jae-myung", "wrong-person", "major"),
    ("S23", "Lee Myung-bak", "Lee Jae-myung", "wrong-person", "major"),
    ("S24", "Yun Seok-yeol", "Yoon Suk Yeol", "transliteration", "minor"),
    ("S27", "Lee Myung-bak", "Lee Jae-myung", "wrong-person", "major"),
    ("S31a", "Lee Myung-bak", "Lee Jae-myung", "wrong-person", "major"),
    ("S34a", "Li", "Lee", "transliteration", "major"),
    ("S35", "high school students", "Japanese Prime Minister Sanae Takaichi", "mistranslation",
     "major"),
    ("S36", "National Security Agency", "National Security Office",
     "wrong-title-or-organisation", "major"),
    ("S38", "respects national security.\u201d one china policy", "respects the \"One China\" policy",
     "mistranslation", "major"),
    ("S41", "Wei", "Wi", "transliteration", "minor"),
    ("S42a", "Lee Myung-bak", "Lee Jae-myung", "wrong-person", "major"),
    ("S46", "North Korean residents", "South Korean residents", "mistranslation", "major"),
    ("S50", "Lee Myung-bak", "Lee Jae-myung", "wrong-person", "major"),
}


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return Dataset.load("korea-china-summit-2026")


def test_counts(ds):
    cases = ds.cases()
    assert len(cases) == 68
    assert sum(c.label == "supported" for c in cases) == 46
    assert sum(c.label == "refuted" for c in cases) == 19
    assert sum(c.label == "not_enough_info" for c in cases) == 3
    assert len({c.id for c in cases}) == 68


def test_refuted_cases_carry_the_annotated_errors(ds):
    got = set()
    for case in ds.cases():
        seed = next(t.split(":", 1)[1] for t in case.tags if t.startswith("seed:"))
        for e in case.errors:
            got.add((seed, e.span, e.correction, e.category, e.severity))
    assert got == EXPECTED_ERRORS


def test_offsets_point_at_the_article(ds):
    article = ds.article
    for case in ds.cases():
        assert article[case.start:case.end] == case.claim
        for e in case.errors:
            assert case.claim[e.start:e.end] == e.span


def test_bundled_dataset_validates(ds):
    report = validate_dataset(ds.path)
    assert report.problems == []


def test_article_is_byte_identical_to_the_seed(ds):
    seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / "article.txt"
    if not seed.exists():
        pytest.skip("the shared seed article is not beside this checkout")
    assert (ds.path / "article.txt").read_bytes() == seed.read_bytes()


def test_every_case_cites_evidence_with_a_url(ds):
    for case in ds.cases():
        assert case.evidence, case.id
        for eid in case.evidence:
            assert ds.evidence[eid].url.startswith("http")


def test_content_hash_changes_with_content(seed_copy):
    before = Dataset.load(str(seed_copy)).hash
    with (seed_copy / "article.txt").open("a") as fh:
        fh.write(" ")
    assert Dataset.load(str(seed_copy)).hash != before
