"""Speech-out figures: synthesis time per sentence, real-time factor, spoken words a minute, and the
delay from "say" to the first sound with and without the phrase cache.

Run: .venv/bin/python benchmarks/tts_benchmark.py [--piper-voice path/to/voice.onnx] [--lang en]
Without --piper-voice only espeak-ng is measured. Nothing is played (a recording sink).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time

from content.i18n import phrases
from kiosk.voice.speaker import RenderedEngine
from kiosk.voice.tts_cache import PhraseCache, prerender
from kiosk.voice.tts_engines import EspeakSynth, PiperSynth, Synth
from kiosk.voice.tts_sink import RecordingSink
from kiosk.voice.tts_text import DEFAULT_RATE_WPM, fixed_sentences, sentences


def measure(synth: Synth, texts: list[str], rate: int) -> dict:
    per, words, spoken, audio_s, synth_s = [], 0, 0.0, 0.0, 0.0
    for text in texts:
        t0 = time.perf_counter()
        audio = synth.synthesize(text, rate)
        took = time.perf_counter() - t0
        per.append(took * 1000)
        synth_s += took
        audio_s += audio.seconds
        words += len(text.split())
        spoken += audio.speech_seconds
    return {
        "sentences": len(texts),
        "synth_ms_median": round(statistics.median(per), 1),
        "synth_ms_max": round(max(per), 1),
        "real_time_factor": round(synth_s / audio_s, 4),
        "words_per_minute_spoken": round(words / spoken * 60, 1),
    }


def first_sound_ms(synth: Synth, text: str, rate: int, cache: PhraseCache | None, fixed: list[str]) -> float:
    t0 = time.monotonic()
    sink = RecordingSink()
    RenderedEngine(synth, sink, cache, fixed=fixed).speak(text, rate, 0.9)
    return (sink.played[0][0] - t0) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--piper-voice", default="")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--rate", type=int, nargs="+", default=[DEFAULT_RATE_WPM])
    args = parser.parse_args()
    fixed = fixed_sentences(phrases(args.lang))
    texts = [s for s in fixed if len(s.split()) >= 4][:40]
    synths: list[tuple[str, Synth]] = [("espeak-ng", EspeakSynth(args.lang))]
    if args.piper_voice:
        t0 = time.perf_counter()
        piper = PiperSynth(args.piper_voice, args.lang)
        print(f"piper load + calibration: {time.perf_counter() - t0:.2f} s; natural {piper.natural_wpm:.0f} wpm")
        synths.append(("piper", piper))
    results = {}
    for name, synth in synths:
        for rate in args.rate[1:]:
            results[f"{name} at {rate}"] = measure(synth, texts, rate)
        row = measure(synth, texts, args.rate[0])
        with tempfile.TemporaryDirectory() as tmp:
            cache = PhraseCache(tmp)
            long_first = [t for t in fixed if len(sentences(t)) == 1 and len(t.split()) >= 8][:10]
            cold = [first_sound_ms(synth, t, args.rate[0], None, []) for t in long_first]
            prerender(synth, long_first, [args.rate[0]], cache)
            warm = [first_sound_ms(synth, t, args.rate[0], cache, long_first) for t in long_first]
        row["first_sound_ms_without_cache_median"] = round(statistics.median(cold), 1)
        row["first_sound_ms_with_cache_median"] = round(statistics.median(warm), 1)
        results[name] = row
    print(json.dumps({"rate_wpm": args.rate[0], "lang": args.lang, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
