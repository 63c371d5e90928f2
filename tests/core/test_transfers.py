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
    assert [e.ref for e in found.facts] == [
        "processing[payroll].transfers[0]",
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
