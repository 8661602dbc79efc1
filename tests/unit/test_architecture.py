"""Layering rules (docs/ARCHITECTURE.md), checked on the source: core never imports Qt; ui never imports
httpx or sqlite (it goes through workers and the repository)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "caseviewer"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def sources(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


@pytest.mark.parametrize("path", sources("core") + sources("demo"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_and_demo_never_import_qt(path):
    forbidden = {name for name in imported_modules(path) if name.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}}
    assert not forbidden, f"{path.name} imports {forbidden}"


@pytest.mark.parametrize("path", sources("ui"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_ui_never_talks_to_the_network_or_the_database(path):
    forbidden = {name for name in imported_modules(path) if name.split(".")[0] in {"httpx", "sqlite3", "sqlcipher3"}}
    assert not forbidden, f"{path.name} imports {forbidden}"
