"""`bench new` and the three ways of `bench add`: flags, file (all-or-nothing), prompts."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmark.dataset import Dataset
from benchmark.validate import validate_dataset

from .conftest import read_cases


def test_new_creates_a_valid_manifest(small_dataset):
    manifest = json.loads((small_dataset / "dataset.json").read_text())
    assert manifest["name"] == "tiny-set" and manifest["id_prefix"] == "tiny"
    assert (small_dataset / "cases.jsonl").read_text() == ""


def test_new_via_cli_refuses_existing(tmp_path, bench):
    art = tmp_path / "a.txt"
    art.write_text("Some text here.")
    code, out, _ = bench("new", "my-set", "--article", str(art), "--datasets-dir",
                         str(tmp_path / "ds"))
    assert code == 0 and (tmp_path / "ds" / "my-set" / "dataset.json").exists()
    code, _, err = bench("new", "my-set", "--article", str(art), "--datasets-dir",
                         str(tmp_path / "ds"))
    assert code == 2 and "already exists" in err


def test_add_from_flags_computes_offsets_and_ids(small_dataset, bench):
    code, out, err = bench(
        "add", str(small_dataset), "--claim", "Sentence 7 says that Alice Smith met Bob Jones",
        "--label", "refuted", "--error", "wrong-person|Bob Jones|Robert Jones|minor",
        "--rationale", "The other person is Robert.", "--tag", "t1")
    assert code == 0, err
    [case] = read_cases(small_dataset)
    article = (small_dataset / "article.txt").read_text()
    start, end = case["location"]["start"], case["location"]["end"]
    assert article[start:end] == case["claim"]
    err0 = case["errors"][0]
    assert case["claim"][err0["start"]:err0["end"]] == "Bob Jones"
    assert err0["correction"] == "Robert Jones" and err0["severity"] == "minor"
    assert case["id"] == "tiny-001" and case["tags"] == ["t1"]
    assert validate_dataset(small_dataset).ok


def test_add_refuses_missing_ambiguous_and_duplicate(small_dataset, bench):
    code, _, err = bench("add", str(small_dataset), "--claim", "Carol met Dave", "--label",
                         "supported", "--rationale", "x")
    assert code == 2 and "does not occur in article.txt" in err
    code, _, err = bench("add", str(small_dataset), "--claim", "Alice Smith met Bob Jones",
                         "--label", "supported", "--rationale", "x")
    assert code == 2 and "occurs 300 times" in err and "--start" in err
    article = (small_dataset / "article.txt").read_text()
    second = article.find("Alice Smith met Bob Jones", 10)
    args = ("add", str(small_dataset), "--claim", "Alice Smith met Bob Jones", "--label",
            "supported", "--rationale", "x", "--start", str(second))
    assert bench(*args)[0] == 0
    code, _, err = bench(*args)
    assert code == 2 and "already in the dataset" in err
    assert len(read_cases(small_dataset)) == 1


def test_add_dry_run_writes_nothing(small_dataset, bench):
    code, out, _ = bench("add", str(small_dataset), "--claim", "Sentence 3 says", "--label",
                         "supported", "--rationale", "x", "--dry-run")
    assert code == 0 and "Dry run" in out and '"id": "tiny-001"' in out
    assert read_cases(small_dataset) == []


def test_add_from_file_is_all_or_nothing(small_dataset, tmp_path, bench):
    good = {"claim": "Sentence 1 says", "label": "supported", "rationale": "ok"}
    lines = [
        json.dumps(good),
        json.dumps({"claim": "Sentence 2 says", "label": "refuted", "rationale": "r",
                    "errors": [{"category": "wrong-person", "span": "Nobody",
                                "correction": "x", "severity": "major"}]}),
        "{broken",
        json.dumps({"claim": "Sentence 4 says", "label": "refuted", "rationale": "r"}),
    ]
    f = tmp_path / "new.jsonl"
    f.write_text("\n".join(lines) + "\n")
    code, _, err = bench("add", str(small_dataset), "--from-file", str(f))
    assert code == 2
    assert f"{f}:2: errors.0.span" in err
    assert f"{f}:3: malformed JSON" in err
    assert f"{f}:4: errors: a refuted case needs at least one error" in err
    assert read_cases(small_dataset) == []
    f.write_text(json.dumps(good) + "\n" + json.dumps(dict(good, claim="Sentence 5 says")) + "\n")
    code, out, err = bench("add", str(small_dataset), "--from-file", str(f))
    assert code == 0, err
    assert [c["id"] for c in read_cases(small_dataset)] == ["tiny-001", "tiny-002"]


def test_add_interactively(small_dataset, bench, monkeypatch):
    answers = "\n".join([
        "Sentence 9 says that Alice Smith",  # claim
        "2",                                  # label: refuted (by number)
        "Alice Smith",                        # wrong span
        "wrong-person",                       # category
        "Alice Brown",                        # correction
        "",                                   # severity: default major
        "",                                   # no more errors
        "She is Alice Brown.",                # rationale
    ]) + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    code, out, err = bench("add", str(small_dataset), "--interactive")
    assert code == 0, err + out
    [case] = read_cases(small_dataset)
    assert case["label"] == "refuted"
    assert case["errors"][0]["span"] == "Alice Smith"
    assert case["errors"][0]["correction"] == "Alice Brown"
    assert case["errors"][0]["severity"] == "major"


def test_bundled_install_copy_is_read_only(bench, monkeypatch, tmp_path):
    fake = tmp_path / "lib" / "site-packages" / "benchmark" / "_data" / "x-set"
    fake.mkdir(parents=True)
    (fake / "dataset.json").write_text("{}")
    code, _, err = bench("add", str(fake), "--claim", "a", "--label", "supported")
    assert code == 2 and "read-only" in err


WORKER = """
import sys
from pathlib import Path
from benchmark.authoring import CaseDraft, add_cases
path, proc = Path(sys.argv[1]), int(sys.argv[2])
for j in range(25):
    n = proc * 25 + j
    draft = CaseDraft(claim=f"Sentence {n} says that Alice Smith met Bob Jones in city {n}.",
                      label="supported", rationale=f"case {n}")
    add_cases(path, [(f"p{proc}", draft)])
"""


def test_eight_processes_adding_concurrently(small_dataset):
    stop = threading.Event()
    reads: list[int] = []
    torn: list[str] = []

    def reader():
        while not stop.is_set():
            text = (small_dataset / "cases.jsonl").read_text()
            for line in text.splitlines():
                try:
                    json.loads(line)
                except json.JSONDecodeError:
                    torn.append(line)
            reads.append(len(text))
            time.sleep(0.001)

    t = threading.Thread(target=reader)
    t.start()
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(small_dataset), str(i)],
                              cwd=Path(__file__).resolve().parents[1]) for i in range(8)]
    codes = [p.wait(timeout=120) for p in procs]
    stop.set()
    t.join()
    assert codes == [0] * 8
    assert not torn, "a reader saw a half-written file"
    cases = Dataset.load(str(small_dataset)).cases()
    assert len(cases) == 200
    assert len({c.id for c in cases}) == 200
    assert len({c.claim for c in cases}) == 200
    assert validate_dataset(small_dataset).ok
    assert len(reads) > 0
