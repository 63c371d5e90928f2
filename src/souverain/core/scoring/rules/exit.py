"""Predicates of the exit readiness axis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from souverain.core.catalog.licences import is_open_licence
from souverain.core.limits import METHODOLOGY_MAX_DAYS
from souverain.core.scoring.context import Evidence, View, licence_of
from souverain.core.scoring.methodology import one_of, some_of, whole
from souverain.core.scoring.rules.base import (
    YES_NO_CLAUSES,
    Finding,
    days_since,
    names,
    predicate,
)
from souverain.core.scoring.survivability import licence_terms_of, licensor_of, stand_ins
from souverain.core.terms import term
from souverain.core.vocabulary import MASTERY

# Where a source-code escrow helps: software the organisation runs itself. Released
# code lets it take over maintenance; for software run as a service, the code without
# the provider's infrastructure and data keeps nothing running.
ESCROW_DEPLOYMENTS = frozenset(("on-premise", "device"))
ESCROW_STATES = ("tested", "untested", "hosted")


@predicate(fields=("alternative",), reads=("exit",))
def alternative_identified(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """An alternative to the asset is named."""
    exit_plan = view.asset.exit
    if exit_plan and exit_plan.alternative:
        alternative = view.catalog.products.get(exit_plan.alternative)
        name = alternative.name if alternative else exit_plan.alternative
        return [Finding({"alternative": name}, Evidence(view.field("exit.alternative")))]
    return []


def _export_test(view: View, recent: bool, days: int) -> list[Finding]:
    """The last export test, if it is within ``days`` days (``recent``) or older (not)."""
    exit_plan = view.asset.exit
    if exit_plan is None or exit_plan.export_tested is None:
        return []
    age = days_since(exit_plan.export_tested, view.facts.today)
    if (age <= days) != recent:
        return []
    return [
        Finding(
            {"when": exit_plan.export_tested.isoformat(), "days": str(age)},
            Evidence(view.field("exit.export_tested")),
        )
    ]


@predicate(
    params={"days": whole(0, METHODOLOGY_MAX_DAYS)}, fields=("when", "days"), reads=("exit",)
)
def export_tested_within(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A data export was tested within ``days`` days."""
    return _export_test(view, True, int(params["days"]))


@predicate(
    params={"days": whole(0, METHODOLOGY_MAX_DAYS)}, fields=("when", "days"), reads=("exit",)
)
def export_tested_before(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A data export was tested, but more than ``days`` days ago."""
    return _export_test(view, False, int(params["days"]))


@predicate(params={"value": one_of(*MASTERY)}, fields=("mastery",), reads=("skills",))
def mastery_at_least(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """In-house mastery is at least ``value``."""
    order = ["none", "low", "medium", "high"]
    skills = view.asset.skills
    if skills is None or order.index(skills) < order.index(str(params["value"])):
        return []
    return [Finding({"mastery": term("mastery", str(skills))}, Evidence(view.field("skills")))]


@predicate(
    params={"clauses": some_of(*YES_NO_CLAUSES)},
    fields=("contract", "clauses"),
    reads=("contract",),
)
def exit_clauses(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The contract grants every clause in ``clauses``."""
    contract = view.contract
    clauses = contract.clauses if contract else None
    if contract is None or clauses is None:
        return []
    wanted = [str(c) for c in params["clauses"]]
    if all(getattr(clauses, c) is True for c in wanted):
        return [
            Finding(
                {"contract": contract.id, "clauses": names(wanted)},
                Evidence(f"contracts[{contract.id}].clauses"),
            )
        ]
    return []


def _licensor_name(view: View) -> str:
    """The name of whoever licenses the asset's technology, "?" when unknown."""
    found = licensor_of(view.asset, view.catalog, stand_ins(view.resolver))
    if found is None:
        return "?"
    if found.estate:
        return view.resolver.chain(found.id)[0].name
    entry = view.catalog.providers.get(found.id)
    return entry.name if entry else found.id


@predicate(
    params={"state": one_of(*ESCROW_STATES), "days": whole(0, METHODOLOGY_MAX_DAYS)},
    fields=("licensor", "when", "days", "deployment"),
)
def licence_escrow(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset's closed-source software is in escrow (``licence_terms.escrow``, the
    asset's over its product's). ``state``: ``tested``, run by the organisation (on
    premises or on a device) and the escrow tested within ``days`` days
    (``escrow_tested``); ``untested``, run so but never tested or not within ``days``;
    ``hosted``, run as a service or off the premises, where released code keeps nothing
    running. Open-source software needs no escrow: nothing is found for it."""
    terms, facts = licence_terms_of(view.asset, view.product)
    if terms is None or terms.escrow is not True or terms.model == "open-source":
        return []
    licence, _ = licence_of(view.asset, view.product)
    if licence is not None and is_open_licence(licence):
        return []
    state = str(params["state"])
    deployment = view.deployment
    tested = terms.escrow_tested
    age = days_since(tested, view.facts.today) if tested else None
    if deployment not in ESCROW_DEPLOYMENTS:
        found = "hosted" if deployment is not None else None
    elif age is not None and 0 <= age <= int(params["days"]):
        found = "tested"
    else:
        found = "untested"
    if found != state:
        return []
    evidence = facts[-1] if facts else Evidence(view.field("licence_terms"))
    return [
        Finding(
            {
                "licensor": _licensor_name(view),
                "when": tested.isoformat() if tested else "?",
                "days": "?" if age is None else str(age),
                "deployment": deployment or "?",
            },
            evidence,
            cited=facts if len(facts) > 1 else (),
        )
    ]
