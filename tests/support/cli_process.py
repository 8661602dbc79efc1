"""The real ``caseviewer`` command in a child process, pointed at an in-process demo service.

``run_cli(args, svc)`` runs ``python -m caseviewer.cli`` with the demo's URLs as flags and its
secrets in the environment (never argv). With ``cache=True`` the child gets a keyring
(``file_keyring``) so it has an encrypted offline cache that lasts across the calls of one test;
without, it runs with no keyring and so no cache. ``TZ`` and other variables go in ``env``.
``demo_server_process(*args)`` runs ``caseviewer demo-server`` itself in a child process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "caseviewer.cli"]
FILE_KEYRING = "tests.support.file_keyring.FileKeyring"
NO_KEYRING = "keyring.backends.fail.Keyring"


def run_cli(args, svc, *, cache: bool = True, env: dict[str, str] | None = None,
            connection: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    child = {k: v for k, v in os.environ.items() if not k.startswith("CASEVIEWER_")}
    child["CASEVIEWER_HOME"] = os.environ["CASEVIEWER_HOME"]
    child["PYTHON_KEYRING_BACKEND"] = FILE_KEYRING if cache else NO_KEYRING
    child["PYTHONPATH"] = str(ROOT) + os.pathsep + child.get("PYTHONPATH", "")
    child["CASEVIEWER_LIST_TOKEN"] = svc.list_token
    child["CASEVIEWER_DETAIL_KEY"] = svc.detail_key
    child.update(env or {})
    flags = ["--list-url", svc.list_url, "--detail-url", svc.detail_url, "--customer-id", svc.customer_id]
    args = list(args)
    flags = flags if connection else []
    # Options go before a "--", after which everything is a positional argument.
    at = args.index("--") if "--" in args else len(args)
    return subprocess.run([*CLI, *args[:at], *flags, *args[at:]], capture_output=True,
                          env=child, cwd=ROOT, timeout=timeout)


def text(stream: bytes) -> str:
    return stream.decode("utf-8", "replace")


def assert_clean_exit(result, code: int) -> None:
    """Exit ``code`` with at most one line on stderr and never an internal error."""
    err = text(result.stderr)
    assert result.returncode == code, (result.returncode, err, text(result.stdout)[-2000:])
    assert "caseviewer: internal error (" not in err and "Traceback" not in err, err


@contextmanager
def demo_server_process(*args: str) -> Iterator[dict[str, str]]:
    """``caseviewer demo-server ARGS`` in its own process: the key=value lines it printed; stopped
    with SIGTERM afterwards, which must end it cleanly (exit 0)."""
    proc = subprocess.Popen([*CLI, "demo-server", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    values: dict[str, str] = {}
    try:
        while len(values) < 8:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            key, _, value = line.strip().partition("=")
            values[key] = value
        yield values
    finally:
        proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == 0
