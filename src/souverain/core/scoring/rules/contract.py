"""Predicates of the contract axis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from souverain.core.limits import METHODOLOGY_MAX_DAYS
from souverain.core.scoring.context import Evidence, View
from souverain.core.scoring.methodology import one_of, some_of, whole
from souverain.core.scoring.rules.base import (
    CLAUSES,
    YES_NO_CLAUSES,
    Finding,
    names,
    predicate,
    unknown,
)
from souverain.core.scoring.rules.governance import is_community


@predicate(fields=("provider",), reads=("contract",))
def no_contract(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A provider is named, but no contract is linked.

    Not for a community (a project or foundation) whose software the organisation
    runs itself: there is nothing to contract for. A service run by a community
    (``saas``) still has terms worth linking.
    """
    if view.provider is None or view.contract is not None:
        return []
    if view.deployment != "saas" and is_community(view):
        return []
    return unknown(view.field("contract"), provider=view.chain[0].name)


def _clauses_given(view: View) -> bool:
    return view.contract is not None and view.contract.clauses is not None


@predicate(
    params={"clause": one_of(*YES_NO_CLAUSES)},
    fields=("contract",),
    reads=("contract",),
    selects=(_clauses_given, None),
)
def clause_missing(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The contract lacks clause ``clause`` (explicitly false)."""
    contract = view.contract
    clauses = contract.clauses if contract else None
    if contract is None or clauses is None or getattr(clauses, str(params["clause"])) is not False:
        return []
    return [
        Finding(
            {"contract": contract.id},
            Evidence(f"contracts[{contract.id}].clauses.{params['clause']}"),
        )
    ]


@predicate(
    params={"clauses": some_of(*CLAUSES)}, fields=("clauses", "contract"), reads=("contract",)
)
def clauses_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Some of the listed clauses are not assessed in the linked contract."""
    contract = view.contract
    if contract is None:
        return []
    wanted = [str(c) for c in params["clauses"]]
    clauses = contract.clauses
    missing = [c for c in wanted if clauses is None or getattr(clauses, c) is None]
    if not missing:
        return []
    return unknown(
        f"contracts[{contract.id}].clauses", clauses=names(missing), contract=contract.id
    )


@predicate(
    params={"days": whole(0, METHODOLOGY_MAX_DAYS)},
    fields=("days", "contract"),
    reads=("contract",),
)
def notice_longer_than(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Leaving needs more than ``days`` days of notice."""
    contract = view.contract
    days = contract.clauses.termination_notice_days if contract and contract.clauses else None
    if contract is None or days is None or days <= int(params["days"]):
        return []
    return [
        Finding(
            {"days": str(days), "contract": contract.id},
            Evidence(f"contracts[{contract.id}].clauses.termination_notice_days"),
        )
    ]


@predicate(
    params={"days": whole(0, METHODOLOGY_MAX_DAYS)},
    fields=("ends", "days", "contract"),
    reads=("contract",),
)
def contract_ends_soon(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The contract ends within ``days`` days (or has ended)."""
    contract = view.contract
    if contract is None or contract.ends is None:
        return []
    left = (contract.ends - view.facts.today).days
    if left > int(params["days"]):
        return []
    return [
        Finding(
            {"ends": contract.ends.isoformat(), "days": str(left), "contract": contract.id},
            Evidence(f"contracts[{contract.id}].ends"),
        )
    ]
