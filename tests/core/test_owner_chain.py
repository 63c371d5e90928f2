"""Owner chains (docs/catalog.md): a provider's exposure comes from every entity up its
ownership chain, through each controlling partner of a joint venture."""

from __future__ import annotations

from souverain.core.catalog.model import Catalog
from souverain.core.scoring.context import chain_text
from tests.core.conftest import AuditOf

ERP = {"id": "erp", "name": "ERP", "deployment": "saas", "data": ["customers"]}
MAKE = {"id": "make", "name": "Make", "criticality": "vital", "depends_on": ["erp"]}


def test_a_two_level_chain_reaches_the_ultimate_parent(test_catalog: Catalog) -> None:
    chain = [p.id for p in test_catalog.owner_chain("us-cloud-lux")]
    assert chain == ["us-cloud-lux", "us-cloud", "us-holding"]


def test_a_joint_venture_lists_each_partner_then_their_parents(test_catalog: Catalog) -> None:
    chain = [p.id for p in test_catalog.owner_chain("euro-jv")]
    assert chain == ["euro-jv", "fr-telecom", "us-cloud", "us-holding"]
    assert test_catalog.providers["euro-jv"].owners == ["fr-telecom", "us-cloud"]


def test_the_owner_field_keeps_its_own_source(test_catalog: Catalog) -> None:
    owner = test_catalog.providers["euro-jv"].owner
    assert owner is not None and owner.source == "test fixture (joint control agreement)"


def test_a_joint_venture_is_reached_through_its_foreign_partner(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=[MAKE],
        providers=[{"id": "jv", "catalog": "euro-jv"}],
        assets=[{**ERP, "provider": "jv", "location": {"country": "FR"}}],
    )
    [dep] = result.dependencies
    laws = [r for r in dep.exposure["jurisdiction"].reasons if r.rule != "clear"]
    texts = [r.text("en") for r in laws]
    # Both US parties are reached (by control), and the reason shows the path
    # through the US partner, not through the French one.
    chains = {r.params["chain"] for r in laws if "chain" in r.params}
    assert "EuroCloud Coentreprise SAS → US Cloud Inc." in chains
    assert "EuroCloud Coentreprise SAS → US Cloud Inc. → US Holding Corp." in chains
    assert not any("Télécom de France" in c for c in chains)
    assert any("Test Data Access Act" in t for t in texts)
    assert dep.exposure["jurisdiction"].score >= 3


def test_the_chain_in_words_puts_joint_owners_side_by_side(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=[MAKE],
        providers=[{"id": "jv", "catalog": "euro-jv"}],
        assets=[{**ERP, "provider": "jv"}],
    )
    [dep] = result.dependencies
    assert chain_text(dep.owner_chain) == (
        "EuroCloud Coentreprise SAS → Télécom de France SA + US Cloud Inc. → US Holding Corp."
    )


def test_a_joint_venture_counts_towards_each_controlling_group(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=[{**MAKE, "depends_on": ["erp", "mail"]}],
        providers=[{"id": "jv", "catalog": "euro-jv"}],
        assets=[
            {**ERP, "provider": "jv"},
            {"id": "mail", "name": "Mail", "deployment": "saas", "provider": "jv"},
        ],
    )
    groups = {c.group: c.count for c in result.concentration}
    assert groups == {"fr-telecom": 2, "us-holding": 2}


def test_provider_level_certifications_are_cited_but_not_as_the_offers(
    audit_of: AuditOf,
) -> None:
    """Certifications attach to offers (catalog products); a catalog that still writes
    them on the provider has them shown as the provider's, never as the offer's
    (certified-secnumcloud and certified-security read the product's; tests/core/
    test_regimes.py)."""
    result = audit_of(
        processes=[MAKE],
        providers=[{"id": "telecom", "catalog": "fr-telecom"}],
        assets=[{**ERP, "provider": "telecom", "location": {"country": "FR"}}],
    )
    [dep] = result.dependencies
    shown = [r for r in dep.exposure["data_control"].reasons if r.rule == "provider-certification"]
    assert {r.params["scheme"] for r in shown} == {"SecNumCloud", "ISO 27001"}
    rules = {r.rule for r in dep.exposure["data_control"].reasons}
    assert "certified-secnumcloud" not in rules and "certified-security" not in rules
    secnumcloud = next(r for r in shown if r.params["scheme"] == "SecNumCloud")
    assert secnumcloud.score == 0
    assert "Cloud Souverain IaaS" in secnumcloud.text("en")
    assert "SecNumCloud" in secnumcloud.text("fr")
    assert (secnumcloud.evidence.source, str(secnumcloud.evidence.as_of)) == (
        "test fixture (ANSSI list)",
        "2026-03-01",
    )
    # The ISO 27001 item inherits its entry's source and date.
    iso = next(r for r in shown if r.params["scheme"] == "ISO 27001")
    assert iso.evidence.source == "test fixture"
    # A certification does not lower a score that laws or keys raise.
    assert dep.exposure["data_control"].score == max(
        r.score for r in dep.exposure["data_control"].reasons
    )


def test_the_html_matrix_puts_joint_owners_side_by_side(audit_of: AuditOf) -> None:
    """The JSON rows carry each entity's depth; the HTML matrix joins the partners of a
    joint venture with "+" and the levels with "→"."""
    from souverain.exporters.html import HtmlExporter
    from souverain.exporters.matrix import dependency_document

    result = audit_of(
        processes=[MAKE],
        providers=[{"id": "jv", "catalog": "euro-jv"}],
        assets=[{**ERP, "provider": "jv"}],
    )
    row = dependency_document(1, result.dependencies[0], "en")
    assert [e["depth"] for e in row["owner_chain"]] == [0, 1, 1, 2]
    page = HtmlExporter().render(result, "en").decode("utf-8")
    assert "+ Télécom de France SA" not in page  # the first partner follows an arrow
    assert "+ US Cloud Inc." in page
    assert "→ US Holding Corp." in page
