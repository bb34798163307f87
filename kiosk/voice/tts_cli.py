"""`facecoach speech prerender` and `facecoach speech say`: ready-made phrases and a check without a speaker.

``prerender`` renders every fixed phrase (no ``{placeholder}``) of the display language with the
voice the kiosk would use, at the start rate and one "slower" step, into ``<data_dir>/speech``;
run it at install and after changing voice or rate (the kiosk also keeps phrases it renders).
``say`` writes what the kiosk would say into a WAV file and prints how long synthesis took.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from content.i18n import phrases
from kiosk.settings import Settings
from kiosk.settings_files import settings_for_command
from kiosk.voice.speaker import SLOWER_STEP, RenderedEngine
from kiosk.voice.tts_cache import PhraseCache, prerender
from kiosk.voice.tts_engines import Choice, TtsError
from kiosk.voice.tts_open import cache_dir, choose
from kiosk.voice.tts_sink import RecordingSink
from kiosk.voice.tts_text import MIN_RATE_WPM, fixed_sentences


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("speech", help="speech out: pre-render the fixed phrases, or say a text into a WAV file")
    p.add_argument("--config", help="settings file to use")
    actions = p.add_subparsers(dest="speech_command", metavar="ACTION", required=True)
    pre = actions.add_parser("prerender", help="render the fixed phrases into the cache (run at install)")
    pre.set_defaults(func=cmd_prerender)
    say = actions.add_parser("say", help="write what the kiosk would say into a WAV file")
    say.add_argument("text")
    say.add_argument("--wav", required=True, help="the WAV file to write")
    say.set_defaults(func=cmd_say)


def _voice(args: argparse.Namespace) -> tuple[Settings, Choice] | None:
    """The settings and the voice the kiosk would use; None (after saying why) when none can start."""
    settings = settings_for_command(args.config)
    if settings is None:
        return None
    try:
        return settings, choose(settings)
    except TtsError as exc:
        print(f"Speech out cannot start: {exc}", file=sys.stderr)
        return None


def cmd_prerender(args: argparse.Namespace) -> int:
    if (opened := _voice(args)) is None:
        return 2
    settings, choice = opened
    rate = settings.voice.speech_rate_wpm
    rates = sorted({rate, max(MIN_RATE_WPM, rate - SLOWER_STEP)}, reverse=True)
    sentences = fixed_sentences(phrases(settings.display.language))
    cache = PhraseCache(cache_dir(settings))
    try:
        report = prerender(choice.synth, sentences, rates, cache)
    except (TtsError, OSError) as exc:
        print(f"Pre-rendering stopped: {exc}", file=sys.stderr)
        return 1
    print(f"Voice: {choice.note}; rates {', '.join(map(str, rates))} words a minute; cache {cache.folder}")
    print(f"{report.rendered} sentences rendered, {report.already} already there.")
    if report.rendered:
        print(
            f"Synthesis {report.synth_seconds:.1f} s for {report.audio_seconds:.1f} s of speech "
            f"({1000 * report.synth_seconds / report.rendered:.0f} ms a sentence, "
            f"real-time factor {report.real_time_factor:.3f})."
        )
    return 0


def cmd_say(args: argparse.Namespace) -> int:
    if not args.text.strip():
        print('Nothing to say: give the words in quotes, e.g. facecoach speech say "Lift your eyebrows." --wav out.wav')
        return 2
    if (opened := _voice(args)) is None:
        return 2
    settings, choice = opened
    sink = RecordingSink()
    engine = RenderedEngine(choice.synth, sink, PhraseCache(cache_dir(settings)))
    t0 = time.perf_counter()
    try:
        engine.speak(args.text, settings.voice.speech_rate_wpm, settings.voice.volume)
    except TtsError as exc:
        print(f"Speech failed: {exc}", file=sys.stderr)
        return 1
    took = time.perf_counter() - t0
    audio = sink.joined()
    try:
        Path(args.wav).write_bytes(audio.to_wav())
    except OSError as exc:
        print(f"The WAV file could not be written: {args.wav}: {exc.strerror or exc}.", file=sys.stderr)
        return 1
    print(f"{choice.note}: {audio.seconds:.1f} s of speech made in {took:.2f} s; written to {args.wav}")
    return 0
