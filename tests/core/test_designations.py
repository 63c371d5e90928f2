"""Designations (docs/catalog.md): sanctions and high-risk-vendor lists are sourced
catalog facts that score directly, inherited by subsidiaries through owner chains;
a designated vendor running privileged code (security agents) on a vital or
important process is critical whatever the other axes say."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.errors import InvalidInput
from souverain.core.scoring.audit import AuditResult, audit
from souverain.core.scoring.methodology import Methodology
from souverain.importers.document import Document
from souverain.resources import catalog_from_documents
from tests.conftest import TODAY
from tests.core.conftest import build_estate

WARNING = {
    "list": "national-warning",
    "authority": "Test Federal Office for Information Security",
    "since": "2022-03-15",
    "scope": "anti-virus products of the group",
    "source": "test fixture (press release)",
    "as_of": "2022-03-15",
}
ENTITY_LIST = {
    "list": "bis-entity-list",
    "authority": "Test Bureau of Industry and Security",
    "since": "2019-05-16",
    "source": "test fixture (Federal Register)",
    "as_of": "2019-05-21",
}


def _catalog(designations: list[dict[str, Any]] | None = None) -> Catalog:
    entries = {
        "provider": [
            {
                "id": "av-group",
                "name": "AV Group",
                "country": "FR",
                "designations": [WARNING] if designations is None else designations,
                "source": "test fixture",
                "as_of": "2026-01-01",
            },
            {
                "id": "av-uk",
                "name": "AV Labs Limited",
                "country": "GB",
                "owner": "av-group",
                "source": "test fixture",
                "as_of": "2026-01-01",
            },
            {
                "id": "clean",
                "name": "Clean SAS",
                "country": "FR",
                "source": "test fixture",
                "as_of": "2026-01-01",
            },
        ],
        "category": [
            {"id": "security", "name": {"en": "Security", "fr": "Sécurité"}, "holds_data": False},
            {"id": "erp", "name": {"en": "ERP", "fr": "ERP"}},
        ],
        "jurisdiction": [
            {
                "id": country,
                "name": {"en": country, "fr": country},
                "eu": country == "FR",
                "eea": country == "FR",
                "source": "test fixture",
                "as_of": "2026-01-01",
            }
            for country in ("FR", "GB")
        ],
    }
    documents = [
        Document(f"{kind}.yaml", {"souverain_catalog": 1, "kind": kind, "entries": items})
        for kind, items in entries.items()
    ]
    return catalog_from_documents([documents])


# An EDR on every workstation, everything else as safe as an estate can say.
EDR = {
    "id": "edr",
    "name": "EDR agent",
    "category": "security",
    "deployment": "on-premise",
    "data": [],
    "exports": [],
    "licence": "proprietary",
    "skills": "high",
    "contract": "edr-contract",
    "continuity": {
        "rto": "1h",
        "backup": {
            "held_by": "organisation",
            "offline_copy": True,
            "last_restore_test": "2026-10-01",
        },
    },
    "location": {"country": "FR"},
    "exit": {"alternative": "Other EDR", "export_tested": "2026-10-01", "effort_days": 5},
}
CONTRACT = {
    "id": "edr-contract",
    "provider": "av",
    "clauses": {
        "data_portability": True,
        "exit_assistance": True,
        "subprocessor_approval": True,
        "eu_hosting": True,
    },
}


def _audit(
    catalog: Catalog,
    methodology: Methodology,
    criticality: str = "important",
    provider: str = "av-uk",
    category: str = "security",
) -> AuditResult:
    estate = build_estate(
        processes=[
            {"id": "p", "criticality": criticality, "max_downtime": "1d", "depends_on": ["edr"]}
        ],
        providers=[{"id": "av", "catalog": provider}],
        assets=[{**EDR, "provider": "av", "category": category}],
        contracts=[CONTRACT],
    )
    return audit(estate, methodology, catalog, TODAY)


def test_a_designated_parent_reaches_its_subsidiary_and_names_list_authority_date(
    methodology: Methodology,
) -> None:
    [dep] = _audit(_catalog(), methodology, category="erp").dependencies
    supply = dep.exposure["supply_chain"]
    assert supply.score == 4
    [reason] = [r for r in supply.reasons if r.predicate == "designated"]
    assert reason.rule == "designated"
    text = reason.text("en")
    assert "AV Group" in text and "national-warning" in text
    assert "Test Federal Office for Information Security" in text and "2022-03-15" in text
    assert "AV Labs Limited → AV Group" in text
    assert "Test Federal Office" in reason.text("fr") and "désigné sur la liste" in reason.text(
        "fr"
    )
    assert reason.evidence == (
        "catalog provider av-group: designations",
        "test fixture (press release)",
        date(2022, 3, 15),
    )
    # Not a privileged category: the level follows the matrix, not the floor.
    assert dep.level != "critical"


@pytest.mark.parametrize("criticality", ["vital", "important"])
def test_a_designated_vendor_with_a_privileged_agent_is_critical(
    methodology: Methodology, criticality: str
) -> None:
    [dep] = _audit(_catalog(), methodology, criticality).dependencies
    rules = [r.rule for r in dep.exposure["supply_chain"].reasons]
    assert rules == ["designated-privileged"]  # one reason, not the general one as well
    # Everything else is in order: the matrix alone would not say critical.
    assert dep.exposure_score < 3.5
    assert dep.level == "critical"


def test_the_floor_applies_to_grave_processes_only(methodology: Methodology) -> None:
    [dep] = _audit(_catalog(), methodology, "minor").dependencies
    assert dep.exposure["supply_chain"].score == 4
    assert dep.level != "critical"


def test_an_undesignated_vendor_with_the_same_agent_is_not_critical(
    methodology: Methodology,
) -> None:
    [dep] = _audit(_catalog(), methodology, provider="clean").dependencies
    assert not [r for r in dep.exposure["supply_chain"].reasons if r.predicate == "designated"]
    assert dep.level != "critical"


def test_each_designation_of_the_chain_is_a_reason(methodology: Methodology) -> None:
    [dep] = _audit(_catalog([WARNING, ENTITY_LIST]), methodology, category="erp").dependencies
    lists = sorted(
        r.params["list"] for r in dep.exposure["supply_chain"].reasons if r.rule == "designated"
    )
    assert lists == ["bis-entity-list", "national-warning"]


def test_an_unknown_list_is_refused_where_it_is_written() -> None:
    with pytest.raises(InvalidInput) as caught:
        _catalog([{**WARNING, "list": "ofac"}])
    # (then av-uk's owner, refused with it, is missing: a second problem)
    problem = caught.value.problems[0]
    assert problem.file == "provider.yaml"
    assert problem.path == ("entries", 0, "designations", 0, "list")
    assert "bis-entity-list" in str(problem.expected) and "ofac" in str(problem.found)


# --- designations through hosts and subcontractors --------------------------------------


def _supply(result: AuditResult, asset: str) -> dict[str, Any]:
    row = next(d for d in result.dependencies if d.asset == asset)
    return {r.rule: r for r in row.exposure["supply_chain"].reasons}


def _hosted(catalog: Catalog, methodology: Methodology, host_deployment: str) -> AuditResult:
    """A French SaaS (clean) requiring a platform whose provider is a subsidiary of the
    designated group, and a second SaaS whose provider subcontracts to it."""
    estate = build_estate(
        providers=[
            {"id": "saas-co", "catalog": "clean"},
            {"id": "platform-co", "catalog": "av-uk"},
            {
                "id": "reseller",
                "name": "Reseller SAS",
                "country": "FR",
                "subcontractors": ["platform-co"],
            },
        ],
        assets=[
            {"id": "app", "provider": "saas-co", "deployment": "saas", "depends_on": ["platform"]},
            {
                "id": "platform",
                "name": "Platform",
                "provider": "platform-co",
                "deployment": host_deployment,
            },
            {"id": "resold", "provider": "reseller", "deployment": "saas"},
        ],
    )
    return audit(estate, methodology, catalog, TODAY)


def test_a_designated_host_is_shown_on_the_asset_with_its_path(methodology: Methodology) -> None:
    result = _hosted(_catalog([ENTITY_LIST]), methodology, "public-cloud")
    found = _supply(result, "app")
    reason = found["designated-host"]
    assert reason.score == 4 and not reason.not_assessed
    assert reason.params["entity"] == "AV Group"
    assert reason.params["processor"] == "Platform"
    assert reason.params["path"] == "Platform → AV Labs Limited → AV Group"
    refs = [e.ref for e in reason.facts]
    assert refs[:2] == ["assets[app].depends_on", "assets[platform].provider"]
    assert "catalog provider av-group: designations" in refs
    assert reason.evidence.source == ENTITY_LIST["source"]
    assert "désigné sur la liste bis-entity-list" in reason.text("fr")
    # The host's own row keeps the direct designation.
    assert "designated" in _supply(result, "platform")
    # On premises, the host's vendor is weighed on the host itself.
    found = _supply(_hosted(_catalog([ENTITY_LIST]), methodology, "on-premise"), "app")
    assert found["designated-host-on-premise"].score == 1 and "designated-host" not in found


def test_a_designated_subcontractor_is_shown_with_its_path(methodology: Methodology) -> None:
    result = _hosted(_catalog([ENTITY_LIST]), methodology, "public-cloud")
    reason = _supply(result, "resold")["designated-subcontractor"]
    assert reason.score == 3
    assert reason.params["processor"] == "AV Labs Limited"
    assert reason.params["path"] == "Reseller SAS (FR) → AV Labs Limited → AV Group"
    assert reason.facts[0].ref == "providers[reseller].subcontractors"


def test_no_designation_no_reason_through_hosts(methodology: Methodology) -> None:
    result = _hosted(_catalog([]), methodology, "public-cloud")
    assert not any(r.startswith("designated") for r in _supply(result, "app"))
    assert not any(r.startswith("designated") for r in _supply(result, "resold"))
