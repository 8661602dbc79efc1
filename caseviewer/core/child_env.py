"""The environment a child process gets: ours, minus every caseviewer secret and setting.

``CASEVIEWER_LIST_TOKEN`` and ``CASEVIEWER_DETAIL_KEY`` are given to one run for one connection.
A child inherits the whole environment by default, so a profile switch (a new caseviewer on
another profile) would have sent profile A's token to profile B's host, and an "Open with" viewer
would hold them in its own environment. Every child caseviewer starts goes through
``child_environment``; the GUI also calls ``scrub_own_environment`` once the connection is
resolved, because Qt starts the system opener (``xdg-open``, ``open``) itself with the
environment of the process and offers no way to pass another one.

Only ``CASEVIEWER_HOME`` survives: it says where config, cache and logs live (portable installs,
tests) and is no secret. The connection variables (``CASEVIEWER_LIST_URL``, ``..._PROFILE``, ...)
are dropped too: a child on profile B must read B's settings, not A's overrides.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from caseviewer.core.connection_settings import ENV_DETAIL_KEY, ENV_LIST_TOKEN

PREFIX = "CASEVIEWER_"
#: The one caseviewer variable a child keeps.
KEPT = frozenset({"CASEVIEWER_HOME"})
#: Variables that hold secrets: removed from this process's own environment once read.
SECRET_VARIABLES = (ENV_LIST_TOKEN, ENV_DETAIL_KEY)


def child_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``environ`` (default: ours) without any ``CASEVIEWER_*`` but ``CASEVIEWER_HOME``."""
    env = os.environ if environ is None else environ
    return {
        name: value
        for name, value in env.items()
        if not name.upper().startswith(PREFIX) or name.upper() in KEPT
    }


def scrub_own_environment() -> list[str]:
    """Remove the secret variables from this process's environment (``unsetenv`` too), so a child
    Qt or a library starts behind our back inherits none. Returns the names removed."""
    removed = []
    for name in SECRET_VARIABLES:
        if name in os.environ:
            del os.environ[name]  # os.environ's __delitem__ calls unsetenv
            removed.append(name)
    return removed


__all__ = ["KEPT", "SECRET_VARIABLES", "child_environment", "scrub_own_environment"]
