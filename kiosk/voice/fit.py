"""Acoustic fit of a recognised phrase against a free phone loop: the rejection model of the grammar decoder (pure).

A grammar decoder forces any speech onto some phrase: a real "old" comes out as "louder" and
covers every frame. To tell a word that was said from a word that was merely the closest, each
recognised word's acoustic score is compared with the score of the best free phone sequence
(pocketsphinx's all-phone search) over the same frames, per frame. A word that was said scores
about as well as the free phones or better (its triphone models fit); a forced word scores much
worse. Scores are log-likelihoods in pocketsphinx's integer units (log base 1.0001, shifted
right by ``SENSCR_SHIFT`` bits as the searches keep them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LOG_BASE = 1.0001  # pocketsphinx's logmath base
SENSCR_SHIFT = 10  # the searches keep acoustic scores shifted right by this many bits
UNDERFLOW = -1e9  # a score whose probability underflowed to 0: worse than anything measurable


@dataclass(frozen=True)
class Span:
    """A word or phone of a search's best path: frames first..last (inclusive) and its acoustic score."""

    label: str
    first: int
    last: int
    score: float  # shifted log units; UNDERFLOW when the probability underflowed

    @property
    def frames(self) -> int:
        return self.last - self.first + 1


def log_units(probability: float, left_shifted: bool) -> float:
    """The integer-unit score back from the probability pocketsphinx's Python API hands out.

    The Python API gives ``1.0001 ** score``; word segments of the grammar search carry the
    score shifted back left (``<< SENSCR_SHIFT``: ``left_shifted``), phone segments of the
    all-phone search do not. Both come out in the searches' shifted units.
    """
    if probability <= 0.0:
        return UNDERFLOW
    units = math.log(probability) / math.log(LOG_BASE)
    return units / (1 << SENSCR_SHIFT) if left_shifted else units


def score_over(phones: list[Span], first: int, last: int) -> float:
    """The phone loop's acoustic score over frames first..last (phones cut by the span count pro rata)."""
    total = 0.0
    for p in phones:
        overlap = min(last, p.last) - max(first, p.first) + 1
        if overlap > 0:
            total += p.score * overlap / p.frames
    return total


def phrase_fit(words: list[Span], phones: list[Span]) -> float | None:
    """The recognised words' score minus the phone loop's over the same frames, per frame (None: no words).

    Near 0 or above: the phrase fits as well as any phone sequence. Far below 0: it is the
    grammar's nearest guess for some other sound. Summed over the whole phrase, not the worst
    word: measured, short words ("the", "me") of a phrase that was said fit poorly on their own,
    and taking the worst word lost multi-word commands for no gain in rejection.
    """
    frames = sum(w.frames for w in words if w.frames > 0)
    if frames == 0:
        return None
    said = sum(w.score for w in words if w.frames > 0)
    free = sum(score_over(phones, w.first, w.last) for w in words if w.frames > 0)
    return (said - free) / frames
