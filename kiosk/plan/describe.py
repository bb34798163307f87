"""What a plan makes the kiosk do each day, and what changed from one plan to the next.

Plain values in and out, no clock; only ``say_changes`` reads the phrase files (content/lang).

``outline`` reduces a checked plan to plain values; ``changes`` lists the differences as phrase
keys with their values, so the kiosk says them in the patient's language (``say_changes``) and
``facecoach plan show --against`` prints the same list for the therapist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from content.i18n import phrase
from kiosk.plan.model import Plan
from schedules.plan_section import DAYS, ScheduleSection
from stim_hat.prescription import Prescription

Change = tuple[str, dict[str, Any]]  # a phrase key under [plan.change] and its values


@dataclass(frozen=True)
class Dose:
    """One planned exercise and its dose."""

    id: str
    reps: int
    hold_seconds: float
    rest_seconds: float


@dataclass(frozen=True)
class Outline:
    """A plan in plain values: header, sessions, exercises, eye care, stimulation."""

    version: int
    signed: bool
    patient: str
    stage: str
    valid_from: date
    valid_until: date
    sessions: tuple[tuple[str, str], ...]  # (time "10:00", days "every day" or "mon, wed")
    exercises: tuple[Dose, ...]
    eye: str
    eye_care: tuple[tuple[str, str], ...]  # (kind, its times "08:00, 10:00")
    stimulation: Prescription


def _clock(at: time) -> str:
    return f"{at:%H:%M}"


def _days(days: tuple[int, ...]) -> str:
    return "every day" if len(days) == 7 else ", ".join(DAYS[d] for d in days)


def outline(plan: Plan, schedule: ScheduleSection, rx: Prescription, defaults: dict[str, Dose]) -> Outline:
    """The outline of a plan that passed the checks; ``defaults`` are the library doses by id."""
    doses = []
    for item in plan.raw.get("exercises", []):
        base = defaults[item["id"]]
        doses.append(
            Dose(
                base.id,
                int(item.get("reps", base.reps)),
                float(item.get("hold_seconds", base.hold_seconds)),
                float(item.get("rest_seconds", base.rest_seconds)),
            )
        )
    return Outline(
        version=plan.version,
        signed=plan.signed,
        patient=plan.patient,
        stage=plan.stage,
        valid_from=plan.valid_from,
        valid_until=plan.valid_until,
        sessions=tuple((_clock(s.at), _days(s.days)) for s in sorted(schedule.sessions, key=lambda s: s.at)),
        exercises=tuple(doses),
        eye=schedule.eye,
        eye_care=tuple(
            (" and ".join((it.kind, *it.also)), ", ".join(_clock(t) for t in it.times)) for it in schedule.items
        ),
        stimulation=rx,
    )


def changes(old: Outline, new: Outline, names: dict[str, str]) -> list[Change]:
    """What changed for the patient, most noticeable first (an empty list: nothing they would notice)."""
    found: list[Change] = []
    if old.stimulation.enabled != new.stimulation.enabled:
        found.append(("stim_on" if new.stimulation.enabled else "stim_off", {}))
    elif old.stimulation != new.stimulation and new.stimulation.enabled:
        found.append(("stim_changed", {}))
    before = {d.id: d for d in old.exercises}
    after = {d.id: d for d in new.exercises}
    for dose in new.exercises:
        name = names.get(dose.id, dose.id)
        if dose.id not in before:
            found.append(("exercise_added", {"name": name}))
        elif before[dose.id] != dose:
            found.append(("dose", {"name": name, "reps": dose.reps, "hold": float(dose.hold_seconds)}))
    found += [("exercise_removed", {"name": names.get(i, i)}) for i in before if i not in after]
    if old.sessions != new.sessions:
        found.append(("sessions", {"times": ", ".join(at for at, _ in new.sessions)}))
    if (old.eye, old.eye_care) != (new.eye, new.eye_care):
        found.append(("eye_care", {}))
    return found


def say_changes(found: list[Change], lang: str) -> str:
    """One sentence for the patient: "Your therapist changed your plan: …"."""
    parts = [phrase(f"plan.change.{key}", lang, **values) for key, values in found[:4]]
    if len(found) > 4:
        parts.append(phrase("plan.change.more", lang, count=len(found) - 4))
    return phrase("plan.changed", lang, changes="; ".join(parts or [phrase("plan.change.same", lang)]))


def day_lines(o: Outline, names: dict[str, str]) -> list[str]:
    """What the kiosk does each day under this plan, in plain words (for the therapist)."""
    lines = [
        f"Plan version {o.version} for patient {o.patient}, stage {o.stage}, "
        f"in force from {o.valid_from} to {o.valid_until}.",
        "Exercise sessions: " + ("; ".join(f"{at} {days}" for at, days in o.sessions) or "none") + ".",
        "In each session:",
    ]
    for d in o.exercises:
        dose = f"{d.reps} {'time' if d.reps == 1 else 'times'}, hold {d.hold_seconds:g} s, rest {d.rest_seconds:g} s"
        lines.append(f"  - {names.get(d.id, d.id)} ({d.id}): {dose}")
    if o.eye == "none":
        lines.append("Eye care: none (both eyes close).")
    else:
        lines.append(f"Eye care for the {o.eye} eye:" if o.eye != "both" else "Eye care for both eyes:")
        lines += [f"  - {kind} at {times}" for kind, times in o.eye_care]
    rx = o.stimulation
    if rx.enabled:
        lines.append(
            f"Stimulation: {rx.side} side, sites {', '.join(rx.sites)}, up to {rx.max_amplitude_ma:g} mA, "
            f"blocks of {rx.block_minutes:g} min, at most {rx.minutes_per_day:g} min a day."
        )
    else:
        lines.append("Stimulation: none.")
    return lines
