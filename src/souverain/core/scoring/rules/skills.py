"""Predicates of the skills axis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from souverain.core.scoring.context import Evidence, View
from souverain.core.scoring.methodology import one_of
from souverain.core.scoring.rules.base import Finding, predicate, unknown
from souverain.core.terms import term
from souverain.core.vocabulary import MASTERY


def _mastery(view: View) -> str | None:
    return view.asset.skills


@predicate(
    params={"value": one_of(*MASTERY)},
    fields=("mastery",),
    reads=("skills",),
    selects=(_mastery, "value"),
)
def mastery_is(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """In-house mastery of the asset is ``value``."""
    if view.asset.skills == params["value"]:
        return [
            Finding(
                {"mastery": term("mastery", str(view.asset.skills))}, Evidence(view.field("skills"))
            )
        ]
    return []


@predicate(reads=("skills",))
def mastery_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """In-house mastery of the asset is not assessed."""
    if view.category is not None and view.category.id == "site":
        return []
    return unknown(view.field("skills")) if view.asset.skills is None else []
