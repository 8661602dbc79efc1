"""``resolve``: flag > environment > profile, environment secrets never stored, no-keyring
behaviour, and email + password sign-in against the demo service (with the one re-sign-in on 401)."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import pytest

from caseviewer.core import errors
from caseviewer.core.api import CaseQuery, SignInCredential
from caseviewer.core.connection import Secrets, build_api, resolve, sign_in
from caseviewer.core.profiles import Profile, ProfileStore
from caseviewer.core.secrets import SecretStore, save_secrets

NO_FLAGS = {"list_url": None, "detail_url": None, "customer_id": None}
LIST_URL = "https://list.example.com/case/api/v1"
DETAIL_URL = "https://detail.example.com"


@pytest.fixture
def store():
    store = ProfileStore()
    store.add(Profile(name="prod", list_url=LIST_URL, customer_id="c-1", detail_url=DETAIL_URL, environment="PRODUCTION"))
    store.add(Profile(name="other", detail_url="https://other.example.com"))
    return store


def keyring_contents() -> dict:
    return dict(keyring.get_keyring().store)


def test_profile_values_and_keyring_secrets(store):
    save_secrets("prod", Secrets(list_token="tok-prod-1", detail_key="key-prod-1"))
    settings, secrets = resolve("prod", flags=NO_FLAGS, environ={})
    assert (settings.name, settings.list_url, settings.customer_id, settings.detail_url) == ("prod", LIST_URL, "c-1", DETAIL_URL)
    assert (secrets.list_token, secrets.detail_key) == ("tok-prod-1", "key-prod-1")


def test_flag_beats_environment_beats_profile(store):
    environ = {"CASEVIEWER_CUSTOMER_ID": "c-env", "CASEVIEWER_DETAIL_URL": "https://detail.example.com/v2"}
    settings, _ = resolve("prod", flags={**NO_FLAGS, "customer_id": "c-flag"}, environ=environ)
    assert settings.customer_id == "c-flag"
    assert settings.detail_url == "https://detail.example.com/v2"
    assert settings.list_url == LIST_URL


def test_profile_choice_explicit_then_environment_then_last(store):
    assert resolve(None, flags=NO_FLAGS, environ={})[0].name == "prod"  # the first one added is last
    store.set_last("other")
    assert resolve(None, flags=NO_FLAGS, environ={})[0].name == "other"
    assert resolve(None, flags=NO_FLAGS, environ={"CASEVIEWER_PROFILE": "prod"})[0].name == "prod"
    assert resolve("other", flags=NO_FLAGS, environ={"CASEVIEWER_PROFILE": "prod"})[0].name == "other"
    with pytest.raises(errors.ConfigError, match="No profile named 'nope'"):
        resolve(None, flags=NO_FLAGS, environ={"CASEVIEWER_PROFILE": "nope"})


def test_no_profile_at_all_uses_flags_and_environment_only():
    environ = {"CASEVIEWER_LIST_URL": LIST_URL, "CASEVIEWER_LIST_TOKEN": "tok-env"}
    settings, secrets = resolve(None, flags={**NO_FLAGS, "customer_id": "c-9"}, environ=environ)
    assert (settings.name, settings.list_url, settings.customer_id) == ("", LIST_URL, "c-9")
    assert secrets.list_token == "tok-env" and secrets.detail_key is None


def test_environment_secrets_win_and_are_never_stored(store, isolated_home):
    save_secrets("prod", Secrets(list_token="tok-keyring", detail_key="key-keyring"))
    before = keyring_contents()
    environ = {"CASEVIEWER_LIST_TOKEN": "tok-from-env-123", "CASEVIEWER_DETAIL_KEY": "key-from-env-456"}
    _, secrets = resolve("prod", flags=NO_FLAGS, environ=environ)
    assert (secrets.list_token, secrets.detail_key) == ("tok-from-env-123", "key-from-env-456")
    assert keyring_contents() == before
    for path in isolated_home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"tok-from-env-123" not in data and b"key-from-env-456" not in data


def test_a_flag_pointing_elsewhere_does_not_get_the_profiles_secrets(store):
    save_secrets("prod", Secrets(list_token="tok-prod", detail_key="key-prod"))
    settings, secrets = resolve("prod", flags={**NO_FLAGS, "detail_url": "https://elsewhere.example.net"}, environ={})
    assert settings.detail_url == "https://elsewhere.example.net"
    assert secrets.detail_key is None  # the prod key only goes to the prod host
    assert secrets.list_token == "tok-prod"
    with pytest.raises(errors.AuthError, match="No API key"):
        build_api(settings, secrets)


def test_insecure_url_from_a_flag_is_refused_unless_allowed(store):
    with pytest.raises(errors.ConfigError, match="--allow-insecure"):
        resolve("other", flags={**NO_FLAGS, "detail_url": "http://far.example.com"}, environ={})
    settings, _ = resolve(
        "other", flags={**NO_FLAGS, "detail_url": "http://far.example.com", "allow_insecure": True}, environ={}
    )
    assert settings.detail_url == "http://far.example.com"


def test_no_keyring_works_when_the_environment_covers_every_secret(store):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    environ = {"CASEVIEWER_LIST_TOKEN": "tok-e", "CASEVIEWER_DETAIL_KEY": "key-e"}
    settings, secrets = resolve("prod", flags=NO_FLAGS, environ=environ)
    assert build_api(settings, secrets).list is not None


def test_no_keyring_and_a_missing_secret_says_how_to_fix_it(store):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(errors.SecretStoreError, match="No secure keyring") as caught:
        resolve("prod", flags=NO_FLAGS, environ={"CASEVIEWER_LIST_TOKEN": "tok-e"})
    assert "tok-e" not in str(caught.value)


# --- sign-in against the demo service -----------------------------------------------------------


@pytest.fixture
def signin_profile(fresh_demo):
    svc = fresh_demo
    ProfileStore().add(
        Profile(
            name="demo",
            list_url=svc.list_url,
            auth_url=svc.auth_url,
            customer_id=svc.customer_id,
            email=svc.login_email,
            environment="DEMO",
        )
    )
    SecretStore().set("demo", "password", svc.login_password)
    return svc


def test_sign_in_reports_the_customer_id(signin_profile):
    svc = signin_profile
    settings = ProfileStore().get("demo").to_settings()
    assert sign_in(settings, svc.login_password) == svc.customer_id
    with pytest.raises(errors.AuthError, match="not accepted"):
        sign_in(settings, "wrong-password")


def test_password_sign_in_lists_cases_and_signs_in_again_once_on_401(signin_profile):
    svc = signin_profile
    settings, secrets = resolve("demo", flags=NO_FLAGS, environ={})
    assert secrets.password == svc.login_password and secrets.list_token is None
    with build_api(settings, secrets) as api:
        credential = api.list.credential
        assert isinstance(credential, SignInCredential)
        first = api.list.list_cases(CaseQuery(items_per_page=5))
        assert first.records
        old_token = credential.token()

        svc.faults.update(status=401, count=1, scope="list")  # the token went stale
        again = api.list.list_cases(CaseQuery(items_per_page=5))
        assert [r.id for r in again.records] == [r.id for r in first.records]
        assert credential.token() != old_token  # signed in a second time

        svc.faults.update(status=401, count=2, scope="list")  # stale again right after signing in
        with pytest.raises(errors.AuthError) as caught:
            api.list.list_cases(CaseQuery(items_per_page=5))
        assert caught.value.status_code == 401
        assert svc.login_password not in str(caught.value)


def test_environment_secrets_go_only_to_the_connection_they_were_given_for(store):
    """Issue 13 item 2: profile A's environment token never reaches profile B's host."""
    save_secrets("other", Secrets(detail_key="key-of-other"))
    environ = {"CASEVIEWER_PROFILE": "prod", "CASEVIEWER_DETAIL_KEY": "key-for-prod", "CASEVIEWER_LIST_TOKEN": "tok-for-prod"}
    # The profile the environment names gets them...
    _, secrets = resolve(None, flags=NO_FLAGS, environ=environ)
    assert secrets.detail_key == "key-for-prod"
    # ...another profile chosen with --profile does not: it uses its own keyring secrets.
    settings, secrets = resolve("other", flags=NO_FLAGS, environ=environ)
    assert settings.name == "other" and secrets.detail_key == "key-of-other" and secrets.list_token is None
    # The last-used profile picked implicitly does not get them either...
    store.set_last("other")
    _, secrets = resolve(None, flags=NO_FLAGS, environ={"CASEVIEWER_DETAIL_KEY": "key-loose"})
    assert secrets.detail_key != "key-loose"
    # ...but a URL given with them (flag or environment) does.
    _, secrets = resolve(
        "other", flags={**NO_FLAGS, "detail_url": "https://given.example.net"}, environ={"CASEVIEWER_DETAIL_KEY": "key-given"}
    )
    assert secrets.detail_key == "key-given"
