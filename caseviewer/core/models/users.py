"""The people a detail document names: users, the submitter, the clinicians who decide, assignees."""

from __future__ import annotations

from caseviewer.core.lenient import Obj, Str
from caseviewer.core.models.detail_base import DetailModel
from caseviewer.core.text import full_name as _full_name


class BasicUser(DetailModel):
    id: Str = None
    first_name: Str = None
    last_name: Str = None

    @property
    def full_name(self) -> str:
        return _full_name(self)


class UserWithEmail(BasicUser):
    email: Str = None


class DetailedUser(BasicUser):
    """The submitter: the detail document's "Detailed User"."""

    email: Str = None
    dob: Str = None
    gender: Str = None
    phone_number: Str = None
    address: Str = None
    address2: Str = None
    city: Str = None
    state: Str = None
    postal_code: Str = None


class Clinician(BasicUser):
    """A decision's ``addedBy``: a prescriber with NPI/DEA numbers."""

    title: Str = None
    title_suffix: Str = None
    email: Str = None
    phone_number: Str = None
    npi: Str = None
    dea: Str = None
    address: Str = None
    address2: Str = None
    city: Str = None
    state: Str = None
    postal_code: Str = None
    country: Str = None


class AssigneeLink(DetailModel):
    assignee: Obj[BasicUser] = None
