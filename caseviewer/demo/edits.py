"""A demo knob that changes a case on the service, so "updated since you looked" can be seen.

``svc.data.edits.change(svc.data.index_of(case_id))`` makes the detail service answer, from then on, with that case's first comment
reworded, one more shipping log on its first order and a new status, exactly as if a colleague had
worked on it. The list record's status follows (list status ``INFORMATION_UPDATED``). Edits stack:
each call adds one more round of changes. ``reset()`` forgets them.

The edits are applied to a copy of the generated document on every request (the generated data
stays deterministic), so the list and detail generators need only one small hook each.
"""

from __future__ import annotations

import threading
from typing import Any

#: The status a changed case moves to on the detail service, then back and forth.
_DETAIL_STATUSES = ("APPROVED", "IN_PROGRESS", "REJECTED")
#: The list status of a changed case (id, code).
LIST_STATUS = (19, "INFORMATION_UPDATED")


class CaseEdits:
    """Per case index, how many rounds of changes the service has made to it. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rounds: dict[int, int] = {}

    def change(self, index: int) -> int:
        """One more round of changes to case ``index``; returns how many it has had."""
        with self._lock:
            self._rounds[index] = self._rounds.get(index, 0) + 1
            return self._rounds[index]

    def reset(self) -> None:
        with self._lock:
            self._rounds.clear()

    def rounds(self, index: int) -> int:
        with self._lock:
            return self._rounds.get(index, 0)

    def apply_detail(self, index: int, doc: dict[str, Any]) -> dict[str, Any]:
        """``doc`` (a private copy) with the changes of case ``index`` applied."""
        rounds = self.rounds(index)
        if not rounds:
            return doc
        comments = doc.get("comments") or []
        if comments:
            comments[0]["text"] = f"{comments[0].get('text', '')} (edited, revision {rounds})"
        orders = doc.get("orders") or []
        if orders:
            logs = orders[0].setdefault("shippingLogs", [])
            for k in range(rounds):
                logs.append({"statusUpdatedAt": f"2025-07-{1 + k:02d}", "location": "Sorting centre",
                             "message": "Package rerouted", "status": "IN_TRANSIT"})
        # Always a status other than the generated one, so every round is a visible change.
        choices = [status for status in _DETAIL_STATUSES if status != doc.get("status")]
        doc["status"] = choices[(rounds - 1) % len(choices)]
        return doc

    def apply_record(self, index: int, record: dict[str, Any]) -> dict[str, Any]:
        if self.rounds(index):
            status_id, code = LIST_STATUS
            label = code.replace("_", " ")
            record["status"] = {"id": status_id, "code": code, "label": label}
            record["status_label"] = label
        return record
