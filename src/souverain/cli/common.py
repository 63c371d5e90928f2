"""What every ``souverain`` command shares: consoles, error printing, safe writes,
and the audit run most commands start from."""

from __future__ import annotations

import gc
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from souverain.core.audit import AuditResult, audit, audit_graph
from souverain.core.errors import InvalidInput
from souverain.core.findings import GraphFindings
from souverain.i18n import Lang, label, problem_text
from souverain.importers.estate import load_estate
from souverain.parallel import in_child
from souverain.resources import load_catalog, load_methodology

err = Console(stderr=True)
# Piped output has no width of its own: give the matrix room rather than 80 columns.
out = Console(width=None if sys.stdout.isatty() else 160)


class LangOption(StrEnum):
    en = "en"
    fr = "fr"


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for one run.

    A run builds a few hundred thousand long-lived objects and ends; the collector would
    only rescan them again and again (a third of the time on large estates).

    Everything made meanwhile waits in the youngest generation, which the first
    collection after would walk whole (about a second after a 10,000-asset roadmap,
    before the process can end): it is moved to the oldest first (``gc.freeze`` then
    ``gc.unfreeze``, two list splices) — unless something is frozen, which would be
    thawed with it (``report`` freezes the audit itself for its rendering).
    """
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        gc.enable()


def fail(error: InvalidInput, lang: Lang) -> None:
    """Print every problem, grouped by file, and exit with status 1."""
    by_file: dict[str, list[str]] = {}
    for problem in sorted(error.problems, key=lambda p: (p.file, p.line or 0)):
        where = problem.file or "?"
        location = f"{where}:{problem.line}" if problem.line else where
        field = problem.field()
        message = problem_text(lang, problem.message)
        text = f"{location}: {field + ': ' if field else ''}{message}"
        if problem.expected:
            text += f" — {label(lang, 'expected')}: {problem_text(lang, problem.expected)}"
        if problem.found:
            text += f"; {label(lang, 'found')}: {problem_text(lang, problem.found)}"
        by_file.setdefault(where, []).append(text)
    for name, lines in by_file.items():
        err.print(
            f"[bold red]{label(lang, 'errors_in', count=len(lines), file=name)}[/]", highlight=False
        )
        for line in lines:
            err.print(f"  {line}", highlight=False, markup=False, emoji=False, soft_wrap=True)
    raise typer.Exit(1)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` entirely or not at all."""
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# From this size of estate file, the graph findings are worked out by a forked
# process, from the files, while this one loads and scores (two cores: the graph
# then costs no wall time). Forking first, while this process is still small, keeps
# copy-on-write from slowing either side.
PARALLEL_FROM_BYTES = 400_000


def graph_in_background(
    estate_path: Path, catalogs: list[Path]
) -> Callable[[], GraphFindings | None]:
    """Start working out the estate's graph findings in a child process.

    Returns a function that waits for them; it gives None if they could not be had
    (no ``fork`` on this system, a small estate, a file the child could not read),
    and the audit then works them out itself.
    """
    try:
        large = estate_path.stat().st_size >= PARALLEL_FROM_BYTES
    except OSError:
        large = False
    if not hasattr(os, "fork") or not large:
        return lambda: None
    wait = in_child(lambda: audit_graph(load_estate(estate_path), load_catalog(catalogs)))

    def findings() -> GraphFindings | None:
        done, found = wait()
        return found if done and isinstance(found, GraphFindings) else None

    return findings


def run_audit(
    estate_path: Path,
    methodology: Path | None,
    catalogs: list[Path],
    today: date,
    lang: Lang,
    graph_findings: bool = True,
) -> AuditResult:
    """Load and audit an estate. ``graph_findings=False``: a command that does not show
    the single points of failure, dependence and chains (``roadmap``) skips them."""
    graph: GraphFindings | Callable[[], GraphFindings | None] = (
        graph_in_background(estate_path, catalogs) if graph_findings else GraphFindings((), (), ())
    )
    estate = load_estate(estate_path)
    method = load_methodology(methodology)
    catalog = load_catalog(catalogs)
    if len(estate.assets) < 2000 or not err.is_terminal:
        return audit(estate, method, catalog, today, findings=graph)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task(label(lang, "progress_scoring"), total=len(estate.assets))
        return audit(
            estate,
            method,
            catalog,
            today,
            progress=lambda done, total: progress.update(task, completed=done),
            findings=graph,
        )


def parse_day(text: str | None, lang: Lang) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        err.print(
            f"--as-of: {label(lang, 'expected')}: YYYY-MM-DD; {label(lang, 'found')}: {text!r}"
        )
        raise typer.Exit(2) from None


def emit_json(data: object, output: Path | None, lang: Lang) -> None:
    """Indented JSON to ``output`` (atomically, then say so) or to standard output."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    write_atomically(output, text.encode("utf-8"))
    err.print(label(lang, "written", path=output), highlight=False)


# Options shared by the commands that audit an estate first.
LangOpt = Annotated[LangOption | None, typer.Option("--lang", help="fr | en (default: locale).")]
MethodologyOpt = Annotated[
    Path | None,
    typer.Option(
        "--methodology",
        help="Methodology YAML replacing the shipped one. / Méthodologie remplaçant celle fournie.",
    ),
]
CatalogOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--catalog",
        help="Catalog directory merged over the shipped one (repeatable). "
        "/ Répertoire de catalogue fusionné (répétable).",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Date of the audit, YYYY-MM-DD (default: today). / Date de l'audit."
    ),
]
