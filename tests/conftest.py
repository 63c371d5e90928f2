"""Shared fixtures: a hand-made catalog and the estate of tests/data/forges-mini.yaml."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.scoring.audit import AuditResult, audit
from souverain.core.scoring.methodology import Methodology
from souverain.importers.document import read_document
from souverain.importers.estate import load_estate
from souverain.resources import catalog_from_documents, load_methodology

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="session")
def test_catalog() -> Catalog:
    """The tiny fixture catalog in tests/data/catalog (not the shipped one)."""
    return catalog_from_documents(
        [[read_document(p) for p in sorted((DATA / "catalog").glob("*.yaml"))]]
    )


@pytest.fixture(scope="session")
def methodology() -> Methodology:
    return load_methodology()


@pytest.fixture()
def mini_result(test_catalog: Catalog, methodology: Methodology) -> AuditResult:
    """The audit of tests/data/forges-mini.yaml on 2026-11-23."""
    return audit(load_estate(DATA / "forges-mini.yaml"), methodology, test_catalog, TODAY)
