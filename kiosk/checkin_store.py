"""The after-session answers on disk: each one durable (``Store.critical``) before it is thanked."""

from __future__ import annotations

import json
from datetime import datetime

from kiosk.checkin import CheckinRow, flags_of
from kiosk.store import Store


def save_answer(store: Store, session_id: int | None, question: str, answer: str, via: str, now: datetime) -> None:
    """Write one answer so that it survives a power cut."""
    with store.critical() as db:
        db["checkin_answers"].insert(
            {
                "session_id": session_id,
                "at": now.isoformat(),
                "question": question,
                "answer": answer,
                "flags": json.dumps(list(flags_of(question, answer))),
                "via": via,
            }
        )


def answers_between(store: Store, start: str, end: str) -> list[CheckinRow]:
    """Every answer with ``start <= at < end`` (ISO strings), oldest first."""
    rows = store.db.query(
        "select session_id, at, question, answer, flags, via from checkin_answers "
        "where at >= ? and at < ? order by at, id",
        [start, end],
    )
    return [
        CheckinRow(
            r["session_id"], r["at"], r["question"], r["answer"], tuple(json.loads(r["flags"] or "[]")), r["via"] or ""
        )
        for r in rows
    ]
