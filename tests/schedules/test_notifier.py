"""Caregiver alerts against a real HTTP server on 127.0.0.1 that is down, slow, then up; and a real command."""

import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from schedules.notifier import CaregiverNotifier, NotifierThread
from tests.schedules.helpers import utc

NOW = utc(2026, 7, 1, 7, 15)


class NtfyServer:
    """A tiny ntfy-like server: records POSTs; 'slow' mode answers after 2 s."""

    def __init__(self, port: int) -> None:
        self.mode = "ok"
        self.received: list[tuple[dict, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server naming)
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                if outer.mode == "slow":
                    time.sleep(2.0)
                outer.received.append((dict(self.headers), body))
                try:
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b'{"id":"x"}')
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up waiting (the 'slow' case)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_body(server, seconds=5.0):
    """The body of the first message the server receives within ``seconds`` (None if none)."""
    deadline = time.monotonic() + seconds
    while not server.received and time.monotonic() < deadline:
        time.sleep(0.02)
    return server.received[0][1] if server.received else None


def rows(store):
    return list(store.db["caregiver_alerts"].rows_where(order_by="id"))


def test_down_then_slow_then_up_with_back_off(fresh_store):
    port = free_port()
    notifier = CaregiverNotifier(fresh_store, ntfy_url=f"http://127.0.0.1:{port}/facecoach", timeout_s=0.5)
    notifier.alert("missed", "Eye care missed", "The eye drops reminder at 08:00 was missed.", NOW, reminder_id=3)

    assert notifier.deliver_due(NOW).failed == 1  # down: nothing listens
    row = rows(fresh_store)[0]
    assert row["attempts"] == 1 and "could not be reached" in row["last_error"]
    assert row["next_attempt_at"] == "2026-07-01T07:15:30+00:00"
    assert notifier.problem() == "Caregiver alerts are not getting through. 1 waiting."
    assert notifier.deliver_due(NOW + timedelta(seconds=10)).failed == 0, "waits for the back-off"

    server = NtfyServer(port)
    try:
        server.mode = "slow"
        started = time.monotonic()
        assert notifier.deliver_due(NOW + timedelta(seconds=30)).failed == 1
        assert time.monotonic() - started < 1.8, "a slow server does not hold the notifier"
        row = rows(fresh_store)[0]
        assert row["attempts"] == 2 and "timed out" in row["last_error"]
        assert row["next_attempt_at"] == "2026-07-01T07:16:30+00:00", "back-off doubled to 60 s"

        server.mode = "ok"
        report = notifier.deliver_due(NOW + timedelta(minutes=2))
        assert report.delivered == 1
        headers, body = server.received[-1]
        assert body == "The eye drops reminder at 08:00 was missed."
        assert headers["Title"] == "Eye care missed" and headers["Priority"] == "5" and "eye" in headers["Tags"]
        row = rows(fresh_store)[0]
        assert row["delivered_at"] and row["last_error"] == "" and row["attempts"] == 3
        assert notifier.problem() is None
        assert notifier.deliver_due(NOW + timedelta(hours=1)) == type(report)(), "delivered once only"
    finally:
        server.close()


def test_local_command_gets_the_text_and_failures_are_recorded(fresh_store, tmp_path):
    out = tmp_path / "alerts.txt"
    command = f'sh -c \'printf "%s\\n" "$1" >> {out}\' alert'
    notifier = CaregiverNotifier(fresh_store, command=command)
    notifier.alert("unanswered", "Eye care not answered", "No answer for 15 minutes.", NOW)
    assert notifier.deliver_due(NOW).delivered == 1
    assert out.read_text() == "Eye care not answered: No answer for 15 minutes.\n"

    failing = CaregiverNotifier(fresh_store, command="sh -c 'echo broken >&2; exit 3'")
    failing.alert("missed", "Eye care missed", "x", NOW)
    assert failing.deliver_due(NOW).failed == 1
    assert "ended with code 3: broken" in rows(fresh_store)[-1]["last_error"]
    missing = CaregiverNotifier(fresh_store, command="/no/such/alert-tool")
    missing.alert("missed", "t", "m", NOW)
    assert missing.deliver_due(NOW).failed == 1 and "could not run" in rows(fresh_store)[-1]["last_error"]


def test_no_channel_is_recorded_and_shown(fresh_store):
    notifier = CaregiverNotifier(fresh_store)
    notifier.alert("missed", "t", "m", NOW)
    assert rows(fresh_store)[0]["channel"] == "none"
    assert notifier.deliver_due(NOW).delivered == 0
    assert notifier.problem() == "No caregiver alert is set up. Ask your caregiver to set one up."


@pytest.mark.slow
def test_background_thread_delivers_promptly(fresh_store):
    server = NtfyServer(free_port())
    notifier = CaregiverNotifier(fresh_store, ntfy_url=f"http://127.0.0.1:{server.httpd.server_port}/t")
    thread = NotifierThread(notifier, period_s=5.0)
    thread.start()
    try:
        notifier.alert("kiosk_off", "Kiosk was off", "From 19:40 to 23:30.", utc(2020, 1, 1))
        assert first_body(server) == "From 19:40 to 23:30."
    finally:
        thread.close()
        server.close()
