"""Issue 23 end to end through the real Kiosk (on the fakes, clock passed in): a baseline stored by
one session is what a later session's progress sentence and the therapist's summary (JSON, PDF,
FHIR) compare with; standard photos with consent off, on and withdrawn, checked in the PDF and FHIR."""

# ruff: noqa: F811  (the kiosk fixture comes from tests/test_kiosk_flow.py)

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pygame
import pytest
from nacl.signing import SigningKey

from kiosk.app import Kiosk
from kiosk.baseline_store import BaselineStep, baselines
from kiosk.devices.factory import build_devices
from kiosk.events import KeyPressed, VoiceCommand
from kiosk.photos import photo_folder, set_consent, stored_photos
from kiosk.session.steps import Measurement, SessionPlan
from kiosk.settings import Settings
from kiosk.summary.fhir_out import to_fhir_bundle
from kiosk.summary.pdf_out import to_pdf_bytes
from kiosk.summary.service import build_from_store
from tests.summary.test_outputs import need
from tests.test_kiosk_flow import NOW, Clock, SteadyMovement, advance, kiosk  # noqa: F401
from tests.test_session_flow import BROW, SMILE
from tests.test_standard_photos import THERAPIST, with_camera

LONDON = ZoneInfo("Europe/London")
DEVICE = SigningKey(bytes(range(32)))
PLAN = SessionPlan((BROW, SMILE), plan_version=3)


class LevelMovement(SteadyMovement):
    """The camera stand-in of the kiosk tests, seeing each side move by the % set in ``level``."""

    def __init__(self) -> None:
        super().__init__()
        self.level = (20.0, 40.0)

    def latest(self, now, phase):
        return Measurement(usable=True, left_pct=self.level[0], right_pct=self.level[1])


def run_session(k) -> None:
    k.events.put(VoiceCommand(at=k.loop.clock.t, intent="start_session"))
    k.loop.tick()
    assert advance(k, 600, until=lambda k: k.mode == "summary")
    k.events.put(VoiceCommand(at=k.loop.clock.t, intent="stop"))  # leave the summary: questions kept unanswered
    advance(k, 0.2)
    assert k.mode == "home"


def pdf_text(summary: dict, tmp_path) -> str:
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(to_pdf_bytes(summary))
    out = subprocess.run([need("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def summary_of(store, day, now, attached=False) -> dict:
    summary, _ = build_from_store(
        store, day - timedelta(days=6), day, now, DEVICE, THERAPIST.verify_key, photos_attached=attached
    )
    return summary


def of(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def level_kiosk(store, wall: list[datetime], every_weeks: int | None) -> tuple[Kiosk, LevelMovement]:
    """The real Kiosk on the fakes with the loop's baseline step (as kiosk/run.py adds it)."""
    movement = LevelMovement()
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    devices = build_devices(Settings(), "fake")
    k = Kiosk(Settings(), None, devices, store, surface, lambda: PLAN, movement=movement, wall_clock=lambda: wall[0])
    k.loop.clock = Clock()
    k.loop.add_step("baseline", BaselineStep(store, lambda: every_weeks, k.wall_clock, every_s=1.0))
    return k, movement


def test_the_baseline_a_session_stores_is_what_a_later_session_is_compared_with(fresh_store, tmp_path):
    wall = [datetime(2026, 11, 3, 10, 0, tzinfo=LONDON)]
    k, movement = level_kiosk(fresh_store, wall, None)
    devices = k.devices
    try:
        run_session(k)  # day 0: left 20 %, right 40 %
        advance(k, 2)
        (base,) = baselines(fresh_store)
        assert base.at.date().isoformat() == "2026-11-03" and base.reason == "first"
        wall[0] = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
        movement.level = (40.0, 40.0)  # three weeks later the left side moves twice as far
        run_session(k)
        advance(k, 2)
        assert len(baselines(fresh_store)) == 1  # the plan asks for no new one
        k.events.put(KeyPressed(at=k.loop.clock.t, key="p"))
        advance(k, 0.2)
        assert k.mode == "progress"
        assert "Closed smile: your left side moves about twice as far as on 3 November." in k.baseline_lines
    finally:
        devices.close()
        pygame.quit()
    now = wall[0] + timedelta(hours=2)
    summary = summary_of(fresh_store, now.date(), now)
    (smile,) = [c for c in summary["progress"]["baseline_to_now"] if c["exercise"] == "closed_smile"]
    assert smile["baseline_session_id"] == base.session_id
    assert [(s["side"], s["unit"], s["baseline"], s["now"], s["ratio"]) for s in smile["sides"]] == [
        ("left", "pct", 20.0, 40.0, 2.0),
        ("right", "pct", 40.0, 40.0, 1.0),
    ]
    assert "Closed smile: your left side moves about twice as far as on 3 November." in pdf_text(summary, tmp_path)
    bundle = to_fhir_bundle(summary)
    changes = [o for o in of(bundle, "Observation") if o["code"]["coding"][0]["code"] == "closed_smile.baseline-change"]
    left = next(o for o in changes if o["bodySite"]["coding"][0]["code"] == "7771000")
    assert left["valueQuantity"]["value"] == 2.0
    (baseline_ref,) = left["derivedFrom"]
    (baseline_obs,) = [o for o in of(bundle, "Observation") if f"Observation/{o['id']}" == baseline_ref["reference"]]
    assert baseline_obs["effectiveDateTime"].startswith("2026-11-03") and baseline_obs["valueQuantity"]["value"] == 20.0


def test_without_consent_no_photo_is_kept_and_neither_pdf_nor_fhir_mentions_one(kiosk, tmp_path):
    kiosk.session_plan = lambda: PLAN
    with_camera(kiosk, tmp_path)
    run_session(kiosk)
    assert stored_photos(kiosk.store, tmp_path) == []
    summary = summary_of(kiosk.store, NOW.date(), NOW + timedelta(hours=1), attached=True)
    assert summary["progress"]["photos"] == []
    assert of(to_fhir_bundle(summary), "DocumentReference") == []
    assert "No standard photos were taken in this period." in pdf_text(summary, tmp_path)


def test_consent_given_then_withdrawn_shows_then_removes_the_photos_in_pdf_and_fhir(kiosk, tmp_path):
    kiosk.session_plan = lambda: PLAN
    folder = photo_folder(tmp_path)
    set_consent(kiosk.store, folder, True, "touch", NOW - timedelta(hours=1))
    with_camera(kiosk, folder)
    run_session(kiosk)
    files = [p.path for p in stored_photos(kiosk.store, folder)]
    assert len(files) == 3 and all(f.exists() for f in files)  # neutral and one per exercise
    summary = summary_of(kiosk.store, NOW.date(), NOW + timedelta(hours=1), attached=True)
    docs = of(to_fhir_bundle(summary), "DocumentReference")
    assert sorted(d["type"]["text"] for d in docs) == [
        "Standard photo: brow_lift",
        "Standard photo: closed_smile",
        "Standard photo: neutral",
    ]
    assert all(d["date"].startswith("2026-11-21T10:00") for d in docs)
    assert {d["content"][0]["attachment"]["url"] for d in docs} == {
        p["attachment"] for p in summary["progress"]["photos"]
    }
    text = pdf_text(summary, tmp_path)
    assert "Standard photos (3), sent beside this summary as sealed attachments: 2026-11-21 10:00 neutral" in text
    assert set_consent(kiosk.store, folder, False, "touch", NOW + timedelta(hours=2)) == 3
    assert not any(f.exists() for f in files)
    summary = summary_of(kiosk.store, NOW.date(), NOW + timedelta(hours=3), attached=True)
    assert summary["progress"]["photos"] == [] and of(to_fhir_bundle(summary), "DocumentReference") == []
    assert "No standard photos were taken in this period." in pdf_text(summary, tmp_path)


@pytest.mark.parametrize("attached", [False, True])
def test_the_pdf_says_where_the_photos_are(kiosk, tmp_path, attached):
    kiosk.session_plan = lambda: PLAN
    set_consent(kiosk.store, tmp_path, True, "touch", NOW - timedelta(hours=1))
    with_camera(kiosk, tmp_path)
    run_session(kiosk)
    summary = summary_of(kiosk.store, NOW.date(), NOW + timedelta(hours=1), attached=attached)
    where = "sent beside this summary as sealed attachments" if attached else "kept sealed on the kiosk"
    assert f"Standard photos (3), {where}" in pdf_text(summary, tmp_path)


def test_when_the_plan_asks_for_a_new_baseline_later_sessions_are_compared_with_it(fresh_store):
    wall = [datetime(2026, 11, 3, 10, 0, tzinfo=LONDON)]
    k, movement = level_kiosk(fresh_store, wall, 2)  # the plan: a new baseline every 2 weeks
    try:
        run_session(k)
        advance(k, 2)
        wall[0] = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
        movement.level = (40.0, 40.0)
        run_session(k)
        advance(k, 2)
        assert [(b.at.date().isoformat(), b.reason) for b in baselines(fresh_store)] == [
            ("2026-11-03", "first"),
            ("2026-11-24", "every_weeks"),
        ]
        wall[0] = datetime(2026, 11, 26, 10, 0, tzinfo=LONDON)
        movement.level = (60.0, 40.0)
        run_session(k)
        k.events.put(KeyPressed(at=k.loop.clock.t, key="p"))
        advance(k, 0.2)
        # against 24 November (40 %), not 3 November: the mean of the last two weeks is (40 + 60) / 2
        assert "Closed smile: your left side moves a little further than on 24 November." in k.baseline_lines
        assert k.baseline_marks["closed_smile"].day.isoformat() == "2026-11-24"
    finally:
        k.devices.close()
        pygame.quit()
