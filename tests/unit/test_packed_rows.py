"""Packed case-list rows: what the table keeps for 100,000 cases must give back the same record."""

from __future__ import annotations

import gc

from caseviewer.core.models import CaseRecord
from caseviewer.core.packed_rows import pack_record, pack_records, unpack_record


def test_a_packed_record_comes_back_equal_with_unknown_fields_kept():
    record = CaseRecord.model_validate(
        {
            "id": "c-1",
            "business_name": "Ørsted & <Sons>",
            "status": {"id": 4},
            "applicant": {"first_name": 3, "last_name": "Voss"},  # a wrong type degrades, as when parsed
            "assignee": {"id": "a-9", "first_name": "Kim"},  # a field the model does not name
            "created_at": "2025-06-30T14:41:22.505Z",
        }
    )
    back = unpack_record(pack_record(record))
    assert back == record
    assert back.status_code == "UNDER_MANUAL_REVIEW"
    assert back.applicant_name == record.applicant_name
    assert back.model_extra == {"assignee": {"id": "a-9", "first_name": "Kim"}}


def test_pack_records_keeps_order_and_ids_even_missing_ones():
    records = [CaseRecord(id="a"), CaseRecord(id=None, business_name="no id"), CaseRecord(id="c")]
    packed = pack_records(records)
    assert len(packed) == 3
    assert packed.ids == ["a", None, "c"]
    assert [unpack_record(blob).business_name for blob in packed.blobs] == [None, "no id", None]


def test_packed_rows_are_invisible_to_the_garbage_collector():
    # Why rows are packed: bytes and str are never tracked, so 100,000 rows add nothing to a GC pass.
    packed = pack_records([CaseRecord(id=str(i), business_name=f"B{i}") for i in range(10)])
    assert not any(gc.is_tracked(blob) for blob in packed.blobs)
    assert not any(gc.is_tracked(case_id) for case_id in packed.ids)


def test_row_blocks_give_back_every_row_in_order_with_replacements_and_snapshots():
    from caseviewer.core.packed_rows import RowBlocks

    pages = [pack_records([CaseRecord(id=f"{p}-{i}", business_name=f"B{p}.{i}") for i in range(n)])
             for p, n in enumerate((5, 1, 7))]
    rows = RowBlocks()
    for page in pages:
        rows.append(page.block)
    expected = [blob for page in pages for blob in page.blobs]
    assert len(rows) == 13
    assert [rows[i] for i in range(13)] == expected  # indexed
    assert list(rows) == expected  # iterated, block by block
    assert rows[-1] == expected[-1] and rows[3:7] == expected[3:7]
    before = rows.snapshot()
    rows.replace(5, pack_record(CaseRecord(id="1-0", business_name="renamed")))
    assert unpack_record(rows[5]).business_name == "renamed"
    assert unpack_record(list(rows)[5]).business_name == "renamed"
    assert list(before) == expected  # a snapshot a worker holds does not see later changes
    try:
        rows[13]
    except IndexError:
        pass
    else:
        raise AssertionError("row 13 of 13 must not exist")


def test_a_page_packed_as_a_block_is_smaller_than_its_rows():
    from caseviewer.demo.data import DemoData

    data = DemoData(600, seed=2)
    packed = pack_records([CaseRecord.model_validate(data.list_record(i)) for i in range(500)])
    assert packed.block is not None and packed.block.rows() == packed.blobs
    assert packed.block.nbytes * 3 < sum(map(len, packed.blobs))


# -- UUIDs kept apart from the compressed stream (packed_rows.PackedBlock) -----------------------

_HOSTILE = [
    "",
    "\x00",  # JSON writes it as \u0000: the block's marker byte never appears in a packed row
    "\x00\x00 9e0563c8-4136-43d1-ae92-1e8c69b681e0 \x00",
    "Zoë 🩺 שלום\u202eevil\u2066 \ufeff \u200b",
    # (no lone surrogates: core/wire.py replaces them on the way in; a record cannot dump one)
    "9E0563C8-4136-43D1-AE92-1E8C69B681E0",  # upper case: not taken out, kept as written
    "9e0563c8-4136-43d1-ae92-1e8c69b681e",  # one short
    "9e0563c8-4136-43d1-ae92-1e8c69b681e0" * 3,  # three in a row, no separator
    "x9e0563c8-4136-43d1-ae92-1e8c69b681e0y",
    "\"9e0563c8-4136-43d1-ae92-1e8c69b681e0\\\"",
    "<b>Bold &amp; Sons</b><script>alert(1)</script>",
    "界" * 50_000,  # huge
    "a" * 70_000 + "9e0563c8-4136-43d1-ae92-1e8c69b681e0",
]


def _hostile_records() -> list[CaseRecord]:
    import uuid

    records = [CaseRecord()]  # every field None
    for i, text in enumerate(_HOSTILE):
        records.append(CaseRecord.model_validate({
            "id": text if i % 2 else str(uuid.UUID(int=i)),
            "business_name": text,
            "applicant": {"first_name": text, "last_name": None},
            "assignee": {"id": str(uuid.UUID(int=10_000 + i)), "first_name": text},
            "created_at": text or None,
            "status": None,
            "dba_name": None if i % 3 else text,
        }))
    return records


def test_hostile_rows_come_back_byte_for_byte_from_blocks():
    from caseviewer.core.packed_rows import PackedBlock, RowBlocks

    records = _hostile_records()
    packed = pack_records(records)
    assert packed.block is not None
    assert packed.block.rows() == packed.blobs
    rows = RowBlocks()
    rows.append(packed.block)
    rows.append(PackedBlock(packed.blobs[3:]))
    assert [rows[i] for i in range(len(rows))] == packed.blobs + packed.blobs[3:]
    assert list(rows) == packed.blobs + packed.blobs[3:]
    for blob, record in zip(rows, records):
        assert unpack_record(blob) == record
    assert PackedBlock([]).rows() == [] and PackedBlock([b""]).rows() == [b""]


def test_rows_holding_the_marker_byte_are_kept_as_written():
    from caseviewer.core.packed_rows import PackedBlock

    blobs = [b'{"id":"9e0563c8-4136-43d1-ae92-1e8c69b681e0"}', b"\x00raw\x009e0563c8-4136-43d1-ae92-1e8c69b681e0\x00", b""]
    assert PackedBlock(blobs).rows() == blobs


def test_uuids_are_held_as_16_bytes_not_compressed_text():
    import uuid
    from caseviewer.core.packed_rows import PackedBlock

    # Rows that are nothing but UUIDs: as text, zlib holds ~19 bytes of each; taken out, 16.
    blobs = [f'{{"id":"{uuid.uuid4()}","b":"{uuid.uuid4()}"}}'.encode() for _ in range(500)]
    block = PackedBlock(blobs)
    assert block.rows() == blobs
    import zlib

    assert block.nbytes < 0.9 * len(zlib.compress(b"".join(blobs), 6))
