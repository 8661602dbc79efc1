"""Network faults against the demo service: the client reports them as known errors, in bounded time."""

from __future__ import annotations

import httpx
import pytest

from caseviewer.core import errors
from caseviewer.core.api import BearerToken, CaseDetailClient, CaseListClient, CaseQuery, RetryPolicy

QUICK = RetryPolicy(max_retries=2, base_delay=0.01, max_delay=0.05, max_retry_after=0.1)


def clients(svc, **kwargs):
    kwargs.setdefault("retry", QUICK)
    return (
        CaseListClient(svc.list_url, customer_id=svc.customer_id, credential=BearerToken(svc.list_token), **kwargs),
        CaseDetailClient(svc.detail_url, api_key=svc.detail_key, **kwargs),
    )


FAULTS = [
    ("timeout", {"latency_ms": 1500}, errors.Timeout),
    ("reset mid-body", {"reset_mid_body": True}, errors.NetworkError),
    ("truncated JSON", {"truncated_json": True}, errors.InvalidJson),
    ("malformed JSON", {"malformed_json": True}, errors.SchemaError),
    ("429 storm", {"rate_limit_count": 1000, "retry_after": 0}, errors.RateLimited),
    ("500", {"status": 500}, errors.ServerError),
    ("502", {"status": 502}, errors.ServerError),
    ("503", {"status": 503}, errors.ServerError),
    ("504", {"status": 504}, errors.ServerError),
]


@pytest.mark.parametrize("service", ["list", "detail"])
@pytest.mark.parametrize(("name", "knobs", "expected"), FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_gives_a_known_error(fresh_demo, service, name, knobs, expected):
    list_client, detail_client = clients(fresh_demo, timeout=httpx.Timeout(0.5))
    fresh_demo.faults.update(scope=service, **knobs)
    with pytest.raises(expected) as caught:
        if service == "list":
            list_client.list_cases(CaseQuery())
        else:
            detail_client.get_case(fresh_demo.data.case_ids()[0])
    assert isinstance(caught.value, errors.KnownError)
    assert caught.value.message  # something to show the user
    # ... and the service works again as soon as the fault clears: nothing is stuck.
    fresh_demo.faults.reset()
    assert list_client.list_cases(CaseQuery()).records
    assert detail_client.get_case(fresh_demo.data.case_ids()[0]).id


def test_intermittent_failures_are_retried_through(fresh_demo):
    list_client, _ = clients(fresh_demo, retry=RetryPolicy(max_retries=6, base_delay=0.01, max_delay=0.02))
    fresh_demo.faults.update(status=503, count=3, scope="list")
    assert list_client.list_cases(CaseQuery()).records


def test_revoked_key_mid_session(fresh_demo):
    _, detail_client = clients(fresh_demo)
    case_ids = fresh_demo.data.case_ids()
    assert detail_client.get_case(case_ids[0]).id == case_ids[0]
    revoked = CaseDetailClient(fresh_demo.detail_url, api_key="cvk_revoked", retry=QUICK)
    with pytest.raises(errors.AuthError) as caught:
        revoked.get_case(case_ids[1])
    assert caught.value.exit_code == errors.EXIT_AUTH
    # a revoked list token mid-session (the service starts answering 401) is an auth error, not a crash
    list_client, _ = clients(fresh_demo)
    fresh_demo.faults.update(status=401, scope="list")
    with pytest.raises(errors.AuthError):
        list_client.list_cases(CaseQuery())


def test_fail_rate_chaos_only_ever_raises_known_errors(fresh_demo):
    list_client, detail_client = clients(fresh_demo, retry=RetryPolicy(max_retries=1, base_delay=0.01, max_delay=0.02))
    fresh_demo.faults.update(fail_rate=0.5)
    outcomes = {"ok": 0, "known": 0}
    for case_id in fresh_demo.data.case_ids()[:20]:
        try:
            detail_client.get_case(case_id)
            outcomes["ok"] += 1
        except errors.KnownError:
            outcomes["known"] += 1
    assert outcomes["ok"] + outcomes["known"] == 20
