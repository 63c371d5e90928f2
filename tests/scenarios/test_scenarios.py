"""Crisis scenarios (docs/scenarios.md): hand-built estates whose answers are worked out here,
and a property test that the bit-parallel engine agrees with the plain reference."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from souverain.core.catalog.model import Catalog
from souverain.core.errors import InvalidInput
from souverain.core.estate.duration import Duration
from souverain.core.estate.validation import parse_estate
from souverain.core.scenarios.analyses import (
    concentration,
    nth_party_chains,
    single_points_of_failure,
)
from souverain.core.scenarios.graph import ScenarioGraph
from souverain.core.scenarios.reference import STATES, simulate_one
from souverain.core.scenarios.spec import Scenario, every_single_loss, parse_scenario
from souverain.core.scenarios.sweep import outcome_of, simulate_many
from souverain.exporters.graph_findings import dependence_sentence
from souverain.i18n import problem_text

ORG = {"name": "Forges de Bourgogne", "country": "FR"}


def graph(
    catalog: Catalog | None = None, exits: dict[str, str] | None = None, **sections: Any
) -> ScenarioGraph:
    estate = parse_estate({"souverain": 1, "organisation": ORG, **sections})
    times = {k: Duration.parse(v) for k, v in (exits or {}).items()}
    return ScenarioGraph.build(estate, catalog or Catalog(), times, today=date(2026, 11, 23))


def states(g: ScenarioGraph, spec: str, grace: str = "30d") -> dict[str, str]:
    outcome = simulate_one(g, parse_scenario(spec), Duration.parse(grace))
    many = simulate_many(g, [parse_scenario(spec)], Duration.parse(grace))
    by_engine = {p.id: STATES[many.states[n, 0]] for n, p in enumerate(g.estate.processes)}
    by_reference = {p.id: p.state for p in outcome.processes}
    assert by_engine == by_reference
    return by_reference


# Production needs the MES (on premises, vendor Siemens) and one of two ERP hosts;
# invoicing needs the SaaS ERP.
PLANT = {
    "processes": [
        {
            "id": "production",
            "criticality": "vital",
            "max_downtime": "8h",
            "depends_on": ["mes", {"any_of": ["host-a", "host-b"]}],
        },
        {
            "id": "invoicing",
            "criticality": "important",
            "max_downtime": "3d",
            "depends_on": ["erp"],
        },
    ],
    "providers": [
        {"id": "siemens", "country": "DE"},
        {"id": "us-parent", "country": "US"},
        {"id": "cloud-lu", "country": "LU", "owner": "us-parent"},
        {"id": "hoster-fr", "country": "FR"},
        {"id": "saas-erp", "country": "FR", "subcontractors": ["cloud-lu"]},
    ],
    "assets": [
        {"id": "mes", "deployment": "on-premise", "provider": "siemens", "data": ["recipes"]},
        {
            "id": "host-a",
            "deployment": "public-cloud",
            "provider": "cloud-lu",
            "location": {"country": "DE", "region": "eu-central"},
        },
        {
            "id": "host-b",
            "deployment": "private-cloud",
            "provider": "hoster-fr",
            "location": {"country": "FR", "region": "paris"},
        },
        {
            "id": "erp",
            "deployment": "saas",
            "provider": "saas-erp",
            "data": ["invoices"],
            "continuity": {"backup": {"held_by": "provider"}},
        },
    ],
}


def test_a_redundant_pair_survives_one_loss_not_two() -> None:
    g = graph(**PLANT)
    assert states(g, "asset:host-a")["production"] == "up"
    assert states(g, "asset:host-b")["production"] == "up"
    assert states(g, "asset:host-a+asset:host-b")["production"] == "down"


def test_a_cloud_asset_goes_down_with_its_provider_and_its_subcontractor() -> None:
    g = graph(**PLANT)
    assert states(g, "provider:saas-erp")["invoicing"] == "down"
    # saas-erp runs on cloud-lu: losing the subcontractor takes the SaaS down.
    assert states(g, "provider:cloud-lu")["invoicing"] == "down"


def test_a_jurisdiction_cuts_every_provider_its_laws_reach_through_owners() -> None:
    g = graph(**PLANT)
    # cloud-lu is Luxembourgish but owned from the US: a US cut takes it, and with it
    # the SaaS ERP hosted on it, and host-a (production survives on host-b).
    result = states(g, "jurisdiction:US")
    assert result == {"production": "up", "invoicing": "down"}
    assert states(g, "jurisdiction:us") == result  # the country code is not case-sensitive
    assert states(g, "owner:us-parent") == result


def test_on_premise_software_of_a_lost_vendor_is_degraded_not_down() -> None:
    g = graph(**PLANT)
    outcome = simulate_one(g, parse_scenario("provider:siemens"), Duration.parse("45d"))
    production = next(p for p in outcome.processes if p.id == "production")
    assert production.state == "degraded"
    assert str(production.time_to_impact) == "45d"
    assert states(g, "provider:siemens")["production"] == "degraded"


def test_a_product_change_degrades_the_assets_that_use_it() -> None:
    estate = {
        **PLANT,
        "assets": [{**PLANT["assets"][0], "product": "opcenter"}, *PLANT["assets"][1:]],
    }
    g = graph(**estate)
    assert states(g, "product:opcenter")["production"] == "degraded"


def test_a_region_loss_takes_its_assets() -> None:
    g = graph(**PLANT)
    assert states(g, "region:EU-Central")["production"] == "up"  # host-b in Paris holds
    assert states(g, "region:eu-central+region:paris")["production"] == "down"


def test_exceeding_max_downtime_depends_on_the_exit_time_of_what_failed() -> None:
    # ERP can be left in 2 days (< 3d max downtime of invoicing); the MES in 60 days.
    g = graph(exits={"erp": "2d", "mes": "60d"}, **PLANT)
    outcome = simulate_one(g, parse_scenario("provider:saas-erp"))
    invoicing = next(p for p in outcome.processes if p.id == "invoicing")
    assert (invoicing.state, invoicing.exceeds_max_downtime) == ("down", False)
    # The MES's licence terms are unknown: it runs on unpatched, and whether it stops
    # (so whether production's outage exceeds 8 hours) is unknown: no grace invented.
    production = next(
        p
        for p in simulate_one(g, parse_scenario("provider:siemens")).processes
        if p.id == "production"
    )
    assert (production.state, production.exceeds_max_downtime) == ("unpatched", None)
    # Given 30 days (--grace), a degraded MES can be left during them plus 8 hours:
    # 60d is too long.
    production = next(
        p
        for p in simulate_one(
            g, parse_scenario("provider:siemens"), Duration.parse("30d")
        ).processes
        if p.id == "production"
    )
    assert (production.state, production.exceeds_max_downtime) == ("degraded", True)
    # With 90 days of grace it fits.
    production = next(
        p
        for p in simulate_one(
            g, parse_scenario("provider:siemens"), Duration.parse("90d")
        ).processes
        if p.id == "production"
    )
    assert production.exceeds_max_downtime is False
    # Unknown exit time counts as too long.
    g = graph(**PLANT)
    outcome = simulate_one(g, parse_scenario("provider:saas-erp"))
    assert next(p for p in outcome.processes if p.id == "invoicing").exceeds_max_downtime


def test_data_is_unreachable_only_without_a_copy_outside() -> None:
    g = graph(**PLANT)
    outcome = simulate_one(g, parse_scenario("provider:saas-erp"))
    assert outcome.unreachable_data == ("invoices",)  # the backup is at the same provider
    kept = {
        **PLANT,
        "assets": [
            *PLANT["assets"][:3],
            {**PLANT["assets"][3], "continuity": {"backup": {"held_by": "organisation"}}},
        ],
    }
    assert simulate_one(graph(**kept), parse_scenario("provider:saas-erp")).unreachable_data == ()
    # The MES is only degraded: its recipes are still there.
    assert simulate_one(g, parse_scenario("provider:siemens")).unreachable_data == ()


def test_the_json_names_of_a_process_outcome() -> None:
    from souverain.exporters.scenarios import outcome_document

    g = graph(**PLANT)
    doc = outcome_document(simulate_one(g, parse_scenario("provider:saas-erp")))
    assert set(doc) == {
        "scenario",
        "equivalent",
        "processes",
        "assets",
        "lost_data",
        "unreachable_data",
    }
    assert doc["processes"][1] == {
        "id": "invoicing",
        "state": "down",
        "time_to_impact": "0d",
        "exceeds_max_downtime": True,
    }
    assert {"id": "erp", "state": "down"} in doc["assets"]


def test_bad_scenarios_are_refused_with_what_was_expected() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_scenario("vendor:x+provider:")
    assert len(caught.value.problems) == 2
    assert "provider" in problem_text("en", caught.value.problems[0].expected)
    g = graph(**PLANT)
    with pytest.raises(InvalidInput) as caught:
        g.seeds(parse_scenario("provider:nobody"))
    assert problem_text("en", caught.value.problems[0].found) == "'nobody'"


# --- analyses --------------------------------------------------------------------------


def test_single_points_of_failure_are_what_a_process_cannot_lose() -> None:
    g = graph(**PLANT)
    spof = {s.process: {(p.kind, p.id) for p in s.points} for s in single_points_of_failure(g)}
    # Production: the MES alone (its vendor only degrades it; the hosts are redundant).
    assert spof["production"] == {("asset", "mes")}
    # Invoicing: the ERP, its SaaS provider, and the provider's subcontractor.
    assert spof["invoicing"] == {
        ("asset", "erp"),
        ("provider", "saas-erp"),
        ("provider", "cloud-lu"),
    }


def test_concentration_counts_vital_and_important_processes_per_loss() -> None:
    g = graph(**PLANT)
    found = {(d.kind, d.id): (d.vital, d.important) for d in concentration(g)}
    assert found[("provider", "siemens")] == (1, 0)  # degraded counts
    assert found[("jurisdiction", "US")] == (0, 1)
    assert found[("jurisdiction", "FR")] == (0, 1)  # the SaaS ERP's vendor is French
    assert ("provider", "hoster-fr") not in found  # host-a covers
    us = next(d for d in concentration(g) if d.id == "US")
    assert dependence_sentence(us, "en") == (
        "1 of 1 important processes depend on one country's laws: US."
    )
    assert "processus importants" in dependence_sentence(us, "fr")


def test_nth_party_chains_reach_the_subcontractors() -> None:
    g = graph(**PLANT)
    [chain] = nth_party_chains(g)
    assert (chain.process, chain.asset, chain.providers, chain.party) == (
        "invoicing",
        "erp",
        ("saas-erp", "cloud-lu"),
        4,
    )


def test_every_single_loss_lists_providers_owner_groups_countries_regions_sites() -> None:
    g = graph(**PLANT)
    specs = {s.spec for s in every_single_loss(g)}
    assert {
        "provider:siemens",
        "owner:us-parent",
        "jurisdiction:US",
        "jurisdiction:LU",
        "region:paris",
    } <= specs


# --- the engine agrees with the reference ----------------------------------------------


# Data categories of the random estates, named as people name them.
DATA = ["payroll", "données clients", 'the "ledger"', "back\\slash"]


@st.composite
def estates(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, str]]:
    """A random acyclic estate: providers with owners and subcontractors, assets that
    depend on earlier assets (AND and any_of), processes on top."""
    n_prov = draw(st.integers(1, 6))
    providers = []
    for i in range(n_prov):
        entry: dict[str, Any] = {
            "id": f"p{i}",
            "country": draw(st.sampled_from(["US", "FR", "DE"])),
        }
        if i and draw(st.booleans()):
            entry["owner"] = f"p{draw(st.integers(0, i - 1))}"
        if i and draw(st.booleans()):
            entry["subcontractors"] = [f"p{draw(st.integers(0, i - 1))}"]
        providers.append(entry)
    n_assets = draw(st.integers(1, 14))
    assets = []
    exits = {}
    for i in range(n_assets):
        asset: dict[str, Any] = {"id": f"a{i}"}
        if draw(st.booleans()):
            asset["provider"] = f"p{draw(st.integers(0, n_prov - 1))}"
        deployment = draw(
            st.sampled_from(
                [
                    "saas",
                    "public-cloud",
                    "on-premise",
                    "private-cloud",
                    "link",
                    "device",
                    "site",
                    None,
                ]
            )
        )
        if deployment:
            asset["deployment"] = deployment
        if draw(st.booleans()):
            asset["location"] = {"region": draw(st.sampled_from(["north", "south", 'Île "sud"']))}
        if draw(st.booleans()):
            asset["product"] = draw(st.sampled_from(["x", "y"]))
        if draw(st.booleans()):
            asset["data"] = draw(st.lists(st.sampled_from(DATA), min_size=1, max_size=2))
            if draw(st.booleans()):
                held_by = draw(st.sampled_from(["provider", "organisation", "third-party"]))
                backup = {"held_by": held_by, "off_site": draw(st.booleans())}
                asset["continuity"] = {"backup": backup}
        deps: list[Any] = []
        if i:
            for _ in range(draw(st.integers(0, 2))):
                if i >= 2 and draw(st.booleans()):
                    members = draw(
                        st.lists(st.integers(0, i - 1), min_size=2, max_size=3, unique=True)
                    )
                    deps.append({"any_of": [f"a{m}" for m in members]})
                else:
                    deps.append(f"a{draw(st.integers(0, i - 1))}")
        asset["depends_on"] = deps
        if draw(st.booleans()):
            exits[f"a{i}"] = draw(st.sampled_from(["4h", "2d", "10d", "40d"]))
        # Licensors, licence terms and update channels (issue 13): soft edges whose
        # loss leaves the asset running for its survivability, or unpatched.
        if draw(st.booleans()):
            asset["licensor"] = f"p{draw(st.integers(0, n_prov - 1))}"
        if draw(st.booleans()):
            model = draw(
                st.sampled_from(["perpetual", "subscription", "open-source", "activation"])
            )
            terms: dict[str, Any] = {"model": model}
            if draw(st.booleans()):
                terms["grace"] = draw(st.sampled_from(["2d", "30d", "60d"]))
            if draw(st.booleans()):
                terms["ends"] = draw(st.sampled_from(["2026-12-01", "2027-06-30", "2020-01-01"]))
            if draw(st.booleans()):
                terms["licence_server"] = draw(st.booleans())
            asset["licence_terms"] = terms
        if draw(st.booleans()):
            updates: dict[str, Any] = {}
            if draw(st.booleans()):
                updates["from"] = f"p{draw(st.integers(0, n_prov - 1))}"
            if draw(st.booleans()):
                updates["criticality"] = draw(
                    st.sampled_from(["signatures", "security", "features"])
                )
            asset["updates"] = updates
        assets.append(asset)
    processes = []
    for i in range(draw(st.integers(1, 5))):
        members = draw(st.lists(st.integers(0, n_assets - 1), min_size=1, max_size=3, unique=True))
        deps = [f"a{m}" for m in members]
        if n_assets >= 2 and draw(st.booleans()):
            pair = draw(st.lists(st.integers(0, n_assets - 1), min_size=2, max_size=2, unique=True))
            deps.append({"any_of": [f"a{m}" for m in pair]})
        process: dict[str, Any] = {
            "id": f"proc{i}",
            "criticality": draw(st.sampled_from(["vital", "important", "useful"])),
            "depends_on": deps,
        }
        if draw(st.booleans()):
            process["max_downtime"] = draw(st.sampled_from(["8h", "3d", "2w"]))
        processes.append(process)
    return {"processes": processes, "providers": providers, "assets": assets}, exits


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=estates(), grace=st.sampled_from([None, "0d", "30d", "90d"]), extra=st.data())
def test_the_bit_parallel_engine_agrees_with_the_reference(
    data: tuple[dict[str, Any], dict[str, str]], grace: str | None, extra: st.DataObject
) -> None:
    sections, exits = data
    g = graph(exits=exits, **sections)
    scenarios = every_single_loss(g)
    scenarios += [Scenario(f"asset:{a['id']}", (("asset", a["id"]),)) for a in sections["assets"]]
    scenarios += [parse_scenario("product:x"), parse_scenario("product:y+region:north")]
    scenarios += [parse_scenario(f"sanction:{c}") for c in ("US", "FR", "DE")]
    scenarios += [parse_scenario(f"site:{a['id']}") for a in sections["assets"][:3]]
    # A few combinations of two losses.
    for _ in range(3):
        first, second = extra.draw(st.lists(st.sampled_from(scenarios), min_size=2, max_size=2))
        scenarios.append(Scenario(f"{first.spec}+{second.spec}", first.losses + second.losses))
    override = Duration.parse(grace) if grace else None  # None: each asset's survivability
    batch = simulate_many(g, scenarios, override, block=64, count_assets=True)
    detailed = simulate_many(g, scenarios, override, block=64, outcomes=True)
    for column, scenario in enumerate(scenarios):
        reference = simulate_one(g, scenario, override)
        # To the time to impact of each process and the state of each asset.
        assert outcome_of(detailed, column) == reference, scenario.spec
        expected = np.array([STATES.index(p.state) for p in reference.processes])
        assert (batch.states[:, column] == expected).all(), scenario.spec
        expected_exceeds = np.array(
            [
                -1 if p.exceeds_max_downtime is None else int(p.exceeds_max_downtime)
                for p in reference.processes
            ]
        )
        assert (batch.exceeds[:, column] == expected_exceeds).all(), scenario.spec
        downs = sum(1 for _, s in reference.assets if s == "down")
        hits = sum(1 for _, s in reference.assets if s in ("down", "degraded"))
        assert (batch.assets_down[column], batch.assets_hit[column]) == (downs, hits)


def test_the_audit_reports_single_points_of_failure_and_dependence(
    test_catalog: Catalog,
) -> None:
    from datetime import date

    from souverain.core.scoring.audit import audit
    from souverain.exporters.matrix import audit_document
    from souverain.resources import load_methodology

    estate = parse_estate({"souverain": 1, "organisation": ORG, **PLANT})
    result = audit(estate, load_methodology(), test_catalog, date(2026, 11, 23))
    assert result.graph is not None
    spof = {s.process: [p.id for p in s.points] for s in result.graph.single_points_of_failure}
    assert spof["production"] == ["mes"]
    summary = audit_document(result, "fr")["summary"]
    assert summary["single_points_of_failure"][0]["points"] == [
        {"kind": "asset", "id": "mes", "name": "mes"}
    ]
    texts = [d["text"] for d in summary["dependence"]]
    assert any("dépendent d'un seul fournisseur" in t for t in texts)
    assert summary["nth_party_chains"][0]["providers"] == ["saas-erp", "cloud-lu"]


def test_the_riskiest_chains_are_those_a_foreign_law_reaches(test_catalog: Catalog) -> None:
    from souverain.core.scoring.audit import audit_graph

    estate = parse_estate({"souverain": 1, "organisation": ORG, **PLANT})
    found = audit_graph(estate, test_catalog)
    [chain] = found.risky_chains
    # The SaaS ERP is French, but its host cloud-lu is owned from the US.
    assert chain.providers == ("saas-erp", "cloud-lu")
    assert chain.reached == ("cloud-lu (US: Test Data Access Act, Test Sanctions Act)",)
    assert found.chains == (
        type(chain)(chain.process, chain.asset, chain.providers, chain.reached),
    )


def _every_node(g: ScenarioGraph, spec: Scenario, grace: Duration) -> Any:
    """The reference walked over every node of the graph, not only those the seeds
    reach, with the unreachable data worked out by reading every asset."""
    from souverain.core.scenarios import reference as scenarios

    seeds = g.seeds(spec)
    outcome = scenarios._simulate(g, spec, grace, seeds, g.walk().every)
    down = {a for a, s in outcome.assets if s == "down"}
    held: set[str] = set()
    safe: set[str] = set()
    for asset in g.estate.assets:
        for category in asset.data or []:
            held.add(category)
            if asset.id not in down or scenarios._has_outside_copy(asset):
                safe.add(category)
    # What a site loss destroys (lost_data, structural) is not counted as unreachable.
    return outcome, tuple(c for c in sorted(held - safe) if c not in outcome.lost_data)


@pytest.mark.parametrize("name", ["assurance-mutuelle", "forges-bourgogne", "mairie-exemple"])
def test_one_scenario_visits_only_what_it_hits(name: str) -> None:
    """simulate_one walks the nodes above its seeds only: the same outcome, to the
    asset and the data category, as a walk over the whole graph, for every single
    loss of every example."""
    from pathlib import Path

    from souverain.core.scoring.audit import audit
    from souverain.importers.estate import load_estate
    from souverain.pipeline import scenario_graph as graph_of
    from souverain.resources import load_catalog, load_methodology
    from tests.conftest import TODAY

    path = Path(__file__).resolve().parents[2] / "examples" / f"{name}.yaml"
    catalog = load_catalog()
    result = audit(load_estate(path), load_methodology(), catalog, TODAY)
    g = graph_of(result, catalog)  # with the audit's exit times, as the commands do
    grace = Duration.parse("30d")
    losses = every_single_loss(g)
    assert losses
    hit = 0
    for spec in losses:
        outcome = simulate_one(g, spec, grace)
        everything, unreachable = _every_node(g, spec, grace)
        assert outcome == everything, spec
        assert outcome.unreachable_data == unreachable, spec
        hit += any(s != "up" for _, s in outcome.assets)
    assert hit  # losses that stop something are among them
