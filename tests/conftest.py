"""Shared fixtures: an isolated CASEVIEWER_HOME, an in-memory keyring, and the demo service.

Qt runs offscreen (set before any Qt import). Tests talk to the real demo service over loopback
HTTP; nothing here mocks the network.
"""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("CASEVIEWER_LIST_TOKEN", None)
os.environ.pop("CASEVIEWER_DETAIL_KEY", None)

import keyring
import pytest
from keyring.backend import KeyringBackend

from caseviewer.demo.server import DemoConfig, DemoService


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in the test process only."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.store:
            raise PasswordDeleteError(username)
        del self.store[(service, username)]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own config/cache/log folder and its own in-memory keyring."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CASEVIEWER_HOME", str(home))
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield home
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _no_process_hardening_in_the_test_process(monkeypatch):
    """cli.main hardens its process (no core dumps, core/hardening.py). Run in-process, that would
    make pytest itself unable to hand a raised core limit to the real processes that test it."""
    monkeypatch.setattr("caseviewer.cli.run.harden_process", lambda: None)


@pytest.fixture(autouse=True)
def _no_frozen_heap_between_tests():
    """run_gui freezes the heap for a desktop session (core/runtime.py); a test run is not one."""
    yield
    gc.unfreeze()


@pytest.fixture(autouse=True)
def _no_masking_left_from_another_test():
    """Privacy mode and the lock mask every window's PHI through one process-wide state
    (core/privacy.py ``MASK_STATE``); a test that fails while it is on (or that an idle lock caught
    while it hung) must not leave the next tests reading masks."""
    yield
    from caseviewer.core.privacy import MASK_STATE

    MASK_STATE.enabled = False
    MASK_STATE.locked = False


@pytest.fixture(scope="session")
def demo_service():
    """A shared demo service with 1,000 cases; do not change its faults (use ``fresh_demo``)."""
    with DemoService(DemoConfig(cases=1000, seed=7)) as service:
        yield service


@pytest.fixture
def fresh_demo():
    """A private demo service (50 cases) whose fault knobs a test may turn."""
    with DemoService(DemoConfig(cases=50, seed=11)) as service:
        yield service


@pytest.fixture
def restore_theme(qapp):
    """A test may apply any theme (``theme.apply_theme``); the application's style, palette, style
    sheet and current theme are put back afterwards, as the other tests know them."""
    from PySide6.QtGui import QPalette

    from caseviewer.ui import theme

    before = (qapp.style().name(), QPalette(qapp.palette()), qapp.styleSheet(), theme._current)
    yield
    qapp.setStyle(before[0])
    qapp.setPalette(before[1])
    qapp.setStyleSheet(before[2])
    theme._current = before[3]
