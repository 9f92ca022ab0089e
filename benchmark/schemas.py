"""The JSON Schemas in ``datasets/schema/`` (the single source of truth) and validation against them."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from .paths import schema_dir

SCHEMA_FILES = {
    "manifest": "manifest.schema.json",
    "case": "case.schema.json",
    "evidence": "evidence.schema.json",
    "prediction": "prediction.schema.json",
    "run": "run.schema.json",
    "knowledge": "knowledge.schema.json",
}

_REQUIRED = re.compile(r"^'(.+)' is a required property$")


@cache
def validator(kind: str):
    """A compiled draft 2020-12 validator for one record kind."""
    from jsonschema import Draft202012Validator, FormatChecker

    schema = json.loads((schema_dir() / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def schema_problems(kind: str, obj: Any) -> list[tuple[str, str]]:
    """Return ``(field, message)`` for every way ``obj`` breaks the schema of ``kind``."""
    out: list[tuple[str, str]] = []
    for err in sorted(validator(kind).iter_errors(obj), key=lambda e: list(map(str, e.path))):
        path = [str(p) for p in err.absolute_path]
        message = err.message
        m = _REQUIRED.match(message)
        if err.validator == "required" and m:
            path.append(m.group(1))
            message = "is required but missing"
        elif err.validator == "additionalProperties":
            message = message.replace("Additional properties are not allowed", "unknown field")
        out.append((".".join(path) or "(record)", message))
    return out
