"""`facecoach reminders list|simulate` through its own parser (the real register function)."""

import argparse
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kiosk.store import Store
from schedules import cli
from schedules.scenarios import SCENARIOS


def run(argv):
    parser = argparse.ArgumentParser(prog="facecoach")
    cli.register(parser.add_subparsers(dest="command"), open_store=Store.open)
    args = parser.parse_args(argv)
    return args.func(args)


PLAN = """\
[plan]
timezone = "Europe/London"
[[sessions]]
id = "morning"
time = "10:00"
[eye_care]
eye = "right"
[[eye_care.items]]
id = "night_routine"
kind = "ointment"
at = "22:00"
also = ["taping"]
[[eye_care.items]]
id = "late_drops"
kind = "drops"
at = "01:30"
"""


def test_list_shows_a_plan_day_in_order_including_a_dst_day(tmp_path, capsys):
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN)
    assert run(["reminders", "list", "--plan", str(plan), "--date", "2026-03-29"]) == 0
    out = capsys.readouterr().out
    lines = [line.split() for line in out.splitlines() if line.startswith("  ") and ":" in line.split()[0]]
    assert [(parts[0], parts[1]) for parts in lines] == [
        ("02:30", "drops"),  # 01:30 does not exist that night: on the new clock it is 02:30
        ("10:00", "session"),
        ("22:00", "ointment"),
    ]
    assert "eye: right" in out and "caregiver after 15 min" in out


def test_list_without_a_date_is_headed_with_today_in_the_plan_time_zone(tmp_path, capsys):
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN)
    before = datetime.now(ZoneInfo("Europe/London")).date()
    assert run(["reminders", "list", "--plan", str(plan)]) == 0
    after = datetime.now(ZoneInfo("Europe/London")).date()
    heading = next(line for line in capsys.readouterr().out.splitlines() if line.endswith(":"))
    assert heading in {f"{before}:", f"{after}:"}  # was the day before: the day's start is 1 µs before midnight


def test_list_uses_the_starter_plan_or_the_safe_default(capsys):
    assert run(["reminders", "list"]) == 0
    out = capsys.readouterr().out
    assert "drops" in out and "ointment" in out and "22:00" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["reminders", "list", "--plan", "/no/such/plan.toml"], "cannot be read"),
        (["reminders", "list", "--date", "someday"], "is not a date like"),
        (["reminders", "simulate", "--days", "0"], "--days must be from 1 to 366"),
    ],
)
def test_bad_input_gets_a_plain_message_and_exit_2(argv, message, capsys):
    assert run(argv) == 2
    assert message in capsys.readouterr().err


def test_broken_plan_file_is_named(tmp_path, capsys):
    plan = tmp_path / "bad.toml"
    plan.write_text("[plan\n")
    assert run(["reminders", "list", "--plan", str(plan)]) == 2
    assert "is not valid TOML" in capsys.readouterr().err


def test_simulate_prints_totals_as_text_and_json(capsys):
    assert run(["reminders", "simulate", "--days", "2", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    for name in cli.TOTAL_NAMES:
        assert f"  {name}" in out
    assert out.startswith("Simulated 2 days from ") and "(s)" not in out
    assert run(["reminders", "simulate", "--days", "1", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Simulated 1 day from ") and "1 power cut," in out and "1 coaching pause," in out
    assert run(["reminders", "simulate", "--days", "2", "--seed", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["due"] == 16 and data["lost"] == 0 and data["duplicates"] == 0
    assert data["announced"] + data["early"] == 16 and data["acknowledged"] + data["missed"] == 16


def test_simulate_runs_every_scenario_over_several_seeds(capsys):
    argv = ["reminders", "simulate", "--scenario", "all", "--seeds", "2", "--days", "1", "--start", "2026-03-29"]
    assert run(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["default", *SCENARIOS]
    assert lines[0].startswith("default: 2 seeds x 1 day from 2026-03-29:")
    assert all("lost 0" in line and "duplicates 0" in line for line in lines)
    assert run(["reminders", "simulate", "--scenario", "weekly"]) == 2
    assert "There is no scenario 'weekly'" in capsys.readouterr().err


def test_list_shows_the_plan_in_force_on_this_kiosk(isolated_home, capsys):
    from kiosk.cli import main

    config = isolated_home / "settings.toml"
    config.write_text(f'[storage]\ndata_dir = "{isolated_home / "data"}"\n')
    assert main(["reminders", "list", "--config", str(config), "--date", "2026-07-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Plan: the plan in force (version 0, unsigned")
    assert "22:00  ointment" in out
    plan = isolated_home / "other.toml"
    plan.write_text(PLAN)
    assert main(["reminders", "list", "--config", str(config), "--plan", str(plan), "--date", "2026-07-01"]) == 0
    assert f"Plan: {plan}" in capsys.readouterr().out
