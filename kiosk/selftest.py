"""`facecoach selftest`: one row per part, found / missing / fake, with a plain hint.

Exit 0 when everything the chosen mode needs is present. Checks only look; they change nothing
(the store check opens the database, which creates it if it is new).
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import shutil
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kiosk.devices.factory import HardwareModeError, hardware_mode
from kiosk.display import display_state
from kiosk.selftest_appliance import check_delivery, check_units
from kiosk.selftest_row import Check
from kiosk.settings import Settings
from kiosk.settings_files import load_settings
from kiosk.store import DB_NAME, Store, StoreError

MIN_FREE_MB = 200


# Parts each mode cannot do without. The HAT is never required: without it stimulation stays off.
REQUIRED = {
    "fake": ("display", "storage", "disk space", "face model"),
    "auto": ("display", "storage", "disk space", "face model", "speech out"),
    "real": (
        "display",
        "camera",
        "microphone",
        "speaker",
        "speech out",
        "speech in",
        "face model",
        "storage",
        "disk space",
        "clock",
    ),
}


def _has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def check_display() -> Check:
    state, detail = display_state()
    return Check(
        "display", state, detail, "" if state != "missing" else "No screen: use xvfb-run, or log in to the desktop."
    )


def check_camera() -> Check:
    devices = sorted(glob.glob("/dev/video*"))
    if devices:
        return Check("camera", "found", ", ".join(devices[:3]))
    return Check("camera", "missing", "", "Plug in the USB camera (or connect the Pi camera) and restart.")


def _audio_devices(kind: str) -> tuple[str, str]:
    if not _has_module("sounddevice"):
        return "missing", "sounddevice is not installed"
    try:
        import sounddevice

        devices = [d for d in sounddevice.query_devices() if d[f"max_{kind}_channels"] > 0]
    except OSError as exc:  # PortAudio library missing
        return "missing", str(exc)
    except Exception as exc:  # noqa: BLE001 - PortAudio raises its own error types; the table reports them
        return "problem", str(exc)
    return ("found", devices[0]["name"]) if devices else ("missing", "")


def check_microphone() -> Check:
    state, detail = _audio_devices("input")
    return Check(
        "microphone", state, detail, "" if state == "found" else "Plug in a microphone; touch still works without it."
    )


def check_speaker() -> Check:
    state, detail = _audio_devices("output")
    return Check(
        "speaker", state, detail, "" if state == "found" else "Connect a speaker; words are also shown on screen."
    )


def check_speech_out(settings: Settings) -> Check:
    """The voice the kiosk would speak with (a Piper voice is loaded, so a broken one shows here)."""
    from kiosk.voice.tts_engines import TtsError
    from kiosk.voice.tts_open import choose

    if not _has_module("pyttsx3"):
        return Check("speech out", "missing", "", "Reinstall FaceCoach (pyttsx3 is missing).")
    try:
        choice = choose(settings)
    except TtsError as exc:
        return Check("speech out", "missing", str(exc), "Install espeak-ng: sudo apt-get install espeak-ng")
    hint = "See docs/voice.md, Speech out." if choice.fell_back else ""
    return Check("speech out", "found", choice.note, hint)


def check_speech_in(settings: Settings) -> Check:
    from kiosk.voice import active_engine
    from kiosk.voice.engines import language_problem

    problem = language_problem(settings)
    if problem:
        return Check("speech in", "missing", f"language {settings.display.language}", problem[0].upper() + problem[1:])
    engine = active_engine(settings)
    if engine == "vosk" and _has_module("vosk"):
        return Check("speech in", "found", f"vosk, model {Path(settings.voice.vosk_model).expanduser()}")
    hint = engine.removeprefix("pocketsphinx (").removesuffix(")") if engine != "pocketsphinx" else ""
    if _has_module("pocketsphinx"):
        spec = importlib.util.find_spec("pocketsphinx")
        model_dir = Path(spec.origin).parent / "model" / "en-us" if spec and spec.origin else None
        if model_dir and model_dir.is_dir():
            return Check("speech in", "found", "pocketsphinx, bundled English model", hint)
    return Check("speech in", "missing", "", hint or "Reinstall FaceCoach: the speech recogniser is missing.")


def check_face_model() -> Check:
    from kiosk.vision.model_file import ModelFileError, load_model

    if importlib.util.find_spec("mediapipe") is None:
        return Check("face model", "missing", "", "Reinstall FaceCoach: mediapipe is missing.")
    try:
        load_model()
    except ModelFileError as exc:
        return Check("face model", "missing", "", str(exc))
    return Check("face model", "found", "MediaPipe FaceLandmarker (shipped, checksum checked)")


def check_hat(mode: str) -> Check:
    if mode == "fake":
        return Check("hat", "fake", "simulated board (gpiozero MockFactory)")
    if glob.glob("/dev/gpiochip*") and _has_module("gpiozero"):
        return Check("hat", "found", "GPIO present; board wiring is checked when stimulation starts")
    return Check("hat", "missing", "", "No stimulation board: stimulation stays off (exercises still work).")


def check_storage(settings: Settings) -> Check:
    path = Path(settings.storage.data_dir).expanduser() / DB_NAME
    try:
        store = Store.open(path)
    except StoreError as exc:
        return Check("storage", "missing", str(exc), "Check the data folder exists and the disk is not full.")
    try:
        result = store.integrity_check()
        repaired = store.notice
    finally:
        store.close()
    if result != "ok":
        return Check("storage", "problem", result[:80], "The data file is damaged; keep a copy and contact support.")
    if repaired:
        return Check("storage", "problem", f"{path}: repaired just now", repaired)
    return Check("storage", "found", str(path))


def check_disk(settings: Settings) -> Check:
    folder = Path(settings.storage.data_dir).expanduser()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free_mb = shutil.disk_usage(folder).free / 1e6
    if free_mb < MIN_FREE_MB:
        return Check("disk space", "missing", f"{free_mb:.0f} MB free", "Free some space: the kiosk needs 200 MB.")
    return Check("disk space", "found", f"{free_mb / 1000:.1f} GB free")


def check_clock(now: datetime) -> Check:
    synced = None
    if shutil.which("timedatectl"):
        try:
            out = subprocess.run(
                ["timedatectl", "show", "-p", "NTPSynchronized", "--value"], capture_output=True, text=True, timeout=5
            ).stdout.strip()
            synced = out == "yes" if out in ("yes", "no") else None
        except (OSError, subprocess.TimeoutExpired):
            synced = None
    if now.year < 2025:
        return Check(
            "clock", "missing", now.isoformat(timespec="minutes"), "The clock is wrong: connect to the network once."
        )
    if synced is False:
        return Check("clock", "problem", "not synchronised", "Connect to the network so the clock stays right.")
    return Check("clock", "found", now.strftime("%Y-%m-%d %H:%M %Z") + ("" if synced else " (sync unknown)"))


def run_checks(settings: Settings, mode: str, now: datetime) -> list[Check]:
    """Every row of the table, in a fixed order."""
    from kiosk.caregiver_alerts import check_alerts  # only when the checks run: every command imports this module

    checks: list[Callable[[], Check]] = [
        check_display,
        check_camera,
        check_microphone,
        check_speaker,
        lambda: check_speech_out(settings),
        lambda: check_speech_in(settings),
        check_face_model,
        lambda: check_hat(mode),
        lambda: check_storage(settings),
        lambda: check_disk(settings),
        lambda: check_clock(now),
        check_units,
        lambda: check_delivery(settings, now),
        lambda: check_alerts(settings),
    ]
    return [c() for c in checks]


def runnable_modes(rows: list[Check]) -> dict[str, list[str]]:
    """For each mode, the required parts that are not there (empty list: it can run)."""
    ok = {r.part for r in rows if r.state in ("found", "fake")}
    return {mode: [p for p in needs if p not in ok] for mode, needs in REQUIRED.items()}


def format_table(rows: list[Check]) -> str:
    width = max(len(r.part) for r in rows)
    lines = [f"{'part':<{width}}  {'state':<8} detail / what to do"]
    for r in rows:
        # Two sentences: what was found, what to do (a detail that already ends a sentence keeps one stop).
        words = ". ".join(w for w in (r.detail.rstrip(". "), r.hint) if w)
        lines.append(f"{r.part:<{width}}  {r.state:<8} {words}")
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("selftest", help="check every part and say which mode can run")
    p.add_argument("--demo", action="store_true", help="check for the demo mode (fake devices)")
    p.add_argument("--config", help="settings file to use")
    p.set_defaults(func=cmd_selftest)


def cmd_selftest(args: argparse.Namespace) -> int:
    try:
        mode = hardware_mode(demo=args.demo)
    except HardwareModeError as exc:
        print(exc)
        return 2
    loaded = load_settings(args.config)
    if loaded.notice:
        print(loaded.notice)
    rows = run_checks(loaded.settings, mode, datetime.now().astimezone())
    print(format_table(rows))
    print()
    missing = runnable_modes(rows)
    names = {
        "real": "kiosk with real devices",
        "auto": "kiosk with fakes where devices are missing",
        "fake": "demo (all fakes)",
    }
    for m, lacks in missing.items():
        print(f"{names[m]:<45} {'can run' if not lacks else 'cannot run: needs ' + ', '.join(lacks)}")
    print(f"\nmode chosen: {mode}")
    return 0 if not missing[mode] else 1
