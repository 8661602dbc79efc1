"""The codes the detail document's fields take, and the hostile text the hostile case carries in its free text."""

from __future__ import annotations

CASE_STATUSES = ("OPEN", "ASSIGNED", "IN_PROGRESS", "APPROVED", "REJECTED", "NO_DECISION",
                 "ABANDONED")
CLOSED = {"APPROVED", "REJECTED", "NO_DECISION", "ABANDONED"}
VISIT_TYPES = ("NO_SHOW", "ASYNC_TEXT_EMAIL", "SYNC_VIDEO", "SYNC_PHONE", "ORDER_FORM")
ACTIVITY_TYPES = ("CREATE_CASE", "ASSIGN_CASE", "UPDATE_STATUS", "ADD_COMMENT", "ADD_NOTE",
                  "UPLOAD_ATTACHMENT", "ADD_DECISION", "CREATE_PAYMENT")
#: A pasted reference with nowhere a line may break, longer than the narrowest case page is wide.
HOSTILE_TOKEN = "ref" + "5f2b9c0e71d84a36" * 8
HOSTILE_TEXT = "<b>bold</b><script>alert(1)</script> &amp; <img src=x onerror=alert(2)> " + HOSTILE_TOKEN
