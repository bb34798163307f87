"""Three days in the life of a real kiosk, then the therapist's summary built from what it stored.

The real Kiosk (app, main loop, store on disk, reminder service, session flow and controller, slot
ledger, stimulation runner on the simulated board, the voice listener with pocketsphinx hearing WAV files of
synthesized speech) is driven with a clock the test owns: simulated
time flows 30x faster than real time while something runs (the runner has its own thread) and
jumps a minute at a time while the kiosk is idle. The script: day 1 a session done with a finished
stimulation block, drops on time, ointment acknowledged late; day 2 the morning session skipped,
drops missed, ointment on time; day 3 a session done whose block the patient stops, drops on time,
an extra session in the afternoon stopped halfway, ointment missed. On day 2 evening the therapist's
new signed plan arrives and the hourly sync installs it between sessions. On day 4 the summary of days
1-3 is built from the store and every figure is checked against the script. The late ointment of
day 1 and the drops of day 3 are answered by voice ("ointment done", "I took my drops").

Not covered here (see docs/summary.md): the camera is a scripted stand-in (4 mm left, 8 mm right),
not replayed face videos (tests/summary/test_real_faces_session.py runs a session on real faces). The new
plan is installed by the inbox as ``facecoach sync`` does; the running kiosk keeps its schedule (the kiosk
does not reload a plan while it runs).
"""

import queue
import shutil
import subprocess
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pygame
import pytest

from kiosk.app import Kiosk
from kiosk.devices.factory import build_devices
from kiosk.events import Touched
from kiosk.reminders import ReminderBridge
from kiosk.session.flow import Phase
from kiosk.session.slot_ledger import SlotLedger, SlotStep
from kiosk.session.steps import Measurement, SessionPlan, StimOffer
from kiosk.settings import Settings
from kiosk.stim_control import StimControl
from kiosk.store import Store
from kiosk.summary.builder import build_summary
from kiosk.summary.fhir_out import to_fhir_bundle
from kiosk.summary.pdf_out import to_pdf_bytes
from kiosk.summary.rows import read_rows
from schedules.plan_section import parse_schedule
from schedules.service import ReminderService
from stim_hat.prescription import DeviceLimits
from tests.test_kiosk_stimulation import PLAN as STIM_PLAN
from tests.test_kiosk_stimulation import RX, WORDS, answered_before
from tests.test_session_flow import BROW
from tests.voice import corpus

pytestmark = pytest.mark.slow
DAY1 = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)  # a Monday
RAW_PLAN = {
    "plan": {"timezone": "UTC"},
    "sessions": [{"id": "morning", "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "time": "10:00"}],
    "eye_care": {
        "eye": "left",
        "items": [
            {"id": "day_drops", "kind": "drops", "at": "12:00"},
            {"id": "night_routine", "kind": "ointment", "at": "22:00"},
        ],
    },
    "reminders": {"repeat_every_minutes": 3, "caregiver_after_minutes": 15, "catch_up_minutes": 60},
}


class SimClock:
    """Simulated seconds: flow SPEED x real time, plus jumps; the wall clock is DAY1 + simulated seconds."""

    SPEED = 30.0

    def __init__(self) -> None:
        self.real0 = time.monotonic()
        self.jumped = 0.0

    def mono(self) -> float:
        return (time.monotonic() - self.real0) * self.SPEED + self.jumped

    def wall(self) -> datetime:
        return DAY1 + timedelta(seconds=self.mono())

    def jump(self, seconds: float) -> None:
        self.jumped += seconds


class Camera:
    """The camera stand-in: a steady face, the patient's left side moving 4 mm (40 %), the right 8 mm (80 %)."""

    def latest(self, now, phase):
        return Measurement(usable=True, left_pct=40.0, right_pct=80.0, left_mm=4.0, right_mm=8.0)

    def set_metric(self, metric):
        return None

    def calibrate(self, start):
        return None


class WavMicrophone:
    """The microphone: plays WAV files of real (synthesized) speech into the listener, then silence."""

    def __init__(self) -> None:
        self.frames: queue.Queue = queue.Queue()

    def start(self) -> None:
        return None

    def close(self) -> None:
        return None

    def play(self, wav: Path) -> None:
        from kiosk.voice.audio import read_wav
        from kiosk.voice.vad import frames_of

        for frame in frames_of(np.concatenate([read_wav(wav), np.zeros(24000, dtype=np.int16)])):
            self.frames.put(frame)


@pytest.fixture
def life(tmp_path):
    store = Store.open(tmp_path / "facecoach.db")
    answered_before(store)  # the stimulation checklist was answered "no" for plan version 7 before
    with store.critical() as db:
        db["plan_versions"].insert({"version": 7, "applied_at": DAY1.isoformat(), "status": "applied"})
    clock = SimClock()
    section, problems = parse_schedule(RAW_PLAN)
    assert not problems, problems
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    devices = build_devices(Settings(), "fake")
    offer = StimOffer(RX.side, RX.block_minutes, RX.max_amplitude_ma, WORDS, ())
    session = SessionPlan((BROW,), camera_needed=False, plan_version=7, stimulation=offer)
    k = Kiosk(
        Settings(),
        None,
        devices,
        store,
        surface,
        lambda: session,
        movement=Camera(),
        wall_clock=clock.wall,
        reminders=ReminderBridge(ReminderService(store, section), clock.wall),
    )
    k.loop.clock = clock.mono
    k.stim = StimControl(
        devices.hat, STIM_PLAN, DeviceLimits(), k.events, store, clock.wall, clock=clock.mono, max_snapshot_age_s=30
    )
    k.slots = SlotLedger(store, section.sessions, UTC)
    k.loop.add_step("slots", SlotStep(k.slots, clock.wall))
    k.sim = clock
    if not corpus.have_tools():
        pytest.skip("espeak-ng and sox are needed to make test speech (scripts/setup.sh --test installs them)")
    from kiosk.voice.intents import load_intents
    from kiosk.voice.listener import VoiceListener
    from kiosk.voice.pipeline import Pipeline
    from kiosk.voice.sphinx import SphinxRecognizer

    table = load_intents("en")
    k.microphone = WavMicrophone()
    listener = VoiceListener(Pipeline(SphinxRecognizer(table), table), source=k.microphone, clock=clock.mono)
    listener.start(k.events)
    k.speech = lambda text: corpus.synthesize(text, "en-us", 120, tmp_path)
    yield k
    listener.close()
    k.stim.close()
    devices.close()
    store.close()
    pygame.quit()


def run(k, real_seconds: float = 0.0, until=None, limit: float = 20.0) -> None:
    """Tick in (accelerated) real time until ``until`` holds or ``real_seconds`` passed."""
    deadline = time.monotonic() + (real_seconds or limit)
    while time.monotonic() < deadline:
        k.loop.tick()
        if until is not None and until(k):
            return
        time.sleep(0.003)
    assert until is None, "the kiosk never reached the state the script waits for"


def idle_until(k, when: datetime) -> None:
    """Let the kiosk sit at home: a minute at a time (reminders escalate, slots close) up to ``when``."""
    while k.sim.wall() < when:
        k.sim.jump(min(60.0, (when - k.sim.wall()).total_seconds()))
        k.loop.tick()


def touch(k, action: str) -> None:
    button = next(b for b in k.painter.buttons if b.action == action)
    k.events.put(Touched(at=k.sim.mono(), x=button.rect.centerx, y=button.rect.centery))
    k.loop.tick()


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return DAY1.replace(hour=hour, minute=minute) + timedelta(days=day - 1)


def session(k, block: str | None) -> None:
    """Start by touch, do the exercise, and then: let the block finish, stop it, or (None) no block."""
    touch(k, "start_session")
    assert k.mode == "session"
    run(k, until=lambda k: k.session.flow.phase is Phase.STIMULATION)
    touch(k, "start_stimulation")
    assert k.session.flow.stimulating, k.session.flow.stim.notice
    if block == "stop":
        run(k, until=lambda k: k.devices.board.current_ma > 0)
        touch(k, "stop")
    run(k, until=lambda k: k.mode == "summary", limit=30)
    touch(k, "home")
    touch(k, "home")  # "Not now" on the two after-session questions (issue 23)


def answer_reminder(k, said: str | None = None) -> None:
    """Acknowledge the reminder on screen: by touch, or by saying ``said`` into the microphone."""
    run(k, until=lambda k: k.reminder is not None, limit=5)
    if said is None:
        touch(k, "acknowledge")
    else:
        k.microphone.play(k.speech(said))
        run(k, until=lambda k: k.reminder is None, limit=10)
    assert k.reminder is None


def new_plan_arrives(k, tmp_path: Path, version: int) -> None:
    """The therapist drops a signed plan in the shared folder; the sync's inbox checks and installs it."""
    from content import content_path
    from kiosk.plan.loader import inbox_verifier
    from kiosk.plan.signing import keygen, read_private_key, read_public_key, sign_bytes
    from kiosk.summary.delivery import FolderTarget
    from kiosk.summary.inbox import Inbox

    private, public = keygen(tmp_path / "therapist")
    inbox = tmp_path / "share" / "inbox"
    inbox.mkdir(parents=True)
    text = content_path("plans", "sample-therapist.toml").read_text()
    data = text.replace("version = 3", f"version = {version}", 1).encode()
    (inbox / f"plan-v{version}.toml").write_bytes(data)
    (inbox / f"plan-v{version}.toml.sig").write_text(sign_bytes(data, read_private_key(private)))
    now = k.sim.wall()
    verify = inbox_verifier(read_public_key(public), k.store, now.date(), DeviceLimits())
    report = Inbox(k.store, FolderTarget(tmp_path / "share"), verify, tmp_path / "plan").poll(
        now, session_running=False
    )
    assert report.applied == [(f"plan-v{version}.toml", version)], report


def test_three_days_then_the_summary_tells_what_happened(life, tmp_path):
    k = life
    # Day 1: the morning session with its block finished; drops on time; ointment 30 minutes late.
    idle_until(k, at(1, 10, 5))
    session(k, "finish")
    idle_until(k, at(1, 12, 1))
    answer_reminder(k)
    idle_until(k, at(1, 22, 30))
    answer_reminder(k, said="ointment done")
    # Day 2: no session (the 10:00 slot is missed); nobody answers the drops; at 19:00 the therapist's new
    # signed plan (version 8) is installed by the hourly sync; ointment on time.
    idle_until(k, at(2, 19, 0))
    new_plan_arrives(k, tmp_path, version=8)
    idle_until(k, at(2, 22, 1))
    answer_reminder(k)
    # Day 3: session done, the patient stops the block; drops on time; an extra session at 15:00
    # stopped halfway; nobody answers the ointment.
    idle_until(k, at(3, 9, 30))
    session(k, "stop")
    idle_until(k, at(3, 12, 2))
    answer_reminder(k, said="i took my drops")
    idle_until(k, at(3, 15, 0))
    touch(k, "start_session")
    run(k, until=lambda k: k.session.flow.phase is Phase.HOLD)
    touch(k, "stop")
    run(k, until=lambda k: k.mode == "summary", limit=5)
    touch(k, "home")
    idle_until(k, at(4, 9, 0))

    now = k.sim.wall()
    rows, period = read_rows(k.store, date(2026, 11, 2), date(2026, 11, 4), UTC)  # days 1 to 3
    s = build_summary(rows, period, now, patient="P-LIFE", device_id="fc-life", software_version="test")

    a = s["adherence"]
    # Day 3's session counts as partly done: the patient stopped its block (a stop ends the session early).
    counts = (a["sessions_planned"], a["sessions_done"], a["sessions_partial"], a["sessions_missed"])
    assert counts == (3, 1, 1, 1) and a["sessions_extra"] == 1
    assert a["done_rate"] == round(1 / 3, 3) and a["days_with_data"] == 2  # day 1 and day 3
    stim = s["stimulation"]
    assert [b["end_code"] for b in stim["blocks"]] == ["finished", "patient_stop"]
    assert stim["stopped_early"] == 1 and 0.8 <= stim["blocks"][0]["minutes"] <= 1.05  # the prescribed 1-minute block
    eye = s["eye_care"]
    outcomes = [(r["item_id"], r["due_at"][:10], r["outcome"]) for r in eye["reminders"]]
    assert outcomes == [
        ("day_drops", "2026-11-02", "on_time"),
        ("night_routine", "2026-11-02", "late"),
        ("day_drops", "2026-11-03", "missed"),
        ("night_routine", "2026-11-03", "on_time"),
        ("day_drops", "2026-11-04", "on_time"),
        ("night_routine", "2026-11-04", "missed"),
    ]
    assert eye["night_routine"]["missed_nights"] == ["2026-11-04"] and eye["night_routine"]["nights_done"] == 2
    assert [r["via"] for r in eye["reminders"]] == ["touch", "voice", None, "touch", "voice", None]
    assert eye["caregiver_alerts"] >= 2  # the unanswered drops and ointment reached the caregiver
    (brow,) = s["exercises"]
    assert (
        brow["results"] == 3
        and brow["left"]["movement_mm"]["end"] == 4.0
        and brow["right"]["movement_mm"]["end"] == 8.0
    )
    assert brow["left"]["pct_of_baseline"]["end"] == 40.0 and brow["symmetry"]["end"] == 0.5
    # 2 repetitions in each full session; the extra one was stopped in its first hold (not counted).
    assert brow["hold"]["holds_with_target"] == 4 and brow["hold"]["holds_meeting_target"] == 4
    dq = s["data_quality"]
    # The extra session was stopped before its first repetition ended: stored, honestly, without a measurement.
    assert dq["results_without_measurement"] == 1 and dq["frames_total"] > 0 and dq["frames_rejected"] == 0
    plan = s["plan"]
    assert plan["current_version"] == 8 and [(p["version"], p["status"]) for p in plan["received"]] == [(8, "applied")]
    assert plan["received"][0]["received_at"].startswith("2026-11-03T19:")
    from fhir.resources.R4B.bundle import Bundle

    bundle = to_fhir_bundle(s)
    Bundle.model_validate(bundle)
    procedures = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure"]
    assert [p["status"] for p in procedures] == ["completed", "stopped"]
    if shutil.which("pdftotext"):
        pdf = tmp_path / "life.pdf"
        pdf.write_bytes(to_pdf_bytes(s))
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "None" not in text and "1 of 3 sessions (33 %), plus 1 extra session" in text
