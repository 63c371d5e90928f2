"""What a scenario may name, and the problem of a name the estate does not know, with
the nearest known names (countries by code, alias or name in any catalog language)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from souverain.core.errors import Problem
from souverain.core.scenarios.spec import (
    COUNTRY_ALIASES,
    EXPECTED,
    NO_SUCH,
    Scenario,
    did_you_mean,
    nearest,
)

if TYPE_CHECKING:
    from souverain.core.scenarios.graph import ScenarioGraph


def problems_of(graph: ScenarioGraph, scenario: Scenario) -> list[Problem]:
    """What ``scenario`` names that this graph does not know, each with the nearest
    known names. A country the catalog or the estate knows, but that reaches none of
    the estate's providers, is known: losing it truly loses nothing."""
    problems = []
    for kind, value in scenario.losses:
        if not _knows(graph, kind, value):
            problems.append(unknown_name(graph, kind, value))
    return problems


def _knows(graph: ScenarioGraph, kind: str, value: str) -> bool:
    if kind == "provider":
        return f"provider:{value}" in graph.index
    if kind in ("site", "asset"):
        return f"asset:{value}" in graph.index
    if kind == "owner":
        return value in graph.owner_reach or value in graph.owner_licensors
    if kind in ("jurisdiction", "sanction"):
        return value in graph.countries
    if kind == "region":
        return value.casefold() in graph.by_region()
    return value in graph.products


def unknown_name(graph: ScenarioGraph, kind: str, value: str) -> Problem:
    """The problem of a loss naming what is not known, with the nearest names."""
    estate = graph.estate
    known: dict[str, str] = {}
    if kind == "provider":
        known = {p.id.casefold(): p.id for p in estate.providers}
    elif kind in ("site", "asset"):
        sites = [a for a in estate.assets if a.category == "site"] if kind == "site" else []
        known = {a.id.casefold(): a.id for a in sites or estate.assets}
        if sites and not nearest(value, known):
            known = {a.id.casefold(): a.id for a in estate.assets}
    elif kind == "owner":
        known = {o.casefold(): o for o in (*graph.owner_reach, *graph.owner_licensors)}
    elif kind == "region":
        for asset in estate.assets:
            if asset.location and asset.location.region:
                known.setdefault(asset.location.region.casefold(), asset.location.region)
    elif kind == "product":
        known = {p.casefold(): p for p in sorted(graph.products)}
    if kind not in ("jurisdiction", "sanction"):
        suggestions = nearest(value, known)
    else:
        suggestions = _nearest_countries(graph, value)
    message = NO_SUCH[kind](did_you_mean(suggestions))
    return Problem(("scenario",), message, EXPECTED[kind], repr(value))


def _nearest_countries(graph: ScenarioGraph, value: str) -> list[str]:
    """Known country codes near ``value``: the one a usual alias (UK for GB), a
    three-letter code (USA, FRA: its first two letters) or a name in a language of
    the catalog (Germany, Allemagne) points to; else those whose name or code is
    spelt alike."""
    codes = graph.countries
    upper = value.upper()
    names = {n.casefold(): code for code, ns in codes.items() for n in ns}
    sure = [COUNTRY_ALIASES.get(upper), upper[:2] if len(upper) == 3 else None]
    sure.append(names.get(value.casefold()))
    found = [c for c in sure if c in codes]
    if found:
        return list(dict.fromkeys(found))
    found = nearest(value, names, cutoff=0.75) + nearest(value, {c.casefold(): c for c in codes})
    return list(dict.fromkeys(found))[:3]
