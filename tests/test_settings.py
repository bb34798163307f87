import dataclasses
import os
import re

from content import content_path
from kiosk.settings import SECTIONS, Settings, documented_fields, parse_settings
from kiosk.settings_files import load_settings

BROKEN = """\
[display]
fps = "fast"
width = 1024
colour = "blue"

[voice]
volume = 2.5
"""


def test_defaults_are_safe():
    s = Settings()
    assert s.display.show_camera is False
    assert s.hat.max_current_ma <= 10.0
    assert s.caregiver.pin == ""


def test_valid_file_parses_and_ints_become_floats():
    settings, problems = parse_settings("[voice]\nvolume = 1\n[display]\nfullscreen = false\n")
    assert problems == []
    assert settings.voice.volume == 1.0 and isinstance(settings.voice.volume, float)
    assert settings.display.fullscreen is False


def test_every_problem_named_with_line_and_field():
    settings, problems = parse_settings(BROKEN, "s.toml")
    text = [str(p) for p in problems]
    assert "s.toml:2: display.fps: must be a whole number, got 'fast'" in text
    assert any(t.startswith("s.toml:4: display.colour: unknown setting") for t in text)
    assert any(t.startswith("s.toml:7: voice.volume: must be between 0 and 1") for t in text)
    assert len(problems) == 3
    assert settings == Settings(), "a half-understood file is never applied"


def test_bad_toml_gives_line():
    _, problems = parse_settings("[display]\nfps = = 3\n", "x.toml")
    assert len(problems) == 1
    assert problems[0].line == 2 and "not valid TOML" in problems[0].message


def test_unknown_section_and_bool_for_int():
    _, problems = parse_settings("[screen]\nx = 1\n[camera]\nindex = true\n", "f")
    assert [p.field for p in problems] == ["screen", "camera.index"]
    assert problems[0].line == 1 and problems[1].line == 4


def test_an_unknown_setting_says_where_it_belongs_or_what_was_meant():
    text = '[voice]\nlanguage = "de"\n[display]\nfulscreen = false\n[camra]\nindex = 0\n[hat]\nlanguage = "en"\n'
    settings, problems = parse_settings(text, "s.toml")
    assert [str(p) for p in problems] == [
        "s.toml:2: voice.language: unknown setting — language belongs in [display] (known here: "
        + ", ".join(f.name for f in dataclasses.fields(SECTIONS["voice"]))
        + ")",
        "s.toml:4: display.fulscreen: unknown setting — did you mean fullscreen? (known here: "
        + ", ".join(f.name for f in dataclasses.fields(SECTIONS["display"]))
        + ")",
        "s.toml:5: camra: unknown section — did you mean camera? (known: " + ", ".join(SECTIONS) + ")",
        "s.toml:8: hat.language: unknown setting — language belongs in [display] (known here: "
        + ", ".join(f.name for f in dataclasses.fields(SECTIONS["hat"]))
        + ")",
    ]
    assert settings == Settings(), "a half-understood file is still never applied"
    _, problems = parse_settings("[voice]\nloudness = 1\n", "s.toml")
    assert "did you mean" not in problems[0].message and "belongs in" not in problems[0].message


def test_every_field_has_a_doc_and_appears_in_the_sample():
    sample = content_path("settings.sample.toml").read_text()
    settings, problems = parse_settings(sample, "sample")
    assert problems == []
    assert settings == Settings(), "the sample shows the defaults"
    for dotted, doc in documented_fields().items():
        assert doc, f"{dotted} has no description"
        section, name = dotted.split(".")
        assert re.search(rf"^\[{section}\][\s\S]*?^{name} = ", sample, re.M), f"{dotted} missing in sample"
    assert set(SECTIONS) == {f.name for f in dataclasses.fields(Settings)}


def test_broken_file_falls_back_to_last_good(isolated_home):
    path = isolated_home / "s.toml"
    path.write_text("[display]\nfps = 20\n")
    first = load_settings(path)
    assert first.problems == [] and first.settings.display.fps == 20
    path.write_text(BROKEN)
    second = load_settings(path)
    assert second.settings.display.fps == 20
    assert second.source == "the last good settings"
    assert "has 3 problems. The kiosk uses the last good settings" in second.notice
    german = second.notice_in("de")
    assert "3 Fehler" in german and "letzten guten Einstellungen" in german


def test_one_problem_is_said_in_the_singular(isolated_home):
    path = isolated_home / "s.toml"
    path.write_text('[display]\nfps = "fast"\n')
    assert "has 1 problem." in load_settings(path).notice


def test_broken_file_without_last_good_uses_defaults(isolated_home):
    path = isolated_home / "s.toml"
    path.write_bytes(b"\xff\xfe not text")
    loaded = load_settings(path)
    assert loaded.settings == Settings()
    assert loaded.source == "the safe defaults"
    assert "cannot be read" in loaded.problems[0].message


def test_environment_override_and_missing_file(isolated_home, monkeypatch):
    monkeypatch.setenv("FACECOACH_CONFIG", str(isolated_home / "nope.toml"))
    loaded = load_settings()
    assert loaded.problems[0].message == "does not exist"
    assert loaded.settings == Settings()


def test_no_file_means_defaults_without_notice(isolated_home):
    loaded = load_settings()
    assert loaded.notice is None and loaded.settings == Settings()
    assert not os.path.exists(isolated_home / "state" / "facecoach")


def test_the_voice_activity_detector_is_one_of_the_known_ones():
    settings, problems = parse_settings('[voice]\nvad = "silero"\n', "s.toml")
    assert not problems and settings.voice.vad == "silero"
    _, problems = parse_settings('[voice]\nvad = "loud"\n', "s.toml")
    assert [str(p) for p in problems] == [
        "s.toml:2: voice.vad: must be one of auto, energy, silero, webrtc, got 'loud'"
    ]
