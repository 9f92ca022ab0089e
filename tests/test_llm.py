"""The LLM runner against a real local HTTP server that misbehaves on purpose."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from benchmark.dataset import Dataset
from benchmark.engine import RunOptions, run_system
from benchmark.records import ClaimInput
from runners.llm import LLMChecker, extract_json, parse_answer

GOOD = {"label": "refuted", "span": "Lee Myung-bak", "correction": "Lee Jae-myung",
        "category": "wrong-person", "confidence": 0.8}


class Script:
    """What the fake server answers, in order; the last answer repeats."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[dict] = []
        self.headers: list[dict] = []

    def next(self):
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


@pytest.fixture
def server():
    state = {"script": Script((200, json.dumps(GOOD)))}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            script = state["script"]
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            script.requests.append(body)
            script.headers.append(dict(self.headers))
            status, content = script.next()
            if callable(content):
                status, content = content(body)
            if status == 200:
                payload = {"choices": [{"message": {"role": "assistant", "content": content}}],
                           "usage": {"prompt_tokens": 11, "completion_tokens": 7,
                                     "total_tokens": 18}}
            else:
                payload = {"error": {"message": content}}
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()

    def use(*answers):
        state["script"] = Script(*answers)
        return state["script"]

    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", use
    httpd.shutdown()


def claim(text="Lee Myung-bak arrived in Beijing on Sunday."):
    return ClaimInput("kcs-016", text, "article", text, "An article. " + text, "2026-01-04")


def checker(base_url, tmp_path, **kw):
    return LLMChecker(base_url=base_url, model="test", cache_dir=str(tmp_path / "cache"),
                      backoff=0.01, **kw)


def test_retries_transient_failures_then_succeeds(server, tmp_path):
    url, use = server
    script = use((429, "slow down"), (503, "busy"), (500, "oops"), (200, json.dumps(GOOD)))
    pred = checker(url, tmp_path).check(claim())
    assert len(script.requests) == 4
    assert pred.label == "refuted" and pred.confidence == pytest.approx(0.8)
    assert pred.errors[0].span == "Lee Myung-bak" and pred.errors[0].correction == "Lee Jae-myung"
    assert pred.usage == {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}


def test_gives_up_after_max_retries(server, tmp_path):
    url, use = server
    script = use((503, "down"))
    with pytest.raises(ConnectionError, match="HTTP 503"):
        checker(url, tmp_path, max_retries=2).check(claim())
    assert len(script.requests) == 3


def test_connection_refused_is_an_error_after_retries(tmp_path):
    c = LLMChecker(base_url="http://127.0.0.1:9/v1", backoff=0.01, max_retries=1, cache=False)
    with pytest.raises(ConnectionError):
        c.check(claim())


def test_falls_back_to_the_response_format_the_server_knows(server, tmp_path):
    url, use = server

    def only_json_object(body):
        fmt = body.get("response_format", {}).get("type")
        if fmt == "json_schema":
            return 500, "response_format: input should be 'text' or 'json_object'"
        return 200, json.dumps(GOOD)

    script = use((0, only_json_object))
    c = checker(url, tmp_path, cache=False)
    assert c.check(claim()).label == "refuted"
    assert [r["response_format"]["type"] for r in script.requests] == ["json_schema", "json_object"]
    assert script.requests[1]["response_format"]["schema"]["required"] == ["label", "confidence"]
    c.check(claim("Another claim."))
    assert script.requests[2]["response_format"]["type"] == "json_object"  # remembered


def test_garbage_answer_is_a_failed_prediction_with_raw_text(server, tmp_path):
    url, use = server
    use((200, "I think it is probably fine."))
    pred = checker(url, tmp_path).check(claim())
    assert pred.label is None and "no JSON object" in pred.error
    assert pred.raw == "I think it is probably fine."


def test_cache_makes_a_rerun_free_and_can_be_disabled(server, tmp_path):
    url, use = server
    ds = Dataset.load()
    script = use((200, json.dumps(dict(GOOD, label="supported", span=""))))
    opts = RunOptions(out_dir=tmp_path / "r", limit=4, progress=False)
    run_system(checker(url, tmp_path), ds, opts)
    assert len(script.requests) == 4
    run_system(checker(url, tmp_path), ds, RunOptions(out_dir=tmp_path / "r", limit=4,
                                                      progress=False, resume=False))
    assert len(script.requests) == 4  # all answers came from the cache
    run_system(checker(url, tmp_path, cache=False), ds,
               RunOptions(out_dir=tmp_path / "r2", limit=4, progress=False))
    assert len(script.requests) == 8


def test_api_key_comes_from_the_environment_and_never_reaches_a_file(server, tmp_path,
                                                                      monkeypatch):
    url, use = server
    secret = "sk-test-0123456789abcdef"
    monkeypatch.setenv("CLAIMBENCH_TEST_KEY", secret)
    script = use((200, json.dumps(GOOD)))
    ds = Dataset.load()
    res = run_system(checker(url, tmp_path, api_key_env="CLAIMBENCH_TEST_KEY"), ds,
                     RunOptions(out_dir=tmp_path / "r", limit=2, progress=False))
    assert script.headers[0]["Authorization"] == f"Bearer {secret}"
    for f in list((tmp_path / "r").rglob("*")) + list((tmp_path / "cache").rglob("*")):
        if f.is_file():
            assert secret not in f.read_text(), f
    record = json.loads((res.run_dir / "run.json").read_text())
    assert record["system"]["config"]["api_key_env"] == "CLAIMBENCH_TEST_KEY"


def test_availability_names_the_missing_variable(monkeypatch):
    monkeypatch.delenv("NO_SUCH_KEY_VAR", raising=False)
    reason = LLMChecker.availability({"api_key_env": "NO_SUCH_KEY_VAR"})
    assert "NO_SUCH_KEY_VAR" in reason


def test_prompt_file_changes_the_run_identity(tmp_path):
    p = tmp_path / "prompt.txt"
    p.write_text("Claim: {claim}\n{context}\nAnswer in JSON.")
    a = LLMChecker().identity_extra()
    b = LLMChecker(prompt=str(p)).identity_extra()
    assert a != b
    bad = tmp_path / "bad.txt"
    bad.write_text("no placeholder")
    with pytest.raises(Exception, match="must contain"):
        LLMChecker(prompt=str(bad))


@pytest.mark.parametrize(
    ("text", "label", "p_refuted"),
    [
        ('```json\n{"label": "refuted", "confidence": 0.9}\n```', "refuted", 0.9),
        ('Sure! {"label": "supported", "confidence": 75} Hope that helps {x}', "supported", 0.25),
        ('{"label": "Not enough info", "confidence": 0.6}', "not_enough_info", 0.2),
        ('{"note": "a {brace} in a string", "label": "refuted"}', "refuted", None),
    ],
)
def test_tolerant_parsing(text, label, p_refuted):
    pred = parse_answer(claim(), text)
    assert pred.label == label
    assert pred.confidence == (pytest.approx(p_refuted) if p_refuted is not None else None)


def test_extract_json_rejects_non_objects():
    with pytest.raises(ValueError):
        extract_json("[1, 2, 3] and nothing else")
    with pytest.raises(Exception, match="no valid label"):
        parse_answer(claim(), '{"label": "maybe"}')


def test_messages_follow_the_setting():
    c = LLMChecker()
    only_claim = c.messages(ClaimInput("a", "X is Y.", "claim"))[0]["content"]
    assert "ARTICLE" not in only_claim and "CLAIM: X is Y." in only_claim
    full = c.messages(claim())[0]["content"]
    assert "ARTICLE (as rewritten" in full and "ARTICLE DATE: 2026-01-04" in full
