"""Each validation rule, broken once: the message names the file, line and field."""

from __future__ import annotations

import json

import pytest

from benchmark.validate import validate_dataset

from .conftest import read_cases, write_cases


def problems_of(path):
    return [str(p) for p in validate_dataset(path).problems]


def break_case(path, index, mutate):
    cases = read_cases(path)
    mutate(cases[index])
    write_cases(path, cases)
    return index + 1  # line number


def only(problems, needle):
    hits = [p for p in problems if needle in p]
    assert hits, f"no problem mentions {needle!r}: {problems}"
    return hits[0]


@pytest.mark.parametrize(
    ("index", "mutate", "field", "phrase"),
    [
        (4, lambda c: c.update(label="maybe"), "label", "is not one of"),
        (4, lambda c: c.update(lable="supported"), "(record)", "unknown field"),
        (4, lambda c: c.pop("rationale"), "rationale", "is required"),
        (4, lambda c: c.update(confidence="certain"), "confidence", "is not one of"),
        (4, lambda c: c["location"].update(start=c["location"]["start"] + 1), "location",
         "not the claim text"),
        (4, lambda c: c["location"].update(end=10**6), "location", "outside the article"),
        (13, lambda c: c["errors"][0].update(start=c["errors"][0]["start"] + 1), "errors.0.span",
         "not 'Lee Myung-bak'"),
        (13, lambda c: c["errors"][0].update(category="typo"), "errors.0.category",
         "is not one of"),
        (13, lambda c: c.update(errors=[]), "errors", "refuted case needs at least one error"),
        (4, lambda c: c.update(errors=[{"category": "other", "span": "South", "start": 0, "end": 5,
                                         "correction": "North", "severity": "major"}]),
         "errors", "supported case must have no errors"),
        (4, lambda c: c.update(evidence=["ev-999"]), "evidence.0", "unknown evidence id"),
        (4, lambda c: c.update(split="train"), "split", "is not one of"),
    ],
)
def test_case_rules(seed_copy, index, mutate, field, phrase):
    line = break_case(seed_copy, index, mutate)
    msg = only(problems_of(seed_copy), phrase)
    assert f"cases.jsonl:{line}: {field}:" in msg


def test_duplicate_id(seed_copy):
    cases = read_cases(seed_copy)
    cases[7]["id"] = cases[2]["id"]
    write_cases(seed_copy, cases)
    msg = only(problems_of(seed_copy), "duplicate id")
    assert "cases.jsonl:8: id:" in msg and "first on line 3" in msg


def test_duplicate_claim_and_location(seed_copy):
    cases = read_cases(seed_copy)
    dup = dict(cases[5], id="kcs-999")
    write_cases(seed_copy, cases + [dup])
    msg = only(problems_of(seed_copy), "same claim and location")
    assert "cases.jsonl:69: claim:" in msg


def test_manifest_counts_must_match(seed_copy):
    cases = read_cases(seed_copy)
    write_cases(seed_copy, cases[:-1])
    msg = only(problems_of(seed_copy), "counts.")
    assert "dataset.json" in msg


def test_category_outside_manifest(seed_copy):
    manifest = json.loads((seed_copy / "dataset.json").read_text())
    manifest["error_categories"].remove("transliteration")
    (seed_copy / "dataset.json").write_text(json.dumps(manifest))
    msg = only(problems_of(seed_copy), "not in the manifest's error_categories")
    assert "cases.jsonl:2: errors.0.category:" in msg


def test_malformed_json_lines_are_each_reported(seed_copy):
    lines = (seed_copy / "cases.jsonl").read_text().splitlines()
    lines[2] = lines[2][:-1]
    lines[9] = "{not json"
    (seed_copy / "cases.jsonl").write_text("\n".join(lines) + "\n")
    probs = problems_of(seed_copy)
    assert any("cases.jsonl:3:" in p and "malformed JSON" in p for p in probs)
    assert any("cases.jsonl:10:" in p and "malformed JSON" in p for p in probs)


def test_evidence_schema_and_duplicates(seed_copy):
    lines = (seed_copy / "evidence.jsonl").read_text().splitlines()
    ev = json.loads(lines[1])
    ev["url"] = "not a url"
    lines[1] = json.dumps(ev)
    lines.append(lines[0])
    (seed_copy / "evidence.jsonl").write_text("\n".join(lines) + "\n")
    probs = problems_of(seed_copy)
    assert any("evidence.jsonl:2: url:" in p for p in probs)
    assert any("evidence.jsonl:" in p and "duplicate evidence id" in p for p in probs)


@pytest.mark.parametrize(
    ("name", "content", "phrase"),
    [
        ("dataset.json", None, "file not found"),
        ("dataset.json", b"", "file is empty"),
        ("dataset.json", b'{"name": ', "malformed JSON"),
        ("cases.jsonl", b"", "file is empty"),
        ("cases.jsonl", None, "file not found"),
        ("cases.jsonl", b'{"id": "caf\xe9"}\n', "not valid UTF-8"),
        ("article.txt", b"\xff\xfe\x00", "not valid UTF-8"),
    ],
)
def test_file_level_problems_are_one_sentence(seed_copy, bench, name, content, phrase):
    target = seed_copy / name
    if content is None:
        target.unlink()
    else:
        target.write_bytes(content)
    code, out, err = bench("validate", str(seed_copy))
    assert code == 1
    assert phrase in err and name in err
    assert "Traceback" not in err


def test_cli_clean_and_broken(seed_copy, bench):
    code, out, err = bench("validate", str(seed_copy))
    assert code == 0 and "valid" in out and "68 cases" in out
    break_case(seed_copy, 0, lambda c: c.update(label="nope"))
    code, out, err = bench("validate", str(seed_copy))
    assert code == 1
    assert "cases.jsonl:1: label:" in err
    assert "problem(s) found" in err


def test_unknown_dataset_is_bad_usage(bench):
    code, out, err = bench("validate", "no-such-dataset")
    assert code == 2 and "Unknown dataset 'no-such-dataset'" in err
