"""`facecoach hat-off` against gpiozero's simulated board: every output ends low."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from gpiozero.pins.mock import MockFactory, MockPin

from kiosk.hat_off import EXIT_NO_GPIO, EXIT_OK, EXIT_PIN_FAILED, EXIT_STILL_ACTIVE, OUTPUTS, turn_hat_off
from kiosk.settings import HatSettings


def stuck_on_board(hat: HatSettings) -> MockFactory:
    """A simulated board left as a crashed kiosk might leave it: every output driven high."""
    factory = MockFactory()
    for _, attr in OUTPUTS:
        pin = factory.pin(getattr(hat, attr))
        pin.function = "output"
        pin.state = True
        assert pin.state is True
    return factory


def test_every_output_left_high_ends_low():
    hat = HatSettings()
    factory = stuck_on_board(hat)
    code, lines = turn_hat_off(hat, factory)
    assert code == EXIT_OK, lines
    for _, attr in OUTPUTS:
        pin = factory.pin(getattr(hat, attr))
        pin.assert_states([False, True, False])  # low at creation, stuck high, forced low
        assert pin.state is False
    assert lines[-1] == "All HAT outputs are off."
    assert sum(" low" in line for line in lines) == len(OUTPUTS)


def test_configured_pins_are_the_ones_forced_low():
    hat = HatSettings(left_enable_pin=5, right_enable_pin=6, amplitude_pin=12, heartbeat_pin=13, status_led_pin=16)
    factory = stuck_on_board(hat)
    default_left = factory.pin(HatSettings().left_enable_pin)
    default_left.function = "output"
    default_left.state = True  # a pin the HAT does not use is left alone
    assert turn_hat_off(hat, factory)[0] == EXIT_OK
    assert all(factory.pin(p).state is False for p in (5, 6, 12, 13, 16))
    assert default_left.state is True


class BoardDrivenHigh(MockPin):
    """An input line the board drives high: stronger than the Pi's weak pull-down."""

    def _set_pull(self, value):
        super()._set_pull(value)
        self._change_state(True)


def test_board_that_still_reports_output_active_is_an_alarm():
    hat = HatSettings()
    factory = stuck_on_board(hat)
    factory.pin(hat.output_active_pin, pin_class=BoardDrivenHigh)
    code, lines = turn_hat_off(hat, factory)
    assert code == EXIT_STILL_ACTIVE
    assert "Unplug the electrodes" in lines[-1]
    assert all(factory.pin(getattr(hat, a)).state is False for _, a in OUTPUTS)


def test_a_bad_pin_does_not_stop_the_others():
    hat = HatSettings(amplitude_pin=99)  # no such GPIO on the simulated board
    factory = stuck_on_board(HatSettings())
    code, lines = turn_hat_off(hat, factory)
    assert code == EXIT_PIN_FAILED
    assert any("amplitude" in line and "NOT SET" in line for line in lines)
    for _, attr in OUTPUTS:
        if attr != "amplitude_pin":
            assert factory.pin(getattr(hat, attr)).state is False


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "hat-off", *args], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.fixture
def cli_env(isolated_home):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACECOACH_", "GPIOZERO_"))}
    env["HOME"] = str(isolated_home / "home")
    env["XDG_STATE_HOME"] = str(isolated_home / "state")
    return env


def test_cli_with_mock_board(cli_env):
    result = run_cli("--mock", env=cli_env)
    assert result.returncode == EXIT_OK, result.stderr
    assert result.stdout.startswith("Simulated board")
    assert "All HAT outputs are off." in result.stdout
    assert "Traceback" not in result.stderr


def test_cli_with_fake_hardware_env(cli_env):
    result = run_cli(env={**cli_env, "FACECOACH_HARDWARE": "fake"})
    assert result.returncode == EXIT_OK, result.stderr
    assert "Simulated board" in result.stdout


@pytest.mark.parametrize("pin_library", ["", "native"])
def test_cli_without_a_board_says_so_and_never_raises(cli_env, pin_library):
    # gpiozero's own pin libraries look for a Raspberry Pi and find none on this machine.
    if os.path.exists("/proc/device-tree/model"):
        pytest.skip("this machine has a device tree (a Pi?); the no-board case cannot be shown here")
    env = {**cli_env, "GPIOZERO_PIN_FACTORY": pin_library} if pin_library else cli_env
    result = run_cli(env=env)
    assert result.returncode == EXIT_NO_GPIO, result.stdout + result.stderr
    assert "No GPIO was found on this computer" in result.stdout
    assert "Traceback" not in result.stderr


# ---- which pins, when the settings cannot be trusted (issue 16) ------------------------------
CONFIGURED = HatSettings(left_enable_pin=5, right_enable_pin=6, amplitude_pin=12, heartbeat_pin=13, status_led_pin=16)
CONFIGURED_TOML = """[hat]
installed = true
left_enable_pin = 5
right_enable_pin = 6
amplitude_pin = 12
heartbeat_pin = 13
status_led_pin = 16
"""


@pytest.fixture
def state(isolated_home, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(isolated_home / "state"))
    monkeypatch.delenv("FACECOACH_CONFIG", raising=False)
    return isolated_home


def high_pins(factory, pins):
    for pin in pins:
        p = factory.pin(pin)
        p.function = "output"
        p.state = True
    return factory


def test_a_typo_and_no_last_good_copy_still_turns_the_configured_pins_off(state):
    from kiosk.hat_off import hat_off

    config = state / "settings.toml"
    config.write_text(CONFIGURED_TOML + "speling_mistake = 1\n")
    factory = high_pins(MockFactory(), (5, 6, 12, 13, 16))
    code, lines = hat_off(str(config), factory)
    assert code == EXIT_OK, lines
    assert all(factory.pin(p).state is False for p in (5, 6, 12, 13, 16)), "the configured pins"
    assert any("every output pin any settings named" in line for line in lines)
    assert any("GPIO17" in line for line in lines), "and the default pins, since the file cannot be trusted"


def test_pins_recorded_at_the_last_open_are_driven_even_if_the_file_is_gone(state):
    from kiosk.hat_off import hat_off
    from kiosk.hat_pins import remember_pins

    remember_pins(CONFIGURED)
    factory = high_pins(MockFactory(), (5, 6, 12, 13, 16))
    code, lines = hat_off(str(state / "missing.toml"), factory)
    assert code == EXIT_OK, lines
    assert all(factory.pin(p).state is False for p in (5, 6, 12, 13, 16))
    assert "recorded when the HAT was last opened" in lines[1]
    assert not any("GPIO17 " in line for line in lines), "known pins: nothing else is touched"


def test_a_last_good_copy_that_is_not_utf8_does_not_stop_hat_off(state):
    from kiosk.hat_off import hat_off
    from kiosk.settings_files import state_dir

    state_dir().mkdir(parents=True, exist_ok=True)
    (state_dir() / "settings.last-good.toml").write_bytes(b"[hat]\nleft_enable_pin = \xff\xfe\n")
    config = state / "settings.toml"
    config.write_text("[hat\n")
    factory = high_pins(MockFactory(), (17, 27, 18))
    code, lines = hat_off(str(config), factory)
    assert code == EXIT_OK, lines
    assert all(factory.pin(p).state is False for p in (17, 27, 18))
    assert any("last good copy cannot be read" in line or "problem" in line for line in lines)


def test_the_cli_never_shows_a_traceback_with_a_broken_non_utf8_file(cli_env, isolated_home):
    bad = isolated_home / "bad.toml"
    bad.write_bytes(b"\xff\xfe[hat]\n")
    result = run_cli("--mock", "--config", str(bad), env=cli_env)
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "every output pin any settings named" in result.stdout
