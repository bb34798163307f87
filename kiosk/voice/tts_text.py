"""What is said and how fast, as plain values: the default rate, sentence pauses, fixed phrases, cache keys.

Pure (standard library only): the engines, the cache and the speaker use these.

Why 150 words a minute (the default ``voice.speech_rate_wpm``; pyttsx3/espeak-ng and the
Piper engine both take words per minute):
- Sutton, King, Hux & Beukelman (1995), "Younger and older adults' rate performance when
  listening to synthetic speech", Augmentative and Alternative Communication 11(3):147-153:
  20 older and 20 younger adults rated listening comfort of synthetic (DECtalk) sentences at
  120-250 wpm; the most comfortable rates were 150-200 wpm for both groups. We take the slow end.
- Roring, Hines & Charness (2007), "Age differences in identifying words in synthetic speech",
  Human Factors 49(1): slowing synthetic speech below its normal rate made word identification
  worse for young, middle-aged and older listeners alike; so slower is not automatically clearer,
  and the default is not set below the comfortable range (the patient can still say "slower").
- Gordon-Salant & Fitzgibbons (2001), J Speech Lang Hear Res 44(4):709-719: older listeners'
  trouble with fast speech comes from shortened consonants, not from shortened pauses.
Why a pause between sentences: inserting silent pauses at sentence and clause boundaries
("time restoration") restores recall of fast speech and lowers listening effort, also for older
adults with hearing loss (Wingfield and colleagues, e.g. Trends in Hearing 2023,
doi:10.1177/23312165231203514). The length (``SENTENCE_PAUSE_MS``) is our choice: the studies
used pauses at linguistic boundaries but give no single best length.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

DEFAULT_RATE_WPM = 150
MIN_RATE_WPM = 80
SENTENCE_PAUSE_MS = 500

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def sentences(text: str) -> list[str]:
    """``text`` cut after each full stop, question or exclamation mark; empty pieces dropped."""
    return [piece.strip() for piece in _SENTENCE_END.split(text.strip()) if piece.strip()]


def fixed_sentences(phrases: Mapping[str, str]) -> list[str]:
    """Every sentence of the phrases that has no ``{placeholder}``, once each, in file order."""
    seen: dict[str, None] = {}
    for text in phrases.values():
        if _PLACEHOLDER.search(text):
            continue
        for sentence in sentences(text):
            seen.setdefault(sentence, None)
    return list(seen)


def cache_key(sentence: str, voice: str, rate_wpm: int) -> str:
    """The file name stem of one rendered sentence: a hash of text, voice and rate."""
    digest = hashlib.sha256(f"{voice}\n{rate_wpm}\n{sentence}".encode()).hexdigest()
    return digest[:32]
