"""First frame of a window, measured from outside: run as a child process, it prints one line
``FIRST_FRAME <seconds since this process's interpreter began>`` when the main window has painted
once, and exits. Used by ``bench_app.py`` (it asserts nothing).

    first_frame.py bare         a bare PySide6 QMainWindow with a QTableView (the floor)
    first_frame.py caseviewer   ``caseviewer --demo``, unchanged, as a reviewer starts it

The time counts from the interpreter's own start (``time.perf_counter`` against the process start
time the kernel recorded), so both include Python's start-up, every import and the first paint.
The driver creates the QApplication before handing over to the CLI (``ui/app.py`` reuses it) so
an application-wide event filter sees the first paint; nothing of caseviewer is changed.
"""

from __future__ import annotations

import os
import sys
import time


def _process_age() -> float:
    """Seconds since the kernel started this process (Linux /proc; else since this line)."""
    try:
        with open(f"/proc/{os.getpid()}/stat") as stat:
            start_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as uptime:
            up = float(uptime.read().split()[0])
        return up - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


_BORN = time.perf_counter() - _process_age()


def _arm(app) -> None:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QMainWindow, QWidget

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 - Qt name; a bench, not the app
            if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget) \
                    and isinstance(watched.window(), QMainWindow) and watched.window().isVisible():
                print(f"FIRST_FRAME {time.perf_counter() - _BORN:.4f}", flush=True)
                os._exit(0)
            return False

    app._first_paint = FirstPaint()
    app.installEventFilter(app._first_paint)


def bare() -> None:
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    _arm(app)
    window = QMainWindow()
    model = QStandardItemModel(0, 8)
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1280, 800)
    window.show()
    app.exec()


def caseviewer() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    _arm(app)
    from caseviewer.cli import main

    sys.exit(main(["--demo"]))


if __name__ == "__main__":
    {"bare": bare, "caseviewer": caseviewer}[sys.argv[1]]()
