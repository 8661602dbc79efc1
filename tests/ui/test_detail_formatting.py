"""Shared display helpers (``caseviewer.ui.formatting``), the table model and link safety."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from caseviewer.core.models import BasicUser, Clinician, Subscription
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.links import LinkField, safe_url
from caseviewer.ui.detail.table import Column, RowTableModel, time_cell
from caseviewer.ui.detail.tabs.raw import abbreviate, raw_text


def test_timestamps_show_local_time_and_keep_odd_values():
    iso = "2025-06-30T16:05:18.000Z"
    expected = datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    assert fmt.format_timestamp(iso) == expected
    assert iso in fmt.timestamp_tooltip(iso)
    assert fmt.format_timestamp("2025-07-02") == "2025-07-02"
    assert fmt.format_timestamp("next tuesday") == "next tuesday"
    assert fmt.format_timestamp(None) == fmt.MISSING
    assert fmt.timestamp_sort_key("2025-01-02T00:00:00Z") > fmt.timestamp_sort_key("2025-01-01T00:00:00Z")
    assert fmt.timestamp_sort_key("junk") == float("-inf")


def test_money_is_decimal_and_unparseable_is_shown_as_is():
    assert fmt.format_money("1234.5") == "1,234.50"
    assert fmt.format_money("abc") == "abc"
    assert fmt.format_money(None) == fmt.MISSING
    assert fmt.sum_money(["0.10", "0.20", "x", None]) == (Decimal("0.30"), 1)
    assert fmt.parse_money("NaN") is None


def test_names_sizes_flags_codes():
    assert fmt.user_name(BasicUser(first_name="Ada", last_name="Lovelace")) == "Ada Lovelace"
    assert fmt.user_name(BasicUser(id="u-1")) == "u-1"
    assert fmt.user_name(None) == fmt.MISSING
    doc = Clinician(first_name="Eden", last_name="Northcott", title="Dr.", title_suffix="MD")
    assert fmt.clinician_name(doc) == "Dr. Eden Northcott, MD"
    assert fmt.human_size(1_258_291) == "1.2 MB"
    assert fmt.human_size(12) == "12 bytes"
    assert fmt.yes_no(None) == fmt.MISSING and fmt.yes_no(True) == "Yes"
    assert fmt.pretty_code("IN_PROGRESS") == "In progress"
    assert fmt.visit_type_label("ASYNC_TEXT_EMAIL") == "Async (text/email)"
    assert fmt.visit_type_label("SOMETHING_NEW") == "Something new"  # humanised, never raw


def test_subscription_text():
    assert fmt.subscription_text(None) == "No subscription"
    assert fmt.subscription_text(Subscription()) == "No subscription"
    assert fmt.subscription_text(Subscription(interval="month", interval_count=2)) == "every 2 months"
    assert fmt.subscription_text(Subscription(interval="week", interval_count=1)) == "every week"


def test_tooltips_and_controls_are_inert():
    tip = fmt.plain_tooltip("<b>x</b>")
    assert "<b>" not in tip and "&lt;b&gt;x&lt;/b&gt;" in tip
    assert fmt.clean("a\u202eb\x07c") == "a<U+202E>b<U+0007>c"
    assert fmt.clean("line\nbreak\ttab") == "line\nbreak\ttab"


def test_link_safety(qtbot):
    assert safe_url("https://track.example.test/1Z") is not None
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "not a url", "", None, "http://"):
        assert safe_url(bad) is None
    field = LinkField("javascript:alert(1)")
    qtbot.addWidget(field)
    assert field.text.text() == "javascript:alert(1)"
    assert not field.open_button.isEnabled()


def test_raw_abbreviation():
    raw = {"attachments": [{"content": "A" * 4000, "fileName": "a.png"}], "content": "short"}
    assert abbreviate(raw) == {"attachments": [{"content": "<base64, 2.9 KB>", "fileName": "a.png"}], "content": "short"}
    text, note = raw_text({"x": "y" * 2_000_000})  # one huge string: cut in the view
    assert len(text) < 20_000 and "Strings over 10,000 characters are cut" in note
    text, note = raw_text({"x": ["y" * 5_000] * 400})  # a huge document: cut at 1 MB
    assert len(text) < 1_100_000 and "Showing the first" in note


def test_row_table_model_passes_qt_checks(qtmodeltester):
    columns = [Column("Time", lambda r: time_cell(r["t"])), Column("Name", lambda r: r["n"])]
    model = RowTableModel(columns, [{"t": "2025-01-01T00:00:00Z", "n": "<b>a</b>"}, {"t": None, "n": "b"}])
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "<b>a</b>"
