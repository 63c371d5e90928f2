"""Each exposure axis, through ``audit()`` on small hand-built estates (docs/methodology.md).

Scores follow the shipped methodology (src/souverain/data/methodology.yaml); each
axis takes the worst of its findings. Facts come from tests/data/catalog: the US
has a data-access law and a service-cutoff law reaching by control, CN a law
reaching data on its territory, CH has full adequacy, the US partial adequacy.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from souverain.core.scoring.audit import AuditResult, AxisScore, Reason
from tests.conftest import TODAY
from tests.core.conftest import AMAZON, AWS_EMEA, OVH, SAP, AuditOf

FIXTURE_SOURCE = ("test fixture", date(2026, 1, 1))  # source and as_of of every catalog fact


def axis(result: AuditResult, axis_name: str, asset: str = "app") -> AxisScore:
    row = next(d for d in result.dependencies if d.asset == asset)
    return row.exposure[axis_name]  # type: ignore[index]


def reason(score: AxisScore, rule: str) -> Reason:
    found = [r for r in score.reasons if r.rule == rule]
    assert found, f"no {rule} among {[r.rule for r in score.reasons]}"
    return found[0]


def rules(score: AxisScore) -> list[str]:
    return [r.rule for r in score.reasons]


def app(**fields: Any) -> dict[str, Any]:
    """The asset under test."""
    return {"id": "app", **fields}


# --- jurisdiction ----------------------------------------------------------------------


def test_a_provider_owned_by_a_us_entity_scores_4_naming_owner_and_law(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[AWS_EMEA, AMAZON],
        assets=[
            app(provider="aws-emea", deployment="saas", location={"country": "DE"}, data=["orders"])
        ],
    )
    score = axis(result, "jurisdiction")
    assert score.score == 4
    first = score.reasons[0]
    assert first.rule == "chain-data-access"
    assert first.params["entity"] == "Amazon.com Inc."
    assert first.params["laws"] == "Test Data Access Act"
    assert first.params["chain"] == "Amazon Web Services EMEA SARL → Amazon.com Inc."
    assert "Amazon.com Inc." in first.text("en") and "Test Data Access Act" in first.text("en")
    assert first.evidence.ref == "providers[amazon].country; catalog jurisdiction US: test-data-law"
    assert (first.evidence.source, first.evidence.as_of) == FIXTURE_SOURCE


def test_a_us_owner_also_brings_the_service_cutoff_law(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[AWS_EMEA, AMAZON],
        assets=[
            app(provider="aws-emea", deployment="saas", location={"country": "DE"}, data=["orders"])
        ],
    )
    cutoff = reason(axis(result, "jurisdiction"), "chain-service-cutoff")
    assert (cutoff.score, cutoff.params["laws"]) == (4, "Test Sanctions Act")


def test_a_german_provider_with_data_in_germany_scores_0(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[SAP],
        assets=[
            app(provider="sap", deployment="saas", location={"country": "DE"}, data=["orders"])
        ],
    )
    score = axis(result, "jurisdiction")
    assert score.score == 0
    assert rules(score) == ["clear"]


def test_data_in_a_country_with_full_adequacy_scores_1(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[SAP],
        assets=[app(provider="sap", location={"country": "CH"}, data=["orders"])],
    )
    score = axis(result, "jurisdiction")
    assert score.score == 1
    first = score.reasons[0]
    assert (first.rule, first.params["country"]) == ("outside-eea-adequate", "CH")
    assert first.evidence.ref == "assets[app].location.country; catalog jurisdiction CH: adequacy"
    assert (first.evidence.source, first.evidence.as_of) == FIXTURE_SOURCE


def test_data_in_a_country_with_partial_adequacy_scores_2(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[SAP],
        assets=[app(provider="sap", location={"country": "US"}, data=["orders"])],
    )
    score = axis(result, "jurisdiction")
    assert score.score == 2
    assert score.reasons[0].rule == "outside-eea-partial-adequacy"
    assert score.reasons[0].params["scope"] == "certified organisations only"


def test_data_on_a_territory_reached_by_law_scores_3(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[SAP],
        assets=[app(provider="sap", location={"country": "CN"}, data=["orders"])],
    )
    score = axis(result, "jurisdiction")
    assert score.score == 3
    law = reason(score, "location-law")
    assert law.params == {"country": "CN", "laws": "Test Territory Law"}
    assert law.evidence.ref == (
        "assets[app].location.country; catalog jurisdiction CN: test-territory-law"
    )


def test_an_asset_holding_no_data_ignores_the_data_location(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[SAP],
        assets=[app(provider="sap", location={"country": "CN"}, data=[])],
    )
    assert axis(result, "jurisdiction").score == 0


def test_running_on_a_host_of_a_us_owned_provider_scores_4(audit_of: AuditOf) -> None:
    # A host holding the data can be compelled like the provider itself (issue 13):
    # 4, not 3 as before; a host of unknown category may hold the data.
    result = audit_of(
        providers=[SAP, AWS_EMEA, AMAZON],
        assets=[
            app(
                provider="sap",
                deployment="saas",
                location={"country": "DE"},
                data=["orders"],
                depends_on=["vm"],
            ),
            {
                "id": "vm",
                "name": "EC2 eu-central-1",
                "provider": "aws-emea",
                "deployment": "public-cloud",
                "location": {"country": "DE"},
            },
        ],
    )
    score = axis(result, "jurisdiction")
    assert score.score == 4
    host = score.reasons[0]
    assert host.rule == "host-data-access"
    assert (host.params["processor"], host.params["entity"]) == (
        "EC2 eu-central-1",
        "Amazon.com Inc.",
    )
    assert (host.evidence.source, host.evidence.as_of) == FIXTURE_SOURCE


def test_a_redundant_host_holds_a_copy_but_its_cutoff_is_covered(audit_of: AuditOf) -> None:
    # An any_of member holds a copy of the data (reached: issue 13, where it used to
    # count for nothing); an order to its provider does not stop the group.
    result = audit_of(
        providers=[SAP, AWS_EMEA, AMAZON, OVH],
        assets=[
            app(
                provider="sap",
                deployment="saas",
                location={"country": "DE"},
                data=["orders"],
                depends_on=[{"any_of": ["vm", "ovh-vm"]}],
            ),
            {"id": "vm", "provider": "aws-emea", "deployment": "public-cloud"},
            {"id": "ovh-vm", "provider": "ovhcloud", "deployment": "public-cloud"},
        ],
    )
    score = axis(result, "jurisdiction")
    assert rules(score) == ["host-data-access", "redundant-host-cutoff"]
    assert reason(score, "redundant-host-cutoff").params["others"] == "ovh-vm"


def test_a_provider_with_no_known_country_is_not_assessed_and_scores_3(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[{"id": "acme-hosting", "name": "Acme Hosting"}],
        assets=[app(provider="acme-hosting", location={"country": "FR"}, data=["orders"])],
    )
    score = axis(result, "jurisdiction")
    assert score.score == 3
    first = score.reasons[0]
    assert first.rule == "provider-country-unknown"
    assert first.not_assessed
    assert first.params["provider"] == "Acme Hosting"
    assert first.evidence.ref == "providers[acme-hosting].country"


def test_a_provider_country_missing_from_the_catalog_is_not_assessed(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[{"id": "totvs", "name": "TOTVS", "country": "BR"}],
        assets=[app(provider="totvs", location={"country": "FR"}, data=["orders"])],
    )
    score = axis(result, "jurisdiction")
    assert score.score == 2
    first = score.reasons[0]
    assert (first.rule, first.not_assessed, first.params["countries"]) == (
        "jurisdiction-unknown",
        True,
        "BR",
    )
    assert first.evidence.ref == "catalog jurisdictions"


def test_data_in_a_country_missing_from_the_catalog_is_not_assessed(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[SAP],
        assets=[app(provider="sap", location={"country": "BR"}, data=["orders"])],
    )
    score = axis(result, "jurisdiction")
    assert score.score > 0
    assert any(r.not_assessed for r in score.reasons)


def test_an_unknown_data_location_is_not_assessed_and_scores_2(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[SAP],
        assets=[app(provider="sap", deployment="saas", data=["orders"])],
    )
    score = axis(result, "jurisdiction")
    assert score.score == 2
    first = score.reasons[0]
    assert (first.rule, first.not_assessed) == ("location-unknown", True)
    assert first.evidence.ref == "assets[app].location.country"


def test_software_run_in_house_scores_0_and_says_so(audit_of: AuditOf) -> None:
    # No location: on premises, the data is in the organisation's country (FR).
    result = audit_of(assets=[app(deployment="on-premise", data=["orders"])])
    score = axis(result, "jurisdiction")
    assert score.score == 0
    assert rules(score) == ["in-house"]
    assert score.reasons[0].evidence.ref == "assets[app].provider"


# --- data control ----------------------------------------------------------------------


def test_keys_held_by_the_provider_score_3(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[SAP],
        assets=[
            app(
                provider="sap",
                deployment="saas",
                data=["orders"],
                encryption={"keys_held_by": "provider"},
            )
        ],
    )
    score = axis(result, "data_control")
    assert score.score == 3
    assert score.reasons[0].rule == "keys-provider"
    assert score.reasons[0].evidence.ref == "assets[app].encryption.keys_held_by"


def test_keys_held_by_a_third_party_score_2(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[SAP],
        assets=[
            app(
                provider="sap",
                deployment="saas",
                data=["orders"],
                encryption={"keys_held_by": "third-party"},
            )
        ],
    )
    assert axis(result, "data_control").score == 2


def test_own_keys_in_the_cloud_score_1_even_at_a_us_owned_provider(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[AWS_EMEA, AMAZON],
        assets=[
            app(
                provider="aws-emea",
                deployment="public-cloud",
                data=["orders"],
                encryption={"keys_held_by": "organisation"},
            )
        ],
    )
    score = axis(result, "data_control")
    assert score.score == 1
    assert rules(score) == ["keys-organisation-cloud"]


def test_a_us_owned_provider_that_can_read_the_data_scores_4(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[AWS_EMEA, AMAZON],
        assets=[
            app(
                provider="aws-emea",
                deployment="saas",
                data=["orders"],
                encryption={"keys_held_by": "provider"},
            )
        ],
    )
    score = axis(result, "data_control")
    assert score.score == 4
    first = score.reasons[0]
    assert first.rule == "keys-at-reachable-provider"
    assert (first.params["entity"], first.params["laws"]) == (
        "Amazon.com Inc.",
        "Test Data Access Act",
    )
    assert (first.evidence.source, first.evidence.as_of) == FIXTURE_SOURCE


def test_unknown_key_holder_in_the_cloud_is_not_assessed_and_scores_3(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[SAP],
        assets=[app(provider="sap", deployment="saas", data=["orders"])],
    )
    score = axis(result, "data_control")
    assert score.score == 3
    first = score.reasons[0]
    assert (first.rule, first.not_assessed) == ("keys-unknown", True)
    assert first.evidence.ref == "assets[app].encryption.keys_held_by"


def test_data_on_premises_scores_0(audit_of: AuditOf) -> None:
    result = audit_of(assets=[app(deployment="on-premise", data=["orders"])])
    score = axis(result, "data_control")
    assert score.score == 0
    assert rules(score) == ["on-premise"]


def test_a_cloud_asset_holding_no_data_scores_0(audit_of: AuditOf) -> None:
    result = audit_of(providers=[SAP], assets=[app(provider="sap", deployment="saas", data=[])])
    score = axis(result, "data_control")
    assert score.score == 0
    assert rules(score) == ["no-data"]


def test_a_personal_data_transfer_to_a_dpf_certified_recipient_scores_1(
    audit_of: AuditOf,
) -> None:
    """Scored by its mechanism (tests/core/test_transfers.py has every tier): the DPF
    is the partial adequacy decision for the US, so a certified recipient is lawful
    while the decision stands (it scored 3 before transfers were scored by mechanism)."""
    result = audit_of(
        assets=[app(deployment="on-premise", data=["payslips"])],
        processing=[
            {
                "id": "payroll",
                "purpose": "Paie",
                "assets": ["app"],
                "transfers": [{"country": "US", "mechanism": "dpf"}],
            }
        ],
    )
    score = axis(result, "data_control")
    assert score.score == 1
    transfer = reason(score, "transfer-adequacy")
    assert transfer.params == {"record": "payroll", "country": "US", "mechanism": "dpf"}
    assert transfer.evidence.ref == "processing[payroll].transfers[0]"


def test_a_transfer_to_a_country_with_full_adequacy_is_the_lowest_tier(audit_of: AuditOf) -> None:
    """Art. 45: no other mechanism needed; scored 1 like data lying there
    (outside-eea-adequate), as an adequacy decision can fall (it scored 0 before)."""
    result = audit_of(
        assets=[app(deployment="on-premise", data=["payslips"])],
        processing=[
            {
                "id": "payroll",
                "purpose": "Paie",
                "assets": ["app"],
                "transfers": [{"country": "CH"}],
            }
        ],
    )
    score = axis(result, "data_control")
    assert score.score == 1
    assert set(rules(score)) == {"transfer-adequacy", "on-premise"}


# --- operations ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deployment", "expected"),
    [("saas", 3), ("public-cloud", 2), ("private-cloud", 1), ("on-premise", 0)],
)
def test_deployment_model_scores(audit_of: AuditOf, deployment: str, expected: int) -> None:
    # Holds no data and no process needs it: only the deployment speaks.
    result = audit_of(assets=[app(deployment=deployment, data=[])])
    score = axis(result, "operations")
    assert score.score == expected
    assert score.reasons[0].evidence.ref == "assets[app].deployment"


def test_an_unknown_deployment_is_not_assessed_and_scores_3(audit_of: AuditOf) -> None:
    result = audit_of(assets=[app(data=[])])
    score = axis(result, "operations")
    assert score.score == 3
    assert (score.reasons[0].rule, score.reasons[0].not_assessed) == ("deployment-unknown", True)


NEEDED_8H = [
    {"id": "production", "criticality": "vital", "max_downtime": "8h", "depends_on": ["app"]}
]


def test_an_rto_longer_than_the_max_downtime_scores_3(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=NEEDED_8H,
        assets=[app(deployment="on-premise", data=[], continuity={"rto": "24h"})],
    )
    score = axis(result, "operations")
    assert score.score == 3
    first = score.reasons[0]
    assert first.rule == "rto-too-long"
    assert first.params == {"rto": "24h", "max_downtime": "8h", "process": "production"}
    assert first.evidence.ref == "assets[app].continuity.rto"


def test_an_rto_within_the_max_downtime_scores_0(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=NEEDED_8H,
        assets=[app(deployment="on-premise", data=[], continuity={"rto": "4h"})],
    )
    assert axis(result, "operations").score == 0


def test_an_rto_equal_to_the_max_downtime_in_another_unit_fits(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=[
            {
                "id": "invoicing",
                "criticality": "important",
                "max_downtime": "1d",
                "depends_on": ["app"],
            }
        ],
        assets=[app(deployment="on-premise", data=[], continuity={"rto": "24h"})],
    )
    assert "rto-too-long" not in rules(axis(result, "operations"))


def test_a_needed_asset_without_rto_is_not_assessed_and_scores_2(audit_of: AuditOf) -> None:
    result = audit_of(processes=NEEDED_8H, assets=[app(deployment="on-premise", data=[])])
    score = axis(result, "operations")
    assert score.score == 2
    assert (score.reasons[0].rule, score.reasons[0].not_assessed) == ("rto-unknown", True)


def test_backups_held_by_the_provider_score_3(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[SAP],
        assets=[
            app(
                provider="sap",
                deployment="private-cloud",
                data=["orders"],
                continuity={"backup": {"held_by": "provider", "offline_copy": True}},
            )
        ],
    )
    score = axis(result, "operations")
    assert score.score == 3
    first = score.reasons[0]
    assert (first.rule, first.params["provider"]) == ("backup-at-provider", "SAP SE")
    assert first.evidence.ref == "assets[app].continuity.backup.held_by"


def test_no_offline_copy_scores_2(audit_of: AuditOf) -> None:
    result = audit_of(
        assets=[
            app(
                deployment="on-premise",
                data=["orders"],
                continuity={"backup": {"held_by": "organisation", "offline_copy": False}},
            )
        ],
    )
    score = axis(result, "operations")
    assert score.score == 2
    assert score.reasons[0].rule == "no-offline-copy"
    assert score.reasons[0].evidence.ref == "assets[app].continuity.backup.offline_copy"


def test_unknown_backups_are_not_assessed_and_score_2(audit_of: AuditOf) -> None:
    result = audit_of(assets=[app(deployment="on-premise", data=["orders"])])
    score = axis(result, "operations")
    assert score.score == 2
    first = score.reasons[0]
    assert (first.rule, first.not_assessed) == ("backup-unknown", True)
    assert first.evidence.ref == "assets[app].continuity.backup"


def backed_up(**backup: Any) -> dict[str, Any]:
    return app(
        deployment="on-premise",
        data=["orders"],
        continuity={"backup": {"held_by": "organisation", "offline_copy": True, **backup}},
    )


def test_a_restore_never_tested_scores_2(audit_of: AuditOf) -> None:
    result = audit_of(assets=[backed_up(last_restore_test=None)])
    score = axis(result, "operations")
    assert score.score == 2
    first = score.reasons[0]
    assert (first.rule, first.not_assessed) == ("restore-never-tested", False)
    assert "jamais" in first.text("fr")
    assert first.evidence.ref == "assets[app].continuity.backup.last_restore_test"


def test_a_restore_tested_over_a_year_ago_scores_2(audit_of: AuditOf) -> None:
    tested = date(2025, 6, 1)
    result = audit_of(assets=[backed_up(last_restore_test=tested)])
    score = axis(result, "operations")
    assert score.score == 2
    assert score.reasons[0].params["days"] == str((TODAY - tested).days)  # 540 > 365


def test_a_restore_tested_this_year_scores_0(audit_of: AuditOf) -> None:
    result = audit_of(assets=[backed_up(last_restore_test=date(2026, 10, 1))])
    assert axis(result, "operations").score == 0


def test_an_omitted_restore_test_is_not_assessed(audit_of: AuditOf) -> None:
    result = audit_of(assets=[backed_up()])
    score = axis(result, "operations")
    assert any(
        r.not_assessed and r.evidence.ref == "assets[app].continuity.backup.last_restore_test"
        for r in score.reasons
    )


# --- supply chain ----------------------------------------------------------------------


INTEGRATOR = {"id": "integrateur", "name": "Intégrateur Bourgogne SARL", "country": "FR"}


def test_a_subcontractor_reachable_by_a_data_access_law_scores_3(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[{**INTEGRATOR, "subcontractors": ["aws-emea"]}, AWS_EMEA, AMAZON],
        assets=[app(provider="integrateur")],
    )
    score = axis(result, "supply_chain")
    assert score.score == 3
    first = score.reasons[0]
    assert first.rule == "subcontractor-data-access"
    assert first.params["subcontractor"] == "Amazon Web Services EMEA SARL"
    assert first.params["entity"] == "Amazon.com Inc."
    assert first.evidence.ref == "providers[amazon].country; catalog jurisdiction US: test-data-law"
    assert (first.evidence.source, first.evidence.as_of) == FIXTURE_SOURCE


def test_a_subcontractor_two_levels_deep_is_followed(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[
            {**INTEGRATOR, "subcontractors": ["ovhcloud"]},
            {**OVH, "subcontractors": ["aws-emea"]},
            AWS_EMEA,
            AMAZON,
        ],
        assets=[app(provider="integrateur")],
    )
    score = axis(result, "supply_chain")
    assert score.score == 3
    assert reason(score, "subcontracted").params["depth"] == "2"


def test_a_subcontractor_out_of_reach_scores_1(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[{**INTEGRATOR, "subcontractors": ["ovhcloud"]}, OVH],
        assets=[app(provider="integrateur")],
    )
    score = axis(result, "supply_chain")
    assert score.score == 1
    first = score.reasons[0]
    assert first.rule == "subcontracted"
    assert (first.params["subcontractors"], first.params["depth"]) == ("OVH SAS", "1")
    assert first.evidence.ref == "providers[integrateur].subcontractors"


def test_one_owner_group_carrying_many_vital_assets_scores_3(audit_of: AuditOf) -> None:
    # Vital: vm (aws-emea, owned by amazon), mail (amazon), erp (sap).
    # Amazon.com Inc. carries 2 of 3 = 67 % ≥ 30 %.
    result = audit_of(
        processes=[
            {"id": "production", "criticality": "vital", "depends_on": ["vm", "mail", "erp"]}
        ],
        providers=[AWS_EMEA, AMAZON, SAP],
        assets=[
            {"id": "vm", "provider": "aws-emea"},
            {"id": "mail", "provider": "amazon"},
            {"id": "erp", "provider": "sap"},
        ],
    )
    score = axis(result, "supply_chain", "vm")
    assert score.score == 3
    assert score.reasons[0].params == {"group": "Amazon.com Inc.", "count": "2", "total": "3"}
    assert axis(result, "supply_chain", "erp").score == 0  # SAP carries only 1 of 3


def test_a_share_below_30_percent_is_no_concentration(audit_of: AuditOf) -> None:
    # Amazon carries 2 of 7 vital assets: 28.6 % < 30 %.
    others = [f"erp-{n}" for n in range(5)]
    result = audit_of(
        processes=[
            {"id": "production", "criticality": "vital", "depends_on": ["vm", "mail", *others]}
        ],
        providers=[AWS_EMEA, AMAZON] + [{"id": f"vendor-{n}", "country": "FR"} for n in range(5)],
        assets=[{"id": "vm", "provider": "aws-emea"}, {"id": "mail", "provider": "amazon"}]
        + [{"id": ident, "provider": f"vendor-{n}"} for n, ident in enumerate(others)],
    )
    assert "concentration" not in rules(axis(result, "supply_chain", "vm"))


def test_assets_no_grave_process_needs_do_not_count_for_concentration(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=[{"id": "newsletter", "criticality": "useful", "depends_on": ["vm", "mail"]}],
        providers=[AWS_EMEA, AMAZON],
        assets=[{"id": "vm", "provider": "aws-emea"}, {"id": "mail", "provider": "amazon"}],
    )
    assert "concentration" not in rules(axis(result, "supply_chain", "vm"))


def test_a_service_without_a_provider_is_not_assessed_and_scores_2(audit_of: AuditOf) -> None:
    result = audit_of(assets=[app(deployment="saas")])
    score = axis(result, "supply_chain")
    assert score.score == 2
    first = score.reasons[0]
    assert (first.rule, first.not_assessed) == ("provider-unknown", True)
    assert first.evidence.ref == "assets[app].provider"


# --- lock-in ---------------------------------------------------------------------------


def on_premise(**fields: Any) -> dict[str, Any]:
    return app(deployment="on-premise", data=["orders"], **fields)


def test_a_proprietary_licence_scores_2(audit_of: AuditOf) -> None:
    result = audit_of(assets=[on_premise(licence="proprietary", exports=["csv"])])
    score = axis(result, "lock_in")
    assert score.score == 2
    assert score.reasons[0].rule == "proprietary"
    assert score.reasons[0].evidence.ref == "assets[app].licence"


def test_an_open_licence_with_open_exports_scores_0(audit_of: AuditOf) -> None:
    result = audit_of(assets=[on_premise(licence="AGPL-3.0-only", exports=["csv"])])
    score = axis(result, "lock_in")
    assert score.score == 0
    assert sorted(rules(score)) == ["open-exports", "open-source"]
    assert reason(score, "open-source").params["licence"] == "AGPL-3.0-only"


def test_data_that_cannot_be_exported_scores_4(audit_of: AuditOf) -> None:
    # Proprietary: open software the organisation runs keeps its data readable
    # (tests/core/test_commons.py).
    result = audit_of(assets=[on_premise(licence="proprietary", exports=[])])
    score = axis(result, "lock_in")
    assert score.score == 4
    assert score.reasons[0].rule == "no-export"
    assert score.reasons[0].evidence.ref == "assets[app].exports"


def test_exports_in_closed_formats_only_score_3(audit_of: AuditOf) -> None:
    # vendor-dump is in the catalog, marked not open; proprietary software (open software
    # run in-house is mitigated, tests/core/test_commons.py).
    result = audit_of(assets=[on_premise(licence="proprietary", exports=["vendor-dump"])])
    score = axis(result, "lock_in")
    assert score.score == 3
    assert (score.reasons[0].rule, score.reasons[0].params["formats"]) == (
        "closed-exports",
        "vendor-dump",
    )


def test_one_open_format_among_closed_ones_is_enough(audit_of: AuditOf) -> None:
    result = audit_of(assets=[on_premise(licence="AGPL-3.0-only", exports=["vendor-dump", "CSV"])])
    score = axis(result, "lock_in")
    assert score.score == 0
    assert reason(score, "open-exports").params["formats"] == "CSV"


def test_an_unknown_licence_is_not_assessed_and_scores_2(audit_of: AuditOf) -> None:
    result = audit_of(assets=[on_premise(exports=["csv"])])
    score = axis(result, "lock_in")
    assert score.score == 2
    assert (score.reasons[0].rule, score.reasons[0].not_assessed) == ("licence-unknown", True)
    assert score.reasons[0].evidence.ref == "assets[app].licence"


def test_unknown_export_formats_are_not_assessed_and_score_2(audit_of: AuditOf) -> None:
    result = audit_of(assets=[on_premise(licence="AGPL-3.0-only")])
    score = axis(result, "lock_in")
    assert score.score == 2
    assert (score.reasons[0].rule, score.reasons[0].not_assessed) == ("exports-unknown", True)


# --- contract --------------------------------------------------------------------------


EVERY_CLAUSE = {
    "eu_hosting": True,
    "data_portability": True,
    "exit_assistance": True,
    "subprocessor_approval": True,
    "audit_rights": True,
    "price_protection": True,
    "termination_notice_days": 90,
}


def under_contract(audit_of: AuditOf, **contract: Any) -> AxisScore:
    result = audit_of(
        providers=[SAP],
        assets=[app(provider="sap", contract="c-app")],
        contracts=[{"id": "c-app", "provider": "sap", **contract}],
    )
    return axis(result, "contract")


def test_a_provider_without_a_linked_contract_is_not_assessed_and_scores_3(
    audit_of: AuditOf,
) -> None:
    result = audit_of(providers=[SAP], assets=[app(provider="sap")])
    score = axis(result, "contract")
    assert score.score == 3
    first = score.reasons[0]
    assert (first.rule, first.not_assessed, first.params["provider"]) == (
        "no-contract",
        True,
        "SAP SE",
    )
    assert first.evidence.ref == "assets[app].contract"


def test_a_contract_granting_every_clause_scores_0(audit_of: AuditOf) -> None:
    score = under_contract(audit_of, clauses=EVERY_CLAUSE)
    assert score.score == 0
    assert rules(score) == ["clear"]


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("data_portability", 3),
        ("exit_assistance", 2),
        ("subprocessor_approval", 2),
        ("eu_hosting", 2),
        ("price_protection", 1),
        ("audit_rights", 1),
    ],
)
def test_a_clause_explicitly_missing_scores(audit_of: AuditOf, clause: str, expected: int) -> None:
    score = under_contract(audit_of, clauses={**EVERY_CLAUSE, clause: False})
    assert score.score == expected
    assert score.reasons[0].evidence.ref == f"contracts[c-app].clauses.{clause}"
    assert not score.reasons[0].not_assessed


def test_a_contract_without_clauses_is_not_assessed_and_scores_2(audit_of: AuditOf) -> None:
    score = under_contract(audit_of)
    assert score.score == 2
    first = score.reasons[0]
    assert (first.rule, first.not_assessed) == ("clauses-unknown", True)
    assert first.params["clauses"] == (
        "data_portability, exit_assistance, subprocessor_approval, eu_hosting"
    )
    assert first.evidence.ref == "contracts[c-app].clauses"


def test_only_the_clauses_left_out_are_listed_as_unknown(audit_of: AuditOf) -> None:
    score = under_contract(audit_of, clauses={"data_portability": True, "eu_hosting": True})
    assert score.score == 2
    assert score.reasons[0].params["clauses"] == "exit_assistance, subprocessor_approval"


def test_a_notice_longer_than_180_days_scores_1(audit_of: AuditOf) -> None:
    score = under_contract(audit_of, clauses={**EVERY_CLAUSE, "termination_notice_days": 365})
    assert score.score == 1
    assert score.reasons[0].params["days"] == "365"
    assert score.reasons[0].evidence.ref == "contracts[c-app].clauses.termination_notice_days"


def test_a_notice_of_exactly_180_days_is_not_flagged(audit_of: AuditOf) -> None:
    score = under_contract(audit_of, clauses={**EVERY_CLAUSE, "termination_notice_days": 180})
    assert score.score == 0


def test_a_contract_ending_within_180_days_scores_1(audit_of: AuditOf) -> None:
    ends = date(2027, 1, 31)
    score = under_contract(audit_of, ends=ends, clauses=EVERY_CLAUSE)
    assert score.score == 1
    assert score.reasons[0].params["days"] == str((ends - TODAY).days)  # 69
    assert score.reasons[0].evidence.ref == "contracts[c-app].ends"


def test_a_contract_ending_in_over_180_days_is_not_flagged(audit_of: AuditOf) -> None:
    score = under_contract(audit_of, ends=date(2027, 12, 31), clauses=EVERY_CLAUSE)
    assert score.score == 0


def test_software_run_in_house_needs_no_contract(audit_of: AuditOf) -> None:
    result = audit_of(assets=[app(deployment="on-premise")])
    assert axis(result, "contract").score == 0


# --- skills ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mastery", "expected"), [("none", 4), ("low", 3), ("medium", 1), ("high", 0)]
)
def test_in_house_mastery_scores(audit_of: AuditOf, mastery: str, expected: int) -> None:
    score = axis(audit_of(assets=[app(skills=mastery)]), "skills")
    assert score.score == expected
    assert score.reasons[0].rule == f"skills-{mastery}"
    assert score.reasons[0].evidence.ref == "assets[app].skills"


def test_unknown_mastery_is_not_assessed_and_scores_3(audit_of: AuditOf) -> None:
    score = axis(audit_of(assets=[app()]), "skills")
    assert score.score == 3
    assert (score.reasons[0].rule, score.reasons[0].not_assessed) == ("skills-unknown", True)


def test_a_site_needs_no_software_skills(audit_of: AuditOf) -> None:
    score = axis(audit_of(assets=[app(category="site", location={"country": "FR"})]), "skills")
    assert score.score == 0


def test_own_keys_do_not_shield_what_a_saas_processes_in_clear(audit_of: AuditOf) -> None:
    # EDPB Recommendations 01/2020, use case 6: a provider that processes the data in
    # clear can hand it over whoever holds the keys.
    result = audit_of(
        providers=[AWS_EMEA, AMAZON],
        assets=[
            app(
                provider="aws-emea",
                deployment="saas",
                data=["orders"],
                encryption={"keys_held_by": "organisation"},
            )
        ],
    )
    assert axis(result, "data_control").score == 4
    assert "keys-at-reachable-provider" in rules(axis(result, "data_control"))
    jurisdiction = axis(result, "jurisdiction")
    assert jurisdiction.score == 4
    assert "chain-data-access-in-clear" in rules(jurisdiction)
    assert "chain-data-access-own-keys" not in rules(jurisdiction)
