import os
import subprocess
import sys

import pytest

from kiosk.cli import main
from kiosk.devices.factory import HardwareModeError, build_devices, hardware_mode
from kiosk.display import display_problem
from kiosk.selftest import format_table, runnable_modes
from kiosk.selftest_row import Check
from kiosk.settings import Settings


def test_version(capsys):
    assert main(["version"]) == 0
    assert capsys.readouterr().out.startswith("facecoach 0.")


def test_check_config_names_wrong_type_and_unknown_key(tmp_path, capsys):
    bad = tmp_path / "settings.toml"
    bad.write_text('[display]\nfps = "fast"\n\n[voice]\nspeed = 3\n')
    assert main(["check-config", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:2: display.fps: must be a whole number" in out
    assert f"{bad}:5: voice.speed: unknown setting" in out
    assert f"2 problems in {bad}; the kiosk will not use this file until they are fixed." in out
    bad.write_text('[display]\nfps = "fast"\n')
    assert main(["check-config", str(bad)]) == 1
    assert f"1 problem in {bad}; the kiosk will not use this file until it is fixed." in capsys.readouterr().out


def test_check_config_ok_and_missing(tmp_path, capsys):
    good = tmp_path / "good.toml"
    good.write_text("[display]\nfps = 25\n")
    assert main(["check-config", str(good)]) == 0
    assert main(["check-config", str(tmp_path / "nope.toml")]) == 1
    out = capsys.readouterr().out
    assert "does not exist" in out


def test_hardware_mode():
    assert hardware_mode(demo=True, environ={"FACECOACH_HARDWARE": "real"}) == "fake"
    assert hardware_mode(environ={}) == "real"
    assert hardware_mode(environ={"FACECOACH_HARDWARE": "AUTO"}) == "auto"
    with pytest.raises(HardwareModeError):
        hardware_mode(environ={"FACECOACH_HARDWARE": "maybe"})


def test_real_mode_reports_missing_devices_instead_of_faking():
    devices = build_devices(Settings(), "real")
    assert devices.camera is None and devices.states["camera"].state == "missing"
    fake = build_devices(Settings(), "fake")
    assert fake.camera.read() is not None and fake.states["camera"].state == "fake"
    fake.close()
    assert fake.camera.read() is None, "a closed camera gives no more frames"


def test_display_problem_is_one_plain_sentence():
    message = display_problem({"FACECOACH_LAUNCHER": "scripts/run"})
    assert message and "xvfb-run -a scripts/run --demo --windowed" in message
    assert message.count(". ") == 0
    assert display_problem({"DISPLAY": ":1"}) is None
    assert display_problem({"SDL_VIDEODRIVER": "dummy"}) is None


def test_run_without_display_prints_sentence_not_traceback(isolated_home):
    env = {"HOME": str(isolated_home / "home"), "PATH": "/usr/bin:/bin", "FACECOACH_HARDWARE": "fake"}
    result = subprocess.run([sys.executable, "-m", "kiosk", "run"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "No screen was found" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_demo_with_broken_settings_still_starts(isolated_home, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[display]\nfps = "fast"\n')
    shot = tmp_path / "shot.png"
    env = {
        "HOME": str(isolated_home / "home"),
        "PATH": "/usr/bin:/bin",
        "SDL_VIDEODRIVER": "dummy",
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "run",
            "--demo",
            "--windowed",
            "--config",
            str(bad),
            "--max-seconds",
            "1",
            "--screenshot",
            str(shot),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "display.fps: must be a whole number" in result.stderr
    assert shot.stat().st_size > 1000


def test_selftest_table_and_modes():
    rows = [
        Check("display", "fake"),
        Check("storage", "found"),
        Check("disk space", "found"),
        Check("face model", "found"),
        Check("camera", "missing", "", "Plug in the camera"),
        Check("services", "missing", "not installed", "Only needed on the appliance"),
        Check("speech out", "missing", "espeak-ng failed: no such file.", "Install espeak-ng"),
    ]
    table = format_table(rows)
    assert "camera" in table and "Plug in the camera" in table
    assert "not installed. Only needed on the appliance" in table  # what was found, then what to do
    assert "espeak-ng failed: no such file. Install espeak-ng" in table
    modes = runnable_modes(rows)
    assert modes["fake"] == []
    assert "camera" in modes["real"]


def test_selftest_runs_on_this_machine(isolated_home, capsys, monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    code = main(["selftest", "--demo"])
    out = capsys.readouterr().out
    assert "demo (all fakes)" in out and "storage" in out and "clock" in out
    assert code == 0, out


def test_output_cut_short_by_a_closed_pipe_ends_quietly():
    """`facecoach plan exercises | head -1` printed a BrokenPipeError traceback.

    The reader is gone before anything is written (as when `head` has had its line), so the
    outcome does not depend on how much of the output fits in the pipe first.
    """
    code = "import sys; from kiosk.cli import main; sys.exit(main(['plan', 'exercises']))"
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-c", code], stdout=write_end, stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(write_end)
    err = proc.stderr.decode()
    assert proc.returncode == 141, err
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err, err


def test_a_broken_pipe_that_is_not_the_output_is_not_hidden(monkeypatch, capsys):
    import kiosk.plan.cli_authoring as authoring

    def broken(args):
        raise BrokenPipeError(32, "Broken pipe")  # a socket's, say: standard output is fine

    monkeypatch.setattr(authoring, "cmd_exercises", broken)
    with pytest.raises(BrokenPipeError):
        main(["plan", "exercises"])


@pytest.mark.parametrize(
    "command",
    [
        ["hear", "{wav}"],
        ["speech", "--config", "{config}", "say", "--wav", "{out}", "Hello."],
        ["reminders", "list"],
        ["plan", "identity"],
        ["plan", "verify", "{plan}"],
        ["plan", "sign", "{plan}", "--key", "{out}"],
        ["summary", "build", "--synthetic-weeks", "1", "--out", "{out}"],
        ["sync"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
@pytest.mark.parametrize("broken", ["missing", "bad TOML"])
def test_a_tool_given_settings_it_cannot_use_says_so_and_does_nothing(
    command, broken, tmp_path, capsys, isolated_home, monkeypatch
):
    # The kiosk itself goes on with the last good settings; a tool run by hand used to do the same
    # without a word (another data folder, language or device than the file given).
    config = tmp_path / "settings.toml"
    if broken == "bad TOML":
        config.write_text("[display\nlanguage = 'en'\n")
    wav, out = tmp_path / "in.wav", tmp_path / "out.wav"
    wav.write_bytes(b"RIFF")
    values = {"wav": str(wav), "out": str(out), "config": str(config), "plan": "content/plans/starter.toml"}
    argv = [part.format(**values) for part in command]
    if argv[:2] in (["plan", "verify"], ["plan", "sign"]):
        monkeypatch.setenv("FACECOACH_CONFIG", str(config))  # the therapist's tools take no --config
    elif "--config" not in argv:
        argv += ["--config", str(config)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"settings: {config}:" in err and "Nothing was done." in err, err
    assert not out.exists()


def test_speech_say_refuses_empty_words_and_names_a_file_it_cannot_write(tmp_path, capsys, isolated_home):
    assert main(["speech", "say", "--wav", str(tmp_path / "x.wav"), "  "]) == 2
    assert "Nothing to say" in capsys.readouterr().out
    assert not (tmp_path / "x.wav").exists()
    target = tmp_path / "no such folder" / "x.wav"
    assert main(["speech", "say", "--wav", str(target), "Hello."]) == 1
    assert f"The WAV file could not be written: {target}: No such file or directory." in capsys.readouterr().err
