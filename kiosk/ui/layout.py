"""Text layout as plain functions over a width measure: wrap, page by sentence, abbreviate.

Pure (no pygame): the painter passes ``measure`` (the pixel width of a string in one font), so
the rules are tested with any measure. The rules: a page never starts mid-sentence, and a word is
shortened ("geschlossenem" -> "geschl.") rather than cut off, so the end of a label is still there.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Measure = Callable[[str], int]
# A sentence ends at . ! or ? followed by a space (not at a colon: "Your left: a small movement."
# is one sentence); abbreviations such as "z. B." are rare in the kiosk's short sentences, and a
# wrong split only makes a page shorter, never cuts it.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
SHORTEST_STEM = 3  # an abbreviated word keeps at least this many letters and a full stop


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, each with its end mark."""
    return [s for s in SENTENCE_END.split(text.strip()) if s]


def wrap(text: str, measure: Measure, width: int) -> list[str]:
    """Lines of whole words that fit ``width`` (a word wider than the line gets a line of its own)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if measure(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def pages(text: str, measure: Measure, width: int, max_lines: int) -> list[list[str]]:
    """The text in pages of at most ``max_lines`` lines; every page starts at a sentence.

    Sentences are kept together on a page while they fit; a single sentence longer than a page
    is the only case that continues on the next page (its lines are never dropped).
    """
    max_lines = max(1, max_lines)
    out: list[list[str]] = []
    current: list[str] = []
    for sentence in sentences(text):
        candidate = wrap(" ".join([*current, sentence]), measure, width)
        if len(candidate) <= max_lines:
            current.append(sentence)
            continue
        if current:
            out.append(wrap(" ".join(current), measure, width))
            current = []
        lines = wrap(sentence, measure, width)
        if len(lines) <= max_lines:
            current = [sentence]
        else:
            out.extend(lines[i : i + max_lines] for i in range(0, len(lines), max_lines))
    if current:
        out.append(wrap(" ".join(current), measure, width))
    return out or [[]]


def abbreviate(text: str, measure: Measure, width: int) -> str:
    """``text`` made to fit ``width`` by shortening its longest words ("geschlossenem" -> "geschl."),
    never by dropping a word; returns the shortest form when even that does not fit."""
    words = text.split()
    while measure(" ".join(words)) > width:
        longest = max(range(len(words)), key=lambda i: len(words[i].rstrip(".")))
        stem = words[longest].rstrip(".")
        if len(stem) <= SHORTEST_STEM:
            break
        keep = max(SHORTEST_STEM, len(stem) * 2 // 3 if not words[longest].endswith(".") else len(stem) - 1)
        words[longest] = stem[:keep] + "."
    return " ".join(words)
