"""The radar as one self-contained SVG a person can read (and print).

Four quadrants, four labelled rings, blips drawn as numbered circles; the names are
listed by number in a legend beside each quadrant, ring by ring, as on ThoughtWorks'
radar, so that no label ever sits on the drawing. A colour key explains the colours:
the ring in the alternatives view, the risk level in the dependency view.

Placement (:func:`layout`) is deterministic and never overlaps: the candidate spots of
each ring are the points of a hexagonal lattice whose spacing is a blip's diameter plus
a gap, kept inside the ring band and away from the quadrant axes; a sector's blips are
spread over the sector by taking, for evenly spread targets, the nearest free lattice
point. When a ring holds more blips than it has spots, the ring is widened (and the
radar grows) until it has enough.

The file loads nothing (no fonts, no scripts, no links): generic font families only.
Text widths are estimated from character classes, since there is no font to measure;
legend lines are cut with an ellipsis before they could overflow, the full text being
in each entry's ``<title>`` (shown on hover). Every text is escaped, and control
characters in names are left out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from souverain import __version__
from souverain.core.planning.radar import Blip, Radar
from souverain.core.text import printable
from souverain.exporters.radar_interface import (
    RadarExporter,
    quadrant_name,
    radar_title,
    ring_name,
)
from souverain.i18n import Lang, label

BLIP_R = 11.0  # blip radius
GAP = 4.0  # least space between two blips
SPACING = 2 * BLIP_R + GAP  # lattice spacing: blips never closer than this
EDGE = 3.0  # least space between a blip and a ring circle
AXIS = BLIP_R + 8.0  # least distance from a blip's centre to a quadrant axis
BASE_RADII = (135.0, 230.0, 317.0, 400.0)  # outer radius of each ring, inside out

SCREEN_QUADRANT = {
    "collaboration": "top-left",
    "business-applications": "top-right",
    "infrastructure": "bottom-left",
    "data-identity": "bottom-right",
}
SIGNS = {"top-left": (-1, -1), "top-right": (1, -1), "bottom-left": (-1, 1), "bottom-right": (1, 1)}

RING_COLOURS = {"adopt": "#3e8e4f", "trial": "#1f6fb2", "assess": "#a86b00", "hold": "#b0303f"}
LEVEL_COLOURS = {"critical": "#8b1a1a", "high": "#e8822e", "medium": "#f5d04c", "low": "#3e8e4f"}
_DARK_TEXT_ON = {"#e8822e", "#f5d04c"}  # light fills take dark numbers
RING_FILLS = ("#e3e8ef", "#eaeef3", "#f1f3f7", "#f7f8fa")
INK = "#1c2331"
MUTED = "#5d6677"
LINE = "#c5ccd8"
ACCENT = "#1f3a5f"
FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"

MARGIN = 30.0
LEGEND_W = 420.0
GUTTER = 44.0
HEADER_H = 84.0
ENTRY_H = 17.0
ENTRY_SIZE = 12.0
RING_LABEL_SIZE = 10.0


Point = tuple[float, float]


@dataclass(frozen=True)
class Layout:
    """Ring radii and blip centres, relative to the radar's centre.

    ``points[q][r]`` are the centres of sector (quadrant ``q``, ring ``r``) in a
    canonical quadrant (x ≥ 0, y ≥ 0); :func:`on_screen` mirrors them into place.
    """

    radii: tuple[float, float, float, float]
    points: tuple[tuple[tuple[Point, ...], ...], ...]


def _candidates(inner: float, outer: float) -> list[Point]:
    """Lattice spots of one ring band, in the canonical quadrant."""
    low = inner + BLIP_R + EDGE if inner > 0 else 0.0
    high = outer - BLIP_R - EDGE
    row_height = SPACING * math.sqrt(3) / 2
    spots = []
    row = 0
    y = AXIS
    while y <= high:
        x = AXIS + (SPACING / 2 if row % 2 else 0.0)
        while x <= high:
            if low <= math.hypot(x, y) <= high:
                spots.append((x, y))
            x += SPACING
        y += row_height
        row += 1
    return spots


def _targets(inner: float, outer: float, count: int) -> list[Point]:
    """``count`` points spread evenly over a ring band of the canonical quadrant."""
    low = inner + BLIP_R + EDGE if inner > 0 else AXIS * math.sqrt(2)
    high = max(low, outer - BLIP_R - EDGE)
    width = max(high - low, 1.0)
    middle = (low + high) / 2
    rows = max(1, min(count, round(math.sqrt(count * width / (math.pi / 2 * middle)))))
    radii = [low + width * (i + 0.5) / rows for i in range(rows)]
    total = sum(radii)
    shares = [count * r / total for r in radii]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(rows), key=lambda i: (-(shares[i] - counts[i]), -i))
    for i in by_remainder[: count - sum(counts)]:
        counts[i] += 1
    points = []
    for radius, n in zip(radii, counts, strict=True):
        start = math.asin(min(1.0, AXIS / radius))
        span = math.pi / 2 - 2 * start
        for j in range(n):
            angle = start + span * (j + 0.5) / n
            points.append((radius * math.cos(angle), radius * math.sin(angle)))
    return points


def _choose(spots: list[Point], targets: list[Point]) -> tuple[Point, ...]:
    """For each target, the nearest free spot; then ordered by angle to number them."""
    free = list(spots)
    chosen = []
    for tx, ty in targets:
        best = min(range(len(free)), key=lambda i: (free[i][0] - tx) ** 2 + (free[i][1] - ty) ** 2)
        chosen.append(free.pop(best))
    chosen.sort(key=lambda p: (round(math.atan2(p[1], p[0]), 6), math.hypot(*p)))
    return tuple(chosen)


def layout(counts: Sequence[Sequence[int]], min_widths: Sequence[float] = ()) -> Layout:
    """Place ``counts[q][r]`` blips in each quadrant ``q`` and ring ``r`` (0 = adopt).

    ``min_widths[r]`` is the least width of ring ``r`` (room for its label).
    """
    radii = list(BASE_RADII)
    spots: list[list[Point]] = []
    for ring in range(4):
        need = max(row[ring] for row in counts) if counts else 0
        least = min_widths[ring] if ring < len(min_widths) else 0.0
        while True:
            inner = radii[ring - 1] if ring else 0.0
            found = _candidates(inner, radii[ring])
            if len(found) >= need and radii[ring] - inner >= least:
                break
            grow = max(SPACING / 2, (radii[ring] - inner) * 0.1)
            for later in range(ring, 4):
                radii[later] += grow
        spots.append(found)
    points = tuple(
        tuple(
            _choose(
                spots[ring],
                _targets(radii[ring - 1] if ring else 0.0, radii[ring], row[ring]),
            )
            if row[ring]
            else ()
            for ring in range(4)
        )
        for row in counts
    )
    return Layout((radii[0], radii[1], radii[2], radii[3]), points)


def on_screen(quadrant: str, point: Point) -> Point:
    """A canonical point mirrored into the screen position of ``quadrant``."""
    sx, sy = SIGNS[SCREEN_QUADRANT[quadrant]]
    return sx * point[0], sy * point[1]


def blip_positions(radar: Radar, lang: Lang = "en") -> tuple[Layout, dict[int, Point]]:
    """The layout of ``radar`` and each blip's centre (by number), relative to the centre."""
    quadrants = [q.id for q in radar.quadrants]
    rings = [r.id for r in radar.rings]
    groups: list[list[list[Blip]]] = [[[] for _ in rings] for _ in quadrants]
    for blip in radar.blips:
        groups[quadrants.index(blip.quadrant)][rings.index(blip.ring)].append(blip)
    widths = [
        text_width(ring_name(radar, r, lang).upper(), RING_LABEL_SIZE, bold=True) * 1.1 + 12
        for r in rings
    ]
    placed = layout([[len(cell) for cell in row] for row in groups], widths)
    positions: dict[int, Point] = {}
    for q, row in enumerate(groups):
        for r, cell in enumerate(row):
            for blip, point in zip(
                sorted(cell, key=lambda b: b.number), placed.points[q][r], strict=True
            ):
                positions[blip.number] = on_screen(quadrants[q], point)
    return placed, positions


# --- text -------------------------------------------------------------------------

_NARROW = set("iljtfrI!.,;:'|()[] ")
_WIDE = set("mwMW@%—")


def _char_width(char: str) -> float:
    """A character's width in ems, an upper estimate for a sans-serif font."""
    if char in _NARROW:
        return 0.36
    if char in _WIDE:
        return 0.98
    if char.isupper():
        return 0.75
    if char.isdigit():
        return 0.64
    return 0.62


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An upper estimate of the width of ``text`` in a sans-serif font of ``size``."""
    width = 0.0
    for char in text:
        width += _char_width(char)
    return width * size * (1.1 if bold else 1.0)


def fit(text: str, size: float, room: float) -> str:
    """``text`` cut with an ellipsis so that it fits in ``room`` pixels: its longest
    beginning that fits with the ellipsis, read once and only as far as the room goes
    (a blip that replaces thousands of assets names them all)."""
    ellipsis = _char_width("…")
    width = 0.0
    longest = 0  # the longest beginning that fits with an ellipsis after it
    for count, char in enumerate(text, 1):
        width += _char_width(char)
        if width * size > room:
            break
        if (width + ellipsis) * size <= room:
            longest = count
    else:
        return text  # it fits whole
    cut = text[:longest]
    return cut.rstrip(" ,·") + "…" if cut else ""


def _t(text: str) -> str:
    return escape(text)


def _a(value: object) -> str:
    if isinstance(value, float):
        value = f"{value:.1f}".rstrip("0").rstrip(".")
    return quoteattr(str(value))


# --- drawing ----------------------------------------------------------------------


def _colour(radar: Radar, blip: Blip) -> str:
    if radar.view == "dependencies" and blip.level is not None:
        return LEVEL_COLOURS[blip.level]
    return RING_COLOURS[blip.ring]


def _replaced(radar: Radar, blip: Blip) -> str:
    return ", ".join(radar.asset_names.get(a, a) for a in blip.replaces)


class _Svg:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, element: str) -> None:
        self.parts.append(element)

    def text(self, x: float, y: float, content: str, **attributes: object) -> None:
        attrs = "".join(
            f" {k.rstrip('_').replace('_', '-')}={_a(v)}" for k, v in attributes.items()
        )
        self.add(f"<text x={_a(x)} y={_a(y)}{attrs}>{_t(content)}</text>")


def _legend(svg: _Svg, radar: Radar, quadrant: str, x: float, y: float, lang: Lang) -> float:
    """The list of one quadrant's blips, ring by ring; returns the y below it."""
    svg.add(f'<g class="legend" data-quadrant={_a(quadrant)}>')
    name = quadrant_name(radar, quadrant, lang)
    svg.text(
        x, y + 16, name, font_size=16, font_weight="bold", fill=ACCENT, class_="legend-quadrant"
    )
    svg.add(
        f"<line x1={_a(x)} y1={_a(y + 23)} x2={_a(x + LEGEND_W)} y2={_a(y + 23)} "
        f'stroke={_a(ACCENT)} stroke-width="1.5"/>'
    )
    y += 30
    blips = radar.in_quadrant(quadrant)
    if not blips:
        svg.text(
            x,
            y + 14,
            label(lang, "radar_quadrant_empty"),
            font_size=12,
            fill=MUTED,
            font_style="italic",
        )
        svg.add("</g>")
        return y + 22
    for ring in radar.rings:
        in_ring = [b for b in blips if b.ring == ring.id]
        if not in_ring:
            continue
        heading = ring_name(radar, ring.id, lang)
        if radar.view == "dependencies":
            level = in_ring[0].level or ""
            heading = (
                f"{heading} · {label(lang, 'radar_risk', level=label(lang, f'level_{level}'))}"
            )
        y += 6
        svg.text(
            x,
            y + 12,
            heading.upper(),
            font_size=11,
            font_weight="bold",
            fill=MUTED,
            letter_spacing="0.06em",
            class_="legend-ring",
        )
        y += 18
        for blip in in_ring:
            colour = _colour(radar, blip)
            y += ENTRY_H
            replaced = _replaced(radar, blip)
            full = f"{blip.number}. {blip.name}"
            if replaced:
                full += f" — {label(lang, 'radar_replaces')} {replaced}"
            room = LEGEND_W - 34
            shown = fit(blip.name, ENTRY_SIZE, room)
            rest = room - text_width(shown, ENTRY_SIZE) - 8
            suffix = ""
            if replaced and shown == blip.name and rest > 60:
                suffix = fit(f"← {replaced}", ENTRY_SIZE - 1, rest)
            svg.add(
                f'<g class="legend-entry" data-number="{blip.number}"><title>{_t(full)}</title>'
            )
            dot = radar.view == "dependencies" or colour in _DARK_TEXT_ON
            if dot:  # risk colours (some light) show as a dot, not as the number's colour
                svg.add(
                    f'<circle cx={_a(x + 4)} cy={_a(y - 8)} r="4" fill={_a(colour)} '
                    f'stroke={_a(INK)} stroke-width="0.5"/>'
                )
            svg.text(
                x + 26,
                y - 4,
                str(blip.number),
                font_size=ENTRY_SIZE,
                font_weight="bold",
                fill=INK if dot else colour,
                text_anchor="end",
                class_="legend-number",
            )
            name_attrs = f' class="legend-name" font-size={_a(ENTRY_SIZE)} fill={_a(INK)}'
            tail = (
                f'<tspan dx="8" font-size={_a(ENTRY_SIZE - 1)} fill={_a(MUTED)} '
                f'class="legend-replaces">{_t(suffix)}</tspan>'
                if suffix
                else ""
            )
            svg.add(f"<text x={_a(x + 32)} y={_a(y - 4)}{name_attrs}>{_t(shown)}{tail}</text>")
            svg.add("</g>")
    svg.add("</g>")
    return y + 8


def _key(svg: _Svg, radar: Radar, cx: float, y: float, lang: Lang) -> float:
    """The colour key under the radar, centred on ``cx``; returns the y below it."""
    if radar.view == "dependencies":
        title = label(lang, "radar_key_levels")
        items = [
            (LEVEL_COLOURS[level], label(lang, f"level_{level}"))
            for level in ("critical", "high", "medium", "low")
        ]
    else:
        title = label(lang, "radar_key_rings")
        items = [(RING_COLOURS[r.id], ring_name(radar, r.id, lang)) for r in radar.rings]
    widths = [22 + text_width(text, 12) + 18 for _, text in items]
    title_w = text_width(title, 12, bold=True) + 14
    x = cx - (title_w + sum(widths)) / 2
    svg.add('<g class="colour-key">')
    svg.text(x, y + 4, title, font_size=12, font_weight="bold", fill=INK)
    x += title_w
    for (colour, text), width in zip(items, widths, strict=True):
        svg.add(f'<circle cx={_a(x + 7)} cy={_a(y)} r="7" fill={_a(colour)}/>')
        svg.text(x + 20, y + 4, text, font_size=12, fill=INK, class_="key-label")
        x += width
    svg.add("</g>")
    y += 24
    if radar.view == "dependencies":
        svg.text(
            cx,
            y + 4,
            label(lang, "radar_ring_from_risk"),
            font_size=12,
            fill=MUTED,
            text_anchor="middle",
        )
        y += 20
    else:
        svg.text(
            cx,
            y + 4,
            label(lang, "radar_ring_meaning"),
            font_size=12,
            fill=MUTED,
            text_anchor="middle",
        )
        y += 20
    return y


def render_svg(radar: Radar, lang: Lang) -> str:
    """The SVG document of ``radar`` in ``lang``, without control characters."""
    placed, positions = blip_positions(radar, lang)
    radius = placed.radii[-1]
    top = HEADER_H + 30
    cx = MARGIN + LEGEND_W + GUTTER + radius
    cy = top + radius
    left_x = MARGIN
    right_x = cx + radius + GUTTER
    width = right_x + LEGEND_W + MARGIN
    body = _Svg()
    # Rings, outermost first so that inner fills lie on top.
    body.add('<g class="rings">')
    for index in range(3, -1, -1):
        body.add(
            f"<circle cx={_a(cx)} cy={_a(cy)} r={_a(placed.radii[index])} "
            f'fill={_a(RING_FILLS[index])} stroke={_a(LINE)} stroke-width="1.2"/>'
        )
    body.add(
        f"<line x1={_a(cx - radius)} y1={_a(cy)} x2={_a(cx + radius)} y2={_a(cy)} "
        f'stroke="#ffffff" stroke-width="3"/>'
        f"<line x1={_a(cx)} y1={_a(cy - radius)} x2={_a(cx)} y2={_a(cy + radius)} "
        f'stroke="#ffffff" stroke-width="3"/>'
    )
    for index, ring in enumerate(radar.rings):
        inner = placed.radii[index - 1] if index else 0.0
        middle = (inner + placed.radii[index]) / 2
        for side in (-1, 1):
            body.text(
                cx + side * middle,
                cy + RING_LABEL_SIZE * 0.36,
                ring_name(radar, ring.id, lang).upper(),
                font_size=RING_LABEL_SIZE,
                font_weight="bold",
                fill=MUTED,
                text_anchor="middle",
                letter_spacing="0.04em",
                stroke="#ffffff",
                stroke_width=4,
                paint_order="stroke",
                stroke_linejoin="round",
                class_="ring-label",
            )
    body.add("</g>")
    # Quadrant names at the corners of the radar's square.
    for quadrant in radar.quadrants:
        sx, sy = SIGNS[SCREEN_QUADRANT[quadrant.id]]
        qx = cx + sx * radius
        qy = cy - radius - 12 if sy < 0 else cy + radius + 26
        body.text(
            qx,
            qy,
            quadrant_name(radar, quadrant.id, lang),
            font_size=17,
            font_weight="bold",
            fill=ACCENT,
            text_anchor="start" if sx < 0 else "end",
            class_="quadrant-label",
        )
    # Blips.
    body.add('<g class="blips">')
    for blip in radar.blips:
        px, py = positions[blip.number]
        colour = _colour(radar, blip)
        ink = INK if colour in _DARK_TEXT_ON else "#ffffff"
        size = 10 if blip.number < 100 else 8.5
        hover = f"{blip.number}. {blip.name}"
        replaced = _replaced(radar, blip)
        if replaced:
            hover += f" — {label(lang, 'radar_replaces')} {replaced}"
        body.add(
            f'<g class="blip" id="blip-{blip.number}" data-id={_a(blip.id)}>'
            f"<title>{_t(hover)}</title>"
            f'<circle class="blip-circle" cx={_a(cx + px)} cy={_a(cy + py)} r={_a(BLIP_R)} '
            f'fill={_a(colour)} stroke="#ffffff" stroke-width="1"/>'
            f"<text x={_a(cx + px)} y={_a(cy + py + size * 0.36)} font-size={_a(size)} "
            f'font-weight="bold" fill={_a(ink)} text-anchor="middle" class="blip-number">'
            f"{blip.number}</text></g>"
        )
    body.add("</g>")
    if not radar.blips:
        body.text(
            cx,
            cy + radius + 56,
            label(lang, f"radar_empty_{radar.view}"),
            font_size=14,
            fill=MUTED,
            text_anchor="middle",
            class_="radar-empty",
        )
    # Legends: left for the left quadrants, right for the right ones.
    ends: dict[str, float] = {}
    for column, x in (("left", left_x), ("right", right_x)):
        upper = next(q.id for q in radar.quadrants if SCREEN_QUADRANT[q.id] == f"top-{column}")
        lower = next(q.id for q in radar.quadrants if SCREEN_QUADRANT[q.id] == f"bottom-{column}")
        end = _legend(body, radar, upper, x, HEADER_H + 8, lang)
        ends[column] = _legend(body, radar, lower, x, max(end + 24, cy + 12), lang)
    key_y = cy + radius + (90 if not radar.blips else 64)
    below = _key(body, radar, cx, key_y, lang)
    below += 6
    body.text(
        cx,
        below + 4,
        label(lang, "radar_footer", version=__version__),
        font_size=11,
        fill=MUTED,
        text_anchor="middle",
    )
    height = max(below + 14, ends["left"], ends["right"]) + MARGIN
    title = radar_title(radar, lang)
    subtitle = label(
        lang, f"radar_subtitle_{radar.view}", date=radar.as_of.isoformat(), count=len(radar.blips)
    )
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width={_a(width)} height={_a(height)} '
        f'viewBox="0 0 {_a(width)[1:-1]} {_a(height)[1:-1]}" font-family={_a(FONT)} '
        f"xml:lang={_a(lang)} data-view={_a(radar.view)}>",
        f"<title>{_t(title)}</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    header = _Svg()
    header.text(MARGIN, 40, title, font_size=24, font_weight="bold", fill=INK, class_="title")
    header.text(MARGIN, 64, subtitle, font_size=13, fill=MUTED, class_="subtitle")
    # Names may carry control characters, which XML cannot: left out of the whole
    # document at once (one pass, rather than a call for every text and attribute).
    return printable("\n".join([*head, *header.parts, *body.parts, "</svg>", ""]))


class SvgRadarExporter(RadarExporter):
    format = "svg"
    suffix = ".svg"

    def render(self, radar: Radar, lang: Lang) -> bytes:
        return render_svg(radar, lang).encode("utf-8")
