"""The `facecoach` command. Each subcommand lives in its own module with a ``register`` function."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from kiosk import __version__

# Modules that add subcommands; each has register(subparsers). Add yours here.
COMMAND_MODULES = (
    "kiosk.run",
    "kiosk.config_cli",
    "kiosk.selftest",
    "kiosk.hat_off",
    "kiosk.service_alert",
    "content.check",
    "kiosk.vision.cli",
    "kiosk.summary.cli",
    "kiosk.summary.sync_cli",
    "kiosk.reminders_cli",
    "kiosk.plan.cli",
    "kiosk.voice.cli",
    "kiosk.voice.tts_cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="facecoach", description="FaceCoach home kiosk for facial palsy exercises")
    parser.add_argument("-v", "--verbose", action="store_true", help="more log lines")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    version = sub.add_parser("version", help="print the version")
    version.set_defaults(func=lambda args: print(f"facecoach {__version__}") or 0)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)
