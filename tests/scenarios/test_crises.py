"""Crisis scenarios that mean a crisis (docs/scenarios.md, issue 13 §6): the ranking's
order, equivalent scenarios merged, the home (and EU/EEA) laws left out of it, the
targeted sanction's reach, and a site loss telling lost data from data unreachable from
the site. Small estates built for each rule; both engines where they apply."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from souverain.core.catalog.model import Catalog, Product
from souverain.core.estate.duration import Duration
from souverain.core.estate.validation import parse_estate
from souverain.core.scenarios.analyses import crisis_ranking, graph_findings
from souverain.core.scenarios.graph import ScenarioGraph
from souverain.core.scenarios.reference import simulate_one
from souverain.core.scenarios.spec import crisis_scenarios, parse_scenario
from souverain.core.scenarios.sweep import outcome_of, simulate_many
from tests.scenarios.test_scenarios import states


def build(
    catalog: Catalog | None = None,
    exits: dict[str, str] | None = None,
    country: str = "FR",
    **sections: Any,
) -> ScenarioGraph:
    organisation = {"name": "Test", "country": country}
    estate = parse_estate({"souverain": 1, "organisation": organisation, **sections})
    times = {k: Duration.parse(v) for k, v in (exits or {}).items()}
    return ScenarioGraph.build(estate, catalog or Catalog(), times)


def both(g: ScenarioGraph, spec: str) -> Any:
    """The reference's outcome, checked against the bit-parallel engine's."""
    scenario = parse_scenario(spec, g)
    reference = simulate_one(g, scenario)
    assert outcome_of(simulate_many(g, [scenario], outcomes=True), 0) == reference
    return reference


# --- ranking: beyond max downtime first -----------------------------------------------

# Losing pa stops one vital process for longer than it may stop (leaving a takes two
# weeks, its max downtime is 8 hours); losing pb stops two vital processes, but each
# comes back within its max downtime (one day to leave, four weeks allowed).
RANKING = {
    "processes": [
        {"id": "p1", "criticality": "vital", "max_downtime": "8h", "depends_on": ["a"]},
        {"id": "p2", "criticality": "vital", "max_downtime": "4w", "depends_on": ["b"]},
        {"id": "p3", "criticality": "vital", "max_downtime": "4w", "depends_on": ["c"]},
        {"id": "p4", "criticality": "important", "depends_on": ["d"]},
    ],
    "providers": [
        {"id": "pa", "country": "US"},
        {"id": "pb", "country": "US"},
        {"id": "pd", "country": "US"},
    ],
    "assets": [
        {"id": "a", "provider": "pa", "deployment": "saas"},
        {"id": "b", "provider": "pb", "deployment": "saas"},
        {"id": "c", "provider": "pb", "deployment": "saas"},
        {"id": "d", "provider": "pd", "deployment": "saas"},
    ],
}


def test_a_vital_process_out_beyond_its_max_downtime_ranks_above_two_stopped_in_time() -> None:
    g = build(exits={"a": "2w", "b": "1d", "c": "1d", "d": "1d"}, **RANKING)
    batch, order = crisis_ranking(g)
    specs = [batch.scenarios[c].spec for c in order]
    # jurisdiction:US (everything) first; then pa (1 vital beyond) above pb (2 vital down,
    # in time); pd (an important process only, without a max downtime) last.
    assert specs == ["jurisdiction:US", "provider:pa", "provider:pb", "provider:pd"]
    # The old order (vital down first) would have put pb above pa.
    assert states(g, "provider:pb") == {"p1": "up", "p2": "down", "p3": "down", "p4": "up"}


# --- equivalent scenarios merged ------------------------------------------------------


def test_a_group_its_only_subsidiary_and_their_country_are_one_line() -> None:
    g = build(
        processes=[{"id": "billing", "criticality": "vital", "depends_on": ["erp"]}],
        providers=[
            {"id": "group", "country": "US"},
            {"id": "subsidiary", "country": "CH", "owner": "group"},
        ],
        assets=[{"id": "erp", "provider": "subsidiary", "deployment": "saas"}],
    )
    batch, order = crisis_ranking(g)
    lines = [batch.scenarios[c].specs for c in order]
    # provider:group reaches the group alone (it has no asset): it stops nothing, and
    # is a line of its own. Everything else reaches the subsidiary: one line, which
    # the provider names.
    assert len(lines) == 2
    assert lines[0][0] == "provider:subsidiary"
    assert set(lines[0]) == {
        "provider:subsidiary",
        "owner:group",
        "jurisdiction:US",
        "jurisdiction:CH",
        "sanction:US",
        "sanction:CH",
    }
    assert lines[1] == ("provider:group",)


def test_the_json_line_names_every_equivalent_scenario() -> None:
    import json

    from souverain.exporters.scenarios import ranking_json

    g = build(
        processes=[{"id": "billing", "criticality": "vital", "depends_on": ["erp"]}],
        providers=[
            {"id": "group", "country": "US"},
            {"id": "subsidiary", "country": "US", "owner": "group"},
        ],
        assets=[{"id": "erp", "provider": "subsidiary", "deployment": "saas"}],
    )
    batch, order = crisis_ranking(g)
    [first, *_] = json.loads(ranking_json(batch, order))
    assert first["scenario"] == "provider:subsidiary"
    assert set(first["equivalent"]) == {"owner:group", "jurisdiction:US", "sanction:US"}


def test_two_countries_reaching_unrelated_providers_are_two_lines_even_with_one_outcome() -> None:
    # The provider runs the ERP on two subcontractors: one under Chinese law, one under
    # Russian law. Losing either stops the ERP the same way, yet these are two crises
    # (two unrelated countries), not one line naming both.
    g = build(
        processes=[{"id": "billing", "criticality": "vital", "depends_on": ["erp"]}],
        providers=[
            {"id": "editor", "country": "FR", "subcontractors": ["cn-host", "ru-host"]},
            {"id": "cn-host", "country": "CN"},
            {"id": "ru-host", "country": "RU"},
        ],
        assets=[{"id": "erp", "provider": "editor", "deployment": "saas"}],
    )
    assert states(g, "jurisdiction:CN") == states(g, "jurisdiction:RU")
    assert states(g, "jurisdiction:CN")["billing"] == "down"
    batch, order = crisis_ranking(g)
    lines = [set(batch.scenarios[c].specs) for c in order]
    china = [line for line in lines if "jurisdiction:CN" in line]
    russia = [line for line in lines if "jurisdiction:RU" in line]
    assert len(china) == len(russia) == 1 and china != russia
    assert "jurisdiction:RU" not in china[0] and "provider:ru-host" not in china[0]


# --- the home laws are no foreign reach -----------------------------------------------

HOME = {
    "processes": [
        {"id": "mail", "criticality": "vital", "depends_on": ["mailbox"]},
        {"id": "files", "criticality": "important", "depends_on": ["share"]},
        {"id": "crm", "criticality": "important", "depends_on": ["contacts"]},
    ],
    "providers": [
        {"id": "fr-host", "country": "FR"},
        {"id": "de-host", "country": "DE"},
        {"id": "us-saas", "country": "US"},
    ],
    "assets": [
        {"id": "mailbox", "provider": "fr-host", "deployment": "saas"},
        {"id": "share", "provider": "de-host", "deployment": "saas"},
        {"id": "contacts", "provider": "us-saas", "deployment": "saas"},
    ],
}


def test_an_eu_organisation_ranks_no_eu_country_s_laws(test_catalog: Catalog) -> None:
    g = build(test_catalog, **HOME)
    specs = {spec for s in crisis_scenarios(g) for spec in s.specs}
    assert "jurisdiction:US" in specs and "sanction:US" in specs
    assert not {"jurisdiction:FR", "jurisdiction:DE", "sanction:FR", "sanction:DE"} & specs
    # Still there on request.
    assert both(g, "jurisdiction:FR").processes[0].state == "down"
    assert both(g, "jurisdiction:DE").processes[1].state == "down"


def test_outside_the_eu_only_the_home_country_is_left_out(test_catalog: Catalog) -> None:
    g = build(test_catalog, country="CH", **HOME)
    specs = {spec for s in crisis_scenarios(g) for spec in s.specs}
    assert {"jurisdiction:FR", "jurisdiction:DE", "sanction:DE"} <= specs
    g = build(test_catalog, country="US", **HOME)
    specs = {spec for s in crisis_scenarios(g) for spec in s.specs}
    assert "jurisdiction:US" not in specs and "sanction:US" not in specs
    assert "jurisdiction:FR" in specs


def test_home_laws_are_a_resilience_metric_not_a_headline(test_catalog: Catalog) -> None:
    g = build(test_catalog, **HOME)
    found = graph_findings(g)
    headline = {(d.kind, d.id) for d in found.dependence}
    apart = {(d.kind, d.id) for d in found.home_dependence}
    assert ("jurisdiction", "US") in headline
    assert not {("jurisdiction", "FR"), ("jurisdiction", "DE")} & headline
    assert apart == {("jurisdiction", "FR"), ("jurisdiction", "DE")}


# --- a targeted sanction --------------------------------------------------------------


def _with_product(catalog: Catalog) -> Catalog:
    product = Product(
        id="us-erp",
        name="US ERP",
        category="erp",
        provider="us-cloud",  # US Cloud Inc. (US), in the test catalog
        source="test fixture",
        as_of=date(2026, 1, 1),
    )
    return replace(catalog, products={**catalog.products, "us-erp": product})


SANCTION = {
    "processes": [
        {"id": "sales", "criticality": "vital", "depends_on": ["crm"]},
        {"id": "support", "criticality": "important", "depends_on": ["tickets"]},
        {"id": "accounting", "criticality": "vital", "depends_on": ["erp-local"]},
        {"id": "planning", "criticality": "important", "depends_on": ["erp-hosted"]},
        {"id": "mail", "criticality": "useful", "depends_on": ["mailbox"]},
    ],
    "providers": [
        {"id": "us-cloud-eu", "country": "LU", "owner": "us-parent"},
        {"id": "us-parent", "country": "US"},
        # A French reseller: one of its services runs on the US-owned cloud.
        {"id": "reseller", "country": "FR"},
        # A French integrator installing a US vendor's product.
        {"id": "integrator", "country": "FR"},
        {"id": "fr-mail", "country": "FR"},
    ],
    "assets": [
        {"id": "cloud-host", "provider": "us-cloud-eu", "deployment": "public-cloud"},
        {"id": "crm", "provider": "reseller", "deployment": "saas", "depends_on": ["cloud-host"]},
        {"id": "tickets", "provider": "reseller", "deployment": "saas"},
        {
            "id": "erp-local",
            "provider": "integrator",
            "product": "us-erp",
            "deployment": "on-premise",
        },
        {
            "id": "erp-hosted",
            "provider": "integrator",
            "product": "us-erp",
            "deployment": "private-cloud",
        },
        {"id": "mailbox", "provider": "fr-mail", "deployment": "saas"},
    ],
}


def test_a_sanction_reaches_resellers_and_licensees(test_catalog: Catalog) -> None:
    g = build(_with_product(test_catalog), **SANCTION)
    law = {p.id: p.state for p in both(g, "jurisdiction:US").processes}
    sanction = {p.id: p.state for p in both(g, "sanction:US").processes}
    # The law of the country reaches its providers and what runs on them.
    assert law == {
        "sales": "down",
        "support": "up",
        "accounting": "up",
        "planning": "up",
        "mail": "up",
    }
    # A designation reaches the reseller whole (its other service too), the hosted
    # product of the US vendor (down) and its on-premise licence (unpatched: its terms
    # are unknown, so whether it stops is too), not the French mail provider.
    assert sanction == {
        "sales": "down",
        "support": "down",
        "accounting": "unpatched",
        "planning": "down",
        "mail": "up",
    }
    # Both engines; the code in any case. Given 30 days (--grace, as states() runs), the
    # on-premise licence stops then: degraded.
    assert states(g, "sanction:us") == {**sanction, "accounting": "degraded"}


def test_every_foreign_country_reaching_something_has_its_sanction(test_catalog: Catalog) -> None:
    g = build(_with_product(test_catalog), **SANCTION)
    specs = {spec for s in crisis_scenarios(g) for spec in s.specs}
    assert "sanction:US" in specs
    assert "sanction:LU" not in specs  # EU: not foreign to a French organisation
    assert "sanction:CN" not in specs  # reaches nothing
    assert both(g, "sanction:CN").assets == ()  # a known country: nothing is lost


def test_a_sanction_by_an_unknown_country_is_refused_with_the_nearest() -> None:
    import pytest

    from souverain.core.errors import InvalidInput

    g = build(**SANCTION)
    with pytest.raises(InvalidInput):
        parse_scenario("sanction:USA", g)


# --- a site loss: lost or unreachable from the site -----------------------------------

SITE = {
    "processes": [
        {"id": "plant", "criticality": "vital", "depends_on": ["db", "files", "archive"]},
        {"id": "office", "criticality": "important", "depends_on": ["mail", "telemetry"]},
    ],
    "providers": [{"id": "mail-co", "country": "FR"}, {"id": "iot-co", "country": "FR"}],
    "assets": [
        {"id": "site", "category": "site", "location": {"region": "north"}},
        {"id": "srv", "deployment": "on-premise", "depends_on": ["site"]},
        {"id": "link", "depends_on": ["site"], "provider": "mail-co"},
        # Held on the site's server, no copy: lost with the site.
        {"id": "db", "deployment": "on-premise", "depends_on": ["srv"], "data": ["ledger"]},
        # A copy off the site: not lost.
        {
            "id": "files",
            "deployment": "on-premise",
            "depends_on": ["srv"],
            "data": ["plans"],
            "continuity": {"backup": {"held_by": "organisation", "off_site": True}},
        },
        # A copy held by the organisation, where is not said: counts as on the site.
        {
            "id": "archive",
            "depends_on": ["srv"],
            "data": ["records"],
            "continuity": {"backup": {"held_by": "organisation", "offline_copy": True}},
        },
        # In the cloud, reached through the site's link: unreachable from the site only.
        {
            "id": "mail",
            "provider": "mail-co",
            "deployment": "saas",
            "depends_on": ["link"],
            "data": ["emails"],
        },
        {
            "id": "telemetry",
            "provider": "iot-co",
            "deployment": "public-cloud",
            "depends_on": ["srv"],
            "data": ["readings"],
        },
    ],
}


def test_a_site_loss_tells_lost_data_from_data_held_elsewhere() -> None:
    g = build(**SITE)
    outcome = both(g, "site:site")
    assert outcome.lost_data == ("ledger", "records")
    assert outcome.unreachable_data == ("emails", "readings")
    # A region outage reaches the same nodes, but destroys nothing: nothing is lost.
    region = both(g, "region:north")
    assert region.lost_data == ()
    # (records has a copy held by the organisation: reachable once the region is back)
    assert region.unreachable_data == ("emails", "ledger", "readings")


def test_lost_data_in_the_json_and_in_the_ranking() -> None:
    import json

    from souverain.exporters.scenarios import outcome_json, ranking_json

    g = build(**SITE)
    batch = simulate_many(g, [parse_scenario("site:site")], outcomes=True)
    document = json.loads(outcome_json(batch, 0))
    assert document["lost_data"] == ["ledger", "records"]
    assert document["unreachable_data"] == ["emails", "readings"]
    batch, order = crisis_ranking(g)
    lines = {batch.scenarios[c].spec: c for c in order}
    # site and region reach the same nodes but one destroys data: two lines.
    assert {"site:site", "region:north"} <= set(lines)
    # Same processes stopped: the loss that destroys data ranks first.
    specs = [batch.scenarios[c].spec for c in order]
    assert specs.index("site:site") < specs.index("region:north")
    ranked = {d["scenario"]: d for d in json.loads(ranking_json(batch, order))}
    assert ranked["site:site"]["lost_data"] == ["ledger", "records"]
    assert ranked["region:north"]["lost_data"] == []


def test_the_words_of_a_site_loss_in_both_languages() -> None:
    from souverain.exporters.graph_findings import scenario_words, unreachable_heading

    site = parse_scenario("site:site").losses
    assert unreachable_heading(site, "en").startswith("Data unreachable from the site")
    assert unreachable_heading(site, "fr").startswith("Données inaccessibles depuis le site")
    assert unreachable_heading(parse_scenario("provider:x").losses, "en") == "Data unreachable"
    assert scenario_words("lost-data", "fr").startswith("Données perdues")


def test_an_off_site_that_is_not_a_boolean_is_refused_where_it_is() -> None:
    import pytest

    from souverain.core.errors import InvalidInput

    site = {**SITE, "assets": [dict(a) for a in SITE["assets"]]}
    site["assets"][4] = {**site["assets"][4], "continuity": {"backup": {"off_site": "maybe"}}}
    with pytest.raises(InvalidInput) as error:
        build(**site)
    [problem] = error.value.problems
    assert problem.path == ("assets", 4, "continuity", "backup", "off_site")
    assert problem.found == "'maybe'"


def test_a_reseller_s_own_customers_are_not_bound_by_the_designation() -> None:
    g = build(
        processes=[
            {"id": "web", "criticality": "vital", "depends_on": ["site"]},
            {"id": "mail", "criticality": "vital", "depends_on": ["mailbox"]},
        ],
        providers=[
            {"id": "us-cloud", "country": "US"},
            {"id": "reseller", "country": "FR"},  # hosts on the US cloud
            {"id": "agency", "country": "FR"},  # hosts on the reseller's cloud
        ],
        assets=[
            {"id": "vm", "provider": "us-cloud", "deployment": "public-cloud"},
            {"id": "fr-vm", "provider": "reseller", "deployment": "private-cloud"},
            {"id": "paas", "provider": "reseller", "deployment": "saas", "depends_on": ["vm"]},
            {"id": "site", "provider": "agency", "deployment": "saas", "depends_on": ["fr-vm"]},
            {"id": "mailbox", "provider": "agency", "deployment": "saas"},
        ],
    )
    down, _ = g.seeds(parse_scenario("sanction:US"))
    assert {g.id_of(n) for n in down} == {"us-cloud", "reseller"}
    # The reseller's cloud is cut, and the site on it; the agency's mail is not.
    assert states(g, "sanction:US") == {"web": "down", "mail": "up"}
