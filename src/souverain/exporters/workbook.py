"""The audit's deliverables in one spreadsheet (``souverain workbook``): matrix,
reasons and summary (as ``audit -f xlsx``), then scenarios, radar, roadmap and exit
plans, one sheet each, as .xlsx or .ods."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from souverain.core.catalog.model import Catalog
from souverain.core.scoring.audit import AuditResult
from souverain.exporters.ods import ods_bytes, ods_written
from souverain.exporters.sheets import HEADER, Sheet, Written, score_style, workbook_sheets
from souverain.exporters.xlsx import XlsxWritten, xlsx_bytes, xlsx_written
from souverain.i18n import Lang, label
from souverain.wording import say_duration

if TYPE_CHECKING:
    from souverain.core.planning.radar import Radar
    from souverain.core.planning.roadmap import Roadmap


def _text(text: Mapping[Any, str], lang: Lang) -> str:
    return text.get(lang) or text.get("en") or ""


def _table(name: str, header: list[str], rows: list[list[Any]]) -> Sheet:
    sheet = Sheet(name, [list(header)], table=True, freeze_columns=1)
    sheet.styles.update({(0, c): HEADER for c in range(len(header))})
    sheet.rows.extend([None if v == "" else v for v in row] for row in rows)
    return sheet


def scenarios_sheet(result: AuditResult, catalog: Catalog, lang: Lang) -> Sheet:
    """Every single loss, worst first: processes down and degraded, data unreachable."""
    from souverain.core.scenarios.analyses import crisis_ranking
    from souverain.core.scenarios.graph import ScenarioGraph
    from souverain.core.scenarios.sweep import outcome_of
    from souverain.exporters.graph_findings import scenario_words

    exit_times = {d.asset: d.exit.time_to_exit for d in result.dependencies}
    graph = ScenarioGraph.build(result.estate, catalog, exit_times, today=result.today)
    batch, order = crisis_ranking(graph)  # as simulate --all ranks them
    criticality = {p.id: p.criticality for p in result.estate.processes}
    rows: list[list[Any]] = []
    for rank, column in enumerate(order, 1):
        outcome = outcome_of(batch, column)

        def names(state: str, outcome: Any = outcome) -> str:
            return ", ".join(p.id for p in outcome.processes if p.state == state)

        grave_down = sum(
            1
            for p in outcome.processes
            if p.state == "down" and criticality[p.id] in ("vital", "important")
        )
        rows.append(
            [
                rank,
                " = ".join(outcome.scenario.specs),
                grave_down,
                names("down"),
                names("degraded"),
                sum(1 for p in outcome.processes if p.exceeds_max_downtime),
                sum(1 for _, s in outcome.assets if s == "down"),
                ", ".join(outcome.unreachable_data),
                ", ".join(outcome.lost_data),
            ]
        )
    header = [
        "#",
        label(lang, "simulate_scenario"),
        label(lang, "workbook_grave_down"),
        label(lang, "workbook_processes_down"),
        label(lang, "workbook_processes_degraded"),
        label(lang, "simulate_exceeds"),
        label(lang, "simulate_assets_down"),
        label(lang, "simulate_unreachable"),
        scenario_words("column-lost", lang),
    ]
    sheet = _table(label(lang, "workbook_sheet_scenarios"), header, rows)
    for r, row in enumerate(rows, 1):
        sheet.styles[(r, 2)] = score_style(min(4, int(row[2])))
    return sheet


def radar_sheet(radar: Radar, lang: Lang) -> Sheet:
    """The alternatives radar: one row per blip, with what it could replace."""
    from souverain.exporters.radar_interface import blip_description, quadrant_name, ring_name

    quadrants = {q.id: quadrant_name(radar, q.id, lang) for q in radar.quadrants}
    rings = {r.id: ring_name(radar, r.id, lang) for r in radar.rings}
    rows = [
        [
            blip.number,
            blip.name,
            rings.get(blip.ring, blip.ring),
            quadrants.get(blip.quadrant, blip.quadrant),
            ", ".join(blip.replaces),
            blip_description(blip, lang),
            blip.source or "",
        ]
        for blip in radar.blips
    ]
    header = [
        "#",
        label(lang, "workbook_alternative"),
        label(lang, "workbook_ring"),
        label(lang, "workbook_quadrant"),
        label(lang, "workbook_replaces"),
        label(lang, "workbook_notes"),
        label(lang, "workbook_source"),
    ]
    return _table(label(lang, "workbook_sheet_radar"), header, rows)


def roadmap_sheet(roadmap: Roadmap, result: AuditResult, lang: Lang) -> Sheet:
    """The roadmap's actions, phase by phase."""
    from souverain.exporters.roadmap import roadmap_document

    document = roadmap_document(roadmap, result, lang)
    actions = [
        [
            action["order"],
            phase.get("title") or phase["name"],
            action["title"],
            action["id"],
            ", ".join(action["targets"]),
            action["effort_days"],
            action["cost_band"],
            action["risk_reduction"],
            ", ".join(action["prerequisites"]),
            action["start"],
            action["end"],
            " ".join(r["text"] for r in action["rationale"]),
        ]
        for phase in document["phases"]
        for action in phase["actions"]
    ]
    header = [
        "#",
        label(lang, "workbook_phase"),
        label(lang, "workbook_action"),
        label(lang, "workbook_id"),
        label(lang, "workbook_targets"),
        label(lang, "workbook_effort"),
        label(lang, "workbook_cost"),
        label(lang, "workbook_risk_reduction"),
        label(lang, "workbook_prerequisites"),
        label(lang, "workbook_start"),
        label(lang, "workbook_end"),
        label(lang, "workbook_why"),
    ]
    return _table(label(lang, "workbook_sheet_roadmap"), header, actions)


def exit_plans_sheet(
    result: AuditResult, catalog: Catalog, lang: Lang, radar: Radar | None = None
) -> Sheet:
    """The exit plans, one row each, their steps in one cell (``radar``: the
    alternatives radar, when already worked out)."""
    from souverain.core.planning.exit_plans import exit_plans
    from souverain.exporters.exit_plans import DOMAIN
    from souverain.wording import render

    # The words of the steps only, as exit_plan_document gives them: the sheet shows
    # no skills, contract steps or reasons, so they are neither made nor rendered.
    fits = {True: label(lang, "yes"), False: label(lang, "no"), None: "?"}
    exits = [
        [
            plan.asset,
            plan.alternative_name or plan.alternative or "",
            "" if plan.duration is None else say_duration(plan.duration, lang),
            "" if plan.max_downtime is None else say_duration(plan.max_downtime, lang),
            fits[plan.fits_max_downtime],
            " → ".join(render(step.text, lang, DOMAIN) for step in plan.steps),
        ]
        for plan in exit_plans(result, catalog, radar)
    ]
    header = [
        label(lang, "workbook_asset"),
        label(lang, "workbook_alternative"),
        label(lang, "workbook_duration"),
        label(lang, "simulate_max_downtime"),
        label(lang, "workbook_fits"),
        label(lang, "workbook_steps"),
    ]
    return _table(label(lang, "workbook_sheet_exit_plans"), header, exits)


def side_sheets(result: AuditResult, catalog: Catalog, lang: Lang) -> list[Sheet]:
    """The sheets that do not need the roadmap: scenarios, radar, exit plans (the
    ``workbook`` command works them out in a child while the roadmap's phases are
    projected)."""
    from souverain.core.planning.radar import alternatives_radar

    radar = alternatives_radar(result, catalog)  # the exit plans' candidates too
    return [
        scenarios_sheet(result, catalog, lang),
        radar_sheet(radar, lang),
        exit_plans_sheet(result, catalog, lang, radar),
    ]


def default_roadmap(result: AuditResult, catalog: Catalog) -> Roadmap:
    """The roadmap ``souverain roadmap`` gives by default, its actions measured on both
    cores (the ``workbook`` command has the pipeline build it instead)."""
    from souverain.core.planning.generation import generate_actions
    from souverain.core.planning.measure import RiskScorer
    from souverain.core.planning.phases import DEFAULT_CAPACITY_DAYS_PER_MONTH
    from souverain.core.planning.roadmap import build_roadmap
    from souverain.parallel import split_map

    scorer = RiskScorer(result, catalog)  # measures the actions, then projects the phases
    actions = generate_actions(result, catalog, split_map, scorer)
    return build_roadmap(result, actions, catalog, DEFAULT_CAPACITY_DAYS_PER_MONTH, None, scorer)


def deliverable_sheets(
    result: AuditResult,
    catalog: Catalog,
    lang: Lang,
    roadmap: Roadmap | None = None,
    side: list[Sheet] | None = None,
    audit_sheets: bool = True,
) -> list[Sheet]:
    """Every sheet of the workbook, in order: matrix, reasons, summary (unless not
    ``audit_sheets``), scenarios, radar, roadmap, exit plans. ``roadmap`` and ``side``
    (:func:`side_sheets`) when already worked out."""
    scenarios, radar, exits = side if side is not None else side_sheets(result, catalog, lang)
    roadmap = roadmap if roadmap is not None else default_roadmap(result, catalog)
    return [
        *(workbook_sheets(result, lang) if audit_sheets else []),
        scenarios,
        radar,
        roadmap_sheet(roadmap, result, lang),
        exits,
    ]


# The audit's sheets already written, by format.
AuditSheets = XlsxWritten | list[Written]


def audit_sheets_written(result: AuditResult, lang: Lang, suffix: str) -> AuditSheets:
    """The workbook's first sheets (matrix, reasons, summary) laid out and written as
    ``suffix`` (.xlsx or .ods): they need only the audit, and the ``workbook`` command
    has them done in a child while the roadmap and the other sheets are worked out."""
    sheets = workbook_sheets(result, lang)
    return xlsx_written(sheets) if suffix == ".xlsx" else ods_written(sheets)


def workbook_bytes(
    result: AuditResult,
    catalog: Catalog,
    lang: Lang,
    suffix: str,
    roadmap: Roadmap | None = None,
    side: list[Sheet] | None = None,
    written: AuditSheets | None = None,
) -> bytes:
    """The deliverables workbook as ``.xlsx`` or ``.ods`` (``written``: its audit
    sheets, from :func:`audit_sheets_written`; the same bytes)."""
    sheets = deliverable_sheets(result, catalog, lang, roadmap, side, written is None)
    if suffix == ".xlsx":
        assert written is None or isinstance(written, XlsxWritten)
        return xlsx_bytes(sheets, result, lang, written)
    assert not isinstance(written, XlsxWritten)
    return ods_bytes(sheets, result, lang, written or ())
