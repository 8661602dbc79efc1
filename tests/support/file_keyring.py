"""A keyring backend for child processes of the tests: a JSON file in the test's CASEVIEWER_HOME.

The real CLI runs as a subprocess in the fault suite, and the in-memory keyring of the test
process does not reach it; ``PYTHON_KEYRING_BACKEND=tests.support.file_keyring.FileKeyring``
gives it one that lasts across the commands of one test. Test use only: the values are the demo
service's synthetic credentials and a throw-away cache key, in a temporary folder.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1

    @staticmethod
    def _path() -> Path:
        return Path(os.environ["CASEVIEWER_HOME"]) / "test-keyring.json"

    def _load(self) -> dict[str, str]:
        try:
            return json.loads(self._path().read_text())
        except FileNotFoundError:
            return {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        store = self._load()
        store[f"{service}\n{username}"] = password
        self._path().parent.mkdir(parents=True, exist_ok=True)
        self._path().write_text(json.dumps(store))

    def delete_password(self, service: str, username: str) -> None:
        store = self._load()
        if store.pop(f"{service}\n{username}", None) is None:
            raise PasswordDeleteError(username)
        self._path().write_text(json.dumps(store))
