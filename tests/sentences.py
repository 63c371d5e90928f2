"""What the "no sentence left in the core" tests read: a module's string constants,
docstrings and the messages of some raised errors (a caller's mistake) left out."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path


def string_constants(path: Path, skip_raise: Callable[[ast.Raise], bool]) -> Iterator[str]:
    """Every string constant of ``path`` outside docstrings and the raises
    ``skip_raise`` accepts."""
    tree = ast.parse(path.read_text("utf-8"))
    skipped = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    skipped |= {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise) and skip_raise(node)
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
        ):
            yield node.value
