"""Transport security against real servers: a second loopback origin, a recording proxy, a real
TLS server with a self-signed certificate, oversized and decompression-bomb bodies.

Each test is the audit's experiment (issue 13, items 1, 6, 7, 8, 9) turned into an assertion:
the password never reaches another origin, https never drops to http, plain http stays on
loopback, a proxy never sees a loopback request, an untrusted certificate is reported as one,
and no body is read past its byte budget.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import tracemalloc
import zlib

import pytest

from caseviewer.core import errors
from caseviewer.core.api import (
    BearerToken,
    CaseDetailClient,
    CaseListClient,
    CaseQuery,
    DocumentFormat,
    RetryPolicy,
    SignInClient,
    SignInCredential,
)
from caseviewer.core.http import MIB
from tests.support.recording_server import RecordingServer

QUICK = RetryPolicy(max_retries=1, base_delay=0.01, max_delay=0.02)
SIGN_IN = "/auth/api/v1/customer/sign-in"
TOKEN_BODY = json.dumps({"data": {"id_token": "stolen-token", "customer_details": {"id": "c1"}}}).encode()
JSON = {"Content-Type": "application/json"}
EMPTY_LIST = b'{"data": {"records": [], "total_pages": 0, "total_items": 0}}'


def answer(body: bytes, status: int = 200, **headers: str):
    return lambda path: (status, {**JSON, **headers}, body)


# -- 1. a request with a body never follows a redirect to another origin -------------------------


@pytest.mark.parametrize("status", [307, 308, 303, 302])
def test_sign_in_never_replays_the_password_to_another_origin(status):
    with RecordingServer(answer(TOKEN_BODY)) as other:
        with RecordingServer(lambda path: (status, {"Location": other.url + path}, b"")) as own:
            with SignInClient(own.url, retry=QUICK) as client, pytest.raises(errors.RedirectRefused) as caught:
                client.sign_in("reviewer@example.test", "hunter2-secret")
    assert own.calls[0].method == "POST" and b"hunter2-secret" in own.calls[0].body
    assert other.calls == []  # nothing at all reached the other origin, with or without the body
    assert "hunter2-secret" not in str(caught.value) and "another site" in str(caught.value)
    assert isinstance(caught.value, errors.KnownError)


def test_a_signed_in_list_client_fails_clearly_instead_of_signing_in_elsewhere():
    with RecordingServer(answer(TOKEN_BODY)) as other:
        with RecordingServer(lambda path: (307, {"Location": other.url + path}, b"")) as own:
            credential = SignInCredential(SignInClient(own.url, retry=QUICK), "reviewer@example.test", "pw-secret")
            with CaseListClient(own.url, customer_id="c1", credential=credential, retry=QUICK) as client:
                with pytest.raises(errors.RedirectRefused):
                    client.list_cases(CaseQuery())
    assert other.calls == []


def test_a_same_origin_307_keeps_the_body_and_signs_in():
    def respond(path):
        if path == SIGN_IN:
            return 307, {"Location": "/auth/v2/sign-in"}, b""
        return 200, JSON, TOKEN_BODY

    with RecordingServer(respond) as own:
        with SignInClient(own.url, retry=QUICK) as client:
            assert client.sign_in("reviewer@example.test", "pw").id_token == "stolen-token"
    assert [c.method for c in own.calls] == ["POST", "POST"]
    assert json.loads(own.calls[1].body)["password"] == "pw"


def test_demo_sign_in_still_works(fresh_demo):
    with SignInClient(fresh_demo.auth_url, retry=QUICK) as client:
        assert client.sign_in(fresh_demo.login_email, fresh_demo.login_password).id_token


# -- 8. never https -> http; plain http only on loopback -----------------------------------------


def test_plain_http_redirect_off_loopback_is_refused_before_anything_is_sent():
    with RecordingServer(lambda path: (302, {"Location": "http://cases.example.test" + path}, b"")) as own:
        with CaseDetailClient(own.url, api_key="key", retry=QUICK) as client:
            with pytest.raises(errors.RedirectRefused) as caught:
                client.get_case(None, email="someone@example.test")
    assert "cases.example.test" in str(caught.value) and "someone" not in str(caught.value)


def test_an_attachment_link_to_plain_http_off_loopback_is_refused():
    with RecordingServer(answer(b"{}")) as own:
        with CaseDetailClient(own.url, api_key="key", retry=QUICK) as client:
            with pytest.raises(errors.RedirectRefused):
                client.download("http://files.example.test/scan.pdf?sig=abc", io.BytesIO())
    assert own.calls == []


def test_plain_http_base_url_off_loopback_is_refused_unless_explicitly_allowed():
    with pytest.raises(errors.ConfigError) as caught:
        CaseDetailClient("http://cases.example.test", api_key="key")
    assert "http://" in str(caught.value)
    CaseDetailClient("http://cases.example.test", api_key="key", allow_insecure=True).close()
    CaseDetailClient("http://localhost:9", api_key="key").close()


def test_demo_url_attachments_between_loopback_ports_still_download(demo_service):
    with CaseDetailClient(demo_service.detail_url, api_key=demo_service.detail_key, retry=QUICK) as client:
        attachment = client.get_case(demo_service.data.case_ids()[0], document_format=DocumentFormat.URL).attachments[0]
        assert not client.is_own_origin(attachment.url)
        assert client.download(attachment.url, io.BytesIO()) > 0


# -- 9. loopback never goes through a proxy ------------------------------------------------------


@pytest.fixture
def recording_proxy(monkeypatch):
    """A loopback HTTP proxy that records every request and answers each with a JSON body."""
    with RecordingServer(answer(b'{"caseDetail": {"id": "via-proxy"}}')) as proxy:
        for name in ("NO_PROXY", "no_proxy", "http_proxy", "https_proxy", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            monkeypatch.setenv(name, proxy.url)
        yield proxy


def test_a_loopback_service_is_never_reached_through_the_proxy(recording_proxy, demo_service):
    svc = demo_service
    with SignInClient(svc.auth_url, retry=QUICK) as signer:
        credential = SignInCredential(signer, svc.login_email, svc.login_password)
        with CaseListClient(svc.list_url, customer_id=svc.customer_id, credential=credential, retry=QUICK) as lister:
            assert lister.list_cases(CaseQuery(items_per_page=5)).records
    with CaseDetailClient(svc.detail_url, api_key=svc.detail_key, retry=QUICK) as client:
        detail = client.get_case(svc.data.case_ids()[0], document_format=DocumentFormat.URL)
        assert detail.id == svc.data.case_ids()[0]
        assert client.download(detail.attachments[0].url, io.BytesIO()) > 0
    assert recording_proxy.calls == []


def test_the_proxy_is_still_used_for_other_hosts(recording_proxy):
    # The control: the proxy environment is live, so the test above is not passing by accident.
    with CaseDetailClient("http://cases.example.test", api_key="k", allow_insecure=True, retry=QUICK) as client:
        assert client.get_case("x").id == "via-proxy"
    assert recording_proxy.calls[0].path.startswith("http://cases.example.test/")


# -- 7. the OS trust store + SSL_CERT_FILE; a certificate failure says so ------------------------


@pytest.fixture
def tls_service(tmp_path, monkeypatch):
    """A real TLS server on 127.0.0.1 with a fresh self-signed certificate; yields (server, cert)."""
    from tests.support.tls import make_certificate, server_context

    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    cert, key = make_certificate(tmp_path)
    with RecordingServer(answer(b'{"caseDetail": {"id": "over-tls"}}'), tls=server_context(cert, key)) as server:
        yield server, cert


def test_an_untrusted_certificate_is_reported_as_one(tls_service):
    server, _cert = tls_service
    with CaseDetailClient(server.url, api_key="key", retry=QUICK) as client:
        with pytest.raises(errors.CertificateError) as caught:
            client.get_case("x")
    message = str(caught.value)
    assert message.startswith("The certificate of 127.0.0.1 is not trusted (")
    assert "self-signed" in message or "self signed" in message
    assert "Cannot reach" not in message
    assert server.calls == []  # the handshake failed: no request, no API key was sent


def test_a_certificate_named_by_ssl_cert_file_is_trusted(tls_service, monkeypatch):
    server, cert = tls_service
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with CaseDetailClient(server.url, api_key="key", retry=QUICK) as client:
        assert client.get_case("x").id == "over-tls"
    assert server.calls[0].headers["cv-api-key"] == "key"


def test_https_never_drops_to_http_even_on_loopback(tls_service, monkeypatch):
    server, cert = tls_service
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with RecordingServer(answer(b"plain")) as plain:
        with CaseDetailClient(server.url, api_key="key", retry=QUICK) as client:
            with pytest.raises(errors.RedirectRefused) as caught:
                client.download(plain.url + "/file.bin", io.BytesIO())
    assert "https://" in str(caught.value)
    assert plain.calls == []


def test_a_redirect_from_https_to_http_is_refused(tmp_path, monkeypatch):
    from tests.support.tls import make_certificate, server_context

    cert, key = make_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with RecordingServer(answer(EMPTY_LIST)) as plain:
        redirect = lambda path: (302, {"Location": plain.url + path}, b"")  # noqa: E731
        with RecordingServer(redirect, tls=server_context(cert, key)) as secure:
            with CaseListClient(secure.url, customer_id="c", credential=BearerToken("tok"), retry=QUICK) as client:
                with pytest.raises(errors.RedirectRefused):
                    client.list_cases()
    assert len(secure.calls) == 1 and plain.calls == []


# -- 6. byte budgets: received and decompressed --------------------------------------------------


def big_json(size: int) -> bytes:
    return b'{"data": {"records": [], "pad": "' + b"x" * size + b'"}}'


def gzip_bomb(inflated: int) -> bytes:
    """``inflated`` bytes of zeros, gzip-compressed about 1000:1 without holding them in memory."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MIB)
    parts = [packer.compress(block) for _ in range(inflated // MIB)]
    return b"".join(parts) + packer.flush()


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_a_json_body_past_the_budget_is_refused(declared):
    body = big_json(3 * MIB)
    if declared:
        respond = answer(body)
    else:  # no Content-Length: the server streams until it closes
        respond = lambda path: (200, JSON, iter([body[i:i + 65536] for i in range(0, len(body), 65536)]))  # noqa: E731
    with RecordingServer(respond) as server:
        with CaseListClient(server.url, customer_id="c", credential=BearerToken("t"), retry=QUICK,
                            max_response_bytes=1 * MIB) as client:
            with pytest.raises(errors.ResponseTooLarge) as caught:
                client.list_cases()
    assert "1,048,576-byte limit" in str(caught.value)


def test_a_body_under_the_budget_is_read():
    with RecordingServer(answer(gzip.compress(big_json(512 * 1024)), **{"Content-Encoding": "gzip"})) as server:
        with CaseListClient(server.url, customer_id="c", credential=BearerToken("t"), retry=QUICK,
                            max_response_bytes=1 * MIB) as client:
            assert client.list_cases().records == []


def test_a_gzip_bomb_stops_at_the_budget_without_inflating(tmp_path):
    bomb = gzip_bomb(512 * MIB)
    assert len(bomb) < MIB  # half a gigabyte on the wire is well under the budget
    with RecordingServer(answer(bomb, **{"Content-Encoding": "gzip"})) as server:
        with CaseDetailClient(server.url, api_key="k", retry=QUICK, max_response_bytes=4 * MIB,
                              max_download_bytes=4 * MIB) as client:
            tracemalloc.start()
            try:
                with pytest.raises(errors.ResponseTooLarge):
                    client.get_case("x")
                with pytest.raises(errors.ResponseTooLarge):
                    client.download(server.url + "/bomb.bin", io.BytesIO())
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
    # Decompressed in bounded steps, the memory stays near the budget; the whole bomb would be
    # 512 MiB (twice that once joined), and httpx's own decoder inflates one 64 KiB read to 64 MiB.
    assert peak < 24 * MIB, f"peak {peak / MIB:.0f} MiB"


def test_stacked_content_codings_are_refused_unread():
    body = gzip.compress(gzip.compress(EMPTY_LIST))
    with RecordingServer(answer(body, **{"Content-Encoding": "gzip, gzip"})) as server:
        with CaseListClient(server.url, customer_id="c", credential=BearerToken("t"), retry=QUICK) as client:
            with pytest.raises(errors.ApiError) as caught:
                client.list_cases()
    assert "encoding" in str(caught.value)


def test_an_attachment_past_the_download_budget_is_refused(fresh_demo):
    with RecordingServer(lambda path: (200, {"Content-Type": "application/pdf"}, bytes(3 * MIB))) as files:
        with CaseDetailClient(fresh_demo.detail_url, api_key=fresh_demo.detail_key, retry=QUICK,
                              max_download_bytes=1 * MIB) as client:
            sink = io.BytesIO()
            with pytest.raises(errors.ResponseTooLarge) as caught:
                client.download(files.url + "/big.pdf", sink)
            with pytest.raises(errors.ResponseTooLarge):  # a caller cannot ask for more than the client allows
                client.download(files.url + "/big.pdf", io.BytesIO(), max_bytes=4 * MIB)
        with CaseDetailClient(fresh_demo.detail_url, api_key=fresh_demo.detail_key, retry=QUICK,
                              max_download_bytes=4 * MIB) as roomy:
            assert roomy.download(files.url + "/big.pdf", io.BytesIO()) == 3 * MIB
            with pytest.raises(errors.ResponseTooLarge):  # ... but may ask for less
                roomy.download(files.url + "/big.pdf", io.BytesIO(), max_bytes=2 * MIB)
    assert "attachment" in str(caught.value) and sink.tell() <= 1 * MIB


def test_a_huge_error_page_still_maps_to_its_status():
    with RecordingServer(answer(b"<html>" + b"x" * (3 * MIB), status=503)) as server:
        with CaseListClient(server.url, customer_id="c", credential=BearerToken("t"),
                            retry=RetryPolicy(max_retries=0)) as client:
            with pytest.raises(errors.ServerError):
                client.list_cases()


def run_show(server_url: str, tmp_path, **extra_env: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASEVIEWER_", "SSL_CERT_"))}
    env.update(CASEVIEWER_HOME=str(tmp_path / "home"), CASEVIEWER_DETAIL_KEY="key",
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", **extra_env)
    return subprocess.run([sys.executable, "-m", "caseviewer.cli", "show", "x", "--json", "--detail-url", server_url],
                          capture_output=True, text=True, env=env, timeout=60)


def test_the_command_line_names_the_untrusted_certificate(tls_service, tmp_path):
    server, cert = tls_service
    untrusted = run_show(server.url, tmp_path)
    assert untrusted.returncode == errors.EXIT_NETWORK, untrusted.stderr
    assert "The certificate of 127.0.0.1 is not trusted" in untrusted.stderr
    assert "Cannot reach" not in untrusted.stderr and "Traceback" not in untrusted.stderr
    trusted = run_show(server.url, tmp_path, SSL_CERT_FILE=str(cert))
    assert trusted.returncode == 0, trusted.stderr
    assert "over-tls" in trusted.stdout
