"""The levels of a :class:`~souverain.core.scenarios.graph.ScenarioGraph` as the
bit-parallel engine (core/scenarios/sweep.py) reads them: what does not depend on the
scenarios, worked out once per graph."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from souverain.core.scenarios.graph import (
    ASSET,
    GROUP,
    PROVIDER,
    Bits,
    Index,
    ScenarioGraph,
    edges_of,
)


@dataclass(frozen=True)
class SweepStep:
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
    p_unique: bool = True  # no asset has two soft or provider edges at this level

    @classmethod
    def all_of(cls, graph: ScenarioGraph) -> list[SweepStep]:
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
        starts, edges = edges_of(indptr, plain)
        children = indices[edges]
        parent = np.repeat(plain, fanout[plain])
        provider_edge = (kind[children] == PROVIDER) & (kind[parent] == ASSET)
        is_soft = soft[edges].astype(bool) & provider_edge
        carries = bit_mask(~is_soft)
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
        g_starts, g_edges = edges_of(indptr, groups)
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
                    bool(np.unique(p_parent[pa:pb]).size == pb - pa),
                )
            )
        return out


def bit_mask(flags: NDArray[np.bool_]) -> NDArray[np.uint64]:
    """All-ones words where ``flags``, zeros elsewhere, shaped to broadcast over rows."""
    return (flags.astype(np.uint64) * np.uint64(0xFFFFFFFFFFFFFFFF))[:, None]
