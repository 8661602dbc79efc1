"""``caseviewer show`` (one case, from the service or the cache) and ``caseviewer search`` (full text
over the cache). Every value printed is service text, so it goes through ``terminal_line``."""

from __future__ import annotations

import argparse
import sys

from caseviewer.core import errors
from caseviewer.core.text import terminal_json, terminal_line


def cmd_show(args: argparse.Namespace) -> int:
    from caseviewer.cli.connect import open_repository  # the repository stack: not before a command needs it

    repository = open_repository(args)
    try:
        result = repository.open_reference(args.case)  # the repository decides id / short id / email
    finally:
        repository.close()
    if result.detail is None:
        raise errors.NotFound(result.detail_note or "No detail for this case.")
    if result.detail_note:  # a cached copy shown because the service's answer was bad
        print(f"caseviewer: {terminal_line(result.detail_note)}", file=sys.stderr)
    if args.json:
        sys.stdout.write(terminal_json(result.detail.raw) + "\n")
    else:
        sys.stdout.write(_summary(result))
    return errors.EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    args.offline = True  # the cache is all this command reads; no credential is needed
    from caseviewer.cli.connect import open_repository  # the repository stack: not before a command needs it

    repository = open_repository(args)
    try:
        hits = repository.search_cached(" ".join(args.words), limit=max(1, args.limit))
    finally:
        repository.close()
    if not hits:
        print("caseviewer: no cached case contains these words", file=sys.stderr)
        return errors.EXIT_NOT_FOUND
    for hit in hits:
        print(f"{terminal_line(hit.case_id)}  {terminal_line(hit.business_name) or '-'}  {terminal_line(hit.snippet)}")
    return errors.EXIT_OK


def _summary(result) -> str:
    """A short human-readable view of a case for the terminal."""
    detail = result.detail
    submitter = detail.submitter
    t = terminal_line  # every value is service text: escapes and controls shown, never obeyed
    lines = [
        f"{t(detail.title) or '(untitled case)'}",
        f"  id         {t(detail.id)}",
        f"  short id   {t(detail.short_id)}",
        f"  status     {t(detail.status)}{'  (archived)' if detail.is_archived else ''}",
        f"  created    {t(detail.created_at)}",
        f"  submitter  {t(submitter.full_name) if submitter else ''} <{t(submitter.email) if submitter else ''}>",
    ]
    counts = [
        ("decisions", detail.decisions),
        ("comments", detail.comments),
        ("notes", detail.notes),
        ("payments", detail.payments),
        ("orders", detail.orders),
        ("attachments", detail.all_attachments()),
        ("calendar events", detail.calendar_events),
        ("form responses", detail.responses),
        ("case products", detail.case_products),
    ]
    lines.append("  " + ", ".join(f"{len(items)} {name}" for name, items in counts))
    provenance = result.provenance
    if provenance.from_cache and provenance.fetched_at is not None:
        lines.append(f"  (from the offline cache, cached {provenance.fetched_at:%Y-%m-%d %H:%M})")
    return "\n".join(lines) + "\n"
