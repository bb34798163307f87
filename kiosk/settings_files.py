"""Find, read and remember settings files (the I/O side of kiosk.settings).

Search order: an explicit path (``--config`` or ``FACECOACH_CONFIG``), then
``~/.config/facecoach/settings.toml``, then ``/etc/facecoach/settings.toml``. A file that
loads cleanly is copied to the state folder as the "last good" file; a broken file at start-up
falls back to that copy, or to the safe defaults, and says so (it never crashes the kiosk).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from content.i18n import phrase
from kiosk.settings import Problem, Settings, parse_settings

ENV_CONFIG = "FACECOACH_CONFIG"
USER_FILE = Path("~/.config/facecoach/settings.toml")
SYSTEM_FILE = Path("/etc/facecoach/settings.toml")
LAST_GOOD = "the last good settings"


def state_dir() -> Path:
    """Folder for small kiosk state (last good settings); honours XDG_STATE_HOME."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "facecoach"


def candidate_paths(explicit: str | os.PathLike[str] | None = None) -> list[Path]:
    """Where settings are looked for, first match wins."""
    chosen = explicit or os.environ.get(ENV_CONFIG)
    if chosen:
        return [Path(chosen).expanduser()]
    return [USER_FILE.expanduser(), SYSTEM_FILE]


@dataclass(frozen=True)
class LoadedSettings:
    """What start-up got: the settings in force, where they came from and what went wrong."""

    settings: Settings
    source: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def notice(self) -> str | None:
        """A plain sentence for the screen when the settings file could not be used (English)."""
        return self.notice_in("en")

    def notice_in(self, lang: str) -> str | None:
        """The same sentence in ``lang`` (content [notice] settings_broken*)."""
        if not self.problems:
            return None
        key = "notice.settings_broken_last_good" if self.source == LAST_GOOD else "notice.settings_broken"
        return phrase(key, lang, count=len(self.problems))


def check_file(path: Path) -> list[Problem]:
    """Every problem in one settings file (an unreadable file is one problem)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(str(path), 1, "(file)", f"cannot be read: {exc}")]
    return parse_settings(text, str(path))[1]


def load_settings(explicit: str | os.PathLike[str] | None = None) -> LoadedSettings:
    """Load settings for start-up, never raising for a bad file."""
    for path in candidate_paths(explicit):
        if not path.exists():
            if explicit or os.environ.get(ENV_CONFIG):
                return _fallback([Problem(str(path), 1, "(file)", "does not exist")])
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return _fallback([Problem(str(path), 1, "(file)", f"cannot be read: {exc}")])
        settings, problems = parse_settings(text, str(path))
        if problems:
            return _fallback(problems)
        _remember_good(text)
        return LoadedSettings(settings, str(path))
    return LoadedSettings(Settings(), "the safe defaults (no settings file)")


def settings_for_command(explicit: str | os.PathLike[str] | None = None) -> Settings | None:
    """The settings a command-line tool works with; None after naming every problem on stderr.

    The kiosk itself carries on with the last good copy or the safe defaults, and says so on its
    screen. A tool run by hand says what is wrong and stops instead: it would otherwise work
    quietly with other settings (another data folder, language or device) than the file given.
    """
    loaded = load_settings(explicit)
    if not loaded.problems:
        return loaded.settings
    for problem in loaded.problems:
        print(f"settings: {problem}", file=sys.stderr)
    print(
        "Nothing was done. Fix the settings file (facecoach check-config names each problem), "
        "or give another one with --config.",
        file=sys.stderr,
    )
    return None


def _last_good_path() -> Path:
    return state_dir() / "settings.last-good.toml"


def _remember_good(text: str) -> None:
    """Keep a copy of the last file that loaded cleanly (best effort: a read-only home is fine)."""
    target = _last_good_path()
    try:
        if target.exists() and target.read_bytes() == text.encode("utf-8"):
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except OSError:
        # Not being able to keep a backup copy must not stop the kiosk; the file itself loaded.
        return


def _fallback(problems: list[Problem]) -> LoadedSettings:
    good = _last_good_path()
    try:
        text = good.read_text(encoding="utf-8") if good.exists() else None
    except (OSError, UnicodeDecodeError) as exc:  # a damaged copy is no reason to stop: safe defaults
        problems = [*problems, Problem(str(good), 1, "(file)", f"the last good copy cannot be read: {exc}")]
        text = None
    if text is not None:
        settings, good_problems = parse_settings(text, str(good))
        if not good_problems:
            return LoadedSettings(settings, LAST_GOOD, problems)
    return LoadedSettings(Settings(), "the safe defaults", problems)
