"""`facecoach check-config [FILE]`: every problem as file:line: field: problem."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.settings_files import candidate_paths, check_file
from kiosk.summary.wording import count


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check-config", help="check a settings file and name every problem")
    p.add_argument("file", nargs="?", help="the file to check (default: the one the kiosk would use)")
    p.set_defaults(func=cmd_check_config)


def cmd_check_config(args: argparse.Namespace) -> int:
    if args.file:
        path = Path(args.file)
    else:
        found = [p for p in candidate_paths() if p.exists()]
        if not found:
            print(
                "No settings file found; the kiosk uses its safe defaults. "
                f"Looked in: {', '.join(str(p) for p in candidate_paths())}"
            )
            return 0
        path = found[0]
    if not path.exists():
        print(f"{path}:1: (file): does not exist")
        return 1
    problems = check_file(path)
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{count(len(problems), 'problem')} in {path}; "
            f"the kiosk will not use this file until {'it is' if len(problems) == 1 else 'they are'} fixed."
        )
        return 1
    print(f"{path}: OK")
    return 0
