"""Benchmark ``audit``: a 10,000-asset, 30,000-dependency estate, YAML in, JSON out.

The estate is generated (untimed) into a temporary file, then audited end to end in a
fresh process, as a user would run it: ``souverain audit FILE --format json -o OUT``
(or, if the command is not there, the same steps through the library). Each run's
wall time and peak resident memory are those of that process alone.

Baseline, measured in the same run on the same file: a process that only parses the
YAML with PyYAML's C safe loader (``yaml.safe_load`` semantics; the pure-Python
``safe_load`` would be several times slower and flatter the ratio) and dumps it with
the standard library's C JSON encoder: the floor any YAML-to-JSON tool built on
PyYAML pays. The stage split (parse, validate, score, render…) comes from one more
in-process pass through the library.

Targets (the issue's claim): under 3 s and under 1 GB on a 2-core machine.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from generate import (
    REFERENCE,
    check,
    count_dependencies,
    estate_yaml,
    generate_estate,
    shipped_catalog,
)

NAME = "audit"
ASSETS = 10_000
DEPENDENCIES = 30_000
REPEATS = 3
TARGET_SECONDS = 3
TARGET_MB = 1024

HERE = Path(__file__).resolve().parent
WORKER = HERE / "_audit_worker.py"
BASELINE = """
import json, sys, yaml
with open(sys.argv[1], encoding="utf-8") as f:
    data = yaml.load(f, Loader=yaml.CSafeLoader)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(json.dumps(data, default=str, ensure_ascii=False))
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


def measure(command: list[str], stdout: Path | None = None) -> Run:
    """Wall seconds and peak RSS of ``command`` run in a fresh process."""
    with ExitStack() as stack:
        out = stack.enter_context(stdout.open("wb")) if stdout else subprocess.DEVNULL
        err = stack.enter_context(tempfile.TemporaryFile())
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        # wait4 gives this child's own rusage, not the maximum over all children so far.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace")[-3000:]
            raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{message}")
    return Run(seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def cli_command(estate: Path, out: Path) -> list[str] | None:
    """``souverain audit`` with JSON output, if the command exists and knows the options."""
    souverain = Path(sys.executable).parent / "souverain"
    found = str(souverain) if souverain.exists() else shutil.which("souverain")
    if found is None:
        return None
    help_run = subprocess.run(
        [found, "audit", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )
    if help_run.returncode != 0 or "--format" not in help_run.stdout:
        return None
    command = [found, "audit", str(estate), "--format", "json", "-o", str(out)]
    if "--as-of" in help_run.stdout:
        command += ["--as-of", REFERENCE.isoformat()]
    if "--lang" in help_run.stdout:
        command += ["--lang", "en"]
    return command


def _check_output(out: Path, assets: int) -> None:
    document = json.loads(out.read_text(encoding="utf-8"))
    rows = document.get("dependencies") if isinstance(document, dict) else None
    if not isinstance(rows, list) or len(rows) != assets:
        found = len(rows) if isinstance(rows, list) else "no"
        raise RuntimeError(f"{out}: expected {assets} scored dependencies, found {found}")


def run(
    assets: int = ASSETS, dependencies: int = DEPENDENCIES, repeats: int = REPEATS
) -> dict[str, Any]:
    """Generate, then time the audit and the baseline ``repeats`` times each."""
    with tempfile.TemporaryDirectory(prefix="souverain-bench-") as tmp:
        directory = Path(tmp)
        estate_path = directory / "estate.yaml"
        started = time.perf_counter()
        estate = generate_estate(assets, dependencies, seed=42, catalog=shipped_catalog())
        check(estate)  # the audit reads it back from YAML anyway
        text = estate_yaml(estate)
        estate_path.write_text(text, encoding="utf-8")
        generation = time.perf_counter() - started
        out = directory / "audit.json"
        command = cli_command(estate_path, out)
        runner = "cli"
        if command is None:
            runner = "library"
            command = [sys.executable, str(WORKER), "run", str(estate_path), str(out)]
            command.append(REFERENCE.isoformat())
        baseline_command = [sys.executable, "-c", BASELINE, str(estate_path), str(out) + ".b"]

        audit_runs: list[Run] = []
        baseline_runs: list[Run] = []
        for _ in range(repeats):  # interleaved, so that drift affects both alike
            audit_runs.append(measure(command))
            baseline_runs.append(measure(baseline_command))
        _check_output(out, assets)
        output_mb = out.stat().st_size / 1e6

        stage_file = directory / "stages.json"
        stage_command = [sys.executable, str(WORKER), "stages", str(estate_path), str(out)]
        stage_command.append(REFERENCE.isoformat())
        stage_run = measure(stage_command, stdout=stage_file)
        stages = json.loads(stage_file.read_text(encoding="utf-8"))
        # What the stages do not cover: interpreter start-up and teardown.
        stages["startup_teardown"] = max(0.0, stage_run.seconds - sum(stages.values()))

    seconds = min(r.seconds for r in audit_runs)
    baseline = min(r.seconds for r in baseline_runs)
    return {
        "bench": NAME,
        "assets": assets,
        "dependencies": count_dependencies(estate),
        "providers": len(estate["providers"]),
        "processes": len(estate["processes"]),
        "runner": runner,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "yaml_mb": round(len(text.encode("utf-8")) / 1e6, 2),
        "json_mb": round(output_mb, 2),
        "seconds": round(seconds, 3),
        "median_seconds": round(statistics.median(r.seconds for r in audit_runs), 3),
        "peak_mb": round(max(r.peak_mb for r in audit_runs), 1),
        "baseline_seconds": round(baseline, 3),
        "baseline_peak_mb": round(max(r.peak_mb for r in baseline_runs), 1),
        "ratio": round(seconds / baseline, 2),
        "stages": {key: round(value, 3) for key, value in stages.items()},
        "generation_seconds": round(generation, 2),
        "repeats": repeats,
        "target_seconds": TARGET_SECONDS,
        "target_mb": TARGET_MB,
    }


def render(result: dict[str, Any], console: Console) -> None:
    """One sentence on the claim, after the standard table."""
    met = result["seconds"] < TARGET_SECONDS and result["peak_mb"] < TARGET_MB
    verdict = "[green]targets met[/]" if met else "[bold red]targets MISSED[/]"
    console.print(
        f"audit of {result['assets']:,} assets / {result['dependencies']:,} dependencies "
        f"({result['runner']}): {result['seconds']:.2f} s "
        f"(median {result['median_seconds']:.2f} s), "
        f"peak {result['peak_mb']:,.0f} MB, {result['ratio']:.1f}× the YAML→JSON baseline "
        f"({result['baseline_seconds']:.2f} s) — {verdict} (< {TARGET_SECONDS} s, "
        f"< {TARGET_MB} MB)"
    )
