"""Caregiver alerts: an outbox table, delivered by HTTP POST in the ntfy format and a local command.

``alert`` only writes rows (one per channel), so raising an alert never waits on the network and
survives a restart. ``deliver_due`` sends what is due, retries failures with back-off and records
the last error; ``problem`` gives the plain sentence the home screen shows while alerts fail.
``NotifierThread`` runs delivery in the background so the main loop never blocks.
"""

from __future__ import annotations

import logging
import shlex
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from content.i18n import phrase
from kiosk.store import Store
from schedules.repository import iso

log = logging.getLogger(__name__)


class NotifyError(RuntimeError):
    """One delivery attempt failed; the message says why in plain words."""


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery round did."""

    delivered: int = 0
    failed: int = 0


class CaregiverNotifier:
    """Queues caregiver alerts in SQLite and delivers them to ntfy and/or a local command."""

    def __init__(
        self,
        store: Store,
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

    @property
    def channels(self) -> list[str]:
        return [name for name, target in (("ntfy", self.ntfy_url), ("command", self.command)) if target]

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
        with self.store.write() as db:
            ids = [int(db["caregiver_alerts"].insert(row).last_pk) for row in rows]  # type: ignore[arg-type]
        log.info("caregiver alert queued (%s): %s", kind, message)
        self.wake.set()
        return ids

    def deliver_due(self, now: datetime) -> DeliveryReport:
        """Try every undelivered alert whose next attempt is due; record each result."""
        with self.store.lock:
            rows = list(
                self.store.db["caregiver_alerts"].rows_where(
                    "delivered_at is null and channel != 'none' and next_attempt_at <= ?", [iso(now)], order_by="id"
                )
            )
        report = DeliveryReport()
        for row in rows:
            try:
                self._send(row)
            except NotifyError as exc:
                attempts = int(row["attempts"]) + 1
                delay = min(self.max_delay, self.base_delay * 2 ** (attempts - 1))
                self._update(row["id"], attempts=attempts, next_attempt_at=iso(now + delay), last_error=str(exc))
                log.warning(
                    "caregiver alert %s via %s failed (attempt %d): %s", row["id"], row["channel"], attempts, exc
                )
                report = DeliveryReport(report.delivered, report.failed + 1)
            else:
                self._update(row["id"], attempts=int(row["attempts"]) + 1, delivered_at=iso(now), last_error="")
                report = DeliveryReport(report.delivered + 1, report.failed)
        return report

    def _update(self, alert_id: int, **values: object) -> None:
        with self.store.write() as db:
            db["caregiver_alerts"].update(alert_id, values)

    def _send(self, row: dict) -> None:
        if row["channel"] == "ntfy":
            self.send_ntfy(row["title"], row["message"], priority=5 if row["kind"] == "missed" else 4)
        elif row["channel"] == "command":
            self.run_command(f"{row['title']}: {row['message']}")

    def send_ntfy(self, title: str, message: str, priority: int = 4) -> None:
        """POST one message to the ntfy topic URL (body = message; Title, Priority, Tags headers)."""
        request = urllib.request.Request(
            self.ntfy_url,
            data=message.encode("utf-8"),
            method="POST",
            headers={"Title": title, "Priority": str(priority), "Tags": "eye,warning"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                if not 200 <= response.status < 300:
                    raise NotifyError(f"the ntfy server answered {response.status}")
        except urllib.error.HTTPError as exc:
            raise NotifyError(f"the ntfy server answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise NotifyError(f"the ntfy server could not be reached ({reason})") from exc

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
        """Alerts not delivered yet, with their attempts and last error."""
        with self.store.lock:
            return list(self.store.db["caregiver_alerts"].rows_where("delivered_at is null", order_by="id"))

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
    """Delivers caregiver alerts in the background: on every new alert and at least every ``period_s``."""

    def __init__(
        self, notifier: CaregiverNotifier, period_s: float = 5.0, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.notifier = notifier
        self.period_s = period_s
        self.clock = clock or (lambda: datetime.now(UTC))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="caregiver-notifier", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.notifier.wake.clear()
            self.notifier.deliver_due(self.clock())
            self.notifier.wake.wait(self.period_s)

    def close(self) -> None:
        """Stop the thread (idempotent); undelivered alerts stay queued for the next start."""
        self._stop.set()
        self.notifier.wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.notifier.timeout_s + 1)
