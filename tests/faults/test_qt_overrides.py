"""An exception inside a Qt virtual override must never kill the process (issue class 1).

Two halves:

* by construction: every Python method in ``caseviewer.ui`` that overrides a method of a Qt
  class is wrapped by ``guard.guarded`` (found by introspection, so a new unguarded override
  fails here), and every Qt subclass is defined at module level where that check can see it;
* by experiment: ``qt_override_probes.py`` injects a failure into each kind of override through
  real widgets. It runs in a child process, since the failure mode is a segfault (a negative
  return code), not a failed assertion; each probe is reported here as its own case.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from shiboken6 import Shiboken

import caseviewer.ui
from caseviewer.ui.guard import GUARDED_ATTR

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "caseviewer" / "ui"
PROBES = Path(__file__).with_name("qt_override_probes.py")

#: Methods that shadow a *non-virtual* Qt method: Qt never calls them, only our own code does.
NOT_VIRTUAL = {
    "render",  # DetailTab.render(detail) shadows QWidget.render(target, ...)
    "find",  # TextViewer.find(text) shadows the static QWidget.find(id)
}


def _qt_overrides() -> list[tuple[str, str, object]]:
    """(site, method name, the method as defined) of every override of a Qt class's method."""
    found = []
    for info in pkgutil.walk_packages(caseviewer.ui.__path__, "caseviewer.ui."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            if not issubclass(cls, Shiboken.Object):
                continue
            qt_bases = [base for base in cls.__mro__[1:] if base.__module__.startswith(("PySide6", "Shiboken"))]
            for name, value in vars(cls).items():
                if name.startswith("__") or not callable(value) or isinstance(value, type):
                    continue
                if any(name in vars(base) for base in qt_bases):
                    found.append((f"{module.__name__}.{cls.__qualname__}.{name}", name, value))
    return found


def test_the_override_finder_finds_the_known_ones(qapp):
    sites = {site for site, _, _ in _qt_overrides()}
    for known in ("caseviewer.ui.case_list.status_chip.StatusChipDelegate.paint",
                  "caseviewer.ui.case_list.kept_roles_model.KeptRolesTableModel.data",
                  "caseviewer.ui.detail.tabs.base.DetailTab.showEvent",
                  "caseviewer.ui.case_list.table_states.TableStateOverlay.eventFilter"):
        assert known in sites


def test_every_qt_override_in_ui_is_guarded(qapp):
    unguarded = [site for site, name, method in _qt_overrides()
                 if name not in NOT_VIRTUAL and not getattr(method, GUARDED_ATTR, False)]
    assert not unguarded, ("Qt virtual overrides without @guarded (caseviewer/ui/guard.py); an exception "
                           f"in one can abort the process: {unguarded}")


def test_qt_subclasses_are_defined_at_module_level():
    """Classes inside functions are invisible to the check above; keep them at module level."""
    nested = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                nested += [f"{path.relative_to(ROOT)}:{inner.lineno}" for inner in ast.walk(node)
                           if isinstance(inner, ast.ClassDef)]
    assert not nested, f"classes defined inside functions: {nested}"


def _probe_names() -> list[str]:
    tree = ast.parse(PROBES.read_text(encoding="utf-8"))
    return [node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")]


@pytest.fixture(scope="module")
def probe_run(tmp_path_factory):
    """Run every probe in one child process; its junit report says how each one ended."""
    report = tmp_path_factory.mktemp("probes") / "probes.xml"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         f"--junitxml={report}", str(PROBES)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    outcomes: dict[str, str] = {}
    if report.exists():
        for case in ET.parse(report).getroot().iter("testcase"):
            failed = case.find("failure") is not None or case.find("error") is not None
            skipped = case.find("skipped") is not None
            outcomes[case.get("name")] = "failed" if failed else "skipped" if skipped else "passed"
    return completed, outcomes


@pytest.mark.parametrize("probe", _probe_names())
def test_injected_failure_in_a_qt_override_is_survived(probe_run, probe):
    completed, outcomes = probe_run
    tail = (completed.stdout + completed.stderr)[-3000:]
    assert completed.returncode >= 0, f"the probe process died of signal {-completed.returncode}:\n{tail}"
    assert outcomes.get(probe) == "passed", f"{probe}: {outcomes.get(probe, 'did not run')}\n{tail}"
