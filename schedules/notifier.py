"""Caregiver alerts: an outbox table, delivered by HTTP POST in the ntfy format and a local command.

``alert`` only writes rows (one per channel), so raising an alert never waits on the network and
survives a restart; when the store refuses the row (disk full, locked) the alert is kept in
memory and still delivered, since neither channel needs the disk, and written once the store
works. ``deliver_due`` sends what is due, retries failures with back-off and records the last
error; each attempt has an overall deadline. ``NotifierThread`` runs one worker per channel in
the background, so a stalled ntfy server never holds back the local command, and a worker never
dies: any error is logged, kept in ``status()`` for the caregiver screen, and retried.
"""

from __future__ import annotations

import logging
import shlex
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from content.i18n import phrase
from schedules.durable import STORE_ERRORS
from schedules.ntfy import SendError, post
from schedules.repository import ReminderStore, iso

log = logging.getLogger(__name__)


CHANNELS = ("ntfy", "command")


class NotifyError(RuntimeError):
    """One delivery attempt failed; the message says why in plain words."""


@dataclass(frozen=True)
class NotifierStatus:
    """What the caregiver screen shows about alert delivery."""

    waiting: int = 0  # alerts not delivered yet
    failing: int = 0  # of those, alerts whose last attempt failed
    last_error: str = ""  # the newest failure, in plain words
    worker_error: str = ""  # an unexpected error of a delivery worker (it carried on)
    unsaved: int = 0  # alerts kept in memory because the store refused them

    @property
    def ok(self) -> bool:
        return not (self.failing or self.worker_error or self.unsaved)


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery round did."""

    delivered: int = 0
    failed: int = 0


class CaregiverNotifier:
    """Queues caregiver alerts in SQLite and delivers them to ntfy and/or a local command."""

    def __init__(
        self,
        store: ReminderStore,
        ntfy_url: str = "",
        command: str = "",
        timeout_s: float = 5.0,
        base_delay: timedelta = timedelta(seconds=30),
        max_delay: timedelta = timedelta(minutes=15),
    ) -> None:
        self.store = store
        self.ntfy_url = ntfy_url.strip()
        self.command = command.strip()
        self.timeout_s = timeout_s
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.wake = threading.Event()
        self.worker_error = ""
        self._guard = threading.Lock()  # the in-memory alerts below are shared by the channel workers
        self._memory: list[dict[str, Any]] = []  # alerts the store refused, with negative ids
        self._outcomes: dict[int, dict[str, Any]] = {}  # results the store refused to record
        self._next_id = 0

    @property
    def channels(self) -> list[str]:
        """The channels set up now (each alert gets one row per channel)."""
        return [name for name, target in zip(CHANNELS, (self.ntfy_url, self.command), strict=True) if target]

    def alert(self, kind: str, title: str, message: str, now: datetime, reminder_id: int | None = None) -> list[int]:
        """Queue one alert on every configured channel (or as undeliverable when none is set up)."""
        rows = [
            {
                "created_at": iso(now),
                "kind": kind,
                "reminder_id": reminder_id,
                "channel": channel,
                "title": title,
                "message": message,
                "attempts": 0,
                "next_attempt_at": iso(now),
                "last_error": "" if channel != "none" else "no caregiver alert is set up",
            }
            for channel in (self.channels or ["none"])
        ]
        try:
            with self.store.write() as db:
                ids = [int(db["caregiver_alerts"].insert(row).last_pk) for row in rows]  # type: ignore[arg-type]
        except STORE_ERRORS as exc:  # the channels need no disk: keep it in memory and send it anyway
            log.error("caregiver alert kept in memory, the store refused it (%s): %s", exc, message)
            with self._guard:
                ids = []
                for row in rows:
                    self._next_id -= 1
                    self._memory.append({**row, "id": self._next_id, "delivered_at": None})
                    ids.append(self._next_id)
        log.info("caregiver alert queued (%s): %s", kind, message)
        self.wake.set()
        return ids

    def deliver_due(self, now: datetime, channel: str | None = None) -> DeliveryReport:
        """Try every undelivered alert (of ``channel``, or all) whose next attempt is due; record each result."""
        self._save_memory()
        report = DeliveryReport()
        for row in self._due(now, channel):
            attempts = int(row["attempts"]) + 1
            try:
                self._send(row)
            except NotifyError as exc:
                delay = min(self.max_delay, self.base_delay * 2 ** (attempts - 1))
                self._record(row, attempts=attempts, next_attempt_at=iso(now + delay), last_error=str(exc))
                log.warning(
                    "caregiver alert %s via %s failed (attempt %d): %s", row["id"], row["channel"], attempts, exc
                )
                report = DeliveryReport(report.delivered, report.failed + 1)
            else:
                self._record(row, attempts=attempts, delivered_at=iso(now), last_error="")
                report = DeliveryReport(report.delivered + 1, report.failed)
        return report

    def _due(self, now: datetime, channel: str | None) -> list[dict[str, Any]]:
        """Undelivered alerts due now: the stored ones (with results not yet recorded applied) and those in memory."""
        try:
            with self.store.lock:
                stored = list(
                    self.store.db["caregiver_alerts"].rows_where(
                        "delivered_at is null and channel != 'none'", order_by="id"
                    )
                )
        except STORE_ERRORS as exc:
            log.error("caregiver alerts could not be read: %s", exc)
            stored = []
        with self._guard:
            rows = [{**r, **self._outcomes.get(r["id"], {})} for r in stored] + [dict(r) for r in self._memory]
        return [
            r
            for r in rows
            if r["delivered_at"] is None
            and r["channel"] != "none"
            and (channel is None or r["channel"] == channel)
            and r["next_attempt_at"] <= (iso(now) or "")
        ]

    def _record(self, row: dict[str, Any], **values: Any) -> None:
        """Store an attempt's result; while the store refuses, keep it in memory (never sent twice)."""
        with self._guard:
            for kept in self._memory:
                if kept["id"] == row["id"]:
                    kept.update(values)
                    return
        try:
            with self.store.write() as db:
                db["caregiver_alerts"].update(row["id"], values)
            with self._guard:
                self._outcomes.pop(row["id"], None)
        except STORE_ERRORS as exc:
            log.error("caregiver alert %s result kept in memory: %s", row["id"], exc)
            with self._guard:
                self._outcomes.setdefault(row["id"], {}).update(values)

    def _save_memory(self) -> None:
        """Write alerts and results kept in memory once the store takes them again."""
        with self._guard:
            memory, outcomes = list(self._memory), dict(self._outcomes)
        if not memory and not outcomes:
            return
        try:
            with self.store.write() as db:
                for row in memory:
                    db["caregiver_alerts"].insert({k: v for k, v in row.items() if k != "id"})
                for alert_id, values in outcomes.items():
                    db["caregiver_alerts"].update(alert_id, values)
        except STORE_ERRORS:
            return  # still refused: kept, tried again next round
        with self._guard:
            self._memory = [r for r in self._memory if r not in memory]
            for alert_id in outcomes:
                self._outcomes.pop(alert_id, None)

    def _send(self, row: dict) -> None:
        if row["channel"] == "ntfy":
            self.send_ntfy(row["title"], row["message"], priority=5 if row["kind"] == "missed" else 4)
        elif row["channel"] == "command":
            self.run_command(f"{row['title']}: {row['message']}")

    def send_ntfy(self, title: str, message: str, priority: int = 4) -> None:
        """POST one message to the ntfy topic URL (body = message; Title, Priority, Tags), within the deadline."""
        headers = {"Title": title, "Priority": str(priority), "Tags": "eye,warning", "Content-Type": "text/plain"}
        try:
            post(self.ntfy_url, message.encode("utf-8"), headers, self.timeout_s)
        except SendError as exc:
            raise NotifyError(str(exc)) from exc

    def run_command(self, text: str) -> None:
        """Run the local alert command with the alert text as its last argument."""
        try:
            argv = shlex.split(self.command) + [text]
            done = subprocess.run(argv, capture_output=True, timeout=max(self.timeout_s, 10.0), check=False)
        except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
            raise NotifyError(f"the alert command could not run ({exc})") from exc
        if done.returncode != 0:
            tail = done.stderr.decode("utf-8", "replace").strip()[-200:]
            raise NotifyError(f"the alert command ended with code {done.returncode}: {tail}")

    def undelivered(self) -> list[dict]:
        """Alerts not delivered yet (stored and kept in memory), with their attempts and last error."""
        try:
            with self.store.lock:
                stored = list(self.store.db["caregiver_alerts"].rows_where("delivered_at is null", order_by="id"))
        except STORE_ERRORS:
            stored = []
        with self._guard:
            stored = [{**r, **self._outcomes.get(r["id"], {})} for r in stored]
            return [r for r in stored + [dict(r) for r in self._memory] if r["delivered_at"] is None]

    def status(self) -> NotifierStatus:
        """Delivery state for the caregiver screen (never raises)."""
        waiting = self.undelivered()
        failing = [row for row in waiting if row["attempts"] or row["channel"] == "none"]
        errors = [row["last_error"] for row in failing if row["last_error"]]
        with self._guard:
            unsaved = len(self._memory)
        return NotifierStatus(len(waiting), len(failing), errors[-1] if errors else "", self.worker_error, unsaved)

    def problem(self, lang: str = "en") -> str | None:
        """A plain sentence for the screen while alerts cannot be delivered, else None."""
        waiting = self.undelivered()
        if not waiting:
            return None
        if not self.channels:
            return phrase("reminder.alerts_not_set_up", lang)
        failing = [row for row in waiting if row["attempts"]]
        return phrase("reminder.alerts_failing", lang, count=len(waiting)) if failing else None


class NotifierThread:
    """Delivers caregiver alerts in the background, one worker per channel (a stalled one never blocks
    another): on every new alert and at least every ``period_s``. A worker never dies: an unexpected
    error is logged, shown in ``status()``, and the worker waits (doubling up to ``max_wait_s``) and goes on."""

    def __init__(
        self,
        notifier: CaregiverNotifier,
        period_s: float = 5.0,
        clock: Callable[[], datetime] | None = None,
        max_wait_s: float = 300.0,
    ) -> None:
        self.notifier = notifier
        self.period_s = period_s
        self.max_wait_s = max_wait_s
        self.clock = clock or (lambda: datetime.now(UTC))
        self._stop = threading.Event()
        # A worker for every channel kind, set up or not: the caregiver may set phone alerts up on the
        # screen while the kiosk runs (a worker with nothing to send only waits).
        self._wakes = {channel: threading.Event() for channel in CHANNELS}
        self._threads = [
            threading.Thread(target=self._run, args=(channel,), name=f"caregiver-{channel}", daemon=True)
            for channel in CHANNELS
        ]

    def start(self) -> None:
        threading.Thread(target=self._relay, name="caregiver-wake", daemon=True).start()
        for thread in self._threads:
            thread.start()

    def alive(self) -> bool:
        """True while every channel worker runs (for the caregiver screen)."""
        return all(thread.is_alive() for thread in self._threads)

    def _relay(self) -> None:
        """One new alert wakes every channel's worker."""
        while not self._stop.is_set():
            self.notifier.wake.wait(self.period_s)
            self.notifier.wake.clear()
            for event in self._wakes.values():
                event.set()

    def _run(self, channel: str) -> None:
        wait = self.period_s
        while not self._stop.is_set():
            self._wakes[channel].clear()
            try:
                self.notifier.deliver_due(self.clock(), channel)
                self.notifier.worker_error, wait = "", self.period_s
            except Exception as exc:  # noqa: BLE001 - the worker must outlive any error; it is logged and shown
                log.exception("caregiver alert worker (%s) failed; trying again in %.0f s", channel, wait)
                self.notifier.worker_error = f"{channel}: {type(exc).__name__}: {exc}"
                wait = min(self.max_wait_s, wait * 2)
            self._wakes[channel].wait(wait)

    def close(self) -> None:
        """Stop the workers (idempotent); undelivered alerts stay queued for the next start."""
        self._stop.set()
        self.notifier.wake.set()
        for event in self._wakes.values():
            event.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=self.notifier.timeout_s + 1)
