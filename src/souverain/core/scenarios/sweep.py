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
    Bits,
    Index,
    ScenarioGraph,
    edges_of,
)
from souverain.core.scenarios.reference import (
    DEGRADED,
    DOWN,
    STATES,
    UNPATCHED,
    UP,
    Outcome,
    ProcessOutcome,
    lost_data,
)
from souverain.core.scenarios.spec import Scenario
from souverain.core.scenarios.steps import SweepStep, bit_mask

__all__ = ["Batch", "SweepStep", "outcome_of", "simulate_many"]


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
    grace: Duration | None  # the override of every survivability, if any
    # (processes, scenarios): a degraded process's time to impact, as its index in
    # ``impact_values`` (-1 for none: up, unpatched or down).
    impacts: NDArray[np.int16] = field(default_factory=lambda: np.zeros((0, 0), np.int16))
    impact_values: tuple[Duration, ...] = ()
    # With outcomes=True: every asset not up in some scenario, as three arrays sorted
    # by scenario then asset: the scenario, the asset (estate order), its state.
    hits: tuple[Index, Index, NDArray[np.int8]] | None = None
    _processes: list[list[ProcessOutcome]] | None = field(default=None, repr=False)
    _unreachable: list[tuple[str, ...]] | None = field(default=None, repr=False)
    _lost: list[tuple[str, ...]] | None = field(default=None, repr=False)

    def outcome_width(self) -> int:
        """How many outcomes each row of :meth:`process_outcomes` holds."""
        return 4 * 3 * (len(self.impact_values) + 1)

    def codes(self) -> NDArray[np.int64]:
        """(processes, scenarios): each process's outcome in each scenario, as its
        place in its row of :meth:`process_outcomes`."""
        width = len(self.impact_values) + 1
        code = self.states.astype(np.int64) * 3 + self.exceeds + 1
        return code * width + self.impacts.astype(np.int64) + 1

    def process_outcomes(self) -> list[list[ProcessOutcome]]:
        """Per process (estate order), its outcome for each state, answer to "exceeds
        its max downtime" and time to impact, at the place :meth:`codes` gives: a
        process has few outcomes, shared by every scenario that gives it one (worked
        out once)."""
        if self._processes is None:
            nought = Duration.of_days(0)
            impacts: tuple[Duration | None, ...] = (None, *self.impact_values)

            def impact(state: int, number: int) -> Duration | None:
                if state == DOWN:
                    return nought
                return impacts[number] if state == DEGRADED else None

            self._processes = [
                [
                    ProcessOutcome(
                        process.id,
                        STATES[state],
                        impact(state, number),
                        None if exceeds < 0 else bool(exceeds),
                    )
                    for state in (UP, UNPATCHED, DEGRADED, DOWN)
                    for exceeds in (-1, 0, 1)
                    for number in range(len(impacts))
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
    codes = batch.codes()[:, column].tolist()
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
    grace: Duration | None = None,
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
    (``exceeds`` is then -1 throughout). ``grace``, if given, overrides every asset's
    survivability but the indefinite ones (``ScenarioGraph.graces``). ``outcomes=True``
    also keeps every asset each scenario hits, for :func:`outcome_of` (and works out
    the exceeding outages).
    """
    with_exceeds = with_exceeds or outcomes
    processes = graph.processes
    count = len(scenarios)
    states = np.zeros((len(processes), count), dtype=np.int8)
    exceeds = np.full((len(processes), count), -1, dtype=np.int8)
    assets_down = np.zeros(count, dtype=np.int64)
    assets_hit = np.zeros(count, dtype=np.int64)
    thresholds = sorted(set(_limits(graph).values())) if with_exceeds else []
    survives = graph.graces(grace)
    plan = _sweep_plan(graph, survives, thresholds)
    words = graph.grace_words(grace)
    is_asset_node = graph.kind == ASSET
    finite = survives[is_asset_node]
    stops_at = sorted(set(finite[np.isfinite(finite)].tolist()))
    impact_values = tuple(words[h] for h in stops_at)
    impacts = np.full((len(processes), count), -1, dtype=np.int16)
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
        down, hit, touched, long, stops, maybe = _propagate(graph, chunk, survives, plan, stops_at)
        width = len(chunk)
        span = slice(start, start + width)
        p_down = _unpack(down[processes], width)
        p_hit = _unpack(hit[processes], width)
        p_touched = _unpack(touched[processes], width)
        states[:, span] = np.where(
            p_down, DOWN, np.where(p_hit, DEGRADED, np.where(p_touched, UNPATCHED, UP))
        )
        degraded = p_hit & ~p_down
        if len(stops_at) <= 1:  # one survivability (or none: nothing is degraded)
            impacts[:, span] = np.where(degraded, len(stops_at) - 1, -1)
        else:
            # The first survivability within which the process stops.
            found = np.full(degraded.shape, -1, dtype=np.int16)
            for number in range(len(stops_at) - 1, -1, -1):
                bits = _unpack(stops[number][processes], width)
                found = np.where(bits, number, found)
            impacts[:, span] = np.where(degraded, found, -1)
        p_maybe = _unpack(maybe[processes], width) if limits else None
        for row, limit in limits.items():
            bits = _unpack(long[limit][processes[row] : processes[row] + 1], width)[0]
            known = np.where(p_hit[row], bits, 0)
            # May stop at a date no one knows: "no" becomes unknown.
            assert p_maybe is not None
            exceeds[row, span] = np.where(p_maybe[row] & (known == 0), -1, known)
        if count_assets:
            assets_down[span] = _column_counts(down[asset_rows], width)
            assets_hit[span] = _column_counts(hit[asset_rows], width)
        if outcomes:
            kept[start] = _asset_hits(
                down[asset_rows], hit[asset_rows], touched[asset_rows], width, start
            )

    kept: dict[int, tuple[Index, Index, NDArray[np.int8]]] = {}
    starts = list(range(0, count, size))
    if threads > 1 and len(starts) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(run, starts))
    else:
        for start in starts:
            run(start)
    hits = None
    if outcomes:
        parts = [kept[start] for start in starts]
        columns = np.concatenate([p[0] for p in parts] or [np.zeros(0, dtype=np.int64)])
        assets = np.concatenate([p[1] for p in parts] or [np.zeros(0, dtype=np.int64)])
        values = np.concatenate([p[2] for p in parts] or [np.zeros(0, dtype=np.int8)])
        order = np.lexsort((assets, columns))
        hits = (columns[order], assets[order], values[order])
    return Batch(
        graph,
        list(scenarios),
        states,
        exceeds,
        assets_down,
        assets_hit,
        grace,
        hits=hits,
        impacts=impacts,
        impact_values=impact_values,
    )


def _asset_hits(
    down: Bits, hit: Bits, touched: Bits, width: int, start: int
) -> tuple[Index, Index, NDArray[np.int8]]:
    """Every (scenario, asset, state) of one pass where the asset is not up: from the
    non-zero words only, so in time with what is hit, not with assets × scenarios."""
    rows, words = np.nonzero(touched)
    if rows.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.int8)
    as_bytes = touched[rows, words].astype("<u8").view(np.uint8).reshape(-1, 8)
    which, bit = np.nonzero(np.unpackbits(as_bytes, axis=1, bitorder="little"))
    assets = rows[which]
    word = words[which]
    columns = word * 64 + bit
    keep = columns < width
    assets, word, bit, columns = assets[keep], word[keep], bit[keep], columns[keep]
    shift = bit.astype(np.uint64)
    is_down = ((down[assets, word] >> shift) & np.uint64(1)).astype(bool)
    is_hit = ((hit[assets, word] >> shift) & np.uint64(1)).astype(bool)
    states = np.where(is_down, DOWN, np.where(is_hit, DEGRADED, UNPATCHED)).astype(np.int8)
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


def _sweep_plan(
    graph: ScenarioGraph, survives: NDArray[np.float64], thresholds: list[float]
) -> SweepPlan:
    """Which max-downtime thresholds need their own outage bits, and where.

    Two thresholds with no exit time (nor exit time less survivability) between them
    give the same bits: one is worked out per class. And the bits for a class only
    matter below the processes whose max downtime is in it.
    """
    is_asset = graph.kind == ASSET
    exit_hours = graph.exit_hours
    left = _left_after(exit_hours, survives)
    values = np.unique(np.concatenate([exit_hours[is_asset], left[is_asset]]))
    first_of: dict[int, float] = {}
    for t in thresholds:
        first_of.setdefault(int(np.searchsorted(values, t, side="right")), t)
    same = {t: first_of[int(np.searchsorted(values, t, side="right"))] for t in thresholds}
    distinct = sorted(set(same.values()))
    limits = _limits(graph)
    tops = {t: [node for node, limit in limits.items() if same.get(limit) == t] for t in distinct}
    return same, distinct, _below(graph, tops)


def _left_after(
    exit_hours: NDArray[np.float64], survives: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Per node, its exit time less its survivability: how long its outage lasts once
    it has stopped (-inf when it runs indefinitely: no outage)."""
    with np.errstate(invalid="ignore"):
        return np.where(np.isinf(survives), -np.inf, exit_hours - survives)


def _or_rows(bits: Bits, rows: Index, values: Bits, unique: bool) -> None:
    """``bits[rows] |= values``, rows repeated or not."""
    if unique:
        bits[rows] |= values
    else:
        np.bitwise_or.at(bits, rows, values)


def _propagate(
    graph: ScenarioGraph,
    scenarios: Sequence[Scenario],
    survives: NDArray[np.float64],
    plan: SweepPlan,
    stops_at: Sequence[float] = (),
) -> tuple[Bits, Bits, Bits, dict[float, Bits], list[Bits], Bits]:
    """Bit sets of the nodes down, hit (degraded or down), touched (unpatched or
    worse), per max_downtime threshold T in an outage longer than T, (with more
    than one survivability in ``stops_at``) per survivability S stopped within S, and
    that may stop at a date no one knows (a survivability unknown below: ``nan``), for
    each scenario (one bit each)."""
    words = max(1, -(-len(scenarios) // 64))
    seed_down, seed_degraded = _seed_bits(graph, scenarios, words)
    is_asset = graph.kind == ASSET
    exit_hours = graph.exit_hours
    runs_on = np.isfinite(survives)  # stops once its survivability is spent
    unknown = np.isnan(survives)  # whether it stops at all is unknown
    down = seed_down.copy()
    hit = seed_down | (seed_degraded & bit_mask(runs_on))
    touched = seed_down | seed_degraded
    maybe = seed_degraded & bit_mask(unknown)
    # Only an unknown survivability behind a soft edge, or seeded degraded, may stop:
    # without one, no node may (the bits stay empty, not worked out level by level).
    softly = np.zeros(len(graph.names), dtype=bool)
    softly[np.repeat(np.arange(len(graph.names)), np.diff(graph.indptr))[graph.soft != 0]] = True
    track = bool((unknown & softly).any() or maybe.any())
    left = _left_after(exit_hours, survives)
    same, distinct, relevant = plan
    # An asset lost itself stays out for its exit time; a degraded one, for its exit
    # time less its survivability.
    seeded = np.flatnonzero(is_asset & ((seed_down != 0).any(1) | (seed_degraded != 0).any(1)))
    long: dict[float, Bits] = {}
    for t in distinct:
        bits = np.zeros_like(down)
        if seeded.size:
            bits[seeded] = (seed_down[seeded] & bit_mask(exit_hours[seeded] > t)) | (
                seed_degraded[seeded] & bit_mask(left[seeded] > t)
            )
        long[t] = bits
    timed = list(stops_at) if len(stops_at) > 1 else []
    stops: list[Bits] = [seed_down | (seed_degraded & bit_mask(survives <= s)) for s in timed]
    for step in graph.steps():
        if step.plain.size:
            children, starts = step.children, step.starts
            child_down = down[children]
            down[step.plain] |= np.bitwise_or.reduceat(child_down & step.carries, starts, axis=0)
            # A soft edge degrades only a parent that stops one day; else it leaves it
            # unpatched.
            degrades = step.carries | bit_mask(runs_on[step.parent])
            hit[step.plain] |= np.bitwise_or.reduceat(
                (hit[children] | child_down) & degrades, starts, axis=0
            )
            touched[step.plain] |= np.bitwise_or.reduceat(touched[children], starts, axis=0)
            # May stop: a child may, or a soft edge to what is lost, its parent's
            # survivability unknown.
            if track:
                unsure = step.carries | bit_mask(~unknown[step.parent])
                maybe[step.plain] |= np.bitwise_or.reduceat(
                    maybe[children] | (child_down & ~unsure), starts, axis=0
                )
            p_parent = step.p_parent
            p_down = child_down[step.p_edge]
            if timed:
                # Through a hard edge a child's stop carries up; through a soft one the
                # parent stops once its survivability is spent.
                for number, s in enumerate(timed):
                    bits = stops[number]
                    bits[step.plain] |= np.bitwise_or.reduceat(
                        bits[children] & step.carries, starts, axis=0
                    )
                    soon = step.p_soft & (survives[p_parent] <= s)
                    if soon.any():
                        _or_rows(bits, p_parent[soon], p_down[soon], step.p_unique)
            if distinct:
                # Through its provider, licensor or update channel, an asset is out for
                # its own exit time (less its survivability through a soft edge).
                p_hours = np.where(step.p_soft, left[p_parent], exit_hours[p_parent])
                # Through any other requirement, the child's outage carries up.
                for t in distinct:
                    own = (p_hours > t) & relevant[t][p_parent]
                    if own.any():
                        _or_rows(long[t], p_parent[own], p_down[own], step.p_unique)
                    keep = relevant[t][step.o_parents]
                    if keep.any():
                        _or_runs(long[t], step.o_parents, step.o_children, step.o_starts, keep)
        if step.groups.size:
            groups, children, starts = step.groups, step.g_children, step.g_starts
            all_down = np.bitwise_and.reduceat(down[children], starts, axis=0)
            all_hit = np.bitwise_and.reduceat(hit[children], starts, axis=0)
            down[groups] |= all_down
            hit[groups] |= all_hit
            touched[groups] |= np.bitwise_and.reduceat(touched[children], starts, axis=0)
            if track:  # may stop: every member stops or may, and one may
                maybe[groups] |= np.bitwise_and.reduceat(
                    hit[children] | maybe[children], starts, axis=0
                ) & np.bitwise_or.reduceat(maybe[children], starts, axis=0)
            for bits in stops:
                bits[groups] |= np.bitwise_and.reduceat(bits[children], starts, axis=0)
            not_hit = ~hit[children]
            for t in distinct:
                # Back as soon as one member is: long only when no member is up or short.
                if not relevant[t][groups].any():
                    continue
                any_ok = np.bitwise_or.reduceat(not_hit | ~long[t][children], starts, axis=0)
                long[t][groups] |= all_hit & ~any_ok
    return down, hit, touched, {t: long[same[t]] for t in same}, stops, maybe


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
