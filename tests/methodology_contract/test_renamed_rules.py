"""The planning recognises findings by their predicate and its parameters, not by the
ids a methodology gives its rules: renaming every rule changes no action and no plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from souverain.core.catalog.model import Catalog
from souverain.core.planning.actions import Action
from souverain.core.planning.exit_plans import exit_plans
from souverain.core.planning.generation import generate_actions
from souverain.core.scoring.audit import audit
from souverain.core.scoring.methodology import Methodology
from souverain.exporters.exit_plans import exit_plan_document
from souverain.importers.estate import load_estate
from souverain.resources import DATA, load_catalog, load_methodology
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def renamed_methodology(path: Path) -> Path:
    """The shipped methodology with every rule and exit criterion renamed, nothing else."""
    data = yaml.safe_load((DATA / "methodology.yaml").read_text("utf-8"))
    count = 0
    for axis in data["axes"].values():
        for rule in axis["rules"]:
            count += 1
            rule["id"] = f"renamed-{count}"
    for criterion in data["exit"]["criteria"]:
        count += 1
        criterion["id"] = f"renamed-{count}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Methodology:
    path = renamed_methodology(tmp_path_factory.mktemp("renamed") / "methodology.yaml")
    return load_methodology(path)


def _actions(actions: list[Action]) -> list[tuple[Any, ...]]:
    return [
        (
            a.id,
            a.kind,
            a.targets,
            a.risk_reduction,
            a.effort_days,
            a.cost_eur,
            a.prerequisites,
            a.uncertainty,
            a.change,
            tuple(r.text for r in a.rationale),
        )
        for a in actions
    ]


def test_every_rule_is_renamed(renamed: Methodology) -> None:
    shipped = load_methodology()
    old = {r.id for a in shipped.axes.values() for r in a.rules}
    old |= {c.id for c in shipped.exit.criteria}
    new = {r.id for a in renamed.axes.values() for r in a.rules}
    new |= {c.id for c in renamed.exit.criteria}
    assert not old & new


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_renamed_rules_give_the_same_actions_and_exit_plans(
    path: Path, catalog: Catalog, renamed: Methodology
) -> None:
    estate = load_estate(path)
    shipped = audit(estate, load_methodology(), catalog, TODAY)
    other = audit(estate, renamed, catalog, TODAY)
    before = generate_actions(shipped, catalog)
    after = generate_actions(other, catalog)
    assert _actions(after) == _actions(before)
    if path.stem == "forges-bourgogne":  # not vacuous: the actions rules were keyed on
        kinds = {a.kind for a in after}
        assert {"negotiate", "backup", "skills", "test-export"} <= kinds
    for lang in ("en", "fr"):
        plans = [exit_plan_document(p, lang) for p in exit_plans(shipped, catalog)]
        assert [exit_plan_document(p, lang) for p in exit_plans(other, catalog)] == plans
