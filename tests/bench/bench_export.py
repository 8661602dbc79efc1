"""Benchmark of the dossier export (run on demand; prints figures, asserts nothing).

    .venv/bin/python tests/bench/bench_export.py [--pdf-mb 50] [--comments 520] [--runs 2]

1. Export times of the demo's rich case (index 0) with and without attachments (in-process,
   ``export_dossier`` as the CLI runs it).
2. A synthetic case whose dossier body is about 100 pages (``--comments`` comments) with a
   ``--pdf-mb`` MB PDF attachment (pages of uncompressed noise images): its export time and page
   count, then the same export started from the window (File > Export case as PDF…, on the task
   runner) with the longest gap of a 10 ms GUI-thread timer during it (``gui_gaps.GapRecorder``).

Everything runs offscreen in a temporary CASEVIEWER_HOME that is removed at the end.
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HOME = Path(tempfile.mkdtemp(prefix="caseviewer-bench-"))
os.environ["CASEVIEWER_HOME"] = str(HOME)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient  # noqa: E402
from caseviewer.core.models import CaseDetail  # noqa: E402
from caseviewer.core.repository import CaseRepository, CaseResult  # noqa: E402
from caseviewer.demo.data import DemoData  # noqa: E402
from caseviewer.demo.server import DemoConfig, DemoService  # noqa: E402
from caseviewer.ui.export.dialogs import Confirmed, ExportDialogs  # noqa: E402
from caseviewer.ui.export.jobs import export_dossier  # noqa: E402
from tests.bench.gui_gaps import GapRecorder, summary  # noqa: E402


def noise_pdf(megabytes: float, *, page_mb: float = 5.0) -> bytes:
    """A valid PDF of ``megabytes`` MB: pages each showing an uncompressed noise image."""
    side = int((page_mb * 1024 * 1024) ** 0.5)
    pages = max(1, round(megabytes / page_mb))
    objects: list[bytes] = []
    kids = []
    for index in range(pages):
        image_no, content_no, page_no = 3 + index * 3, 4 + index * 3, 5 + index * 3
        noise = os.urandom(side * side)
        objects.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                       b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (side, side, len(noise)) + noise + b"\nendstream")
        content = b"q 500 0 0 500 56 170 cm /Im0 Do Q BT /F1 18 Tf 56 720 Td (Noise page %d) Tj ET" % (index + 1)
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /XObject << /Im0 %d 0 R >> /Font << /F1 %d 0 R >> >> >>"
                       % (content_no, image_no, 3 + pages * 3))
        kids.append(b"%d 0 R" % page_no)
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    body = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages, *objects, font]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(body, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(body) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(body) + 1, xref)
    return bytes(out)


def big_case(comments: int, pdf: bytes) -> CaseDetail:
    text = ("The patient reports steady progress and no new side effects. Dosage unchanged; "
            "follow-up in four weeks. Synthetic text for the benchmark. ") * 3
    return CaseDetail.from_raw({
        "id": "bench-case", "shortId": "CV-BENCH", "title": "Benchmark case", "status": "IN_PROGRESS",
        "createdAt": "2025-01-01T00:00:00Z",
        "submitter": {"firstName": "Bench", "lastName": "Patient", "dob": "1970-01-01", "state": "CA"},
        "comments": [{"id": f"c{i}", "text": f"{i}. {text}", "createdAt": f"2025-02-{1 + i % 28:02d}T10:00:00Z",
                      "author": {"firstName": "Rev", "lastName": f"Iewer{i % 7}"}} for i in range(comments)],
        "attachments": [{"id": "big", "fileName": "scan-bundle.pdf", "createdAt": "2025-03-01T00:00:00Z",
                         "content": base64.b64encode(pdf).decode("ascii")}],
    })


def timed(label: str, fn, runs: int):
    best, built = None, None
    for _ in range(runs):
        started = time.perf_counter()
        built = fn()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    print(f"{label}: {best:.2f} s (best of {runs}); {built.pdf.pages} pages "
          f"({built.pdf.body_pages} dossier + {built.pdf.attachment_pages} attachment), "
          f"{len(built.pdf.data) / 1e6:.1f} MB", flush=True)
    return built


def window_export(app, result: CaseResult, target: Path) -> None:
    """The export started from the window, measuring GUI-thread gaps while it runs."""
    from caseviewer.ui.window.main_window import MainWindow

    with DemoService(DemoConfig(cases=20, seed=2)) as svc:
        api = CaseApi(
            list=CaseListClient(svc.list_url, customer_id=svc.customer_id, credential=BearerToken(svc.list_token)),
            detail=CaseDetailClient(svc.detail_url, api_key=svc.detail_key),
        )
        window = MainWindow(CaseRepository(api), connection_label="bench")
        window.resize(1280, 800)
        window.show()
        deadline = time.monotonic() + 20
        while window.model.rowCount() == 0 and time.monotonic() < deadline:
            app.processEvents()
        window.pane.show_case(result)
        window.detail_shown.emit(result)

        class Scripted(ExportDialogs):
            def save_path(self, *args):
                return str(target)

            def confirm(self, *args, **kwargs):
                return Confirmed(True, True)

        exports = window.exports
        exports.dialogs = Scripted()
        finished = []
        exports.exported.connect(finished.append)
        exports.failed.connect(finished.append)
        gaps = GapRecorder()
        for _ in range(20):
            app.processEvents()
        gaps.start()
        started = time.perf_counter()
        exports.pdf_action.trigger()
        while not finished:
            app.processEvents()
        elapsed = time.perf_counter() - started
        measured = gaps.take()
        gaps.timer.stop()
        outcome = finished[0]
        pages = getattr(getattr(outcome, "pdf", None), "pages", outcome)
        at = sum(measured[: measured.index(max(measured)) + 1]) / 1000 if measured else 0.0
        if os.environ.get("BENCH_VERBOSE"):
            clock = 0.0
            for gap in measured:
                clock += gap
                if gap > 40:
                    print(f"    gap {gap:.0f} ms ending at {clock / 1000:.2f} s", flush=True)
        print(f"window export (task runner, progress dialog): {elapsed:.2f} s, {pages} pages; GUI thread: "
              f"{summary(measured)}; the longest gap ends {at:.2f} s after the start", flush=True)
        # For comparison: the same export on a worker thread of this process (no child process).
        done = []
        gaps.start()
        started = time.perf_counter()
        download = CaseRepository(CaseApi()).download_attachment
        window.runner.submit(lambda context: export_dossier(result, target, download, attachments=True,
                                                            cancel=context.cancel),
                             on_result=done.append, on_error=done.append)
        while not done:
            app.processEvents()
        elapsed = time.perf_counter() - started
        measured = gaps.take()
        gaps.timer.stop()
        print(f"for comparison, on a worker thread in the window's process: {elapsed:.2f} s; GUI thread: "
              f"{summary(measured)}", flush=True)
        window.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdf-mb", type=float, default=50)
    parser.add_argument("--comments", type=int, default=520)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    app = QApplication(sys.argv)
    try:
        data = DemoData(cases=5)
        rich = CaseResult(data.case_id(0), None, CaseDetail.from_raw(data.detail(data.case_id(0))))
        download = CaseRepository(CaseApi()).download_attachment
        print("rich demo case (index 0):", flush=True)
        timed("  export with attachments", lambda: export_dossier(rich, HOME / "rich.pdf", download, attachments=True), args.runs)
        timed("  export without attachments", lambda: export_dossier(rich, HOME / "rich0.pdf", download, attachments=False), args.runs)

        pdf = noise_pdf(args.pdf_mb)
        big = CaseResult("bench-case", None, big_case(args.comments, pdf))
        print(f"large case: {args.comments} comments, a {len(pdf) / 1e6:.1f} MB PDF attachment:", flush=True)
        timed("  export with attachments (CLI path)", lambda: export_dossier(big, HOME / "big.pdf", download, attachments=True), 1)
        window_export(app, big, HOME / "big-window.pdf")
    finally:
        shutil.rmtree(HOME, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
