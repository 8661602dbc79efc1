"""The ``caseviewer`` command line: the window by default, plus headless sub-commands.

The command line is a stable interface (users script it): sub-commands, flags, ``key=value``
output of ``demo-server`` and the exit codes (0 ok, 2 usage, 3 auth, 4 not found, 5 network or
offline with nothing cached, 1 anything else) only change compatibly. Errors are one line on
stderr; ``--verbose`` adds the traceback. Secrets are never taken from argv.

One module per job: ``run`` (``main``: hardening, parsing, error handling), ``parser`` (every
flag and sub-command), ``connect`` (flags to a repository), ``show`` (show, search), ``gui`` (the
window, the demo), and the command groups ``profiles`` (profile, login, logout), ``sync``,
``export`` (export, list) and ``audit``. ``python -m caseviewer.cli`` runs ``__main__``.
"""

from caseviewer.cli.run import main

__all__ = ["main"]
