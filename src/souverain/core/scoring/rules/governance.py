"""Predicates of open-source governance (lock-in axis), and what the other axes ask of
a provider's kind.

A provider is a ``company`` or a ``community`` (docs/catalog.md, "Providers"): a
project or foundation whose software is a commons. For a community, the country and
contract rules ask the wrong question — code under an open licence cannot be withdrawn
and nothing is bought — and governance answers instead: who steers the project, and
whether one company holds the right to relicense it (as HashiCorp did with Terraform
in 2023, Elastic in 2021, Redis in 2024).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from souverain.core.catalog.licences import is_open_licence
from souverain.core.catalog.model import CatalogProvider, Governance, Steward
from souverain.core.scoring.context import Evidence, View
from souverain.core.scoring.methodology import flag, some_of
from souverain.core.scoring.rules.base import Finding, names, predicate

STEWARDS: tuple[str, ...] = get_args(Steward)


def provider_kind(view: View) -> tuple[str | None, Evidence]:
    """The kind of the asset's provider: what the estate says, else its catalog
    entry's; None without a provider."""
    provider = view.provider
    if provider is None:
        return None, Evidence(view.field("provider"))
    if provider.kind is not None:
        return provider.kind, Evidence(f"providers[{provider.id}].kind")
    entry = view.catalog.providers.get(provider.catalog) if provider.catalog else None
    if entry is None:
        return "company", Evidence(f"providers[{provider.id}].kind")
    return entry.kind, Evidence(f"catalog provider {entry.id}: kind", entry.source, entry.as_of)


def is_community(view: View) -> bool:
    """Whether the asset's provider is a community (a project or a foundation)."""
    return provider_kind(view)[0] == "community"


def community_product(view: View) -> CatalogProvider | None:
    """The catalog provider of the asset's product when it is a community."""
    product = view.product
    entry = view.catalog.providers.get(product.provider) if product else None
    return entry if entry is not None and entry.kind == "community" else None


def _steward(view: View) -> tuple[CatalogProvider, Governance] | None:
    """Who governs the asset's software: its product's provider if the catalog knows
    its governance, else the catalog entry of the asset's provider."""
    candidates = []
    if view.product is not None:
        candidates.append(view.catalog.providers.get(view.product.provider))
    if view.provider is not None and view.provider.catalog:
        candidates.append(view.catalog.providers.get(view.provider.catalog))
    for entry in candidates:
        if entry is not None and entry.governance is not None:
            return entry, entry.governance
    return None


def _open_licence(view: View) -> tuple[str | None, Evidence]:
    """The asset's licence if it is an open one, with its evidence."""
    licence, evidence = view.licence
    return (licence if licence is not None and is_open_licence(licence) else None), evidence


def _ref(entry: CatalogProvider, name: str) -> str:
    return f"catalog provider {entry.id}: governance.{name}"


@predicate(params={"relicensed": flag()}, fields=("steward", "licence", "changes"))
def steward_can_relicense(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The software is under an open licence, but a single company steers it and
    holds the right to relicense it (a contributor agreement, or owning all of the
    code). With ``relicensed``: only if it has already changed the licence; without:
    only if it never did."""
    found = _steward(view)
    licence, licence_evidence = _open_licence(view)
    if found is None or licence is None:
        return []
    entry, governance = found
    if governance.steward.value != "single-vendor" or governance.relicensing is None:
        return []
    if not governance.relicensing.value:
        return []
    changes = governance.licence_changes
    if bool(changes) != bool(params.get("relicensed", False)):
        return []
    relicensing = Evidence.of_fact(_ref(entry, "relicensing"), governance.relicensing)
    return [
        Finding(
            {
                "steward": entry.name,
                "licence": licence,
                "changes": names(
                    [f"{c.before} → {c.after} ({c.changed.isoformat()})" for c in changes]
                ),
            },
            relicensing,
            cited=(
                licence_evidence,
                Evidence.of_fact(_ref(entry, "steward"), governance.steward),
                relicensing,
                *(Evidence(_ref(entry, "licence_changes"), c.source, c.as_of) for c in changes),
            ),
        )
    ]


@predicate(fields=("steward",))
def contributors_concentrated(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The catalog records low contributor diversity: the project lives on a few
    contributors, most of them from one organisation (its bus factor)."""
    found = _steward(view)
    if found is None or _open_licence(view)[0] is None:
        return []
    entry, governance = found
    if governance.contributors is None or governance.contributors.value != "low":
        return []
    return [
        Finding(
            {"steward": entry.name},
            Evidence.of_fact(_ref(entry, "contributors"), governance.contributors),
        )
    ]


@predicate(params={"stewards": some_of(*STEWARDS)}, fields=("steward",))
def governed_by(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The software is open and its steward is one of ``stewards``."""
    found = _steward(view)
    if found is None or _open_licence(view)[0] is None:
        return []
    entry, governance = found
    if governance.steward.value not in params["stewards"]:
        return []
    return [
        Finding(
            {"steward": entry.name},
            Evidence.of_fact(_ref(entry, "steward"), governance.steward),
        )
    ]


@predicate(fields=("steward", "forks"))
def fork_available(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The project has an open fork kept by another steward: a way out if it closes."""
    found = _steward(view)
    if found is None:
        return []
    entry, governance = found
    if not governance.forks:
        return []
    forks = [f"{f.name} ({f.steward})" if f.steward else f.name for f in governance.forks]
    first = governance.forks[0]
    return [
        Finding(
            {"steward": entry.name, "forks": names(forks)},
            Evidence(_ref(entry, "forks"), first.source, first.as_of),
            cited=tuple(
                Evidence(_ref(entry, "forks"), f.source, f.as_of) for f in governance.forks
            ),
        )
    ]
