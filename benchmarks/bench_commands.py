"""Benchmark ``commands``: every command end to end, as a user runs it, on the
10,000-asset, 30,000-dependency estate.

The estate is generated (``generate.py``, seed 42, shipped catalog) outside the timed
part and cached in the temporary directory, keyed by the generator's and the shipped
catalog's contents. Then each command runs in a fresh process, ``.venv/bin/souverain
... --as-of 2026-06-01 --lang en``, its wall time and peak resident memory taken by
``bench_audit.measure`` (``os.wait4``: the largest of the process and of the children
it waited for — forked children share their parent's pages, so this is not a sum).
souverain's sources are compiled to bytecode first, as ``pip install`` does. The
commands run in rounds, every command once per round, so that the machine's drift
affects them all alike; each command's ``seconds`` is its best round, ``peak_mb`` its
largest.

Targets (issue 12, on a 2-core machine): ``audit`` json < 3 s; ``simulate --all``
(table and json) < the ``audit`` json of the same run + 1.5 s; every spreadsheet
(``audit`` xlsx and ods, ``workbook`` xlsx and ods) < 10 s; the PDF report < 60 s;
every other command < 10 s; every command's peak < 1.5 GB.

Top level: ``seconds`` is the **sum** of the commands' best times (one pass of the
whole list), ``peak_mb`` the largest peak of any command, ``slowest`` the slowest
command; ``missed`` lists the commands that missed a target.

Best of 3; ``SOUVERAIN_BENCH_REPEATS=1`` (or ``python benchmarks/bench_commands.py
--quick``) for best of 1 while developing; ``SOUVERAIN_BENCH_COMMANDS="audit json,diff"``
(or ``--only "audit json,diff"``) runs only the named commands.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench_audit import Run, measure
from generate import REFERENCE, check, estate_yaml, generate_estate
from generate import shipped_catalog as catalog_of

NAME = "commands"
ASSETS = 10_000
DEPENDENCIES = 30_000
SEED = 42
REPEATS = 3
TARGET_AUDIT_SECONDS = 3.0
SIMULATE_MARGIN_SECONDS = 1.5
TARGET_SECONDS = 10.0
TARGET_PDF_SECONDS = 60.0
TARGET_MB = 1536.0  # 1.5 GB
# The per-command dicts are shown by render(), not flattened in run.py's table.
TABLE_SKIPS = ("commands",)

HERE = Path(__file__).resolve().parent
CATALOG_DIR = HERE.parent / "src" / "souverain" / "data" / "catalog"


@dataclass(frozen=True)
class Command:
    """One command as a user runs it: its arguments (``{estate}``, ``{out}`` and
    ``{audit}`` filled in), the file it writes and how that file is checked."""

    name: str
    args: tuple[str, ...]
    out: str
    check: Callable[[Path], None]
    stdout: bool = False  # the output is what the command prints


def _starts(magic: bytes) -> Callable[[Path], None]:
    def check_file(path: Path) -> None:
        if not path.read_bytes()[:64].lstrip().startswith(magic):
            raise RuntimeError(f"{path}: does not start with {magic!r}")

    return check_file


def _contains(text: str) -> Callable[[Path], None]:
    def check_file(path: Path) -> None:
        if text not in path.read_text(encoding="utf-8", errors="replace")[:4000].lower():
            raise RuntimeError(f"{path}: no {text!r} near the start")

    return check_file


def _zip_of(mimetype: str | None) -> Callable[[Path], None]:
    def check_file(path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if mimetype is not None and archive.read("mimetype").decode() != mimetype:
                raise RuntimeError(f"{path}: not {mimetype}")
        if not names:
            raise RuntimeError(f"{path}: an empty archive")

    return check_file


def _json_audit(path: Path) -> None:
    rows = json.loads(path.read_bytes()).get("dependencies")
    if not isinstance(rows, list) or len(rows) != ASSETS:
        raise RuntimeError(f"{path}: expected {ASSETS} scored dependencies")


def _json_object(path: Path) -> None:
    if not isinstance(json.loads(path.read_bytes()), dict | list):
        raise RuntimeError(f"{path}: not a JSON document")


def _csv(path: Path) -> None:
    lines = path.read_text(encoding="utf-8-sig").count("\n")
    if lines < ASSETS:
        raise RuntimeError(f"{path}: {lines} lines for {ASSETS} dependencies")


def _not_empty(path: Path) -> None:
    if path.stat().st_size == 0:
        raise RuntimeError(f"{path}: empty")


ODS = "application/vnd.oasis.opendocument.spreadsheet"


def _command(name: str, args: str, out: str, check: Callable[[Path], None]) -> Command:
    """A command from its argument line; without ``{out}``, what it prints is kept."""
    return Command(name, tuple(args.split()), out, check, stdout="{out}" not in args)


COMMANDS = (
    _command("audit json", "audit {estate} -f json -o {out}", "audit.json", _json_audit),
    _command("audit csv", "audit {estate} -f csv -o {out}", "audit.csv", _csv),
    _command("audit xlsx", "audit {estate} -f xlsx -o {out}", "audit.xlsx", _zip_of(None)),
    _command("audit ods", "audit {estate} -f ods -o {out}", "audit.ods", _zip_of(ODS)),
    _command("audit html", "audit {estate} -f html -o {out}", "audit.html", _contains("<html")),
    _command("simulate --all", "simulate {estate} --all", "simulate.txt", _not_empty),
    _command(
        "simulate --all json",
        "simulate {estate} --all -f json -o {out}",
        "simulate.json",
        _json_object,
    ),
    _command(
        "simulate -s jurisdiction:US",
        "simulate {estate} -s jurisdiction:US",
        "simulate-us.txt",
        _not_empty,
    ),
    _command("roadmap", "roadmap {estate} -f json -o {out}", "roadmap.json", _json_object),
    _command("report html", "report {estate} -o {out}", "report.html", _contains("<html")),
    _command("report pdf", "report {estate} -o {out}", "report.pdf", _starts(b"%PDF-")),
    _command("workbook xlsx", "workbook {estate} -o {out}", "workbook.xlsx", _zip_of(None)),
    _command("workbook ods", "workbook {estate} -o {out}", "workbook.ods", _zip_of(ODS)),
    _command("radar svg", "radar {estate} -f svg -o {out}", "radar.svg", _contains("<svg")),
    # docs/diff.md: a past audit JSON against today's estate.
    _command("diff", "diff {audit} {estate} -f json -o {out}", "diff.json", _json_object),
)


def target_seconds(name: str, audit_json_seconds: float | None) -> float:
    """The issue's bound on one command's best time."""
    if name == "audit json":
        return TARGET_AUDIT_SECONDS
    if name.startswith("simulate --all") and audit_json_seconds is not None:
        return round(audit_json_seconds + SIMULATE_MARGIN_SECONDS, 3)
    if name == "report pdf":
        return TARGET_PDF_SECONDS
    return TARGET_SECONDS


def souverain() -> str:
    return str(Path(sys.executable).parent / "souverain")


def estate_file(assets: int = ASSETS, dependencies: int = DEPENDENCIES) -> tuple[Path, float]:
    """The generated estate, cached in the temporary directory; the seconds spent
    generating it (0 when cached)."""
    digest = hashlib.sha256(f"{assets}/{dependencies}/{SEED}".encode())
    digest.update((HERE / "generate.py").read_bytes())
    for path in sorted(CATALOG_DIR.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(CATALOG_DIR)).encode())
            digest.update(path.read_bytes())
    directory = Path(tempfile.gettempdir()) / "souverain-bench-commands"
    path = directory / f"estate-{assets}-{dependencies}-{digest.hexdigest()[:16]}.yaml"
    if path.exists():
        return path, 0.0
    started = time.perf_counter()
    estate = generate_estate(assets, dependencies, seed=SEED, catalog=catalog_of())
    check(estate)
    directory.mkdir(exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_text(estate_yaml(estate), encoding="utf-8")
    partial.replace(path)  # atomic: a run killed half-way leaves no truncated estate
    return path, time.perf_counter() - started


def _selected(only: str | None = None) -> tuple[Command, ...]:
    """The commands named in ``only`` or ``$SOUVERAIN_BENCH_COMMANDS`` (comma-separated),
    else all."""
    wanted = (only or os.environ.get("SOUVERAIN_BENCH_COMMANDS", "")).strip()
    if not wanted:
        return COMMANDS
    names = [name.strip() for name in wanted.split(",") if name.strip()]
    known = {command.name: command for command in COMMANDS}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(f"unknown commands {unknown}; known: {', '.join(known)}")
    return tuple(known[name] for name in names)


def _repeats(default: int) -> int:
    return int(os.environ.get("SOUVERAIN_BENCH_REPEATS", default))


def bytecode() -> None:
    """Compile souverain's sources to bytecode, untimed, as ``pip install`` does: a user's
    command reads cached bytecode. An editable install under ``PYTHONDONTWRITEBYTECODE``
    (this project's CI machines set it) would otherwise compile every module at every
    start, about 0.25 s a command that no user pays."""
    source = Path(__file__).resolve().parent.parent / "src" / "souverain"
    if not compileall.compile_dir(source, quiet=1):
        raise SystemExit(f"could not compile {source} to bytecode")


def run(repeats: int | None = None, commands: Sequence[Command] | None = None) -> dict[str, Any]:
    """Generate (or reuse) the estate, then time every command ``repeats`` times."""
    repeats = _repeats(REPEATS) if repeats is None else repeats
    commands = _selected() if commands is None else tuple(commands)
    estate_path, generation = estate_file()
    bytecode()
    runs: dict[str, list[Run]] = {command.name: [] for command in commands}
    errors: dict[str, str] = {}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="souverain-bench-") as tmp:
        directory = Path(tmp)
        audit_json = directory / "diff-input.audit.json"  # diff's old side, written untimed
        lines = [
            souverain(),
            *("audit", str(estate_path), "-f", "json", "-o", str(audit_json)),
            *("--as-of", REFERENCE.isoformat(), "--lang", "en"),
        ]
        for _ in range(repeats):
            # diff's input comes from the code measured in this round (untimed)
            try:
                if "diff" in runs:
                    measure(lines)
            except RuntimeError as error:  # then diff fails too, and says so
                errors.setdefault("diff", str(error).splitlines()[-1][-300:])
            for command in commands:
                out = directory / command.out
                args = [
                    a.format(estate=estate_path, out=out, audit=audit_json) for a in command.args
                ]
                line = [souverain(), *args, "--as-of", REFERENCE.isoformat(), "--lang", "en"]
                try:
                    runs[command.name].append(measure(line, stdout=out if command.stdout else None))
                except RuntimeError as error:  # one failing command spoils no other figure
                    errors.setdefault(command.name, str(error).splitlines()[-1][-300:])
        for command in commands:
            if runs[command.name]:
                try:
                    command.check(directory / command.out)
                except (RuntimeError, OSError, ValueError, KeyError) as error:
                    errors.setdefault(command.name, str(error)[-300:])

    audit_runs = runs.get("audit json")
    audit_seconds = min(r.seconds for r in audit_runs) if audit_runs else None
    figures: dict[str, dict[str, Any]] = {}
    for command in commands:
        if not runs[command.name]:
            figures[command.name] = {"met": False, "error": errors[command.name]}
            continue
        seconds = min(r.seconds for r in runs[command.name])
        peak = max(r.peak_mb for r in runs[command.name])
        bound = target_seconds(command.name, audit_seconds)
        figures[command.name] = {
            "seconds": round(seconds, 3),
            "median_seconds": round(statistics.median(r.seconds for r in runs[command.name]), 3),
            "peak_mb": round(peak, 1),
            "target_seconds": bound,
            "target_mb": TARGET_MB,
            "runs": len(runs[command.name]),
            "met": seconds < bound and peak < TARGET_MB and command.name not in errors,
        }
        if command.name in errors:
            figures[command.name]["error"] = errors[command.name]
    timed = {name: figure for name, figure in figures.items() if "seconds" in figure}
    if not timed:
        raise RuntimeError(f"every command failed: {errors}")
    slowest = max(timed, key=lambda name: timed[name]["seconds"])
    missed = [name for name, figure in figures.items() if not figure["met"]]
    return {
        "bench": NAME,
        "seconds": round(sum(f["seconds"] for f in timed.values()), 3),
        "seconds_is": "sum of the commands' best times",
        "peak_mb": max(f["peak_mb"] for f in timed.values()),
        "slowest": slowest,
        "slowest_seconds": figures[slowest]["seconds"],
        "commands_met": len(figures) - len(missed),
        "missed": missed,
        "targets_met": not missed,
        "commands": figures,
        "assets": ASSETS,
        "dependencies": DEPENDENCIES,
        "estate": estate_path.name,
        "generation_seconds": round(generation, 2),
        "repeats": repeats,
        "cpus": os.cpu_count(),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],  # start, end
        "python": platform.python_version(),
        "target_mb": TARGET_MB,
    }


def render(result: dict[str, Any], console: Console) -> None:
    """The commands, one row each, with their targets."""
    grid = Table(
        title=f"commands, end to end (best of each; peak target < {TARGET_MB:,.0f} MB)",
        title_justify="left",
    )
    for column in ("command", "seconds", "median", "peak", "target", "verdict"):
        grid.add_column(column, justify="left" if column == "command" else "right")
    for name, figure in result["commands"].items():
        if "seconds" not in figure:
            grid.add_row(name, "—", "—", "—", "—", f"[bold red]FAILED[/] {figure['error']}")
            continue
        verdict = "[green]met[/]" if figure["met"] else "[bold red]MISSED[/]"
        if "error" in figure:
            verdict = f"[bold red]FAILED[/] in {result['repeats'] - figure['runs']} run(s)"
        grid.add_row(
            name,
            f"{figure['seconds']:.2f} s",
            f"{figure['median_seconds']:.2f} s",
            f"{figure['peak_mb']:,.0f} MB",
            f"< {figure['target_seconds']:.2f} s",
            verdict,
        )
    console.print(grid)
    missed = result["missed"]
    console.print(
        f"{len(result['commands'])} commands on {result['assets']:,} assets / "
        f"{result['dependencies']:,} dependencies, best of {result['repeats']}: "
        + (
            "[green]every target met[/]"
            if not missed
            else f"[bold red]MISSED: {', '.join(missed)}[/]"
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time every souverain command end to end.")
    parser.add_argument("--quick", action="store_true", help="best of 1 instead of 3")
    parser.add_argument(
        "--only",
        metavar="NAME,...",
        help='only these commands, e.g. "audit json,audit xlsx" (names as in the table)',
    )
    args = parser.parse_args(argv)
    from run import table  # run.py's standard table, as `make bench` prints it

    try:
        commands = _selected(args.only)
    except ValueError as error:
        parser.error(str(error))
    result = run(repeats=1 if args.quick else None, commands=commands)
    console = Console()
    console.print(table(result, skip=TABLE_SKIPS))
    render(result, console)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["targets_met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
