"""Summary benchmark: build time and output sizes (JSON, PDF, FHIR transaction) for N weeks of synthetic
daily data, and delivery time to a loopback WebDAV server (wsgidav + cheroot, basic auth).

Run: .venv/bin/python benchmarks/summary_benchmark.py [--weeks 12] [--repeat 3]
     .venv/bin/python benchmarks/summary_benchmark.py --weeks 156 --repeat 1   # three years
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nacl.signing import SigningKey  # noqa: E402

from kiosk.store import Store  # noqa: E402
from kiosk.summary.builder import build_summary  # noqa: E402
from kiosk.summary.crypto import seal  # noqa: E402
from kiosk.summary.delivery import WebDavTarget, deliver_pass  # noqa: E402
from kiosk.summary.fhir_out import to_fhir_bytes  # noqa: E402
from kiosk.summary.json_out import to_json_bytes  # noqa: E402
from kiosk.summary.outbox import Outbox  # noqa: E402
from kiosk.summary.pdf_out import to_pdf_bytes  # noqa: E402
from kiosk.summary.synthetic import synthetic_rows  # noqa: E402
from tests.summary.davserver import PASSWORD, USER, dav_server  # noqa: E402


def timed(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--weeks", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    now = datetime(2026, 11, 16, 8, tzinfo=UTC)
    t_rows, (rows, period) = timed(lambda: synthetic_rows(args.weeks, date(2026, 11, 15)), args.repeat)
    t_build, summary = timed(
        lambda: build_summary(
            rows, period, now, patient="P-BENCH", device_id="fc-bench", software_version="0", synthetic=True
        ),
        args.repeat,
    )
    print(
        f"{args.weeks} weeks: {len(rows.sessions)} sessions, {len(rows.exercises)} exercise results, "
        f"{len(rows.reminders)} reminders, {len(rows.stim)} stimulation blocks"
    )
    print("| step | median s | size |\n|---|---|---|")
    print(f"| synthetic rows | {t_rows:.3f} | |")
    print(f"| build (pure) | {t_build:.3f} | |")
    device, therapist = SigningKey.generate(), SigningKey.generate()
    outputs = {}
    for kind, render in (("json", to_json_bytes), ("pdf", to_pdf_bytes), ("fhir", to_fhir_bytes)):
        t, data = timed(lambda render=render: render(summary), args.repeat)
        t_seal, sealed = timed(
            lambda data=data, kind=kind: seal(data, {"kind": kind}, device, therapist.verify_key), args.repeat
        )
        outputs[kind] = sealed
        print(f"| render {kind} | {t:.3f} | {len(data) / 1024:.0f} KiB |")
        print(f"| sign + seal {kind} | {t_seal:.4f} | {len(sealed) / 1024:.0f} KiB |")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "dav"
        root.mkdir()
        store = Store.memory()
        outbox = Outbox(store, Path(tmp) / "outbox")
        for kind, data in outputs.items():
            outbox.add(f"bench.{kind}.fcsum", kind, data, now)
        with dav_server(root) as server:
            target = WebDavTarget(server.url, USER, PASSWORD)
            t = time.perf_counter()
            report = deliver_pass(outbox, target, now, timedelta(minutes=1), timedelta(hours=6))
            t_deliver = time.perf_counter() - t
        store.close()
    total = sum(len(d) for d in outputs.values())
    print(
        f"| deliver 3 files to loopback WebDAV (PUT .part, MOVE, GET check) | {t_deliver:.3f} | "
        f"{total / 1024:.0f} KiB |"
    )
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
