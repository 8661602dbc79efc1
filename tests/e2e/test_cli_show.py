"""The command line tested from outside: real processes, real demo service, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.support.cli_process import demo_server_process

CLI = [sys.executable, "-m", "caseviewer.cli"]


@pytest.fixture(scope="module")
def demo_process():
    """``caseviewer demo-server`` in its own process; yields the key=value lines it printed."""
    with demo_server_process("--cases", "30", "--seed", "5") as values:
        yield values


def run_cli(args, demo, *, key=None, extra_env=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEVIEWER_")}
    env["CASEVIEWER_HOME"] = os.environ["CASEVIEWER_HOME"]
    # Child processes must not touch the developer's real keyring: with no keyring the CLI runs
    # without an offline cache (and says so in the log), which is what these tests exercise.
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["CASEVIEWER_LIST_TOKEN"] = demo["list_token"]
    env["CASEVIEWER_DETAIL_KEY"] = key if key is not None else demo["detail_key"]
    env.update(extra_env or {})
    connection = ["--list-url", demo["list_url"], "--detail-url", demo["detail_url"], "--customer-id", demo["customer_id"]]
    return subprocess.run([*CLI, *args, *connection], capture_output=True, text=True, env=env, timeout=60)


def first_case_id(demo) -> str:
    import httpx

    response = httpx.get(
        f"{demo['list_url']}/customers/{demo['customer_id']}/cases",
        headers={"Authorization": f"Bearer {demo['list_token']}"},
    )
    return response.json()["data"]["records"][-1]["id"]


def assert_one_line_error(result, code):
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("caseviewer: ")
    assert "Traceback" not in result.stderr


def test_demo_server_prints_its_endpoints(demo_process):
    assert set(demo_process) == {
        "list_url", "auth_url", "detail_url", "customer_id", "list_token", "login_email", "login_password", "detail_key"
    }
    assert demo_process["list_url"].startswith("http://127.0.0.1:")


def test_show_json_prints_the_full_detail(demo_process):
    case_id = first_case_id(demo_process)
    result = run_cli(["show", case_id, "--json"], demo_process)
    assert result.returncode == 0, result.stderr
    detail = json.loads(result.stdout)
    assert detail["id"] == case_id
    for key in ("submitter", "decisions", "comments", "notes", "payments", "attachments", "orders",
                "calendarEvents", "caseProducts", "responses", "activity"):
        assert key in detail


def test_show_by_email_and_human_summary(demo_process):
    case_id = first_case_id(demo_process)
    email = json.loads(run_cli(["show", case_id, "--json"], demo_process).stdout)["submitter"]["email"]
    result = run_cli(["show", email], demo_process)
    assert result.returncode == 0 and case_id in result.stdout


def test_wrong_key_exits_3_without_echoing_it(demo_process):
    result = run_cli(["show", first_case_id(demo_process)], demo_process, key="cvk_wrong_key_123")
    assert_one_line_error(result, 3)
    assert "cvk_wrong" not in result.stderr


def test_unknown_id_exits_4(demo_process):
    assert_one_line_error(run_cli(["show", "00000000-0000-4000-8000-000000000000"], demo_process), 4)


def test_dead_port_exits_5(demo_process):
    dead = {**demo_process, "detail_url": "http://127.0.0.1:9", "list_url": "http://127.0.0.1:9/case/api/v1"}
    assert_one_line_error(run_cli(["show", "abc"], dead), 5)


def test_malformed_body_gives_one_line(demo_process):
    import httpx

    httpx.post(demo_process["auth_url"] + "/__demo/faults", json={"malformed_json": True, "scope": "detail"})
    try:
        result = run_cli(["show", first_case_id(demo_process)], demo_process)
    finally:
        httpx.delete(demo_process["auth_url"] + "/__demo/faults")
    assert_one_line_error(result, 1)
    assert "not valid JSON" in result.stderr


def test_no_connection_is_a_usage_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEVIEWER_")}
    env["CASEVIEWER_HOME"] = str(tmp_path)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    result = subprocess.run([*CLI, "show", "abc"], capture_output=True, text=True, env=env, timeout=60)
    assert_one_line_error(result, 2)


def test_environment_supplies_urls(demo_process):
    env = {
        "CASEVIEWER_DETAIL_URL": demo_process["detail_url"],
        "CASEVIEWER_LIST_URL": demo_process["list_url"],
        "CASEVIEWER_CUSTOMER_ID": demo_process["customer_id"],
        "CASEVIEWER_LIST_TOKEN": demo_process["list_token"],
        "CASEVIEWER_DETAIL_KEY": demo_process["detail_key"],
        "CASEVIEWER_HOME": os.environ["CASEVIEWER_HOME"],
        "PATH": os.environ["PATH"],
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    result = subprocess.run([*CLI, "show", first_case_id(demo_process), "--json"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr


def test_version():
    result = subprocess.run([*CLI, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("caseviewer ")


def test_log_file_has_ids_and_codes_but_no_secret_body_or_name(demo_process, tmp_path):
    case_id = first_case_id(demo_process)
    home = tmp_path / "loghome"
    result = run_cli(["show", case_id, "--json"], demo_process, extra_env={"CASEVIEWER_HOME": str(home)})
    assert result.returncode == 0
    detail = json.loads(result.stdout)
    run_cli(["show", "00000000-0000-4000-8000-000000000000"], demo_process, extra_env={"CASEVIEWER_HOME": str(home)})
    log_text = "".join(p.read_text() for p in (home / "logs").glob("caseviewer.log*"))
    assert "-> 200" in log_text and "-> 404" in log_text
    for forbidden in (
        demo_process["list_token"],
        demo_process["detail_key"],
        detail["submitter"]["email"],
        detail["submitter"]["lastName"],
        detail["title"],
    ):
        assert forbidden not in log_text


def test_show_an_unknown_short_id_exits_4_and_says_how_to_find_it(demo_process):
    """A short ID (CV-…) is looked up locally; with none known the one line says what to do."""
    result = run_cli(["show", "CV-000999"], demo_process)
    assert_one_line_error(result, 4)
    assert "short ID CV-000999" in result.stderr and "caseviewer sync" in result.stderr
