"""``--format xlsx``: the matrix, its reasons and a summary as an Excel workbook.

This module also holds :func:`workbook_sheets`, the spreadsheet layout that the ODS
exporter shares: each sheet is plain typed rows plus named cell styles, and each
format maps those names to its own formatting. Both formats therefore carry the same
cells, and numbers stay numbers.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from souverain import __version__
from souverain.core.scoring.audit import AuditResult
from souverain.core.scoring.methodology import AXES
from souverain.core.text import printable
from souverain.exporters.interface import Exporter
from souverain.exporters.matrix import (
    matrix_header,
    matrix_rows,
    reason_rows,
    reasons_header,
    summary_document,
)
from souverain.i18n import Lang, label

Value = str | int | float | date | None

# One palette for every format (the HTML report's CSS uses the same colours).
# Level: (fill, text colour).
LEVEL_COLOURS: dict[str, tuple[str, str]] = {
    "critical": ("8B1A1A", "FFFFFF"),
    "high": ("E8822E", "1A1A1A"),
    "medium": ("F5D04C", "1A1A1A"),
    "low": ("3E8E4F", "FFFFFF"),
}
# Exposure score 0 (nothing found) … 4 (severe); exit readiness uses it reversed.
SCORE_FILLS: tuple[str, ...] = ("D7EDD9", "EAF3CF", "FDF0B8", "FBD3AC", "F2A9A2")
HEADER_FILL = "E4E8EF"
SECTION_FILL = "F1F3F7"

# Named cell styles of :class:`Sheet`: level_<level>, score_<0-4>, and these.
TITLE, HEADER, SECTION, DECIMAL, PERCENT = "title", "header", "section", "decimal", "percent"

MIN_WIDTH, MAX_WIDTH = 6, 60  # column widths, in characters
HEADER_WIDTH = 14  # longer column titles wrap rather than widen a column of scores
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entry time: same audit, same bytes

# Besides control characters, what XML 1.0 (and so both xlsx and ods) cannot carry.
_ILLEGAL_XML = re.compile("[\ufffe\uffff]")


@dataclass
class Sheet:
    """One sheet as plain data: rows of typed values and named styles per cell.

    When ``table`` is true, row 0 is a header: frozen, filtered and repeated when
    printed; ``freeze_columns`` columns on the left stay visible too.
    """

    name: str
    rows: list[list[Value]]
    styles: dict[tuple[int, int], str] = field(default_factory=dict)
    table: bool = False
    freeze_columns: int = 0

    @property
    def width(self) -> int:
        """How many columns the widest row fills."""
        return max((len(row) for row in self.rows), default=0)

    def column_widths(self) -> list[int]:
        """A width per column, in characters, from its longest value (titles excluded)."""
        widths = [MIN_WIDTH] * self.width
        for r, row in enumerate(self.rows):
            for c, value in enumerate(row):
                if value is None or self.styles.get((r, c)) == TITLE:
                    continue
                text = f"{value:.2f}" if isinstance(value, float) else str(value)
                width = len(text) + 1
                if self.styles.get((r, c)) == HEADER:
                    width = min(width + 1, HEADER_WIDTH)
                widths[c] = max(widths[c], min(MAX_WIDTH, width))
        return widths


def xml_text(text: str) -> str:
    """``text`` without control characters (:func:`souverain.core.text.printable`) or
    the other characters XML cannot carry, which would corrupt the file."""
    text = printable(text)
    return _ILLEGAL_XML.sub("", text) if "\ufffe" in text or "\uffff" in text else text


def clean_text(value: Value) -> Value:
    """A cell's ``value``, its text through :func:`xml_text`."""
    return xml_text(value) if isinstance(value, str) else value


def score_style(score: float) -> str:
    """The style of an exposure score, 0 (nothing found) to 4 (severe)."""
    return f"score_{max(0, min(4, int(score)))}"


def _blank(row: Sequence[Any]) -> list[Value]:
    # An empty string means "nothing here": leave the cell empty, not an empty text.
    return [None if value == "" else value for value in row]


def matrix_sheet(result: AuditResult, lang: Lang) -> Sheet:
    """The dependency matrix, one row per dependency, sorted by risk."""
    header = matrix_header(result, lang)
    sheet = Sheet(label(lang, "sheet_matrix"), [list(header)], table=True, freeze_columns=2)
    sheet.styles.update({(0, c): HEADER for c in range(len(header))})
    level = header.index(label(lang, "level"))
    exposure = header.index(label(lang, "exposure"))
    readiness = header.index(label(lang, "exit_readiness"))
    can_exit = header.index(label(lang, "can_exit"))
    for r, (row, dep) in enumerate(
        zip(matrix_rows(result, lang), result.dependencies, strict=True), 1
    ):
        sheet.rows.append(_blank(row))
        sheet.styles[(r, level)] = f"level_{dep.level}"
        sheet.styles[(r, exposure)] = DECIMAL
        for offset, axis in enumerate(AXES, exposure + 1):
            sheet.styles[(r, offset)] = score_style(dep.exposure[axis].score)
        sheet.styles[(r, readiness)] = score_style(4 - dep.exit.readiness)
        sheet.styles[(r, can_exit)] = score_style(0 if dep.exit.can_exit_within_max_downtime else 4)
    return sheet


def reasons_sheet(result: AuditResult, lang: Lang) -> Sheet:
    """Every reason behind every score, with its evidence, in matrix order."""
    header = reasons_header(lang)
    sheet = Sheet(label(lang, "reasons"), [list(header)], table=True, freeze_columns=1)
    sheet.styles.update({(0, c): HEADER for c in range(len(header))})
    exit_axis = label(lang, "exit_readiness")
    for r, row in enumerate(reason_rows(result, lang), 1):
        sheet.rows.append(_blank(row))
        # Exit points count for the organisation: colouring them as exposure would mislead.
        if row[1] != exit_axis:
            sheet.styles[(r, 2)] = score_style(row[2])
    return sheet


def summary_sheet(result: AuditResult, lang: Lang) -> Sheet:
    """Who, when, how; counts per risk level; concentration on provider groups."""
    summary = summary_document(result, lang)
    org = result.estate.organisation
    methodology = f"{result.methodology.id} {result.methodology.version}"
    sheet = Sheet(label(lang, "summary"), [])

    def add(
        row: list[Value], style: str | None = None, styles: dict[int, str] | None = None
    ) -> None:
        r = len(sheet.rows)
        sheet.rows.append(row)
        if style:
            sheet.styles.update({(r, c): style for c in range(len(row))})
        sheet.styles.update({(r, c): s for c, s in (styles or {}).items()})

    add([f"{label(lang, 'title')} — {org.name}"], TITLE)
    add([])
    add([label(lang, "organisation"), org.name])
    add([label(lang, "country"), org.country])
    add([label(lang, "sector"), org.sector])
    add([label(lang, "regimes"), ", ".join(org.regimes) or None])
    add([label(lang, "date"), result.today])
    add([label(lang, "methodology"), methodology])
    add(["souverain", __version__])
    add([])
    add([label(lang, "level"), label(lang, "dependency_count")], SECTION)
    for level, count in summary["levels"].items():
        add([label(lang, f"level_{level}"), count], styles={0: f"level_{level}"})
    add([label(lang, "total"), summary["dependencies"]], styles={0: HEADER, 1: HEADER})
    add([])
    add([label(lang, "not_assessed_reasons"), summary["not_assessed"]])
    add([label(lang, "cannot_exit_in_time"), summary["cannot_exit_in_time"]])
    add([])
    columns = ["owner_group", "country", "grave_dependencies", "total", "share", "concentration"]
    add([label(lang, k) for k in columns], SECTION)
    for line in summary["concentration"]:
        share = line["count"] / line["total"] if line["total"] else 0.0
        add(
            [line["name"], line["country"], line["count"], line["total"], share, line["text"]],
            styles={4: PERCENT},
        )
    if not summary["concentration"]:
        add([label(lang, "no_concentration")])
    return sheet


def workbook_sheets(result: AuditResult, lang: Lang) -> list[Sheet]:
    """The three sheets every spreadsheet export holds: matrix, reasons, summary."""
    sheets = [matrix_sheet(result, lang), reasons_sheet(result, lang), summary_sheet(result, lang)]
    for sheet in sheets:
        sheet.rows = [[clean_text(v) for v in row] for row in sheet.rows]
    return sheets


def normalised_zip(data: bytes) -> bytes:
    """``data`` re-packed with fixed entry times, so that the same audit gives the same bytes.

    Entry order, compression and permissions are kept (an ODF ``mimetype`` stays first
    and stored).
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, FIXED_TIME)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            entry.create_system = 3  # the same on every platform
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _openpyxl_styles() -> dict[str, dict[str, Any]]:
    thin = Side(style="thin", color="9AA3B2")
    centre = Alignment(horizontal="center")
    styles: dict[str, dict[str, Any]] = {
        TITLE: {"font": Font(bold=True, size=14)},
        HEADER: {
            "font": Font(bold=True),
            "fill": PatternFill("solid", fgColor=HEADER_FILL),
            "border": Border(bottom=thin),
            "alignment": Alignment(vertical="center", wrap_text=True),
        },
        SECTION: {"font": Font(bold=True), "fill": PatternFill("solid", fgColor=SECTION_FILL)},
        DECIMAL: {"number_format": "0.00"},
        PERCENT: {"number_format": "0%"},
    }
    for level, (fill, ink) in LEVEL_COLOURS.items():
        styles[f"level_{level}"] = {
            "font": Font(bold=True, color=ink),
            "fill": PatternFill("solid", fgColor=fill),
            "alignment": centre,
        }
    for score, fill in enumerate(SCORE_FILLS):
        styles[f"score_{score}"] = {"fill": PatternFill("solid", fgColor=fill), "alignment": centre}
    return styles


def _write_sheet(ws: Any, sheet: Sheet, styles: dict[str, dict[str, Any]]) -> None:
    # A cell's style is registered in the workbook's tables once per style: later cells
    # of the same style copy the first one's indices (openpyxl's own way of copying
    # styles) rather than have every font, fill and border hashed again.
    done: dict[tuple[str, bool], Any] = {}
    for r, row in enumerate(sheet.rows, 1):
        for c, value in enumerate(row, 1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if cell.data_type == "f":  # user text starting with "=" is text, never a formula
                cell.data_type = "s"
            key = (sheet.styles.get((r - 1, c - 1), ""), isinstance(value, date))
            if key == ("", False):
                continue
            known = done.get(key)
            if known is not None:
                cell._style = copy(known)
                continue
            if key[1]:
                cell.number_format = "yyyy-mm-dd"
            for attribute, style in styles.get(key[0], {}).items():
                setattr(cell, attribute, style)
            done[key] = cell._style
    for c, width in enumerate(sheet.column_widths(), 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.table and sheet.rows:
        ws.freeze_panes = ws.cell(row=2, column=sheet.freeze_columns + 1).coordinate
        ws.auto_filter.ref = f"A1:{get_column_letter(sheet.width)}{len(sheet.rows)}"
        ws.print_title_rows = "1:1"


class XlsxExporter(Exporter):
    """The matrix, reasons and summary sheets as an Office Open XML workbook."""

    format = "xlsx"
    suffix = ".xlsx"
    binary = True

    def render(self, result: AuditResult, lang: Lang) -> bytes:
        return xlsx_bytes(workbook_sheets(result, lang), result, lang)


def xlsx_bytes(sheets: list[Sheet], result: AuditResult, lang: Lang) -> bytes:
    """``sheets`` as an Office Open XML workbook, dated and titled from ``result``."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    styles = _openpyxl_styles()
    for sheet in sheets:
        _write_sheet(workbook.create_sheet(sheet.name), sheet, styles)
    stamp = datetime(result.today.year, result.today.month, result.today.day)
    properties = workbook.properties
    properties.title = xml_text(f"{label(lang, 'title')} — {result.estate.organisation.name}")
    properties.creator = f"souverain {__version__}"
    properties.language = lang
    properties.created = properties.modified = stamp
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the current time.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return normalised_zip(buffer.getvalue())
