"""`facecoach hear WAV... [--json]`: what the kiosk understands in recordings (also a microphone check)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass

from kiosk.settings_files import load_settings
from kiosk.voice.audio import AudioFileError, read_wav
from kiosk.voice.intents import VoiceDataError, load_intents
from kiosk.voice.pipeline import Heard, Pipeline
from kiosk.voice.recognizer import VoiceError
from kiosk.voice.vad import FRAME_MS, frames_of


@dataclass(frozen=True)
class FileResult:
    """One decision made on one file."""

    file: str
    transcript: str
    intent: str | None
    confidence: float
    reason: str
    engine: str
    heard_at_s: float
    after_end_ms: float  # wall time from the end of the audio to the decision (0 if made before)

    def line(self) -> str:
        said = f'"{self.transcript}"' if self.transcript else "(nothing)"
        what = self.intent or f"no command ({self.reason})"
        timing = f"{self.after_end_ms:.0f} ms after the end"
        return f"{self.file}: heard {said} -> {what}; confidence {self.confidence:.2f}; {timing}"


def hear_file(pipeline: Pipeline, path: str) -> list[FileResult]:
    """Stream one file through the pipeline as if it came from the microphone."""
    samples = read_wav(path)
    start_frames = pipeline.frames_seen
    heard: list[Heard] = []
    for frame in frames_of(samples):
        heard.extend(pipeline.push(frame))
    end = time.perf_counter()
    tail = pipeline.flush()
    after_ms = (time.perf_counter() - end) * 1000
    heard.extend(tail)
    pipeline.endpointer.reset()
    if not heard:
        heard_at = (pipeline.frames_seen - start_frames) * FRAME_MS / 1000
        return [FileResult(path, "", None, 0.0, "nothing heard", pipeline.recognizer.engine, heard_at, 0.0)]
    out = []
    for h in heard:
        d = h.decision
        at = h.at_audio_s - start_frames * FRAME_MS / 1000
        out.append(
            FileResult(
                path,
                d.transcript,
                d.intent_id,
                round(d.confidence, 3),
                d.reason,
                d.engine,
                round(at, 2),
                round(after_ms, 1) if h in tail else 0.0,
            )
        )
    return out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("hear", help="say what the kiosk understands in WAV recordings")
    p.add_argument("wav", nargs="+", help="WAV files (16-bit; any rate, mono or stereo)")
    p.add_argument("--json", action="store_true", help="print JSON instead of lines")
    p.add_argument("--config", help="settings file to use")
    p.set_defaults(func=cmd_hear)


def cmd_hear(args: argparse.Namespace) -> int:
    from kiosk.voice.engines import open_recognizer

    settings = load_settings(args.config).settings
    try:
        table = load_intents(settings.display.language)
        recognizer, note = open_recognizer(settings, table)
    except (VoiceError, VoiceDataError) as exc:
        print(f"Speech recognition could not start: {exc}", file=sys.stderr)
        return 2
    if note and not args.json:
        print(note)
    voice = settings.voice
    pipeline = Pipeline(recognizer, table, voice.min_confidence, voice.end_silence_ms)
    results: list[FileResult] = []
    problems = 0
    for path in args.wav:
        try:
            results.extend(hear_file(pipeline, path))
        except AudioFileError as exc:
            problems += 1
            print(f"Cannot hear {exc}", file=sys.stderr)
    if args.json:
        print(json.dumps([r.__dict__ for r in results], indent=2))
    else:
        for r in results:
            print(r.line())
    return 1 if problems else 0
