"""`facecoach check-content [--root DIR]`: every problem in the content as file:line: field: problem.

Checks the exercise library, every language folder (see content.check_lang for the policy on
complete languages) and the plans in content/plans.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.exercises import METRIC_IDS
from content import content_path
from content.check_lang import ENGLISH, check_language
from content.keys import scan_sources
from content.reading import Checked, check_file, read_toml, toml_files
from content.rules import exercise_rules, plan_exercise_rules
from content.schema import EXERCISE, KINDS, PLAN_EXERCISE, PLAN_HEADER, Field
from content.validate import validate
from kiosk.settings import Problem
from kiosk.summary.wording import count

STARTER_PLAN = "starter.toml"


@dataclass
class Report:
    """What check-content found."""

    problems: list[Problem] = field(default_factory=list)
    exercises: int = 0
    languages: dict[str, dict[str, Any]] = field(default_factory=dict)
    plans: int = 0

    def summary(self) -> str:
        """One line saying what was checked."""
        langs = ", ".join(
            f"{code} ({n['exercises']} exercise texts, {n['education']} education topics"
            f"{'' if n['complete'] else ', phrases partial'})"
            for code, n in self.languages.items()
        )
        return f"{self.exercises} exercises, {self.plans} plans, languages: {langs}"


def check_content(root: Path | None = None, code_root: Path | None = None) -> Report:
    """Check the whole content folder (default: the shipped one) against the code in ``code_root``."""
    root = root or content_path()
    report = Report()
    library, problems = check_library(root)
    report.exercises = len(library)
    report.problems += problems
    used, fills = scan_sources(code_root)
    for folder in sorted(p for p in (root / "lang").iterdir() if p.is_dir()) if (root / "lang").is_dir() else []:
        problems, counts = check_language(root, folder.name, library, used, fills)
        report.problems += problems
        report.languages[folder.name] = counts
    if ENGLISH not in report.languages:
        report.problems.append(Problem(str(root / "lang" / ENGLISH), 1, "(folder)", "English is missing"))
    plans = toml_files(root / "plans")
    report.plans = len(plans)
    for path in plans:
        report.problems += check_plan(path, library).problems
    return report


def check_library(root: Path) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """Every exercise file, plus: each coach metric and each kind has an exercise."""
    library: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    files = toml_files(root / "exercises")
    for path in files:
        checked = check_file(path, EXERCISE, lambda d, stem=path.stem: exercise_rules(d, stem))
        problems += checked.problems
        if checked.data is not None and not checked.problems:
            library[path.stem] = checked.data
    folder = str(root / "exercises")
    if files and len(library) == len(files):
        metrics = {ex["metric"] for ex in library.values()}
        for metric in METRIC_IDS:
            if metric not in metrics:
                problems.append(Problem(folder, 1, "metric", f"no exercise is scored by the coach metric {metric!r}"))
        for kind in KINDS:
            if not any(ex["kind"] == kind for ex in library.values()):
                problems.append(Problem(folder, 1, "kind", f"no {kind} item in the library"))
    elif not files:
        problems.append(Problem(folder, 1, "(folder)", "no exercise files"))
    return library, problems


def check_plan(path: Path, library: dict[str, dict[str, Any]]) -> Checked:
    """The parts of a plan that content owns: [plan].stage and [[exercises]]; the starter's safety."""
    checked = read_toml(path)
    data = checked.data
    if data is None:
        return checked
    header = data.get("plan")
    if not isinstance(header, dict):
        checked.add([("plan", "missing [plan] table")])
        return checked
    checked.add(validate({"stage": header["stage"]} if "stage" in header else {}, PLAN_HEADER, "plan."))
    items = data.get("exercises")
    checked.add(validate({"exercises": items} if items is not None else {}, _PLAN_EXERCISES))
    if not checked.problems:
        checked.add(plan_exercise_rules(items, library, header["stage"]))
    if path.name == STARTER_PLAN:
        checked.add(_starter_rules(path, data))
    return checked


_PLAN_EXERCISES = {"exercises": Field("table list", "The planned exercises.", fields=PLAN_EXERCISE)}


def _starter_rules(path: Path, data: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    stimulation = data.get("stimulation", {})
    if not isinstance(stimulation, dict) or stimulation.get("enabled", False) is not False:
        found.append(("stimulation.enabled", "the unsigned starter plan must have stimulation disabled"))
    if path.with_name(path.name + ".sig").exists():
        found.append(("(file)", "the starter plan ships unsigned; remove the .sig file"))
    return found


def register(sub: argparse._SubParsersAction) -> None:
    """Add the check-content subcommand."""
    p = sub.add_parser("check-content", help="check exercises, scripts, phrases, education and plans")
    p.add_argument("--root", help="content folder to check (default: the installed content)")
    p.set_defaults(func=cmd_check_content)


def cmd_check_content(args: argparse.Namespace) -> int:
    """Print every problem; exit 1 when there is any."""
    root = Path(args.root) if args.root else None
    if root is not None and not root.is_dir():
        print(f"{root}:1: (folder): is not a folder")
        return 1
    report = check_content(root)
    for problem in report.problems:
        print(problem)
    if report.problems:
        print(
            f"{count(len(report.problems), 'problem')} in the content; "
            f"fix {'it' if len(report.problems) == 1 else 'them'}, then run facecoach check-content again."
        )
        return 1
    print(f"Content OK: {report.summary()}")
    return 0
