"""Laws in their scope (docs/catalog.md, "Scope"; docs/methodology.md): a law reaches
a provider only in the role it compels, and an adequacy decision weighs a country's
access to data. Small estates on the shipped catalog and methodology."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from souverain.core.catalog.model import Catalog, CatalogDocument, build_catalog
from souverain.core.errors import InvalidInput
from souverain.core.scoring.audit import AuditResult, Reason, audit
from souverain.core.scoring.methodology import Methodology
from souverain.resources import DATA, load_catalog, load_methodology
from tests.conftest import TODAY
from tests.core.conftest import build_estate

US = {"id": "vendor", "name": "Vendor Inc.", "country": "US"}
GB = {"id": "gbhost", "name": "Host Ltd", "country": "GB"}
CN = {"id": "cnvendor", "name": "Vendor Co. Ltd", "country": "CN"}
RU = {"id": "ruvendor", "name": "Vendor AO", "country": "RU"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def shipped() -> Methodology:
    return load_methodology()


@pytest.fixture(scope="module")
def any_deployment(tmp_path_factory: pytest.TempPathFactory) -> Methodology:
    """The shipped methodology whose data-access rule takes every deployment: what
    leaves the on-premise vendor out is then the laws' own scope."""
    data = yaml.safe_load((DATA / "methodology.yaml").read_text("utf-8"))
    for rule in data["axes"]["jurisdiction"]["rules"]:
        if rule["id"] == "chain-data-access":
            del rule["params"]["deployments"]
    path = tmp_path_factory.mktemp("method") / "methodology.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return load_methodology(path)


def run(catalog: Catalog, methodology: Methodology, **sections: Any) -> AuditResult:
    return audit(build_estate(**sections), methodology, catalog, TODAY)


def reasons(result: AuditResult, asset: str, axis: str) -> dict[str, Reason]:
    row = next(d for d in result.dependencies if d.asset == asset)
    return {r.rule: r for r in row.exposure[axis].reasons}  # type: ignore[index]


def score(result: AuditResult, asset: str, axis: str) -> int:
    row = next(d for d in result.dependencies if d.asset == asset)
    return row.exposure[axis].score  # type: ignore[index]


# --- FISA 702 and the CLOUD Act compel service providers ------------------------------


def test_fisa_702_does_not_reach_the_on_premise_vendor_of_an_asset_holding_no_data(
    catalog: Catalog, any_deployment: Methodology
) -> None:
    result = run(
        catalog,
        any_deployment,
        providers=[US, CN],
        assets=[
            {"id": "onprem", "provider": "vendor", "deployment": "on-premise", "data": []},
            {"id": "saas", "provider": "vendor", "deployment": "saas", "data": ["mail"]},
            {"id": "cn-onprem", "provider": "cnvendor", "deployment": "on-premise", "data": []},
        ],
    )
    # The same US vendor, one chain: found for its SaaS, not for its on-premise
    # software (the findings are cached per chain, permit and role).
    assert "chain-data-access" not in reasons(result, "onprem", "jurisdiction")
    saas = reasons(result, "saas", "jurisdiction")["chain-data-access"]
    assert "FISA Section 702" in saas.params["laws"] and "CLOUD Act" in saas.params["laws"]
    # Each law's scope is cited with its source.
    scopes = [e for e in saas.facts if e.ref.endswith("us-fisa-702.applies_to")]
    assert scopes and "1881" in (scopes[0].source or "")
    # A law that compels every organisation (China's National Intelligence Law,
    # art. 7) reaches the vendor of on-premise software all the same.
    cn = reasons(result, "cn-onprem", "jurisdiction")["chain-data-access"]
    assert "National Intelligence Law" in cn.params["laws"]


def test_a_cloud_host_required_by_an_on_premise_asset_is_reached_as_a_service(
    catalog: Catalog, shipped: Methodology
) -> None:
    """The host's role is the host's: an on-premise application storing its files in
    a US provider's public cloud exposes them to the CLOUD Act through that host."""
    result = run(
        catalog,
        shipped,
        providers=[US, {"id": "fr", "name": "Editeur SAS", "country": "FR"}],
        assets=[
            {
                "id": "app",
                "provider": "fr",
                "deployment": "on-premise",
                "data": ["files"],
                "depends_on": ["bucket"],
            },
            {"id": "bucket", "provider": "vendor", "deployment": "public-cloud", "data": ["files"]},
        ],
    )
    host = reasons(result, "app", "jurisdiction")["host-data-access"]
    assert "CLOUD Act" in host.params["laws"]


# --- IEEPA and the EAR: open-source code cannot be revoked ----------------------------


def test_the_ieepa_cut_off_does_not_apply_to_open_source_self_hosted(
    catalog: Catalog, shipped: Methodology
) -> None:
    result = run(
        catalog,
        shipped,
        providers=[US],
        assets=[
            {
                "id": "open",
                "provider": "vendor",
                "deployment": "on-premise",
                "data": [],
                "licence": "Apache-2.0",
            },
            {
                "id": "closed",
                "provider": "vendor",
                "deployment": "on-premise",
                "data": [],
                "licence": "proprietary",
            },
            {"id": "unknown", "provider": "vendor", "deployment": "on-premise", "data": []},
            {
                "id": "open-saas",
                "provider": "vendor",
                "deployment": "saas",
                "data": ["x"],
                "licence": "Apache-2.0",
            },
        ],
    )
    open_ = reasons(result, "open", "jurisdiction")
    assert "chain-licence-cutoff" not in open_ and "chain-export-control" not in open_
    assert score(result, "open", "jurisdiction") == 0
    closed = reasons(result, "closed", "jurisdiction")
    assert "IEEPA" in closed["chain-licence-cutoff"].params["laws"]
    assert "Export Administration Regulations" in closed["chain-export-control"].params["laws"]
    # An unknown licence is not an open one.
    assert "chain-licence-cutoff" in reasons(result, "unknown", "jurisdiction")
    # A service is cut whatever the licence of the code it runs.
    saas = reasons(result, "open-saas", "jurisdiction")
    assert "IEEPA" in saas["chain-service-cutoff"].params["laws"]
    assert "chain-export-control" not in saas


# --- UK investigatory powers, weighed with the UK adequacy decision -------------------


def test_the_uk_investigatory_powers_act_is_lowered_by_the_uk_adequacy_decision(
    catalog: Catalog, shipped: Methodology
) -> None:
    result = run(
        catalog,
        shipped,
        providers=[GB, US],
        assets=[
            {
                "id": "uk",
                "provider": "gbhost",
                "deployment": "saas",
                "data": ["hr"],
                "location": {"country": "FR"},
                "encryption": {"keys_held_by": "provider"},
            },
            {
                "id": "us",
                "provider": "vendor",
                "deployment": "saas",
                "data": ["hr"],
                "location": {"country": "FR"},
                "encryption": {"keys_held_by": "provider"},
            },
        ],
    )
    uk = reasons(result, "uk", "jurisdiction")
    assert "chain-data-access" not in uk
    adequate = uk["chain-data-access-adequate"]
    assert adequate.score == 2 and "Investigatory Powers Act" in adequate.params["laws"]
    assert any(e.ref == "catalog jurisdiction GB: adequacy" for e in adequate.facts)
    assert score(result, "uk", "jurisdiction") == 2
    assert "keys-at-reachable-provider" not in reasons(result, "uk", "data_control")
    assert score(result, "uk", "data_control") == 3  # the provider still holds the keys
    assert score(result, "us", "jurisdiction") == 4
    assert score(result, "us", "data_control") == 4


# --- the gaps filled: China's counter-sanctions; Russia by control ---------------------


def test_a_chinese_group_can_cut_the_service_and_a_russian_one_is_weighed_as_sourced(
    catalog: Catalog, shipped: Methodology
) -> None:
    result = run(
        catalog,
        shipped,
        providers=[
            RU,
            {"id": "ru-eu", "name": "Vendor GmbH", "country": "DE", "owner": "ruvendor"},
            CN,
            {"id": "cn-eu", "name": "Vendor BV", "country": "NL", "owner": "cnvendor"},
        ],
        assets=[
            {
                "id": "ru",
                "provider": "ru-eu",
                "deployment": "saas",
                "data": ["x"],
                "location": {"country": "DE"},
            },
            {
                "id": "cn",
                "provider": "cn-eu",
                "deployment": "saas",
                "data": ["x"],
                "location": {"country": "NL"},
            },
        ],
    )
    # Russia: the catalog holds no data-access law reaching by control that could be
    # sourced from an official text (the FSB law was removed for that reason); the
    # Yarovaya/SORM obligations are territorial: data in Germany is not reached.
    ru = reasons(result, "ru", "jurisdiction")
    assert "chain-data-access" not in ru
    assert all("Yarovaya" not in r.params.get("laws", "") for r in ru.values())
    cn = reasons(result, "cn", "jurisdiction")["chain-service-cutoff"]
    assert "Anti-Foreign Sanctions Law" in cn.params["laws"]
    assert "Unreliable Entity List" in cn.params["laws"]


def test_a_territorial_law_keeps_its_scope(catalog: Catalog, shipped: Methodology) -> None:
    """Data in Russia: the Yarovaya obligations compel telecom operators and
    organisers of information dissemination, not an organisation's own server."""
    result = run(
        catalog,
        shipped,
        providers=[{"id": "mail", "name": "Mail OOO", "country": "FR"}],
        assets=[
            {"id": "own", "deployment": "on-premise", "data": ["x"], "location": {"country": "RU"}},
            {
                "id": "service",
                "provider": "mail",
                "deployment": "saas",
                "data": ["x"],
                "location": {"country": "RU"},
            },
            {"id": "nameless", "deployment": "saas", "data": ["x"], "location": {"country": "RU"}},
        ],
    )
    own = reasons(result, "own", "jurisdiction")["location-law"]
    assert "Yarovaya" not in own.params["laws"] and "242-FZ" in own.params["laws"]
    service = reasons(result, "service", "jurisdiction")["location-law"]
    assert "Yarovaya" in service.params["laws"]
    # A service whose provider is not named still has one: unknown is not safe.
    nameless = reasons(result, "nameless", "jurisdiction")["location-law"]
    assert "Yarovaya" in nameless.params["laws"]


def test_the_law_scope_is_checked_when_the_catalog_is_loaded() -> None:

    entry = {
        "id": "XX",
        "name": {"en": "X", "fr": "X"},
        "eu": False,
        "eea": False,
        "source": "s",
        "as_of": "2026-12-03",
        "laws": [
            {
                "id": "x",
                "name": "X Act",
                "permits": ["data_access"],
                "applies_to": {"roles": ["servise"]},
            }
        ],
    }
    document = CatalogDocument(
        "j.yaml", {"souverain_catalog": 1, "kind": "jurisdiction", "entries": [entry]}
    )
    with pytest.raises(InvalidInput) as raised:
        build_catalog([[document]])
    (problem,) = raised.value.problems
    assert problem.path == ("entries", 0, "laws", 0, "applies_to", "roles", 0)


def test_a_subcontractor_of_an_on_premise_provider_keeps_every_role(
    catalog: Catalog, shipped: Methodology
) -> None:
    """An outsourcer running servers on premises in a US-owned colocation centre: the
    colocation subcontractor's role is not the asset's (FISA 702 reaches providers with
    access to equipment that stores communications since 2024), so it stays reached."""
    result = run(
        catalog,
        shipped,
        providers=[
            US,
            {"id": "msp", "name": "Infogérant SAS", "country": "FR", "subcontractors": ["vendor"]},
        ],
        assets=[{"id": "servers", "provider": "msp", "deployment": "on-premise", "data": ["x"]}],
    )
    sub = reasons(result, "servers", "supply_chain")["subcontractor-data-access"]
    assert "FISA Section 702" in sub.params["laws"]


def test_a_us_security_agent_on_premises_is_a_privileged_path_to_the_data(
    catalog: Catalog, shipped: Methodology
) -> None:
    # The vendor runs the service behind the agent (console, reputation lookups, sample
    # uploads): the laws compelling service providers reach it even on premises.
    result = run(
        catalog,
        shipped,
        providers=[US],
        assets=[
            {"id": "edr", "category": "security", "provider": "vendor", "deployment": "on-premise"},
            {"id": "cam", "category": "security", "provider": "vendor", "deployment": "device"},
        ],
    )
    for asset in ("edr", "cam"):
        assert "privileged-path" in reasons(result, asset, "data_control"), asset
        assert score(result, asset, "data_control") >= 3


def test_a_source_available_licence_is_not_open_for_the_laws_scope(
    catalog: Catalog, shipped: Methodology
) -> None:
    # BUSL-1.1 software run on premises: its licensor still controls who may run it,
    # so a law permitting licence cut-off reaches it as it reaches closed software.
    result = run(
        catalog,
        shipped,
        providers=[US],
        assets=[
            {"id": "busl", "provider": "vendor", "deployment": "on-premise", "licence": "BUSL-1.1"},
            {
                "id": "apache",
                "provider": "vendor",
                "deployment": "on-premise",
                "licence": "Apache-2.0",
            },
        ],
    )
    assert "chain-licence-cutoff" in reasons(result, "busl", "jurisdiction")
    assert "chain-licence-cutoff" not in reasons(result, "apache", "jurisdiction")


def test_a_catalog_product_without_a_provider_is_its_vendors(
    catalog: Catalog, shipped: Methodology
) -> None:
    # A SaaS asset naming a catalog product but no provider: the product's vendor and
    # its owners stand for the provider, never "no foreign law found".
    result = run(
        catalog,
        shipped,
        assets=[{"id": "visio", "product": "zoom-workplace", "deployment": "saas", "data": ["x"]}],
    )
    found = reasons(result, "visio", "jurisdiction")
    assert "chain-data-access" in found and "clear" not in found
    assert score(result, "visio", "jurisdiction") == 4


# --- US laws by reach: control, territory, collection ----------------------------------


def test_data_stored_in_the_us_is_reached_by_the_sca_and_traditional_fisa(
    catalog: Catalog, shipped: Methodology
) -> None:
    # An EU provider storing the data in the United States: no US owner, so neither the
    # CLOUD Act nor FISA 702 (control); the Stored Communications Act and FISA Titles I
    # and III reach what is stored on US soil, whoever controls it. Executive Order 12333
    # compels no provider: it is not a reason.
    result = run(
        catalog,
        shipped,
        providers=[{"id": "euhost", "name": "Host SE", "country": "DE"}],
        assets=[
            {
                "id": "app",
                "provider": "euhost",
                "deployment": "saas",
                "location": {"country": "US"},
                "data": ["files"],
            }
        ],
    )
    found = reasons(result, "app", "jurisdiction")
    law = found["location-law"]
    assert law.params["laws"] == (
        "Stored Communications Act (18 U.S.C. § 2703), "
        "FISA Titles I and III (50 U.S.C. §§ 1801-1813, 1821-1829)"
    )
    refs = [fact.ref for fact in law.facts]
    assert refs == [
        "assets[app].location.country",
        "catalog jurisdiction US: us-sca-2703",
        "catalog jurisdiction US: us-sca-2703.applies_to",
        "catalog jurisdiction US: us-fisa-traditional",
    ]
    assert all(fact.source and fact.as_of for fact in law.facts[1:])
    assert "chain-data-access" not in found
    assert not any("12333" in r.text("en") for r in found.values())


def test_executive_order_12333_is_collection_scored_by_no_rule(catalog: Catalog) -> None:
    us = catalog.jurisdictions["US"]
    (order,) = [law for law in us.laws if law.id == "us-eo-12333"]
    assert order.reach == ["collection"]
    reaches = {law.id: law.reach for law in us.laws}
    assert reaches["us-cloud-act"] == ["control"]
    assert reaches["us-sca-2703"] == ["territory"]
    assert reaches["us-fisa-traditional"] == ["territory"]
    # Every US law keeps a primary source and a date.
    assert all(law.source and law.as_of for law in us.laws)
