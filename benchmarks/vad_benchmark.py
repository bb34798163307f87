"""Voice-activity detectors compared through the real pipeline (issue 21): energy, Silero, WebRTC.

Run: .venv/bin/python benchmarks/vad_benchmark.py [--vad energy,silero,webrtc] [--audio DIR]
     [--parts corpus,real,latency,pink,tv,cpu]
Every figure is streamed through kiosk/voice/evaluate.py (10 ms frames, endpointer, early
spotting, quick end, second pass, decoder reset per utterance) with pocketsphinx.
- corpus: the synthetic commands (clean, 10 dB pink noise, far field, elderly) and everyday sentences;
- real: the Asterisk prompts (real human speech): share that gives any command, and the two real commands;
- latency: end of last word -> decision on the clean commands (as benchmarks/voice_benchmark.py);
- pink: each clean command in steady pink noise at 10 dB SNR that goes on before and after it:
  end of last word -> end of utterance (endpointer alone) and -> decision, and accuracy;
- tv: commands under continuous real speech (tests/voice/broadcast.py) at -6 and -12 dB, and the
  broadcast alone;
- cpu: detector time per 10 ms frame (this machine; a Pi 4 core is about 5x slower).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.voice.audio import read_wav  # noqa: E402
from kiosk.voice.evaluate import hear_utterance  # noqa: E402
from kiosk.voice.intents import load_intents  # noqa: E402
from kiosk.voice.pipeline import Pipeline  # noqa: E402
from kiosk.voice.vad import FRAME, active_frames, frames_of  # noqa: E402
from kiosk.voice.vad_select import detector, new_endpointer  # noqa: E402
from tests.voice import broadcast, corpus, realspeech  # noqa: E402

PINK_LEAD_S, PINK_TAIL_S = 1.0, 3.0
TV_LEAD_S, TV_AFTER_S = 1.5, 4.0


def pct(values: list[float]) -> str:
    if not values:
        return "none"
    return (
        f"median {statistics.median(values):.0f} ms, p90 {np.percentile(values, 90):.0f} ms, "
        f"max {max(values):.0f} ms (n={len(values)})"
    )


def speech_end_s(samples: np.ndarray) -> float:
    loud = np.nonzero(active_frames(samples))[0]
    return (loud[-1] + 1) * FRAME / 16000 if len(loud) else 0.0


def part_corpus(pipeline: Pipeline, samples: list[corpus.Sample]) -> None:
    rates, counts, _ = corpus.score(samples, pipeline)
    for kind in counts:
        print(f"  corpus {kind}: {round(rates[kind] * counts[kind])}/{counts[kind]} = {100 * rates[kind]:.1f}%")


def part_real(pipeline: Pipeline) -> None:
    recs = realspeech.recordings()
    for part in ("dev", "held-out", "french"):
        group = [r for r in recs if r.part == part and r.intent is None]
        fired = sum(hear_utterance(pipeline, read_wav(r.path)).intent_id is not None for r in group)
        print(f"  real speech {part}: {fired}/{len(group)} = {100 * fired / len(group):.1f}% gave a command")
    for r in (r for r in recs if r.intent):
        got = hear_utterance(pipeline, read_wav(r.path), ("yes", "no")).intent_id
        print(f"  real command {r.name}: {got} ({'ok' if got == r.intent else 'MISS'})")


def group_of(s: corpus.Sample) -> str:
    if s.intent == "stop" and s.text == "stop":
        return "stop"
    return "multi-word" if " " in s.text else "single word"


def part_latency(pipeline: Pipeline, clean: list[corpus.Sample]) -> None:
    out: dict[str, list[float]] = {"stop": [], "single word": [], "multi-word": []}
    for s in clean:
        o = hear_utterance(pipeline, corpus.read_pcm(s.path), ("yes", "no"))
        if o.intent_id == s.intent and o.latency_ms is not None:
            out[group_of(s)].append(o.latency_ms)
    for group, values in out.items():
        print(f"  end of last word -> decision, clean, {group}: {pct(values)}")


def part_pink(pipeline: Pipeline, kind: str, role: str, clean: list[corpus.Sample]) -> None:
    ends, decisions, ok, never = [], [], 0, 0
    for i, s in enumerate(clean):
        speech = corpus.read_pcm(s.path)
        audio = broadcast.in_pink_noise(speech, 10.0, PINK_LEAD_S, PINK_TAIL_S, seed=i)
        word_end = PINK_LEAD_S + speech_end_s(speech)
        ep = new_endpointer(900, kind, role)
        ended = None
        for n, frame in enumerate(frames_of(audio)):
            event, _ = ep.push(frame)
            if event == "end" and (n + 1) * FRAME / 16000 > word_end:
                ended = (n + 1) * FRAME / 16000
                break
        if ended is None:
            never += 1
        else:
            ends.append((ended - word_end) * 1000)
        o = hear_utterance(pipeline, audio, ("yes", "no"), lead_s=0.0, tail_s=0.0)
        ok += o.intent_id == s.intent
        if o.intent_id == s.intent and o.counted.at_audio_s < len(audio) / 16000 - 0.005:
            decisions.append((o.counted.at_audio_s - word_end) * 1000)  # decided while the noise went on
    print(f"  pink 10 dB, end of last word -> end of utterance (endpointer): {pct(ends)}; never ended {never}")
    print(f"  pink 10 dB, end of last word -> right decision: {pct(decisions)}")
    print(f"  pink 10 dB continuous, commands right: {ok}/{len(clean)} = {100 * ok / len(clean):.1f}%")


def part_tv(pipeline: Pipeline, commands: list[tuple[str, np.ndarray, str]]) -> None:
    files = broadcast.broadcast_files()
    seconds = TV_LEAD_S + TV_AFTER_S + max(len(c) for _, c, _ in commands) / 16000
    for rel in (-6.0, -12.0):
        heard, in_time, anywhere, wrong = 0, 0, 0, 0
        for i, (intent, cmd, _) in enumerate(commands):
            track = broadcast.broadcast(seconds, start=7 * i, files=files)
            audio = broadcast.under_broadcast(cmd, track, rel, TV_LEAD_S)
            o = hear_utterance(pipeline, audio, ("yes", "no"), lead_s=0.0, tail_s=0.0)
            heard += o.intent_id == intent
            in_time += o.intent_id == intent and o.counted.at_audio_s < len(audio) / 16000 - 0.005
            anywhere += any(h.decision.intent_id == intent for h in o.heard)
            wrong += o.intent_id not in (None, intent)
        print(
            f"  TV speech {rel:g} dB under the command: heard {heard}/{len(commands)} "
            f"({in_time} while the TV went on, the rest when the stream ended), other command first {wrong}, "
            f"the command among the decisions {anywhere}/{len(commands)}"
        )
    fired, n = 0, 0
    for i in range(40):
        track = broadcast.scaled(broadcast.broadcast(8.0, start=11 * i, files=files), 1500.0)
        o = hear_utterance(pipeline, track, (), lead_s=0.0, tail_s=0.0)
        fired += any(h.decision.intent is not None for h in o.heard)
        n += 1
    print(f"  TV speech alone (40 x 8 s): {fired}/{n} gave a command")


def part_cpu(kind: str, role: str, clean: list[corpus.Sample]) -> None:
    audio = broadcast.in_pink_noise(corpus.read_pcm(clean[0].path), 10.0, 2.0, 7.0, seed=3)
    frames = frames_of(audio)
    det = detector(kind, role)
    ep = new_endpointer(900, kind, role)
    t0 = time.process_time()  # CPU time of all the process's threads, not wall time
    for f in frames:
        if det is not None:
            det.is_speech(f, False)
        else:
            ep.push(f)
    per = (time.process_time() - t0) / len(frames) * 1e6
    print(
        f"  CPU per 10 ms frame ({'detector' if det else 'whole energy endpointer'}): {per:.0f} us = "
        f"{per / 100:.2f}% of one core here, ~{5 * per / 100:.1f}% on a Pi 4"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vad", default="energy,silero,webrtc")
    parser.add_argument("--audio", help="folder for the synthesized speech (kept between runs)")
    parser.add_argument("--parts", default="corpus,real,latency,pink,tv,cpu")
    parser.add_argument("--role", default="confirms", help="confirms (energy starts, the model must agree) or decides")
    parser.add_argument("--limit", type=int, default=0, help="only every Nth clean command (quick look)")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    table = load_intents("en")
    folder = Path(args.audio) if args.audio else Path(tempfile.mkdtemp(prefix="vad-bench-"))
    samples = corpus.build_corpus(folder, {i.id: list(i.phrases) for i in table.intents})
    clean = [s for s in samples if s.kind == "clean"][:: args.limit or 1]
    from kiosk.voice.sphinx import SphinxRecognizer

    rec = SphinxRecognizer(table)
    tv_commands = [(s.intent, corpus.read_pcm(s.path), s.text) for s in clean if s.voice == "en-us"]
    pause = [r for r in realspeech.recordings() if r.intent == "pause"][0]
    tv_commands += [("pause", read_wav(pause.path), "real pause")] * 1
    role = args.role
    for kind in args.vad.split(","):
        pipeline = Pipeline(rec, table)
        pipeline.endpointer = new_endpointer(900, kind, role)
        print(f"== {kind} ({role})", flush=True)
        t0 = time.perf_counter()
        if "corpus" in parts:
            part_corpus(pipeline, samples)
        if "real" in parts:
            part_real(pipeline)
        if "latency" in parts:
            part_latency(pipeline, clean)
        if "pink" in parts:
            part_pink(pipeline, kind, role, clean)
        if "tv" in parts:
            part_tv(pipeline, tv_commands)
        if "cpu" in parts:
            part_cpu(kind, role, clean)
        print(f"  ({time.perf_counter() - t0:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
