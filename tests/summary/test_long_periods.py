"""Any period from one day to several years renders, and a failed build never blocks `facecoach sync`."""

import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest

from kiosk.cli import main
from kiosk.store import DB_NAME, Store
from kiosk.summary import pdf_out
from kiosk.summary.builder import build_summary
from kiosk.summary.synthetic import synthetic_rows
from kiosk.summary.wording import eye_care_rows, grain
from tests.summary.test_periodic import kiosk  # noqa: F401 - the fixture

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@needs_poppler
def test_a_three_year_summary_builds_from_the_command_line(tmp_path, isolated_home, capsys):
    out = tmp_path / "out"
    assert main(["summary", "build", "--synthetic-weeks", "156", "--out", str(out), "--plain"]) == 0
    (pdf,) = out.glob("*_summary.pdf")
    text = _pdf_text(pdf)
    assert "None" not in text and "Eye-care reminders per month" in text
    assert 8 <= _pages(pdf) <= 30  # the calendar spans pages; the eye care is one row per month
    assert text.count("Month") >= 1 and "2024-06" in text


@pytest.mark.parametrize(("weeks", "unit"), [(1, "day"), (26, "week"), (60, "month")])
def test_every_length_renders(weeks, unit):
    rows, period = synthetic_rows(weeks, date(2026, 11, 29), seed=3)
    summary = build_summary(
        rows, period, datetime(2026, 11, 30, 8, tzinfo=UTC), patient="P-1", device_id="fc-x", software_version="0"
    )
    assert grain(period.days) == unit
    assert pdf_out.to_pdf_bytes(summary).startswith(b"%PDF")


def test_a_single_day_renders():
    rows, period = synthetic_rows(1, date(2026, 11, 29), seed=3)
    one_day = type(period)(period.end, period.end)
    summary = build_summary(
        rows, one_day, datetime(2026, 11, 30, 8, tzinfo=UTC), patient="P-1", device_id="fc-x", software_version="0"
    )
    assert summary["period"]["days"] == 1 and pdf_out.to_pdf_bytes(summary).startswith(b"%PDF")


def test_weekly_eye_care_rows_add_up():
    reminders = [
        {"due_at": "2026-11-02T08:00:00+00:00", "outcome": "on_time"},
        {"due_at": "2026-11-04T08:00:00+00:00", "outcome": "missed"},
        {"due_at": "2026-11-09T08:00:00+00:00", "outcome": "late"},
        {"due_at": "2026-11-09T22:00:00+00:00", "outcome": "upcoming"},
    ]
    rows = eye_care_rows(reminders, "week")
    assert rows[1] == ["2026-11-02", "2 reminders", "1 reminder", "0 reminders", "1 reminder", "0 reminders"]
    assert rows[2] == ["2026-11-09", "1 reminder", "0 reminders", "1 reminder", "0 reminders", "0 reminders"]


def test_a_failing_build_is_logged_and_delivery_and_plans_still_run(kiosk, capsys, monkeypatch):  # noqa: F811
    tmp_path, config, share, _ = kiosk

    def broken(summary):
        raise RuntimeError("the renderer broke")

    from kiosk.summary import service

    monkeypatch.setitem(service.FORMATS, "pdf", ("summary.pdf", broken))
    assert main(["sync", "--config", str(config)]) == 1
    captured = capsys.readouterr()
    assert "could not be built" in captured.err and "the renderer broke" in captured.err
    assert "Delivery to" in captured.out  # the delivery pass and the inbox still ran
    store = Store.open(tmp_path / "data" / DB_NAME)
    kinds = [r["kind"] for r in store.db["event_log"].rows]
    store.close()
    assert "summary_build_failed" in kinds and "summary_built" not in kinds
    monkeypatch.undo()
    assert main(["sync", "--config", str(config)]) == 0
    assert "Built the summary" in capsys.readouterr().out and len(list(share.glob("*.fcsum"))) == 3
