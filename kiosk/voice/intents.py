"""Spoken intents as data (content/lang/<code>/voice.toml) and whole-phrase matching.

A transcript gives an intent only when, after dropping polite words at either end, it is
exactly one of that intent's phrases. Anything else (a partial phrase, a phrase inside a
longer sentence, filler words) gives no intent.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content import content_path


class VoiceDataError(ValueError):
    """The voice commands file is missing or wrong; the message says where and what."""


@dataclass(frozen=True)
class Intent:
    """One command and the phrases that mean it."""

    id: str
    phrases: tuple[str, ...]
    safety: bool = False
    requires_touch_confirmation: bool = False
    only_when_asked: bool = False  # yes/no: counts only right after the kiosk asked a question
    always_in_grammar: bool = False  # an only_when_asked intent listened for at all times (absorbs everyday "no")


@dataclass(frozen=True)
class IntentTable:
    """Every intent of one language plus the polite and filler words."""

    language: str
    intents: tuple[Intent, ...]
    polite: tuple[str, ...] = ()
    fillers: tuple[str, ...] = ()

    def get(self, intent_id: str) -> Intent:
        """The intent with this id (KeyError if there is none)."""
        for intent in self.intents:
            if intent.id == intent_id:
                return intent
        raise KeyError(intent_id)

    def phrases(self) -> dict[str, str]:
        """Every phrase mapped to its intent id."""
        return {p: i.id for i in self.intents for p in i.phrases}

    def listening_for(self, asked: Iterable[str] = ()) -> dict[str, str]:
        """The phrases the recognizer listens for: every command, plus the answers the kiosk has just asked for.

        ``only_when_asked`` intents (the after-session answers) are left out of the grammar at
        other times, so a real "pause" cannot be taken for "tiring". Those marked
        ``always_in_grammar`` (yes, no) stay in: everyday "no" then lands on "no" (not asked, no
        command) instead of being forced onto a command (measured: a real "no" became "what now").
        """
        wanted = set(asked)
        return {
            p: i.id
            for i in self.intents
            if not i.only_when_asked or i.always_in_grammar or i.id in wanted
            for p in i.phrases
        }

    def answers(self) -> frozenset[str]:
        """The ids of the intents in the grammar only while asked for (the after-session answers)."""
        return frozenset(i.id for i in self.intents if i.only_when_asked and not i.always_in_grammar)

    def words(self) -> set[str]:
        """Every word the recognizer must know."""
        texts = [*self.phrases(), *self.polite, *self.fillers]
        return {w for t in texts for w in t.split()}

    def core(self, transcript: str) -> str:
        """The transcript without polite words at either end."""
        words = normalize(transcript).split()
        polite = {w for p in self.polite for w in p.split()}
        while words and words[0] in polite:
            words.pop(0)
        while words and words[-1] in polite:
            words.pop()
        return " ".join(words)

    def match(self, transcript: str) -> Intent | None:
        """The intent whose phrase is exactly this transcript (polite words aside), else None."""
        intent_id = self.phrases().get(self.core(transcript))
        return self.get(intent_id) if intent_id else None

    def unambiguous_phrases(self) -> frozenset[str]:
        """Phrases no longer phrase starts with: hearing one whole means the command is complete."""
        phrases = list(self.phrases())
        return frozenset(p for p in phrases if not any(q.startswith(p + " ") for q in phrases))

    def spot_safety(self, partial: str) -> Intent | None:
        """A safety intent ("stop") that a partial transcript already ends with, else None."""
        core = self.core(partial)
        for intent in self.intents:
            if intent.safety and core in intent.phrases:
                return intent
        return None


FLAGS = ("safety", "requires_touch_confirmation", "only_when_asked", "always_in_grammar")


def normalize(text: str) -> str:
    """Lower case, curly apostrophes made straight, other punctuation and extra spaces removed."""
    text = text.lower().replace("\u2019", "'")
    return " ".join(re.sub(r"[^\w' ]+", " ", text).split())


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise VoiceDataError(f"{where} must be a list of words or phrases in quotes")
    return tuple(normalize(v) for v in value)


def _unknown_keys(keys: list[str]) -> str:
    """'unknown key "safty" (did you mean "safety"?)', one clause per key."""
    clauses = []
    for key in keys:
        close = difflib.get_close_matches(key, ("phrases", *FLAGS), n=1, cutoff=0.6)
        clauses.append(f'"{key}"' + (f' (did you mean "{close[0]}"?)' if close else ""))
    return ("unknown key " if len(keys) == 1 else "unknown keys ") + ", ".join(clauses)


def parse_intents(text: str, language: str = "en", filename: str = "voice.toml") -> IntentTable:
    """Parse the voice commands file; any problem raises VoiceDataError naming the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VoiceDataError(f"{filename}: not valid TOML: {exc}") from exc
    raw = data.get("intents")
    if not isinstance(raw, dict) or not raw:
        raise VoiceDataError(f"{filename}: needs [intents.<name>] tables with phrases")
    intents: list[Intent] = []
    seen: dict[str, str] = {}
    for intent_id, body in raw.items():
        where = f"{filename}: intents.{intent_id}"
        if not isinstance(body, dict):
            raise VoiceDataError(f"{where} must be a table")
        unknown = set(body) - {"phrases", *FLAGS}
        if unknown:
            raise VoiceDataError(f"{where}: {_unknown_keys(sorted(unknown))}")
        phrases = _strings(body.get("phrases"), f"{where}.phrases")
        for phrase in phrases:
            if phrase in seen:
                raise VoiceDataError(f"{where}: phrase {phrase!r} is also in intents.{seen[phrase]}")
            seen[phrase] = intent_id
        flags = {k: body.get(k, False) for k in FLAGS}
        for key, value in flags.items():
            if not isinstance(value, bool):
                raise VoiceDataError(f"{where}.{key} must be true or false")
        intents.append(Intent(intent_id, phrases, **flags))
    words = data.get("words", {})
    polite = _strings(words.get("polite", []), f"{filename}: words.polite") if words.get("polite") else ()
    fillers = _strings(words.get("fillers", []), f"{filename}: words.fillers") if words.get("fillers") else ()
    return IntentTable(language, tuple(intents), polite, fillers)


def voice_file(language: str) -> Path:
    """Where the voice commands of ``language`` live."""
    return content_path("lang", language, "voice.toml")


def load_intents(language: str = "en") -> IntentTable:
    """The intents of ``language``, falling back to English when that language has no voice file."""
    path = voice_file(language)
    if not path.exists():
        if language == "en":
            raise VoiceDataError(f"the voice commands file {path} is missing; reinstall FaceCoach")
        return load_intents("en")
    return parse_intents(path.read_text(encoding="utf-8"), language, str(path))
