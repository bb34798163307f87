"""Voice benchmark: end of last word -> intent (from the audio), real-time factor, idle CPU, memory, accuracy.

Run: .venv/bin/python benchmarks/voice_benchmark.py [--audio DIR] [--idle-seconds N] [--no-accuracy]
Speech is synthesized with espeak-ng and sox (as in the tests). vosk is measured too when
FACECOACH_VOSK_MODEL names a model folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.voice.evaluate import hear_utterance  # noqa: E402
from kiosk.voice.intents import load_intents  # noqa: E402
from kiosk.voice.pipeline import Pipeline  # noqa: E402
from kiosk.voice.recognizer import decode  # noqa: E402
from kiosk.voice.vad import FRAME, frames_of  # noqa: E402
from tests.voice import corpus  # noqa: E402


def p90(values: list[float]) -> float:
    return float(np.percentile(values, 90))


def quiet(seconds: float, level: float = 20.0) -> np.ndarray:
    return np.random.default_rng(1).normal(0, level, int(seconds * 16000)).astype(np.int16)


def latency(pipeline, samples) -> dict[str, list[float]]:
    """End of the last word -> decision, in ms, measured from the audio through the real pipeline.

    Each utterance is streamed on its own (pipeline and decoder reset) with a quiet tail; the
    figure is the audio waited after the last loud frame plus the computing time of the frame
    that decided (kiosk/voice/evaluate.py). Grouped: "stop", other single words, multi-word.
    """
    out: dict[str, list[float]] = {"stop": [], "single word": [], "multi-word": []}
    for s in samples:
        outcome = hear_utterance(pipeline, corpus.read_pcm(s.path), corpus.asked_for(s.intent))
        if outcome.intent_id != s.intent or outcome.latency_ms is None:
            continue  # misses are counted by accuracy, not timed
        group = (
            "stop" if s.intent == "stop" and s.text == "stop" else ("multi-word" if " " in s.text else "single word")
        )
        out[group].append(outcome.latency_ms)
    return out


def real_time_factor(recognizer, samples) -> float:
    audio = sum(len(corpus.read_pcm(s.path)) for s in samples) / 16000
    t0 = time.perf_counter()
    for s in samples:
        decode(recognizer, corpus.read_pcm(s.path))
    return (time.perf_counter() - t0) / audio


def idle_cpu(recognizer, table, seconds: float) -> float:
    """Process CPU share while room noise is fed in real time (10 ms frames)."""
    pipeline = Pipeline(recognizer, table)
    frames = frames_of(quiet(seconds, level=60.0))
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i, frame in enumerate(frames):
        pipeline.push(frame)
        delay = wall0 + (i + 1) * FRAME / 16000 - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
    return (time.process_time() - cpu0) / (time.perf_counter() - wall0)


def accuracy(pipeline, samples) -> dict[str, tuple[int, int]]:
    rates, counts, _ = corpus.score(samples, pipeline)
    return {k: (round(rates[k] * counts[k]), counts[k]) for k in counts}


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--audio", help="folder for the synthesized speech (kept between runs)")
    parser.add_argument("--idle-seconds", type=float, default=5.0)
    parser.add_argument("--no-accuracy", action="store_true")
    args = parser.parse_args()
    table = load_intents("en")
    folder = Path(args.audio) if args.audio else Path(tempfile.mkdtemp(prefix="voice-bench-"))
    samples = corpus.build_corpus(folder, {i.id: list(i.phrases) for i in table.intents})
    clean_cmds = [s for s in samples if s.kind == "clean"]
    before = rss_mb()
    from kiosk.voice.sphinx import SphinxRecognizer

    engines = [SphinxRecognizer(table)]
    print(f"memory: {before:.0f} MB before the engine, {rss_mb():.0f} MB with pocketsphinx loaded")
    if os.environ.get("FACECOACH_VOSK_MODEL"):
        from kiosk.voice.vosk_engine import VoskRecognizer

        engines.append(VoskRecognizer(table, os.environ["FACECOACH_VOSK_MODEL"]))
        print(f"memory with vosk loaded too: {rss_mb():.0f} MB")
    for rec in engines:
        pipeline = Pipeline(rec, table)
        print(f"\n== {rec.engine} ({os.cpu_count()} CPUs, {len(clean_cmds)} clean commands)")
        print(f"real-time factor: {real_time_factor(rec, clean_cmds):.3f}")
        at_the_end = Pipeline(rec, table, ahead_ms=pipeline.quick_end_ms)
        for label, timed in (("", pipeline), (" (final pass not taken ahead)", at_the_end)):
            # The same run, once as the kiosk does it and once with the final pass taken only when
            # the quick end is reached (as before): the difference is what taking it ahead saves.
            for group, values in latency(timed, clean_cmds).items():
                if values:
                    print(
                        f"end of last word -> intent, {group}{label}: median {statistics.median(values):.0f} ms, "
                        f"p90 {p90(values):.0f} ms, max {max(values):.0f} ms ({len(values)} heard)"
                    )
        print(f"CPU while listening to a quiet room: {100 * idle_cpu(rec, table, args.idle_seconds):.1f}% of one core")
        if not args.no_accuracy:
            for kind, (ok, n) in accuracy(pipeline, samples).items():
                print(f"accuracy {kind}: {ok}/{n} = {100 * ok / n:.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
