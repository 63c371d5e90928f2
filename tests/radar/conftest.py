"""Fixtures of the radar tests: the fixture catalog with a radar layer, a hand-built estate."""

from __future__ import annotations

from pathlib import Path

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.scoring.audit import AuditResult, audit
from souverain.core.scoring.methodology import Methodology
from souverain.importers.document import read_document
from souverain.importers.estate import load_estate
from souverain.resources import catalog_from_documents
from tests.conftest import DATA, TODAY

RADAR_DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def radar_catalog() -> Catalog:
    """tests/data/catalog with tests/radar/data/catalog (products, alternatives) over it."""
    return catalog_from_documents(
        [
            [read_document(p) for p in sorted((DATA / "catalog").glob("*.yaml"))],
            [read_document(p) for p in sorted((RADAR_DATA / "catalog").glob("*.yaml"))],
        ]
    )


@pytest.fixture()
def atelier(radar_catalog: Catalog, methodology: Methodology) -> AuditResult:
    """The audit of tests/radar/data/atelier.yaml on 2026-11-23."""
    return audit(load_estate(RADAR_DATA / "atelier.yaml"), methodology, radar_catalog, TODAY)
