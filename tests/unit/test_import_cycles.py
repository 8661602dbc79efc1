"""No import cycles between the modules of ``caseviewer/core`` (module-level imports, read from the
source). A cycle is what made ``connection``, ``profiles`` and ``secrets`` import each other inside
functions; the connection's fields now live in ``core/connection_settings.py``."""

from __future__ import annotations

import ast
from pathlib import Path

import caseviewer

CORE = Path(caseviewer.__file__).parent / "core"


def _module_name(path: Path) -> str:
    parts = path.relative_to(CORE.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path, known: set[str]) -> set[str]:
    """Modules of ``known`` that ``path`` imports at module level (not in functions, not for typing)."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) else ():
            if isinstance(sub, ast.Import):
                names = [alias.name for alias in sub.names]
            elif isinstance(sub, ast.ImportFrom) and sub.module and not sub.level:
                # "from package import module" is an import of that module; of the package only
                # when a name is not one of its modules.
                modules = [f"{sub.module}.{alias.name}" for alias in sub.names]
                names = [m for m in modules if m in known]
                if len(names) < len(modules):
                    names.append(sub.module)
            else:
                continue
            found |= {name for name in names if name in known}
    return found


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in CORE.rglob("*.py")}
    known = set(paths)
    return {name: _top_level_imports(path, known) - {name} for name, path in paths.items()}


def _cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return path + [start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def test_the_graph_is_read():
    graph = _graph()
    assert "caseviewer.core.connection_settings" in graph["caseviewer.core.profiles"]
    assert "caseviewer.core.profiles" in graph["caseviewer.core.connection"]


def test_core_has_no_import_cycle():
    graph = _graph()
    cycles = [c for c in (_cycle_from(name, graph) for name in sorted(graph)) if c]
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)
