"""Fixtures for the core tests: audit a hand-built estate in one call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.estate.model import Estate
from souverain.core.estate.validation import parse_estate
from souverain.core.scoring.audit import AuditResult, audit
from souverain.core.scoring.methodology import Methodology
from tests.conftest import TODAY

ORGANISATION = {"name": "Forges de Bourgogne", "country": "FR"}

# Providers the tests pick from, as an estate would describe them.
SAP = {"id": "sap", "name": "SAP SE", "country": "DE"}
OVH = {"id": "ovhcloud", "name": "OVH SAS", "country": "FR"}
AMAZON = {"id": "amazon", "name": "Amazon.com Inc.", "country": "US"}
AWS_EMEA = {
    "id": "aws-emea",
    "name": "Amazon Web Services EMEA SARL",
    "country": "LU",
    "owner": "amazon",
}


def build_estate(**sections: Any) -> Estate:
    """An estate of Forges de Bourgogne (FR) with the given sections."""
    return parse_estate({"souverain": 1, "organisation": ORGANISATION, **sections})


AuditOf = Callable[..., AuditResult]


@pytest.fixture()
def audit_of(test_catalog: Catalog, methodology: Methodology) -> AuditOf:
    """``audit_of(methodology=None, **sections)``: the audit on TODAY with the test catalog."""

    def run(methodology_: Methodology | None = None, **sections: Any) -> AuditResult:
        return audit(build_estate(**sections), methodology_ or methodology, test_catalog, TODAY)

    return run
