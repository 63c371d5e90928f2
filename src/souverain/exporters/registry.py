"""Every output format, in one place: adding a format is one file and one line here.

Exporters are imported when first used, so that ``souverain audit -f json`` does not
pay for loading the spreadsheet libraries.
"""

from __future__ import annotations

from importlib import import_module

from souverain.exporters.interface import Exporter
from souverain.exporters.radar_interface import RadarExporter

EXPORTERS: dict[str, str] = {
    "table": "souverain.exporters.table:TableExporter",
    "json": "souverain.exporters.json:JsonExporter",
    "csv": "souverain.exporters.csv:CsvExporter",
    "xlsx": "souverain.exporters.xlsx:XlsxExporter",
    "ods": "souverain.exporters.ods:OdsExporter",
    "html": "souverain.exporters.html:HtmlExporter",
}


def exporter_for(format_name: str) -> Exporter:
    """The exporter of ``format_name``; ``KeyError`` if there is none."""
    module_name, class_name = EXPORTERS[format_name].split(":")
    exporter: type[Exporter] = getattr(import_module(module_name), class_name)
    return exporter()


# Radar outputs (``souverain radar``) render a Radar, not an audit.
RADAR_EXPORTERS: dict[str, str] = {
    "svg": "souverain.exporters.radar_svg:SvgRadarExporter",
    "csv": "souverain.exporters.radar_byor:ByorCsvExporter",
    "json": "souverain.exporters.radar_byor:ByorJsonExporter",
    "zalando": "souverain.exporters.radar_zalando:ZalandoExporter",
}


def radar_exporter_for(format_name: str) -> RadarExporter:
    """The radar exporter of ``format_name``; ``KeyError`` if there is none."""
    module_name, class_name = RADAR_EXPORTERS[format_name].split(":")
    exporter: type[RadarExporter] = getattr(import_module(module_name), class_name)
    return exporter()
