"""What the caregiver changed on the screen (volume, speech rate, camera view, language, and the PIN
chosen at first use), kept on disk.

The caregiver screen never writes the settings file itself (it has the caregiver's comments and
the therapist-facing choices in it). Its four preferences go to ``caregiver.toml`` in the data
folder, written atomically, and are laid over the settings at start-up. A broken or unreadable
file is not applied and is reported in plain words; the settings file stays in force.
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from content import content_path
from content.i18n import phrase
from kiosk.settings import Settings, parse_settings, with_overrides
from kiosk.voice.tts_text import DEFAULT_RATE_WPM

log = logging.getLogger(__name__)

PREFS_FILE = "caregiver.toml"


@dataclass(frozen=True)
class CaregiverPrefs:
    """What a caregiver may change on the screen (and the PIN chosen there at first use)."""

    volume: float = 0.9
    speech_rate_wpm: int = DEFAULT_RATE_WPM  # the settings' default (150), not a second guess
    show_camera: bool = False
    language: str = "en"
    pin: str = ""  # the PIN chosen on the screen; "" keeps the settings file's
    ntfy_url: str = ""  # phone alerts set up on the screen (an ntfy topic URL)


def prefs_path(settings: Settings) -> Path:
    return Path(settings.storage.data_dir).expanduser() / PREFS_FILE


def prefs_of(settings: Settings) -> CaregiverPrefs:
    """The preferences as the settings have them now."""
    return CaregiverPrefs(
        settings.voice.volume,
        settings.voice.speech_rate_wpm,
        settings.display.show_camera,
        settings.display.language,
        settings.caregiver.pin,
        settings.caregiver.ntfy_url,
    )


def apply_prefs(settings: Settings, prefs: CaregiverPrefs) -> Settings:
    """The settings with the caregiver's preferences laid over them (the PIN only once one is chosen)."""
    changed = with_overrides(
        settings,
        voice={"volume": prefs.volume, "speech_rate_wpm": prefs.speech_rate_wpm},
        display={"show_camera": prefs.show_camera, "language": prefs.language},
    )
    caregiver = {key: value for key, value in (("pin", prefs.pin), ("ntfy_url", prefs.ntfy_url)) if value}
    return with_overrides(changed, caregiver=caregiver) if caregiver else changed


def prefs_text(prefs: CaregiverPrefs) -> str:
    """The file's text (TOML in the settings file's own sections, so the same checks apply)."""
    return (
        "# Written by the kiosk's caregiver screen; laid over the settings file at start-up.\n"
        "[voice]\n"
        f"volume = {prefs.volume}\n"
        f"speech_rate_wpm = {prefs.speech_rate_wpm}\n"
        "[display]\n"
        f"show_camera = {'true' if prefs.show_camera else 'false'}\n"
        f'language = "{prefs.language}"\n' + caregiver_text(prefs)
    )


def caregiver_text(prefs: CaregiverPrefs) -> str:
    """The [caregiver] part: the PIN and phone alerts set up on the screen (nothing when neither is)."""
    lines = [f'{key} = "{value}"' for key, value in (("pin", prefs.pin), ("ntfy_url", prefs.ntfy_url)) if value]
    return "[caregiver]\n" + "\n".join(lines) + "\n" if lines else ""


def save_prefs(settings: Settings, prefs: CaregiverPrefs) -> None:
    """Write the preferences atomically (readable by the kiosk user only); raises OSError."""
    path = prefs_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(prefs_text(prefs))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def load_prefs(settings: Settings) -> tuple[Settings, str | None]:
    """The settings with the saved preferences applied, and a notice (in the settings' language)
    when the file could not be used."""
    path = prefs_path(settings)
    lang = settings.display.language
    if not path.exists():
        return settings, None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("caregiver choices in %s not read: %s", path, exc)
        return settings, phrase("caregiver.prefs_unreadable", lang)
    saved, problems = parse_settings(text, str(path))
    if problems or saved.display.language not in languages():
        for problem in problems:
            log.warning("caregiver choices: %s", problem)
        return settings, phrase("caregiver.prefs_damaged", lang)
    return apply_prefs(settings, prefs_of(saved)), None


def languages() -> tuple[str, ...]:
    """Languages a caregiver may choose: English and every language that declares itself complete."""
    found = ["en"]
    for folder in sorted(content_path("lang").iterdir()):
        meta = folder / "language.toml"
        if folder.name == "en" or not meta.exists():
            continue
        try:
            if tomllib.loads(meta.read_text(encoding="utf-8")).get("complete") is True:
                found.append(folder.name)
        except (OSError, tomllib.TOMLDecodeError):
            continue
    return tuple(found)
