"""The package's import graph has no cycle: no two modules import each other, directly or
through others, counting imports inside functions (a cycle closed by a function-level
import is still a cycle: the modules cannot be understood, tested or replaced apart).

The graph is built from the source (AST), not by importing, so it sees every import,
including those under ``if TYPE_CHECKING:`` and inside functions. The package's own
``__init__`` is left out: it re-exports the public API lazily (``kz.analyze`` ...).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kzcrisis.paths import PACKAGE_DIR

#: Cycles known and being removed elsewhere, each as the sorted list of its modules. The
#: lead removes an entry when the branch that breaks it is merged; add none.
KNOWN_CYCLES: list[list[str]] = []


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file under ``root`` (package ``package``)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = (package, *path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the package's modules it imports anywhere in its source (top level, in
    functions, under TYPE_CHECKING). ``from . import x`` counts as importing ``x`` when
    ``x`` is a module, else its package."""
    mods = module_names(root, package)
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        here = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[:len(here.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                found = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in mods]
                targets = found or [target]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            graph[name] |= {t for t in targets if t in mods and t != name}
    return graph


def cycles(graph: dict[str, set[str]], skip: str) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), sorted; the
    module ``skip`` (the re-exporting package ``__init__``) is left out."""
    g = {m: {t for t in ts if t != skip} for m, ts in graph.items() if m != skip}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(g[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return sorted(out)


def test_no_import_cycle_in_the_package():
    found = cycles(import_graph(PACKAGE_DIR, "kzcrisis"), skip="kzcrisis")
    new = [c for c in found if c not in KNOWN_CYCLES]
    assert new == [], f"modules importing each other (directly or through others): {new}"


def test_known_cycles_still_exist():
    # an entry left in KNOWN_CYCLES after its cycle is gone would hide a new one there
    found = cycles(import_graph(PACKAGE_DIR, "kzcrisis"), skip="kzcrisis")
    assert [c for c in KNOWN_CYCLES if c not in found] == []


@pytest.mark.parametrize(("files", "expected"), [
    # a cycle closed by an import inside a function is found
    ({"a.py": "from .b import f\n", "b.py": "def f():\n    from .a import g\n"},
     [["pkg.a", "pkg.b"]]),
    # through a third module, with an absolute import
    ({"a.py": "from . import b\n", "b.py": "import pkg.c\n", "c.py": "from pkg.a import x\n"},
     [["pkg.a", "pkg.b", "pkg.c"]]),
    # a subpackage's parent-relative import, and TYPE_CHECKING imports
    ({"sub/__init__.py": "from ..a import x\n",
      "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .sub import y\n"},
     [["pkg.a", "pkg.sub"]]),
    # one direction only: no cycle
    ({"a.py": "from .b import f\n", "b.py": "import json\n"}, []),
    # the package __init__ re-exporting everything does not count
    ({"__init__.py": "from .a import f\n", "a.py": "from . import __version__\n"}, []),
])
def test_the_cycle_finder(tmp_path, files, expected):
    root = tmp_path / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    assert cycles(import_graph(root, "pkg"), skip="pkg") == expected
