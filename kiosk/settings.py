"""Kiosk settings: frozen dataclasses with a doc per field and safe defaults.

The settings file is TOML. Sections map to the dataclasses below; every field carries its
documentation in ``metadata["doc"]`` (``setting(default, doc)``) so ``check-config`` and the
docs test can name it. This module is pure: parsing and validation take text, not paths;
``kiosk.settings_files`` finds, reads and remembers files.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
import typing
from dataclasses import dataclass, field
from typing import Any

# The HAT section and the file-problem record are declared by stim_hat (which never imports the
# kiosk) and used here as they are; ``setting`` is the same helper for every section.
from stim_hat.settings import HatSettings, Problem, setting


@dataclass(frozen=True)
class DisplaySettings:
    """The screen."""

    fullscreen: bool = setting(True, "Fill the whole screen (the kiosk). --windowed overrides.")
    width: int = setting(800, "Window width in pixels when not full screen.")
    height: int = setting(480, "Window height in pixels when not full screen.")
    fps: int = setting(30, "Main loop rate in ticks per second.")
    show_camera: bool = setting(
        False, "Show the camera picture during exercises (off: many patients dislike seeing their face)."
    )
    language: str = setting("en", "Language of screens and speech: a language code shipped in content/lang (en, de).")


@dataclass(frozen=True)
class CameraSettings:
    """The camera that watches the face."""

    source: str = setting("auto", "'auto', 'usb', 'picamera', or a path to a video or image file to replay.")
    index: int = setting(0, "USB camera number (0 is the first camera).")
    width: int = setting(640, "Capture width in pixels.")
    height: int = setting(480, "Capture height in pixels.")


@dataclass(frozen=True)
class VoiceSettings:
    """Speech in and out."""

    enabled: bool = setting(True, "Listen for spoken commands.")
    engine: str = setting("auto", "'auto' (vosk if a model is set, else pocketsphinx), 'vosk' or 'pocketsphinx'.")
    vosk_model: str = setting("", "Folder of an installed vosk model; empty uses pocketsphinx.")
    min_confidence: float = setting(0.6, "Commands heard with lower confidence are ignored (0 to 1).")
    end_silence_ms: int = setting(900, "Silence that ends a spoken command, in ms (long enough for slow speech).")
    vad: str = setting(
        "auto",
        "Voice-activity detector: 'auto' (Silero if installed, else energy), 'energy', 'silero' or 'webrtc'.",
    )
    push_to_talk_pin: int = setting(0, "GPIO pin of an optional push-to-talk button; 0 means none.")
    speech_rate_wpm: int = setting(
        150, "Speaking rate in words per minute (150: the slow end of what older listeners find comfortable)."
    )
    tts: str = setting(
        "auto",
        "Speech out: 'auto' (a Piper voice if one is installed for the language, else espeak-ng), 'piper' or 'espeak'.",
    )
    piper_voice: str = setting(
        "", "A Piper voice file (.onnx, with its .onnx.json beside it); empty looks in /opt/facecoach/piper."
    )
    volume: float = setting(0.9, "Speech volume, 0 to 1.")


@dataclass(frozen=True)
class StorageSettings:
    """Where health data lives."""

    data_dir: str = setting(
        "~/.local/share/facecoach", "Folder of the database, outbox and keys (kept readable by the kiosk user only)."
    )


@dataclass(frozen=True)
class CaregiverSettings:
    """Caregiver access and alerts."""

    pin: str = setting("", "PIN for the caregiver settings screen; empty means the screen is locked.")
    ntfy_url: str = setting("", "ntfy topic URL for caregiver alerts, e.g. http://ntfy.local/facecoach.")
    alert_command: str = setting("", "Local command run with the alert text as its argument.")


@dataclass(frozen=True)
class SyncSettings:
    """Delivery of summaries and collection of new plans."""

    target: str = setting("none", "'none', 'folder' or 'webdav'.")
    folder: str = setting("", "Folder target: a synced or mounted folder.")
    webdav_url: str = setting("", "WebDAV collection URL (Nextcloud-compatible).")
    webdav_user: str = setting("", "WebDAV user name.")
    webdav_password: str = setting("", "WebDAV password (keep this file readable by the kiosk user only).")
    therapist_key: str = setting(
        "", "File with the therapist's Ed25519 public key (64 hex); summaries are encrypted to it when set."
    )
    inbox: str = setting("inbox", "Sub-folder (or sub-collection) of the target where new signed plans are placed.")
    retry_base_seconds: int = setting(60, "First wait after a failed delivery; it doubles with each failure.")
    retry_max_seconds: int = setting(21600, "Longest wait between delivery attempts.")
    summary_days: int = setting(
        7,
        "Days in each therapist summary: `facecoach sync` builds the next one once that many whole days have "
        "passed since the last (no day is left out); also the default of `summary build` without --from/--to.",
    )
    fhir_url: str = setting(
        "",
        "Base URL of the clinic's FHIR R4 server (e.g. HAPI FHIR .../fhir); when set, `facecoach sync` also "
        "sends each summary there as a FHIR transaction, retried like the other deliveries. Use https.",
    )
    fhir_token: str = setting("", "Bearer token for the FHIR server (keep this file readable by the kiosk user only).")
    fhir_canonical: str = setting(
        "",
        "Base URL the deployment owns for the kiosk's FHIR CodeSystem and identifiers; empty: the project's own URN.",
    )


@dataclass(frozen=True)
class Settings:
    """All kiosk settings; every section has safe defaults."""

    display: DisplaySettings = field(default_factory=DisplaySettings)
    camera: CameraSettings = field(default_factory=CameraSettings)
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    hat: HatSettings = field(default_factory=HatSettings)
    storage: StorageSettings = field(default_factory=StorageSettings)
    caregiver: CaregiverSettings = field(default_factory=CaregiverSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)


SECTIONS: dict[str, type] = {
    "display": DisplaySettings,
    "camera": CameraSettings,
    "voice": VoiceSettings,
    "hat": HatSettings,
    "storage": StorageSettings,
    "caregiver": CaregiverSettings,
    "sync": SyncSettings,
}

# Values that are valid only within a set or range: (check, human description).
_CHOICES: dict[str, tuple[str, ...]] = {
    "camera.source.named": ("auto", "usb", "picamera"),
    "voice.engine": ("auto", "vosk", "pocketsphinx"),
    "voice.tts": ("auto", "piper", "espeak"),
    "voice.vad": ("auto", "energy", "silero", "webrtc"),
    "sync.target": ("none", "folder", "webdav"),
}
_RANGES: dict[str, tuple[float, float]] = {
    "display.width": (320, 7680),
    "display.height": (240, 4320),
    "display.fps": (5, 60),
    "camera.width": (160, 3840),
    "camera.height": (120, 2160),
    "camera.index": (0, 63),
    "voice.min_confidence": (0.0, 1.0),
    "voice.end_silence_ms": (200, 5000),
    "voice.speech_rate_wpm": (60, 250),
    "voice.volume": (0.0, 1.0),
    "voice.push_to_talk_pin": (0, 27),
    "hat.max_current_ma": (0.0, 25.0),
    "sync.retry_base_seconds": (1, 86400),
    "sync.retry_max_seconds": (1, 604800),
    "sync.summary_days": (1, 366),
    "hat.amplitude_full_scale_ma": (1.0, 25.0),
    "hat.contact_min_level": (0.05, 0.95),
}


def key_lines(text: str) -> dict[str, int]:
    """Map 'section.key' (and 'section') to the 1-based line where it is written."""
    lines: dict[str, int] = {}
    table = ""
    header = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]")
    assign = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")
    for number, raw in enumerate(text.splitlines(), start=1):
        if m := header.match(raw):
            table = m.group(1)
            lines.setdefault(table, number)
        elif m := assign.match(raw):
            dotted = f"{table}.{m.group(1)}" if table else m.group(1)
            lines.setdefault(dotted, number)
    return lines


def _type_name(tp: Any) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "text in quotes"}.get(tp, str(tp))


def _coerce(value: Any, tp: Any) -> tuple[bool, Any]:
    """Check a TOML value against a field type; ints are accepted where floats are expected."""
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return True, float(value)
    if tp is int and isinstance(value, bool):
        return False, value
    if isinstance(value, tp):
        return True, value
    return False, value


def _check_value(name: str, value: Any) -> str | None:
    if name in _RANGES:
        low, high = _RANGES[name]
        if not low <= value <= high:
            return f"must be between {low:g} and {high:g}, got {value!r}"
    if name in _CHOICES and value not in _CHOICES[name]:
        return f"must be one of {', '.join(_CHOICES[name])}, got {value!r}"
    if name == "caregiver.pin" and value and not (value.isdigit() and 4 <= len(value) <= 8):
        return "must be 4 to 8 digits"
    if name == "display.language":
        from content.i18n import shipped_languages  # the shipped folders, read once

        if value not in shipped_languages():
            return f"must be a language this kiosk has ({', '.join(shipped_languages())}), got {value!r}"
    return None


def suggest(word: str, known: typing.Iterable[str]) -> str:
    """' — did you mean X?' for a near miss among ``known`` ("fullscrean"), else '' (settings and plans)."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" — did you mean {close[0]}?" if close else ""


def _setting_hint(section_name: str, key: str, here: typing.Mapping[str, Any]) -> str:
    """Where an unknown setting probably belongs: another section that has it, or a near spelling here."""
    elsewhere = [name for name, cls in SECTIONS.items() if name != section_name and key in typing.get_type_hints(cls)]
    if elsewhere:
        return f" — {key} belongs in [{'] or ['.join(elsewhere)}]"
    return suggest(key, here)


def parse_settings(text: str, filename: str = "<settings>") -> tuple[Settings, list[Problem]]:
    """Parse settings text; return the settings and every problem found.

    When there are problems the returned settings are the safe defaults: a half-understood
    file is never applied.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        return Settings(), [Problem(filename, int(m.group(1)) if m else 1, "(file)", f"not valid TOML: {exc}")]
    where = key_lines(text)
    problems: list[Problem] = []
    sections: dict[str, Any] = {}
    for section_name, section_value in data.items():
        line = where.get(section_name, 1)
        cls = SECTIONS.get(section_name)
        if cls is None:
            problems.append(
                Problem(
                    filename,
                    line,
                    section_name,
                    f"unknown section{suggest(section_name, SECTIONS)} (known: {', '.join(SECTIONS)})",
                )
            )
            continue
        if not isinstance(section_value, dict):
            problems.append(Problem(filename, line, section_name, "must be a [section] table"))
            continue
        field_types = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        for key, value in section_value.items():
            dotted = f"{section_name}.{key}"
            kline = where.get(dotted, line)
            if key not in field_types:
                hint = _setting_hint(section_name, key, field_types)
                problems.append(
                    Problem(filename, kline, dotted, f"unknown setting{hint} (known here: {', '.join(field_types)})")
                )
                continue
            ok, coerced = _coerce(value, field_types[key])
            if not ok:
                problems.append(
                    Problem(filename, kline, dotted, f"must be {_type_name(field_types[key])}, got {value!r}")
                )
                continue
            check_name = (
                "camera.source.named"
                if dotted == "camera.source" and coerced in ("auto", "usb", "picamera")
                else dotted
            )
            if (message := _check_value(check_name, coerced)) is not None:
                problems.append(Problem(filename, kline, dotted, message))
                continue
            values[key] = coerced
        sections[section_name] = cls(**values)
    if problems:
        return Settings(), problems
    return Settings(**sections), []


def documented_fields() -> dict[str, str]:
    """Every 'section.field' with its one-line description."""
    docs: dict[str, str] = {}
    for section, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            docs[f"{section}.{f.name}"] = f.metadata.get("doc", "")
    return docs


def with_overrides(settings: Settings, **sections: dict[str, Any]) -> Settings:
    """A copy with some section fields replaced, e.g. with_overrides(s, display={"fullscreen": False})."""
    changed = {name: dataclasses.replace(getattr(settings, name), **values) for name, values in sections.items()}
    return dataclasses.replace(settings, **changed)


__all__ = [
    "Settings",
    "Problem",
    "key_lines",
    "parse_settings",
    "documented_fields",
    "with_overrides",
    "setting",
    "SECTIONS",
    "DisplaySettings",
    "CameraSettings",
    "VoiceSettings",
    "HatSettings",
    "StorageSettings",
    "CaregiverSettings",
    "SyncSettings",
]
