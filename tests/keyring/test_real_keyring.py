"""A secret through the real OS keyring (Secret Service, Keychain, Credential Manager).

Run on demand: ``pytest -m keyring tests/keyring``. Headless Linux::

    dbus-run-session -- sh -c 'eval $(echo -n pw | gnome-keyring-daemon --unlock \
        --components=secrets --daemonize); pytest -m keyring tests/keyring'

conftest installs an in-memory keyring for every test; this one puts back the backend keyring
itself would choose, and skips when that is not a secure, unlocked keyring.
"""

from __future__ import annotations

import secrets as random_source

import keyring
import keyring.core
import pytest

from caseviewer.core.connection import Secrets
from caseviewer.core.secrets import SecretStore, keyring_status

pytestmark = pytest.mark.keyring


def _not_a_test_backend(backend) -> bool:
    # keyring discovers every KeyringBackend subclass, including the ones the tests define.
    return not type(backend).__module__.startswith(("conftest", "test_", "tests."))


@pytest.fixture
def real_keyring():
    # What keyring itself would choose (conftest puts its memory keyring back afterwards).
    keyring.core.init_backend(limit=_not_a_test_backend)
    ok, message = keyring_status()
    if not ok:
        pytest.skip(f"no usable OS keyring here: {message}")
    chosen = SecretStore().backend()
    assert type(chosen).__module__.startswith("keyring.backends."), chosen  # not the test's memory keyring
    return chosen


def test_round_trip_through_the_os_keyring(real_keyring):
    store = SecretStore()
    profile = f"pytest-{random_source.token_hex(4)}"
    token, key = random_source.token_urlsafe(24), random_source.token_urlsafe(24)
    try:
        store.save(profile, Secrets(list_token=token, detail_key=key))
        assert real_keyring.get_password("caseviewer", f"{profile}:list_token") == token
        loaded = store.load(profile)
        assert (loaded.list_token, loaded.password, loaded.detail_key) == (token, None, key)
        cache_key = store.get_or_create_cache_key(profile)
        assert store.get_or_create_cache_key(profile) == cache_key and len(cache_key) == 32
    finally:
        store.delete_all(profile)
    assert store.load(profile).list_token is None
    assert not any(vars(store.stored(profile)).values())
