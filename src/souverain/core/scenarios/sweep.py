"""The bit-parallel engine (docs/scenarios.md): :func:`simulate_many` evaluates any
number of scenarios together, one bit per scenario, level by level over the graph's
CSR adjacency with numpy, and gives a :class:`Batch`; :func:`outcome_of` reads one
scenario's :class:`~souverain.core.scenarios.reference.Outcome` from it, the same as
the reference walk's (tests compare them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from souverain.core.estate.duration import Duration
from souverain.core.scenarios.graph import (
    ASSET,
    GROUP,
    PROVIDER,
    Bits,
    Index,
    ScenarioGraph,
    edges_of,
)
from souverain.core.scenarios.reference import (
    DEFAULT_GRACE,
    DEGRADED,
    DOWN,
    STATES,
    UP,
    Outcome,
    ProcessOutcome,
    lost_data,
)
from souverain.core.scenarios.spec import Scenario


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
    _processes: list[list[ProcessOutcome]] | None = field(default=None, repr=False)
    _unreachable: list[tuple[str, ...]] | None = field(default=None, repr=False)
    _lost: list[tuple[str, ...]] | None = field(default=None, repr=False)

    def process_outcomes(self) -> list[list[ProcessOutcome]]:
        """Per process (estate order), its outcome for each state and answer to
        "exceeds its max downtime", at ``3 * state + exceeds + 1`` (exceeds is -1 for
        unknown): a process has few outcomes, shared by every scenario that gives it one
        (worked out once)."""
        if self._processes is None:
            impacts = (Duration.of_days(0), self.grace)
            self._processes = [
                [
                    ProcessOutcome(
                        process.id,
                        STATES[state],
                        None if state == UP else impacts[state == DEGRADED],
                        None if exceeds < 0 else bool(exceeds),
                    )
                    for state in (UP, DEGRADED, DOWN)
                    for exceeds in (-1, 0, 1)
                ]
                for process in self.graph.estate.processes
            ]
        return self._processes

    def asset_hits(self, column: int) -> tuple[Index, NDArray[np.int8]]:
        """The assets scenario ``column`` does not leave up (their numbers, in estate
        order) and their states, for a batch made with ``outcomes=True``."""
        if self.hits is None:
            raise ValueError("the batch was made without outcomes=True")
        columns, assets, states = self.hits
        first, last = np.searchsorted(columns, [column, column + 1]).tolist()
        return assets[first:last], states[first:last]

    def unreachable_data(self) -> list[tuple[str, ...]]:
        """Per scenario, :func:`~souverain.core.scenarios.reference.unreachable_data`:
        the data categories every holder of which is down, none keeping a copy outside;
        for a batch made with ``outcomes=True``, for all its scenarios at once (worked
        out once)."""
        if self._unreachable is None:
            lost = self.lost_data()
            self._unreachable = [
                tuple(c for c in found if c not in gone) if gone else found
                for found, gone in zip(_unreachable(self), lost, strict=True)
            ]
        return self._unreachable

    def lost_data(self) -> list[tuple[str, ...]]:
        """Per scenario, :func:`~souverain.core.scenarios.reference.lost_data`: what a
        site loss destroys (worked out once; it depends on the sites, not the states)."""
        if self._lost is None:
            self._lost = [lost_data(self.graph, scenario) for scenario in self.scenarios]
        return self._lost


def _unreachable(batch: Batch) -> list[tuple[str, ...]]:
    """:meth:`Batch.unreachable_data`: the assets down in each scenario, paired with the
    categories they hold (those with no copy outside), counted per scenario and
    category against the category's holders."""
    if batch.hits is None:
        raise ValueError("the batch was made without outcomes=True")
    walk = batch.graph.walk()
    names = sorted(c for c in walk.holders if c not in walk.copied)
    number = {name: n for n, name in enumerate(names)}
    held = [
        sorted({number[c] for c in walk.data.get(ident, ()) if c in number})
        for ident, _ in walk.assets
    ]
    holders = np.zeros(len(names), dtype=np.int64)
    for categories in held:
        holders[categories] += 1
    ptr = np.zeros(len(held) + 1, dtype=np.int64)
    np.cumsum([len(categories) for categories in held], out=ptr[1:])
    flat = np.fromiter((c for cs in held for c in cs), dtype=np.int64, count=int(ptr[-1]))
    columns, assets, states = batch.hits
    down = states == DOWN
    columns, assets = columns[down], assets[down]
    _, edges = edges_of(ptr, assets)
    width = max(1, len(names))
    pairs = np.repeat(columns, ptr[assets + 1] - ptr[assets]) * width + flat[edges]
    found, times = np.unique(pairs, return_counts=True)
    lost = found[times == holders[found % width]]
    out: list[list[str]] = [[] for _ in batch.scenarios]
    for column, category in zip((lost // width).tolist(), (lost % width).tolist(), strict=True):
        out[column].append(names[category])
    return [tuple(categories) for categories in out]


def outcome_of(batch: Batch, column: int) -> Outcome:
    """Scenario ``column`` of a batch made with ``outcomes=True``: the same outcome as
    :func:`simulate_one` gives (a test compares them), read from the batch rather than
    walked again (``simulate --all`` details every scenario: walking each one anew is
    quadratic on a long chain of subcontractors)."""
    walk = batch.graph.walk()
    numbers, values = batch.asset_hits(column)
    ids = [walk.assets[number][0] for number in numbers.tolist()]
    affected = tuple(zip(ids, [STATES[value] for value in values.tolist()], strict=True))
    codes = (batch.states[:, column] * 3 + batch.exceeds[:, column] + 1).tolist()
    processes = tuple(row[code] for row, code in zip(batch.process_outcomes(), codes, strict=True))
    return Outcome(
        batch.scenarios[column],
        processes,
        affected,
        batch.unreachable_data()[column],
        len(walk.assets),
        batch.lost_data()[column],
    )


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
    plan = _sweep_plan(graph, grace, thresholds)
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


SweepPlan = tuple[dict[float, float], list[float], dict[float, NDArray[np.bool_]]]


def _sweep_plan(graph: ScenarioGraph, grace: Duration, thresholds: list[float]) -> SweepPlan:
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
    graph: ScenarioGraph, scenarios: Sequence[Scenario], grace: Duration, plan: SweepPlan
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
