"""Delivery without loss or duplicates: folder targets on real folders, WebDAV against a real loopback server."""

import contextlib
import os
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.summary.delivery import FolderTarget, WebDavTarget, deliver_pass
from kiosk.summary.outbox import Outbox, backoff
from tests.summary.davserver import PASSWORD, USER, CutProxy, dav_server

T0 = datetime(2026, 11, 9, 20, 0, tzinfo=UTC)
BASE, CAP = timedelta(minutes=1), timedelta(hours=6)
FILES = {"a_summary.json.fcsum": os.urandom(40_000), "a_summary.pdf.fcsum": os.urandom(120_000)}


@pytest.fixture
def outbox(fresh_store, tmp_path):
    box = Outbox(fresh_store, tmp_path / "outbox")
    for name, data in FILES.items():
        box.add(name, name.split(".")[1], data, T0)
    return box


def visible(folder):
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def assert_all_delivered_once(folder):
    assert visible(folder) == sorted(FILES)
    for name, data in FILES.items():
        assert (folder / name).read_bytes() == data


def test_backoff_doubles_up_to_the_cap():
    assert [backoff(n, BASE, CAP) for n in (1, 2, 3, 4)] == [BASE, 2 * BASE, 4 * BASE, 8 * BASE]
    assert backoff(30, BASE, CAP) == CAP


def test_outbox_file_is_written_0600_and_names_are_idempotent(outbox, fresh_store):
    first = outbox.get("a_summary.json.fcsum")
    assert oct(first.path.stat().st_mode & 0o777) == "0o600"
    again = outbox.add("a_summary.json.fcsum", "json", b"other bytes", T0)
    assert again.id == first.id and outbox.read(again) == FILES["a_summary.json.fcsum"]
    assert fresh_store.db["outbox"].count == 2


def test_folder_target_delivers_and_outbox_empties(outbox, tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    report = deliver_pass(outbox, FolderTarget(share), T0, BASE, CAP)
    assert report.ok and sorted(report.delivered) == sorted(FILES)
    assert_all_delivered_once(share)
    assert outbox.pending() == [] and not any((tmp_path / "outbox").iterdir())


def test_missing_folder_keeps_everything_and_backs_off(outbox, tmp_path):
    report = deliver_pass(outbox, FolderTarget(tmp_path / "usb-stick-not-plugged-in"), T0, BASE, CAP)
    assert len(report.failed) == 2 and "is not there" in report.failed[0][1]
    item = outbox.get("a_summary.json.fcsum")
    assert item.attempts == 1 and item.path.exists() and item.last_error
    assert datetime.fromisoformat(item.next_attempt_at) == T0 + BASE
    assert deliver_pass(outbox, FolderTarget(tmp_path), T0 + timedelta(seconds=30), BASE, CAP).waiting


@contextlib.contextmanager
def mounted_tmpfs(path, options):
    """A real small or read-only file system (needs root); skipped where mounting is not allowed."""
    path.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a test file system needs root")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True).returncode:
        pytest.skip("mount is not allowed here")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=False)


def test_read_only_folder_is_reported_and_nothing_lost(outbox, tmp_path):
    with mounted_tmpfs(tmp_path / "ro", "ro,size=1m") as ro:
        report = deliver_pass(outbox, FolderTarget(ro), T0, BASE, CAP)
    assert len(report.failed) == 2 and "cannot be written" in report.failed[0][1]
    assert len(outbox.pending()) == 2 and all(i.path.exists() for i in outbox.pending())


def test_full_folder_is_reported_then_recovers(outbox, tmp_path):
    with mounted_tmpfs(tmp_path / "small", "size=64k") as small:
        report = deliver_pass(outbox, FolderTarget(small), T0, BASE, CAP)
        assert [n for n, *_ in report.failed] == ["a_summary.pdf.fcsum"]  # 120 kB does not fit in 64 kB
        assert "is full" in report.failed[0][1]
        assert visible(small) == ["a_summary.json.fcsum"] and not list(small.glob(".*partial"))
    assert [i.name for i in outbox.pending()] == ["a_summary.pdf.fcsum"]
    bigger = tmp_path / "bigger"
    bigger.mkdir()
    (bigger / "a_summary.json.fcsum").write_bytes(FILES["a_summary.json.fcsum"])
    assert deliver_pass(outbox, FolderTarget(bigger), T0 + CAP, BASE, CAP).ok
    assert_all_delivered_once(bigger)


def test_webdav_delivers_and_confirms(outbox, tmp_path):
    root = tmp_path / "dav"
    root.mkdir()
    with dav_server(root) as server:
        report = deliver_pass(outbox, WebDavTarget(server.url, USER, PASSWORD), T0, BASE, CAP)
    assert report.ok and outbox.pending() == []
    assert_all_delivered_once(root)


def test_webdav_down_then_up(outbox, tmp_path):
    root = tmp_path / "dav"
    root.mkdir()
    with dav_server(root) as server:
        port = server.port
    down = WebDavTarget(f"http://127.0.0.1:{port}/", USER, PASSWORD, timeout=3)
    report = deliver_pass(outbox, down, T0, BASE, CAP)
    assert len(report.failed) == 2 and "did not answer" in report.failed[0][1]
    report = deliver_pass(outbox, down, T0 + 2 * BASE, BASE, CAP)  # still down: the wait doubles
    assert datetime.fromisoformat(outbox.get("a_summary.pdf.fcsum").next_attempt_at) == T0 + 4 * BASE
    with dav_server(root) as server:
        report = deliver_pass(outbox, WebDavTarget(server.url, USER, PASSWORD), T0 + 4 * BASE, BASE, CAP)
    assert report.ok and len(report.delivered) == 2
    assert_all_delivered_once(root)


def test_webdav_wrong_password_then_right(outbox, tmp_path):
    root = tmp_path / "dav"
    root.mkdir()
    with dav_server(root) as server:
        report = deliver_pass(outbox, WebDavTarget(server.url, USER, "wrong"), T0, BASE, CAP)
        assert len(report.failed) == 2 and "user name or password" in report.failed[0][1]
        assert visible(root) == []
        assert deliver_pass(outbox, WebDavTarget(server.url, USER, PASSWORD), T0 + BASE, BASE, CAP).ok
    assert_all_delivered_once(root)


def test_webdav_full_then_space_freed(outbox, tmp_path):
    root = tmp_path / "dav"
    root.mkdir()
    with dav_server(root, quota_bytes=100_000) as server:
        target = WebDavTarget(server.url, USER, PASSWORD)
        report = deliver_pass(outbox, target, T0, BASE, CAP)
        assert [n for n, *_ in report.failed] == ["a_summary.pdf.fcsum"] and "full" in report.failed[0][1]
        assert outbox.get("a_summary.pdf.fcsum").path.exists()
        server.quota.quota_bytes = 10_000_000  # the therapist frees space
        assert deliver_pass(outbox, target, T0 + BASE, BASE, CAP).ok
    assert_all_delivered_once(root)


def test_webdav_upload_cut_halfway_then_recovers_without_duplicates(outbox, tmp_path):
    root = tmp_path / "dav"
    root.mkdir()
    with dav_server(root) as server:
        proxy = CutProxy(server.port, cut_after=60_000)  # the 120 kB file is cut mid-body
        try:
            target = WebDavTarget(proxy.url, USER, PASSWORD, timeout=5)
            report = deliver_pass(outbox, target, T0, BASE, CAP)
            assert [n for n, *_ in report.failed] == ["a_summary.pdf.fcsum"] and proxy.cuts >= 1
            assert "a_summary.pdf.fcsum" not in visible(root)  # never half a file under the real name
            assert outbox.get("a_summary.pdf.fcsum").path.exists()
            proxy.cut_after = None  # the line is good again
            assert deliver_pass(outbox, target, T0 + BASE, BASE, CAP).ok
        finally:
            proxy.stop()
    assert_all_delivered_once(root)
    assert outbox.pending() == []


def test_retrying_a_delivered_name_overwrites_instead_of_duplicating(tmp_path):
    root = tmp_path / "dav"
    root.mkdir()
    with dav_server(root) as server:
        target = WebDavTarget(server.url, USER, PASSWORD)
        target.put("same.fcsum", b"one")
        target.put("same.fcsum", b"one")  # a retry after a lost confirmation
    assert visible(root) == ["same.fcsum"]


def test_every_upload_attempt_writes_a_part_file_of_its_own(tmp_path, monkeypatch):
    """A cut upload the server finishes writing late must not land in the next attempt's part file
    (seen once in CI: the next attempt's rename then moved the cut copy; the GET check caught it)."""
    root = tmp_path / "dav"
    root.mkdir()
    with dav_server(root) as server:
        target = WebDavTarget(server.url, USER, PASSWORD)
        puts = []
        request = target._request

        def recording(method, path, body=None, headers=None):
            if method == "PUT":
                puts.append(path)
            return request(method, path, body, headers)

        monkeypatch.setattr(target, "_request", recording)
        target.put("same.fcsum", b"one")
        target.put("same.fcsum", b"two")
    assert len(set(puts)) == 2 and all(p.endswith(".part") and "/.same.fcsum." in p for p in puts), puts
    assert visible(root) == ["same.fcsum"] and (root / "same.fcsum").read_bytes() == b"two"
    assert not [p for p in root.iterdir() if p.name.endswith(".part")], "no part file left behind"
