"""A vendor designated on a sanctions or high-risk-vendor list is replaced by the
roadmap whatever its jurisdiction and lock-in scores (issue 13, the expert's objection:
Kaspersky on premises, exports declared, scored 2 on jurisdiction and lock-in, got no
migration at all)."""

from __future__ import annotations

from datetime import date
from typing import Any

from souverain.core.catalog.model import Catalog
from souverain.core.estate.validation import parse_estate
from souverain.core.planning.generation import generate_actions
from souverain.core.scoring.audit import audit
from souverain.resources import load_methodology

ANTIVIRUS: dict[str, Any] = {
    "id": "av",
    "name": "Antivirus",
    "product": "kaspersky-endpoint-security",
    "provider": "kas",
    "deployment": "on-premise",
    "data": [],
    "exports": ["csv"],
    "skills": "high",
    "location": {"country": "FR"},
    "licence_terms": {"model": "perpetual"},
    "exit": {"alternative": "eset-protect"},
}


def _actions(shipped_catalog: Catalog, asset: dict[str, Any], catalog_provider: str) -> list[Any]:
    estate = parse_estate(
        {
            "souverain": 1,
            "organisation": {"name": "Test", "country": "FR"},
            "processes": [
                {"id": "p", "criticality": "important", "max_downtime": "1d", "depends_on": ["av"]}
            ],
            "providers": [{"id": "kas", "catalog": catalog_provider}],
            "assets": [asset],
        }
    )
    result = audit(estate, load_methodology(), shipped_catalog, date(2026, 6, 1))
    row = result.dependencies[0]
    assert row.exposure["jurisdiction"].score < 3 and row.exposure["lock_in"].score < 3
    return generate_actions(result, shipped_catalog)


def test_a_designated_vendor_is_replaced_whatever_its_other_scores(
    shipped_catalog: Catalog,
) -> None:
    actions = _actions(shipped_catalog, ANTIVIRUS, "kaspersky")
    [migration] = [a for a in actions if a.kind == "migrate"]
    assert migration.targets == ("av",)
    assert migration.change.product == "eset-protect"  # type: ignore[union-attr]
    assert migration.risk_reduction > 0
    # The designation is cited first: it is why the vendor is replaced.
    assert migration.rationale[0].rule == "designated-privileged"


def test_the_same_asset_from_an_undesignated_vendor_is_not_migrated(
    shipped_catalog: Catalog,
) -> None:
    clean = {**ANTIVIRUS, "product": "eset-protect", "exit": {"alternative": "withsecure-elements"}}
    actions = _actions(shipped_catalog, clean, "eset")
    assert [a for a in actions if a.kind == "migrate"] == []
