"""The plan inbox moved to ``kiosk.plan.inbox`` (plan intake is the plan's business); kept for old imports."""

from kiosk.plan.inbox import NOTICE_APPLIED, NOTICE_REFUSED, PLAN_FILE, Inbox, InboxReport, Verdict, Verifier

__all__ = ["NOTICE_APPLIED", "NOTICE_REFUSED", "PLAN_FILE", "Inbox", "InboxReport", "Verdict", "Verifier"]
