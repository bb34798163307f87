"""Plays one stimulation block in its own thread under a ~20 Hz safety loop.

Each tick: read the surroundings, e-stop, electrode contact and board feedback; ask the pure
rules (``stim_hat.safety.check``); only then set the outputs and toggle the heartbeat. Any
failed check or exception cuts the outputs at once (a normal end has already ramped down),
writes the log row durably and reports ``StimStopped``. The runner never restarts itself; the
loop waits on its stop Event, so ``stop`` is immediate (it also cuts the outputs itself, in the
caller's thread).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from kiosk.events import EventQueue, StimStopped
from kiosk.store import Store
from stim_hat.driver import StimHat
from stim_hat.exc import BoardFault, StimError
from stim_hat.prescription import DeviceLimits
from stim_hat.rules import EPSILON_MA, lower_one_step, max_ramp_rate, profile, raise_one_step
from stim_hat.safety import Decision, Request, StimPlan, StimState, check

log = logging.getLogger(__name__)

TICK_S = 0.05
FEEDBACK_GRACE_TICKS = 2  # the board's feedback may lag the command by this many ticks


@dataclass(frozen=True)
class Surroundings:
    """What the rest of the kiosk knows now; supplied by a callable the kiosk owns."""

    contraindications_confirmed: bool = False
    synkinesis_flagged: bool = False
    session_paused: bool = False
    face_visible: bool = False


class BlockRunner:
    """One block on one side; create a new runner for every block."""

    def __init__(
        self,
        hat: StimHat,
        plan: StimPlan,
        limits: DeviceLimits,
        events: EventQueue,
        store: Store,
        surroundings: Callable[[], Surroundings],
        *,
        contact_min_level: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = datetime.now,
        tick_s: float = TICK_S,
    ) -> None:
        self.hat, self.plan, self.limits, self.events, self.store = hat, plan, limits, events, store
        self.rx = plan.rx
        self.surroundings = surroundings
        self.contact_min_level = contact_min_level
        self.clock, self.wall, self.tick_s = clock, wall, tick_s
        self.level = self.rx.start_amplitude_ma
        self.max_ma = 0.0
        self.stopped: StimStopped | None = None
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._stop_reason: str | None = None
        self._thread: threading.Thread | None = None
        self._actual = 0.0
        self._set_at: datetime | None = None
        self._started_wall: datetime | None = None
        self._feedback_misses = 0
        self._started_m: float | None = None

    # ----- controls (any thread) ---------------------------------------------------------
    def start(self, source: str = "touch", confirmed: bool = False) -> Decision:
        """Start the block if every rule allows it; a runner starts at most once."""
        if self._thread is not None:
            return Decision(False, "This block has already run.", "once")
        now = self.wall()
        request = self._request("start", 0.0, source, confirmed)
        decision = check(request, self._state(now, self.surroundings(), started=None), self.plan, self.limits, now)
        if not decision.allowed:
            return decision
        self.hat.rearm()
        self._thread = threading.Thread(target=self._run, name="stim-runner", daemon=True)
        self._thread.start()
        return decision

    def stop(self, reason: str = "stopped") -> None:
        """Outputs off now (in this thread), then the loop ends and reports."""
        with self._lock:
            if self._stop_reason is None:
                self._stop_reason = reason
            self._stop.set()
            self.hat.cut(reason)

    def too_strong(self, source: str = "touch") -> float:
        """Lower one step at once (voice, button or touch); returns the new level."""
        with self._lock:
            self.level = lower_one_step(self.level, self.rx)
            if self._actual > self.level:
                self._actual = self.level
                self.hat.set_amplitude(self._actual)
            log.info("too strong (%s): level %.2f mA", source, self.level)
            return self.level

    def stronger(self, source: str, confirmed: bool) -> Decision:
        """One step up, only with a touch confirmation and never above the plan maximum."""
        surroundings, contact = self.surroundings(), self.hat.contact_level()
        with self._lock:
            new = raise_one_step(self.level, self.rx, self.limits.ceiling_ma)
            if new <= self.level + EPSILON_MA:
                return Decision(False, "This is already the most your plan allows.", "amplitude")
            now = self.wall()
            state = self._state(now, surroundings, started=self._started_wall, contact=contact)
            state = replace(state, amplitude_ma=self.level)
            decision = check(self._request("raise", new, source, confirmed), state, self.plan, self.limits, now)
            if decision.allowed:
                self.level = new
            return decision

    def join(self, timeout: float | None = None) -> StimStopped | None:
        """Wait for the block to end; the StimStopped it reported (None if still running)."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.stopped

    def elapsed_seconds(self) -> float:
        """Seconds since the block started (0 before it starts)."""
        return 0.0 if self._started_m is None else max(0.0, self.clock() - self._started_m)

    @property
    def output_ma(self) -> float:
        """The amplitude commanded now (0 in the off phase of a cycle and after a stop)."""
        return 0.0 if self._stop.is_set() else self._actual

    @property
    def running(self) -> bool:
        """True while the block's thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    # ----- the safety loop ---------------------------------------------------------------
    def _run(self) -> None:
        reason, normal = "fault: the block ended without a reason", False
        t0 = self.clock()
        self._started_m, self._started_wall = t0, self.wall()
        try:
            reason, normal = self._loop(t0)
        except StimError as exc:
            reason = self._stop_reason or str(exc)
        except Exception as exc:  # noqa: BLE001 - any fault ends the block: outputs off, reported, logged
            log.exception("stimulation runner fault")
            reason = self._stop_reason or f"fault: {exc}"
        finally:
            self._finish(reason, normal)

    def _loop(self, t0: float) -> tuple[str, bool]:
        while True:
            if self._stop.is_set():
                return self._stop_reason or "stopped", False
            surroundings = self.surroundings()
            contact = self.hat.contact_level()
            now_m, now = self.clock(), self.wall()
            phase = profile(self.rx, self.level, now_m - t0)
            if phase.name == "done":
                return "block finished", True
            self._check_feedback()
            with self._lock:
                if self._stop.is_set():
                    continue
                target = self._slew(phase.amplitude_ma, now)
                state = self._state(now, surroundings, started=self._started_wall, contact=contact)
                state = replace(state, on_phase_seconds=phase.on_phase_seconds)
                decision = check(self._request("continue", target, "runner", False), state, self.plan, self.limits, now)
                if not decision.allowed:
                    return decision.reason, False
                self._apply(phase.output_on, target, now)
                self.hat.toggle_heartbeat()  # only here, only after every check passed
            self._stop.wait(self.tick_s)

    def _slew(self, wanted: float, now: datetime) -> float:
        """Falls at once; rises no faster than the plan's ramp rate."""
        if wanted <= self._actual:
            return wanted
        dt = (now - self._set_at).total_seconds() if self._set_at is not None else self.tick_s
        return min(wanted, self._actual + max_ramp_rate(self.rx) * dt)

    def _apply(self, output_on: bool, target: float, now: datetime) -> None:
        if output_on:
            if self.hat.enabled_side == self.rx.side:
                self.hat.set_amplitude(target)
            else:
                self.hat.set_output(self.rx.side, target)
        else:
            target = 0.0
            self.hat.all_off()
        self._actual, self._set_at = target, now
        self.max_ma = max(self.max_ma, target)

    def _check_feedback(self) -> None:
        commanded = self.hat.armed and self._actual > 0.0
        if commanded != self.hat.output_active:
            self._feedback_misses += 1
        else:
            self._feedback_misses = 0
        if self._feedback_misses > FEEDBACK_GRACE_TICKS:
            what = "cut the output by itself" if commanded else "reports output that was not commanded"
            raise BoardFault(f"The stimulation board {what}.")

    def _finish(self, reason: str, normal: bool) -> None:
        with self._lock:
            self._stop.set()
            if normal:
                self.hat.all_off()
            else:
                self.hat.cut(reason)
        stopped_at = self.wall()
        try:
            self._write_log(stopped_at, reason)
        except Exception as exc:  # noqa: BLE001 - outputs are already off; the report says the log failed
            log.critical("stimulation block could not be logged: %s", exc)
            reason = f"{reason} (the log row could not be saved: {exc})"
        self.stopped = StimStopped(at=self.clock(), reason=reason, normal=normal)
        self.events.put(self.stopped)

    def _write_log(self, stopped_at: datetime, reason: str) -> None:
        parameters = {k: v for k, v in asdict(self.rx).items() if k not in ("sites", "side", "enabled")}
        row = {
            "plan_version": self.plan.version,
            "side": self.rx.side,
            "sites": json.dumps(list(self.rx.sites)),
            "parameters": json.dumps(parameters, sort_keys=True),
            "started_at": (self._started_wall or stopped_at).isoformat(),
            "stopped_at": stopped_at.isoformat(),
            "max_amplitude_ma": round(self.max_ma, 3),
            "stop_reason": reason,
        }
        with self.store.critical() as db:
            db["stim_log"].insert(row)

    # ----- helpers -----------------------------------------------------------------------
    def _request(self, action: str, amplitude: float, source: str, confirmed: bool) -> Request:
        rx = self.rx
        return Request(
            action=action,
            side=rx.side,
            sites=rx.sites,
            amplitude_ma=amplitude,
            pulse_width_us=rx.pulse_width_us,
            frequency_hz=rx.frequency_hz,
            on_seconds=rx.on_seconds,
            off_seconds=rx.off_seconds,
            ramp_seconds=rx.ramp_seconds,
            source=source,
            confirmed=confirmed,
        )

    def _state(
        self, now: datetime, s: Surroundings, *, started: datetime | None, contact: float | None = None
    ) -> StimState:
        if contact is None:
            contact = self.hat.contact_level()
        side_min, all_min, last_end = minutes_today(self.store, self.rx.side, now)
        running = (now - started).total_seconds() / 60 if started else 0.0
        return StimState(
            estop_latched=self.hat.estop_latched,
            contact_ok=contact >= self.contact_min_level,
            contraindications_confirmed=s.contraindications_confirmed,
            synkinesis_flagged=s.synkinesis_flagged,
            session_paused=s.session_paused,
            face_visible=s.face_visible,
            other_side_on=self.hat.enabled_side not in (None, self.rx.side),
            side_minutes_today=side_min + running,
            minutes_today=all_min + running,
            last_block_end=last_end,
            block_started=started,
            amplitude_ma=self._actual,
            amplitude_set_at=self._set_at,
        )


def minutes_today(store: Store, side: str, now: datetime) -> tuple[float, float, datetime | None]:
    """Minutes stimulated today on ``side`` and in all, and when the last block ended (from stim_log)."""
    day = now.date().isoformat()
    side_min = all_min = 0.0
    last_end: datetime | None = None
    with store.lock:
        rows = list(store.db.query("select side, started_at, stopped_at from stim_log"))
    for row in rows:
        started, stopped = datetime.fromisoformat(row["started_at"]), datetime.fromisoformat(row["stopped_at"])
        last_end = stopped if last_end is None or stopped > last_end else last_end
        if row["started_at"][:10] == day:
            minutes = max(0.0, (stopped - started).total_seconds() / 60)
            all_min += minutes
            side_min += minutes if row["side"] == side else 0.0
    return side_min, all_min, last_end
