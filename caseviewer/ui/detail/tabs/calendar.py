"""Calendar tab: scheduled visits, in local time and in the event's own time zone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from caseviewer.core.models import CalendarEvent, CaseDetail
from caseviewer.core.vocabulary import Vocab
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.links import LinkField
from caseviewer.ui.detail.tabs.base import CardsTab
from caseviewer.ui.detail.widgets import Card
from caseviewer.ui.detail.key_value_form import KeyValueForm


class CalendarTab(CardsTab):
    TITLE = "Calendar"
    EMPTY = "No calendar events on this case"

    def items(self, detail: CaseDetail) -> Sequence[Any]:
        return sorted(detail.calendar_events, key=lambda e: fmt.timestamp_sort_key(e.start_date_time))

    def card(self, item: Any, number: int) -> QWidget:
        event: CalendarEvent = item
        when = fmt.format_time_range(event.start_date_time, event.end_date_time)
        card = Card(when, subtitle=fmt.word(Vocab.MEETING_PROVIDER, event.meeting_provider))
        form = KeyValueForm()
        form.add("Local time", when, tooltip=fmt.plain_tooltip(f"{event.start_date_time} – {event.end_date_time}"))
        in_zone = fmt.format_in_zone(event.start_date_time, event.end_date_time, event.timezone)
        if in_zone:
            form.add("Event time", in_zone)
        form.add("Time zone", event.timezone)
        form.add("Provider", event.provider_name)
        form.add("Provider email", event.provider_email)
        form.add_word("Meeting provider", Vocab.MEETING_PROVIDER, event.meeting_provider)
        form.add_widget("Meeting link", LinkField(event.meeting_link))
        form.add_widget("Cancel link", LinkField(event.cancel_url))
        form.add_widget("Reschedule link", LinkField(event.reschedule_url))
        form.add("Event ID", event.id)
        form.add_extras(event)
        card.add(form)
        return card
