"""``caseviewer export`` and ``caseviewer list`` as real processes against the demo service."""

from __future__ import annotations

import csv
import io
import os
import stat
import subprocess
import sys

import httpx
import pytest
from pypdf import PdfReader

from tests.e2e.test_cli_show import CLI, demo_process, run_cli  # noqa: F401 - fixture

pytestmark = pytest.mark.timeout(180)


def all_records(demo) -> list[dict]:
    response = httpx.get(
        f"{demo['list_url']}/customers/{demo['customer_id']}/cases",
        params={"pagination": "false"},
        headers={"Authorization": f"Bearer {demo['list_token']}"},
        trust_env=False,
    )
    return response.json()["data"]["records"]


def rich_case_id(demo) -> str:
    # The demo's newest case (index 0) is the rich one; the list is newest first.
    return all_records(demo)[0]["id"]


def test_export_pdf_with_attachments(demo_process, tmp_path):
    target = tmp_path / "dossier.pdf"
    result = run_cli(["export", rich_case_id(demo_process), "--pdf", str(target), "--attachments"], demo_process)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout and "+ 6 attachment" in result.stdout
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    reader = PdfReader(str(target))
    body = int(result.stdout.split("pages: ")[1].split(" dossier")[0])
    assert len(reader.pages) == body + 6
    assert "Contains PHI" in " ".join((reader.pages[-1].extract_text() or "").split())


def test_export_by_email_without_attachments(demo_process, tmp_path):
    email = httpx.get(
        f"{demo_process['detail_url']}/api/v1/customer-case-detail",
        params={"caseId": rich_case_id(demo_process)},
        headers={"cv-api-key": demo_process["detail_key"]},
        trust_env=False,
    ).json()["caseDetail"]["submitter"]["email"]
    target = tmp_path / "by-email.pdf"
    result = run_cli(["export", email, "--pdf", str(target)], demo_process)
    assert result.returncode == 0, result.stderr
    assert "+ 0 attachment" in result.stdout
    assert len(PdfReader(str(target)).pages) >= 5


def test_export_unknown_case_is_not_found(demo_process, tmp_path):
    result = run_cli(["export", "00000000-0000-0000-0000-000000000000", "--pdf", str(tmp_path / "x.pdf")], demo_process)
    assert result.returncode == 4, result.stderr
    assert result.stderr.startswith("caseviewer: ") and "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_export_into_a_missing_folder_is_a_clear_error(demo_process, tmp_path):
    result = run_cli(["export", rich_case_id(demo_process), "--pdf", str(tmp_path / "no" / "x.pdf")], demo_process)
    assert result.returncode != 0 and "does not exist" in result.stderr and "Traceback" not in result.stderr


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_list_csv_to_stdout_has_every_case(demo_process):
    result = subprocess.run([*CLI, "list", "--csv", "--page-size", "7",
                             "--list-url", demo_process["list_url"], "--customer-id", demo_process["customer_id"]],
                            capture_output=True, env=_env(demo_process), timeout=60)
    assert result.returncode == 0, result.stderr
    rows = read_csv(result.stdout)
    assert rows[0] == ["Business name", "Applicant", "Status", "Created", "Case ID", "Applicant ID", "Case type",
                       "Assignee", "Trading name (DBA)"]
    expected = all_records(demo_process)
    assert [r[4] for r in rows[1:]] == [r["id"] for r in expected]
    # The hostile case's business name is HTML: kept as text; dates are ISO.
    assert any("<script>" in r[0] for r in rows[1:])
    assert all(r[3].endswith("Z") and "T" in r[3] for r in rows[1:])


def test_list_csv_filters_and_output_file(demo_process, tmp_path):
    target = tmp_path / "review.csv"
    result = run_cli(["list", "--csv", "--status", "UNDER_MANUAL_REVIEW", "--sort", "business", "--asc",
                      "--created-from", "2024-01-01", "--output", str(target)], demo_process)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    rows = read_csv(target.read_bytes())[1:]
    expected = [r for r in all_records(demo_process)
                if r["status"]["code"] == "UNDER_MANUAL_REVIEW" and r["created_at"] >= "2024-01-01"]
    assert rows and len(rows) == len(expected)
    assert {r[4] for r in rows} == {r["id"] for r in expected}
    names = [r[0] for r in rows]
    assert names == sorted(names, key=str.casefold) or names == sorted(names)


def test_list_plain_text_is_one_line_per_case(demo_process):
    word = all_records(demo_process)[3]["business_name"].split()[0]
    result = run_cli(["list", "--search", word], demo_process)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(word.casefold() in line.casefold() for line in lines)


@pytest.mark.parametrize("args", [["--status", "NOPE"], ["--created-from", "yesterday"],
                                  ["--created-from", "2025-02-01", "--created-to", "2025-01-01"]])
def test_list_bad_options_are_usage_errors(demo_process, args):
    result = run_cli(["list", "--csv", *args], demo_process)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr


def _env(demo) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEVIEWER_")}
    env["CASEVIEWER_HOME"] = os.environ["CASEVIEWER_HOME"]
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["CASEVIEWER_LIST_TOKEN"] = demo["list_token"]
    return env


def test_cli_module_is_importable_without_qt_for_list():
    # ``list`` must not need a display or Qt to run: the module imports no Qt at the top.
    code = "import sys, caseviewer.cli.export; sys.exit('PySide6' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_export_offline_from_the_cache(fresh_demo, monkeypatch, capsys, tmp_path, qapp):
    from caseviewer import cli

    monkeypatch.setenv("CASEVIEWER_LIST_TOKEN", fresh_demo.list_token)
    monkeypatch.setenv("CASEVIEWER_DETAIL_KEY", fresh_demo.detail_key)
    flags = ["--list-url", fresh_demo.list_url, "--detail-url", fresh_demo.detail_url, "--customer-id", fresh_demo.customer_id]
    case_id = fresh_demo.data.case_ids()[0]
    assert cli.main(["show", case_id, *flags]) == 0  # caches the case (with its inline attachments)
    capsys.readouterr()
    fresh_demo.stop()
    target = tmp_path / "offline.pdf"
    assert cli.main(["export", case_id, "--pdf", str(target), "--attachments", "--offline", *flags]) == 0
    assert "wrote" in capsys.readouterr().out
    import unicodedata

    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(str(target)).pages)
    assert "From the offline cache" in unicodedata.normalize("NFKC", text)  # unfold the "ffl" ligature
    assert cli.main(["export", fresh_demo.data.case_ids()[1], "--pdf", str(tmp_path / "no.pdf"), "--offline", *flags]) == 5
    assert not (tmp_path / "no.pdf").exists()
