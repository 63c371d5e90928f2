"""What every ``souverain`` command shares: consoles, error printing, safe writes,
and the audit run most commands start from."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from souverain.core.audit import AuditResult, audit
from souverain.core.errors import InvalidInput
from souverain.i18n import Lang, label, problem_text
from souverain.importers.estate import load_estate
from souverain.resources import load_catalog, load_methodology

err = Console(stderr=True)
# Piped output has no width of its own: give the matrix room rather than 80 columns.
out = Console(width=None if sys.stdout.isatty() else 160)


class LangOption(StrEnum):
    en = "en"
    fr = "fr"


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
            err.print(f"  {line}", highlight=False, markup=False, soft_wrap=True)
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


def run_audit(
    estate_path: Path, methodology: Path | None, catalogs: list[Path], today: date, lang: Lang
) -> AuditResult:
    estate = load_estate(estate_path)
    method = load_methodology(methodology)
    catalog = load_catalog(catalogs)
    if len(estate.assets) < 2000 or not err.is_terminal:
        return audit(estate, method, catalog, today)
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
