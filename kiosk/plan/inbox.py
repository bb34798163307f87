"""The way in: a signed plan dropped in the inbox (folder or WebDAV) is fetched, verified, applied between sessions.

Plan verification is ``kiosk.plan.loader.evaluate`` (through ``inbox_verifier``), taken here as a
``verify(plan, sig)`` callable. Every plan seen gets one row in ``plan_versions`` (by SHA-256):

- ``applied``: installed as ``plan_dir/plan.toml`` (with its ``.sig``);
- ``refused``: for good; kept by file name and hash only, never its content;
- ``waiting``: refused for a reason that can pass (the signature is not there yet or is being
  replaced, no therapist key yet), so it is checked again on every pass;
- ``pending``: good but valid from a later date; kept in ``plan_dir/pending`` and applied on that
  date by ``start_due`` (called by every pass and by the kiosk's plan watch).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.store import Store
from kiosk.summary.delivery import DeliveryError, NotAPlanFile, Target
from kiosk.summary.outbox import write_atomically

NOTICE_APPLIED = "plan.new_plan_applied"  # phrase key spoken when a new plan takes effect
NOTICE_REFUSED = "plan.new_plan_refused"  # phrase key spoken (caregiver screen) when one is refused
PLAN_FILE = "plan.toml"
SIG_FILE = PLAN_FILE + ".sig"
PENDING = "pending"
FINAL = ("applied", "refused", "pending")  # a plan in one of these states is not looked at again

# kiosk.plan.loader.Verdict: ok, reason, version, retry (may pass later), starts (valid from a later date).
Verifier = Callable[[bytes, bytes], Any]


@dataclass(frozen=True)
class Verdict:
    """A verifier's answer when it could not run at all (the same fields kiosk.plan.loader.Verdict has)."""

    ok: bool
    version: int | None = None
    reason: str = ""
    retry: bool = False
    starts: None = None


@dataclass
class InboxReport:
    """What one inbox pass found."""

    applied: list[tuple[str, int | None]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    waiting: list[tuple[str, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


class PlanVersions:
    """The ``plan_versions`` rows the inbox keeps: one per plan file content (SHA-256)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def status(self, sha: str) -> str | None:
        """The newest status recorded for this content, or None when it was never seen."""
        with self.store.lock:
            rows = list(self.store.db["plan_versions"].rows_where("sha256 = ?", [sha], order_by="-id", limit=1))
        return str(rows[0]["status"]) if rows else None

    def waiting(self) -> list[dict[str, Any]]:
        """Plans refused for now, checked again on every pass."""
        with self.store.lock:
            return list(self.store.db["plan_versions"].rows_where("status = 'waiting'", order_by="id"))

    def pending(self) -> list[dict[str, Any]]:
        """Plans kept until their start date, oldest version first."""
        with self.store.lock:
            return list(self.store.db["plan_versions"].rows_where("status = ?", [PENDING], order_by="version, id"))

    def set(self, sha: str, status: str, verdict: Any, now: datetime, text: str | None, name: str) -> None:
        """Record (or update the waiting or pending row of) one plan; log a change of status once."""
        before = self.status(sha)
        row = {
            "version": verdict.version,
            "sha256": sha,
            "applied_at": now.isoformat() if status == "applied" else None,
            "status": status,
            "reason": f"{name}: {verdict.reason}" if status != "applied" else verdict.reason or None,
            "text": text,
        }
        with self.store.critical() as db:
            table = db["plan_versions"]
            if before in ("waiting", PENDING):
                table.update(self._open_row(sha), row)
            else:
                table.insert({**row, "received_at": now.isoformat()})
        if before != status:
            event = {"applied": "plan_applied", "refused": "plan_refused"}.get(status, f"plan_{status}")
            payload = {"version": verdict.version, "sha256": sha, "file": name, "reason": verdict.reason}
            self.store.log_event(event, now, payload)

    def _open_row(self, sha: str) -> int:
        rows = self.store.db["plan_versions"].rows_where("sha256 = ?", [sha], order_by="-id", limit=1)
        return int(next(iter(rows))["id"])


class Inbox:
    """Collects signed plans from a target's inbox and installs good ones into ``plan_dir``."""

    def __init__(self, store: Store, target: Target, verify: Verifier, plan_dir: Path) -> None:
        self.versions = PlanVersions(store)
        self.target = target
        self.verify = verify
        self.plan_dir = plan_dir

    def poll(self, now: datetime, session_running: bool) -> InboxReport:
        """One pass: nothing is applied while a session runs (the plan waits for the next pass)."""
        report = InboxReport()
        if not session_running:
            start_due(self.versions, self.verify, self.plan_dir, now, report)
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
            except NotAPlanFile as exc:  # a link, folder, device or oversized file: never read
                report.refused.append((name, str(exc)))
                continue
            except (DeliveryError, OSError) as exc:  # temporarily unreadable: tried again next pass
                report.waiting.append((name, str(exc)))
                continue
            sha = hashlib.sha256(plan).hexdigest()
            if self.versions.status(sha) in FINAL:
                continue
            if session_running:
                report.waiting.append((name, "a session is running; the plan is checked after it"))
                continue
            self._handle(name, plan, sig, sha, now, report)
        self._forget_gone(set(names), now)
        return report

    def _forget_gone(self, names: set[str], now: datetime) -> None:
        """A waiting plan whose file left the inbox will not get its signature: it stops waiting."""
        for row in self.versions.waiting():
            name, _, reason = str(row["reason"] or "").partition(": ")
            if name.endswith(".toml") and reason and name not in names:
                gone = Verdict(False, row["version"], "it left the inbox before it could be used")
                self.versions.set(str(row["sha256"]), "refused", gone, now, None, name)

    def _handle(self, name: str, plan: bytes, sig: bytes, sha: str, now: datetime, report: InboxReport) -> None:
        try:
            verdict = self.verify(plan, sig)
        except ValueError as exc:
            verdict = Verdict(False, None, f"the plan could not be checked: {exc}")
        if verdict.ok:
            install(self.plan_dir, plan, sig)
            self.versions.set(sha, "applied", verdict, now, plan.decode("utf-8"), name)
            report.applied.append((name, verdict.version))
            report.notices.append(NOTICE_APPLIED)
        elif verdict.starts is not None:
            folder = self.plan_dir / PENDING
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomically(folder / (sha + ".toml.sig"), sig)
            write_atomically(folder / (sha + ".toml"), plan)
            self.versions.set(sha, PENDING, verdict, now, plan.decode("utf-8"), name)
            report.waiting.append((name, verdict.reason))
        elif verdict.retry:
            self.versions.set(sha, "waiting", verdict, now, None, name)
            report.waiting.append((name, f"{verdict.reason} It is checked again on every pass."))
        else:
            self.versions.set(sha, "refused", verdict, now, None, name)
            report.refused.append((name, verdict.reason or "refused"))
            report.notices.append(NOTICE_REFUSED)


def waiting_plans(store: Store) -> str:
    """For the caregiver screen: each new plan not in force yet and why (its start date, its signature)."""
    with store.lock:
        rows = list(store.db["plan_versions"].rows_where("status in ('pending', 'waiting')", order_by="id"))
    lines = []
    for row in rows[-2:]:
        name, _, reason = str(row["reason"] or "").rpartition(".toml: ")
        version = f"version {row['version']}" if row["version"] is not None else f"{name}.toml"
        lines.append(f"New plan ({version}): {reason}")
    return " ".join(lines)


def install(plan_dir: Path, plan: bytes, sig: bytes) -> None:
    """Make ``plan`` the plan in force (signature first, so the pair is never half new)."""
    plan_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomically(plan_dir / SIG_FILE, sig)
    write_atomically(plan_dir / PLAN_FILE, plan)


def start_due(versions: PlanVersions, verify: Verifier, plan_dir: Path, now: datetime, report: InboxReport) -> None:
    """Apply each kept plan whose start date has come (checked again in full); drop those refused now."""
    for row in versions.pending():
        sha = str(row["sha256"])
        files = plan_dir / PENDING / (sha + ".toml"), plan_dir / PENDING / (sha + ".toml.sig")
        name = str(row.get("reason") or sha).split(":", 1)[0]
        try:
            plan, sig = files[0].read_bytes(), files[1].read_bytes()
        except OSError as exc:
            gone = Verdict(False, row["version"], f"the kept copy is gone ({exc})")
            versions.set(sha, "refused", gone, now, None, name)
            continue
        verdict = verify(plan, sig)
        if verdict.starts is not None:
            continue  # not yet
        if verdict.ok:
            install(plan_dir, plan, sig)
            versions.set(sha, "applied", verdict, now, plan.decode("utf-8"), name)
            report.applied.append((name, verdict.version))
            report.notices.append(NOTICE_APPLIED)
        else:
            versions.set(sha, "refused", verdict, now, None, name)
            report.refused.append((name, verdict.reason))
            report.notices.append(NOTICE_REFUSED)
        for path in files:
            path.unlink(missing_ok=True)
