"""Run souverain's benchmarks: ``python benchmarks/run.py [--strict] [NAME ...]``.

Every ``benchmarks/bench_*.py`` module is a benchmark. It exposes ``NAME`` and
``run() -> dict``; the dict is the benchmark's JSON line and holds at least
``bench``, ``seconds`` and ``peak_mb``, plus ``baseline_seconds`` and ``ratio`` when
a baseline is measured in the same run, and ``target_<key>`` for each figure it
makes a claim about (``target_seconds`` is checked against ``seconds``,
``target_mb`` against ``peak_mb``, ``target_html_seconds`` and ``target_pdf_seconds``
against ``html_seconds`` and ``pdf_seconds``, all upper bounds; ``target_ratio_networkx``,
``target_ratio_rustworkx`` and ``target_ratio_rustworkx_with_build`` are lower bounds on
``ratio_networkx``, ``ratio_rustworkx`` and ``ratio_rustworkx_with_build``, speed-ups
over a baseline). A module may also define
``render(result, console)`` to print more than the standard table, and
``TABLE_SKIPS``, the top-level keys its ``render`` shows instead of the table. Targets
inside nested dicts (``{"commands": {"audit json": {"seconds": …, "target_seconds": …}}}``)
are checked too.

Output: one readable table per benchmark, then, at the very end, one JSON line per
benchmark. Exit status: 0, or 1 if a benchmark failed (or, with ``--strict``, missed
a target), or 2 for an unknown benchmark name.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
# Which measured figure each target bounds from above…
TARGETS = {
    "target_seconds": "seconds",
    "target_mb": "peak_mb",
    "target_html_seconds": "html_seconds",
    "target_pdf_seconds": "pdf_seconds",
}
# …and from below (speed-ups over a baseline: "at least 50×").
TARGETS_ABOVE = {
    "target_ratio_networkx": "ratio_networkx",
    "target_ratio_rustworkx": "ratio_rustworkx",
    "target_ratio_rustworkx_with_build": "ratio_rustworkx_with_build",
}
REQUIRED = ("bench", "seconds", "peak_mb")


@dataclass(frozen=True)
class Benchmark:
    name: str
    module: ModuleType

    def run(self) -> dict[str, Any]:
        run: Callable[[], dict[str, Any]] = self.module.run
        result = dict(run())
        missing = [key for key in REQUIRED if key not in result]
        if missing:
            raise ValueError(f"benchmark {self.name!r} returned no {', '.join(missing)}")
        return result


def discover(directory: Path = HERE) -> dict[str, Benchmark]:
    """Every ``bench_*.py`` module of ``directory``, by its ``NAME``."""
    if str(directory) not in sys.path:
        sys.path.insert(0, str(directory))  # so benchmarks can import generate.py
    found: dict[str, Benchmark] = {}
    for path in sorted(directory.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(f"benchmarks.{path.stem}", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses and pickling look modules up here
        spec.loader.exec_module(module)
        name = str(getattr(module, "NAME", path.stem.removeprefix("bench_")))
        if name in found:
            raise ValueError(f"two benchmarks are named {name!r}")
        found[name] = Benchmark(name, module)
    return found


def targets(
    result: Mapping[str, Any], prefix: str = ""
) -> Iterator[tuple[str, float, float, bool]]:
    """(figure, measured, target, met) for every target the result states, nested
    dicts included (their figures named ``key.figure``)."""
    for target_key, figure in TARGETS.items():
        if target_key in result and figure in result:
            measured, target = float(result[figure]), float(result[target_key])
            yield prefix + figure, measured, target, measured < target
    for target_key, figure in TARGETS_ABOVE.items():
        if target_key in result and figure in result:
            measured, target = float(result[figure]), float(result[target_key])
            yield prefix + figure, measured, target, measured >= target
    for key, value in result.items():
        if isinstance(value, Mapping):
            yield from targets(value, f"{prefix}{key}.")


def _flatten(result: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in result.items():
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _format(key: str, value: Any) -> str:
    if isinstance(value, float):
        if key.endswith("seconds") or ".seconds" in key or key.startswith("stages."):
            return f"{value:.3f} s" if value >= 0.01 or value == 0 else f"{value * 1e3:.2f} ms"
        if key.endswith("_mb"):
            return f"{value:,.0f} MB"
        leaf = key.rsplit(".", 1)[-1]
        if leaf == "ratio" or leaf.endswith("ratio") or leaf.startswith("ratio_"):
            return f"{value:.2f}×"
        return f"{value:,.3f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def table(result: Mapping[str, Any], skip: Sequence[str] = ()) -> Table:
    """The standard table of one benchmark's result, but for the top-level keys in
    ``skip`` (a module's ``TABLE_SKIPS``: what its ``render`` shows instead)."""
    grid = Table(title=f"benchmark {result['bench']}", title_justify="left", show_header=True)
    grid.add_column("figure")
    grid.add_column("value", justify="right")
    hidden = {"bench", *TARGETS, *TARGETS_ABOVE}
    shown = {key: value for key, value in result.items() if key not in skip}
    for key, value in _flatten(shown):
        if key.rsplit(".", 1)[-1] not in hidden:
            grid.add_row(key, _format(key, value))
    for figure, measured, target, met in targets(shown):
        verdict = "[green]met[/]" if met else "[bold red]MISSED[/]"
        bound = "≥" if figure.rsplit(".", 1)[-1] in TARGETS_ABOVE.values() else "<"
        grid.add_row(
            f"target: {figure} {bound} {_format(figure, target)}",
            f"{_format(figure, measured)} {verdict}",
        )
    return grid


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run souverain's benchmarks.")
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (all)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    benchmarks = discover()
    unknown = [name for name in args.names if name not in benchmarks]
    if unknown:
        print(
            f"unknown benchmark {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(sorted(benchmarks)) or '(none)'}",
            file=sys.stderr,
        )
        return 2
    console = Console()
    progress = Console(stderr=True)
    selected = [benchmarks[name] for name in args.names] if args.names else benchmarks.values()
    results: list[dict[str, Any]] = []
    status = 0
    for benchmark in selected:
        progress.print(f"running benchmark {benchmark.name}…", style="dim")
        try:
            result = benchmark.run()
        except Exception:
            traceback.print_exc()
            progress.print(f"[bold red]benchmark {benchmark.name} failed[/]")
            status = 1
            continue
        results.append(result)
        console.print(table(result, skip=getattr(benchmark.module, "TABLE_SKIPS", ())))
        render = getattr(benchmark.module, "render", None)
        if callable(render):
            render(result, console)
        if args.strict and not all(met for *_, met in targets(result)):
            status = status or 1
    sys.stdout.flush()
    for result in results:
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
