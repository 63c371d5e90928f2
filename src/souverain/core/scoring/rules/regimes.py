"""Predicates of the regimes an organisation declares (souverain.core.estate.regimes).

A regime applies to an asset when the asset names it (``assets[].regimes``), or
when the organisation declares it (``organisation.regimes``) and it covers the
whole organisation, or the asset holds data of a sensitivity it governs (health data
for ``hds``). These predicates check what the regime requires of the asset's
offer or contract; a requirement the catalog or the estate cannot settle is not
assessed, never "not met".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from souverain.core.estate.regimes import REGIME_IDS, REGIMES
from souverain.core.scoring.context import Evidence, View
from souverain.core.scoring.methodology import one_of, some_of, texts
from souverain.core.scoring.rules.base import (
    DEPLOYMENTS,
    YES_NO_CLAUSES,
    Finding,
    applies_to_deployment,
    predicate,
)
from souverain.core.scoring.sensitivity import sensitive_kinds


def _under(view: View, regime: str) -> Evidence | None:
    """The fact that puts the asset under ``regime``, or None if it is not."""
    if regime in view.asset.regimes:
        return Evidence(view.field("regimes"))
    known = REGIMES[regime]
    if regime not in view.estate.organisation.regimes:
        return None
    if known.scope == "organisation":
        return Evidence("organisation.regimes")
    for kind, sensitivities in sorted(sensitive_kinds(view).items()):
        if any(s in known.data for s in sensitivities):
            return Evidence(f"data[{kind}].sensitivity")
    return None


def _regime_evidence(regime: str) -> Evidence:
    known = REGIMES[regime]
    return Evidence(f"regime {regime}", known.source, known.as_of)


@predicate(
    params={
        "regime": one_of(*REGIME_IDS),
        "schemes": texts(),
        "status": one_of("in-progress", "expired", "not-held", "unknown"),
        "deployments": some_of(*DEPLOYMENTS, required=False),
    },
    fields=("regime", "offer", "scheme", "status", "since", "until", "scope"),
)
def regime_certification(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """An asset under ``regime``, deployed one of ``deployments`` (hosted by a third
    party), whose offer holds no valid certificate of one of ``schemes``: it holds one
    only in progress or expired, or the scheme's register states it does not hold one
    (``not-held``) — confirmed findings, from sourced catalog facts —, or nothing is
    known (``unknown``, not assessed: the asset names no catalog offer, or the catalog
    states nothing of these schemes for it; it lists the certificates it could source,
    not every one, so silence is never taken for absence).
    """
    regime = str(params["regime"])
    under = _under(view, regime)
    if under is None or view.deployment == "on-premise":
        return []
    if not applies_to_deployment(view, view.deployment, params):
        return []
    schemes = [str(s) for s in params["schemes"]]
    wanted_schemes = {s.casefold() for s in schemes}
    product = view.product
    certifications = product.certifications if product is not None else []
    held = [c for c in certifications if c.scheme.casefold() in wanted_schemes]
    statuses = {c.status_on(view.facts.today) for c in held}
    if "qualified" in statuses:
        return []
    wanted = str(params["status"])
    common = {
        "regime": regime,
        "offer": product.name if product else "?",
        "scheme": " / ".join(schemes),
    }
    if wanted == "unknown":
        if held:
            return []
        ref = f"catalog product {product.id}: certifications" if product else view.field("product")
        return [
            Finding(
                {**common, "status": "?", "since": "?", "until": "?", "scope": "?"},
                Evidence(ref),
                not_assessed=True,
                cited=(under, Evidence(ref), _regime_evidence(regime)),
            )
        ]
    if product is None:
        return []
    found = []
    for certification in held:
        if certification.status_on(view.facts.today) != wanted:
            continue
        evidence = Evidence(
            f"catalog product {product.id}: certifications",
            certification.source,
            certification.as_of,
        )
        found.append(
            Finding(
                {
                    **common,
                    "scheme": certification.scheme,
                    "status": wanted,
                    "since": certification.since.isoformat() if certification.since else "?",
                    "until": certification.until.isoformat() if certification.until else "?",
                    "scope": certification.scope or "?",
                },
                evidence,
                cited=(under, evidence, _regime_evidence(regime)),
            )
        )
    return found[:1]


@predicate(
    params={"regime": one_of(*REGIME_IDS), "clause": one_of(*YES_NO_CLAUSES)},
    fields=("regime", "contract", "provider"),
    reads=("contract",),
)
def regime_clause_missing(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """An asset under ``regime`` provided by a third party, whose contract says it
    lacks ``clause`` (``false``; an unknown clause is left to ``clauses_unknown``)."""
    regime = str(params["regime"])
    under = _under(view, regime)
    contract = view.contract
    if under is None or view.provider is None or contract is None or contract.clauses is None:
        return []
    if getattr(contract.clauses, str(params["clause"])) is not False:
        return []
    evidence = Evidence(f"contracts[{contract.id}].clauses.{params['clause']}")
    return [
        Finding(
            {"regime": regime, "contract": contract.id, "provider": view.chain[0].name},
            evidence,
            cited=(under, evidence, _regime_evidence(regime)),
        )
    ]
