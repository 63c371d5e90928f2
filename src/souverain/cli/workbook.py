"""``souverain workbook ESTATE -o FILE.xlsx|FILE.ods``: every deliverable, one sheet each."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from souverain.cli.common import (
    AsOfOpt,
    CatalogOpt,
    LangOpt,
    MethodologyOpt,
    Outputs,
    err,
    fail,
    parse_day,
    pipeline,
)
from souverain.core.errors import InvalidInput
from souverain.i18n import Lang, default_lang, label

SUFFIXES = (".xlsx", ".ods")


def register(app: typer.Typer) -> None:
    @app.command("workbook")
    def workbook_command(
        estate: Annotated[Path, typer.Argument(help="Estate file (YAML or JSON).")],
        output: Annotated[
            Path,
            typer.Option(
                "--output", "-o", help="deliverables.xlsx or deliverables.ods / Fichier de sortie."
            ),
        ],
        lang: LangOpt = None,
        methodology: MethodologyOpt = None,
        catalog: CatalogOpt = None,
        as_of: AsOfOpt = None,
    ) -> None:
        """Matrix, scenarios, radar, roadmap and exit plans in one spreadsheet. / Classeur."""
        language: Lang = lang.value if lang else default_lang()
        suffix = output.suffix.lower()
        if suffix not in SUFFIXES:
            err.print(label(language, "workbook_suffix", found=output.name), highlight=False)
            raise typer.Exit(2)
        today = parse_day(as_of, language)
        outputs = Outputs(language, estate=estate, methodology=methodology, catalogs=catalog or [])
        outputs.check(output)
        from souverain.core.planning.phases import DEFAULT_CAPACITY_DAYS_PER_MONTH
        from souverain.exporters.workbook import (
            audit_sheets_written,
            side_sheets,
            workbook_bytes,
        )

        # Hundreds of thousands of cells and rows that live until the end: the pipeline's
        # garbage-collector policy covers the rendering. The audit's sheets are laid out
        # and written in a child from the audit on (the cores are otherwise idle for
        # part of the roadmap's making); the other sheets that do not need the roadmap
        # are worked out in a child while its phases are projected here.
        with pipeline(language) as run:
            try:
                result = run.audit(estate, methodology, catalog or [], today)
            except InvalidInput as error:
                fail(error, language)
                return
            known = result.catalog
            assert known is not None
            written = run.in_background(
                lambda: audit_sheets_written(result, language, suffix),
                size=len(result.estate.assets),
            )
            roadmap, side = run.roadmap(
                result,
                known,
                DEFAULT_CAPACITY_DAYS_PER_MONTH,
                None,
                lambda: side_sheets(result, known, language),
            )
            data = workbook_bytes(result, known, language, suffix, roadmap, side, written())
        outputs.write(output, data)
        err.print(label(language, "written", path=output), highlight=False)
