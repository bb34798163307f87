"""The kiosk's side of a stimulation block: builds the runner, feeds it what the kiosk knows, relays controls.

The session flow decides *when* (stim_flow.py); ``stim_hat.safety`` decides *whether*;
``stim_hat.runner.BlockRunner`` owns the outputs. This class only connects them:

- ``update`` is called by the main loop every tick with what the session knows (paused, face in
  view, co-movement seen). The runner reads that snapshot from its own thread through
  ``surroundings``; if the main loop has not refreshed it for ``MAX_SNAPSHOT_AGE_S`` (a hung
  screen, so STOP on the screen would not work), reading it raises and the runner cuts the outputs.
- ``start`` / ``stronger`` pass the touch confirmation on; the rules may still refuse.
- ``stop`` and ``lower`` act at once in the caller's thread.
- The contraindication checklist's answers are stored durably per plan version.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable
from datetime import datetime

from content.i18n import DEFAULT_LANGUAGE, phrase
from kiosk.events import EventQueue, StimStopped
from kiosk.plan.loader import LoadResult, stim_plan
from kiosk.screens.stimulation import StimulationModel
from kiosk.settings import Settings
from kiosk.stim_ledger import StoreLedger
from kiosk.store import Store
from stim_hat.boot import boot_clock
from stim_hat.driver import StimHat
from stim_hat.exc import EStopLatched, SurroundingsStale
from stim_hat.ledger import DoseLedger, dose_so_far
from stim_hat.prescription import DeviceLimits, device_limits
from stim_hat.reasons import Reason
from stim_hat.rules import block_seconds
from stim_hat.runner import BlockEnded, BlockRunner, Surroundings
from stim_hat.safety import Decision, Request, StimPlan, StimState, check

log = logging.getLogger(__name__)

MAX_SNAPSHOT_AGE_S = 1.0
NO_BOARD = Reason("no_board", "The stimulation board is not connected.")


def checklist_cleared(store: Store, plan_version: int) -> bool:
    """True when the latest checklist answered for this plan version was all "no"."""
    with store.lock:
        rows = list(
            store.db.query(
                "select cleared from stim_checklist where plan_version = ? order by id desc limit 1", [plan_version]
            )
        )
    return bool(rows and rows[0]["cleared"])


class StimControl:
    """One per kiosk; a new BlockRunner for every block."""

    def __init__(
        self,
        hat: StimHat | None,
        plan: StimPlan,
        limits: DeviceLimits,
        events: EventQueue,
        store: Store,
        wall_clock: Callable[[], datetime],
        *,
        contact_min_level: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        max_snapshot_age_s: float = MAX_SNAPSHOT_AGE_S,
        ledger: DoseLedger | None = None,
    ) -> None:
        self.hat, self.plan, self.limits, self.events, self.store = hat, plan, limits, events, store
        self.ledger = ledger or StoreLedger(store)
        self.wall_clock, self.clock = wall_clock, clock
        self.contact_min_level = contact_min_level
        self.max_snapshot_age_s = max_snapshot_age_s
        self.confirmed = checklist_cleared(store, plan.version)
        self.snapshot = Surroundings(contraindications_confirmed=self.confirmed)
        self.snapshot_at = -math.inf
        self.runner: BlockRunner | None = None

    # ---- main loop -------------------------------------------------------------------------
    def update(self, *, paused: bool, face_visible: bool, synkinesis: bool) -> None:
        """What the session knows now (every tick, main loop)."""
        self.snapshot = Surroundings(
            contraindications_confirmed=self.confirmed,
            synkinesis_flagged=synkinesis,
            session_paused=paused,
            face_visible=face_visible,
        )
        self.snapshot_at = self.clock()

    def surroundings(self) -> Surroundings:
        """The runner's view of the kiosk (runner thread); raises when the main loop stopped updating it."""
        age = self.clock() - self.snapshot_at
        if age > self.max_snapshot_age_s:
            raise SurroundingsStale(
                Reason("screen_stalled", "The screen stopped responding, so stimulation was stopped.")
            )
        return self.snapshot

    # ---- StimPort (kiosk.session.controller) -------------------------------------------------
    def start(self, source: str) -> tuple[bool, str]:
        if self.hat is None:
            return False, NO_BOARD
        if self.running:
            return False, Reason("already_running", "A stimulation block is already running.")
        self.runner = BlockRunner(
            self.hat,
            self.plan,
            self.limits,
            self._report,
            self.ledger,
            self.surroundings,
            contact_min_level=self.contact_min_level,
            clock=self.clock,
            wall=self.wall_clock,
        )
        decision = self.runner.start(source, confirmed=True)
        log.info("stimulation start (%s): %s", source, decision.reason)
        return decision.allowed, decision.reason

    def _report(self, ended: BlockEnded) -> None:
        """The runner's end report (runner thread) becomes an event for the main loop."""
        self.events.put(StimStopped(at=ended.at, reason=ended.reason, normal=ended.normal, code=ended.code))

    def stop(self, reason: str, code: str = "patient_stop") -> None:
        """Outputs off at once (the runner cuts them in this thread, taking no storage lock)."""
        runner = self.runner
        if runner is not None:
            runner.stop(reason, code)

    def precheck(self) -> tuple[bool, str]:
        """StimPort: (allowed, reason) before the safety questions and the offer."""
        decision = self.precheck_decision()
        return decision.allowed, decision.reason

    def precheck_decision(self) -> Decision:
        """Would the rules refuse a block now for a reason a touch cannot change (rest, dose, co-movement…)?

        Asked before the safety questions and the offer, so nobody answers nine questions for a
        block that cannot start. What only the moment decides (pads on, face in view) is assumed.
        """
        if self.hat is None:
            return Decision(False, NO_BOARD, "board")
        if self.estop_latched:
            return Decision(
                False,
                Reason("estop", "The emergency stop is pressed. Stimulation stays off until it is reset."),
                "estop",
            )
        now = self.wall_clock()
        try:
            dose = dose_so_far(self.ledger.recent(now), self.plan.rx.side, now, boot_clock())
        except Exception as exc:  # noqa: BLE001 - an unreadable dose record refuses, with the reason
            log.error("dose ledger unreadable: %s", exc)
            return Decision(
                False,
                Reason("ledger", "Stimulation is not possible now: the kiosk cannot read its dose record."),
                "ledger",
            )
        rx = self.plan.rx
        state = StimState(
            contact_ok=True,
            contraindications_confirmed=True,
            synkinesis_flagged=self.snapshot.synkinesis_flagged,
            face_visible=True,
            side_minutes_today=dose.side_minutes,
            minutes_today=dose.all_minutes,
            last_block_end=dose.last_end,
        )
        request = Request(
            "start",
            rx.side,
            rx.sites,
            0.0,
            rx.pulse_width_us,
            rx.frequency_hz,
            rx.on_seconds,
            rx.off_seconds,
            rx.ramp_seconds,
            source="touch",
            confirmed=True,
        )
        return check(request, state, self.plan, self.limits, now)

    def lower(self, source: str) -> None:
        if self.runner is not None and self.running:
            self.runner.too_strong(source)

    def stronger(self, source: str) -> tuple[bool, str]:
        if self.runner is None or not self.running:
            return False, Reason("not_running", "No stimulation is running.")
        decision = self.runner.stronger(source, confirmed=True)
        return decision.allowed, decision.reason

    def record_checklist(self, cleared: bool, answers: tuple[tuple[str, bool], ...]) -> None:
        """Store the answers durably before anything depends on them."""
        with self.store.critical() as db:
            db["stim_checklist"].insert(
                {
                    "at": self.wall_clock().isoformat(),
                    "plan_version": self.plan.version,
                    "cleared": int(cleared),
                    "answers": json.dumps([[key, yes] for key, yes in answers]),
                }
            )
        self.confirmed = cleared

    # ---- the emergency stop ----------------------------------------------------------------
    @property
    def estop_latched(self) -> bool:
        """True from an emergency-stop press until a caregiver's deliberate reset."""
        return self.hat is not None and self.hat.estop_latched

    def reset_estop(self, via: str, lang: str = DEFAULT_LANGUAGE) -> tuple[bool, str]:
        """The caregiver's deliberate reset of a latched emergency stop; (done, words to show and say).

        Refused while the button is still pressed (the driver checks the pin). A reset only allows
        a new block: nothing starts until the patient touches Start stimulation in a session.
        """
        if self.hat is None:
            return False, NO_BOARD
        if not self.estop_latched:
            return False, phrase("stimulation.estop_not_pressed", lang)
        try:
            self.hat.reset_estop()
        except EStopLatched:
            log.warning("emergency stop reset refused (%s): the button is still pressed", via)
            return False, phrase("stimulation.estop_still_pressed", lang)
        log.warning("emergency stop reset by the caregiver (%s)", via)
        self.store.log_event("estop_reset", self.wall_clock(), {"via": via})
        return True, phrase("stimulation.estop_reset", lang)

    # ---- the screen ------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.runner is not None and self.runner.running

    def model(self, notice: str = "", confirm_raise: bool = False) -> StimulationModel:
        """What the stimulation screen shows now."""
        rx = self.plan.rx
        runner = self.runner
        level = runner.level if runner is not None else rx.start_amplitude_ma
        state = "running" if self.running else "waiting"
        return StimulationModel(
            side=rx.side,
            amplitude_ma=level,
            max_ma=min(rx.max_amplitude_ma, self.limits.ceiling_ma),
            seconds_left=runner.seconds_left() if runner is not None else block_seconds(rx),
            state=state,
            notice=notice,
            confirm_raise=confirm_raise,
        )

    def close(self) -> None:
        """The kiosk is closing: end any block (outputs off) and wait for its report."""
        if self.runner is not None and self.running:
            self.runner.stop(Reason("kiosk_closed", "The kiosk was closed."), "interrupted")
            self.runner.join(2.0)


def open_stim_control(
    settings: Settings,
    hat: StimHat | None,
    in_force: LoadResult,
    events: EventQueue,
    store: Store,
    wall_clock: Callable[[], datetime],
) -> StimControl:
    """The control for the plan in force (locked when the plan is unsigned or has no stimulation)."""
    return StimControl(
        hat,
        stim_plan(in_force),
        device_limits(settings.hat),
        events,
        store,
        wall_clock,
        contact_min_level=settings.hat.contact_min_level,
    )
