"""Each demo fault knob, observed from a real client over loopback HTTP.

Latency and slow bodies are checked with lower bounds only (the server must have waited at least
that long), which cannot flake on a slow machine.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ holds conftest_demo
pytest_plugins = ["conftest_demo"]

from caseviewer.demo.faults import FaultConfig  # noqa: E402


def raw_get(url: str, headers: dict[str, str]) -> tuple[bytes, bytes, BaseException | None]:
    """Send one GET on a bare socket; return (head, body bytes received, error or None)."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    data, error = b"", None
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except OSError as exc:
            error = exc
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body, error


def content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    raise AssertionError("no Content-Length")


def list_url(svc) -> str:
    return f"{svc.list_url}/customers/{svc.customer_id}/cases"


def auth(svc) -> dict[str, str]:
    return {"Authorization": f"Bearer {svc.list_token}"}


# --- status-type faults --------------------------------------------------------------------------

def test_rate_limit_with_retry_after(demo, list_get):
    demo.faults.update(rate_limit_count=2, retry_after=7)
    for _ in range(2):
        response = list_get(demo)
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "7"
        assert response.json()["errorCode"] == "ERR_TOO_MANY_REQUESTS"
    assert list_get(demo).status_code == 200


def test_status_with_count_uses_each_services_error_shape(demo, list_get, detail_get):
    demo.faults.update(status=503, count=2)
    listed = list_get(demo)
    assert listed.status_code == 503 and listed.json()["status"] == "error"
    detailed = detail_get(demo, {"caseId": demo.data.case_id(0)})
    assert detailed.status_code == 503
    assert detailed.json()["success"] is False and detailed.json()["status"] == 503
    assert list_get(demo).status_code == 200  # count exhausted


@pytest.mark.parametrize("status", [500, 502, 403])
def test_status_until_reset(demo, list_get, status):
    demo.faults.update(status=status)
    assert [list_get(demo).status_code for _ in range(3)] == [status] * 3
    demo.faults.reset()
    assert list_get(demo).status_code == 200


def test_scope_limits_faults_to_one_service(demo, list_get, detail_get):
    demo.faults.update(scope="detail", status=500)
    assert list_get(demo).status_code == 200
    assert detail_get(demo, {"caseId": demo.data.case_id(0)}).status_code == 500


def test_auth_and_files_scopes(demo, demo_http, detail_get):
    demo.faults.update(scope="auth", status=502, count=1)
    sign_in = demo_http.post(f"{demo.auth_url}/auth/api/v1/customer/sign-in",
                             json={"email": demo.login_email, "password": demo.login_password})
    assert sign_in.status_code == 502
    case = detail_get(demo, {"caseId": demo.data.case_id(0), "includeAttachments": "true",
                             "documentFormat": "url"}).json()["caseDetail"]
    url = case["attachments"][0]["url"]
    demo.faults.update(scope="files", status=503, retry_after=3)
    response = demo_http.get(url)
    assert response.status_code == 503 and response.headers["Retry-After"] == "3"
    assert b"<Code>SlowDown</Code>" in response.content
    demo.faults.reset()
    assert demo_http.get(url).status_code == 200


def test_fail_rate_is_seeded(demo, list_get):
    demo.faults.update(fail_rate=1.0)
    assert list_get(demo).status_code == 500
    demo.faults.update(fail_rate=0.5)
    codes = [list_get(demo).status_code for _ in range(40)]
    assert set(codes) == {200, 500}
    first = FaultConfig(seed=5)
    second = FaultConfig(seed=5)
    for config in (first, second):
        config.update(fail_rate=0.5)
    assert [first.decide("list").status for _ in range(30)] == [
        second.decide("list").status for _ in range(30)]


# --- body faults ---------------------------------------------------------------------------------

def test_malformed_json(demo, list_get):
    demo.faults.update(malformed_json=True, count=1)
    response = list_get(demo)
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert list_get(demo).json()["status"] == "success"


def test_truncated_json_sends_less_than_its_length(demo):
    demo.faults.update(truncated_json=True, count=1)
    head, body, _ = raw_get(list_url(demo), auth(demo))
    assert head.startswith(b"HTTP/1.1 200")
    assert 0 < len(body) < content_length(head)


def test_truncated_json_is_an_error_in_httpx(demo, list_get):
    demo.faults.update(truncated_json=True, count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        list_get(demo)


def test_reset_mid_body_is_a_connection_error(demo, list_get):
    demo.faults.update(reset_mid_body=True, count=1)
    with pytest.raises(httpx.TransportError):
        list_get(demo)
    demo.faults.update(reset_mid_body=True, count=1)
    head, body, error = raw_get(list_url(demo), auth(demo))
    assert isinstance(error, ConnectionResetError) or len(body) < content_length(head)
    assert list_get(demo).status_code == 200


def test_latency(demo, list_get, demo_http):
    demo.faults.update(latency_ms=300, count=1)
    started = time.monotonic()
    assert list_get(demo).status_code == 200
    assert time.monotonic() - started >= 0.3
    demo.faults.update(latency_ms=5000, count=1)
    with pytest.raises(httpx.ReadTimeout):
        demo_http.get(list_url(demo), headers=auth(demo), timeout=httpx.Timeout(5.0, read=0.2))


def test_slow_body(demo, list_get):
    size = len(list_get(demo).content)
    bps = size * 2  # the whole body should take about half a second
    demo.faults.update(slow_body_bps=bps, count=1)
    started = time.monotonic()
    response = list_get(demo)
    elapsed = time.monotonic() - started
    assert response.status_code == 200 and len(response.content) == size
    chunk = bps // 10
    assert elapsed >= (size - chunk) / bps * 0.95


# --- control -------------------------------------------------------------------------------------

def test_http_control_endpoint(demo, demo_http, list_get):
    url = f"{demo.auth_url}/__demo/faults"
    set_ = demo_http.post(url, json={"status": 500, "scope": "list"})
    assert set_.status_code == 200 and set_.json()["status"] == 500
    assert demo.faults.snapshot()["status"] == 500
    assert list_get(demo).status_code == 500
    assert demo_http.get(url).json()["scope"] == "list"  # the control itself never faults
    assert demo_http.delete(url).status_code == 200
    assert demo.faults.snapshot()["status"] is None
    assert list_get(demo).status_code == 200


def test_control_endpoint_is_never_faulted(demo, demo_http):
    demo.faults.update(status=500, reset_mid_body=True, latency_ms=10_000)
    response = demo_http.get(f"{demo.auth_url}/__demo/faults")
    assert response.status_code == 200 and response.json()["latency_ms"] == 10_000


def test_control_endpoint_rejects_bad_settings(demo, demo_http):
    url = f"{demo.auth_url}/__demo/faults"
    assert demo_http.post(url, json={"no_such_knob": 1}).status_code == 400
    assert demo_http.post(url, json={"fail_rate": 2}).status_code == 400
    assert demo_http.post(url, json={"scope": "everything"}).status_code == 400
    assert demo_http.post(url, content=b"[1]").status_code == 400
    with pytest.raises(ValueError):
        demo.faults.update(status="teapot")
