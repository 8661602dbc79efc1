"""The sync's writer: what the fetchers bring, committed to the cache in batches.

One thread (the sync's calling thread) owns a ``BatchWriter``. It is the sync's narrow part
(every fetcher waits for the GIL it holds), so it does as little as it can: a fetcher prepares
each case for storing (``cache.prepare_detail``: the text as received, the email, any inline
bodies) and lets go of the parsed document at once (``Fetched``); the writer binds a batch (up to
``DEFAULT_BATCH`` cases, or what arrived in ``BATCH_SECONDS``) into one statement and one commit.

A batch's details, attachment bodies, sync marks (with the fingerprint of each case's list
record, ``expect``) and the change tracker's news (``observe``) commit in one transaction, so a
sync killed at any instant leaves a cache that knows exactly which cases it holds, and the
tracker never knows of a copy the cache lost (or the reverse).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from caseviewer.core.cache import SYNC_DONE, SYNC_FAILED, SYNC_LIST_ONLY, CaseCache, PreparedDetail
from caseviewer.core.cache.fts_rows import stored_detail

#: Cases per write transaction at most. A commit costs about the same whatever it holds (the
#: b-tree pages above the rows are written again each time), so fewer, larger ones cost less:
#: 0.30 ms a case at 100 a commit, 0.21 at 300.
DEFAULT_BATCH = 500
#: A batch is committed at least this often, so progress and a crash lose little at a slow rate.
BATCH_SECONDS = 1.0

#: Told each committed batch's newer copies: (case id, raw detail, raw list record or None).
Observer = Callable[[list[tuple[str, Mapping[str, Any], "Mapping[str, Any] | None"]]], object]


@dataclass
class Fetched:
    """A fetched case, ready to store: the fetcher thread prepared it, so the writer only binds
    values, and the parsed document did not outlive its request (kept for the batch, its objects
    were walked by every garbage collection: 0.73 s of a 3,000-case sync, 0.39 s without)."""

    case_id: str
    prepared: PreparedDetail | None  # None: the detail service does not know the case
    #: The document as received, for the change tracker (``observe``): kept parsed only when
    #: the stored text is not the document (inline bodies were taken out).
    document: Mapping[str, Any] | None = None
    bodies: list[tuple[str, bytes]] = field(default_factory=list)  # downloaded attachment bodies
    attachment_count: int = 0


class Committed(NamedTuple):
    """What one batch stored: the sync's report counts it only now, so it never claims what a
    crash could lose."""

    details: int
    list_only: int
    attachments: int
    case_ids: list[str]  # every case of the batch but the failed ones


class _ReadWhenLookedAt(Mapping[str, Any]):
    """A JSON object kept as its text and parsed on first look. The change tracker is told of
    every synced case but looks only at the few the reviewer has opened: the rest are never
    parsed again."""

    __slots__ = ("_text", "_read", "_value")

    def __init__(self, text: str, read: Callable[[str], Any]) -> None:
        self._text = text
        self._read = read
        self._value: dict[str, Any] | None = None

    def _object(self) -> dict[str, Any]:
        if self._value is None:
            value = self._read(self._text)
            self._value = value if isinstance(value, dict) else {}
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self._object()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._object())

    def __len__(self) -> int:
        return len(self._object())


class BatchWriter:
    """Batches a sync's results and commits each batch in one transaction (see the module docstring)."""

    def __init__(
        self,
        cache: CaseCache,
        customer_id: str,
        *,
        batch_size: int = DEFAULT_BATCH,
        keep_bodies: bool,
        observe: Observer | None,
    ) -> None:
        self.cache = cache
        self.customer_id = customer_id
        self.batch_size = max(1, batch_size)
        self.keep_bodies = keep_bodies
        self.observe = observe
        #: The listed records (their JSON as stored) of the cases to fetch, by case id, until
        #: their batch is committed. Text, not objects: nothing for the garbage collector to walk.
        self.records: dict[str, str] = {}
        self.prints: dict[str, str] = {}  # fingerprints of the listed records of cases to fetch
        self.batch: list[Fetched | tuple[str, str]] = []
        self.waiting = 0  # cases in ``batch`` that are not failures (progress counts them)
        self.started = time.monotonic()

    def expect(self, case_id: str, record_text: str, print_: str) -> None:
        """A listed case is to be fetched: its record is stored with its detail, its fingerprint
        with its sync mark."""
        self.records[case_id] = record_text
        self.prints[case_id] = print_

    def add(self, fetched: Fetched) -> None:
        self.batch.append(fetched)
        self.waiting += 1

    def add_failure(self, case_id: str, message: str) -> None:
        self.batch.append((case_id, message))

    @property
    def full(self) -> bool:
        return len(self.batch) >= self.batch_size

    @property
    def due(self) -> bool:
        """Something waits and the last commit is ``BATCH_SECONDS`` old."""
        return bool(self.batch) and time.monotonic() - self.started >= BATCH_SECONDS

    def flush(self) -> Committed | None:
        """Commit the batch (None when there was nothing to commit)."""
        self.started = time.monotonic()
        if not self.batch:
            return None
        batch, self.batch, self.waiting = self.batch, [], 0
        marks: list[tuple[str, str, str]] = []
        details: list[tuple[PreparedDetail, str | None]] = []
        arrived: list[tuple[str, Mapping[str, Any], Mapping[str, Any] | None]] = []
        list_only = bodies = 0
        for item in batch:
            if isinstance(item, tuple):
                marks.append((item[0], SYNC_FAILED, item[1]))
            elif item.prepared is None:
                marks.append((item.case_id, SYNC_LIST_ONLY, ""))
                list_only += 1
            else:
                record = self.records.get(item.case_id)
                details.append((item.prepared, record))
                marks.append((item.case_id, SYNC_DONE, ""))
                document = item.document or _ReadWhenLookedAt(item.prepared.text, stored_detail)
                arrived.append((item.case_id, document, _ReadWhenLookedAt(record, json.loads) if record else None))
                bodies += item.attachment_count
        with self.cache.transaction("saving synced cases"):
            self.cache.put_prepared_details(details, keep_bodies=self.keep_bodies)
            for item in batch:
                if not isinstance(item, tuple):
                    for attachment_id, body in item.bodies:
                        self.cache.put_attachment(attachment_id, body, case_id=item.case_id)
            self.cache.mark_synced(self.customer_id, marks, self.prints)
            if self.observe is not None and arrived:
                self.observe(arrived)  # in the batch's transaction: a killed sync loses neither alone
        for case_id, _, _ in marks:  # stored now: a long sync keeps only what is pending
            self.records.pop(case_id, None)
            self.prints.pop(case_id, None)
        return Committed(len(details), list_only, bodies,
                         [case_id for case_id, state, _ in marks if state != SYNC_FAILED])


__all__ = ["BATCH_SECONDS", "DEFAULT_BATCH", "BatchWriter", "Committed", "Fetched", "Observer"]
