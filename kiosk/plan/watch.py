"""Loop step: notice a new plan in force (installed by sync, or started on its date) and tell the patient once.

The look is cheap: every ``every_s`` seconds the plan file's stamp and today's date are compared
with the last look, and only a change reloads the plan. The next session and the stimulation
control read the plan in force when they start, so they follow the new plan by themselves; this
step makes the change visible on Home and says it aloud once ("Your therapist changed your
plan: …"). Which plan was last announced is kept in the event log, so a restart neither repeats
the announcement nor loses one for a plan installed while the kiosk was off.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kiosk.plan.describe import changes, say_changes
from kiosk.plan.library import names, outline_of
from kiosk.plan.loader import LoadResult
from kiosk.plan.model import parse_plan
from kiosk.store import Store
from stim_hat.prescription import DeviceLimits, parse_prescription

log = logging.getLogger(__name__)
ANNOUNCED = "plan_announced"  # event kind: the plan (sha256, version) the patient was told about
WATCH_EVERY_S = 30.0


class PlanWatch:
    """Loop step: reload the plan only when its file or the date changed; announce a new one once."""

    def __init__(
        self,
        store: Store,
        plan_file: Path,
        load: Callable[[], LoadResult],
        announce: Callable[[str], bool],
        language: Callable[[], str],
        wall_clock: Callable[[], datetime],
        limits: DeviceLimits,
        every_s: float = WATCH_EVERY_S,
        on_plan: Callable[[dict], None] | None = None,
    ) -> None:
        self.store = store
        self.plan_file = plan_file
        self.load = load
        self.announce = announce  # False while the kiosk is busy: asked again on the next tick
        self.language = language
        self.wall_clock = wall_clock
        self.limits = limits
        self.every_s = every_s
        self.on_plan = on_plan  # told every plan in force it reads (its raw table), e.g. the session slots
        self._next = 0.0
        self._stamp: tuple | None = None
        self._words: str | None = None  # an announcement waiting for the kiosk to be free
        self._told: tuple[str, int] | None = None

    def __call__(self, t: float) -> None:
        if self._words is not None and self.announce(self._words):
            self._words = None
            assert self._told is not None
            self._remember(*self._told)
        if t < self._next:
            return
        self._next = t + self.every_s
        stamp = self._look()
        if stamp == self._stamp:
            return
        self._stamp = stamp
        self._check(self.load())

    def _look(self) -> tuple:
        try:
            info = self.plan_file.stat()
            return (info.st_mtime_ns, info.st_size, info.st_ino, self.wall_clock().date())
        except FileNotFoundError:
            return (None, self.wall_clock().date())

    def _check(self, result: LoadResult) -> None:
        plan = result.plan
        if plan is None or not result.accepted:
            return
        if self.on_plan is not None:
            self.on_plan(plan.raw)
        told = self._last_told()
        if told is None:  # the first plan this kiosk follows: nothing changed for the patient
            self._remember(plan.sha256, plan.version)
            return
        if told[0] == plan.sha256:
            return
        lang = self.language()
        old, _ = parse_plan(self._plan_text(told[0]).encode("utf-8"), "<plan before>")
        found = []
        if old is not None:  # the plan told about last is still on record: say what changed
            rx, _ = parse_prescription(old.raw, self.limits)
            found = changes(outline_of(old, rx), outline_of(plan, result.stimulation), names(lang))
        self._words = say_changes(found, lang)
        self._told = (plan.sha256, plan.version)
        log.info("plan version %s is in force; the patient is told: %s", plan.version, self._words)

    def _last_told(self) -> tuple[str, int] | None:
        with self.store.lock:
            rows = list(self.store.db["event_log"].rows_where("kind = ?", [ANNOUNCED], order_by="-id", limit=1))
        if not rows:
            return None
        data = json.loads(rows[0]["data"] or "{}")
        return str(data.get("sha256", "")), int(data.get("version", -1))

    def _remember(self, sha: str, version: int) -> None:
        self.store.log_event(ANNOUNCED, self.wall_clock(), {"sha256": sha, "version": version})

    def _plan_text(self, sha: str) -> str:
        with self.store.lock:
            rows = list(self.store.db["plan_versions"].rows_where("sha256 = ? and text is not null", [sha], limit=1))
        return str(rows[0]["text"]) if rows else ""
