"""Sessions cut off by a stop of the kiosk are closed at the next start, with the reason.

A session row says "running" until the session ends. If the kiosk stops first (``--max-seconds``,
the window closed, a shutdown, a crash or a power cut), nothing ends it, and it would stay
"running" for ever and count as neither done nor missed. At start-up, before this run logs its own
start, every such row is closed as "partial" (the patient did some of it) with the time and the
reason taken from the event log: the kiosk_stopped event that followed it, else the last sign of
life (the hourly kiosk_alive mark or an exercise result), which means the power went or the
process died.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from kiosk.lifecycle import ALIVE, STOPPED
from kiosk.store import Store

log = logging.getLogger(__name__)

CUT_OFF_STATUS = "partial"  # the summary counts it with the sessions stopped early


def close_cut_off_sessions(store: Store) -> list[dict]:
    """Close every session still "running"; returns the rows as closed (id, ended_at, notes)."""
    closed = []
    running = list(store.db.query("select id, started_at from sessions where status = 'running'"))
    for row in running:
        ended_at, reason = _cut_off(store, str(row["started_at"]))
        minutes = max(
            0.0, (datetime.fromisoformat(ended_at) - datetime.fromisoformat(row["started_at"])).total_seconds() / 60
        )
        change = {"status": CUT_OFF_STATUS, "ended_at": ended_at, "minutes": round(minutes, 1), "notes": reason}
        with store.critical() as db:
            db["sessions"].update(row["id"], change)
        log.warning("session %s was cut off (%s); closed as %s", row["id"], reason, CUT_OFF_STATUS)
        closed.append({"id": row["id"], **change})
    return closed


def _cut_off(store: Store, started_at: str) -> tuple[str, str]:
    """When and why a session that started at ``started_at`` stopped, from what was logged after it."""
    stop = next(
        iter(
            store.db.query(
                "select at, data from event_log where kind = ? and at >= ? order by at limit 1", [STOPPED, started_at]
            )
        ),
        None,
    )
    if stop is not None:
        why = json.loads(stop["data"] or "{}").get("reason", "closed")
        return str(stop["at"]), f"cut off: the kiosk was stopped ({why})"
    last = [
        row["at"]
        for row in store.db.query(
            "select max(at) as at from event_log where kind = ? and at >= ? "
            "union all select max(at) as at from exercise_results where at >= ?",
            [ALIVE, started_at, started_at],
        )
        if row["at"]
    ]
    return max([started_at, *last]), "cut off: the kiosk stopped without closing (power cut or crash)"
