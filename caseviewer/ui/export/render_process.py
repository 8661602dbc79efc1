"""Building the dossier PDF in a child process, so the window's GUI thread never waits for it.

Two things would stall the GUI thread if the window did this on a worker thread: Qt's layout
(``QTextDocument.setHtml`` and its pagination are single C++ calls that hold Python's GIL for
hundreds of milliseconds on a 100-page dossier), and copies of large attachments (copying 50 MB
under the GIL takes about 100 ms here). So the window's worker only streams: it sends the
content structure (no credentials) and each attachment's bytes as they are decoded or
downloaded, in frames, to ``python -m caseviewer.ui.export.render_process``; the child
classifies the attachments, renders, and writes the file itself (atomically, mode 0600). Nothing
goes through a temporary file. A decoder that crashes on a hostile image or PDF kills the child,
which is reported as a failed export instead of a dead window.

Protocol on the child's stdin: a length-prefixed pickle of ``(Dossier without attachment
bodies, destination or None, with_attachments)``; then, with attachments, for each entry in order
frames ``D`` (data), ``F`` (fetch failed: use and reason) and ``E`` (entry done). On stderr the
child writes ``P <done> <total>`` progress lines; on stdout one pickle of ``(body_pages,
attachment_pages, states, final_path, pdf_bytes_or_None)``. The child's environment has no secrets.
"""

from __future__ import annotations

import io
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from caseviewer.core.child_env import child_environment
from caseviewer.core import errors
from caseviewer.core.export.dossier_content import AttachmentUse, Dossier, classify, fetch_attachment

#: Environment variables never passed to the child (secrets and anything named like one).
_SECRET_MARKERS = ("TOKEN", "KEY", "PASSWORD", "SECRET")
_HEADER = struct.Struct("!cQ")  # frame kind, payload length
#: Attachment bytes go to the pipe in pieces of at most this size (no big copies).
_FRAME = 1 << 20


class RenderFailed(errors.KnownError):
    """The renderer process stopped without a document."""


def renderer_environment() -> dict[str, str]:
    """The app's child environment (``core/child_env.py``), and the renderer needs no other
    credential either: nothing named like a token, key, password or secret."""
    env = {k: v for k, v in child_environment().items() if not any(m in k.upper() for m in _SECRET_MARKERS)}
    env["QT_QPA_PLATFORM"] = "offscreen"  # the child draws; it shows nothing
    return env


class _Pipe:
    """Frames to the child's stdin; each write releases the GIL while the kernel copies."""

    def __init__(self, stream) -> None:  # noqa: ANN001 - a binary pipe
        self.stream = stream

    def frame(self, kind: bytes, payload: bytes | memoryview = b"") -> None:
        self.stream.write(_HEADER.pack(kind, len(payload)))
        if payload:
            self.stream.write(payload)

    def data(self, chunk: bytes) -> None:
        view = memoryview(chunk)
        for start in range(0, len(view), _FRAME):
            self.frame(b"D", view[start:start + _FRAME])


def _without_bodies(dossier: Dossier) -> Dossier:
    import copy

    light = copy.copy(dossier)
    light.attachments = []
    for entry in dossier.attachments:
        twin = copy.copy(entry)
        twin.attachment = entry.attachment.model_copy(update={"content": None, "url": None})
        light.attachments.append(twin)
    return light


def export_in_child(
    dossier: Dossier,
    download: Callable[..., int] | None,
    *,
    destination: str | Path | None,
    attachments: bool,
    case_id: str | None = None,
    cancel: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int, Path | None, bytes | None]:
    """Render (and with ``destination``, write) the dossier in a child process.

    Returns ``(body_pages, attachment_pages, final_path, pdf_bytes)`` (bytes only without a
    destination: printing). Updates ``dossier.attachments`` with what became of each one.
    """
    header = pickle.dumps((_without_bodies(dossier), str(destination) if destination else None, attachments),
                          protocol=pickle.HIGHEST_PROTOCOL)
    proc = subprocess.Popen(
        [sys.executable, "-m", "caseviewer.ui.export.render_process"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=renderer_environment(),
    )
    output: list[bytes] = []
    stopped = threading.Event()

    def drain() -> None:
        output.append(proc.stdout.read())

    def progress_lines() -> None:
        for line in proc.stderr:
            if line.startswith(b"P ") and progress is not None:
                try:
                    done, total = (int(x) for x in line.split()[1:3])
                except ValueError:
                    continue
                progress(done, total)

    def watch() -> None:
        while not stopped.is_set():
            if cancel is not None and cancel.wait(0.1):
                proc.kill()
                return
            if cancel is None:
                stopped.wait(0.1)

    helpers = [threading.Thread(target=fn, daemon=True, name=f"dossier-{fn.__name__}") for fn in (drain, progress_lines, watch)]
    for thread in helpers:
        thread.start()
    pipe = _Pipe(proc.stdin)
    try:
        pipe.frame(b"H", header)
        if attachments and download is not None:
            for entry in dossier.attachments:
                if cancel is not None and cancel.is_set():
                    break
                failure = fetch_attachment(entry, download, pipe.data, case_id=case_id, cancel=cancel)
                if failure is not None:
                    pipe.frame(b"F", pickle.dumps(failure))
                pipe.frame(b"E")
        proc.stdin.close()
    except (BrokenPipeError, OSError):
        pass  # the child stopped; its exit code tells why
    except errors.Cancelled:
        proc.kill()
    finally:
        code = proc.wait()
        stopped.set()
        for thread in helpers:
            thread.join(5)
    if cancel is not None and cancel.is_set():
        raise errors.Cancelled("Export cancelled.")
    if code != 0 or not output or not output[0]:
        raise RenderFailed("The dossier could not be rendered: the renderer stopped unexpectedly "
                           f"(exit code {code}). A damaged attachment may be the cause; try without attachments.")
    result = pickle.loads(output[0])
    if isinstance(result, errors.KnownError):
        raise result
    body_pages, attachment_pages, states, final_path, data = result
    for entry, (use, reason, pages, kind_label, size) in zip(dossier.attachments, states):
        entry.use, entry.reason, entry.pdf_pages, entry.kind_label, entry.size = use, reason, pages, kind_label, size
        entry.data, entry.text = None, ""
    return body_pages, attachment_pages, Path(final_path) if final_path else None, data


# -- the child ------------------------------------------------------------------------------------


def _read_frame(stream) -> tuple[bytes, bytes]:  # noqa: ANN001
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError
    kind, length = _HEADER.unpack(head)
    payload = stream.read(length) if length else b""
    if len(payload) < length:
        raise EOFError
    return kind, payload


def _receive_attachments(stream, dossier: Dossier, report) -> None:  # noqa: ANN001
    total = len(dossier.attachments)
    for done, entry in enumerate(dossier.attachments, 1):
        body = io.BytesIO()
        failure = None
        while True:
            kind, payload = _read_frame(stream)
            if kind == b"D":
                body.write(payload)
            elif kind == b"F":
                failure = pickle.loads(payload)
            elif kind == b"E":
                break
        if failure is not None:
            entry.use, entry.reason = AttachmentUse(failure[0]), failure[1]
        else:
            classify(entry, body.getvalue())
        report(done * 30 // max(1, total), 100)


def main() -> int:
    """The child: read the dossier and its attachments from stdin, render, write the PDF."""
    from PySide6.QtGui import QGuiApplication

    from caseviewer.core.export.writing import write_export
    from caseviewer.ui.export.renderer import render_dossier_pdf

    def report(done: int, total: int) -> None:
        sys.stderr.buffer.write(b"P %d %d\n" % (done, total))
        sys.stderr.buffer.flush()

    stream = sys.stdin.buffer
    kind, payload = _read_frame(stream)
    assert kind == b"H"
    dossier, destination, with_attachments = pickle.loads(payload)
    app = QGuiApplication([sys.argv[0]])  # noqa: F841 - fonts need an application object
    try:
        if with_attachments:
            _receive_attachments(stream, dossier, report)
        low = 30 if with_attachments else 0
        rendered = render_dossier_pdf(dossier, progress=lambda d, t: report(low + (95 - low) * d // max(1, t), 100))
        final = str(write_export(destination, rendered.data)) if destination else None
        report(100, 100)
        states = [(e.use, e.reason, e.pdf_pages, e.kind_label, e.size) for e in dossier.attachments]
        result = (rendered.body_pages, rendered.attachment_pages, states, final, None if destination else rendered.data)
    except errors.KnownError as exc:  # a clear message for the parent (a full disk, a folder gone)
        result = errors.KnownError(exc.message)
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
