"""Pydantic models for both services: the case list (Worth) and the case detail (CareValidate).

Field names are snake_case; the wire names are their aliases (the list service speaks snake_case,
the detail service camelCase with a few irregular spellings such as ``isPHI`` and ``cancelURL``).
Every field is optional and lenient (see ``lenient.py``) and unknown fields are kept, so a response
that drifts from its document still shows everything it carries. ``model_dump(by_alias=True,
exclude_unset=True)`` gives back what was received, which the round-trip tests rely on.

Timestamps stay strings exactly as sent; ``core.timestamps`` turns them into datetimes
where a view needs one, so an odd format never makes a case unreadable.

One module a job:

* ``list_service``  the list records, their statuses, the list envelope and the sign-in answer
* ``detail_base``   ``DetailModel``, the camelCase base of every detail model
* ``users``         the people a detail document names (submitter, clinicians, assignees)
* ``threads``       attachments and the two comment threads (``ThreadKind``, ``Comment``)
* ``clinical``      form responses and decisions with their medications
* ``commerce``      products, payments and fees, pharmacy orders
* ``case_detail``   ``CaseDetail`` itself, its envelope, its activity log and calendar events

Every model is re-exported here: some eighty modules (the UI, the cache, the exports, the tests)
import them as ``caseviewer.core.models``, and that one name is the models' public face.
"""

from __future__ import annotations

from caseviewer.core.models.case_detail import Activity, CalendarEvent, CaseDetail, CaseDetailResponse
from caseviewer.core.models.clinical import Answer, Decision, Form, FormResponse, MedInfo, Question
from caseviewer.core.models.commerce import (
    CaseProduct,
    CaseProductRequest,
    Fees,
    Order,
    OrderItem,
    OrganizationProduct,
    Payment,
    ProductBundle,
    ShippingLog,
    SubFee,
    Subscription,
)
from caseviewer.core.models.detail_base import DetailModel
from caseviewer.core.models.list_service import (
    LIST_STATUS_CODES,
    Applicant,
    CaseListData,
    CaseListResponse,
    CaseRecord,
    ListStatus,
    SignInData,
)
from caseviewer.core.models.threads import THREAD_LISTS, Attachment, Comment, ThreadKind
from caseviewer.core.models.users import AssigneeLink, BasicUser, Clinician, DetailedUser, UserWithEmail

__all__ = [
    "LIST_STATUS_CODES", "THREAD_LISTS",
    "Activity", "Answer", "Applicant", "AssigneeLink", "Attachment", "BasicUser", "CalendarEvent",
    "CaseDetail", "CaseDetailResponse", "CaseListData", "CaseListResponse", "CaseProduct",
    "CaseProductRequest", "CaseRecord", "Clinician", "Comment", "Decision", "DetailModel",
    "DetailedUser", "Fees", "Form", "FormResponse", "ListStatus", "MedInfo", "Order", "OrderItem",
    "OrganizationProduct", "Payment", "ProductBundle", "Question", "ShippingLog", "SignInData",
    "SubFee", "Subscription", "ThreadKind", "UserWithEmail",
]
