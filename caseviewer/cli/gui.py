"""With no command, ``caseviewer`` opens the window: on a profile, on flags, on the bundled demo
(``--demo``), or on the welcome screen when nothing is configured; a ``caseviewer://`` link goes
to a window already running. ``demo-server`` runs the demo service alone.

The window's session is opened after its frame is shown (``ui/app.py``, ``run_gui``), so the
repository stack (``cli/connect.py`` and what it imports) is imported there, not here."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from caseviewer.core import errors

#: The bundled demo's name in the title, known before its session is opened.
DEMO_LABEL = "Demo service"


def cmd_demo_server(args: argparse.Namespace) -> int:
    from caseviewer.demo.server import DemoConfig, DemoService

    config = DemoConfig(cases=args.cases, seed=args.seed, port=args.port, files_port=args.files_port)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with DemoService(config) as service:
        for line in service.credentials_lines():
            print(line, flush=True)
        while not stop.wait(0.5):
            pass
    return errors.EXIT_OK


def _needs_first_run(args: argparse.Namespace) -> bool:
    """No profile at all and no connection given by flags or environment: show the welcome screen."""
    import os

    from caseviewer.core.connection_settings import ENV_DETAIL_URL, ENV_LIST_URL, ENV_PROFILE
    from caseviewer.core.profiles import ProfileStore

    if args.profile or args.list_url or args.detail_url or args.offline:
        return False
    if any(os.environ.get(name) for name in (ENV_LIST_URL, ENV_DETAIL_URL, ENV_PROFILE)):
        return False
    return not ProfileStore().names()


def _hand_over_link(args: argparse.Namespace) -> bool:
    """A ``caseviewer://`` link and a window already running for this user: give it the link."""
    if args.link is None:
        return False
    from PySide6.QtWidgets import QApplication

    from caseviewer.ui.single_instance import hand_over

    if QApplication.instance() is None:
        QApplication(sys.argv[:1])  # reused by the window if the link is not taken
    if args.link.profile and not args.profile:
        args.profile = args.link.profile
    return hand_over(args.link)


def cmd_gui(args: argparse.Namespace) -> int:
    from caseviewer.ui.app import run_gui
    from caseviewer.ui.theme import ThemeChoice

    if _hand_over_link(args):
        return errors.EXIT_OK

    theme = ThemeChoice(args.theme) if args.theme else None
    if not args.demo and _needs_first_run(args):
        from caseviewer.ui.app import run_first_run

        choice, profile_name = run_first_run(theme=theme)
        if choice == "quit":
            return errors.EXIT_OK
        args.demo = choice == "demo"
        args.profile = profile_name
    opened = []

    def open_session():  # noqa: ANN202 - core.session.Session
        """On one of the window's workers, once its frame is shown (``ui/app.py``)."""
        from caseviewer.cli.connect import demo_session, session_for

        session = demo_session(args) if args.demo else session_for(args)
        opened.append(session)
        return session

    label = DEMO_LABEL if args.demo else args.profile or ""  # the frame's title until the session says
    try:
        return run_gui(open_session=open_session, label=label, smoke_test=args.smoke_test, theme=theme, link=args.link)
    finally:
        for session in opened:
            session.stop()
