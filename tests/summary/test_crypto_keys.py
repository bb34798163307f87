"""The device key is written whole or not at all (a full disk once left an empty key behind)."""

import errno

import pytest

from kiosk.summary import crypto


def test_a_failed_write_leaves_no_device_key_and_the_next_start_makes_one(tmp_path, monkeypatch):
    real_fdopen = crypto.os.fdopen

    class FullDisk:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, text):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(crypto.os, "fdopen", lambda fd, *a, **k: FullDisk(real_fdopen(fd, *a, **k)))
    with pytest.raises(OSError):
        crypto.load_or_create_device_key(tmp_path / "keys")
    assert list((tmp_path / "keys").iterdir()) == [], "no half-written key, no temporary file"
    monkeypatch.undo()
    key = crypto.load_or_create_device_key(tmp_path / "keys")
    assert crypto.load_or_create_device_key(tmp_path / "keys").encode() == key.encode()
