"""The what-if scores a row again only for the rules reading what moved
(``whatif.READS``, derived from what each predicate declares it reads:
``@predicate(reads=...)``, ``rules.base.READS_OF``). Every predicate that reads one of
those things, itself or through a helper of the rules modules, must declare it, and
declare nothing it does not read. Read from the sources."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import souverain.core.scoring.rules as rules_package
import souverain.core.scoring.score as score_module
import souverain.core.scoring.takeover as takeover_module
from souverain.core.scoring.context import View
from souverain.core.scoring.rules.base import PREDICATES, READ, READS_OF
from souverain.core.scoring.whatif import EXIT_READS, LOCAL_FIELDS, READS

# Attribute names in the rules' sources → what a predicate reading them must declare.
ATTRIBUTES = {
    "hosts": "hosts",
    "need": "need",
    "groups": "estate_counts",
    "grave_total": "estate_counts",
    "contract": "contract",
    "redundancy": "redundancy",
    "skills": "skills",
    "continuity": "continuity",
    "exit": "exit",
}
# What no predicate may read: the what-if does not follow it into the rules.
NEVER = {"gravity", "redundant"}


def _functions(paths: list[Path] | None = None) -> dict[str, tuple[set[str], set[str]]]:
    """Every function of ``paths`` (by default the rules modules): (attributes it
    reads, names it calls)."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for path in paths or list(Path(rules_package.__file__).parent.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            reads, calls = found.setdefault(node.name, (set(), set()))
            for inner in ast.walk(node):
                if isinstance(inner, ast.Attribute):
                    reads.add(inner.attr)
                elif isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name):
                    calls.add(inner.func.id)
    return found


def _reads(name: str, functions: dict[str, tuple[set[str], set[str]]]) -> set[str]:
    """What ``name`` reads, itself and through the rules' helpers it calls."""
    seen: set[str] = set()
    todo = [name]
    reads: set[str] = set()
    while todo:
        current = todo.pop()
        if current in seen or current not in functions:
            continue
        seen.add(current)
        own, calls = functions[current]
        reads |= own
        todo.extend(calls)
    return reads


def test_the_vocabulary_is_the_declarations() -> None:
    assert set(ATTRIBUTES.values()) == set(READ)
    assert set(READS_OF) == set(PREDICATES)


def test_every_predicate_declares_what_it_reads_and_only_that() -> None:
    functions = _functions()
    assert set(PREDICATES) <= set(functions)
    read = {
        name: {key for attribute, key in ATTRIBUTES.items() if attribute in _reads(name, functions)}
        for name in PREDICATES
    }
    assert {name: sorted(READS_OF[name]) for name in PREDICATES} == {
        name: sorted(keys) for name, keys in read.items()
    }


def test_the_what_if_table_is_derived_from_the_declarations() -> None:
    assert set(READS) == {*READ, "redundant"}
    for key in READ:
        assert READS[key] == {name for name, reads in READS_OF.items() if key in reads}
    assert READS["redundant"] == frozenset()


def test_no_predicate_reads_what_the_what_if_does_not_follow() -> None:
    functions = _functions()
    assert [(n, a) for n in PREDICATES for a in NEVER & _reads(n, functions)] == []


def test_the_view_reads_no_field_actions_change_in_place() -> None:
    """A change of skills, continuity or exit re-scores only the rules reading them:
    the view, which every rule reads, must not be made from them."""
    source = inspect.getsource(View.__init__)
    assert [f for f in LOCAL_FIELDS if f".{f}" in source] == []


def test_the_lists_name_real_predicates() -> None:
    assert set().union(*READS.values()) <= set(PREDICATES)


def test_the_exit_readiness_declares_what_it_reads_and_only_that() -> None:
    """score.exit_readiness and its helpers (scoring.takeover included), read from the
    sources, against their declaration (takeover.EXIT_READS, with "redundant" in the
    what-if's table). A gravity's move reaches the what-if as "need". The criteria's
    predicates are called through PREDICATES: they declare their own reads."""
    paths = [Path(str(score_module.__file__)), Path(str(takeover_module.__file__))]
    reads = _reads("exit_readiness", _functions(paths))
    attributes = {**ATTRIBUTES, "gravity": "need", "redundant": "redundant"}
    assert {key for attribute, key in attributes.items() if attribute in reads} == EXIT_READS
