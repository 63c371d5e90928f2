"""The estate as the scenario engines read it (docs/scenarios.md): processes, assets,
providers and ``any_of`` groups as integer-indexed nodes, their requirements as a CSR
adjacency, the nodes by topological level, and what each loss a scenario may name
reaches (:meth:`ScenarioGraph.seeds`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from souverain.core.catalog.model import Catalog
from souverain.core.errors import InvalidInput, Problem
from souverain.core.estate.duration import Duration
from souverain.core.estate.model import AnyOf, Estate, Provider, Requirement
from souverain.core.scenarios.spec import (
    Scenario,
)
from souverain.core.scoring.context import Resolver
from souverain.core.scoring.survivability import Survivability, stand_ins, survivability
from souverain.core.vocabulary import RUNS_LOCALLY

if TYPE_CHECKING:
    from souverain.core.scenarios.reference import Walk
    from souverain.core.scenarios.steps import SweepStep

INFINITE = math.inf
# How long software the organisation runs keeps running once its vendor or licensor is
# lost, when its terms stop it at a date that is not given (a subscription with no end,
# an activation with no grace: core/scoring/survivability.py). Software whose terms are
# unknown is not given it: it keeps running unpatched, whether it stops is unknown.
DEFAULT_GRACE = Duration.of_days(30)

# Node kinds in the arrays.
PROCESS, ASSET, PROVIDER, GROUP = 0, 1, 2, 3

Bits = NDArray[np.uint64]
Index = NDArray[np.int64]


@dataclass
class ScenarioGraph:
    """The estate as arrays: nodes, AND/OR requirements, providers' reach."""

    estate: Estate
    names: list[str]  # "process:ID", "asset:ID", "provider:ID", "group:N"
    kind: NDArray[np.int8]
    # Requirements, CSR: node i requires indices[indptr[i]:indptr[i + 1]].
    indptr: NDArray[np.int64]
    indices: NDArray[np.int64]
    # Per requirement edge: 1 if a loss of the child makes the parent only degraded
    # (an asset that runs locally — on-premise, device, site — → its provider), else 0.
    soft: NDArray[np.int8]
    levels: list[NDArray[np.int64]]  # node indices, leaves first
    index: dict[str, int]
    # Seeds: which estate providers each owner entity and each country reaches.
    owner_reach: dict[str, list[str]] = field(default_factory=dict)
    country_reach: dict[str, list[str]] = field(default_factory=dict)
    # Per asset node: hours to leave it (inf when unknown).
    exit_hours: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    # Per asset node: hours it keeps running once its licensor, update channel or (on
    # premises) vendor is lost: inf indefinitely (it goes on unpatched), nan unknown.
    survival_hours: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    # Per node: whether it stops at all once those are lost is unknown (its licence
    # terms are): it goes on unpatched, and may stop (Survivability.stops_unknown).
    stops_unknown: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # Those hours as durations (the time to impact of what stops), by hours.
    survival_words: dict[float, Duration] = field(default_factory=dict)
    survival: dict[str, Survivability] = field(default_factory=dict)
    # Licensors no estate provider stands for (catalog providers), as nodes
    # "licensor:ID"; what each owner entity and country reaches of them.
    owner_licensors: dict[str, list[int]] = field(default_factory=dict)
    country_licensors: dict[str, list[int]] = field(default_factory=dict)
    # What a scenario may name besides the estate's ids: countries (the catalog's
    # jurisdictions and every country the estate or its owner chains mention), by code,
    # with the catalog's names of each; and products (the catalog's and the estate's).
    countries: dict[str, tuple[str, ...]] = field(default_factory=dict)
    products: frozenset[str] = frozenset()
    # The organisation's own country and, for an EU/EEA organisation, every EU/EEA
    # country of the catalog: their laws are no foreign reach (left out of the ranking
    # and of the "one country's laws" findings, still simulated on request).
    domestic: frozenset[str] = frozenset()
    # Per node: an asset the organisation runs itself (on premises, or deployment
    # unknown): what a site loss destroys when it stands at the site.
    on_site: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # Per asset node using a catalog product: the countries whose laws reach the
    # product's vendor (its catalog owner chain): a sanction reaches its licensees.
    vendor_countries: dict[int, frozenset[str]] = field(default_factory=dict)
    _regions: dict[str, list[int]] | None = field(default=None, repr=False)
    _products: dict[str, list[int]] | None = field(default=None, repr=False)
    _walk: Walk | None = field(default=None, repr=False)
    _steps: list[SweepStep] | None = field(default=None, repr=False)
    _sanctions: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict, repr=False)
    _hosts: dict[str, list[str]] | None = field(default=None, repr=False)

    @property
    def processes(self) -> list[int]:
        return [i for i, k in enumerate(self.kind) if k == PROCESS]

    def id_of(self, node: int) -> str:
        return self.names[node].split(":", 1)[1]

    @classmethod
    def build(
        cls,
        estate: Estate,
        catalog: Catalog,
        exit_times: Mapping[str, Duration | None] | None = None,
        resolver: Resolver | None = None,
        today: date | None = None,
    ) -> ScenarioGraph:
        """The graph of ``estate``; ``exit_times`` gives each asset's time to leave it.

        ``resolver``, if given, is the audit's (its owner chains are reused); ``today``
        dates the subscriptions' ends (default: the system's date)."""
        resolver = resolver or Resolver(estate, catalog)
        processes, assets, providers = estate.processes, estate.assets, estate.providers
        names = [f"process:{p.id}" for p in processes]
        names += [f"asset:{a.id}" for a in assets]
        names += [f"provider:{p.id}" for p in providers]
        kinds = [PROCESS] * len(processes) + [ASSET] * len(assets) + [PROVIDER] * len(providers)
        asset_at = {a.id: len(processes) + n for n, a in enumerate(assets)}
        provider_at = {p.id: len(processes) + len(assets) + n for n, p in enumerate(providers)}
        # Licensors and update channels: a loss of either leaves the asset running for
        # its survivability (a soft edge), whoever operates it.
        day = today or date.today()
        standing = stand_ins(resolver)
        contracts = {c.id: c for c in estate.contracts}
        survival: dict[str, Survivability] = {}
        others: dict[str, list[int]] = {}  # asset id → its licensor and update nodes
        licensor_at: dict[str, int] = {}  # licensors no estate provider stands for
        for asset in assets:
            contract = contracts.get(asset.contract) if asset.contract else None
            found = survivability(asset, catalog, day, contract, standing)
            survival[asset.id] = found
            sources: list[tuple[str, bool]] = []
            if found.licensor is not None:
                sources.append((found.licensor.id, found.licensor.estate))
            if found.update_source is not None:
                estate_source = asset.updates is not None and asset.updates.source is not None
                ident = found.update_source
                if not estate_source and ident in standing:
                    ident, estate_source = standing[ident], True
                sources.append((ident, estate_source))
            for ident, in_estate in sources:
                if in_estate and ident == asset.provider:
                    continue
                if in_estate:
                    node = provider_at[ident]
                else:
                    node = licensor_at.setdefault(ident, len(names))
                    if node == len(names):
                        names.append(f"licensor:{ident}")
                        kinds.append(PROVIDER)
                if node not in others.setdefault(asset.id, []):
                    others[asset.id].append(node)
        synthetic = names[len(processes) + len(assets) + len(providers) :]
        # Children of each node, in node order; an any_of group becomes a node of its
        # own, numbered after the providers, its members listed after everyone else's.
        children: list[list[int]] = []
        soft_of: list[list[int]] = []
        groups: list[list[int]] = []

        def requirement_edges(requirements: list[Requirement]) -> list[int]:
            out = []
            for requirement in requirements:
                if isinstance(requirement, AnyOf):
                    groups.append([asset_at[m] for m in dict.fromkeys(requirement.any_of)])
                    out.append(len(names) + len(groups) - 1)
                else:
                    out.append(asset_at[requirement])
            return out

        for process in processes:
            children.append(requirement_edges(process.depends_on))
            soft_of.append([0] * len(children[-1]))
        for asset in assets:
            edges = requirement_edges(asset.depends_on)
            flags = [0] * len(edges)
            if asset.provider:
                edges.append(provider_at[asset.provider])
                flags.append(1 if asset.deployment in RUNS_LOCALLY else 0)
            for node in others.get(asset.id, ()):
                edges.append(node)
                flags.append(1)
            children.append(edges)
            soft_of.append(flags)
        for provider in providers:
            children.append([provider_at[s] for s in dict.fromkeys(provider.subcontractors)])
            soft_of.append([0] * len(children[-1]))
        for _ in synthetic:
            children.append([])
            soft_of.append([])
        for number, members in enumerate(groups):
            names.append(f"group:{number}")
            kinds.append(GROUP)
            children.append(members)
            soft_of.append([0] * len(members))
        index = {name: n for n, name in enumerate(names)}
        counts = np.fromiter((len(c) for c in children), dtype=np.int64, count=len(children))
        indptr = np.zeros(len(names) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        total = int(indptr[-1])
        indices = np.fromiter(chain.from_iterable(children), dtype=np.int64, count=total)
        soft = np.fromiter(chain.from_iterable(soft_of), dtype=np.int8, count=total)
        graph = cls(
            estate,
            names,
            np.array(kinds, dtype=np.int8),
            indptr,
            indices,
            soft,
            _levels(indptr, indices, len(names)),
            index,
        )
        graph._reach(resolver)
        graph._reach_licensors(resolver, list(licensor_at))
        graph._known(catalog)
        graph.domestic = domestic_countries(estate.organisation.country, catalog)
        graph.vendor_countries = _vendor_countries(estate, catalog, asset_at)
        on_site = np.zeros(len(names), dtype=bool)
        for asset in estate.assets:
            on_site[asset_at[asset.id]] = asset.deployment not in HOSTED
        graph.on_site = on_site
        exit_hours = np.full(len(names), INFINITE)
        survival_hours = np.full(len(names), np.nan)
        stops_unknown = np.zeros(len(names), dtype=bool)
        for asset in estate.assets:
            duration = (exit_times or {}).get(asset.id)
            if duration is not None:
                exit_hours[asset_at[asset.id]] = duration.seconds / 3600
            found = survival[asset.id]
            stops_unknown[asset_at[asset.id]] = found.stops_unknown
            hours = found.hours
            if hours is not None:
                survival_hours[asset_at[asset.id]] = hours
                if found.runs is not None:
                    graph.survival_words.setdefault(hours, found.runs)
        graph.exit_hours = exit_hours
        graph.survival_hours = survival_hours
        graph.stops_unknown = stops_unknown
        graph.survival = survival
        return graph

    def graces(self, grace: Duration | None) -> NDArray[np.float64]:
        """Per node, the hours it keeps running once what it is licensed or updated by
        is lost: its survivability (inf: indefinitely; nan: whether it stops is
        unknown, :attr:`stops_unknown`), else ``DEFAULT_GRACE`` (terms that stop it at
        a date not given); ``grace``, if given, overrides every survivability but the
        indefinite ones, the unknown ones included."""
        hours = self.survival_hours
        fallback = (grace or DEFAULT_GRACE).seconds / 3600
        if grace is not None:
            return np.where(np.isinf(hours), INFINITE, fallback)
        return np.where(self.stops_unknown, np.nan, np.where(np.isnan(hours), fallback, hours))

    def grace_words(self, grace: Duration | None) -> dict[float, Duration]:
        """Hours → the duration to show for them (time to impact)."""
        fallback = grace or DEFAULT_GRACE
        words = {} if grace is not None else dict(self.survival_words)
        words.setdefault(fallback.seconds / 3600, fallback)
        return words

    def _reach_licensors(self, resolver: Resolver, idents: list[str]) -> None:
        """What owner entities and countries reach of the licensors no estate provider
        stands for (their catalog owner chains)."""
        if not idents:
            return
        known = resolver.extended(Provider(id=i, catalog=i) for i in idents)
        for ident in idents:
            node = self.index[f"licensor:{ident}"]
            for entity in known.chain(ident):
                self.owner_licensors.setdefault(entity.id, []).append(node)
                if entity.country:
                    self.country_licensors.setdefault(entity.country, []).append(node)

    def _reach(self, resolver: Resolver) -> None:
        # Each provider once per country (a chain may pass through a country twice).
        countries: dict[str, dict[str, None]] = {}
        for provider in self.estate.providers:
            for entity in resolver.chain(provider.id):
                self.owner_reach.setdefault(entity.id, []).append(provider.id)
                if entity.country:
                    countries.setdefault(entity.country, {})[provider.id] = None
        self.country_reach = {country: list(ids) for country, ids in countries.items()}

    def _known(self, catalog: Catalog) -> None:
        estate = self.estate
        countries: dict[str, tuple[str, ...]] = {
            code: tuple(j.name.values()) for code, j in catalog.jurisdictions.items()
        }
        mentioned = [estate.organisation.country, *self.country_reach, *self.country_licensors]
        mentioned += [p.country for p in estate.providers]
        mentioned += [a.location.country for a in estate.assets if a.location]
        mentioned += [t.country for r in estate.processing for t in r.transfers]
        for country in mentioned:
            if country:
                countries.setdefault(country, ())
        self.countries = countries
        self.products = frozenset(catalog.products) | frozenset(self._by_product())

    def check(self, scenario: Scenario) -> list[Problem]:
        """What ``scenario`` names that this graph does not know, each with the nearest
        known names (:func:`souverain.core.scenarios.naming.problems_of`)."""
        from souverain.core.scenarios.naming import problems_of

        return problems_of(self, scenario)

    def seeds(self, scenario: Scenario) -> tuple[set[int], set[int]]:
        """The nodes a scenario takes down at once, and those it degrades.

        Raises :class:`InvalidInput` for an id the estate does not have (a provider,
        an asset, an owner); a country, a region or a product that nothing of the estate
        has loses nothing (:meth:`check` refuses those it does not know).
        """
        from souverain.core.scenarios.naming import unknown_name

        down: set[int] = set()
        degraded: set[int] = set()
        problems = []
        for kind, value in scenario.losses:
            found = self._seed(kind, value, down, degraded)
            if not found and kind in ("provider", "site", "asset", "owner"):
                problems.append(unknown_name(self, kind, value))
        if problems:
            raise InvalidInput("scenario", problems)
        return down, degraded

    def by_region(self) -> dict[str, list[int]]:
        """Asset nodes by region (case-insensitive), worked out once."""
        if self._regions is None:
            self._regions = {}
            for asset in self.estate.assets:
                if asset.location and asset.location.region:
                    key = asset.location.region.casefold()
                    self._regions.setdefault(key, []).append(self.index[f"asset:{asset.id}"])
        return self._regions

    def walk(self) -> Walk:
        """The graph as plain lists, for the reference walk (worked out once)."""
        from souverain.core.scenarios.reference import Walk

        if self._walk is None:
            self._walk = Walk.of(self)
        return self._walk

    def steps(self) -> list[SweepStep]:
        """The levels as the bit-parallel engine reads them (worked out once)."""
        from souverain.core.scenarios.steps import SweepStep

        if self._steps is None:
            self._steps = SweepStep.all_of(self)
        return self._steps

    def _by_product(self) -> dict[str, list[int]]:
        """Asset nodes by catalog product, worked out once."""
        if self._products is None:
            self._products = {}
            for asset in self.estate.assets:
                if asset.product:
                    node = self.index[f"asset:{asset.id}"]
                    self._products.setdefault(asset.product, []).append(node)
        return self._products

    def _seed(self, kind: str, value: str, down: set[int], degraded: set[int]) -> bool:
        if kind == "provider":
            node = self.index.get(f"provider:{value}")
            if node is None:
                return False
            down.add(node)
        elif kind in ("site", "asset"):
            node = self.index.get(f"asset:{value}")
            if node is None:
                return False
            down.add(node)
        elif kind == "owner":
            if value not in self.owner_reach and value not in self.owner_licensors:
                return False
            down.update(self.index[f"provider:{p}"] for p in self.owner_reach.get(value, []))
            down.update(self.owner_licensors.get(value, ()))
        elif kind == "jurisdiction":
            down.update(self.index[f"provider:{p}"] for p in self.country_reach.get(value, []))
            down.update(self.country_licensors.get(value, ()))
        elif kind == "sanction":
            cut, licensed = self.sanction_reach(value)
            down.update(cut)
            degraded.update(licensed)
            down.update(self.country_licensors.get(value, ()))
        elif kind == "region":
            down.update(self.by_region().get(value.casefold(), ()))
        elif kind == "product":
            degraded.update(self._by_product().get(value, ()))
        return True

    def sanction_reach(self, country: str) -> tuple[list[int], list[int]]:
        """What a designation of the organisation (or of one of its officers) by
        ``country`` cuts (docs/scenarios.md): the nodes down at once and those
        degraded (worked out once per country).

        Down: every provider under the country's laws (its owner chain reaches the
        country by control); every provider reselling a service hosted by one of them
        (one of its assets requires a cloud asset they provide): a reseller of what
        comes from the country stops dealing with a designated party altogether (those
        that subcontract to a provider that is down go down in the propagation, as for
        any loss); and every hosted asset of a product whose vendor is under them.
        Degraded: the organisation's own installations of such a product (a licensee
        keeps running, unpatched, for the grace period).
        """
        found = self._sanctions.get(country)
        if found is not None:
            return found
        index = self.index
        hosted_by = self._hosted_by()
        under = self.country_reach.get(country, [])
        reached = set(under)
        for provider in under:  # its resellers (their own resellers are not bound)
            reached.update(hosted_by.get(provider, ()))
        down = [index[f"provider:{p}"] for p in sorted(reached)]
        degraded: list[int] = []
        assets = self.estate.assets
        first = len(self.estate.processes)
        for node, countries in self.vendor_countries.items():
            asset = assets[node - first]
            if country in countries and asset.provider not in reached:
                (degraded if asset.deployment == "on-premise" else down).append(node)
        self._sanctions[country] = (down, degraded)
        return down, degraded

    def _hosted_by(self) -> dict[str, list[str]]:
        """Provider → the providers one of whose assets requires (directly, or as a
        member of an ``any_of`` group) a cloud asset (public or private) it provides:
        those that resell a service running on it (worked out once)."""
        if self._hosts is None:
            estate = self.estate
            provider_of = {a.id: a.provider for a in estate.assets if a.deployment in CLOUD}
            found: dict[str, dict[str, None]] = {}
            for asset in estate.assets:
                if not asset.provider:
                    continue
                for requirement in asset.depends_on:
                    members = (
                        requirement.any_of if isinstance(requirement, AnyOf) else [requirement]
                    )
                    for member in members:
                        host = provider_of.get(member)
                        if host and host != asset.provider:
                            found.setdefault(host, {})[asset.provider] = None
            self._hosts = {host: list(users) for host, users in found.items()}
        return self._hosts

    def sanctioning(self) -> list[str]:
        """The foreign countries whose sanction reaches something of the estate."""
        countries = set(self.country_reach)
        for found in self.vendor_countries.values():
            countries |= found
        return [c for c in sorted(countries - self.domestic) if any(self.sanction_reach(c))]

    def lost_sites(self, scenario: Scenario) -> list[int]:
        """The nodes a scenario destroys as places (its ``site:`` losses)."""
        return [self.index[f"asset:{v}"] for k, v in scenario.losses if k == "site"]


# Deployments that run away from the organisation's sites.
CLOUD = ("public-cloud", "private-cloud")
HOSTED = ("saas", *CLOUD)


def domestic_countries(home: str | None, catalog: Catalog) -> frozenset[str]:
    """The organisation's country and, when the catalog says it is in the EU or the
    EEA, every country the catalog says is: laws that are not a foreign reach."""
    if home is None:
        return frozenset()
    jurisdiction = catalog.jurisdictions.get(home)
    if jurisdiction is None or not (jurisdiction.eu.value or jurisdiction.eea.value):
        return frozenset({home})
    union = {c for c, j in catalog.jurisdictions.items() if j.eu.value or j.eea.value}
    return frozenset(union | {home})


def _vendor_countries(
    estate: Estate, catalog: Catalog, asset_at: Mapping[str, int]
) -> dict[int, frozenset[str]]:
    """Per asset node with a catalog product: the countries of its vendor's catalog
    owner chain."""
    by_vendor: dict[str, frozenset[str]] = {}
    out: dict[int, frozenset[str]] = {}
    for asset in estate.assets:
        product = catalog.products.get(asset.product) if asset.product else None
        if product is None:
            continue
        vendor = product.provider
        if vendor not in by_vendor:
            chain = catalog.owner_chain(vendor)
            by_vendor[vendor] = frozenset(e.country.value for e in chain if e.country)
        if by_vendor[vendor]:
            out[asset_at[asset.id]] = by_vendor[vendor]
    return out


# Rounds of :func:`_levels` done in whole-array operations before the rest of the
# graph is peeled node by node (a round costs a fixed overhead however few its
# nodes; a graph this deep is a long chain, cheaper to finish in plain Python).
_ARRAY_ROUNDS = 256


def _levels(indptr: Index, indices: Index, n: int) -> list[Index]:
    """Nodes by topological level: level 0 requires nothing; a node's level is one
    more than its highest child's. (The estate has no cycle: validation refuses them.)

    Peeled from the leaves up (Kahn): round ``r`` places the nodes whose children are
    all placed, which are those of level ``r``; its work is in proportion to their
    edges, in whole-array operations. In a deep, narrow graph (a chain of 20,000
    assets) the rounds' fixed cost would dominate: past :data:`_ARRAY_ROUNDS` rounds
    the rest is peeled in plain Python, one node at a time, in time linear in the
    nodes and edges left.
    """
    level = np.zeros(n, dtype=np.int64)
    remaining = np.diff(indptr)
    parents_ptr, parents = _reverse(indptr, indices, n)
    frontier = np.flatnonzero(remaining == 0)
    rounds = 0
    while frontier.size and rounds < _ARRAY_ROUNDS:
        level[frontier] = rounds
        rounds += 1
        _, edges = edges_of(parents_ptr, frontier)
        above, count = np.unique(parents[edges], return_counts=True)
        remaining[above] -= count
        frontier = above[remaining[above] == 0]
    if frontier.size:
        _peel(level, remaining, parents_ptr, parents, frontier, rounds)
    if (remaining > 0).any():  # a cycle (refused by validation): its nodes go last
        level[remaining > 0] = int(level.max(initial=0)) + 1
    order = np.argsort(level, kind="stable")
    bounds = np.searchsorted(level[order], np.arange(int(level.max(initial=0)) + 2))
    spans = zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
    return [order[start:end] for start, end in spans if end > start]


def _peel(
    level: Index, remaining: Index, parents_ptr: Index, parents: Index, ready: Index, first: int
) -> None:
    """The rest of :func:`_levels`, in plain Python: from the ``ready`` nodes (of level
    ``first``) up. Fills ``level`` and counts ``remaining`` down in place."""
    ptr = parents_ptr.tolist()
    up = parents.tolist()
    left = remaining.tolist()
    depth = level.tolist()
    queue = ready.tolist()
    for node in queue:
        depth[node] = first
    for node in queue:  # grows as parents become ready
        above = depth[node] + 1
        for parent in up[ptr[node] : ptr[node + 1]]:
            if depth[parent] < above:
                depth[parent] = above
            left[parent] -= 1
            if not left[parent]:
                queue.append(parent)
    level[:] = depth
    remaining[:] = left


def _reverse(
    indptr: NDArray[np.int64], indices: NDArray[np.int64], n: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Parents of each node, CSR."""
    sources = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    order = np.argsort(indices, kind="stable")
    counts = np.bincount(indices, minlength=n)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return ptr, sources[order]


def edges_of(
    indptr: NDArray[np.int64], nodes: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """For nodes with children: the start of each node's run in the returned edge list,
    and the edge indices themselves."""
    counts = indptr[nodes + 1] - indptr[nodes]
    starts = np.zeros(nodes.size, dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    edges = np.repeat(indptr[nodes] - starts, counts) + np.arange(int(counts.sum()), dtype=np.int64)
    return starts, edges
