"""Standard photos, only with consent: kept sealed to the therapist's key, deleted when consent is withdrawn.

A photo is encrypted (PyNaCl ``SealedBox`` to the therapist's public key, the key the kiosk already
has for plans and summaries) before it touches the disk: the kiosk itself can never open it again
and never shows it. Without consent or without a therapist key nothing is kept. Withdrawing consent
deletes every stored photo file and its row at once.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from nacl.public import SealedBox
from nacl.signing import VerifyKey

from kiosk.store import Store

log = logging.getLogger(__name__)

PHOTO_DIR = "photos"
SUFFIX = ".sealed"


class PhotoError(RuntimeError):
    """A photo was not kept; the message says why in plain words."""


@dataclass(frozen=True)
class StoredPhoto:
    """One kept photo: which session and view, when, and its sealed file."""

    session_id: int | None
    view: str
    taken_at: str
    path: Path


def photo_folder(data_dir: Path) -> Path:
    """Where the sealed photos live (created private)."""
    folder = Path(data_dir).expanduser() / PHOTO_DIR
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def consent_given(store: Store) -> bool:
    """The newest consent record says yes (no record: no consent)."""
    rows = list(store.db.query("select given from photo_consent order by id desc limit 1"))
    return bool(rows and rows[0]["given"])


def stored_photos(store: Store, folder: Path, start: str = "", end: str = "\uffff") -> list[StoredPhoto]:
    """The kept photos taken with ``start <= taken_at < end`` (ISO strings), oldest first."""
    rows = store.db.query(
        "select session_id, view, taken_at, file from standard_photos where taken_at >= ? and taken_at < ? "
        "order by taken_at, id",
        [start, end],
    )
    return [StoredPhoto(r["session_id"], r["view"], r["taken_at"], folder / r["file"]) for r in rows]


def set_consent(store: Store, folder: Path, given: bool, via: str, now: datetime) -> int:
    """Record consent given or withdrawn (durably); withdrawing deletes every photo. Returns how many were deleted."""
    with store.critical() as db:
        db["photo_consent"].insert({"at": now.isoformat(), "given": int(given), "via": via})
    if given:
        return 0
    return delete_all(store, folder, now)


def delete_all(store: Store, folder: Path, now: datetime) -> int:
    """Delete every photo file and its row; a file that cannot be deleted is an error, never ignored."""
    photos = stored_photos(store, folder)
    for photo in photos:
        photo.path.unlink(missing_ok=True)
    left = [p.name for p in folder.glob(f"*{SUFFIX}")] if folder.exists() else []
    with store.critical() as db:
        db.execute("delete from standard_photos")
    if left:  # files without a row (a crash between writing and recording): gone too
        for name in left:
            (folder / name).unlink()
    store.log_event("standard_photos_deleted", now, {"count": len(photos) + len(left)})
    return len(photos) + len(left)


def keep_photo(
    store: Store,
    folder: Path,
    therapist: VerifyKey | None,
    session_id: int | None,
    view: str,
    image: bytes,
    now: datetime,
) -> StoredPhoto:
    """Seal one still to the therapist and keep it; PhotoError when there is no consent or no therapist key."""
    if therapist is None:
        raise PhotoError("No therapist key is set up, so no photo is kept.")
    if not consent_given(store):
        raise PhotoError("There is no consent to standard photos, so no photo is kept.")
    sealed = SealedBox(therapist.to_curve25519_public_key()).encrypt(image)
    name = f"{now.strftime('%Y%m%dT%H%M%S')}-{session_id}-{view}{SUFFIX}"
    path = folder / name
    temp = path.with_suffix(".part")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(sealed)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    with store.critical() as db:
        db["standard_photos"].insert(
            {"session_id": session_id, "view": view, "taken_at": now.isoformat(), "file": name}
        )
    return StoredPhoto(session_id, view, now.isoformat(), path)
