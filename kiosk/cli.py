"""The `facecoach` command. Each subcommand lives in its own module with a ``register`` function."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import select
import signal
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
    if not args.verbose:  # MediaPipe imports matplotlib, which says "generated new fontManager" on a first run
        logging.getLogger("matplotlib").setLevel(logging.WARNING)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # what is still buffered goes out here, where a closed pipe is handled
        return code
    except BrokenPipeError:
        if not _stdout_gone():
            raise  # a broken pipe of something else (a socket): not ours to hide
        # Whoever read our output stopped (`facecoach plan exercises | head`): end quietly, as
        # command-line tools do, without a traceback or a second error when Python exits.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE


def _stdout_gone() -> bool:
    """Whether standard output is a pipe whose reader has closed it (poll reports an error on it)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    poll = select.poll()
    poll.register(fd, select.POLLOUT)
    return any(events & select.POLLERR for _, events in poll.poll(0))
