"""``--format xlsx``: the matrix, its reasons and a summary as an Excel workbook.

The layout is :func:`souverain.exporters.sheets.workbook_sheets`; this module writes it
as Office Open XML (SpreadsheetML, ECMA-376), streamed: each sheet's rows go into the
zip as they are made, text once per distinct string (the shared-strings table), and
styles as a handful of cell formats. A large matrix is about a million cells, which a
general-purpose library writes one object at a time (benchmarks/README.md, "Figures
behind the code's choices": openpyxl and xlsxwriter's constant-memory mode against
this writer). Kept from a full writer: fonts, fills, borders, alignment and number
formats per named style, dates as dates, column widths, frozen header (and first
columns), an autofilter on each table, the header repeated on printed pages, A4
landscape fitted to the page width, and the document's title, creator, language and
dates. Text is always a string cell, never a formula. The same audit gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from math import isfinite

from souverain import __version__
from souverain.core.scoring.audit import AuditResult
from souverain.exporters.interface import Exporter
from souverain.exporters.sheets import (
    BORDER_COLOUR,
    DECIMAL,
    HEADER,
    HEADER_FILL,
    LEVEL_COLOURS,
    PERCENT,
    SCORE_FILLS,
    SECTION,
    SECTION_FILL,
    TITLE,
    Shaped,
    Sheet,
    Written,
    column_name,
    document_title,
    workbook_sheets,
    write_part,
    xml_escape,
    xml_text,
)
from souverain.i18n import Lang

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system (its 1900 leap bug included)
DATE_FORMAT = 164  # the first number format id a workbook may define
ROWS_PER_WRITE = 2000  # rows joined before each write into the zip


def _quoted_sheet(name: str) -> str:
    """A sheet name as a formula or defined name refers to it: 'Name' (quotes doubled)."""
    return "'" + name.replace("'", "''") + "'"


class _Styles:
    """The workbook's cell formats (``cellXfs``), one per (named style, date or not),
    made the first time a cell needs it; index 0 is the default format."""

    def __init__(self) -> None:
        self.fonts = ['<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>']
        self.fills = [
            '<fill><patternFill patternType="none"/></fill>',
            '<fill><patternFill patternType="gray125"/></fill>',
        ]
        self.borders = ["<border><left/><right/><top/><bottom/><diagonal/></border>"]
        self.formats = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
        self._attributes: dict[tuple[str | None, bool], str] = {(None, False): ""}

    def _font(self, bold: bool, size: int = 11, colour: str | None = None) -> int:
        colour_tag = f'<color rgb="FF{colour}"/>' if colour else ""
        self.fonts.append(
            f'<font>{"<b/>" if bold else ""}<sz val="{size}"/>{colour_tag}'
            '<name val="Calibri"/><family val="2"/></font>'
        )
        return len(self.fonts) - 1

    def _fill(self, colour: str) -> int:
        self.fills.append(
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{colour}"/>'
            '<bgColor indexed="64"/></patternFill></fill>'
        )
        return len(self.fills) - 1

    def _format(self, style: str | None, is_date: bool) -> str:
        font = fill = border = number = 0
        alignment = ""
        if style == TITLE:
            font = self._font(bold=True, size=14)
        elif style == HEADER:
            font, fill = self._font(bold=True), self._fill(HEADER_FILL)
            self.borders.append(
                '<border><left/><right/><top/><bottom style="thin">'
                f'<color rgb="FF{BORDER_COLOUR}"/></bottom><diagonal/></border>'
            )
            border = len(self.borders) - 1
            alignment = '<alignment vertical="center" wrapText="1"/>'
        elif style == SECTION:
            font, fill = self._font(bold=True), self._fill(SECTION_FILL)
        elif style == DECIMAL:
            number = 2  # built in: 0.00
        elif style == PERCENT:
            number = 9  # built in: 0%
        elif style is not None and style.startswith("level_"):
            background, ink = LEVEL_COLOURS[style.removeprefix("level_")]
            font, fill = self._font(bold=True, colour=ink), self._fill(background)
            alignment = '<alignment horizontal="center"/>'
        elif style is not None and style.startswith("score_"):
            fill = self._fill(SCORE_FILLS[int(style.removeprefix("score_"))])
            alignment = '<alignment horizontal="center"/>'
        if is_date:
            number = DATE_FORMAT
        applied = "".join(
            f' apply{name}="1"'
            for name, used in (
                ("NumberFormat", number),
                ("Font", font),
                ("Fill", fill),
                ("Border", border),
                ("Alignment", alignment),
            )
            if used
        )
        self.formats.append(
            f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="{border}" '
            f'xfId="0"{applied}>{alignment}</xf>'
        )
        return f' s="{len(self.formats) - 1}"'

    def attribute(self, style: str | None, is_date: bool = False) -> str:
        """The ``s="…"`` attribute of a cell of ``style`` (empty for the default)."""
        key = (style, is_date)
        known = self._attributes.get(key)
        if known is None:
            known = self._attributes[key] = self._format(style, is_date)
        return known

    def xml(self) -> str:
        def listed(tag: str, items: list[str]) -> str:
            return f'<{tag} count="{len(items)}">{"".join(items)}</{tag}>'

        return (
            f'{DECLARATION}<styleSheet xmlns="{MAIN}">'
            f'<numFmts count="1"><numFmt numFmtId="{DATE_FORMAT}" formatCode="yyyy-mm-dd"/>'
            "</numFmts>"
            + listed("fonts", self.fonts)
            + listed("fills", self.fills)
            + listed("borders", self.borders)
            + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            + listed("cellXfs", self.formats)
            + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            '</cellStyles><dxfs count="0"/><tableStyles count="0"/></styleSheet>'
        )


def _rows(sheet: Sheet, strings: dict[str, int], styles: _Styles) -> Iterator[str]:
    """``<row>`` elements of ``sheet``, a batch of rows at a time. Text goes to the
    shared strings (``strings``: text → index), so a cell holds only its index."""
    letters = [column_name(c) for c in range(sheet.width)]
    by_row = sheet.styles_by_row()
    no_style: dict[int, str] = {}
    attribute = styles.attribute
    known: dict[str, str] = {}  # the s="…" of each style, for numbers and text
    batch: list[str] = []
    for r, row in enumerate(sheet.rows):
        n = str(r + 1)
        batch.append(f'<row r="{n}">')
        row_styles = by_row.get(r, no_style)
        for c, value in enumerate(row):
            if value is None:
                continue
            style = row_styles.get(c)
            if style is None:
                s = ""
            else:
                s = known.get(style) or known.setdefault(style, attribute(style))
            kind = value.__class__
            if kind is str or (kind is not bool and isinstance(value, str)):
                index = strings.get(value)  # type: ignore[arg-type]
                if index is None:
                    index = strings[value] = len(strings)  # type: ignore[index]
                batch.append(f'<c r="{letters[c]}{n}"{s} t="s"><v>{index}</v></c>')
            elif kind is int or (kind is float and isfinite(value)):  # type: ignore[arg-type]
                batch.append(f'<c r="{letters[c]}{n}"{s}><v>{value!r}</v></c>')
            elif kind is float:  # NaN or infinite: Excel has no such number
                batch.append(f'<c r="{letters[c]}{n}"{s}/>')
            elif kind is bool:
                batch.append(f'<c r="{letters[c]}{n}"{s} t="b"><v>{1 if value else 0}</v></c>')
            elif isinstance(value, date):
                days = (value - EXCEL_EPOCH).days
                batch.append(f'<c r="{letters[c]}{n}"{attribute(style, True)}><v>{days}</v></c>')
            else:  # a number of another type (a subclass): its value
                batch.append(f'<c r="{letters[c]}{n}"{s}><v>{float(value)!r}</v></c>')
        batch.append("</row>")
        if len(batch) > ROWS_PER_WRITE * 8:
            yield "".join(batch)
            batch.clear()
    yield "".join(batch)


def _head(sheet: Sheet, selected: bool, widths: list[int]) -> str:
    """What comes before a sheet's rows: page fit, extent, frozen panes, column widths."""
    last = f"{column_name(max(sheet.width - 1, 0))}{max(len(sheet.rows), 1)}"
    view = '<sheetView workbookViewId="0"' + (' tabSelected="1"' if selected else "")
    if sheet.table and sheet.rows:
        top_left = f"{column_name(sheet.freeze_columns)}2"
        x_split = f' xSplit="{sheet.freeze_columns}"' if sheet.freeze_columns else ""
        pane = "bottomRight" if sheet.freeze_columns else "bottomLeft"
        view += (
            f'><pane{x_split} ySplit="1" topLeftCell="{top_left}" activePane="{pane}" '
            f'state="frozen"/><selection pane="{pane}" activeCell="{top_left}" '
            f'sqref="{top_left}"/></sheetView>'
        )
    else:
        view += "/>"
    cols = "".join(
        f'<col min="{c}" max="{c}" width="{width}" customWidth="1"/>'
        for c, width in enumerate(widths, 1)
    )
    return (
        f'{DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        f'<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1:{last}"/>'
        f'<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
    )


def _tail(sheet: Sheet) -> str:
    autofilter = f'<autoFilter ref="{_table_range(sheet)}"/>' if _filtered(sheet) else ""
    return (
        f"</sheetData>{autofilter}"
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        "</worksheet>"
    )


def _filtered(sheet: Shaped) -> bool:
    return sheet.table and sheet.height > 0


def _table_range(sheet: Shaped, absolute: bool = False) -> str:
    dollar = "$" if absolute else ""
    last = column_name(sheet.width - 1)
    return f"{dollar}A{dollar}1:{dollar}{last}{dollar}{sheet.height}"


def _workbook(sheets: Sequence[Shaped]) -> str:
    listed = "".join(
        f'<sheet name="{xml_escape(s.name, quote=True)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, 1)
    )
    names = []
    for i, sheet in enumerate(sheets):
        if _filtered(sheet):
            quoted = xml_escape(_quoted_sheet(sheet.name))
            names.append(
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                f"{quoted}!{_table_range(sheet, absolute=True)}</definedName>"
            )
            names.append(
                f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                f"{quoted}!$1:$1</definedName>"
            )
    defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
    return (
        f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><workbookPr/>'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{listed}</sheets>'
        f"{defined}</workbook>"
    )


def _string_items(strings: Iterable[str]) -> Iterator[str]:
    """The ``<si>`` element of each of ``strings``."""
    for text in strings:
        text = xml_text(text)
        spaced = text[:1].isspace() or text[-1:].isspace() or "\n" in text or "  " in text
        preserve = ' xml:space="preserve"' if spaced else ""
        yield f"<si><t{preserve}>{xml_escape(text)}</t></si>"


def _shared_strings(strings: dict[str, int], items: Sequence[str] = ()) -> Iterator[str]:
    """The shared-strings part; ``items``: the ``<si>`` of the first strings, made already."""
    yield (f'{DECLARATION}<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">')
    # In index order: a dict keeps its insertion order.
    every = chain(items, _string_items(islice(strings, len(items), None)))
    while batch := list(islice(every, ROWS_PER_WRITE)):
        if len(batch) < ROWS_PER_WRITE:
            yield "".join(batch) + "</sst>"
            return
        yield "".join(batch)
    yield "</sst>"


def _package_parts(sheets: Sequence[Shaped], result: AuditResult, lang: Lang) -> dict[str, str]:
    """The parts that say what the package holds: content types, relationships,
    properties, the workbook's list of sheets."""
    count = len(sheets)
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    office = "application/vnd.openxmlformats-officedocument"
    content_types = (
        f"{DECLARATION}"
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        f'ContentType="{office}.spreadsheetml.sheet.main+xml"/>'
        f"{sheet_types}"
        f'<Override PartName="/xl/styles.xml" ContentType="{office}.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        f'ContentType="{office}.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{office}.extended-properties+xml"/>'
        "</Types>"
    )
    kinds = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    root_relationships = (
        f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{kinds}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{kinds}/extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"
    )
    workbook_relationships = (
        f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{kinds}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        + f'<Relationship Id="rId{count + 1}" Type="{kinds}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{count + 2}" Type="{kinds}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>'
    )
    stamp = f"{result.today.isoformat()}T00:00:00Z"
    core = (
        f"{DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_escape(document_title(result, lang))}</dc:title>"
        f"<dc:creator>souverain {__version__}</dc:creator><dc:language>{lang}</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )
    app = (
        f"{DECLARATION}<Properties xmlns="
        '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>souverain</Application></Properties>"
    )
    return {
        "[Content_Types].xml": content_types,
        "_rels/.rels": root_relationships,
        "docProps/app.xml": app,
        "docProps/core.xml": core,
        "xl/workbook.xml": _workbook(sheets),
        "xl/_rels/workbook.xml.rels": workbook_relationships,
    }


class XlsxExporter(Exporter):
    """The matrix, reasons and summary sheets as an Office Open XML workbook."""

    format = "xlsx"
    suffix = ".xlsx"
    binary = True

    def render(self, result: AuditResult, lang: Lang) -> bytes:
        return xlsx_bytes(workbook_sheets(result, lang), result, lang)


@dataclass
class XlsxWritten:
    """The first sheets of a workbook already written (:func:`xlsx_written`), and the
    writer's state after them: the shared strings and cell formats they made, which
    the next sheets go on from."""

    sheets: list[Written] = field(default_factory=list)
    strings: dict[str, int] = field(default_factory=dict)
    styles: _Styles = field(default_factory=_Styles)
    string_items: list[str] = field(default_factory=list)  # their <si>, in order


def _sheet_chunks(
    sheet: Sheet, selected: bool, strings: dict[str, int], styles: _Styles, widths: list[int]
) -> Iterator[str]:
    head = _head(sheet, selected, widths)
    return chain([head], _rows(sheet, strings, styles), [_tail(sheet)])


def xlsx_written(sheets: list[Sheet]) -> XlsxWritten:
    """The first sheets of a workbook, written: :func:`xlsx_bytes` then writes the same
    bytes as from the sheets themselves."""
    written = XlsxWritten()
    for i, sheet in enumerate(sheets, 1):
        widths = sheet.column_widths()
        chunks = _sheet_chunks(sheet, i == 1, written.strings, written.styles, widths)
        written.sheets.append(Written.of(sheet, widths, chunks))
    written.string_items.extend(_string_items(written.strings))
    return written


def xlsx_bytes(
    sheets: list[Sheet], result: AuditResult, lang: Lang, written: XlsxWritten | None = None
) -> bytes:
    """``sheets`` as an Office Open XML workbook, dated and titled from ``result``;
    after the sheets ``written`` holds already, if any."""
    buffer = io.BytesIO()
    written = written or XlsxWritten()
    strings, styles = written.strings, written.styles
    every: list[Shaped] = [*written.sheets, *sheets]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _package_parts(every, result, lang).items():
            write_part(archive, name, [text])
        for i, sheet in enumerate(every, 1):
            chunks = (
                sheet.chunks
                if isinstance(sheet, Written)
                else _sheet_chunks(sheet, i == 1, strings, styles, sheet.column_widths())
            )
            write_part(archive, f"xl/worksheets/sheet{i}.xml", chunks)
        write_part(archive, "xl/styles.xml", [styles.xml()])
        write_part(archive, "xl/sharedStrings.xml", _shared_strings(strings, written.string_items))
    return buffer.getvalue()
