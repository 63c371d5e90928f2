"""Predicates of the jurisdiction axis for the sub-processors of a dependency.

A law that reaches the entity hosting or processing the data reaches the data, whoever
resells the service: a host holding data in its "possession, custody, or control" can
be compelled directly (CLOUD Act, 18 U.S.C. §2713), and an order to the host stops the
service it carries. These predicates follow, beyond the provider's own owner chain
(:func:`~souverain.core.scoring.rules.jurisdiction.owner_chain_law`):

- the provider's ``subcontractors``, transitively, each with its own owner chain;
- the assets the asset requires (plain requirements and ``any_of`` members), through
  their providers' owner chains and those providers' subcontractors.

Each finding names the path from the dependency to the entity the law reaches, and
cites every fact on it: each subcontracting or requirement link, the countries printed
along the path, and each law.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from souverain.core.estate.model import AnyOf, Asset
from souverain.core.scoring.context import Entity, Evidence, View, chain_path
from souverain.core.scoring.methodology import one_of, some_of, texts
from souverain.core.scoring.rules.base import (
    ALL_ROLES,
    DEPLOYMENTS,
    HOLDERS,
    LAW_FIELDS,
    PERMITS,
    ROLE_KEYS,
    Finding,
    applies_to_deployment,
    predicate,
    reaching_laws,
    roles_of,
)

# Who may hold an asset's keys, as rules' ``keys_held_by`` name them: "unknown" when
# the estate does not say (unknown is never safe: it goes with the exposed holders).
KEY_HOLDERS: tuple[str, ...] = (*HOLDERS, "unknown")
# The ways to a sub-processor.
VIAS = ("subcontractor", "host")
# The fields of a finding of :func:`processor_law`.
PROCESSOR_FIELDS = (*LAW_FIELDS, "processor", "path")


def applies_to_keys(view: View, params: Mapping[str, Any]) -> bool:
    """Whether who holds the asset's keys is among the rule's ``keys_held_by``."""
    wanted = params.get("keys_held_by")
    if wanted is None:
        return True
    encryption = view.asset.encryption
    holder = encryption.keys_held_by if encryption else None
    return (holder or "unknown") in wanted


class Hop(NamedTuple):
    """A way to a sub-processor: the provider at its end, the names printed before its
    own chain and the facts of the links."""

    provider: str
    through: tuple[str, ...]  # provider ids on the way, the sub-processor included
    names: tuple[str, ...]
    cited: tuple[Evidence, ...]


def named(entity: Entity) -> str:
    return f"{entity.name} ({entity.country})" if entity.country else entity.name


def subprocessors(view: View, provider_id: str) -> tuple[tuple[str, ...], ...]:
    """Every subcontractor of ``provider_id``, transitively, breadth first: the ids from
    the first subcontractor down to it. Cached per provider: thousands of assets share
    a few hundred providers."""
    key = ((provider_id,), "subprocessors")  # permits never read "subprocessors"
    cached = view.resolver.findings.get(key)
    if cached is None:
        providers = view.resolver.providers
        cached = []
        seen = {provider_id}
        frontier: list[tuple[str, ...]] = [()]
        while frontier:
            following = []
            for path in frontier:
                provider = providers.get(path[-1] if path else provider_id)
                for sub in provider.subcontractors if provider else ():
                    if sub not in seen:
                        seen.add(sub)
                        cached.append((*path, sub))
                        following.append((*path, sub))
            frontier = following
        view.resolver.findings[key] = cached
    return tuple(cached)


def hops_from(
    view: View, start: str, names: tuple[str, ...], cited: tuple[Evidence, ...]
) -> Iterator[Hop]:
    """The subcontractors of provider ``start``, transitively, as hops after ``names``."""
    chain = view.resolver.chain
    for path in subprocessors(view, start):
        hop_names = list(names)
        hop_cited = list(cited)
        previous = start
        for ident in path[:-1]:
            entity = chain(ident)[0]
            hop_cited.append(Evidence(f"providers[{previous}].subcontractors"))
            hop_names.append(named(entity))
            if entity.country:
                hop_cited.append(entity.country_evidence)
            previous = ident
        hop_cited.append(Evidence(f"providers[{previous}].subcontractors"))
        yield Hop(path[-1], path, tuple(hop_names), tuple(hop_cited))


class _Reach(NamedTuple):
    """One entity a law reaches at the end of a hop."""

    entity: str  # its id
    country: str
    processor: str
    path: str
    finding: Finding
    through: tuple[str, ...]  # the subcontractors on the way


def _reached(
    view: View, hop: Hop, processor: str, permit: str, roles: frozenset[str]
) -> Iterator[_Reach]:
    """The entities of the hop's sub-processor chain reached by a law permitting
    ``permit`` that compels a provider playing one of ``roles``."""
    chain = view.resolver.chain(hop.provider)
    for found in reaching_laws(view, chain, permit, roles):
        params = found.params
        index = next(
            (
                i
                for i, e in enumerate(chain)
                if e.name == params["entity"] and (e.country or "?") == params["country"]
            ),
            len(chain) - 1,
        )
        entities = chain_path(chain, index)
        on_the_way = tuple(e.country_evidence for e in entities[:-1] if e.country)
        yield _Reach(
            entities[-1].id,
            params["country"],
            processor,
            " → ".join((*hop.names, *(named(e) for e in entities))),
            found._replace(cited=(*hop.cited, *on_the_way, *(found.cited or (found.evidence,)))),
            hop.through,
        )


def _through_provider(
    view: View, provider_id: str, permit: str, host: bool, roles: frozenset[str] = ALL_ROLES
) -> list[_Reach]:
    """What a law permitting ``permit`` reaches through ``provider_id``'s subcontractors,
    transitively, and with ``host`` through its own chain first (the provider of a
    required asset: paths then start at that chain, the asset's name left to prepend).
    ``roles``: what these providers are for the asset (:func:`roles_of`; a
    subcontractor's role is not known: every role). Cached per provider and roles, as
    :func:`reaching_laws` is per chain."""
    kind = "host" if host else "subcontractors"
    suffix = ROLE_KEYS.get(roles) or "|" + "|".join(sorted(roles))
    key = ((provider_id,), f"{kind} {permit} {suffix}")
    cached: list[_Reach] | None = view.resolver.findings.get(key)
    if cached is None:
        top = view.resolver.chain(provider_id)[0]
        cited = (top.country_evidence,) if top.country else ()
        hops = list(hops_from(view, provider_id, (named(top),), cited))
        if host:
            hops.insert(0, Hop(provider_id, (), (), ()))
        chain = view.resolver.chain
        cached = [
            reach
            for hop in hops
            for reach in _reached(
                view, hop, "" if host else chain(hop.provider)[0].name, permit, roles
            )
        ]
        view.resolver.findings[key] = cached
    return cached


def _via_host(host: Asset, reach: _Reach) -> _Reach:
    """A reach through a host's provider, as seen from an asset requiring the host: the
    link from that asset to the host is cited by :func:`_merged`, first."""
    name = host.name or host.id
    finding = reach.finding
    return reach._replace(
        processor=name,
        path=f"{name} → {reach.path}",
        finding=finding._replace(cited=(Evidence(f"assets[{host.id}].provider"), *finding.cited)),
    )


def merged_findings(
    found: Iterable[tuple[Hashable, Finding, str, str, tuple[Evidence, ...]]],
) -> list[Finding]:
    """One finding per key, in the order first met, naming every sub-processor and path
    that leads to it and citing every fact on them once. ``found``: (key, finding,
    processor, path, facts) for each way to an entity; the first finding of a key is
    the one kept."""
    merged: dict[Hashable, tuple[Finding, list[str], list[str], list[Evidence]]] = {}
    for key, finding, processor, path, facts in found:
        entry = merged.setdefault(key, (finding, [], [], []))
        if processor not in entry[1]:
            entry[1].append(processor)
        if path not in entry[2]:
            entry[2].append(path)
        for fact in facts:
            if fact not in entry[3]:
                entry[3].append(fact)
    return [
        Finding(
            {**finding.params, "processor": ", ".join(processors), "path": "; ".join(paths)},
            finding.evidence,
            cited=tuple(cited),
        )
        for finding, processors, paths, cited in merged.values()
    ]


def _merged(view: View, reaches: list[_Reach], hosted: bool = False) -> list[Finding]:
    """One finding per entity reached (:func:`merged_findings`). An entity of the
    provider's own chain is left out for an asset that may run off premises: the owner
    chain's rules name it already. ``hosted``: reaches through the assets it requires
    (:func:`_via_host`), the asset's requirement cited first."""
    own = {e.id for e in view.chain} if view.cloud is not False else set()
    first = (Evidence(view.field("depends_on")),) if hosted else ()
    return merged_findings(
        (r.entity, r.finding, r.processor, r.path, (*first, *r.finding.cited))
        for r in reaches
        if r.entity not in own
    )


def host_deployment(view: View, host: Asset) -> str | None:
    """The host's deployment, or its product's when the product has only one."""
    if host.deployment:
        return host.deployment
    product = view.catalog.products.get(host.product) if host.product else None
    if product and product.deployments and len(product.deployments.value) == 1:
        return product.deployments.value[0]
    return None


def _host_category(view: View, host: Asset) -> str | None:
    if host.category:
        return host.category
    product = view.catalog.products.get(host.product) if host.product else None
    return product.category if product else None


class _Member(NamedTuple):
    """What a law permitting one permit reaches through one required asset, and the
    countries of those laws."""

    reaches: list[_Reach]
    countries: frozenset[str]


_NO_MEMBER = _Member([], frozenset())


def _member_reaches(view: View, host: Asset | None, permit: str) -> _Member:
    """What a law permitting ``permit`` reaches through one required asset: its
    provider's chain, then that provider's subcontractors. Cached per what of the host
    the reaches read, and permit: an asset is required by many."""
    if host is None or not host.provider:
        return _NO_MEMBER
    deployment = host_deployment(view, host)
    key = (permit, host.id, host.name, host.provider, deployment)
    hosted = view.resolver.hosted
    cached: _Member | None = hosted.get(key)
    if cached is None:
        reaches = [
            _via_host(host, r)
            for r in _through_provider(
                view, host.provider, permit, True, roles_of(deployment, None)
            )
        ]
        cached = hosted[key] = _Member(reaches, frozenset(r.country for r in reaches))
    return cached


def takes(view: View, host: Asset | None, params: Mapping[str, Any]) -> bool:
    """Whether the rule's ``deployments`` and ``categories`` take the required asset,
    and it is a sub-processor: not provided within the provider's own chain (whose
    rules, and whose subcontractors', say it already)."""
    if host is None or any(e.id == host.provider for e in view.chain):
        return False
    if not applies_to_deployment(view, host_deployment(view, host), params):
        return False
    categories = params.get("categories")
    category = _host_category(view, host) if categories else None
    return not (categories and category is not None and category not in categories)


def requirement_groups(view: View) -> list[list[Asset | None]]:
    """The assets the asset requires: each plain requirement alone, each ``any_of``
    group with all its members. Once per view: several rules ask it."""
    cached: list[list[Asset | None]] | None = view.memo.get("requirements")
    if cached is None:
        hosts = {h.id: h for h in view.hosts}
        cached = view.memo["requirements"] = [
            [hosts.get(m) for m in r.any_of] if isinstance(r, AnyOf) else [hosts.get(r)]
            for r in view.asset.depends_on
        ]
    return cached


class _Group(NamedTuple):
    """A requirement: its members (one for a plain requirement), what a law permitting
    one permit reaches through each, and the countries reaching every member."""

    members: list[Asset | None]
    reached: list[_Member]
    common: frozenset[str]


def _groups(view: View, permit: str) -> list[_Group]:
    """The requirements with what ``permit`` reaches through them, worked out once per
    view and permit: several rules ask it of each asset."""
    key = ("groups", permit)
    cached: list[_Group] | None = view.memo.get(key)
    if cached is None:
        cached = []
        for members in requirement_groups(view):
            reached = [_member_reaches(view, m, permit) for m in members]
            common = reached[0].countries
            for other in reached[1:]:
                common = common & other.countries
            cached.append(_Group(members, reached, common))
        view.memo[key] = cached
    return cached


def _host_reaches(
    view: View, params: Mapping[str, Any], permit: str, covered: bool
) -> Iterator[tuple[_Reach, list[str]]]:
    """Through the required assets the rule takes: (reach, the members of its group
    out of that country's reach).

    Data lies in every copy: every member of a group is a host for data access. A
    group stops only when one country's law reaches each of its members, whatever
    their deployment: with ``covered``, the reaches of members another member
    outlives, else those that stop the group.
    """
    for group in _groups(view, permit):
        members = group.members
        alone = permit == "data_access" or len(members) == 1
        if alone and covered:
            continue
        for member, found in zip(members, group.reached, strict=True):
            if not found.reaches or not takes(view, member, params):
                continue
            for reach in found.reaches:
                if alone:
                    yield reach, []
                    continue
                if (reach.country in group.common) == covered:
                    continue
                spared = [
                    (m.name or m.id) if m else "?"
                    for m, reached in zip(members, group.reached, strict=True)
                    if reach.country not in reached.countries
                ]
                yield reach, spared


def _subcontractor_reaches(view: View, permit: str) -> list[_Reach]:
    """What ``permit`` reaches through the provider's subcontractors, but those that
    provide, or are reached through one that provides, an asset it requires: the estate
    says more of what they do as hosts. Once per view."""
    key = ("subcontractors", permit)
    cached: list[_Reach] | None = view.memo.get(key)
    if cached is None:
        assert view.provider is not None
        hosted = {h.provider for h in view.hosts if h.provider}
        cached = [
            reach
            for reach in _through_provider(view, view.provider.id, permit, False)
            if not hosted.intersection(reach.through)
        ]
        view.memo[key] = cached
    return cached


@predicate(
    params={
        "permit": one_of(*PERMITS),
        "via": one_of(*VIAS),
        "deployments": some_of(*DEPLOYMENTS, required=False),
        "keys_held_by": some_of(*KEY_HOLDERS, required=False),
        "categories": texts(required=False),
    },
    fields=PROCESSOR_FIELDS,
    reads=("hosts",),
)
def processor_law(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A sub-processor is reached by a law permitting ``permit``: with ``via:
    subcontractor``, one of the provider's subcontractors, transitively (``deployments``:
    the asset's); with ``via: host``, an asset it requires, through its provider's
    chain and that provider's subcontractors (``deployments``: the host's;
    ``categories``: the hosts' categories taken, an unknown category always is). An
    ``any_of`` group counts for data access through any member, for other permits only
    when one country's law reaches every member. ``keys_held_by``: only for assets
    whose keys are held so ("unknown" when not given). An asset that holds no data
    has no data access through sub-processors.
    """
    permit = str(params["permit"])
    if permit == "data_access" and view.holds_data is False:
        return []
    if not applies_to_keys(view, params):
        return []
    if params["via"] == "host":
        if not view.hosts:
            return []
        return _merged(view, [r for r, _ in _host_reaches(view, params, permit, False)], True)
    if not applies_to_deployment(view, view.deployment, params):
        return []
    if view.provider is None:
        return []
    return _merged(view, _subcontractor_reaches(view, permit))


@predicate(
    params={
        "permit": one_of("service_cutoff", "export_control"),
        "deployments": some_of(*DEPLOYMENTS, required=False),
    },
    fields=(*PROCESSOR_FIELDS, "others"),
    reads=("hosts",),
)
def redundant_host_law(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A member of an ``any_of`` group the asset requires is reached by a law
    permitting ``permit`` (``deployments``: the member's), but another member is out of
    that country's reach: the group holds."""
    if not view.hosts or not any(isinstance(r, AnyOf) for r in view.asset.depends_on):
        return []
    reaches: list[_Reach] = []
    spared: dict[tuple[str, str], list[str]] = {}
    for reach, others in _host_reaches(view, params, str(params["permit"]), True):
        reaches.append(reach)
        names = spared.setdefault((reach.finding.params["entity"], reach.country), [])
        names.extend(n for n in others if n not in names)
    return [
        f._replace(
            params={
                **f.params,
                "others": ", ".join(spared[f.params["entity"], f.params["country"]]),
            }
        )
        for f in _merged(view, reaches, True)
    ]


# --- the same hops, for the rules that follow sub-processors as this axis does ----------
# (rules.supply_chain: designations through hosts and subcontractors; rules.transfers: the
# assets a transfer leaves through). Thin public names over the helpers above.
