"""Standard photos as optional summary attachments: each sealed file signed by the device (and sealed again).

The photo files are already sealed to the therapist (kiosk/photos.py); here each is put in the
summary's own container (``crypto.seal``) so the therapist's tools verify where it came from.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from nacl.signing import SigningKey, VerifyKey

from kiosk.photos import stored_photos
from kiosk.store import Store
from kiosk.summary.crypto import seal
from kiosk.summary.model import Period
from kiosk.summary.progress_rows import period_bounds
from kiosk.summary.progress_section import photo_attachment_name
from kiosk.summary.service import Packed

PHOTO_KIND = "photo"


def photo_attachments(
    store: Store, folder: Path, period: Period, now: datetime, key: SigningKey, therapist: VerifyKey | None
) -> list[Packed]:
    """One packed attachment per standard photo taken in ``period`` (none without a therapist key)."""
    if therapist is None:
        return []  # a photo never leaves the kiosk unless it is sealed to the therapist
    start, end = period_bounds(period, now)
    out = []
    for photo in stored_photos(store, folder, start.isoformat(), end.isoformat()):
        name = photo_attachment_name(photo.taken_at, photo.session_id, photo.view)
        meta = {"name": name, "kind": PHOTO_KIND, "created_at": photo.taken_at, "view": photo.view}
        out.append(Packed(name, PHOTO_KIND, seal(photo.path.read_bytes(), meta, key, therapist)))
    return out
