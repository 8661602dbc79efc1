"""Case list records packed small, for a table that may hold 100,000 of them.

A parsed ``CaseRecord`` costs about 4 KB of Python objects (three pydantic models, their dicts
and field sets) and every one is tracked by the garbage collector: 100,000 of them weighed about
400 MB, a full GC pass over them took 450 ms and dropping them on a re-sort took 200 ms, all on
the GUI thread. Packed, a row is its compact JSON as ``bytes`` (about 550 bytes): no GC tracking
and a near-free release. A row is parsed back into a ``CaseRecord`` only when it is shown or
selected, which is a few microseconds.

Held for long, one ``bytes`` per row still cost 55 MB for 100,000 rows, most of it the same keys
and values again and again. ``PackedBlock`` keeps a whole page of rows as one zlib stream (the
rows of a page share their keys, statuses, names of assignees; the ids and dates do not
compress: about 4x smaller, 12 MB for 100,000 demo rows) plus where each row ends; ``RowBlocks`` is the table's list of them, with the last few blocks read kept
decompressed so drawing neighbouring rows decompresses a page once.

What zlib packs worst is UUIDs: a demo row carries four (its id, the applicant's, the business's,
the assignee's), 36 hex characters of which each costs ~19 bytes compressed, 60 % of a packed
row. A block takes every canonical lowercase UUID out of its rows before compressing (a ``\\x00``
marks where each was, a byte compact JSON never holds) and keeps them as 16 raw bytes each
beside the stream: a page 26 % smaller (63.8 -> 47.0 KB per 500 demo rows). A row read back gets
them put back as they were, byte for byte.

Packing and compressing run on the worker that fetched the page, never on the GUI thread.
"""

from __future__ import annotations

import re
import zlib
from array import array
from binascii import hexlify, unhexlify
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from caseviewer.core.models import CaseRecord

#: zlib level: 6 packs a 500-row demo page (250 KB) 4.0x in ~4 ms on a worker, 1 packs it 3.4x in
#: ~2 ms; either decompresses in under 1 ms.
_LEVEL = 6
#: Decompressed blocks kept: a screenful spans one or two pages; paging forward touches the last.
_OPEN_BLOCKS = 4


#: A UUID as the service writes one (``str(uuid4())``); other spellings stay in the text.
_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
#: Where a UUID was taken out. Compact JSON escapes every control character, so it never holds
#: one; a block whose rows do (not JSON, or not ours) keeps its UUIDs in the text.
_MARK = b"\x00"


def _dashed(raw: bytes) -> bytes:
    """16 raw bytes back as the 36 characters of a canonical lowercase UUID."""
    h = hexlify(raw)
    return b"-".join((h[:8], h[8:12], h[12:16], h[16:20], h[20:]))


class PackedBlock:
    """Rows packed as one compressed stream; ``rows()[i]`` is row ``i``'s compact JSON.

    ``_uuids`` holds the UUIDs taken out of the rows, 16 bytes each, in order; ``_firsts[i]`` is
    the index of row ``i``'s first one (empty when none were taken out).
    """

    __slots__ = ("_data", "_ends", "_uuids", "_firsts")

    def __init__(self, blobs: Sequence[bytes]) -> None:
        uuids = bytearray()
        firsts: list[int] = []
        texts: Sequence[bytes] = blobs
        if not any(_MARK in blob for blob in blobs):
            texts = []
            for blob in blobs:
                firsts.append(len(uuids) >> 4)
                found = _UUID.findall(blob)
                if found:
                    uuids += unhexlify(b"".join(found).replace(b"-", b""))
                    blob = _UUID.sub(_MARK, blob)
                texts.append(blob)
        self._ends = array("I", accumulate(map(len, texts)))
        self._data = zlib.compress(b"".join(texts), _LEVEL)
        self._uuids = bytes(uuids)
        self._firsts = array("H" if len(uuids) >> 4 < 1 << 16 else "I", firsts) if uuids else array("H")

    def __len__(self) -> int:
        return len(self._ends)

    @property
    def nbytes(self) -> int:
        """What the block holds on to (compressed stream, row ends, the UUIDs taken out)."""
        return (len(self._data) + self._ends.itemsize * len(self._ends) + len(self._uuids)
                + self._firsts.itemsize * len(self._firsts))

    def raw(self) -> bytes:
        """The rows as stored (UUIDs taken out); ``row`` reads one of them back from it."""
        return zlib.decompress(self._data)

    def row(self, raw: bytes, i: int) -> bytes:
        """Row ``i`` out of ``raw`` (this block's ``raw()``), its UUIDs put back."""
        text = raw[self._ends[i - 1] if i else 0:self._ends[i]]
        if not self._firsts or _MARK not in text:
            return text
        pieces = text.split(_MARK)
        uuids, k = self._uuids, self._firsts[i] << 4
        out = [pieces[0]]
        for piece in pieces[1:]:
            out.append(_dashed(uuids[k:k + 16]))
            out.append(piece)
            k += 16
        return b"".join(out)

    def rows(self) -> list[bytes]:
        raw = self.raw()
        return [self.row(raw, i) for i in range(len(self))]


@dataclass(frozen=True, slots=True)
class PackedRows:
    """Parallel lists: ``ids[i]`` is the id of the record packed in ``blobs[i]``; ``block`` is all
    of them compressed together (made by ``pack_records`` on the worker)."""

    ids: list[str | None]
    blobs: list[bytes]
    block: PackedBlock | None = field(default=None, compare=False)

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
    return PackedRows(ids, blobs, PackedBlock(blobs) if blobs else None)


def unpack_record(blob: bytes) -> CaseRecord:
    """A packed row back as a record (a new object on every call)."""
    return CaseRecord.model_validate_json(blob)


class RowBlocks(Sequence[bytes]):
    """Rows ``0..n-1`` held as consecutive ``PackedBlock``s; rows replaced in place are kept
    apart (a record updated after it was listed) so no block is ever recompressed.

    ``snapshot()`` is a copy a worker can read while the table goes on (blocks never change).
    """

    def __init__(self, blocks: list[PackedBlock] | None = None, starts: array | None = None,
                 replaced: dict[int, bytes] | None = None) -> None:
        self._blocks: list[PackedBlock] = blocks if blocks is not None else []
        self._starts = starts if starts is not None else array("Q")  # first row of each block
        self._count = self._starts[-1] + len(self._blocks[-1]) if self._blocks else 0
        self._replaced: dict[int, bytes] = replaced if replaced is not None else {}
        self._open: OrderedDict[int, bytes] = OrderedDict()

    def __len__(self) -> int:
        return self._count

    def append(self, block: PackedBlock) -> None:
        if len(block):
            self._starts.append(self._count)
            self._blocks.append(block)
            self._count += len(block)

    def replace(self, row: int, blob: bytes) -> None:
        self._replaced[row] = blob

    def __getitem__(self, row):  # noqa: ANN001, ANN204 - Sequence's int-or-slice
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(self._count))]
        if row < 0:
            row += self._count
        if not 0 <= row < self._count:
            raise IndexError(row)
        blob = self._replaced.get(row)
        if blob is not None:
            return blob
        b = bisect_right(self._starts, row) - 1
        raw = self._open.get(b)
        if raw is None:
            raw = self._open[b] = self._blocks[b].raw()
            if len(self._open) > _OPEN_BLOCKS:
                self._open.popitem(last=False)
        else:
            self._open.move_to_end(b)
        return self._blocks[b].row(raw, row - self._starts[b])

    def __iter__(self) -> Iterator[bytes]:
        row = 0
        for block in self._blocks:
            for i, blob in enumerate(block.rows()):
                yield self._replaced.get(row + i, blob)
            row += len(block)

    def snapshot(self) -> RowBlocks:
        return RowBlocks(list(self._blocks), array("Q", self._starts), dict(self._replaced))

    @property
    def nbytes(self) -> int:
        """Bytes held (blocks, replaced rows, decompressed blocks kept open)."""
        return (sum(b.nbytes for b in self._blocks) + sum(map(len, self._replaced.values()))
                + sum(map(len, self._open.values())))


__all__ = ["PackedBlock", "PackedRows", "RowBlocks", "pack_record", "pack_records", "unpack_record"]
