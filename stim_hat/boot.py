"""This boot's identity and the boot clock (an adapter: it reads /proc and the kernel's clock)."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from stim_hat.ledger import BootClock

BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")
# Where the kernel gives no boot id, one per process: an earlier run then counts as another boot,
# whose unclosed blocks are counted in full (the safe side).
_FALLBACK_ID = f"process-{uuid.uuid4()}"


def _boot_id() -> str:
    try:
        return BOOT_ID_FILE.read_text(encoding="ascii").strip() or _FALLBACK_ID
    except OSError:
        return _FALLBACK_ID


def boot_clock() -> BootClock:
    """Now on the boot clock, which counts suspend and is never stepped like the wall clock."""
    clock = getattr(time, "CLOCK_BOOTTIME", time.CLOCK_MONOTONIC)
    return BootClock(_boot_id(), time.clock_gettime(clock))
