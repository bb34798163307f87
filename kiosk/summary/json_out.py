"""The machine-readable summary: canonical JSON bytes, checked against the schema in this package."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("summary.schema.json")


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON Schema of the summary."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def to_json_bytes(summary: dict[str, Any]) -> bytes:
    """Stable UTF-8 JSON (sorted keys) so the same summary always signs to the same bytes."""
    return json.dumps(summary, sort_keys=True, indent=1, ensure_ascii=False).encode("utf-8")


def schema_problems(summary: dict[str, Any]) -> list[str]:
    """Every place the summary breaks the schema, as 'path: message' (empty when valid)."""
    import jsonschema  # only needed when checking

    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    return [
        f"{'/'.join(str(p) for p in err.absolute_path) or '(top)'}: {err.message}"
        for err in sorted(validator.iter_errors(summary), key=lambda e: list(e.absolute_path))
    ]
