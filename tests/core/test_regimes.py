"""Certifications on offers and the regimes that require them (docs/catalog.md,
docs/estate.md "Regimes"): an asset under hds or secnumcloud whose offer holds the
certificate only in progress, or an expired one, breaks the regime; an offer whose
certificates are unknown is not assessed; under dora, contract clauses that DORA
Art. 30 requires and the contract lacks are reasons naming the article."""

from __future__ import annotations

from typing import Any

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.errors import InvalidInput
from souverain.core.estate.validation import parse_estate
from souverain.core.scoring.audit import AuditResult, audit
from souverain.core.scoring.methodology import Methodology
from souverain.core.scoring.score import Dependency, Reason
from souverain.importers.document import Document
from souverain.resources import catalog_from_documents
from tests.conftest import TODAY

SOURCE = {"source": "test fixture", "as_of": "2026-01-01"}


def _cert(scheme: str, **extra: Any) -> dict[str, Any]:
    return {"scheme": scheme, "scope": f"{scheme} scope", "source": "test register", **extra}


PRODUCTS = [
    {"id": "qualified-cloud", "certifications": [_cert("HDS"), _cert("SecNumCloud")]},
    {
        "id": "candidate-cloud",
        "certifications": [
            _cert("HDS", status="in-progress", since="2025-04-17"),
            _cert("SecNumCloud", status="in-progress", since="2025-04-17"),
        ],
    },
    {"id": "lapsed-cloud", "certifications": [_cert("HDS", until="2026-06-30")]},
    {"id": "silent-cloud"},
    # The registers, read on as_of, do not list it: a stated absence.
    {
        "id": "unlisted-cloud",
        "certifications": [
            _cert("HDS", status="not-held", source="HDS register"),
            _cert("SecNumCloud", status="not-held", source="ANSSI list"),
        ],
    },
    # Certificates of other schemes only: says nothing of HDS.
    {"id": "iso-cloud", "certifications": [_cert("ISO 27001")]},
]


def _catalog() -> Catalog:
    entries: dict[str, list[dict[str, Any]]] = {
        "provider": [
            {"id": "host", "name": "Host SAS", "country": "FR", **SOURCE},
            {
                "id": "legacy",
                "name": "Legacy SAS",
                "country": "FR",
                "certifications": [_cert("HDS")],
                **SOURCE,
            },
        ],
        "product": [
            {"name": p["id"].replace("-", " ").title(), "category": "iaas", "provider": "host"}
            | p
            | SOURCE
            for p in PRODUCTS
        ],
        "category": [{"id": "iaas", "name": {"en": "IaaS", "fr": "IaaS"}}],
        "jurisdiction": [
            {"id": "FR", "name": {"en": "France", "fr": "France"}, "eu": True, "eea": True} | SOURCE
        ],
    }
    documents = [
        Document(f"{kind}.yaml", {"souverain_catalog": 1, "kind": kind, "entries": items})
        for kind, items in entries.items()
    ]
    return catalog_from_documents([documents])


CATALOG = _catalog()


def _estate(
    regimes: list[str], asset: dict[str, Any], criticality: str = "vital", **sections: Any
) -> dict[str, Any]:
    return {
        "souverain": 1,
        "organisation": {"name": "Clinique", "country": "FR", "regimes": regimes},
        "processes": [{"id": "care", "criticality": criticality, "depends_on": ["records"]}],
        "providers": [{"id": "host", "catalog": "host"}, {"id": "legacy", "catalog": "legacy"}],
        "assets": [
            {
                "id": "records",
                "name": "Patient records",
                "provider": "host",
                "deployment": "private-cloud",
                "data": ["patients"],
                "location": {"country": "FR"},
                **asset,
            }
        ],
        **sections,
    }


def _dep(methodology: Methodology, estate: dict[str, Any]) -> Dependency:
    result: AuditResult = audit(parse_estate(estate), methodology, CATALOG, TODAY)
    [dep] = result.dependencies
    return dep


def _regime_reasons(dep: Dependency, axis: str = "data_control") -> list[Reason]:
    return [
        r
        for r in dep.exposure[axis].reasons  # type: ignore[index]
        if r.predicate in ("regime_certification", "regime_clause_missing")
    ]


def test_an_hds_offer_in_progress_breaks_the_regime(methodology: Methodology) -> None:
    estate = _estate([], {"product": "candidate-cloud", "regimes": ["hds"]})
    dep = _dep(methodology, estate)
    [reason] = _regime_reasons(dep)
    assert reason.rule == "hds-in-progress" and not reason.not_assessed
    assert dep.exposure["data_control"].score == 4
    text = reason.text("en")
    assert "L1111-8" in text and "in progress" in text and "Candidate Cloud" in text
    assert "en cours" in reason.text("fr")
    sources = {e.ref: e.source for e in reason.facts}
    assert sources["assets[records].regimes"] is None
    assert "L1111-8" in str(sources["regime hds"])
    assert sources["catalog product candidate-cloud: certifications"] == "test register"


def test_a_qualified_offer_meets_the_regime_and_is_shown(methodology: Methodology) -> None:
    dep = _dep(methodology, _estate([], {"product": "qualified-cloud", "regimes": ["hds"]}))
    assert _regime_reasons(dep) == []
    shown = {r.rule for r in dep.exposure["data_control"].reasons}
    assert {"certified-security", "certified-secnumcloud"} <= shown


def test_a_certificate_past_its_end_is_expired(methodology: Methodology) -> None:
    dep = _dep(methodology, _estate([], {"product": "lapsed-cloud", "regimes": ["hds"]}))
    [reason] = _regime_reasons(dep)
    assert reason.rule == "hds-expired" and "2026-06-30" in reason.text("en")


def test_unknown_certification_is_not_assessed_not_non_compliant(
    methodology: Methodology,
) -> None:
    dep = _dep(methodology, _estate([], {"product": "silent-cloud", "regimes": ["hds"]}))
    [reason] = _regime_reasons(dep)
    assert reason.rule == "hds-unknown" and reason.not_assessed
    assert reason.score < 4
    # No offer named at all: not assessed either.
    dep = _dep(methodology, _estate([], {"regimes": ["hds"]}))
    [reason] = _regime_reasons(dep)
    assert reason.rule == "hds-unknown" and reason.not_assessed


def test_an_offer_the_register_does_not_list_breaks_the_regime(
    methodology: Methodology,
) -> None:
    """The catalog states, from the HDS register, that the offer holds no certificate:
    a confirmed finding, not a gap."""
    dep = _dep(methodology, _estate([], {"product": "unlisted-cloud", "regimes": ["hds"]}))
    [reason] = _regime_reasons(dep)
    assert reason.rule == "hds-not-held" and not reason.not_assessed
    assert dep.exposure["data_control"].score == 4
    assert dep.level == "critical" and not dep.provisional
    assert "does not list" in reason.text("en") and "L1111-8" in reason.text("en")
    assert "ne mentionne pas" in reason.text("fr")
    sources = {e.ref: e.source for e in reason.facts}
    assert sources["catalog product unlisted-cloud: certifications"] == "HDS register"
    estate = _estate([], {"product": "unlisted-cloud", "regimes": ["secnumcloud"]})
    [reason] = _regime_reasons(_dep(methodology, estate))
    assert reason.rule == "secnumcloud-required-not-held" and not reason.not_assessed
    assert "qualifiées SecNumCloud" in reason.text("fr")


def test_certificates_of_other_schemes_leave_the_required_one_unknown(
    methodology: Methodology,
) -> None:
    """An offer listed with ISO 27001 only: the catalog lists what it could source,
    so HDS is unknown (not assessed), never taken as absent."""
    dep = _dep(methodology, _estate([], {"product": "iso-cloud", "regimes": ["hds"]}))
    [reason] = _regime_reasons(dep)
    assert reason.rule == "hds-unknown" and reason.not_assessed


def test_a_provider_level_certificate_is_not_the_offers(methodology: Methodology) -> None:
    """Older catalogs wrote certifications on the provider: shown, never taken as the
    certificate of the offer used."""
    dep = _dep(methodology, _estate([], {"provider": "legacy", "regimes": ["hds"]}))
    [reason] = _regime_reasons(dep)
    assert reason.rule == "hds-unknown"
    [shown] = [
        r for r in dep.exposure["data_control"].reasons if r.rule == "provider-certification"
    ]
    assert "Legacy SAS" in shown.text("en") and shown.score == 0


def test_hds_covers_only_the_assets_that_name_it(methodology: Methodology) -> None:
    """hds is declared by the organisation, but only the assets holding health data
    name it: the others are not checked against it."""
    dep = _dep(methodology, _estate(["hds"], {"product": "candidate-cloud"}))
    assert _regime_reasons(dep) == []


def test_hds_follows_the_data_declared_health(methodology: Methodology) -> None:
    """An asset holding data declared health is under hds when the organisation
    declares it, whether or not the asset names the regime."""
    health = {"data": [{"id": "patients", "sensitivity": ["health"]}]}
    dep = _dep(methodology, _estate(["hds"], {"product": "candidate-cloud"}, **health))
    [reason] = _regime_reasons(dep)
    assert reason.rule == "hds-in-progress"
    assert "data[patients].sensitivity" in [e.ref for e in reason.cited]
    # Declared by no one: health data alone puts nothing under hds.
    assert (
        _regime_reasons(_dep(methodology, _estate([], {"product": "candidate-cloud"}, **health)))
        == []
    )


def test_on_premise_needs_no_certified_host(methodology: Methodology) -> None:
    estate = _estate(
        [], {"product": "candidate-cloud", "regimes": ["hds"], "deployment": "on-premise"}
    )
    assert _regime_reasons(_dep(methodology, estate)) == []


def test_secnumcloud_in_progress_is_not_qualified(methodology: Methodology) -> None:
    estate = _estate([], {"product": "candidate-cloud", "regimes": ["secnumcloud"]})
    dep = _dep(methodology, estate)
    [reason] = _regime_reasons(dep)
    assert reason.rule == "secnumcloud-required-in-progress"
    assert "6404/SG" in reason.text("en") and "6404/SG" in reason.text("fr")
    shown = {r.rule for r in dep.exposure["data_control"].reasons}
    assert "secnumcloud-in-progress" in shown and "certified-secnumcloud" not in shown


def test_dora_names_the_article_of_each_missing_clause(methodology: Methodology) -> None:
    contract = {
        "id": "hosting",
        "provider": "host",
        "clauses": {"data_portability": False, "exit_assistance": False, "audit_rights": True},
    }
    asset = {"product": "qualified-cloud", "contract": "hosting"}
    dep = _dep(methodology, _estate(["dora"], asset, contracts=[contract]))
    rules = {r.rule: r for r in _regime_reasons(dep, "contract")}
    assert set(rules) == {"dora-no-portability", "dora-no-exit-assistance"}
    assert "30(2)(d)" in rules["dora-no-portability"].text("en")
    assert "30(3)(f)" in rules["dora-no-exit-assistance"].text("en")
    assert dep.exposure["contract"].score == 4
    # Without dora among the regimes, the same contract gives no DORA reason.
    dep = _dep(methodology, _estate(["gdpr"], asset, contracts=[contract]))
    assert _regime_reasons(dep, "contract") == []


@pytest.mark.parametrize(("criticality", "floored"), [("vital", True), ("minor", False)])
def test_dora_clauses_for_critical_functions_floor_the_level_of_grave_processes(
    methodology: Methodology, criticality: str, floored: bool
) -> None:
    """Exit assistance (Art. 30(3)(f)) is required for services supporting critical or
    important functions: missing, the dependency of a vital process is at least high,
    whatever its exposure; a minor one is left to the matrix."""
    contract = {
        "id": "hosting",
        "provider": "host",
        "clauses": {"data_portability": True, "exit_assistance": False, "audit_rights": True},
    }
    asset = {
        "product": "qualified-cloud",
        "contract": "hosting",
        "deployment": "on-premise",
        "skills": "high",
        "licence": "MIT",
        "data": [],
        "continuity": {
            "rto": "1h",
            "backup": {
                "held_by": "organisation",
                "offline_copy": True,
                "last_restore_test": "2026-10-01",
            },
        },
    }
    dep = _dep(methodology, _estate(["dora"], asset, criticality, contracts=[contract]))
    [reason] = _regime_reasons(dep, "contract")
    assert reason.rule == "dora-no-exit-assistance"
    matrix = methodology.level(dep.gravity, round(dep.exposure_score))
    assert matrix in ("low", "medium")  # the matrix alone would not say high
    assert (dep.level == "high") is floored


@pytest.mark.parametrize(
    ("where", "value", "nearest"),
    [("organisation", "HDS", "hds"), ("asset", "secnumclod", "secnumcloud")],
)
def test_an_unknown_regime_is_refused_with_the_nearest(
    where: str, value: str, nearest: str
) -> None:
    if where == "organisation":
        estate = _estate([value], {})
        path: tuple[Any, ...] = ("organisation", "regimes", 0)
    else:
        estate = _estate([], {"regimes": [value]})
        path = ("assets", 0, "regimes", 0)
    with pytest.raises(InvalidInput) as caught:
        parse_estate(estate)
    [problem] = caught.value.problems
    assert problem.path == path
    assert nearest in str(problem.expected) and value in str(problem.found)
