"""`facecoach hear WAV... [--json]`: what the kiosk understands in recordings (also a microphone check).

Each file is heard on its own (the pipeline and decoder are reset first) through the same
streaming path as the microphone; the line names the decision that counts and any others.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass

from kiosk.settings_files import settings_for_command
from kiosk.voice.audio import AudioFileError, load_wav
from kiosk.voice.evaluate import hear_utterance
from kiosk.voice.intents import VoiceDataError, load_intents
from kiosk.voice.pipeline import Pipeline
from kiosk.voice.recognizer import VoiceError


@dataclass(frozen=True)
class FileResult:
    """What was decided on one file: the decision that counts, and any others made on the way."""

    file: str
    transcript: str
    intent: str | None
    confidence: float
    reason: str
    engine: str
    heard_at_s: float  # seconds from the start of the file to the decision
    after_end_ms: float | None  # end of the last word -> decision (audio waited + computing), None if none
    early: bool  # decided from the live partial result, before the end of the utterance
    telephone_band: bool  # recorded at 8 kHz or less: nothing above 4 kHz, accuracy is lower
    also_heard: list[str]  # other decisions on the same file (they do not count)

    def line(self) -> str:
        said = f'"{self.transcript}"' if self.transcript else "(nothing)"
        what = self.intent or f"no command ({self.reason})"
        timing = "" if self.after_end_ms is None else f"; {self.after_end_ms:.0f} ms after the last word"
        text = f"{self.file}: heard {said} -> {what}; confidence {self.confidence:.2f}{timing}"
        if self.early:
            text += " (spotted early)"
        if self.also_heard:
            text += f"; also heard, not counted: {', '.join(self.also_heard)}"
        if self.telephone_band:
            text += "; telephone-band audio (8 kHz or less): expect more mistakes"
        return text


def hear_file(pipeline: Pipeline, path: str, asked: tuple[str, ...] = ()) -> FileResult:
    """Stream one file through a freshly reset pipeline, as if it came from the microphone."""
    recording = load_wav(path)
    outcome = hear_utterance(pipeline, recording.samples, asked)
    engine = pipeline.recognizer.engine
    if outcome.counted is None:
        return FileResult(path, "", None, 0.0, "nothing heard", engine, 0.0, None, False, recording.telephone_band, [])
    d = outcome.counted.decision
    others = [h for h in outcome.heard if h is not outcome.counted]
    also = [f'"{h.decision.transcript}" -> {h.decision.intent_id or h.decision.reason}' for h in others]
    return FileResult(
        path,
        d.transcript,
        d.intent_id,
        round(d.confidence, 3),
        d.reason,
        d.engine,
        outcome.counted.at_audio_s,
        None if outcome.latency_ms is None else round(outcome.latency_ms, 1),
        outcome.counted.early,
        recording.telephone_band,
        also,
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("hear", help="say what the kiosk understands in WAV recordings")
    p.add_argument("wav", nargs="+", help="WAV files (16-bit; any rate, mono or stereo)")
    p.add_argument("--json", action="store_true", help="print JSON instead of lines")
    p.add_argument("--config", help="settings file to use")
    p.add_argument(
        "--asked",
        default="",
        help="answers the kiosk has just asked for, e.g. yes,no (otherwise yes and no are not taken)",
    )
    p.set_defaults(func=cmd_hear)


def cmd_hear(args: argparse.Namespace) -> int:
    from kiosk.voice.engines import open_recognizer, settings_pipeline

    settings = settings_for_command(args.config)
    if settings is None:
        return 2
    try:
        table = load_intents(settings.display.language)
        recognizer, note = open_recognizer(settings, table)
    except (VoiceError, VoiceDataError) as exc:
        print(f"Speech recognition could not start: {exc}", file=sys.stderr)
        return 2
    pipeline, note = settings_pipeline(settings, recognizer, table, note)
    if note and not args.json:
        print(note)
    asked = tuple(a.strip() for a in args.asked.split(",") if a.strip())
    answers = sorted(i.id for i in table.intents if i.only_when_asked)
    if unknown := [a for a in asked if a not in answers]:
        print(
            f"--asked: {', '.join(map(repr, unknown))} is not an answer the kiosk asks for; "
            f"the answers are: {', '.join(answers)}.",
            file=sys.stderr,
        )
        return 2
    results: list[FileResult] = []
    problems = 0
    for path in args.wav:
        try:
            results.append(hear_file(pipeline, path, asked))
        except AudioFileError as exc:
            problems += 1
            print(f"Cannot hear {exc}", file=sys.stderr)
    if args.json:
        print(json.dumps([r.__dict__ for r in results], indent=2))
    else:
        for r in results:
            print(r.line())
    return 1 if problems else 0
