"""The window as a real process (offscreen, ``--smoke-test``) on a profile: its page size is what
the list is asked for, and the log says which case and page each request was for."""

from __future__ import annotations

import os
import subprocess
import sys

CLI = [sys.executable, "-m", "caseviewer.cli"]


def child_env(home, svc) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEVIEWER_")}
    env.update(
        CASEVIEWER_HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",  # never the developer's keyring
        CASEVIEWER_LIST_TOKEN=svc.list_token,
        CASEVIEWER_DETAIL_KEY=svc.detail_key,
    )
    return env


def log_text(home) -> str:
    return "".join(path.read_text(encoding="utf-8") for path in (home / "logs").glob("caseviewer.log*"))


def test_the_window_asks_for_the_profiles_page_size(tmp_path, demo_service):
    home = tmp_path / "home"
    env = child_env(home, demo_service)
    added = subprocess.run(
        [*CLI, "profile", "add", "paged", "--list-url", demo_service.list_url, "--customer-id",
         demo_service.customer_id, "--detail-url", demo_service.detail_url, "--page-size", "7"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert added.returncode == 0, added.stderr
    result = subprocess.run([*CLI, "--profile", "paged", "--smoke-test"], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    text = log_text(home)
    assert "[page 1, 7 per page] -> 200" in text
    assert "100 per page" not in text
    # The detail request of the first row names its case (an id, no body, no name).
    assert "GET case detail service [case " in text
    for secret in (demo_service.list_token, demo_service.detail_key):
        assert secret not in text


def test_the_log_names_the_case_of_each_request_but_never_an_email(tmp_path, demo_service):
    home = tmp_path / "home"
    env = child_env(home, demo_service)
    connection = ["--list-url", demo_service.list_url, "--customer-id", demo_service.customer_id,
                  "--detail-url", demo_service.detail_url]
    case_id = demo_service.data.detail(None, email=demo_service.data.email(0))["id"]
    email = demo_service.data.email(0)
    for target in (case_id, email):
        result = subprocess.run([*CLI, "show", target, *connection], capture_output=True, text=True, env=env, timeout=60)
        assert result.returncode == 0, result.stderr
    text = log_text(home)
    assert f"GET case detail service [case {case_id}] -> 200 in " in text  # id, status, timing
    assert "GET case detail service [case by email] -> 200 in " in text
    assert email not in text and email.split("@")[0] not in text
