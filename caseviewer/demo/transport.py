"""HTTP plumbing for the demo service: a stoppable threading server and fault-aware responses.

The stdlib server leaves keep-alive connections (and their threads) running after shutdown; the
demo must stop in well under a second and really free its port, so this server tracks its
connections and cuts them on ``close_connections``. Responses are always HTTP/1.1 with a
Content-Length, which is also what lets the truncation and reset faults be observed by a client.
"""

from __future__ import annotations

import json
import logging
import socket
import struct
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from caseviewer.demo.faults import NO_FAULT, FaultDecision

log = logging.getLogger(__name__)

# Bodies the malformed_json fault sends instead of the real one: a plausible start, then garbage.
MALFORMED_BODY = b'{"status": "success", "data": {"records": [{"id": "oops", <html>502</html>'


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status=status, body=body, headers=dict(headers or {}))


class DemoHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that knows its open connections and handler threads."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], handler: type, context: Any) -> None:
        self.context = context  # the DemoService; handlers reach data, faults and config here
        self.stopping = threading.Event()
        self._track_lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._handler_threads: set[threading.Thread] = set()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(target=self._serve_one, args=(request, client_address),
                                  name="demo-http-conn", daemon=True)
        with self._track_lock:
            self._connections.add(request)
            self._handler_threads.add(thread)
        thread.start()

    def _serve_one(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - one bad connection must not take the server down
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            with self._track_lock:
                self._connections.discard(request)
                self._handler_threads.discard(threading.current_thread())

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up (and our own reset fault) are normal here, not worth a traceback.
        log.debug("demo connection from %s ended with an error", client_address, exc_info=True)

    def close_connections(self, timeout: float) -> None:
        """Cut every open connection so idle keep-alive threads end, then join them briefly."""
        with self._track_lock:
            connections = list(self._connections)
            threads = list(self._handler_threads)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in threads:
            thread.join(timeout)


class DemoHandler(BaseHTTPRequestHandler):
    # Headers and body go out in separate writes; without TCP_NODELAY every answer waits ~40 ms
    # for the peer's delayed ACK, which would cap a keep-alive client at ~25 requests/s.
    disable_nagle_algorithm = True
    """Base handler: keep-alive HTTP/1.1, quiet logs, and response sending with faults applied."""

    protocol_version = "HTTP/1.1"
    server_version = "caseviewer-demo/1.0"
    timeout = 60  # idle keep-alive connections close after this
    server: DemoHTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("demo %s - %s", self.address_string(), format % args)

    # --- request helpers -------------------------------------------------------------------------

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def split_target(self) -> tuple[str, list[tuple[str, str]]]:
        parts = urlsplit(self.path)
        return parts.path, parse_qsl(parts.query, keep_blank_values=True)

    def wait(self, seconds: float) -> bool:
        """Sleep unless the service is stopping; True when it is stopping."""
        return self.server.stopping.wait(seconds) if seconds > 0 else self.server.stopping.is_set()

    # --- response --------------------------------------------------------------------------------

    def send(self, response: Response, decision: FaultDecision = NO_FAULT,
             head_only: bool = False) -> None:
        body = response.body
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if decision.truncated or decision.reset:
            self.send_header("Connection", "close")
        self.end_headers()
        if head_only or not body:
            self.wfile.flush()
            return
        if decision.reset:
            self.wfile.write(body[: max(1, len(body) // 2)])
            self.wfile.flush()
            self._reset_connection()
            return
        if decision.truncated:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True  # the server then closes with a FIN, short of the length
            return
        if decision.slow_bps:
            self._write_slowly(body, decision.slow_bps)
            return
        self.wfile.write(body)
        self.wfile.flush()

    def _write_slowly(self, body: bytes, bps: int) -> None:
        # Ten chunks a second keeps the rate smooth without a syscall per byte.
        chunk = max(1, bps // 10)
        for start in range(0, len(body), chunk):
            self.wfile.write(body[start:start + chunk])
            self.wfile.flush()
            if start + chunk < len(body) and self.wait(chunk / bps):
                self.close_connection = True  # stopping: give up on the rest of the body
                return

    def _reset_connection(self) -> None:
        # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass
