"""The single-instance socket (ui/single_instance.py) against what a peer may send: only a
caseviewer link in one JSON line is taken; anything else is answered "bad" and the app goes on.

The peer is a plain Unix socket from a thread, so the server's own event loop answers it.
"""

from __future__ import annotations

import socket
import threading

import pytest

from caseviewer.ui.single_instance import MAX_MESSAGE, SingleInstanceServer

WAIT_MS = 10_000


def _send(path: str, payload: bytes) -> threading.Thread:
    """Send ``payload`` from a thread; the reply (or b"" if the server hung up) lands in ``.reply``."""
    def talk() -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as peer:
            peer.settimeout(WAIT_MS / 1000)
            peer.connect(path)
            try:
                peer.sendall(payload)
                thread.reply = peer.recv(16)
            except OSError:
                thread.reply = b""

    thread = threading.Thread(target=talk)
    thread.reply = None
    thread.start()
    return thread


@pytest.fixture
def server(qapp):
    server = SingleInstanceServer(name="caseviewer-test-peer")
    assert server.listen()
    yield server
    server.close()


@pytest.mark.parametrize("payload", [
    b"not json\n",
    b"[1, 2, 3]\n",
    b'{"link": 7}\n',
    b'{"link": "https://example.test/case/1"}\n',
    b'{"link": "caseviewer://case/../../etc"}\n',
    b"[" * 3000 + b"\n",  # nested past the JSON parser's recursion limit
    b'{"link": "caseviewer://case/\xff\xfe"}\n',  # not UTF-8
    b"\x00" * 64 + b"\n",
], ids=["not-json", "a-list", "a-number", "another-scheme", "a-path", "deep", "bad-utf8", "nul"])
def test_anything_but_a_link_is_answered_bad_and_nothing_opens(qtbot, server, payload):
    received = []
    server.link_received.connect(received.append)
    peer = _send(server.server.fullServerName(), payload)
    qtbot.waitUntil(lambda: peer.reply is not None, timeout=WAIT_MS)
    assert peer.reply == b"bad\n" and received == []


def test_a_message_over_the_bound_is_cut_off(qtbot, server):
    received = []
    server.link_received.connect(received.append)
    peer = _send(server.server.fullServerName(), b'{"link": "' + b"a" * (MAX_MESSAGE * 4) + b'"}\n')
    qtbot.waitUntil(lambda: peer.reply is not None, timeout=WAIT_MS)
    assert peer.reply == b"" and received == []


def test_a_link_is_taken_and_answered_ok(qtbot, server):
    from caseviewer.core.deeplink import DeepLink

    peer = _send(server.server.fullServerName(), b'{"link": "caseviewer://case/abc-123?profile=Work"}\n')
    with qtbot.waitSignal(server.link_received, timeout=WAIT_MS) as taken:
        pass
    qtbot.waitUntil(lambda: peer.reply is not None, timeout=WAIT_MS)
    assert peer.reply == b"ok\n" and taken.args == [DeepLink("abc-123", "Work")]


def test_a_live_server_is_not_taken_over(qapp):
    """Of two windows started together, the first to listen keeps the links."""
    first, second = SingleInstanceServer(name="caseviewer-test-live"), SingleInstanceServer(name="caseviewer-test-live")
    try:
        assert first.listen()
        assert not second.listen()
        assert first.server.isListening() and not second.server.isListening()
    finally:
        first.close()
        second.close()


def test_a_socket_left_by_a_crash_is_taken_over(qapp, tmp_path):
    first = SingleInstanceServer(name="caseviewer-test-stale")
    assert first.listen()
    path = first.server.fullServerName()
    # A crash leaves the socket file with nobody behind it: close the listener, keep the file.
    first.server.close()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stale:
        stale.bind(path)  # the file back, bound by nobody listening
    second = SingleInstanceServer(name="caseviewer-test-stale")
    try:
        assert second.listen()
    finally:
        second.close()
