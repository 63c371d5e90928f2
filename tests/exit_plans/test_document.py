"""The JSON document of a plan and its texts in French and English."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.planning.exit_plans import ExitPlan, exit_plans
from souverain.core.scoring.audit import AuditResult
from souverain.exporters.exit_plans import exit_plan_document
from tests.exit_plans.conftest import PlanOf, said

VENDOR = [{"id": "vendor", "name": "Éditeur SAS", "country": "FR"}]


def full_plan(plan_of: PlanOf) -> ExitPlan:
    """A SaaS CRM leaving for LibreCRM, with every contract term known."""
    return plan_of(
        category="crm",
        product="crm-current",
        deployment="saas",
        exports=["csv"],
        data=["clients"],
        skills="low",
        contract="c-app",
        provider="vendor",
        providers=VENDOR,
        contracts=[
            {
                "id": "c-app",
                "provider": "vendor",
                "ends": "2028-06-30",
                "clauses": {
                    "termination_notice_days": 180,
                    "exit_assistance": True,
                    "data_portability": True,
                },
            }
        ],
        exit={"alternative": "crm-libre", "export_tested": date(2026, 10, 1), "duration": "3w"},
        max_downtime="2d",
    )


def test_the_document_keeps_its_names(plan_of: PlanOf) -> None:
    document = exit_plan_document(full_plan(plan_of), "en")
    assert list(document) == [
        "asset",
        "name",
        "gravity",
        "process",
        "provider",
        "alternative",
        "alternative_name",
        "alternative_ring",
        "alternatives_considered",
        "export",
        "steps",
        "skills",
        "contract_steps",
        "duration",
        "duration_source",
        "notice_days",
        "notice_longer_than_work",
        "fits_max_downtime",
        "max_downtime",
        "reasons",
    ]
    assert document["asset"] == "app"
    assert document["alternative"] == "crm-libre"
    assert document["alternative_name"] == "LibreCRM"
    assert document["duration"] == "3w"
    assert document["max_downtime"] == "2d"
    assert document["fits_max_downtime"] is False
    assert document["export"] == {
        "formats": ["csv"],
        "open": True,
        "source": "assets[app].exports",
        "tested": "2026-10-01",
    }
    assert set(document["steps"][0]) == {"kind", "text", "days", "ref"}
    notice = next(s for s in document["steps"] if s["kind"] == "notice")
    assert notice["days"] == 180
    assert notice["ref"] == "contracts[c-app].clauses.termination_notice_days"
    assert set(document["contract_steps"][0]) == {"kind", "text", "field", "value"}
    json.dumps(document)  # JSON-ready as it is


def test_a_plan_with_nothing_known_still_makes_a_document(plan_of: PlanOf) -> None:
    document = exit_plan_document(plan_of(max_downtime=None), "fr")
    assert document["alternative"] is None
    assert document["duration"] is None
    assert document["fits_max_downtime"] is None
    assert document["export"]["open"] is None
    assert document["contract_steps"][0]["kind"] == "no-contract"


def test_an_unknown_language_is_refused(plan_of: PlanOf) -> None:
    with pytest.raises(ValueError, match="'de'"):
        exit_plan_document(plan_of(), "de")


def test_french_texts(plan_of: PlanOf) -> None:
    document = exit_plan_document(full_plan(plan_of), "fr")
    steps = {s["kind"]: s["text"] for s in document["steps"]}
    assert steps["export-test"] == (
        "L'export a été testé le 2026-10-01 (il y a 53 jours) : le refaire sur l'ensemble des "
        "données juste avant la migration et vérifier que LibreCRM le relit. Le contrat c-app "
        "prévoit la portabilité des données : s'en prévaloir."
    )
    assert steps["notice"] == (
        "Résilier le contrat c-app tôt : son préavis (180 jours) est plus long que la durée "
        "estimée des travaux (3 semaines) ; à défaut, il court jusqu'au 2028-06-30."
    )
    assert steps["pilot"] == (
        "Mettre en place LibreCRM (en auto-hébergement : l'installer et l'exploiter) sur un "
        "périmètre pilote et vérifier que la solution couvre les besoins de Ventes."
    )
    assert steps["train"] == (
        "Former les utilisateurs de Ventes et les administrateurs à LibreCRM ; la maîtrise "
        "interne d'Application est faible : prévoir formation ou appui extérieur."
    )
    assert steps["switch"].startswith(
        "Basculer Ventes vers LibreCRM en faisant tourner les deux en parallèle : la durée "
        "estimée (3 semaines) dépasse sa durée maximale d'interruption de 2 jours"
    )
    assert steps["migrate"].startswith("Migrer les données d'Application vers LibreCRM en csv")
    skills = [s["text"] for s in document["skills"]]
    assert skills[0] == (
        "Gestion de la relation client : utilisation et administration de LibreCRM."
    )
    contract = {c["kind"]: c["text"] for c in document["contract_steps"]}
    assert contract["end-date"] == (
        "Le contrat prend fin le 2028-06-30 : résilier au plus tard le 2028-01-02 pour éviter "
        "son renouvellement."
    )


def test_elision_before_a_vowel(plan_of: PlanOf) -> None:
    plan = plan_of(category="crm", exports=["csv"], exit={"alternative": "crm-eu-prop"})
    text = said(next(s for s in plan.steps if s.kind == "export-test").text)["fr"]
    assert "vérifier qu'EuroCRM sait le relire" in text
    assert "Tester un export complet d'Application" in text


_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _every_text(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _every_text(v)]
    if isinstance(value, list):
        return [t for v in value for t in _every_text(v)]
    return []


def test_every_text_exists_in_both_languages(
    mini_result: AuditResult, test_catalog: Catalog
) -> None:
    plans = exit_plans(mini_result, test_catalog)
    assert plans, "the mini estate has vital and important dependencies"
    for plan in plans:
        texts = [s.text for s in plan.steps] + [s.text for s in plan.skills]
        texts += [c.text for c in plan.contract_steps] + [n.text for n in plan.reasons]
        for phrase in texts:
            text = said(phrase)
            assert text["en"] and text["fr"]
            assert not _PLACEHOLDER.search(text["en"]) and not _PLACEHOLDER.search(text["fr"])
        french = " ".join(_every_text(exit_plan_document(plan, "fr")))
        assert " de A" not in french and " de E" not in french and " de O" not in french
