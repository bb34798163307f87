"""Accelerated-time simulation of the REAL reminder code with a scripted patient.

A virtual true clock advances minute by minute; the kiosk (a ``ReminderService`` on a real SQLite
file) sees a wall clock that may be wrong, is switched off and on, sometimes boots with a stale
clock that then jumps, crosses a DST change, and runs exercise sessions and stimulation. A seeded
patient (``schedules.patient``) answers most reminders on time, some late, some twice, some
early, some never, by voice, touch and button. At the end the database is compared with the
schedule computed independently in true time: a reminder closed before it was shown that the
patient did not mean counts as lost.
"""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from schedules import policy as pol
from schedules.answers import EARLY_KINDS
from schedules.due import local_instant, occurrences
from schedules.patient import Answer, Patient
from schedules.plan_section import ScheduleSection, default_section
from schedules.repository import ReminderRepository, ReminderStore, iso
from schedules.service import ReminderService

DB_NAME = "facecoach.db"
STEP = timedelta(minutes=1)
TAIL = timedelta(hours=2)  # kept running after the last day and the catch-up window, so every reminder can close


@dataclass
class Totals:
    """What the simulation counted; ``duplicates`` and ``lost`` must be 0."""

    due: int = 0
    announced: int = 0
    acknowledged: int = 0
    late: int = 0
    escalated: int = 0
    missed: int = 0
    duplicates: int = 0
    lost: int = 0
    restarts: int = 0
    clock_jumps: int = 0
    minutes_off: int = 0
    interrupts: int = 0
    after_stimulation: int = 0
    caregiver_alerts: int = 0
    answers: int = 0
    early: int = 0
    repeats: int = 0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Script:
    """The scripted world: when the kiosk is off, when its clock is wrong, what the patient does."""

    off: list[tuple[datetime, datetime, bool]]  # (from, until, boots with a stale clock)
    wrong_clock: list[tuple[datetime, datetime, timedelta]]  # (from, until, offset) while running
    stimulation: list[tuple[datetime, datetime]]

    def is_off(self, t: datetime) -> bool:
        return any(a <= t < b for a, b, _ in self.off)

    def offset(self, t: datetime) -> timedelta:
        return next((o for a, b, o in self.wrong_clock if a <= t < b), timedelta(0))


def build_script(start: datetime, days: int, seed: int) -> Script:
    """Power cuts, stale-clock boots, clock jumps and stimulation blocks spread over the days.

    The week's pattern starts on a day chosen by the seed, so short runs of many seeds meet all of it.
    """
    rng = random.Random(seed)
    tz = start.tzinfo
    assert tz is not None

    def at(day: int, hh: int, mm: int) -> datetime:
        return local_instant((start + timedelta(days=day)).date(), time(hh, mm), tz).astimezone(UTC)  # type: ignore[arg-type]

    off: list[tuple[datetime, datetime, bool]] = []
    wrong: list[tuple[datetime, datetime, timedelta]] = []
    stim: list[tuple[datetime, datetime]] = []
    for day in range(days):
        kind = (day + seed) % 7
        if kind == 1:  # off over the night routine
            off.append((at(day, 21, 40 + rng.randint(0, 15)), at(day, 23, rng.randint(0, 50)), False))
        elif kind == 4:  # off most of the day, boots with the clock it saved (fake-hwclock), then NTP fixes it
            off.append((at(day, 9, rng.randint(1, 30)), at(day, 14, rng.randint(10, 40)), True))
        elif kind == 5:  # a crash in the middle of an escalation, back after a minute or two
            cut = at(day, 12, rng.randint(2, 10))
            off.append((cut, cut + timedelta(minutes=rng.randint(1, 2)), False))
        elif kind == 3:  # someone sets the clock an hour back; it is corrected later
            wrong.append((at(day, 15, 30), at(day, 17, 0), timedelta(hours=-1)))
        if kind in (2, 6):  # stimulation over the 10:00 drops
            stim.append((at(day, 9, 55), at(day, 10, 8)))
    return Script(off, wrong, stim)


@dataclass
class _Kiosk:
    store: ReminderStore
    service: ReminderService
    booted_at: datetime
    stale_until: datetime | None
    stale_wall: datetime | None


def simulate(
    days: int = 14,
    seed: int = 1,
    start: datetime | None = None,
    section: ScheduleSection | None = None,
    folder: Path | None = None,
    *,
    open_store: Callable[[Path], Any],
    script: Script | None = None,
) -> Totals:
    """Run ``days`` of accelerated time and return the totals (a real SQLite file in ``folder``).

    ``open_store(path)`` opens the kiosk's store (``kiosk.store.Store.open``): schedules/ does not import it.
    """
    section = section or default_section("Europe/London", "left")
    tz = ZoneInfo(section.timezone)
    start = (start or datetime(2026, 3, 23, 6, 0, tzinfo=tz)).astimezone(UTC)
    end = start + timedelta(days=days)
    script = script or build_script(start.astimezone(tz), days, seed)
    patient = Patient(random.Random(seed))
    with tempfile.TemporaryDirectory() as scratch:
        path = (folder or Path(scratch)) / DB_NAME
        return _run(section, script, patient, start, end, path, open_store)


def _run(
    section: ScheduleSection,
    script: Script,
    patient: Patient,
    start: datetime,
    end: datetime,
    path: Path,
    open_store: Callable[[Path], Any],
) -> Totals:
    totals = Totals()
    kiosk: _Kiosk | None = None
    pending: list[Answer] = patient.early_answers(occurrences(section, start, end))
    meant_early: set[tuple[str, str]] = set()
    unheard: dict[int, list[Answer]] = {}  # answers given while the kiosk was off, by reminder
    first_announced: dict[int, datetime | None] = {}
    first_boot: datetime | None = None  # nothing before the kiosk was ever on can be asked of it
    duplicates = 0
    coaching_until: datetime | None = None
    last_seen_wall: datetime | None = None
    t = start
    while t <= end + section.policy.catch_up + TAIL:
        if script.is_off(t):
            if kiosk is not None:  # power cut: no goodbye, the process is simply gone
                kiosk.store.close()
                kiosk = None
                totals.restarts += 1
            totals.minutes_off += 1
            t += STEP
            continue
        stale = any(b == t for _, b, s in script.off if s)
        wall = t + script.offset(t)
        mono = (t - start).total_seconds()
        if kiosk is None:
            first_boot = first_boot or t
            store = open_store(path)
            service = ReminderService(store, section, heartbeat=timedelta(minutes=5))
            stale_wall = last_seen_wall if stale and last_seen_wall else None
            kiosk = _Kiosk(store, service, t, t + timedelta(minutes=3) if stale_wall else None, stale_wall)
            if stale_wall is not None:
                wall = stale_wall
            decisions = service.start(wall, mono, _activity(t, script, coaching_until))
        else:
            if kiosk.stale_until is not None and kiosk.stale_wall is not None and t < kiosk.stale_until:
                wall = kiosk.stale_wall + (t - kiosk.booted_at)
            decisions = kiosk.service.tick(wall, mono, _activity(t, script, coaching_until))
        last_seen_wall = wall
        for d in decisions:
            if isinstance(d, pol.Show):
                announced_at = kiosk.service.rows[d.reminder_id].announced_at
                if d.reminder_id not in first_announced:
                    first_announced[d.reminder_id] = announced_at
                    pending += patient.respond(d.reminder_id, kiosk.service.rows[d.reminder_id].kind, t)
                elif first_announced[d.reminder_id] != announced_at:
                    duplicates += 1  # announced afresh a second time
                else:  # shown again after a restart: an answer given to the dark screen is given again
                    pending += [
                        Answer(t + timedelta(minutes=1), a.via, a.kind, a.reminder_id)
                        for a in unheard.pop(d.reminder_id, [])
                    ]
            elif isinstance(d, pol.Interrupt):
                totals.interrupts += 1
            elif isinstance(d, pol.SpeakAfterStimulation):
                totals.after_stimulation += 1
            elif isinstance(d, pol.SessionDue):
                coaching_until = t + timedelta(minutes=25)
        now_due = [a for a in pending if a.at == t]
        pending = [a for a in pending if a.at != t]
        for answer in now_due:
            if answer.reminder_id is not None and not answer.again and answer.reminder_id not in kiosk.service.rows:
                continue  # its card is gone (answered, or missed): nothing to answer
            if answer.early is not None and wall != t:
                continue  # "before it is due" by a clock that is wrong means another dose: not scripted
            _answer(kiosk.service, answer, wall, _activity(t, script, coaching_until), totals, meant_early)
        for answer in [a for a in pending if a.at < t]:  # said while the kiosk was off
            pending.remove(answer)
            if answer.reminder_id is not None:
                unheard.setdefault(answer.reminder_id, []).append(answer)
        t += STEP
    if kiosk is not None:
        kiosk.store.close()
    totals.clock_jumps = len(script.wrong_clock) * 2 + sum(1 for _, _, s in script.off if s)
    totals.duplicates = duplicates
    _count(totals, section, first_boot or end, end, open_store(path), meant_early)
    return totals


def _answer(
    service: ReminderService, answer: Answer, wall: datetime, activity: str, totals: Totals, meant: set
) -> None:
    """Carry out one answer as the kiosk would: voice names a kind, touch and button close the card."""
    totals.answers += 1
    if answer.via == "voice":
        decisions = service.handle_intent(answer.intent, wall, activity) or []
    else:
        card = service.shown()
        if card is None:
            return
        decisions = service.acknowledge(wall, answer.via, reminder_id=card, activity=activity)
    confirmed = [d for d in decisions if isinstance(d, pol.Confirm)]
    if answer.early is not None and confirmed:  # it means any reminder of the kinds its words cover
        meant.update((kind, answer.early[1]) for kind in EARLY_KINDS.get(answer.intent, (answer.kind,)))
    if not confirmed and any(isinstance(d, pol.Explain) for d in decisions):
        totals.repeats += 1


def _activity(t: datetime, script: Script, coaching_until: datetime | None) -> str:
    if any(a <= t < b for a, b in script.stimulation):
        return "stimulating"
    if coaching_until is not None and t < coaching_until:
        return "coaching"
    return "idle"


def _count(
    totals: Totals,
    section: ScheduleSection,
    start: datetime,
    end: datetime,
    store: Any,
    meant_early: set[tuple[str, str]] | frozenset = frozenset(),
) -> None:
    """Compare the database with the schedule computed independently in true time.

    A reminder acknowledged without ever being shown is lost unless the patient answered it early.
    """
    expected = {(o.item_id, iso(o.due_at)) for o in occurrences(section, start, end)}
    try:
        rows = ReminderRepository(store).rows_between(start - timedelta(days=2), end + timedelta(days=2))
        totals.caregiver_alerts = store.db["caregiver_alerts"].count
    finally:
        store.close()
    rows = [
        r for r in rows if (r["item_id"], r["due_at"]) in expected or start < datetime.fromisoformat(r["due_at"]) <= end
    ]
    keys = Counter((r["item_id"], r["due_at"]) for r in rows)
    totals.due = len(expected)
    totals.duplicates += sum(n - 1 for n in keys.values() if n > 1)
    totals.duplicates += len(set(keys) - expected)
    for r in rows:
        if r["announced_at"]:
            totals.announced += 1
        if r["status"] == "acknowledged":
            totals.acknowledged += 1
            totals.late += bool(r["caregiver_alerted_at"])
        totals.escalated += bool(r["caregiver_alerted_at"])
        totals.missed += r["status"] == "missed"
        answered_early = r["status"] == "acknowledged" and (r["kind"], r["due_at"]) in meant_early
        totals.early += answered_early and not r["announced_at"]
        if r["status"] not in ("acknowledged", "missed") or not (r["announced_at"] or answered_early):
            totals.problems.append(f"{r['item_id']} at {r['due_at']} ended {r['status']} without being shown")
        elif r["status"] == "missed" and not r["caregiver_alerted_at"]:
            totals.problems.append(f"{r['item_id']} at {r['due_at']} missed without a caregiver alert")
    totals.lost = len(expected - set(keys)) + len(totals.problems)
