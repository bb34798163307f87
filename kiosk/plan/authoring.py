"""Writing a plan without hand-editing blind: a commented template per stage, the exercise list, a plain preview.

``facecoach plan new`` writes ``template`` to a file, ``plan exercises`` prints ``exercise_table``,
``plan show`` prints ``show`` (what the kiosk will do each day, and with ``--against`` what changes).
"""

from __future__ import annotations

from datetime import date, timedelta

from content.i18n import phrase
from content.loader import Exercise, exercises_for_stage, load_exercises
from kiosk.plan.describe import changes, day_lines
from kiosk.plan.library import names, outline_of
from kiosk.plan.model import STAGES, Plan
from kiosk.settings import Problem
from stim_hat.prescription import Prescription

_STAGE_NOTES = {
    "flaccid": "The face does not move yet: massage, relaxation and eye care only; no active exercise.",
    "paresis": "Movement is coming back: small, slow, symmetrical movements, effort 2-3 of 10, hold about 5 s.",
    "synkinesis": "Unwanted co-movement: relaxation, stretches and slow controlled movement, never strength work.",
}


def _exercise_block(ex: Exercise) -> str:
    return (
        f"[[exercises]]\n"
        f'id = "{ex.id}"{" " * max(1, 24 - len(ex.id))}# {ex.name} ({ex.kind})\n'
        f"reps = {ex.reps}\n"
        f"hold_seconds = {ex.hold_seconds:g}\n"
        f"rest_seconds = {ex.rest_seconds:g}\n"
    )


# What `plan new` writes where only the therapist knows the value; `plan sign` refuses a plan still holding one.
PLACEHOLDERS = {"patient": "P-CHANGE-ME", "device": "fc-CHANGE-ME", "therapist": "CHANGE ME"}
_FILL_IN = {
    "patient": "the patient's pseudonym",
    "device": "the kiosk id (`facecoach plan identity` on the kiosk)",
    "therapist": "your name and role",
}


def unfilled(plan: Plan, filename: str) -> list[Problem]:
    """The header fields that still hold the template's placeholder (pure)."""
    return [
        Problem(
            filename,
            plan.lines.get(f"plan.{name}", 1),
            f"plan.{name}",
            f"is still the template's {placeholder!r}: write {_FILL_IN[name]}",
        )
        for name, placeholder in PLACEHOLDERS.items()
        if getattr(plan, name) == placeholder
    ]


def template(
    stage: str,
    today: date,
    patient: str = PLACEHOLDERS["patient"],
    device: str = PLACEHOLDERS["device"],
    timezone: str = "UTC",
) -> str:
    """A commented plan for ``stage`` with the library's exercises and doses, stimulation off."""
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {', '.join(STAGES)}, got {stage!r}")
    exercises = "\n".join(_exercise_block(ex) for ex in exercises_for_stage(stage))
    until = today + timedelta(days=90)
    return f"""# FaceCoach therapist plan, written by `facecoach plan new --stage {stage}` on {today}.
# {_STAGE_NOTES[stage]}
# Change what you need, then: facecoach plan show THIS_FILE   (what the kiosk will do each day)
#                             facecoach plan sign THIS_FILE --key therapist.key
#                             facecoach plan verify THIS_FILE --pubkey therapist.pub
# Format and every field: docs/plan-format.md. Exercise ids: facecoach plan exercises

[plan]
format = 1
version = 1                      # raise it with every new plan (the kiosk refuses an older or equal one)
patient = "{patient}"{" " * max(1, 20 - len(patient))}# the patient's pseudonym (letters, digits, - _ .), never a name
device = "{device}"{" " * max(1, 21 - len(device))}# the kiosk id: `facecoach plan identity` on the kiosk, or a summary
therapist = "{PLACEHOLDERS["therapist"]}"          # your name and role
issued = {today}
valid_from = {today}             # the kiosk keeps a plan that starts later and uses it from that day
valid_until = {until}            # after it the kiosk keeps coaching but asks for a new plan
stage = "{stage}"                # flaccid | paresis | synkinesis
timezone = "{timezone}"{" " * max(1, 20 - len(timezone))}# the patient's zone: sessions and reminders keep its clock

[[sessions]]
id = "morning"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
time = "10:00"
window_minutes = 120             # how long after `time` the session still counts as on time

[[sessions]]
id = "evening"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
time = "18:00"
window_minutes = 120

# The exercises of each session, in order (the library's own dose; change reps and seconds as you prescribe).
# Delete the ones you do not want. reps 1-30, hold_seconds and rest_seconds 0-300.
{exercises}
[eye_care]
eye = "left"                     # the eye that does not close fully: left | right | both | none

[[eye_care.items]]
id = "day_drops"
kind = "drops"                   # drops | ointment | taping | shield | lid_stretch | custom
every_hours = 2
from = "08:00"
until = "20:00"

[[eye_care.items]]
id = "night_routine"
kind = "ointment"
at = "22:00"
also = ["taping"]                # said together: ointment, then tape or shield

[reminders]
repeat_every_minutes = 3
caregiver_after_minutes = 15
catch_up_minutes = 60            # after this an unanswered reminder is recorded as missed

[stimulation]
enabled = false                  # electrical stimulation: only under a specialist's prescription (docs/plan-format.md)

[summary]
every = "weekly"                 # daily | weekly
day = "sun"
time = "20:00"
"""


def exercise_table(lang: str = "en") -> list[str]:
    """One line per exercise: id, name, kind, the stages it suits and its default dose."""
    rows = [f"{'id':<22} {'name':<28} {'kind':<10} {'stages':<28} default dose"]
    for ex in sorted(load_exercises(lang).values(), key=lambda e: e.id):
        dose = f"{ex.reps} x hold {ex.hold_seconds:g} s, rest {ex.rest_seconds:g} s"
        rows.append(f"{ex.id:<22} {ex.name:<28} {ex.kind:<10} {', '.join(ex.stages):<28} {dose}")
    return rows


def show(plan: Plan, rx: Prescription, against: tuple[Plan, Prescription] | None = None) -> list[str]:
    """What the kiosk will do each day under ``plan``; with ``against``, what changes from that plan."""
    label = names()
    new = outline_of(plan, rx)
    lines = day_lines(new, label)
    if against is None:
        return lines
    old = outline_of(*against)
    lines += ["", f"Compared with version {old.version} (valid {old.valid_from} to {old.valid_until}):"]
    if (old.valid_from, old.valid_until) != (new.valid_from, new.valid_until):
        lines.append(f"  - valid from {new.valid_from} to {new.valid_until}")
    if old.stage != new.stage:
        lines.append(f"  - stage {old.stage} -> {new.stage}")
    found = changes(old, new, label)
    lines += [f"  - {phrase(f'plan.change.{key}', 'en', **values)}" for key, values in found]
    if len(lines) and lines[-1].startswith("Compared"):
        lines.append("  - no difference the patient would notice")
    return lines
