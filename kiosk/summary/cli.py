"""`facecoach summary build|open`: build, sign and queue the therapist summary; open one to read it."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from kiosk.photos import PHOTO_DIR
from kiosk.settings_files import settings_for_command
from kiosk.store import DB_NAME, Store, StoreError
from kiosk.summary import service
from kiosk.summary.builder import build_summary
from kiosk.summary.crypto import SummaryCryptoError, open_container, read_public_key, read_signing_key
from kiosk.summary.model import Period
from kiosk.summary.outbox import write_atomically
from kiosk.summary.photo_pack import photo_attachments
from kiosk.summary.synthetic import synthetic_rows
from kiosk.summary.text_out import to_text

MAX_SYNTHETIC_WEEKS = 520  # ten years: long periods must render too (issue 20)

NO_PHOTOS = "No therapist key is set up (sync.therapist_key), so no photos are attached."


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("summary", help="build or open the therapist summary")
    actions = p.add_subparsers(dest="summary_action", metavar="ACTION")
    b = actions.add_parser("build", help="build, sign and queue a summary (JSON, PDF, FHIR)")
    b.add_argument("--from", dest="start", type=_date, help="first day, YYYY-MM-DD")
    b.add_argument("--to", dest="end", type=_date, help="last day, YYYY-MM-DD (default today)")
    b.add_argument("--synthetic-weeks", type=int, help="use N weeks of synthetic demo data instead of the database")
    b.add_argument("--out", type=Path, required=True, help="folder for the signed files")
    b.add_argument("--plain", action="store_true", help="also write the unsigned JSON, PDF and FHIR files")
    b.add_argument("--photos", action="store_true", help="attach the period's standard photos (sealed; issue 23)")
    b.add_argument("--config", help="settings file")
    b.set_defaults(func=cmd_build)
    o = actions.add_parser("open", help="verify (and decrypt) a summary file and print it")
    o.add_argument("file", type=Path)
    o.add_argument("--key", type=Path, help="the therapist's private key file, for encrypted summaries")
    o.add_argument("--device-key", type=Path, help="the device's public key you trust (pins the signer)")
    o.add_argument("--extract", type=Path, help="write the verified content into this folder")
    o.set_defaults(func=cmd_open)
    p.set_defaults(func=lambda args: p.print_help() or 2)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-01") from exc


def cmd_build(args: argparse.Namespace) -> int:
    settings = settings_for_command(args.config)
    if settings is None:
        return 2
    now = service.now_local()
    try:
        key = service.device_key(settings)
        therapist = service.therapist_key(settings)
        args.out.mkdir(parents=True, exist_ok=True)
    except (SummaryCryptoError, OSError) as exc:
        print(f"Cannot prepare the summary: {exc}", file=sys.stderr)
        return 2
    store = None
    if args.synthetic_weeks is not None:
        if not 1 <= args.synthetic_weeks <= MAX_SYNTHETIC_WEEKS:
            print(f"--synthetic-weeks must be between 1 and {MAX_SYNTHETIC_WEEKS}.", file=sys.stderr)
            return 2
        rows, period = synthetic_rows(args.synthetic_weeks, args.end or now.date(), tz=now.tzinfo)
        summary = build_summary(
            rows,
            period,
            now,
            patient="P-DEMO",
            device_id=service.device_id(key),
            software_version=service.software_version(),
            synthetic=True,
        )
        packed = service.pack(summary, key, therapist, canonical=service.canonical(settings))
    else:
        end = args.end or now.date()
        start = args.start or service.default_period(end, settings.sync.summary_days)[0]
        if start > end:
            print("--from must not be after --to.", file=sys.stderr)
            return 2
        try:
            store = Store.open(service.data_dir(settings) / DB_NAME)
        except StoreError as exc:
            print(str(exc), file=sys.stderr)
            return 3
        summary, packed = service.build_from_store(
            store, start, end, now, key, therapist, service.canonical(settings), photos_attached=args.photos
        )
        if args.photos:  # issue 23: the period's standard photos, sealed; never without a therapist key
            folder = service.data_dir(settings) / PHOTO_DIR
            photos = photo_attachments(store, folder, Period(start, end), now, key, therapist)
            print(f"attached {len(photos)} standard photos, sealed" if therapist else NO_PHOTOS)
            packed += photos
    patient, period_from, period_to = summary["patient"], summary["period"]["from"], summary["period"]["to"]
    for item in packed:
        write_atomically(args.out / item.name, item.data)
        print(f"wrote {args.out / item.name} ({len(item.data)} bytes, {'encrypted' if therapist else 'signed'})")
    if args.plain:
        for kind, (suffix, render) in service.FORMATS.items():
            data = service.to_fhir_bytes(summary, service.canonical(settings)) if kind == "fhir" else render(summary)
            write_atomically(args.out / f"{patient}_{period_from}_{period_to}_{suffix}", data)
        print(f"wrote the unsigned {', '.join(service.FORMATS)} files too")
    if store is not None:
        service.queue(settings, store, packed, now)
        print(f"queued {len(packed)} files for delivery (run: facecoach sync)")
        store.close()
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
        therapist = read_signing_key(args.key) if args.key else None
        device = read_public_key(args.device_key) if args.device_key else None
        opened = open_container(data, therapist, device)
    except OSError as exc:
        print(f"Cannot read {args.file}: {exc.strerror}.", file=sys.stderr)
        return 2
    except SummaryCryptoError as exc:
        print(f"{args.file.name}: NOT VERIFIED. {exc}", file=sys.stderr)
        return 1
    pin = "pinned key" if opened.signer_pinned else "compare with the fingerprint shown on the device"
    print(
        f"Verified: signed by device key {opened.fingerprint} ({pin}); "
        f"{'was encrypted' if opened.was_sealed else 'not encrypted'}."
    )
    print(f"File {opened.meta.get('name')}, kind {opened.meta.get('kind')}, made {opened.meta.get('created_at')}.")
    if args.extract:
        args.extract.mkdir(parents=True, exist_ok=True)
        target = args.extract / str(opened.meta.get("name", "summary")).removesuffix(".fcsum")
        write_atomically(target, opened.payload)
        print(f"Wrote {target}")
    if opened.meta.get("kind") == "json":
        print(to_text(json.loads(opened.payload)))
    elif not args.extract:
        print("Use --extract DIR to save the verified content.")
    return 0
