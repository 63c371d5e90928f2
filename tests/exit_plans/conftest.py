"""Fixtures of the exit-plan tests: the fixture catalog with an exit-plan layer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.phrase import Phrase
from souverain.core.planning.exit_plans import ExitPlan, exit_plans
from souverain.core.scoring.audit import AuditResult, audit
from souverain.core.scoring.methodology import Methodology
from souverain.importers.document import read_document
from souverain.resources import catalog_from_documents
from souverain.wording import render
from tests.conftest import DATA, TODAY
from tests.core.conftest import build_estate

PLAN_DATA = Path(__file__).parent / "data"


def said(text: Phrase) -> dict[str, str]:
    """A plan's phrase in words, in each language (as the JSON document renders it)."""
    return {lang: render(text, lang, "exit_plans") for lang in ("en", "fr")}


@pytest.fixture(scope="session")
def plan_catalog() -> Catalog:
    """tests/data/catalog with tests/exit_plans/data/catalog (products, alternatives) over it."""
    return catalog_from_documents(
        [
            [read_document(p) for p in sorted((DATA / "catalog").glob("*.yaml"))],
            [read_document(p) for p in sorted((PLAN_DATA / "catalog").glob("*.yaml"))],
        ]
    )


AuditWith = Callable[..., AuditResult]
PlansOf = Callable[..., list[ExitPlan]]
PlanOf = Callable[..., ExitPlan]


@pytest.fixture()
def audit_with(plan_catalog: Catalog, methodology: Methodology) -> AuditWith:
    """``audit_with(methodology_=None, **sections)``: the audit on TODAY with the plan catalog."""

    def run(methodology_: Methodology | None = None, **sections: Any) -> AuditResult:
        return audit(build_estate(**sections), methodology_ or methodology, plan_catalog, TODAY)

    return run


@pytest.fixture()
def plans_of(audit_with: AuditWith, plan_catalog: Catalog) -> PlansOf:
    def run(**sections: Any) -> list[ExitPlan]:
        return exit_plans(audit_with(**sections), plan_catalog)

    return run


@pytest.fixture()
def plan_of(plans_of: PlansOf) -> PlanOf:
    """``plan_of(asset_fields..., process=..., contracts=...)``: the plan of one vital asset."""

    def run(
        max_downtime: str | None = "5d",
        contracts: list[dict[str, Any]] | None = None,
        providers: list[dict[str, Any]] | None = None,
        **fields: Any,
    ) -> ExitPlan:
        process: dict[str, Any] = {
            "id": "sales",
            "name": "Ventes",
            "criticality": "vital",
            "depends_on": ["app"],
        }
        if max_downtime is not None:
            process["max_downtime"] = max_downtime
        plans = plans_of(
            processes=[process],
            providers=providers or [],
            assets=[{"id": "app", "name": "Application", **fields}],
            contracts=contracts or [],
        )
        assert [p.asset for p in plans] == ["app"]
        return plans[0]

    return run
