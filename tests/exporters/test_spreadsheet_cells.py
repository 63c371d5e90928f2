"""Every cell of every sheet, read back: the xlsx (openpyxl and python-calamine) and the
ods (python-calamine) hold exactly the values of the layout (exporters/sheets.py), for
each example estate, in both languages, the audit export and the deliverables workbook.

The writers are our own streaming ones; this is what pins their cells to the layout,
whatever the bytes: text as text (formula-looking text included), numbers as numbers to
the last bit, dates as dates, empty cells empty.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from souverain.core.scoring.audit import AuditResult, audit
from souverain.exporters.ods import ods_bytes
from souverain.exporters.sheets import Sheet, Value, workbook_sheets, xml_text
from souverain.exporters.workbook import deliverable_sheets
from souverain.exporters.xlsx import xlsx_bytes
from souverain.i18n import Lang
from souverain.importers.estate import load_estate
from souverain.resources import load_catalog, load_methodology

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def example(request: pytest.FixtureRequest) -> AuditResult:
    return audit(load_estate(request.param), load_methodology(), load_catalog(), TODAY)


def _text(value: Value) -> Value:
    return xml_text(value) if isinstance(value, str) else value


def openpyxl_expected(sheet: Sheet) -> list[list[Any]]:
    """What openpyxl reads: rows as wide as the widest, empty cells None, dates as datetimes."""
    width = sheet.width
    rows = []
    for row in sheet.rows:
        cells = [datetime(v.year, v.month, v.day) if isinstance(v, date) else _text(v) for v in row]
        rows.append(cells + [None] * (width - len(cells)))
    while rows and all(v is None for v in rows[-1]):
        rows.pop()  # openpyxl stops at the last row holding a value
    return rows


def _ods_text(value: Value) -> Value:
    # python-calamine reads an ODF <text:tab/> or <text:line-break/> as nothing (odfpy's
    # files, before our writer, were read the same); test_ods checks the marks themselves.
    if isinstance(value, str):
        return value.replace("\t", "").replace("\n", "")
    return value


def calamine_expected(sheet: Sheet, ods: bool) -> list[list[Any]]:
    """What python-calamine reads: empty cells '', every number a float; trailing
    empty rows and columns left out."""
    rows = [
        [
            ""
            if v is None
            else float(v)
            if isinstance(v, int | float) and not isinstance(v, bool)
            else _ods_text(_text(v))
            if ods
            else _text(v)
            for v in row
        ]
        for row in sheet.rows
    ]
    while rows and all(v == "" for v in rows[-1]):
        rows.pop()
    width = max(
        (max((c + 1 for c, v in enumerate(r) if v != ""), default=0) for r in rows), default=0
    )
    return [(r + [""] * width)[:width] for r in rows]


def check_cells(sheets: list[Sheet], result: AuditResult, lang: Lang) -> None:
    xlsx = xlsx_bytes(sheets, result, lang)
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == [s.name for s in sheets]
    for sheet, ws in zip(sheets, book.worksheets, strict=True):
        read = [list(row) for row in ws.iter_rows(values_only=True)]
        assert read == openpyxl_expected(sheet), sheet.name
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)  # never a formula
    for data, ods in ((xlsx, False), (ods_bytes(sheets, result, lang), True)):
        calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
        assert calamine.sheet_names == [s.name for s in sheets]
        for sheet in sheets:
            read = calamine.get_sheet_by_name(sheet.name).to_python()
            assert read == calamine_expected(sheet, ods), sheet.name


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_audit_export_cells_are_the_layouts(example: AuditResult, lang: Lang) -> None:
    check_cells(workbook_sheets(example, lang), example, lang)


def test_workbook_cells_are_the_layouts(example: AuditResult) -> None:
    check_cells(deliverable_sheets(example, load_catalog(), "fr"), example, "fr")


def test_hostile_values_read_back_as_written(example: AuditResult) -> None:
    """Formula-looking text, spaces, tabs, line breaks, markup, a control character,
    a float that needs 17 digits, a date, an empty cell between values."""
    rows: list[list[Value]] = [
        ["=1+1", '=HYPERLINK("http://evil","x")', "+cmd", "@SUM(A1)", "-2"],
        ["  two  spaces ", "tab\there", "line\nbreak", "<b>&amp;</b>", "bell\x07gone"],
        [5 / 21, 1e-300, -0.5, date(2026, 2, 28), None, 7],
    ]
    sheet = Sheet("Hostile 'name'", rows, table=True, freeze_columns=1)
    check_cells([sheet], example, "en")
    with zipfile.ZipFile(io.BytesIO(ods_bytes([sheet], example, "en"))) as archive:
        content = archive.read("content.xml").decode("utf-8")
    assert '<text:p> <text:s text:c="1"/>two <text:s text:c="1"/>spaces </text:p>' in content
    assert "<text:p>tab<text:tab/>here</text:p>" in content
    assert "<text:p>line<text:line-break/>break</text:p>" in content
    assert "<text:p>&lt;b&gt;&amp;amp;&lt;/b&gt;</text:p>" in content
