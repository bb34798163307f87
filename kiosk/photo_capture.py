"""During a baseline session with consent: keep one still per standard view, sealed, never shown.

A main-loop step. When a session starts it decides whether this session will be the baseline
(kiosk/baseline.py) and whether photos may be kept (consent and a therapist key). Then it keeps
in memory the last camera picture of the relaxed-face calibration (``neutral``) and, per
exercise, the picture of the hold where both sides moved most (its peak). When the session has
ended measured, each is encoded as PNG, sealed to the therapist and stored (kiosk/photos.py); the
pictures in memory are dropped either way. Nothing here draws: the photos are never on screen.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nacl.signing import VerifyKey

from kiosk.baseline import baseline_due
from kiosk.baseline_store import baselines
from kiosk.photos import PhotoError, consent_given, keep_photo
from kiosk.session.flow import Phase
from kiosk.settings import Settings
from kiosk.store import Store

if TYPE_CHECKING:
    from kiosk.app import Kiosk

log = logging.getLogger(__name__)

NEUTRAL = "neutral"
NEUTRAL_EVERY_S = 0.5  # the relaxed picture is copied at most this often (a full frame per tick costs the Pi)


@dataclass
class Candidate:
    """The best picture of one view so far."""

    image: Any
    score: float


def therapist_key_or_none(settings: Settings) -> VerifyKey | None:
    """The therapist's public key from settings; None (and a log line) when it is not set up or unreadable."""
    from kiosk.summary.service import therapist_key

    try:
        return therapist_key(settings)
    except (ValueError, OSError) as exc:  # SummaryCryptoError is a ValueError: no photos are kept then
        log.error("no standard photos: the therapist key cannot be read: %s", exc)
        return None


def encode_png(image: Any) -> bytes:
    """A BGR picture (OpenCV's order) as PNG bytes."""
    import cv2  # only where a picture is kept

    ok, data = cv2.imencode(".png", image)
    if not ok:
        raise PhotoError("The picture could not be encoded.")
    return bytes(data)


class PhotoStep:
    """Watches the kiosk's session; keeps the standard views of a baseline session when allowed."""

    def __init__(
        self,
        kiosk: Kiosk,
        folder: Path,
        therapist: Callable[[], VerifyKey | None],
        every_weeks: Callable[[], int | None],
        encode: Callable[[Any], bytes] = encode_png,
    ) -> None:
        self.kiosk, self.folder, self.therapist, self.every_weeks, self.encode = (
            kiosk,
            folder,
            therapist,
            every_weeks,
            encode,
        )
        self.session: object | None = None
        self.active = False
        self.views: dict[str, Candidate] = {}
        self.neutral_at = float("-inf")

    def __call__(self, t: float) -> None:
        session = self.kiosk.session
        if session is not self.session:
            self.session, self.views = session, {}
            under_plan = session is not None and session.flow.plan.plan_version is not None  # a baseline needs a plan
            self.active = under_plan and self._allowed(self.kiosk.store, self.kiosk.wall_clock())
        if not self.active or session is None:
            return
        if session.ended:
            self._keep(session.session_id, any(r.left_pct is not None for r in session.results))
            self.active, self.views = False, {}
            return
        self._look(session.flow, t)

    def _allowed(self, store: Store, now: datetime) -> bool:
        """Consent, a therapist key, and this session would be the baseline."""
        try:
            if not consent_given(store) or self.therapist() is None:
                return False
            known = baselines(store)
            return baseline_due(known[-1].at if known else None, self.every_weeks(), now)
        except (sqlite3.Error, OSError, ValueError) as exc:  # no photos then; the session itself goes on
            log.error("standard photos not taken: %s", exc)
            return False

    def _look(self, flow: Any, t: float) -> None:
        preview = self.kiosk.movement.preview()
        if preview is None or preview[0] is None:
            return
        image = preview[0]
        if flow.phase is Phase.CALIBRATION:
            if t - self.neutral_at >= NEUTRAL_EVERY_S:
                self.views[NEUTRAL] = Candidate(image.copy(), 0.0)  # the last relaxed picture wins
                self.neutral_at = t
            return
        m = flow.measurement
        step = flow.step
        if flow.phase is not Phase.HOLD or step is None or m is None or not m.usable:
            return
        score = m.left_pct + m.right_pct
        best = self.views.get(step.id)
        if best is None or score > best.score:
            self.views[step.id] = Candidate(image.copy(), score)

    def _keep(self, session_id: int | None, measured: bool) -> None:
        if not measured or not self.views:
            return
        now = self.kiosk.wall_clock()
        for view, candidate in self.views.items():
            try:
                keep_photo(
                    self.kiosk.store, self.folder, self.therapist(), session_id, view, self.encode(candidate.image), now
                )
            except (PhotoError, sqlite3.Error, OSError) as exc:
                log.error("standard photo %s not kept: %s", view, exc)
