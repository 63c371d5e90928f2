"""``souverain report``: the audit report as a self-contained HTML file or a PDF
(docs/report.md)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
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
    no_cyclic_gc,
    parse_day,
    run_audit,
)
from souverain.core.audit import AuditResult
from souverain.core.catalog import Catalog
from souverain.core.duration import Duration
from souverain.core.errors import InvalidInput
from souverain.i18n import LANGS, Lang, default_lang, label

if TYPE_CHECKING:
    from souverain.core.exit_plans import ExitPlan
    from souverain.core.radar import Radar
    from souverain.core.roadmap import Action, Roadmap
    from souverain.core.scenarios import Outcome
    from souverain.exporters.report import Limits, ReportInputs

WORST_SCENARIOS = 8  # shown in the report, of every single loss
DEMO_PDF_BYTES = 100_000  # make demo renders the PDFs of example estates up to this size
SETTLE_FROM_DEPENDENCIES = 2000  # see settled()


@dataclass(frozen=True)
class ReportParts:
    """What the report adds to the audit, worked out once for every language."""

    outcomes: list[Outcome]
    scenario_count: int
    grace: Duration
    radar: Radar
    roadmap: Roadmap
    plans: list[ExitPlan]


def report_parts(result: AuditResult, catalog: Catalog) -> ReportParts:
    """The worst single losses, the radar, the roadmap and the exit plans of an audit.

    On a large estate the roadmap's phases are projected in a child process while the
    scenarios, the radar and the exit plans are worked out here (the roadmap is the
    lighter of the two to send back).
    """
    from souverain.cli.simulate import graph_of
    from souverain.core.analyses import ranked
    from souverain.core.exit_plans import exit_plans
    from souverain.core.radar import radar_for
    from souverain.core.roadmap import (
        DEFAULT_CAPACITY_DAYS_PER_MONTH,
        build_roadmap,
        generate_actions,
    )
    from souverain.core.scenarios import (
        DEFAULT_GRACE,
        every_single_loss,
        simulate_many,
        simulate_one,
    )
    from souverain.exporters.report import Limits, prepare
    from souverain.parallel import MINIMUM, beside, split_map

    def others() -> tuple[list[Outcome], int, Radar, list[ExitPlan]]:
        graph = graph_of(result, catalog)
        # The organisation's own country is no foreign law: losing it is not a scenario.
        home = ("jurisdiction", result.estate.organisation.country)
        scenarios = [s for s in every_single_loss(graph) if s.losses != (home,)]
        batch = simulate_many(graph, scenarios, DEFAULT_GRACE, with_exceeds=False)
        worst = ranked(batch)[:WORST_SCENARIOS]
        radar = radar_for("alternatives", result, catalog)
        # The plans reuse the radar's candidates. Only those the report can show in full
        # get their steps: every plan up to Limits.plans_full, else the first plans_detail.
        detailed = max(Limits.plans_full, Limits.plans_detail)
        plans = exit_plans(result, catalog, radar, detailed)
        outcomes = [simulate_one(graph, scenarios[c], DEFAULT_GRACE) for c in worst]
        prepare()  # the phases take longer in the other process: compile the page meanwhile
        return outcomes, len(scenarios), radar, plans

    actions = generate_actions(result, catalog, split_map)

    def phases() -> Roadmap:
        roadmap = build_roadmap(result, actions, catalog, DEFAULT_CAPACITY_DAYS_PER_MONTH, None)
        return _by_index(roadmap, actions)  # sent back light: this process has the actions

    small = len(result.estate.assets) < MINIMUM
    (outcomes, count, radar, plans), light = beside(others, phases, alone=small)
    roadmap = _from_index(light, actions)
    return ReportParts(
        outcomes=outcomes,
        scenario_count=count,
        grace=DEFAULT_GRACE,
        radar=radar,
        roadmap=roadmap,
        plans=plans,
    )


def _by_index(roadmap: Roadmap, actions: list[Action]) -> Roadmap:
    """``roadmap`` with each action that is one of ``actions`` given by its index (the
    roadmap of 10,000 assets is 16,000 actions, about 9 MB pickled)."""
    at = {id(a): n for n, a in enumerate(actions)}
    phases = tuple(  # indices stand in for actions only while the roadmap is sent
        replace(p, actions=tuple(at.get(id(a), a) for a in p.actions))  # type: ignore[misc]
        for p in roadmap.phases
    )
    return replace(roadmap, phases=phases)


def _from_index(roadmap: Roadmap, actions: list[Action]) -> Roadmap:
    """The roadmap :func:`_by_index` gave, with its actions back."""
    phases = tuple(
        replace(p, actions=tuple(actions[a] if isinstance(a, int) else a for a in p.actions))
        for p in roadmap.phases
    )
    return replace(roadmap, phases=phases)


def report_inputs(
    result: AuditResult, parts: ReportParts, lang: Lang, limits: Limits | None = None
) -> ReportInputs:
    """The report's inputs in ``lang``, for a report rendered with ``limits`` (the
    default ones unless given): the roadmap's actions that it does not list are
    counted only, and not written out."""
    from souverain.core.exit_plans import exit_plan_document
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


@contextmanager
def settled(result: AuditResult) -> Iterator[Callable[[], None]]:
    """Keep Python's garbage collector off the audit of a large estate while the report
    is worked out; gives a function that sets aside what was worked out since as well.

    The audit of 10,000 assets is millions of objects that live until the command
    ends; every full collection walks them all again, and the roadmap, the exit plans
    and the report's documents trigger many (several seconds in all at that size).
    ``gc.freeze`` sets them aside; ``gc.unfreeze`` puts them back afterwards, for a
    caller that goes on in the same process. A small estate is left alone.
    """
    if len(result.dependencies) < SETTLE_FROM_DEPENDENCIES:
        yield lambda: None
        return
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


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
            # No cyclic collection while the audit and the parts are worked out (as the
            # audit and roadmap commands); back on for the rendering, whose layout trees
            # have cycles, once the audit and the parts, which live until the end, are
            # frozen: switched on first, it would walk all of them at once (a second).
            with ExitStack() as frozen:
                with no_cyclic_gc():
                    result = run_audit(estate, methodology, catalog or [], today, language)
                    assert result.catalog is not None
                    parts = report_parts(result, result.catalog)
                    frozen.enter_context(settled(result))
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
    (WeasyPrint takes a few seconds a PDF)."""
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
