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
from typing import Any

from nacl.signing import VerifyKey

from kiosk.plan.library import library_stages
from kiosk.plan.model import ANY_DEVICE, Plan, parse_plan
from kiosk.plan.signing import SIG_SUFFIX, SigningError, parse_signature, read_public_key, verify_bytes
from kiosk.plan.validate import check_plan
from kiosk.store import Store
from stim_hat.prescription import DeviceLimits, Prescription
from stim_hat.safety import StimPlan

UNSIGNED_NOTE = "unsigned starter plan"


@dataclass(frozen=True)
class Verdict:
    """Accepted (with the plan) or refused with a plain reason; ``version`` when it could be read.

    ``retry`` marks a refusal that can pass later without a new file (the signature is not there
    yet or is being replaced, no therapist key yet); ``starts`` a plan that is good but not valid
    yet: it is kept and takes effect on that date.
    """

    ok: bool
    reason: str
    plan: Plan | None = None
    version: int | None = None
    stimulation: Prescription = Prescription()
    retry: bool = False
    starts: date | None = None


@dataclass(frozen=True)
class Identity:
    """Who this kiosk is for: its device id and the patient of the signed plan in force (None: not known)."""

    patient: str | None = None
    device: str | None = None


@dataclass(frozen=True)
class LastApplied:
    """What the kiosk applied last."""

    version: int
    sha256: str
    signed: bool
    text: str

    @property
    def patient(self) -> str | None:
        """The patient the plan in force is for, when it was signed (the starter binds no one)."""
        plan, _ = parse_plan(self.text.encode("utf-8"), "<plan in force>")
        return plan.patient if plan is not None and self.signed else None


def _problems_text(problems: list) -> str:
    shown = "; ".join(str(p) for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return f"The plan file has problems: {shown}{more}"


def _identity_reason(plan: Plan, who: Identity) -> str | None:
    """Why the plan is not for this kiosk, or None (rule: docs/plan-format.md, "Patient and device")."""
    if plan.signed and plan.device in (ANY_DEVICE, ""):
        return f'This plan does not name the kiosk it is for; set device = "{who.device or "the kiosk id"}".'
    if who.device is not None and plan.device not in (who.device, ANY_DEVICE):
        return f"This plan is for the kiosk {plan.device}, but this kiosk is {who.device}."
    if who.patient is not None and plan.signed and plan.patient != who.patient:
        return f"This plan is for patient {plan.patient}, but this kiosk is set up for patient {who.patient}."
    return None


def evaluate(
    data: bytes,
    signature: bytes | None,
    public: VerifyKey | None,
    *,
    last: LastApplied | None,
    today: date,
    limits: DeviceLimits,
    filename: str = "<plan>",
    device: str | None = None,
    library: dict[str, dict[str, Any]] | None = None,
) -> Verdict:
    """Every check in order: signature (over the exact bytes), every section, patient and device, version, dates."""
    if signature is not None:
        if public is None:
            reason = "No therapist key is installed on this kiosk, so a signed plan cannot be checked."
            return Verdict(False, reason, retry=True)
        try:
            reason = verify_bytes(data, parse_signature(signature), public)
        except SigningError as exc:
            reason = str(exc)
        if reason:  # the signature file may still be on its way, or being replaced
            return Verdict(False, reason, version=_version_of(data), retry=True)
    plan, problems = parse_plan(data, filename)
    if plan is None:
        return Verdict(False, _problems_text(problems))
    text = data.decode("utf-8")
    checked = check_plan(plan, text, filename, limits, library if library is not None else library_stages())
    if checked.problems:
        return Verdict(False, _problems_text(checked.problems), version=plan.version)
    stim_raw = plan.raw.get("stimulation")
    if signature is None:
        if isinstance(stim_raw, dict) and stim_raw.get("enabled") is not False:
            return Verdict(False, "This plan is not signed by the therapist, so it cannot include stimulation.")
        if last is not None and last.signed:
            return Verdict(False, "This plan is not signed; only a newer signed plan can replace the therapist's plan.")
    plan = replace(plan, signed=signature is not None)
    who = Identity(last.patient if last is not None else None, device)
    if (reason := _identity_reason(plan, who)) is not None:
        return Verdict(False, reason, version=plan.version)
    same = last is not None and plan.sha256 == last.sha256  # the plan in force, read again
    # The starter plan (unsigned, version 0) may replace itself: a new release or a new time zone
    starter_again = last is not None and not last.signed and not plan.signed and plan.version == last.version == 0
    if last is not None and plan.version <= last.version and not same and not starter_again:
        return Verdict(
            False,
            f"This plan is version {plan.version}, not newer than the plan in force (version {last.version}).",
            version=plan.version,
        )
    if today < plan.valid_from:
        reason = f"This plan starts on {plan.valid_from.isoformat()}; until then the plan in force stays."
        return Verdict(False, reason, plan, plan.version, checked.stimulation, starts=plan.valid_from)
    if today > plan.valid_until:
        return Verdict(False, f"This plan expired on {plan.valid_until.isoformat()}.", version=plan.version)
    # The plan in force is checked in full every time it is read (dates, stimulation), not trusted.
    reason = "This plan is already in force." if same else "signed" if plan.signed else UNSIGNED_NOTE
    return Verdict(True, reason, plan, plan.version, checked.stimulation)


def _version_of(data: bytes) -> int | None:
    """The version a plan file claims (for the record; nothing else of an unverified file is used)."""
    plan, _ = parse_plan(data)
    return plan.version if plan is not None else None


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
    path: Path,
    *,
    store: Store,
    public_key: Path | None,
    today: date,
    now: datetime,
    limits: DeviceLimits,
    device: str | None = None,
    data: bytes | None = None,
) -> LoadResult:
    """Read, check and (when good) apply the plan at ``path`` (or ``data``, the file as it is meant: the
    starter plan on this kiosk's time zone); otherwise keep the last good plan."""
    last = last_applied(store)
    try:
        data = path.read_bytes() if data is None else data
        sig_path = path.with_name(path.name + SIG_SUFFIX)
        signature = sig_path.read_bytes() if sig_path.exists() else None
        public = read_public_key(public_key) if public_key is not None and signature is not None else None
    except (OSError, SigningError) as exc:
        return _keep_last(store, last, f"The plan cannot be read: {exc}", limits)
    verdict = evaluate(
        data, signature, public, last=last, today=today, limits=limits, filename=str(path), device=device
    )
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
                "status": "applied" if verdict.ok else "waiting" if verdict.retry or verdict.starts else "refused",
                "reason": verdict.reason,
                "text": data.decode("utf-8", "replace") if verdict.ok else None,  # refused: by hash, not content
            }
        )


def _keep_last(store: Store, last: LastApplied | None, reason: str, limits: DeviceLimits) -> LoadResult:
    if last is None:
        return LoadResult(None, False, reason)
    plan, _ = parse_plan(last.text.encode("utf-8"), "<last good plan>")
    if plan is None:
        return LoadResult(None, False, reason)
    # Applied under older, looser checks it may hold what now fails (a dose of "5 s"): then it is not run.
    checked = check_plan(plan, last.text, "<last good plan>", limits, library_stages())
    if checked.problems:
        return LoadResult(None, False, f"{reason} The plan it had fails the checks too: {checked.problems[0]}")
    plan = replace(plan, signed=last.signed)
    return LoadResult(
        plan, False, f"{reason} The kiosk keeps the plan it had (version {plan.version}).", checked.stimulation
    )


def inbox_verifier(
    public: VerifyKey | None, store: Store, today: date, limits: DeviceLimits, device: str | None = None
) -> Callable[[bytes, bytes], Verdict]:
    """A ``verify(plan_bytes, sig_bytes)`` for kiosk.plan.inbox: the full check, returning a Verdict."""

    def verify(data: bytes, signature: bytes) -> Verdict:
        last = last_applied(store)
        return evaluate(data, signature, public, last=last, today=today, limits=limits, device=device)

    return verify


def stim_plan(result: LoadResult) -> StimPlan:
    """What the stimulation safety rules need from the plan in force (locked when there is none)."""
    plan = result.plan
    if plan is None:
        return StimPlan(False, -1, None, None, Prescription())
    return StimPlan(plan.signed, plan.version, plan.valid_from, plan.valid_until, result.stimulation)
