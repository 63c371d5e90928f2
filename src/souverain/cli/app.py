"""The ``souverain`` command: thin, it parses, calls the core, renders, exits.

Only this module turns errors into messages and exit statuses.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from souverain import __version__
from souverain.cli import catalog as catalog_commands
from souverain.cli.common import (
    AsOfOpt,
    CatalogOpt,
    LangOpt,
    LangOption,
    MethodologyOpt,
    Outputs,
    err,
    fail,
    out,
    parse_day,
    pipeline,
)
from souverain.core.errors import InvalidInput
from souverain.core.scoring.audit import audit
from souverain.core.text import printable
from souverain.exporters.registry import exporter_for
from souverain.exporters.table import matrix_table
from souverain.i18n import Lang, default_lang, label
from souverain.importers.estate import load_estate
from souverain.pipeline import Pipeline
from souverain.resources import load_catalog, load_methodology

app = typer.Typer(
    name="souverain",
    help="Measure an organisation's digital dependencies and plan its way out of the "
    "dangerous ones. / Mesurer les dépendances numériques d'une organisation et planifier "
    "la sortie des plus dangereuses.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    ods = "ods"
    html = "html"


class SchemaKind(StrEnum):
    estate = "estate"
    audit = "audit"
    methodology = "methodology"


def _version(value: bool) -> None:
    if value:
        out.print(f"souverain {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Show the version and exit. / Affiche la version.",
        ),
    ] = False,
) -> None:
    """souverain."""


ESTATE_ARG = typer.Argument(
    help="Estate file (YAML or JSON). / Fichier d'inventaire (YAML ou JSON).", show_default=False
)


@app.command("audit")
def audit_command(
    estate: Annotated[Path, ESTATE_ARG],
    format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format. / Format de sortie.")
    ] = Format.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Output file. / Fichier de sortie.")
    ] = None,
    lang: LangOpt = None,
    methodology: MethodologyOpt = None,
    catalog: CatalogOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """The dependency matrix: every dependency scored, explained, ranked.

    La matrice des dépendances : chaque dépendance notée, expliquée, classée.
    """
    language: Lang = lang.value if lang else default_lang()
    today = parse_day(as_of, language)
    outputs = Outputs(language, estate=estate, methodology=methodology, catalogs=catalog or [])
    outputs.check(output)
    with pipeline(language) as run:  # its garbage-collector policy covers the rendering
        _audit(run, estate, format, output, outputs, methodology, catalog or [], today)


def _audit(
    run: Pipeline,
    estate: Path,
    format: Format,
    output: Path | None,
    outputs: Outputs,
    methodology: Path | None,
    catalogs: list[Path],
    today: date,
) -> None:
    language = outputs.lang
    try:
        result = run.audit(estate, methodology, catalogs, today)
    except InvalidInput as error:
        fail(error, language)
        return
    exporter = exporter_for(format.value)
    if format is Format.table and output is None:
        out.print(matrix_table(result, language, out.width))
        return
    pieces = exporter.pieces(result, language, run.mapper)
    if output is None and not exporter.binary:
        for piece in pieces:
            sys.stdout.write(piece.decode("utf-8"))
        return
    target = output or Path(f"{estate.stem}-audit{exporter.suffix}")
    outputs.write(target, pieces)
    err.print(label(language, "written", path=target), highlight=False)


@app.command("schema")
def schema_command(
    kind: Annotated[
        SchemaKind, typer.Argument(help="estate | audit | methodology")
    ] = SchemaKind.estate,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Output file. / Fichier de sortie.")
    ] = None,
) -> None:
    """Print the JSON Schema of the estate format or of the audit JSON. / Schéma JSON."""
    from souverain.exporters.schema import schema_for

    data = (json.dumps(schema_for(kind.value), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        Outputs(default_lang()).write(output, data)


@app.command("demo")
def demo_command(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Folder for the outputs. / Dossier des résultats."),
    ] = Path("demo-output"),
    examples: Annotated[
        Path, typer.Option("--examples", help="Folder of example estates. / Dossier des exemples.")
    ] = Path("examples"),
    lang: Annotated[
        LangOption | None, typer.Option("--lang", help="Language of the terminal view.")
    ] = None,
) -> None:
    """Audit every bundled example in every format, French and English. / Démonstration."""
    language: Lang = lang.value if lang else default_lang()
    estates = sorted(p for p in examples.glob("*.yaml")) if examples.is_dir() else []
    if not estates:
        expected = label(language, "demo_expected_examples")
        err.print(f"{examples}: {label(language, 'expected')}: {expected}", highlight=False)
        raise typer.Exit(1)
    outputs = Outputs(language, examples=estates)
    outputs.check_folder(output)
    err.print(label(language, "demo_intro"), highlight=False)
    method = load_methodology()
    catalog = load_catalog()
    today = date.today()
    for path in estates:
        try:
            result = audit(load_estate(path), method, catalog, today)
        except InvalidInput as error:
            fail(error, language)
            return
        for code in ("en", "fr"):
            for fmt in Format:
                exporter = exporter_for(fmt.value)
                target = output / f"{path.stem}.{code}{exporter.suffix}"
                outputs.write(target, exporter.render(result, code))
        radar.write_demo_radars(result, catalog, output, path.stem, outputs)
        simulate.write_demo_scenarios(result, output, path.stem, outputs)
        report_cli.write_demo_reports(
            result,
            catalog,
            output,
            path.stem,
            outputs,
            pdf=path.stat().st_size <= report_cli.DEMO_PDF_BYTES,
        )
        roadmap_cli.write_demo_roadmaps(result, catalog, output, path.stem, outputs)
        if path == estates[0]:
            out.print(matrix_table(result, language, out.width))
    err.print(label(language, "demo_done", path=output.resolve()), highlight=False)


app.add_typer(catalog_commands.app, name="catalog")


def main() -> None:
    """Entry point of the ``souverain`` script.

    Once the command is done and its output flushed, the process ends at once
    (``os._exit``): after an audit of a large estate the interpreter would
    otherwise free hundreds of thousands of objects one by one, for nothing.
    Files are all written and closed (atomically) by then.
    """
    try:
        app()
        code: int = 0
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(printable(stop.code), file=sys.stderr)
            code = 1
        else:
            code = stop.code or 0
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: nothing more can be said
        code = code or 1
    os._exit(code)


from souverain.cli import diff, radar, simulate  # noqa: E402  (commands registered after the app exists)

radar.register(app)
simulate.register(app)
diff.register(app)
from souverain.cli import roadmap as roadmap_cli  # noqa: E402

roadmap_cli.register(app)
from souverain.cli import workbook as workbook_cli  # noqa: E402

workbook_cli.register(app)
from souverain.cli import report as report_cli  # noqa: E402

report_cli.register(app)
