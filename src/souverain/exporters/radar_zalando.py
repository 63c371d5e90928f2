"""The radar as a ``config.json`` for Zalando's tech-radar (``radar_visualization``).

The keys are those of zalando/tech-radar's README and ``docs/config.json``:
``quadrants`` (four ``{name}``), ``rings`` (four ``{name, color}``, from the inside) and
``entries`` of ``{label, quadrant, ring, moved, active, link?}``. Zalando numbers the
quadrants clockwise from the bottom right (0 bottom right, 1 bottom left, 2 top left,
3 top right); they are ordered here so that the quadrants sit where souverain's own SVG
draws them. ``link`` is the catalog source of the alternative (or left out), ``moved`` is
0 since an audit has no previous radar. The whole object can be passed to
``radar_visualization({svg_id: "radar", ...config})``.
"""

from __future__ import annotations

from typing import Any

from souverain.core.planning.radar import Radar
from souverain.exporters.radar_interface import (
    RadarExporter,
    quadrant_name,
    radar_title,
    ring_name,
)
from souverain.exporters.radar_svg import LEVEL_COLOURS, RING_COLOURS, SCREEN_QUADRANT
from souverain.exporters.safe import json_bytes
from souverain.i18n import Lang

# Zalando's quadrant index of each screen position of souverain's SVG.
ZALANDO_INDEX = {"bottom-right": 0, "bottom-left": 1, "top-left": 2, "top-right": 3}
# In the dependency view each ring holds one risk level (RING_OF_LEVEL), so rings
# take the level's colour.
_LEVEL_OF_RING = {"hold": "critical", "assess": "high", "trial": "medium", "adopt": "low"}


def zalando_config(radar: Radar, lang: Lang) -> dict[str, Any]:
    """The ``radar_visualization`` configuration of ``radar``."""
    by_index = {ZALANDO_INDEX[SCREEN_QUADRANT[q.id]]: q.id for q in radar.quadrants}
    quadrant_ids = [by_index[i] for i in range(4)]
    ring_ids = [r.id for r in radar.rings]
    rings = []
    for ring in radar.rings:
        if radar.view == "dependencies":
            colour = LEVEL_COLOURS[_LEVEL_OF_RING[ring.id]]
        else:
            colour = RING_COLOURS[ring.id]
        rings.append({"name": ring_name(radar, ring.id, lang).upper(), "color": colour})
    entries = []
    for blip in radar.blips:
        entry: dict[str, Any] = {
            "label": blip.name,
            "quadrant": quadrant_ids.index(blip.quadrant),
            "ring": ring_ids.index(blip.ring),
            "moved": 0,
            "active": True,
        }
        if blip.source and blip.source.startswith(("https://", "http://")):
            entry["link"] = blip.source
        entries.append(entry)
    return {
        "date": radar.as_of.isoformat(),
        "title": radar_title(radar, lang),
        "quadrants": [{"name": quadrant_name(radar, q, lang)} for q in quadrant_ids],
        "rings": rings,
        "entries": entries,
    }


class ZalandoExporter(RadarExporter):
    format = "zalando"
    suffix = ".json"

    def render(self, radar: Radar, lang: Lang) -> bytes:
        return json_bytes(zalando_config(radar, lang))
