"""``souverain roadmap``: prioritised actions, phases and exit plans (docs/roadmap.md)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.table import Table
from rich.text import Text

from souverain.cli.common import (
    AsOfOpt,
    CatalogOpt,
    LangOpt,
    MethodologyOpt,
    Outputs,
    err,
    fail,
    out,
    parse_day,
    pipeline,
    usage_error,
)
from souverain.core.catalog.model import Catalog
from souverain.core.errors import InvalidInput
from souverain.core.limits import MAX_CAPACITY_DAYS_PER_MONTH
from souverain.core.planning.phases import DEFAULT_CAPACITY_DAYS_PER_MONTH
from souverain.core.planning.plan_file import PlanFile, parse_plan
from souverain.core.planning.roadmap import Roadmap, build_roadmap
from souverain.core.scoring.audit import AuditResult
from souverain.exporters.roadmap import (
    render_csv,
    render_ics,
    render_json,
    render_md,
    roadmap_document,
)
from souverain.i18n import Lang, default_lang, label
from souverain.importers.document import Document, read_document
from souverain.pipeline import Pipeline


class RoadmapFormat(StrEnum):
    table = "table"
    json = "json"
    md = "md"
    csv = "csv"
    ics = "ics"


SUFFIX = {"json": ".json", "md": ".md", "csv": ".csv", "ics": ".ics"}

T = TypeVar("T")


def load_plan(path: Path) -> tuple[PlanFile, Document]:
    """Read and check a plan file; problems name the file and line."""
    document = read_document(path)
    try:
        return parse_plan(document.data), document
    except InvalidInput as error:
        raise InvalidInput("plan", document.locate(error.problems)) from None


def exit_plan_documents(result: AuditResult, catalog: Catalog, lang: Lang) -> list[dict[str, Any]]:
    """The exit plans of souverain.core.planning.exit_plans, as JSON objects
    (souverain.exporters.exit_plans)."""
    from souverain.core.planning.exit_plans import exit_plans
    from souverain.exporters.exit_plans import exit_plan_document

    return [exit_plan_document(plan, lang) for plan in exit_plans(result, catalog)]


@contextmanager
def _located(plan_document: Document | None) -> Iterator[None]:
    """Plan problems raised by ``build_roadmap`` given the lines of the plan file."""
    try:
        yield
    except InvalidInput as error:
        if plan_document is not None and error.kind == "plan":
            raise InvalidInput("plan", plan_document.locate(error.problems)) from None
        raise


def make_roadmap(
    result: AuditResult,
    catalog: Catalog,
    capacity: float,
    plan: PlanFile | None,
    plan_document: Document | None,
) -> Roadmap:
    """The roadmap alone (``make demo``, tests), plan problems located in the plan file."""
    with _located(plan_document):
        actions, scorer = Pipeline().measured(result, catalog)
        return build_roadmap(result, actions, catalog, capacity, plan, scorer)


def register(app: typer.Typer) -> None:
    @app.command("roadmap")
    def roadmap_command(
        estate: Annotated[Path, typer.Argument(help="Estate file (YAML or JSON).")],
        format: Annotated[
            RoadmapFormat,
            typer.Option("--format", "-f", help="table | json | md | csv | ics"),
        ] = RoadmapFormat.table,
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="Output file. / Fichier de sortie.")
        ] = None,
        plan: Annotated[
            Path | None,
            typer.Option(
                "--plan",
                help="Plan file: drop, pin or re-phase actions. / Fichier de plan.",
            ),
        ] = None,
        capacity: Annotated[
            float,
            typer.Option(
                "--capacity",
                help="Person-days a month the organisation gives the roadmap. "
                "/ Jours-personne par mois consacrés à la feuille de route.",
            ),
        ] = DEFAULT_CAPACITY_DAYS_PER_MONTH,
        lang: LangOpt = None,
        methodology: MethodologyOpt = None,
        catalog: CatalogOpt = None,
        as_of: AsOfOpt = None,
    ) -> None:
        """Prioritised actions in three phases, with exit plans. / Feuille de route."""
        language: Lang = lang.value if lang else default_lang()
        if not 0 < capacity <= MAX_CAPACITY_DAYS_PER_MONTH:
            usage_error(
                language,
                "--capacity",
                label(
                    language,
                    "roadmap_capacity_expected",
                    most=f"{MAX_CAPACITY_DAYS_PER_MONTH:,}".replace(",", " "),
                ),
                str(capacity),
            )
        today = parse_day(as_of, language)
        outputs = Outputs(
            language, estate=estate, methodology=methodology, catalogs=catalog or [], plan=plan
        )
        outputs.check(output)
        with pipeline(language) as run:  # its garbage-collector policy covers the rendering
            _roadmap(
                run, estate, format, output, plan, capacity, outputs, methodology, catalog, today
            )


def _roadmap(
    run: Pipeline,
    estate: Path,
    format: RoadmapFormat,
    output: Path | None,
    plan: Path | None,
    capacity: float,
    outputs: Outputs,
    methodology: Path | None,
    catalog: list[Path] | None,
    today: date,
) -> None:
    language = outputs.lang
    try:
        plan_data, plan_document = load_plan(plan) if plan else (None, None)
        # The roadmap and exit plans do not use the graph findings: not worked out.
        result = run.audit(estate, methodology, catalog or [], today, False)
        assert result.catalog is not None
        catalog_used = result.catalog
        with _located(plan_document):
            roadmap, exits = run.roadmap(
                result,
                catalog_used,
                capacity,
                plan_data,
                lambda: exit_plan_documents(result, catalog_used, language),
            )
    except InvalidInput as error:
        fail(error, language)
        return
    document = roadmap_document(roadmap, result, language, exits)
    if format is RoadmapFormat.table and output is None:
        _print(document, language)
        return
    kind = "md" if format is RoadmapFormat.table else format.value
    renderers = {
        "json": lambda: render_json(document),
        "csv": lambda: render_csv(document),
        "md": lambda: render_md(document, language),
        "ics": lambda: render_ics(document, language),
    }
    data = renderers[kind]()
    if output is None:
        if kind == "ics":
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data.decode("utf-8"))
        return
    outputs.write(output, data)
    err.print(label(language, "written", path=output), highlight=False)


def _print(document: dict[str, Any], lang: Lang) -> None:
    after = document["risk_after_each_phase"][-1] if document["risk_after_each_phase"] else None
    out.print(
        Text.assemble(
            (label(lang, "roadmap_title", organisation=document["organisation"]), "bold")
        ),
        highlight=False,
    )
    out.print(
        label(
            lang,
            "roadmap_intro",
            date=document["as_of"],
            before=document["risk_before"],
            after=after,
            capacity=document["capacity_days_per_month"],
        ),
        highlight=False,
    )
    for phase in document["phases"]:
        table = Table(
            title=f"{phase['title']} — "
            + label(
                lang,
                "roadmap_phase_summary",
                effort=phase["effort_days"],
                capacity=phase["capacity_days"],
                risk=phase["risk_after"],
            ),
            title_justify="left",
        )
        for key, justify in (
            ("roadmap_order", "right"),
            ("roadmap_action", "left"),
            ("roadmap_targets", "left"),
            ("roadmap_effort", "right"),
            ("roadmap_cost", "left"),
            ("roadmap_reduction", "right"),
            ("roadmap_prerequisites", "left"),
        ):
            table.add_column(label(lang, key), justify=justify)  # type: ignore[arg-type]
        for a in phase["actions"]:
            table.add_row(
                str(a["order"]),
                Text.assemble(f"{a['title']}\n", (a["id"], "dim")),
                ", ".join(a["targets"][:4]) + (" …" if len(a["targets"]) > 4 else ""),
                str(a["effort_days"]),
                a["cost_band"],
                str(a["risk_reduction"]),
                ", ".join(a["prerequisites"]) or "—",
            )
        out.print(table)


def write_demo_roadmaps(
    result: AuditResult, catalog: Catalog, output: Path, stem: str, outputs: Outputs
) -> None:
    """``make demo``: each example's roadmap, as JSON and Markdown, in English and French."""
    roadmap = make_roadmap(result, catalog, DEFAULT_CAPACITY_DAYS_PER_MONTH, None, None)
    for lang in ("en", "fr"):
        document = roadmap_document(
            roadmap, result, lang, exit_plan_documents(result, catalog, lang)
        )
        outputs.write(output / f"{stem}.roadmap.{lang}.json", render_json(document))
        outputs.write(output / f"{stem}.roadmap.{lang}.md", render_md(document, lang))
