"""Screenshots of the real window on the demo service (for the README and for review).

Run under a display (Xvfb works): ``xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python
packaging/screenshots.py OUTDIR``. Writes main-<size>-<theme>.png for 1280x800 and 900x600 in the
light and dark themes, each with the rich demo case open on At a glance, plus one shot per section.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient
from caseviewer.core.repository import CaseRepository
from caseviewer.demo.server import DemoConfig, DemoService
from caseviewer.ui.icons import app_icon
from caseviewer.ui.theme import ThemeChoice, apply_theme


def wait_for(signal, timeout_ms: int = 15000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main(out: Path) -> None:
    from caseviewer.ui.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setWindowIcon(app_icon())
    with DemoService(DemoConfig(cases=250, seed=1)) as svc:
        for theme in (ThemeChoice.LIGHT, ThemeChoice.DARK):
            apply_theme(app, theme)
            api = CaseApi(
                list=CaseListClient(svc.list_url, customer_id=svc.customer_id, credential=BearerToken(svc.list_token)),
                detail=CaseDetailClient(svc.detail_url, api_key=svc.detail_key),
            )
            repository = CaseRepository(api)
            window = MainWindow(repository, connection_label="Demo service · DEMO")
            if hasattr(window.pane, "set_services"):
                window.pane.set_services(window.runner, repository)
            for width, height in ((1280, 800), (900, 600)):
                window.resize(width, height)
                window.show()
                if window.model.rowCount() == 0:
                    wait_for(window.page_loaded)
                window.select_row(0)
                wait_for(window.detail_shown)
                window.pane.set_current_tab(0)
                settle()
                window.grab().save(str(out / f"main-{width}x{height}-{theme.value}.png"))
            if theme == ThemeChoice.LIGHT:
                window.resize(1280, 800)
                tabs = window.pane.tab_widget()
                for index in range(tabs.count()):
                    window.pane.set_current_tab(index)
                    settle(300)
                    window.grab().save(str(out / f"tab-{index}-light.png"))
            window.shutdown()
            window.close()
            repository.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots"))
