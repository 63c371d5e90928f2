"""Crisis scenarios (docs/scenarios.md): what stops when a provider,
an owner group, a jurisdiction, a region, a site or a product is lost.

:class:`ScenarioGraph` turns an estate into integer-indexed arrays once.
:func:`simulate_many` evaluates any number of scenarios together, one bit per
scenario, level by level over a CSR adjacency with numpy; :func:`simulate_one` is
the plain reference, one scenario at a time, that tests compare it with.

States: 0 up, 1 degraded (still running; stops after the grace period), 2 down.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
from numpy.typing import NDArray

from souverain.core.catalog.model import Catalog
from souverain.core.errors import InvalidInput, Problem
from souverain.core.estate.duration import Duration
from souverain.core.estate.model import AnyOf, Estate, Requirement
from souverain.core.scoring.context import Resolver
from souverain.core.vocabulary import CRITICALITIES

UP, DEGRADED, DOWN = 0, 1, 2
STATES = ("up", "degraded", "down")
KINDS = ("provider", "owner", "jurisdiction", "region", "site", "asset", "product")
DEFAULT_GRACE = Duration.of_days(30)
INFINITE = math.inf

# Node kinds in the arrays.
PROCESS, ASSET, PROVIDER, GROUP = 0, 1, 2, 3

Bits = NDArray[np.uint64]
Index = NDArray[np.int64]


@dataclass(frozen=True)
class Scenario:
    """One or more losses: ``provider:aws-emea+jurisdiction:US``."""

    spec: str
    losses: tuple[tuple[str, str], ...]


def parse_scenario(spec: str, graph: ScenarioGraph | None = None) -> Scenario:
    """A scenario from its text; :class:`InvalidInput` naming what is wrong.

    With ``graph``, every loss must also name something the graph knows
    (:meth:`ScenarioGraph.check`): a scenario typed by someone is refused rather than
    answered "nothing is lost" because of a typo.
    """
    losses = []
    problems = []
    for part in spec.split("+"):
        kind, _, value = part.strip().partition(":")
        kind = kind.strip().lower()
        value = value.strip()
        if kind not in KINDS or not value:
            problems.append(
                Problem(
                    ("scenario",),
                    "not a scenario",
                    "KIND:ID joined by +, KIND one of " + ", ".join(KINDS),
                    repr(part.strip()),
                )
            )
            continue
        losses.append((kind, value.upper() if kind == "jurisdiction" else value))
    if problems or not losses:
        raise InvalidInput("scenario", problems or [Problem(("scenario",), "empty scenario")])
    scenario = Scenario(spec.strip(), tuple(losses))
    if graph is not None:
        unknown = graph.check(scenario)
        if unknown:
            raise InvalidInput("scenario", unknown)
    return scenario


# Codes written for a country that are not its ISO 3166-1 alpha-2 code.
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}

# What each kind of loss must name, said as the constraint really is.
EXPECTED = {
    "provider": "an id of the estate's providers",
    "owner": "an estate or catalog provider id in some provider's owner chain",
    "jurisdiction": "a country of the catalog's jurisdictions or of the estate, as its "
    "ISO 3166-1 alpha-2 code (such as FR, US or GB)",
    "region": "a region of the estate's assets (location.region, in any case)",
    "site": "an id of the estate's assets (a site is an asset)",
    "asset": "an id of the estate's assets",
    "product": "an id of the catalog's products or a product of the estate's assets",
}


def nearest(value: str, known: Mapping[str, str], count: int = 3, cutoff: float = 0.6) -> list[str]:
    """The known names closest to ``value`` (``known`` maps each name, casefolded, to
    how it is written), closest first; none when nothing is close. Names that begin
    with ``value`` come first (``aws`` for ``aws-emea``), shortest first."""
    folded = value.casefold()
    found = sorted((k for k in known if folded and k.startswith(folded)), key=len)[:count]
    found += difflib.get_close_matches(folded, known, n=count, cutoff=cutoff)
    return list(dict.fromkeys(known[f] for f in found))[:count]


def did_you_mean(names: Sequence[str]) -> str:
    """``"; did you mean A?"``, ``"; did you mean A, B or C?"``, or ``""``."""
    if not names:
        return ""
    if len(names) == 1:
        return f"; did you mean {names[0]}?"
    return f"; did you mean {', '.join(names[:-1])} or {names[-1]}?"


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
    # (on-premise asset → its provider), else 0.
    soft: NDArray[np.int8]
    levels: list[NDArray[np.int64]]  # node indices, leaves first
    index: dict[str, int]
    # Seeds: which estate providers each owner entity and each country reaches.
    owner_reach: dict[str, list[str]] = field(default_factory=dict)
    country_reach: dict[str, list[str]] = field(default_factory=dict)
    # Per asset node: hours to leave it (inf when unknown).
    exit_hours: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    # What a scenario may name besides the estate's ids: countries (the catalog's
    # jurisdictions and every country the estate or its owner chains mention), by code,
    # with the catalog's names of each; and products (the catalog's and the estate's).
    countries: dict[str, tuple[str, ...]] = field(default_factory=dict)
    products: frozenset[str] = frozenset()
    _regions: dict[str, list[int]] | None = field(default=None, repr=False)
    _products: dict[str, list[int]] | None = field(default=None, repr=False)
    _walk: _Walk | None = field(default=None, repr=False)
    _steps: list[_Step] | None = field(default=None, repr=False)

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
    ) -> ScenarioGraph:
        """The graph of ``estate``; ``exit_times`` gives each asset's time to leave it.

        ``resolver``, if given, is the audit's (its owner chains are reused)."""
        processes, assets, providers = estate.processes, estate.assets, estate.providers
        names = [f"process:{p.id}" for p in processes]
        names += [f"asset:{a.id}" for a in assets]
        names += [f"provider:{p.id}" for p in providers]
        kinds = [PROCESS] * len(processes) + [ASSET] * len(assets) + [PROVIDER] * len(providers)
        asset_at = {a.id: len(processes) + n for n, a in enumerate(assets)}
        provider_at = {p.id: len(processes) + len(assets) + n for n, p in enumerate(providers)}
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
                flags.append(1 if asset.deployment == "on-premise" else 0)
            children.append(edges)
            soft_of.append(flags)
        for provider in providers:
            children.append([provider_at[s] for s in dict.fromkeys(provider.subcontractors)])
            soft_of.append([0] * len(children[-1]))
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
        graph._reach(resolver or Resolver(estate, catalog))
        graph._known(catalog)
        exit_hours = np.full(len(names), INFINITE)
        for asset in estate.assets:
            duration = (exit_times or {}).get(asset.id)
            if duration is not None:
                exit_hours[asset_at[asset.id]] = duration.seconds / 3600
        graph.exit_hours = exit_hours
        return graph

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
        mentioned = [estate.organisation.country, *self.country_reach]
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
        known names. A country the catalog or the estate knows, but that reaches none of
        the estate's providers, is known: losing it truly loses nothing."""
        problems = []
        for kind, value in scenario.losses:
            if not self._knows(kind, value):
                problems.append(self._unknown(kind, value))
        return problems

    def _knows(self, kind: str, value: str) -> bool:
        if kind == "provider":
            return f"provider:{value}" in self.index
        if kind in ("site", "asset"):
            return f"asset:{value}" in self.index
        if kind == "owner":
            return value in self.owner_reach
        if kind == "jurisdiction":
            return value in self.countries
        if kind == "region":
            return value.casefold() in self._by_region()
        return value in self.products

    def _unknown(self, kind: str, value: str) -> Problem:
        """The problem of a loss naming what is not known, with the nearest names."""
        estate = self.estate
        known: dict[str, str] = {}
        if kind == "provider":
            known = {p.id.casefold(): p.id for p in estate.providers}
        elif kind in ("site", "asset"):
            sites = [a for a in estate.assets if a.category == "site"] if kind == "site" else []
            known = {a.id.casefold(): a.id for a in sites or estate.assets}
            if sites and not nearest(value, known):
                known = {a.id.casefold(): a.id for a in estate.assets}
        elif kind == "owner":
            known = {o.casefold(): o for o in self.owner_reach}
        elif kind == "region":
            for asset in estate.assets:
                if asset.location and asset.location.region:
                    known.setdefault(asset.location.region.casefold(), asset.location.region)
        elif kind == "product":
            known = {p.casefold(): p for p in sorted(self.products)}
        if kind != "jurisdiction":
            suggestions = nearest(value, known)
        else:
            suggestions = self._nearest_countries(value)
        noun = "country" if kind == "jurisdiction" else kind
        return Problem(
            ("scenario",), f"no such {noun}{did_you_mean(suggestions)}", EXPECTED[kind], repr(value)
        )

    def _nearest_countries(self, value: str) -> list[str]:
        """Known country codes near ``value``: the one a usual alias (UK for GB), a
        three-letter code (USA, FRA: its first two letters) or a name in a language of
        the catalog (Germany, Allemagne) points to; else those whose name or code is
        spelt alike."""
        codes = self.countries
        upper = value.upper()
        names = {n.casefold(): code for code, ns in codes.items() for n in ns}
        sure = [COUNTRY_ALIASES.get(upper), upper[:2] if len(upper) == 3 else None]
        sure.append(names.get(value.casefold()))
        found = [c for c in sure if c in codes]
        if found:
            return list(dict.fromkeys(found))
        found = nearest(value, names, cutoff=0.75) + nearest(
            value, {c.casefold(): c for c in codes}
        )
        return list(dict.fromkeys(found))[:3]

    def seeds(self, scenario: Scenario) -> tuple[set[int], set[int]]:
        """The nodes a scenario takes down at once, and those it degrades.

        Raises :class:`InvalidInput` for an id the estate does not have (a provider,
        an asset, an owner); a country, a region or a product that nothing of the estate
        has loses nothing (:meth:`check` refuses those it does not know).
        """
        down: set[int] = set()
        degraded: set[int] = set()
        problems = []
        for kind, value in scenario.losses:
            found = self._seed(kind, value, down, degraded)
            if not found and kind in ("provider", "site", "asset", "owner"):
                problems.append(self._unknown(kind, value))
        if problems:
            raise InvalidInput("scenario", problems)
        return down, degraded

    def _by_region(self) -> dict[str, list[int]]:
        """Asset nodes by region (case-insensitive), worked out once."""
        if self._regions is None:
            self._regions = {}
            for asset in self.estate.assets:
                if asset.location and asset.location.region:
                    key = asset.location.region.casefold()
                    self._regions.setdefault(key, []).append(self.index[f"asset:{asset.id}"])
        return self._regions

    def walk(self) -> _Walk:
        """The graph as plain lists, for :func:`simulate_one` (worked out once)."""
        if self._walk is None:
            self._walk = _Walk.of(self)
        return self._walk

    def steps(self) -> list[_Step]:
        """The levels as :func:`_propagate` reads them (worked out once)."""
        if self._steps is None:
            self._steps = _Step.all_of(self)
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
            if value not in self.owner_reach:
                return False
            down.update(self.index[f"provider:{p}"] for p in self.owner_reach[value])
        elif kind == "jurisdiction":
            down.update(self.index[f"provider:{p}"] for p in self.country_reach.get(value, []))
        elif kind == "region":
            down.update(self._by_region().get(value.casefold(), ()))
        elif kind == "product":
            degraded.update(self._by_product().get(value, ()))
        return True


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
        _, edges = _edges_of(parents_ptr, frontier)
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


# --------------------------------------------------------------------- results


@dataclass(frozen=True)
class ProcessOutcome:
    id: str
    state: str
    time_to_impact: Duration | None
    exceeds_max_downtime: bool | None


@dataclass(frozen=True)
class Outcome:
    """What one scenario does to the estate."""

    scenario: Scenario
    processes: tuple[ProcessOutcome, ...]
    assets: tuple[tuple[str, str], ...]  # (asset id, state), every asset
    unreachable_data: tuple[str, ...]


def impact(states: Sequence[int], criticalities: Sequence[str]) -> tuple[int, ...]:
    """How bad a scenario is, as a sort key (larger is worse): vital processes down,
    vital degraded, important down, important degraded, and so on."""
    out = []
    for level in CRITICALITIES:
        for state in (DOWN, DEGRADED):
            out.append(
                sum(
                    1
                    for s, c in zip(states, criticalities, strict=True)
                    if c == level and s == state
                )
            )
    return tuple(out)


# ------------------------------------------------------------ the reference


def simulate_one(
    graph: ScenarioGraph, scenario: Scenario, grace: Duration = DEFAULT_GRACE
) -> Outcome:
    """One scenario, node by node, in plain Python: the reference semantics.

    Besides its state, each node that is not up gets ``excess``: the outage exceeds
    a max downtime T exactly when ``excess > T``. An asset lost now has its exit time;
    a degraded one its exit time less the grace period (it can be left while it
    still runs). Through AND the largest excess counts, through OR the smallest.

    Only the nodes above the scenario's seeds can be hit: they alone are visited,
    children first (every other node stays up, with no excess).
    """
    seed_down, seed_degraded = graph.seeds(scenario)
    nodes = graph.walk().above(seed_down | seed_degraded)
    return _simulate(graph, scenario, grace, (seed_down, seed_degraded), nodes)


def _simulate(
    graph: ScenarioGraph,
    scenario: Scenario,
    grace: Duration,
    seeds: tuple[set[int], set[int]],
    nodes: Iterable[int],
) -> Outcome:
    """:func:`simulate_one` over ``nodes`` (children before parents); the others are up."""
    seed_down, seed_degraded = seeds
    walk = graph.walk()
    state = [UP] * len(graph.names)
    grace_hours = grace.seconds / 3600
    excess = [0.0] * len(graph.names)
    kinds, exit_hours = walk.kinds, walk.exit_hours
    for node in nodes:
        children = walk.children[node]
        kind = kinds[node]
        if kind == GROUP:
            state[node] = min(state[c] for c in children)
            if state[node] != UP:
                excess[node] = min(excess[c] for c in children)
            continue
        here, hours = _own(node, seed_down, seed_degraded, graph, grace_hours)
        for child, is_soft in zip(children, walk.softs[node], strict=True):
            if state[child] == UP:
                continue
            if kinds[child] == PROVIDER and kind == ASSET:
                # The provider is gone: this asset must be left, in its exit time.
                effect = DEGRADED if is_soft else DOWN
                length = exit_hours[node] - (grace_hours if is_soft else 0.0)
            else:
                effect, length = state[child], excess[child]
            here = max(here, effect)
            hours = max(hours, length)
        state[node] = here
        excess[node] = hours if here != UP else 0.0
    return _outcome(graph, scenario, state, excess, grace)


@dataclass(frozen=True)
class _Walk:
    """A :class:`ScenarioGraph` as Python lists: each node's children and soft flags,
    its parents and its level, so that one scenario visits only the nodes it hits."""

    kinds: list[int]
    exit_hours: list[float]
    children: list[list[int]]
    softs: list[list[int]]
    parents: list[list[int]]
    level: list[int]
    every: list[int]  # every node, children first
    processes: list[tuple[str, int]]  # (process id, node), estate order
    assets: list[tuple[str, int]]  # (asset id, node), estate order
    holders: dict[str, list[str]]  # data category → the assets holding it
    copied: frozenset[str]  # categories some holder keeps a copy of outside the provider
    data: dict[str, list[str]]  # asset → the categories it holds

    @classmethod
    def of(cls, graph: ScenarioGraph) -> _Walk:
        indptr = graph.indptr.tolist()
        indices = graph.indices.tolist()
        soft = graph.soft.tolist()
        n = len(graph.names)
        children = [indices[indptr[i] : indptr[i + 1]] for i in range(n)]
        parents: list[list[int]] = [[] for _ in range(n)]
        for parent, kids in enumerate(children):
            for child in kids:
                parents[child].append(parent)
        level = [0] * n
        every: list[int] = []
        for rank, nodes in enumerate(graph.levels):
            for node in nodes.tolist():
                level[node] = rank
                every.append(node)
        estate = graph.estate
        holders: dict[str, list[str]] = {}
        copied: set[str] = set()
        for asset in estate.assets:
            for category in asset.data or []:
                holders.setdefault(category, []).append(asset.id)
                if _has_outside_copy(asset):
                    copied.add(category)
        return cls(
            graph.kind.tolist(),
            graph.exit_hours.tolist(),
            children,
            [soft[indptr[i] : indptr[i + 1]] for i in range(n)],
            parents,
            level,
            every,
            [(p.id, graph.index[f"process:{p.id}"]) for p in estate.processes],
            [(a.id, graph.index[f"asset:{a.id}"]) for a in estate.assets],
            holders,
            frozenset(copied),
            {a.id: list(a.data) for a in estate.assets if a.data},
        )

    def above(self, seeds: Iterable[int]) -> list[int]:
        """``seeds`` and every node that requires one of them, directly or not,
        children first."""
        found = set(seeds)
        stack = list(found)
        while stack:
            for parent in self.parents[stack.pop()]:
                if parent not in found:
                    found.add(parent)
                    stack.append(parent)
        level = self.level
        return sorted(found, key=level.__getitem__)


def _own(
    node: int, down: set[int], degraded: set[int], graph: ScenarioGraph, grace_hours: float
) -> tuple[int, float]:
    if node in down:
        return DOWN, graph.exit_hours[node] if graph.kind[node] == ASSET else -INFINITE
    if node in degraded:
        return DEGRADED, graph.exit_hours[node] - grace_hours
    return UP, -INFINITE


def _outcome(
    graph: ScenarioGraph,
    scenario: Scenario,
    state: Sequence[int],
    outage: Sequence[float],
    grace: Duration,
) -> Outcome:
    walk = graph.walk()
    processes = [
        _process_outcome(process.id, state[node], outage[node], process.max_downtime, grace)
        for process, (_, node) in zip(graph.estate.processes, walk.processes, strict=True)
    ]
    assets = tuple((ident, STATES[state[node]]) for ident, node in walk.assets)
    return Outcome(
        scenario,
        tuple(processes),
        assets,
        unreachable_data(graph, {a for a, s in assets if s == "down"}),
    )


def _process_outcome(
    ident: str, state: int, hours: float, max_downtime: Duration | None, grace: Duration
) -> ProcessOutcome:
    if state == UP:
        return ProcessOutcome(ident, "up", None, False if max_downtime else None)
    impact = Duration.of_days(0) if state == DOWN else grace
    exceeds = None if max_downtime is None else bool(hours > max_downtime.seconds / 3600)
    return ProcessOutcome(ident, STATES[state], impact, exceeds)


def unreachable_data(graph: ScenarioGraph, down_assets: set[str]) -> tuple[str, ...]:
    """Data categories held only by assets that are down, with no copy outside."""
    walk = graph.walk()
    lost = {c for a in down_assets for c in walk.data.get(a, ()) if c not in walk.copied}
    return tuple(sorted(c for c in lost if all(h in down_assets for h in walk.holders[c])))


def _has_outside_copy(asset: object) -> bool:
    continuity = getattr(asset, "continuity", None)
    backup = continuity.backup if continuity else None
    if backup is None:
        return False
    return bool(backup.offline_copy) or backup.held_by in ("organisation", "third-party")


# -------------------------------------------------------- the bit-parallel engine


@dataclass
class Batch:
    """Process states for many scenarios: ``states[p, s]`` for process ``p`` (in
    estate order) and scenario ``s``; :func:`simulate_one` details any one of them,
    and so does :func:`outcome_of` for a batch made with ``outcomes=True``."""

    graph: ScenarioGraph
    scenarios: list[Scenario]
    states: NDArray[np.int8]  # (processes, scenarios)
    exceeds: NDArray[np.int8]  # (processes, scenarios): 1, 0, or -1 for unknown
    assets_down: NDArray[np.int64]  # (scenarios,) how many assets are down
    assets_hit: NDArray[np.int64]  # (scenarios,) how many are down or degraded
    grace: Duration
    # With outcomes=True: every asset not up in some scenario, as three arrays sorted
    # by scenario then asset: the scenario, the asset (estate order), its state.
    hits: tuple[Index, Index, NDArray[np.int8]] | None = None


def outcome_of(batch: Batch, column: int) -> Outcome:
    """Scenario ``column`` of a batch made with ``outcomes=True``: the same outcome as
    :func:`simulate_one` gives (a test compares them), read from the batch rather than
    walked again (``simulate --all`` details every scenario: walking each one anew is
    quadratic on a long chain of subcontractors)."""
    if batch.hits is None:
        raise ValueError("the batch was made without outcomes=True")
    graph = batch.graph
    walk = graph.walk()
    columns, assets, states = batch.hits
    first, last = np.searchsorted(columns, [column, column + 1]).tolist()
    state = [UP] * len(walk.assets)
    for number, value in zip(assets[first:last].tolist(), states[first:last].tolist(), strict=True):
        state[number] = value
    processes = []
    for row, process in enumerate(graph.estate.processes):
        here = int(batch.states[row, column])
        longer = int(batch.exceeds[row, column])
        impact = None if here == UP else Duration.of_days(0) if here == DOWN else batch.grace
        processes.append(
            ProcessOutcome(process.id, STATES[here], impact, None if longer < 0 else bool(longer))
        )
    every = tuple((ident, STATES[state[n]]) for n, (ident, _) in enumerate(walk.assets))
    down = {ident for ident, value in every if value == "down"}
    return Outcome(batch.scenarios[column], tuple(processes), every, unreachable_data(graph, down))


# Bytes of one bit array of a pass of simulate_many (its passes hold a few).
_PASS_BYTES = 32 * 1024 * 1024


def simulate_many(
    graph: ScenarioGraph,
    scenarios: Sequence[Scenario],
    grace: Duration = DEFAULT_GRACE,
    block: int | None = None,
    count_assets: bool = False,
    with_exceeds: bool = True,
    threads: int = 2,
    outcomes: bool = False,
) -> Batch:
    """Every scenario at once, at most ``block`` scenarios (bits) per pass.

    By default a pass takes 4,096 scenarios, or more on a graph small enough that one
    bit array (a row of bits per node) stays under :data:`_PASS_BYTES`: every pass
    walks every level, and a deep graph (a long chain) pays for its levels, not its
    bits.
    Passes run on ``threads`` threads (numpy works outside the interpreter lock);
    with many scenarios they are split so that every thread has one.
    ``count_assets=True`` also counts the assets down and hit in each scenario;
    ``with_exceeds=False`` skips working out which outages exceed a max downtime
    (``exceeds`` is then -1 throughout). ``outcomes=True`` also keeps every asset each
    scenario hits, for :func:`outcome_of` (and works out the exceeding outages).
    """
    with_exceeds = with_exceeds or outcomes
    processes = graph.processes
    count = len(scenarios)
    states = np.zeros((len(processes), count), dtype=np.int8)
    exceeds = np.full((len(processes), count), -1, dtype=np.int8)
    assets_down = np.zeros(count, dtype=np.int64)
    assets_hit = np.zeros(count, dtype=np.int64)
    thresholds = sorted(set(_limits(graph).values())) if with_exceeds else []
    plan = _plan(graph, grace, thresholds)
    asset_rows = np.flatnonzero(graph.kind == ASSET)
    limits = {
        row: p.max_downtime.seconds / 3600
        for row, p in enumerate(graph.estate.processes)
        if p.max_downtime is not None and with_exceeds
    }
    graph.steps()  # worked out once, before the threads share it
    if block is None:
        block = max(4096, 64 * (_PASS_BYTES // (8 * max(1, len(graph.names)))))
    # Split into passes of whole 64-bit words, one per thread at least when it pays.
    size = min(block, max(64, 64 * -(-count // (64 * max(1, threads)))))

    def run(start: int) -> None:
        chunk = list(scenarios[start : start + size])
        down, hit, long = _propagate(graph, chunk, grace, plan)
        width = len(chunk)
        span = slice(start, start + width)
        p_down = _unpack(down[processes], width)
        p_hit = _unpack(hit[processes], width)
        states[:, span] = np.where(p_down, DOWN, np.where(p_hit, DEGRADED, UP))
        for row, limit in limits.items():
            bits = _unpack(long[limit][processes[row] : processes[row] + 1], width)[0]
            exceeds[row, span] = np.where(p_hit[row], bits, 0)
        if count_assets:
            assets_down[span] = _column_counts(down[asset_rows], width)
            assets_hit[span] = _column_counts(hit[asset_rows], width)
        if outcomes:
            found[start] = _asset_hits(down[asset_rows], hit[asset_rows], width, start)

    found: dict[int, tuple[Index, Index, NDArray[np.int8]]] = {}
    starts = list(range(0, count, size))
    if threads > 1 and len(starts) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(run, starts))
    else:
        for start in starts:
            run(start)
    hits = None
    if outcomes:
        parts = [found[start] for start in starts]
        columns = np.concatenate([p[0] for p in parts] or [np.zeros(0, dtype=np.int64)])
        assets = np.concatenate([p[1] for p in parts] or [np.zeros(0, dtype=np.int64)])
        values = np.concatenate([p[2] for p in parts] or [np.zeros(0, dtype=np.int8)])
        order = np.lexsort((assets, columns))
        hits = (columns[order], assets[order], values[order])
    return Batch(graph, list(scenarios), states, exceeds, assets_down, assets_hit, grace, hits)


def _asset_hits(
    down: Bits, hit: Bits, width: int, start: int
) -> tuple[Index, Index, NDArray[np.int8]]:
    """Every (scenario, asset, state) of one pass where the asset is not up: from the
    non-zero words only, so in time with what is hit, not with assets × scenarios."""
    rows, words = np.nonzero(hit)
    if rows.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.int8)
    as_bytes = hit[rows, words].astype("<u8").view(np.uint8).reshape(-1, 8)
    which, bit = np.nonzero(np.unpackbits(as_bytes, axis=1, bitorder="little"))
    assets = rows[which]
    word = words[which]
    columns = word * 64 + bit
    keep = columns < width
    assets, word, bit, columns = assets[keep], word[keep], bit[keep], columns[keep]
    is_down = (down[assets, word] >> bit.astype(np.uint64)) & np.uint64(1)
    states = np.where(is_down.astype(bool), DOWN, DEGRADED).astype(np.int8)
    return columns + start, assets, states


def _seed_bits(
    graph: ScenarioGraph, scenarios: Sequence[Scenario], words: int
) -> tuple[Bits, Bits]:
    """Bit ``s`` of a node's row is set when scenario ``s`` loses it at once (down)
    or forces it out (degraded)."""
    n = len(graph.names)
    cells: tuple[list[int], list[int], list[int], list[int]] = ([], [], [], [])
    down_rows, down_cols, degraded_rows, degraded_cols = cells
    single = {"provider": "provider:", "asset": "asset:", "site": "asset:"}
    for column, scenario in enumerate(scenarios):
        if len(scenario.losses) == 1 and scenario.losses[0][0] in single:
            kind, ident = scenario.losses[0]
            node = graph.index.get(single[kind] + ident)
            if node is not None:  # the common case, without building sets
                down_rows.append(node)
                down_cols.append(column)
                continue
        seed_down, seed_degraded = graph.seeds(scenario)
        down_rows.extend(seed_down)
        down_cols.extend([column] * len(seed_down))
        degraded_rows.extend(seed_degraded)
        degraded_cols.extend([column] * len(seed_degraded))
    return _scatter(n, words, down_rows, down_cols), _scatter(
        n, words, degraded_rows, degraded_cols
    )


def _scatter(n: int, words: int, rows: list[int], columns: list[int]) -> Bits:
    bits = np.zeros((n, words), dtype=np.uint64)
    if rows:
        cols = np.asarray(columns, dtype=np.uint64)
        masks = np.left_shift(np.uint64(1), cols % np.uint64(64))
        np.bitwise_or.at(bits, (np.asarray(rows), (cols // np.uint64(64)).astype(np.int64)), masks)
    return bits


Plan = tuple[dict[float, float], list[float], dict[float, NDArray[np.bool_]]]


def _plan(graph: ScenarioGraph, grace: Duration, thresholds: list[float]) -> Plan:
    """Which max-downtime thresholds need their own outage bits, and where.

    Two thresholds with no exit time (nor exit time less grace) between them give
    the same bits: one is worked out per class. And the bits for a class only
    matter below the processes whose max downtime is in it.
    """
    grace_hours = grace.seconds / 3600
    is_asset = graph.kind == ASSET
    exit_hours = graph.exit_hours
    values = np.unique(np.concatenate([exit_hours[is_asset], exit_hours[is_asset] - grace_hours]))
    first_of: dict[int, float] = {}
    for t in thresholds:
        first_of.setdefault(int(np.searchsorted(values, t, side="right")), t)
    same = {t: first_of[int(np.searchsorted(values, t, side="right"))] for t in thresholds}
    distinct = sorted(set(same.values()))
    limits = _limits(graph)
    tops = {t: [node for node, limit in limits.items() if same.get(limit) == t] for t in distinct}
    return same, distinct, _below(graph, tops)


def _propagate(
    graph: ScenarioGraph, scenarios: Sequence[Scenario], grace: Duration, plan: Plan
) -> tuple[Bits, Bits, dict[float, Bits]]:
    """Bit sets of the nodes down, hit (degraded or down) and, per max_downtime
    threshold T, in an outage longer than T, for each scenario (one bit each)."""
    words = max(1, -(-len(scenarios) // 64))
    seed_down, seed_degraded = _seed_bits(graph, scenarios, words)
    down = seed_down.copy()
    hit = seed_down | seed_degraded
    grace_hours = grace.seconds / 3600
    is_asset = graph.kind == ASSET
    exit_hours = graph.exit_hours
    same, distinct, relevant = plan
    # An asset lost itself stays out for its exit time; a degraded one, for its exit
    # time less the grace period.
    seeded = np.flatnonzero(is_asset & ((seed_down != 0).any(1) | (seed_degraded != 0).any(1)))
    long: dict[float, Bits] = {}
    for t in distinct:
        bits = np.zeros_like(down)
        if seeded.size:
            bits[seeded] = (seed_down[seeded] & _mask(exit_hours[seeded] > t)) | (
                seed_degraded[seeded] & _mask(exit_hours[seeded] - grace_hours > t)
            )
        long[t] = bits
    for step in graph.steps():
        if step.plain.size:
            children, starts = step.children, step.starts
            child_down = down[children]
            down[step.plain] |= np.bitwise_or.reduceat(child_down & step.carries, starts, axis=0)
            hit[step.plain] |= np.bitwise_or.reduceat(hit[children] | child_down, starts, axis=0)
            if distinct:
                # Through its provider, an asset is out for its own exit time: an asset has
                # one provider, so these rows are unique and need no reduction.
                p_parent = step.p_parent
                p_down = child_down[step.p_edge]
                p_hours = exit_hours[p_parent] - np.where(step.p_soft, grace_hours, 0.0)
                # Through any other requirement, the child's outage carries up.
                for t in distinct:
                    own = (p_hours > t) & relevant[t][p_parent]
                    if own.any():
                        long[t][p_parent[own]] |= p_down[own]
                    keep = relevant[t][step.o_parents]
                    if keep.any():
                        _or_runs(long[t], step.o_parents, step.o_children, step.o_starts, keep)
        if step.groups.size:
            groups, children, starts = step.groups, step.g_children, step.g_starts
            all_down = np.bitwise_and.reduceat(down[children], starts, axis=0)
            all_hit = np.bitwise_and.reduceat(hit[children], starts, axis=0)
            down[groups] |= all_down
            hit[groups] |= all_hit
            not_hit = ~hit[children]
            for t in distinct:
                # Back as soon as one member is: long only when no member is up or short.
                if not relevant[t][groups].any():
                    continue
                any_ok = np.bitwise_or.reduceat(not_hit | ~long[t][children], starts, axis=0)
                long[t][groups] |= all_hit & ~any_ok
    return down, hit, {t: long[same[t]] for t in same}


@dataclass(frozen=True)
class _Step:
    """One level of the graph as :func:`_propagate` reads it: what does not depend on
    the scenarios, worked out once per graph (a deep graph has thousands of levels,
    and each pass of the engine would otherwise redo it for every one).

    ``plain`` are the level's nodes with requirements, other than ``any_of`` groups;
    ``children`` their requirements, in runs starting at ``starts``; ``carries`` is
    all ones where a child down takes its parent down (every edge but an on-premise
    asset's edge to its provider). Of those edges, the asset → provider ones: the
    asset (``p_parent``), the edge's place in ``children`` (``p_edge``) and whether it
    only degrades (``p_soft``); the others, by parent (``o_parents``, ``o_children``,
    ``o_starts``). ``groups`` are the level's ``any_of`` groups, their members in
    ``g_children`` in runs starting at ``g_starts``. ``parent`` and ``g_parent`` give
    the parent of each edge in ``children`` and ``g_children``.
    """

    plain: Index
    starts: Index
    children: Index
    parent: Index
    carries: Bits
    p_parent: Index
    p_edge: Index
    p_soft: NDArray[np.bool_]
    o_parents: Index
    o_children: Index
    o_starts: Index
    groups: Index
    g_starts: Index
    g_children: Index
    g_parent: Index

    @classmethod
    def all_of(cls, graph: ScenarioGraph) -> list[_Step]:
        """Every level's step, worked out for all levels at once (whole-array
        operations over the graph), then cut into levels (slices: no work per level)."""
        indptr, indices, soft, kind = graph.indptr, graph.indices, graph.soft, graph.kind
        fanout = np.diff(indptr)
        count = len(graph.levels)
        everyone = np.concatenate(graph.levels) if count else np.zeros(0, dtype=np.int64)
        rank = np.zeros(len(graph.names), dtype=np.int64)
        rank[everyone] = np.repeat(
            np.arange(count, dtype=np.int64), [level.size for level in graph.levels]
        )
        ranks = np.arange(count + 1, dtype=np.int64)
        nodes = everyone[fanout[everyone] > 0]  # by level
        is_group = kind[nodes] == GROUP
        plain, groups = nodes[~is_group], nodes[is_group]
        # Plain nodes and their edges.
        starts, edges = _edges_of(indptr, plain)
        children = indices[edges]
        parent = np.repeat(plain, fanout[plain])
        provider_edge = (kind[children] == PROVIDER) & (kind[parent] == ASSET)
        is_soft = soft[edges].astype(bool) & provider_edge
        carries = _mask(~is_soft)
        other = ~provider_edge
        n_other = (
            np.add.reduceat(other.astype(np.int64), starts)
            if plain.size
            else np.zeros(0, dtype=np.int64)
        )
        node_at = np.searchsorted(rank[plain], ranks).tolist()
        edge_at = np.append(starts, edges.size)[node_at]
        starts = starts - edge_at[rank[plain]]
        p_edge = np.flatnonzero(provider_edge)
        p_at = np.searchsorted(p_edge, edge_at).tolist()
        p_parent = parent[p_edge]
        p_soft = is_soft[p_edge]
        p_edge = p_edge - edge_at[rank[p_parent]]
        o_parents = plain[n_other > 0]
        o_children = children[other]
        o_starts = np.zeros(o_parents.size, dtype=np.int64)
        np.cumsum(n_other[n_other > 0][:-1], out=o_starts[1:])
        o_at = np.searchsorted(rank[o_parents], ranks).tolist()
        o_edge_at = np.append(o_starts, o_children.size)[o_at]
        o_starts = o_starts - o_edge_at[rank[o_parents]]
        # Groups and their members.
        g_starts, g_edges = _edges_of(indptr, groups)
        g_children = indices[g_edges]
        g_parent = np.repeat(groups, fanout[groups])
        g_at = np.searchsorted(rank[groups], ranks).tolist()
        g_edge_at = np.append(g_starts, g_edges.size)[g_at]
        g_starts = g_starts - g_edge_at[rank[groups]]
        edge_at_, o_edge_at_, g_edge_at_ = edge_at.tolist(), o_edge_at.tolist(), g_edge_at.tolist()
        out = []
        for r in range(count):
            a, b, ga, gb = node_at[r], node_at[r + 1], g_at[r], g_at[r + 1]
            if a == b and ga == gb:
                continue
            e, f = edge_at_[r], edge_at_[r + 1]
            pa, pb = p_at[r], p_at[r + 1]
            oa, ob = o_at[r], o_at[r + 1]
            oe, of = o_edge_at_[r], o_edge_at_[r + 1]
            ge, gf = g_edge_at_[r], g_edge_at_[r + 1]
            out.append(
                cls(
                    plain[a:b],
                    starts[a:b],
                    children[e:f],
                    parent[e:f],
                    carries[e:f],
                    p_parent[pa:pb],
                    p_edge[pa:pb],
                    p_soft[pa:pb],
                    o_parents[oa:ob],
                    o_children[oe:of],
                    o_starts[oa:ob],
                    groups[ga:gb],
                    g_starts[ga:gb],
                    g_children[ge:gf],
                    g_parent[ge:gf],
                )
            )
        return out


def _limits(graph: ScenarioGraph) -> dict[int, float]:
    """Process node → its max downtime in hours, for processes that have one."""
    return {
        graph.index[f"process:{p.id}"]: p.max_downtime.seconds / 3600
        for p in graph.estate.processes
        if p.max_downtime is not None
    }


def _below(graph: ScenarioGraph, tops: Mapping[float, list[int]]) -> dict[float, NDArray[np.bool_]]:
    """For each key, the nodes reached from its top nodes through requirements."""
    out = {}
    for key, nodes in tops.items():
        reached = np.zeros(len(graph.names), dtype=bool)
        reached[nodes] = True
        for step in reversed(graph.steps()):
            reached[step.children[reached[step.parent]]] = True
            reached[step.g_children[reached[step.g_parent]]] = True
        out[key] = reached
    return out


def _or_runs(
    bits: Bits, parents: Index, children: Index, starts: Index, keep: NDArray[np.bool_]
) -> None:
    """``bits[parent] |= OR of bits[children in its run]``, for the kept parents only."""
    if keep.all():
        bits[parents] |= np.bitwise_or.reduceat(bits[children], starts, axis=0)
        return
    ends = np.append(starts[1:], children.size)
    lengths = (ends - starts)[keep]
    picked = np.repeat(starts[keep], lengths) + (
        np.arange(int(lengths.sum()), dtype=np.int64)
        - np.repeat(np.cumsum(lengths) - lengths, lengths)
    )
    new_starts = np.zeros(lengths.size, dtype=np.int64)
    np.cumsum(lengths[:-1], out=new_starts[1:])
    bits[parents[keep]] |= np.bitwise_or.reduceat(bits[children[picked]], new_starts, axis=0)


def _edges_of(
    indptr: NDArray[np.int64], nodes: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """For nodes with children: the start of each node's run in the returned edge list,
    and the edge indices themselves."""
    counts = indptr[nodes + 1] - indptr[nodes]
    starts = np.zeros(nodes.size, dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    edges = np.repeat(indptr[nodes] - starts, counts) + np.arange(int(counts.sum()), dtype=np.int64)
    return starts, edges


def _mask(flags: NDArray[np.bool_]) -> NDArray[np.uint64]:
    """All-ones words where ``flags``, zeros elsewhere, shaped to broadcast over rows."""
    return (flags.astype(np.uint64) * np.uint64(0xFFFFFFFFFFFFFFFF))[:, None]


def _unpack(rows: Bits, width: int) -> NDArray[np.bool_]:
    """(rows, words) of bits → (rows, width) booleans, bit s of word w is column 64w+s."""
    if rows.shape[0] == 0:
        return np.zeros((0, width), dtype=bool)
    as_bytes = rows.astype("<u8").view(np.uint8).reshape(rows.shape[0], -1)
    return np.unpackbits(as_bytes, axis=1, bitorder="little")[:, :width].astype(bool)


def _column_counts(rows: Bits, width: int, chunk: int = 8192) -> NDArray[np.int64]:
    """How many rows have each bit set, for the first ``width`` bits."""
    total = np.zeros(width, dtype=np.int64)
    for start in range(0, rows.shape[0], chunk):
        total += _unpack(rows[start : start + chunk], width).sum(axis=0)
    return total


# ---------------------------------------------------------------- generating


def every_single_loss(graph: ScenarioGraph, kinds: Iterable[str] = KINDS) -> list[Scenario]:
    """One scenario per provider, owner group (an owner of at least two estate
    providers, or a catalog parent), jurisdiction, region and site of the estate."""
    wanted = set(kinds)
    out: list[Scenario] = []
    if "provider" in wanted:
        out += [Scenario(f"provider:{p.id}", (("provider", p.id),)) for p in graph.estate.providers]
    if "owner" in wanted:
        providers = {p.id for p in graph.estate.providers}
        for owner, reached in sorted(graph.owner_reach.items()):
            if len(reached) > 1 or owner not in providers:
                out.append(Scenario(f"owner:{owner}", (("owner", owner),)))
    if "jurisdiction" in wanted:
        out += [
            Scenario(f"jurisdiction:{c}", (("jurisdiction", c),))
            for c in sorted(graph.country_reach)
        ]
    if "region" in wanted:
        regions = sorted(
            {a.location.region for a in graph.estate.assets if a.location and a.location.region}
        )
        out += [Scenario(f"region:{r}", (("region", r),)) for r in regions]
    if "site" in wanted:
        out += [
            Scenario(f"site:{a.id}", (("site", a.id),))
            for a in graph.estate.assets
            if a.category == "site"
        ]
    return out
