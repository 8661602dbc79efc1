"""Screenshots of the real window on the demo service (for the README and for review).

Run under a display (Xvfb works): ``xvfb-run -a -s "-screen 0 2000x1200x24" env QT_QPA_PLATFORM=xcb
.venv/bin/python packaging/screenshots.py OUTDIR``. Without ``--scene`` it writes
main-<size>-<theme>.png for 1280x800 and 900x600 in the light and dark themes, each with the rich
demo case open on At a glance, plus one shot per section (the README's pictures).

With ``--scene NAME ...`` (or ``--scene all``) it builds named review scenes instead
(``packaging/scenes/``; ``--list`` names them), each writing OUTDIR/<scene>-<size>-<theme>.png at
``--size WxH`` (default 1280x800) in ``--theme``; ``--all-sections`` adds one shot per section to the
case scenes. The whole run is stopped after ``--timeout`` seconds (exit 3) so it never hangs.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
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
    from caseviewer.ui.window.main_window import MainWindow

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


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must be WIDTHxHEIGHT, not {text!r}") from None
    if width < 900 or height < 600:
        raise argparse.ArgumentTypeError("the window's minimum size is 900x600")
    return width, height


def _watchdog(seconds: float) -> None:
    """Stop the whole process after ``seconds``: a scene that waits forever must not hang a review."""
    def expire() -> None:
        print(f"screenshots: stopped after {seconds:.0f} s (overall timeout)", file=sys.stderr, flush=True)
        os._exit(3)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()


def cli(argv: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # packaging/scenes/
    import scenes

    parser = argparse.ArgumentParser(description="Screenshots of the real window on the demo service.")
    parser.add_argument("outdir", nargs="?", default="shots", type=Path)
    parser.add_argument("--scene", nargs="+", metavar="NAME", choices=[*scenes.SCENES, "all"],
                        help="review scenes to build (see --list); 'all' for every scene")
    parser.add_argument("--list", action="store_true", help="print the scenes and exit")
    parser.add_argument("--size", type=_size, default=(1280, 800), help="window size WxH (default 1280x800)")
    parser.add_argument("--theme", choices=("light", "dark", "high-contrast"), default="light")
    parser.add_argument("--all-sections", action="store_true", help="case scenes: one shot per section too")
    parser.add_argument("--timeout", type=float, default=900, help="stop the whole run after this many seconds")
    args = parser.parse_args(argv)
    if args.list:
        print(scenes.describe())
        return 0
    _watchdog(args.timeout)
    if not args.scene:
        main(args.outdir)  # the README's pictures, as before
        return 0
    names = list(scenes.SCENES) if "all" in args.scene else list(dict.fromkeys(args.scene))
    return scenes.run(args.outdir, names, size=args.size, theme=args.theme, all_sections=args.all_sections)


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
