"""Real human speech from Debian packages: the Asterisk telephone prompts (CC-BY-SA, 8 kHz, one voice each).

English (asterisk-core-sounds-en-wav, "Allison"): about 460 recordings of words and sentences,
two of them bare commands ("pause", "no"); the rest are everyday prompts that must give no
command ("please try again", "one moment please", "tomorrow", "goodbye"). A fixed third of the
files (by a hash of the name) is held out: nothing is tuned on it, and it is reported apart.
Canadian French (asterisk-core-sounds-fr-wav, "June") is a second held-out set: speech in a
language the kiosk does not listen for must give no command either.

scripts/setup.sh --test installs both packages; tests skip with that reason when they are absent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/usr/share/asterisk/sounds")
ENGLISH = ROOT / "en_US_f_Allison"
FRENCH = ROOT / "fr_CA_f_June"
PACKAGES = "asterisk-core-sounds-en-wav asterisk-core-sounds-fr-wav"

# Recordings that are one of the kiosk's commands, and what they mean.
COMMANDS = {"dictate/pause.wav": "pause", "vm-no.wav": "no"}
# Not speech (tones, silence, a screeching-monkeys joke) or a lone letter name.
SKIP_DIRS = ("silence/",)
SKIP_FILES = ("beep.wav", "beeperr.wav", "ascending-2tone.wav", "descending-2tone.wav", "spy-jingle.wav")
SKIP_WORDS = ("tt-monkeys",)


@dataclass(frozen=True)
class Recording:
    """One real recording and what it should give (None: no command)."""

    path: Path
    name: str
    intent: str | None
    part: str  # dev | held-out | french


def available() -> bool:
    """Whether the English and French prompt packages are installed."""
    return ENGLISH.is_dir() and FRENCH.is_dir()


def held_out(name: str) -> bool:
    """A fixed third of the files, chosen by a hash of the name (never tuned on)."""
    return hashlib.sha1(name.encode()).digest()[0] % 3 == 0


def _speech_files(root: Path) -> list[tuple[str, Path]]:
    out = []
    for path in sorted(root.rglob("*.wav")):
        name = str(path.relative_to(root))
        if name.startswith(SKIP_DIRS) or name in SKIP_FILES or any(w in name for w in SKIP_WORDS):
            continue
        out.append((name, path))
    return out


def recordings() -> list[Recording]:
    """Every English and French recording with its label and part."""
    english = [
        Recording(path, name, COMMANDS.get(name), "held-out" if held_out(name) else "dev")
        for name, path in _speech_files(ENGLISH)
    ]
    french = [Recording(path, name, None, "french") for name, path in _speech_files(FRENCH)]
    return english + french
