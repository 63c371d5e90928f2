"""Gravity: how grave each asset and provider is, from the processes that reach it.

An asset's gravity is the highest criticality of any process that reaches it
through ``depends_on`` (redundancy groups included), its provider and the
provider's subcontractors, transitively. The process that makes it grave is
kept, to be shown to the user.

Separately, :func:`strict_needs` finds, for every node, the tightest
``max_downtime`` among processes that cannot run without it: reached through
plain requirements only, never through an ``any_of`` group.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from souverain.core.estate.duration import Duration
from souverain.core.estate.model import AnyOf, Estate, Requirement
from souverain.core.vocabulary import CRITICALITIES, GRAVITIES, Gravity

# Node keys: ("asset", id) or ("provider", id).
Node = tuple[str, str]


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
    """Edges of the estate for gravity: AND edges and OR (``any_of``) edges."""

    def __init__(self, estate: Estate) -> None:
        self.estate = estate
        self.assets = {a.id: a for a in estate.assets}
        self.providers = {p.id: p for p in estate.providers}
        # (child, strict) pairs
        self.children: dict[Node, list[tuple[Node, bool]]] = {}
        for asset in estate.assets:
            edges = _requirement_edges(asset.depends_on)
            if asset.provider:
                edges.append((("provider", asset.provider), True))
            self.children[("asset", asset.id)] = edges
        for provider in estate.providers:
            self.children[("provider", provider.id)] = [
                (("provider", s), True) for s in provider.subcontractors
            ]

    def process_edges(self, requirements: list[Requirement]) -> list[tuple[Node, bool]]:
        return _requirement_edges(requirements)

    def topological(self) -> list[Node]:
        """Assets and providers, every node before those it depends on."""
        indegree: dict[Node, int] = dict.fromkeys(self.children, 0)
        for edges in self.children.values():
            for child, _ in edges:
                indegree[child] = indegree.get(child, 0) + 1
        queue = deque(n for n, d in indegree.items() if d == 0)
        order: list[Node] = []
        while queue:
            node = queue.popleft()
            order.append(node)
            for child, _ in self.children.get(node, ()):
                indegree[child] -= 1
                if indegree[child] == 0:
                    queue.append(child)
        return order


def _requirement_edges(requirements: list[Requirement]) -> list[tuple[Node, bool]]:
    edges: list[tuple[Node, bool]] = []
    for requirement in requirements:
        if isinstance(requirement, AnyOf):
            edges.extend((("asset", member), False) for member in requirement.any_of)
        else:
            edges.append((("asset", requirement), True))
    return edges


def gravities(graph: DependencyGraph) -> dict[Node, GravityOf]:
    """Gravity of every asset and provider; ``none`` where no process reaches it."""
    result: dict[Node, GravityOf] = {}
    for criticality in CRITICALITIES:
        seeds = [p for p in graph.estate.processes if p.criticality == criticality]
        for process in seeds:
            queue = deque(n for n, _ in graph.process_edges(process.depends_on) if n not in result)
            while queue:
                node = queue.popleft()
                if node in result:
                    continue
                result[node] = GravityOf(criticality, process.id)
                queue.extend(c for c, _ in graph.children.get(node, ()) if c not in result)
    none = GravityOf(GRAVITIES[-1], None)
    for node in graph.children:
        result.setdefault(node, none)
    return result


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
        for node, strict in graph.process_edges(process.depends_on):
            if strict:
                needs[node] = needs[node].merge(own, order) if node in needs else own
    for node in graph.topological():
        need = needs.get(node)
        if need is None:
            continue
        for child, strict in graph.children.get(node, ()):
            if strict:
                needs[child] = needs[child].merge(need, order) if child in needs else need
    return needs
