"""Grammars built from the intent table: JSGF for pocketsphinx, a phrase list for vosk."""

from __future__ import annotations

import json

from kiosk.voice.intents import IntentTable


def _alternatives(texts: list[str]) -> str:
    return " | ".join(sorted(set(texts)))


def jsgf(table: IntentTable) -> str:
    """A JSGF grammar: one command phrase, optionally with polite words before or after it."""
    phrases = list(table.phrases())
    lines = ["#JSGF V1.0;", "grammar facecoach;"]
    if table.polite:
        lines.append("public <utterance> = [<polite>] <command> [<polite>];")
        lines.append(f"<polite> = {_alternatives(list(table.polite))};")
    else:
        lines.append("public <utterance> = <command>;")
    lines.append(f"<command> = {_alternatives(phrases)};")
    return "\n".join(lines) + "\n"


def vosk_grammar(table: IntentTable) -> list[str]:
    """The phrase list for vosk: every command, the polite words and "[unk]" for everything else.

    "[unk]" lets vosk say "I heard something that is not a command" instead of forcing the
    speech onto the nearest phrase; fillers widen that escape.
    """
    phrases = sorted(set(table.phrases()))
    extras = sorted(set(table.polite) | set(table.fillers))
    return [*phrases, *extras, "[unk]"]


def vosk_grammar_json(table: IntentTable) -> str:
    """The vosk phrase list as the JSON text KaldiRecognizer takes."""
    return json.dumps(vosk_grammar(table))
