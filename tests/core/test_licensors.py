"""Licensors, licence terms, update channels and survivability (issue 13 §2), each
rule on a small estate built for it: validation, survivability, the supply-chain
reasons, the exit verdict, and the simulation in both engines."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from souverain.core.catalog.model import Catalog, Product
from souverain.core.errors import InvalidInput
from souverain.core.estate.duration import Duration
from souverain.core.estate.model import Asset, Contract
from souverain.core.estate.validation import check_estate
from souverain.core.scenarios.graph import ScenarioGraph
from souverain.core.scenarios.reference import simulate_one
from souverain.core.scenarios.spec import every_single_loss, parse_scenario
from souverain.core.scenarios.sweep import outcome_of, simulate_many
from souverain.core.scoring.audit import AuditResult, Dependency
from souverain.core.scoring.survivability import SIGNATURE_DAYS, survivability
from souverain.exporters.matrix import audit_document
from souverain.exporters.schema import AuditOut
from souverain.i18n import problem_text
from tests.conftest import TODAY
from tests.core.conftest import ORGANISATION, AuditOf, build_estate

# A French operator (a joint venture under French law) running a US company's
# technology under licence, S3NS or Bleu style; US Cloud Inc. is reached by the test
# catalog's Test Sanctions Act (service cut-off).
OPERATOR = {"id": "fr-operator", "name": "Opérateur français", "country": "FR"}
US_LICENSOR = {"id": "us-licensor", "name": "US Cloud Inc.", "catalog": "us-cloud"}
SOVEREIGN_CLOUD: dict[str, Any] = {
    "processes": [
        {
            "id": "claims",
            "criticality": "vital",
            "max_downtime": "2d",
            "depends_on": ["cloud"],
        }
    ],
    "providers": [OPERATOR, US_LICENSOR],
    "assets": [
        {
            "id": "cloud",
            "provider": "fr-operator",
            "deployment": "private-cloud",
            "licensor": "us-licensor",
            "licence_terms": {"model": "subscription", "ends": "2027-01-22"},
            "location": {"country": "FR"},
        }
    ],
}


def dependency(result: AuditResult, asset: str) -> Dependency:
    return next(d for d in result.dependencies if d.asset == asset)


def rules(dep: Dependency, axis: str) -> list[str]:
    return [r.rule for r in dep.exposure[axis].reasons]  # type: ignore[index]


def asset(**fields: Any) -> Asset:
    return Asset.model_validate({"id": "app", **fields})


# --- validation -------------------------------------------------------------------------


def test_an_unknown_licensor_is_refused_with_the_nearest_provider() -> None:
    raw = {
        "souverain": 1,
        "organisation": ORGANISATION,
        "providers": [OPERATOR, US_LICENSOR],
        "assets": [{"id": "cloud", "licensor": "us-licenser", "updates": {"from": "fr-operatr"}}],
    }
    estate, problems = check_estate(raw)
    assert estate is None
    by_path = {p.path: p for p in problems}
    licensor = by_path[("assets", 0, "licensor")]
    assert problem_text("en", licensor.message) == "unknown provider"
    assert problem_text("en", licensor.expected).endswith("the nearest: us-licensor")
    assert problem_text("fr", licensor.expected).endswith("les plus proches : us-licensor")
    assert problem_text("en", licensor.found) == "'us-licenser'"
    updates = by_path[("assets", 0, "updates", "from")]
    assert problem_text("en", updates.expected).endswith("the nearest: fr-operator")


def test_a_wrong_licence_model_is_a_located_error() -> None:
    with pytest.raises(InvalidInput) as error:
        build_estate(assets=[{"id": "app", "licence_terms": {"model": "leased"}}])
    [problem] = error.value.problems
    assert problem.path == ("assets", 0, "licence_terms", "model")
    assert "perpetual, subscription, open-source" in problem_text("en", problem.expected)
    assert problem_text("fr", problem.found) == "'leased'"


# --- survivability ----------------------------------------------------------------------


def test_a_perpetual_licence_runs_indefinitely_unpatched() -> None:
    found = survivability(asset(licence_terms={"model": "perpetual"}), Catalog(), TODAY)
    assert (found.indefinitely, found.runs, found.basis) == (True, None, "perpetual")


def test_open_source_code_never_stops() -> None:
    found = survivability(asset(licence_terms={"model": "open-source"}), Catalog(), TODAY)
    assert (found.indefinitely, found.basis) == (True, "open-source")


def test_an_open_source_licence_without_terms_never_stops_but_busl_is_unknown() -> None:
    # No licence terms given: the asset's open-source licence says enough (expert
    # review: self-hosted PostgreSQL came out "unknown"); a source-available one does not.
    found = survivability(asset(licence="PostgreSQL"), Catalog(), TODAY)
    assert (found.indefinitely, found.basis) == (True, "open-source")
    assert survivability(asset(licence="BUSL-1.1"), Catalog(), TODAY).basis == "unknown"
    assert survivability(asset(licence="proprietary"), Catalog(), TODAY).basis == "unknown"


def test_a_subscription_stops_at_its_end_else_at_the_contract_end() -> None:
    ends = asset(licence_terms={"model": "subscription", "ends": "2026-12-23"})
    assert survivability(ends, Catalog(), TODAY).runs == Duration.of_days(30)
    contract = Contract.model_validate({"id": "c", "provider": "p", "ends": "2027-01-02"})
    by_contract = asset(licence_terms={"model": "subscription"}, contract="c")
    found = survivability(by_contract, Catalog(), TODAY, contract)
    assert found.runs == Duration.of_days(40)
    assert [e.ref for e in found.sources][-1] == "contracts[c].ends"
    # Without any end date, it is unknown, not indefinite.
    unknown = survivability(asset(licence_terms={"model": "subscription"}), Catalog(), TODAY)
    assert (unknown.runs, unknown.indefinitely) == (None, False)


def test_an_activation_or_licence_server_stops_at_its_grace() -> None:
    activation = asset(licence_terms={"model": "activation", "grace": "14d"})
    assert survivability(activation, Catalog(), TODAY).runs == Duration.parse("14d")
    served = asset(licence_terms={"model": "perpetual", "licence_server": True, "grace": "3d"})
    found = survivability(served, Catalog(), TODAY)
    assert (found.runs, found.indefinitely, found.basis) == (
        Duration.parse("3d"),
        False,
        "activation",
    )


def test_security_signatures_lose_their_value_within_days() -> None:
    edr = asset(licence_terms={"model": "perpetual"}, updates={"criticality": "signatures"})
    found = survivability(edr, Catalog(), TODAY)
    assert (found.runs, found.basis, found.stops) == (
        Duration.of_days(SIGNATURE_DAYS),
        "signatures",
        ("signatures",),
    )


def test_the_asset_overrides_the_product_field_by_field() -> None:
    catalog = Catalog()
    catalog.products["suite"] = Product.model_validate(
        {
            "id": "suite",
            "name": "Suite",
            "category": "office",
            "provider": "vendor",
            "licensor": "vendor",
            "licence_terms": {"model": "subscription", "ends": "2027-11-23"},
            "source": "https://example.org/terms",
            "as_of": "2026-01-01",
        }
    )
    own = asset(product="suite", licence_terms={"ends": "2026-12-03"})
    found = survivability(own, catalog, TODAY)
    assert (found.model, found.runs) == ("subscription", Duration.of_days(10))
    assert found.licensor is not None and (found.licensor.id, found.licensor.estate) == (
        "vendor",
        False,
    )
    product_fact = found.sources[0]
    assert (product_fact.source, product_fact.as_of) == (
        "https://example.org/terms",
        date(2026, 1, 1),
    )


# --- the matrix: a licensed technology is a supply-chain dependence ---------------------


def test_a_french_operator_of_us_licensed_technology(audit_of: AuditOf) -> None:
    result = audit_of(**SOVEREIGN_CLOUD)
    cloud = dependency(result, "cloud")
    # Its operator is French: no US law reaches it on the jurisdiction axis…
    assert rules(cloud, "jurisdiction") == ["clear"]
    # …but the licensor can stop its updates and licence: visible on the supply chain.
    assert "licensor-cutoff" in rules(cloud, "supply_chain")
    assert cloud.exposure["supply_chain"].score == 3
    reason = next(r for r in cloud.exposure["supply_chain"].reasons if r.rule == "licensor-cutoff")
    assert reason.text("en") == (
        "Licensed technology from US Cloud Inc.: Test Sanctions Act can stop its updates "
        "and licence (reached through US Cloud Inc., United States)."
    )
    assert "Test Sanctions Act" in reason.text("fr")
    assert reason.cited[0].ref == "assets[cloud].licensor"
    # Never a subcontractor: that would invent an access to the data.
    assert "subcontracted" not in rules(cloud, "supply_chain")
    assert "subcontractor-data-access" not in rules(cloud, "supply_chain")


def test_a_licensor_of_the_same_country_as_the_operator_is_a_plain_dependence(
    audit_of: AuditOf,
) -> None:
    sections = {
        **SOVEREIGN_CLOUD,
        "providers": [OPERATOR, {"id": "fr-editor", "name": "Éditeur", "country": "FR"}],
        "assets": [{**SOVEREIGN_CLOUD["assets"][0], "licensor": "fr-editor"}],
    }
    cloud = dependency(audit_of(**sections), "cloud")
    assert rules(cloud, "supply_chain")[0] == "licensed-technology"
    assert cloud.exposure["supply_chain"].score == 1


def test_a_vendor_licensing_its_own_product_adds_nothing(audit_of: AuditOf) -> None:
    sections = {
        **SOVEREIGN_CLOUD,
        "assets": [{**SOVEREIGN_CLOUD["assets"][0], "licensor": "fr-operator"}],
    }
    cloud = dependency(audit_of(**sections), "cloud")
    assert not {"licensed-technology", "licensor-cutoff"} & set(rules(cloud, "supply_chain"))


def test_the_audit_json_shows_the_survivability_of_each_dependency(audit_of: AuditOf) -> None:
    document = audit_document(audit_of(**SOVEREIGN_CLOUD), "en")
    AuditOut.model_validate(document)
    [cloud] = document["dependencies"]
    assert cloud["survivability"] == {
        "licensor": "us-licensor",
        "model": "subscription",
        "runs_for": "60d",
        "runs_indefinitely": False,
        "basis": "subscription",
        "stops_updating": [],
        "updates_from": None,
        "sources": ["assets[cloud].licence_terms"],
    }


# --- exit readiness: time to exit against survivability and notice ----------------------


def _on_premise(**fields: Any) -> dict[str, Any]:
    return {
        "processes": [
            {"id": "payroll", "criticality": "vital", "max_downtime": "2d", "depends_on": ["app"]}
        ],
        "providers": [{"id": "vendor", "country": "US"}],
        "assets": [{"id": "app", "provider": "vendor", "deployment": "on-premise", **fields}],
    }


def test_on_premises_the_survivability_extends_the_time_to_leave(audit_of: AuditOf) -> None:
    # 20 days to leave, 2 days tolerated, but the activation lasts 30 days without it.
    result = audit_of(
        **_on_premise(
            exit={"duration": "20d"}, licence_terms={"model": "activation", "grace": "30d"}
        )
    )
    readiness = dependency(result, "app").exit
    assert readiness.can_exit_within_max_downtime is True
    assert readiness.reasons[-1].rule == "exit-fits-survivability"
    shorter = audit_of(
        **_on_premise(
            exit={"duration": "40d"}, licence_terms={"model": "activation", "grace": "30d"}
        )
    )
    too_long = dependency(shorter, "app").exit
    assert too_long.can_exit_within_max_downtime is False
    assert too_long.reasons[-1].rule == "exit-too-long-survivability"


def test_a_perpetual_licence_on_premises_can_be_left_at_leisure(audit_of: AuditOf) -> None:
    result = audit_of(**_on_premise(licence_terms={"model": "perpetual"}))
    readiness = dependency(result, "app").exit
    assert readiness.can_exit_within_max_downtime is True
    assert readiness.reasons[-1].rule == "exit-outlives-licensor"


def test_a_hosted_asset_stops_with_its_provider_whatever_its_licence(audit_of: AuditOf) -> None:
    result = audit_of(
        **{
            **SOVEREIGN_CLOUD,
            "assets": [{**SOVEREIGN_CLOUD["assets"][0], "exit": {"duration": "10d"}}],
        }
    )
    readiness = dependency(result, "cloud").exit
    assert readiness.can_exit_within_max_downtime is False
    assert readiness.reasons[-1].rule == "exit-too-long"


def test_the_termination_notice_is_compared_with_the_time_to_leave(audit_of: AuditOf) -> None:
    sections = _on_premise(exit={"duration": "100d"}, contract="c1")
    sections["contracts"] = [
        {"id": "c1", "provider": "vendor", "clauses": {"termination_notice_days": 90}}
    ]
    readiness = dependency(audit_of(**sections), "app").exit
    notice = next(r for r in readiness.reasons if r.rule.startswith("exit-notice"))
    assert (notice.rule, notice.params) == ("exit-notice-short", {"days": "90", "duration": "100d"})
    assert notice.evidence.ref == "contracts[c1].clauses.termination_notice_days"
    # The verdict stays last, on the cut-off without notice (its licence terms unknown,
    # whether it runs on without the vendor is unknown: not "too long").
    assert readiness.reasons[-1].rule == "exit-survivability-unknown"


def test_an_unknown_exit_time_is_never_a_no(audit_of: AuditOf) -> None:
    readiness = dependency(audit_of(**_on_premise()), "app").exit
    assert readiness.can_exit_within_max_downtime is None
    document = audit_document(audit_of(**_on_premise()), "en")
    assert document["dependencies"][0]["exit"]["can_exit_within_max_downtime"] is None
    assert (
        document["summary"]["cannot_exit_in_time"],
        document["summary"]["exit_in_time_unknown"],
    ) == (0, 1)


# --- the simulation ---------------------------------------------------------------------


def _graph(sections: dict[str, Any], catalog: Catalog | None = None) -> ScenarioGraph:
    estate = build_estate(**sections)
    return ScenarioGraph.build(estate, catalog or Catalog(), today=TODAY)


def _run(g: ScenarioGraph, spec: str, grace: str | None = None) -> Any:
    """The outcome of ``spec``, the same by both engines."""
    override = Duration.parse(grace) if grace else None
    scenario = parse_scenario(spec)
    reference = simulate_one(g, scenario, override)
    batch = simulate_many(g, [scenario], override, outcomes=True)
    assert outcome_of(batch, 0) == reference
    return reference


def test_losing_the_licensor_degrades_the_licensee_for_its_survivability(
    test_catalog: Catalog,
) -> None:
    g = _graph(SOVEREIGN_CLOUD, test_catalog)
    for spec in ("provider:us-licensor", "jurisdiction:US", "owner:us-holding"):
        outcome = _run(g, spec)
        [claims] = outcome.processes
        assert (claims.state, str(claims.time_to_impact)) == ("degraded", "60d"), spec
        assert outcome.assets == (("cloud", "degraded"),)
    # Losing the operator stops it now.
    assert _run(g, "provider:fr-operator").processes[0].state == "down"
    # --grace overrides the survivability.
    assert str(_run(g, "provider:us-licensor", "5d").processes[0].time_to_impact) == "5d"


def test_a_licensor_only_the_catalog_knows_is_reached_by_its_country(
    test_catalog: Catalog,
) -> None:
    # The licensor is named by its catalog id: no estate provider stands for it.
    catalog = Catalog(
        jurisdictions=dict(test_catalog.jurisdictions),
        providers=dict(test_catalog.providers),
        products=dict(test_catalog.products),
    )
    catalog.products["licensed-cloud"] = Product.model_validate(
        {
            "id": "licensed-cloud",
            "name": "Licensed cloud",
            "category": "iaas",
            "provider": "fr-telecom",
            "licensor": "us-cloud",
            "licence_terms": {"model": "activation", "grace": "12d"},
            "source": "test fixture",
            "as_of": "2026-01-01",
        }
    )
    sections = {
        **SOVEREIGN_CLOUD,
        "providers": [OPERATOR],
        "assets": [{"id": "cloud", "provider": "fr-operator", "product": "licensed-cloud"}],
    }
    g = _graph(sections, catalog)
    [claims] = _run(g, "jurisdiction:US").processes
    assert (claims.state, str(claims.time_to_impact)) == ("degraded", "12d")
    assert _run(g, "jurisdiction:FR").processes[0].state == "down"
    # --all lists the licensor's country and group though they reach no provider.
    specs = {s.spec for s in every_single_loss(g)}
    assert "jurisdiction:US" in specs
    assert any(spec.startswith("owner:") and spec != "owner:fr-operator" for spec in specs)


def test_a_perpetual_licence_leaves_the_licensee_unpatched_not_down() -> None:
    g = _graph(_on_premise(licence_terms={"model": "perpetual"}))
    outcome = _run(g, "provider:vendor")
    [payroll] = outcome.processes
    assert (payroll.state, payroll.time_to_impact, payroll.exceeds_max_downtime) == (
        "unpatched",
        None,
        False,
    )
    assert outcome.assets == (("app", "unpatched"),)


@pytest.mark.parametrize("deployment", ["on-premise", "device"])
def test_unknown_licence_terms_leave_it_unpatched_and_its_stop_unknown(deployment: str) -> None:
    # The expert's objection: installed software or a device whose terms are unknown
    # keeps running, unpatched; whether it stops is unknown, not "after 30 days".
    sections = _on_premise(exit={"duration": "40d"})
    sections["assets"][0]["deployment"] = deployment
    g = _graph(sections)
    outcome = _run(g, "provider:vendor")
    [payroll] = outcome.processes
    assert (payroll.state, payroll.time_to_impact, payroll.exceeds_max_downtime) == (
        "unpatched",
        None,
        None,
    )
    assert outcome.assets == (("app", "unpatched"),)
    # --grace stays the override: given 30 days, it stops then, and 40 days to leave
    # exceed them plus the 2 days tolerated.
    [given] = _run(g, "provider:vendor", "30d").processes
    assert (given.state, str(given.time_to_impact), given.exceeds_max_downtime) == (
        "degraded",
        "30d",
        True,
    )


def test_an_unknown_stop_under_a_known_outage_still_exceeds() -> None:
    # Payroll also needs a SaaS lost in the same scenario whose exit takes 10 days:
    # the known outage exceeds 2 days whatever the unpatched app does.
    sections = _on_premise()
    sections["processes"][0]["depends_on"].append("saas")
    sections["assets"].append(
        {"id": "saas", "provider": "vendor", "deployment": "saas", "exit": {"duration": "10d"}}
    )
    [payroll] = _run(_graph(sections), "provider:vendor").processes
    assert (payroll.state, payroll.exceeds_max_downtime) == ("down", True)


def test_a_group_whose_members_may_stop_may_stop() -> None:
    sections: dict[str, Any] = {
        "processes": [
            {
                "id": "payroll",
                "criticality": "vital",
                "max_downtime": "2d",
                "depends_on": [{"any_of": ["a", "b"]}],
            }
        ],
        "providers": [{"id": "vendor", "country": "US"}, {"id": "other", "country": "DE"}],
        "assets": [
            {"id": "a", "provider": "vendor", "deployment": "on-premise"},
            {
                "id": "b",
                "provider": "vendor",
                "deployment": "on-premise",
                "licence_terms": {"model": "perpetual"},
            },
            {"id": "c", "provider": "vendor", "deployment": "on-premise"},
        ],
    }
    # b runs indefinitely: the group holds, unpatched, and its outage is known not to
    # exceed.
    [payroll] = _run(_graph(sections), "provider:vendor").processes
    assert (payroll.state, payroll.exceeds_max_downtime) == ("unpatched", False)
    # With c instead, both may stop: unknown.
    sections["processes"][0]["depends_on"] = [{"any_of": ["a", "c"]}]
    [payroll] = _run(_graph(sections), "provider:vendor").processes
    assert (payroll.state, payroll.exceeds_max_downtime) == ("unpatched", None)


def test_a_subscription_with_no_end_stops_at_the_default_grace() -> None:
    # Its terms do stop it, at a date not given: the default grace stands for it.
    g = _graph(_on_premise(licence_terms={"model": "subscription"}))
    [payroll] = _run(g, "provider:vendor").processes
    assert (payroll.state, str(payroll.time_to_impact)) == ("degraded", "30d")


def test_an_exit_longer_than_the_downtime_is_unknown_when_survivability_is(
    audit_of: AuditOf,
) -> None:
    readiness = dependency(audit_of(**_on_premise(exit={"duration": "40d"})), "app").exit
    assert readiness.can_exit_within_max_downtime is None
    verdict = readiness.reasons[-1]
    assert (verdict.rule, verdict.not_assessed) == ("exit-survivability-unknown", True)
    assert verdict.params["licensor"] == "vendor"
    # One that fits the downtime alone fits whatever the survivability.
    short = dependency(audit_of(**_on_premise(exit={"duration": "1d"})), "app").exit
    assert (short.can_exit_within_max_downtime, short.reasons[-1].rule) == (True, "exit-fits")


def test_an_update_channel_lost_lapses_signatures_within_days() -> None:
    sections = _on_premise(
        licence_terms={"model": "perpetual"},
        updates={"from": "signatures-cloud", "criticality": "signatures"},
    )
    sections["providers"].append({"id": "signatures-cloud", "country": "US"})
    g = _graph(sections)
    [payroll] = _run(g, "provider:signatures-cloud").processes
    assert (payroll.state, str(payroll.time_to_impact)) == ("degraded", f"{SIGNATURE_DAYS}d")


def test_each_degraded_process_gets_its_own_time_to_impact() -> None:
    sections: dict[str, Any] = {
        "processes": [
            {"id": "short", "criticality": "vital", "depends_on": ["a", "b"]},
            {"id": "long", "criticality": "vital", "depends_on": [{"any_of": ["a", "b"]}]},
        ],
        "providers": [{"id": "vendor", "country": "US"}],
        "assets": [
            {
                "id": "a",
                "provider": "vendor",
                "deployment": "on-premise",
                "licence_terms": {"model": "activation", "grace": "3d"},
            },
            {
                "id": "b",
                "provider": "vendor",
                "deployment": "on-premise",
                "licence_terms": {"model": "activation", "grace": "20d"},
            },
        ],
    }
    g = _graph(sections)
    short, long = _run(g, "provider:vendor").processes
    # AND stops with the first to stop; any_of holds until the last.
    assert (str(short.time_to_impact), str(long.time_to_impact)) == ("3d", "20d")


def test_a_licensor_in_the_provider_s_own_group_adds_nothing(audit_of: AuditOf) -> None:
    # The licensor is the provider's parent, named in the estate with a catalog link.
    sections = {
        **SOVEREIGN_CLOUD,
        "providers": [
            {"id": "us-sub", "name": "US Cloud Luxembourg", "catalog": "us-cloud-lux"},
            US_LICENSOR,
        ],
        "assets": [{**SOVEREIGN_CLOUD["assets"][0], "provider": "us-sub"}],
    }
    cloud = dependency(audit_of(**sections), "cloud")
    assert not {"licensed-technology", "licensor-cutoff"} & set(rules(cloud, "supply_chain"))
