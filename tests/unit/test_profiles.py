"""Profiles: the TOML file (readable, atomic, private, no secrets), the store, and validation."""

from __future__ import annotations

import stat
import sys
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseviewer.core import errors
from caseviewer.core.api import DocumentFormat
from caseviewer.core.http import is_loopback
from caseviewer.core.profiles import Profile, ProfileStore, dump_toml, toml_key, toml_string

PROD = Profile(
    name="prod",
    list_url="https://api.joinworth.com/case/api/v1/",
    customer_id="cust-123",
    email="reviewer@example.com",
    detail_url="https://api.care360-next.carevalidate.com",
    environment="PRODUCTION",
    color="#D1242F",
)
DETAIL_ONLY = Profile(name="staging.detail", detail_url="https://api-staging.care360-next.carevalidate.com")


@pytest.fixture
def store():
    return ProfileStore()


def read_file(store: ProfileStore) -> dict:
    with open(store.path, "rb") as handle:
        return tomllib.load(handle)


def test_add_list_get_and_the_file_is_readable_toml(store, isolated_home):
    added = store.add(PROD)
    store.add(DETAIL_ONLY)

    assert store.path == isolated_home / "config" / "profiles.toml"
    assert [p.name for p in store.list()] == ["prod", "staging.detail"]
    assert store.get("prod") == added
    assert added.list_url == "https://api.joinworth.com/case/api/v1"  # trailing slash dropped
    assert added.color == "#d1242f"
    data = read_file(store)
    assert data["profiles"]["prod"]["customer_id"] == "cust-123"
    assert data["profiles"]["staging.detail"] == {
        "detail_url": "https://api-staging.care360-next.carevalidate.com",
        "page_size": 50,
        "document_format": "base64",
    }
    text = store.path.read_text()
    assert "[profiles.prod]" in text and '[profiles."staging.detail"]' in text
    assert "keyring" in text.splitlines()[1]  # the header says where the secrets are


@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX file modes")
def test_file_is_private_and_written_atomically(store):
    store.add(PROD)
    store.update("prod", page_size=100)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert [p.name for p in store.path.parent.iterdir()] == ["profiles.toml"]  # no temp file left behind


def test_update_keeps_the_rest_and_validates(store):
    store.add(PROD)
    updated = store.update("prod", page_size=200, document_format="url", environment="STAGING")
    assert (updated.page_size, updated.document_format, updated.environment) == (200, "url", "STAGING")
    assert store.get("prod").customer_id == "cust-123"
    with pytest.raises(errors.ConfigError, match="page size"):
        store.update("prod", page_size=0)
    with pytest.raises(errors.ConfigError, match="renamed"):
        store.update("prod", name="other")
    with pytest.raises(errors.ConfigError, match="Unknown profile setting"):
        store.update("prod", password="x")
    assert store.get("prod").page_size == 200


def test_remove_and_last_profile(store):
    assert store.last() is None
    store.add(PROD)
    store.add(DETAIL_ONLY)
    store.set_last("prod")
    assert store.last().name == "prod"
    assert read_file(store)["last_profile"] == "prod"
    store.remove("staging.detail")
    assert store.last().name == "prod"
    store.remove("prod")
    assert store.last() is None and store.list() == []
    assert "last_profile" not in read_file(store)
    with pytest.raises(errors.ConfigError, match="No profile named 'prod'"):
        store.get("prod")
    with pytest.raises(errors.ConfigError, match="No profile named"):
        store.set_last("prod")


def test_duplicate_name_is_refused(store):
    store.add(PROD)
    with pytest.raises(errors.ConfigError, match="already exists"):
        store.add(PROD)


def test_to_settings():
    settings = PROD.validated().to_settings()
    assert settings.name == "prod" and settings.environment == "PRODUCTION"
    assert settings.has_list and settings.has_detail
    assert settings.document_format is DocumentFormat.BASE64
    assert settings.email == "reviewer@example.com" and settings.color == "#d1242f"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Invalid profile name"),
        ({"name": "a:b"}, "Invalid profile name"),
        ({"name": "-x"}, "starting with a letter or digit"),
        ({"name": "x" * 65}, "1-64 characters"),
        ({"list_url": "ftp://host/x"}, "must be an http:// or https:// URL"),
        ({"list_url": "not a url"}, "must be an http:// or https:// URL"),
        ({"list_url": "https://host:99999/"}, "not a valid URL"),
        ({"detail_url": "https://user:pw@host"}, "must not contain a user name or password"),
        ({"detail_url": "https://host/?key=1"}, "without spaces, query or fragment"),
        ({"list_url": "http://api.example.com"}, "plain http:// to api.example.com.*--allow-insecure"),
        ({"customer_id": None}, "needs a customer ID"),
        ({"list_url": None, "detail_url": None, "customer_id": None, "email": None}, "neither service"),
        ({"list_url": None}, "belong to the case list"),
        ({"email": "not-an-email"}, "does not look like an email"),
        ({"page_size": 501}, "page size must be a whole number from 1 to 500"),
        ({"document_format": "pdf"}, "'base64' or 'url'"),
        ({"color": "red"}, "not a hex colour"),
        ({"environment": "x" * 41}, "environment label must be at most 40"),
        ({"environment": "PROD\nUCTION"}, "without control characters"),
    ],
)
def test_validation_messages(changes, message):
    profile = Profile(**{**PROD.__dict__, **changes})
    with pytest.raises(errors.ConfigError, match=message):
        profile.validated()


def test_plain_http_is_fine_to_loopback_and_allowed_explicitly():
    assert Profile(name="demo", detail_url="http://127.0.0.1:8080").validated().detail_url == "http://127.0.0.1:8080"
    assert Profile(name="demo", detail_url="http://localhost:1").validated()
    assert Profile(name="demo", detail_url="http://[::1]:1").validated()
    insecure = Profile(name="lab", detail_url="http://lab.internal", allow_insecure=True).validated()
    assert insecure.allow_insecure
    assert is_loopback("127.8.9.1") and not is_loopback("127.0.0.1.example.com")


def test_allow_insecure_survives_the_file(store):
    store.add(Profile(name="lab", detail_url="http://lab.internal", allow_insecure=True))
    assert store.get("lab").allow_insecure
    assert read_file(store)["profiles"]["lab"]["allow_insecure"] is True


def test_a_broken_file_says_where(store):
    store.path.write_text("[profiles.x\n")
    with pytest.raises(errors.ConfigError, match="profiles.toml is not valid TOML"):
        store.list()
    store.path.write_text('[profiles.x]\nlist_url = "http://far.example.com"\ncustomer_id = "1"\n')
    with pytest.raises(errors.ConfigError, match="profile 'x': The list URL uses plain http://"):
        store.list()


def test_hand_edited_file_with_unknown_keys_and_a_missing_last_profile(store):
    store.path.write_text(
        '# mine\nlast_profile = "gone"\n[profiles.a]\ndetail_url = "https://d.example.com"\nfuture_setting = 1\n'
    )
    assert store.get("a").detail_url == "https://d.example.com"
    assert store.last() is None


@given(st.text(max_size=40), st.text(max_size=40), st.integers(), st.booleans())
def test_toml_writer_round_trips_any_text(key, value, number, flag):
    text = dump_toml({"top": value}, [(("profiles", key), {key or "k": value, "n": number, "b": flag})])
    data = tomllib.loads(text)
    assert data["top"] == value
    assert data["profiles"][key] == {key or "k": value, "n": number, "b": flag}


def test_toml_string_escapes():
    assert toml_string('a"b\\c\n\x7f\x01') == '"a\\"b\\\\c\\n\\u007F\\u0001"'
    assert toml_key("plain_key-1") == "plain_key-1"
    assert toml_key("with.dot") == '"with.dot"'
