"""From the command line's flags to a repository: the connection resolved, secrets masked in logs,
the offline cache opened when the keyring allows it, and the access log attached to it."""

from __future__ import annotations

import argparse

from caseviewer.core.connection import ConnectionSettings, Secrets, resolve
from caseviewer.core.logs import register_secret


def resolve_connection(args: argparse.Namespace) -> tuple[ConnectionSettings, Secrets]:
    """Settings and secrets: flag > environment > profile (``core/connection.resolve``)."""
    flags = {
        "list_url": getattr(args, "list_url", None),
        "detail_url": getattr(args, "detail_url", None),
        "customer_id": getattr(args, "customer_id", None),
    }
    return resolve(getattr(args, "profile", None), flags=flags)


def register_secrets(secrets: Secrets) -> None:
    """Mask these secrets in every log line from now on."""
    for value in (secrets.list_token, secrets.password, secrets.detail_key):
        register_secret(value)


def open_repository(args: argparse.Namespace):
    """A repository for the resolved connection, with the offline cache when the keyring allows it."""
    repository, _reason = repository_for(args, *resolve_connection(args))
    return repository


def repository_for(args: argparse.Namespace, settings: ConnectionSettings, secrets: Secrets):
    """(repository, why there is no cache or ""); ``--offline`` reads the cache only."""
    from caseviewer.core.session import open_repository as open_session_repository

    register_secrets(secrets)
    return open_session_repository(settings, secrets, offline=bool(getattr(args, "offline", False)))
