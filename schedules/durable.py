"""Reminder writes that survive a store that refuses them (disk full, database locked by another process).

``WriteBehind`` stands in front of the repository. While the store works it writes straight
through. When a write fails it keeps that write and every later one in memory, in order, and
retries them all in one durable transaction every ``retry``. Lock waits are short (2 s for a
write, 200 ms for a retry, instead of the store's 10 s), so the main loop never stalls long.
The reminder service keeps running from memory meanwhile: due reminders are still shown and
spoken, and answers are kept until they can be written. Nothing already stored is touched by a
failed write (each one is a rolled-back transaction).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from schedules.due import Occurrence
from schedules.escalation import ReminderState
from schedules.repository import ReminderRepository, ReminderStore

log = logging.getLogger(__name__)

# What a failing store raises: sqlite3 errors (full, locked, I/O) and OS errors from the file.
STORE_ERRORS = (sqlite3.Error, OSError)
RETRY = timedelta(seconds=20)
WRITE_WAIT_MS = 2_000  # lock wait of a reminder write: after it the write is held, not the main loop
SHORT_WAIT_MS = 200  # lock wait while retrying held writes
NORMAL_WAIT_MS = 10_000  # the store's own busy timeout, put back after each reminder write


class WriteBehind:
    """The reminder service's writes, kept and retried while the store refuses them."""

    def __init__(self, repo: ReminderRepository, store: ReminderStore, retry: timedelta = RETRY) -> None:
        self.repo = repo
        self.store = store
        self.retry = retry
        self.error: str | None = None  # the store's last refusal while writes are held
        self.states: dict[int, ReminderState] = {}
        self.details: dict[int, dict[str, Any]] = {}
        self.acks: dict[int, tuple[ReminderState, str, datetime]] = {}
        self.values: dict[str, str] = {}
        self.events: list[tuple[str, datetime, dict[str, Any]]] = []
        self.occurrences: list[Occurrence] = []
        self.aliases: dict[int, int] = {}  # id of a reminder kept in memory -> its row id once written
        self._retry_at: datetime | None = None

    @property
    def held(self) -> bool:
        """True while writes wait in memory."""
        return self.error is not None

    def _fail(self, exc: BaseException, now: datetime) -> None:
        if self.error is None:
            log.error("reminder store refused a write (%s); reminders go on from memory and the write is retried", exc)
        self.error = str(exc) or type(exc).__name__
        self._retry_at = now + self.retry

    def save(self, states: Iterable[ReminderState], now: datetime, details: dict[int, dict] | None = None) -> None:
        states = list(states)
        if not states:
            return
        if not self.held and all(s.id > 0 for s in states):
            try:
                with self._wait(WRITE_WAIT_MS):
                    self.repo.save(states, details)
                return
            except STORE_ERRORS as exc:
                self._fail(exc, now)
        for state in states:
            self.states[state.id] = state
        for reminder_id, extra in (details or {}).items():
            self.details.setdefault(reminder_id, {}).update(extra)

    def acknowledge(self, state: ReminderState, via: str, now: datetime) -> tuple[bool, bool]:
        """(a new acknowledgement, on disk already) for the reminder ``state``."""
        if not self.held and state.id > 0:
            try:
                with self._wait(WRITE_WAIT_MS):
                    return self.repo.acknowledge(state.id, via, now) is not None, True
            except STORE_ERRORS as exc:
                self._fail(exc, now)
        self.acks[state.id] = (state, via, now)
        self.states.pop(state.id, None)
        return True, False

    def materialize(self, found: list[Occurrence], now: datetime) -> bool:
        """Insert rows for ``found``; False when they are kept to insert later."""
        if not self.held:
            try:
                with self._wait(WRITE_WAIT_MS):
                    self.repo.materialize(found)
                return True
            except STORE_ERRORS as exc:
                self._fail(exc, now)
        self.occurrences += found
        return False

    def set_values(self, now: datetime, **values: str) -> None:
        if not self.held:
            try:
                with self._wait(WRITE_WAIT_MS):
                    self.repo.set_values(**values)
                return
            except STORE_ERRORS as exc:
                self._fail(exc, now)
        self.values.update(values)

    def log_event(self, kind: str, now: datetime, data: dict[str, Any] | None = None) -> None:
        if not self.held:
            try:
                with self._wait(WRITE_WAIT_MS):
                    self.store.log_event(kind, now, data)
                return
            except STORE_ERRORS as exc:
                self._fail(exc, now)
        self.events.append((kind, now, data or {}))

    def flush(self, now: datetime, force: bool = False) -> bool:
        """Retry what is held (at most every ``retry``); True when everything is now on disk."""
        waiting = self._retry_at is not None and now < self._retry_at <= now + self.retry
        if not self.held or (waiting and not force):
            return False
        try:
            with self._wait(SHORT_WAIT_MS), self.store.critical() as db:
                self._write_held(db)
        except STORE_ERRORS as exc:
            self._fail(exc, now)
            return False
        log.warning("reminder store writes again; %d held answer(s) written", len(self.acks))
        self.states, self.details, self.acks, self.values = {}, {}, {}, {}
        self.events, self.occurrences, self.error = [], [], None
        return True

    def _write_held(self, db: Any) -> None:
        if self.occurrences:
            self.repo.materialize(self.occurrences)
        for state in [*self.states.values(), *(s for s, _, _ in self.acks.values())]:
            if state.id < 0:
                self.aliases[state.id] = self.repo.id_of(state.item_id, state.due_at)
        real = self.aliases.get
        self.repo.save(
            [replace(s, id=real(s.id, s.id)) for s in self.states.values()],
            {real(k, k): v for k, v in self.details.items() if real(k, k) > 0},
        )
        for state, via, at in self.acks.values():
            self.repo.acknowledge_in(db, real(state.id, state.id), via, at)
        if self.values:
            self.repo.set_values(**self.values)
        for kind, at, data in self.events:
            self.store.log_event(kind, at, data)

    @contextlib.contextmanager
    def _wait(self, ms: int) -> Iterator[None]:
        """Wait at most ``ms`` for another process's lock (the main loop must not stall for the store's 10 s)."""
        with self.store.lock:
            self.store.db.execute(f"PRAGMA busy_timeout = {ms}")
            try:
                yield
            finally:
                self.store.db.execute(f"PRAGMA busy_timeout = {NORMAL_WAIT_MS}")
