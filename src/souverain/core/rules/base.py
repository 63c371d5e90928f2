"""What every predicate shares: the finding type, the registry and small helpers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple

from souverain.core.context import Entity, Evidence, View, chain_path


class Finding(NamedTuple):
    """What a predicate found: text parameters and evidence."""

    params: Mapping[str, str]
    evidence: Evidence
    not_assessed: bool = False


Predicate = Callable[[View, Mapping[str, Any]], list[Finding]]
PREDICATES: dict[str, Predicate] = {}


def predicate(function: Predicate) -> Predicate:
    """Register ``function`` under its own name."""
    PREDICATES[function.__name__] = function
    return function


def unknown(ref: str, **params: str) -> list[Finding]:
    return [Finding(params, Evidence(ref), not_assessed=True)]


def names(items: list[str]) -> str:
    return ", ".join(items)


def days_since(day: date, today: date) -> int:
    return (today - day).days


def reaching_laws(view: View, entities: tuple[Entity, ...], permit: str) -> list[Finding]:
    """Findings for each entity of ``entities`` reached by a law permitting ``permit``.

    Cached per chain: thousands of assets share a few hundred providers.
    """
    key = (tuple(e.id for e in entities), permit)
    cached = view.resolver.findings.get(key)
    if cached is None:
        cached = _reaching_laws(view, entities, permit)
        view.resolver.findings[key] = cached
    return list(cached)


def _reaching_laws(view: View, entities: tuple[Entity, ...], permit: str) -> list[Finding]:
    found = []
    for depth, entity in enumerate(entities):
        laws = [
            law for law in view.resolver.laws(entity.country, "control") if permit in law.permits
        ]
        if not laws:
            continue
        via = "" if depth == 0 else f" ← {entities[0].name}"  # the provider itself
        found.append(
            Finding(
                {
                    "entity": entity.name,
                    "country": entity.country or "?",
                    "laws": names([law.name for law in laws]),
                    "chain": " → ".join(e.name for e in chain_path(entities, depth)),
                    "via": via,
                },
                Evidence(
                    f"{entity.country_evidence.ref}; "
                    f"catalog jurisdiction {entity.country}: {laws[0].id}",
                    laws[0].source,
                    laws[0].as_of,
                ),
            )
        )
    return found


def applies_to_deployment(view: View, deployment: str | None, params: Mapping[str, Any]) -> bool:
    """Whether ``deployment`` is among the rule's ``deployments`` (unknown always is)."""
    wanted = params.get("deployments")
    return wanted is None or deployment is None or deployment in wanted
