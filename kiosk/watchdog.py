"""Talk to systemd from the kiosk: READY=1, WATCHDOG=1 while healthy, STOPPING=1, STATUS=.

A tiny sd_notify client (one datagram per message to ``$NOTIFY_SOCKET``; a leading '@' names an
abstract socket) with no dependency, and a main-loop step that feeds the watchdog only while the
loop is healthy. When the loop hangs, or its ticks keep running far over budget, or a health
check fails, the pings stop and systemd restarts the service after ``WatchdogSec``.

Wiring (kiosk/app.py): add ``WatchdogStep(Notifier.from_env())`` as the last step of the main
loop, after "draw"; its first call sends READY=1 because the home screen has then been drawn.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

# A health check gets the tick's monotonic time and returns None when fine, else a short reason.
HealthCheck = Callable[[float], str | None]


def socket_address(name: str) -> str | bytes:
    """The address to send to: '@name' is Linux's abstract namespace ('\\0name')."""
    if name.startswith("@"):
        return b"\0" + name[1:].encode()
    return name


class Notifier:
    """Sends sd_notify datagrams; does nothing when not started by systemd (no NOTIFY_SOCKET)."""

    def __init__(self, address: str | None) -> None:
        self.address = address or None
        self.sent = 0
        self.failures = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Notifier:
        """A notifier for ``$NOTIFY_SOCKET`` (disabled when it is unset)."""
        env = os.environ if environ is None else environ
        return cls(env.get("NOTIFY_SOCKET"))

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def send(self, *fields: str) -> bool:
        """Send 'KEY=value' lines in one datagram; False (and a log line) when it cannot."""
        if self.address is None:
            return False
        message = "\n".join(fields).encode()
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.sendto(message, socket_address(self.address))
        except OSError as exc:
            # systemd going away must not take the kiosk down; the missing pings speak for themselves.
            self.failures += 1
            log.warning("cannot notify systemd at %s: %s", self.address, exc)
            return False
        self.sent += 1
        return True

    def ready(self, status: str = "") -> bool:
        """The kiosk is up (the home screen is drawn)."""
        return self.send("READY=1", *([f"STATUS={status}"] if status else []))

    def watchdog(self) -> bool:
        """One keep-alive ping."""
        return self.send("WATCHDOG=1")

    def stopping(self, status: str = "") -> bool:
        """The kiosk is shutting down on purpose."""
        return self.send("STOPPING=1", *([f"STATUS={status}"] if status else []))

    def status(self, text: str) -> bool:
        """A one-line status shown by `systemctl status`."""
        return self.send(f"STATUS={text}")


def watchdog_interval(environ: Mapping[str, str] | None = None, pid: int | None = None) -> float | None:
    """WatchdogSec in seconds from ``$WATCHDOG_USEC`` (None when off or meant for another process)."""
    env = os.environ if environ is None else environ
    usec = env.get("WATCHDOG_USEC", "")
    owner = env.get("WATCHDOG_PID", "")
    if owner and owner.isdigit() and int(owner) != (os.getpid() if pid is None else pid):
        return None
    if not usec.isdigit() or int(usec) == 0:
        return None
    return int(usec) / 1_000_000


@dataclass
class WatchdogStep:
    """A main-loop step: READY=1 on its first call, then WATCHDOG=1 at most every WatchdogSec/2,
    and only while healthy.

    Healthy means: the time since this step last ran is within ``max_gap_s`` (no step stalled the
    previous tick) and every health check returns None. An unhealthy tick sends no ping; the
    first healthy tick after it pings again at once.
    """

    notifier: Notifier
    interval_s: float | None = None  # WatchdogSec; None reads $WATCHDOG_USEC
    max_gap_s: float = 2.0
    checks: list[HealthCheck] = field(default_factory=list)
    ready_status: str = "home screen shown"
    last_t: float | None = None
    last_ping: float | None = None
    unhealthy_reason: str | None = None

    def __post_init__(self) -> None:
        if self.interval_s is None:
            self.interval_s = watchdog_interval()

    def health(self, t: float) -> str | None:
        """None when the loop is healthy at tick time t, else the reason."""
        if self.last_t is not None and t - self.last_t > self.max_gap_s:
            return f"a tick took {t - self.last_t:.1f} s (limit {self.max_gap_s:.1f} s)"
        for check in self.checks:
            if (reason := check(t)) is not None:
                return reason
        return None

    def __call__(self, t: float) -> None:
        first = self.last_t is None
        reason = self.health(t)
        self.last_t = t
        if first:
            self.notifier.ready(self.ready_status)
        if (reason is None) != (self.unhealthy_reason is None):  # report changes, not every tick
            if reason:
                log.warning("watchdog: %s", reason)
            else:
                log.info("watchdog: healthy again")
            self.notifier.status(f"unhealthy: {reason}" if reason else self.ready_status)
        self.unhealthy_reason = reason
        if reason is not None or not self.interval_s:
            return
        if self.last_ping is None or t - self.last_ping >= self.interval_s / 2:
            self.notifier.watchdog()
            self.last_ping = t


def heartbeat_check(name: str, last_beat: Callable[[], float | None], max_age_s: float) -> HealthCheck:
    """A check that fails when a worker thread's last heartbeat (monotonic) is older than max_age_s."""

    def check(t: float) -> str | None:
        beat = last_beat()
        if beat is not None and t - beat > max_age_s:
            return f"{name} silent for {t - beat:.1f} s"
        return None

    return check
