"""The radar's content: which alternatives, merged how, and the dependency view's rings."""

from __future__ import annotations

from souverain.core.catalog.model import Catalog
from souverain.core.planning.radar import (
    FALLBACK_QUADRANT,
    QUADRANTS,
    RING_OF_LEVEL,
    RINGS,
    Blip,
    alternatives_radar,
    dependencies_radar,
    quadrant_of,
)
from souverain.core.scoring.audit import AuditResult
from souverain.exporters.radar_interface import blip_description as described


def by_id(blips: tuple[Blip, ...]) -> dict[str, Blip]:
    return {b.id: b for b in blips}


def test_alternatives_fit_the_categories_of_the_dependencies(
    atelier: AuditResult, radar_catalog: Catalog
) -> None:
    radar = alternatives_radar(atelier, radar_catalog)
    blips = by_id(radar.blips)
    assert radar.view == "alternatives"
    # erp and erp-legacy (erp), mail (mail), chat (chat through its product teams-t).
    assert set(blips) == {"dolibarr-t", "odoo-ce", "sap-erp", "element-t", "suite-t"}
    assert blips["dolibarr-t"].ring == "adopt"
    assert blips["odoo-ce"].ring == "trial"
    assert blips["element-t"].replaces == ("chat",)  # category from the catalog product
    assert blips["element-t"].quadrant == "collaboration"
    assert blips["dolibarr-t"].quadrant == "business-applications"
    assert blips["dolibarr-t"].source == "https://github.com/Dolibarr/dolibarr"
    assert all(not b.is_new for b in radar.blips)


def test_the_product_in_use_is_not_its_own_alternative(
    atelier: AuditResult, radar_catalog: Catalog
) -> None:
    blips = by_id(alternatives_radar(atelier, radar_catalog).blips)
    # erp runs sap-erp: SAP ERP is offered to replace the other ERP only.
    assert blips["sap-erp"].replaces == ("erp-legacy",)
    assert blips["sap-erp"].ring == "hold"
    assert "erp" in blips["dolibarr-t"].replaces


def test_a_product_fitting_several_dependencies_appears_once(
    atelier: AuditResult, radar_catalog: Catalog
) -> None:
    radar = alternatives_radar(atelier, radar_catalog)
    ids = [b.id for b in radar.blips]
    assert len(ids) == len(set(ids))
    rank = [d.asset for d in atelier.dependencies]
    dolibarr = by_id(radar.blips)["dolibarr-t"]
    assert set(dolibarr.replaces) == {"erp", "erp-legacy"}
    assert list(dolibarr.replaces) == sorted(dolibarr.replaces, key=rank.index)  # riskiest first
    # suite-t is an alternative for mail (trial) and chat (assess): one blip, both assets,
    # ring and source from the entry that fits the riskiest dependency (mail).
    suite = by_id(radar.blips)["suite-t"]
    assert set(suite.replaces) == {"mail", "chat"}
    first = suite.replaces[0]
    assert rank.index(first) < rank.index(suite.replaces[1])
    expected_ring = "trial" if first == "mail" else "assess"
    assert suite.ring == expected_ring
    assert "Mail part." in described(suite, "en") and "Chat part." in described(suite, "en")
    assert "Partie messagerie." in described(suite, "fr")


def test_description_names_the_replaced_assets(
    atelier: AuditResult, radar_catalog: Catalog
) -> None:
    dolibarr = by_id(alternatives_radar(atelier, radar_catalog).blips)["dolibarr-t"]
    assert described(dolibarr, "en").startswith("Small ERP. Could replace: ")
    assert "ERP SAP (erp)" in described(dolibarr, "en")
    assert "Ancien ERP (erp-legacy)" in described(dolibarr, "en")
    assert described(dolibarr, "fr").startswith("Petit ERP. Pourrait remplacer : ")


def test_blips_are_numbered_by_quadrant_then_ring(
    atelier: AuditResult, radar_catalog: Catalog
) -> None:
    radar = alternatives_radar(atelier, radar_catalog)
    assert [b.number for b in radar.blips] == list(range(1, len(radar.blips) + 1))
    quadrants = [q.id for q in QUADRANTS]
    rings = [r.id for r in RINGS]
    keys = [(quadrants.index(b.quadrant), rings.index(b.ring)) for b in radar.blips]
    assert keys == sorted(keys)


def test_no_alternative_for_an_estate_without_categories(
    mini_result: AuditResult, test_catalog: Catalog
) -> None:
    # The fixture catalog has no alternatives at all.
    assert alternatives_radar(mini_result, test_catalog).blips == ()


def test_dependency_view_one_blip_per_asset_ring_from_risk(
    atelier: AuditResult, radar_catalog: Catalog
) -> None:
    radar = dependencies_radar(atelier, radar_catalog)
    blips = by_id(radar.blips)
    assert radar.view == "dependencies"
    assert set(blips) == {d.asset for d in atelier.dependencies}
    for dep in atelier.dependencies:
        blip = blips[dep.asset]
        assert blip.level == dep.level
        assert blip.ring == RING_OF_LEVEL[dep.level]
        assert blip.replaces == ()
    assert RING_OF_LEVEL == {
        "critical": "hold",
        "high": "assess",
        "medium": "trial",
        "low": "adopt",
    }
    levels = {blips[a].level for a in blips}
    assert len(levels) >= 2  # the estate exercises more than one level


def test_quadrants_of_the_dependency_view(atelier: AuditResult, radar_catalog: Catalog) -> None:
    blips = by_id(dependencies_radar(atelier, radar_catalog).blips)
    assert blips["erp"].quadrant == "business-applications"
    assert blips["mail"].quadrant == "collaboration"
    assert blips["chat"].quadrant == "collaboration"  # from its product's category
    assert blips["usine"].quadrant == "infrastructure"
    # No category, and a category without a quadrant: the documented fallback.
    assert blips["mystery"].quadrant == FALLBACK_QUADRANT == "business-applications"
    assert blips["widget"].quadrant == FALLBACK_QUADRANT
    assert quadrant_of(None, radar_catalog) == FALLBACK_QUADRANT
    assert quadrant_of("no-such-category", radar_catalog) == FALLBACK_QUADRANT
    assert "Critical risk" in described(blips["erp"], "en") or blips["erp"].level != "critical"


def test_dependency_descriptions_in_both_languages(
    atelier: AuditResult, radar_catalog: Catalog
) -> None:
    erp = by_id(dependencies_radar(atelier, radar_catalog).blips)["erp"]
    assert "SAP SE" in described(erp, "en") and "SAP SE" in described(erp, "fr")
    assert "gravity vital (sales)" in described(erp, "en")
    assert "gravité vitale (sales)" in described(erp, "fr")


def test_the_core_says_what_the_locales_word(atelier: AuditResult, radar_catalog: Catalog) -> None:
    """Names and descriptions are phrases; data/locales/radar.<lang>.yaml words each."""
    from souverain.core.phrase import Phrase
    from souverain.wording import render

    radars = [
        alternatives_radar(atelier, radar_catalog),
        dependencies_radar(atelier, radar_catalog),
    ]
    phrases = [q.name for q in QUADRANTS] + [r.name for r in RINGS]
    phrases += [p for radar in radars for blip in radar.blips for p in blip.description]
    assert all(isinstance(p, Phrase) for p in phrases)
    for lang in ("en", "fr"):
        assert all(isinstance(render(p, lang, "radar"), str) for p in phrases)
    assert render(QUADRANTS[3].name, "fr", "radar") == "Données et identité"
