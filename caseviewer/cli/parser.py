"""The ``caseviewer`` argument parser: global flags, the window's options, and every sub-command.

``show``, ``search`` and ``demo-server`` are defined here; the command groups (profiles and
login, sync, export and list, audit) register their own sub-commands from their modules.
"""

from __future__ import annotations

import argparse

from caseviewer import __version__
from caseviewer.cli import audit, export, profiles, sync
from caseviewer.cli.commands import add_command
from caseviewer.cli.gui import cmd_demo_server, cmd_gui
from caseviewer.cli.show import cmd_search, cmd_show
from caseviewer.core.text import terminal_line


def _connection_flags() -> argparse.ArgumentParser:
    """Flags every command that talks to a service accepts (so it runs with no profile at all)."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("connection")
    group.add_argument("--profile", metavar="NAME", help="connection profile to use")
    group.add_argument("--list-url", metavar="URL", help="case list service base URL")
    group.add_argument("--detail-url", metavar="URL", help="case detail service base URL")
    group.add_argument("--customer-id", metavar="ID", help="customer ID for the case list")
    group.add_argument("--offline", action="store_true", help="read only from the offline cache")
    return parent


def _common_flags() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("-v", "--verbose", action="store_true", help="log to the console; tracebacks on error")
    return parent


def build_parser() -> argparse.ArgumentParser:
    common = _common_flags()
    connection = _connection_flags()
    parser = argparse.ArgumentParser(
        prog="caseviewer",
        description="Desktop case browser. With no command, opens the window.",
        parents=[common, connection],
    )
    parser.add_argument("--version", action="version", version=f"caseviewer {__version__}")
    parser.add_argument("--demo", action="store_true", help="start the bundled demo service and open the window on it")
    parser.add_argument("--cases", type=int, default=50, metavar="N", help="cases in the demo service (with --demo)")
    parser.add_argument(
        "--theme", choices=("system", "light", "dark", "high-contrast"), default=None, help="colour theme (default: the one chosen in View > Theme)"
    )
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=cmd_gui)

    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    demo = add_command(
        commands, "demo-server", cmd_demo_server, [common], "run the bundled demo service alone",
        "Run the bundled demo service on 127.0.0.1 and print its endpoints and demo credentials.",
    )
    demo.add_argument("--port", type=int, default=0, help="port for the case services (default: a free one)")
    demo.add_argument("--files-port", type=int, default=0, help="port for signed attachment URLs")
    demo.add_argument("--cases", type=int, default=50, help="number of synthetic cases (default 50)")
    demo.add_argument("--seed", type=int, default=1, help="seed of the synthetic data (default 1)")

    show = add_command(
        commands, "show", cmd_show, [common, connection], "print one case",
        "Print one case by case ID, short ID (CV-000123: looked up in the offline cache) "
        "or submitter email, from the service or the cache.",
    )
    show.epilog = DASH_ID_HINT
    _add_hint_to_errors(show, DASH_ID_HINT)
    show.add_argument("case", metavar="CASE_ID|SHORT_ID|EMAIL")
    show.add_argument("--json", action="store_true", help="print the full case detail as JSON")

    search = add_command(
        commands, "search", cmd_search, [common, connection], "find cached cases by any word in them",
        "Full-text search over the offline cache: comments, notes, decisions, form answers and names.",
    )
    search.add_argument("words", nargs="+", metavar="WORD")
    search.add_argument("--limit", type=_bounded_int(1, MAX_SEARCH_LIMIT), default=50,
                        help=f"at most this many cases (default 50, at most {MAX_SEARCH_LIMIT:,})")

    for group in COMMAND_GROUPS:
        group.register(commands, [common, connection])
    return parser


DASH_ID_HINT = "A case ID that begins with '-' goes after '--': caseviewer show -- -1234."


def _add_hint_to_errors(parser: argparse.ArgumentParser, hint: str) -> None:
    """Usage errors of ``parser`` end with ``hint`` (an id like ``-12`` reads as an option)."""
    plain_error = parser.error

    def error(message: str):
        plain_error(f"{message}. {hint}")

    parser.error = error  # type: ignore[method-assign]


#: The most hits ``search --limit`` may ask for (SQLite takes a 64-bit limit; a person reads fewer).
MAX_SEARCH_LIMIT = 10_000


def _bounded_int(low: int, high: int):
    """An argparse type: an integer in ``low..high``, else a usage error (exit 2), never a crash."""
    def parse(text: str) -> int:
        try:
            value = int(text) if len(text) <= 20 else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be a whole number from {low} to {high:,}, not {terminal_line(text)[:40]!r}")
        return value

    parse.__name__ = "number"
    return parse


#: Sub-command modules that register themselves: profiles and login, sync, export and list, audit.
COMMAND_GROUPS = (profiles, sync, export, audit)
