"""A fixed-rate main loop with per-step timing and an overrun warning.

Each tick runs the named steps in order; the loop sleeps (on an Event, so ``stop()`` is
immediate) until the next tick. ``run(max_ticks=N)`` stops after N ticks, for tests.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

Step = Callable[[float], None]


@dataclass
class StepTiming:
    """Running totals of how long a step takes."""

    calls: int = 0
    total_s: float = 0.0
    worst_s: float = 0.0

    def add(self, seconds: float) -> None:
        self.calls += 1
        self.total_s += seconds
        self.worst_s = max(self.worst_s, seconds)

    @property
    def mean_ms(self) -> float:
        return 1000.0 * self.total_s / self.calls if self.calls else 0.0


@dataclass
class MainLoop:
    """Runs steps at ``rate_hz``; every step gets the tick's monotonic time."""

    rate_hz: float
    steps: list[tuple[str, Step]] = field(default_factory=list)
    clock: Callable[[], float] = time.monotonic
    ticks: int = 0
    overruns: int = 0
    timings: dict[str, StepTiming] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._stop = threading.Event()

    def add_step(self, name: str, step: Step) -> None:
        """Append a step; steps run in the order added."""
        self.steps.append((name, step))

    def stop(self) -> None:
        """Ask the loop to end after the current tick (thread-safe)."""
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def tick(self) -> float:
        """Run every step once; return how long the tick took."""
        start = self.clock()
        for name, step in self.steps:
            t0 = self.clock()
            step(start)
            self.timings.setdefault(name, StepTiming()).add(self.clock() - t0)
        self.ticks += 1
        return self.clock() - start

    def run(self, max_ticks: int | None = None) -> None:
        """Tick at the fixed rate until stopped (or after ``max_ticks``)."""
        period = 1.0 / self.rate_hz
        next_at = self.clock()
        while not self._stop.is_set():
            took = self.tick()
            if took > period:
                self.overruns += 1
                slowest = max(self.timings.items(), key=lambda kv: kv[1].worst_s)[0] if self.timings else "?"
                log.warning(
                    "tick %d took %.1f ms (budget %.1f ms); slowest step: %s",
                    self.ticks,
                    took * 1000,
                    period * 1000,
                    slowest,
                )
            if max_ticks is not None and self.ticks >= max_ticks:
                break
            next_at += period
            delay = next_at - self.clock()
            if delay < 0:
                next_at = self.clock()  # fell behind: do not try to catch up with a burst
                continue
            self._stop.wait(delay)

    def report(self) -> str:
        """One line per step: calls, mean and worst milliseconds."""
        return "\n".join(
            f"{name:<12} {t.calls:6d} calls  mean {t.mean_ms:7.2f} ms  worst {t.worst_s * 1000:7.2f} ms"
            for name, t in self.timings.items()
        )
