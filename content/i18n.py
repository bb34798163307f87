"""Phrases by key, per language, from content/lang/<code>/phrases.toml.

Code never holds patient-facing words: it asks ``phrase("key", lang)``. A key missing in a
language falls back to English (and a test fails for it, so translators see it).
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from content import content_path

DEFAULT_LANGUAGE = "en"
_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")  # a language code: never a path


@lru_cache(maxsize=1)
def shipped_languages() -> tuple[str, ...]:
    """The language codes shipped in content/lang (folders with a phrases.toml)."""
    root = content_path("lang")
    return tuple(sorted(p.name for p in root.iterdir() if _CODE.match(p.name) and (p / "phrases.toml").is_file()))


def language_path(lang: str, *parts: str) -> Path:
    """A file of a shipped language; ValueError for anything else, so no setting leads out of content/."""
    if lang not in shipped_languages():
        raise ValueError(f"{lang!r} is not a language this kiosk has (it has: {', '.join(shipped_languages())})")
    return content_path("lang", lang, *parts)


@lru_cache(maxsize=8)
def phrases(lang: str) -> dict[str, str]:
    """All phrases of a language as a flat {"dotted.key": text} dict ({} for a language not shipped)."""
    if lang not in shipped_languages():
        return {}
    path = language_path(lang, "phrases.toml")
    return dict(_flatten(tomllib.loads(path.read_text(encoding="utf-8"))))


def _flatten(tree: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            out.extend(_flatten(value, dotted + "."))
        else:
            out.append((dotted, str(value)))
    return out


def phrase(key: str, lang: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The text for ``key`` in ``lang`` (English if missing there), with {placeholders} filled."""
    text = phrases(lang).get(key) or phrases(DEFAULT_LANGUAGE).get(key)
    if text is None:
        raise KeyError(f"no phrase {key!r} in content/lang/{lang} or {DEFAULT_LANGUAGE}")
    return text.format(**values) if values else text


def section(name: str, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Every phrase of one [section], keyed without the section prefix, in the file's order.

    Keys missing in ``lang`` come from English, so the result always has the English keys.
    """
    prefix = f"{name}."
    english = {k[len(prefix) :]: v for k, v in phrases(DEFAULT_LANGUAGE).items() if k.startswith(prefix)}
    local = {k[len(prefix) :]: v for k, v in phrases(lang).items() if k.startswith(prefix)}
    return {key: local.get(key, text) for key, text in english.items()}
