"""``souverain report``: the audit report a board reads, as one HTML file or a PDF.

The HTML is self-contained like the matrix page (:mod:`souverain.exporters.html`,
whose styles, macros and template environment it shares): no stylesheet, font,
image or script is loaded from anywhere, and every chart is inline SVG. The PDF is
the same HTML laid out by WeasyPrint for A4 (page numbers, a table of contents with
page numbers, landscape pages for the matrix and the radar).

The report renders :class:`ReportInputs`: the audit plus what the CLI worked out
from it (the worst scenarios, the radar, the roadmap and the exit plans). A section
whose input is missing says so in words; nothing is invented.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from souverain import __version__
from souverain.core.audit import AuditResult
from souverain.core.duration import Duration
from souverain.core.methodology import AXES
from souverain.core.radar import Radar
from souverain.exporters.html import GRAVE, environment, report_context
from souverain.exporters.matrix import main_reason
from souverain.exporters.radar_interface import quadrant_name, ring_name
from souverain.exporters.radar_svg import RING_COLOURS
from souverain.exporters.report_charts import (
    dependence_bars,
    heat_map,
    radar_drawing,
    roadmap_timeline,
)
from souverain.i18n import Lang, label

if TYPE_CHECKING:  # the scenario engine (numpy) is only needed by the caller
    from souverain.core.scenarios import Outcome

TEMPLATE = "report.html.j2"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
HTML_SUFFIX = ".html"
PDF_SUFFIX = ".pdf"

# Section ids, in reading order, with the label of their title: the table of
# contents and the headings come from this one list.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "report_executive_summary"),
    ("heat-map", "report_heat_map"),
    ("matrix", "report_matrix"),
    ("concentration", "report_concentration"),
    ("scenarios", "report_scenarios"),
    ("radar", "report_radar"),
    ("roadmap", "report_roadmap"),
    ("exit-plans", "report_exit_plans"),
    ("annex", "report_annex"),
)


@dataclass(frozen=True)
class ReportInputs:
    """Everything the report shows. ``None`` means "not available": the section says so."""

    result: AuditResult
    scenarios: Sequence[Outcome] = ()  # the worst single losses, worst first
    scenario_count: int = 0  # how many single losses were simulated
    grace: Duration | None = None
    radar: Radar | None = None  # the radar of alternatives
    roadmap: dict[str, Any] | None = None  # exporters.roadmap.roadmap_document
    exit_plans: list[dict[str, Any]] | None = None  # core.exit_plans.exit_plan_document


def _summary(inputs: ReportInputs, lang: Lang) -> dict[str, Any]:
    """The executive summary's three answers, as numbers the template puts in words."""
    result = inputs.result
    deps = result.dependencies
    counts = result.counts()
    grave = [d for d in deps if d.gravity in GRAVE]
    grave_processes = [p for p in result.estate.processes if p.criticality in GRAVE]
    worst = _scenario_documents(inputs.scenarios[:1], result, lang)
    readiness = sum(d.exit.readiness for d in grave) / len(grave) if grave else None
    plans = inputs.exit_plans
    return {
        "total": len(deps),
        "critical": counts["critical"],
        "high": counts["high"],
        "vital": sum(1 for d in deps if d.gravity == "vital"),
        "important": sum(1 for d in deps if d.gravity == "important"),
        "grave": len(grave),
        "grave_processes": len(grave_processes),
        "cannot_exit": sum(1 for d in grave if not d.exit.can_exit_within_max_downtime),
        "readiness": _decimal(readiness, lang) if readiness is not None else None,
        "worst": worst[0] if worst else None,
        "worst_down": sum(1 for p in worst[0]["down"] if p["criticality"] in GRAVE) if worst else 0,
        "worst_degraded": (
            sum(1 for p in worst[0]["degraded"] if p["criticality"] in GRAVE) if worst else 0
        ),
        "plans": len(plans) if plans is not None else None,
        "plans_fit": sum(1 for p in plans if p.get("fits_max_downtime")) if plans else 0,
        "top": [
            {
                "asset": d.asset,
                "name": d.name,
                "level": d.level,
                "gravity": d.gravity,
                "provider": d.provider_name,
                "reason": main_reason(d, lang),
            }
            for d in deps
            if d.level in ("critical", "high")
        ][:8],
    }


def _decimal(value: float, lang: Lang) -> str:
    """One decimal, with the decimal comma in French."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "fr" else text


def _names(result: AuditResult, lang: Lang) -> dict[tuple[str, str], str]:
    """Display names of what a scenario removes, by (kind, id)."""
    names: dict[tuple[str, str], str] = {}
    if result.graph is not None:
        for d in result.graph.dependence:
            names[(d.kind, d.id)] = d.name_fr if lang == "fr" and d.name_fr else d.name
    names.update({("provider", p.id): p.name for p in result.providers})
    names.update({("site", a.id): a.name or a.id for a in result.estate.assets})
    names.update({("asset", a.id): a.name or a.id for a in result.estate.assets})
    return names


def _scenario_documents(
    outcomes: Sequence[Outcome], result: AuditResult, lang: Lang
) -> list[dict[str, Any]]:
    processes = {p.id: p for p in result.estate.processes}
    names = _names(result, lang)
    order = {"vital": 0, "important": 1, "useful": 2, "minor": 3}
    out = []
    for rank, outcome in enumerate(outcomes, 1):
        losses = [
            label(
                lang,
                "report_loss",
                kind=label(lang, f"report_kind_{kind}"),
                name=names.get((kind, ident), ident),
            )
            for kind, ident in outcome.scenario.losses
        ]

        def hit(state: str, outcome: Outcome = outcome) -> list[dict[str, Any]]:
            found = [p for p in outcome.processes if p.state == state]
            found.sort(key=lambda p: (order.get(processes[p.id].criticality, 9), p.id))
            return [
                {
                    "name": processes[p.id].name or p.id,
                    "criticality": processes[p.id].criticality,
                    "time_to_impact": str(p.time_to_impact) if p.time_to_impact else None,
                    "exceeds": p.exceeds_max_downtime,
                }
                for p in found
            ]

        out.append(
            {
                "rank": rank,
                "spec": outcome.scenario.spec,
                "title": " + ".join(losses),
                "down": hit("down"),
                "degraded": hit("degraded"),
                "data": list(outcome.unreachable_data),
                "assets_down": sum(1 for _, s in outcome.assets if s == "down"),
            }
        )
    return out


def _blips(radar: Radar, lang: Lang) -> list[dict[str, Any]]:
    """The radar's legend, by quadrant: each blip's number, name, ring and what it could
    replace."""
    return [
        {
            "name": quadrant_name(radar, quadrant.id, lang),
            "blips": [
                {
                    "number": b.number,
                    "name": b.name,
                    "ring": ring_name(radar, b.ring, lang),
                    "colour": RING_COLOURS[b.ring],
                    "replaces": ", ".join(radar.asset_names.get(a, a) for a in b.replaces),
                }
                for b in radar.blips
                if b.quadrant == quadrant.id
            ],
        }
        for quadrant in radar.quadrants
    ]


def catalog_facts(inputs: ReportInputs) -> list[dict[str, str]]:
    """Every catalog fact a reason of the report cites, once, sorted by fact."""
    found: set[tuple[str, str, str]] = set()
    for dep in inputs.result.dependencies:
        reasons = [r for axis in dep.exposure.values() for r in axis.reasons]
        for reason in (*reasons, *dep.exit.reasons):
            ref, source, as_of = reason.evidence
            if source:
                found.add((ref, source, as_of.isoformat() if as_of else ""))
    for plan in inputs.exit_plans or []:
        for note in plan.get("reasons", []):
            if note.get("source"):
                found.add((note.get("ref") or "", note["source"], note.get("as_of") or ""))
    return [{"ref": r, "source": s, "as_of": a} for r, s, a in sorted(found)]


def _methodology(result: AuditResult, lang: Lang) -> dict[str, Any]:
    method = result.methodology
    max_weight = method.exposure.max_weight
    return {
        "axes": [
            {
                "name": method.axes[a].name.get(lang, a),
                "key": a,
                "weight": f"{method.axes[a].weight:g}",
                "aggregate": method.axes[a].aggregate,
                "rules": len(method.axes[a].rules),
            }
            for a in AXES
        ],
        "blend": label(
            lang, "report_blend", max_weight=f"{max_weight:g}", rest=f"{1 - max_weight:g}"
        ),
        "matrix": [
            {"gravity": g, "levels": list(levels)} for g, levels in method.risk_matrix.items()
        ],
        "exit": [
            {
                # The criterion's reason without its particulars: "Alternative identified: …".
                "text": PLACEHOLDER.sub("…", str(c.text.get(lang) or c.text.get("en") or c.id)),
                "points": f"{c.points:g}",
            }
            for c in method.exit.criteria
        ],
    }


def render_context(inputs: ReportInputs, lang: Lang) -> dict[str, Any]:
    """What report.html.j2 needs; the matrix page's context plus the report's parts."""
    result = inputs.result
    context = report_context(result, lang)
    home = result.estate.organisation.country
    dependence = [
        d
        for d in (result.graph.dependence if result.graph else ())
        if not (d.kind == "jurisdiction" and d.id == home)  # its own laws: no foreign reach
    ]
    roadmap = inputs.roadmap
    context.update(
        {
            "version": __version__,
            "sections": [{"id": i, "title": label(lang, key)} for i, key in SECTIONS],
            "answers": _summary(inputs, lang),
            "heat_map": heat_map(result, lang),
            "dependence_chart": dependence_bars(dependence, lang) if dependence else None,
            "scenarios": _scenario_documents(inputs.scenarios, result, lang),
            "scenario_count": inputs.scenario_count,
            "grace": str(inputs.grace) if inputs.grace else None,
            "radar": radar_drawing(inputs.radar, lang) if inputs.radar else None,
            "blips": _blips(inputs.radar, lang) if inputs.radar else [],
            "roadmap": roadmap,
            "timeline": roadmap_timeline(roadmap, lang) if roadmap else None,
            "exit_plans": inputs.exit_plans,
            "method": _methodology(result, lang),
            "facts": catalog_facts(inputs),
        }
    )
    return context


def render_html(inputs: ReportInputs, lang: Lang) -> bytes:
    """The report as one self-contained HTML page (UTF-8)."""
    page = environment().get_template(TEMPLATE).render(render_context(inputs, lang))
    return page.encode("utf-8")


def render_pdf(inputs: ReportInputs, lang: Lang) -> bytes:
    """The report as an A4 PDF, laid out by WeasyPrint from the HTML."""
    return pdf_from_html(render_html(inputs, lang))


def pdf_from_html(page: bytes) -> bytes:
    """A report page (:func:`render_html`) as PDF; plain bytes in and out, so that
    several PDFs can be laid out in worker processes at once."""
    from weasyprint import HTML  # Pango and friends: loaded only for PDFs

    # WeasyPrint warns about every CSS property meant for screens only; not the user's concern.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    data: bytes = HTML(string=page.decode("utf-8")).write_pdf()
    return data


RENDERERS = {HTML_SUFFIX: render_html, PDF_SUFFIX: render_pdf}
