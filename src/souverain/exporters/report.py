"""``souverain report``: the audit report a board reads, as one HTML file or a PDF.

The HTML is self-contained like the matrix page (:mod:`souverain.exporters.html`,
whose styles, macros and template environment it shares): no stylesheet, font,
image or script is loaded from anywhere, and every chart is inline SVG. The PDF is
the same HTML laid out by WeasyPrint for A4 (page numbers, a table of contents with
page numbers, landscape pages for the matrix and the radar).

The report renders :class:`ReportInputs`: the audit plus what the CLI worked out
from it (the worst scenarios, the radar, the roadmap and the exit plans). A section
whose input is missing says so in words; nothing is invented.

A large estate (thousands of dependencies) would give a matrix, a roadmap and exit
plans of thousands of rows each, which nobody reads on paper and which are slow
to lay out. Past the thresholds of :class:`Limits`, those sections list the riskiest
rows in full, the next ones one line each, count every row, and say where the
complete lists are (``souverain audit``, ``roadmap`` and ``workbook``). Below the
thresholds, which the bundled examples are, nothing is left out.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import takewhile
from typing import TYPE_CHECKING, Any

from souverain import __version__
from souverain.core.estate.duration import Duration
from souverain.core.planning.radar import Radar
from souverain.core.scoring.audit import AuditResult, Dependency
from souverain.core.scoring.methodology import AXES
from souverain.core.vocabulary import GRAVE, LEVELS
from souverain.exporters.graph_findings import scenario_words, unreachable_heading
from souverain.exporters.html import environment, render_page, report_context
from souverain.exporters.matrix import dependency_document, main_reason, summary_document
from souverain.exporters.radar_interface import quadrant_name, ring_name
from souverain.exporters.radar_svg import RING_COLOURS
from souverain.exporters.report_charts import (
    dependence_bars,
    heat_map,
    radar_drawing,
    roadmap_timeline,
)
from souverain.i18n import Lang, label, labels
from souverain.wording import number, say_duration

if TYPE_CHECKING:  # the scenario engine (numpy) is only needed by the caller
    from souverain.core.scenarios.reference import Outcome

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


# The levels whose dependencies the matrix of a large estate lists one by one.
LISTED_LEVELS = ("critical", "high")


@dataclass(frozen=True)
class Limits:
    """How much of a large estate the report lists one by one (docs/report.md).

    Every threshold is above what the bundled examples reach, so that their reports
    are complete; past one, the section lists the riskiest rows, counts every row,
    and says where the complete list is. Tests lower them to check both forms.
    """

    matrix_full: int = 200  # up to this many dependencies: the whole matrix in full
    matrix_detail: int = 100  # above: the riskiest critical and high ones in full,
    matrix_lines: int = 300  # then this many more of them, one line each
    plans_full: int = 40  # up to this many exit plans: every plan in full
    plans_lines: int = 200  # above: the riskiest in a one-line table,
    plans_detail: int = 10  # and this many of them in full
    phase_actions: int = 60  # roadmap actions listed per phase; the others counted
    scenario_items: int = 15  # processes or data listed per column of a scenario
    blip_assets: int = 5  # assets named per blip of the radar; the others counted
    facts_full: int = 150  # above: the cited facts grouped by catalog fact


@dataclass(frozen=True)
class ReportInputs:
    """Everything the report shows. ``None`` means "not available": the section says so."""

    result: AuditResult
    scenarios: Sequence[Outcome] = ()  # the worst single losses, worst first
    scenario_count: int = 0  # how many single losses were simulated
    grace: Duration | None = None
    radar: Radar | None = None  # the radar of alternatives
    roadmap: dict[str, Any] | None = None  # exporters.roadmap.roadmap_document
    exit_plans: list[dict[str, Any]] | None = None  # exporters.exit_plans.exit_plan_document
    limits: Limits = field(default_factory=Limits)


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
        "cannot_exit": sum(1 for d in grave if d.exit.can_exit_within_max_downtime is False),
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
            for d in [d for d in deps if d.level in LISTED_LEVELS][:8]
        ],
    }


def _days(value: float) -> str:
    """Person-days as the roadmap writes them: one decimal at most."""
    return f"{value:.1f}".removesuffix(".0")


def _decimal(value: float, lang: Lang) -> str:
    """One decimal, with the decimal comma in French."""
    return number(value, lang, 1)


def _names(result: AuditResult, lang: Lang) -> dict[tuple[str, str], str]:
    """Display names of what a scenario removes, by (kind, id)."""
    names: dict[tuple[str, str], str] = {}
    if result.graph is not None:
        for d in (*result.graph.dependence, *result.graph.home_dependence):
            names[(d.kind, d.id)] = d.name_fr if lang == "fr" and d.name_fr else d.name
            if d.kind == "jurisdiction":  # a sanction is named after its country
                names[("sanction", d.id)] = names[(d.kind, d.id)]
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
        scenario = outcome.scenario
        # Equivalent scenarios (a group, its subsidiary, their country) are one line.
        losses = [
            " + ".join(
                label(
                    lang,
                    "report_loss",
                    kind=label(lang, f"report_kind_{kind}"),
                    name=names.get((kind, ident), ident),
                )
                for kind, _, ident in (part.partition(":") for part in spec.split("+"))
            )
            for spec in scenario.specs
        ]

        def hit(state: str, outcome: Outcome = outcome) -> list[dict[str, Any]]:
            found = [p for p in outcome.processes if p.state == state]
            found.sort(key=lambda p: (order.get(processes[p.id].criticality, 9), p.id))
            return [
                {
                    "name": processes[p.id].name or p.id,
                    "criticality": processes[p.id].criticality,
                    "time_to_impact": (
                        _duration(p.time_to_impact, lang) if p.time_to_impact else None
                    ),
                    "exceeds": p.exceeds_max_downtime,
                }
                for p in found
            ]

        out.append(
            {
                "rank": rank,
                "spec": " = ".join(scenario.specs),
                "title": losses[0]
                + (
                    label(lang, "report_same_effect", others="; ".join(losses[1:]))
                    if len(losses) > 1
                    else ""
                ),
                "down": hit("down"),
                "degraded": hit("degraded"),
                "data": list(outcome.unreachable_data),
                "data_heading": unreachable_heading(scenario.losses, lang),
                "lost": list(outcome.lost_data),
                "lost_heading": scenario_words("lost-data", lang),
                "assets_down": sum(1 for _, s in outcome.assets if s == "down"),
            }
        )
    return out


def _duration(duration: Duration, lang: Lang) -> str:
    """A duration in words of ``lang``: "30 jours", not the estate's "30d"."""
    return say_duration(duration, lang)


def _some(names: list[str], total: int, lang: Lang) -> str:
    """``names`` joined with commas, then how many of ``total`` they leave out."""
    text = ", ".join(names)
    if total > len(names):
        text += " " + label(lang, "report_and_more", count=total - len(names))
    return text


def _blips(radar: Radar, lang: Lang, most: int) -> list[dict[str, Any]]:
    """The radar's legend, by quadrant: each blip's number, name, ring and what it could
    replace (the ``most`` riskiest named, the others counted)."""
    return [
        {
            "name": quadrant_name(radar, quadrant.id, lang),
            "blips": [
                {
                    "number": b.number,
                    "name": b.name,
                    "ring": ring_name(radar, b.ring, lang),
                    "colour": RING_COLOURS[b.ring],
                    "replaces": _some(
                        [radar.asset_names.get(a, a) for a in b.replaces[:most]],
                        len(b.replaces),
                        lang,
                    ),
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


def annex_facts(facts: list[dict[str, str]], most: int, lang: Lang) -> list[dict[str, Any]]:
    """The rows of the annex's table of sources.

    Up to ``most`` facts, one row each, as :func:`catalog_facts` gives them. Past it,
    one row per catalog fact, source and date: a large estate cites the same fact (a
    country's law, say) for hundreds of estate fields ("assets[x].location.country;
    catalog jurisdiction US: …"), and the row then counts those fields and names the
    first few.
    """
    if len(facts) <= most:
        return [dict(f, cited=0, fields="") for f in facts]
    fields: dict[tuple[str, str, str], list[str]] = {}
    for fact in facts:
        estate, _, catalog = fact["ref"].rpartition("; ")
        if not catalog.startswith("catalog"):
            estate, catalog = "", fact["ref"]
        cited = fields.setdefault((catalog, fact["source"], fact["as_of"]), [])
        if estate:
            cited.append(estate)
    return [
        {
            "ref": ref,
            "source": source,
            "as_of": as_of,
            "cited": len(cited),
            "fields": _some(cited[:2], len(cited), lang),
        }
        for (ref, source, as_of), cited in sorted(fields.items())
    ]


def _category_names(result: AuditResult, lang: Lang) -> dict[str, str]:
    categories = result.catalog.categories if result.catalog is not None else {}
    return {
        ident: entry.name.get(lang) or entry.name.get("en") or ident
        for ident, entry in categories.items()
    }


def _matrix(result: AuditResult, lang: Lang, limits: Limits) -> dict[str, Any]:
    """The dependency matrix of the report: every row of a small estate; past
    ``limits.matrix_full`` rows, the riskiest critical and high ones in full, the next
    ones a line each, and every dependency counted by category and level."""
    ranked = list(enumerate(result.dependencies, 1))
    if len(ranked) <= limits.matrix_full:
        return {"compact": False, "rows": ranked}
    listed = [(n, d) for n, d in ranked if d.level in LISTED_LEVELS]
    full = listed[: limits.matrix_detail]
    lines = listed[len(full) : len(full) + limits.matrix_lines]
    counts = result.counts()
    names = _category_names(result, lang)
    return {
        "compact": True,
        "rows": full,
        "total": len(ranked),
        "critical": counts["critical"],
        "high": counts["high"],
        "full": len(full),
        "lines": [_line(n, d) for n, d in lines],
        "unlisted": len(listed) - len(full) - len(lines),
        "by_category": _by_category(result.dependencies, names),
    }


def _line(rank: int, dep: Dependency) -> dict[str, Any]:
    """One dependency in one line of the compact matrix."""
    return {
        "rank": rank,
        "asset": dep.asset,
        "name": dep.name,
        "provider": dep.provider_name,
        "gravity": dep.gravity,
        "level": dep.level,
        "exposure": f"{dep.exposure_score:.2f}",
        "readiness": dep.exit.readiness,
        "in_time": dep.exit.can_exit_within_max_downtime,
    }


def _by_category(deps: Sequence[Dependency], names: dict[str, str]) -> dict[str, Any]:
    """Every dependency counted by category (rows, the riskiest first) and level."""
    levels = list(reversed(LEVELS))  # critical first
    counts: dict[str, Counter[str]] = {}
    for dep in deps:
        counts.setdefault(dep.category or "", Counter())[dep.level] += 1
    order = sorted(
        counts,
        key=lambda c: ([-counts[c][level] for level in levels], c == "", names.get(c, c)),
    )
    rows = [
        {
            "id": ident,
            "name": names.get(ident, ident) if ident else None,
            "counts": [counts[ident][level] for level in levels],
            "total": sum(counts[ident].values()),
        }
        for ident in order
    ]
    total = Counter(d.level for d in deps)
    return {"rows": rows, "counts": [total[level] for level in levels], "total": len(deps)}


def _plans(plans: list[dict[str, Any]] | None, limits: Limits) -> dict[str, Any]:
    """The exit plans the report lists: all of them in full up to ``limits.plans_full``;
    past it, the riskiest in the table and fewer in full, every plan counted."""
    if plans is None or len(plans) <= limits.plans_full:
        return {"compact": False, "lines": plans, "full": plans}
    rows = []
    for gravity in (*GRAVE, None):
        group = [p for p in plans if gravity is None or p.get("gravity") == gravity]
        rows.append(
            {
                "gravity": gravity,
                "count": len(group),
                "fits": sum(1 for p in group if p.get("fits_max_downtime") is True),
                "fits_not": sum(1 for p in group if p.get("fits_max_downtime") is False),
                "fits_unknown": sum(1 for p in group if p.get("fits_max_downtime") is None),
                "alternative": sum(1 for p in group if p.get("alternative_name")),
            }
        )
    lines = plans[: limits.plans_lines]
    return {
        "compact": True,
        "count": len(plans),
        "lines": lines,
        # Plans without their steps (pipeline.detailed_first) are listed only.
        "full": list(takewhile(lambda p: p.get("steps"), plans[: limits.plans_detail])),
        "unlisted": len(plans) - len(lines),
        "by_gravity": rows,
    }


def _phases(roadmap: dict[str, Any] | None, most: int, lang: Lang) -> list[dict[str, Any]]:
    """The roadmap's phases with at most ``most`` actions listed each; the others are
    counted, with their effort and their kinds."""
    kinds = labels(lang)
    phases = []
    for phase in roadmap["phases"] if roadmap else ():
        actions = phase["actions"]
        # Actions the document gives in short (roadmap_document's ``listed``) are counted.
        shown = list(takewhile(lambda a: "title" in a, actions[:most]))
        rest = actions[len(shown) :]
        by_kind = Counter(a["kind"] for a in rest).most_common()
        phases.append(
            {
                "phase": phase,
                "actions": shown,
                "more": len(rest),
                "more_effort": _days(sum(a["effort_days"] for a in rest)),
                "more_kinds": ", ".join(
                    f"{kinds.get(f'roadmap_kind_{k}', k)} ({n})" for k, n in by_kind
                ),
            }
        )
    return phases


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
            lang,
            "report_blend",
            max_weight=f"{max_weight:g}",
            rest=f"{1 - max_weight:g}",
            main_weight=f"{method.levels.main_weight:g}",
            other_cap=method.levels.other_cap,
            lone=method.levels.lone,
            unknown_cap=label(lang, f"level_{method.levels.unknown_cap}"),
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
    limits = inputs.limits
    matrix = _matrix(result, lang, limits)
    if matrix["compact"]:  # the audit's document for the rows shown in full only
        context = report_context(replace(result, dependencies=()), lang)
        context.pop("cannot_exit")
        context["doc"]["summary"] = summary_document(result, lang)
        context["doc"]["dependencies"] = [
            dependency_document(n, d, lang) for n, d in matrix["rows"]
        ]
    else:
        context = report_context(result, lang)
    # The home laws (and the EU/EEA's, for an EU/EEA organisation) are kept apart by
    # the graph findings: no foreign reach.
    dependence = list(result.graph.dependence if result.graph else ())
    roadmap = inputs.roadmap
    facts = catalog_facts(inputs)
    context.update(
        {
            "version": __version__,
            "sections": [{"id": i, "title": label(lang, key)} for i, key in SECTIONS],
            "answers": _summary(inputs, lang),
            "heat_map": heat_map(result, lang),
            "dependence_chart": dependence_bars(dependence, lang) if dependence else None,
            "scenarios": _scenario_documents(inputs.scenarios, result, lang),
            "scenario_count": inputs.scenario_count,
            "grace": _duration(inputs.grace, lang) if inputs.grace else None,
            "radar": radar_drawing(inputs.radar, lang) if inputs.radar else None,
            "blips": _blips(inputs.radar, lang, limits.blip_assets) if inputs.radar else [],
            "blips_cut": inputs.radar is not None
            and any(len(b.replaces) > limits.blip_assets for b in inputs.radar.blips),
            "roadmap": roadmap,
            "phases": _phases(roadmap, limits.phase_actions, lang),
            "timeline": roadmap_timeline(roadmap, lang) if roadmap else None,
            "exit_plans": inputs.exit_plans,
            "plans": _plans(inputs.exit_plans, limits),
            "matrix": matrix,
            "limits": limits,
            "method": _methodology(result, lang),
            "facts": annex_facts(facts, limits.facts_full, lang),
            "fact_citations": len(facts),
        }
    )
    return context


def prepare() -> None:
    """Compile the report's template now (a noticeable part of a run), for a caller that has
    time to spare before rendering, such as while another process works."""
    environment().get_template(TEMPLATE)


def render_html(inputs: ReportInputs, lang: Lang) -> bytes:
    """The report as one self-contained HTML page (UTF-8), without control characters."""
    return render_page(TEMPLATE, render_context(inputs, lang))


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
