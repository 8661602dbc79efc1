"""Benchmark of attachment previews (run on demand; prints figures, asserts nothing).

    /work/venv/bin/python tests/bench/bench_attachments.py [--mb 50] [--image-mb 20] [--runs 3]

1. The longest gap between ticks of a 10 ms GUI-thread QTimer while ``AttachmentPreview``
   downloads a ``--mb`` MB url attachment (the demo's large noise PNG, ``documentFormat=url``,
   case index 3) and decodes it; the target is < 50 ms.
2. The same while a ``--image-mb`` MB base64 image previews (base64 and image decoding on the
   worker, drawing on the GUI thread).
3. Download throughput of the app's path (``repository.download_attachment`` through the worker
   helper, into memory) against raw httpx streaming of the same URL: the ratio.

The demo service runs in a separate process so its threads do not compete with this process's
GIL (in the app the service is remote). Everything runs offscreen in a temporary CASEVIEWER_HOME
that is removed at the end.
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOME = Path(tempfile.mkdtemp(prefix="caseviewer-bench-"))
os.environ["CASEVIEWER_HOME"] = str(HOME)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx  # noqa: E402 - the environment must be set first
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient, DocumentFormat  # noqa: E402
from caseviewer.core.models import Attachment  # noqa: E402
from caseviewer.core.repository import CaseRepository  # noqa: E402
from caseviewer.demo.files import noise_png  # noqa: E402
from caseviewer.ui.preview import AttachmentPreview  # noqa: E402
from caseviewer.ui.preview.loader import fetch_bytes  # noqa: E402
from caseviewer.ui.workers import TaskRunner  # noqa: E402

SERVER = """
import sys, time
from caseviewer.demo.server import DemoConfig, DemoService
svc = DemoService(DemoConfig(cases=6, seed=3, large_attachment_bytes=int(sys.argv[1]))).start()
for line in svc.credentials_lines():
    print(line)
print("case_id=" + svc.data.case_ids()[3], flush=True)
sys.stdin.read()  # until the benchmark closes our stdin
svc.stop()
"""


class GapMeter:
    """Ticks every 10 ms on the GUI thread; the longest interval is the worst freeze."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self.longest = 0

    def _tick(self) -> None:
        elapsed = self.clock.restart()
        self.longest = max(self.longest, elapsed)

    def __enter__(self) -> "GapMeter":
        self.longest = 0
        self.clock.start()
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._tick()
        self.timer.stop()


def start_server(size: int) -> tuple[subprocess.Popen, dict[str, str]]:
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(size)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    values: dict[str, str] = {}
    while "case_id" not in values:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("The demo server did not start.")
        key, _, value = line.strip().partition("=")
        values[key] = value
    return proc, values


def make_repository(values: dict[str, str]) -> CaseRepository:
    api = CaseApi(
        list=CaseListClient(values["list_url"], customer_id=values["customer_id"],
                            credential=BearerToken(values["list_token"])),
        detail=CaseDetailClient(values["detail_url"], api_key=values["detail_key"]),
    )
    return CaseRepository(api, document_format=DocumentFormat.URL)


def preview_and_measure(preview: AttachmentPreview, attachment: Attachment, case_id: str | None) -> tuple[int, float, str]:
    loop = QEventLoop()
    preview.preview_ready.connect(loop.quit)
    started = time.perf_counter()
    with GapMeter() as meter:
        preview.show_attachment(attachment, case_id=case_id)
        loop.exec()
        # Let the first paint of the result happen inside the measurement too.
        QTimer.singleShot(50, loop.quit)
        loop.exec()
    preview.preview_ready.disconnect(loop.quit)
    return meter.longest, time.perf_counter() - started, preview.state()


def raw_download(url: str) -> float:
    started = time.perf_counter()
    received = 0
    with httpx.Client(trust_env=False, timeout=60) as client, client.stream("GET", url) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes(256 * 1024):
            received += len(chunk)
    return received / (time.perf_counter() - started)


def app_download(repo: CaseRepository, attachment: Attachment) -> float:
    started = time.perf_counter()
    data = fetch_bytes(repo, attachment, limit=None)
    return len(data) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--image-mb", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    app = QApplication([])
    proc, values = start_server(args.mb * 1_000_000)
    runner = TaskRunner()
    try:
        repo = make_repository(values)
        case_id = values["case_id"]

        def large_attachment() -> Attachment:  # fresh signed URL each time
            detail = repo.open_case(case_id).detail
            return next(a for a in detail.attachments if a.file_name == "large-noise-scan.png")

        print(f"Warming up the demo server ({args.mb} MB noise PNG)…", flush=True)
        raw_download(large_attachment().url)
        app_download(repo, large_attachment())

        preview = AttachmentPreview(runner)
        preview.resize(1000, 750)
        preview.set_repository(repo)
        preview.show()

        print(f"\n1. {args.mb} MB url attachment: download + decode in AttachmentPreview")
        for run in range(args.runs):
            gap, seconds, state = preview_and_measure(preview, large_attachment(), case_id)
            print(f"   run {run + 1}: longest GUI-thread gap {gap} ms, {seconds:.2f} s to '{state}'")

        print(f"\n2. {args.image_mb} MB base64 image: decode on the worker, draw on the GUI thread")
        png = noise_png(args.image_mb * 1_000_000, 1)
        inline = Attachment(id="bench-inline", file_name="inline-noise.png", content=base64.b64encode(png).decode())
        for run in range(args.runs):
            preview.clear()
            gap, seconds, state = preview_and_measure(preview, inline, None)
            print(f"   run {run + 1}: longest GUI-thread gap {gap} ms, {seconds:.2f} s to '{state}'")

        print(f"\n3. Download throughput of the {args.mb} MB attachment (no GUI)")
        for run in range(args.runs):
            raw = raw_download(large_attachment().url)
            ours = app_download(repo, large_attachment())
            print(f"   run {run + 1}: raw httpx {raw / 1e6:.0f} MB/s, app path {ours / 1e6:.0f} MB/s, "
                  f"ratio {ours / raw:.2f}")
        preview.clear()
        preview.close()
        preview.deleteLater()
        app.processEvents()
        repo.close()
    finally:
        runner.shutdown(timeout=5)
        proc.stdin.close()
        proc.wait(10)
        shutil.rmtree(HOME, ignore_errors=True)


if __name__ == "__main__":
    main()
