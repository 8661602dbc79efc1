"""Secrets in the keyring (the in-memory backend from conftest), and the explicit "no keyring" state."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from caseviewer.core import errors
from caseviewer.core import secrets as secret_module
from caseviewer.core.connection import Secrets
from caseviewer.core.secrets import (
    SecretStore,
    delete_all,
    get_or_create_cache_key,
    keyring_status,
    load_secrets,
    save_secrets,
    secure_backend,
)

TOKEN = "tok-6e1f0c2a9b"
PASSWORD = "pw-77c1d0e3"
KEY = "key-0b5d9a44f1"


def memory():
    return keyring.get_keyring().store


# --- backends that must never be used --------------------------------------------------------


class FakePlaintextKeyring(KeyringBackend):
    """Stands in for keyrings.alt.file.PlaintextKeyring (not installed here): it would write a file."""

    priority = 0.5

    def __init__(self) -> None:
        super().__init__()
        self.store: dict = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username))


FakePlaintextKeyring.__module__ = "keyrings.alt.file"


class LockedKeyring(KeyringBackend):
    """Every call fails the way SecretService does when the collection stays locked."""

    priority = 1
    error = keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def get_password(self, service, username, *_):
        raise self.error

    set_password = delete_password = get_password


class BrokenKeyring(LockedKeyring):
    error = keyring.errors.KeyringError("org.freedesktop.DBus.Error.ServiceUnknown")


class ChainOf(ChainerBackend):
    """A chainer with a fixed list of members (the real one discovers installed backends)."""

    def __init__(self, members):
        super().__init__()
        self._members = members

    @property
    def backends(self):
        return self._members


# --- round trips -------------------------------------------------------------------------------


def test_round_trip_under_service_caseviewer():
    store = SecretStore()
    assert save_secrets("prod", Secrets(list_token=TOKEN, detail_key=KEY)) == ["list_token", "detail_key"]
    assert memory() == {("caseviewer", "prod:list_token"): TOKEN, ("caseviewer", "prod:detail_key"): KEY}
    loaded = load_secrets("prod")
    assert (loaded.list_token, loaded.password, loaded.detail_key) == (TOKEN, None, KEY)
    assert TOKEN not in repr(loaded) and KEY not in repr(loaded)

    store.set("prod", "password", PASSWORD)
    assert store.get("prod", "password") == PASSWORD
    state = store.stored("prod")
    assert (state.list_token, state.password, state.detail_key, state.cache_key) == (True, True, True, False)
    assert store.delete("prod", "password") is True
    assert store.delete("prod", "password") is False


def test_save_keeps_what_is_not_given():
    save_secrets("prod", Secrets(list_token=TOKEN, detail_key=KEY))
    save_secrets("prod", Secrets(detail_key="new-key"))
    assert load_secrets("prod").list_token == TOKEN
    assert load_secrets("prod").detail_key == "new-key"


def test_profiles_do_not_share_secrets():
    save_secrets("a", Secrets(detail_key=KEY))
    assert load_secrets("b").detail_key is None


def test_delete_credentials_keeps_the_cache_key_and_delete_all_does_not():
    store = SecretStore()
    save_secrets("prod", Secrets(list_token=TOKEN, password=PASSWORD, detail_key=KEY))
    key = get_or_create_cache_key("prod")
    assert store.delete_credentials("prod") == ["list_token", "password", "detail_key"]
    assert get_or_create_cache_key("prod") == key
    assert delete_all("prod") == ["cache_key"]
    assert memory() == {}


def test_cache_key_is_random_256_bits_stored_hex():
    key = get_or_create_cache_key("prod")
    assert len(key) == 32
    assert memory()[("caseviewer", "prod:cache_key")] == key.hex()
    assert get_or_create_cache_key("prod") == key
    assert get_or_create_cache_key("other") != key


def test_a_damaged_cache_key_is_an_error_not_a_new_key():
    memory()[("caseviewer", "prod:cache_key")] = "zz"
    with pytest.raises(errors.SecretStoreError, match="damaged"):
        get_or_create_cache_key("prod")


def test_bad_usernames_are_refused():
    with pytest.raises(ValueError):
        SecretStore().get("prod", "something")
    with pytest.raises(errors.ConfigError):
        SecretStore().get("a:b", "password")


def test_status_when_fine():
    ok, message = keyring_status()
    assert ok and "keyring" in message


# --- no keyring --------------------------------------------------------------------------------


def _assert_refuses_and_stores_nothing(expected: str) -> None:
    ok, message = keyring_status()
    assert not ok
    assert expected in message
    assert "gnome-keyring" in message and "dbus-run-session" in message  # Linux advice
    assert "never stores secrets in a file" in message
    store = SecretStore()
    for call in (
        lambda: store.set("prod", "list_token", TOKEN),
        lambda: save_secrets("prod", Secrets(detail_key=KEY)),
        lambda: load_secrets("prod"),
        lambda: get_or_create_cache_key("prod"),
        lambda: store.delete("prod", "password"),
    ):
        with pytest.raises(errors.SecretStoreError) as caught:
            call()
        assert TOKEN not in str(caught.value) and KEY not in str(caught.value)


@pytest.fixture
def linux(monkeypatch):
    monkeypatch.setattr(secret_module.sys, "platform", "linux")


@pytest.mark.parametrize(
    "backend",
    [
        keyring.backends.fail.Keyring(),
        keyring.backends.null.Keyring(),
        ChainOf([]),
    ],
    ids=["fail", "null", "empty-chain"],
)
def test_no_backend(backend, linux):
    keyring.set_keyring(backend)
    _assert_refuses_and_stores_nothing("No secure keyring is available.")


def test_plaintext_backend_is_never_used(linux):
    plaintext = FakePlaintextKeyring()
    keyring.set_keyring(plaintext)
    _assert_refuses_and_stores_nothing("No secure keyring is available.")
    assert plaintext.store == {}


def test_a_chain_uses_its_secure_member_and_skips_plaintext():
    plaintext = FakePlaintextKeyring()
    secure = LockedKeyring()
    chain = ChainOf([plaintext, secure])
    assert secure_backend(chain) is secure
    keyring.set_keyring(chain)
    with pytest.raises(errors.SecretStoreError, match="locked"):
        SecretStore().set("prod", "detail_key", KEY)
    assert plaintext.store == {}  # the chainer itself would have fallen through to it


def test_a_chain_of_only_plaintext_is_no_keyring(linux):
    plaintext = FakePlaintextKeyring()
    keyring.set_keyring(ChainOf([plaintext]))
    _assert_refuses_and_stores_nothing("No secure keyring is available.")
    assert plaintext.store == {}


def test_locked_keyring(linux):
    keyring.set_keyring(LockedKeyring())
    _assert_refuses_and_stores_nothing("The keyring is locked")


def test_backend_error_names_only_its_type(linux):
    keyring.set_keyring(BrokenKeyring())
    ok, message = keyring_status()
    assert not ok and "(KeyringError)" in message and "DBus" not in message


@pytest.mark.parametrize(
    ("platform", "advice"),
    [("darwin", "macOS Keychain"), ("win32", "Windows Credential Manager"), ("linux", "KWallet")],
)
def test_advice_per_platform(platform, advice):
    assert advice in secret_module.how_to_fix(platform)
