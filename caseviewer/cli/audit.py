"""``caseviewer audit``: print the access log, export it as CSV, or check its hash chain.

``audit [--case ID] [--action ACTION] [--since DATE] [--until DATE] [--csv]`` prints the entries
(oldest first); ``audit --verify`` checks the chain and exits 0 when it is intact, 1 when it is
broken, naming the first broken entry on stderr. The log lives in the profile's encrypted cache
and is read without any service credential; without a keyring there is no cache and so no log,
which the command says (exit 5).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time, timezone
from typing import TYPE_CHECKING, Any

from caseviewer.cli.commands import add_command
from caseviewer.core import errors
from caseviewer.core.csv_cells import csv_text
from caseviewer.core.text import terminal_line

if TYPE_CHECKING:
    from caseviewer.core.access_log import AccessLog

CSV_HEADER = ("seq", "time_utc", "os_user", "profile", "action", "case_id", "prev_hash", "hash")


def parse_when(text: str) -> datetime:
    """``YYYY-MM-DD`` (the start of that day, UTC) or an ISO 8601 time (UTC when it has no zone)."""
    try:
        if len(text.strip()) == 10:
            return datetime.combine(date.fromisoformat(text.strip()), time.min, tzinfo=timezone.utc)
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError("must be a date (YYYY-MM-DD) or an ISO 8601 time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


class _ActionNames:
    """``--action``'s choices, the access log's action names: read from ``core/access_log.py``
    only when argparse asks (a value given, the help printed), because the parser is built on
    every start, the window's too, and that module's imports are not needed for its first frame."""

    @staticmethod
    def _names() -> list[str]:
        from caseviewer.core.access_log import AccessAction

        return [action.value for action in AccessAction]

    def __iter__(self):  # noqa: ANN204 - Iterator[str]
        return iter(self._names())

    def __contains__(self, value: object) -> bool:
        return value in self._names()


def register(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers, "audit", cmd_audit, parents, "print or check the access log",
        "Print the access log kept in the encrypted offline cache (who opened, previewed, "
        "saved, exported or searched what, and when), or check that nobody changed it (--verify).",
    )
    parser.add_argument("--case", metavar="ID", help="only entries about this case")
    parser.add_argument("--action", choices=_ActionNames(), metavar="ACTION",
                        help="only this action: %(choices)s")  # a metavar: argparse lists choices only for the help
    parser.add_argument("--since", type=parse_when, metavar="DATE", help="from this date or time (UTC)")
    parser.add_argument("--until", type=parse_when, metavar="DATE", help="before this date or time (UTC)")
    parser.add_argument("--csv", action="store_true", help="print CSV (spreadsheet-safe) instead of a table")
    parser.add_argument("--verify", action="store_true",
                        help="check the hash chain: exit 0 intact, 1 broken (the first broken entry is named)")


def open_access_log(args: argparse.Namespace) -> AccessLog:
    from caseviewer.cli.connect import resolve_connection
    from caseviewer.core.access_log import NO_LOG_REASON, AccessLog
    from caseviewer.core.session import cache_name, open_offline_cache

    settings, _secrets = resolve_connection(args)
    cache, reason = open_offline_cache(settings)
    if cache is None:
        raise errors.OfflineError(f"{NO_LOG_REASON} ({reason})" if reason else NO_LOG_REASON)
    return AccessLog(cache, profile=cache_name(settings))


def cmd_audit(args: argparse.Namespace) -> int:
    from caseviewer.core.access_log import AccessAction

    access_log = open_access_log(args)
    try:
        if args.verify:
            result = access_log.verify()
            if result.ok:
                print(f"access log intact: {result.checked} entries")
                return errors.EXIT_OK
            print(f"caseviewer: access log broken at entry {result.broken_seq}: {result.reason} "
                  f"({result.checked} entries before it are intact)", file=sys.stderr)
            return errors.EXIT_FAILURE
        entries = access_log.entries(
            case_id=args.case, action=AccessAction(args.action) if args.action else None,
            since=args.since, until=args.until,
        )
    finally:
        access_log.cache.close()
    if args.csv:
        sys.stdout.write(csv_text(CSV_HEADER, (
            (e.seq, e.at, e.os_user, e.profile, e.action, e.case_id or "", e.prev_hash, e.hash) for e in entries
        )))
        return errors.EXIT_OK
    if not entries:
        print("caseviewer: no access log entries match", file=sys.stderr)
        return errors.EXIT_OK
    for e in entries:
        print(f"{e.seq:>6}  {e.at}  {terminal_line(e.os_user)}  {terminal_line(e.profile)}  {e.action:<28}  {terminal_line(e.case_id or '-')}")
    return errors.EXIT_OK


__all__ = ["cmd_audit", "parse_when", "register"]
