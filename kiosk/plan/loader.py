"""Decide whether a plan may be applied; on any failure keep the last good plan and say why.

``evaluate`` takes bytes and facts (no files, no clock); ``load_plan`` reads the files and the
``plan_versions`` table, records the attempt and returns the plan in force.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from nacl.signing import VerifyKey

from kiosk.plan.model import Plan, parse_plan
from kiosk.plan.signing import SIG_SUFFIX, SigningError, parse_signature, read_public_key, verify_bytes
from kiosk.store import Store
from stim_hat.prescription import DeviceLimits, Prescription, parse_prescription
from stim_hat.safety import StimPlan

UNSIGNED_NOTE = "unsigned starter plan"


@dataclass(frozen=True)
class Verdict:
    """Accepted (with the plan) or refused with a plain reason; ``version`` when it could be read."""

    ok: bool
    reason: str
    plan: Plan | None = None
    version: int | None = None
    stimulation: Prescription = Prescription()


@dataclass(frozen=True)
class LastApplied:
    """What the kiosk applied last."""

    version: int
    sha256: str
    signed: bool
    text: str


def _problems_text(problems: list) -> str:
    shown = "; ".join(str(p) for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return f"The plan file has problems: {shown}{more}"


def evaluate(
    data: bytes,
    signature: bytes | None,
    public: VerifyKey | None,
    *,
    last: LastApplied | None,
    today: date,
    limits: DeviceLimits,
    filename: str = "<plan>",
) -> Verdict:
    """Every check in order: signature (over the exact bytes), format, version, dates, stimulation."""
    if signature is not None:
        if public is None:
            return Verdict(False, "No therapist key is installed on this kiosk, so a signed plan cannot be checked.")
        try:
            reason = verify_bytes(data, parse_signature(signature), public)
        except SigningError as exc:
            reason = str(exc)
        if reason:
            return Verdict(False, reason)
    plan, problems = parse_plan(data, filename)
    if plan is None:
        return Verdict(False, _problems_text(problems))
    stim_raw = plan.raw.get("stimulation")
    if signature is None:
        if isinstance(stim_raw, dict) and stim_raw.get("enabled") is not False:
            return Verdict(False, "This plan is not signed by the therapist, so it cannot include stimulation.")
        if last is not None and last.signed:
            return Verdict(False, "This plan is not signed; only a newer signed plan can replace the therapist's plan.")
    plan = replace(plan, signed=signature is not None)
    same = last is not None and plan.sha256 == last.sha256  # the plan in force, read again
    if last is not None and plan.version <= last.version and not same:
        return Verdict(
            False,
            f"This plan is version {plan.version}, not newer than the plan in force (version {last.version}).",
            version=plan.version,
        )
    if today < plan.valid_from:
        return Verdict(False, f"This plan starts on {plan.valid_from.isoformat()}.", version=plan.version)
    if today > plan.valid_until:
        return Verdict(False, f"This plan expired on {plan.valid_until.isoformat()}.", version=plan.version)
    rx, problems = parse_prescription(plan.raw, limits, filename=filename, lines=plan.lines)
    if problems:
        return Verdict(False, _problems_text(problems), version=plan.version)
    # The plan in force is checked in full every time it is read (dates, stimulation), not trusted.
    reason = "This plan is already in force." if same else "signed" if plan.signed else UNSIGNED_NOTE
    return Verdict(True, reason, plan, plan.version, rx)


def last_applied(store: Store) -> LastApplied | None:
    """The plan applied most recently (from ``plan_versions``)."""
    with store.lock:
        rows = list(
            store.db.query(
                "select version, sha256, reason, text from plan_versions where status = 'applied' "
                "and applied_at is not null order by id desc limit 1"
            )
        )
    if not rows:
        return None
    row = rows[0]
    return LastApplied(int(row["version"]), row["sha256"], row["reason"] != UNSIGNED_NOTE, row["text"] or "")


@dataclass(frozen=True)
class LoadResult:
    """The plan in force after a load (new or last good), whether the new one was taken, and why."""

    plan: Plan | None
    accepted: bool
    reason: str
    stimulation: Prescription = Prescription()


def load_plan(
    path: Path, *, store: Store, public_key: Path | None, today: date, now: datetime, limits: DeviceLimits
) -> LoadResult:
    """Read, check and (when good) apply the plan at ``path``; otherwise keep the last good plan."""
    last = last_applied(store)
    try:
        data = path.read_bytes()
        sig_path = path.with_name(path.name + SIG_SUFFIX)
        signature = sig_path.read_bytes() if sig_path.exists() else None
        public = read_public_key(public_key) if public_key is not None and signature is not None else None
    except (OSError, SigningError) as exc:
        return _keep_last(store, last, f"The plan cannot be read: {exc}", limits)
    verdict = evaluate(data, signature, public, last=last, today=today, limits=limits, filename=str(path))
    _record(store, data, verdict, now)
    if not verdict.ok:
        return _keep_last(store, last, verdict.reason, limits)
    return LoadResult(verdict.plan, True, verdict.reason, verdict.stimulation)


def _record(store: Store, data: bytes, verdict: Verdict, now: datetime) -> None:
    sha = hashlib.sha256(data).hexdigest()
    with store.critical() as db:
        if db["plan_versions"].count_where("sha256 = ?", [sha]) > 0:
            return
        db["plan_versions"].insert(
            {
                "version": verdict.version,
                "sha256": sha,
                "received_at": now.isoformat(),
                "applied_at": now.isoformat() if verdict.ok else None,
                "status": "applied" if verdict.ok else "refused",
                "reason": verdict.reason,
                "text": data.decode("utf-8", "replace"),
            }
        )


def _keep_last(store: Store, last: LastApplied | None, reason: str, limits: DeviceLimits) -> LoadResult:
    if last is None:
        return LoadResult(None, False, reason)
    plan, _ = parse_plan(last.text.encode("utf-8"), "<last good plan>")
    if plan is None:
        return LoadResult(None, False, reason)
    plan = replace(plan, signed=last.signed)
    rx, _problems = parse_prescription(plan.raw, limits)
    return LoadResult(plan, False, f"{reason} The kiosk keeps the plan it had (version {plan.version}).", rx)


def inbox_verifier(
    public: VerifyKey | None, store: Store, today: date, limits: DeviceLimits
) -> Callable[[bytes, bytes], Verdict]:
    """A ``verify(plan_bytes, sig_bytes)`` for kiosk.summary.inbox: the full check, returning a Verdict."""

    def verify(data: bytes, signature: bytes) -> Verdict:
        return evaluate(data, signature, public, last=last_applied(store), today=today, limits=limits)

    return verify


def stim_plan(result: LoadResult) -> StimPlan:
    """What the stimulation safety rules need from the plan in force (locked when there is none)."""
    plan = result.plan
    if plan is None:
        return StimPlan(False, -1, None, None, Prescription())
    return StimPlan(plan.signed, plan.version, plan.valid_from, plan.valid_until, result.stimulation)
