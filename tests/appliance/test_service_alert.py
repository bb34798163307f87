"""`facecoach service-alert`: the OnFailure= action alerts the caregiver over a real HTTP server."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.store import DB_NAME, Store


class NtfyStandIn(BaseHTTPRequestHandler):
    """Records each POST like an ntfy server would receive it."""

    received: list[dict[str, str]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.received.append({"path": self.path, "title": self.headers["Title"], "body": body})
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def ntfy_server():
    NtfyStandIn.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), NtfyStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/facecoach", NtfyStandIn.received
    server.shutdown()
    server.server_close()


def settings_file(folder: Path, caregiver: str) -> Path:
    path = folder / "settings.toml"
    path.write_text(f'[storage]\ndata_dir = "{folder / "data"}"\n\n[caregiver]\n{caregiver}\n')
    return path


def logged_failures(folder: Path) -> list[dict]:
    store = Store.open(folder / "data" / DB_NAME)
    try:
        return list(store.db["event_log"].rows_where("kind = 'service_failed'"))
    finally:
        store.close()


def test_the_caregiver_is_alerted_when_the_kiosk_unit_fails(isolated_home, ntfy_server, capsys):
    url, received = ntfy_server
    config = settings_file(isolated_home, f'ntfy_url = "{url}"')
    assert main(["service-alert", "facecoach.service", "--config", str(config)]) == 0
    assert len(received) == 1
    assert received[0]["path"] == "/facecoach"
    assert received[0]["title"] == "FaceCoach stopped"
    assert "Stimulation is off" in received[0]["body"] and "facecoach.service" in received[0]["body"]
    assert "caregiver was alerted" in capsys.readouterr().out
    assert len(logged_failures(isolated_home)) == 1


def test_without_alert_channels_the_failure_is_still_logged(isolated_home, capsys):
    config = settings_file(isolated_home, "")
    assert main(["service-alert", "facecoach.service", "--config", str(config)]) == 1
    assert "No caregiver alert is set up" in capsys.readouterr().out
    assert len(logged_failures(isolated_home)) == 1


def test_an_unreachable_server_leaves_the_alert_queued(isolated_home, capsys):
    config = settings_file(isolated_home, 'ntfy_url = "http://127.0.0.1:9/facecoach"')
    assert main(["service-alert", "facecoach.service", "--config", str(config)]) == 1
    assert "the kiosk retries" in capsys.readouterr().out
    store = Store.open(isolated_home / "data" / DB_NAME)
    try:
        waiting = list(store.db["caregiver_alerts"].rows_where("delivered_at is null"))
    finally:
        store.close()
    assert len(waiting) == 1 and waiting[0]["last_error"]
