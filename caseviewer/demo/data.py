"""Deterministic synthetic case data shared by the demo list and detail services.

Everything is derived from ``(seed, index)`` by hashing, so one case can be produced without
producing the others: page 1 of 100,000 cases costs twenty hashes. Whole-dataset columns (status,
names) are built once, lazily, only when a filter, sort or search needs them.

Case ``index`` 0 is the newest case (``created_at`` falls as the index grows), so the default
list order (``created_at`` DESC) is the index order and ``case_ids()`` is that order.

Special cases at fixed indices (``SPECIAL``), present whenever ``cases`` is large enough:

* ``0`` "rich": every section non-empty, attachments of every kind (PNG, JPEG, 3-page PDF, TXT,
  CSV, JSON) at the top level and on comments and notes, unknown extra fields.
* ``1`` "hostile": attachment names ``../../etc/passwd``, ``CON.txt``, ``a\\x07b.txt``, one with
  ``/`` and ``\\``, right-to-left override and emoji names; HTML/script in comments, notes,
  names and the business name.
* ``2`` "huge": a 1 MiB comment and 200 activity entries.
* ``3`` "large_attachment": carries an extra noise PNG of about ``large_attachment_bytes``
  (only when that is > 0).
* ``4`` "sparse": almost every optional field missing: the submitter's name and email only (the
  document's required address strings empty), every "or null" field null, no assignee, one
  activity entry and every other section empty; the list record has no assignee or DBA name.

Every listed case with ``index % 17 == 16`` is unknown to the detail service (it answers 404),
so the app can show a list record on its own.
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from typing import Any, Callable

from caseviewer.demo.detail.document import build as build_detail
from caseviewer.demo.edits import CaseEdits
from caseviewer.demo import words
from caseviewer.demo.files import FileSpec, render
from caseviewer.demo.ids import iso_ms, make_uuid

SPECIAL = {"rich": 0, "hostile": 1, "huge": 2, "large_attachment": 3, "sparse": 4}
DETAIL_MISSING_EVERY = 17

STATUSES: tuple[tuple[int, str], ...] = (
    (1, "INVITED"), (2, "INVITE_EXPIRED"), (3, "ONBOARDING"), (4, "UNDER_MANUAL_REVIEW"),
    (5, "MANUALLY_APPROVED"), (6, "AUTO_APPROVED"), (7, "SCORE_CALCULATED"),
    (8, "MANUALLY_REJECTED"), (9, "ARCHIVED"), (10, "PENDING_DECISION"),
    (11, "INFORMATION_REQUESTED"), (12, "SUBMITTED"), (13, "AUTO_REJECTED"), (14, "RISK_ALERT"),
    (15, "INVESTIGATING"), (16, "DISMISSED"), (17, "ESCALATED"), (18, "PAUSED"),
    (19, "INFORMATION_UPDATED"), (20, "CREATED"),
)
STATUS_CODES = dict(STATUSES)

CASE_TYPES = ("ONBOARDING", "RISK", "APPLICATION_EDIT")

# The newest case is pinned to a fixed instant so the data never depends on today's date.
_NEWEST_MS = int(datetime(2025, 6, 30, 18, 0, tzinfo=timezone.utc).timestamp() * 1000)
_SPAN_MS = 730 * 24 * 3600 * 1000

HOSTILE_BUSINESS = "<b>Bold &amp; Sons</b><script>alert(1)</script>"
HOSTILE_FIRST = "Zoë 🩺"
HOSTILE_LAST = "\u05e9\u05dc\u05d5\u05dd\u202eevil"  # Hebrew letters then a right-to-left override

DETAIL_CACHE_SIZE = 64
#: Generated list records kept for later pages (about 1.5 KB each).
RECORD_MEMO = 20_000


class DemoData:
    """The synthetic dataset: list records by index, detail documents by case id or email."""

    SPECIAL = SPECIAL

    def __init__(self, cases: int = 50, seed: int = 1, large_attachment_bytes: int = 0) -> None:
        if cases < 0:
            raise ValueError("cases must be >= 0")
        self.cases = cases
        self.seed = seed
        self.large_attachment_bytes = large_attachment_bytes
        self.customer_id = make_uuid("customer", seed)
        self._step_ms = max(1000, _SPAN_MS // max(cases, 1))
        self._lock = threading.Lock()
        self._ids: list[str] | None = None
        self._index_by_id: dict[str, int] | None = None
        self._index_by_email: dict[str, int] | None = None
        self._column_cache: dict[str, list[Any]] = {}
        self._memo: dict[str, Any] = {}
        self._records: dict[int, dict[str, Any]] = {}  # generated list records (see list_record)
        self._details: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._attachments: dict[str, tuple[FileSpec, str]] = {}
        #: Changes "made on the service" since start (demo knob, see demo/edits.py).
        self.edits = CaseEdits()

    # --- per-index attributes (cheap, no caching needed) ---------------------------------------

    def _digest(self, index: int) -> bytes:
        return hashlib.blake2b(f"{self.seed}:{index}".encode(), digest_size=16).digest()

    def case_id(self, index: int) -> str:
        return make_uuid("case", self.seed, index)

    def created_ms(self, index: int) -> int:
        d = self._digest(index)
        jitter = int.from_bytes(d[7:10], "big") % self._step_ms
        return _NEWEST_MS - index * self._step_ms - jitter

    def status_id(self, index: int) -> int:
        if index == SPECIAL["rich"]:
            return 4  # UNDER_MANUAL_REVIEW: a label with spaces on the first row
        return 1 + self._digest(index)[0] % len(STATUSES)

    def person(self, index: int) -> tuple[str, str]:
        """The applicant's (first, last) name; the detail service's submitter is the same person."""
        if index == SPECIAL["hostile"]:
            return HOSTILE_FIRST, HOSTILE_LAST
        d = self._digest(index)
        return words.FIRST_NAMES[d[1] % len(words.FIRST_NAMES)], words.LAST_NAMES[
            d[2] % len(words.LAST_NAMES)
        ]

    def applicant_hidden(self, index: int) -> bool:
        """Whether the list record shows ``applicant: {}`` (the real service does this)."""
        return index > SPECIAL["sparse"] and self._digest(index)[3] % 11 == 0

    def business_name(self, index: int) -> str:
        if index == SPECIAL["hostile"]:
            return HOSTILE_BUSINESS
        d = self._digest(index)
        parts = [
            words.BUSINESS_ADJECTIVES[d[4] % len(words.BUSINESS_ADJECTIVES)],
            words.BUSINESS_NOUNS[d[5] % len(words.BUSINESS_NOUNS)],
            words.BUSINESS_SUFFIXES[d[6] % len(words.BUSINESS_SUFFIXES)],
        ]
        return " ".join(p for p in parts if p)

    def email(self, index: int) -> str:
        """The submitter email: unique per case because it carries the index."""
        if index == SPECIAL["hostile"]:
            return f"hostile.case{index}@example.test"
        first, last = self.person(index)
        domain = "example.test" if index % 2 == 0 else "example.org"
        return f"{first.lower()}.{last.lower()}{index}@{domain}"

    def has_detail(self, index: int) -> bool:
        return index % DETAIL_MISSING_EVERY != DETAIL_MISSING_EVERY - 1

    def list_record(self, index: int) -> dict[str, Any]:
        """The list service's record for one case, with the fields the seed omits (a fresh copy:
        callers may change it). The first ``RECORD_MEMO`` generated are kept, so listing pages
        again costs a copy, not the uuids and digests (70% of the demo's time for a list page)."""
        base = self._records.get(index)
        if base is None:
            base = self._base_record(index)
            if len(self._records) < RECORD_MEMO:
                self._records[index] = base
        # One level deep is all of it: the nested objects (applicant, status, assignee) hold scalars.
        record = {key: dict(value) if isinstance(value, dict) else value for key, value in base.items()}
        return self.edits.apply_record(index, record)

    def _base_record(self, index: int) -> dict[str, Any]:
        if not 0 <= index < self.cases:
            raise IndexError(index)
        d = self._digest(index)
        status_id = self.status_id(index)
        code = STATUS_CODES[status_id]
        label = code.replace("_", " ")
        first, last = self.person(index)
        applicant = {} if self.applicant_hidden(index) else {"first_name": first, "last_name": last}
        assignee = None
        sparse = index == SPECIAL["sparse"]
        if d[11] % 4 and not sparse:
            a_first = words.FIRST_NAMES[d[13] % len(words.FIRST_NAMES)]
            a_last = words.LAST_NAMES[d[14] % len(words.LAST_NAMES)]
            assignee = {"id": make_uuid("assignee", d[13], d[14]), "first_name": a_first,
                        "last_name": a_last}
        name = self.business_name(index)
        return {
            "id": self.case_id(index),
            "applicant_id": make_uuid("applicant", self.seed, index),
            "created_at": iso_ms(self.created_ms(index)),
            "business_name": name,
            "status_label": label,
            "applicant": applicant,
            "status": {"id": status_id, "code": code, "label": label},
            "case_type": CASE_TYPES[d[10] % len(CASE_TYPES)],
            "assignee": assignee,
            "business_id": make_uuid("business", self.seed, index),
            "dba_name": None if d[12] % 3 == 0 or sparse else name.split(" ")[0] + " Trading",
        }

    # --- whole-dataset columns (built once, on demand) -----------------------------------------

    def column(self, name: str) -> list[Any]:
        """A per-index column for filtering/sorting: status, created, business, first, last, id."""
        with self._lock:
            cached = self._column_cache.get(name)
        if cached is not None:
            return cached
        producers: dict[str, Callable[[int], Any]] = {
            "status": self.status_id,
            "created": self.created_ms,
            "business": self.business_name,
            "first": lambda i: "" if self.applicant_hidden(i) else self.person(i)[0],
            "last": lambda i: "" if self.applicant_hidden(i) else self.person(i)[1],
            "id": self.case_id,
        }
        values = [producers[name](i) for i in range(self.cases)]
        with self._lock:
            self._column_cache.setdefault(name, values)
            return self._column_cache[name]

    def memo(self, key: str, factory: Callable[[], Any]) -> Any:
        """A derived whole-dataset value computed once (e.g. the name sort order)."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = factory()
        with self._lock:
            return self._memo.setdefault(key, value)

    def case_ids(self) -> list[str]:
        """All case ids in index order (= the default list order, newest first)."""
        return list(self.column("id"))

    def index_of(self, case_id: str) -> int | None:
        if self._index_by_id is None:
            mapping = {cid: i for i, cid in enumerate(self.column("id"))}
            with self._lock:
                self._index_by_id = mapping
        return self._index_by_id.get(case_id.strip().lower())

    def index_of_email(self, email: str) -> int | None:
        if self._index_by_email is None:
            mapping = {self.email(i).lower(): i for i in range(self.cases)}
            with self._lock:
                self._index_by_email = mapping
        return self._index_by_email.get(email.strip().lower())

    # --- detail documents ------------------------------------------------------------------------

    def detail_index(self, case_id: str | None = None, email: str | None = None) -> int | None:
        """The index of the case the detail service knows by id (preferred) or submitter email."""
        index = None
        if case_id:
            index = self.index_of(case_id)
        elif email:
            index = self.index_of_email(email)
        if index is None or not self.has_detail(index):
            return None
        return index

    def _skeleton(self, index: int) -> dict[str, Any]:
        """The cached detail document without attachment ``content``/``url`` (added per request)."""
        with self._lock:
            doc = self._details.get(index)
            if doc is not None:
                self._details.move_to_end(index)
                return doc
        built = build_detail(self, index)
        with self._lock:
            for att_id, spec, file_name in built.files:
                self._attachments[att_id] = (spec, file_name)
            self._details[index] = built.doc
            while len(self._details) > DETAIL_CACHE_SIZE:
                self._details.popitem(last=False)
        return built.doc

    def detail(
        self,
        case_id: str | None = None,
        *,
        email: str | None = None,
        include_attachments: bool = True,
        include_calendar_events: bool = True,
        include_orders: bool = True,
        include_case_products: bool = True,
        document_format: str = "base64",
        url_for: Callable[[str, str], str] | None = None,
    ) -> dict[str, Any] | None:
        """The ``caseDetail`` object as the detail service serves it, or None when unknown.

        Comment and note attachments are always listed; their ``content``/``url`` (and the
        top-level ``attachments`` list) come only with ``include_attachments``. ``url_for(id,
        file_name)`` makes signed URLs for ``document_format="url"``.
        """
        index = self.detail_index(case_id, email)
        if index is None:
            return None
        doc = self.edits.apply_detail(index, copy.deepcopy(self._skeleton(index)))
        if not include_attachments:
            doc.pop("attachments", None)
        if not include_calendar_events:
            doc.pop("calendarEvents", None)
        if not include_orders:
            doc.pop("orders", None)
        if not include_case_products:
            doc.pop("caseProducts", None)
        if include_attachments:
            holders = [doc.get("attachments", [])]
            holders += [c["attachments"] for c in doc["comments"] + doc["notes"]]
            for attachments in holders:
                for att in attachments:
                    spec, name = self._attachments[att["id"]]
                    if document_format == "url":
                        if url_for is None:
                            raise ValueError("document_format='url' needs url_for")
                        att["url"] = url_for(att["id"], name)
                    else:
                        att["content"] = _b64(spec)
        return doc

    def attachment(self, attachment_id: str) -> tuple[FileSpec, str] | None:
        """The file spec and name of an attachment some served detail document listed."""
        with self._lock:
            return self._attachments.get(attachment_id)

    def attachment_bytes(self, attachment_id: str) -> bytes | None:
        """The bytes of an attachment some served detail document listed (None if unknown)."""
        found = self.attachment(attachment_id)
        return render(found[0]) if found else None


@functools.lru_cache(maxsize=16)
def _b64(spec: FileSpec) -> str:
    return base64.b64encode(render(spec)).decode("ascii")
