"""The built wheel is complete: installed into a fresh venv it starts the window on the demo
service, loads a case and exits 0 (``caseviewer --demo --smoke-test``), with its icons inside."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (path,) = out.glob("caseviewer-*.whl")
    return path


def test_wheel_ships_resources_and_demo_assets(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "caseviewer/resources/icons/app.svg" in names
    assert "caseviewer/resources/icons/app-256.png" in names
    assert any(name.startswith("caseviewer/demo/assets/") for name in names)
    assert not any(name.startswith("tests/") for name in names)


@pytest.mark.slow
def test_installed_wheel_smoke_test(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)], capture_output=True, text=True, timeout=900
    )
    assert install.returncode == 0, install.stderr[-2000:]
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "CASEVIEWER_HOME": str(tmp_path / "home"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    result = subprocess.run(
        [str(venv / "bin" / "caseviewer"), "--demo", "--smoke-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        cwd=tmp_path,  # not the checkout: the installed package must stand on its own
    )
    assert result.returncode == 0, result.stderr[-2000:]
