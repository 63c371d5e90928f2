"""``--format csv``: the matrix, one row per dependency (UTF-8 with BOM for spreadsheets)."""

from __future__ import annotations

import csv
import io

from souverain.core.audit import AuditResult
from souverain.exporters.interface import Exporter
from souverain.exporters.matrix import matrix_header, matrix_rows
from souverain.i18n import Lang


class CsvExporter(Exporter):
    format = "csv"
    suffix = ".csv"

    def render(self, result: AuditResult, lang: Lang) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(matrix_header(result, lang))
        writer.writerows(matrix_rows(result, lang))
        return buffer.getvalue().encode("utf-8-sig")
