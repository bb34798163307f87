"""`facecoach reminders`: the schedules CLI, given the kiosk's plan in force and its store."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from schedules import cli


def register(sub: argparse._SubParsersAction) -> None:
    from kiosk.store import Store

    cli.register(sub, in_force=plan_in_force, open_store=Store.open)


def plan_in_force(config: str | None) -> tuple[dict[str, Any], str, str]:
    """The decoded plan the kiosk follows now, its text and a plain description of where it comes from."""
    from kiosk.plan.current import current_plan, starter_plan_bytes, starter_plan_path
    from kiosk.plan.loader import last_applied
    from kiosk.settings_files import settings_for_command
    from kiosk.store import DB_NAME, Store, StoreError

    settings = settings_for_command(config)
    if settings is None:
        raise ValueError("The settings file has the problems above.")
    try:
        store = Store.open(Path(settings.storage.data_dir).expanduser() / DB_NAME)
    except StoreError as exc:
        raise ValueError(f"{exc}. Use --plan FILE to list a plan file instead.") from exc
    try:
        result = current_plan(settings, store, datetime.now().astimezone())
        plan = result.plan
        if plan is None:
            raise ValueError(f"There is no plan in force: {result.reason} Use --plan FILE to list a plan file.")
        last = last_applied(store)
    finally:
        store.close()
    if last is not None and last.sha256 == plan.sha256:
        kind = "signed" if plan.signed else "unsigned"
        return plan.raw, last.text, f"the plan in force (version {plan.version}, {kind}, applied)"
    text = starter_plan_bytes(plan.timezone).decode("utf-8")
    return plan.raw, text, f"the plan in force ({starter_plan_path()}, version {plan.version})"
