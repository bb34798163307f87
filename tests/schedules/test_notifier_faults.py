"""The caregiver notifier never dies and never hangs: stalling, refusing and failing servers, a broken store."""

import socket
import sqlite3
import threading
import time
from datetime import UTC, datetime

import pytest

from schedules.notifier import CaregiverNotifier, NotifierThread
from tests.schedules.helpers import utc
from tests.schedules.test_notifier import NtfyServer, first_body, free_port

NOW = utc(2026, 7, 1, 7, 15)


class Trickle:
    """A server that accepts, then answers one byte every 2 s for ever (the issue's stalling server)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn) -> None:
        with conn:
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok":
                if self.stop.wait(2.0):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def test_a_server_trickling_one_byte_every_2_s_is_cut_at_the_deadline(fresh_store):
    server = Trickle()
    try:
        notifier = CaregiverNotifier(fresh_store, ntfy_url=f"http://127.0.0.1:{server.port}/t", timeout_s=3.0)
        notifier.alert("missed", "Eye care missed", "m", NOW)
        started = time.monotonic()
        assert notifier.deliver_due(NOW).failed == 1
        assert time.monotonic() - started < 4.5, "the whole attempt ends at its 3 s deadline"
        assert "did not answer within 3 s" in notifier.status().last_error
    finally:
        server.close()


@pytest.mark.parametrize("answer", ["refuse", "500"])
def test_refused_and_500_are_recorded_retried_and_shown(fresh_store, answer):
    port = free_port()
    server = None
    if answer == "500":
        server = NtfyServer(port)
        server.httpd.RequestHandlerClass.do_POST = lambda self: (self.send_response(500), self.end_headers())
    try:
        notifier = CaregiverNotifier(fresh_store, ntfy_url=f"http://127.0.0.1:{port}/t", timeout_s=1.0)
        notifier.alert("missed", "t", "m", NOW)
        assert notifier.deliver_due(NOW).failed == 1
        status = notifier.status()
        assert not status.ok and status.waiting == 1 and status.failing == 1
        expected = "answered 500" if answer == "500" else "could not be reached"
        assert expected in status.last_error
        row = next(fresh_store.db["caregiver_alerts"].rows)
        assert row["attempts"] == 1 and row["next_attempt_at"] == "2026-07-01T07:15:30+00:00", "back-off"
    finally:
        if server is not None:
            server.close()


@pytest.mark.slow
def test_a_stalled_server_never_holds_back_the_local_command(fresh_store, tmp_path):
    server = Trickle()
    out = tmp_path / "alerts.txt"
    notifier = CaregiverNotifier(
        fresh_store,
        ntfy_url=f"http://127.0.0.1:{server.port}/t",
        command=f'sh -c \'printf "%s" "$1" >> {out}\' alert',
        timeout_s=4.0,
    )
    thread = NotifierThread(notifier, period_s=0.2)
    thread.start()
    try:
        notifier.alert("missed", "Eye care missed", "The drops at 08:00 were missed.", datetime.now(UTC))
        deadline = time.monotonic() + 3
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert out.read_text() == "Eye care missed: The drops at 08:00 were missed.", "the command ran at once"
        assert thread.alive()
    finally:
        thread.close()
        server.close()


def test_the_worker_survives_database_errors_and_says_so(fresh_store, monkeypatch):
    server = NtfyServer(free_port())
    notifier = CaregiverNotifier(fresh_store, ntfy_url=f"http://127.0.0.1:{server.httpd.server_port}/t")
    calls = {"n": 0}
    real = notifier.deliver_due

    def flaky(now, channel=None):
        calls["n"] += 1
        if calls["n"] <= 2:
            raise sqlite3.OperationalError("database is locked")
        return real(now, channel)

    monkeypatch.setattr(notifier, "deliver_due", flaky)
    thread = NotifierThread(notifier, period_s=0.1)
    thread.start()
    try:
        time.sleep(0.05)
        assert "database is locked" in notifier.status().worker_error
        notifier.alert("missed", "t", "after the error", datetime.now(UTC))
        assert first_body(server) == "after the error", "the worker carried on"
        assert thread.alive() and notifier.status().worker_error == ""
    finally:
        thread.close()
        server.close()


def test_an_alert_the_store_refuses_is_sent_from_memory_and_stored_later(fresh_store, tmp_path, monkeypatch):
    out = tmp_path / "alerts.txt"
    notifier = CaregiverNotifier(fresh_store, command=f'sh -c \'printf "%s" "$1" >> {out}\' alert')
    real_write = fresh_store.write
    monkeypatch.setattr(
        fresh_store, "write", lambda: (_ for _ in ()).throw(sqlite3.OperationalError("database or disk is full"))
    )
    notifier.alert("storage", "Kiosk storage needs help", "disk full", NOW)
    assert notifier.deliver_due(NOW).delivered == 1
    assert out.read_text() == "Kiosk storage needs help: disk full", "sent although nothing could be stored"
    assert fresh_store.db["caregiver_alerts"].count == 0 and notifier.status().unsaved == 1
    monkeypatch.setattr(fresh_store, "write", real_write)
    notifier.deliver_due(NOW)
    rows = list(fresh_store.db["caregiver_alerts"].rows)
    assert len(rows) == 1 and rows[0]["delivered_at"] and notifier.status().ok
    assert out.read_text() == "Kiosk storage needs help: disk full", "sent once only"


def test_phone_alerts_set_up_while_the_kiosk_runs_are_delivered(fresh_store):
    notifier = CaregiverNotifier(fresh_store)  # nothing set up when the kiosk started
    thread = NotifierThread(notifier, period_s=0.1)
    thread.start()
    server = NtfyServer(free_port())
    try:
        notifier.ntfy_url = f"http://127.0.0.1:{server.httpd.server_port}/t"  # set up on the caregiver screen
        notifier.alert("missed", "t", "after the set-up", datetime.now(UTC))
        assert first_body(server) == "after the set-up"
    finally:
        thread.close()
        server.close()
