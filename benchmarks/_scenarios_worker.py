"""Every single-loss scenario of an estate, in a fresh process: run by bench_scenarios.

``python _scenarios_worker.py ESTATE.json KINDS`` reads the estate (not timed), then
times ``ScenarioGraph.build`` and, separately, ``every_single_loss`` +
``simulate_many`` for the comma-separated KINDS, with the garbage collector paused
as the CLI does. Prints one JSON object: the timings, the graph's size, the peak
resident memory of the engine phase (the estate is resident already: it is the
engine's input), and a digest of the process states for cross-checking.
"""

from __future__ import annotations

import gc
import hashlib
import json
import sys
import time
from pathlib import Path

import orjson

from generate_graph import exit_times
from souverain.core.catalog.model import Catalog
from souverain.core.estate.validation import parse_estate
from souverain.core.scenarios.graph import ScenarioGraph
from souverain.core.scenarios.spec import every_single_loss
from souverain.core.scenarios.sweep import simulate_many


def _status_mb(field: str) -> float | None:
    """A ``VmRSS``/``VmHWM`` figure of this process, in MB (Linux only)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0), so the peak is the engine's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def main(argv: list[str]) -> int:
    estate_path, kinds = argv[0], tuple(argv[1].split(","))
    raw = orjson.loads(Path(estate_path).read_bytes())
    estate = parse_estate(raw)
    exits = exit_times(estate)
    catalog = Catalog()
    del raw
    gc.collect()
    before = _status_mb("VmRSS")
    reset = _reset_peak()
    gc.disable()
    started = time.perf_counter()
    graph = ScenarioGraph.build(estate, catalog, exits)
    built = time.perf_counter()
    scenarios = every_single_loss(graph, kinds)
    batch = simulate_many(graph, scenarios)
    done = time.perf_counter()
    peak = _status_mb("VmHWM") if reset else None
    gc.enable()
    print(
        json.dumps(
            {
                "build_seconds": built - started,
                "seconds": done - built,
                "nodes": len(graph.names),
                "edges": int(graph.indices.size),
                "levels": len(graph.levels),
                "scenarios": len(scenarios),
                "estate_mb": before,
                "peak_mb": peak,
                "states_sha256": hashlib.sha256(batch.states.tobytes()).hexdigest(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
