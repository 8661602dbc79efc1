"""The real window read through AT-SPI, the way a screen reader reads it (issue #21, "Done when").

The app runs as its own process on a saved profile (the demo service over loopback, an offline
cache in a file keyring) under Xvfb (xcb) and a private D-Bus session with at-spi2-core, with
``QT_ACCESSIBILITY=1`` and ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``. ``tests/support/atspi_walker.py``
runs under the system Python (python3-pyatspi is a Debian package), finds the app by its process
id, opens a case and every section, then each dialog, and writes what it read as JSON; this test
checks it: every focusable node that is showing has a name and a role, the case table's cells read
their text and the row's state, the status chips read their words.

The tools are Debian packages (xvfb, dbus, at-spi2-core, python3-pyatspi; ``.ci/run`` installs
them): without them the test skips on a developer machine and fails in CI (``CI=true``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.cli_process import CLI, FILE_KEYRING, ROOT

SYSTEM_PYTHON = "/usr/bin/python3"
WALKER = ROOT / "tests" / "support" / "atspi_walker.py"
PROFILE = "a11y"
#: The whole walk (app start, a case, 13 sections, 7 dialogs); it takes ~20 s on a quiet machine.
WALK_TIMEOUT_S = 240

pytestmark = pytest.mark.timeout(WALK_TIMEOUT_S + 60)


def missing_tools() -> list[str]:
    missing = [tool for tool in ("xvfb-run", "dbus-run-session") if shutil.which(tool) is None]
    if not Path("/usr/libexec/at-spi-bus-launcher").exists() and shutil.which("at-spi-bus-launcher") is None:
        missing.append("at-spi2-core")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True) \
        if Path(SYSTEM_PYTHON).exists() else None
    if probe is None or probe.returncode != 0:
        missing.append("python3-pyatspi")
    return missing


@pytest.fixture(scope="module")
def tools() -> None:
    missing = missing_tools()
    if missing:
        why = f"the AT-SPI test needs {', '.join(missing)} (Debian packages; .ci/run installs them)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(why)
        pytest.skip(why)


def app_env(home: Path, svc) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASEVIEWER_", "QT_", "DBUS_", "AT_SPI"))}
    env.pop("DISPLAY", None)
    env.update(
        CASEVIEWER_HOME=str(home),
        PYTHON_KEYRING_BACKEND=FILE_KEYRING,  # an offline cache, so sync and find are enabled
        PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        CASEVIEWER_LIST_TOKEN=svc.list_token,
        CASEVIEWER_DETAIL_KEY=svc.detail_key,
        QT_QPA_PLATFORM="xcb",
        QT_ACCESSIBILITY="1",
        QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
        ATSPI_WALK_DIR=str(home.parent),
    )
    return env


@pytest.fixture(scope="module")
def report(tools, tmp_path_factory, request) -> dict:
    from caseviewer.demo.server import DemoConfig, DemoService

    base = tmp_path_factory.mktemp("atspi")
    home = base / "home"
    with DemoService(DemoConfig(cases=50, seed=11)) as svc:
        env = app_env(home, svc)
        added = subprocess.run(
            [*CLI, "profile", "add", PROFILE, "--list-url", svc.list_url, "--customer-id", svc.customer_id,
             "--detail-url", svc.detail_url, "--env", "DEMO"],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
        )
        assert added.returncode == 0, added.stderr
        out = base / "report.json"
        # xvfb-run outside: the session bus (and the AT-SPI services it starts) must see DISPLAY.
        walked = subprocess.run(
            ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "dbus-run-session", "--",
             SYSTEM_PYTHON, str(WALKER), str(out), "--", *CLI, "--profile", PROFILE],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=WALK_TIMEOUT_S,
        )
        assert out.exists(), f"the walker wrote no report (exit {walked.returncode}):\n{walked.stderr[-3000:]}"
        if os.environ.get("ATSPI_WALK_KEEP"):  # a copy of the report to read by hand
            shutil.copy(out, os.environ["ATSPI_WALK_KEEP"])
        data = json.loads(out.read_text(encoding="utf-8"))
        data["app_log"] = Path(str(out) + ".app.log").read_text(encoding="utf-8", errors="replace")[-3000:]
        data["cases"] = {case_id: svc.data.business_name(index) for index, case_id in enumerate(svc.data.case_ids())}
        return data


def test_the_walk_reached_every_window(report):
    assert not report["error"], (f"{report['error']}\n--- app output ---\n{report['app_log']}\n--- showing ---\n"
                                 + "\n".join(report.get("showing", [])))
    labels = {entry["label"] for entry in report["windows"]}
    for dialog in ("sync", "find in cached cases", "access log", "profile (update credentials)",
                   "manage profiles", "open case", "export confirmation", "main window, attachment preview",
                   "main window, working offline"):
        assert dialog in labels
    assert len(report["sections"]) >= 10, report["sections"]
    assert report["export_cancelled"], "Escape on the PHI warning must not write the file"
    print("AT-SPI walk, seconds:", report["seconds"])  # a figure, not a check
    assert all(f"main window, section {name}" in labels for name in report["sections"])


def test_every_focusable_node_has_a_name_and_a_role(report):
    problems = [f"{entry['label']}: {problem}" for entry in report["windows"] for problem in entry["problems"]]
    assert not problems, "\n".join(problems)
    assert all(entry["focusable"] > 0 for entry in report["windows"])


def rows(report) -> list[dict[str, dict]]:
    columns = report["columns"]
    cells = report["cells"]
    return [dict(zip(columns, cells[at:at + len(columns)])) for at in range(0, len(cells) - len(columns) + 1, len(columns))]


def test_the_case_tables_cells_read_their_text_and_the_rows_state(report):
    table = rows(report)
    assert len(table) >= 3, report["cells"][:12]
    for row in table:
        case_id = row["Case ID"]["name"]
        assert case_id in report["cases"], row
        assert row["Business name"]["name"] == report["cases"][case_id]
        assert row["Status"]["name"].startswith("Status: ") and len(row["Status"]["name"]) > len("Status: ")
        # The row's triage state in words, the same on every cell.
        assert len({cell["description"] for cell in row.values()}) == 1, row
        assert row["Case ID"]["description"].strip(), row
    # The walk opened the first case; the others are new (a fresh cache).
    assert table[0]["Case ID"]["description"].startswith("Read"), table[0]
    assert all(row["Case ID"]["description"].startswith("New") for row in table[1:]), table[1:]
    # An empty cell says so instead of reading the "—" it shows.
    assert "—" not in {cell["name"] for row in table for cell in row.values()}


def test_cards_chips_and_badges_read_their_text(report):
    parts = [part for entry in report["windows"] for part in entry["parts"]]
    kinds = {part["part"] for part in parts}
    assert {"detailCard", "toneBadge"} <= kinds, kinds
    unnamed = [part for part in parts if not part["name"].strip()]
    assert not unnamed, unnamed[:10]
    # A chip says its tone in words too (the colour and the shape are not all it has).
    assert all(part["description"].strip() for part in parts if part["part"] == "toneBadge")


def test_the_offline_banner_is_named_and_announced(report):
    assert report["banner"]["name"] == "Working offline", report["banner"]
    assert "offline" in report["banner"]["description"].lower()
    # Heard as an announcement (AT-SPI's object:announcement), with the status bar's message.
    assert any(heard.startswith("Offline") for heard in report["announcements"]), report["announcements"]
    assert any(heard.startswith("Working offline") for heard in report["announcements"]), report["announcements"]
