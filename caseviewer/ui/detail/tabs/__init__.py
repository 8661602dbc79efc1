"""The detail tabs, one class per tab, in the order the pane shows them (the section keys follow it)."""

from __future__ import annotations

from caseviewer.ui.detail.tabs.activity import ActivityTab
from caseviewer.ui.detail.tabs.attachments import AttachmentsTab
from caseviewer.ui.detail.tabs.base import CardsTab, DetailTab
from caseviewer.ui.detail.tabs.calendar import CalendarTab
from caseviewer.ui.detail.tabs.comments import CommentsTab
from caseviewer.ui.detail.tabs.decisions import DecisionsTab
from caseviewer.ui.detail.tabs.forms import FormsTab
from caseviewer.ui.detail.tabs.orders import OrdersTab
from caseviewer.ui.detail.tabs.overview import OverviewTab
from caseviewer.ui.detail.tabs.payments import PaymentsTab
from caseviewer.ui.detail.tabs.products import ProductsTab
from caseviewer.ui.detail.tabs.raw import RawTab

ALL_TABS: tuple[type[DetailTab], ...] = (
    OverviewTab,
    DecisionsTab,
    CommentsTab,
    PaymentsTab,
    OrdersTab,
    AttachmentsTab,
    CalendarTab,
    ActivityTab,
    ProductsTab,
    FormsTab,
    RawTab,
)

__all__ = [
    "ALL_TABS",
    "ActivityTab",
    "AttachmentsTab",
    "CalendarTab",
    "CardsTab",
    "CommentsTab",
    "DecisionsTab",
    "DetailTab",
    "FormsTab",
    "OrdersTab",
    "OverviewTab",
    "PaymentsTab",
    "ProductsTab",
    "RawTab",
]
