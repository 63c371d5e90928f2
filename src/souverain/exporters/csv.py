"""``--format csv``: the matrix, one row per dependency (UTF-8 with BOM for spreadsheets).

Cells go through :func:`souverain.exporters.safe.csv_text`, as in every CSV souverain
writes: no control characters, and text that a spreadsheet would run as a formula is
prefixed with ``'``.
"""

from __future__ import annotations

from souverain.core.scoring.audit import AuditResult
from souverain.exporters.interface import Exporter
from souverain.exporters.matrix import matrix_header, matrix_rows
from souverain.exporters.safe import csv_text
from souverain.i18n import Lang


class CsvExporter(Exporter):
    format = "csv"
    suffix = ".csv"

    def render(self, result: AuditResult, lang: Lang) -> bytes:
        rows = [matrix_header(result, lang), *matrix_rows(result, lang)]
        return csv_text(rows).encode("utf-8-sig")
