"""What a Save of the profile form needs and writes (core/profile_saving.py), without the form."""

from __future__ import annotations

from caseviewer.core.connection_settings import Secrets
from caseviewer.core.profile_saving import missing_secret, plan_save
from caseviewer.core.profiles import Profile
from caseviewer.core.secrets import DETAIL_KEY, LIST_TOKEN, PASSWORD, StoredState

BOTH = Profile(name="p", list_url="https://list.example", customer_id="c", detail_url="https://detail.example")


def test_a_half_needs_a_secret_typed_or_stored():
    assert missing_secret(BOTH, Secrets(), StoredState(), password_sign_in=False) == "Enter the bearer token for the case list."
    assert missing_secret(BOTH, Secrets(list_token="t"), StoredState(), password_sign_in=False) == (
        "Enter the API key for the case detail service.")
    assert missing_secret(BOTH, Secrets(), StoredState(list_token=True, detail_key=True), password_sign_in=False) == ""
    assert missing_secret(BOTH, Secrets(list_token="t", detail_key="k"), StoredState(), password_sign_in=True) == (
        "Enter the email to sign in with, or choose the bearer token.")


def test_switching_to_a_password_deletes_the_stored_token():
    with_email = Profile(**{**BOTH.__dict__, "email": "r@example.com"})
    plan = plan_save(with_email, Secrets(password="pw"), StoredState(list_token=True, detail_key=True), editing=True)
    assert plan.remove == (LIST_TOKEN,)
    assert plan.secrets.password == "pw" and plan.editing


def test_a_removed_half_keeps_no_secret():
    detail_only = Profile(name="p", detail_url="https://detail.example")
    stored = StoredState(list_token=True, password=True, detail_key=True)
    plan = plan_save(detail_only, Secrets(list_token="t", detail_key="k"), stored, editing=False)
    assert plan.secrets.list_token is None and plan.secrets.detail_key == "k"
    assert plan.remove == (LIST_TOKEN, PASSWORD)
    list_only = Profile(name="p", list_url="https://list.example", customer_id="c")
    assert plan_save(list_only, Secrets(detail_key="k"), stored, editing=False).remove[-1] == DETAIL_KEY
