"""Confidentiality has its own gravity (docs/methodology.md, "Sensitive data"): a
dependency holding sensitive data reached by a data-access law is high or critical
whatever its processes' gravity; privileged channels (security agents, backups...) are
paths to the data; a backup holds the data of what it protects."""

from __future__ import annotations

from typing import Any

import pytest

from souverain.core.errors import InvalidInput
from souverain.core.estate.validation import parse_estate
from souverain.core.scoring.audit import AuditResult, Dependency
from souverain.i18n import problem_text
from tests.core.conftest import AMAZON, ORGANISATION, OVH, AuditOf

USEFUL = [{"id": "archive", "criticality": "useful", "depends_on": ["records"]}]


def row(result: AuditResult, asset: str) -> Dependency:
    return next(d for d in result.dependencies if d.asset == asset)


def records(**more: Any) -> dict[str, Any]:
    return {
        "id": "records",
        "provider": "amazon",
        "deployment": "saas",
        "location": {"country": "FR"},
        "data": ["patient-files"],
        **more,
    }


def test_health_data_reached_by_a_data_access_law_is_high_whatever_the_gravity(
    audit_of: AuditOf,
) -> None:
    plain = audit_of(processes=USEFUL, providers=[AMAZON], assets=[records()])
    sensitive = audit_of(
        processes=USEFUL,
        providers=[AMAZON],
        assets=[records()],
        data=[{"id": "patient-files", "sensitivity": ["health"]}],
    )
    assert row(plain, "records").gravity == "useful"
    assert row(sensitive, "records").gravity == "useful"  # availability is unchanged
    assert row(plain, "records").level != "critical"
    # Data access scores 4 (the owner is reached): important × 4 on the risk matrix.
    assert row(sensitive, "records").level == "critical"
    reasons = {r.rule: r for r in row(sensitive, "records").exposure["data_control"].reasons}
    assert reasons["sensitive-data"].params["kinds"] == "patient-files"


def test_classified_data_is_critical_even_for_a_minor_process(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=[{"id": "notes", "criticality": "minor", "depends_on": ["records"]}],
        providers=[AMAZON],
        assets=[records(data=["dr-notes"])],
        data=[{"id": "dr-notes", "name": "Diffusion Restreinte", "sensitivity": ["classified"]}],
    )
    assert row(result, "records").level == "critical"


def test_sensitive_data_no_law_reaches_keeps_its_level(audit_of: AuditOf) -> None:
    sections: dict[str, Any] = {
        "processes": USEFUL,
        "providers": [OVH],
        "assets": [records(provider="ovhcloud")],
    }
    declared = audit_of(**sections, data=[{"id": "patient-files", "sensitivity": ["health"]}])
    assert row(declared, "records").level == row(audit_of(**sections), "records").level


def test_a_backup_holds_the_sensitive_data_it_protects(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=USEFUL,
        providers=[OVH, AMAZON],
        assets=[
            records(provider="ovhcloud"),
            {
                "id": "vault",
                "provider": "amazon",
                "deployment": "saas",
                "location": {"country": "FR", "region": "eu-west-3"},
                "protects": ["records"],
            },
        ],
        data=[{"id": "patient-files", "sensitivity": ["health"]}],
    )
    vault = row(result, "vault")
    assert vault.gravity == "useful"
    assert vault.level == "critical"


def test_a_security_agent_is_a_path_to_the_data(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=USEFUL,
        providers=[AMAZON],
        assets=[
            records(provider=None, deployment="on-premise", depends_on=["edr"]),
            {"id": "edr", "category": "security", "provider": "amazon", "deployment": "on-premise"},
        ],
    )
    reasons = {r.rule: r for r in row(result, "edr").exposure["data_control"].reasons}
    assert "no-data" not in reasons
    assert reasons["privileged-path"].score == 3
    assert reasons["privileged-path"].params["country"] == "US"


def test_a_sensitivity_outside_the_list_is_a_located_error() -> None:
    raw = {
        "souverain": 1,
        "organisation": ORGANISATION,
        "data": [{"id": "files", "sensitivity": ["secret-ish"]}],
    }
    with pytest.raises(InvalidInput) as caught:
        parse_estate(raw)
    problem = caught.value.problems[0]
    assert problem.path == ("data", 0, "sensitivity", 0)
    expected = problem_text("en", problem.expected), problem_text("fr", problem.expected)
    assert all("health" in text and "export-controlled" in text for text in expected)
    assert expected[0] != expected[1]
    assert problem_text("en", problem.found) == "'secret-ish'"


def test_a_data_kind_declared_twice_is_refused() -> None:
    raw = {
        "souverain": 1,
        "organisation": ORGANISATION,
        "data": [{"id": "files"}, {"id": "files", "sensitivity": ["health"]}],
    }
    with pytest.raises(InvalidInput) as caught:
        parse_estate(raw)
    assert caught.value.problems[0].path == ("data", 1, "id")
