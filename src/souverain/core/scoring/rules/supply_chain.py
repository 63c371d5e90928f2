"""Predicates of the supply chain axis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple, get_args

from souverain.core.catalog.sourced import DesignationList
from souverain.core.estate.model import Provider
from souverain.core.limits import METHODOLOGY_MAX_DEPTH
from souverain.core.scoring.context import Entity, Evidence, View, chain_path, ultimate_owners
from souverain.core.scoring.methodology import number, one_of, some_of, texts, whole
from souverain.core.scoring.rules.base import (
    ALL_ROLES,
    DEPLOYMENTS,
    LAW_FIELDS,
    PERMITS,
    Finding,
    applies_to_deployment,
    country_term,
    names,
    predicate,
    reaching_laws,
    unknown,
)
from souverain.core.scoring.rules.governance import community_product
from souverain.core.scoring.rules.processors import (
    VIAS,
    Hop,
    hops_from,
    merged_findings,
    named,
    requirement_groups,
    takes,
)


def _subcontractors(view: View) -> list[tuple[int, str]]:
    """(depth, provider id) of every subcontractor, breadth first."""
    if view.provider is None:
        return []
    providers = view.resolver.providers
    out: list[tuple[int, str]] = []
    seen = {view.provider.id}
    frontier = [view.provider.id]
    depth = 0
    while frontier:
        depth += 1
        nxt = []
        for ident in frontier:
            provider = providers.get(ident)
            for sub in provider.subcontractors if provider else []:
                if sub not in seen:
                    seen.add(sub)
                    out.append((depth, sub))
                    nxt.append(sub)
        frontier = nxt
    return out


@predicate(
    params={"min_depth": whole(1, METHODOLOGY_MAX_DEPTH, required=False)},
    fields=("provider", "subcontractors", "depth"),
)
def subcontracted(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The provider relies on subcontractors, ``min_depth`` levels deep or more."""
    subs = _subcontractors(view)
    if not subs or max(d for d, _ in subs) < int(params.get("min_depth", 1)):
        return []
    who = [view.resolver.chain(s)[0].name for _, s in subs]
    assert view.provider is not None
    return [
        Finding(
            {
                "provider": view.chain[0].name,
                "subcontractors": names(who),
                "depth": str(max(d for d, _ in subs)),
            },
            Evidence(f"providers[{view.provider.id}].subcontractors"),
        )
    ]


@predicate(params={"permit": one_of(*PERMITS)}, fields=(*LAW_FIELDS, "subcontractor"))
def subcontractor_chain_law(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A subcontractor's owner chain is reached by a law permitting ``permit``."""
    found = []
    for _, sub in _subcontractors(view):
        # A subcontractor works on the provider's behalf (hosting, processing,
        # operating): its role is not known from the asset, so it plays every role.
        chain = view.resolver.chain(sub)
        for finding in reaching_laws(view, chain, str(params["permit"]), ALL_ROLES)[:1]:
            name = view.resolver.chain(sub)[0].name
            found.append(finding._replace(params={**finding.params, "subcontractor": name}))
    return found


def _licensor(view: View) -> tuple[tuple[Entity, ...], Evidence] | None:
    """The owner chain of the asset's licensor, when the licensor is neither its
    provider nor one of the provider's owners (a company running another's technology
    under licence), and where the licensor was read."""
    from souverain.core.scoring.survivability import licensor_of, stand_ins

    found = licensor_of(view.asset, view.catalog, stand_ins(view.resolver))
    if found is None:
        return None
    names = {found.id}
    estate = view.resolver.providers.get(found.id) if found.estate else None
    if estate is not None and estate.catalog:
        names.add(estate.catalog)  # the same company, as the catalog knows it
    if any(e.id in names for e in view.chain):
        return None  # the provider itself, or one of its owners
    if found.estate:
        chain = view.resolver.chain(found.id)
    else:
        extended = view.resolver.extended([Provider(id=found.id, catalog=found.id)])
        chain = extended.chain(found.id)
    if not chain:
        return None
    return chain, Evidence(found.source)


@predicate(params={"permit": one_of(*PERMITS)}, fields=(*LAW_FIELDS, "licensor"))
def licensor_chain_law(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset runs technology licensed by another company than its operator, whose
    owner chain is reached by a law permitting ``permit``: its licence and updates can
    be stopped, though the operator itself may be out of that law's reach."""
    found = _licensor(view)
    if found is None:
        return []
    chain, source = found
    out = []
    for finding in reaching_laws(view, chain, str(params["permit"]))[:1]:
        cited = finding.cited or (finding.evidence,)
        out.append(
            finding._replace(
                params={**finding.params, "licensor": chain[0].name},
                cited=(source, *cited),
            )
        )
    return out


@predicate(fields=("licensor", "country"))
def licensed_technology(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset runs technology licensed by another company than its operator."""
    found = _licensor(view)
    if found is None:
        return []
    chain, source = found
    country = country_term(view.resolver.jurisdiction(chain[0].country), chain[0].country)
    return [
        Finding(
            {"licensor": chain[0].name, "country": country},
            source,
            cited=(source, chain[0].country_evidence),
        )
    ]


@predicate(
    params={"share": number(0, 1)},
    fields=("group", "count", "total"),
    reads=("estate_counts",),
)
def owner_group_concentration(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The provider's ultimate owner carries at least ``share`` of vital and important assets."""
    if not view.chain or view.facts.grave_total == 0:
        return []
    found = []
    total = view.facts.grave_total
    for top in ultimate_owners(view.chain):
        count = view.facts.groups.get(top.id, 0)
        if count < 2 or count / total < float(params["share"]):
            continue
        found.append(
            Finding(
                {"group": top.name, "count": str(count), "total": str(total)},
                Evidence("estate: assets with gravity vital or important, by ultimate owner"),
            )
        )
    return found


@predicate()
def provider_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset is not run in-house, yet no provider is named.

    Not for an asset run on the premises or a site, nor for a community project's
    software (its catalog product's provider is a commons) that the organisation runs
    itself: there is no provider to name.
    """
    if view.provider is not None or view.deployment in ("on-premise", "site"):
        return []
    if view.category is not None and view.category.id == "site":
        return []
    if view.deployment != "saas" and community_product(view) is not None:
        return []  # a commons run by the organisation or its hosts: no one provides it
    return unknown(view.field("provider"))


DESIGNATION_LISTS: tuple[str, ...] = get_args(DesignationList)
DESIGNATION_FIELDS = ("entity", "list", "authority", "since", "scope", "chain")


def _designations(view: View, entities: tuple[Entity, ...]) -> list[Finding]:
    """A finding per designation of an entity of the chain: the provider's own, and
    its owners' (a subsidiary of a designated parent is reached through it).

    Cached per chain, as :func:`reaching_laws` is.
    """
    key = (tuple(e.id for e in entities), "designations")
    cached = view.resolver.findings.get(key)
    if cached is not None:
        return list(cached)
    found = []
    for depth, entity in enumerate(entities):
        entry = view.catalog.providers.get(entity.catalog_id) if entity.catalog_id else None
        if entry is None:
            continue
        for designation in entry.designations:
            found.append(
                Finding(
                    {
                        "entity": entity.name,
                        "list": designation.listed_on,
                        "authority": designation.authority,
                        "since": designation.since.isoformat() if designation.since else "?",
                        "scope": designation.scope or "?",
                        "chain": " → ".join(e.name for e in chain_path(entities, depth)),
                    },
                    Evidence(
                        f"catalog provider {entry.id}: designations",
                        designation.source,
                        designation.as_of,
                    ),
                )
            )
    view.resolver.findings[key] = found
    return list(found)


@predicate(
    params={
        "lists": some_of(*DESIGNATION_LISTS, required=False),
        "categories": texts(required=False),
        "except_categories": texts(required=False),
    },
    fields=(*DESIGNATION_FIELDS, "category"),
)
def designated(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The provider, or an owner up its chain, is on a sanctions or high-risk-vendor
    list (``lists``: only those; all by default).

    With ``categories``, only for assets of those categories: where the vendor's code
    runs with privileges on the organisation's systems (security agents, remote
    support), a designation is an open door, not only a supplier risk. With
    ``except_categories``, only for assets of other categories.
    """
    wanted = params.get("categories")
    category = view.category.id if view.category is not None else view.asset.category
    if wanted is not None and category not in wanted:
        return []
    if category is not None and category in params.get("except_categories", ()):
        return []
    lists = params.get("lists")
    found = _designations(view, view.chain)
    return [
        f._replace(params={**f.params, "category": category or "?"})
        for f in found
        if lists is None or f.params["list"] in lists
    ]


class _Designated(NamedTuple):
    """A designation found past the asset's own chain: the sub-processor it comes
    through, the path to the designated entity and the finding (its facts cited)."""

    processor: str
    path: str
    finding: Finding


def _designated_through(view: View, provider_id: str, host: bool) -> list[_Designated]:
    """The designations of ``provider_id``'s subcontractors' chains, transitively, and
    with ``host`` of its own chain first (the provider of a required asset: the
    processor and the head of the path are then left to the caller). The hops are
    those of the jurisdiction axis (rules.processors). Cached per provider."""
    kind = "host" if host else "subcontractors"
    key = ((provider_id,), f"designated {kind}")
    cached: list[_Designated] | None = view.resolver.findings.get(key)
    if cached is None:
        top = view.resolver.chain(provider_id)[0]
        hops = list(hops_from(view, provider_id, (named(top),), ()))
        if host:
            hops.insert(0, Hop(provider_id, (), (), ()))
        cached = []
        for hop in hops:
            chain = view.resolver.chain(hop.provider)
            for found in _designations(view, chain):
                cached.append(
                    _Designated(
                        "" if host and not hop.through else chain[0].name,
                        " → ".join((*hop.names, found.params["chain"])),
                        found._replace(cited=(*hop.cited, found.evidence)),
                    )
                )
        view.resolver.findings[key] = cached
    return cached


def _merged_designations(
    view: View, found: list[tuple[_Designated, tuple[Evidence, ...]]]
) -> list[Finding]:
    """One finding per designated entity and list (:func:`merged_findings`); the
    asset's own chain left out (the ``designated`` rules name it)."""
    own = {e.name for e in view.chain}
    return merged_findings(
        (
            (d.finding.params["entity"], d.finding.params["list"]),
            d.finding,
            d.processor,
            d.path,
            (*first, *d.finding.cited),
        )
        for d, first in found
        if d.finding.params["entity"] not in own
    )


@predicate(
    params={
        "via": one_of(*VIAS),
        "lists": some_of(*DESIGNATION_LISTS, required=False),
        "deployments": some_of(*DEPLOYMENTS, required=False),
    },
    fields=(*DESIGNATION_FIELDS, "processor", "path"),
    reads=("hosts",),
)
def designated_processor(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A sub-processor of the asset, or an owner up its chain, is designated on a
    sanctions or high-risk-vendor list (``lists``: only those): with ``via: host``, the
    provider of an asset it requires (a plain requirement or an ``any_of`` member), or
    one of that provider's subcontractors (``deployments``: the required asset's); with
    ``via: subcontractor``, one of its provider's subcontractors, transitively
    (``deployments``: the asset's). The same hops as the jurisdiction axis's
    sub-processors (:func:`~souverain.core.scoring.rules.processors.processor_law`),
    with the path in the finding."""
    lists = params.get("lists")
    found: list[tuple[_Designated, tuple[Evidence, ...]]] = []
    if params["via"] == "host":
        for members in requirement_groups(view):
            for host in members:
                if host is None or not host.provider:
                    continue
                through = _designated_through(view, host.provider, True)
                if not through or not takes(view, host, params):
                    continue  # most hosts: nothing designated on the way (cached)
                name = host.name or host.id
                first: tuple[Evidence, ...] = (
                    Evidence(view.field("depends_on")),
                    Evidence(f"assets[{host.id}].provider"),
                )
                for designated in through:
                    found.append(
                        (
                            designated._replace(
                                processor=designated.processor or name,
                                path=f"{name} → {designated.path}",
                            ),
                            first,
                        )
                    )
    else:
        if view.provider is None:
            return []
        if not applies_to_deployment(view, view.deployment, params):
            return []
        link = Evidence(f"providers[{view.provider.id}].subcontractors")
        found = [(d, (link,)) for d in _designated_through(view, view.provider.id, False)]
    return [
        f for f in _merged_designations(view, found) if lists is None or f.params["list"] in lists
    ]
