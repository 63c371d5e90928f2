"""The predicates' shortcuts (``selects``): the audit calls a rule only when its
predicate may find something; a rule it skips would have found nothing.

On the examples and on a generated estate (every deployment, mastery, key holder,
adequacy and backup case the generator makes): for every asset and every rule of a
predicate that declares a shortcut, a rule the shortcut leaves out finds nothing, and
every axis scores the same through the shortcuts as rule by rule.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from souverain.core.estate.validation import parse_estate
from souverain.core.scoring.audit import AuditResult, audit
from souverain.core.scoring.context import View
from souverain.core.scoring.rules.base import SELECTS
from souverain.core.scoring.score import BoundRule, axis_score, view_of
from souverain.importers.estate import load_estate
from souverain.resources import load_catalog, load_methodology

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 3, 1)


def _generated() -> AuditResult:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate_estate
    finally:
        sys.path.pop(0)
    catalog = load_catalog()
    estate = parse_estate(generate_estate(600, 1800, seed=7, catalog=catalog))
    return audit(estate, load_methodology(), catalog, TODAY)


def _results() -> list[tuple[str, AuditResult]]:
    method = load_methodology()
    catalog = load_catalog()
    results = [
        (path.stem, audit(load_estate(path), method, catalog, TODAY))
        for path in sorted((ROOT / "examples").glob("*.yaml"))
    ]
    return [*results, ("generated", _generated())]


@pytest.fixture(scope="module")
def results() -> list[tuple[str, AuditResult]]:
    return _results()


def _views(result: AuditResult) -> list[View]:
    context = result.context
    assert context is not None
    estate = result.estate
    assets = {a.id: a for a in estate.assets}
    contracts = {c.id: c for c in estate.contracts}
    return [view_of(context, estate, a, assets, contracts) for a in estate.assets]


def test_a_rule_left_out_finds_nothing(results: list[tuple[str, AuditResult]]) -> None:
    selected = 0
    skipped = 0
    for name, result in results:
        assert result.context is not None
        for view in _views(result):
            for axis in result.context.axes:
                for rule in axis.rules:
                    selector = SELECTS.get(rule[5])
                    if selector is None:
                        continue
                    key, param = selector
                    wanted = True if param is None else rule[1][param]
                    if key(view) == wanted:
                        selected += 1
                        continue
                    skipped += 1
                    found = rule[0](view, rule[1])
                    assert found == [], (name, view.asset.id, rule[2])
    assert selected and skipped


def test_shortcuts_score_as_rule_by_rule(results: list[tuple[str, AuditResult]]) -> None:
    for name, result in results:
        assert result.context is not None
        axes = result.context.axes
        assert all(axis.steps for axis in axes)
        plain = [dataclasses.replace(a, steps=((None, {}, a.rules),)) for a in axes]
        for view in _views(result):
            for fast, slow in zip(axes, plain, strict=True):
                assert axis_score(view, fast) == axis_score(view, slow), (name, view.asset.id)


def test_every_rule_is_in_one_step() -> None:
    from souverain.core.scoring.score import compile_axes

    for axis in compile_axes(load_methodology()):
        stepped = [r for _, table, rules in axis.steps for r in (*rules, *_flat(table))]
        assert sorted(r[2] for r in stepped) == sorted(r[2] for r in axis.rules)


def _flat(table: Mapping[Any, tuple[BoundRule, ...]]) -> list[BoundRule]:
    return [r for rules in table.values() for r in rules]
