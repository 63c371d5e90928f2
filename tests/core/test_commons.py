"""Commons are not companies; links, devices and sites are deployments; lock-in follows
what the asset holds (issue 13, §5). Small estates audited with the test catalog plus
the fictitious entries below (docs/methodology.md, "Lock-in" and "Community providers").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.errors import InvalidInput
from souverain.core.scoring.audit import AuditResult, AxisScore, audit
from souverain.core.scoring.methodology import Methodology
from souverain.i18n import problem_text
from souverain.importers.document import Document, read_document
from souverain.importers.estate import load_estate
from souverain.resources import catalog_from_documents
from tests.conftest import DATA, TODAY
from tests.core.conftest import AMAZON, build_estate

FIXTURE = {"source": "test fixture", "as_of": "2026-01-01"}

PROVIDERS = [
    # a project with no legal home, no company behind it
    {
        "id": "pg-community",
        "name": "Database Global Development Group",
        "kind": "community",
        "governance": {"steward": "community"},
    },
    # a foundation whose legal home is the US (reached by the fixture's US laws)
    {
        "id": "us-foundation",
        "name": "US Software Foundation",
        "country": "US",
        "kind": "community",
        "governance": {"steward": "foundation"},
    },
    # a foundation whose legal home the catalog has no jurisdiction for
    {"id": "far-foundation", "name": "Far Foundation", "country": "NZ", "kind": "community"},
    {
        "id": "vendor-relicensing",
        "name": "Relicensing Vendor SAS",
        "country": "FR",
        "governance": {"steward": "single-vendor", "relicensing": True},
    },
    {
        "id": "vendor-relicensed",
        "name": "Relicensed Vendor GmbH",
        "country": "DE",
        "governance": {
            "steward": "single-vendor",
            "relicensing": True,
            "licence_changes": [
                {"changed": "2024-03-20", "before": "BSD-3-Clause", "after": "SSPL-1.0"}
            ],
            "forks": [
                {"name": "FreeFork", "product": "free-fork", "steward": "US Software Foundation"}
            ],
        },
    },
    {
        "id": "vendor-few",
        "name": "Few Hands SARL",
        "country": "FR",
        "governance": {"steward": "single-vendor", "relicensing": False, "contributors": "low"},
    },
    {"id": "meet-vendor", "name": "Meet Vendor SAS", "country": "FR"},
]
PRODUCTS = [
    {"id": "pgsql", "name": "PgSQL", "category": "erp", "provider": "pg-community"},
    {"id": "free-fork", "name": "FreeFork", "category": "erp", "provider": "us-foundation"},
    {"id": "open-db", "name": "OpenDB", "category": "erp", "provider": "vendor-relicensing"},
    {"id": "relicensed-db", "name": "RDB", "category": "erp", "provider": "vendor-relicensed"},
    {"id": "few-db", "name": "FewDB", "category": "erp", "provider": "vendor-few"},
    {"id": "meet", "name": "Meet", "category": "visio", "provider": "meet-vendor"},
    {
        "id": "mail-suite",
        "name": "Mail Suite",
        "category": "erp",
        "provider": "meet-vendor",
        "standards": ["imap", "csv"],
    },
]


def _document(name: str, kind: str, entries: list[dict[str, Any]]) -> Document:
    sourced = entries if kind == "category" else [{**FIXTURE, **e} for e in entries]
    return Document(name, {"souverain_catalog": 1, "kind": kind, "entries": sourced})


@pytest.fixture(scope="module")
def commons_catalog() -> Catalog:
    base = [read_document(p) for p in sorted((DATA / "catalog").glob("*.yaml"))]
    return catalog_from_documents(
        [
            [
                *base,
                _document("commons-providers", "provider", PROVIDERS),
                _document("commons-products", "product", PRODUCTS),
                _document(
                    "commons-categories",
                    "category",
                    [{"id": "visio", "name": {"en": "Video", "fr": "Visio"}}],
                ),
                _document(
                    "commons-standards",
                    "standard",
                    [{"id": "imap", "name": "IMAP", "type": "protocol", "open": True}],
                ),
            ]
        ]
    )


def run(catalog: Catalog, methodology: Methodology, **sections: Any) -> AuditResult:
    return audit(build_estate(**sections), methodology, catalog, TODAY)


@pytest.fixture()
def audit_commons(commons_catalog: Catalog, methodology: Methodology) -> Any:
    def go(**sections: Any) -> AuditResult:
        return run(commons_catalog, methodology, **sections)

    return go


def axis(result: AuditResult, name: str, asset: str = "app") -> AxisScore:
    row = next(d for d in result.dependencies if d.asset == asset)
    return row.exposure[name]  # type: ignore[index]


def rules(score: AxisScore) -> list[str]:
    return [r.rule for r in score.reasons]


def app(**fields: Any) -> dict[str, Any]:
    return {"id": "app", **fields}


# --- lock-in follows what the asset holds ----------------------------------------------


def test_a_self_hosted_open_server_holding_no_data_has_no_data_lock_in(audit_commons: Any) -> None:
    result = audit_commons(
        assets=[
            app(product="meet", deployment="on-premise", licence="Apache-2.0", data=[], exports=[])
        ]
    )
    score = axis(result, "lock_in")
    assert score.score == 0
    assert "no-export" not in rules(score) and "own-data-open-code" not in rules(score)


def test_a_self_hosted_open_server_listing_no_export_scores_at_most_1(audit_commons: Any) -> None:
    # Its category (video conferencing) may hold data; nothing says it does not.
    result = audit_commons(
        assets=[app(product="meet", deployment="on-premise", licence="Apache-2.0", exports=[])]
    )
    score = axis(result, "lock_in")
    assert score.score <= 1
    assert "no-export" not in rules(score)
    found = next(r for r in score.reasons if r.rule == "own-data-open-code")
    assert (found.score, found.params["licence"]) == (1, "Apache-2.0")


def test_the_same_server_scores_below_exchange_like_closed_saas(audit_commons: Any) -> None:
    result = audit_commons(
        assets=[
            app(product="meet", deployment="on-premise", licence="Apache-2.0", exports=[]),
            {
                "id": "mail",
                "deployment": "saas",
                "licence": "proprietary",
                "data": ["emails"],
                "exports": ["vendor-dump"],
            },
        ]
    )
    assert axis(result, "lock_in").score < axis(result, "lock_in", "mail").score == 3


def test_no_export_still_scores_4_for_proprietary_or_provider_run_software(
    audit_commons: Any,
) -> None:
    result = audit_commons(
        assets=[
            app(deployment="on-premise", licence="proprietary", data=["orders"], exports=[]),
            {
                "id": "hosted",
                "deployment": "saas",
                "licence": "Apache-2.0",
                "data": ["orders"],
                "exports": [],
            },
        ]
    )
    assert axis(result, "lock_in").reasons[0].rule == "no-export"
    assert axis(result, "lock_in").score == 4
    # run by a provider: its data lies in the provider's stores, whatever the licence
    assert axis(result, "lock_in", "hosted").score == 4


def test_closed_exports_of_open_self_run_software_are_mitigated(audit_commons: Any) -> None:
    result = audit_commons(
        assets=[app(deployment="public-cloud", licence="MIT", data=["x"], exports=["vendor-dump"])]
    )
    score = axis(result, "lock_in")
    assert "closed-exports" not in rules(score)
    assert score.score == 1


def test_a_product_working_in_open_formats_is_not_no_export(audit_commons: Any) -> None:
    # Mail Suite speaks IMAP (a protocol) and CSV (a format): only the format counts.
    result = audit_commons(
        assets=[
            app(
                product="mail-suite",
                deployment="saas",
                licence="proprietary",
                data=["x"],
                exports=[],
            ),
            {
                "id": "closed",
                "deployment": "saas",
                "licence": "proprietary",
                "data": ["x"],
                "exports": [],
            },
        ]
    )
    score = axis(result, "lock_in")
    assert "no-export" not in rules(score)
    assert score.score == 2
    found = next(r for r in score.reasons if r.rule == "open-formats-no-open-export")
    assert (found.score, found.params["standards"]) == (2, "csv")
    assert found.evidence.ref == "catalog product mail-suite: standards"
    assert axis(result, "lock_in", "closed").score == 4


# --- governance --------------------------------------------------------------------------


def test_an_open_product_a_single_vendor_can_relicense_keeps_lock_in_above_0(
    audit_commons: Any,
) -> None:
    result = audit_commons(
        assets=[app(product="open-db", deployment="on-premise", licence="Apache-2.0", data=[])]
    )
    score = axis(result, "lock_in")
    assert score.score == 1
    found = score.reasons[0]
    assert (found.rule, found.params["steward"]) == (
        "relicensable-by-steward",
        "Relicensing Vendor SAS",
    )
    assert found.evidence.ref == "catalog provider vendor-relicensing: governance.relicensing"
    assert (found.evidence.source, str(found.evidence.as_of)) == ("test fixture", "2026-01-01")


def test_a_vendor_that_already_relicensed_scores_2_and_its_fork_is_named(
    audit_commons: Any,
) -> None:
    result = audit_commons(
        assets=[
            app(product="relicensed-db", deployment="on-premise", licence="AGPL-3.0-only", data=[])
        ]
    )
    score = axis(result, "lock_in")
    assert score.score == 2
    first = score.reasons[0]
    assert first.rule == "relicensed-by-steward"
    assert first.params["changes"] == "BSD-3-Clause → SSPL-1.0 (2024-03-20)"
    fork = next(r for r in score.reasons if r.rule == "open-fork")
    assert fork.params["forks"] == "FreeFork (US Software Foundation)"


def test_a_source_available_licence_is_not_open_source(audit_commons: Any) -> None:
    result = audit_commons(
        assets=[app(product="relicensed-db", deployment="on-premise", licence="BUSL-1.1", data=[])]
    )
    score = axis(result, "lock_in")
    assert rules(score)[0] == "source-available"
    assert score.score == 2
    assert "open-source" not in rules(score) and "relicensed-by-steward" not in rules(score)


def test_few_contributors_keep_lock_in_above_0(audit_commons: Any) -> None:
    result = audit_commons(
        assets=[app(product="few-db", deployment="on-premise", licence="MIT", data=[])]
    )
    score = axis(result, "lock_in")
    assert (score.score, rules(score)[0]) == (1, "few-contributors")


def test_a_foundation_or_community_governed_project_has_no_governance_lock_in(
    audit_commons: Any,
) -> None:
    result = audit_commons(
        assets=[
            app(product="pgsql", deployment="on-premise", licence="PostgreSQL", data=[]),
            {
                "id": "fork",
                "product": "free-fork",
                "deployment": "on-premise",
                "licence": "BSD-3-Clause",
                "data": [],
            },
        ]
    )
    assert axis(result, "lock_in").score == 0
    assert "community-governed" in rules(axis(result, "lock_in"))
    assert "foundation-governed" in rules(axis(result, "lock_in", "fork"))


# --- community providers: no company is not an unknown country nor a missing contract ---


def test_a_community_provider_is_neither_country_unknown_nor_without_contract(
    audit_commons: Any,
) -> None:
    result = audit_commons(
        providers=[{"id": "pgdg", "catalog": "pg-community"}],
        assets=[app(product="pgsql", provider="pgdg", deployment="on-premise", data=["orders"])],
    )
    assert "provider-country-unknown" not in rules(axis(result, "jurisdiction"))
    assert "no-contract" not in rules(axis(result, "contract"))
    assert axis(result, "contract").score == 0


def test_a_company_without_country_or_contract_still_is(audit_commons: Any) -> None:
    result = audit_commons(
        providers=[{"id": "acme", "name": "Acme"}],
        assets=[app(provider="acme", deployment="on-premise", data=["orders"])],
    )
    assert "provider-country-unknown" in rules(axis(result, "jurisdiction"))
    assert "no-contract" in rules(axis(result, "contract"))


def test_the_estate_may_say_a_provider_is_a_community(audit_commons: Any) -> None:
    result = audit_commons(
        providers=[{"id": "proj", "name": "Some Project", "kind": "community"}],
        assets=[app(provider="proj", deployment="on-premise", data=["orders"])],
    )
    assert "provider-country-unknown" not in rules(axis(result, "jurisdiction"))
    assert "no-contract" not in rules(axis(result, "contract"))


def test_a_service_run_by_a_community_still_needs_its_terms(audit_commons: Any) -> None:
    result = audit_commons(
        providers=[{"id": "proj", "name": "Forge Association", "kind": "community"}],
        assets=[app(provider="proj", deployment="saas", data=["code"])],
    )
    assert "no-contract" in rules(axis(result, "contract"))


def test_a_foundation_keeps_the_exposure_of_its_legal_home(audit_commons: Any) -> None:
    # A US foundation is a US entity: its infrastructure and updates can be ordered
    # stopped; the code already run cannot be withdrawn (on-premise scores 2, not 4).
    result = audit_commons(
        providers=[{"id": "usf", "catalog": "us-foundation"}],
        assets=[app(product="free-fork", provider="usf", deployment="on-premise", data=["x"])],
    )
    score = axis(result, "jurisdiction")
    assert "chain-licence-cutoff" in rules(score)
    assert score.score == 2


def test_a_community_legal_home_missing_from_the_catalog_is_not_an_unknown(
    audit_commons: Any,
) -> None:
    result = audit_commons(
        providers=[
            {"id": "far", "catalog": "far-foundation"},
            {"id": "far-co", "name": "Far Company", "country": "NZ"},
        ],
        assets=[
            app(provider="far", deployment="on-premise", data=["x"]),
            {"id": "co", "provider": "far-co", "deployment": "on-premise", "data": ["x"]},
        ],
    )
    assert "jurisdiction-unknown" not in rules(axis(result, "jurisdiction"))
    assert "jurisdiction-unknown" in rules(axis(result, "jurisdiction", "co"))


def test_community_software_run_by_the_organisation_names_no_provider(audit_commons: Any) -> None:
    result = audit_commons(
        assets=[
            app(product="pgsql", deployment="public-cloud", data=["x"]),
            {"id": "hosted", "product": "pgsql", "deployment": "saas", "data": ["x"]},
        ]
    )
    assert "provider-unknown" not in rules(axis(result, "supply_chain"))
    assert "provider-unknown" in rules(axis(result, "supply_chain", "hosted"))


# --- links, devices, sites -------------------------------------------------------------


def test_a_telecom_link_is_assessed_on_its_operator(audit_commons: Any) -> None:
    result = audit_commons(
        providers=[AMAZON],
        assets=[app(name="Backbone", provider="amazon", deployment="link")],
    )
    operations = axis(result, "operations")
    assert "deployment-unknown" not in rules(operations)
    assert next(r for r in operations.reasons if r.rule == "link").score == 2
    # a foreign operator can be ordered to cut the link
    assert "chain-service-cutoff" in rules(axis(result, "jurisdiction"))
    lock_in = axis(result, "lock_in")
    assert not {"licence-unknown", "exports-unknown"} & set(rules(lock_in))


def test_a_device_runs_locally(audit_commons: Any) -> None:
    result = audit_commons(
        providers=[AMAZON],
        assets=[app(name="Tablets", provider="amazon", deployment="device")],
    )
    device = next(r for r in axis(result, "operations").reasons if r.rule == "device")
    assert device.score == 0
    assert "deployment-unknown" not in rules(axis(result, "operations"))
    jurisdiction = rules(axis(result, "jurisdiction"))
    assert "chain-licence-cutoff" in jurisdiction and "chain-service-cutoff" not in jurisdiction
    assert "on-premise" in rules(axis(result, "data_control"))


def test_a_site_is_premises_not_software(audit_commons: Any) -> None:
    result = audit_commons(assets=[app(name="Head office", deployment="site")])
    assert "site" in rules(axis(result, "operations"))
    assert not {"licence-unknown", "exports-unknown"} & set(rules(axis(result, "lock_in")))
    assert "provider-unknown" not in rules(axis(result, "supply_chain"))


# --- bad input ---------------------------------------------------------------------------


def test_a_wrong_provider_kind_is_located_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(
        "souverain: 1\norganisation: {name: X}\nproviders:\n  - id: p\n    kind: foundation\n"
    )
    with pytest.raises(InvalidInput) as caught:
        load_estate(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.field()) == (str(path), 5, "providers[0].kind")
    assert "company or community" in problem_text("en", problem.expected)
    assert "community" in problem_text("fr", problem.expected)
    assert problem_text("en", problem.found) == "'foundation'"


def test_a_wrong_deployment_names_the_new_values(tmp_path: Path) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(
        "souverain: 1\norganisation: {name: X}\nassets:\n  - {id: a, deployment: cable}\n"
    )
    with pytest.raises(InvalidInput) as caught:
        load_estate(path)
    (problem,) = caught.value.problems
    assert problem.line == 4
    assert "link, device or site" in problem_text("en", problem.expected)
    assert "link, device" in problem_text("fr", problem.expected)


def test_a_wrong_steward_in_the_catalog_is_refused() -> None:
    bad = _document(
        "bad", "provider", [{"id": "x", "name": "X", "governance": {"steward": "company"}}]
    )
    with pytest.raises(InvalidInput) as caught:
        catalog_from_documents([[bad]])
    (problem,) = caught.value.problems
    assert problem.field().startswith("entries[0].governance.steward")
