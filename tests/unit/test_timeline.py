"""The case timeline builder: every dated thing of a case, oldest first, nothing dropped."""

from __future__ import annotations

from caseviewer.core.models import CaseDetail
from caseviewer.core import timestamps
from caseviewer.core.timeline import EventKind, build_timeline
from caseviewer.demo.data import DemoData


def detail(**raw) -> CaseDetail:
    return CaseDetail.from_raw({"id": "c1", **raw})


def test_every_kind_of_dated_item_becomes_an_event_in_order():
    case = detail(
        createdAt="2025-01-01T10:00:00Z",
        assignedAt="2025-01-01T11:00:00Z",
        assignedTo={"firstName": "Ada", "lastName": "Lane"},
        closedAt=None,
        decisions=[{"id": "d1", "isApproved": True, "createdAt": "2025-01-03T09:00:00Z",
                    "medInfo": [{"medicine": "Fictivir"}], "addedBy": {"firstName": "Rae", "lastName": "Zed"}}],
        comments=[{"id": "k1", "text": "hello", "createdAt": "2025-01-02T09:00:00+02:00"}],
        notes=[{"id": "n1", "text": "internal", "createdAt": "2025-01-02T08:00:00Z"}],
        payments=[{"id": "p1", "amount": "10.00", "createdAt": "2025-01-04T00:00:00Z", "paymentDate": "2025-01-05T00:00:00Z"}],
        orders=[{"id": "o1", "createdAt": "2025-01-06", "shippingLogs": [{"statusUpdatedAt": "2025-01-07", "status": "IN_TRANSIT"}]}],
        calendarEvents=[{"id": "e1", "startDateTime": "2025-01-08T10:00:00Z"}],
        attachments=[{"id": "a1", "fileName": "x.png", "createdAt": "2025-01-09T00:00:00Z"}],
        activity=[{"id": "v1", "type": "CREATE_CASE", "timestamp": "2025-01-01T10:00:00Z"}],
        caseProducts=[{"id": "cp", "createdAt": "2025-01-10T00:00:00Z", "organizationProduct": {"name": "Kit"},
                       "caseProductRequests": [{"id": "r1", "status": "PENDING", "createdAt": "2025-01-11T00:00:00Z"}]}],
        responses=[{"id": "f1", "form": {"name": "Intake"},
                    "responses": [{"id": "q1", "text": "42", "createdAt": "2025-01-12T00:00:00Z", "question": {"text": "Age?"}}]}],
    )
    events = build_timeline(case)
    kinds = [e.kind for e in events]
    assert kinds == [
        EventKind.CASE, EventKind.ACTIVITY, EventKind.CASE,  # created, its activity (same instant), assigned
        EventKind.COMMENT,  # 07:00 UTC (+02:00) comes before the note at 08:00 UTC
        EventKind.NOTE, EventKind.DECISION, EventKind.PAYMENT, EventKind.PAYMENT, EventKind.ORDER,
        EventKind.SHIPPING, EventKind.CALENDAR, EventKind.ATTACHMENT, EventKind.PRODUCT, EventKind.PRODUCT,
        EventKind.FORM,
    ]
    assert events[2].title == "Case assigned to Ada Lane"
    assert "Approved" in events[5].title and "Rae Zed" in events[5].title and "Fictivir" in events[5].detail
    assert events[9].code == "IN_TRANSIT"
    assert not any(e.title.startswith("Case closed") for e in events), "a milestone that did not happen is no event"


def test_missing_and_unparseable_dates_are_listed_last_in_case_order_never_dropped():
    case = detail(
        comments=[
            {"id": "late", "text": "b", "createdAt": "2025-05-01T00:00:00Z"},
            {"id": "nodate", "text": "c", "createdAt": None},
            {"id": "garbage", "text": "d", "createdAt": "yesterday-ish"},
            {"id": "early", "text": "a", "createdAt": "2025-01-01T00:00:00Z"},
            {"id": "edge", "text": "e", "createdAt": "9999-12-31T23:59:59-14:00"},
        ],
    )
    events = build_timeline(case)
    assert [e.ref_id for e in events] == ["early", "late", "edge", "nodate", "garbage"]
    assert events[-1].raw == "yesterday-ish" and events[-1].when is None and not events[-1].dated
    assert events[-2].raw is None


def test_naive_and_date_only_values_sort_among_aware_ones():
    case = detail(orders=[
        {"id": "o2", "createdAt": "2025-03-02"},
        {"id": "o1", "createdAt": "2025-03-01T12:00:00"},
        {"id": "o3", "createdAt": "2025-03-03T00:00:00Z"},
    ])
    assert [e.ref_id for e in build_timeline(case)] == ["o1", "o2", "o3"]


def test_the_timeline_timestamp_parser_never_raises():
    # The timeline reads its stamps with core.timestamps.parse, the one parser.
    for value in (None, "", "   ", "2025-13-40", "0001-01-01T00:00:00+14:00", "x" * 10_000, 5):
        timestamps.parse(value)  # type: ignore[arg-type]
    assert timestamps.parse("2025-06-30T14:40:23.253Z").year == 2025


def test_the_rich_demo_case_has_every_kind():
    data = DemoData(cases=5)
    events = build_timeline(CaseDetail.from_raw(data.detail(data.case_id(0))))
    assert {e.kind for e in events} == set(EventKind)
    dated = [e.when.timestamp() for e in events if e.when is not None and e.when.tzinfo is not None]
    assert dated == sorted(dated)


def test_every_kind_the_issue_lists_in_words_with_names_amounts_and_changes():
    """In progress and closed by named users, refunds and failures, shipping in words, activity
    before -> after, form responses submitted (dated by their last answer), meeting provider."""
    case = detail(
        inProgressAt="2025-02-01T09:00:00Z", inProgressBy="u-ada",
        closedAt="2025-02-09T09:00:00Z", closedBy="u-unknown",
        assignedTo={"id": "u-ada", "firstName": "Ada", "lastName": "Lane"},
        payments=[{"id": "p1", "amount": "49.00", "status": "REFUNDED", "description": "Consult",
                   "createdAt": "2025-02-02T00:00:00Z", "updatedAt": "2025-02-05T00:00:00Z"},
                  {"id": "p2", "amount": "9.00", "status": "FAILED", "createdAt": "2025-02-03T00:00:00Z",
                   "updatedAt": "2025-02-03T01:00:00Z", "currency": "eur"}],
        orders=[{"id": "o1", "status": "SHIPPED", "createdAt": "2025-02-04",
                 "shippingLogs": [{"statusUpdatedAt": "2025-02-05", "status": "LABEL_CREATED"},
                                  {"statusUpdatedAt": "2025-02-06", "status": "DELIVERED", "message": "Left at door"}]}],
        calendarEvents=[{"id": "e1", "startDateTime": "2025-02-07T10:00:00Z", "meetingProvider": "GOOGLE_MEET"}],
        activity=[{"id": "v1", "type": "UPDATE_STATUS", "timestamp": "2025-02-01T09:00:00Z",
                   "valueBefore": "OPEN", "valueAfter": "IN_PROGRESS"}],
        responses=[{"id": "r1", "form": {"name": "Intake"},
                    "responses": [{"id": "a1", "createdAt": "2025-02-01T10:00:00Z"},
                                  {"id": "a2", "createdAt": "2025-02-01T10:05:00Z"}]}],
    )
    events = build_timeline(case)
    titles = [e.title for e in events]
    assert "Case in progress by Ada Lane" in titles
    assert "Case closed by a user not named in this case" in titles, "an unknown id is never shown raw"
    assert "Payment refunded: Consult" in titles and "Payment failed: Payment" in titles
    refund = next(e for e in events if e.title == "Payment refunded: Consult")
    assert (refund.amount, refund.currency, refund.raw) == ("49.00", "USD", "2025-02-05T00:00:00Z")
    assert next(e for e in events if e.title.startswith("Payment failed")).currency == "EUR"
    assert "Shipping: Label created" in titles and "Shipping: Delivered" in titles
    assert next(e for e in events if e.kind is EventKind.CALENDAR).detail == "Google Meet"
    activity = next(e for e in events if e.kind is EventKind.ACTIVITY)
    assert (activity.title, activity.detail, activity.code) == ("Status changed", "Open → In progress", "UPDATE_STATUS")
    form = [e for e in events if e.kind is EventKind.FORM]
    assert [(f.title, f.raw, f.detail) for f in form] == [("Form submitted: Intake", "2025-02-01T10:05:00Z", "2 answers")]
    assert not any("_" in e.title for e in events), "no raw code in a title"


def test_every_kind_with_a_missing_date_is_still_listed():
    case = detail(
        decisions=[{"id": "d"}], comments=[{"id": "c"}], notes=[{"id": "n"}], payments=[{"id": "p"}],
        orders=[{"id": "o", "shippingLogs": [{"status": "IN_TRANSIT"}]}], calendarEvents=[{"id": "e"}],
        attachments=[{"id": "a"}], activity=[{"id": "v", "type": "X"}],
        caseProducts=[{"id": "cp", "caseProductRequests": [{"id": "r"}]}], responses=[{"id": "f", "responses": [{"id": "q"}]}],
    )
    events = build_timeline(case)
    assert {e.kind for e in events} == set(EventKind) - {EventKind.CASE}
    assert all(e.when is None for e in events)
    assert next(e for e in events if e.kind is EventKind.NOTE).internal


def test_event_marks_follow_the_items_that_changed_since_the_last_look():
    from caseviewer.core.changes import Mark, diff, fingerprint_detail
    from caseviewer.core.timeline import event_mark

    before = {"id": "c1", "createdAt": "2025-01-01T10:00:00Z", "status": "OPEN",
              "comments": [{"id": "k1", "text": "hello", "createdAt": "2025-01-02T09:00:00Z"}],
              "payments": [{"id": "p1", "amount": "10.00", "createdAt": "2025-01-04T00:00:00Z"}],
              "orders": [{"id": "o1", "createdAt": "2025-01-06",
                          "shippingLogs": [{"statusUpdatedAt": "2025-01-07", "status": "IN_TRANSIT"}]}]}
    after = {**before, "status": "APPROVED",
             "comments": [{"id": "k1", "text": "hello again", "createdAt": "2025-01-02T09:00:00Z"}],
             "orders": [{"id": "o1", "createdAt": "2025-01-06",
                         "shippingLogs": [{"statusUpdatedAt": "2025-01-07", "status": "IN_TRANSIT"},
                                          {"statusUpdatedAt": "2025-01-08", "status": "DELIVERED"}]}]}
    changes = diff(fingerprint_detail(before), fingerprint_detail(after))
    marks = {(e.kind, e.ref_index): event_mark(e, changes) for e in build_timeline(CaseDetail.from_raw(after))}
    assert marks == {
        (EventKind.CASE, None): Mark.NONE,  # the status change is the header's mark, not a milestone's
        (EventKind.COMMENT, None): Mark.CHANGED,
        (EventKind.PAYMENT, None): Mark.NONE,
        (EventKind.ORDER, None): Mark.NONE,
        (EventKind.SHIPPING, 0): Mark.NONE,
        (EventKind.SHIPPING, 1): Mark.NEW,
    }


def test_a_megabyte_comment_is_summarised_by_its_first_words():
    words = "Refill request: patient reports dizziness after the new dose.\n\n" + "lorem ipsum " * 90_000
    detail = CaseDetail.from_raw({"id": "big", "comments": [{"id": "c1", "text": words, "createdAt": "2025-06-30T10:00:00Z"}]})
    (event,) = [e for e in build_timeline(detail) if e.ref_id == "c1"]
    assert event.detail.startswith("Refill request: patient reports dizziness after the new dose. lorem ipsum")
    assert len(event.detail) == 160 and event.detail.endswith("…")
