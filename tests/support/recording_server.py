"""A tiny loopback HTTP server that records requests and answers from a script.

Used where a test needs a *second origin* (to prove auth headers or a password never reach it),
a redirect hop, a recording *proxy* (a proxied request arrives with an absolute URL as its path),
or a TLS server (``tls=`` an ``ssl.SSLContext`` with the server's certificate); everything is
real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import ssl
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class RecordingServer:
    """Answers every GET/POST with ``respond(path) -> (status, headers, body)`` and records it.

    ``requests`` keeps (path, headers) of each request; ``calls`` the whole ``Recorded`` request.
    """

    def __init__(self, respond, *, tls: ssl.SSLContext | None = None):
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.calls: list[Recorded] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self):
                headers = {k.lower(): v for k, v in self.headers.items()}
                length = int(headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                recorder.requests.append((self.path, headers))
                recorder.calls.append(Recorded(self.command, self.path, headers, body))
                status, reply_headers, reply = respond(self.path)
                self.send_response(status)
                for key, value in reply_headers.items():
                    self.send_header(key, value)
                if any(key.lower() == "content-length" for key in reply_headers):
                    pass
                elif isinstance(reply, (bytes, bytearray)):
                    self.send_header("Content-Length", str(len(reply)))
                else:  # a stream of unknown length ends when the connection does
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if isinstance(reply, (bytes, bytearray)):
                    self.wfile.write(reply)
                else:  # an iterable of chunks, for bodies too large to hold
                    try:
                        for chunk in reply:
                            self.wfile.write(chunk)
                    except OSError:
                        pass  # the client stopped reading: that is what budget tests expect

            do_GET = do_POST = _answer  # noqa: N815 - http.server naming

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A client that stops reading (a byte budget) resets the connection: not worth a traceback.
        self._server.handle_error = lambda request, client_address: None
        self._scheme = "http"
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
            self._scheme = "https"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self._scheme}://{host}:{port}"

    def __enter__(self) -> "RecordingServer":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()
