"""The kiosk with the real reminder service and the starter plan: a due reminder takes the
screen, interrupts coaching, and a touch on Done is written to disk before it is confirmed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pygame
import pytest

from content import content_path
from kiosk.app import Kiosk
from kiosk.devices.factory import build_devices
from kiosk.events import Touched, VoiceCommand
from kiosk.plan.model import parse_plan
from kiosk.reminders import ReminderBridge
from kiosk.session.steps import ExerciseStep, SessionPlan
from kiosk.settings import Settings
from schedules.plan_section import parse_schedule
from schedules.service import ReminderService

LONDON = ZoneInfo("Europe/London")
PLAN = SessionPlan((ExerciseStep("brow_lift", "Brow lift", "brow_lift", ("Lift.",), "Lift your brows.", reps=30),))


class Wall:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now


def kiosk_on(store, start, size=(800, 480)):
    """The kiosk with the real reminder service, the starter plan's schedule and a settable wall clock."""
    plan, problems = parse_plan(content_path("plans", "starter.toml").read_bytes())
    assert plan is not None, problems
    section, _ = parse_schedule(plan.raw)
    wall = Wall(start)
    pygame.init()
    surface = pygame.display.set_mode(size)
    k = Kiosk(
        Settings(),
        None,
        build_devices(Settings(), "fake"),
        store,
        surface,
        lambda: PLAN,
        wall_clock=wall,
        reminders=ReminderBridge(ReminderService(store, section), wall),
    )
    k.wall = wall
    return k


@pytest.fixture
def kiosk(fresh_store):
    k = kiosk_on(fresh_store, datetime(2026, 11, 21, 9, 58, tzinfo=LONDON))
    yield k
    k.devices.close()  # the simulated board too: a board left open answers later tests' ADC reads
    pygame.quit()


def run_for(k, seconds, step=0.5):
    for _ in range(int(seconds / step)):
        k.wall.now += timedelta(seconds=step)
        k.loop.clock = lambda t=k.loop.ticks * step: 1000 + t
        k.loop.tick()


def test_due_drops_interrupt_coaching_and_touch_ack_is_durable(kiosk):
    run_for(kiosk, 2)
    assert kiosk.reminder is None
    assert kiosk.home_model().next_eye_care.startswith("drops at 10:00")
    kiosk.events.put(VoiceCommand(at=0, intent="start_session"))
    run_for(kiosk, 1)
    assert kiosk.mode == "session"
    run_for(kiosk, 120)  # 10:00 passes
    assert kiosk.reminder is not None and kiosk.session.flow.interrupted
    assert any("drop" in text.lower() for text in kiosk.devices.speaker.texts)
    done = next(b for b in kiosk.painter.buttons if b.action == "acknowledge")
    kiosk.events.put(Touched(at=0, x=done.rect.centerx, y=done.rect.centery))
    run_for(kiosk, 1)
    acks = list(kiosk.store.db["reminder_acks"].rows)
    assert len(acks) == 1 and acks[0]["via"] == "touch"
    assert kiosk.reminder is None and not kiosk.session.flow.interrupted


def test_patient_cannot_switch_a_reminder_off_by_voice(kiosk):
    run_for(kiosk, 150)
    assert kiosk.reminder is not None
    for intent in ("stop", "cancel_reminder"):
        kiosk.events.put(VoiceCommand(at=0, intent=intent))
    run_for(kiosk, 1)
    assert kiosk.reminder is not None
    assert kiosk.store.db["reminder_acks"].count == 0
    assert "plan" in (kiosk.notice or "").lower()


# ---- the running kiosk with a store that refuses writes ---------------------------------------

import contextlib  # noqa: E402
import errno  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from kiosk.store import DB_NAME, Store  # noqa: E402


@contextlib.contextmanager
def small_disk(folder, size="3m"):
    """A small tmpfs at ``folder`` (root only); skipped with the reason when mounting is not permitted."""
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs for the disk-full test: {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder):
    """Fill the disk to the last byte; returns the filler file."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        with contextlib.suppress(OSError):
            while True:  # the last partial block too
                out.write(b"\0")
    return filler


def touch_done(k):
    done = next(b for b in k.painter.buttons if b.action == "acknowledge")
    k.events.put(Touched(at=0, x=done.rect.centerx, y=done.rect.centery))


def test_disk_full_the_kiosk_reminds_from_memory_and_writes_the_answer_later(tmp_path):
    with small_disk(tmp_path / "data") as data:
        store = Store.open(data / DB_NAME)
        k = kiosk_on(store, datetime(2026, 11, 21, 9, 58, tzinfo=LONDON))
        try:
            run_for(k, 2)
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the next write must grow the file
            filler = fill(data)
            run_for(k, 130)  # 10:00 passes with the disk full
            assert k.reminder is not None, "the due drops are on screen"
            assert any("drop" in text.lower() for text in k.devices.speaker.texts), "and spoken"
            assert "storage needs help" in (k.home_model().notice or "")
            assert k.reminders.service.writes.held
            touch_done(k)
            run_for(k, 1)
            assert k.reminder is None and any("drops are noted" in t for t in k.devices.speaker.texts)
            assert store.db["reminder_acks"].count == 0, "not on disk yet: the disk is full"
            filler.unlink()
            run_for(k, 25)  # the next retry writes it
            acks = list(store.db["reminder_acks"].rows)
            assert len(acks) == 1 and acks[0]["via"] == "touch"
            assert not k.reminders.service.writes.held and "can save again" in (k.notice or "")
            assert "storage needs help" not in (k.home_model().notice or "")
            assert store.integrity_check() == "ok"
        finally:
            k.devices.close()
            store.close()
            pygame.quit()


def test_restart_with_the_disk_still_full_keeps_reminding(tmp_path):
    with small_disk(tmp_path / "data") as data:
        first = Store.open(data / DB_NAME)
        k = kiosk_on(first, datetime(2026, 11, 21, 9, 58, tzinfo=LONDON))
        run_for(k, 2)
        fill(data)
        run_for(k, 60)  # it crashed here before; the service restarts as after a crash (files left as they are)
        k.devices.close()
        store = Store.open(data / DB_NAME)
        first.close()  # the crashed process's handle: gone (the second one keeps the WAL in place)
        k = kiosk_on(store, datetime(2026, 11, 21, 9, 59, tzinfo=LONDON))
        try:
            run_for(k, 90)
            assert k.reminder is not None and k.reminders.service.writes.held
            assert "storage needs help" in (k.home_model().notice or "")
        finally:
            k.devices.close()
            store.close()
            pygame.quit()


def test_restart_after_a_clean_shutdown_with_the_disk_full_still_reminds(tmp_path):
    """A clean shutdown removes the -wal/-shm files; with no byte free SQLite cannot open the file
    again ("disk I/O error"), which used to end the kiosk with no reminders at all."""
    from kiosk.store import StoreError

    with small_disk(tmp_path / "data") as data:
        first = Store.open(data / DB_NAME)
        k = kiosk_on(first, datetime(2026, 11, 21, 9, 0, tzinfo=LONDON))
        run_for(k, 2)  # the day's reminders are created and stored
        k.devices.close()
        pygame.quit()
        first.close()  # a clean shutdown
        filler = fill(data)
        with pytest.raises(StoreError):
            Store.open(data / DB_NAME)
        store = Store.copy_in_memory(data / DB_NAME)  # what kiosk/run.py falls back to
        assert store.degraded and "reminders still work" in store.degraded.lower()
        assert store.db["reminder_events"].count > 0, "what the file held is there"
        k = kiosk_on(store, datetime(2026, 11, 21, 9, 59, tzinfo=LONDON))
        try:
            run_for(k, 90)  # 10:00 passes
            assert k.reminder is not None, "the 10:00 drops are shown"
            assert any("drop" in text.lower() for text in k.devices.speaker.texts), "and spoken"
        finally:
            k.devices.close()
            store.close()
            pygame.quit()
            filler.unlink()


def test_the_kiosk_starts_with_the_disk_full_and_says_so(tmp_path):
    """The real `facecoach run` on a full disk after a clean shutdown: it runs, and names the problem."""
    with small_disk(tmp_path / "data") as data:
        Store.open(data / DB_NAME).close()
        settings = tmp_path / "settings.toml"
        settings.write_text(f'[storage]\ndata_dir = "{data}"\n')
        filler = fill(data)
        env = {**os.environ, "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state")}
        env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "kiosk",
                "run",
                "--demo",
                "--windowed",
                "--config",
                str(settings),
                "--max-seconds",
                "3",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        filler.unlink()
        assert done.returncode == 0, done.stderr[-2000:]
        assert "running without the data file" in done.stderr and "Traceback" not in done.stderr


LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], timeout=30)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.rollback()
"""
LOCK_S = 14  # longer than the store's 10 s busy timeout


@pytest.mark.slow
def test_database_locked_by_another_process_the_kiosk_goes_on(tmp_path):
    store = Store.open(tmp_path / DB_NAME)
    k = kiosk_on(store, datetime(2026, 11, 21, 9, 59, 30, tzinfo=LONDON))
    locker = None
    try:
        run_for(k, 2)
        locker = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(tmp_path / DB_NAME), str(LOCK_S)], stdout=subprocess.PIPE
        )
        assert locker.stdout.readline().strip() == b"locked"
        started = time.monotonic()
        run_for(k, 40)  # 10:00 passes while the other process holds the write lock
        assert k.reminder is not None, "shown although the first write waited 10 s and failed"
        assert k.reminders.service.writes.held and "storage needs help" in (k.notice or "")
        touch_done(k)
        run_for(k, 1)
        assert time.monotonic() - started < LOCK_S, "reminder writes wait 2 s at most, then are held"
        locker.wait(timeout=LOCK_S + 5)
        run_for(k, 25)
        assert store.db["reminder_acks"].count == 1 and not k.reminders.service.writes.held
    finally:
        if locker is not None and locker.poll() is None:
            locker.kill()
        k.devices.close()
        store.close()
        pygame.quit()
