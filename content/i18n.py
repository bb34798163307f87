"""Phrases by key, per language, from content/lang/<code>/phrases.toml.

Code never holds patient-facing words: it asks ``phrase("key", lang)``. A key missing in a
language falls back to English (and a test fails for it, so translators see it).

Two things a translator writes into the phrase itself, so no code changes per language:
plural words as ``{count|minute|minutes}`` (the form for the value of ``count``, by the
language's ``plural`` rule in language.toml), and numbers, which are written the language's way
(``decimal = ","`` in German: 2,5 mA).
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


# {name|form|form...}: the plural form of a word for the value of {name}.
PLURAL = re.compile(r"\{(\w+)\|([^{}]*)\}")
# Plural rules by name: the index of the form to use for a number. Most European languages
# have one form for exactly 1 and one for the rest; "none" is for languages without plurals.
PLURAL_RULES = {
    "one_other": lambda n: 0 if n == 1 else 1,
    "none": lambda n: 0,
}


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


@lru_cache(maxsize=8)
def language_info(lang: str) -> dict[str, Any]:
    """The language's language.toml (name, plural rule, decimal mark, ...); {} when absent."""
    path = content_path("lang", lang, "language.toml")
    if not path.exists():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def language_name(lang: str) -> str:
    """The language's own name (Deutsch), for choosing it on the screen."""
    return str(language_info(lang).get("name", lang))


def phrase(key: str, lang: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The text for ``key`` in ``lang`` (English if missing there), with {placeholders} filled."""
    text = phrases(lang).get(key)
    if text is None:
        text, lang = phrases(DEFAULT_LANGUAGE).get(key), DEFAULT_LANGUAGE
    if text is None:
        raise KeyError(f"no phrase {key!r} in content/lang/{lang} or {DEFAULT_LANGUAGE}")
    return fill(text, lang, **values) if values else text


def fill(text: str, lang: str, **values: Any) -> str:
    """Fill {placeholders} of a phrase: plural forms first, numbers the language's way."""
    text = PLURAL.sub(lambda m: plural_form(m.group(2).split("|"), values[m.group(1)], lang), text)
    return text.format(**{name: local_value(value, lang) for name, value in values.items()})


def plural_form(forms: list[str], count: Any, lang: str) -> str:
    """The form of a word for ``count`` by the language's plural rule (the last form if it has fewer)."""
    rule = PLURAL_RULES.get(str(language_info(lang).get("plural", "one_other")), PLURAL_RULES["one_other"])
    try:
        index = rule(float(count))
    except (TypeError, ValueError):
        index = len(forms) - 1
    return forms[min(index, len(forms) - 1)]


def number(value: float, lang: str, digits: int = 1) -> str:
    """A number written the language's way: at most ``digits`` decimals, its decimal mark (2,5)."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return text.replace(".", str(language_info(lang).get("decimal", ".")))


def local_value(value: Any, lang: str) -> Any:
    """A float as the language writes numbers; anything else unchanged."""
    return number(value, lang) if isinstance(value, float) else value


def section(name: str, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Every phrase of one [section], keyed without the section prefix, in the file's order.

    Keys missing in ``lang`` come from English, so the result always has the English keys.
    """
    prefix = f"{name}."
    english = {k[len(prefix) :]: v for k, v in phrases(DEFAULT_LANGUAGE).items() if k.startswith(prefix)}
    local = {k[len(prefix) :]: v for k, v in phrases(lang).items() if k.startswith(prefix)}
    return {key: local.get(key, text) for key, text in english.items()}
