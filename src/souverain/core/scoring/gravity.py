"""Gravity: how grave each asset and provider is, from the processes that reach it.

An asset's gravity is the highest criticality of any process that reaches it
through ``depends_on`` (redundancy groups included), its provider and the
provider's subcontractors, transitively. The process that makes it grave is
kept, to be shown to the user.

Two edges pass on less or more than a plain requirement:

- a member of an ``any_of`` group that has a partner *independent* of it (no owner,
  foreign country, region or required asset in common:
  :mod:`souverain.core.scoring.redundancy`) is no single point of failure: it takes the
  gravity one step lower (vital → important → useful → minor, never below minor),
  the process still named;
- a backup (an asset that ``protects`` others) takes the gravity of what it protects.

Separately, :func:`strict_needs` finds, for every node, the tightest
``max_downtime`` among processes that cannot run without it: reached through
plain requirements only, never through an ``any_of`` group.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from souverain.core.estate.duration import Duration
from souverain.core.estate.model import AnyOf, Estate, Requirement
from souverain.core.vocabulary import CRITICALITIES, GRAVITIES, Gravity

# Node keys: ("asset", id) or ("provider", id).
Node = tuple[str, str]
# An edge: (child, strict, steps down the gravity takes through it).
Edge = tuple[Node, bool, int]
# Whether a member of a group (the group's members, the member) has an independent partner.
Independence = Callable[[Sequence[str], str], bool]


@dataclass(frozen=True)
class GravityOf:
    """A node's gravity and the process that gives it."""

    gravity: Gravity
    process: str | None


@dataclass(frozen=True)
class Need:
    """The tightest downtime a node may cause, and the process behind it.

    ``unknown`` names a process that strictly needs the node but whose
    ``max_downtime`` is not assessed (the first one found), if any.
    """

    max_downtime: Duration | None
    process: str | None
    unknown: str | None

    def merge(self, other: Need, order: Mapping[str, int]) -> Need:
        """The tighter of two needs; on a tie, the earlier process (in ``order``, the
        estate's order of processes), so that the result does not depend on the order
        of merging; ``unknown`` is likewise the earliest process not assessed."""
        best = self
        if other.max_downtime is not None and (
            self.max_downtime is None
            or other.max_downtime < self.max_downtime
            or (
                other.max_downtime == self.max_downtime
                and order[other.process or ""] < order[self.process or ""]
            )
        ):
            best = other
        unknown = self.unknown
        if other.unknown is not None and (unknown is None or order[other.unknown] < order[unknown]):
            unknown = other.unknown
        return Need(best.max_downtime, best.process, unknown)


class DependencyGraph:
    """Edges of the estate for gravity: AND edges, OR (``any_of``) edges and the edges
    from a protected asset to its backups.

    ``independent``: whether a group's member has an independent partner (by default,
    none has: every member takes the full gravity).
    """

    def __init__(self, estate: Estate, independent: Independence | None = None) -> None:
        self.estate = estate
        self.assets = {a.id: a for a in estate.assets}
        self.providers = {p.id: p for p in estate.providers}
        self.independent: Independence = independent or _never
        self.children: dict[Node, list[Edge]] = {}
        for asset in estate.assets:
            edges = self.process_edges(asset.depends_on)
            if asset.provider:
                edges.append((("provider", asset.provider), True, 0))
            self.children[("asset", asset.id)] = edges
        for asset in estate.assets:
            for protected in asset.protects:
                self.children[("asset", protected)].append((("asset", asset.id), False, 0))
        for provider in estate.providers:
            self.children[("provider", provider.id)] = [
                (("provider", s), True, 0) for s in provider.subcontractors
            ]

    def process_edges(self, requirements: list[Requirement]) -> list[Edge]:
        edges: list[Edge] = []
        for requirement in requirements:
            if isinstance(requirement, AnyOf):
                group = requirement.any_of
                edges.extend(
                    (("asset", m), False, 1 if self.independent(group, m) else 0) for m in group
                )
            else:
                edges.append((("asset", requirement), True, 0))
        return edges

    def topological(self) -> list[Node]:
        """Assets and providers, every node before those it depends on."""
        indegree: dict[Node, int] = dict.fromkeys(self.children, 0)
        for edges in self.children.values():
            for child, _, _ in edges:
                indegree[child] = indegree.get(child, 0) + 1
        queue = deque(n for n, d in indegree.items() if d == 0)
        order: list[Node] = []
        while queue:
            node = queue.popleft()
            order.append(node)
            for child, _, _ in self.children.get(node, ()):
                indegree[child] -= 1
                if indegree[child] == 0:
                    queue.append(child)
        return order


def _never(group: Sequence[str], member: str) -> bool:
    return False


LOWEST = len(CRITICALITIES) - 1  # minor: a process reaching a node never leaves it at none


def stepped(key: tuple[int, int], step: int) -> tuple[int, int]:
    """A gravity key (criticality rank, process index) ``step`` steps lower."""
    return (min(LOWEST, key[0] + step), key[1]) if step else key


def gravities(graph: DependencyGraph) -> dict[Node, GravityOf]:
    """Gravity of every asset and provider; ``none`` where no process reaches it.

    Each node takes the smallest key (criticality rank, then the estate's order of
    processes) of the processes naming it and of the nodes requiring it, each key
    lowered by the steps of the edge (:data:`Edge`): a least fixed point, worked out
    rank by rank (a breadth-first walk per rank and process, in order, each node
    claimed once; an edge that steps down defers its child to a later rank).
    """
    processes = graph.estate.processes
    claimed: dict[Node, tuple[int, int]] = {}
    pending: list[list[tuple[int, Node]]] = [[] for _ in CRITICALITIES]
    for index, process in enumerate(processes):
        rank = CRITICALITIES.index(process.criticality)
        for node, _, step in graph.process_edges(process.depends_on):
            pending[min(LOWEST, rank + step)].append((index, node))
    for rank, seeds in enumerate(pending):
        seeds.sort(key=_first)  # stable: by process, then as found
        at = 0
        while at < len(seeds):
            index = seeds[at][0]
            queue: deque[Node] = deque()
            while at < len(seeds) and seeds[at][0] == index:
                queue.append(seeds[at][1])
                at += 1
            while queue:
                node = queue.popleft()
                if node in claimed:
                    continue
                claimed[node] = (rank, index)
                for child, _, step in graph.children.get(node, ()):
                    if child in claimed:
                        continue
                    if step and rank < LOWEST:
                        pending[rank + 1].append((index, child))
                    else:
                        queue.append(child)
    none = GravityOf(GRAVITIES[-1], None)
    result: dict[Node, GravityOf] = {}
    for node in graph.children:
        kept = claimed.get(node)
        result[node] = (
            none if kept is None else GravityOf(CRITICALITIES[kept[0]], processes[kept[1]].id)
        )
    return result


def _first(seed: tuple[int, Node]) -> int:
    return seed[0]


def strict_needs(graph: DependencyGraph) -> dict[Node, Need]:
    """For each node that some process cannot run without, the tightest downtime.

    Propagates down plain (AND) edges in topological order: O(nodes + edges). The
    result does not depend on that order (see :meth:`Need.merge`): the what-if of
    :mod:`souverain.core.scoring.whatif` works needs out again locally and must agree.
    """
    needs: dict[Node, Need] = {}
    order = {p.id: index for index, p in enumerate(graph.estate.processes)}
    for process in graph.estate.processes:
        own = (
            Need(process.max_downtime, process.id, None)
            if process.max_downtime is not None
            else Need(None, None, process.id)
        )
        for node, strict, _ in graph.process_edges(process.depends_on):
            if strict:
                needs[node] = needs[node].merge(own, order) if node in needs else own
    for node in graph.topological():
        need = needs.get(node)
        if need is None:
            continue
        for child, strict, _ in graph.children.get(node, ()):
            if strict:
                needs[child] = needs[child].merge(need, order) if child in needs else need
    return needs
