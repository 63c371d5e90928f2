"""GDPR transfers scored by their mechanism (GDPR Art. 44-49, Schrems II C-311/18,
EDPB Recommendations 01/2020): one small estate per mechanism, on the test catalog
(US: partial adequacy, the DPF; CH: full adequacy; CN: none)."""

from __future__ import annotations

from typing import Any

import pytest

from souverain.core.errors import InvalidInput
from tests.core.conftest import AuditOf, build_estate
from tests.core.test_axes import axis


def transfer_audit(audit_of: AuditOf, **transfer: Any) -> tuple[int, list[Any]]:
    result = audit_of(
        assets=[{"id": "app", "deployment": "on-premise", "data": ["payslips"]}],
        processing=[
            {"id": "payroll", "purpose": "Paie", "assets": ["app"], "transfers": [transfer]}
        ],
    )
    score = axis(result, "data_control")
    return score.score, [r for r in score.reasons if r.predicate == "personal_data_transfer"]


@pytest.mark.parametrize(
    ("transfer", "rule", "expected"),
    [
        ({"country": "CH"}, "transfer-adequacy", 1),
        ({"country": "CH", "mechanism": "scc"}, "transfer-adequacy", 1),
        ({"country": "US", "mechanism": "dpf"}, "transfer-adequacy", 1),
        ({"country": "US", "mechanism": "adequacy"}, "transfer-adequacy", 1),
        ({"country": "US", "mechanism": "scc", "tia": True}, "transfer-assessed-safeguards", 2),
        ({"country": "CN", "mechanism": "bcr", "tia": True}, "transfer-assessed-safeguards", 2),
        ({"country": "US", "mechanism": "scc"}, "transfer-safeguards", 3),
        ({"country": "US", "mechanism": "scc", "tia": False}, "transfer-safeguards", 3),
        ({"country": "CN", "mechanism": "bcr"}, "transfer-safeguards", 3),
        ({"country": "US", "mechanism": "derogation-49"}, "transfer-derogation", 3),
        # left out: not documented, which is not the same as known to be none
        ({"country": "US"}, "transfer-undocumented", 3),
        ({"country": "CN"}, "transfer-undocumented", 3),
        ({"country": "US", "mechanism": "none"}, "transfer-no-mechanism", 4),
        ({"country": "CN", "mechanism": "None"}, "transfer-no-mechanism", 4),
        # an adequacy the country does not have, the DPF outside the United States
        ({"country": "CN", "mechanism": "adequacy"}, "transfer-no-mechanism", 4),
        ({"country": "CH", "mechanism": "dpf"}, "transfer-adequacy", 1),
        ({"country": "CN", "mechanism": "dpf"}, "transfer-no-mechanism", 4),
    ],
)
def test_each_mechanism_scores_its_tier(
    audit_of: AuditOf, transfer: dict[str, Any], rule: str, expected: int
) -> None:
    score, found = transfer_audit(audit_of, **transfer)
    assert [(r.rule, r.score) for r in found] == [(rule, expected)]
    assert score == expected
    assert found[0].evidence.ref == "processing[payroll].transfers[0]"


def test_no_mechanism_is_flagged_non_compliant_in_both_languages(audit_of: AuditOf) -> None:
    _, (found,) = transfer_audit(audit_of, country="US", mechanism="none")
    assert found.text("en").startswith("Non-compliant:")
    assert found.text("fr").startswith("Non conforme :")
    assert found.params["mechanism"] == "none"


def test_an_undocumented_mechanism_is_a_gap_not_a_verdict(audit_of: AuditOf) -> None:
    # Unknown is a value: a record that names no mechanism is not a record of none.
    _, (found,) = transfer_audit(audit_of, country="US")
    assert found.rule == "transfer-undocumented"
    assert "Non-compliant" not in found.text("en")
    assert "Art. 30(1)(e)" in found.text("en")
    assert "registre" in found.text("fr")


def test_an_adequacy_based_transfer_cites_the_decision(audit_of: AuditOf) -> None:
    _, (found,) = transfer_audit(audit_of, country="US", mechanism="dpf")
    # The transfer, why it lands on this asset (the record's only one), the decision.
    assert [e.ref for e in found.facts] == [
        "processing[payroll].transfers[0]",
        "processing[payroll].assets",
        "catalog jurisdiction US: adequacy",
    ]


def test_a_transfer_inside_the_eea_is_not_one(audit_of: AuditOf) -> None:
    score, found = transfer_audit(audit_of, country="DE")
    assert (score, found) == (0, [])


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("SCC", "scc"),
        ("Standard Contractual Clauses", "scc"),
        ("binding corporate rules", "bcr"),
        ("DPF", "dpf"),
        ("Art. 49", "derogation-49"),
        ("adequacy decision", "adequacy"),
    ],
)
def test_older_files_naming_a_mechanism_the_usual_way_stay_valid(written: str, read: str) -> None:
    estate = build_estate(
        processing=[
            {"id": "p", "purpose": "x", "transfers": [{"country": "US", "mechanism": written}]}
        ]
    )
    assert estate.processing[0].transfers[0].mechanism == read
    assert estate.processing[0].transfers[0].tia is None


def test_a_misspelt_mechanism_is_refused_naming_the_nearest() -> None:
    with pytest.raises(InvalidInput) as raised:
        build_estate(
            processing=[
                {"id": "p", "purpose": "x", "transfers": [{"country": "US", "mechanism": "sccs2"}]}
            ]
        )
    (problem,) = raised.value.problems
    assert problem.path == ("processing", 0, "transfers", 0, "mechanism")


# --- the assets the data leaves through -------------------------------------------------

US_SAAS = {"id": "crmco", "name": "CRM Inc.", "country": "US"}
FR_HOST = {"id": "frhost", "name": "Hébergeur SAS", "country": "FR"}
US_CLOUD = {"id": "uscloud", "name": "Cloud Inc.", "country": "US"}


def _record_audit(audit_of: AuditOf, transfer: dict[str, Any], **sections: Any) -> Any:
    """A payroll record over three assets: an on-premise application, a US SaaS, and a
    French SaaS hosted on a US cloud."""
    assets = [
        {"id": "app", "deployment": "on-premise", "data": ["payslips"]},
        {"id": "crm", "provider": "crmco", "deployment": "saas", "data": ["payslips"]},
        {
            "id": "portal",
            "provider": "frhost",
            "deployment": "saas",
            "data": ["payslips"],
            "depends_on": ["vm"],
        },
        {"id": "vm", "provider": "uscloud", "deployment": "public-cloud", "category": "iaas"},
    ]
    return audit_of(
        providers=[US_SAAS, FR_HOST, US_CLOUD],
        assets=assets,
        processing=[
            {
                "id": "payroll",
                "purpose": "Paie",
                "assets": ["app", "crm", "portal"],
                "transfers": [transfer],
            }
        ],
        **sections,
    )


def _transfers(result: Any, asset: str) -> list[Any]:
    score = axis(result, "data_control", asset)
    return [
        r
        for r in score.reasons
        if r.predicate in ("personal_data_transfer", "transfer_carrier_unknown")
    ]


def test_a_transfer_lands_on_the_assets_whose_path_reaches_the_country(
    audit_of: AuditOf,
) -> None:
    # The US SaaS receives the data; the French SaaS sends it to its US host; the
    # on-premise application has nothing in the US: not assessed there, not confirmed.
    result = _record_audit(audit_of, {"country": "US", "mechanism": "scc"})
    [crm] = _transfers(result, "crm")
    assert (crm.rule, crm.score, crm.not_assessed) == ("transfer-safeguards", 3, False)
    assert "providers[crmco].country" in [e.ref for e in crm.facts]
    [portal] = _transfers(result, "portal")
    assert portal.rule == "transfer-safeguards" and not portal.not_assessed
    assert "assets[portal].depends_on" in [e.ref for e in portal.facts]
    [app] = _transfers(result, "app")
    assert (app.rule, app.score, app.not_assessed) == ("transfer-carrier-unknown", 3, True)
    assert app.params["assets"] == "app, crm, portal"
    assert app.text("en").startswith("Not assessed on this asset:")
    assert "transfers[].via" in app.text("en")
    assert app.text("fr").startswith("Non évalué pour cet actif :")
    # Not assessed alone: the on-premise application is not confirmed exposed.
    row = next(d for d in result.dependencies if d.asset == "app")
    assert row.assessed["data_control"] < 3


def test_the_record_names_the_assets_a_transfer_leaves_through(audit_of: AuditOf) -> None:
    # via: the transfer leaves through the CRM only; the others carry nothing.
    result = _record_audit(audit_of, {"country": "US", "mechanism": "none", "via": ["crm"]})
    [crm] = _transfers(result, "crm")
    assert (crm.rule, crm.score) == ("transfer-no-mechanism", 4)
    assert "processing[payroll].transfers[0].via" in [e.ref for e in crm.facts]
    assert _transfers(result, "portal") == []
    assert _transfers(result, "app") == []


def test_an_unplaced_transfer_without_mechanism_stays_flagged_non_compliant(
    audit_of: AuditOf,
) -> None:
    # No asset reaches CN: each is not assessed, at the tier the transfer would take.
    result = _record_audit(audit_of, {"country": "CN", "mechanism": "none"})
    for asset in ("app", "crm", "portal"):
        [found] = _transfers(result, asset)
        assert found.rule == "transfer-carrier-unknown-no-mechanism" and found.not_assessed
        assert found.score == 4 and "non-compliant" in found.text("en")
    # Under adequacy, the tier is 1.
    result = _record_audit(audit_of, {"country": "CH"})
    [found] = _transfers(result, "app")
    assert (found.rule, found.score, found.not_assessed) == (
        "transfer-carrier-unknown-adequacy",
        1,
        True,
    )


def test_data_stored_in_the_country_makes_the_asset_a_carrier(audit_of: AuditOf) -> None:
    result = _record_audit(
        audit_of,
        {"country": "CN", "mechanism": "scc", "tia": True},
    )
    assert _transfers(result, "crm")[0].not_assessed
    result = audit_of(
        assets=[
            {"id": "a", "deployment": "on-premise", "data": ["x"]},
            {"id": "b", "deployment": "saas", "location": {"country": "CN"}, "data": ["x"]},
        ],
        processing=[
            {
                "id": "p",
                "purpose": "x",
                "assets": ["a", "b"],
                "transfers": [{"country": "CN", "mechanism": "scc", "tia": True}],
            }
        ],
    )
    [found] = _transfers(result, "b")
    assert found.rule == "transfer-assessed-safeguards" and not found.not_assessed
    assert "assets[b].location.country" in [e.ref for e in found.facts]
    [found] = _transfers(result, "a")
    assert found.rule == "transfer-carrier-unknown-assessed" and found.not_assessed


def test_via_must_name_an_asset_of_the_record() -> None:
    with pytest.raises(InvalidInput) as raised:
        build_estate(
            assets=[{"id": "crm"}, {"id": "app"}],
            processing=[
                {
                    "id": "p",
                    "purpose": "x",
                    "assets": ["crm"],
                    "transfers": [{"country": "US", "via": ["cmr"]}],
                }
            ],
        )
    (problem,) = raised.value.problems
    assert problem.path == ("processing", 0, "transfers", 0, "via", 0)
