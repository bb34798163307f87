"""`facecoach plan new|show|exercises|identity`, and the passphrase prompts of keygen and sign."""

from __future__ import annotations

import argparse
import getpass
import os
from dataclasses import replace
from datetime import date
from pathlib import Path

from kiosk.plan.authoring import PLACEHOLDERS, exercise_table, show, template, unfilled
from kiosk.plan.library import library_stages
from kiosk.plan.model import STAGES, Plan, parse_plan
from kiosk.plan.signing import SIG_SUFFIX, SigningError
from kiosk.plan.validate import check_plan
from kiosk.settings_files import settings_for_command
from schedules.zones import known_zone, local_zone
from stim_hat.prescription import DeviceLimits, Prescription, device_limits

PASS_ENV = "FACECOACH_KEY_PASSPHRASE"  # for scripts; otherwise the passphrase is asked for
MIN_PASSPHRASE = 8  # characters, typed or from PASS_ENV


def register_authoring(cmds: argparse._SubParsersAction) -> None:
    """Add new, show, exercises and identity to `facecoach plan`."""
    p = cmds.add_parser("new", help="write a commented plan template for a stage, from the exercise library")
    p.add_argument("--stage", required=True, choices=STAGES)
    p.add_argument("--out", required=True, help="the plan file to write (never overwritten)")
    p.add_argument("--patient", default=PLACEHOLDERS["patient"], help="the patient's pseudonym")
    p.add_argument(
        "--device", default=PLACEHOLDERS["device"], help="the kiosk id (facecoach plan identity on the kiosk)"
    )
    p.add_argument("--today", type=date.fromisoformat, help="the plan's first day (default: today)")
    p.add_argument("--timezone", help="the patient's time zone, e.g. Europe/Berlin (default: this computer's)")
    p.set_defaults(func=cmd_new)
    p = cmds.add_parser("show", help="say in plain words what the kiosk will do each day under a plan")
    p.add_argument("plan", help="the plan TOML file")
    p.add_argument("--against", help="another plan (e.g. the one in force): list what changes")
    p.set_defaults(func=cmd_show)
    p = cmds.add_parser("exercises", help="list the exercise ids with their names, stages and default dose")
    p.set_defaults(func=cmd_exercises)
    p = cmds.add_parser("identity", help="this kiosk's id (the `device` a plan names) and the patient of its plan")
    p.add_argument("--config", help="settings file")
    p.set_defaults(func=cmd_identity)


def new_passphrase() -> str:
    """A new passphrase (from FACECOACH_KEY_PASSPHRASE, or asked for twice)."""
    from_env = os.environ.get(PASS_ENV)
    first = from_env or getpass.getpass("Passphrase for the new private key: ")
    if len(first) < MIN_PASSPHRASE:
        where = f" (from {PASS_ENV})" if from_env else ""
        raise SigningError(f"The passphrase{where} is too short; use at least {MIN_PASSPHRASE} characters.")
    if from_env:
        return first
    if getpass.getpass("The same passphrase again: ") != first:
        raise SigningError("The two passphrases differ.")
    return first


def passphrase_for(key: Path) -> str:
    """The passphrase of a protected key (from FACECOACH_KEY_PASSPHRASE, or asked for)."""
    return os.environ.get(PASS_ENV) or getpass.getpass(f"Passphrase of {key}: ")


def cmd_new(args: argparse.Namespace) -> int:
    out = Path(args.out)
    zone = args.timezone or local_zone()
    if not known_zone(zone):
        print(f"{zone!r} is not a time zone name this computer knows; use one like Europe/Berlin or America/Chicago.")
        return 1
    text = template(args.stage, args.today or date.today(), args.patient, args.device, zone)
    try:
        with open(out, "x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        print(f"{out} already exists; it was left as it is.")
        return 1
    except OSError as exc:
        print(f"The plan could not be written: {exc.strerror}")
        return 1
    print(f"Wrote {out} ({args.stage} stage, time zone {zone}). Edit it, then: facecoach plan show {out}")
    return 0


def read_checked(path: Path, limits: DeviceLimits) -> tuple[Plan, Prescription] | None:
    """A plan file checked in full (no signature needed to preview it); None after printing its problems."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"The plan {path} cannot be read: {exc.strerror}")
        return None
    plan, problems = parse_plan(data, str(path))
    if plan is not None:
        checked = check_plan(plan, data.decode("utf-8"), str(path), limits, library_stages())
        problems = checked.problems
    if plan is None or problems:
        print(f"The plan {path} has problems; the kiosk would refuse it:")
        print("\n".join(f"  {p}" for p in problems))
        return None
    signed = path.with_name(path.name + SIG_SUFFIX).exists()
    return replace(plan, signed=signed), checked.stimulation


def cmd_show(args: argparse.Namespace) -> int:
    settings = settings_for_command(getattr(args, "config", None))
    if settings is None:
        return 2
    limits = device_limits(settings.hat)
    current = read_checked(Path(args.plan), limits)
    against = read_checked(Path(args.against), limits) if args.against else None
    if current is None or (args.against and against is None):
        return 1
    print("\n".join(show(*current, against=against)))
    unready = unfilled(current[0], args.plan)
    if unready:
        print("Before you sign it, fill in:")
        print("\n".join(f"  {p}" for p in unready))
    return 0


def cmd_exercises(args: argparse.Namespace) -> int:
    print("\n".join(exercise_table()))
    return 0


def cmd_identity(args: argparse.Namespace) -> int:
    from kiosk.plan.current import device_id
    from kiosk.plan.loader import last_applied
    from kiosk.store import DB_NAME, Store, StoreError
    from kiosk.summary.service import data_dir

    settings = settings_for_command(args.config)
    if settings is None:
        return 2
    device = device_id(settings)
    print(f"device = {device or '(unknown: the device key cannot be read)'}")
    try:
        store = Store.open(data_dir(settings) / DB_NAME)
    except StoreError as exc:
        print(f"patient: unknown ({exc})")
        return 1
    try:
        last = last_applied(store)
    finally:
        store.close()
    patient = last.patient if last is not None else None
    print(f"patient = {patient or '(none yet: the first signed plan sets it)'}")
    return 0
