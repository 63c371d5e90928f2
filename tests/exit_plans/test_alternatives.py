"""Which alternative an exit plan targets: the estate's own choice, else the catalog's
best candidate (ring, then open source, then EU/EEA control), never one on hold."""

from __future__ import annotations

from collections.abc import Callable

from souverain.core.catalog.model import Catalog
from souverain.core.catalog.queries import is_european, is_open_source
from souverain.core.planning.generation import migration_candidates
from souverain.core.scoring.audit import AuditResult
from tests.exit_plans.conftest import PlanOf, PlansOf, said


def test_the_best_ring_wins_and_the_product_in_use_is_skipped(plan_of: PlanOf) -> None:
    # crm-current is "adopt" too, but it is what the asset runs.
    plan = plan_of(category="crm", product="crm-current")
    assert plan.alternative == "crm-adopt-us"
    assert plan.alternative_name == "BigCRM"
    assert plan.alternative_ring == "adopt"
    # trial before assess; within trial open source and EU first; hold left out
    assert plan.alternatives_considered == ("crm-libre", "crm-us-open", "crm-eu-prop", "crm-assess")
    reason = plan.reasons[0]
    assert reason.ref == "catalog alternative crm-adopt-us"
    assert said(reason.text)["en"].startswith("BigCRM: ring “adopt” in the catalog")


def test_within_a_ring_open_source_then_european_then_unknown(plan_of: PlanOf) -> None:
    plan = plan_of(category="wiki")
    assert plan.alternative == "wiki-open-eu"
    # open source before proprietary; among open ones, EU/EEA before a US-controlled one;
    # a licence nobody knows sits between open and proprietary
    assert plan.alternatives_considered == ("wiki-open-us", "wiki-unknown", "wiki-prop-eu")
    assert "open source, controlled from the EU/EEA" in said(plan.reasons[0].text)["en"]
    assert "open source, contrôlé depuis l'UE/EEE" in said(plan.reasons[0].text)["fr"]


def test_openness_and_control_come_from_the_catalog(plan_catalog: Catalog) -> None:
    products = plan_catalog.products
    assert is_open_source(products["wiki-open-us"]) is True
    assert is_open_source(products["wiki-prop-eu"]) is False
    assert is_open_source(products["wiki-unknown"]) is None
    assert is_european(plan_catalog, "libre-sarl") is True
    assert is_european(plan_catalog, "us-cloud-lux") is False  # LU subsidiary of a US group
    assert is_european(plan_catalog, "euro-jv") is False  # a US partner in the joint venture
    assert is_european(plan_catalog, "nowhere-ltd") is None


def test_a_held_alternative_is_never_chosen(plan_of: PlanOf) -> None:
    plan = plan_of(category="fax")
    assert plan.alternative is None
    assert plan.alternative_name is None
    assert plan.alternatives_considered == ()
    kinds = [s.kind for s in plan.steps]
    assert kinds.index("choose-alternative") < kinds.index("pilot")
    assert (
        "has none for the category Fax"
        in said(plan.steps[kinds.index("choose-alternative")].text)["en"]
    )
    assert (
        "aucune pour la catégorie Télécopie"
        in said(plan.steps[kinds.index("choose-alternative")].text)["fr"]
    )


def test_no_category_means_no_candidate(plan_of: PlanOf) -> None:
    plan = plan_of()
    assert plan.alternative is None
    assert plan.reasons[0].ref == "assets[app].category"
    choose = next(s for s in plan.steps if s.kind == "choose-alternative")
    assert said(choose.text)["en"].startswith("Classify Application")


def test_the_estate_choice_by_catalog_id_is_honoured_even_on_hold(plan_of: PlanOf) -> None:
    plan = plan_of(category="crm", exit={"alternative": "crm-held"})
    assert plan.alternative == "crm-held"
    assert plan.alternative_ring == "hold"
    assert "crm-held" not in plan.alternatives_considered
    # nothing in use here: both adopt entries come first, by name (BigCRM, CloudCRM)
    assert plan.alternatives_considered[:2] == ("crm-adopt-us", "crm-current")
    assert plan.reasons[0].ref == "assets[app].exit.alternative"
    held = plan.reasons[1]
    assert "“hold”" in said(held.text)["en"] and "« suspendre »" in said(held.text)["fr"]
    assert (held.source, str(held.as_of)) == ("test fixture (held)", "2026-02-01")


def test_the_estate_choice_in_free_text_is_matched_to_the_catalog(plan_of: PlanOf) -> None:
    plan = plan_of(category="crm", product="crm-current", exit={"alternative": "LibreCRM licences"})
    assert plan.alternative == "crm-libre"
    assert plan.alternative_name == "LibreCRM"
    assert plan.alternative_ring == "trial"
    assert "matched to the catalog product LibreCRM" in said(plan.reasons[0].text)["en"]


def test_an_unknown_free_text_choice_is_kept_but_flagged(plan_of: PlanOf) -> None:
    plan = plan_of(category="crm", exit={"alternative": "Tableur maison"})
    assert plan.alternative is None
    assert plan.alternative_name == "Tableur maison"
    assert plan.alternative_ring is None
    assert "matches no catalog product" in said(plan.reasons[0].text)["en"]
    choose = next(s for s in plan.steps if s.kind == "choose-alternative")
    assert "« Tableur maison »" in said(choose.text)["fr"]
    pilot = next(s for s in plan.steps if s.kind == "pilot")
    assert "Tableur maison" in said(pilot.text)["en"]


def test_only_vital_and_important_dependencies_riskiest_first(plans_of: PlansOf) -> None:
    plans = plans_of(
        processes=[
            {"id": "sales", "criticality": "important", "depends_on": ["crm"]},
            {"id": "factory", "criticality": "vital", "depends_on": ["mes"]},
            {"id": "coffee", "criticality": "useful", "depends_on": ["kiosk"]},
        ],
        assets=[{"id": "crm", "category": "crm"}, {"id": "mes"}, {"id": "kiosk"}],
    )
    assert [(p.asset, p.gravity, p.process) for p in plans] == [
        ("mes", "vital", "factory"),
        ("crm", "important", "sales"),
    ]


def test_the_roadmap_and_the_exit_plans_share_one_definition_of_european(
    audit_with: Callable[..., AuditResult], plan_catalog: Catalog
) -> None:
    # LuxPBX is proprietary and sold by the Luxembourg subsidiary of a US group. The exit
    # plan says it is controlled from outside the EU/EEA; the roadmap used to count it
    # European from its provider's own country alone and proposed a migration to it.
    assert is_european(plan_catalog, "us-cloud-lux") is False
    result = audit_with(
        assets=[
            {"id": "pbx", "name": "PBX", "category": "pbx", "product": "pbx-current"},
        ],
        processes=[{"id": "calls", "name": "Calls", "criticality": "vital", "depends_on": ["pbx"]}],
    )
    dep = result.dependencies[0]
    asset = result.estate.assets[0]
    assert migration_candidates(dep, asset, plan_catalog) == []
