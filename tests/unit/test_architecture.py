"""The import rules of the layers, checked on the source of every module under ``caseviewer/``.

Each package has an allow-list (``RULES``): the standard library, the third-party modules named
in its rule, and the caseviewer packages it may use. Every module is checked by the rule of the
package it sits in, so a new module needs no edit here; a module that no rule covers fails. On
top of the allow-lists:

* each outside dependency comes in through its door (``DOORS``): HTTP only in the service
  clients, SQL only in the cache, the keyring only in ``core/secrets``;
* the pure core modules (``PURE_CORE``: values in, values out) import no I/O module;
* the command line imports no Qt at import time (only the GUI entry does, inside its function);
* the case page and the previews never import the window that assembles them.

A failure names the file and line, the import and the rule it breaks.
"""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "caseviewer"
QT = frozenset({"PySide6", "shiboken6"})


@dataclass(frozen=True)
class Rule:
    """What the modules matching ``covers`` may import (both fnmatch patterns on module names)."""

    name: str
    covers: tuple[str, ...]
    third_party: frozenset[str]
    internal: tuple[str, ...]
    why: str
    internal_except: tuple[str, ...] = ()  # packages (with everything below them) taken back out


RULES: tuple[Rule, ...] = (
    Rule("caseviewer (the package)", ("caseviewer",), frozenset(), (), "it only names the version"),
    Rule(
        "caseviewer.core", ("caseviewer.core", "caseviewer.core.*"),
        frozenset({"httpx", "pydantic", "keyring", "sqlcipher3", "truststore", "pypdf", "platformdirs"}),
        ("caseviewer", "caseviewer.core", "caseviewer.core.*"),
        "core decides and never imports Qt, the UI, the CLI or the demo service",
    ),
    Rule(
        "caseviewer.ui", ("caseviewer.ui", "caseviewer.ui.*"),
        QT | {"pypdf"},  # pypdf: the dossier renderer appends PDF attachments page for page
        ("caseviewer", "caseviewer.core", "caseviewer.core.*", "caseviewer.ui", "caseviewer.ui.*",
         "caseviewer.resources"),
        "ui shows: it reaches the services and the cache only through core (never httpx or sqlite), "
        "and leaves deciding to core: the sync and the index builder run through core/cache_service",
        internal_except=("caseviewer.core.http", "caseviewer.core.cache", "caseviewer.core.cache_schema",
                         "caseviewer.core.sync", "caseviewer.core.sync_writer", "caseviewer.core.search_index"),
    ),
    Rule(
        "caseviewer.demo", ("caseviewer.demo", "caseviewer.demo.*"), frozenset(),
        ("caseviewer.demo", "caseviewer.demo.*"),
        "the demo stands in for the services: it shares no code with the app, so tests never check "
        "the app against itself",
    ),
    Rule(
        "caseviewer.cli*", ("caseviewer.cli", "caseviewer.cli.*", "caseviewer.cli_*"),
        QT,  # the GUI entry only, inside its function (test_the_command_line_imports_no_qt_at_import_time)
        ("caseviewer", "caseviewer.core", "caseviewer.core.*", "caseviewer.cli", "caseviewer.cli.*",
         "caseviewer.cli_*", "caseviewer.demo", "caseviewer.demo.*", "caseviewer.ui", "caseviewer.ui.*"),
        "the command line runs core commands; it starts the GUI or the demo service on request",
    ),
)

#: Outside dependencies and the only modules that import them (each with everything below it).
DOORS: dict[str, tuple[tuple[str, ...], str]] = {
    "httpx": (("caseviewer.core.http", "caseviewer.core.api", "caseviewer.core.detail_client", "caseviewer.core.connection",
               "caseviewer.core.connection_check"), "HTTP goes through the service clients"),
    "truststore": (("caseviewer.core.http",), "TLS is set up once, in core/http"),
    "sqlcipher3": (("caseviewer.core.cache",), "SQL runs only in the encrypted cache"),
    "sqlite3": ((), "SQL runs only in the encrypted cache, through sqlcipher3 (never plain sqlite)"),
    "keyring": (("caseviewer.core.secrets", "caseviewer.core.keyring_help"), "secrets live only in the keyring, behind core/secrets"),
    "platformdirs": (("caseviewer.core.paths",), "where files go is decided once, in core/paths"),
    "pypdf": (("caseviewer.core.export", "caseviewer.ui.export"), "PDF files are read and joined only by the exports"),
}

#: Core modules that turn values into values. They may import the standard library, pydantic and
#: each other: no client, store, keyring or file location.
PURE_CORE = frozenset({
    "changes", "csv_cells", "decode", "deeplink", "errors", "filenames", "glance", "lenient", "lookup", "models",
    "numbers", "packed_rows", "people", "privacy", "sniff", "status", "text", "text_search", "timeline",
    "timestamps", "views", "vocabulary", "wire",
})

#: The window's parts that it assembles, and what they never import (the window itself).
PARTS = ("caseviewer.ui.detail", "caseviewer.ui.preview")
ASSEMBLERS = ("caseviewer.ui.window.main_window", "caseviewer.ui.window", "caseviewer.ui.app", "caseviewer.ui.window.case_window")


@dataclass(frozen=True)
class Imported:
    name: str  # the module imported (``from a.b import c`` is ``a.b.c`` when c is a module)
    line: int
    at_import_time: bool  # False inside a function, or under ``if TYPE_CHECKING``


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    return (ROOT / relative).with_suffix(".py").is_file() or (ROOT / relative / "__init__.py").is_file()


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(source: str, module: str, *, is_package: bool = False) -> list[Imported]:
    """Every import in ``source`` (nested ones too), resolved to absolute module names."""
    found: list[Imported] = []

    def visit(node: ast.AST, import_time: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend(Imported(alias.name, child.lineno, import_time) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = _absolute(child, module, is_package)
                for alias in child.names:
                    candidate = f"{base}.{alias.name}"
                    name = candidate if base.startswith("caseviewer") and _is_module(candidate) else base
                    found.append(Imported(name, child.lineno, import_time))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, False)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for statement in child.body:
                    visit(ast.Module(body=[statement], type_ignores=[]), False)
                for statement in child.orelse:
                    visit(ast.Module(body=[statement], type_ignores=[]), import_time)
            else:
                visit(child, import_time)

    visit(ast.parse(source), True)
    return found


def matches(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch(name, pattern) for pattern in patterns)


def within(name: str, packages: tuple[str, ...]) -> bool:
    """True when ``name`` is one of ``packages`` or below one of them."""
    return any(name == package or name.startswith(package + ".") for package in packages)


def rule_for(module: str) -> Rule | None:
    return next((rule for rule in RULES if matches(module, rule.covers)), None)


def allow_list_breaks(module: str, imports: list[Imported], where: str) -> list[str]:
    """The imports of ``module`` its package's rule does not allow, as messages."""
    rule = rule_for(module)
    if rule is None:
        return [f"{where}: no rule in RULES covers {module}: add it to the rule of its package"]
    breaks = []
    for item in imports:
        top = item.name.split(".")[0]
        if top == "caseviewer":
            allowed = matches(item.name, rule.internal) and not within(item.name, rule.internal_except)
        else:
            allowed = top in sys.stdlib_module_names or top == "__future__" or top in rule.third_party
        if not allowed:
            breaks.append(f"{where}:{item.line} imports {item.name}: {rule.name} may not ({rule.why})")
    return breaks


def door_breaks(module: str, imports: list[Imported], where: str) -> list[str]:
    breaks = []
    for item in imports:
        top = item.name.split(".")[0]
        if top in DOORS and not within(module, DOORS[top][0]):
            doors, why = DOORS[top]
            who = f"only {', '.join(doors)} may" if doors else "no module may"
            breaks.append(f"{where}:{item.line} imports {item.name}: {who} ({why})")
    return breaks


def pure_breaks(module: str, imports: list[Imported], where: str) -> list[str]:
    if not within(module, tuple(f"caseviewer.core.{name}" for name in PURE_CORE)):
        return []
    breaks = []
    for item in imports:
        top = item.name.split(".")[0]
        inside = item.name.removeprefix("caseviewer.core.").split(".")[0]
        if top == "caseviewer":
            allowed = item.name == "caseviewer.core" or (item.name.startswith("caseviewer.core.") and inside in PURE_CORE)
        else:
            allowed = top in sys.stdlib_module_names or top in ("__future__", "pydantic")
        if not allowed:
            breaks.append(f"{where}:{item.line} imports {item.name}: the pure core modules (PURE_CORE) turn values "
                          "into values and import no client, store, keyring or file location")
    return breaks


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@functools.lru_cache(maxsize=None)
def _parsed(path: Path) -> tuple[str, list[Imported], str]:
    module = module_name(path)
    where = str(path.relative_to(ROOT))
    return module, imports_of(path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py"), where


def _ids(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


@pytest.mark.parametrize("path", sources(), ids=_ids)
def test_every_import_is_on_its_packages_allow_list(path):
    breaks = allow_list_breaks(*_parsed(path))
    assert not breaks, "\n".join(breaks)


@pytest.mark.parametrize("path", sources(), ids=_ids)
def test_each_outside_dependency_comes_in_through_its_door(path):
    breaks = door_breaks(*_parsed(path))
    assert not breaks, "\n".join(breaks)


@pytest.mark.parametrize("path", sources(), ids=_ids)
def test_the_pure_core_modules_import_no_io(path):
    breaks = pure_breaks(*_parsed(path))
    assert not breaks, "\n".join(breaks)


@pytest.mark.parametrize("path", [p for p in sources() if within(module_name(p), PARTS)], ids=_ids)
def test_the_case_page_and_the_previews_never_import_the_window(path):
    module, imports, where = _parsed(path)
    breaks = [f"{where}:{i.line} imports {i.name}: the window assembles its parts, a part never imports "
              "the window (give the part a signal or a callback instead)" for i in imports if within(i.name, ASSEMBLERS)]
    assert not breaks, "\n".join(breaks)


#: Names the UI never uses: it asks the repository and core/cache_service, which build and sync.
UI_NEVER_CALLS = frozenset({"build_api", "sync_all", "build_index"})
#: What the UI never reaches through a repository (``repository.cache``, ``window.repository.api``):
#: the repository's own methods and core/cache_service stand for them.
REPOSITORY_INSIDES = frozenset({"cache", "api"})


def _is_repository(node: ast.expr) -> bool:
    return getattr(node, "id", None) == "repository" or getattr(node, "attr", None) == "repository"


def named_calls(source: str, names: frozenset[str]) -> list[tuple[str, int]]:
    """Every use of one of ``names`` in ``source`` (imported, called or read as an attribute), and
    every read of a repository's insides (``REPOSITORY_INSIDES``) or ``getattr`` on a repository."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in REPOSITORY_INSIDES and _is_repository(node.value):
            found.append((f"repository.{node.attr}", node.lineno))
        if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "getattr" and node.args
                and _is_repository(node.args[0])):  # its attributes are typed: read them as such
            found.append(("getattr(repository, ...)", node.lineno))
        if isinstance(node, ast.alias) and node.name in names:
            found.append((node.name, getattr(node, "lineno", 0)))
        elif isinstance(node, ast.Name) and node.id in names:
            found.append((node.id, node.lineno))
        elif isinstance(node, ast.Attribute) and node.attr in names:
            found.append((node.attr, node.lineno))
    return found


@pytest.mark.parametrize("path", [p for p in sources() if within(module_name(p), ("caseviewer.ui",))], ids=_ids)
def test_the_ui_never_builds_clients_syncs_or_reaches_into_the_repository(path):
    where = str(path.relative_to(ROOT))
    breaks = [f"{where}:{line} uses {name}: the UI asks the repository or core/cache_service (core decides)"
              for name, line in named_calls(path.read_text(encoding="utf-8"), UI_NEVER_CALLS)]
    assert not breaks, "\n".join(breaks)


def test_the_ui_rule_sees_a_call_to_sync_all_and_a_reach_into_the_repository():
    source = "from caseviewer.core import sync\n\ndef run(r):\n    return sync.sync_all(r)\n"
    assert named_calls(source, UI_NEVER_CALLS) == [("sync_all", 4)]
    source = ("def size(window, repository):\n    window.repository.api.close()\n    return repository.cache\n"
              "def error(self):\n    return getattr(self.repository, 'last_cache_error', None)\n")
    assert sorted(named_calls(source, UI_NEVER_CALLS)) == [
        ("getattr(repository, ...)", 5), ("repository.api", 2), ("repository.cache", 3)]


CLI = ("caseviewer.cli", "caseviewer.cli.*", "caseviewer.cli_*")


@pytest.mark.parametrize("path", [p for p in sources() if matches(module_name(p), CLI)], ids=_ids)
def test_the_command_line_imports_no_qt_at_import_time(path):
    module, imports, where = _parsed(path)
    breaks = [f"{where}:{i.line} imports {i.name} at import time: the command line loads Qt only inside "
              "the GUI entry's function (a terminal command must not need a display or load Qt)"
              for i in imports if i.at_import_time and (i.name.split(".")[0] in QT or within(i.name, ("caseviewer.ui",)))]
    assert not breaks, "\n".join(breaks)


def test_importing_every_command_module_loads_no_qt():
    # The AST check above sees only each file's own imports; this one sees what they pull in.
    modules = sorted(module_name(p) for p in sources() if matches(module_name(p), CLI))
    script = ("import importlib, sys\n"
              f"for name in {modules!r}:\n"
              "    importlib.import_module(name)\n"
              "    loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6') or m.startswith('caseviewer.ui'))\n"
              "    if loaded:\n"
              "        print(name, 'loads', loaded[:5]); break\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "", f"importing the command line loads Qt: {done.stdout}"


# -- the rules themselves ----------------------------------------------------------------------


def test_every_module_named_by_a_rule_exists():
    # A rule about a module that was renamed or moved would pass for ever without checking anything.
    named = [door for doors, _ in DOORS.values() for door in doors]
    named += [f"caseviewer.core.{name}" for name in PURE_CORE] + list(PARTS)
    missing = [name for name in named if not _is_module(name)]
    assert not missing, f"rules name modules that do not exist (moved? update the rule): {missing}"


def test_a_break_names_the_file_the_import_and_the_rule():
    source = "import os\nimport httpx\nfrom PySide6.QtCore import Qt\n\ndef later():\n    from caseviewer.ui import app\n"
    imports = imports_of(source, "caseviewer.core.newthing")
    assert [(i.name, i.line, i.at_import_time) for i in imports] == [
        ("os", 1, True), ("httpx", 2, True), ("PySide6.QtCore", 3, True), ("caseviewer.ui.app", 6, False)]
    where = "caseviewer/core/newthing.py"
    assert allow_list_breaks("caseviewer.core.newthing", imports, where) == [
        f"{where}:3 imports PySide6.QtCore: caseviewer.core may not ({RULES[1].why})",
        f"{where}:6 imports caseviewer.ui.app: caseviewer.core may not ({RULES[1].why})",
    ]
    assert door_breaks("caseviewer.core.newthing", imports, where) == [
        f"{where}:2 imports httpx: only {', '.join(DOORS['httpx'][0])} may ({DOORS['httpx'][1]})"]
    ui_imports = imports_of("import sqlite3\nimport caseviewer.core.cache\nimport caseviewer.demo\n", "caseviewer.ui.x")
    assert [b.split(": ")[0] for b in allow_list_breaks("caseviewer.ui.x", ui_imports, "x.py")] == [
        "x.py:2 imports caseviewer.core.cache", "x.py:3 imports caseviewer.demo"]
    assert door_breaks("caseviewer.ui.x", ui_imports, "x.py")[0].startswith("x.py:1 imports sqlite3: no module may")
    assert allow_list_breaks("caseviewer.extra", [], "caseviewer/extra.py") == [
        "caseviewer/extra.py: no rule in RULES covers caseviewer.extra: add it to the rule of its package"]
    assert pure_breaks("caseviewer.core.text", imports_of("from caseviewer.core import repository\n",
                                                          "caseviewer.core.text"), "t.py") != []
