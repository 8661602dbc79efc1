"""Every command in README.md runs, as real processes against the demo service.

* Each ```sh block is run: shell lines as written (with ``sh``), except the developer entry points:
  ``./dev demo ...`` opens the window, so it runs with ``--smoke-test`` offscreen (first page, first
  case, exit); ``./dev test`` is skipped because it is this very suite.
* Each row of the "Command line" table has a concrete run below (placeholders filled in with the
  demo's values), and a row without one fails the test, so the table cannot drift from what runs.
  Commands that keep secrets (``login``, ``sync``, ``search``...) run inside a private D-Bus session
  with its own gnome-keyring, never the developer's keyring; without those tools they are skipped
  with the reason.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from caseviewer.demo.data import DemoData
from tests.support.cli_process import demo_server_process

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CLI = [sys.executable, "-m", "caseviewer.cli"]
TIMEOUT = 180

#: The first submitter of the demo's synthetic cases with the default seed (as the README says).
DEMO_SUBMITTER = "eden.valemont0@example.test"


def readme() -> str:
    return README.read_text(encoding="utf-8")


def sh_blocks(text: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M)


def command_table(text: str) -> list[str]:
    """The first column of the table under "## Command line", as written (``\\|`` -> ``|``)."""
    section = text.split("## Command line", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(caseviewer[^`]*)` \|", section, flags=re.M)
    return [row.replace("\\|", "|") for row in rows]


def base_env(home: Path) -> dict[str, str]:
    # No connection or secret from outside; CASEVIEWER_VENV is ./dev's own setting.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEVIEWER_") or k == "CASEVIEWER_VENV"}
    env.update(
        CASEVIEWER_HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        # Outside the private keyring session a child never touches a real keyring.
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        TMPDIR=str(home),
    )
    return env


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """``caseviewer demo-server`` (default cases and seed, as the README uses it) in its own process."""
    with demo_server_process() as values:
        yield values


# -- the sh blocks ---------------------------------------------------------------------------------


def shell_commands(block: str) -> list[str]:
    """The block's commands, continuation lines joined, comments and blank lines dropped."""
    joined = re.sub(r"\\\n\s*", " ", block)
    return [line for line in (raw.strip() for raw in joined.splitlines()) if line and not line.startswith("#")]


def strip_comment(line: str) -> str:
    return re.sub(r"\s+#.*$", "", line).strip()


def test_the_readme_has_what_this_test_runs():
    text = readme()
    assert len(sh_blocks(text)) >= 2
    assert "$login_email" not in text.split("Try it against the demo service", 1)[1].split("```", 2)[1]


@pytest.mark.parametrize("index", range(len(sh_blocks(readme()))))
def test_sh_block_runs(index, tmp_path):
    block = sh_blocks(readme())[index]
    commands = shell_commands(block)
    dev = [strip_comment(c) for c in commands if c.startswith("./dev ")]
    if dev:
        assert len(dev) == len(commands), "a block mixes ./dev entry points with other commands"
        ran = 0
        for command in dev:
            argv = shlex.split(command)
            if argv[1] == "test":
                continue  # it is this very suite: running it from here would recurse
            assert argv[1] == "demo", f"no rule for {command!r}"
            # The window: run it offscreen through its smoke test (first page, first case, exit 0).
            result = subprocess.run([*argv, "--smoke-test"], cwd=ROOT, env=base_env(tmp_path),
                                    capture_output=True, text=True, timeout=TIMEOUT)
            assert result.returncode == 0, f"{command}: {result.stderr[-2000:]}"
            ran += 1
        assert ran, "only ./dev test here: nothing to run"
        return
    if not (ROOT / ".venv" / "bin" / "caseviewer").exists():
        pytest.skip("the README's examples use .venv/bin/caseviewer; create it with ./dev")
    code, out, err = run_block(block, tmp_path)
    assert code == 0, f"block {index}:\n{block}\n{err[-2000:]}"
    if "show" in block and "--json" in block:
        assert DEMO_SUBMITTER in out


def run_block(block: str, home: Path) -> tuple[int, str, str]:
    """Run a block with ``sh -e`` in its own process group; whatever it left running is stopped."""
    out_path, err_path = home / "block.out", home / "block.err"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        proc = subprocess.Popen(["sh", "-e", "-c", block], cwd=ROOT, env=base_env(home), stdout=out, stderr=err,
                                start_new_session=True)
        try:
            code = proc.wait(TIMEOUT)
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)  # only this block's own group
            except ProcessLookupError:
                pass
    return code, out_path.read_text(), err_path.read_text()


# -- the command table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One concrete invocation; ``{name}`` placeholders come from the demo's printed values."""

    args: tuple[str, ...]
    code: int = 0
    stdin: str | None = None
    keyring: bool = False  # needs a real (private) keyring session

    def argv(self, values: dict[str, str]) -> list[str]:
        return [arg.format(**values) for arg in self.args]


CONNECTION = ("--list-url", "{list_url}", "--detail-url", "{detail_url}", "--customer-id", "{customer_id}")
ADD = ("profile", "add", "readme", "--list-url", "{list_url}", "--customer-id", "{customer_id}",
       "--detail-url", "{detail_url}", "--env", "DEMO")

SECOND = Run(("profile", "add", "second", "--list-url", "{list_url}", "--customer-id", "{customer_id}",
              "--auth-url", "{auth_url}", "--email", "{login_email}", "--detail-url", "{detail_url}", "--env", "STAGING"))

#: Per table row, what runs (in order, in a fresh CASEVIEWER_HOME). The env-secret runs get CASEVIEWER_LIST_TOKEN/DETAIL_KEY.
TABLE = {
    # The window on a profile. Environment secrets (all this test has: no keyring) apply only to a
    # profile named explicitly, never to the last one picked implicitly, so it is named here.
    "caseviewer": [Run(ADD), Run(("--profile", "readme", "--smoke-test"))],
    "caseviewer --demo [--cases N]": [Run(("--demo", "--cases", "20", "--smoke-test"))],
    "caseviewer demo-server [--port N] [--cases N] [--seed N]": [],  # the fixture runs it, and checks SIGTERM
    "caseviewer show CASE_ID|SHORT_ID|EMAIL [--json] [--offline]": [
        Run(("show", DEMO_SUBMITTER, *CONNECTION)),
        Run(("show", "CV-999999", *CONNECTION), code=4),  # a short ID nobody has cached
        Run(("show", DEMO_SUBMITTER, "--json", *CONNECTION)),
        Run(("show", "reviewer-login@example.test", *CONNECTION), code=4),  # not a submitter
    ],
    "caseviewer sync [--attachments] [--concurrency N] [--force]": [Run(("sync", "--profile", "kr"), keyring=True)],
    "caseviewer export CASE_ID|EMAIL --pdf FILE [--attachments] [--offline]": [
        Run(("export", DEMO_SUBMITTER, "--pdf", "{home}/dossier.pdf", "--attachments", *CONNECTION)),
    ],
    "caseviewer list [--csv] [--output FILE] [--status CODE]... [--search TEXT] [--search-field F]... [--sort created|business] [--asc] [--created-from DATE] [--created-to DATE]": [
        Run(("list", *CONNECTION)),
        Run(("list", "--csv", "--output", "{home}/cases.csv", "--status", "UNDER_MANUAL_REVIEW", "--sort", "business",
             "--asc", "--created-from", "2020-01-01", *CONNECTION)),
    ],
    "caseviewer search WORD... [--limit N]": [Run(("search", "--profile", "kr", "valemont", "--limit", "3"), keyring=True)],
    "caseviewer audit [--case ID] [--action ACTION] [--since DATE] [--until DATE] [--csv]": [
        Run(("audit", "--profile", "kr", "--since", "2020-01-01", "--csv"), keyring=True),
    ],
    "caseviewer audit --verify": [Run(("audit", "--profile", "kr", "--verify"), keyring=True)],
    "caseviewer profile add NAME --list-url URL --detail-url URL --customer-id ID [--auth-url URL] [--email EMAIL] [--env LABEL]": [
        SECOND,
    ],
    "caseviewer profile list|show NAME|remove NAME": [
        SECOND, Run(("profile", "list")), Run(("profile", "show", "second")),
        Run(("profile", "remove", "kr"), keyring=True),  # it removes the keyring secrets too
    ],
    "caseviewer profile test NAME": [Run(ADD[:2] + ("tested",) + ADD[3:]), Run(("profile", "test", "tested"))],
    "caseviewer login PROFILE [--list-token-stdin|--password-stdin|--detail-key-stdin]": [
        Run(("login", "kr", "--list-token-stdin"), stdin="{list_token}", keyring=True),
        Run(("login", "kr", "--detail-key-stdin"), stdin="{detail_key}", keyring=True),
    ],
    "caseviewer logout PROFILE": [Run(("logout", "kr"), keyring=True)],
    "caseviewer --theme light|dark|high-contrast|system": [Run(("--theme", "high-contrast", "--demo", "--cases", "5", "--smoke-test"))],
    "caseviewer --version": [Run(("--version",))],
    "caseviewer caseviewer://case/ID[?profile=NAME]": [
        # The demo's first case (seed 1); the smoke test fails unless the link's case is shown.
        Run((f"caseviewer://case/{DemoData(cases=5).case_ids()[0]}", "--demo", "--cases", "5", "--smoke-test")),
        Run(("caseviewer://nonsense",), code=2),  # not a link to a case: a usage error
    ],
}

#: The keyring group runs in this order, in one private keyring session.
KEYRING_ORDER = [
    Run(("profile", "add", "kr", "--list-url", "{list_url}", "--customer-id", "{customer_id}",
         "--detail-url", "{detail_url}")),
    *TABLE["caseviewer login PROFILE [--list-token-stdin|--password-stdin|--detail-key-stdin]"],
    *TABLE["caseviewer sync [--attachments] [--concurrency N] [--force]"],
    *TABLE["caseviewer search WORD... [--limit N]"],
    *TABLE["caseviewer audit [--case ID] [--action ACTION] [--since DATE] [--until DATE] [--csv]"],
    *TABLE["caseviewer audit --verify"],
    *TABLE["caseviewer logout PROFILE"],
    TABLE["caseviewer profile list|show NAME|remove NAME"][-1],
]


def test_every_table_row_has_a_run():
    assert set(command_table(readme())) == set(TABLE)
    keyring_runs = [run for runs in TABLE.values() for run in runs if run.keyring]
    assert all(run in KEYRING_ORDER for run in keyring_runs)


@pytest.mark.parametrize("row", [row for row, runs in TABLE.items() if any(not r.keyring for r in runs)])
def test_table_command_runs(row, demo, tmp_path):
    env = base_env(tmp_path)
    env.update(CASEVIEWER_LIST_TOKEN=demo["list_token"], CASEVIEWER_DETAIL_KEY=demo["detail_key"])
    values = {**demo, "home": str(tmp_path)}  # files a command writes go to the test's folder
    for run in (run for run in TABLE[row] if not run.keyring):
        argv = run.argv(values)
        result = subprocess.run([*CLI, *argv], env=env, capture_output=True, text=True, timeout=TIMEOUT,
                                input=run.stdin.format(**demo) if run.stdin else None)
        assert result.returncode == run.code, f"caseviewer {shlex.join(argv)}: {result.stderr[-2000:]}"
        assert "Traceback" not in result.stderr


def test_keyring_commands_run_in_a_private_keyring(demo, tmp_path):
    if not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")):
        pytest.skip("login, sync, search and logout need a keyring: install dbus and gnome-keyring")
    lines = ['eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets --daemonize)" >/dev/null',
             "export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK"]
    for number, run in enumerate(KEYRING_ORDER):
        command = shlex.join([*CLI, *run.argv(demo)])
        if run.stdin:
            command = f"printf %s {shlex.quote(run.stdin.format(**demo))} | {command}"
        lines.append(f"{command} >/dev/null 2>>{shlex.quote(str(tmp_path / 'stderr'))}; echo __rc__ {number} $?")
    env = base_env(tmp_path)
    env.pop("PYTHON_KEYRING_BACKEND")  # the private Secret Service started above
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))  # its keyring files stay here
    result = subprocess.run(["dbus-run-session", "--", "sh", "-c", "\n".join(lines)], env=env,
                            capture_output=True, text=True, timeout=TIMEOUT)
    codes = dict(re.findall(r"^__rc__ (\d+) (\d+)$", result.stdout, flags=re.M))
    errors = (tmp_path / "stderr").read_text() if (tmp_path / "stderr").exists() else ""
    for number, run in enumerate(KEYRING_ORDER):
        assert codes.get(str(number)) == str(run.code), f"caseviewer {shlex.join(run.argv(demo))}: {errors[-2000:]}"
