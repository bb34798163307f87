"""`facecoach run`: start the kiosk, or explain in one sentence why it cannot start."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
from datetime import datetime
from pathlib import Path

from kiosk.devices.factory import HardwareModeError, build_devices, hardware_mode
from kiosk.display import display_problem
from kiosk.session.steps import SessionPlan
from kiosk.settings import with_overrides
from kiosk.settings_files import load_settings
from kiosk.store import DB_NAME, Store, StoreError

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="start the kiosk")
    p.add_argument("--windowed", action="store_true", help="a window instead of the full screen")
    p.add_argument("--demo", action="store_true", help="use the fake devices (FACECOACH_HARDWARE=fake)")
    p.add_argument("--config", help="settings file to use instead of the standard locations")
    p.add_argument("--max-seconds", type=float, help="end cleanly after this many seconds")
    p.add_argument("--screenshot", type=Path, help="save a PNG of the screen when the run ends")
    p.add_argument("--screenshot-dir", type=Path, help="save one PNG per screen visited into this folder")
    p.set_defaults(func=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        mode = hardware_mode(demo=args.demo)
    except HardwareModeError as exc:
        print(f"{exc}. Use FACECOACH_HARDWARE=fake to try the kiosk without devices.", file=sys.stderr)
        return 2
    loaded = load_settings(args.config)
    for p in loaded.problems:
        log.warning("settings: %s", p)
    from kiosk.caregiver_prefs import load_prefs

    settings, prefs_notice = load_prefs(loaded.settings)
    if args.windowed:
        settings = with_overrides(settings, display={"fullscreen": False})
    data_file = Path(settings.storage.data_dir).expanduser() / DB_NAME
    try:
        store = Store.open(data_file)
    except StoreError as exc:
        # No reminders at all would be worse than reminders that cannot be kept: run from a copy.
        print(f"{exc}. Check that the disk is not full and the folder is writable.", file=sys.stderr)
        store = Store.copy_in_memory(data_file)
        log.critical("running without the data file (%s): %s", exc, store.degraded)
    from kiosk.session_repair import close_cut_off_sessions

    close_cut_off_sessions(store)  # a session the last run's stop cut off is closed with the reason
    devices = build_devices(settings, mode)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame  # heavy import only once we know we can show something

    from kiosk.app import Kiosk

    try:
        pygame.init()
        flags = pygame.FULLSCREEN if settings.display.fullscreen else 0
        size = (0, 0) if settings.display.fullscreen else (settings.display.width, settings.display.height)
        surface = pygame.display.set_mode(size, flags)
        pygame.display.set_caption("FaceCoach")
    except pygame.error as exc:
        print(
            f"The screen could not be opened ({exc}). "
            "Without a screen run: xvfb-run -a facecoach run --demo --windowed",
            file=sys.stderr,
        )
        devices.close()
        store.close()
        return 2
    from kiosk.plan.current import current_plan
    from kiosk.session.plan_builder import session_plan_from, stim_offer
    from kiosk.stim_control import open_stim_control

    def todays_session() -> SessionPlan:
        lang = kiosk.settings.display.language  # the caregiver may have changed it
        in_force = current_plan(settings, store, datetime.now().astimezone())
        if not in_force.accepted:
            log.warning("plan: %s", in_force.reason)
        # The stimulation control follows the plan in force (a new signed plan changes it).
        kiosk.stim = open_stim_control(settings, devices.hat, in_force, kiosk.events, store, kiosk.wall_clock)
        offer = stim_offer(in_force.plan, in_force.stimulation, lang, kiosk.stim.confirmed)
        return session_plan_from(in_force.plan, lang, offer)

    from kiosk.session.camera_movement import open_movement

    movement = open_movement(devices.camera, settings.display.language)
    kiosk = Kiosk(
        settings,
        " ".join(
            n for n in (store.degraded, store.notice, loaded.notice_in(settings.display.language), prefs_notice) if n
        )
        or None,
        devices,
        store,
        surface,
        session_plan=todays_session,
        movement=movement,
    )
    from kiosk.reminders import open_reminders

    plan_now = current_plan(settings, store, datetime.now().astimezone()).plan
    kiosk.reminders = open_reminders(settings, store, plan_now, kiosk.events, kiosk.wall_clock)
    from kiosk import __version__
    from kiosk.lifecycle import AliveStep, log_started, log_stopped
    from kiosk.watchdog import Notifier, WatchdogStep

    kiosk.loop.add_step("alive", AliveStep(store, kiosk.wall_clock))  # hourly mark for the summary's uptime
    from kiosk.plan.current import PLAN_FILE, plan_dir
    from kiosk.plan.watch import PlanWatch
    from kiosk.session.slot_ledger import SlotStep, open_slot_ledger
    from stim_hat.prescription import device_limits

    alerter = kiosk.reminders.service.notifier if kiosk.reminders is not None else None
    # Sessions tied to the plan's slots; a slot that passes without a session is recorded missed.
    slots = open_slot_ledger(store, plan_now.raw if plan_now is not None else None, alerter, always=True)
    assert slots is not None
    kiosk.slots = slots
    kiosk.loop.add_step("slots", SlotStep(slots, kiosk.wall_clock))
    kiosk.loop.add_step(
        "plan",
        PlanWatch(
            store,
            plan_dir(settings) / PLAN_FILE,
            lambda: current_plan(settings, store, kiosk.wall_clock()),
            kiosk.announce_plan,
            lambda: kiosk.settings.display.language,
            kiosk.wall_clock,
            device_limits(settings.hat),
            on_plan=slots.use_plan,  # a new plan's session times count from when it is in force
        ),
    )

    from kiosk.baseline import every_weeks_of
    from kiosk.baseline_store import BaselineStep

    def baseline_every_weeks() -> int | None:
        plan = current_plan(settings, store, kiosk.wall_clock()).plan
        return every_weeks_of(plan.raw if plan is not None else None)

    kiosk.loop.add_step("baseline", BaselineStep(store, baseline_every_weeks, kiosk.wall_clock))  # issue 23
    from kiosk.checkin_prompt import record_cut_off

    record_cut_off(store, kiosk.wall_clock())  # issue 23: questions a power cut or crash kept from coming
    from kiosk.photo_capture import PhotoStep, therapist_key_or_none

    kiosk.loop.add_step(
        "photos", PhotoStep(kiosk, kiosk.photos_folder(), lambda: therapist_key_or_none(settings), baseline_every_weeks)
    )

    notifier = Notifier.from_env()
    # Last step: READY=1 once the home screen has been drawn, then WATCHDOG=1 only while healthy.
    kiosk.loop.add_step("watchdog", WatchdogStep(notifier))
    if args.screenshot_dir:
        kiosk.screenshot_dir = args.screenshot_dir
    if args.demo or mode == "fake":
        from kiosk.demo import DemoPilot

        DemoPilot(kiosk).attach()
    stop_reason = ["closed"]

    def on_sigterm(*_: object) -> None:
        stop_reason[0] = "stopped by the system"
        kiosk.loop.stop()

    signal.signal(signal.SIGTERM, on_sigterm)
    log_started(store, kiosk.wall_clock(), version=__version__, hardware=mode, demo=bool(args.demo))
    try:
        kiosk.run(max_seconds=args.max_seconds)
    except KeyboardInterrupt:
        log.info("interrupted")
        stop_reason[0] = "interrupted"
    except BaseException as exc:
        stop_reason[0] = f"error: {type(exc).__name__}"
        raise
    finally:
        notifier.stopping("kiosk closing")
        if args.screenshot:
            kiosk.save_screenshot(args.screenshot)
        if kiosk.stim is not None:
            kiosk.stim.close()  # any block ends first: outputs off before anything else closes
        if movement is not None:
            movement.close()
        if kiosk.reminders is not None:
            kiosk.reminders.close()
        devices.close()
        log_stopped(store, kiosk.wall_clock(), stop_reason[0])
        store.close()
        with contextlib.suppress(Exception):
            pygame.quit()
    return 0
