"""The way in: signed plans fetched from a folder or WebDAV inbox, checked by kiosk.plan, applied between sessions."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kiosk.plan.inbox import NOTICE_APPLIED, NOTICE_REFUSED, Inbox, waiting_plans
from kiosk.plan.loader import inbox_verifier, load_plan
from kiosk.plan.signing import PUBLIC_NAME, keygen, read_private_key, read_public_key, sign_bytes
from kiosk.summary.builder import build_summary
from kiosk.summary.delivery import DeliveryError, FolderTarget, WebDavTarget
from kiosk.summary.rows import read_rows
from stim_hat.prescription import DeviceLimits
from tests.summary.davserver import PASSWORD, USER, dav_server

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "plans" / "sample-therapist.toml"
NOW = datetime(2026, 11, 9, 15, 0, tzinfo=UTC)


def plan_bytes(version: int) -> bytes:
    text = SAMPLE.read_text()
    assert "version = 3" in text
    return text.replace("version = 3", f"version = {version}", 1).encode()


@pytest.fixture
def therapist(tmp_path):
    private, public = keygen(tmp_path / "therapist")
    return read_private_key(private), read_public_key(public)


@pytest.fixture
def share(tmp_path):
    (tmp_path / "share" / "inbox").mkdir(parents=True)
    return tmp_path / "share"


def drop(folder: Path, name: str, data: bytes, key) -> None:
    (folder / name).write_bytes(data)
    (folder / (name + ".sig")).write_text(sign_bytes(data, key))


def make_inbox(store, target, public, tmp_path):
    return Inbox(store, target, inbox_verifier(public, store, NOW.date(), DeviceLimits()), tmp_path / "plan")


def test_good_plan_is_installed_once_with_a_notice(fresh_store, share, therapist, tmp_path):
    private, public = therapist
    drop(share / "inbox", "plan-v4.toml", plan_bytes(4), private)
    inbox = make_inbox(fresh_store, FolderTarget(share), public, tmp_path)
    report = inbox.poll(NOW, session_running=False)
    assert report.applied == [("plan-v4.toml", 4)] and report.notices == [NOTICE_APPLIED]
    assert (tmp_path / "plan" / "plan.toml").read_bytes() == plan_bytes(4)
    assert inbox.poll(NOW, session_running=False).applied == []  # seen: not applied twice
    # kiosk.plan then loads the installed file as the plan in force (the same bytes: already in force).
    result = load_plan(
        tmp_path / "plan" / "plan.toml",
        store=fresh_store,
        public_key=tmp_path / "therapist" / PUBLIC_NAME,
        today=NOW.date(),
        now=NOW,
        limits=DeviceLimits(),
    )
    assert result.accepted and result.plan.version == 4


def test_plan_waits_while_a_session_runs(fresh_store, share, therapist, tmp_path):
    private, public = therapist
    drop(share / "inbox", "plan-v4.toml", plan_bytes(4), private)
    inbox = make_inbox(fresh_store, FolderTarget(share), public, tmp_path)
    report = inbox.poll(NOW, session_running=True)
    assert report.applied == [] and "session is running" in report.waiting[0][1]
    assert fresh_store.db["plan_versions"].count == 0 and not (tmp_path / "plan").exists()
    assert inbox.poll(NOW, session_running=False).applied == [("plan-v4.toml", 4)]


def test_unsigned_file_waits_for_its_signature(fresh_store, share, therapist, tmp_path):
    (share / "inbox" / "plan-v4.toml").write_bytes(plan_bytes(4))
    report = make_inbox(fresh_store, FolderTarget(share), therapist[1], tmp_path).poll(NOW, session_running=False)
    assert report.waiting == [("plan-v4.toml", "waiting for its signature file")]


def test_bad_plans_are_refused_with_reasons_that_reach_the_next_summary(fresh_store, share, therapist, tmp_path):
    private, public = therapist
    intruder, _ = keygen(tmp_path / "intruder")
    drop(share / "inbox", "plan-v4.toml", plan_bytes(4), private)
    inbox = make_inbox(fresh_store, FolderTarget(share), public, tmp_path)
    assert inbox.poll(NOW, session_running=False).applied
    drop(share / "inbox", "old-v2.toml", plan_bytes(2), private)  # a replay of an older plan
    drop(share / "inbox", "patient-v9.toml", plan_bytes(9).replace(b'"P-7F3A"', b'"P-SOMEONE-ELSE"'), private)
    drop(share / "inbox", "typo-v8.toml", plan_bytes(8).replace(b'"brow_lift"', b'"brow_lfit"'), private)
    forged = plan_bytes(7)
    drop(share / "inbox", "forged-v7.toml", forged, read_private_key(intruder))
    report = inbox.poll(NOW, session_running=False)
    reasons = dict(report.refused)
    assert set(reasons) == {"old-v2.toml", "patient-v9.toml", "typo-v8.toml"}
    assert "not newer" in reasons["old-v2.toml"]
    assert "for patient P-SOMEONE-ELSE, but this kiosk is set up for patient P-7F3A" in reasons["patient-v9.toml"]
    assert "brow_lfit' in content/exercises — did you mean brow_lift?" in reasons["typo-v8.toml"]
    # A signature by another key may yet be replaced by the right one: it waits, it is not refused for good.
    assert "different key" in dict(report.waiting)["forged-v7.toml"]
    assert report.notices == [NOTICE_REFUSED] * 3
    assert (tmp_path / "plan" / "plan.toml").read_bytes() == plan_bytes(4)  # the good plan stays
    rows, period = read_rows(fresh_store, date(2026, 11, 3), date(2026, 11, 9), UTC)
    summary = build_summary(rows, period, NOW, patient="P", device_id="d", software_version="v")
    assert summary["plan"]["refused"] == 3 and summary["plan"]["current_version"] == 4
    assert summary["plan"]["in_force_since"] == NOW.isoformat()  # which version, and since when
    stored = {p["reason"] for p in summary["plan"]["received"] if p["status"] == "refused"}
    assert stored == {f"{name}: {reason}" for name, reason in reasons.items()}  # by name (and hash)
    texts = [r["text"] for r in fresh_store.db["plan_versions"].rows_where("status != 'applied'")]
    assert texts == [None] * 4, "refused and waiting files are never stored whole"


def test_plan_from_a_webdav_inbox(fresh_store, therapist, tmp_path):
    private, public = therapist
    root = tmp_path / "dav"
    (root / "inbox").mkdir(parents=True)
    drop(root / "inbox", "plan v5.toml", plan_bytes(5), private)  # a space in the name, as people type it
    with dav_server(root) as server:
        inbox = make_inbox(fresh_store, WebDavTarget(server.url, USER, PASSWORD), public, tmp_path)
        report = inbox.poll(NOW, session_running=False)
    assert report.applied == [("plan v5.toml", 5)]
    assert (tmp_path / "plan" / "plan.toml").read_bytes() == plan_bytes(5)


def test_a_plan_whose_signature_arrives_later_is_applied_then(fresh_store, share, therapist, tmp_path):
    private, public = therapist
    inbox = make_inbox(fresh_store, FolderTarget(share), public, tmp_path)
    drop(share / "inbox", "plan-v4.toml", plan_bytes(4), private)
    assert inbox.poll(NOW, session_running=False).applied == [("plan-v4.toml", 4)]
    # The therapist's sync copies the new plan first; beside it lies the old signature for a moment.
    (share / "inbox" / "plan-v4.toml").write_bytes(plan_bytes(5))
    first = inbox.poll(NOW, session_running=False)
    assert first.applied == [] and first.refused == []
    assert "changed after it was signed" in dict(first.waiting)["plan-v4.toml"]
    assert "checked again on every pass" in dict(first.waiting)["plan-v4.toml"]
    (share / "inbox" / "plan-v4.toml.sig").write_text(sign_bytes(plan_bytes(5), private))  # it arrives
    assert inbox.poll(NOW, session_running=False).applied == [("plan-v4.toml", 5)]
    assert (tmp_path / "plan" / "plan.toml").read_bytes() == plan_bytes(5)
    statuses = [r["status"] for r in fresh_store.db["plan_versions"].rows_where(order_by="id")]
    assert statuses == ["applied", "applied"], "the waiting row became the applied one"


def test_a_future_dated_plan_takes_effect_on_its_date(fresh_store, share, therapist, tmp_path):
    private, public = therapist
    inbox = make_inbox(fresh_store, FolderTarget(share), public, tmp_path)
    drop(share / "inbox", "plan-v4.toml", plan_bytes(4), private)
    inbox.poll(NOW, session_running=False)
    # Stimulation withdrawn from Monday 16 November.
    monday = plan_bytes(5).replace(b"valid_from = 2026-11-01", b"valid_from = 2026-11-16")
    drop(share / "inbox", "no-stim-v5.toml", monday.replace(b"enabled = true", b"enabled = false"), private)
    report = inbox.poll(NOW, session_running=False)
    assert report.applied == [] and report.refused == []
    assert dict(report.waiting)["no-stim-v5.toml"].startswith("This plan starts on 2026-11-16")
    assert (tmp_path / "plan" / "plan.toml").read_bytes() == plan_bytes(4)
    assert inbox.poll(NOW, session_running=False).waiting == []  # kept, not fetched again
    row = next(fresh_store.db["plan_versions"].rows_where("status = 'pending'"))
    assert row["reason"] == "no-stim-v5.toml: This plan starts on 2026-11-16; until then the plan in force stays."
    # Sunday evening: still waiting. Monday morning (the clock is passed in): in force.
    sunday = datetime(2026, 11, 15, 23, 0, tzinfo=UTC)
    assert make_inbox_on(fresh_store, share, public, tmp_path, sunday).poll(sunday, False).applied == []
    monday_8 = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
    later = make_inbox_on(fresh_store, share, public, tmp_path, monday_8).poll(monday_8, False)
    assert later.applied == [("no-stim-v5.toml", 5)] and later.notices == [NOTICE_APPLIED]
    assert b"enabled = false" in (tmp_path / "plan" / "plan.toml").read_bytes()
    assert not any((tmp_path / "plan" / "pending").iterdir())


def make_inbox_on(store, share, public, tmp_path, now):
    return Inbox(
        store, FolderTarget(share), inbox_verifier(public, store, now.date(), DeviceLimits()), tmp_path / "plan"
    )


def test_links_folders_and_big_files_are_never_read(fresh_store, share, therapist, tmp_path):
    private, public = therapist
    secret = tmp_path / "kiosk.db"
    secret.write_bytes(b"x" * 1000)
    inbox_dir = share / "inbox"
    (inbox_dir / "evil.toml").symlink_to(secret)
    (inbox_dir / "evil.toml.sig").write_text("x")
    (inbox_dir / "dir.toml").mkdir()
    (inbox_dir / "dir.toml.sig").write_text("x")
    (inbox_dir / "huge.toml").write_bytes(b"#" * (300 * 1024))
    (inbox_dir / "huge.toml.sig").write_text("x")
    inbox = make_inbox(fresh_store, FolderTarget(share), public, tmp_path)
    for _ in range(3):
        reasons = dict(inbox.poll(NOW, session_running=False).refused)
        assert "is a link, not a file" in reasons["evil.toml"]
        assert "not a regular file" in reasons["dir.toml"]
        assert "larger than 256 KB" in reasons["huge.toml"]
    assert fresh_store.db["plan_versions"].count == 0, "nothing of them is stored"


class FlakyFolder(FolderTarget):
    """A folder whose share drops out for the first ``failures`` reads (a Wi-Fi share going away)."""

    def __init__(self, root, failures: int) -> None:
        super().__init__(root)
        self.failures = failures

    def get_inbox(self, name: str) -> bytes:
        if self.failures > 0:
            self.failures -= 1
            raise DeliveryError("The folder is not there (is the share connected?).")
        return super().get_inbox(name)


def test_a_file_unreadable_for_now_is_tried_again(fresh_store, share, therapist, tmp_path):
    private, public = therapist
    drop(share / "inbox", "plan-v4.toml", plan_bytes(4), private)
    inbox = make_inbox(fresh_store, FlakyFolder(share, failures=1), public, tmp_path)
    assert "not there" in dict(inbox.poll(NOW, session_running=False).waiting)["plan-v4.toml"]
    assert inbox.poll(NOW, session_running=False).applied == [("plan-v4.toml", 4)]


def test_a_waiting_plan_whose_file_is_taken_away_stops_waiting(fresh_store, share, therapist, tmp_path):
    private, public = therapist
    intruder, _ = keygen(tmp_path / "intruder")
    drop(share / "inbox", "forged.toml", plan_bytes(7), read_private_key(intruder))
    inbox = make_inbox(fresh_store, FolderTarget(share), public, tmp_path)
    assert "forged.toml" in dict(inbox.poll(NOW, session_running=False).waiting)
    assert waiting_plans(fresh_store).startswith("New plan (version 7): The plan was signed with a different key")
    (share / "inbox" / "forged.toml").unlink()
    inbox.poll(NOW, session_running=False)
    row = next(fresh_store.db["plan_versions"].rows_where("version = 7"))
    assert row["status"] == "refused" and row["reason"] == "forged.toml: it left the inbox before it could be used"
    assert waiting_plans(fresh_store) == "", "the caregiver screen no longer shows it"
