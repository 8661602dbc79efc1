"""One status vocabulary: which *tone* a status code, a decision or a flag has, and its words.

Twenty list statuses are too many colours to learn, so they fold into six tones (approved,
rejected, needs review, in progress, inactive, risk). The list service's codes, the detail
service's case status, a decision's outcome and the glance's flags are all decided here, once;
the UI only maps a tone to the theme's colours and shape (``ui/theme.py``, ``ui/case_list/status_chip.py``).
Codes are the key (labels vary); an unknown code gets the neutral tone rather than failing.

No Qt here: a tone is a word and a symbol, never a colour.
"""

from __future__ import annotations

import enum

from caseviewer.core.text import humanise_code


class StatusTone(str, enum.Enum):
    """How a status reads at a glance. The value is the stable key (themes, settings, tests)."""

    APPROVED = "approved"
    REJECTED = "rejected"
    REVIEW = "review"
    ACTIVE = "active"
    INACTIVE = "inactive"
    RISK = "risk"

    @property
    def label(self) -> str:
        """The tone's name as a reviewer reads it ("Needs review")."""
        return _LABELS[self]

    @property
    def symbol(self) -> str:
        """A shape that tells the tone without colour, for text that cannot draw one."""
        return _SYMBOLS[self]


_LABELS = {
    StatusTone.APPROVED: "Approved",
    StatusTone.REJECTED: "Rejected",
    StatusTone.REVIEW: "Needs review",
    StatusTone.ACTIVE: "In progress",
    StatusTone.INACTIVE: "Inactive",
    StatusTone.RISK: "Risk",
}

# Colour is never the only sign (WCAG 1.4.1): each tone also has a shape. The chips draw the same
# shapes (ui/case_list/status_chip.py, ``paint_tone_mark``); these characters are for plain text.
_SYMBOLS = {
    StatusTone.APPROVED: "✓",
    StatusTone.REJECTED: "✕",
    StatusTone.REVIEW: "!",
    StatusTone.ACTIVE: "●",
    StatusTone.INACTIVE: "○",
    StatusTone.RISK: "▲",
}

#: The tones in the order menus and legends list them.
TONES: tuple[StatusTone, ...] = tuple(StatusTone)

_LIST_STATUS_TONES: dict[str, StatusTone] = {
    "MANUALLY_APPROVED": StatusTone.APPROVED,
    "AUTO_APPROVED": StatusTone.APPROVED,
    "MANUALLY_REJECTED": StatusTone.REJECTED,
    "AUTO_REJECTED": StatusTone.REJECTED,
    "UNDER_MANUAL_REVIEW": StatusTone.REVIEW,
    "PENDING_DECISION": StatusTone.REVIEW,
    "SCORE_CALCULATED": StatusTone.REVIEW,
    "SUBMITTED": StatusTone.REVIEW,
    "INFORMATION_REQUESTED": StatusTone.REVIEW,
    "INFORMATION_UPDATED": StatusTone.REVIEW,
    "INVITED": StatusTone.ACTIVE,
    "ONBOARDING": StatusTone.ACTIVE,
    "CREATED": StatusTone.ACTIVE,
    "INVITE_EXPIRED": StatusTone.INACTIVE,
    "ARCHIVED": StatusTone.INACTIVE,
    "DISMISSED": StatusTone.INACTIVE,
    "PAUSED": StatusTone.INACTIVE,
    "RISK_ALERT": StatusTone.RISK,
    "INVESTIGATING": StatusTone.RISK,
    "ESCALATED": StatusTone.RISK,
}

#: The detail service's case statuses, folded into the same tones.
_CASE_STATUS_TONES: dict[str, StatusTone] = {
    "APPROVED": StatusTone.APPROVED,
    "REJECTED": StatusTone.REJECTED,
    "OPEN": StatusTone.REVIEW,
    "ASSIGNED": StatusTone.ACTIVE,
    "IN_PROGRESS": StatusTone.ACTIVE,
    "NO_DECISION": StatusTone.INACTIVE,
    "ABANDONED": StatusTone.INACTIVE,
}

#: A decision's outcome (``Decision.outcome``); anything else still needs a look.
_OUTCOME_TONES: dict[str, StatusTone] = {
    "Approved": StatusTone.APPROVED,
    "Rejected": StatusTone.REJECTED,
    "No decision": StatusTone.INACTIVE,
}

#: The glance's flags (``core/glance.py``): escalation is a warning, archiving is rest.
_FLAG_TONES: dict[str, StatusTone] = {"Escalated": StatusTone.REJECTED, "Archived": StatusTone.INACTIVE}


def list_status_tone(code: str | None) -> StatusTone:
    """The tone of a case-list status code; unknown and missing codes are inactive."""
    return _LIST_STATUS_TONES.get((code or "").upper(), StatusTone.INACTIVE)


def case_status_tone(code: str | None) -> StatusTone:
    """The tone of the detail service's case status; unknown and missing codes are inactive."""
    return _CASE_STATUS_TONES.get((code or "").upper(), StatusTone.INACTIVE)


def outcome_tone(outcome: str) -> StatusTone:
    """The tone of a decision outcome; an outcome that is not known needs review."""
    return _OUTCOME_TONES.get(outcome, StatusTone.REVIEW)


def flag_tone(flag: str) -> StatusTone:
    """The tone of a glance flag; any other flag reads as in progress."""
    return _FLAG_TONES.get(flag, StatusTone.ACTIVE)


def pretty_status(code: str | None) -> str:
    """``UNDER_MANUAL_REVIEW`` -> "Under manual review"; empty codes read "Unknown"."""
    return humanise_code(code, missing="Unknown")


__all__ = [
    "StatusTone",
    "TONES",
    "case_status_tone",
    "flag_tone",
    "list_status_tone",
    "outcome_tone",
    "pretty_status",
]
