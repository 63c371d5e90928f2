"""Fixtures of the roadmap tests: the shipped catalog and the bundled examples, audited once."""

from __future__ import annotations

from pathlib import Path

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.planning.actions import Action
from souverain.core.planning.generation import generate_actions
from souverain.core.scoring.audit import AuditResult, audit
from souverain.importers.estate import load_estate
from souverain.resources import load_catalog, load_methodology
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
FORGES = ROOT / "examples" / "forges-bourgogne.yaml"


@pytest.fixture(scope="session")
def shipped_catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def forges(shipped_catalog: Catalog) -> AuditResult:
    return audit(load_estate(FORGES), load_methodology(), shipped_catalog, TODAY)


@pytest.fixture(scope="session")
def forges_actions(forges: AuditResult, shipped_catalog: Catalog) -> list[Action]:
    return generate_actions(forges, shipped_catalog)


@pytest.fixture(scope="session", params=[p.stem for p in EXAMPLES])
def example(request: pytest.FixtureRequest, shipped_catalog: Catalog) -> AuditResult:
    path = ROOT / "examples" / f"{request.param}.yaml"
    return audit(load_estate(path), load_methodology(), shipped_catalog, TODAY)
