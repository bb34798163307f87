"""Grammars built from the intent table: JSGF for pocketsphinx, a phrase list for vosk."""

from __future__ import annotations

import json
from collections.abc import Iterable

from kiosk.voice.intents import IntentTable


def _alternatives(texts: list[str]) -> str:
    return " | ".join(sorted(set(texts)))


def beginnings(table: IntentTable, asked: Iterable[str] = ()) -> list[str]:
    """Every proper beginning of a phrase listened for ("start", "start the", "i took my"), as words."""
    phrases = table.listening_for(asked)
    out = set()
    for phrase in phrases:
        words = phrase.split()
        out.update(" ".join(words[:n]) for n in range(1, len(words)))
    return sorted(out - set(phrases))


def grammar_name(unfinished: bool = False, asked: Iterable[str] = ()) -> str:
    """A grammar's own name: "facecoach", "facecoach_unfinished", "facecoach_asked_no_yes"."""
    name = "facecoach_unfinished" if unfinished else "facecoach"
    ids = sorted(set(asked))
    return f"{name}_asked_{'_'.join(ids)}" if ids else name


def jsgf(table: IntentTable, unfinished: bool = False, asked: Iterable[str] = ()) -> str:
    """A JSGF grammar: one command phrase, optionally with polite words before or after it.

    ``unfinished`` also allows the beginning of a phrase on its own: checking an early "stop",
    the speech so far of "start session" is then heard as "start", not forced onto "stop".
    ``asked``: the answers the kiosk has just asked for (yes, no, "tiring"), heard only then.
    """
    phrases = list(table.listening_for(asked))
    if unfinished:
        phrases += beginnings(table, asked)
    # Each grammar gets its own name: pocketsphinx keeps rules by their full name, so two
    # grammars both called "facecoach" would share (and overwrite) one <command> rule.
    lines = ["#JSGF V1.0;", f"grammar {grammar_name(unfinished, asked)};"]
    if table.polite:
        lines.append("public <utterance> = [<polite>] <command> [<polite>];")
        lines.append(f"<polite> = {_alternatives(list(table.polite))};")
    else:
        lines.append("public <utterance> = <command>;")
    lines.append(f"<command> = {_alternatives(phrases)};")
    return "\n".join(lines) + "\n"


def vosk_grammar(table: IntentTable, asked: Iterable[str] = ()) -> list[str]:
    """The phrase list for vosk: every command (answers only when asked), the polite words and "[unk]".

    "[unk]" lets vosk say "I heard something that is not a command" instead of forcing the
    speech onto the nearest phrase; fillers widen that escape.
    """
    phrases = sorted(set(table.listening_for(asked)))
    extras = sorted(set(table.polite) | set(table.fillers))
    return [*phrases, *extras, "[unk]"]


def vosk_grammar_json(table: IntentTable, asked: Iterable[str] = ()) -> str:
    """The vosk phrase list as the JSON text KaldiRecognizer takes."""
    # ensure_ascii=False: vosk reads the text as UTF-8 and would ignore "aufh\\u00f6ren".
    return json.dumps(vosk_grammar(table, asked), ensure_ascii=False)
