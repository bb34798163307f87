"""Standard photos only with consent: sealed to the therapist, kept during a baseline session, deleted on withdrawal."""

# ruff: noqa: F811  (the kiosk fixture comes from tests/test_kiosk_flow.py)

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from nacl.public import PrivateKey, SealedBox
from nacl.signing import SigningKey

from kiosk.baseline_store import record_due
from kiosk.events import VoiceCommand
from kiosk.photo_capture import PhotoStep
from kiosk.photos import PhotoError, consent_given, keep_photo, set_consent, stored_photos
from tests.test_baseline import NOV3, add_session
from tests.test_kiosk_flow import NOW, advance, kiosk  # noqa: F401  (the fixture: the whole kiosk on the fakes)
from tests.test_kiosk_stimulation import unlock_caregiver

THERAPIST = SigningKey.generate()


def opened(path):
    """What the therapist reads from a sealed photo (with the private key only they have)."""
    private = PrivateKey(THERAPIST.to_curve25519_private_key().encode())
    return SealedBox(private).decrypt(path.read_bytes())


def with_camera(k, folder, therapist=THERAPIST.verify_key, every_weeks=None):
    """The kiosk's camera gives a picture whose brightness is the tick number (to tell pictures apart)."""
    ticks = iter(range(10**6))
    k.movement.preview = lambda: (np.full((24, 32, 3), next(ticks) % 250, dtype=np.uint8), None)
    k.loop.add_step("photos", PhotoStep(k, folder, lambda: therapist, lambda: every_weeks))


def run_session(k):
    k.events.put(VoiceCommand(at=k.loop.clock.t, intent="start_session"))
    k.loop.tick()
    assert advance(k, 400, until=lambda k: k.mode == "summary")
    advance(k, 0.2)


def test_with_consent_the_baseline_session_keeps_one_sealed_still_per_view(kiosk, tmp_path):
    set_consent(kiosk.store, tmp_path, True, "touch", NOW)
    with_camera(kiosk, tmp_path)
    run_session(kiosk)
    photos = stored_photos(kiosk.store, tmp_path)
    assert [p.view for p in photos] == ["neutral", "brow_lift", "closed_smile"]
    for photo in photos:
        data = photo.path.read_bytes()
        assert not data.startswith(b"\x89PNG")  # never stored in the clear
        assert opened(photo.path).startswith(b"\x89PNG")
        assert photo.path.stat().st_mode & 0o077 == 0
    session_id = next(iter(kiosk.store.db["sessions"].rows))["id"]
    assert {p.session_id for p in photos} == {session_id}


def test_without_consent_or_without_a_therapist_key_nothing_is_kept(kiosk, tmp_path):
    with_camera(kiosk, tmp_path)
    run_session(kiosk)
    assert stored_photos(kiosk.store, tmp_path) == [] and list(tmp_path.iterdir()) == []
    with pytest.raises(PhotoError, match="no consent"):
        keep_photo(kiosk.store, tmp_path, THERAPIST.verify_key, 1, "neutral", b"png", NOW)
    set_consent(kiosk.store, tmp_path, True, "touch", NOW)
    with pytest.raises(PhotoError, match="No therapist key"):
        keep_photo(kiosk.store, tmp_path, None, 1, "neutral", b"png", NOW)


def test_a_session_that_is_not_a_baseline_keeps_no_photos(kiosk, tmp_path):
    add_session(kiosk.store, NOV3, {"brow_lift": (2.0, 8.0, 20.0, 80.0)})
    record_due(kiosk.store, None, NOV3 + timedelta(hours=1))
    set_consent(kiosk.store, tmp_path, True, "touch", NOW)
    with_camera(kiosk, tmp_path, every_weeks=4)  # the baseline of 3 November is less than 4 weeks old
    run_session(kiosk)
    assert stored_photos(kiosk.store, tmp_path) == []


def test_withdrawing_consent_deletes_every_photo_file(kiosk, tmp_path):
    set_consent(kiosk.store, tmp_path, True, "touch", NOW)
    with_camera(kiosk, tmp_path)
    run_session(kiosk)
    files = [p.path for p in stored_photos(kiosk.store, tmp_path)]
    stray = tmp_path / "20261121T100000-9-neutral.sealed"  # a file whose row a power cut lost
    stray.write_bytes(b"sealed")
    assert len(files) == 3 and all(f.exists() for f in files)
    assert set_consent(kiosk.store, tmp_path, False, "touch", NOW + timedelta(minutes=5)) == 4
    assert not any(f.exists() for f in files) and not stray.exists() and list(tmp_path.iterdir()) == []
    assert stored_photos(kiosk.store, tmp_path) == [] and not consent_given(kiosk.store)
    kinds = [r["kind"] for r in kiosk.store.db["event_log"].rows]
    assert "standard_photos_deleted" in kinds
    consents = [(r["given"], r["via"]) for r in kiosk.store.db["photo_consent"].rows]
    assert consents == [(1, "touch"), (0, "touch")]  # both kept: when it was given and when withdrawn


def test_consent_is_a_touch_behind_the_pin_and_withdrawing_it_deletes_the_photos(kiosk, tmp_path):
    kiosk.photo_dir = tmp_path
    kiosk.act("caregiver", kiosk.loop.clock.t, via="touch")
    kiosk.act("photo_consent", kiosk.loop.clock.t, via="touch")  # locked: nothing happens
    assert not consent_given(kiosk.store)
    kiosk.act("home", kiosk.loop.clock.t, via="touch")
    unlock_caregiver(kiosk)
    advance(kiosk, 0.2)
    assert "Photos: off" in kiosk.painter.all_words()
    kiosk.act("photo_consent", kiosk.loop.clock.t, via="voice")  # never by voice
    assert not consent_given(kiosk.store)
    kiosk.act("photo_consent", kiosk.loop.clock.t, via="touch")
    advance(kiosk, 0.2)
    assert consent_given(kiosk.store) and "Photos: on" in kiosk.painter.all_words()
    assert "never shown" in kiosk.caregiver.message
    kiosk.act("home", kiosk.loop.clock.t, via="touch")
    with_camera(kiosk, tmp_path)
    run_session(kiosk)
    files = [p.path for p in stored_photos(kiosk.store, tmp_path)]
    assert len(files) == 3
    kiosk.act("home", kiosk.loop.clock.t, via="touch")  # the summary -> the two questions
    kiosk.act("home", kiosk.loop.clock.t, via="touch")  # Not now
    unlock_caregiver(kiosk)
    kiosk.act("photo_consent", kiosk.loop.clock.t, via="touch")
    assert kiosk.caregiver.message == "Photos off. 3 stored photos were deleted."
    assert not any(f.exists() for f in files) and not consent_given(kiosk.store)


def test_the_summary_lists_the_photo_dates_attaches_them_sealed_and_forgets_them_after_withdrawal(kiosk, tmp_path):
    from kiosk.summary.crypto import open_container
    from kiosk.summary.json_out import schema_problems
    from kiosk.summary.model import Period
    from kiosk.summary.photo_pack import photo_attachments
    from kiosk.summary.service import build_from_store

    device = SigningKey.generate()
    set_consent(kiosk.store, tmp_path, True, "touch", NOW)
    with_camera(kiosk, tmp_path)
    run_session(kiosk)
    day = NOW.date()
    summary, _ = build_from_store(kiosk.store, day, day, NOW + timedelta(hours=1), device, THERAPIST.verify_key)
    assert schema_problems(summary) == []
    listed = summary["progress"]["photos"]
    assert [p["view"] for p in listed] == ["neutral", "brow_lift", "closed_smile"]
    assert all(p["taken_at"].startswith("2026-11-21") for p in listed)
    period = Period(day, day)
    packed = photo_attachments(kiosk.store, tmp_path, period, NOW + timedelta(hours=1), device, THERAPIST.verify_key)
    assert [p.kind for p in packed] == ["photo"] * 3
    inner = open_container(packed[0].data, THERAPIST, device.verify_key)
    assert inner.was_sealed and inner.payload == stored_photos(kiosk.store, tmp_path)[0].path.read_bytes()
    assert opened(stored_photos(kiosk.store, tmp_path)[0].path).startswith(b"\x89PNG")
    assert photo_attachments(kiosk.store, tmp_path, period, NOW, device, None) == []  # never unsealed
    set_consent(kiosk.store, tmp_path, False, "touch", NOW + timedelta(hours=2))
    summary, _ = build_from_store(kiosk.store, day, day, NOW + timedelta(hours=3), device, THERAPIST.verify_key)
    assert summary["progress"]["photos"] == []
    assert photo_attachments(kiosk.store, tmp_path, period, NOW, device, THERAPIST.verify_key) == []
