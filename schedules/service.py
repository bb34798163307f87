"""The reminder coordinator the kiosk's main loop calls with ``now``: it returns what to say and show.

The SQLite rows are the truth; this object keeps a copy of the open ones so a tick with nothing
due costs a comparison. ``start`` reconciles what fell due while the kiosk was off; ``tick`` runs
the escalation and watches for clock jumps; ``acknowledge`` writes durably, then confirms;
``handle_intent`` answers voice commands, and never lets the patient switch a reminder off.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from datetime import datetime, timedelta

from schedules import answers as ans
from schedules import policy as pol
from schedules.answers import REFUSED_INTENTS
from schedules.due import Occurrence, occurrences, sessions_between
from schedules.durable import STORE_ERRORS, WriteBehind
from schedules.escalation import (
    AlertCaregiver,
    Announce,
    MarkMissed,
    ReminderState,
    next_wake,
    snooze,
    step,
)
from schedules.notifier import CaregiverNotifier
from schedules.plan_section import ScheduleSection
from schedules.reconcile import detect_jump, reconcile, supersede
from schedules.repository import ReminderRepository, ReminderStore, iso, parse_iso
from schedules.texts import caregiver_text, confirmation, local_clock, phrase, reminder_text

log = logging.getLogger(__name__)

HEARTBEAT = timedelta(seconds=60)
# How far back occurrences are recorded after a long time off (older ones are not guessed at).
MAX_BACKFILL = timedelta(days=7)


def section_fingerprint(section: ScheduleSection) -> str:
    """Changes whenever the plan's schedule changes (items, times, zone)."""
    return hashlib.sha256(repr((section.timezone, section.items)).encode()).hexdigest()[:16]


class ReminderService:
    """Protected eye-care reminders and session prompts for one kiosk."""

    def __init__(
        self,
        store: ReminderStore,
        section: ScheduleSection,
        notifier: CaregiverNotifier | None = None,
        lang: str = "en",
        horizon: timedelta = timedelta(hours=26),
        heartbeat: timedelta = HEARTBEAT,
    ) -> None:
        self.store = store
        self.repo = ReminderRepository(store)
        self.writes = WriteBehind(self.repo, store)  # holds writes while the store refuses them
        self.section = section
        self.policy = section.policy
        self.notifier = notifier or CaregiverNotifier(store)
        self.lang = lang
        self.horizon = horizon
        self.heartbeat = heartbeat
        self.items = {item.id: item for item in section.items}
        self.rows: dict[int, ReminderState] = {}
        self.coaching_paused = False
        self._prev: tuple[datetime, float] | None = None
        self._mono_start = 0.0  # the monotonic clock at start(): how long the kiosk has really been running
        self._wake: datetime | None = None
        self._beat_at: datetime | None = None
        self._resume: set[int] = set()
        self._until: datetime | None = None
        self._sessions_said: set[tuple[str, datetime]] = set()
        self._card: int | None = None  # the reminder the kiosk's card shows (the last Show/ShowNow)
        self._storage_said = False
        self._memory_id = 0  # reminders the store could not take get ids -1, -2, ... until written

    # -- the three entry points of the main loop ------------------------------------------
    def start(self, now: datetime, mono: float, activity: str = "idle") -> list[pol.Decision]:
        """Start-up: materialise, reconcile the time the kiosk was off, announce what is due."""
        last_seen = parse_iso(self._value("last_seen"))
        self._until = parse_iso(self._value("materialized_until"))
        self.rows = {r.id: r for r in self._read(self.repo.open_reminders, [])}
        fingerprint = section_fingerprint(self.section)
        if self._until is not None and self._value("plan_fingerprint") != fingerprint:
            self._replan(now)
        self.writes.set_values(now, plan_fingerprint=fingerprint)
        self._materialize(now)
        decisions: list[pol.Decision] = []
        if last_seen is not None:
            decisions += self._reconcile(last_seen, now, "kiosk_off")
        self._prev = (now, mono)
        self._mono_start = mono
        decisions += self._run(now, activity, force=True)
        self._beat(now, force=True)
        return decisions + self._say_storage(now)

    def tick(self, now: datetime, mono: float, activity: str = "idle") -> list[pol.Decision]:
        """One main-loop tick: clock-jump check, escalation of what is due, heartbeat."""
        decisions: list[pol.Decision] = self._flush(now)
        self._materialize(now)
        if self._prev is not None and (offset := detect_jump(self._prev[0], self._prev[1], now, mono)) is not None:
            log.warning("wall clock jumped by %s; reconciling reminders", offset)
            self.writes.log_event("clock_jump", now, {"seconds": offset.total_seconds()})
            decisions += self._reconcile(now - offset, now, "clock_jump")
            if offset < timedelta(0):  # the clock ran ahead: what fell due since it started, by the true clock,
                booted = now - timedelta(seconds=mono - self._mono_start)  # may never have been created
                self._fill(max(min(now + offset, booted), now - MAX_BACKFILL), now)
        previous = self._prev[0] if self._prev is not None else now
        self._prev = (now, mono)
        if activity == "idle":
            self.coaching_paused = False
        decisions += self._sessions(previous, now)
        decisions += self._run(now, activity)
        self._beat(now)
        return decisions + self._say_storage(now)

    def acknowledge(
        self,
        now: datetime,
        via: str,
        kinds: tuple[str, ...] | None = None,
        reminder_id: int | None = None,
        activity: str = "idle",
        early: tuple[str, ...] = (),
    ) -> list[pol.Decision]:
        """Record ONE acknowledgement durably, then confirm it (voice 'drops taken', touch, button).

        It closes the reminder given by id (a touch on its card), else the one on the card, else the
        first waiting one of ``kinds``; only when none of those is waiting may an early answer close
        the single upcoming reminder of an ``early`` kind that it can mean (see ``_early``).
        """
        row, repeated = self._target(now, kinds, reminder_id, early)
        if row is None:
            key = "reminder.already_noted" if repeated else "reminder.nothing_waiting"
            return [pol.Explain(phrase(key, self.lang))]
        # On disk before anything is said; while the store refuses writes it is held and retried.
        new, _on_disk = self.writes.acknowledge(row, via, now)
        self.rows.pop(row.id, None)
        decisions: list[pol.Decision] = []
        if new:
            decisions.append(pol.Confirm(confirmation(row.kind, self.lang), row.id))
        decisions += self._after_close(row.id, activity)
        self._refresh_wake()
        return decisions + self._say_storage(now)

    def _target(
        self, now: datetime, kinds: tuple[str, ...] | None, reminder_id: int | None, early: tuple[str, ...]
    ) -> tuple[ReminderState | None, bool]:
        """The one reminder an answer closes, and whether the answer repeats one already noted."""
        if reminder_id is not None:
            row = self.rows.get(self.writes.aliases.get(reminder_id, reminder_id))
            return (row, False) if row is not None and row.status == "announced" else (None, True)
        row = ans.waiting_choice(self._waiting_rows(), kinds, self.items)
        if row is not None or not early:
            return row, False
        row = ans.upcoming(self.rows.values(), early, now)
        if row is None:
            return None, False
        last_due, last_ack = self._read(lambda: self.repo.last_before(early, now), (None, None))
        return ans.early_choice(row, now, last_due, last_ack)

    def switch(
        self, section: ScheduleSection, now: datetime, activity: str = "idle", since: datetime | None = None
    ) -> list[pol.Decision]:
        """Follow a newly applied plan at once: future rows it no longer has are cancelled, its own are
        created from ``since`` (when it was applied), and what is already due is announced late, or
        recorded as missed and escalated; nothing in between is skipped."""
        fingerprint = section_fingerprint(section)
        self.section, self.policy = section, section.policy
        self.items = {item.id: item for item in section.items}
        if self._value("plan_fingerprint") == fingerprint:
            return []
        self._replan(now)
        self._until = min(since or now, now)
        self.writes.set_values(now, plan_fingerprint=fingerprint)
        self._materialize(now)
        self.writes.log_event("reminders_plan_switched", now, {"since": iso(self._until)})
        return self._run(now, activity, force=True)

    def handle_intent(
        self, intent: str, now: datetime, activity: str = "idle", via: str = "voice"
    ) -> list[pol.Decision] | None:
        """Answer a voice intent about reminders; None when the intent is not about reminders."""
        if intent in ans.INTENT_KINDS:
            kinds, early = ans.INTENT_KINDS[intent], ans.EARLY_KINDS.get(intent, ())
            return self.acknowledge(now, via, kinds, activity=activity, early=early)
        if intent in REFUSED_INTENTS or (intent == "stop" and self.waiting()):
            self.writes.log_event("reminder_switch_off_refused", now, {"intent": intent})
            return [pol.Explain(phrase("reminder.plan_sets_this", self.lang))]
        if intent in ans.SNOOZE_INTENTS:
            return self.snooze(now)
        return None

    def snooze(self, now: datetime) -> list[pol.Decision]:
        """Pause the repeats of what is waiting, only as far as the plan allows."""
        waiting = [r for r in self.rows.values() if r.status == "announced"]
        if not waiting:
            return [pol.Explain(phrase("reminder.nothing_waiting", self.lang))]
        results = [snooze(r, self.policy, now) for r in waiting]
        outcome = "ok" if all(res == "ok" for _, res in results) else next(res for _, res in results if res != "ok")
        if outcome != "ok":
            return [pol.Explain(phrase(f"reminder.snooze_{outcome}", self.lang))]
        self.writes.save([state for state, _ in results], now)
        self.rows.update({state.id: state for state, _ in results})
        self._refresh_wake()
        return [pol.Explain(phrase("reminder.snooze_ok", self.lang, minutes=self.policy.snooze_minutes))]

    # -- what screens and the scheduler ask ---------------------------------------------------
    def waiting(self) -> list[pol.Announcement]:
        """Reminders announced and not yet answered; the first is the one on the card."""
        return [self._announcement(r, repeat=False) for r in self._waiting_rows()]

    def shown(self) -> int | None:
        """The id of the reminder on the card: the last one put on screen, else the first waiting."""
        rows = self._waiting_rows()
        return rows[0].id if rows else None

    def _waiting_rows(self) -> list[ReminderState]:
        return ans.waiting_rows(self.rows.values(), self._card)

    def next_wake(self) -> datetime | None:
        """When the next tick has something to do (the APScheduler adapter wakes the kiosk then)."""
        return self._wake

    def next_due(self, now: datetime) -> tuple[str, str] | None:
        """(kind, local 'HH:MM') of the next reminder due after ``now``, for the home screen."""
        upcoming = sorted(
            (r for r in self.rows.values() if r.status == "due" and r.due_at > now), key=lambda r: r.due_at
        )
        return (upcoming[0].kind, local_clock(upcoming[0].due_at, self.section.timezone)) if upcoming else None

    # -- internals ---------------------------------------------------------------------------
    def _materialize(self, now: datetime) -> None:
        if self._until is not None and self._until - now > self.horizon / 2:
            return
        start = now if self._until is None else max(self._until, now - MAX_BACKFILL)
        until = now + self.horizon
        found = occurrences(self.section, start, until) if until > start else []
        if self.writes.materialize(found, now):
            self.rows = {r.id: r for r in self._read(self.repo.open_reminders, self.rows.values())}
        else:
            self._remember(found, start, until)
        self._until = max(until, self._until or until)
        self.writes.set_values(now, materialized_until=iso(self._until) or "")
        self._refresh_wake()

    def _fill(self, start: datetime, now: datetime) -> None:
        """Create the rows of (start, now + horizon] that do not exist yet (due ones are announced late)."""
        found = occurrences(self.section, start, now + self.horizon)
        if self.writes.materialize(found, now):
            self.rows = {r.id: r for r in self._read(self.repo.open_reminders, self.rows.values())}
        else:
            self._remember(found, start, now + self.horizon)
        self._refresh_wake()

    def _remember(self, found: list[Occurrence], start: datetime, until: datetime) -> None:
        """The store cannot take new rows: keep them in memory (negative ids) so they are still announced."""
        stored = self._read(lambda: self.repo.rows_between(start, until), [])
        known = {(r["item_id"], r["due_at"]) for r in stored}
        known |= {(r.item_id, iso(r.due_at)) for r in self.rows.values()}
        for o in found:
            if (o.item_id, iso(o.due_at)) not in known:
                self._memory_id -= 1
                self.rows[self._memory_id] = ReminderState(
                    self._memory_id, o.item_id, o.kind, o.due_at, o.due_at, night=o.night
                )

    def _replan(self, now: datetime) -> None:
        """A new plan: future rows it no longer has are cancelled, new ones are materialised from now."""
        until = max(self._until or now, now + self.horizon)
        keep = {(o.item_id, o.due_at) for o in occurrences(self.section, now, until)}
        gone = [
            dataclasses.replace(r, status="cancelled", closed_at=now)
            for r in self.rows.values()
            if r.status == "due" and r.due_at > now and (r.item_id, r.due_at) not in keep
        ]
        self.writes.save(gone, now, {r.id: {"closed": "plan changed"} for r in gone})
        for row in gone:
            self.rows.pop(row.id, None)
        self.writes.log_event("reminders_replanned", now, {"cancelled": len(gone)})
        self._until = now

    def _reconcile(self, gap_start: datetime, now: datetime, reason: str) -> list[pol.Decision]:
        result = reconcile(self.rows.values(), gap_start, now)
        details = {r.id: {"closed": "superseded", "gap": reason} for r in result.superseded}
        for row in result.swallowed:
            details.setdefault(row.id, {})["fell_due_during"] = reason
        self.writes.save(result.keep + result.superseded, now, details)
        self.rows.update({r.id: r for r in result.keep})
        decisions: list[pol.Decision] = []
        for row in result.superseded:
            self.rows.pop(row.id, None)
            decisions.append(pol.Hide(row.id))
        if reason == "kiosk_off":  # the card was lost with the screen: show and say it again
            self._resume |= set(result.resumed)
        if result.swallowed and reason == "kiosk_off":
            title = phrase("reminder.caregiver_kiosk_off_title", self.lang)
            text = phrase(
                "reminder.caregiver_kiosk_off",
                self.lang,
                start=local_clock(gap_start, self.section.timezone),
                end=local_clock(now, self.section.timezone),
                count=len(result.swallowed),
            )
            self.notifier.alert("kiosk_off", title, text, now)
        elif result.swallowed:
            title = phrase("reminder.caregiver_clock_jump_title", self.lang)
            minutes = round((now - gap_start).total_seconds() / 60)
            text = phrase("reminder.caregiver_clock_jump", self.lang, minutes=minutes, count=len(result.swallowed))
            self.notifier.alert("clock_jump", title, text, now)
        elif result.superseded:
            for row in result.superseded:
                self._alert("missed", row, now)
        if result.superseded:
            decisions.append(pol.Speak(phrase("reminder.kiosk_was_off", self.lang)))
        self._refresh_wake()
        return decisions

    def _run(self, now: datetime, activity: str, force: bool = False) -> list[pol.Decision]:
        if not force and not self._resume and (self._wake is None or now < self._wake):
            return []
        keep, superseded = supersede(self.rows.values(), now, now)
        changed: list[ReminderState] = list(superseded)
        spoken: list[pol.Announcement] = []
        closed = [r.id for r in superseded]
        for row in superseded:
            self._alert("missed", row, now)
        for row in sorted(keep, key=lambda r: (r.due_at, not r.night)):
            new, actions = step(row, self.policy, now)
            resumed = row.id in self._resume and new.is_open
            if resumed and not any(isinstance(a, Announce) for a in actions):
                new = dataclasses.replace(new, level=new.level + 1, last_spoken_at=now)
                actions.append(Announce(new.level, repeat=True, loud=True))
            for action in actions:
                if isinstance(action, Announce):
                    spoken.append(self._announcement(new, action.repeat, action.loud, resumed))
                elif isinstance(action, AlertCaregiver):
                    self._alert(action.reason, new, now)
                elif isinstance(action, MarkMissed):
                    closed.append(new.id)
            if new != row:
                changed.append(new)
        self._resume.clear()
        self.writes.save(changed, now)
        self.rows.update({r.id: r for r in changed})
        for reminder_id in closed:
            self.rows.pop(reminder_id, None)
        self._refresh_wake()
        decisions: list[pol.Decision] = []
        for announcement in pol.announcement_order(spoken):
            routed = pol.route(announcement, activity, self.coaching_paused)
            self.coaching_paused |= any(isinstance(d, pol.Interrupt) for d in routed)
            decisions += routed
        for d in decisions:
            if isinstance(d, pol.Show | pol.ShowNow):
                self._card = d.reminder_id  # the kiosk shows the last one it is given
        for reminder_id in closed:
            decisions += self._after_close(reminder_id, activity)
        return decisions

    def _after_close(self, reminder_id: int, activity: str) -> list[pol.Decision]:
        still = sum(1 for r in self.rows.values() if r.status == "announced")
        out = pol.after_close(reminder_id, still, activity, self.coaching_paused)
        if any(isinstance(d, pol.ResumeCoaching) for d in out):
            self.coaching_paused = False
        return out

    def _alert(self, reason: str, row: ReminderState, now: datetime) -> None:
        minutes = self.policy.caregiver_after_minutes
        title, text = caregiver_text(reason, row, self.section.timezone, self.lang, minutes)
        self.notifier.alert(reason, title, text, now, row.id)

    def _announcement(self, row: ReminderState, repeat: bool, loud: bool = False, resumed: bool = False):
        text = reminder_text(row, self.items.get(row.item_id), self.section.eye, self.lang, repeat)
        return pol.Announcement(row.id, row.item_id, row.kind, text, loud, repeat, row.night, resumed)

    def _sessions(self, previous: datetime, now: datetime) -> list[pol.Decision]:
        if previous >= now or not self.section.sessions:
            return []
        windows = {slot.id: slot.window_minutes for slot in self.section.sessions}
        out: list[pol.Decision] = []
        for o in sessions_between(self.section, previous, now):
            if (o.item_id, o.due_at) not in self._sessions_said:
                self._sessions_said.add((o.item_id, o.due_at))
                out.append(pol.SessionDue(o.item_id, windows[o.item_id], phrase("reminder.session_due", self.lang)))
        return out

    def _refresh_wake(self) -> None:
        wakes = [w for r in self.rows.values() if (w := next_wake(r, self.policy)) is not None]
        self._wake = min(wakes) if wakes else None

    def _beat(self, now: datetime, force: bool = False) -> None:
        if force or self._beat_at is None or abs(now - self._beat_at) >= self.heartbeat:
            self.writes.set_values(now, last_seen=iso(now) or "")
            self._beat_at = now

    # -- a store that refuses writes (disk full, locked by another process) ----------------------
    def _read(self, read, default):
        """A read from the store, or ``default`` when it fails (the reminders go on from memory)."""
        try:
            return read()
        except STORE_ERRORS as exc:
            log.error("reminder store could not be read: %s", exc)
            return default

    def _value(self, key: str) -> str | None:
        return self.writes.values.get(key) or self._read(lambda: self.repo.value(key), None)

    def _flush(self, now: datetime) -> list[pol.Decision]:
        """Retry held writes; once they are on disk, read the rows back and say storage is fine again."""
        if not self.writes.flush(now):
            return []
        alias = self.writes.aliases
        self.rows = {r.id: r for r in self._read(self.repo.open_reminders, self.rows.values())}
        self._card = alias.get(self._card, self._card) if self._card is not None else None
        self._refresh_wake()
        if not self._storage_said:
            return []
        self._storage_said = False
        return [pol.Explain(phrase("reminder.storage_ok", self.lang))]

    def _say_storage(self, now: datetime) -> list[pol.Decision]:
        """Once per outage: tell the patient's screen plainly and the caregiver by the channels needing no disk."""
        if not self.writes.held or self._storage_said:
            return []
        self._storage_said = True
        title = phrase("reminder.caregiver_storage_title", self.lang)
        self.notifier.alert("storage", title, phrase("reminder.caregiver_storage", self.lang), now)
        return [pol.Explain(phrase("reminder.storage_problem", self.lang))]
