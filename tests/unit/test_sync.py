"""``sync_all`` and ``caseviewer sync``: everything cached, resumable, robust to failures. A sync
killed with SIGKILL is the fault suite's (``tests/faults/test_sync_interrupted.py``)."""

from __future__ import annotations

import argparse
import io
import json
import threading

import pytest

from caseviewer.cli import sync as cli_sync
from caseviewer.core import errors
from caseviewer.core.api import CaseApi, DocumentFormat
from caseviewer.core.query import CaseQuery
from caseviewer.core.sync import sync_all
from tests.support.sync_fixtures import CASES, LIST_ONLY, api  # noqa: F401 - fixture
from tests.unit.test_cache_support import make_api, make_repository, open_cache


def test_sync_caches_every_case_and_a_rerun_skips_them(fresh_demo, api):
    seen: list[tuple[int, int, int]] = []
    with open_cache() as cache:
        report = sync_all(api, cache, fresh_demo.customer_id, progress=lambda *a: seen.append(a))
        assert report.ok
        assert (report.total, report.fetched, report.list_only, report.skipped) == (CASES, CASES - LIST_ONLY, LIST_ONLY, 0)
        assert cache.detail_count() == CASES - LIST_ONLY
        assert cache.list_for_query(fresh_demo.customer_id, CaseQuery(paginate=False)).total == CASES
        assert seen[-1] == (CASES, CASES, 0)
        assert [done for done, _, _ in seen] == sorted(done for done, _, _ in seen)

        again = sync_all(api, cache, fresh_demo.customer_id)
        assert (again.skipped, again.fetched, again.list_only) == (CASES, 0, 0)

        forced = sync_all(api, cache, fresh_demo.customer_id, force=True)
        assert (forced.skipped, forced.fetched) == (0, CASES - LIST_ONLY)


def _detail_requests(demo) -> list[str]:
    """The case ids of the detail requests the demo service received."""
    from urllib.parse import parse_qs, urlsplit

    return [parse_qs(urlsplit(e.target).query)["caseId"][0] for e in demo.request_log.entries()
            if "customer-case-detail" in e.target]


def test_a_resync_fetches_only_the_cases_the_list_shows_changed(fresh_demo, api):
    from caseviewer.demo.edits import LIST_STATUS

    # Two cases a colleague works on: their list status moves (so not one already in that status).
    worked_on = [n for n in range(CASES) if n % 17 != 16 and fresh_demo.data.status_id(n) != LIST_STATUS[0]][:2]
    changed = [fresh_demo.data.case_id(n) for n in worked_on]
    with open_cache() as cache:
        assert sync_all(api, cache, fresh_demo.customer_id).ok
        for n in worked_on:
            fresh_demo.data.edits.change(n)
        fresh_demo.request_log.clear()

        again = sync_all(api, cache, fresh_demo.customer_id)
        assert again.ok
        assert sorted(_detail_requests(fresh_demo)) == sorted(changed)  # the unchanged were not asked for
        assert (again.fetched, again.skipped, again.total) == (2, CASES - 2, CASES)
        # The newer copies are cached: the detail and the list record.
        assert "(edited, revision 1)" in cache.get_detail(changed[0]).detail.raw["comments"][0]["text"]
        record, _ = cache.get_record(changed[0])
        assert record.status_code == "INFORMATION_UPDATED"

        fresh_demo.request_log.clear()
        third = sync_all(api, cache, fresh_demo.customer_id)  # nothing changed since
        assert _detail_requests(fresh_demo) == [] and third.skipped == CASES


def test_a_case_synced_with_a_fingerprint_of_the_older_form_is_fetched_again_once(fresh_demo, api):
    """Fingerprints are taken from each list record's text as sent (``sent_fingerprint``); a
    case whose mark holds one of the older form (from the record as stored) is never skipped on
    it, changed or not: it is fetched again once, then keeps the new form."""
    from caseviewer.core.cache import SENT_PREFIX, record_fingerprint

    older = [fresh_demo.data.case_id(n) for n in (1, 2, 5)]
    with open_cache() as cache:
        assert sync_all(api, cache, fresh_demo.customer_id).ok
        marks = cache.synced_marks(fresh_demo.customer_id)
        assert all(print_.startswith(SENT_PREFIX) for print_, _, _ in marks.values())
        with cache.transaction() as conn:  # as an older version left them
            for case_id in older:
                raw = conn.execute("SELECT raw FROM list_records WHERE case_id = ?", (case_id,)).fetchone()[0]
                conn.execute("UPDATE sync_state SET fingerprint = ? WHERE case_id = ?",
                             (record_fingerprint(json.loads(raw)), case_id))
        fresh_demo.request_log.clear()

        again = sync_all(api, cache, fresh_demo.customer_id)
        assert again.ok and sorted(_detail_requests(fresh_demo)) == sorted(older)
        assert (again.fetched, again.skipped) == (len(older), CASES - len(older))
        assert all(cache.synced_marks(fresh_demo.customer_id)[case_id][0].startswith(SENT_PREFIX) for case_id in older)

        fresh_demo.request_log.clear()
        assert sync_all(api, cache, fresh_demo.customer_id).skipped == CASES
        assert _detail_requests(fresh_demo) == []


def test_a_changed_list_record_is_fetched_even_when_only_its_text_as_sent_differs(fresh_demo, api, monkeypatch):
    """The fingerprint covers the whole record as sent: a change in a field no model reads
    (here a new one) fetches the case too."""
    target = fresh_demo.data.case_id(7)
    with open_cache() as cache:
        assert sync_all(api, cache, fresh_demo.customer_id).ok
        fresh_demo.request_log.clear()
        original = fresh_demo.data.list_record

        def with_note(n: int) -> dict:  # the service adds a field to one record
            record = original(n)
            return {**record, "reviewNote": "new"} if record.get("id") == target else record

        monkeypatch.setattr(fresh_demo.data, "list_record", with_note)
        again = sync_all(api, cache, fresh_demo.customer_id)
        assert _detail_requests(fresh_demo) == [target] and again.fetched == 1
        stored = cache.db.connection().execute("SELECT raw FROM list_records WHERE case_id = ?", (target,)).fetchone()[0]
        assert json.loads(stored)["reviewNote"] == "new"


def test_a_resync_rewrites_no_unchanged_record_and_counts_as_a_refresh_for_the_purge(fresh_demo, api):
    now = [1000.0]
    day = 86400
    with open_cache(clock=lambda: now[0]) as cache:
        assert sync_all(api, cache, fresh_demo.customer_id).ok
        stored = "SELECT case_id, raw, fetched_at FROM list_records"
        before = cache.db.connection().execute(stored).fetchall()
        now[0] += 4 * day  # (within REFRESH_AFTER_S: the details are not fetched again)
        assert sync_all(api, cache, fresh_demo.customer_id).skipped == CASES
        assert cache.db.connection().execute(stored).fetchall() == before  # not one record rewritten
        assert cache.purge_older_than(3) == 0  # confirmed unchanged 0 days ago: kept
        assert cache.detail_count() == CASES - LIST_ONLY
        now[0] += 4 * day  # no sync since: now they are old
        assert cache.purge_older_than(3) == CASES


def test_a_resync_within_the_hour_rewrites_no_sync_mark_and_a_later_one_confirms_them(fresh_demo, api):
    now = [1000.0]
    marks = "SELECT case_id, updated_at, fingerprint FROM sync_state ORDER BY case_id"
    with open_cache(clock=lambda: now[0]) as cache:
        assert sync_all(api, cache, fresh_demo.customer_id).ok
        before = cache.db.connection().execute(marks).fetchall()
        changed = fresh_demo.data.case_id(0)
        fresh_demo.data.edits.change(0)
        now[0] += 600  # ten minutes later: the marks are fresh enough for the purge, which counts days
        fresh_demo.request_log.clear()
        again = sync_all(api, cache, fresh_demo.customer_id)
        assert _detail_requests(fresh_demo) == [changed]  # a changed case is still fetched
        assert (again.fetched, again.skipped) == (1, CASES - 1)
        after = {case_id: (at, print_) for case_id, at, print_ in cache.db.connection().execute(marks)}
        assert after[changed][0] == now[0] and after[changed][1] != dict((c, p) for c, _, p in before)[changed]
        assert [(c, at, p) for c, at, p in before if c != changed] == [
            (c, *after[c]) for c, _, _ in before if c != changed]  # not one unchanged mark rewritten

        now[0] += 2 * 3600  # hours later: the unchanged are confirmed again
        third = sync_all(api, cache, fresh_demo.customer_id)
        assert third.skipped == CASES and third.fetched == 0
        assert {at for _, at, _ in cache.db.connection().execute(marks)} == {now[0]}


def test_no_batch_commits_more_than_its_size_and_every_case_is_committed_once(fresh_demo, api):
    committed: list[list[str]] = []
    with open_cache() as cache:
        report = sync_all(api, cache, fresh_demo.customer_id, batch_size=7, on_commit=committed.append)
        assert report.ok
        assert committed and all(0 < len(ids) <= 7 for ids in committed)
        flat = [case_id for ids in committed for case_id in ids]
        assert len(flat) == len(set(flat)) == CASES  # the list-only cases are settled too


def test_a_purged_case_is_synced_again_even_when_its_list_record_is_unchanged(fresh_demo, api):
    gone = fresh_demo.data.case_id(3)
    with open_cache() as cache:
        assert sync_all(api, cache, fresh_demo.customer_id).ok
        with cache.transaction() as conn:
            conn.execute("DELETE FROM details WHERE case_id = ?", (gone,))  # as a purge by age does
        fresh_demo.request_log.clear()
        again = sync_all(api, cache, fresh_demo.customer_id)
        assert _detail_requests(fresh_demo) == [gone] and again.fetched == 1
        assert cache.get_detail(gone) is not None


def test_a_synced_document_is_stored_as_received_and_reads_back_as_sent(fresh_demo, api):
    import json

    case_id = fresh_demo.data.case_id(0)
    with open_cache() as cache:
        assert sync_all(api, cache, fresh_demo.customer_id).ok
        (stored,) = cache.db.connection().execute("SELECT raw FROM details WHERE case_id = ?", (case_id,)).fetchone()
        response = json.loads(stored)  # the response as received, not the document encoded again
        assert response["success"] is True and response["caseDetail"]["id"] == case_id
        assert cache.get_detail(case_id).detail.raw == response["caseDetail"]
        assert case_id in {hit.case_id for hit in cache.search_text(case_id)} or cache.backlog_count()


def test_without_attachments_the_details_list_them_but_no_bodies_travel(fresh_demo, api):
    with open_cache() as cache:
        sync_all(api, cache, fresh_demo.customer_id)
        rich = cache.get_detail(fresh_demo.data.case_ids()[0]).detail
        assert rich.all_attachments()
        assert cache.attachment_bytes() == 0


@pytest.mark.parametrize("document_format", [DocumentFormat.BASE64, DocumentFormat.URL])
def test_sync_with_attachments_caches_their_bodies(fresh_demo, document_format):
    repository = make_repository(fresh_demo, open_cache(), document_format=document_format)
    report = sync_all(repository, attachments=True)
    assert report.ok and report.attachments > 0
    fresh_demo.stop()
    rich = repository.open_case(fresh_demo.data.case_ids()[0])
    assert rich.provenance.from_cache
    assert all(a.content is not None for _, a in rich.detail.all_attachments())
    repository.close()


def test_failed_cases_are_reported_and_the_rerun_fetches_only_them(fresh_demo, api):
    with open_cache() as cache:
        fresh_demo.faults.update(scope="detail", fail_rate=0.3)
        first = sync_all(api, cache, fresh_demo.customer_id)
        assert first.failed and not first.ok
        assert all("500" in message for _, message in first.failed)
        failed_ids = {case_id for case_id, _ in first.failed}
        assert first.fetched + first.list_only + len(first.failed) == CASES

        fresh_demo.faults.reset()
        second = sync_all(api, cache, fresh_demo.customer_id)
        assert second.ok
        assert second.skipped == CASES - len(failed_ids)
        assert second.fetched + second.list_only == len(failed_ids)


def test_an_auth_error_stops_the_sync_and_keeps_the_list(fresh_demo):
    api = make_api(fresh_demo, detail_key="cvk_wrong")
    with open_cache() as cache:
        with pytest.raises(errors.AuthError):
            sync_all(api, cache, fresh_demo.customer_id)
        assert cache.list_for_query(fresh_demo.customer_id, CaseQuery(paginate=False)).total == CASES
        assert cache.synced_case_ids(fresh_demo.customer_id) == set()
    api.close()


def test_cancel_stops_early_keeps_what_finished_and_a_rerun_completes(fresh_demo, api):
    cancel = threading.Event()

    def progress(done, total, failed):
        if done >= 10:
            cancel.set()

    with open_cache() as cache:
        report = sync_all(api, cache, fresh_demo.customer_id, progress=progress, cancel=cancel, concurrency=2, batch_size=3)
        assert report.cancelled and not report.ok
        done_before = cache.synced_case_ids(fresh_demo.customer_id)
        assert 10 <= len(done_before) < CASES
        rest = sync_all(api, cache, fresh_demo.customer_id)
        assert rest.ok and rest.skipped == len(done_before)
        assert len(cache.synced_case_ids(fresh_demo.customer_id)) == CASES


def test_a_list_only_profile_syncs_the_list(fresh_demo):
    full = make_api(fresh_demo)
    api = CaseApi(list=full.list)
    with open_cache() as cache:
        report = sync_all(api, cache)
        assert report.list_only == CASES and cache.detail_count() == 0
    full.close()


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------


def _run_command(argv, repository, capsys) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="caseviewer")
    cli_sync.register(parser.add_subparsers(dest="command", required=True), [])
    args = parser.parse_args(argv)
    args.open_repository = lambda: repository
    args.customer_id = None
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_sync_command_reports_progress_and_a_summary(fresh_demo, capsys):
    repository = make_repository(fresh_demo, open_cache())
    code, out, err = _run_command(["sync", "--concurrency", "3"], repository, capsys)
    assert code == errors.EXIT_OK
    lines = err.splitlines()
    assert lines[-1].startswith(f"{CASES:,}/{CASES:,} cases")
    assert 2 <= len(lines) <= 11  # one line per 10 % when stderr is not a terminal
    assert "cases/s" in lines[-1]
    assert f"{CASES - LIST_ONLY} fetched" in out and f"{LIST_ONLY} list only" in out and "0 failed" in out


def test_the_sync_command_feeds_the_change_tracker_and_marks_nothing_seen(fresh_demo, capsys):
    from caseviewer.core.changes import RowState, fingerprint_detail, fingerprint_record
    from caseviewer.core.reviewer_state import ReviewerState
    from tests.unit.test_cache_support import new_key

    key = new_key()
    repository = make_repository(fresh_demo, open_cache(key))
    state = ReviewerState(repository.cache)
    changed, unchanged, never = (fresh_demo.data.case_id(n) for n in (0, 1, 2))
    for case_id in (changed, unchanged):  # the reviewer opens them, as the window does
        shown = repository.open_case(case_id)
        state.record_view(case_id, fingerprint_detail(shown.detail.raw).merged(
            fingerprint_record(shown.record.status_code if shown.record else None)))
    fresh_demo.data.edits.change(0)
    code, _, _ = _run_command(["sync"], repository, capsys)  # closes the repository
    assert code == errors.EXIT_OK

    with open_cache(key) as cache:
        state = ReviewerState(cache)
        states = state.states([changed, unchanged, never])
        assert states[changed].state is RowState.UPDATED and "1 new shipping log" in states[changed].changes
        assert states[unchanged].state is RowState.READ
        assert states[never].state is RowState.NEW
        again = state.record_view(changed, fingerprint_detail(cache.get_detail(changed).detail.raw))
        assert "1 changed comment" in again.summary()  # what the reviewer saw is still the old copy


def test_the_sync_command_exits_5_when_cases_failed(fresh_demo, capsys):
    repository = make_repository(fresh_demo, open_cache())
    fresh_demo.faults.update(scope="detail", status=500)
    code, out, _ = _run_command(["sync"], repository, capsys)
    assert code == errors.EXIT_NETWORK
    assert "failed: case" in out and "Run \"caseviewer sync\" again" in out


def test_the_sync_command_rejects_a_bad_concurrency(capsys):
    parser = argparse.ArgumentParser(prog="caseviewer")
    cli_sync.register(parser.add_subparsers(dest="command"), [])
    with pytest.raises(SystemExit) as caught:
        parser.parse_args(["sync", "--concurrency", "0"])
    assert caught.value.code == 2


def test_the_progress_bar_on_a_terminal_redraws_one_line_with_rate_and_eta():
    stream = io.StringIO()
    now = [100.0]
    bar = cli_sync.ProgressBar(stream, tty=True, clock=lambda: now[0])
    bar.update(200, 1000, 0)  # skipped cases arrive first and do not count for the rate
    now[0] += 10
    bar.update(400, 1000, 3)
    now[0] += 10
    bar.update(1000, 1000, 3)
    bar.finish()
    text = stream.getvalue()
    assert text.count("\r") == 3 and text.endswith("\n") and text.count("\n") == 1
    second = text.split("\r")[2]
    assert "400/1,000 cases" in second and "20.0 cases/s" in second and "ETA 30s" in second and "3 failed" in second
    assert "[" + "#" * 24 + "]" in text.split("\r")[3]


def test_a_detail_without_an_id_fails_only_its_case(fresh_demo, api, monkeypatch):
    # A hostile or broken detail document must not abort the batch it would have been written in.
    broken = fresh_demo.data.case_id(3)
    original = fresh_demo.data.detail

    def detail(case_id=None, *args, **kwargs):
        document = original(case_id, *args, **kwargs)
        if case_id == broken and document is not None:
            document = {key: value for key, value in document.items() if key != "id"}
        return document

    monkeypatch.setattr(fresh_demo.data, "detail", detail)
    with open_cache() as cache:
        report = sync_all(api, cache, fresh_demo.customer_id)
        assert [case_id for case_id, _ in report.failed] == [broken]
        assert "without an id" in report.failed[0][1]
        assert report.fetched == CASES - LIST_ONLY - 1
        assert cache.detail_count() == CASES - LIST_ONLY - 1


def test_a_change_only_to_the_detail_is_fetched_once_the_cached_copy_is_a_week_old(fresh_demo, api, monkeypatch):
    """The list service sends no "updated" time: a new comment leaves the list record as it was.
    A re-sync fetches such a case again once its cached detail is older than REFRESH_AFTER_S;
    younger copies are skipped, and list-only cases (no detail to refresh) stay skipped."""
    from caseviewer.core.sync import REFRESH_AFTER_S

    now = [1000.0]
    target = fresh_demo.data.case_id(3)
    with open_cache(clock=lambda: now[0]) as cache:
        assert sync_all(api, cache, fresh_demo.customer_id).ok
        original = fresh_demo.data.detail

        def with_new_comment(case_id, *args, **kwargs):  # the detail changes, its list record does not
            document = original(case_id, *args, **kwargs)
            if case_id == target:
                document = {**document, "comments": [*document.get("comments", []),
                                                      {"id": "c-new", "text": "A new comment"}]}
            return document

        monkeypatch.setattr(fresh_demo.data, "detail", with_new_comment)
        now[0] += REFRESH_AFTER_S / 2
        fresh_demo.request_log.clear()
        assert sync_all(api, cache, fresh_demo.customer_id).skipped == CASES  # young copies: skipped
        assert _detail_requests(fresh_demo) == []

        with cache.transaction() as conn:  # the target's copy is the only one older than a week
            conn.execute("UPDATE details SET cached_at = ? WHERE case_id = ?", (now[0] - REFRESH_AFTER_S - 1, target))
        again = sync_all(api, cache, fresh_demo.customer_id)
        assert _detail_requests(fresh_demo) == [target]
        assert (again.fetched, again.skipped) == (1, CASES - 1)
        assert "A new comment" in json.dumps(cache.get_detail(target).detail.raw)
