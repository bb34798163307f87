"""`facecoach reminders list|simulate`: today's schedule, and the real code in accelerated time.

The kiosk registers it (``kiosk.reminders_cli``) and supplies what schedules/ may not import: the
plan in force (``in_force``) and how to open its store (``open_store``).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tomllib
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from content import content_path
from schedules.due import day_bounds, local_instant, occurrences, sessions_between
from schedules.plan_section import ScheduleSection, default_section, parse_schedule
from schedules.scenarios import SCENARIOS, scenario_section
from schedules.simulate import Totals, simulate
from schedules.zones import local_zone

STARTER_PLAN = "plans/starter.toml"
TOTAL_NAMES = ("due", "announced", "acknowledged", "late", "escalated", "missed", "duplicates", "lost")


# in_force(config) -> (decoded plan, its text, where it comes from); raises ValueError with plain words.
InForce = Callable[[str | None], tuple[dict[str, Any], str, str]]


def register(
    sub: argparse._SubParsersAction, in_force: InForce | None = None, open_store: Callable[[Path], Any] | None = None
) -> None:
    p = sub.add_parser("reminders", help="eye-care reminders and sessions: list today's, simulate days")
    rsub = p.add_subparsers(dest="reminders_command", metavar="ACTION")
    ls = rsub.add_parser("list", help="today's eye-care reminders and exercise sessions from the plan")
    ls.add_argument("--plan", type=Path, help="another plan file (default: the plan in force on this kiosk)")
    ls.add_argument("--date", help="another day, as YYYY-MM-DD")
    ls.add_argument("--config", help="settings file (where the kiosk keeps its data and plan)")
    ls.set_defaults(func=cmd_list, in_force=in_force)
    sim = rsub.add_parser("simulate", help="run the real reminder code over N days in accelerated time")
    sim.add_argument("--days", type=int, default=14, help="days to simulate (1 to 366)")
    sim.add_argument("--seed", type=int, default=1, help="seed of the scripted patient")
    sim.add_argument("--start", help="first day, as YYYY-MM-DD (default 2026-03-23: crosses the March DST change)")
    sim.add_argument("--plan", type=Path, help="plan file whose schedule to use")
    sim.add_argument(
        "--scenario",
        default="default",
        help=f"a realistic plan instead: default, {', '.join(SCENARIOS)}, or all",
    )
    sim.add_argument("--seeds", type=int, default=1, help="run this many seeds from --seed on (1 to 500)")
    sim.add_argument("--json", action="store_true", help="print the totals as JSON")
    sim.set_defaults(func=cmd_simulate, open_store=open_store)
    p.set_defaults(func=lambda args: p.print_help() or 2)


def load_section(
    path: Path | None, in_force: InForce | None = None, config: str | None = None
) -> tuple[ScheduleSection, str, list[str]]:
    """The schedule from a plan file, the plan in force, the starter plan or the safe default; source; problems."""
    if path is None and in_force is not None:
        raw, text, source = in_force(config)
        section, problems = parse_schedule(raw, text, source, default_timezone=local_zone())
        return section, source, [str(p) for p in problems]
    if path is None:
        starter = content_path(STARTER_PLAN)
        if not starter.exists():
            return default_section(local_zone()), "the built-in safe default", []
        path = starter
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except OSError as exc:
        raise ValueError(f"The plan file {path} cannot be read: {exc.strerror or exc}.") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"The plan file {path} is not valid TOML: {exc}.") from exc
    section, problems = parse_schedule(raw, text, str(path), default_timezone=local_zone())
    return section, str(path), [str(p) for p in problems]


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"The date {text!r} is not a date like 2026-11-02.") from exc


def cmd_list(args: argparse.Namespace) -> int:
    try:
        section, source, problems = load_section(args.plan, getattr(args, "in_force", None), args.config)
        day = _day(args.date)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    tz = ZoneInfo(section.timezone)
    now = datetime.now(UTC)
    if day is not None:
        now = local_instant(day, time(12), tz).astimezone(UTC)
    start, end = day_bounds(section, now)
    print(f"Plan: {source} (time zone {section.timezone}, eye: {section.eye})")
    for problem in problems:
        print(f"  problem: {problem}")
    rows = [(o.local, o.kind, o.item_id, "protected" if o.protected else "") for o in occurrences(section, start, end)]
    rows += [(o.local, "session", o.item_id, "") for o in sessions_between(section, start, end)]
    print(f"{now.astimezone(tz).date()}:")  # not start's: the day begins 1 µs before midnight
    if not rows:
        print("  nothing planned")
    for local, kind, item_id, note in sorted(rows):
        print(f"  {local.strftime('%H:%M')}  {kind:<12} {item_id:<16} {note}".rstrip())
    p = section.policy
    print(
        f"Escalation: repeat every {p.repeat_every_minutes} min, caregiver after {p.caregiver_after_minutes} min, "
        f"missed after {p.catch_up_minutes} min, snooze {p.snooze_minutes} min x{p.max_snoozes}"
    )
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    if args.open_store is None:
        print("The simulation needs the kiosk's store: run it as facecoach reminders simulate.", file=sys.stderr)
        return 2
    if not 1 <= args.days <= 366 or not 1 <= args.seeds <= 500:
        print(
            f"--days must be from 1 to 366 and --seeds from 1 to 500, got {args.days} and {args.seeds}.",
            file=sys.stderr,
        )
        return 2
    try:
        runs = _sections(args)
        day = _day(args.start) or date(2026, 3, 23)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    logging.getLogger("schedules").setLevel(logging.ERROR)
    failed = False
    for name, section, problems in runs:
        start = local_instant(day, time(6), ZoneInfo(section.timezone))
        results = [
            (seed, simulate(args.days, seed, start=start, section=section, open_store=args.open_store))
            for seed in _seeds(args)
        ]
        failed |= any(t.lost or t.duplicates for _, t in results)
        if len(results) > 1 or len(runs) > 1:
            _print_many(name, args, day, results)
            continue
        seed, totals = results[0]
        data = totals.as_dict()
        if args.json:
            print(
                json.dumps(
                    {"days": args.days, "seed": seed, "start": day.isoformat(), "scenario": name, **data}, indent=2
                )
            )
            continue
        print(f"Simulated {_n(args.days, 'day')} from {day} (seed {seed}, {name}, time zone {section.timezone}):")
        for total in TOTAL_NAMES:
            print(f"  {total:<13}{data[total]:>6}")
        print(
            f"  ({_n(data['restarts'], 'power cut')}, {_n(data['minutes_off'], 'minute')} off, "
            f"{_n(data['clock_jumps'], 'clock jump')}, {_n(data['interrupts'], 'coaching pause')}, "
            f"{data['after_stimulation']} spoken after stimulation, {_n(data['caregiver_alerts'], 'caregiver alert')}; "
            f"{_n(data['answers'], 'answer')}, {data['early']} early, {data['repeats']} said again)"
        )
        for problem in problems + totals.problems:
            print(f"  problem: {problem}")
    return 1 if failed else 0


def _n(count: int, word: str) -> str:
    """ "1 day", "2 days" (English; this tool's output is for the team, not the patient)."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def _seeds(args: argparse.Namespace) -> range:
    return range(args.seed, args.seed + args.seeds)


def _sections(args: argparse.Namespace) -> list[tuple[str, ScheduleSection, list[str]]]:
    """(name, schedule, problems) of each plan to simulate: --plan, one scenario, or all of them."""
    if args.plan:
        section, source, problems = load_section(args.plan)
        return [(source, section, problems)]
    names = ["default", *SCENARIOS] if args.scenario == "all" else [args.scenario]
    return [(name, scenario_section(name), []) for name in names]


def _print_many(name: str, args: argparse.Namespace, day: date, results: list[tuple[int, Totals]]) -> None:
    """One line per plan: the sums over its seeds, then any seed that lost or duplicated something."""
    sums = {total: sum(t.as_dict()[total] for _, t in results) for total in (*TOTAL_NAMES, "early", "repeats")}
    if args.json:
        print(json.dumps({"scenario": name, "days": args.days, "seeds": [s for s, _ in results], **sums}))
    else:
        words = ", ".join(f"{k} {v}" for k, v in sums.items())
        print(f"{name}: {_n(len(results), 'seed')} x {_n(args.days, 'day')} from {day}: {words}")
    for seed, totals in results:
        for problem in totals.problems[:5]:
            print(f"  seed {seed}: problem: {problem}")
