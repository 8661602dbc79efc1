"""The state one case's detail document is built from, and the helpers every section builds with.

Every value comes from one ``random.Random`` seeded by ``(seed, index)``, drawn in document
order, so a case's document is the same on every run and every machine; the sections
(``clinical``, ``commerce``, ``threads``, ``document``) take this context and draw from it in
turn, and the attachments they make are collected here (``files``) for the files service.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from caseviewer.demo import words
from caseviewer.demo.files import FileSpec
from caseviewer.demo.ids import iso_ms, make_uuid

if TYPE_CHECKING:
    from caseviewer.demo.data import DemoData

EXTENSIONS = {"png": "png", "jpeg": "jpg", "pdf": "pdf", "txt": "txt", "csv": "csv",
              "json": "json"}
ALL_KINDS = ("png", "jpeg", "pdf", "txt", "csv", "json")


class CaseContext:
    """One case being built: its random stream, ids, timestamps, special-case flags and files."""

    def __init__(self, data: DemoData, index: int) -> None:
        self.data = data
        self.index = index
        self.rng = random.Random(f"detail:{data.seed}:{index}")
        self.created_ms = data.created_ms(index)
        self.counter = 0
        self.files: list[tuple[str, FileSpec, str]] = []
        self.rich = index == data.SPECIAL["rich"]
        self.hostile = index == data.SPECIAL["hostile"]
        self.huge = index == data.SPECIAL["huge"]
        self.sparse = index == data.SPECIAL["sparse"]

    def uid(self, kind: str) -> str:
        self.counter += 1
        return make_uuid(kind, self.data.seed, self.index, self.counter)

    def ts(self, after_hours: float = 0.0) -> str:
        return iso_ms(self.created_ms + int(after_hours * 3600 * 1000))

    def date(self, after_days: int) -> str:
        return self.ts(after_days * 24)[:10]

    def maybe(self, value: Any, p_null: float = 0.3) -> Any:
        return None if self.rng.random() < p_null and not self.rich else value

    def basic_user(self) -> dict[str, Any]:
        return {
            "id": self.uid("user"),
            "firstName": self.rng.choice(words.FIRST_NAMES),
            "lastName": self.rng.choice(words.LAST_NAMES),
        }

    def count(self, low: int, high: int) -> int:
        """How many items a section gets; the rich case never gets an empty section."""
        return max(1 if self.rich else 0, self.rng.randint(low, high))

    def money(self, low: int, high: int) -> str:
        return f"{self.rng.randint(low, high)}.{self.rng.choice((0, 0, 50, 99)):02d}"

    def attachment(self, kind: str, name: str | None = None, *, restricted: bool = False,
                   size: int = 0) -> dict[str, Any]:
        att_id = self.uid("attachment")
        if name is None:
            stem = self.rng.choice(("scan", "lab-results", "id-card", "intake", "notes", "export"))
            name = f"{stem}-{self.counter}.{EXTENSIONS[kind]}"
        spec = FileSpec(kind=kind, seed=self.rng.randint(0, 9), size=size)
        self.files.append((att_id, spec, name))
        uploader = self.basic_user()
        return {
            "id": att_id,
            "isRestricted": restricted,
            "isPHI": self.rng.random() < 0.5,
            "fileName": name,
            "isDeleted": False,
            "createdAt": self.ts(self.rng.uniform(1, 72)),
            "uploadedBy": uploader,
        }
