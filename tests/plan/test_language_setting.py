"""display.language: only a shipped language; no setting builds a path out of the content folder."""

from __future__ import annotations

import pytest

from content.i18n import language_path, phrase, phrases, shipped_languages
from kiosk.cli import main
from kiosk.settings import parse_settings


def test_the_shipped_languages_are_the_folders_with_phrases():
    assert {"en", "de"} <= set(shipped_languages())


@pytest.mark.parametrize("language", ["../../../../x", "fr", "en/../../..", "/etc", ""])
def test_check_config_refuses_a_language_not_shipped_with_line_and_field(tmp_path, capsys, language):
    path = tmp_path / "settings.toml"
    path.write_text(f'[display]\nfullscreen = false\nlanguage = "{language}"\n')
    assert main(["check-config", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:3: display.language: must be a language this kiosk has (" in out and repr(language) in out
    settings, problems = parse_settings(path.read_text())
    assert problems and settings.display.language == "en", "a half-understood file is never applied"


def test_a_shipped_language_passes():
    settings, problems = parse_settings('[display]\nlanguage = "de"\n')
    assert problems == [] and settings.display.language == "de"


def test_phrase_lookup_never_leaves_the_content_folder():
    assert phrases("../../../../etc") == {}
    assert phrase("session.greeting", "../../x") == phrase("session.greeting", "en")  # English, not a path
    with pytest.raises(ValueError, match="not a language this kiosk has"):
        language_path("../../x", "phrases.toml")
    assert language_path("de", "phrases.toml").is_file()
