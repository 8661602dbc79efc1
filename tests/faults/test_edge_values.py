"""Edge values: timestamps at the ends of the calendar, and numbers no payment or id should hold.

Timestamps like ``9999-12-31T23:59:59-14:00`` are valid ISO 8601 but fall off ``datetime``'s
calendar once moved into some local zones; they must be shown (as sent, when they cannot be
converted) under every ``TZ``. The formatting runs in-process under several zones (``time.tzset``)
with hypothesis over datetimes and strings, and the real CLI runs under each zone in a child.

Amounts like ``"1e999999"`` must never be expanded digit by digit (that froze the GUI for 100+ s)
nor overflow a decimal context; they are shown as sent with a warning mark and left out of
totals. Integers beyond 64 bits (``status.id`` of 2**63) are stored in the cache and shown.
Each case goes through the real window and the real CLI against the demo's ``hostile`` knob,
and nothing already cached is lost.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QAbstractItemView, QLabel

from caseviewer.core import numbers, timestamps, wire
from caseviewer.core.api import CasePage, CaseQuery
from caseviewer.core.cache import CaseCache
from caseviewer.core.models import CaseDetail, CaseRecord
from caseviewer.core.repository import CaseRepository
from caseviewer.demo.hostile_data import EDGE_TIMESTAMPS, HUGE_AMOUNTS, HUGE_INT
from caseviewer.ui import formatting as fmt
from caseviewer.ui.case_list.row_texts import row_view
from caseviewer.ui.detail.timeline_view import AS_SENT_NOTE, UNDATED_HEADING, TimelineTab
from tests.support.cli_process import assert_clean_exit, run_cli, text
from tests.support.windows import WAIT_MS, demo_api, open_row, show_window

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

ZONES = ["Pacific/Kiritimati", "Etc/GMT+12", "Europe/Berlin", "America/Los_Angeles", "UTC"]
MORE_EDGES = [*EDGE_TIMESTAMPS, "0001-01-01T00:00:00", "9999-12-31T23:59:59", "9999-12-31",
              "0001-01-01T00:00:00.000001+23:59", "9999-12-31T23:59:59.999999-23:59",
              "2025-06-30T14:40:23.253Z", "not a date", "", "2025-13-45T99:99:99Z"]
OFFSETS = st.sampled_from([timezone(timedelta(minutes=m)) for m in (-1439, -840, -720, -1, 0, 1, 345, 720, 840, 1439)])
KEY = b"e" * 32


@pytest.fixture(params=ZONES)
def zone(request, monkeypatch):
    """The process runs in this local zone for the test (``TZ`` + ``time.tzset``)."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def assert_shown(value: str, shown: str) -> None:
    """A timestamp is shown converted (``YYYY-MM-DD HH:MM``) or exactly as sent, never lost."""
    if not value:
        assert shown == fmt.MISSING
        return
    converted = len(shown) >= 16 and shown[4] == "-" and shown[10] == " " and shown[13] == ":"
    assert converted or shown == fmt.clean(value) or shown == value.strip(), (value, shown)


# -- timestamps ----------------------------------------------------------------------------------


def test_edge_timestamps_are_shown_under_every_zone(zone):
    for value in MORE_EDGES:
        assert_shown(value, fmt.format_timestamp(value))
        assert fmt.format_timestamp(value, with_zone=True)
        assert isinstance(fmt.timestamp_sort_key(value), float)
        assert fmt.format_time_range(value, value)
        fmt.format_in_zone(value, value, "Pacific/Kiritimati")
        fmt.format_in_zone(value, value, "Etc/GMT+12")
        record = CaseRecord.model_validate({"id": "x", "created_at": value})
        assert row_view(record).texts[3] in (timestamps.format_local(value), value)
    # Past the end of the calendar in every zone (it is 10000-01-01 in UTC): shown as sent.
    assert fmt.format_timestamp("9999-12-31T23:59:59-14:00") == "9999-12-31T23:59:59-14:00"


def test_sort_keys_keep_the_calendar_order_at_the_edges(zone):
    ordered = ["0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00Z", "2025-06-30T14:40:23.253Z",
               "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-14:00"]
    keys = [fmt.timestamp_sort_key(v) for v in ordered]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert timestamps.epoch_ms("9999-12-31T23:59:59-14:00") > timestamps.epoch_ms("9999-12-31T23:59:59Z")


def test_the_timeline_shows_edge_timestamps_under_their_day_in_every_zone(qtbot, zone):
    """Each edge moment is listed under a day heading: its local day, or the day it was sent with
    (said so) when local time would fall off the calendar; the section never fails."""
    comments = [{"id": f"c{n}", "text": f"edge {n}", "createdAt": value} for n, value in enumerate(MORE_EDGES)]
    detail = CaseDetail.from_raw({"id": "edge-case", "comments": comments})
    tab = TimelineTab()
    qtbot.addWidget(tab)
    tab.set_detail(detail)
    tab.show()
    tab.ensure_rendered()
    assert not tab.has_failed()
    assert sorted(e.ref_id for e in tab.visible_events()) == sorted(c["id"] for c in comments)
    heading = None
    for row in tab.model.rows:
        if row.event is None:
            heading = row.heading
            continue
        found = timestamps.local_day(row.event.when)
        if found is None:
            assert heading == UNDATED_HEADING
            continue
        assert heading != UNDATED_HEADING, (row.event.raw, zone)
        assert f"{found.day.year:04d}" in heading or str(found.day.year) in heading, (row.event.raw, heading)
        assert (AS_SENT_NOTE in heading) == found.as_sent, (row.event.raw, heading)
    # Past the end of the calendar in every zone (10000-01-01 in UTC): under the day it was sent with.
    edge = next(r for r in tab.model.rows if r.event is not None and r.event.raw == "9999-12-31T23:59:59-14:00")
    assert "9999-12-31T23:59:59-14:00" in edge.when_text
    tab.grab()  # the delegate paints every kind of row


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moment=st.datetimes(min_value=datetime.min, max_value=datetime.max, timezones=st.none() | OFFSETS))
def test_any_moment_has_a_day(zone, moment):
    found = timestamps.local_day(moment)
    assert found is not None
    converted = timestamps.to_local(moment)
    assert found.as_sent == (converted is None)
    assert found.day == (moment.date() if converted is None else converted.date())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moment=st.datetimes(min_value=datetime.min, max_value=datetime.max, timezones=st.none() | OFFSETS),
       spec=st.sampled_from(["auto", "seconds", "milliseconds", "microseconds"]))
def test_any_iso_datetime_is_shown_under_every_zone(zone, moment, spec):
    value = moment.isoformat(timespec=spec)
    for variant in (value, value.replace("+00:00", "Z"), f"  {value} "):
        assert_shown(variant, fmt.format_timestamp(variant))
        fmt.format_timestamp(variant, with_zone=True)
        key = fmt.timestamp_sort_key(variant)
        assert key == key  # never NaN
        ms = timestamps.epoch_ms(variant)
        assert ms is not None and abs(ms) < 2.6e14


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=80) | st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{0,15}([+-][0-9]{2}:[0-9]{2}|Z)?", fullmatch=True))
def test_any_string_as_a_timestamp_never_raises(zone, value):
    shown = fmt.format_timestamp(value)
    assert shown
    fmt.timestamp_sort_key(value)
    fmt.format_time_range(value, "9999-12-31T23:59:59-14:00")
    timestamps.epoch_ms(value)


@pytest.mark.parametrize("tz", ZONES[:4])
def test_cli_syncs_and_shows_edge_timestamps_under_every_zone(fresh_demo, tz):
    fresh_demo.faults.update(hostile="edge_timestamps")
    env = {"TZ": tz}
    assert_clean_exit(run_cli(["sync"], fresh_demo, env=env), 0)
    case_id = fresh_demo.data.case_ids()[0]
    online = run_cli(["show", case_id], fresh_demo, env=env)
    assert_clean_exit(online, 0)
    assert any(edge in text(online.stdout) for edge in EDGE_TIMESTAMPS)
    offline = run_cli(["show", case_id, "--offline", "--json"], fresh_demo, env=env)
    assert_clean_exit(offline, 0)
    assert json.loads(offline.stdout)["createdAt"] in EDGE_TIMESTAMPS


def visible_texts(root) -> list[str]:
    """Every label's text and every item view's display text under ``root``."""
    found = [label.text() for label in root.findChildren(QLabel)]
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        for row in range(min(model.rowCount(), 200)):
            for column in range(model.columnCount()):
                value = model.index(row, column).data()
                if isinstance(value, str):
                    found.append(value)
    return found


def show_every_tab(qtbot, window) -> list[str]:
    texts: list[str] = []
    for index in range(window.pane.tabs.count()):
        window.pane.set_current_tab(index)
        window.pane.tabs.currentWidget().grab()  # a real paint of the tab
        texts += visible_texts(window.pane.tabs.currentWidget())
    window.grab()
    return texts


@pytest.mark.parametrize("tz", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_window_shows_edge_timestamps_under_the_zone(qtbot, fresh_demo, monkeypatch, tz):
    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        repository = CaseRepository(demo_api(fresh_demo), cache=CaseCache("edge-times", KEY))
        cached = None
        window = show_window(qtbot, repository)
        try:
            cached = open_row(qtbot, window, 0)  # cached before the hostile answers
            fresh_demo.faults.update(hostile="edge_timestamps")
            window.refresh()
            qtbot.waitUntil(lambda: window.model.rowCount() and window.model.record(0).created_at in EDGE_TIMESTAMPS,
                            timeout=WAIT_MS)
            window.view.grab()
            for row in range(min(window.model.rowCount(), 20)):
                value = window.model.record(row).created_at
                assert_shown(value, window.model.index(row, 3).data())
            result = open_row(qtbot, window, 1)
            assert result.detail is not None and result.detail.created_at in EDGE_TIMESTAMPS
            texts = show_every_tab(qtbot, window)
            unconvertible = [e for e in EDGE_TIMESTAMPS if timestamps.parse_local(e) is None]
            assert unconvertible, "this zone should push some edge off the calendar"
            assert any(e in t for e in unconvertible for t in texts), "an edge timestamp is not shown as sent"
            assert window.isVisible()
            # Nothing cached was lost: every case opened is readable offline.
            window.set_work_offline(True)
            qtbot.waitUntil(lambda: not window.model.is_loading and window.model.rowCount() > 0, timeout=WAIT_MS)
            for case_id in (cached.case_id, result.case_id):
                assert repository.open_case(case_id).detail.id == case_id
        finally:
            window.shutdown()
    finally:
        monkeypatch.undo()
        time.tzset()


# -- numbers ---------------------------------------------------------------------------------------


AMOUNT_TEXTS = st.one_of(
    st.from_regex(r"-?[0-9]{1,40}(\.[0-9]{0,40})?([eE][-+]?[0-9]{1,12})?", fullmatch=True),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**80), max_value=10**80).map(str),
    st.sampled_from([*HUGE_AMOUNTS, "1e1000000", "1E+999999999", "0e999999999", "-0", "Infinity", "sNaN",
                     "1,000,000.5", "9" * 100000, " 12.5 "]),
    st.text(max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(value=AMOUNT_TEXTS)
def test_any_amount_is_shown_bounded_and_counted_only_when_plausible(value):
    shown = fmt.format_money(value)
    assert 0 < len(shown) <= 120  # never a million digits
    amount = numbers.parse_amount(value)
    total, skipped = fmt.sum_money([value, "1.00"])
    if amount.kind is numbers.AmountKind.OK:
        assert abs(amount.value) < Decimal(10) ** numbers.MAX_AMOUNT_EXPONENT
        assert total == amount.value + Decimal("1.00") and skipped == 0
    else:
        assert total == Decimal("1.00")
        assert skipped == (0 if amount.kind is numbers.AmountKind.MISSING else 1)
    if amount.kind is numbers.AmountKind.ABSURD:
        assert shown.startswith(numbers.WARNING_MARK)


@pytest.mark.parametrize("literal", [b"1e999999", b"-1e999999", b"9" * 5000, b"1" + b"0" * 400, b"NaN", b"-Infinity"])
def test_absurd_json_numbers_are_kept_as_sent(literal):
    body = wire.decode_json(b'{"caseDetail": {"id": "n", "payments": [{"amount": ' + literal + b'}]}}')
    amount = body["caseDetail"]["payments"][0]["amount"]
    assert str(amount) == literal.decode() or amount == int(literal)
    assert fmt.format_money(str(amount))


def test_any_status_id_is_stored_and_read_back():
    cache = CaseCache("big-ids", KEY)

    @settings(max_examples=80, deadline=None)
    @given(status_id=st.one_of(st.integers(min_value=-(2**200), max_value=2**200),
                               st.sampled_from([2**63, 2**63 - 1, -(2**63), -(2**63) - 1, 2**64])))
    def check(status_id):
        record = {"id": "case-big", "status": {"id": status_id, "code": "ODD", "label": "Odd"}, "business_name": "B"}
        page = CasePage(CaseQuery(), [CaseRecord.model_validate(record)], 1, 1,
                        raw={"data": {"records": [record], "total_pages": 1, "total_items": 1}})
        cache.put_list_page("cust", page)
        found = cache.get_record("case-big")
        assert found is not None and found[0].status.id == status_id
        assert [r.id for r in cache.list_for_query("cust", CaseQuery()).records] == ["case-big"]

    try:
        check()
    finally:
        cache.close()


def test_window_shows_huge_numbers_marked_and_keeps_the_cache(qtbot, fresh_demo):
    repository = CaseRepository(demo_api(fresh_demo), cache=CaseCache("huge-numbers", KEY))
    window = show_window(qtbot, repository)
    try:
        before = open_row(qtbot, window, 0)
        fresh_demo.faults.update(hostile="huge_numbers")
        window.refresh()
        qtbot.waitUntil(lambda: window.model.rowCount() and window.model.record(0).status.id == HUGE_INT,
                        timeout=WAIT_MS)
        assert repository.last_cache_error is None  # the 2**63 ids were written
        result = open_row(qtbot, window, 1)
        amounts = [p.amount for p in result.detail.payments]
        assert any(a in HUGE_AMOUNTS or a == "1e999999" for a in amounts)
        texts = show_every_tab(qtbot, window)
        assert any(numbers.WARNING_MARK in t for t in texts)
        assert not any(len(t) > 200_000 for t in texts)
        assert window.isVisible()
        # Offline, every row listed with a 2**63 status id is still there, and case 0's copy too.
        window.set_work_offline(True)
        qtbot.waitUntil(lambda: window.model.rowCount() > 0 and not window.model.is_loading, timeout=WAIT_MS)
        assert window.model.record(0).status.id == HUGE_INT
        for case_id in (before.case_id, result.case_id):
            assert repository.open_case(case_id).detail.id == case_id
    finally:
        window.shutdown()


def test_cli_syncs_and_shows_huge_numbers(fresh_demo):
    fresh_demo.faults.update(hostile="huge_numbers")
    assert_clean_exit(run_cli(["sync"], fresh_demo), 0)
    case_id = fresh_demo.data.case_ids()[0]
    shown = run_cli(["show", case_id, "--offline", "--json"], fresh_demo)
    assert_clean_exit(shown, 0)
    detail = json.loads(shown.stdout)
    assert {p["amount"] for p in detail["payments"]} & {*HUGE_AMOUNTS, "1e999999"}
    summary = run_cli(["show", case_id], fresh_demo)
    assert_clean_exit(summary, 0)
    assert "payments" in text(summary.stdout)
