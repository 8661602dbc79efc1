"""http.py's own decoding and trust setup over real loopback HTTP: every content coding the app
accepts arrives byte for byte, at any size and chunking, and the TLS context is the OS store."""

from __future__ import annotations

import gzip
import io
import os
import zlib

import pytest
import truststore

from caseviewer.core import errors
from caseviewer.core.api import CaseDetailClient, RetryPolicy
from caseviewer.core.http import DECODE_PIECE, tls_context
from tests.support.recording_server import RecordingServer


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


CODINGS = {
    "identity": ("", lambda data: data),
    "gzip": ("gzip", gzip.compress),
    "deflate (zlib)": ("deflate", zlib.compress),
    "deflate (raw)": ("deflate", raw_deflate),
}
SIZES = [0, 1, DECODE_PIECE - 1, DECODE_PIECE, DECODE_PIECE + 1, 3 * DECODE_PIECE, 1_000_003]


@pytest.mark.parametrize("coding", list(CODINGS))
@pytest.mark.parametrize("chunk_size", [None, 1000])
def test_every_accepted_coding_arrives_intact(coding, chunk_size):
    header, encode = CODINGS[coding]
    bodies = {f"/{size}": os.urandom(size // 2) + bytes(size - size // 2) for size in SIZES}

    def respond(path):
        headers = {"Content-Type": "application/octet-stream"}
        if header:
            headers["Content-Encoding"] = header
        return 200, headers, encode(bodies[path])

    with RecordingServer(respond) as server:
        with CaseDetailClient(server.url, api_key="k", retry=RetryPolicy(max_retries=0)) as client:
            for path, body in bodies.items():
                sink = io.BytesIO()
                options = {"chunk_size": chunk_size} if chunk_size else {}
                assert client.download(server.url + path, sink, **options) == len(body)
                assert sink.getvalue() == body, f"{coding} {path}"


def test_a_body_that_does_not_decompress_is_a_known_error():
    with RecordingServer(lambda path: (200, {"Content-Encoding": "gzip"}, b"not gzip at all")) as server:
        with CaseDetailClient(server.url, api_key="k", retry=RetryPolicy(max_retries=0)) as client:
            with pytest.raises(errors.NetworkError) as caught:
                client.download(server.url + "/x", io.BytesIO())
    assert "decompress" in str(caught.value)


def test_brotli_and_unknown_codings_are_refused():
    with RecordingServer(lambda path: (200, {"Content-Encoding": "br"}, b"\x00" * 10)) as server:
        with CaseDetailClient(server.url, api_key="k", retry=RetryPolicy(max_retries=0)) as client:
            with pytest.raises(errors.ApiError) as caught:
                client.download(server.url + "/x", io.BytesIO())
    assert "encoding" in str(caught.value)
    assert server.calls[0].headers["accept-encoding"] == "gzip, deflate"


def test_tls_trust_is_the_os_store(monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    assert isinstance(tls_context(), truststore.SSLContext)


def test_an_unreadable_ssl_cert_file_is_a_config_error(monkeypatch, tmp_path):
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(errors.ConfigError) as caught:
        CaseDetailClient("https://cases.example.test", api_key="k")
    assert "SSL_CERT_FILE" in str(caught.value)
