"""The sd_notify client on a real unix datagram socket, and the watchdog step on a real MainLoop."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest

from kiosk.loop import MainLoop
from kiosk.watchdog import Notifier, WatchdogStep, heartbeat_check, watchdog_interval


class Listener:
    """A unix datagram socket standing in for systemd's notify socket; records (time, message)."""

    def __init__(self, address: str | bytes) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(address)
        self.sock.settimeout(0.05)
        self.messages: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            self.messages.append((time.monotonic(), data.decode()))

    def pings_between(self, start: float, end: float) -> int:
        return sum(1 for at, m in self.messages if start <= at <= end and "WATCHDOG=1" in m.splitlines())

    def close(self) -> None:
        self._stop.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture
def notify_socket(tmp_path, monkeypatch):
    path = str(tmp_path / "notify")
    listener = Listener(path)
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    yield listener
    listener.close()


def wait_for(predicate, timeout: float = 2.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_messages_arrive_on_a_path_socket(notify_socket):
    notifier = Notifier.from_env()
    assert notifier.enabled
    assert notifier.ready("up")
    assert notifier.watchdog()
    assert notifier.status("all fine")
    assert notifier.stopping()
    assert wait_for(lambda: len(notify_socket.messages) == 4)
    assert [m for _, m in notify_socket.messages] == [
        "READY=1\nSTATUS=up",
        "WATCHDOG=1",
        "STATUS=all fine",
        "STOPPING=1",
    ]


def test_messages_arrive_on_an_abstract_socket():
    name = f"@facecoach-test-{os.getpid()}-{time.monotonic_ns()}"
    listener = Listener(b"\0" + name[1:].encode())
    try:
        assert Notifier(name).watchdog()
        assert wait_for(lambda: listener.messages)
        assert listener.messages[0][1] == "WATCHDOG=1"
    finally:
        listener.close()


def test_without_systemd_nothing_is_sent_and_nothing_breaks(tmp_path):
    assert not Notifier.from_env({}).enabled
    assert Notifier.from_env({}).watchdog() is False
    gone = Notifier(str(tmp_path / "no-such-socket"))
    assert gone.watchdog() is False
    assert gone.failures == 1


def test_watchdog_interval_from_the_environment():
    assert watchdog_interval({"WATCHDOG_USEC": "30000000"}) == 30.0
    assert watchdog_interval({}) is None
    assert watchdog_interval({"WATCHDOG_USEC": "0"}) is None
    assert watchdog_interval({"WATCHDOG_USEC": "5000000", "WATCHDOG_PID": "1"}, pid=2) is None
    assert watchdog_interval({"WATCHDOG_USEC": "5000000", "WATCHDOG_PID": "2"}, pid=2) == 5.0


def test_pings_stop_while_the_loop_is_stalled_and_resume_after(notify_socket, monkeypatch):
    """A real MainLoop at 50 Hz: a step blocks for 0.8 s; no WATCHDOG=1 arrives during the stall."""
    monkeypatch.setenv("WATCHDOG_USEC", "200000")  # WatchdogSec=0.2 s: ping every 0.1 s
    stall = threading.Event()
    release = threading.Event()

    def app_step(t: float) -> None:
        if stall.is_set():
            release.wait(5)
            stall.clear()

    loop = MainLoop(rate_hz=50)
    loop.add_step("app", app_step)
    step = WatchdogStep(Notifier.from_env(), max_gap_s=0.5)
    assert step.interval_s == pytest.approx(0.2)
    loop.add_step("watchdog", step)
    runner = threading.Thread(target=loop.run, daemon=True)
    runner.start()
    try:
        time.sleep(0.6)
        healthy_end = time.monotonic()
        stall.set()
        time.sleep(0.05)  # let the current tick reach the stalled step
        stall_start = time.monotonic()
        time.sleep(0.8)
        stall_end = time.monotonic()
        release.set()
        time.sleep(0.6)
    finally:
        loop.stop()
        runner.join(2)
    messages = [m for _, m in notify_socket.messages]
    assert messages[0] == "READY=1\nSTATUS=home screen shown"
    before = notify_socket.pings_between(0, healthy_end)
    during = notify_socket.pings_between(stall_start, stall_end)
    after = notify_socket.pings_between(stall_end + 0.1, time.monotonic())
    assert before >= 3, messages
    assert during == 0, messages
    assert after >= 3, messages
    # The tick after the stall is reported as unhealthy, then healthy again.
    unhealthy = [i for i, m in enumerate(messages) if m.startswith("STATUS=unhealthy: a tick took")]
    assert len(unhealthy) == 1, messages
    assert "STATUS=home screen shown" in messages[unhealthy[0] + 1 :]


def test_pings_are_rate_limited_to_half_the_watchdog_interval(notify_socket):
    step = WatchdogStep(Notifier.from_env(), interval_s=1.0, max_gap_s=10)
    for i in range(101):  # ten simulated seconds at 10 Hz
        step(i / 10)
    assert wait_for(lambda: len(notify_socket.messages) >= 22)
    time.sleep(0.05)
    pings = [m for _, m in notify_socket.messages if m == "WATCHDOG=1"]
    assert len(pings) == 21  # t = 0, 0.5, 1.0, ... 10.0


def test_a_failing_health_check_stops_pings(notify_socket):
    last_camera_frame = [0.0]
    check = heartbeat_check("camera thread", lambda: last_camera_frame[0], max_age_s=1.0)
    step = WatchdogStep(Notifier.from_env(), interval_s=0.5, max_gap_s=10, checks=[check])
    for i in range(25):  # 3 s at 8 Hz; the camera thread went silent at 0
        step(i * 0.125)
    assert step.unhealthy_reason is not None and "camera thread silent" in step.unhealthy_reason
    assert wait_for(lambda: any("camera thread" in m for _, m in notify_socket.messages))
    time.sleep(0.05)
    pings = [m for _, m in notify_socket.messages if m == "WATCHDOG=1"]
    assert len(pings) == 5  # 0, 0.25, 0.5, 0.75, 1.0 s; none once the camera is silent for over 1 s
