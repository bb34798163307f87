"""The stimulation dose ledger on the kiosk's store (``stim_hat.ledger.DoseLedger``).

A row in ``stim_log`` is written durably (``Store.critical``) before current flows, updated while
the block runs and closed when it ends. Every write raises when it fails: the runner refuses to
start a block it could not record, and an unclosed row counts as the whole block.
"""

from __future__ import annotations

import json
from datetime import datetime

from kiosk.store import Store
from stim_hat.ledger import BlockEnd, BlockStart, LedgerRow

LAST_ROWS = 50


def _time(text: str | None, like: datetime) -> datetime | None:
    """A stored time, made comparable with ``like`` (aware or naive)."""
    if not text:
        return None
    value = datetime.fromisoformat(text)
    if like.tzinfo is not None and value.tzinfo is None:
        return value.replace(tzinfo=like.tzinfo)
    if like.tzinfo is None and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    return value


class StoreLedger:
    """``DoseLedger`` on the kiosk's SQLite store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def open_block(self, start: BlockStart) -> int:
        with self.store.critical() as db:
            table = db["stim_log"]
            table.insert(
                {
                    "plan_version": start.plan_version,
                    "side": start.side,
                    "sites": json.dumps(list(start.sites)),
                    "parameters": json.dumps(start.parameters, sort_keys=True),
                    "started_at": start.started_at.isoformat(),
                    "planned_s": start.planned_s,
                    "boot_id": start.boot.boot_id,
                    "boot_s_start": start.boot.seconds,
                    "max_amplitude_ma": 0.0,
                }
            )
            return int(table.last_pk)

    def progress(self, block_id: int, elapsed_s: float) -> None:
        with self.store.write() as db:
            db["stim_log"].update(block_id, {"progress_s": round(elapsed_s, 3)})

    def close_block(self, block_id: int, end: BlockEnd) -> None:
        with self.store.critical() as db:
            db["stim_log"].update(
                block_id,
                {
                    "stopped_at": end.stopped_at.isoformat(),
                    "elapsed_s": round(end.elapsed_s, 3),
                    "progress_s": round(end.elapsed_s, 3),
                    "boot_s_end": end.boot_s,
                    "max_amplitude_ma": end.max_amplitude_ma,
                    "stop_reason": end.reason,
                    "end_code": end.code,
                },
            )

    def recent(self, now: datetime) -> list[LedgerRow]:
        """The latest blocks (enough for today's minutes and the last end)."""
        with self.store.lock:
            rows = list(self.store.db.query("select * from stim_log order by id desc limit ?", [LAST_ROWS]))
        out: list[LedgerRow] = []
        for row in rows:
            started = _time(row["started_at"], now)
            if started is None:
                continue
            out.append(
                LedgerRow(
                    side=row["side"],
                    started_at=started,
                    planned_s=row.get("planned_s"),
                    elapsed_s=row.get("elapsed_s"),
                    stopped_at=_time(row.get("stopped_at"), now),
                    boot_id=row.get("boot_id"),
                    boot_s_start=row.get("boot_s_start"),
                    boot_s_end=row.get("boot_s_end"),
                )
            )
        return out
