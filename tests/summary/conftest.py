"""A synthetic 6-week summary shared by the output tests (built once per session: it is pure)."""

from datetime import UTC, date, datetime

import pytest

from kiosk.summary.builder import build_summary
from kiosk.summary.synthetic import synthetic_rows


@pytest.fixture(scope="session")
def summary() -> dict:
    rows, period = synthetic_rows(6, date(2026, 11, 8), seed=11)
    return build_summary(
        rows,
        period,
        datetime(2026, 11, 9, 8, tzinfo=UTC),
        patient="P-7F3A",
        device_id="fc-test",
        software_version="0.1.0",
        synthetic=True,
    )
