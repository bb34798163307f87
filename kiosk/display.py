"""Is there a screen to draw on? Answered in one plain sentence, never a traceback."""

from __future__ import annotations

import glob
import os

HEADLESS_DRIVERS = ("dummy", "offscreen")


def no_display_message(environ: dict[str, str] | None = None) -> str:
    """The one sentence for a machine with no screen, naming the command the user typed."""
    env = os.environ if environ is None else environ
    launcher = env.get("FACECOACH_LAUNCHER", "facecoach run")
    return (
        "No screen was found, so FaceCoach cannot open its window; on a machine without a "
        f"screen start it as: xvfb-run -a {launcher} --demo --windowed"
    )


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """None when a screen is available; otherwise the sentence to print."""
    env = os.environ if environ is None else environ
    driver = env.get("SDL_VIDEODRIVER", "").lower()
    if driver in HEADLESS_DRIVERS:
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    if driver == "kmsdrm" and glob.glob("/dev/dri/card*"):
        return None
    return no_display_message(env)


def display_state(environ: dict[str, str] | None = None) -> tuple[str, str]:
    """(state, detail) for the selftest table."""
    env = os.environ if environ is None else environ
    if display_problem(env) is not None:
        return "missing", ""
    if env.get("SDL_VIDEODRIVER", "").lower() in HEADLESS_DRIVERS:
        return "fake", f"SDL {env['SDL_VIDEODRIVER']} driver (no window)"
    return "found", env.get("WAYLAND_DISPLAY") or env.get("DISPLAY") or "kmsdrm"
