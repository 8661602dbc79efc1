"""From the command line's flags to an open session (``core/session.py``, ``open_session``): the
connection resolved (flag > environment > profile), or the bundled demo started for this run.

Every command opens its connection here, the window (``cli/gui.py``) too, so there is one way of
opening one: secrets masked in logs, the offline cache opened when the keyring allows it, and the
access log attached to it.
"""

from __future__ import annotations

import argparse

from caseviewer.core.connection import ConnectionSettings, Secrets, resolve
from caseviewer.core.repository import CaseRepository
from caseviewer.core.session import Session, open_session


def resolve_connection(args: argparse.Namespace) -> tuple[ConnectionSettings, Secrets]:
    """Settings and secrets: flag > environment > profile (``core/connection.resolve``)."""
    flags = {
        "list_url": getattr(args, "list_url", None),
        "detail_url": getattr(args, "detail_url", None),
        "customer_id": getattr(args, "customer_id", None),
    }
    return resolve(getattr(args, "profile", None), flags=flags)


def session_for(args: argparse.Namespace) -> Session:
    """The session of the resolved connection; ``--offline`` reads the cache only."""
    settings, secrets = resolve_connection(args)
    return open_session(settings, secrets, offline=bool(getattr(args, "offline", False)))


def open_repository(args: argparse.Namespace) -> CaseRepository:
    """The repository of ``session_for(args)`` (the commands that need only that)."""
    return session_for(args).repository


def demo_session(args: argparse.Namespace) -> Session:
    """The bundled demo service, started for this run (``--demo``), and a session on it.

    ``Session.stop`` stops the service.
    """
    from caseviewer.cli.gui import DEMO_LABEL
    from caseviewer.demo.server import DemoConfig, DemoService

    service = DemoService(DemoConfig(cases=max(1, args.cases))).start()
    settings = ConnectionSettings(
        name="Demo",
        environment="DEMO",
        list_url=service.list_url,
        auth_url=service.auth_url,
        customer_id=service.customer_id,
        detail_url=service.detail_url,
    )
    secrets = Secrets(list_token=service.list_token, detail_key=service.detail_key)
    try:
        session = open_session(settings, secrets, offline=bool(getattr(args, "offline", False)),
                               label=DEMO_LABEL, unsaved_name="Demo")
    except BaseException:
        service.stop()
        raise
    session.on_stop.append(service.stop)
    return session


__all__ = ["demo_session", "open_repository", "resolve_connection", "session_for"]
