"""The API clients against the demo service over real loopback HTTP."""

from __future__ import annotations

import io
import threading
import time

import httpx
import pytest

from caseviewer.core import errors
from caseviewer.core.api import (
    BearerToken,
    CaseDetailClient,
    CaseListClient,
    CaseQuery,
    DocumentFormat,
    RetryPolicy,
    SearchField,
    SignInClient,
    SignInCredential,
    SortField,
)
from tests.support.recording_server import RecordingServer

FAST_RETRY = RetryPolicy(max_retries=2, base_delay=0.01, max_delay=0.05, max_retry_after=5.0)


def list_client(svc, token=None, **kwargs) -> CaseListClient:
    kwargs.setdefault("retry", FAST_RETRY)
    return CaseListClient(
        svc.list_url, customer_id=svc.customer_id, credential=BearerToken(token or svc.list_token), **kwargs
    )


def detail_client(svc, key=None, **kwargs) -> CaseDetailClient:
    kwargs.setdefault("retry", FAST_RETRY)
    return CaseDetailClient(svc.detail_url, api_key=key if key is not None else svc.detail_key, **kwargs)


# -- list ------------------------------------------------------------------------------------


def test_pages_to_the_last_page_and_past_it(demo_service):
    with list_client(demo_service) as client:
        pages = list(client.iter_pages(CaseQuery(items_per_page=300)))
        assert [len(p.records) for p in pages] == [300, 300, 300, 100]
        assert pages[-1].is_last and pages[-1].total_items == 1000 and pages[-1].total_pages == 4
        ids = [r.id for p in pages for r in p.records]
        assert len(set(ids)) == 1000
        with pytest.raises(errors.PageOutOfRange) as caught:
            client.list_cases(CaseQuery(page=5, items_per_page=300))
        assert caught.value.status_code == 400 and caught.value.exit_code == errors.EXIT_USAGE


def test_sort_filter_and_search_reach_the_service(demo_service):
    with list_client(demo_service) as client:
        by_name = client.list_cases(CaseQuery(sort_field=SortField.BUSINESS_NAME, descending=False, items_per_page=50))
        names = [r.business_name.lower() for r in by_name.records]
        assert names == sorted(names)
        oldest_first = client.list_cases(CaseQuery(descending=False, items_per_page=50)).records
        stamps = [r.created_at for r in oldest_first]
        assert stamps == sorted(stamps)
        approved = client.list_cases(CaseQuery(statuses=(5, 6), items_per_page=100))
        assert approved.records and {r.status.id for r in approved.records} <= {5, 6}
        target = by_name.records[3]
        word = target.business_name.split()[0]
        found = client.list_cases(CaseQuery(search=word, items_per_page=100))
        assert target.id in {r.id for r in found.records}
        assert all(word.lower() in r.business_name.lower() for r in found.records)
        by_id = client.list_cases(CaseQuery(search=target.id, search_fields=(SearchField.CASE_ID,)))
        assert [r.id for r in by_id.records] == [target.id]
        nothing = client.list_cases(CaseQuery(search="zz-no-such-business-zz"))
        assert nothing.records == [] and nothing.total_pages == 0 and nothing.is_last


def test_query_encodes_brackets_like_a_browser():
    request = httpx.Request("GET", "http://x/cases", params=CaseQuery(statuses=(4,), search="a b").params())
    assert "sort%5Bdata_cases.created_at%5D=DESC" in str(request.url)
    assert "filter%5Bdata_cases.status%5D%5B0%5D=4" in str(request.url)
    assert "search%5Bdata_businesses.name%5D=a+b" in str(request.url)


def test_wrong_list_token_is_an_auth_error(demo_service):
    with list_client(demo_service, token="wrong") as client, pytest.raises(errors.AuthError) as caught:
        client.list_cases()
    assert caught.value.status_code == 401 and "wrong" not in str(caught.value)


def test_sign_in_and_one_re_sign_in_on_401(fresh_demo):
    signer = SignInClient(fresh_demo.auth_url, retry=FAST_RETRY)
    credential = SignInCredential(signer, fresh_demo.login_email, fresh_demo.login_password)
    with CaseListClient(fresh_demo.list_url, customer_id=fresh_demo.customer_id, credential=credential, retry=FAST_RETRY) as client:
        assert client.list_cases().records
        first_token = credential.token()
        fresh_demo.faults.update(status=401, count=1, scope="list")
        assert client.list_cases().records  # 401 -> signed in again -> retried once
        assert credential.token() != first_token
        fresh_demo.faults.update(status=401, count=2, scope="list")
        with pytest.raises(errors.AuthError):
            client.list_cases()
    with pytest.raises(errors.AuthError) as caught:
        SignInClient(fresh_demo.auth_url, retry=FAST_RETRY).sign_in(fresh_demo.login_email, "not-the-password")
    assert "not-the-password" not in str(caught.value)


# -- detail ----------------------------------------------------------------------------------


def test_detail_by_id_and_by_email_with_every_include(demo_service):
    case_id = demo_service.data.case_ids()[0]
    with detail_client(demo_service) as client:
        detail = client.get_case(case_id)
        assert detail.id == case_id and detail.raw["id"] == case_id
        assert detail.attachments and detail.calendar_events and detail.orders and detail.case_products
        assert all(a.content and not a.url for a in detail.attachments)
        again = client.get_case(email=detail.submitter.email)
        assert again.id == case_id
        linked = client.get_case(case_id, document_format=DocumentFormat.URL)
        assert all(a.url and not a.content for a in linked.attachments)


@pytest.mark.parametrize(("key", "expected"), [("", errors.AuthError), ("wrong-key", errors.AuthError)])
def test_detail_key_errors_are_auth_errors(demo_service, key, expected):
    with detail_client(demo_service, key=key) as client, pytest.raises(expected) as caught:
        client.get_case(demo_service.data.case_ids()[0])
    assert caught.value.status_code == 400
    assert "wrong-key" not in str(caught.value) and "wron" not in str(caught.value)


def test_unknown_case_is_not_found(demo_service):
    with detail_client(demo_service) as client, pytest.raises(errors.NotFound) as caught:
        client.get_case("00000000-0000-0000-0000-000000000000")
    assert caught.value.exit_code == errors.EXIT_NOT_FOUND


@pytest.mark.parametrize(
    ("faults", "expected"),
    [
        ({"status": 403}, errors.PermissionDenied),
        ({"status": 503}, errors.ServerError),
        ({"status": 500}, errors.ServerError),
        ({"rate_limit_count": 10, "retry_after": 0}, errors.RateLimited),
        ({"malformed_json": True}, errors.SchemaError),
        ({"truncated_json": True}, errors.InvalidJson),
        ({"reset_mid_body": True}, errors.NetworkError),
    ],
)
def test_each_fault_maps_to_its_error(fresh_demo, faults, expected):
    fresh_demo.faults.update(scope="detail", **faults)
    with detail_client(fresh_demo) as client, pytest.raises(expected):
        client.get_case(fresh_demo.data.case_ids()[0])


def test_dead_port_is_a_network_error():
    with CaseDetailClient("http://127.0.0.1:9", api_key="k", retry=FAST_RETRY) as client:
        with pytest.raises(errors.NetworkError) as caught:
            client.get_case("x")
    assert caught.value.exit_code == errors.EXIT_NETWORK


def test_timeout_is_a_timeout(fresh_demo):
    fresh_demo.faults.update(latency_ms=1500, scope="detail")
    timeout = httpx.Timeout(0.3)
    with detail_client(fresh_demo, timeout=timeout, retry=RetryPolicy(max_retries=0)) as client:
        with pytest.raises(errors.Timeout):
            client.get_case(fresh_demo.data.case_ids()[0])


# -- retries ---------------------------------------------------------------------------------


def test_retry_honours_retry_after_then_succeeds(fresh_demo):
    fresh_demo.faults.update(rate_limit_count=2, retry_after=1, scope="list")
    with list_client(fresh_demo, retry=RetryPolicy(max_retries=3, base_delay=0.01, max_retry_after=5)) as client:
        started = time.monotonic()
        page = client.list_cases()
        waited = time.monotonic() - started
    assert page.records
    assert waited >= 1.9  # two Retry-After: 1 answers were each waited out (a lower bound, not a timing target)


def test_retry_gives_up_and_reports_rate_limit(fresh_demo):
    fresh_demo.faults.update(rate_limit_count=100, retry_after=0, scope="list")
    with list_client(fresh_demo) as client, pytest.raises(errors.RateLimited):
        client.list_cases()


def test_retry_after_is_capped(fresh_demo):
    fresh_demo.faults.update(rate_limit_count=1, retry_after=3600, scope="list")
    policy = RetryPolicy(max_retries=1, base_delay=0.01, max_retry_after=0.2)
    with list_client(fresh_demo, retry=policy) as client:
        assert client.list_cases().records


def test_post_is_not_retried(fresh_demo):
    fresh_demo.faults.update(status=503, count=1, scope="auth")
    with pytest.raises(errors.ServerError):
        SignInClient(fresh_demo.auth_url, retry=FAST_RETRY).sign_in(fresh_demo.login_email, fresh_demo.login_password)
    # the single 503 was consumed by the one attempt: the next sign-in works
    assert SignInClient(fresh_demo.auth_url).sign_in(fresh_demo.login_email, fresh_demo.login_password).id_token


def test_close_wakes_a_back_off_sleep(fresh_demo):
    fresh_demo.faults.update(rate_limit_count=100, retry_after=30, scope="list")
    client = list_client(fresh_demo, retry=RetryPolicy(max_retries=3, max_retry_after=30))
    outcome: list[BaseException] = []

    def run():
        try:
            client.list_cases()
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(0.3)
    client.close()
    worker.join(5)
    assert not worker.is_alive()
    assert isinstance(outcome[0], (errors.Cancelled, errors.NetworkError))


# -- origins ---------------------------------------------------------------------------------


def test_url_attachment_downloads_without_any_auth_header(demo_service):
    case_id = demo_service.data.case_ids()[0]
    with detail_client(demo_service) as client:
        detail = client.get_case(case_id, document_format=DocumentFormat.URL)
        attachment = detail.attachments[0]
        assert not client.is_own_origin(attachment.url)
        sink = io.BytesIO()
        seen: list[tuple[int, int | None]] = []
        size = client.download(attachment.url, sink, progress=lambda done, total: seen.append((done, total)))
    assert size == len(sink.getvalue()) > 0 and seen[-1][0] == size


def test_no_auth_header_reaches_a_second_origin_even_through_a_redirect():
    with RecordingServer(lambda path: (200, {"Content-Type": "application/json"}, b'{"caseDetail": {"id": "x"}}')) as other:
        def respond(path):
            return 302, {"Location": other.url + "/api/v1/customer-case-detail?caseId=x"}, b""

        with RecordingServer(respond) as own:
            with CaseDetailClient(own.url, api_key="secret-key", retry=FAST_RETRY) as client:
                assert client.get_case("x").id == "x"
                client.download(other.url + "/file.bin", io.BytesIO())
    assert own.requests[0][1]["cv-api-key"] == "secret-key"
    for _path, headers in other.requests:
        assert "cv-api-key" not in headers and "authorization" not in headers


def test_list_bearer_token_stays_on_its_origin():
    with RecordingServer(lambda path: (200, {"Content-Type": "application/json"}, b'{"data": {"records": [], "total_pages": 0, "total_items": 0}}')) as other:
        with RecordingServer(lambda path: (307, {"Location": other.url + path}, b"")) as own:
            with CaseListClient(own.url, customer_id="c", credential=BearerToken("tok"), retry=FAST_RETRY) as client:
                assert client.list_cases().records == []
    assert own.requests[0][1]["authorization"] == "Bearer tok"
    assert "authorization" not in other.requests[0][1]


def test_expired_signed_url_is_link_expired(fresh_demo):
    case_id = fresh_demo.data.case_ids()[0]
    with detail_client(fresh_demo) as client:
        url = client.get_case(case_id, document_format=DocumentFormat.URL).attachments[0].url
        tampered = url.replace("sig=", "sig=00")
        with pytest.raises(errors.LinkExpired):
            client.download(tampered, io.BytesIO())


def test_download_can_be_cancelled(fresh_demo):
    case_id = fresh_demo.data.case_ids()[0]
    cancel = threading.Event()
    with detail_client(fresh_demo) as client:
        url = client.get_case(case_id, document_format=DocumentFormat.URL).attachments[0].url
        fresh_demo.faults.update(slow_body_bps=20_000, scope="files")
        with pytest.raises(errors.Cancelled):
            client.download(url, io.BytesIO(), progress=lambda done, total: cancel.set(), cancel=cancel, chunk_size=1024)


def test_twenty_megabyte_base64_attachment_over_http():
    from caseviewer.demo.server import DemoConfig, DemoService

    with DemoService(DemoConfig(cases=10, seed=3, large_attachment_bytes=20_000_000)) as svc:
        with detail_client(svc) as client:
            detail = client.get_case(svc.data.case_ids()[3])
    sizes = [a.encoded_size or 0 for a in detail.attachments]
    assert max(sizes) >= 19_000_000


def test_open_ended_date_ranges(demo_service):
    from datetime import date

    with list_client(demo_service) as client:
        everything = client.list_cases(CaseQuery(items_per_page=1)).total_items
        assert client.list_cases(CaseQuery(created_from=date(1990, 1, 1), items_per_page=1)).total_items == everything
        assert client.list_cases(CaseQuery(created_to=date(1990, 1, 1), items_per_page=1)).total_items == 0
