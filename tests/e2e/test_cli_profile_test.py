"""``caseviewer profile test NAME`` from outside: real processes, the demo service over loopback.

One line per half; exit 0 only when every configured half is right, else the first failure's code.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CLI = [sys.executable, "-m", "caseviewer.cli"]


def run(args, *, env_secrets: dict[str, str] | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEVIEWER_")}
    env["CASEVIEWER_HOME"] = os.environ["CASEVIEWER_HOME"]
    # No real keyring in a child: the secrets come from the environment (used, never stored).
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env.update(env_secrets or {})
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=60)


def add(name, *args):
    result = run(["profile", "add", name, *args])
    assert result.returncode == 0, result.stderr


@pytest.fixture
def secrets(demo_service):
    return {"CASEVIEWER_LIST_TOKEN": demo_service.list_token, "CASEVIEWER_DETAIL_KEY": demo_service.detail_key}


def test_a_right_profile_passes_with_one_line_per_half(demo_service, secrets):
    add("good", "--list-url", demo_service.list_url, "--customer-id", demo_service.customer_id,
        "--detail-url", demo_service.detail_url)
    result = run(["profile", "test", "good"], env_secrets=secrets)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "✓ Case list: connected, 1,000 cases",
        "✓ Case detail: connected, the API key was accepted",
    ]


def test_a_wrong_detail_path_fails_with_exit_2(demo_service, secrets):
    add("v2", "--list-url", demo_service.list_url, "--customer-id", demo_service.customer_id,
        "--detail-url", demo_service.detail_url + "/api/v2")
    result = run(["profile", "test", "v2"], env_secrets=secrets)
    assert result.returncode == 2, result.stdout + result.stderr
    list_line, detail_line = result.stdout.splitlines()
    assert list_line.startswith("✓ Case list: connected")
    assert detail_line.startswith("✗ Case detail:") and "Check the path" in detail_line


def test_the_first_failure_decides_the_exit_code(demo_service, secrets):
    add("nocust", "--list-url", demo_service.list_url, "--customer-id", "no-such-customer",
        "--detail-url", demo_service.detail_url)
    bad_key = {**secrets, "CASEVIEWER_DETAIL_KEY": "wrong-key"}
    result = run(["profile", "test", "nocust"], env_secrets=bad_key)
    assert result.returncode == 4, result.stdout + result.stderr  # the list half's, not the key's 3
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith("✗") for line in lines)
    assert "no-such-customer" in lines[0] and "rejected" in lines[1]


def test_a_half_left_out_is_not_a_failure(demo_service, secrets):
    add("detailonly", "--detail-url", demo_service.detail_url)
    result = run(["profile", "test", "detailonly"], env_secrets=secrets)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == "– Case list: not configured"


def test_no_secret_and_no_keyring_is_exit_3(demo_service):
    add("nokey", "--detail-url", demo_service.detail_url)
    result = run(["profile", "test", "nokey"])
    assert result.returncode == 3, result.stdout + result.stderr
    assert "keyring" in result.stdout.lower()
    assert "Traceback" not in result.stderr


def test_an_unknown_profile_is_a_one_line_usage_error():
    result = run(["profile", "test", "nosuch"])
    assert result.returncode == 2
    assert result.stderr.startswith("caseviewer: No profile named 'nosuch'")
