"""Keep fresh in the background: re-read the first list page(s) and the cases the reviewer
watches (opened or flagged), throttled, and tell what became updated. No Qt: runs on a worker.

A round is polite to the service: at most ``limit`` detail requests, ``pause_s`` apart, and it
stops at the first sign of trouble. A 429 that survives the client's own Retry-After retries ends
the round and reports ``retry_after`` so the caller waits at least that long before the next one.
Offline (chosen or unreachable) a round does nothing: the cache has nothing newer to offer.

``notification_text`` is what a desktop notification may say: counts only, never a name, an id
or anything else from a case (it can show on a locked screen).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from caseviewer.core import errors
from caseviewer.core.query import CaseQuery
from caseviewer.core.changes import Fingerprint, fingerprint_detail, fingerprint_record

if TYPE_CHECKING:
    from caseviewer.core.repository import CaseRepository
    from caseviewer.core.reviewer_state import CaseTriage, ReviewerState

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 600.0
DEFAULT_LIMIT = 50
DEFAULT_PAUSE_S = 0.25


@dataclass
class RefreshReport:
    """What one round did. ``updated`` are the ids that became updated in this round."""

    listed: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    new: tuple[str, ...] = ()
    requests: int = 0
    skipped: str = ""  # why the round did nothing ("" when it ran)
    stopped: str = ""  # why it ended early
    retry_after: float | None = None
    states: dict[str, CaseTriage] = field(default_factory=dict)


def notification_text(updated: int, new: int) -> str:
    """"3 cases updated", "1 case updated, 2 new cases", "" when nothing happened. Counts only."""
    pieces = []
    if updated:
        pieces.append(f"{updated} case{'s' if updated != 1 else ''} updated")
    if new:
        pieces.append(f"{new} new case{'s' if new != 1 else ''}")
    return ", ".join(pieces)


def refresh_round(
    repository: CaseRepository,
    state: ReviewerState,
    *,
    query: CaseQuery | None = None,
    known_ids: frozenset[str] = frozenset(),
    limit: int = DEFAULT_LIMIT,
    pause_s: float = DEFAULT_PAUSE_S,
    cancel: threading.Event | None = None,
) -> RefreshReport:
    """One background round (see the module docstring); returns its report with fresh states."""
    cancel = cancel or threading.Event()
    report = RefreshReport()
    if repository.is_offline:
        report.skipped = "offline"
        return report
    copies: dict[str, Fingerprint] = {}
    try:
        if repository.has_list:
            page = repository.list_page(query or CaseQuery(), cancel=cancel)
            report.requests += 1
            if page.provenance.from_cache:
                report.stopped = "unreachable"
                return report
            report.listed = tuple(record.id for record in page.records if record.id)
            report.new = tuple(case_id for case_id in report.listed if known_ids and case_id not in known_ids)
            for record in page.records:
                if record.id:
                    copies[record.id] = fingerprint_record(record.status_code)
        if repository.has_detail:
            checked = []
            for n, case_id in enumerate(state.watched_ids(limit)):
                if cancel.is_set() or (n and cancel.wait(pause_s)):
                    report.stopped = "cancelled"
                    break
                result = repository.open_case(case_id, cancel=cancel)
                report.requests += 1
                if result.provenance.from_cache:
                    report.stopped = "unreachable"  # it fell back to the cache: nothing newer here
                    break
                if result.detail is not None:
                    copies[case_id] = fingerprint_detail(result.detail.raw).merged(copies.get(case_id, Fingerprint()))
                    checked.append(case_id)
            report.checked = tuple(checked)
    except errors.RateLimited as exc:
        report.stopped = "rate limited"
        report.retry_after = exc.retry_after
    except errors.KnownError as exc:
        report.stopped = type(exc).__name__
        log.info("Background refresh stopped: %s", type(exc).__name__)
    became = state.observe(copies)
    report.updated = tuple(sorted(became))
    report.states = state.states(list(copies))
    return report


__all__ = ["DEFAULT_INTERVAL_S", "RefreshReport", "notification_text", "refresh_round"]
