"""The radar in ThoughtWorks Build-Your-Own-Radar's input format, CSV or JSON.

BYOR reads rows of ``name, ring, quadrant, isNew, description`` (its README), with
``isNew`` written ``TRUE`` or ``FALSE``, at most four rings and exactly four quadrants.
The quadrant and ring names are written in the radar's language; a self-hosted BYOR
takes them through its ``QUADRANTS`` and ``RINGS`` settings (see docs/radar.md).

Rows come ring by ring, from the centre outwards (adopt first), then by quadrant:
older BYOR versions number the rings in the order they first appear in the data.
The CSV is RFC 4180 (CRLF, quotes doubled), UTF-8 *without* a byte-order mark, which
BYOR's CSV reader would take as part of the first column's name; a cell that a
spreadsheet would run as a formula starts with ``'`` (:func:`~souverain.exporters.safe.csv_cell`).
"""

from __future__ import annotations

from typing import Any

from souverain.core.planning.radar import Blip, Radar
from souverain.exporters.radar_interface import (
    RadarExporter,
    blip_description,
    quadrant_name,
    ring_name,
)
from souverain.exporters.safe import csv_text, json_bytes
from souverain.i18n import Lang

COLUMNS = ("name", "ring", "quadrant", "isNew", "description")


def _ordered(radar: Radar) -> list[Blip]:
    rings = [r.id for r in radar.rings]
    quadrants = [q.id for q in radar.quadrants]
    return sorted(
        radar.blips,
        key=lambda b: (rings.index(b.ring), quadrants.index(b.quadrant), b.number),
    )


def byor_rows(radar: Radar, lang: Lang) -> list[dict[str, Any]]:
    """One BYOR row per blip, with exactly the keys of :data:`COLUMNS`."""
    return [
        {
            "name": blip.name,
            "ring": ring_name(radar, blip.ring, lang),
            "quadrant": quadrant_name(radar, blip.quadrant, lang),
            "isNew": "TRUE" if blip.is_new else "FALSE",
            "description": blip_description(blip, lang),
        }
        for blip in _ordered(radar)
    ]


class ByorCsvExporter(RadarExporter):
    format = "csv"
    suffix = ".csv"

    def render(self, radar: Radar, lang: Lang) -> bytes:
        rows = [COLUMNS, *([row[c] for c in COLUMNS] for row in byor_rows(radar, lang))]
        return csv_text(rows).encode("utf-8")


class ByorJsonExporter(RadarExporter):
    format = "json"
    suffix = ".json"

    def render(self, radar: Radar, lang: Lang) -> bytes:
        return json_bytes(byor_rows(radar, lang))
