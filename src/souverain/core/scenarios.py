"""Crisis scenarios (DESIGN.md §6, docs/scenarios.md): what stops when a provider,
an owner group, a jurisdiction, a region, a site or a product is lost.

:class:`ScenarioGraph` turns an estate into integer-indexed arrays once.
:func:`simulate_many` evaluates any number of scenarios together, one bit per
scenario, level by level over a CSR adjacency with numpy; :func:`simulate_one` is
the plain reference, one scenario at a time, that tests compare it with.

States: 0 up, 1 degraded (still running; stops after the grace period), 2 down.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from souverain.core.catalog import Catalog
from souverain.core.context import Resolver
from souverain.core.duration import Duration
from souverain.core.errors import InvalidInput, Problem
from souverain.core.model import CRITICALITIES, AnyOf, Estate, Requirement

UP, DEGRADED, DOWN = 0, 1, 2
STATES = ("up", "degraded", "down")
KINDS = ("provider", "owner", "jurisdiction", "region", "site", "asset", "product")
CLOUD = frozenset(("saas", "public-cloud", "private-cloud"))
DEFAULT_GRACE = Duration.of_days(30)
INFINITE = math.inf

# Node kinds in the arrays.
PROCESS, ASSET, PROVIDER, GROUP = 0, 1, 2, 3

Bits = NDArray[np.uint64]


@dataclass(frozen=True)
class Scenario:
    """One or more losses: ``provider:aws-emea+jurisdiction:US``."""

    spec: str
    losses: tuple[tuple[str, str], ...]


def parse_scenario(spec: str) -> Scenario:
    """A scenario from its text; :class:`InvalidInput` naming what is wrong."""
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
    return Scenario(spec.strip(), tuple(losses))


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
    ) -> ScenarioGraph:
        """The graph of ``estate``; ``exit_times`` gives each asset's time to leave it."""
        names: list[str] = []
        kinds: list[int] = []
        index: dict[str, int] = {}

        def add(name: str, kind: int) -> int:
            index[name] = len(names)
            names.append(name)
            kinds.append(kind)
            return index[name]

        for process in estate.processes:
            add(f"process:{process.id}", PROCESS)
        for asset in estate.assets:
            add(f"asset:{asset.id}", ASSET)
        for provider in estate.providers:
            add(f"provider:{provider.id}", PROVIDER)
        children: list[list[tuple[int, int]]] = [[] for _ in names]
        groups: list[list[int]] = []

        def requirement_edges(requirements: list[Requirement]) -> list[tuple[int, int]]:
            out = []
            for requirement in requirements:
                if isinstance(requirement, AnyOf):
                    members = [index[f"asset:{m}"] for m in dict.fromkeys(requirement.any_of)]
                    group = add(f"group:{len(groups)}", GROUP)
                    groups.append(members)
                    children.append([(m, 0) for m in members])
                    out.append((group, 0))
                else:
                    out.append((index[f"asset:{requirement}"], 0))
            return out

        for process in estate.processes:
            children[index[f"process:{process.id}"]] = requirement_edges(process.depends_on)
        for asset in estate.assets:
            edges = requirement_edges(asset.depends_on)
            if asset.provider:
                on_premise = 1 if asset.deployment == "on-premise" else 0
                edges.append((index[f"provider:{asset.provider}"], on_premise))
            children[index[f"asset:{asset.id}"]] = edges
        for provider in estate.providers:
            children[index[f"provider:{provider.id}"]] = [
                (index[f"provider:{s}"], 0) for s in dict.fromkeys(provider.subcontractors)
            ]
        counts = np.array([len(c) for c in children], dtype=np.int64)
        indptr = np.zeros(len(names) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        flat = [edge for edges in children for edge in edges]
        indices = np.array([c for c, _ in flat], dtype=np.int64)
        soft = np.array([s for _, s in flat], dtype=np.int8)
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
        graph._reach(estate, catalog)
        exit_hours = np.full(len(names), INFINITE)
        for asset in estate.assets:
            duration = (exit_times or {}).get(asset.id)
            if duration is not None:
                exit_hours[index[f"asset:{asset.id}"]] = duration.seconds / 3600
        graph.exit_hours = exit_hours
        return graph

    def _reach(self, estate: Estate, catalog: Catalog) -> None:
        resolver = Resolver(estate, catalog)
        for provider in estate.providers:
            for entity in resolver.chain(provider.id):
                self.owner_reach.setdefault(entity.id, []).append(provider.id)
                if entity.country:
                    reached = self.country_reach.setdefault(entity.country, [])
                    if provider.id not in reached:
                        reached.append(provider.id)

    def seeds(self, scenario: Scenario) -> tuple[set[int], set[int]]:
        """The nodes a scenario takes down at once, and those it degrades.

        Raises :class:`InvalidInput` for an id the estate does not have.
        """
        down: set[int] = set()
        degraded: set[int] = set()
        problems = []
        for kind, value in scenario.losses:
            found = self._seed(kind, value, down, degraded)
            if not found and kind in ("provider", "site", "asset", "owner"):
                problems.append(
                    Problem(
                        ("scenario",),
                        f"unknown {kind if kind != 'site' else 'asset'}",
                        f"an id of the estate's {'providers' if kind == 'provider' else 'assets'}"
                        if kind != "owner"
                        else "an estate or catalog provider id in some provider's owner chain",
                        repr(value),
                    )
                )
        if problems:
            raise InvalidInput("scenario", problems)
        return down, degraded

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
            wanted = value.casefold()
            down.update(
                self.index[f"asset:{a.id}"]
                for a in self.estate.assets
                if a.location and a.location.region and a.location.region.casefold() == wanted
            )
        elif kind == "product":
            degraded.update(
                self.index[f"asset:{a.id}"] for a in self.estate.assets if a.product == value
            )
        return True


def _levels(
    indptr: NDArray[np.int64], indices: NDArray[np.int64], n: int
) -> list[NDArray[np.int64]]:
    """Nodes by topological level: level 0 requires nothing; a node's level is one
    more than its highest child's. (The estate has no cycle: validation refuses them.)"""
    level = np.zeros(n, dtype=np.int64)
    remaining = np.diff(indptr).copy()
    parents_ptr, parents = _reverse(indptr, indices, n)
    frontier = np.flatnonzero(remaining == 0)
    while frontier.size:
        nxt = []
        for node in frontier.tolist():
            for parent in parents[parents_ptr[node] : parents_ptr[node + 1]].tolist():
                level[parent] = max(level[parent], level[node] + 1)
                remaining[parent] -= 1
                if remaining[parent] == 0:
                    nxt.append(parent)
        frontier = np.array(nxt, dtype=np.int64)
    order = np.argsort(level, kind="stable")
    bounds = np.searchsorted(level[order], np.arange(int(level.max(initial=0)) + 2))
    return [
        order[bounds[i] : bounds[i + 1]]
        for i in range(len(bounds) - 1)
        if bounds[i + 1] > bounds[i]
    ]


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
    """
    seed_down, seed_degraded = graph.seeds(scenario)
    state = [UP] * len(graph.names)
    grace_hours = grace.seconds / 3600
    excess = [0.0] * len(graph.names)
    for level in graph.levels:
        for node in level.tolist():
            span = slice(graph.indptr[node], graph.indptr[node + 1])
            children = graph.indices[span].tolist()
            softs = graph.soft[span].tolist()
            kind = graph.kind[node]
            if kind == GROUP:
                state[node] = min(state[c] for c in children)
                if state[node] != UP:
                    excess[node] = min(excess[c] for c in children)
                continue
            here, hours = _own(node, seed_down, seed_degraded, graph, grace_hours)
            for child, is_soft in zip(children, softs, strict=True):
                if state[child] == UP:
                    continue
                if graph.kind[child] == PROVIDER and kind == ASSET:
                    # The provider is gone: this asset must be left, in its exit time.
                    effect = DEGRADED if is_soft else DOWN
                    length = graph.exit_hours[node] - (grace_hours if is_soft else 0.0)
                else:
                    effect, length = state[child], excess[child]
                here = max(here, effect)
                hours = max(hours, length)
            state[node] = here
            excess[node] = hours if here != UP else 0.0
    return _outcome(graph, scenario, state, excess, grace)


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
    processes = []
    for process in graph.estate.processes:
        node = graph.index[f"process:{process.id}"]
        processes.append(
            _process_outcome(process.id, state[node], outage[node], process.max_downtime, grace)
        )
    assets = tuple((a.id, STATES[state[graph.index[f"asset:{a.id}"]]]) for a in graph.estate.assets)
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
    safe: set[str] = set()
    held: set[str] = set()
    for asset in graph.estate.assets:
        for category in asset.data or []:
            held.add(category)
            if asset.id not in down_assets or _has_outside_copy(asset):
                safe.add(category)
    return tuple(sorted(held - safe))


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
    estate order) and scenario ``s``, plus what :func:`outcome` needs to detail one."""

    graph: ScenarioGraph
    scenarios: list[Scenario]
    states: NDArray[np.int8]  # (processes, scenarios)
    exceeds: NDArray[np.int8]  # (processes, scenarios): 1, 0, or -1 for unknown
    assets_down: NDArray[np.int64]  # (scenarios,) how many assets are down
    assets_hit: NDArray[np.int64]  # (scenarios,) how many are down or degraded
    grace: Duration


def simulate_many(
    graph: ScenarioGraph,
    scenarios: Sequence[Scenario],
    grace: Duration = DEFAULT_GRACE,
    block: int = 4096,
    count_assets: bool = True,
) -> Batch:
    """Every scenario at once, ``block`` scenarios (bits) per pass.

    ``count_assets=False`` skips counting the assets down in each scenario.
    """
    processes = graph.processes
    count = len(scenarios)
    states = np.zeros((len(processes), count), dtype=np.int8)
    exceeds = np.full((len(processes), count), -1, dtype=np.int8)
    assets_down = np.zeros(count, dtype=np.int64)
    assets_hit = np.zeros(count, dtype=np.int64)
    thresholds = _thresholds(graph, grace)
    asset_rows = np.flatnonzero(graph.kind == ASSET)
    for start in range(0, count, block):
        chunk = list(scenarios[start : start + block])
        down, hit, long = _propagate(graph, chunk, grace, thresholds)
        width = len(chunk)
        p_down = _unpack(down[processes], width)
        p_hit = _unpack(hit[processes], width)
        states[:, start : start + width] = np.where(p_down, DOWN, np.where(p_hit, DEGRADED, UP))
        for row, process in enumerate(graph.estate.processes):
            if process.max_downtime is None:
                continue
            key = process.max_downtime.seconds / 3600
            bits = _unpack(long[key][processes[row] : processes[row] + 1], width)[0]
            exceeds[row, start : start + width] = np.where(p_hit[row], bits, 0)
        if count_assets:
            assets_down[start : start + width] = _column_counts(down[asset_rows], width)
            assets_hit[start : start + width] = _column_counts(hit[asset_rows], width)
    return Batch(graph, list(scenarios), states, exceeds, assets_down, assets_hit, grace)


def _thresholds(graph: ScenarioGraph, grace: Duration) -> list[float]:
    return sorted({p.max_downtime.seconds / 3600 for p in graph.estate.processes if p.max_downtime})


def _seed_bits(
    graph: ScenarioGraph, scenarios: Sequence[Scenario], words: int
) -> tuple[Bits, Bits]:
    n = len(graph.names)
    down = np.zeros((n, words), dtype=np.uint64)
    degraded = np.zeros((n, words), dtype=np.uint64)
    for column, scenario in enumerate(scenarios):
        word, bit = divmod(column, 64)
        mask = np.uint64(1) << np.uint64(bit)
        seed_down, seed_degraded = graph.seeds(scenario)
        if seed_down:
            down[list(seed_down), word] |= mask
        if seed_degraded:
            degraded[list(seed_degraded), word] |= mask
    return down, degraded


def _propagate(
    graph: ScenarioGraph, scenarios: Sequence[Scenario], grace: Duration, thresholds: list[float]
) -> tuple[Bits, Bits, dict[float, Bits]]:
    """Bit sets of the nodes down, hit (degraded or down) and, per max_downtime
    threshold T, in an outage longer than T, for each scenario (one bit each)."""
    words = max(1, -(-len(scenarios) // 64))
    seed_down, seed_degraded = _seed_bits(graph, scenarios, words)
    down = seed_down.copy()
    hit = seed_down | seed_degraded
    grace_hours = grace.seconds / 3600
    is_asset = graph.kind == ASSET
    # An asset lost itself stays out for its exit time; a degraded one, grace + exit.
    long: dict[float, Bits] = {}
    exit_hours = graph.exit_hours
    for t in thresholds:
        slow_down = is_asset & (exit_hours > t)
        slow_degraded = is_asset & (exit_hours - grace_hours > t)
        long[t] = (seed_down & _mask(slow_down)) | (seed_degraded & _mask(slow_degraded))
    indptr, indices, soft = graph.indptr, graph.indices, graph.soft
    child_kind = graph.kind[indices]
    for level in graph.levels:
        nodes = level[np.diff(indptr)[level] > 0]
        if nodes.size == 0:
            continue
        groups = nodes[graph.kind[nodes] == GROUP]
        plain = nodes[graph.kind[nodes] != GROUP]
        if plain.size:
            starts, edges = _edges_of(indptr, plain)
            children = indices[edges]
            parent_kind = np.repeat(graph.kind[plain], np.diff(np.append(starts, edges.size)))
            provider_edge = (child_kind[edges] == PROVIDER) & (parent_kind == ASSET)
            is_soft = soft[edges].astype(bool) & provider_edge
            hard = _mask(~is_soft)
            child_down = down[children]
            child_hit = hit[children]
            down[plain] |= np.bitwise_or.reduceat(child_down & hard, starts, axis=0)
            hit[plain] |= np.bitwise_or.reduceat(child_hit | child_down, starts, axis=0)
            parent_of_edge = np.repeat(plain, np.diff(np.append(starts, edges.size)))
            for t in thresholds:
                # Through a provider, the asset's own exit time decides; elsewhere the
                # child's outage carries up.
                own = exit_hours[parent_of_edge] - np.where(is_soft, grace_hours, 0.0) > t
                via_provider = child_down & _mask(provider_edge & own)
                inherited = long[t][children] & _mask(~provider_edge)
                long[t][plain] |= np.bitwise_or.reduceat(via_provider | inherited, starts, axis=0)
        if groups.size:
            starts, edges = _edges_of(indptr, groups)
            children = indices[edges]
            all_down = np.bitwise_and.reduceat(down[children], starts, axis=0)
            all_hit = np.bitwise_and.reduceat(hit[children], starts, axis=0)
            down[groups] |= all_down
            hit[groups] |= all_hit
            for t in thresholds:
                # Held again as soon as one member is back: long only if every member
                # that is not up is long, and none is up.
                member_ok = ~hit[children] | ~long[t][children]
                # a member that is down-or-degraded but short, or up, ends the outage
                # sooner; the group is long only when no member is up or short.
                any_ok = np.bitwise_or.reduceat(member_ok, starts, axis=0)
                long[t][groups] |= all_hit & ~any_ok
    return down, hit, long


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
    as_bytes = rows.astype("<u8").view(np.uint8).reshape(rows.shape[0], -1)
    return np.unpackbits(as_bytes, axis=1, bitorder="little")[:, :width].astype(bool)


def _column_counts(rows: Bits, width: int, chunk: int = 8192) -> NDArray[np.int64]:
    """How many rows have each bit set, for the first ``width`` bits."""
    total = np.zeros(width, dtype=np.int64)
    for start in range(0, rows.shape[0], chunk):
        total += _unpack(rows[start : start + chunk], width).sum(axis=0)
    return total


def outcome(batch: Batch, column: int) -> Outcome:
    """The detail of scenario ``column`` of a batch (assets and data included)."""
    return simulate_one(batch.graph, batch.scenarios[column], batch.grace)


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
