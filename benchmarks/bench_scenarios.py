"""Benchmark ``scenarios``: every single-provider, owner-group and jurisdiction loss of a
100,000-node, 1,000,000-edge estate with 2,000 providers.

The estate is generated (``generate_graph.py``, seeded, not timed) and written as
JSON. Then, **in a fresh process** (``_scenarios_worker.py``), it is read and
validated (not timed), and the engine is timed: ``ScenarioGraph.build``
(``build_seconds``) and ``every_single_loss(graph, ("provider", "owner",
"jurisdiction"))`` + ``simulate_many`` (``seconds``); the peak resident memory of
that phase is ``peak_mb`` (the estate, the engine's input, is resident already).
Best of ``REPEATS`` processes.

Baselines, in the same run: the same computation scripted the way a competent user
would, one scenario at a time, with rustworkx and with networkx: the requirement graph
built once from the estate, with a topological order and each node's position in it
(``build_seconds``), then, per scenario, the lost providers seeded (``graph.seeds``:
for an owner or a jurisdiction, the providers it reaches), the seeds' ancestors
gathered (``rx.ancestors`` / ``nx.ancestors``, a seed already gathered skipped) and
only those evaluated, children first, in plain Python over the library's adjacency
with the engine's rules (AND, OR for ``any_of`` groups, on-premise asset → provider
edges only degrading); every other node is up. Timed on a seeded sample of scenarios,
scaled to them all (``rustworkx_seconds``, ``networkx_seconds``); ``ratio_* =
baseline / seconds`` (the sweep alone) and ``ratio_*_with_build`` = (baseline build +
baseline) / (engine build + sweep). The baselines compute the states only (not the
outage lengths the engine also computes) and stop looking at a node's children once
it is down: both favour the baselines. Their process states must equal the engine's
on every sampled scenario, or the benchmark fails.

The former baselines, which evaluated every node of the graph per scenario, are still
timed on a smaller sample (``whole_graph``): they are what a less careful script pays.

Targets (issue 12): the sweep under 2 s (and 2 GB, issue 4) on a 2-core machine, at
least 20× the ancestors rustworkx baseline, at least 5× with the graph builds
included.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import orjson
import rustworkx as rx
from rich.console import Console

from generate_graph import exit_times, generate_graph_estate
from souverain.core.catalog.model import Catalog
from souverain.core.estate.model import AnyOf, Estate, Requirement
from souverain.core.estate.validation import parse_estate
from souverain.core.scenarios.graph import ASSET, GROUP, PROCESS, PROVIDER, ScenarioGraph
from souverain.core.scenarios.reference import DEGRADED, DOWN, UP
from souverain.core.scenarios.spec import Scenario, every_single_loss
from souverain.core.scenarios.sweep import simulate_many

NAME = "scenarios"
NODES = 100_000
EDGES = 1_000_000
PROVIDERS = 2_000
PROCESSES = 300
SEED = 42
KINDS = ("provider", "owner", "jurisdiction")
REPEATS = 3
NETWORKX_SAMPLE = 100  # scenarios timed, ancestors only
RUSTWORKX_SAMPLE = 300
WHOLE_GRAPH_NETWORKX_SAMPLE = 20  # scenarios timed, whole graph (the former baselines)
WHOLE_GRAPH_RUSTWORKX_SAMPLE = 30
TARGET_SECONDS = 2
TARGET_MB = 2048
TARGET_RATIO_RUSTWORKX = 20  # issue 12: sweep alone against the ancestors baseline…
TARGET_RATIO_RUSTWORKX_WITH_BUILD = 5  # …and with each side's graph build

HERE = Path(__file__).resolve().parent
WORKER = HERE / "_scenarios_worker.py"

# ----------------------------------------------------------- the user's graph


def requirement_edges(estate: Estate) -> tuple[list[tuple[str, int]], list[tuple[str, str, int]]]:
    """Nodes ``(name, kind)`` and edges ``(parent, child, soft)`` of the requirement
    graph, named as ``ScenarioGraph`` names them, built from the estate as a user would."""
    nodes = [(f"process:{p.id}", PROCESS) for p in estate.processes]
    nodes += [(f"asset:{a.id}", ASSET) for a in estate.assets]
    nodes += [(f"provider:{p.id}", PROVIDER) for p in estate.providers]
    edges: list[tuple[str, str, int]] = []
    groups = 0

    def require(parent: str, requirements: list[Requirement]) -> None:
        nonlocal groups
        for requirement in requirements:
            if isinstance(requirement, AnyOf):
                group = f"group:{groups}"
                groups += 1
                nodes.append((group, GROUP))
                edges.append((parent, group, 0))
                edges.extend((group, f"asset:{m}", 0) for m in dict.fromkeys(requirement.any_of))
            else:
                edges.append((parent, f"asset:{requirement}", 0))

    for process in estate.processes:
        require(f"process:{process.id}", process.depends_on)
    for asset in estate.assets:
        require(f"asset:{asset.id}", asset.depends_on)
        if asset.provider:
            soft = 1 if asset.deployment == "on-premise" else 0
            edges.append((f"asset:{asset.id}", f"provider:{asset.provider}", soft))
    for provider in estate.providers:
        edges.extend(
            (f"provider:{provider.id}", f"provider:{s}", 0)
            for s in dict.fromkeys(provider.subcontractors)
        )
    return nodes, edges


class NetworkxBaseline:
    """One scenario at a time over a ``networkx.DiGraph``."""

    label = "networkx"

    def __init__(self, estate: Estate) -> None:
        nodes, edges = requirement_edges(estate)
        graph = nx.DiGraph()
        graph.add_nodes_from((name, {"kind": kind}) for name, kind in nodes)
        graph.add_weighted_edges_from(edges, weight="soft")
        self.graph = graph
        self.kind: dict[Hashable, int] = nx.get_node_attributes(graph, "kind")
        self.order = list(reversed(list(nx.topological_sort(graph))))  # children first
        self.position = {node: i for i, node in enumerate(self.order)}
        self.processes = [f"process:{p.id}" for p in estate.processes]

    def states_above(self, down: set[str], degraded: set[str]) -> list[int]:
        """The same states, evaluating only the seeds and their ancestors (every other
        node is up), children first."""
        kind, succ, graph = self.kind, self.graph.succ, self.graph
        affected: set[Hashable] = set()
        for seed in (*down, *degraded):
            if seed not in affected:  # an ancestor's ancestors are in already
                affected.add(seed)
                affected |= nx.ancestors(graph, seed)
        state: dict[Hashable, int] = {}
        for node in sorted(affected, key=self.position.__getitem__):
            k = kind[node]
            if k == GROUP:
                state[node] = min(state.get(c, UP) for c in succ[node])
                continue
            here = DOWN if node in down else DEGRADED if node in degraded else UP
            for child, data in succ[node].items():
                if here == DOWN:
                    break
                effect = state.get(child, UP)
                if effect == UP:
                    continue
                if k == ASSET and kind[child] == PROVIDER:
                    effect = DEGRADED if data["soft"] else DOWN
                if effect > here:
                    here = effect
            state[node] = here
        return [state.get(p, UP) for p in self.processes]

    def states(self, down: set[str], degraded: set[str]) -> list[int]:
        kind, succ = self.kind, self.graph.succ
        state: dict[Hashable, int] = {}
        for node in self.order:
            k = kind[node]
            if k == GROUP:
                state[node] = min(state[c] for c in succ[node])
                continue
            here = DOWN if node in down else DEGRADED if node in degraded else UP
            for child, data in succ[node].items():
                if here == DOWN:
                    break
                effect = state[child]
                if effect == UP:
                    continue
                if k == ASSET and kind[child] == PROVIDER:
                    effect = DEGRADED if data["soft"] else DOWN
                if effect > here:
                    here = effect
            state[node] = here
        return [state[p] for p in self.processes]

    def node(self, name: str) -> Hashable:
        return name


class RustworkxBaseline:
    """One scenario at a time over a ``rustworkx.PyDiGraph`` (node payload: kind,
    edge payload: soft)."""

    label = "rustworkx"

    def __init__(self, estate: Estate) -> None:
        nodes, edges = requirement_edges(estate)
        graph = rx.PyDiGraph()
        ids = graph.add_nodes_from([kind for _, kind in nodes])
        self.ids = {name: ids[i] for i, (name, _) in enumerate(nodes)}
        ids_of = self.ids
        graph.add_edges_from([(ids_of[p], ids_of[c], soft) for p, c, soft in edges])
        self.graph = graph
        self.kind: list[int] = list(graph.nodes())
        self.order = list(reversed(rx.topological_sort(graph)))
        self.position = [0] * len(self.kind)
        for i, node in enumerate(self.order):
            self.position[node] = i
        self.processes = [ids_of[f"process:{p.id}"] for p in estate.processes]

    def states_above(self, down: set[int], degraded: set[int]) -> list[int]:
        """The same states, evaluating only the seeds and their ancestors (every other
        node is up), children first."""
        graph, kind = self.graph, self.kind
        affected: set[int] = set()
        for seed in (*down, *degraded):
            if seed not in affected:  # an ancestor's ancestors are in already
                affected.add(seed)
                affected |= rx.ancestors(graph, seed)
        state: dict[int, int] = {}
        for node in sorted(affected, key=self.position.__getitem__):
            k = kind[node]
            if k == GROUP:
                state[node] = min(state.get(c, UP) for c in graph.successor_indices(node))
                continue
            here = DOWN if node in down else DEGRADED if node in degraded else UP
            for _, child, soft in graph.out_edges(node):
                if here == DOWN:
                    break
                effect = state.get(child, UP)
                if effect == UP:
                    continue
                if k == ASSET and kind[child] == PROVIDER:
                    effect = DEGRADED if soft else DOWN
                if effect > here:
                    here = effect
            state[node] = here
        return [state.get(p, UP) for p in self.processes]

    def states(self, down: set[int], degraded: set[int]) -> list[int]:
        graph, kind = self.graph, self.kind
        state = [UP] * len(kind)
        for node in self.order:
            k = kind[node]
            if k == GROUP:
                state[node] = min(state[c] for c in graph.successor_indices(node))
                continue
            here = DOWN if node in down else DEGRADED if node in degraded else UP
            for _, child, soft in graph.out_edges(node):
                if here == DOWN:
                    break
                effect = state[child]
                if effect == UP:
                    continue
                if k == ASSET and kind[child] == PROVIDER:
                    effect = DEGRADED if soft else DOWN
                if effect > here:
                    here = effect
            state[node] = here
        return [state[p] for p in self.processes]

    def node(self, name: str) -> int:
        return self.ids[name]


def time_baseline(
    baseline: NetworkxBaseline | RustworkxBaseline,
    graph: ScenarioGraph,
    scenarios: Sequence[Scenario],
    sample: list[int],
    expected: np.ndarray,
    whole_graph: bool = False,
) -> list[float]:
    """Seconds per sampled scenario; raises if a process state differs from the engine's.
    Only the seeds' ancestors are evaluated, unless ``whole_graph``."""
    names = graph.names
    node: Callable[[str], Any] = baseline.node
    evaluate = baseline.states if whole_graph else baseline.states_above
    times = []
    for column in sample:
        start = time.perf_counter()
        seed_down, seed_degraded = graph.seeds(scenarios[column])
        down = {node(names[i]) for i in seed_down}
        degraded = {node(names[i]) for i in seed_degraded}
        states = evaluate(down, degraded)
        times.append(time.perf_counter() - start)
        if not np.array_equal(np.array(states, dtype=np.int8), expected[:, column]):
            wrong = np.flatnonzero(np.array(states, dtype=np.int8) != expected[:, column])
            raise AssertionError(
                f"{baseline.label} and the engine disagree on {scenarios[column].spec}: "
                f"{wrong.size} processes differ (first: {graph.estate.processes[wrong[0]].id})"
            )
    return times


# ------------------------------------------------------------------ measuring


def measure(estate_path: Path) -> tuple[dict[str, Any], float]:
    """The worker's figures, and that process's own peak RSS (wait4) in MB."""
    command = [sys.executable, str(WORKER), str(estate_path), ",".join(KINDS)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace")[-3000:]
            raise RuntimeError(f"{' '.join(command)} failed:\n{message}")
        out.seek(0)
        figures: dict[str, Any] = json.loads(out.read())
    return figures, usage.ru_maxrss / 1024


def run(
    nodes: int = NODES,
    edges: int = EDGES,
    providers: int = PROVIDERS,
    processes: int = PROCESSES,
    repeats: int = REPEATS,
    networkx_sample: int = NETWORKX_SAMPLE,
    rustworkx_sample: int = RUSTWORKX_SAMPLE,
    whole_graph_networkx_sample: int = WHOLE_GRAPH_NETWORKX_SAMPLE,
    whole_graph_rustworkx_sample: int = WHOLE_GRAPH_RUSTWORKX_SAMPLE,
) -> dict[str, Any]:
    """Generate, time the engine in fresh processes, then the baselines."""
    started = time.perf_counter()
    raw = generate_graph_estate(nodes, edges, providers, processes, seed=SEED)
    generation = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="souverain-bench-") as tmp:
        estate_path = Path(tmp) / "estate.json"
        estate_path.write_bytes(orjson.dumps(raw))
        estate = parse_estate(raw)
        del raw
        runs = [measure(estate_path) for _ in range(repeats)]
    worker = [figures for figures, _ in runs]
    if len({w["states_sha256"] for w in worker}) != 1:
        raise AssertionError("the engine's runs gave different states")

    # The engine once more, in this process, for the states to check the baselines with.
    graph = ScenarioGraph.build(estate, Catalog(), exit_times(estate))
    scenarios = every_single_loss(graph, KINDS)
    batch = simulate_many(graph, scenarios)
    expected = batch.states
    if hashlib.sha256(expected.tobytes()).hexdigest() != worker[0]["states_sha256"]:
        raise AssertionError("the engine gave different states here and in its worker")

    rng = random.Random(SEED)
    total = len(scenarios)
    baselines: dict[str, dict[str, Any]] = {}
    samples = (
        (NetworkxBaseline, networkx_sample, whole_graph_networkx_sample),
        (RustworkxBaseline, rustworkx_sample, whole_graph_rustworkx_sample),
    )
    for cls, size, whole_size in samples:
        start = time.perf_counter()
        baseline = cls(estate)  # graph, topological order and positions, once
        build = time.perf_counter() - start
        sample = sorted(rng.sample(range(total), min(size, total)))
        times = time_baseline(baseline, graph, scenarios, sample, expected)
        whole_sample = sorted(rng.sample(range(total), min(whole_size, total)))
        whole = time_baseline(baseline, graph, scenarios, whole_sample, expected, True)
        per_scenario = statistics.fmean(times)
        baselines[cls.label] = {
            "build_seconds": round(build, 2),
            "per_scenario_seconds": round(per_scenario, 5),
            "sample": len(sample),
            "seconds": round(per_scenario * total, 2),
            "with_build_seconds": round(build + per_scenario * total, 2),
            "whole_graph_per_scenario_seconds": round(statistics.fmean(whole), 4),
            "whole_graph_sample": len(whole_sample),
            "whole_graph_seconds": round(statistics.fmean(whole) * total, 1),
        }
        del baseline

    seconds = min(w["seconds"] for w in worker)
    with_build = min(w["build_seconds"] + w["seconds"] for w in worker)
    peak = max((w["peak_mb"] or 0.0) for w in worker) or max(mb for _, mb in runs)
    hit = (expected > 0).sum(axis=0)
    networkx, rustworkx = baselines["networkx"], baselines["rustworkx"]
    result = {
        "bench": NAME,
        "nodes": worker[0]["nodes"],
        "edges": worker[0]["edges"],
        "scenarios": total,
        "seconds": round(seconds, 3),
        "peak_mb": round(peak, 1),
        "build_seconds": round(min(w["build_seconds"] for w in worker), 3),
        "with_build_seconds": round(with_build, 3),
        "median_seconds": round(statistics.median(w["seconds"] for w in worker), 3),
        # The baselines: only the seeds' ancestors evaluated, children first.
        "rustworkx_seconds": rustworkx["seconds"],
        "ratio_rustworkx": round(rustworkx["seconds"] / seconds, 1),
        "ratio_rustworkx_with_build": round(rustworkx["with_build_seconds"] / with_build, 1),
        "networkx_seconds": networkx["seconds"],
        "ratio_networkx": round(networkx["seconds"] / seconds, 1),
        "ratio_networkx_with_build": round(networkx["with_build_seconds"] / with_build, 1),
        # The former baselines: every node of the graph evaluated per scenario.
        "whole_graph": {
            "rustworkx_seconds": rustworkx["whole_graph_seconds"],
            "ratio_rustworkx": round(rustworkx["whole_graph_seconds"] / seconds, 1),
            "networkx_seconds": networkx["whole_graph_seconds"],
            "ratio_networkx": round(networkx["whole_graph_seconds"] / seconds, 1),
        },
        "rustworkx": rustworkx,
        "networkx": networkx,
        "scenarios_by_kind": {
            kind: sum(1 for s in scenarios if s.losses[0][0] == kind) for kind in KINDS
        },
        "processes": len(estate.processes),
        "assets": len(estate.assets),
        "providers": len(estate.providers),
        "levels": worker[0]["levels"],
        "processes_hit_median": float(np.median(hit)),
        "estate_mb": round(worker[0]["estate_mb"] or 0.0, 1),
        "process_peak_mb": round(max(mb for _, mb in runs), 1),
        "generation_seconds": round(generation, 2),
        "repeats": repeats,
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "target_seconds": TARGET_SECONDS,
        "target_mb": TARGET_MB,
        "target_ratio_rustworkx": TARGET_RATIO_RUSTWORKX,
        "target_ratio_rustworkx_with_build": TARGET_RATIO_RUSTWORKX_WITH_BUILD,
    }
    result["targets_met"] = all(
        (
            seconds < TARGET_SECONDS,
            peak < TARGET_MB,
            result["ratio_rustworkx"] >= TARGET_RATIO_RUSTWORKX,
            result["ratio_rustworkx_with_build"] >= TARGET_RATIO_RUSTWORKX_WITH_BUILD,
        )
    )
    return result


def render(result: dict[str, Any], console: Console) -> None:
    """One sentence on the claim, after the standard table."""
    verdict = "[green]targets met[/]" if result["targets_met"] else "[bold red]targets MISSED[/]"
    whole = result["whole_graph"]
    console.print(
        f"{result['scenarios']:,} scenarios on {result['nodes']:,} nodes / "
        f"{result['edges']:,} edges: {result['seconds']:.2f} s "
        f"(median {result['median_seconds']:.2f} s, graph build {result['build_seconds']:.2f} s), "
        f"peak {result['peak_mb']:,.0f} MB; ancestors-only baselines: rustworkx "
        f"{result['rustworkx_seconds']:,.1f} s ({result['ratio_rustworkx']:,.1f}×, "
        f"{result['ratio_rustworkx_with_build']:,.1f}× build included), networkx "
        f"{result['networkx_seconds']:,.1f} s ({result['ratio_networkx']:,.1f}×); "
        f"whole-graph baselines: rustworkx {whole['ratio_rustworkx']:,.0f}×, networkx "
        f"{whole['ratio_networkx']:,.0f}× — {verdict} (< {TARGET_SECONDS} s, "
        f"< {TARGET_MB} MB, ≥ {TARGET_RATIO_RUSTWORKX}× rustworkx, "
        f"≥ {TARGET_RATIO_RUSTWORKX_WITH_BUILD}× build included)"
    )
