"""packaging/screenshots.py as a real process: ``--list`` names every scene, and one cheap scene
(the sparse demo case, offscreen) writes a non-empty PNG and says so on one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "screenshots.py"
TIMEOUT = 240
SCENES = ("case-rich", "case-hostile", "case-sparse", "case-huge", "lock", "privacy-case", "privacy-table",
          "access-log", "profile-dialog", "manage-profiles", "error-list", "error-detail", "sync-cancelled",
          "offline-list", "flagged-online", "flagged-online-long", "dossier")


def run(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEVIEWER_")}
    # The script points CASEVIEWER_HOME at its own temporary folder; this one only proves it does.
    env.update(CASEVIEWER_HOME=str(home), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])))
    return subprocess.run([sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True,
                          timeout=TIMEOUT, cwd=ROOT)


def test_list_names_every_scene(tmp_path):
    done = run("--list", home=tmp_path)
    assert done.returncode == 0, done.stderr
    names = [line.split()[0] for line in done.stdout.splitlines() if line.strip()]
    assert names == list(SCENES)


def test_one_scene_writes_its_png(tmp_path):
    out = tmp_path / "shots"
    done = run(str(out), "--scene", "case-sparse", "--size", "1000x700", "--timeout", "200", home=tmp_path / "home")
    assert done.returncode == 0, done.stderr
    png = out / "case-sparse-1000x700-light.png"
    assert done.stdout.splitlines() == [str(png)]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").iterdir()), "the scene used its own home"


def test_an_unknown_scene_is_refused(tmp_path):
    done = run(str(tmp_path), "--scene", "no-such-scene", home=tmp_path)
    assert done.returncode == 2 and "no-such-scene" in done.stderr
