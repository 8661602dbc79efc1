"""The repository with a cache: write-through, offline fallback, explicit offline, probing back.

Runs against a private demo service (``fresh_demo``) that the tests stop or break on purpose.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest

from caseviewer.core import errors
from caseviewer.core.api import CaseQuery, DocumentFormat, SearchField, SortField
from caseviewer.core.repository import CaseRepository
from caseviewer.core.cache import cache_path
from tests.unit.test_cache_support import make_api, make_repository, new_key, open_cache

MISSING_INDEX = 16  # the demo's detail service does not know index % 17 == 16


@pytest.fixture
def repo(fresh_demo):
    repository = make_repository(fresh_demo, open_cache())
    yield repository
    repository.close()


def test_a_case_seen_online_is_readable_after_the_service_stops(fresh_demo, repo):
    case_id = fresh_demo.data.case_ids()[0]
    page = repo.list_page(CaseQuery(items_per_page=20))
    before = datetime.now(timezone.utc)
    online = repo.open_case(record=page.records[0])
    after = datetime.now(timezone.utc)
    assert online.provenance.from_network and online.detail.id == case_id
    assert page.provenance.from_network

    fresh_demo.stop()

    offline = repo.open_case(case_id)
    assert offline.provenance.from_cache
    assert offline.detail.raw == online.detail.raw
    assert offline.record is not None and offline.record.id == case_id
    assert before <= offline.provenance.fetched_at <= after  # when it was cached, not now
    assert repo.is_offline and repo.offline_reason == "unreachable"

    cached_page = repo.list_page(CaseQuery(items_per_page=20))
    assert cached_page.provenance.from_cache
    assert [r.id for r in cached_page.records] == [r.id for r in page.records]
    # Offline, the list is what was cached: the one page seen.
    assert (cached_page.total_items, cached_page.total_pages) == (20, 1)
    assert cached_page.provenance.fetched_at is not None

    by_email = repo.open_case(email=online.detail.submitter.email)
    assert by_email.provenance.from_cache and by_email.detail.id == case_id


def test_offline_a_listed_case_never_opened_shows_its_list_record(fresh_demo, repo):
    page = repo.list_page(CaseQuery(items_per_page=20))
    fresh_demo.stop()
    result = repo.open_case(page.records[3].id)
    assert result.provenance.from_cache and result.detail is None
    assert result.record.id == page.records[3].id
    assert "list record" in result.detail_note


def test_offline_with_nothing_cached_is_an_offline_error(fresh_demo, repo):
    fresh_demo.stop()
    with pytest.raises(errors.OfflineError, match="not in the offline cache"):
        repo.open_case("11111111-2222-3333-4444-555555555555")
    with pytest.raises(errors.OfflineError, match="case list"):
        repo.list_page(CaseQuery())
    assert errors.OfflineError("x").exit_code == errors.EXIT_NETWORK


def test_offline_list_search_sort_filter_and_paging(fresh_demo, repo):
    all_online = repo.list_page(CaseQuery(items_per_page=100))
    queries = [
        CaseQuery(items_per_page=10, page=2, sort_field=SortField.BUSINESS_NAME, descending=False),
        CaseQuery(statuses=(all_online.records[0].status.id,)),
        CaseQuery(search=all_online.records[5].business_name.split()[0].lower()),
        CaseQuery(search=all_online.records[7].id[:8], search_fields=(SearchField.CASE_ID,)),
        CaseQuery(paginate=False, descending=False),
    ]
    expected = [make_api(fresh_demo).list.list_cases(q) for q in queries]
    repo.set_offline(True)
    for query, online in zip(queries, expected):
        offline = repo.list_page(query)
        assert offline.provenance.from_cache
        assert [r.id for r in offline.records] == [r.id for r in online.records], query
        assert (offline.total_items, offline.total_pages) == (online.total_items, online.total_pages)
    with pytest.raises(errors.PageOutOfRange):
        repo.list_page(CaseQuery(items_per_page=10, page=99))


def test_chosen_offline_reads_the_cache_while_the_service_is_up(fresh_demo, repo):
    case_id = fresh_demo.data.case_ids()[1]
    repo.open_case(case_id)
    repo.set_offline(True)
    assert repo.is_offline and repo.offline_reason == "chosen"
    fresh_demo.faults.update(status=500)  # any request would fail: none is made
    assert repo.open_case(case_id).provenance.from_cache
    assert repo.probe() is False and repo.is_offline  # a probe does not undo a choice
    fresh_demo.faults.reset()
    repo.set_offline(False)
    assert not repo.is_offline
    assert repo.open_case(case_id).provenance.from_network


def test_probe_is_not_back_online_while_the_detail_service_is_still_down(fresh_demo, repo):
    case_id = fresh_demo.data.case_ids()[2]
    repo.open_case(case_id)
    fresh_demo.faults.update(status=503, scope="detail")  # the list still answers
    first = repo.open_case(case_id)  # one 5xx is this case's error: its cached copy, still online
    assert first.provenance.from_cache and "HTTP 503" in first.detail_note and not repo.is_offline
    assert repo.open_case(case_id).provenance.from_cache  # 5xx again, across requests: offline
    assert repo.probe() is False and repo.offline_reason == "unreachable"
    fresh_demo.faults.reset()
    assert repo.probe() is True and not repo.is_offline


def test_a_failing_service_falls_back_and_probe_brings_it_back(fresh_demo, repo):
    case_id = fresh_demo.data.case_ids()[2]
    repo.open_case(case_id)
    fresh_demo.faults.update(status=503)
    assert repo.open_case(case_id).provenance.from_cache and not repo.is_offline
    assert repo.open_case(case_id).provenance.from_cache
    assert repo.offline_reason == "unreachable"
    assert repo.probe() is False
    fresh_demo.faults.reset()
    assert repo.probe() is True
    assert not repo.is_offline
    assert repo.open_case(case_id).provenance.from_network


def test_a_detail_404_is_still_the_list_record_online(fresh_demo, repo):
    page = repo.list_page(CaseQuery(items_per_page=20))
    record = page.records[MISSING_INDEX]
    result = repo.open_case(record=record)
    assert result.detail is None and result.record.id == record.id and result.provenance.from_network


def test_without_a_cache_the_repository_behaves_as_before(fresh_demo):
    repository = CaseRepository(make_api(fresh_demo))
    case_id = fresh_demo.data.case_ids()[0]
    assert repository.open_case(case_id).provenance.from_network
    fresh_demo.stop()
    with pytest.raises(errors.NetworkError):
        repository.open_case(case_id)
    assert not repository.is_offline
    repository.set_offline(True)
    with pytest.raises(errors.OfflineError):
        repository.open_case(case_id)
    repository.close()


def test_downloaded_attachments_are_written_through_and_readable_offline(fresh_demo):
    repository = make_repository(fresh_demo, open_cache(), document_format=DocumentFormat.URL)
    case_id = fresh_demo.data.case_ids()[0]  # the "rich" case
    detail = repository.open_case(case_id).detail
    attachments = [a for _, a in detail.all_attachments()]
    first, second = attachments[0], attachments[1]
    online_body = io.BytesIO()
    assert repository.download_attachment(first, online_body, case_id=case_id) > 0
    assert repository.cache.has_attachment(first.id)
    assert not repository.cache.has_attachment(second.id)

    fresh_demo.stop()
    offline = repository.open_case(case_id)
    assert offline.provenance.from_cache
    offline_first = next(a for _, a in offline.detail.all_attachments() if a.id == first.id)
    offline_body = io.BytesIO()
    repository.download_attachment(offline_first, offline_body)
    assert offline_body.getvalue() == online_body.getvalue()

    repository.set_offline(True)
    offline_second = next(a for _, a in offline.detail.all_attachments() if a.id == second.id)
    with pytest.raises(errors.OfflineError, match="not downloaded"):
        repository.download_attachment(offline_second, io.BytesIO())
    repository.close()


def test_a_full_cache_never_fails_an_online_read(fresh_demo):
    key = new_key()
    open_cache(key).close()
    empty = cache_path("test").stat().st_size
    cache = open_cache(key, max_size_bytes=empty + 4096)  # room for the schema, not for a case
    repository = make_repository(fresh_demo, cache)
    case_id = fresh_demo.data.case_ids()[0]
    result = repository.open_case(case_id)
    assert result.detail is not None and result.provenance.from_network
    assert isinstance(repository.last_cache_error, errors.CacheError)
    assert "full" in repository.last_cache_error.message
    repository.close()


def test_inline_content_is_decoded_strictly(repo):
    import base64

    from caseviewer.core.decode import DecodeError
    from caseviewer.core.models import Attachment

    body = bytes(range(256)) * 4
    sink = io.BytesIO()
    urlsafe = Attachment(id="a1", content=base64.urlsafe_b64encode(body).decode())
    assert repo.download_attachment(urlsafe, sink) == len(body) and sink.getvalue() == body
    with pytest.raises(DecodeError, match="not valid base64"):
        repo.download_attachment(Attachment(id="a2", content="iVBORw0KGgo$$$not-base64!!"), io.BytesIO())
