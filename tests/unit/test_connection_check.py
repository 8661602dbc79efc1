"""core/connection_check against the demo service and a second loopback server (real HTTP).

A wrong path must never read as "connected": the demo's router answers unknown paths with its own
404, and a plain web server answers with an HTML 404 page.
"""

from __future__ import annotations

import json
import socket

import pytest

from caseviewer.core import errors
from caseviewer.core.connection import ConnectionSettings, Secrets
from caseviewer.core.connection_check import Finding, check_connection
from tests.support.recording_server import RecordingServer

HTML_404 = (404, {"Content-Type": "text/html; charset=utf-8"}, b"<!doctype html><h1>404 Not Found</h1>")


def settings_for(svc, **changes) -> ConnectionSettings:
    values = dict(
        name="t", list_url=svc.list_url, customer_id=svc.customer_id, detail_url=svc.detail_url,
    )
    values.update(changes)
    return ConnectionSettings(**values)


def secrets_for(svc, **changes) -> Secrets:
    values = dict(list_token=svc.list_token, detail_key=svc.detail_key)
    values.update(changes)
    return Secrets(**values)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_right_connection_is_ok_with_exit_0(demo_service):
    report = check_connection(settings_for(demo_service), secrets_for(demo_service))
    assert report.list.finding is Finding.OK and report.detail.finding is Finding.OK
    assert report.ok and report.exit_code == 0
    assert report.text == "✓ Case list: connected, 1,000 cases\n✓ Case detail: connected, the API key was accepted"


def test_detail_url_with_a_wrong_path_is_not_connected(demo_service):
    # The case: ".../api/v2" got "connected, the API key was accepted" from any 404.
    report = check_connection(
        settings_for(demo_service, list_url=None, customer_id=None, detail_url=demo_service.detail_url + "/api/v2"),
        secrets_for(demo_service),
    )
    assert report.detail.finding is Finding.WRONG_PATH, report.detail.line
    assert "✗" in report.detail.line and "Check the path" in report.detail.line
    assert report.list.finding is Finding.NOT_CONFIGURED
    assert not report.ok and report.exit_code == errors.EXIT_USAGE


def test_list_url_with_a_wrong_path_does_not_blame_the_customer_id(demo_service):
    wrong = demo_service.list_url.replace("/case/api/v1", "/case/api/v2")
    report = check_connection(settings_for(demo_service, list_url=wrong, detail_url=None), secrets_for(demo_service))
    assert report.list.finding is Finding.WRONG_PATH, report.list.line
    assert "customer" not in report.list.line.lower()
    assert report.exit_code == errors.EXIT_USAGE


def test_a_missing_customer_is_named_as_such(demo_service):
    report = check_connection(
        settings_for(demo_service, customer_id="00000000-0000-4000-8000-000000000000", detail_url=None),
        secrets_for(demo_service),
    )
    assert report.list.finding is Finding.CUSTOMER_NOT_FOUND, report.list.line
    assert "00000000-0000-4000-8000-000000000000" in report.list.line
    assert report.exit_code == errors.EXIT_NOT_FOUND


def test_html_404_from_a_plain_web_server_is_a_wrong_path_for_both_halves():
    with RecordingServer(lambda path: HTML_404) as server:
        report = check_connection(
            ConnectionSettings(list_url=server.url + "/case/api/v1", customer_id="c1", detail_url=server.url),
            Secrets(list_token="t0ken", detail_key="k3y"),
        )
    assert report.list.finding is Finding.WRONG_PATH, report.list.line
    assert report.detail.finding is Finding.WRONG_PATH, report.detail.line
    assert "web page" in report.list.line and "web page" in report.detail.line


def test_a_detail_shaped_404_for_every_path_is_still_a_wrong_path():
    # Same 404 for the probe and for the base URL: the router, not "no such case".
    body = json.dumps({"status": 404, "success": False, "error": "Not found"}).encode()
    with RecordingServer(lambda path: (404, {"Content-Type": "application/json"}, body)) as server:
        report = check_connection(ConnectionSettings(detail_url=server.url + "/v9"), Secrets(detail_key="k3y"))
        paths = [path for path, _ in server.requests]
    assert report.detail.finding is Finding.WRONG_PATH, report.detail.line
    assert paths[-1] == "/v9"  # the base was asked too


def test_wrong_credentials_are_rejected_with_exit_3(demo_service):
    report = check_connection(settings_for(demo_service), Secrets(list_token="nope", detail_key="nope"))
    assert report.list.finding is Finding.REJECTED and report.detail.finding is Finding.REJECTED
    assert report.exit_code == errors.EXIT_AUTH
    assert report.text.count("✗") == 2


def test_wrong_password_sign_in_says_so(demo_service):
    report = check_connection(
        settings_for(demo_service, email=demo_service.login_email, detail_url=None), Secrets(password="wrong")
    )
    assert report.list.finding is Finding.REJECTED
    assert "sign-in failed" in report.list.line


def test_refused_port_is_unreachable_with_exit_5():
    port = free_port()
    report = check_connection(
        ConnectionSettings(list_url=f"http://127.0.0.1:{port}/case/api/v1", customer_id="c", detail_url=f"http://127.0.0.1:{port}"),
        Secrets(list_token="t0ken", detail_key="k3y"),
    )
    assert report.list.finding is Finding.UNREACHABLE and report.detail.finding is Finding.UNREACHABLE
    assert report.exit_code == errors.EXIT_NETWORK


def test_the_check_does_not_retry():
    # The normal client retries 5xx and refused connections with back-off (about 7 s for both
    # halves of a refused port); a check asks once and reports.
    with RecordingServer(lambda path: (503, {"Content-Type": "application/json"}, b'{"message":"down"}')) as server:
        report = check_connection(
            ConnectionSettings(list_url=server.url + "/case/api/v1", customer_id="c"), Secrets(list_token="t0ken")
        )
        requests = len(server.requests)
    assert report.list.finding is Finding.SERVICE_ERROR
    assert requests == 1


def test_a_page_instead_of_json_is_not_the_service():
    page = (200, {"Content-Type": "text/html"}, b"<html>Sign in to the portal</html>")
    with RecordingServer(lambda path: page) as server:
        report = check_connection(ConnectionSettings(detail_url=server.url), Secrets(detail_key="k3y"))
    assert report.detail.finding is Finding.NOT_THE_SERVICE


def test_nothing_configured_is_not_ok():
    report = check_connection(ConnectionSettings(), Secrets())
    assert not report.ok and report.exit_code != 0


@pytest.mark.parametrize("half", ["list", "detail"])
def test_a_missing_secret_is_named(demo_service, half):
    secrets = secrets_for(demo_service, **({"list_token": None} if half == "list" else {"detail_key": None}))
    report = check_connection(settings_for(demo_service), secrets)
    result = report.list if half == "list" else report.detail
    assert result.finding is Finding.NO_SECRET
