"""What ``souverain simulate -f json`` prints is what the reference walk gives: its
text is written from the bit-parallel engine's batch (exporters/scenarios.py), and
must equal ``json.dumps`` of the reference's outcomes, on random estates and on the
examples, through the command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from souverain.cli.app import app
from souverain.core.estate.duration import Duration
from souverain.core.scenarios.analyses import crisis_ranking, ranked
from souverain.core.scenarios.graph import ScenarioGraph
from souverain.core.scenarios.reference import Outcome, simulate_one
from souverain.core.scenarios.spec import Scenario, every_single_loss, parse_scenario
from souverain.core.scenarios.sweep import outcome_of, simulate_many
from souverain.exporters.scenarios import outcome_document, outcome_json, ranking_json
from tests.scenarios.test_scenarios import estates, graph

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _ranking(outcomes: list[Outcome]) -> str:
    documents = [{"rank": n, **outcome_document(o)} for n, o in enumerate(outcomes, 1)]
    return json.dumps(documents, ensure_ascii=False, indent=2) + "\n"


def _one(outcome: Outcome) -> str:
    return json.dumps(outcome_document(outcome), ensure_ascii=False, indent=2) + "\n"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=estates(), grace=st.sampled_from(["0d", "30d", "90d"]))
def test_the_json_written_from_the_batch_is_the_references(
    data: tuple[dict[str, Any], dict[str, str]], grace: str
) -> None:
    sections, exits = data
    g = graph(exits=exits, **sections)
    scenarios = every_single_loss(g)
    scenarios += [Scenario(f"asset:{a['id']}", (("asset", a["id"]),)) for a in sections["assets"]]
    scenarios += [parse_scenario("product:x"), parse_scenario("product:y+region:north")]
    scenarios += [parse_scenario(f"sanction:{c}") for c in ("US", "FR", "DE")]
    scenarios += [parse_scenario(f"site:{a['id']}") for a in sections["assets"][:3]]
    period = Duration.parse(grace)
    batch = simulate_many(g, scenarios, period, block=64, outcomes=True)
    order = ranked(batch)
    reference = [simulate_one(g, scenarios[column], period) for column in order]
    assert ranking_json(batch, order) == _ranking(reference)
    for column, outcome in zip(order, reference, strict=True):
        assert outcome_json(batch, column) == _one(outcome)
        assert outcome_of(batch, column) == outcome


def test_an_empty_ranking_and_an_outcome_with_nothing_hit() -> None:
    g = graph(processes=[], assets=[{"id": "a"}])
    batch = simulate_many(g, [parse_scenario("region:nowhere")], outcomes=True)
    assert ranking_json(batch, []) == "[]\n"
    assert outcome_json(batch, 0) == _one(simulate_one(g, parse_scenario("region:nowhere")))


def _reference_graph(name: str) -> ScenarioGraph:
    from souverain.core.scoring.audit import audit
    from souverain.importers.estate import load_estate
    from souverain.pipeline import scenario_graph
    from souverain.resources import load_catalog, load_methodology
    from tests.conftest import TODAY

    catalog = load_catalog()
    result = audit(load_estate(EXAMPLES / f"{name}.yaml"), load_methodology(), catalog, TODAY)
    return scenario_graph(result, catalog)


@pytest.mark.parametrize("name", ["assurance-mutuelle", "forges-bourgogne", "mairie-exemple"])
def test_simulate_prints_the_reference_walks_outcomes(name: str) -> None:
    """``simulate --all -f json`` and ``-s jurisdiction:US -f json``, through the command,
    against the reference walk of the same scenarios (the one selection rule,
    equivalents merged) in the same order."""
    from tests.conftest import TODAY

    g = _reference_graph(name)
    grace = Duration.parse("12d")
    batch, order = crisis_ranking(g, grace)
    expected = _ranking([simulate_one(g, batch.scenarios[c], grace) for c in order])
    runner = CliRunner()
    common = ["--grace", "12d", "-f", "json", "--as-of", TODAY.isoformat(), "--lang", "en"]
    estate = str(EXAMPLES / f"{name}.yaml")
    printed = runner.invoke(app, ["simulate", estate, "--all", *common])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout == expected
    one = runner.invoke(app, ["simulate", estate, "-s", "jurisdiction:US", *common])
    assert one.exit_code == 0, one.output
    assert one.stdout == _one(simulate_one(g, parse_scenario("jurisdiction:US"), grace))
