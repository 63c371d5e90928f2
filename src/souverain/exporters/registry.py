"""Every output format, in one place: adding a format is one file and one line here.

Exporters are imported when first used, so that ``souverain audit -f json`` does not
pay for loading the spreadsheet libraries.
"""

from __future__ import annotations

from importlib import import_module

from souverain.exporters.interface import Exporter

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
