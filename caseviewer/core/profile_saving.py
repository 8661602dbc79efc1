"""Saving a profile from the profile form: what is still missing, which secrets go, the writes.

The form (``ui/dialogs/profile_dialog.py``) only reads its fields; what a Save needs (a secret for each
half, or one already stored), which stored secret a new one replaces (a token after switching to
email + password, or a half removed), and the writes themselves (secrets first checked, so with
no keyring nothing is written) are decided here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from caseviewer.core.connection_settings import Secrets
from caseviewer.core.profiles import Profile, ProfileStore
from caseviewer.core.secrets import (
    DETAIL_KEY,
    LIST_TOKEN,
    PASSWORD,
    SecretStore,
    StoredState,
    list_credential_kind,
    made_stale_by,
)


@dataclass(frozen=True)
class SavePlan:
    """The writes of one Save: the profile, the secrets typed (None keeps the stored one), and
    the stored secret kinds to delete."""

    profile: Profile
    editing: bool
    secrets: Secrets
    remove: tuple[str, ...]  # secret kinds made stale by a credential switch or a removed half


def missing_secret(profile: Profile, entered: Secrets, stored: StoredState, *, password_sign_in: bool) -> str:
    """What stops Save for want of a credential ("" when nothing does).

    ``password_sign_in``: the form asks for email + password rather than a bearer token.
    """
    if profile.has_list:
        if password_sign_in:
            if not profile.email:
                return "Enter the email to sign in with, or choose the bearer token."
            if not entered.password and not stored.password:
                return "Enter the password for the case list."
        elif not entered.list_token and not stored.list_token:
            return "Enter the bearer token for the case list."
    if profile.has_detail and not entered.detail_key and not stored.detail_key:
        return "Enter the API key for the case detail service."
    return ""


def plan_save(profile: Profile, entered: Secrets, stored: StoredState, *, editing: bool) -> SavePlan:
    """The writes for saving ``profile``: a half it no longer has keeps no secret, and a
    credential switch deletes the secret it replaces."""
    remove: tuple[str, ...] = ()
    if profile.has_list:
        stale = made_stale_by(list_credential_kind(profile))
        remove = (stale,) if stale and getattr(stored, stale) else ()
    else:
        entered = replace(entered, list_token=None, password=None)
        remove = tuple(kind for kind in (LIST_TOKEN, PASSWORD) if getattr(stored, kind))
    if not profile.has_detail:
        entered = replace(entered, detail_key=None)
        if stored.detail_key:
            remove += (DETAIL_KEY,)
    return SavePlan(profile=profile, editing=editing, secrets=entered, remove=remove)


def save_profile(store: ProfileStore, secret_store: SecretStore, plan: SavePlan) -> Profile:
    """Write the profile and its secrets; with no keyring nothing is written (``SecretStoreError``)."""
    if plan.secrets.list_token or plan.secrets.password or plan.secrets.detail_key or plan.remove:
        secret_store.check()  # before anything is written: no keyring, no profile either
    profile = plan.profile
    if plan.editing:
        changes = {key: value for key, value in profile.__dict__.items() if key != "name"}
        saved = store.update(profile.name, **changes)
    else:
        saved = store.add(profile)
    secret_store.save(saved.name, plan.secrets)
    for kind in plan.remove:
        secret_store.delete(saved.name, kind)
    return saved


__all__ = ["SavePlan", "missing_secret", "plan_save", "save_profile"]
