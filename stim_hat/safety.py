"""The safety rules every stimulation command must pass, before and during a block (pure).

``check(request, state, plan, limits, now)`` runs the rules in order and returns the first
refusal, or an allowance. Each rule is a small function with a plain-words reason. Lowering the
intensity is always allowed, and a "lower" that asks for more than the present output is refused
whatever the other rules say; nothing else is allowed by default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from stim_hat.prescription import DeviceLimits, Prescription
from stim_hat.reasons import Reason
from stim_hat.rules import EPSILON_MA, max_ramp_rate

ACTIONS = ("start", "continue", "raise", "lower")
SOURCES = ("runner", "touch", "button", "voice")
TIME_TOLERANCE_S = 0.5  # scheduling jitter allowed on the timing rules


@dataclass(frozen=True)
class StimPlan:
    """What the rules know of the plan in force: signature, version, dates and the prescription."""

    signed: bool
    version: int
    valid_from: date | None
    valid_until: date | None
    rx: Prescription


@dataclass(frozen=True)
class Request:
    """One command: start a block, continue it at a set-point, raise or lower the intensity."""

    action: str
    side: str
    sites: tuple[str, ...]
    amplitude_ma: float
    pulse_width_us: int
    frequency_hz: float
    on_seconds: float
    off_seconds: float
    ramp_seconds: float
    source: str = "runner"
    confirmed: bool = False  # a touch confirmation on the screen


@dataclass(frozen=True)
class StimState:
    """What the kiosk knows now (from the driver, camera, session and log)."""

    estop_latched: bool = False
    contact_ok: bool = False
    contraindications_confirmed: bool = False
    synkinesis_flagged: bool = False
    session_paused: bool = False
    face_visible: bool = False
    other_side_on: bool = False
    side_minutes_today: float = 0.0  # including the block in progress
    minutes_today: float = 0.0
    last_block_end: datetime | None = None
    block_started: datetime | None = None
    amplitude_ma: float = 0.0
    amplitude_set_at: datetime | None = None
    on_phase_seconds: float = 0.0


@dataclass(frozen=True)
class Decision:
    """Allowed or not, with the rule's name and a plain-words reason."""

    allowed: bool
    reason: str
    rule: str = ""


Rule = Callable[[Request, StimState, StimPlan, DeviceLimits, datetime], str | None]


def _known(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    if r.action not in ACTIONS or r.source not in SOURCES:
        return Reason(
            "unknown_command", "Unknown command {action} from {source}.", action=repr(r.action), source=repr(r.source)
        )
    return None


def _estop(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    return (
        Reason("estop", "The emergency stop is pressed. Stimulation stays off until it is reset.")
        if s.estop_latched
        else None
    )


def _signed(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    return None if p.signed else Reason("unsigned_plan", "Stimulation needs a plan signed by your therapist.")


def _enabled(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    return None if p.rx.enabled else Reason("not_enabled", "Your plan does not include stimulation.")


def _in_date(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    today = now.date()
    if p.valid_from is not None and today < p.valid_from:
        return Reason("plan_starts", "Your plan starts on {date}.", date=p.valid_from.isoformat())
    if p.valid_until is not None and today > p.valid_until:
        return Reason(
            "plan_ended", "Your plan ended on {date}. Ask your therapist for a new one.", date=p.valid_until.isoformat()
        )
    return None


def _plan_within_device(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    rx = p.rx
    if rx.max_amplitude_ma > lim.ceiling_ma or rx.pulse_width_us > lim.max_pulse_width_us:
        return Reason("beyond_device", "The plan asks for more than this device allows.")
    if not lim.min_frequency_hz <= rx.frequency_hz <= lim.max_frequency_hz or rx.ramp_seconds < lim.min_ramp_seconds:
        return Reason("beyond_device", "The plan asks for more than this device allows.")
    return None


def _voice(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    if r.action in ("start", "raise") and r.source == "voice":
        return Reason(
            "touch_only", "For safety, stimulation can only be started or made stronger by touching the screen."
        )
    if r.action in ("start", "raise") and not (r.confirmed and r.source in ("touch", "button")):
        return Reason("confirm_first", "Please confirm on the screen first.")
    return None


def _checklist(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    return (
        None
        if s.contraindications_confirmed
        else Reason("checklist", "The safety checklist has not been confirmed yet.")
    )


def _synkinesis(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    if s.synkinesis_flagged and not p.rx.synkinesis_cleared:
        return Reason(
            "co_movement", "The camera saw unwanted co-movement. Stimulation waits until your therapist has checked it."
        )
    return None


def _paused(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    return Reason("paused", "The session is paused.") if s.session_paused else None


def _face(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    if p.rx.require_face_visible and not s.face_visible:
        return Reason("face_not_seen", "Your face is not in view of the camera.")
    return None


def _contact(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    return None if s.contact_ok else Reason("contact", "An electrode is not touching the skin well. Check the pads.")


def _side(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    if r.side != p.rx.side:
        return Reason("wrong_side", "Your plan is for the {side} side only.", side=p.rx.side)
    if s.other_side_on:
        return Reason("other_side_on", "The other side is still on. Both sides are never on together.")
    if set(r.sites) != set(p.rx.sites):
        return Reason("wrong_sites", "These electrode sites are not the ones in your plan.")
    return None


def _parameters(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    rx = p.rx
    asked = (r.pulse_width_us, r.frequency_hz, r.on_seconds, r.off_seconds, r.ramp_seconds)
    prescribed = (rx.pulse_width_us, rx.frequency_hz, rx.on_seconds, rx.off_seconds, rx.ramp_seconds)
    return None if asked == prescribed else Reason("wrong_pulse", "These pulse settings are not the ones in your plan.")


def _amplitude(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    top = min(p.rx.max_amplitude_ma, lim.ceiling_ma)
    if not 0.0 <= r.amplitude_ma <= top + EPSILON_MA:
        return Reason(
            "above_most", "{ma:.1f} mA is above the most your plan allows ({top:.1f} mA).", ma=r.amplitude_ma, top=top
        )
    return None


def _ramp(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    rise = r.amplitude_ma - s.amplitude_ma
    if rise <= EPSILON_MA:
        return None
    if r.action == "raise":
        return (
            None
            if rise <= p.rx.step_ma + EPSILON_MA
            else Reason("one_step", "Intensity goes up one small step at a time.")
        )
    if r.action == "start":
        return (
            None
            if rise <= p.rx.step_ma + EPSILON_MA
            else Reason("ramp_from_zero", "A block starts from zero and ramps up slowly.")
        )
    since = (now - s.amplitude_set_at).total_seconds() if s.amplitude_set_at else 0.0
    allowed = max_ramp_rate(p.rx) * (since + TIME_TOLERANCE_S / 10) * 1.1
    return None if rise <= allowed + EPSILON_MA else Reason("rise_slowly", "Intensity may only rise slowly.")


def _cycle(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    longest = p.rx.on_seconds + 2 * p.rx.ramp_seconds + TIME_TOLERANCE_S
    return None if s.on_phase_seconds <= longest else Reason("cycle_over", "The on-time of this cycle is over.")


def _dose(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    rx, slack = p.rx, TIME_TOLERANCE_S / 60
    if r.action == "start":
        if s.side_minutes_today + rx.block_minutes > rx.minutes_per_side_per_day + slack:
            return Reason("side_dose_used", "Today's stimulation time for this side is used up.")
        if s.minutes_today + rx.block_minutes > rx.minutes_per_day + slack:
            return Reason("dose_used", "Today's stimulation time is used up.")
        return None
    if s.block_started is not None and (now - s.block_started).total_seconds() > rx.block_minutes * 60 + 1:
        return Reason("block_length", "This block has reached its prescribed length.")
    if s.side_minutes_today > rx.minutes_per_side_per_day + slack or s.minutes_today > rx.minutes_per_day + slack:
        return Reason("dose_used", "Today's stimulation time is used up.")
    return None


def _rest(r: Request, s: StimState, p: StimPlan, lim: DeviceLimits, now: datetime) -> str | None:
    if r.action != "start" or s.last_block_end is None:
        return None
    rested = (now - s.last_block_end).total_seconds() / 60
    need = p.rx.rest_between_blocks_minutes
    if rested + 1e-9 < need:
        return Reason("rest", "Rest between blocks: {minutes} more minutes.", minutes=round(need - rested))
    return None


RULES: tuple[tuple[str, Rule], ...] = (
    ("known", _known),
    ("estop", _estop),
    ("signed_plan", _signed),
    ("stimulation_enabled", _enabled),
    ("plan_in_date", _in_date),
    ("plan_within_device", _plan_within_device),
    ("no_voice_start_or_raise", _voice),
    ("contraindications", _checklist),
    ("synkinesis", _synkinesis),
    ("paused", _paused),
    ("face_visible", _face),
    ("contact", _contact),
    ("side_and_sites", _side),
    ("parameters", _parameters),
    ("amplitude", _amplitude),
    ("ramp_rate", _ramp),
    ("on_off_cycle", _cycle),
    ("dose", _dose),
    ("rest", _rest),
)


def check(request: Request, state: StimState, plan: StimPlan, device_limits: DeviceLimits, now: datetime) -> Decision:
    """Allow or refuse ``request``; the first rule that fails gives the reason."""
    if request.action == "lower":
        if 0.0 <= request.amplitude_ma <= state.amplitude_ma + EPSILON_MA:
            return Decision(True, "Lowering is always allowed.", "lower")
        # A "lower" above the present output (an off phase is 0 mA) would raise the current without
        # the touch confirmation a raise needs, from any source, voice included: refused.
        return Decision(False, Reason("lower_not_higher", "Lowering cannot make stimulation stronger."), "lower")
    for name, rule in RULES:
        reason = rule(request, state, plan, device_limits, now)
        if reason is not None:
            return Decision(False, reason, name)
    return Decision(True, "All safety rules pass.", "")
