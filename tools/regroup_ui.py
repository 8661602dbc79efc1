"""Regroup the flat ``caseviewer/ui/*.py`` files into folders by what the reviewer sees.

Run on a clean checkout, from its top folder::

    python tools/regroup_ui.py --check   # what would move, and which files would be rewritten
    python tools/regroup_ui.py           # git mv the files, rewrite every reference, commit nothing

The one table is ``MOVES`` (old module under ``caseviewer.ui`` -> new one; a package moves with
everything in it). ``STAYS`` names the modules that stay at the top of ``ui/`` on purpose. A
``ui/*.py`` file in neither table stays put and is reported, so a file added after the table
was written is never moved by guess: add it to one of the tables and run again. An entry whose
file is not in the checkout is reported and skipped (moved already, or renamed since).

References rewritten in ``caseviewer/``, ``tests/``, ``packaging/``, ``tools/``, ``docs/``,
``README.md`` and ``pyproject.toml``:

* dotted names anywhere in the text: ``import caseviewer.ui.x``, ``from caseviewer.ui.x import``,
  strings such as ``monkeypatch.setattr("caseviewer.ui.x.Name", ...)``;
* ``from caseviewer.ui import x, y as z`` (split into one import per new package);
* relative imports in Python files (made absolute first, then rewritten like the rest);
* paths: ``caseviewer/ui/x.py`` and ``ui/x.py`` (``ui/pkg/`` for a package) in code and docs.

Each kind of rewrite is one pass, and none reads what another wrote, so a new name is never
rewritten again (``caseviewer.ui.safeguards`` is both an old module and a new package).
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from pathlib import Path

#: Old module (under ``caseviewer.ui``) -> new module. Grouped by what the reviewer sees.
MOVES: dict[str, str] = {
    # The window and what it assembles around the table and the case page.
    "main_window": "window.main_window",
    "actions": "window.actions",
    "case_window": "window.case_window",
    "offline_banner": "window.offline_banner",
    "profile_bar": "window.profile_bar",
    "profile_switcher": "window.profile_switcher",
    "cache_actions": "window.cache_actions",
    "index_builder": "window.index_builder",
    # The case list: the table, its filters, status chips and states.
    "case_table_model": "case_list.case_table_model",
    "filter_bar": "case_list.filter_bar",
    "status_chip": "case_list.status_chip",
    "table_states": "case_list.table_states",
    "gradual_release": "case_list.gradual_release",
    "store_table_model": "case_list.store_table_model",
    "column_widths": "case_list.column_widths",
    # The case page (``ui/detail/``) gets the attachment commands it offers.
    "attachment_actions": "detail.attachment_actions",
    # Dialogs.
    "profile_dialog": "dialogs.profile_dialog",
    "profile_form": "dialogs.profile_form",
    "manage_profiles": "dialogs.manage_profiles",
    "profile_summary": "dialogs.profile_summary",
    "connection_results": "dialogs.connection_results",
    "open_case_dialog": "dialogs.open_case_dialog",
    "sync_dialog": "dialogs.sync_dialog",
    "text_search_dialog": "dialogs.text_search_dialog",
    "access_log_viewer": "dialogs.access_log_viewer",
    "first_run": "dialogs.first_run",
    # The workstation safeguards: idle lock, privacy mode, capture exclusion.
    "safeguards": "safeguards.controller",
    "privacy_mode": "safeguards.privacy_mode",
    "capture_exclusion": "safeguards.capture_exclusion",
    "lock": "safeguards.lock",  # a package: moves whole
}

#: Modules that stay at the top of ``ui/``: the app and what every part shares.
STAYS = frozenset({
    "__init__", "app", "lifecycle", "single_instance", "theme", "icons", "guard", "workers",
    "settings_store", "formatting", "local_keys", "context", "zoom", "accessible",
})

#: The docstring of each new group package (its ``__init__.py``, made when missing).
GROUPS: dict[str, str] = {
    "window": "The main window and the parts it assembles: actions, status bar, banners, cache commands.",
    "case_list": "The case list: the table model, the filter bar, status chips and the table's states.",
    "dialogs": "The dialogs: profiles, open case, sync, find in cached cases, access log, first run.",
    "safeguards": "The workstation safeguards: idle lock, privacy mode, keeping windows out of captures.",
}

UI = "caseviewer.ui"
TEXT_PLACES = ("caseviewer", "tests", "packaging", "tools", "docs")
TEXT_FILES = ("README.md", "pyproject.toml")
TEXT_SUFFIXES = {".py", ".md", ".toml", ".spec", ".sh", ".txt", ".cfg", ".ini", ".rst"}


def planned(root: Path) -> tuple[dict[str, str], list[str], list[str]]:
    """(moves whose source exists, table entries not in the checkout, ui files in no table)."""
    ui = root / "caseviewer" / "ui"
    present = {old: new for old, new in MOVES.items()
               if (ui / f"{old}.py").is_file() or (ui / old / "__init__.py").is_file()}
    absent = sorted(set(MOVES) - set(present))
    unknown = sorted(p.stem for p in ui.glob("*.py") if p.stem not in MOVES and p.stem not in STAYS)
    return present, absent, unknown


def _source_path(root: Path, old: str) -> Path:
    base = root / "caseviewer" / "ui" / old
    return base.with_suffix(".py") if base.with_suffix(".py").is_file() else base


def _target_path(root: Path, new: str, is_package: bool) -> Path:
    base = root / "caseviewer" / "ui" / Path(*new.split("."))
    return base if is_package else base.with_suffix(".py")


# -- rewriting ---------------------------------------------------------------------------------


def _dotted_pattern(moves: dict[str, str]) -> re.Pattern[str]:
    names = "|".join(re.escape(old) for old in sorted(moves, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])caseviewer\.ui\.({names})(?!\w)")


def _path_pattern(moves: dict[str, str], packages: set[str]) -> re.Pattern[str]:
    modules = "|".join(re.escape(o) for o in sorted(moves, key=len, reverse=True) if o not in packages)
    pkgs = "|".join(re.escape(o) for o in sorted(packages, key=len, reverse=True))
    alternatives = [rf"(?P<mod>{modules})(?=\.py\b)"] if modules else []
    if pkgs:
        alternatives.append(rf"(?P<pkg>{pkgs})(?=/|(?![\w.]))")
    return re.compile(rf"(?<![\w/.-])(?P<lead>(?:caseviewer/)?ui/)(?:{'|'.join(alternatives)})")


def _module_of(path: Path, root: Path) -> tuple[str, bool]:
    parts = path.relative_to(root).with_suffix("").parts
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def _absolute_imports(text: str, path: Path, root: Path) -> str:
    """Relative imports made absolute (resolved from the file's place before the move)."""
    if "from ." not in text:
        return text
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    module, is_package = _module_of(path, root)
    lines = text.splitlines(keepends=True)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            line = lines[node.lineno - 1]
            lines[node.lineno - 1] = re.sub(r"from\s+\.+[\w.]*\s+import", f"from {target} import", line, count=1)
    return "".join(lines)


def _split_package_imports(text: str, moves: dict[str, str]) -> str:
    """``from caseviewer.ui import a, b as c`` -> one ``from`` line per package the names are now in."""
    if f"from {UI} import" not in text:
        return text
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    lines = text.splitlines(keepends=True)
    edits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == UI and not node.level and \
                any(alias.name in moves for alias in node.names):
            by_package: dict[str, list[str]] = {}
            for alias in node.names:
                new = moves.get(alias.name)
                package, name = (f"{UI}.{new.rsplit('.', 1)[0]}", new.rsplit(".", 1)[1]) if new and "." in new else (UI, new or alias.name)
                if alias.name in moves and name != alias.name and not alias.asname:
                    name = f"{name} as {alias.name}"  # renamed module: old name kept for its users
                elif alias.asname:
                    name = f"{name} as {alias.asname}"
                by_package.setdefault(package, []).append(name)
            indent = " " * node.col_offset
            newline = "\n"
            replacement = "".join(f"{indent}from {package} import {', '.join(names)}{newline}"
                                  for package, names in sorted(by_package.items()))
            edits.append((node.lineno - 1, node.end_lineno, replacement))
    for start, end, replacement in sorted(edits, reverse=True):
        lines[start:end] = [replacement]
    return "".join(lines)


def rewrite(text: str, path: Path, root: Path, moves: dict[str, str], packages: set[str]) -> str:
    if path.suffix == ".py":
        text = _absolute_imports(text, path, root)
    # Dotted names before the split: a split line names new packages (``caseviewer.ui.safeguards``
    # for ``capture_exclusion``), which the dotted pass would take for old modules.
    text = _dotted_pattern(moves).sub(lambda m: f"{UI}.{moves[m.group(1)]}", text)
    if path.suffix == ".py":
        text = _split_package_imports(text, moves)

    def new_path(match: re.Match[str]) -> str:
        old = match.group("mod") or match.group("pkg")
        return match.group("lead") + "/".join(moves[old].split("."))

    return _path_pattern(moves, packages).sub(new_path, text)


def text_files(root: Path) -> list[Path]:
    tracked = subprocess.run(["git", "ls-files", "-z", "--", *TEXT_PLACES, *TEXT_FILES], cwd=root,
                             capture_output=True, check=True).stdout.decode().split("\0")
    this = Path(__file__).resolve()  # its table names old modules: never rewritten
    return [root / name for name in tracked if name and Path(name).suffix in TEXT_SUFFIXES
            and (root / name).is_file() and (root / name).resolve() != this]


# -- the run -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="list what would move and change; touch nothing")
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="the checkout (default: here)")
    args = parser.parse_args(argv)
    root = args.repo.resolve()
    moves, absent, unknown = planned(root)
    packages = {old for old in moves if (root / "caseviewer" / "ui" / old).is_dir()}

    changed = []
    rewritten: dict[Path, str] = {}
    for path in text_files(root):
        before = path.read_text(encoding="utf-8")
        after = rewrite(before, path, root, moves, packages)
        if after != before:
            changed.append(path)
            rewritten[path] = after

    for old, new in moves.items():
        source = _source_path(root, old)
        target = _target_path(root, new, old in packages)
        print(f"move    {source.relative_to(root)} -> {target.relative_to(root)}")
    for old in absent:
        print(f"absent  caseviewer/ui/{old}(.py) is in MOVES but not in this checkout: skipped")
    for name in unknown:
        print(f"stays   caseviewer/ui/{name}.py is in neither MOVES nor STAYS: left where it is")
    for path in changed:
        print(f"rewrite {path.relative_to(root)}")
    print(f"{len(moves)} to move, {len(changed)} files to rewrite, {len(unknown)} not in the table")
    if args.check:
        return 0

    for path, text in rewritten.items():  # before the moves: the paths are the old ones
        path.write_text(text, encoding="utf-8")
    for old, new in moves.items():
        source = _source_path(root, old)
        target = _target_path(root, new, old in packages)
        target.parent.mkdir(parents=True, exist_ok=True)
        group = target.parent
        init = group / "__init__.py"
        if not init.exists() and group.name in GROUPS:
            init.write_text(f'"""{GROUPS[group.name]}"""\n', encoding="utf-8")
            subprocess.run(["git", "add", str(init.relative_to(root))], cwd=root, check=True)
        subprocess.run(["git", "mv", str(source.relative_to(root)), str(target.relative_to(root))], cwd=root, check=True)
    print("done: nothing is committed; run the tests, then commit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
