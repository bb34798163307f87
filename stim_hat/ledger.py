"""The dose ledger: what the daily-minutes and rest rules count, even after a crash or clock jump (pure).

Every block gets a durable row *before* current flows (``DoseLedger.open_block``) and is closed
when it ends. A row that was never closed (SIGKILL, power cut, full disk at the end) counts as its
whole planned length, or as long as it could have lasted before the next boot, whichever is less,
and its end as the latest moment it could have ended: the rules may over-count a cut block,
never under-count it.

Durations come from the monotonic clock; "how long ago" comes from the boot clock when the block
ran in this boot, so a wall clock stepped back or forward changes neither. ``stim_hat`` declares
the interface; the kiosk implements it on its store (``kiosk/stim_ledger.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class BootClock:
    """This boot's identity and seconds since it began (CLOCK_BOOTTIME: it never steps)."""

    boot_id: str
    seconds: float


@dataclass(frozen=True)
class BlockStart:
    """What is written before a block may pass current."""

    plan_version: int
    side: str
    sites: tuple[str, ...]
    parameters: dict[str, object]
    started_at: datetime
    planned_s: float
    boot: BootClock


@dataclass(frozen=True)
class BlockEnd:
    """What is written when the block is over (outputs already off)."""

    stopped_at: datetime
    elapsed_s: float  # monotonic seconds from the first tick to the end
    boot_s: float
    max_amplitude_ma: float
    reason: str
    code: str  # finished | patient_stop | rule | fault | interrupted


@dataclass(frozen=True)
class LedgerRow:
    """One block as stored; ``elapsed_s`` is None while no end was recorded."""

    side: str
    started_at: datetime
    planned_s: float | None = None  # None: a row from before the ledger (old schema)
    elapsed_s: float | None = None
    stopped_at: datetime | None = None
    boot_id: str | None = None
    boot_s_start: float | None = None
    boot_s_end: float | None = None


@dataclass(frozen=True)
class DoseSoFar:
    """What the rules need: minutes today on the side and in all, and when the last block ended."""

    side_minutes: float = 0.0
    all_minutes: float = 0.0
    last_end: datetime | None = None


class DoseLedger(Protocol):
    """Durable storage of blocks; every method raises when it cannot write (the caller decides)."""

    def open_block(self, start: BlockStart) -> int: ...

    def progress(self, block_id: int, elapsed_s: float) -> None: ...

    def close_block(self, block_id: int, end: BlockEnd) -> None: ...

    def recent(self, now: datetime) -> list[LedgerRow]: ...


def block_span(row: LedgerRow, now: datetime, boot: BootClock) -> tuple[float, datetime]:
    """(seconds to count, the latest moment it can have ended) for one stored block."""
    same_boot = row.boot_id is not None and row.boot_id == boot.boot_id
    if row.elapsed_s is not None:
        seconds = max(0.0, row.elapsed_s)
        if same_boot and row.boot_s_end is not None:
            return seconds, now - timedelta(seconds=max(0.0, boot.seconds - row.boot_s_end))
        return seconds, row.stopped_at or row.started_at + timedelta(seconds=seconds)
    if row.planned_s is None:  # an old row: only wall times were kept
        stopped = row.stopped_at or row.started_at
        return max(0.0, (stopped - row.started_at).total_seconds()), stopped
    planned = max(0.0, row.planned_s)
    if same_boot and row.boot_s_start is not None:
        # Cut in this boot (the process was killed, or its end could not be written): the whole
        # block counts, and it ended at the latest when the whole block would have.
        since_start = max(0.0, boot.seconds - row.boot_s_start)
        return planned, now + timedelta(seconds=planned - since_start)
    # Cut in an earlier boot: it cannot have run past the moment this boot began.
    boot_began = now - timedelta(seconds=boot.seconds)
    limit = (boot_began - row.started_at).total_seconds()
    seconds = planned if limit < 0 else min(planned, limit)
    return seconds, row.started_at + timedelta(seconds=seconds)


def dose_so_far(rows: list[LedgerRow], side: str, now: datetime, boot: BootClock) -> DoseSoFar:
    """Minutes today (per side and in all) and the latest end, from the stored blocks."""
    side_s = all_s = 0.0
    last_end: datetime | None = None
    today = now.date()
    for row in rows:
        seconds, ended = block_span(row, now, boot)
        last_end = ended if last_end is None or ended > last_end else last_end
        if row.started_at.date() == today or ended.date() == today:
            all_s += seconds
            side_s += seconds if row.side == side else 0.0
    return DoseSoFar(side_s / 60, all_s / 60, last_end)
