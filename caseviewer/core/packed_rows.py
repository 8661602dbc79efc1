"""Case list records packed small, for a table that may hold 100,000 of them.

A parsed ``CaseRecord`` costs about 4 KB of Python objects (three pydantic models, their dicts
and field sets) and every one is tracked by the garbage collector: 100,000 of them weighed about
400 MB, a full GC pass over them took 450 ms and dropping them on a re-sort took 200 ms, all on
the GUI thread. Packed, a row is its compact JSON as ``bytes`` (about 550 bytes) plus its id: no
GC tracking and a near-free release. A row is parsed back into a ``CaseRecord`` only when it is
shown or selected, which is a few microseconds.

Packing runs on the worker that fetched the page, never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from caseviewer.core.models import CaseRecord


@dataclass(frozen=True, slots=True)
class PackedRows:
    """Parallel lists: ``ids[i]`` is the id of the record packed in ``blobs[i]``."""

    ids: list[str | None]
    blobs: list[bytes]

    def __len__(self) -> int:
        return len(self.blobs)


def pack_record(record: CaseRecord) -> bytes:
    """The record as compact JSON; unknown fields the service sent are kept."""
    return record.model_dump_json().encode()


def pack_records(records: Iterable[CaseRecord]) -> PackedRows:
    ids: list[str | None] = []
    blobs: list[bytes] = []
    for record in records:
        ids.append(record.id)
        blobs.append(pack_record(record))
    return PackedRows(ids, blobs)


def unpack_record(blob: bytes) -> CaseRecord:
    """A packed row back as a record (a new object on every call)."""
    return CaseRecord.model_validate_json(blob)


__all__ = ["PackedRows", "pack_record", "pack_records", "unpack_record"]
