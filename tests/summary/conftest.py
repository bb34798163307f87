"""Shared fixtures: a synthetic 6-week summary (built once: it is pure) and a folder-target set-up."""

from datetime import UTC, date, datetime

import pytest

from kiosk.plan.signing import PUBLIC_NAME, keygen
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


@pytest.fixture
def setup(isolated_home, tmp_path):
    """A therapist key pair, a folder target and a settings file using both: (tmp_path, config, share)."""
    keygen(tmp_path / "therapist")
    share = tmp_path / "share"
    share.mkdir()
    config = tmp_path / "settings.toml"
    config.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\n\n[sync]\ntarget = "folder"\nfolder = "{share}"\n'
        f'therapist_key = "{tmp_path / "therapist" / PUBLIC_NAME}"\n'
    )
    return tmp_path, config, share
