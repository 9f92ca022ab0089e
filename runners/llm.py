"""`llm`: a checker that asks a model behind any OpenAI-compatible chat API.

Works with OpenAI, vLLM, the llama.cpp server, Ollama and LM Studio: all serve
``POST {base_url}/chat/completions``. The answer is requested as JSON, constrained by a JSON
Schema where the server supports it (``response_format``: OpenAI's ``json_schema``, else the
``json_object`` + ``schema`` form of llama.cpp, else plain text) and parsed tolerantly. Transient
failures (connection errors, timeouts, 429, 5xx) are retried with exponential backoff. Answers are
cached on disk, keyed by model, prompt and parameters, so a rerun costs nothing. The API key is
read from the environment variable named by ``api_key_env`` and never written anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

from benchmark.errors import InputError
from benchmark.records import CATEGORIES, LABELS, ClaimInput, PredictedError, Prediction
from benchmark.systems import Checker, Param

DEFAULT_PROMPT = Path(__file__).resolve().parent / "prompts" / "llm-v1.txt"
ANSWER_SCHEMA = {
    "type": "object",
    "properties": {
        "label": {"type": "string", "enum": list(LABELS)},
        "span": {"type": "string"},
        "correction": {"type": "string"},
        "category": {"type": "string", "enum": list(CATEGORIES)},
        "confidence": {"type": "number"},
    },
    "required": ["label", "confidence"],
}
RESPONSE_FORMATS = ("json_schema", "json_object", "none")
RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


class AnswerError(ValueError):
    """The model answered, but not with a usable prediction; ``raw`` keeps its text."""

    def __init__(self, message: str, raw: str):
        super().__init__(message)
        self.raw = raw


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "claimbench" / "llm"


class LLMChecker(Checker):
    name = "llm"
    description = "Asks a model behind an OpenAI-compatible chat API for a JSON verdict."
    params = {
        "base_url": Param("http://127.0.0.1:8080/v1", "the API root, e.g. https://api.openai.com/v1"),
        "model": Param("local", "model name as the server knows it"),
        "api_key_env": Param(None, "name of the environment variable holding the API key", str),
        "temperature": Param(0.0, "sampling temperature"),
        "max_tokens": Param(256, "most tokens in one answer"),
        "prompt": Param(None, "a prompt template file with {claim} and {context}", str),
        "response_format": Param("auto", "auto, json_schema, json_object or none"),
        "cache": Param(True, "reuse answers cached on disk"),
        "cache_dir": Param(None, "where cached answers live", str),
        "request_timeout": Param(120.0, "seconds for one HTTP request"),
        "max_retries": Param(4, "retries of a transient failure"),
        "backoff": Param(1.0, "first retry delay in seconds, doubled each time"),
        "max_article_chars": Param(6000, "longest article excerpt put in the prompt"),
    }
    requires_modules = ("httpx",)
    install_hint = "pip install 'claimbench[llm]'"

    @classmethod
    def availability(cls, config: dict[str, Any]) -> str | None:
        reason = super().availability(config)
        if reason:
            return reason
        env = config.get("api_key_env")
        if env and not os.environ.get(str(env)):
            return f"the environment variable {env} (the API key) is not set"
        return None

    def setup(self) -> None:
        fmt = self.config["response_format"]
        if fmt not in ("auto", *RESPONSE_FORMATS):
            raise InputError(f"System 'llm': response_format must be auto or one of "
                             f"{', '.join(RESPONSE_FORMATS)}.")
        path = Path(self.config["prompt"]) if self.config["prompt"] else DEFAULT_PROMPT
        from benchmark.fileio import read_text

        self.template = read_text(path)
        if "{claim}" not in self.template:
            raise InputError(f"{path}: a prompt template must contain {{claim}}.")
        self.prompt_sha = hashlib.sha256(self.template.encode()).hexdigest()
        self._format = None if fmt == "auto" else fmt
        self._client = None
        self._client_lock = threading.Lock()
        env = self.config["api_key_env"]
        self._api_key = os.environ.get(env) if env else None

    def identity_extra(self) -> dict[str, Any]:
        return {"prompt_sha256": self.prompt_sha}

    # ------------------------------------------------------------------ prompt

    def messages(self, claim: ClaimInput) -> list[dict[str, str]]:
        context = []
        if claim.article_date:
            context.append(f"ARTICLE DATE: {claim.article_date}")
        if claim.article:
            article = claim.article[: self.config["max_article_chars"]]
            context.append(f"ARTICLE (as rewritten, may itself contain errors):\n{article}")
        if claim.sentence:
            context.append(f"SENTENCE CONTAINING THE CLAIM: {claim.sentence}")
        for ev in claim.evidence:
            context.append(f"EVIDENCE ({ev.url}): {ev.text}")
        text = self.template.replace("{context}", "\n\n".join(context)).replace("{claim}",
                                                                               claim.claim)
        return [{"role": "user", "content": text}]

    # ------------------------------------------------------------------ HTTP

    def client(self):
        with self._client_lock:
            if self._client is None:
                import httpx

                headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
                self._client = httpx.Client(base_url=self.config["base_url"].rstrip("/"),
                                            headers=headers,
                                            timeout=self.config["request_timeout"])
            return self._client

    def _body(self, messages: list[dict[str, str]], fmt: str) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.config["model"], "messages": messages,
                                "temperature": self.config["temperature"],
                                "max_tokens": self.config["max_tokens"]}
        if fmt == "json_schema":
            body["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "verdict", "schema": ANSWER_SCHEMA, "strict": False}}
        elif fmt == "json_object":
            body["response_format"] = {"type": "json_object", "schema": ANSWER_SCHEMA}
        return body

    def _post(self, body: dict[str, Any]):
        """POST with retries on transient failures; returns the final httpx response."""
        import httpx

        delay = self.config["backoff"]
        for attempt in range(self.config["max_retries"] + 1):
            last = attempt == self.config["max_retries"]
            try:
                resp = self.client().post("/chat/completions", json=body)
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                if last:
                    raise ConnectionError(f"{self.config['base_url']}: {type(exc).__name__}: "
                                          f"{exc}") from None
            else:
                if resp.status_code not in RETRY_STATUS or last or _rejects_format(resp):
                    return resp
                retry_after = resp.headers.get("retry-after", "")
                if retry_after.replace(".", "", 1).isdigit():
                    delay = max(delay, float(retry_after))
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    def complete(self, messages: list[dict[str, str]]) -> tuple[str, dict[str, int] | None]:
        """The model's text for these messages, trying response formats until one is accepted."""
        formats = [self._format] if self._format else list(RESPONSE_FORMATS)
        for i, fmt in enumerate(formats):
            resp = self._post(self._body(messages, fmt))
            if i + 1 < len(formats) and _rejects_format(resp):
                continue  # the server does not know this response format: try the next
            if resp.status_code != 200:
                raise ConnectionError(f"HTTP {resp.status_code} from {self.config['base_url']}: "
                                      f"{resp.text[:300]}")
            self._format = fmt
            data = resp.json()
            text = data["choices"][0]["message"].get("content") or ""
            usage = {k: v for k, v in (data.get("usage") or {}).items() if isinstance(v, int)}
            return text, usage or None
        raise ConnectionError("no response format was accepted")

    # ------------------------------------------------------------------ cache

    def _cache_path(self, messages: list[dict[str, str]]) -> Path:
        key = json.dumps({"base_url": self.config["base_url"], "model": self.config["model"],
                          "temperature": self.config["temperature"],
                          "max_tokens": self.config["max_tokens"],
                          "response_format": self.config["response_format"],
                          "messages": messages}, sort_keys=True)
        digest = hashlib.sha256(key.encode()).hexdigest()
        root = Path(self.config["cache_dir"]) if self.config["cache_dir"] else default_cache_dir()
        return root / digest[:2] / f"{digest}.json"

    def check(self, claim: ClaimInput) -> Prediction:
        messages = self.messages(claim)
        cache = self._cache_path(messages) if self.config["cache"] else None
        if cache is not None and cache.is_file():
            cached = json.loads(cache.read_text(encoding="utf-8"))
            text, usage = cached["text"], cached.get("usage")
        else:
            text, usage = self.complete(messages)
            if cache is not None:
                from benchmark.fileio import atomic_write_json

                atomic_write_json(cache, {"text": text, "usage": usage})
        try:
            pred = parse_answer(claim, text)
        except AnswerError as exc:
            return Prediction(claim.case_id, None, usage=usage, error=str(exc), raw=exc.raw)
        pred.usage = usage
        return pred

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _rejects_format(resp) -> bool:
    """A 4xx/5xx that complains about ``response_format`` (llama.cpp answers 500 for this)."""
    return resp.status_code >= 400 and "response_format" in resp.text


def extract_json(text: str) -> dict[str, Any]:
    """The first JSON object in ``text`` (code fences and chatter around it are ignored)."""
    text = re.sub(r"```(?:json)?", "", text)
    start = text.find("{")
    while start >= 0:
        depth, in_str, esc = 0, False, False
        for i in range(start, len(text)):
            ch = text[i]
            if in_str:
                esc = (ch == "\\") and not esc
                if ch == '"' and not esc:
                    in_str = False
                continue
            if ch == '"':
                in_str = True
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    try:
                        obj = json.loads(text[start:i + 1])
                    except json.JSONDecodeError:
                        break
                    if isinstance(obj, dict):
                        return obj
                    break
        start = text.find("{", start + 1)
    raise ValueError("no JSON object found")


def parse_answer(claim: ClaimInput, text: str) -> Prediction:
    """Turn the model's text into a Prediction; AnswerError if it cannot be used."""
    try:
        obj = extract_json(text)
    except ValueError:
        raise AnswerError("the model's answer contains no JSON object", text) from None
    label = str(obj.get("label", "")).strip().lower().replace(" ", "_")
    if label not in LABELS:
        raise AnswerError(f"the model's answer has no valid label ({obj.get('label')!r})", text)
    conf = obj.get("confidence")
    p_label: float | None = None
    if isinstance(conf, (int, float)) and not isinstance(conf, bool):
        p_label = float(conf) / 100 if conf > 1 else float(conf)
        p_label = min(max(p_label, 0.0), 1.0)
    p_refuted = None
    if p_label is not None:  # the harness records P(refuted)
        if label == "refuted":
            p_refuted = p_label
        elif label == "supported":
            p_refuted = 1.0 - p_label
        else:  # unsure: the rest of the mass is split between the two other labels
            p_refuted = (1.0 - p_label) / 2
    errors = []
    span = str(obj.get("span") or "").strip()
    if label == "refuted" and span:
        category = obj.get("category") if obj.get("category") in CATEGORIES else None
        correction = obj.get("correction")
        errors.append(PredictedError(span, str(correction) if correction is not None else None,
                                     category))
    return Prediction(claim.case_id, label, errors=errors, confidence=p_refuted,
                      rationale=obj.get("rationale") if isinstance(obj.get("rationale"), str)
                      else None)
