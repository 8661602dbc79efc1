"""``caseviewer sync``: fetch every case of the customer into the offline cache, with progress.

The lead's ``cli.py`` calls ``register(subparsers, parents)``; the handler gets its connection from
``args.open_repository()`` (a ``CaseRepository`` with the profile's cache attached); the customer
is the one its list client was built for (from ``--customer-id`` or the profile). Progress goes to stderr: redrawn in
place with ``\\r`` on a terminal, one line per 10 % otherwise (logs and CI stay readable). The
summary goes to stdout. Exit 0 when every case is cached, 5 when some failed (a rerun resumes).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from caseviewer.cli.commands import add_command
from caseviewer.core import errors
from caseviewer.core.text import terminal_line

if TYPE_CHECKING:  # imported by the command itself: the parser is built on every start, the window's too
    from caseviewer.core.sync import SyncReport

MAX_FAILURES_LISTED = 10


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError("must be between 1 and 64")
    return value


def register(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers, "sync", cmd_sync, parents, "fetch every case of the customer into the offline cache",
        "Fetch every case of the customer (list and detail, optionally attachment "
        "files) into the encrypted offline cache. Resumable: a rerun skips the cases already "
        "cached. Exit 0 when all are cached, 5 when some failed.",
    )
    parser.add_argument("--attachments", action="store_true", help="also cache attachment files")
    parser.add_argument("--concurrency", type=_positive_int, default=4, metavar="N",
                        help="case details fetched at once (default 4)")
    parser.add_argument("--force", action="store_true", help="fetch again the cases already cached")


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


class ProgressBar:
    """Count, percentage, rate and ETA of a sync on a text stream.

    The rate counts only cases handled in this run (skipped ones arrive at once and would make the
    ETA a lie). ``clock`` is injectable so tests need no sleeping.
    """

    WIDTH = 24

    def __init__(
        self, stream: TextIO, *, tty: bool | None = None, clock: Callable[[], float] = time.monotonic, label: str = "cases"
    ) -> None:
        self.stream = stream
        self.label = label
        self.tty = stream.isatty() if tty is None else tty
        self.clock = clock
        self._start: tuple[float, int] | None = None
        self._last_draw = float("-inf")
        self._last_decile = -1
        self._drawn = False

    def update(self, done: int, total: int, failed: int) -> None:
        now = self.clock()
        if self._start is None:
            self._start = (now, done)
        if self.tty:
            # Redrawing more than ~10 times a second only costs time.
            if now - self._last_draw >= 0.1 or done >= total:
                self._last_draw = now
                self.stream.write("\r" + self.line(done, total, failed, now) + "\x1b[K")
                self.stream.flush()
                self._drawn = True
        else:
            decile = done * 10 // total if total else 10
            if decile > self._last_decile:
                self._last_decile = decile
                self.stream.write(self.line(done, total, failed, now) + "\n")
                self.stream.flush()

    def line(self, done: int, total: int, failed: int, now: float) -> str:
        start_time, start_done = self._start or (now, done)
        elapsed = now - start_time
        rate = (done - start_done) / elapsed if elapsed > 0 else 0.0
        fraction = done / total if total else 1.0
        parts = []
        if self.tty:
            filled = int(fraction * self.WIDTH)
            parts.append("[" + "#" * filled + "." * (self.WIDTH - filled) + "]")
        parts.append(f"{done:,}/{total:,} {self.label}")
        parts.append(f"{fraction:4.0%}")
        parts.append(f"{rate:,.1f}/s" if self.label != "cases" else f"{rate:,.1f} cases/s")
        if 0 < done < total and rate > 0:
            parts.append(f"ETA {_duration((total - done) / rate)}")
        if failed:
            parts.append(f"{failed:,} failed")
        return "  ".join(parts)

    def erase(self) -> None:
        """Remove the bar from a terminal (a step that leaves no line behind)."""
        if self.tty and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def finish(self) -> None:
        if self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()


def summary(report: SyncReport) -> str:
    lines = [
        f"Synced {report.total:,} cases in {_duration(report.elapsed)}: {report.fetched:,} fetched, "
        f"{report.skipped:,} already cached, {report.list_only:,} list only (no detail), "
        f"{len(report.failed):,} failed."
    ]
    if report.attachments:
        lines.append(f"Attachments cached: {report.attachments:,}.")
    for case_id, message in report.failed[:MAX_FAILURES_LISTED]:
        lines.append(f"  failed: case {terminal_line(case_id)}: {terminal_line(message)}")
    if len(report.failed) > MAX_FAILURES_LISTED:
        lines.append(f"  ... and {len(report.failed) - MAX_FAILURES_LISTED:,} more.")
    if report.list_problem:
        lines.append(f"Listing stopped early: {report.list_problem}")
    if report.cancelled:
        lines.append("Cancelled. Run \"caseviewer sync\" again to continue where it stopped.")
    elif report.failed:
        lines.append("Run \"caseviewer sync\" again to retry the failed cases.")
    return "\n".join(lines) + "\n"


def _build_index(cache: Any, cancel: threading.Event) -> bool:
    """The synced cases into the search index (``core/search_index.py``); False when interrupted
    (the rest stays queued; the next sync or the window writes it).

    On a terminal its bar is redrawn in place and erased at the end; elsewhere it prints nothing,
    so a log keeps the sync's own lines and its last line stays the sync's count."""
    tty = sys.stderr.isatty()
    bar = ProgressBar(sys.stderr, tty=True, label="cases indexed for search") if tty else None
    progress = (lambda done, total: bar.update(done, total, 0)) if bar is not None else None
    from caseviewer.core.search_index import build_index

    try:
        build_index(cache, progress=progress, cancel=cancel)
    except KeyboardInterrupt:
        cancel.set()
        print("\ncaseviewer: indexing interrupted; the rest is indexed by the next sync or the window.",
              file=sys.stderr)
        return False
    if bar is not None:
        bar.erase()
    return True


def cmd_sync(args: argparse.Namespace) -> int:
    from caseviewer.core.sync import sync_all

    repository = args.open_repository()
    try:
        if repository.cache is None:
            raise errors.ConfigError("This connection has no offline cache to sync into.")
        if repository.api.list is None:
            raise errors.ConfigError("Sync needs the case list service (list URL and customer ID).")
        # The list client's customer is the one its requests name (the lead builds it from
        # --customer-id or the profile); filing records under any other id would mislabel them.
        customer_id = repository.api.list.customer_id or getattr(args, "customer_id", None)
        bar = ProgressBar(sys.stderr)
        cancel = threading.Event()
        try:
            report = sync_all(
                repository,
                repository.cache,
                customer_id,
                attachments=args.attachments,
                concurrency=args.concurrency,
                force=args.force,
                progress=bar.update,
                cancel=cancel,
            )
        except KeyboardInterrupt:
            cancel.set()
            bar.finish()
            print("caseviewer: interrupted; the cases fetched so far are saved. Run sync again to resume.",
                  file=sys.stderr)
            return 130
        except BaseException:
            bar.finish()
            raise
        bar.finish()
        if not _build_index(repository.cache, cancel):
            sys.stdout.write(summary(report))
            return 130
        sys.stdout.write(summary(report))
        sys.stdout.flush()
        if report.list_problem and not report.cancelled:
            print(f"caseviewer: {report.list_problem}", file=sys.stderr)
            return errors.ListInconsistent.exit_code
        return errors.EXIT_OK if report.ok else errors.EXIT_NETWORK
    finally:
        repository.close()
