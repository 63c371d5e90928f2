"""``souverain report``: the audit report as a self-contained HTML file or a PDF
(docs/report.md)."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
from souverain.core.catalog.model import Catalog
from souverain.core.errors import InvalidInput
from souverain.core.scoring.audit import AuditResult
from souverain.i18n import LANGS, Lang, default_lang, label
from souverain.pipeline import ReportParts, report_parts

if TYPE_CHECKING:
    from souverain.exporters.report import Limits, ReportInputs

DEMO_PDF_BYTES = 100_000  # make demo renders the PDFs of example estates up to this size


def report_inputs(
    result: AuditResult, parts: ReportParts, lang: Lang, limits: Limits | None = None
) -> ReportInputs:
    """The report's inputs in ``lang``, for a report rendered with ``limits`` (the
    default ones unless given): the roadmap's actions that it does not list are
    counted only, and not written out."""
    from souverain.exporters.exit_plans import exit_plan_document
    from souverain.exporters.report import Limits, ReportInputs
    from souverain.exporters.roadmap import roadmap_document

    limits = limits or Limits()
    plans = [exit_plan_document(plan, lang) for plan in parts.plans]
    return ReportInputs(
        result=result,
        scenarios=parts.outcomes,
        scenario_count=parts.scenario_count,
        grace=parts.grace,
        radar=parts.radar,
        roadmap=roadmap_document(parts.roadmap, result, lang, plans, limits.phase_actions),
        exit_plans=plans,
        limits=limits,
    )


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report_command(
        estate: Annotated[Path, typer.Argument(help="Estate file (YAML or JSON).")],
        output: Annotated[
            Path,
            typer.Option(
                "--output",
                "-o",
                help="report.html (self-contained page) or report.pdf (A4). "
                "/ Fichier du rapport (.html ou .pdf).",
            ),
        ],
        lang: LangOpt = None,
        methodology: MethodologyOpt = None,
        catalog: CatalogOpt = None,
        as_of: AsOfOpt = None,
    ) -> None:
        """The audit report: summary, heat map, matrix, scenarios, radar, roadmap, exit
        plans, methodology and sources. / Le rapport d'audit (HTML ou PDF)."""
        from souverain.exporters.report import RENDERERS  # jinja2, WeasyPrint: when needed

        language: Lang = lang.value if lang else default_lang()
        suffix = output.suffix.lower()
        if suffix not in RENDERERS:
            err.print(
                label(language, "report_unknown_extension", path=output, suffix=output.suffix),
                highlight=False,
            )
            raise typer.Exit(2)
        today = parse_day(as_of, language)
        outputs = Outputs(language, estate=estate, methodology=methodology, catalogs=catalog or [])
        outputs.check(output)
        try:
            with pipeline(language) as run:
                result = run.audit(estate, methodology, catalog or [], today)
                assert result.catalog is not None
                parts = run.report_parts(result, result.catalog)
                run.settle(result)  # the collector back on for the rendering
                data = RENDERERS[suffix](report_inputs(result, parts, language), language)
        except InvalidInput as error:
            fail(error, language)
            return
        outputs.write(output, data)
        err.print(label(language, "written", path=output), highlight=False)


def write_demo_reports(
    result: AuditResult, catalog: Catalog, folder: Path, stem: str, outputs: Outputs, pdf: bool
) -> None:
    """``make demo``: ``STEM.report.LANG.html`` in French and English, and the PDFs
    (``STEM.report.LANG.pdf``) when ``pdf``, the two laid out at once in two processes
    (laying a PDF out is WeasyPrint's slow part)."""
    from souverain.exporters.report import pdf_from_html, render_html

    parts = report_parts(result, catalog)
    pages = {lang: render_html(report_inputs(result, parts, lang), lang) for lang in LANGS}
    for lang, page in pages.items():
        outputs.write(folder / f"{stem}.report.{lang}.html", page)
    if not pdf:
        return
    with ProcessPoolExecutor(max_workers=len(pages)) as pool:
        pdfs = pool.map(pdf_from_html, pages.values())
        for lang, data in zip(pages, pdfs, strict=True):
            outputs.write(folder / f"{stem}.report.{lang}.pdf", data)
