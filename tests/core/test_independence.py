"""Redundancy that is really independent (docs/methodology.md, "Redundancy and
backups"): an any_of member takes its processes' gravity one step lower only when a
partner shares no owner, foreign country of law, region or required asset with it; the
audit names the common mode that defeats a group, and the simulation agrees: that one
loss takes every member. Backups take the gravity of what they protect."""

from __future__ import annotations

from typing import Any

from souverain.core.catalog.model import Catalog
from souverain.core.estate.duration import Duration
from souverain.core.estate.validation import parse_estate
from souverain.core.scenarios.graph import ScenarioGraph
from souverain.core.scenarios.reference import simulate_one
from souverain.core.scenarios.spec import parse_scenario
from souverain.core.scoring.audit import AuditResult, Dependency
from tests.core.conftest import AMAZON, AWS_EMEA, ORGANISATION, AuditOf

ORANGE = {"id": "orange", "name": "Orange SA", "country": "FR"}
BOUYGUES = {"id": "bouygues", "name": "Bouygues Telecom", "country": "FR"}
SOSH = {"id": "sosh", "name": "Sosh", "country": "FR", "owner": "orange"}
COGENT = {"id": "cogent", "name": "Cogent Communications", "country": "US"}


def link(
    ident: str, provider: str, region: str | None = "bourgogne", **more: Any
) -> dict[str, Any]:
    asset: dict[str, Any] = {"id": ident, "provider": provider, "deployment": "saas", **more}
    if region is not None:
        asset["location"] = {"country": "FR", "region": region}
    return asset


def estate_of(
    members: list[dict[str, Any]], providers: list[dict[str, Any]], **more: Any
) -> dict[str, Any]:
    return {
        "processes": [
            {
                "id": "production",
                "criticality": "vital",
                "depends_on": [{"any_of": [m["id"] for m in members]}],
            }
        ],
        "providers": providers,
        "assets": members + more.pop("assets", []),
        **more,
    }


def row(result: AuditResult, asset: str) -> Dependency:
    return next(d for d in result.dependencies if d.asset == asset)


def rules(result: AuditResult, asset: str, axis: str = "operations") -> dict[str, Any]:
    return {r.rule: r for r in row(result, asset).exposure[axis].reasons}  # type: ignore[index]


def process_state(sections: dict[str, Any], spec: str, catalog: Catalog) -> str:
    estate = parse_estate({"souverain": 1, "organisation": ORGANISATION, **sections})
    graph = ScenarioGraph.build(estate, catalog)
    outcome = simulate_one(graph, parse_scenario(spec), Duration.parse("30d"))
    return next(p.state for p in outcome.processes if p.id == "production")


def test_two_independent_links_each_take_the_gravity_one_step_lower(
    audit_of: AuditOf, test_catalog: Catalog
) -> None:
    sections = estate_of(
        [link("fibre", "orange", "bourgogne"), link("radio", "bouygues", "rhone")],
        [ORANGE, BOUYGUES],
    )
    result = audit_of(**sections)
    for member, partner in (("fibre", "radio"), ("radio", "fibre")):
        assert (row(result, member).gravity, row(result, member).gravity_process) == (
            "important",
            "production",
        )
        found = rules(result, member)
        assert found["redundancy-independent"].params["partners"] == partner
        assert not [r for r in found if r.startswith("redundancy-same")]
    # The simulation agrees: losing one operator leaves production up.
    assert process_state(sections, "provider:orange", test_catalog) == "up"


def test_a_backup_link_from_the_same_operator_is_not_a_backup(
    audit_of: AuditOf, test_catalog: Catalog
) -> None:
    sections = estate_of(
        [link("fibre", "orange", "bourgogne"), link("4g", "sosh", "rhone")], [ORANGE, SOSH]
    )
    result = audit_of(**sections)
    assert row(result, "fibre").gravity == "vital"
    assert row(result, "4g").gravity == "vital"
    found = rules(result, "4g")
    assert "Orange SA" in found["redundancy-same-owner"].params["shared"]
    assert found["redundancy-same-owner"].score == 3
    assert "redundancy-independent" not in found
    # The common mode the audit names takes the whole group in the simulation.
    assert process_state(sections, "owner:orange", test_catalog) == "down"


def test_two_regions_of_one_hyperscaler_are_not_redundancy_against_it(
    audit_of: AuditOf, test_catalog: Catalog
) -> None:
    sections = estate_of(
        [
            link("paris", "aws-emea", "eu-west-3", deployment="public-cloud"),
            link("frankfurt", "aws-emea", "eu-central-1", deployment="public-cloud"),
        ],
        [AMAZON, AWS_EMEA],
    )
    result = audit_of(**sections)
    assert row(result, "paris").gravity == "vital"
    found = rules(result, "paris")
    assert "Amazon.com Inc." in found["redundancy-same-owner"].params["shared"]
    assert found["redundancy-same-country"].params["shared"] == "US"
    assert process_state(sections, "jurisdiction:US", test_catalog) == "down"


def test_a_shared_identity_plane_is_a_common_mode(audit_of: AuditOf, test_catalog: Catalog) -> None:
    sections = estate_of(
        [
            link("fibre", "orange", "bourgogne", depends_on=["idp"]),
            link("radio", "bouygues", "rhone", depends_on=["idp"]),
        ],
        [ORANGE, BOUYGUES],
        assets=[{"id": "idp", "name": "Identity plane", "deployment": "on-premise"}],
    )
    result = audit_of(**sections)
    assert row(result, "fibre").gravity == "vital"
    assert rules(result, "fibre")["redundancy-shared-asset"].params["shared"] == "Identity plane"
    assert row(result, "idp").gravity == "vital"
    assert process_state(sections, "asset:idp", test_catalog) == "down"


def test_one_shared_region_is_a_common_mode(audit_of: AuditOf, test_catalog: Catalog) -> None:
    sections = estate_of(
        [link("fibre", "orange", "bourgogne"), link("radio", "bouygues", "Bourgogne")],
        [ORANGE, BOUYGUES],
    )
    result = audit_of(**sections)
    assert row(result, "radio").gravity == "vital"
    assert rules(result, "radio")["redundancy-same-region"].score == 2
    assert process_state(sections, "region:bourgogne", test_catalog) == "down"


def test_independence_not_established_when_a_region_is_unknown(audit_of: AuditOf) -> None:
    sections = estate_of(
        [link("fibre", "orange", "bourgogne"), link("radio", "bouygues", None)],
        [ORANGE, BOUYGUES],
    )
    result = audit_of(**sections)
    assert row(result, "fibre").gravity == "vital"
    unknown = rules(result, "fibre")["redundancy-unknown"]
    assert unknown.not_assessed and unknown.params["partners"] == "radio"


def test_a_foreign_country_of_law_is_a_common_mode_the_home_country_is_not(
    audit_of: AuditOf,
) -> None:
    us_a = {"id": "cogent", "name": "Cogent", "country": "US"}
    us_b = {"id": "lumen", "name": "Lumen", "country": "US"}
    result = audit_of(
        **estate_of([link("a", "cogent", "bourgogne"), link("b", "lumen", "rhone")], [us_a, us_b])
    )
    assert row(result, "a").gravity == "vital"
    assert rules(result, "a")["redundancy-same-country"].params["shared"] == "US"
    # FR (home) and DE (EEA, for an organisation in the EEA): independent.
    telekom = {"id": "telekom", "name": "Deutsche Telekom", "country": "DE"}
    result = audit_of(
        **estate_of(
            [link("a", "orange", "bourgogne"), link("b", "telekom", "hessen")], [ORANGE, telekom]
        )
    )
    assert row(result, "a").gravity == "important"


def test_lowering_stops_at_minor_never_none(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=[
            {"id": "newsletter", "criticality": "minor", "depends_on": [{"any_of": ["a", "b"]}]}
        ],
        providers=[ORANGE, BOUYGUES],
        assets=[link("a", "orange", "bourgogne"), link("b", "bouygues", "rhone")],
    )
    assert (row(result, "a").gravity, row(result, "a").gravity_process) == ("minor", "newsletter")


def test_a_graver_plain_requirement_still_wins(audit_of: AuditOf) -> None:
    sections = estate_of(
        [link("fibre", "orange", "bourgogne"), link("radio", "bouygues", "rhone")],
        [ORANGE, BOUYGUES],
    )
    sections["processes"].append(
        {"id": "billing", "criticality": "important", "depends_on": ["fibre"]}
    )
    sections["processes"][0]["criticality"] = "vital"
    sections["processes"].append({"id": "safety", "criticality": "vital", "depends_on": ["radio"]})
    result = audit_of(**sections)
    assert (row(result, "fibre").gravity, row(result, "fibre").gravity_process) == (
        "important",
        "production",
    )
    assert (row(result, "radio").gravity, row(result, "radio").gravity_process) == (
        "vital",
        "safety",
    )


# --- backups ---------------------------------------------------------------------------


def test_a_backup_takes_the_gravity_of_what_it_protects(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=[{"id": "invoicing", "criticality": "important", "depends_on": ["erp"]}],
        providers=[ORANGE, BOUYGUES],
        assets=[
            link("erp", "orange", "bourgogne"),
            link("vault", "bouygues", "rhone", protects=["erp"]),
        ],
    )
    assert (row(result, "vault").gravity, row(result, "vault").gravity_process) == (
        "important",
        "invoicing",
    )
    assert not [r for r in rules(result, "erp") if r.startswith("backup-same")]


def test_a_backup_held_by_the_same_group_is_lost_with_the_data(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=[{"id": "invoicing", "criticality": "important", "depends_on": ["erp"]}],
        providers=[AMAZON, AWS_EMEA],
        assets=[
            link("erp", "aws-emea", "eu-west-3", deployment="public-cloud"),
            link("vault", "amazon", "eu-central-1", deployment="public-cloud", protects=["erp"]),
        ],
    )
    found = rules(result, "erp")
    assert "Amazon.com Inc." in found["backup-same-owner"].params["shared"]
    assert found["backup-same-owner"].params["backups"] == "vault"
    assert found["backup-same-country"].params["shared"] == "US"
    assert row(result, "erp").exposure["operations"].score == 3


def test_a_backup_that_protects_what_requires_it_is_refused() -> None:
    from souverain.core.errors import InvalidInput

    try:
        parse_estate(
            {
                "souverain": 1,
                "organisation": ORGANISATION,
                "assets": [
                    {"id": "erp"},
                    {"id": "vault", "depends_on": ["erp"], "protects": ["erp"]},
                ],
            }
        )
    except InvalidInput as error:
        assert any(p.path[-1] == "protects" for p in error.problems)
    else:
        raise AssertionError("a cycle through protects was accepted")


def test_what_the_holder_needs_anyway_defeats_no_redundancy(audit_of: AuditOf) -> None:
    # Both links enter the plant: the plant's loss stops production whatever the links.
    site = {"id": "plant", "category": "site", "location": {"country": "FR", "region": "BFC"}}
    sections = estate_of(
        [
            link("fibre", "orange", None, depends_on=["plant"]),
            link("radio", "bouygues", None, depends_on=["plant"]),
        ],
        [ORANGE, BOUYGUES],
        assets=[site],
    )
    sections["processes"][0]["depends_on"].append("plant")
    result = audit_of(**sections)
    assert row(result, "fibre").gravity == "important"
    assert row(result, "plant").gravity == "vital"
    # Without the process needing the plant itself, the plant is the common mode.
    sections["processes"][0]["depends_on"].remove("plant")
    result = audit_of(**sections)
    assert row(result, "fibre").gravity == "vital"
    assert rules(result, "fibre")["redundancy-shared-asset"].params["shared"] == "plant"


def test_the_what_if_follows_a_move_that_makes_a_group_common_mode(
    audit_of: AuditOf, test_catalog: Catalog
) -> None:
    from souverain.core.scoring.audit import audit
    from souverain.core.scoring.whatif import rescore
    from souverain.resources import load_methodology
    from tests.conftest import TODAY

    sections = estate_of(
        [link("fibre", "orange", "bourgogne"), link("radio", "bouygues", "rhone")],
        [ORANGE, BOUYGUES, SOSH],
    )
    base = audit_of(**sections)
    assert row(base, "fibre").gravity == "important"
    moved = base.estate.model_copy(
        update={
            "assets": [
                a.model_copy(update={"provider": "sosh"}) if a.id == "radio" else a
                for a in base.estate.assets
            ]
        }
    )
    changed = rescore(base, moved)
    assert changed is not None
    after = {d.asset: d for d in changed[1]}
    whole = audit(moved, load_methodology(), test_catalog, TODAY)
    for ident in ("fibre", "radio"):
        assert after[ident].gravity == row(whole, ident).gravity == "vital"
        assert after[ident].exposure == row(whole, ident).exposure


# --- the exit verdict follows independence --------------------------------------------


def exit_verdict(result: AuditResult, asset: str) -> tuple[str, bool | None, dict[str, str]]:
    readiness = row(result, asset).exit
    last = readiness.reasons[-1]
    return last.rule, readiness.can_exit_within_max_downtime, dict(last.params)


def test_an_independent_partner_takes_over_on_exit(audit_of: AuditOf) -> None:
    sections = estate_of(
        [
            link("fibre", "orange", "bourgogne", exit={"effort_days": 60}),
            link("radio", "bouygues", "rhone"),
        ],
        [ORANGE, BOUYGUES],
    )
    rule, fits, _ = exit_verdict(audit_of(**sections), "fibre")
    assert (rule, fits) == ("exit-redundant", True)


def test_a_backup_link_from_the_same_operator_does_not_take_over_on_exit(
    audit_of: AuditOf,
) -> None:
    # The expert's objection: "another member takes over" was said of a group one
    # owner's loss takes whole. The verdict names the common mode, and leaving is not
    # said to fit (unknown: no max downtime reaches a member through its group).
    sections = estate_of(
        [
            link("fibre", "orange", "bourgogne", exit={"effort_days": 60}),
            link("4g", "sosh", "rhone"),
        ],
        [ORANGE, SOSH],
    )
    result = audit_of(**sections)
    rule, fits, params = exit_verdict(result, "fibre")
    assert (rule, fits) == ("exit-redundant-common-mode", None)
    assert params["partners"] == "4g"
    assert "Orange SA" in params["shared"]
    verdict = row(result, "fibre").exit.reasons[-1]
    assert verdict.evidence.ref == "any_of: [fibre, 4g]"
    assert "Orange SA" in verdict.text("en") and "Orange SA" in verdict.text("fr")


def test_two_regions_of_one_hyperscaler_do_not_take_over_on_exit(audit_of: AuditOf) -> None:
    sections = estate_of(
        [
            link("paris", "aws-emea", "eu-west-3", deployment="public-cloud"),
            link("frankfurt", "aws-emea", "eu-central-1", deployment="public-cloud"),
        ],
        [AMAZON, AWS_EMEA],
    )
    rule, fits, params = exit_verdict(audit_of(**sections), "paris")
    assert (rule, fits) == ("exit-redundant-common-mode", None)
    assert "Amazon.com Inc." in params["shared"]  # the first mode: the owner group


def test_a_partner_of_unknown_region_leaves_the_takeover_unknown(audit_of: AuditOf) -> None:
    sections = estate_of(
        [link("fibre", "orange", "bourgogne"), link("radio", "bouygues", region=None)],
        [ORANGE, BOUYGUES],
    )
    result = audit_of(**sections)
    rule, fits, params = exit_verdict(result, "fibre")
    assert (rule, fits, params) == ("exit-redundant-unknown", None, {"partners": "radio"})
    assert row(result, "fibre").exit.reasons[-1].not_assessed


def test_the_what_if_follows_a_move_of_what_the_holder_needs_anyway(
    audit_of: AuditOf, test_catalog: Catalog
) -> None:
    """The what-if keeps what two members share from the audit while their footprints
    and what the group's holders need are unchanged; here only the holder's own
    requirement moves (neither member's footprint holds it): once the process needs
    Orange anyway, Orange no longer defeats the redundancy — and the other way round."""
    from souverain.core.scoring.audit import audit
    from souverain.core.scoring.whatif import rescore
    from souverain.resources import load_methodology
    from tests.conftest import TODAY

    hub = link("hub", "bouygues", "alsace")
    sections = estate_of(
        [link("fibre", "orange", "bourgogne"), link("radio", "sosh", "rhone")],
        [ORANGE, BOUYGUES, SOSH],
        assets=[hub],
    )
    sections["processes"][0]["depends_on"].append("hub")
    base = audit_of(**sections)
    assert row(base, "fibre").gravity == "vital"  # Orange owns both links
    assert "redundancy-same-owner" in rules(base, "fibre")
    sections["assets"][-1] = link("hub", "orange", "alsace")
    other = audit_of(**sections)
    assert row(other, "fibre").gravity == "important"  # Orange is needed anyway
    for start, provider in ((base, "orange"), (other, "bouygues")):
        moved = start.estate.model_copy(
            update={
                "assets": [
                    a.model_copy(update={"provider": provider}) if a.id == "hub" else a
                    for a in start.estate.assets
                ]
            }
        )
        changed = rescore(start, moved)
        assert changed is not None
        after = {d.asset: d for d in changed[1]}
        whole = audit(moved, load_methodology(), test_catalog, TODAY)
        for ident in ("fibre", "radio"):
            assert ident in after, ident
            assert after[ident].gravity == row(whole, ident).gravity != row(start, ident).gravity
            assert after[ident].exposure == row(whole, ident).exposure
