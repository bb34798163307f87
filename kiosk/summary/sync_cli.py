"""`facecoach sync`: build the summary when one is due, one delivery pass of the outbox and one look in
the plan inbox, then a report."""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
from datetime import datetime, timedelta

from kiosk.plan.inbox import Inbox
from kiosk.plan.signing import SigningError
from kiosk.settings import Settings, SyncSettings
from kiosk.settings_files import settings_for_command
from kiosk.store import DB_NAME, Store, StoreError
from kiosk.summary import service
from kiosk.summary.crypto import SummaryCryptoError
from kiosk.summary.delivery import FHIR_KIND, DeliveryError, Target, deliver_pass
from kiosk.summary.fhir_delivery import FhirTarget
from kiosk.summary.outbox import Outbox
from kiosk.summary.periodic import build_due

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync", help="build a due summary, deliver waiting ones and fetch a new signed plan, once")
    p.add_argument("--config", help="settings file")
    p.add_argument("--no-inbox", action="store_true", help="do not look for a new plan")
    p.add_argument("--no-build", action="store_true", help="do not build the periodic summary, even when it is due")
    p.set_defaults(func=cmd_sync)


def cmd_sync(args: argparse.Namespace) -> int:
    settings = settings_for_command(args.config)
    if settings is None:
        return 2
    sync = settings.sync
    try:
        # A FHIR server alone is a target too; the folder/WebDAV target also carries plans in.
        target = service.build_target(settings) if sync.target != "none" or not sync.fhir_url else None
        fhir = FhirTarget(sync.fhir_url, sync.fhir_token) if sync.fhir_url else None
        service.therapist_key(settings)  # a broken key file is reported before anything is sent
        store = Store.open(service.data_dir(settings) / DB_NAME)
    except (DeliveryError, SummaryCryptoError, SigningError, StoreError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    now = service.now_local()
    try:
        built_ok = args.no_build or _build(settings, store, now)
        outbox = Outbox(store, service.data_dir(settings) / "outbox")
        ok = built_ok
        for where, kinds in ((target, None), (fhir, frozenset({FHIR_KIND}))):
            if where is not None:
                ok = _deliver(outbox, where, now, sync, kinds) and ok
        if not args.no_inbox and target is not None:
            try:
                verify = service.plan_verifier(settings, store, now.date())
            except SigningError as exc:
                print(f"  plans cannot be checked: {exc}", file=sys.stderr)
                return 2
            inbox = Inbox(store, target, verify, service.data_dir(settings) / "plan")
            found = inbox.poll(now, session_running=False)
            for name, version in found.applied:
                print(f"  new plan {name} (version {version}) checked and installed")
            for name, reason in found.refused:
                print(f"  plan {name} REFUSED: {reason}")
            for name, reason in found.waiting:
                print(f"  plan {name} waits: {reason}")
    finally:
        store.close()
    return 0 if ok else 1


def _deliver(outbox: Outbox, target: Target, now: datetime, sync: SyncSettings, kinds: frozenset[str] | None) -> bool:
    """One delivery pass to ``target``, reported; False when an item failed."""
    report = deliver_pass(
        outbox,
        target,
        now,
        timedelta(seconds=sync.retry_base_seconds),
        timedelta(seconds=sync.retry_max_seconds),
        kinds,
    )
    print(
        f"Delivery to {target.description}: {len(report.delivered)} delivered, {len(report.failed)} failed, "
        f"{len(report.waiting)} waiting for their retry time."
    )
    for name in report.delivered:
        print(f"  delivered {name}")
    for name, reason, retry_at in report.failed:
        print(f"  NOT delivered {name}: {reason} Next try after {retry_at}.")
    return report.ok


def _build_failed(store: Store, now: datetime, exc: Exception) -> bool:
    """Say why the due build failed and log it; the period stays unrecorded, so the next run tries again."""
    print(
        f"The summary that is due could not be built: {exc or type(exc).__name__} It will be tried again next time.",
        file=sys.stderr,
    )
    try:
        store.log_event("summary_build_failed", now, {"error": f"{type(exc).__name__}: {exc}"[:500]})
    except (StoreError, sqlite3.Error) as log_exc:
        log.error("could not log the failed summary build: %s", log_exc)
    return False


def _build(settings: Settings, store: Store, now: datetime) -> bool:
    """Build the periodic summary when it is due; False (after saying why) when it could not be built."""
    try:
        outcome = build_due(settings, store, now)
    except (OSError, SummaryCryptoError, StoreError, sqlite3.Error) as exc:
        return _build_failed(store, now, exc)
    except Exception as exc:  # noqa: BLE001 - a renderer bug must not stop delivery and plan collection
        log.exception("summary build failed")
        return _build_failed(store, now, exc)
    for problem in outcome.problems:
        print(f"plan: {problem}", file=sys.stderr)
    if outcome.built is not None:
        built = outcome.built
        print(
            f"Built the summary for {built.start} to {built.end} ({outcome.cadence.describe()}): "
            f"{len(built.files)} files queued."
        )
    return True
