"""The code's layout keeps the architecture readable (docs/architecture.md): the core in
packages by domain, modules small enough to read, no reach into another module's
private names, no mutable state at a core module's top level."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "souverain"
CORE = SRC / "core"
MAX_CORE_LINES = 600
DOMAINS = {"estate", "catalog", "scoring", "scenarios", "planning"}
SHARED = {
    "__init__.py",
    "vocabulary.py",
    "phrase.py",
    "errors.py",
    "text.py",
    "limits.py",
    "mapper.py",
    "terms.py",
}
# The predicate registry, filled once at import by the @predicate decorator.
REGISTRIES = {"scoring/rules/base.py": {"PREDICATES", "SIGNATURES", "READS_OF", "SELECTS"}}


def _modules(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


def test_the_core_is_packages_by_domain_and_what_they_share() -> None:
    packages = {p.name for p in CORE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert packages == DOMAINS
    assert {p.name for p in CORE.glob("*.py")} <= SHARED


def test_no_core_module_is_too_long_to_read() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in _modules(CORE)
        if (n := len(p.read_text("utf-8").splitlines())) > MAX_CORE_LINES
    }
    assert long == {}


def test_no_module_imports_another_modules_private_names() -> None:
    found = []
    for path in _modules(SRC):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("souverain"):
                found += [
                    f"{path.relative_to(SRC)}: {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
    assert found == []


def test_no_core_module_keeps_mutable_state_at_its_top_level() -> None:
    # A list, dict or set bound at module level and changed later is a hidden cache:
    # speed machinery belongs to souverain.pipeline.Pipeline, not to core modules.
    found = []
    for path in _modules(CORE):
        tree = ast.parse(path.read_text("utf-8"))
        names = {
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign | ast.AnnAssign)
            and isinstance(node.value, ast.List | ast.Dict | ast.Set | ast.ListComp | ast.DictComp)
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in names
                and node.func.attr in {"append", "extend", "clear", "update", "add", "pop"}
            ) or (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id in names
            ):
                name = node.value.id if isinstance(node, ast.Subscript) else node.func.value.id  # type: ignore[attr-defined]
                if name not in REGISTRIES.get(str(path.relative_to(CORE)), set()):
                    found.append(f"{path.relative_to(SRC)}: {name}")
    assert found == []
