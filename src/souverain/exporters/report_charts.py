"""The charts of the audit report, as inline SVG fragments (no file, font or script).

Each function returns one ``<svg>`` element with a ``viewBox``, so that it scales to
the width of the page on screen and in the PDF. Colours are those of the HTML matrix
(``_style.css.j2``) and of the radar; text widths are estimated with the radar's
character-class measure, since there is no font to ask.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from souverain.core.planning.radar import Radar
from souverain.core.scenarios.findings import Dependence
from souverain.core.scoring.audit import AuditResult
from souverain.core.vocabulary import GRAVITIES
from souverain.exporters.graph_findings import dependence_sentence
from souverain.exporters.radar_svg import (
    FONT,
    GUTTER,
    HEADER_H,
    INK,
    LEGEND_W,
    LEVEL_COLOURS,
    LINE,
    MARGIN,
    MUTED,
    blip_positions,
    fit,
    render_svg,
)
from souverain.i18n import Lang, label

# Text on these fills is dark, on the others white (as the HTML badges).
_DARK_ON = {"high", "medium"}
RADAR_BOX = re.compile(r'width="[^"]*" height="[^"]*" viewBox="[^"]*"')
EXPOSURES = range(5)


def _a(value: object) -> str:
    if isinstance(value, float):
        value = f"{value:.1f}".rstrip("0").rstrip(".")
    return quoteattr(str(value))


def _open(width: float, height: float, title: str, css_class: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class={_a(css_class)} '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width={_a(width)} height={_a(height)} '
        f'font-family={_a(FONT)} role="img"><title>{escape(title)}</title>'
    )


def _text(x: float, y: float, content: str, size: float = 11, **attributes: object) -> str:
    extra = "".join(f" {k.rstrip('_').replace('_', '-')}={_a(v)}" for k, v in attributes.items())
    return f"<text x={_a(x)} y={_a(y)} font-size={_a(size)}{extra}>{escape(content)}</text>"


def heat_map(result: AuditResult, lang: Lang) -> str:
    """Gravity (rows) × overall exposure (columns): how many dependencies in each cell,
    each cell coloured by the level the methodology's risk matrix gives it."""
    counts = Counter((d.gravity, d.band) for d in result.dependencies)
    rows = [g for g in GRAVITIES if g != "none" or any(k[0] == "none" for k in counts)]
    cell_w, cell_h, left, top = 92.0, 46.0, 120.0, 40.0
    width = left + cell_w * 5 + 16
    height = top + cell_h * len(rows) + 44
    parts = [_open(width, height, label(lang, "report_heat_map"), "chart heat-map")]
    parts.append(
        _text(
            left + cell_w * 2.5,
            16,
            label(lang, "report_exposure_axis"),
            11,
            fill=MUTED,
            text_anchor="middle",
        )
    )
    for e in EXPOSURES:
        parts.append(
            _text(
                left + cell_w * (e + 0.5),
                top - 8,
                str(e),
                12,
                fill=INK,
                text_anchor="middle",
                font_weight="bold",
            )
        )
    for r, gravity in enumerate(rows):
        y = top + r * cell_h
        parts.append(
            _text(
                left - 10,
                y + cell_h / 2 + 4,
                label(lang, f"gravity_{gravity}"),
                12,
                fill=INK,
                text_anchor="end",
                font_weight="bold",
            )
        )
        for e in EXPOSURES:
            level = result.methodology.level(gravity, e)
            n = counts.get((gravity, e), 0)
            x = left + e * cell_w
            parts.append(
                f"<rect class={_a('cell lvl-' + level)} x={_a(x + 1)} y={_a(y + 1)} "
                f'width={_a(cell_w - 2)} height={_a(cell_h - 2)} rx="3" '
                f"fill={_a(LEVEL_COLOURS[level])} fill-opacity={_a(1.0 if n else 0.16)}>"
                f"<title>{escape(label(lang, f'gravity_{gravity}'))} × {e}: "
                f"{escape(label(lang, f'level_{level}'))} ({n})</title></rect>"
            )
            ink = INK if (level in _DARK_ON or not n) else "#ffffff"
            parts.append(
                _text(
                    x + cell_w / 2,
                    y + cell_h / 2 + 6,
                    str(n) if n else "·",
                    17 if n else 14,
                    fill=ink if n else MUTED,
                    text_anchor="middle",
                    font_weight="bold",
                )
            )
    y = top + len(rows) * cell_h + 22
    x = left
    for level in ("critical", "high", "medium", "low"):
        parts.append(
            f'<rect x={_a(x)} y={_a(y - 10)} width="12" height="12" rx="2" '
            f"fill={_a(LEVEL_COLOURS[level])}/>"
        )
        name = label(lang, f"level_{level}")
        parts.append(_text(x + 17, y, name, 11, fill=INK))
        x += 30 + 6.5 * len(name) + 14
    parts.append("</svg>")
    return "".join(parts)


def dependence_bars(dependence: Sequence[Dependence], lang: Lang, limit: int = 10) -> str:
    """One row per loss (provider, owner group, country, region, site): the share of
    vital processes it stops or degrades, and the share of important ones."""
    rows = list(dependence[:limit])
    name_w, bar_w, row_h, top = 250.0, 300.0, 34.0, 30.0
    width = name_w + bar_w + 90
    height = top + row_h * max(len(rows), 1) + 8
    parts = [_open(width, height, label(lang, "dependence_title"), "chart dependence")]
    for n, (key, colour) in enumerate(
        (
            ("report_vital_processes", LEVEL_COLOURS["critical"]),
            ("report_important_processes", LEVEL_COLOURS["high"]),
        )
    ):
        x = name_w + n * 160
        parts.append(f'<rect x={_a(x)} y="6" width="12" height="12" rx="2" fill={_a(colour)}/>')
        parts.append(_text(x + 17, 16, label(lang, key), 11, fill=INK))
    for r, d in enumerate(rows):
        y = top + r * row_h
        kind = label(lang, f"report_kind_{d.kind}")
        name = d.name_fr if lang == "fr" and d.name_fr else d.name
        parts.append(f'<g class="row"><title>{escape(dependence_sentence(d, lang))}</title>')
        parts.append(_text(0, y + 13, fit(name, 12, name_w - 30), 12, fill=INK, font_weight="bold"))
        parts.append(_text(0, y + 27, kind, 10, fill=MUTED))
        for n, (count, total, colour) in enumerate(
            (
                (d.vital, d.vital_total, LEVEL_COLOURS["critical"]),
                (d.important, d.important_total, LEVEL_COLOURS["high"]),
            )
        ):
            by = y + 4 + n * 13
            share = count / total if total else 0.0
            parts.append(
                f'<rect x={_a(name_w)} y={_a(by)} width={_a(bar_w)} height="10" rx="2" '
                f'fill="#f3f5f8"/>'
            )
            if share:
                parts.append(
                    f'<rect x={_a(name_w)} y={_a(by)} width={_a(bar_w * share)} height="10" '
                    f'rx="2" fill={_a(colour)}/>'
                )
            parts.append(
                _text(
                    name_w + bar_w + 8,
                    by + 9,
                    f"{count} / {total}" if total else "—",
                    10.5,
                    fill=INK if count else MUTED,
                )
            )
        parts.append(
            f'<line x1="0" x2={_a(width)} y1={_a(y + row_h - 2)} y2={_a(y + row_h - 2)} '
            f'stroke={_a(LINE)} stroke-width="0.6"/></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


PHASE_MONTHS = {"0-3 months": (0, 3), "3-12 months": (3, 12), "12-36 months": (12, 36)}
PHASE_FILLS = ("#1f3a5f", "#3c6e9f", "#7fa6cb")


def roadmap_timeline(document: dict[str, Any], lang: Lang) -> str:
    """The three phases on a 36-month axis, each with its actions and effort, under the
    projected risk total (today, then after each phase)."""
    phases = document["phases"]
    left, right, plot_w = 56.0, 24.0, 640.0
    chart_top, chart_h = 34.0, 120.0
    lane_top = chart_top + chart_h + 34
    lane_h = 30.0
    width = left + plot_w + right
    height = lane_top + lane_h + 22 + 30 + 34
    months = max(end for _, end in PHASE_MONTHS.values())

    def x_of(month: float) -> float:
        return left + plot_w * month / months

    risks = [float(document["risk_before"]), *map(float, document["risk_after_each_phase"])]
    top_risk = max(risks) or 1.0

    def y_of(risk: float) -> float:
        return chart_top + chart_h * (1 - risk / top_risk)

    parts = [_open(width, height, label(lang, "report_roadmap"), "chart timeline")]
    parts.append(_text(0, 14, label(lang, "report_risk_total"), 11, fill=MUTED))
    for fraction in (0.0, 0.5, 1.0):
        y = y_of(top_risk * fraction)
        parts.append(
            f"<line x1={_a(left)} x2={_a(left + plot_w)} y1={_a(y)} y2={_a(y)} "
            f'stroke={_a(LINE)} stroke-width="0.6"/>'
        )
        parts.append(
            _text(left - 6, y + 4, f"{top_risk * fraction:.0f}", 10, fill=MUTED, text_anchor="end")
        )
    # The projected risk total: a step line, lowered at the end of each phase.
    ends = [0.0] + [float(PHASE_MONTHS.get(p["name"], (0, 0))[1]) for p in phases]
    points = []
    for n, risk in enumerate(risks[: len(ends)]):
        start = ends[n]
        stop = ends[n + 1] if n + 1 < len(ends) else months
        points += [(x_of(start), y_of(risk)), (x_of(stop), y_of(risk))]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    parts.append(
        f'<polyline points={_a(path)} fill="none" stroke={_a(LEVEL_COLOURS["critical"])} '
        f'stroke-width="2.2"/>'
    )
    for n, risk in enumerate(risks[: len(ends)]):
        x = x_of(ends[n])
        y = y_of(risk)
        parts.append(
            f'<circle cx={_a(x)} cy={_a(y)} r="3.5" fill={_a(LEVEL_COLOURS["critical"])}/>'
        )
        last = n == len(ends) - 1
        parts.append(
            _text(
                x - 5 if last else x + 5,
                y - 6,
                f"{risk:.0f}",
                11,
                fill=INK,
                font_weight="bold",
                text_anchor="end" if last else "start",
            )
        )
    # The month axis.
    axis_y = chart_top + chart_h + 4
    for month in (0, 3, 6, 12, 18, 24, 30, 36):
        x = x_of(month)
        parts.append(
            f"<line x1={_a(x)} x2={_a(x)} y1={_a(axis_y)} y2={_a(axis_y + 5)} stroke={_a(MUTED)}/>"
        )
        parts.append(_text(x, axis_y + 17, str(month), 10, fill=MUTED, text_anchor="middle"))
    parts.append(
        _text(
            left + plot_w,
            axis_y + 17 + 12,
            label(lang, "report_months"),
            10,
            fill=MUTED,
            text_anchor="end",
        )
    )
    # One lane, a block per phase (to scale), and below it a caption per phase (in
    # equal columns, since the first phase is too short to hold its words).
    column = plot_w / max(len(phases), 1)
    for n, phase in enumerate(phases):
        start, stop = PHASE_MONTHS.get(phase["name"], (0, 0))
        x0, x1 = x_of(start), x_of(stop)
        fill = PHASE_FILLS[n % len(PHASE_FILLS)]
        parts.append(
            f"<rect x={_a(x0 + 1)} y={_a(lane_top)} width={_a(x1 - x0 - 2)} height={_a(lane_h)} "
            f'rx="4" fill={_a(fill)}><title>{escape(phase["title"])}</title></rect>'
        )
        parts.append(
            _text(
                (x0 + x1) / 2,
                lane_top + lane_h / 2 + 5,
                str(len(phase["actions"])),
                13,
                fill="#ffffff",
                font_weight="bold",
                text_anchor="middle",
            )
        )
        cx = left + n * column
        cy = lane_top + lane_h + 22
        parts.append(
            f'<rect x={_a(cx)} y={_a(cy - 10)} width="11" height="11" rx="2" fill={_a(fill)}/>'
        )
        lines = [
            (phase["title"], 11.5, "bold", INK),
            (
                label(lang, "report_phase_actions", count=len(phase["actions"]))
                + " · "
                + label(lang, "report_phase_effort", effort=f"{phase['effort_days']:g}"),
                10.5,
                "normal",
                INK,
            ),
            (
                label(lang, "report_phase_risk", risk=f"{phase['risk_after']:g}"),
                10.5,
                "normal",
                MUTED,
            ),
        ]
        for k, (content, size, weight, ink) in enumerate(lines):
            x = cx + (16 if k == 0 else 0)
            parts.append(
                _text(
                    x,
                    cy + k * 15,
                    fit(content, size, column - (x - cx) - 10),
                    size,
                    fill=ink,
                    font_weight=weight,
                )
            )
    parts.append(_text(0, height - 6, label(lang, "report_timeline_note"), 10, fill=MUTED))
    parts.append("</svg>")
    return "".join(parts)


# How many of the assets a blip could replace its hover text names; the report's blip
# table says how many there are in all.
RADAR_TITLE_ASSETS = 10
_BLIP_TITLE = re.compile(r'(<g class="blip" id="blip-(\d+)"[^>]*><title>)[^<]*(</title>)')


def radar_drawing(radar: Radar, lang: Lang) -> str:
    """The radar's circle, quadrant names and blips, cut out of the standalone SVG
    (:func:`render_svg`) so that it fills a page; the report lists the blips in a
    table instead of the SVG's side legends, which would print too small.

    The side legends and the colour key, outside the cut, are left out of the
    fragment. A blip's hover text names at most :data:`RADAR_TITLE_ASSETS` of the
    assets it could replace, then how many more: a blip of a large estate can replace
    thousands, and the legends would have been fitted to their full list for nothing.
    """
    placed, _ = blip_positions(radar, lang)
    radius = placed.radii[-1]
    cx = MARGIN + LEGEND_W + GUTTER + radius
    cy = HEADER_H + 30 + radius
    x, y = cx - radius - 8, cy - radius - 36
    width, height = 2 * radius + 16, 2 * radius + 36 + 40
    # The hover texts are written below, and the legends dropped: one asset each is
    # enough for render_svg, whose legends fit their text character by character.
    short = replace(radar, blips=tuple(replace(b, replaces=b.replaces[:1]) for b in radar.blips))
    svg = render_svg(short, lang)
    svg = svg[svg.find("<svg") :].strip()
    legends = svg.find('<g class="legend"')
    key = svg.find('<g class="colour-key">')
    if 0 <= legends < key:
        svg = svg[:legends] + svg[key:]
    key = svg.find('<g class="colour-key">')
    if key >= 0:
        svg = svg[:key] + svg[svg.rfind("</svg>") :]
    by_number = {b.number: b for b in radar.blips}

    def title(match: re.Match[str]) -> str:
        blip = by_number[int(match.group(2))]
        text = f"{blip.number}. {blip.name}"
        if blip.replaces:
            names = [radar.asset_names.get(a, a) for a in blip.replaces[:RADAR_TITLE_ASSETS]]
            text += f" — {label(lang, 'radar_replaces')} {', '.join(names)}"
            more = len(blip.replaces) - RADAR_TITLE_ASSETS
            if more > 0:
                text += " " + label(lang, "report_and_more", count=more)
        return f"{match.group(1)}{escape(text)}{match.group(3)}"

    svg = _BLIP_TITLE.sub(title, svg)
    return RADAR_BOX.sub(
        f'class="chart radar" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="{x:.1f} {y:.1f} {width:.1f} {height:.1f}"',
        svg,
        count=1,
    )
