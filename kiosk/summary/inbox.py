"""The way in: a signed plan dropped in the inbox (folder or WebDAV) is fetched, verified, applied between sessions.

Plan verification belongs to ``kiosk.plan`` (``kiosk.plan.loader.inbox_verifier``); this module
takes it as a ``verify(plan, sig)`` callable, so tests can inject a verifier too. Every plan seen
is recorded once (by SHA-256) in ``plan_versions``: applied, or refused with its reason, which the next summary reports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.store import Store
from kiosk.summary.delivery import DeliveryError, Target
from kiosk.summary.outbox import write_atomically

NOTICE_APPLIED = "plan.new_plan_applied"  # phrase key spoken when a new plan takes effect
NOTICE_REFUSED = "plan.new_plan_refused"  # phrase key spoken (caregiver screen) when one is refused
PLAN_FILE = "plan.toml"


@dataclass(frozen=True)
class Verdict:
    """What the plan verifier said: accepted (with its version) or refused with a plain reason."""

    ok: bool
    version: int | None = None
    reason: str = ""


# kiosk.plan.loader.inbox_verifier returns its own Verdict with the same ok / version / reason fields.
Verifier = Callable[[bytes, bytes], Any]


@dataclass
class InboxReport:
    """What one inbox pass found."""

    applied: list[tuple[str, int | None]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    waiting: list[tuple[str, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


class Inbox:
    """Collects signed plans from a target's inbox and installs good ones into ``plan_dir``."""

    def __init__(self, store: Store, target: Target, verify: Verifier, plan_dir: Path) -> None:
        self.store = store
        self.target = target
        self.verify = verify
        self.plan_dir = plan_dir

    def _seen(self, sha: str) -> bool:
        with self.store.lock:
            return self.store.db["plan_versions"].count_where("sha256 = ?", [sha]) > 0

    def _record(self, sha: str, verdict: Verdict, text: str, now: datetime, applied: bool) -> None:
        with self.store.critical() as db:
            db["plan_versions"].insert(
                {
                    "version": verdict.version,
                    "sha256": sha,
                    "received_at": now.isoformat(),
                    "applied_at": now.isoformat() if applied else None,
                    "status": "applied" if applied else "refused",
                    "reason": verdict.reason or None,
                    "text": text,
                }
            )
        self.store.log_event(
            "plan_applied" if applied else "plan_refused",
            now,
            {"version": verdict.version, "sha256": sha, "reason": verdict.reason},
        )

    def poll(self, now: datetime, session_running: bool) -> InboxReport:
        """One pass: nothing is applied while a session runs (the plan waits for the next pass)."""
        report = InboxReport()
        try:
            names = self.target.list_inbox()
        except DeliveryError as exc:
            report.waiting.append(("(inbox)", str(exc)))
            return report
        for name in (n for n in names if n.endswith(".toml")):
            if name + ".sig" not in names:
                report.waiting.append((name, "waiting for its signature file"))
                continue
            try:
                plan, sig = self.target.get_inbox(name), self.target.get_inbox(name + ".sig")
            except (DeliveryError, OSError) as exc:
                report.waiting.append((name, str(exc)))
                continue
            sha = hashlib.sha256(plan).hexdigest()
            if self._seen(sha):
                continue
            if session_running:
                report.waiting.append((name, "a session is running; the plan is checked after it"))
                continue
            self._handle(name, plan, sig, sha, now, report)
        return report

    def _handle(self, name: str, plan: bytes, sig: bytes, sha: str, now: datetime, report: InboxReport) -> None:
        try:
            verdict = self.verify(plan, sig)
        except ValueError as exc:
            verdict = Verdict(False, None, f"the plan could not be checked: {exc}")
        text = plan.decode("utf-8", errors="replace")
        if not verdict.ok:
            self._record(sha, verdict, text, now, applied=False)
            report.refused.append((name, verdict.reason or "refused"))
            report.notices.append(NOTICE_REFUSED)
            return
        self.plan_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(self.plan_dir / (PLAN_FILE + ".sig"), sig)
        write_atomically(self.plan_dir / PLAN_FILE, plan)
        self._record(sha, verdict, text, now, applied=True)
        report.applied.append((name, verdict.version))
        report.notices.append(NOTICE_APPLIED)
