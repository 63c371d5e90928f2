"""The reference semantics of a scenario (docs/scenarios.md): :func:`simulate_one`
walks one scenario node by node in plain Python, children first, over only the nodes
above its seeds. The bit-parallel engine (core/scenarios/sweep.py) must give the same
:class:`Outcome`; tests compare them.

States: 0 up, 1 unpatched (still running, indefinitely, without the updates of what
was lost), 2 degraded (still running; stops once its survivability is spent), 3 down.
An asset whose licence terms are unknown is unpatched, and *may* stop: whether an
outage it is below exceeds a max downtime is then unknown, unless known to.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from souverain.core.estate.duration import Duration
from souverain.core.scenarios.graph import (
    ASSET,
    DEFAULT_GRACE,
    GROUP,
    INFINITE,
    PROVIDER,
    ScenarioGraph,
)
from souverain.core.scenarios.spec import Scenario

UP, UNPATCHED, DEGRADED, DOWN = 0, 1, 2, 3
STATES = ("up", "unpatched", "degraded", "down")
__all__ = ["DEFAULT_GRACE", "DEGRADED", "DOWN", "STATES", "UNPATCHED", "UP"]


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
    assets: tuple[tuple[str, str], ...]  # (asset id, state) of the assets not up, estate order
    unreachable_data: tuple[str, ...]  # not lost (below), but no holder can be reached
    asset_count: int  # the estate's assets, up or not
    # Held only at a site the scenario destroys, with no copy known off it: gone.
    lost_data: tuple[str, ...] = ()


# ------------------------------------------------------------ the reference


def simulate_one(
    graph: ScenarioGraph, scenario: Scenario, grace: Duration | None = None
) -> Outcome:
    """One scenario, node by node, in plain Python: the reference semantics.

    An asset that loses what it only needs for its licence and updates (its licensor,
    its update channel, or the vendor of what it runs on premises) keeps running for
    its survivability (``ScenarioGraph.graces``; ``grace`` overrides it): degraded, or
    unpatched when it runs indefinitely.

    One whose survivability is unknown (``nan``: its licence terms are unknown) is
    unpatched, and *may stop*: through AND a node may stop when a child may; an
    ``any_of`` group when every member is degraded, down or may stop, and one may.
    A process that may stop exceeds its max downtime when its known outage does, and
    else it is unknown whether it does (never "no").

    Besides its state, each node that is not up gets ``excess``: the outage exceeds
    a max downtime T exactly when ``excess > T``. An asset lost now has its exit time;
    a degraded one its exit time less its survivability (it can be left while it
    still runs); an unpatched one has no outage. Through AND the largest excess
    counts, through OR the smallest. And ``impact``: the hours until it stops (0 when
    down; through AND the smallest, through OR the largest).

    Only the nodes above the scenario's seeds can be hit: they alone are visited,
    children first (every other node stays up, with no excess).
    """
    seed_down, seed_degraded = graph.seeds(scenario)
    nodes = graph.walk().above(seed_down | seed_degraded)
    return _simulate(graph, scenario, grace, (seed_down, seed_degraded), nodes)


def _simulate(
    graph: ScenarioGraph,
    scenario: Scenario,
    grace: Duration | None,
    seeds: tuple[set[int], set[int]],
    nodes: Iterable[int],
) -> Outcome:
    """:func:`simulate_one` over ``nodes`` (children before parents); the others are up."""
    seed_down, seed_degraded = seeds
    walk = graph.walk()
    state = [UP] * len(graph.names)
    survives = graph.graces(grace).tolist()
    excess = [0.0] * len(graph.names)
    impact = [INFINITE] * len(graph.names)
    maybe = [False] * len(graph.names)  # may stop (a survivability unknown below)
    kinds, exit_hours = walk.kinds, walk.exit_hours
    for node in nodes:
        children = walk.children[node]
        kind = kinds[node]
        if kind == GROUP:
            state[node] = min(state[c] for c in children)
            if state[node] != UP:
                excess[node] = min(excess[c] for c in children)
                impact[node] = max(impact[c] for c in children)
                maybe[node] = any(maybe[c] for c in children) and all(
                    state[c] >= DEGRADED or maybe[c] for c in children
                )
            continue
        here, hours, stops = _own(node, seed_down, seed_degraded, graph, survives)
        may = node in seed_degraded and math.isnan(survives[node])
        for child, is_soft in zip(children, walk.softs[node], strict=True):
            if state[child] == UP:
                continue
            if kinds[child] == PROVIDER and kind == ASSET:
                # The provider is gone: this asset must be left, in its exit time; one
                # that only needs it for its licence and updates runs for its survival.
                if not is_soft:
                    effect, length, when = DOWN, exit_hours[node], 0.0
                else:
                    effect, length, when = _survives(exit_hours[node], survives[node])
                    may = may or math.isnan(survives[node])
            else:
                effect, length, when = state[child], excess[child], impact[child]
                may = may or maybe[child]
            here = max(here, effect)
            hours = max(hours, length)
            stops = min(stops, when)
        state[node] = here
        excess[node] = hours if here != UP else 0.0
        impact[node] = stops
        maybe[node] = may
    return _outcome(graph, scenario, state, excess, impact, grace, maybe)


def _survives(exit_hours: float, survives: float) -> tuple[int, float, float]:
    """State, excess and impact of an asset that runs for ``survives`` hours more
    (``nan``: whether it stops is unknown; it runs on unpatched meanwhile)."""
    if survives == INFINITE or math.isnan(survives):
        return UNPATCHED, -INFINITE, INFINITE
    return DEGRADED, exit_hours - survives, survives


@dataclass(frozen=True)
class Walk:
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
    off_site: frozenset[str]  # assets keeping a copy off their site

    @classmethod
    def of(cls, graph: ScenarioGraph) -> Walk:
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
            frozenset(a.id for a in estate.assets if _has_off_site_copy(a)),
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
    node: int, down: set[int], degraded: set[int], graph: ScenarioGraph, survives: list[float]
) -> tuple[int, float, float]:
    if node in down:
        return DOWN, graph.exit_hours[node] if graph.kind[node] == ASSET else -INFINITE, 0.0
    if node in degraded:
        return _survives(graph.exit_hours[node], survives[node])
    return UP, -INFINITE, INFINITE


def _outcome(
    graph: ScenarioGraph,
    scenario: Scenario,
    state: Sequence[int],
    outage: Sequence[float],
    impact: Sequence[float],
    grace: Duration | None,
    maybe: Sequence[bool],
) -> Outcome:
    walk = graph.walk()
    words = graph.grace_words(grace)
    processes = [
        _process_outcome(
            process.id,
            state[node],
            outage[node],
            process.max_downtime,
            words.get(impact[node]),
            maybe[node],
        )
        for process, (_, node) in zip(graph.estate.processes, walk.processes, strict=True)
    ]
    assets = tuple((ident, STATES[state[node]]) for ident, node in walk.assets if state[node])
    lost = lost_data(graph, scenario)
    unreachable = unreachable_data(graph, {a for a, s in assets if s == "down"})
    return Outcome(
        scenario,
        tuple(processes),
        assets,
        tuple(c for c in unreachable if c not in lost),
        len(walk.assets),
        lost,
    )


def _process_outcome(
    ident: str,
    state: int,
    hours: float,
    max_downtime: Duration | None,
    stops: Duration | None,
    maybe: bool = False,
) -> ProcessOutcome:
    """A process's outcome; ``maybe``: it may stop at a date no one knows (an
    unpatched asset whose licence terms are unknown is below): "exceeds" is then
    unknown unless the known outage exceeds already."""
    if max_downtime is None:
        exceeds = None
    elif state in (UP, UNPATCHED):
        exceeds = False
    else:
        exceeds = bool(hours > max_downtime.seconds / 3600)
    if maybe and exceeds is False:
        exceeds = None
    if state in (UP, UNPATCHED):
        return ProcessOutcome(ident, STATES[state], None, exceeds)
    impact = Duration.of_days(0) if state == DOWN else stops
    return ProcessOutcome(ident, STATES[state], impact, exceeds)


def unreachable_data(graph: ScenarioGraph, down_assets: set[str]) -> tuple[str, ...]:
    """Data categories held only by assets that are down, with no copy outside."""
    walk = graph.walk()
    lost = {c for a in down_assets for c in walk.data.get(a, ()) if c not in walk.copied}
    return tuple(sorted(c for c in lost if all(h in down_assets for h in walk.holders[c])))


def lost_data(graph: ScenarioGraph, scenario: Scenario) -> tuple[str, ...]:
    """Data categories a scenario destroys: held only by assets standing at a site it
    loses (``site:``), none of which keeps a copy off the site. The same for both
    engines: it depends on the graph and the scenario's sites, not on the states.

    An asset stands at a lost site when it is the site, or the organisation runs it
    itself (on premises, or deployment unknown) and it requires something standing
    there (a server in the plant's room, a virtual machine on its cluster); an
    ``any_of`` group stands there when all its members do. A cloud or SaaS asset
    never does: its data is reachable from elsewhere.
    """
    sites = graph.lost_sites(scenario)
    if not sites:
        return ()
    walk = graph.walk()
    at = set(sites)
    on_site = graph.on_site
    for node in walk.above(sites):
        if node in at:
            continue
        children = walk.children[node]
        kind = walk.kinds[node]
        group_there = kind == GROUP and all(c in at for c in children)
        if group_there or (kind == ASSET and on_site[node] and any(c in at for c in children)):
            at.add(node)
    standing = {graph.id_of(node) for node in at}
    lost = {c for a in standing for c in walk.data.get(a, ())}
    return tuple(
        sorted(
            c
            for c in lost
            if all(h in standing for h in walk.holders[c])
            and not any(h in walk.off_site for h in walk.holders[c])
        )
    )


def _has_off_site_copy(asset: object) -> bool:
    """A copy kept away from the asset's site: held by the provider or a third party,
    or said to be off the site (``backup.off_site``)."""
    continuity = getattr(asset, "continuity", None)
    backup = continuity.backup if continuity else None
    if backup is None:
        return False
    return bool(backup.off_site) or backup.held_by in ("provider", "third-party")


def _has_outside_copy(asset: object) -> bool:
    continuity = getattr(asset, "continuity", None)
    backup = continuity.backup if continuity else None
    if backup is None:
        return False
    return bool(backup.offline_copy) or backup.held_by in ("organisation", "third-party")
