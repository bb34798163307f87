"""Checks of one language folder: language.toml, phrases, exercise words, education.

Policy: English is the fallback and must have every phrase key the code uses. Another language
that declares ``complete = true`` in its language.toml must have every English phrase (so also
every key the code uses, including keys built at run time); one that declares
``complete = false`` is reported only for what it has (unknown keys, placeholders, types).
A complete language also has every exercise's words and every education topic English has; in a
partial one they may be missing and fall back to English.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

from content.i18n import PLURAL
from content.keys import Fill, matches
from content.reading import Checked, check_file, read_toml, toml_files
from content.rules import sentence_rules, text_rules
from content.schema import DEFAULT_MAX_WORDS, EDUCATION, EXERCISE_TEXT, LANGUAGE, REQUIRED_EDUCATION
from kiosk.settings import Problem

ENGLISH = "en"
Library = dict[str, dict[str, Any]]


def check_language(
    root: Path,
    code: str,
    library: Library,
    used_keys: dict[str, list[tuple[str, int]]],
    fills: dict[str, list[Fill]] | None = None,
) -> tuple[list[Problem], dict[str, Any]]:
    """Every problem of content/lang/<code>; also returns its counts for the summary line."""
    folder = root / "lang" / code
    info = check_file(folder / "language.toml", LANGUAGE)
    problems = list(info.problems)
    settings = info.data if info.data is not None and not info.problems else {}
    max_words = settings.get("max_words", DEFAULT_MAX_WORDS)
    avoid = settings.get("avoid", [])
    complete = code == ENGLISH or settings.get("complete", False)
    problems += check_phrases(root, code, used_keys if complete else {}, max_words, fills)
    words, found = _check_exercise_words(root, code, library, max_words, avoid, complete)
    problems += found
    topics, found = _check_education(root, code, max_words, avoid, complete)
    problems += found
    problems += check_voice(root, code)
    return problems, {"exercises": words, "education": topics, "complete": complete}


def phrase_leaves(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A phrases table as {"dotted.key": value}."""
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(phrase_leaves(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def check_phrases(
    root: Path,
    code: str,
    required: dict[str, list[tuple[str, int]]],
    max_words: int,
    fills: dict[str, list[Fill]] | None = None,
) -> list[Problem]:
    """Types, unknown keys, placeholders (as in English, and given by the code), the keys the code uses."""
    checked = read_toml(root / "lang" / code / "phrases.toml")
    if checked.data is None:
        return checked.problems
    mine = phrase_leaves(checked.data)
    english = mine if code == ENGLISH else _english_phrases(root)
    for key, value in mine.items():
        if not isinstance(value, str):
            checked.add([(key, f"must be text in quotes, got {value!r}")])
        elif code != ENGLISH and key not in english:
            checked.add([(key, "unknown key: not in the English phrases.toml")])
        elif code != ENGLISH and _placeholders(value) != _placeholders(str(english[key])):
            checked.add([(key, f"placeholders must be {sorted(_placeholders(str(english[key])))}, as in English")])
        elif fills and (unfilled := _unfilled(value, fills.get(key, []))):
            checked.add([(key, unfilled)])
    checked.add(sentence_rules({k: v for k, v in mine.items() if isinstance(v, str)}, max_words, ()))
    reported = set()
    for key, uses in sorted(required.items()):
        if not matches(key, mine):
            where = ", ".join(f"{file}:{line}" for file, line in uses[:3])
            checked.add([(key, f"missing: the code uses it ({where})")])
            reported.add(key)
    if code != ENGLISH and required:
        for key in sorted(set(english) - set(mine) - reported):
            checked.add([(key, "missing: a complete language has every English phrase")])
    return checked.problems


def _english_phrases(root: Path) -> dict[str, Any]:
    data = read_toml(root / "lang" / ENGLISH / "phrases.toml").data
    return phrase_leaves(data) if data else {}


def _unfilled(text: str, fills: list[Fill]) -> str | None:
    """Why a placeholder of ``text`` is one a call of the code never gives (None: all given)."""
    for names, file, line in fills:
        missing = _placeholders(text) - names
        if missing:
            never = ", ".join("{" + name + "}" for name in sorted(missing))
            return f"{never} is not given by the code ({file}:{line} gives {', '.join(sorted(names))})"
    return None


def _placeholders(text: str) -> set[str]:
    plurals = {m.group(1) for m in PLURAL.finditer(text)}
    try:
        return plurals | {name for _, name, _, _ in string.Formatter().parse(PLURAL.sub("", text)) if name}
    except ValueError:
        return {"(unbalanced braces)"}


def _check_exercise_words(
    root: Path, code: str, library: Library, max_words: int, avoid: list[str], complete: bool = False
) -> tuple[int, list[Problem]]:
    folder = root / "lang" / code / "exercises"
    problems: list[Problem] = []
    files = toml_files(folder)
    for path in files:
        exercise = library.get(path.stem)
        if exercise is None:
            problems.append(Problem(str(path), 1, "(file)", f"no exercise {path.stem!r} in content/exercises"))
            continue
        checked = check_file(path, EXERCISE_TEXT, lambda d, ex=exercise: text_rules(d, ex, max_words, avoid))
        problems += checked.problems
    if code == ENGLISH or complete:
        # A complete language speaks and shows every exercise in its own words, never English.
        have = {p.stem for p in files}
        for missing in sorted(set(library) - have):
            path = root / "exercises" / f"{missing}.toml"
            what = "English words" if code == ENGLISH else "words in this complete language"
            problems.append(Problem(str(path), 1, "(file)", f"no {what}: add lang/{code}/exercises/{missing}.toml"))
    return len(files), problems


def _check_education(
    root: Path, code: str, max_words: int, avoid: list[str], complete: bool = False
) -> tuple[int, list[Problem]]:
    folder = root / "lang" / code / "education"
    english = {p.stem for p in toml_files(root / "lang" / ENGLISH / "education")}
    problems: list[Problem] = []
    files = toml_files(folder)
    for path in files:
        checked: Checked = check_file(path, EDUCATION, lambda d, stem=path.stem: _education_rules(d, stem))
        if checked.data is not None and not checked.problems:
            checked.add(sentence_rules(checked.data["pages"], max_words, avoid, "pages"))
        if code != ENGLISH and path.stem not in english:
            checked.add([("id", f"no English topic {path.stem!r} to translate")])
        problems += checked.problems
    if code == ENGLISH:
        for missing in sorted(set(REQUIRED_EDUCATION) - {p.stem for p in files}):
            problems.append(Problem(str(folder / f"{missing}.toml"), 1, "(file)", "required education topic missing"))
    elif complete:
        for missing in sorted(english - {p.stem for p in files}):
            where = str(folder / f"{missing}.toml")
            problems.append(Problem(where, 1, "(file)", "missing: a complete language has every English topic"))
    return len(files), problems


def _education_rules(data: dict[str, Any], stem: str) -> list[tuple[str, str]]:
    found = []
    if data["id"] != stem:
        found.append(("id", f"must equal the file name {stem!r}, got {data['id']!r}"))
    if stem == "eye_warning_signs" and not any(page.get("warning") for page in data["pages"]):
        found.append(("pages", "the warning signs need a page with warning = true"))
    return found


def check_voice(root: Path, code: str) -> list[Problem]:
    """voice.toml is valid TOML and, in a translation, names the same intents as English.

    The voice helper's loader owns the rest of its format (docs/voice.md).
    """
    path = root / "lang" / code / "voice.toml"
    if not path.exists():
        return []
    checked = read_toml(path)
    english = read_toml(root / "lang" / ENGLISH / "voice.toml").data if code != ENGLISH else None
    if checked.data is None or english is None:
        return checked.problems
    mine, theirs = checked.data.get("intents", {}), english.get("intents", {})
    for intent in sorted(set(theirs) - set(mine)):
        checked.add([(f"intents.{intent}", "missing: the English voice.toml has this intent")])
    for intent in sorted(set(mine) - set(theirs)):
        checked.add([(f"intents.{intent}", "unknown intent: not in the English voice.toml")])
    for intent, table in mine.items():
        phrases = table.get("phrases") if isinstance(table, dict) else None
        if not (isinstance(phrases, list) and phrases and all(isinstance(p, str) and p for p in phrases)):
            checked.add([(f"intents.{intent}.phrases", "must be a list of one or more phrases in quotes")])
    return checked.problems
