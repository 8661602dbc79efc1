"""The access log: one entry per action, a SHA-256 chain that names the first changed entry,
retention that keeps the chain whole, and ``caseviewer audit`` in a real child process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from caseviewer.core import access_log as access_log_module
from caseviewer.core.access_log import GENESIS_HASH, AccessAction, AccessLog, entry_hash
from caseviewer.core.cache import CaseCache
from caseviewer.core.csv_cells import csv_text, neutralise
from caseviewer.core.secrets import SecretStore
from tests.conftest_demo import FakeClock

ROOT = Path(__file__).resolve().parents[2]
DAY = 86400.0


def open_log(clock=None, profile="audit-test"):
    key = SecretStore().get_or_create_cache_key(profile)
    cache = CaseCache(profile, key, clock=clock or FakeClock())
    return AccessLog(cache, profile=profile, user="reviewer1", clock=clock or FakeClock()), key


def test_entries_chain_each_onto_the_one_before():
    log, _ = open_log()
    first = log.append_now(AccessAction.CASE_OPENED, "case-1")
    second = log.append_now(AccessAction.ATTACHMENT_SAVED, "case-1")
    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.hash
    assert second.hash == entry_hash(2, second.at, "reviewer1", "audit-test", "attachment_saved", "case-1", first.hash)
    assert [(e.action, e.case_id, e.os_user, e.profile) for e in log.entries()] == [
        ("case_opened", "case-1", "reviewer1", "audit-test"),
        ("attachment_saved", "case-1", "reviewer1", "audit-test"),
    ]
    assert log.verify().ok and log.verify().checked == 2
    log.cache.close()


def test_record_queues_and_writes_in_order_off_the_calling_thread():
    log, _ = open_log()
    for n in range(20):
        log.record(AccessAction.SEARCH if n % 2 else AccessAction.CASE_OPENED, f"c{n}" if n % 2 == 0 else None)
    assert log.flush()
    assert [e.seq for e in log.entries()] == list(range(1, 21))
    assert log.entries(case_id="c4")[0].action == "case_opened"
    assert len(log.entries(action=AccessAction.SEARCH)) == 10
    log.close()
    log.cache.close()


def test_module_record_goes_to_the_installed_log_and_is_a_no_op_without_one():
    log, _ = open_log()
    access_log_module.install(None)
    assert access_log_module.record(AccessAction.EXPORT_PDF, "case-9") is False
    access_log_module.install(log)
    try:
        assert access_log_module.record(AccessAction.EXPORT_PDF, "case-9")
        assert access_log_module.record(AccessAction.EXPORT_CSV)
        assert access_log_module.record(AccessAction.PRINT, "case-9")
        log.flush()
    finally:
        access_log_module.install(None)
    assert [(e.action, e.case_id) for e in log.entries()] == [
        ("export_pdf", "case-9"), ("export_csv", None), ("print", "case-9")]
    log.close()
    log.cache.close()


def test_filters_by_time():
    clock = FakeClock(1_750_000_000.0)
    log, _ = open_log(clock)
    log.append_now(AccessAction.LOCK)
    clock.advance(3 * DAY)
    log.append_now(AccessAction.UNLOCK)
    since = datetime.fromtimestamp(clock() - DAY, timezone.utc)
    assert [e.action for e in log.entries(since=since)] == ["unlock"]
    assert [e.action for e in log.entries(until=since)] == ["lock"]
    log.cache.close()


def _tamper(log, sql: str, *params) -> None:
    with log.cache.transaction() as conn:
        conn.execute(sql, params)


@pytest.mark.parametrize(
    "sql, params, broken, why",
    [
        ("UPDATE access_log SET case_id = 'case-X' WHERE seq = ?", (3,), 3, "changed"),
        ("UPDATE access_log SET at = replace(at, '2025', '2024') WHERE seq = ?", (2,), 2, "changed"),
        ("DELETE FROM access_log WHERE seq = ?", (3,), 3, "missing"),
        ("UPDATE access_log SET prev_hash = ? WHERE seq = 4", (GENESIS_HASH,), 4, "previous"),
    ],
)
def test_verify_names_the_first_broken_entry(sql, params, broken, why):
    log, _ = open_log()
    for n in range(5):
        log.append_now(AccessAction.CASE_OPENED, f"case-{n}")
    _tamper(log, sql, *params)
    result = log.verify()
    assert not result.ok and result.broken_seq == broken and why in result.reason
    log.cache.close()


def test_retention_keeps_the_minimum_and_the_chain():
    clock = FakeClock(1_750_000_000.0)
    log, _ = open_log(clock)
    log.append_now(AccessAction.CASE_OPENED, "old")
    clock.advance(400 * DAY)
    log.append_now(AccessAction.CASE_OPENED, "newer")
    clock.advance(10 * DAY)
    # The cache purges after 30 days, but the log keeps at least the minimum (here 365 days).
    assert log.purge(30, min_days=365) == 1
    assert [e.case_id for e in log.entries()] == ["newer"]
    assert log.verify().ok
    log.append_now(AccessAction.LOCK)  # continues the chain after the anchor
    assert log.verify().ok and [e.seq for e in log.entries()] == [2, 3]
    assert log.purge(0) == 0  # the cache is never purged: neither is the log
    # Removing the oldest kept entry by hand is seen: it no longer chains onto the anchor.
    _tamper(log, "DELETE FROM access_log WHERE seq = 2")
    assert log.verify().broken_seq == 2
    log.cache.close()


def test_default_minimum_is_six_years():
    clock = FakeClock(1_750_000_000.0)
    log, _ = open_log(clock)
    log.append_now(AccessAction.CASE_OPENED, "five-years-old")
    clock.advance(5 * 366 * DAY)
    assert log.purge(30) == 0
    clock.advance(2 * 366 * DAY)
    assert log.purge(30) == 1
    log.cache.close()


def test_csv_cells_are_neutralised():
    assert neutralise("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert [neutralise(v) for v in ("+1", "-2", "@a", "\tb", "plain", None, 5)] == ["'+1", "'-2", "'@a", "'\tb", "plain", "", "5"]
    text = csv_text(("a", "b"), [("=1+1", 'say "hi"\nthere')])
    assert text.startswith("\ufeff") and "'=1+1" in text and '"say ""hi""\nthere"' in text


# -- caseviewer audit, a real process -------------------------------------------------------

CHILD = textwrap.dedent(
    """
    import sys
    import keyring
    from keyring.backend import KeyringBackend

    class StdinKeyring(KeyringBackend):
        priority = 1
        def __init__(self, values):
            super().__init__()
            self.values = values
        def get_password(self, service, username):
            return self.values.get((service, username))
        def set_password(self, service, username, password):
            self.values[(service, username)] = password
        def delete_password(self, service, username):
            self.values.pop((service, username), None)

    profile, key = sys.stdin.readline().split()
    keyring.set_keyring(StdinKeyring({("caseviewer", profile + ":cache_key"): key}))
    from caseviewer.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def run_audit(home: Path, profile: str, key: bytes, *args: str) -> subprocess.CompletedProcess:
    """``caseviewer audit ...`` in a child process; the cache key goes in on stdin (a keyring the
    child holds in memory), never on the command line or in the environment."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    env["CASEVIEWER_HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-c", CHILD, "audit", *args, "--list-url", "http://127.0.0.1:9", "--customer-id", "x"],
        input=f"{profile} {key.hex()}\n", capture_output=True, text=True, env=env, timeout=60, cwd=ROOT,
    )


def _flags_only_profile() -> str:
    from caseviewer.core.connection import ConnectionSettings
    from caseviewer.core.session import cache_name

    return cache_name(ConnectionSettings(list_url="http://127.0.0.1:9", customer_id="x"))


def test_audit_verify_in_a_real_process_passes_then_names_the_changed_entry(isolated_home):
    profile = _flags_only_profile()
    log, key = open_log(profile=profile)
    for n in range(4):
        log.append_now(AccessAction.CASE_OPENED, f"case-{n}")
    log.cache.close()

    intact = run_audit(isolated_home, profile, key, "--verify")
    assert intact.returncode == 0, intact.stderr
    assert "intact: 4 entries" in intact.stdout

    printed = run_audit(isolated_home, profile, key)  # the plain listing, one line an entry
    assert printed.returncode == 0, printed.stderr
    lines = printed.stdout.strip().splitlines()
    assert len(lines) == 4 and all(f"case-{n}" in lines[n] for n in range(4))

    listed = run_audit(isolated_home, profile, key, "--case", "case-2", "--csv")
    assert listed.returncode == 0, listed.stderr
    rows = listed.stdout.strip().splitlines()
    assert rows[0].lstrip("\ufeff").startswith("seq,time_utc") and len(rows) == 2 and ",case-2," in rows[1]

    # One byte of entry 3 changed through SQL, with the cache's own key.
    cache = CaseCache(profile, key)
    with cache.transaction() as conn:
        conn.execute("UPDATE access_log SET case_id = 'case-9' WHERE seq = 3")
    cache.close()
    broken = run_audit(isolated_home, profile, key, "--verify")
    assert broken.returncode == 1
    assert "broken at entry 3" in broken.stderr


def test_audit_without_a_keyring_says_there_is_no_access_log(isolated_home):
    env = dict(os.environ, CASEVIEWER_HOME=str(isolated_home), PYTHONPATH=str(ROOT),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    done = subprocess.run([sys.executable, "-m", "caseviewer.cli", "audit", "--verify", "--list-url",
                           "http://127.0.0.1:9", "--customer-id", "x"],
                          capture_output=True, text=True, env=env, timeout=60, cwd=ROOT)
    assert done.returncode == 5
    assert "No access log" in done.stderr and "keyring" in done.stderr


def test_every_export_is_recorded_in_the_installed_log():
    """Exports tell ``core/export/writing.record_export``; the access log is one of its recorders."""
    from caseviewer.core.export.writing import ExportKind, ExportRecord, record_export

    log, _ = open_log()
    access_log_module.install(log)
    try:
        record_export(ExportRecord(ExportKind.DOSSIER_PDF, "/tmp/x.pdf", ("case-7",), "reviewer1"))
        record_export(ExportRecord(ExportKind.PRINT, "printer", ("case-7",), "reviewer1"))
        record_export(ExportRecord(ExportKind.LIST_CSV, "/tmp/x.csv", ("case-1", "case-2", "case-3"), "reviewer1"))
        assert log.flush()
        assert [(e.action, e.case_id) for e in log.entries()] == [
            ("export_pdf", "case-7"), ("print", "case-7"), ("export_csv", None),  # a list: one entry
        ]
    finally:
        access_log_module.install(None)
        log.close()
        log.cache.close()
