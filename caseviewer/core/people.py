"""The people a case knows, by id: so bare user ids (``closedBy``, ``inProgressBy``) read as names.

The detail document names users in many places (assignee, clinicians, comment authors, uploaders,
payment creators, respondents) but refers to some only by id. ``known_users`` gathers every user
object of the case once; ``user_text`` words an id as the person's name when the case knows them,
else says plainly that the id is all there is.
"""

from __future__ import annotations

from typing import Any

from caseviewer.core.models import CaseDetail
from caseviewer.core.text import full_name


def known_users(detail: CaseDetail) -> dict[str, Any]:
    """Every user object in the case by id (the first one seen with a name wins)."""
    found: dict[str, Any] = {}

    def add(user: Any) -> None:
        uid = getattr(user, "id", None) if user is not None else None
        if uid and (uid not in found or (not full_name(found[uid]) and full_name(user))):
            found[uid] = user

    for user in (detail.assigned_to, detail.assigned_by, detail.hr_rep, detail.submitter):
        add(user)
    for link in detail.assignees:
        add(link.assignee)
    for decision in detail.decisions:
        add(decision.added_by)
    for _kind, thread in detail.threads():
        for comment in thread:
            add(comment.author)
    for _, attachment in detail.all_attachments():
        add(attachment.uploaded_by)
    for payment in detail.payments:
        add(payment.created_by)
    for response in detail.responses:
        for answer in response.responses:
            add(answer.respondent)
    return found


def name_for(user_id: str | None, users: dict[str, Any]) -> str | None:
    """The name of the user with ``user_id`` when the case knows it, else None."""
    if not user_id:
        return None
    user = users.get(user_id)
    name = full_name(user) if user is not None else ""
    return name or None


#: Who a user id is when the case does not name them (within a sentence: "… by a user not named …").
UNNAMED_USER = "a user not named in this case"


def user_text(user_id: str | None, users: dict[str, Any], *, in_sentence: bool = False) -> str | None:
    """A bare user id as a reviewer reads it: the name, else "A user not named in this case"
    (lower case ``in_sentence``: "Case closed by a user not named in this case")."""
    if not user_id:
        return None
    unnamed = UNNAMED_USER if in_sentence else UNNAMED_USER[:1].upper() + UNNAMED_USER[1:]
    return name_for(user_id, users) or unnamed


def list_extras(record: Any) -> tuple[str | None, str, str]:
    """The list record's fields beyond its document: ``case_type`` (a code), the ``assignee``
    object's name and ``dba_name`` (the trading name)."""
    extra = getattr(record, "extra_fields", None) or {}
    case_type = extra.get("case_type")
    assignee = extra.get("assignee")
    name = full_name(assignee) if isinstance(assignee, dict) else ""
    dba = extra.get("dba_name")
    return (case_type if isinstance(case_type, str) and case_type.strip() else None, name,
            dba if isinstance(dba, str) else "")


__all__ = ["UNNAMED_USER", "known_users", "list_extras", "name_for", "user_text"]
