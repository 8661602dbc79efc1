"""CSV export of the case list: formula neutralising, round-trips through ``csv``, ISO dates,
UTF-8 with BOM, atomic 0600 writes, and every page fetched from the real demo service."""

from __future__ import annotations

import csv
import io
import os
import stat
import threading

import pytest

from caseviewer.core import errors
from caseviewer.core.api import BearerToken, CaseApi, CaseListClient, CaseQuery
from caseviewer.core.export import writing
from caseviewer.core.export.csv_export import (
    ALL_COLUMNS,
    BOM,
    ListColumn,
    collect_records,
    iso_timestamp,
    neutralise,
    to_csv,
)
from caseviewer.core.export.list_job import export_list_csv
from caseviewer.core.models import CaseRecord
from caseviewer.core.packed_rows import pack_records
from caseviewer.core.repository import CaseRepository
from caseviewer.ui.case_list.case_table_model import CaseTableModel

pytest_plugins = ["conftest_demo"]

HOSTILE = [
    "=HYPERLINK(\"http://evil.example/\",\"click\")",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
    "\rReturn",
    "line one\nline two",
    'say "hi", then ""quote""',
    "\u05e9\u05dc\u05d5\u05dd \u202eevil right-to-left",
    "plain, with comma",
]


def record(index: int, business: str) -> CaseRecord:
    return CaseRecord.model_validate({
        "id": f"id-{index}",
        "applicant_id": f"ap-{index}",
        "created_at": "2025-06-30T18:05:00.123+02:00",
        "business_name": business,
        "status": {"id": 4, "code": "UNDER_MANUAL_REVIEW", "label": "Under manual review"},
        "applicant": {"first_name": "=cmd", "last_name": "Doe"},
    })


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_prefixes_are_neutralised(prefix):
    assert neutralise(prefix + "x") == "'" + prefix + "x"


def test_other_text_is_unchanged():
    for text in ("", "hello", " =not first", "'already", "1-2", "\u05e9="):
        assert neutralise(text) == text


def test_hostile_text_round_trips_through_csv_as_the_same_cells():
    records = [record(i, text) for i, text in enumerate(HOSTILE)]
    data = to_csv(records, ALL_COLUMNS).encoded()
    assert data.startswith(BOM.encode("utf-8"))
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert read[0] == [c.title for c in ALL_COLUMNS]
    assert len(read) == len(HOSTILE) + 1
    for text, row in zip(HOSTILE, read[1:]):
        assert row[0] == neutralise(text)
        assert row[0].lstrip("'") == text  # nothing else changed: quotes, newlines, RTL kept
        assert row[1] == "'=cmd Doe"
        assert row[2] == "Under manual review"
        assert row[3] == "2025-06-30T16:05:00Z"
    # No cell a spreadsheet would evaluate.
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in read for cell in row)


def test_the_table_and_the_csv_have_the_same_columns():
    # All but the last: the Flag column is the reviewer's own state (kept on this computer, not in
    # the list record), so a list export never carries it.
    assert CaseTableModel.COL_FLAG == len(CaseTableModel.HEADERS) - 1
    assert tuple(c.title for c in ALL_COLUMNS) == CaseTableModel.HEADERS[:CaseTableModel.COL_FLAG]


def test_dates_are_iso_and_unreadable_ones_kept_as_sent():
    assert iso_timestamp("2025-01-02T03:04:05Z") == "2025-01-02T03:04:05Z"
    assert iso_timestamp("2025-01-02T03:04:05") == "2025-01-02T03:04:05"
    assert iso_timestamp("2025-01-02") == "2025-01-02T00:00:00"
    assert iso_timestamp("soon") == "soon"
    assert iso_timestamp(None) == ""


def test_export_writes_atomically_with_mode_0600_and_is_recorded(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(writing, "export_recorders", [seen.append])
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "cases.csv"
    target.write_text("old content")
    os.chmod(target, 0o644)
    packed = pack_records([record(1, "=1+1"), record(2, "B")])
    result = export_list_csv(target, packed=packed.blobs, columns=[ListColumn.CASE_ID, ListColumn.BUSINESS])
    assert result.rows == 2
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"), newline="")))
    assert rows == [["Case ID", "Business name"], ["id-1", "'=1+1"], ["id-2", "B"]]
    assert [p.name for p in folder.iterdir()] == ["cases.csv"], "no temporary file left behind"
    assert seen and seen[0].kind is writing.ExportKind.LIST_CSV and seen[0].case_ids == ("id-1", "id-2")


def test_a_failing_recorder_never_fails_the_export(tmp_path, monkeypatch):
    def broken(_record):
        raise RuntimeError("access log down")

    monkeypatch.setattr(writing, "export_recorders", [broken])
    assert export_list_csv(tmp_path / "x.csv", packed=[]).rows == 0


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(errors.KnownError, match="does not exist"):
        export_list_csv(tmp_path / "nope" / "x.csv", packed=[])


def _repository(svc) -> CaseRepository:
    client = CaseListClient(svc.list_url, customer_id=svc.customer_id, credential=BearerToken(svc.list_token))
    return CaseRepository(CaseApi(list=client))


def test_every_page_is_collected_with_progress(demo):
    repository = _repository(demo)
    steps = []
    try:
        records = collect_records(repository.list_page, CaseQuery(items_per_page=7),
                                  progress=lambda done, total: steps.append((done, total)))
    finally:
        repository.close()
    assert len(records) == 50 and len({r.id for r in records}) == 50
    assert steps[-1] == (8, 8) and len(steps) == 8


def test_collecting_is_cancellable(demo):
    repository = _repository(demo)
    cancel = threading.Event()
    try:
        with pytest.raises(errors.Cancelled):
            collect_records(repository.list_page, CaseQuery(items_per_page=5), cancel=cancel,
                            progress=lambda done, total: cancel.set())
    finally:
        repository.close()
