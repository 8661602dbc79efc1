"""Privacy mode: what counts as PHI on screen, and the masked text shown instead.

One decision point for every widget. Two ways in, both answered here:

* **By field kind** (``mask_field``): a value the caller knows the kind of — the table's applicant
  column is a ``NAME`` — is replaced by ``MASK`` when its kind is PHI.
* **By value** (``mask_text``): the case being shown contributes its PHI values (``case_terms``:
  names, date of birth, address, phone, email, the free text of comments and notes); any text a
  widget is about to show has each of them replaced by ``MASK``, wherever it appears — a form
  field, a card title, a tooltip, a table cell, a timeline line that quotes a comment. This is how
  the rendering helpers (``ui/detail/widgets.text_label``, ``LongText``, table cells, the header)
  mask without knowing what they show.

The mask is active while privacy mode is on, and also while the window is locked (``locked``), so
anything rendered behind the lock screen by background work is masked too. A ``reveal``
lifts masking for one text (the UI reveals one field for five seconds).

State is process-wide (``MASK_STATE``): there is one screen and one reviewer.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from enum import Enum
from typing import Any

MASK = "••••"
#: Shorter values (initials, "NY") would mask unrelated text all over the screen.
MIN_TERM_CHARS = 3


class FieldKind(str, Enum):
    NAME = "name"
    DATE_OF_BIRTH = "date_of_birth"
    ADDRESS = "address"
    PHONE = "phone"
    EMAIL = "email"
    FREE_TEXT = "free_text"  # comments, notes
    OTHER = "other"  # ids, statuses, dates of the case: shown as they are


PHI_KINDS = frozenset(kind for kind in FieldKind if kind is not FieldKind.OTHER)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _person_terms(person: Any, *, contact: bool) -> Iterable[tuple[FieldKind, str]]:
    if person is None:
        return
    first, last = _text(getattr(person, "first_name", None)), _text(getattr(person, "last_name", None))
    yield FieldKind.NAME, first
    yield FieldKind.NAME, last
    yield FieldKind.NAME, " ".join(p for p in (first, last) if p)
    if not contact:
        return
    yield FieldKind.EMAIL, _text(getattr(person, "email", None))
    yield FieldKind.DATE_OF_BIRTH, _text(getattr(person, "dob", None))
    yield FieldKind.PHONE, _text(getattr(person, "phone_number", None))
    for key in ("address", "address2"):
        yield FieldKind.ADDRESS, _text(getattr(person, key, None))


def case_terms(detail: Any, record: Any = None) -> set[str]:
    """The PHI strings of one case (a ``CaseDetail`` and/or its ``CaseRecord``)."""
    found: list[tuple[FieldKind, str]] = []
    if detail is not None:
        found += _person_terms(getattr(detail, "submitter", None), contact=True)
        # Comment and note text is not a term: a megabyte comment would make every pattern huge
        # (seconds per case, gigabytes per session). Its widgets mask it whole by kind instead
        # (``mask_field(FieldKind.FREE_TEXT, ...)``).
    if record is not None:
        found += _person_terms(getattr(record, "applicant", None), contact=False)
    return {value for kind, value in found if kind in PHI_KINDS and len(value) >= MIN_TERM_CHARS}


class PrivacyMask:
    """Whether masking is on, and the PHI strings of what is on screen. Thread-safe."""

    def __init__(self) -> None:
        self.enabled = False  # privacy mode, chosen by the reviewer
        self.locked = False  # the lock screen is up
        self._terms: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    @property
    def active(self) -> bool:
        return self.enabled or self.locked

    def add_terms(self, terms: Iterable[str]) -> None:
        """Remember more PHI strings (the cases shown this session; never written anywhere)."""
        with self._lock:
            before = len(self._terms)
            self._terms.update(t for t in terms if isinstance(t, str) and len(t.strip()) >= MIN_TERM_CHARS)
            if len(self._terms) != before:
                self._pattern = None  # built when first needed (only while masking is on)

    def forget_terms(self) -> None:
        with self._lock:
            self._terms.clear()
            self._pattern = None

    def mask_field(self, kind: FieldKind, value: str | None) -> str | None:
        if not self.active or not value or kind not in PHI_KINDS:
            return value
        return MASK

    def mask_text(self, text: str) -> str:
        """``text`` with every known PHI string replaced by ``MASK`` (unchanged when inactive)."""
        if not self.active or not text:
            return text
        pattern = self._compiled()
        return pattern.sub(MASK, text) if pattern is not None else text

    def _compiled(self) -> re.Pattern[str] | None:
        with self._lock:
            if self._pattern is None and self._terms:
                # Longest first, so "Jane Doe" is masked as one, not as "Jane" + " " + "Doe".
                ordered = sorted(self._terms, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(t) for t in ordered), re.IGNORECASE)
            return self._pattern


MASK_STATE = PrivacyMask()


def mask_text(text: str) -> str:
    return MASK_STATE.mask_text(text)


def mask_field(kind: FieldKind, value: str | None) -> str | None:
    return MASK_STATE.mask_field(kind, value)


__all__ = ["FieldKind", "MASK", "MASK_STATE", "PHI_KINDS", "PrivacyMask", "case_terms", "mask_field", "mask_text"]
