"""Voice benchmark: latency, real-time factor, "stop" latency, idle CPU and memory, plus accuracy.

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

from kiosk.voice.intents import load_intents  # noqa: E402
from kiosk.voice.pipeline import Pipeline  # noqa: E402
from kiosk.voice.recognizer import decide, decode  # noqa: E402
from kiosk.voice.vad import FRAME, FRAME_MS, active_frames, frames_of  # noqa: E402
from tests.voice import corpus  # noqa: E402


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def quiet(seconds: float, level: float = 20.0) -> np.ndarray:
    return np.random.default_rng(1).normal(0, level, int(seconds * 16000)).astype(np.int16)


def latency(recognizer, table, samples, end_silence_ms: int) -> tuple[list[float], list[float]]:
    """Per utterance: compute time of the final decision, and total (silence wait + compute), in ms."""
    compute, total = [], []
    for s in samples:
        pipeline = Pipeline(recognizer, table, end_silence_ms=end_silence_ms)
        for frame in frames_of(np.concatenate([quiet(0.3), corpus.read_pcm(s.path), quiet(2.0)])):
            t0 = time.perf_counter()
            heard = [h for h in pipeline.push(frame) if not h.early]
            if heard:
                ms = (time.perf_counter() - t0) * 1000
                compute.append(ms)
                total.append(end_silence_ms + ms)
                break
    return compute, total


def stop_latency(recognizer, table, samples) -> list[float]:
    """From the end of the word "stop" (last loud frame) to the decision: audio wait + compute, in ms."""
    out = []
    for s in samples:
        audio = np.concatenate([quiet(0.3), corpus.read_pcm(s.path), quiet(2.0)])
        word_end = (np.nonzero(active_frames(audio))[0].max() + 1) * FRAME_MS
        pipeline = Pipeline(recognizer, table)
        for i, frame in enumerate(frames_of(audio)):
            t0 = time.perf_counter()
            heard = [h for h in pipeline.push(frame) if h.decision.intent_id == "stop"]
            if heard:
                out.append((i + 1) * FRAME_MS - word_end + (time.perf_counter() - t0) * 1000)
                break
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


def accuracy(recognizer, table, samples) -> dict[str, tuple[int, int]]:
    out: dict[str, list[bool]] = {"clean": [], "noisy": [], "everyday": []}
    for s in samples:
        d = decide(table, decode(recognizer, corpus.read_pcm(s.path)), recognizer.engine, 0.6)
        kind = "everyday" if s.intent is None else ("noisy" if s.noisy else "clean")
        out[kind].append(d.intent_id == s.intent)
    return {k: (sum(v), len(v)) for k, v in out.items()}


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
    clean_cmds = [s for s in samples if s.intent and not s.noisy]
    stops = [s for s in clean_cmds if s.text == "stop"]
    before = rss_mb()
    from kiosk.voice.sphinx import SphinxRecognizer

    engines = [SphinxRecognizer(table)]
    print(f"memory: {before:.0f} MB before the engine, {rss_mb():.0f} MB with pocketsphinx loaded")
    if os.environ.get("FACECOACH_VOSK_MODEL"):
        from kiosk.voice.vosk_engine import VoskRecognizer

        engines.append(VoskRecognizer(table, os.environ["FACECOACH_VOSK_MODEL"]))
        print(f"memory with vosk loaded too: {rss_mb():.0f} MB")
    for rec in engines:
        compute, total = latency(rec, table, clean_cmds, end_silence_ms=900)
        stop_ms = stop_latency(rec, table, stops)
        print(f"\n== {rec.engine} ({os.cpu_count()} CPUs, {len(clean_cmds)} clean commands)")
        print(f"real-time factor: {real_time_factor(rec, clean_cmds):.3f}")
        print(
            f"end of utterance -> intent: median {statistics.median(total):.0f} ms, p95 {p95(total):.0f} ms "
            f"(900 ms end silence + decoding: median {statistics.median(compute):.0f} ms, p95 {p95(compute):.0f} ms)"
        )
        if stop_ms:
            print(
                f'"stop" end of word -> decision: median {statistics.median(stop_ms):.0f} ms, max {max(stop_ms):.0f} ms'
            )
        print(f"CPU while listening to a quiet room: {100 * idle_cpu(rec, table, args.idle_seconds):.1f}% of one core")
        if not args.no_accuracy:
            for kind, (ok, n) in accuracy(rec, table, samples).items():
                print(f"accuracy {kind}: {ok}/{n} = {100 * ok / n:.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
