"""Grammars built from the intent table: JSGF for pocketsphinx, a phrase list for vosk."""

from __future__ import annotations

import json

from kiosk.voice.intents import IntentTable


def _alternatives(texts: list[str]) -> str:
    return " | ".join(sorted(set(texts)))


def beginnings(table: IntentTable) -> list[str]:
    """Every proper beginning of a phrase ("start", "start the", "i took my"), as words."""
    out = set()
    for phrase in table.phrases():
        words = phrase.split()
        out.update(" ".join(words[:n]) for n in range(1, len(words)))
    return sorted(out - set(table.phrases()))


def jsgf(table: IntentTable, unfinished: bool = False) -> str:
    """A JSGF grammar: one command phrase, optionally with polite words before or after it.

    ``unfinished`` also allows the beginning of a phrase on its own: checking an early "stop",
    the speech so far of "start session" is then heard as "start", not forced onto "stop".
    """
    phrases = list(table.phrases())
    if unfinished:
        phrases += beginnings(table)
    # Each grammar gets its own name: pocketsphinx keeps rules by their full name, so two
    # grammars both called "facecoach" would share (and overwrite) one <command> rule.
    lines = ["#JSGF V1.0;", f"grammar {'facecoach_unfinished' if unfinished else 'facecoach'};"]
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
    # ensure_ascii=False: vosk reads the text as UTF-8 and would ignore "aufh\\u00f6ren".
    return json.dumps(vosk_grammar(table), ensure_ascii=False)
