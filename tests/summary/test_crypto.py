"""Signing, verifying, tampering and sealing of summary containers (PyNaCl, real keys)."""

import os
import stat

import pytest
from nacl.signing import SigningKey

from kiosk.summary.crypto import SummaryCryptoError, load_or_create_device_key, open_container, seal

PAYLOAD = b'{"adherence": 1}'
META = {"name": "x.json.fcsum", "kind": "json"}


@pytest.fixture
def device():
    return SigningKey.generate()


def test_device_key_is_created_once_with_mode_0600(tmp_path):
    key = load_or_create_device_key(tmp_path / "keys")
    again = load_or_create_device_key(tmp_path / "keys")
    assert key.encode() == again.encode()
    assert stat.S_IMODE(os.stat(tmp_path / "keys" / "device_ed25519.key").st_mode) == 0o600


def test_signed_container_verifies_and_pins(device):
    opened = open_container(seal(PAYLOAD, META, device, None), device=device.verify_key)
    assert opened.payload == PAYLOAD and opened.meta["kind"] == "json" and opened.signer_pinned
    assert not opened.was_sealed


@pytest.mark.parametrize("where", [-1, -len(PAYLOAD) - 5, 60])
def test_any_changed_byte_is_caught(device, where):
    data = bytearray(seal(PAYLOAD, META, device, None))
    data[where] ^= 0x01
    with pytest.raises(SummaryCryptoError):
        open_container(bytes(data))


def test_other_device_key_is_refused_when_pinned(device):
    with pytest.raises(SummaryCryptoError, match="different device"):
        open_container(seal(PAYLOAD, META, device, None), device=SigningKey.generate().verify_key)


def test_resigned_by_an_attacker_fails_the_pin(device):
    attacker = SigningKey.generate()
    forged = seal(b'{"adherence": 100}', META, attacker, None)
    assert open_container(forged).payload  # self-consistent, but ...
    with pytest.raises(SummaryCryptoError):
        open_container(forged, device=device.verify_key)  # ... not from the trusted device


def test_sealed_container_needs_the_therapist_key(device):
    therapist = SigningKey.generate()
    data = seal(PAYLOAD, META, device, therapist.verify_key)
    assert PAYLOAD not in data and b"adherence" not in data
    with pytest.raises(SummaryCryptoError, match="encrypted"):
        open_container(data)
    with pytest.raises(SummaryCryptoError, match="decrypt"):
        open_container(data, therapist=SigningKey.generate())
    opened = open_container(data, therapist=therapist, device=device.verify_key)
    assert opened.payload == PAYLOAD and opened.was_sealed


def test_truncated_sealed_file_is_refused(device):
    therapist = SigningKey.generate()
    data = seal(PAYLOAD, META, device, therapist.verify_key)
    with pytest.raises(SummaryCryptoError):
        open_container(data[:-10], therapist=therapist)


def test_not_a_summary():
    with pytest.raises(SummaryCryptoError, match="not a FaceCoach summary"):
        open_container(b"%PDF-1.4 ...")
