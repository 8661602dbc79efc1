"""Case ids packed, with no object per id: an interned store, a table's rows, a set.

The case table needs the id of a row (selection, triage marks) and the row of an id (a mark
changed, a record updated); the triage marks need to know which listed cases are plainly new.
Held as a list of ``str`` plus a ``dict`` of id to row, 100,000 listed cases cost about 16 MB:
8.5 MB of id strings (~85 bytes each), 7 MB of dict and row ``int``s, and a list; all of it
objects the garbage collector walks. Here:

* ``IdStore`` holds each id once and gives it a *handle* (0, 1, 2, ... in the order first seen),
  in three flat buffers and one hash table, about 3 MB for 100,000 ids:

  - each id as bytes in one ``bytearray``: a canonical lowercase UUID (what the service sends) as
    its 16 raw bytes, anything else as its UTF-8 (ids are the service's, not ours to refuse);
  - where each id ends (``array('I')``) and what it is (``array('B')``: UUID or text);
  - an open-addressing table (linear probing, ``array('i')``, -1 for empty) of handles, at most
    half full. ``reserve`` sizes it for the ids a list says it has, so growing it, which re-hashes
    every id (tens of ms at 100,000), happens only when the ids outgrow what was claimed.

* ``IdIndex`` is a table's rows: row -> handle and handle -> row, 8 bytes per row over a store
  (the handle -> row array reaches the highest handle listed: at most 4 bytes per id in the store).
* ``IdSet`` is a set of ids over a store: one bit per id the store holds.

The table and the triage marks share one store (``ui/triage/marks.py``), so the ids of 100,000
listed cases are held once, not twice (3 MB saved, measured with ``bench_app --phase memory``).
A store only grows: it holds every id any of its users added, the union of the lists shown.

An id is turned back into a ``str`` when asked for (a few hundred nanoseconds); no id is kept as
an object. All of this is the GUI thread's; nothing here is shared with a worker.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

_UUID, _TEXT = 1, 2
_MIN_SLOTS = 1024
_NO_ROW = array("i", [-1])


def _key(case_id: str) -> tuple[int, bytes]:
    """What an id is stored as: (kind, bytes). Asked for every look-up, so no regex: a canonical
    UUID is 36 characters, dashes at 8, 13, 18 and 23, 32 lowercase hex digits between."""
    if (len(case_id) == 36 and case_id[8] == "-" and case_id[13] == "-" and case_id[18] == "-"
            and case_id[23] == "-" and case_id.islower()):
        try:
            raw = bytes.fromhex(case_id.replace("-", ""))
        except ValueError:
            raw = b""
        if len(raw) == 16:  # fromhex skips spaces: a UUID with some is not canonical
            return _UUID, raw
    return _TEXT, case_id.encode("utf-8", "surrogatepass")


def _slots_for(count: int) -> int:
    slots = _MIN_SLOTS
    while slots < 2 * count:
        slots *= 2
    return slots


class IdStore:
    """Each id once, by handle; ids are only ever added (see the module's docstring)."""

    __slots__ = ("_data", "_ends", "_kinds", "_slots", "_mask")

    def __init__(self, expected: int = 0) -> None:
        self._data = bytearray()
        self._ends = array("I")
        self._kinds = array("B")
        self._resize(_slots_for(expected))

    def __len__(self) -> int:
        return len(self._kinds)

    def __getitem__(self, handle: int) -> str:
        if handle < 0:
            raise IndexError(handle)  # a handle is never negative; -1 is "none" to the callers
        kind = self._kinds[handle]
        raw = self._data[self._ends[handle - 1] if handle else 0:self._ends[handle]]
        if kind == _UUID:
            h = raw.hex()
            return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        return raw.decode("utf-8", "surrogatepass")

    @property
    def nbytes(self) -> int:
        """Bytes held by the buffers and the table."""
        return len(self._data) + self._ends.itemsize * len(self._ends) + len(self._kinds) + 4 * len(self._slots)

    def reserve(self, count: int) -> None:
        """Size the table for ``count`` ids in all, so adding them never re-hashes."""
        if _slots_for(count) > len(self._slots):
            self._resize(_slots_for(count))

    def handle_of(self, case_id: str) -> int | None:
        """The id's handle, None when the store has never been given it."""
        kind, raw = _key(case_id)
        # Through _find, not a copy of its probe inlined here: the call costs 3-10 % of a look-up
        # (0.07-0.17 of 1.4-2.4 us, paired run), and the table model keeps the last row's answer anyway.
        handle = self._slots[self._find(kind, raw, hash(raw))]
        return handle if handle >= 0 else None

    def intern(self, case_id: str) -> int:
        """The id's handle, given it now if it has none yet."""
        kind, raw = _key(case_id)
        hashed = hash(raw)
        slot = self._find(kind, raw, hashed)
        handle = self._slots[slot]
        if handle >= 0:
            return handle
        if 2 * (len(self._kinds) + 1) > len(self._slots):
            self._resize(2 * len(self._slots))
            slot = self._find(kind, raw, hashed)
        handle = len(self._kinds)
        self._slots[slot] = handle
        self._data += raw
        self._ends.append(len(self._data))
        self._kinds.append(kind)
        return handle

    def _find(self, kind: int, raw: bytes, hashed: int) -> int:
        """The slot holding the handle of (kind, raw), or the empty slot where it would go."""
        slots, mask, kinds, ends, data = self._slots, self._mask, self._kinds, self._ends, self._data
        slot = hashed & mask
        while True:
            handle = slots[slot]
            if handle < 0:
                return slot
            if kinds[handle] == kind and data[ends[handle - 1] if handle else 0:ends[handle]] == raw:
                return slot
            slot = (slot + 1) & mask

    def _resize(self, size: int) -> None:
        self._slots = array("i", [-1]) * size
        self._mask = size - 1
        slots, mask, data, ends = self._slots, self._mask, self._data, self._ends
        start = 0
        for handle in range(len(self._kinds)):
            end = ends[handle]
            slot = hash(bytes(data[start:end])) & mask
            while slots[slot] >= 0:
                slot = (slot + 1) & mask
            slots[slot] = handle
            start = end


class IdIndex:
    """Ids of rows ``0..n-1`` (``None`` for a row without one), appended in row order.

    ``store`` is where the ids are kept: one of its own unless given one to share.
    """

    __slots__ = ("store", "_handles", "_rows")

    def __init__(self, expected: int = 0, store: IdStore | None = None) -> None:
        self.store = store if store is not None else IdStore(expected)
        self._handles = array("i")  # row -> handle, -1 for a row without an id
        self._rows = array("i")  # handle -> row, -1 (or past the end) for an id not listed here
        if store is not None:
            store.reserve(expected)

    def __len__(self) -> int:
        return len(self._handles)

    def __getitem__(self, row: int) -> str | None:
        handle = self._handles[row]
        return self.store[handle] if handle >= 0 else None

    @property
    def nbytes(self) -> int:
        """Bytes held by the rows (the store's are its own: it may be shared)."""
        return 4 * (len(self._handles) + len(self._rows))

    def reserve(self, count: int) -> None:
        """Room for ``count`` ids in all, so adding them never re-hashes the store. A shared store
        may hold these ids already (the same list sorted anew): it is not asked for more."""
        self.store.reserve(max(count, len(self.store)))

    def row_of(self, case_id: str | None) -> int | None:
        if not case_id:
            return None
        handle = self.store.handle_of(case_id)
        if handle is None or handle >= len(self._rows):
            return None
        row = self._rows[handle]
        return row if row >= 0 else None

    def __iter__(self) -> Iterator[str]:
        """The ids, in row order (rows without one are skipped): a set of ids can be one of these."""
        store = self.store
        return (store[handle] for handle in self._handles if handle >= 0)

    def __contains__(self, case_id: object) -> bool:
        return isinstance(case_id, str) and self.row_of(case_id) is not None

    def add(self, case_id: str | None) -> int | None:
        """Give the next row this id; None (and nothing added) when the id has a row already.

        A row without an id (None or "") is always added: it cannot be listed twice by its id.
        """
        row = len(self._handles)
        if not case_id:
            self._handles.append(-1)
            return row
        handle = self.store.intern(case_id)
        rows = self._rows
        if handle < len(rows):
            if rows[handle] >= 0:
                return None
        else:
            rows.extend(_NO_ROW * (handle + 1 - len(rows)))
        rows[handle] = row
        self._handles.append(handle)
        return row


class IdSet:
    """A set of ids over a store (one bit per id the store holds); ids are added, never removed."""

    __slots__ = ("store", "_bits", "_count")

    def __init__(self, store: IdStore | None = None) -> None:
        self.store = store if store is not None else IdStore()
        self._bits = bytearray()
        self._count = 0

    def __len__(self) -> int:
        return self._count

    @property
    def nbytes(self) -> int:
        """Bytes held by the set (the store's are its own: it may be shared)."""
        return len(self._bits)

    def add(self, case_id: str | None) -> None:
        if not case_id:
            return  # no id: nothing a look-up could find
        handle = self.store.intern(case_id)
        byte, bit = handle >> 3, 1 << (handle & 7)
        if byte >= len(self._bits):
            # Grown for the whole store at once: the ids a list adds are mostly new to it too.
            self._bits.extend(bytes(max(byte + 1, (len(self.store) + 7) >> 3) - len(self._bits)))
        if not self._bits[byte] & bit:
            self._bits[byte] |= bit
            self._count += 1

    def __contains__(self, case_id: object) -> bool:
        if not isinstance(case_id, str) or not case_id:
            return False
        handle = self.store.handle_of(case_id)
        if handle is None or handle >> 3 >= len(self._bits):
            return False
        return bool(self._bits[handle >> 3] & (1 << (handle & 7)))

    def __iter__(self) -> Iterator[str]:
        store = self.store
        for byte, bits in enumerate(self._bits):
            if bits:
                for bit in range(8):
                    if bits & (1 << bit):
                        yield store[(byte << 3) | bit]


__all__ = ["IdIndex", "IdSet", "IdStore"]
