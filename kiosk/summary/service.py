"""Glue between settings and the summary parts: keys, target, outbox, build-sign-queue (an adapter)."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey, VerifyKey

from kiosk import __version__
from kiosk.plan.inbox import Verifier
from kiosk.settings import Settings
from kiosk.store import Store
from kiosk.summary.builder import build_summary
from kiosk.summary.crypto import fingerprint, load_or_create_device_key, read_public_key, seal
from kiosk.summary.delivery import FHIR_KIND, DeliveryError, FolderTarget, Target, WebDavTarget
from kiosk.summary.fhir_codes import DEFAULT_CANONICAL
from kiosk.summary.fhir_out import to_fhir_bytes
from kiosk.summary.json_out import to_json_bytes
from kiosk.summary.outbox import Outbox
from kiosk.summary.pdf_out import to_pdf_bytes
from kiosk.summary.progress_rows import progress_from_store
from kiosk.summary.rows import read_rows

FORMATS = {
    "json": ("summary.json", to_json_bytes),
    "pdf": ("summary.pdf", to_pdf_bytes),
    "fhir": ("fhir-bundle.json", to_fhir_bytes),
}
UNKNOWN_PATIENT = "P-UNKNOWN"


def data_dir(settings: Settings) -> Path:
    """The storage folder (expanded)."""
    return Path(settings.storage.data_dir).expanduser()


def device_key(settings: Settings) -> SigningKey:
    """The device's signing key (created on first use under <data_dir>/keys, mode 0600)."""
    return load_or_create_device_key(data_dir(settings) / "keys")


def device_id(key: SigningKey) -> str:
    """A stable device id derived from its public key."""
    return "fc-" + fingerprint(key.verify_key.encode())


def therapist_key(settings: Settings) -> VerifyKey | None:
    """The therapist's public key from settings, or None when not configured."""
    path = settings.sync.therapist_key
    return read_public_key(Path(path).expanduser()) if path else None


def build_target(settings: Settings) -> Target:
    """The configured delivery target; DeliveryError when none is set up."""
    sync = settings.sync
    if sync.target == "folder":
        if not sync.folder:
            raise DeliveryError("sync.target is 'folder' but sync.folder is empty.")
        return FolderTarget(Path(sync.folder).expanduser(), sync.inbox)
    if sync.target == "webdav":
        if not sync.webdav_url:
            raise DeliveryError("sync.target is 'webdav' but sync.webdav_url is empty.")
        return WebDavTarget(sync.webdav_url, sync.webdav_user, sync.webdav_password, sync.inbox)
    raise DeliveryError("No delivery target is set up (sync.target is 'none').")


def applied_plan(store: Store) -> dict[str, Any] | None:
    """The newest applied plan's TOML as a dict (it was fully checked when applied), or None."""
    with store.lock:
        rows = list(store.db["plan_versions"].rows_where("applied_at IS NOT NULL", order_by="-id", limit=1))
    if rows and rows[0].get("text"):
        try:
            return tomllib.loads(rows[0]["text"])
        except tomllib.TOMLDecodeError:
            return None
    return None


def current_patient(store: Store) -> str:
    """The pseudonym of the newest applied plan, or a placeholder."""
    plan = applied_plan(store) or {}
    section = plan.get("plan")
    return str((section.get("patient") if isinstance(section, dict) else None) or UNKNOWN_PATIENT)


def default_period(today: date, days: int) -> tuple[date, date]:
    """The last ``days`` days ending today."""
    return today - timedelta(days=days - 1), today


@dataclass(frozen=True)
class Packed:
    """One signed output: its file name, kind and container bytes."""

    name: str
    kind: str
    data: bytes


def pack(
    summary: dict[str, Any],
    key: SigningKey,
    therapist: VerifyKey | None,
    formats: tuple[str, ...] = ("json", "pdf", "fhir"),
    canonical: str = DEFAULT_CANONICAL,
) -> list[Packed]:
    """Render, sign (and seal) each format; names are stable for the same content."""
    out = []
    period = summary["period"]
    for kind in formats:
        suffix, render = FORMATS[kind]
        payload = to_fhir_bytes(summary, canonical) if kind == "fhir" else render(summary)
        digest = hashlib.sha256(payload).hexdigest()[:10]
        name = f"facecoach_{summary['patient']}_{period['from']}_{period['to']}_{digest}_{suffix}.fcsum"
        meta = {"name": name, "kind": kind, "created_at": summary["generated_at"], "patient": summary["patient"]}
        out.append(Packed(name, kind, seal(payload, meta, key, therapist)))
    return out


def canonical(settings: Settings) -> str:
    """The FHIR canonical base the deployment set, or the project's own URN."""
    return settings.sync.fhir_canonical or DEFAULT_CANONICAL


def fhir_item(summary: dict[str, Any], canonical_url: str) -> Packed:
    """The plain FHIR transaction for ``sync.fhir_url`` (sent over https with a token, so not sealed)."""
    payload = to_fhir_bytes(summary, canonical_url)
    period = summary["period"]
    digest = hashlib.sha256(payload).hexdigest()[:10]
    name = f"facecoach_{summary['patient']}_{period['from']}_{period['to']}_{digest}_fhir-transaction.json"
    return Packed(name, FHIR_KIND, payload)


def build_from_store(
    store: Store,
    start: date,
    end: date,
    now: datetime,
    key: SigningKey,
    therapist: VerifyKey | None,
    canonical_url: str = DEFAULT_CANONICAL,
    photos_attached: bool = False,
) -> tuple[dict[str, Any], list[Packed]]:
    """The summary of the days ``start`` to ``end`` (inclusive) and its signed (sealed) files.

    ``photos_attached``: the caller sends the period's standard photos beside it (``summary build --photos``)."""
    rows, period = read_rows(store, start, end, now.tzinfo)
    summary = build_summary(
        rows,
        period,
        now,
        patient=current_patient(store),
        device_id=device_id(key),
        software_version=software_version(),
        synthetic=False,
    )
    attached = photos_attached and therapist is not None  # a photo never travels unsealed
    summary["progress"] = progress_from_store(store, period, now, attached)  # issue 23: comfort, eye checks, baseline
    return summary, pack(summary, key, therapist, canonical=canonical_url)


def queue(settings: Settings, store: Store, packed: list[Packed], now: datetime) -> None:
    """Put the packed files in the outbox for ``facecoach sync`` to deliver."""
    outbox = Outbox(store, data_dir(settings) / "outbox")
    for item in packed:
        outbox.add(item.name, item.kind, item.data, now)


def plan_verifier(settings: Settings, store: Store, today: date) -> Verifier:
    """The full plan check of ``kiosk.plan`` (signature, every section, this patient and device, version, dates)."""
    from kiosk.plan.loader import inbox_verifier
    from kiosk.plan.signing import read_public_key as read_plan_key
    from stim_hat.prescription import device_limits

    key_file = settings.sync.therapist_key
    public = read_plan_key(Path(key_file).expanduser()) if key_file else None
    return inbox_verifier(public, store, today, device_limits(settings.hat), device_id(device_key(settings)))


def software_version() -> str:
    """This kiosk's version."""
    return __version__


def now_local() -> datetime:
    """The wall clock, timezone-aware (CLI adapters only)."""
    return datetime.now().astimezone()
