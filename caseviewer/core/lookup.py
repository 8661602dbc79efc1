"""What a reviewer typed to find a case (Ctrl+L, ``caseviewer show``): a case ID, a short ID or an email.

``CaseRepository.open_reference`` opens each kind its own way; short IDs are found only among the
cases seen in this run and the offline cache (the services cannot search by them).
"""

from __future__ import annotations

import enum
import re

#: A short ID as the detail service shows it in every header ("CV-000005"): letters, '-', digits.
_SHORT_ID = re.compile(r"^[A-Za-z]{1,10}-\d{1,12}$")


class LookupKind(enum.Enum):
    """What a reviewer typed to find a case (Ctrl+L, ``caseviewer show``)."""

    CASE_ID = "case id"
    SHORT_ID = "short id"
    EMAIL = "email"


def lookup_kind(text: str) -> LookupKind:
    """Email when it has an ``@``, short ID when it looks like ``CV-000005``, else a case ID."""
    text = text.strip()
    if "@" in text:
        return LookupKind.EMAIL
    return LookupKind.SHORT_ID if _SHORT_ID.match(text) else LookupKind.CASE_ID


def short_id_not_found(short_id: str) -> str:
    return (
        f"No case with the short ID {short_id} is known on this computer. Short IDs are found only "
        "among cases opened here or kept offline (the services cannot search by them): search the "
        "list by name, open the case by its ID or submitter email, or use File > Make available "
        "offline… (\"caseviewer sync\") so that any short ID can be found."
    )


__all__ = ["LookupKind", "lookup_kind", "short_id_not_found"]
