"""Plays one stimulation block in its own thread under a ~20 Hz safety loop.

Before current flows the block is written to the dose ledger (``stim_hat.ledger``); if that
write fails, the block does not start. Each tick: read the surroundings, e-stop, electrode
contact and board feedback; ask the pure rules (``stim_hat.safety.check``); only then set the
outputs and toggle the heartbeat. The loop never touches storage: minutes used today are read
once before the block, and time inside the block is the monotonic clock, so a stepped wall clock
changes nothing. Any failed check or exception cuts the outputs at once (a normal end has
already ramped down), closes the ledger row and reports a ``BlockEnded``. ``stop`` cuts the
outputs first, in the caller's thread, without waiting for any lock the loop may hold.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from stim_hat.boot import boot_clock
from stim_hat.driver import StimHat
from stim_hat.exc import BoardFault, StimError
from stim_hat.ledger import BlockEnd, BlockStart, BootClock, DoseLedger, DoseSoFar, dose_so_far
from stim_hat.prescription import DeviceLimits
from stim_hat.reasons import Reason
from stim_hat.rules import EPSILON_MA, block_seconds, lower_one_step, max_ramp_rate, profile, raise_one_step
from stim_hat.safety import Decision, Request, StimPlan, StimState, check

log = logging.getLogger(__name__)

TICK_S = 0.05
FEEDBACK_GRACE_TICKS = 2  # the board's feedback may lag the command by this many ticks
PROGRESS_S = 5.0  # how often the ledger row is updated while the block runs (off the safety loop)
END_CODES = ("finished", "patient_stop", "rule", "fault", "interrupted")
LEDGER_FAILED = (
    "Stimulation did not start: the kiosk could not write it into its dose record ({error}). "
    "Ask your caregiver to check the storage."
)


@dataclass(frozen=True)
class Surroundings:
    """What the rest of the kiosk knows now; supplied by a callable the kiosk owns."""

    contraindications_confirmed: bool = False
    synkinesis_flagged: bool = False
    session_paused: bool = False
    face_visible: bool = False


@dataclass(frozen=True)
class BlockEnded:
    """The runner's report: outputs are off; why, and whether it was the normal end."""

    at: float  # the runner's monotonic clock
    reason: str
    normal: bool
    code: str  # one of END_CODES


class BlockRunner:
    """One block on one side; create a new runner for every block."""

    def __init__(
        self,
        hat: StimHat,
        plan: StimPlan,
        limits: DeviceLimits,
        report: Callable[[BlockEnded], None],
        ledger: DoseLedger,
        surroundings: Callable[[], Surroundings],
        *,
        contact_min_level: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = datetime.now,
        boot: Callable[[], BootClock] = boot_clock,
        tick_s: float = TICK_S,
    ) -> None:
        self.hat, self.plan, self.limits, self.report, self.ledger = hat, plan, limits, report, ledger
        self.rx = plan.rx
        self.surroundings = surroundings
        self.contact_min_level = contact_min_level
        self.clock, self.wall, self.boot, self.tick_s = clock, wall, boot, tick_s
        self.level = self.rx.start_amplitude_ma
        self.max_ma = 0.0
        self.stopped: BlockEnded | None = None
        self.block_id: int | None = None
        self._lock = threading.RLock()  # level and set-point; never held while waiting on storage
        self._reason_lock = threading.Lock()  # only guards the first stop reason
        self._stop = threading.Event()
        self._stop_reason: tuple[str, str] | None = None
        self._thread: threading.Thread | None = None
        self._progress_thread: threading.Thread | None = None
        self._actual = 0.0
        self._set_at: float | None = None  # monotonic time of the last set-point
        self._before = DoseSoFar()
        self._feedback_misses = 0
        self._started_m: float | None = None
        self._started_wall: datetime | None = None

    # ----- controls (any thread) ---------------------------------------------------------
    def start(self, source: str = "touch", confirmed: bool = False) -> Decision:
        """Start the block if every rule allows it and the ledger row is on disk; at most once."""
        if self._thread is not None:
            return Decision(False, Reason("already_run", "This block has already run."), "once")
        now, boot = self.wall(), self.boot()
        try:
            self._before = dose_so_far(self.ledger.recent(now), self.rx.side, now, boot)
        except Exception as exc:  # noqa: BLE001 - unreadable dose record: refuse, with the reason
            log.error("dose ledger unreadable, block refused: %s", exc)
            return Decision(False, LEDGER_FAILED.format(error=_plain(exc)), "ledger")
        request = self._request("start", 0.0, source, confirmed)
        decision = check(request, self._state(now, self.surroundings(), None, 0.0), self.plan, self.limits, now)
        if not decision.allowed:
            return decision
        try:
            self.block_id = self.ledger.open_block(self._block_start(now, boot))
        except Exception as exc:  # noqa: BLE001 - no durable row, no current
            log.critical("dose ledger row not written, block refused: %s", exc)
            return Decision(False, LEDGER_FAILED.format(error=_plain(exc)), "ledger")
        self.hat.rearm()
        self._thread = threading.Thread(target=self._run, name="stim-runner", daemon=True)
        self._thread.start()
        return decision

    def stop(self, reason: str = "stopped", code: str = "patient_stop") -> None:
        """Outputs off now, in this thread and before anything else; then the loop ends and reports."""
        self.hat.cut(reason)  # latches: the loop cannot turn them on again
        with self._reason_lock:
            if self._stop_reason is None:
                self._stop_reason = (reason, code)
        self._stop.set()

    def too_strong(self, source: str = "touch") -> float:
        """Lower one step at once (voice, button or touch); returns the new level."""
        with self._lock:
            self.level = lower_one_step(self.level, self.rx)
            if self._actual > self.level:
                self._actual = self.level
                self.hat.lower_to(self._actual)  # never raises: an e-stop may have cut the outputs meanwhile
            log.info("too strong (%s): level %.2f mA", source, self.level)
            return self.level

    def stronger(self, source: str, confirmed: bool) -> Decision:
        """One step up, only with a touch confirmation and never above the plan maximum."""
        surroundings, contact = self.surroundings(), self.hat.contact_level()
        with self._lock:
            new = raise_one_step(self.level, self.rx, self.limits.ceiling_ma)
            if new <= self.level + EPSILON_MA:
                return Decision(False, Reason("at_most", "This is already the most your plan allows."), "amplitude")
            now_m = self.clock()
            now = self._rule_time(now_m)
            state = self._state(now, surroundings, self._started_wall, self.elapsed_seconds(), contact=contact)
            state = replace(state, amplitude_ma=self.level)
            decision = check(self._request("raise", new, source, confirmed), state, self.plan, self.limits, now)
            if decision.allowed:
                self.level = new
            return decision

    def join(self, timeout: float | None = None) -> BlockEnded | None:
        """Wait for the block to end; the BlockEnded it reported (None if still running)."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.stopped

    def elapsed_seconds(self) -> float:
        """Seconds since the block started (0 before it starts), on the monotonic clock."""
        return 0.0 if self._started_m is None else max(0.0, self.clock() - self._started_m)

    def seconds_left(self) -> float:
        """Seconds until the block's normal end (its whole cycles, as the loop plays them)."""
        return max(0.0, block_seconds(self.rx) - self.elapsed_seconds())

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
        reason, normal, code = "fault: the block ended without a reason", False, "fault"
        t0 = self.clock()
        self._started_m, self._started_wall = t0, self.wall()
        try:
            reason, normal, code = self._loop(t0)
        except StimError as exc:
            reason, code = self._stop_reason or (_words_of(exc), "fault")
        except Exception as exc:  # noqa: BLE001 - any fault ends the block: outputs off, reported, logged
            log.exception("stimulation runner fault")
            reason, code = self._stop_reason or (f"fault: {exc}", "fault")
        finally:
            self._finish(reason, normal, code)

    def _loop(self, t0: float) -> tuple[str, bool, str]:
        next_progress = t0 + PROGRESS_S
        while True:
            if self._stop.is_set():
                reason, code = self._stop_reason or ("stopped", "patient_stop")
                return reason, False, code
            surroundings = self.surroundings()
            contact = self.hat.contact_level()
            now_m = self.clock()
            elapsed = now_m - t0
            phase = profile(self.rx, self.level, elapsed)
            if phase.name == "done":
                return "block finished", True, "finished"
            self._check_feedback()
            now = self._rule_time(now_m)
            with self._lock:
                if self._stop.is_set():
                    continue
                target = self._slew(phase.amplitude_ma, now_m)
                state = self._state(now, surroundings, self._started_wall, elapsed, contact=contact)
                state = replace(state, on_phase_seconds=phase.on_phase_seconds)
                decision = check(self._request("continue", target, "runner", False), state, self.plan, self.limits, now)
                if not decision.allowed:
                    return decision.reason, False, "rule"
                self._apply(phase.output_on, target, now_m)
                self.hat.toggle_heartbeat()  # only here, only after every check passed
            if now_m >= next_progress:
                next_progress = now_m + PROGRESS_S
                self._save_progress(elapsed)
            self._stop.wait(self.tick_s)

    def _rule_time(self, now_m: float) -> datetime:
        """The rules' "now" inside the block: the start's wall time plus monotonic seconds."""
        started = self._started_wall if self._started_wall is not None else self.wall()
        base = self._started_m if self._started_m is not None else now_m
        return started + timedelta(seconds=now_m - base)

    def _slew(self, wanted: float, now_m: float) -> float:
        """Falls at once; rises no faster than the plan's ramp rate (monotonic seconds)."""
        if wanted <= self._actual:
            return wanted
        dt = max(0.0, now_m - self._set_at) if self._set_at is not None else self.tick_s
        return min(wanted, self._actual + max_ramp_rate(self.rx) * dt)

    def _apply(self, output_on: bool, target: float, now_m: float) -> None:
        if output_on:
            if self.hat.enabled_side == self.rx.side:
                self.hat.set_amplitude(target)
            else:
                self.hat.set_output(self.rx.side, target)
        else:
            target = 0.0
            self.hat.all_off()
        self._actual, self._set_at = target, now_m
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

    def _save_progress(self, elapsed: float) -> None:
        """Update the ledger row in a helper thread, so a slow or locked store never delays a tick."""
        if self.block_id is None or (self._progress_thread is not None and self._progress_thread.is_alive()):
            return
        block_id = self.block_id

        def write() -> None:
            try:
                self.ledger.progress(block_id, elapsed)
            except Exception as exc:  # noqa: BLE001 - the open row already counts the whole block
                log.error("dose ledger progress not saved: %s", exc)

        self._progress_thread = threading.Thread(target=write, name="stim-ledger-progress", daemon=True)
        self._progress_thread.start()

    def _finish(self, reason: str, normal: bool, code: str) -> None:
        self._stop.set()
        if normal:
            self.hat.all_off()
        else:
            self.hat.cut(reason)
        elapsed = self.elapsed_seconds()
        try:
            end = BlockEnd(self.wall(), elapsed, self.boot().seconds, round(self.max_ma, 3), reason, code)
            if self.block_id is not None:
                self.ledger.close_block(self.block_id, end)
        except Exception as exc:  # noqa: BLE001 - outputs are already off; the open row counts the whole block
            log.critical("stimulation block end could not be logged: %s", exc)
            reason = f"{reason} (the end could not be saved: {_plain(exc)}; the whole block is counted)"
        self.stopped = BlockEnded(at=self.clock(), reason=reason, normal=normal, code=code)
        self.report(self.stopped)

    # ----- helpers -----------------------------------------------------------------------
    def _block_start(self, now: datetime, boot: BootClock) -> BlockStart:
        parameters = {k: v for k, v in asdict(self.rx).items() if k not in ("sites", "side", "enabled")}
        return BlockStart(
            plan_version=self.plan.version,
            side=self.rx.side,
            sites=tuple(self.rx.sites),
            parameters=parameters,
            started_at=now,
            planned_s=block_seconds(self.rx),
            boot=boot,
        )

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
        self,
        now: datetime,
        s: Surroundings,
        started: datetime | None,
        elapsed_s: float,
        *,
        contact: float | None = None,
    ) -> StimState:
        """The rules' inputs: the dose before this block (read once) plus this block's monotonic time."""
        if contact is None:
            contact = self.hat.contact_level()
        running = elapsed_s / 60
        set_at = None
        if self._set_at is not None and self._started_m is not None and self._started_wall is not None:
            set_at = self._started_wall + timedelta(seconds=self._set_at - self._started_m)
        return StimState(
            estop_latched=self.hat.estop_latched,
            contact_ok=contact >= self.contact_min_level,
            contraindications_confirmed=s.contraindications_confirmed,
            synkinesis_flagged=s.synkinesis_flagged,
            session_paused=s.session_paused,
            face_visible=s.face_visible,
            other_side_on=self.hat.enabled_side not in (None, self.rx.side),
            side_minutes_today=self._before.side_minutes + running,
            minutes_today=self._before.all_minutes + running,
            last_block_end=self._before.last_end,
            block_started=started,
            amplitude_ma=self._actual,
            amplitude_set_at=set_at,
        )


def _words_of(exc: BaseException) -> str:
    """The error's words, keeping a Reason (and so its key for other languages) when it was raised with one."""
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, Reason) else str(exc)


def _plain(exc: BaseException) -> str:
    """An error in a few plain words for the patient's screen."""
    text = str(exc).lower()
    if "disk" in text or "full" in text or getattr(exc, "errno", None) == 28:
        return "the storage is full"
    if "locked" in text or "busy" in text:
        return "the storage is busy"
    return "a storage error"
