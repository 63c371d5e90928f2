"""Benchmark ``roadmap`` and ``report``: the 10,000-asset, 30,000-dependency estate.

The estate is generated (untimed) as for the ``audit`` benchmark, then each command
runs end to end in a fresh process, as a user would run it:

- ``souverain roadmap FILE -f json -o OUT`` — the audit, every action measured by a
  what-if, the phases projected, and the exit plans (``seconds``);
- ``souverain report FILE -o report.html`` — the same plus the worst scenarios, the
  radar and the rendering (``html_seconds``);
- ``souverain report FILE -o report.pdf`` — the same, typeset by WeasyPrint
  (``pdf_seconds``).

Baseline, measured in the same run on the same file: ``souverain audit FILE -f json``,
the audit alone. ``ratio`` is the roadmap's time over the audit's, ``html_ratio`` the
HTML report's: what planning and reporting add to scoring.

Targets (issue 5): roadmap and HTML report under 10 s, PDF under 60 s, on a 2-core
machine.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from bench_audit import Run, measure
from generate import REFERENCE, check, count_dependencies, estate_yaml, generate_estate
from generate import shipped_catalog as catalog_of

NAME = "roadmap"
ASSETS = 10_000
DEPENDENCIES = 30_000
REPEATS = 3
TARGET_SECONDS = 10
TARGET_HTML_SECONDS = 10
TARGET_PDF_SECONDS = 60


def _souverain() -> str:
    return str(Path(sys.executable).parent / "souverain")


def _command(*args: str) -> list[str]:
    return [_souverain(), *args, "--as-of", REFERENCE.isoformat(), "--lang", "en"]


def _check_roadmap(path: Path) -> tuple[int, int]:
    document = json.loads(path.read_text(encoding="utf-8"))
    phases = document.get("phases")
    plans = document.get("exit_plans")
    if not isinstance(phases, list) or len(phases) != 3 or not isinstance(plans, list):
        raise RuntimeError(f"{path}: expected three phases and exit plans")
    actions = sum(len(p["actions"]) for p in phases)
    if actions == 0 or not all("risk_reduction" in a for p in phases for a in p["actions"]):
        raise RuntimeError(f"{path}: expected measured actions")
    return actions, len(plans)


def _check_report(html: Path, pdf: Path) -> None:
    if "<html" not in html.read_text(encoding="utf-8")[:2000].lower():
        raise RuntimeError(f"{html}: not an HTML page")
    if not pdf.read_bytes().startswith(b"%PDF-"):
        raise RuntimeError(f"{pdf}: not a PDF")


def best(runs: list[Run]) -> float:
    return min(r.seconds for r in runs)


def run(
    assets: int = ASSETS, dependencies: int = DEPENDENCIES, repeats: int = REPEATS
) -> dict[str, Any]:
    """Generate, then time the audit, the roadmap and the reports."""
    with tempfile.TemporaryDirectory(prefix="souverain-bench-") as tmp:
        directory = Path(tmp)
        estate_path = directory / "estate.yaml"
        started = time.perf_counter()
        estate = generate_estate(assets, dependencies, seed=42, catalog=catalog_of())
        check(estate)
        estate_path.write_text(estate_yaml(estate), encoding="utf-8")
        generation = time.perf_counter() - started
        audit_out = directory / "audit.json"
        roadmap_out = directory / "roadmap.json"
        html = directory / "report.html"
        pdf = directory / "report.pdf"
        audit_command = _command("audit", str(estate_path), "-f", "json", "-o", str(audit_out))
        roadmap_command = _command(
            "roadmap", str(estate_path), "-f", "json", "-o", str(roadmap_out)
        )
        html_command = _command("report", str(estate_path), "-o", str(html))
        pdf_command = _command("report", str(estate_path), "-o", str(pdf))
        audits: list[Run] = []
        roadmaps: list[Run] = []
        reports: list[Run] = []
        for _ in range(repeats):  # interleaved, so that drift affects all alike
            audits.append(measure(audit_command))
            roadmaps.append(measure(roadmap_command))
            reports.append(measure(html_command))
        pdf_run = measure(pdf_command)
        actions, plans = _check_roadmap(roadmap_out)
        _check_report(html, pdf)
        html_mb = html.stat().st_size / 1e6
        pdf_mb = pdf.stat().st_size / 1e6

    seconds = best(roadmaps)
    baseline = best(audits)
    return {
        "bench": NAME,
        "assets": assets,
        "dependencies": count_dependencies(estate),
        "actions": actions,
        "exit_plans": plans,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "seconds": round(seconds, 3),
        "median_seconds": round(statistics.median(r.seconds for r in roadmaps), 3),
        "peak_mb": round(max(r.peak_mb for r in roadmaps), 1),
        "baseline_seconds": round(baseline, 3),
        "ratio": round(seconds / baseline, 2),
        "html_seconds": round(best(reports), 3),
        "html_peak_mb": round(max(r.peak_mb for r in reports), 1),
        "html_ratio": round(best(reports) / baseline, 2),
        "html_mb": round(html_mb, 2),
        "pdf_seconds": round(pdf_run.seconds, 3),
        "pdf_peak_mb": round(pdf_run.peak_mb, 1),
        "pdf_mb": round(pdf_mb, 2),
        "generation_seconds": round(generation, 2),
        "repeats": repeats,
        "target_seconds": TARGET_SECONDS,
        "target_html_seconds": TARGET_HTML_SECONDS,
        "target_pdf_seconds": TARGET_PDF_SECONDS,
    }


def render(result: dict[str, Any], console: Console) -> None:
    """One sentence on the claims, after the standard table."""
    met = (
        result["seconds"] < TARGET_SECONDS
        and result["html_seconds"] < TARGET_HTML_SECONDS
        and result["pdf_seconds"] < TARGET_PDF_SECONDS
    )
    verdict = "[green]targets met[/]" if met else "[bold red]targets MISSED[/]"
    console.print(
        f"{result['assets']:,} assets, {result['actions']:,} actions measured: roadmap "
        f"{result['seconds']:.2f} s ({result['ratio']:.1f}× the audit's "
        f"{result['baseline_seconds']:.2f} s), HTML report {result['html_seconds']:.2f} s, "
        f"PDF report {result['pdf_seconds']:.1f} s — {verdict} (< {TARGET_SECONDS} s, "
        f"< {TARGET_HTML_SECONDS} s, < {TARGET_PDF_SECONDS} s)"
    )
