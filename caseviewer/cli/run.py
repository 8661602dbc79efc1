"""``main``: the process entry point of every ``caseviewer`` run (the window and each command).

It hardens the process before anything secret is in memory, parses the arguments (a
``caseviewer://`` link among them is taken apart first), and turns every error into one line on
stderr and an exit code (``core/errors.py``); ``--verbose`` adds the traceback.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Sequence

from caseviewer.cli.gui import cmd_gui
from caseviewer.cli.parser import build_parser
from caseviewer.core import errors
from caseviewer.core.hardening import harden_process
from caseviewer.core.logs import setup_logging
from caseviewer.core.runtime import fix_malloc_threshold
from caseviewer.core.text import terminal_line

log = logging.getLogger("caseviewer")


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _never_fail_on_output() -> None:
    """Text that the terminal's encoding cannot write is escaped, never an error."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):  # replaced streams (tests) or already detached
            pass


def _split_link(argv: Sequence[str]) -> tuple[list[str], object]:
    """The ``caseviewer://`` link among the arguments (the .desktop file passes %U), and the rest."""
    from caseviewer.core.deeplink import is_link, parse_link

    rest, link = [], None
    for arg in argv:
        if is_link(arg) and link is None:
            try:
                link = parse_link(arg)
            except ValueError as exc:
                raise errors.ConfigError(str(exc)) from None
        else:
            rest.append(arg)
    return rest, link


def _open_repository(args):  # noqa: ANN001, ANN202 - argparse.Namespace -> CaseRepository
    # Imported when a command asks for it: the window paints before the repository stack loads.
    from caseviewer.cli.connect import open_repository

    return open_repository(args)


def main(argv: Sequence[str] | None = None) -> int:
    harden_process()  # before anything secret is in memory: no core dumps (core/hardening.py)
    fix_malloc_threshold()  # before the first large buffer (core/runtime.py)
    _never_fail_on_output()
    parser = build_parser()
    try:
        argv, link = _split_link(list(sys.argv[1:] if argv is None else argv))
    except errors.KnownError as exc:
        print(f"caseviewer: {exc.message}", file=sys.stderr)
        return exc.exit_code
    args = parser.parse_args(argv)
    args.link = link
    if link is not None and args.func is not cmd_gui:
        print("caseviewer: a caseviewer:// link opens the window; it cannot be given to a command", file=sys.stderr)
        return errors.EXIT_USAGE
    args.open_repository = lambda: _open_repository(args)
    setup_logging(verbose=getattr(args, "verbose", False))
    try:
        return int(args.func(args) or 0)
    except errors.KnownError as exc:
        if getattr(args, "verbose", False):
            traceback.print_exc()
        print(f"caseviewer: {terminal_line(exc.message)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("caseviewer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. "| head"): not an error worth a message.
        _silence_stdout()
        return errors.EXIT_OK
    except Exception as exc:  # a bug: one line unless --verbose, never a secret
        if getattr(args, "verbose", False):
            traceback.print_exc()
        print(f"caseviewer: internal error ({type(exc).__name__}); run with --verbose for details", file=sys.stderr)
        return errors.EXIT_FAILURE
