"""The start-up order of ``run_gui`` (ui/app.py): the window's frame is painted before its session
is opened, the session then opens on a worker and the window is the whole window on it; an
error opening it ends the run with that error. And the frame is built without the repository
stack (pydantic models, httpx, keyring, SQLCipher) ever being imported.

No timing: what is checked is the order of events, seen from the session's opener.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from caseviewer.core import errors
from caseviewer.core.session import Session
from caseviewer.ui.app import run_gui
from caseviewer.ui.window.main_window import MainWindow
from tests.ui.test_main_window import build_repository

ROOT = Path(__file__).resolve().parents[2]
#: Generous: the machine running the suite may be loaded.
WAIT_S = 60


def _main_window() -> MainWindow | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    return found[0] if found else None


def test_the_frame_is_painted_before_the_session_is_opened_then_the_window_works_on_it(qtbot, fresh_demo):
    called, release = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def open_session() -> Session:  # on a worker
        called.set()
        if not release.wait(WAIT_S):  # held until the GUI thread has looked at the frame
            raise AssertionError("the GUI thread never looked at the frame")
        return Session(build_repository(fresh_demo), label="Demo service")

    def look() -> None:  # on the GUI thread, while the opener holds the session back
        window = _main_window()
        if not called.is_set() or window is None:
            return
        poll.stop()
        placeholder = window.centralWidget()
        seen.update(attached=window.attached, visible=window.isVisible(), title=window.windowTitle(),
                    placeholder=placeholder.objectName(), painted=bool(placeholder.property("wasPainted")),
                    text=placeholder.text())
        release.set()

    poll = QTimer()
    poll.timeout.connect(look)
    poll.start(5)
    # The smoke test ends the run by itself: 0 once the first page, its first row and that
    # row's detail are shown on the session, 1 on any failure.
    code = run_gui(open_session=open_session, label="Demo service", smoke_test=True)
    poll.stop()
    release.set()
    assert seen == {"attached": False, "visible": True, "title": "Demo service — caseviewer",
                    "placeholder": "openingPlaceholder", "painted": True, "text": "Opening Demo service…"}
    assert code == 0


def test_a_session_that_cannot_be_opened_ends_the_run_with_its_error(qtbot):
    def open_session() -> Session:
        raise errors.AuthError("The list service rejected the token.")

    with pytest.raises(errors.AuthError, match="rejected the token"):
        run_gui(open_session=open_session, label="Somewhere")
    window = _main_window()
    assert window is None or not window.isVisible()


FRAME_ONLY = """
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from caseviewer.cli.parser import build_parser
build_parser().parse_args(["--demo"])
from caseviewer.ui.app import _application
from caseviewer.ui.settings_store import UiSettings
from caseviewer.ui.window.main_window import MainWindow
from caseviewer.ui.workers import TaskRunner
_application(None)
runner = TaskRunner(threads=1)
window = MainWindow(None, connection_label="Demo service", runner=runner, settings=UiSettings())
window.show()
app.processEvents()
heavy = ("pydantic", "httpx", "keyring", "sqlcipher3", "caseviewer.core.models", "caseviewer.core.repository",
         "caseviewer.core.cache", "caseviewer.demo", "PySide6.QtPdf")
print(json.dumps(sorted(name for name in heavy if name in sys.modules)))
window.shutdown()
"""


def test_the_frame_is_built_without_the_repository_stack(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CASEVIEWER_HOME=str(tmp_path),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", FRAME_ONLY], env=env, capture_output=True, text=True,
                          timeout=WAIT_S, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


WINDOW_ON_CACHE = """
import json, os, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient
from caseviewer.core.cache import CaseCache
from caseviewer.core.repository import CaseRepository
from caseviewer.ui.window.main_window import MainWindow
api = CaseApi(list=CaseListClient("http://127.0.0.1:9/case/api/v1", customer_id="c", credential=BearerToken("x")),
              detail=CaseDetailClient("http://127.0.0.1:9", api_key="x"))
cache = CaseCache(key=os.urandom(32), path=Path(sys.argv[1]))
window = MainWindow(CaseRepository(api, cache=cache, offline=True), connection_label="Offline")
window.show()
for _ in range(20):
    app.processEvents()
print(json.dumps(sorted(name for name in ("PySide6.QtPdf", "PySide6.QtPdfWidgets") if name in sys.modules)))
window.shutdown()
cache.close()
"""


def test_the_whole_window_is_built_without_the_pdf_viewer(tmp_path):
    """QtPdf (and its PDFium) is imported the first time a PDF is previewed, not with the window."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CASEVIEWER_HOME=str(tmp_path),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", WINDOW_ON_CACHE, str(tmp_path / "cache.db")], env=env,
                          capture_output=True, text=True, timeout=WAIT_S, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_link_handed_over_while_the_session_opens_is_opened_with_it(qtbot, fresh_demo):
    """A second launch in the first moments (the frame up, the session still opening) gives its
    link to this window instead of starting a window of its own; the case opens with the session."""
    from caseviewer.core.deeplink import DeepLink

    repository = build_repository(fresh_demo)
    case_id = fresh_demo.data.list_record(7)["id"]
    release = threading.Event()
    seen: dict[str, object] = {}
    launch: list[subprocess.Popen] = []

    def open_session() -> Session:  # on a worker: held until the second launch has ended
        if not release.wait(WAIT_S):
            raise AssertionError("the second launch never ended")
        return Session(repository, label="Demo service")

    def look() -> None:  # on the GUI thread, while the opener holds the session back
        window = _main_window()
        if window is None:
            return
        if not launch:
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
            launch.append(subprocess.Popen([sys.executable, "-m", "caseviewer.cli", DeepLink(case_id).url()],
                                           env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        elif launch[0].poll() is not None and "launch" not in seen:
            seen["launch"] = (launch[0].returncode, window.attached)
            release.set()
        elif window.attached and window.pane.current_case_id() == case_id:
            seen["opened"] = case_id
            poll.stop()
            window.close()

    poll = QTimer()
    poll.timeout.connect(look)
    poll.start(20)
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(lambda: _main_window() and _main_window().close())
    give_up.start(WAIT_S * 1000)
    try:
        run_gui(open_session=open_session, label="Demo service")
    finally:
        poll.stop()
        give_up.stop()
        release.set()
        for child in launch:
            if child.poll() is None:
                child.kill()
    assert seen.get("launch") == (0, False), launch[0].stderr.read().decode()[-2000:] if launch else "no launch"
    assert seen.get("opened") == case_id

