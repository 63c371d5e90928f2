"""``--format ods``: the same three sheets as the xlsx export, as an OpenDocument spreadsheet.

The layout comes from :func:`souverain.exporters.xlsx.workbook_sheets`; this module only
maps it to ODF. Numbers are written as typed float cells, dates as date cells, and the
output is deterministic: the same audit gives the same bytes.
"""

from __future__ import annotations

import io
from datetime import date

from odf import dc, teletype
from odf import meta as odf_meta
from odf.config import (
    ConfigItem,
    ConfigItemMapEntry,
    ConfigItemMapIndexed,
    ConfigItemMapNamed,
    ConfigItemSet,
)
from odf.element import Element
from odf.namespaces import STYLENS, nsdict
from odf.number import DateStyle, Day, Month, Number, NumberStyle, PercentageStyle, Year
from odf.number import Text as NumberText
from odf.opendocument import OpenDocument, OpenDocumentSpreadsheet
from odf.style import (
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TextProperties,
)
from odf.table import (
    DatabaseRange,
    DatabaseRanges,
    Table,
    TableCell,
    TableColumn,
    TableHeaderRows,
    TableRow,
)
from odf.text import P

from souverain import __version__
from souverain.core.scoring.audit import AuditResult
from souverain.exporters.interface import Exporter
from souverain.exporters.xlsx import (
    DECIMAL,
    HEADER,
    HEADER_FILL,
    LEVEL_COLOURS,
    PERCENT,
    SCORE_FILLS,
    SECTION,
    SECTION_FILL,
    TITLE,
    Sheet,
    Value,
    normalised_zip,
    workbook_sheets,
    xml_text,
)
from souverain.i18n import Lang, label

CM_PER_CHARACTER = 0.2  # column width of one character of 10pt text
DATE_STYLE = "date"
TABLE_STYLE = "ta-landscape"
# ODF style names of our number formats.
_DATA_STYLES = {DECIMAL: "N2", PERCENT: "P0", DATE_STYLE: "D1"}


def _page_styles(doc: OpenDocument) -> None:
    """Every sheet prints on A4 landscape, like the xlsx export and the HTML report."""
    layout = PageLayout(name="pm-landscape")
    layout.addElement(
        PageLayoutProperties(
            pagewidth="29.7cm",
            pageheight="21cm",
            printorientation="landscape",
            margin="1cm",
        )
    )
    doc.automaticstyles.addElement(layout)
    doc.masterstyles.addElement(MasterPage(name="Landscape", pagelayoutname="pm-landscape"))
    table = Style(name=TABLE_STYLE, family="table", masterpagename="Landscape")
    table.addElement(TableProperties(display="true"))
    doc.automaticstyles.addElement(table)


def _number_styles(doc: OpenDocument) -> None:
    decimal = NumberStyle(name=_DATA_STYLES[DECIMAL])
    decimal.addElement(Number(decimalplaces="2", minintegerdigits="1"))
    percent = PercentageStyle(name=_DATA_STYLES[PERCENT])
    percent.addElement(Number(decimalplaces="0", minintegerdigits="1"))
    percent.addElement(NumberText(text="%"))
    iso_date = DateStyle(name=_DATA_STYLES[DATE_STYLE])
    for part in (Year(style="long"), "-", Month(style="long"), "-", Day(style="long")):
        iso_date.addElement(NumberText(text=part) if isinstance(part, str) else part)
    for style in (decimal, percent, iso_date):
        doc.automaticstyles.addElement(style)


def _cell_styles(doc: OpenDocument) -> None:
    """One ODF cell style per named style of :class:`Sheet`, named ``ce-<name>``."""
    border = "0.5pt solid #9AA3B2"
    specs: list[tuple[str, list[Element], str | None]] = [
        (TITLE, [TextProperties(fontweight="bold", fontsize="14pt")], None),
        (
            HEADER,
            [
                TableCellProperties(
                    backgroundcolor=f"#{HEADER_FILL}", borderbottom=border, wrapoption="wrap"
                ),
                TextProperties(fontweight="bold"),
            ],
            None,
        ),
        (
            SECTION,
            [
                TableCellProperties(backgroundcolor=f"#{SECTION_FILL}"),
                TextProperties(fontweight="bold"),
            ],
            None,
        ),
        (DECIMAL, [], _DATA_STYLES[DECIMAL]),
        (PERCENT, [], _DATA_STYLES[PERCENT]),
        (DATE_STYLE, [], _DATA_STYLES[DATE_STYLE]),
    ]
    for level, (fill, ink) in LEVEL_COLOURS.items():
        specs.append(
            (
                f"level_{level}",
                [
                    TableCellProperties(backgroundcolor=f"#{fill}"),
                    ParagraphProperties(textalign="center"),
                    TextProperties(fontweight="bold", color=f"#{ink}"),
                ],
                None,
            )
        )
    for score, fill in enumerate(SCORE_FILLS):
        specs.append(
            (
                f"score_{score}",
                [
                    TableCellProperties(backgroundcolor=f"#{fill}"),
                    ParagraphProperties(textalign="center"),
                ],
                None,
            )
        )
    for name, properties, data_style in specs:
        style = Style(name=f"ce-{name}", family="table-cell")
        if data_style:
            style.setAttribute("datastylename", data_style)
        for element in properties:
            style.addElement(element)
        doc.automaticstyles.addElement(style)


def _column_style(doc: OpenDocument, width: int, known: set[int]) -> str:
    name = f"co-{width}"
    if width not in known:
        known.add(width)
        style = Style(name=name, family="table-column")
        style.addElement(TableColumnProperties(columnwidth=f"{width * CM_PER_CHARACTER:.2f}cm"))
        doc.automaticstyles.addElement(style)
    return name


def _display(value: float, style: str | None) -> str:
    """What a spreadsheet shows for a number before it recalculates anything."""
    if style == DECIMAL:
        return f"{value:.2f}"
    if style == PERCENT:
        return f"{value:.0%}"
    return f"{value:g}"


def _cell(value: Value, style: str | None) -> Element:
    if value is None:
        return TableCell(stylename=f"ce-{style}") if style else TableCell()
    attributes: dict[str, str] = {}
    if isinstance(value, bool):
        attributes = {"valuetype": "boolean", "booleanvalue": "true" if value else "false"}
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, int | float):
        attributes = {"valuetype": "float", "value": repr(value)}
        text = _display(value, style)
    elif isinstance(value, date):
        attributes = {"valuetype": "date", "datevalue": value.isoformat()}
        text = value.isoformat()
        style = style or DATE_STYLE
    else:
        attributes = {"valuetype": "string"}
        text = value
    if style:
        attributes["stylename"] = f"ce-{style}"
    cell = TableCell(**attributes)
    paragraph = P()
    if "\t" in text or "\n" in text or "  " in text:
        teletype.addTextToElement(paragraph, text)  # keeps runs of spaces, tabs, line breaks
    elif text:
        paragraph.addText(text)  # what teletype gives such text, without its loop per character
    cell.addElement(paragraph)
    return cell


def _table(doc: OpenDocument, sheet: Sheet, widths: set[int]) -> Table:
    table = Table(name=sheet.name, stylename=TABLE_STYLE)
    for width in sheet.column_widths():
        table.addElement(TableColumn(stylename=_column_style(doc, width, widths)))
    for r, values in enumerate(sheet.rows):
        row = TableRow()
        for c, value in enumerate(values):
            row.addElement(_cell(value, sheet.styles.get((r, c))))
        if r == 0 and sheet.table:
            header = TableHeaderRows()  # repeated on every printed page
            header.addElement(row)
            table.addElement(header)
        else:
            table.addElement(row)
    return table


def _address(sheet: Sheet) -> str:
    """The whole table of ``sheet`` as an ODF range address, e.g. ``'Matrix'.A1:'Matrix'.U7``."""
    name = "'" + sheet.name.replace("'", "''") + "'"
    last = ""
    column = sheet.width
    while column:
        column, rest = divmod(column - 1, 26)
        last = chr(ord("A") + rest) + last
    return f"{name}.A1:{name}.{last}{len(sheet.rows)}"


def _view_settings(sheets: list[Sheet]) -> ConfigItemSet:
    """Frozen header rows (and first columns) for LibreOffice, the way it writes them itself."""

    def item(name: str, kind: str, value: object) -> ConfigItem:
        return ConfigItem(name=name, type=kind, text=str(value))

    tables = ConfigItemMapNamed(name="Tables")
    for sheet in sheets:
        if not sheet.table:
            continue
        entry = ConfigItemMapEntry(name=sheet.name)
        for name, kind, value in (
            ("CursorPositionX", "int", sheet.freeze_columns),
            ("CursorPositionY", "int", 1),
            ("HorizontalSplitMode", "short", 2 if sheet.freeze_columns else 0),
            ("VerticalSplitMode", "short", 2),
            ("HorizontalSplitPosition", "int", sheet.freeze_columns),
            ("VerticalSplitPosition", "int", 1),
            # The pane holding the cursor: bottom right with frozen columns, bottom left without.
            ("ActiveSplitRange", "short", 3 if sheet.freeze_columns else 2),
            ("PositionLeft", "int", 0),
            ("PositionRight", "int", sheet.freeze_columns),
            ("PositionTop", "int", 0),
            ("PositionBottom", "int", 1),
        ):
            entry.addElement(item(name, kind, value))
        tables.addElement(entry)
    view = ConfigItemMapEntry()
    view.addElement(item("ViewId", "string", "view1"))
    view.addElement(tables)
    if sheets:
        view.addElement(item("ActiveTable", "string", sheets[0].name))
    views = ConfigItemMapIndexed(name="Views")
    views.addElement(view)
    settings = ConfigItemSet(name="ooo:view-settings")
    settings.addElement(views)
    return settings


def _stable_namespaces() -> None:
    """Make odfpy declare the same namespaces, in the same order, in every document.

    odfpy declares on each root element every namespace that any document of this
    process has used so far, in first-use order (a class-level dict), so the bytes would
    depend on what ran before. Declaring every namespace it knows, sorted, does not.
    """
    declared = Element.namespaces
    merged = {**nsdict, **declared}
    declared.clear()
    declared.update(sorted(merged.items(), key=lambda item: (item[1], item[0])))


def _every_style_used(doc: OpenDocument) -> None:
    """Spare odfpy its search for the automatic styles content.xml uses.

    When it writes content.xml, odfpy walks every element of the body, looking up
    eleven style attributes on each, to keep only the automatic styles some element
    names: one lookup per attribute per cell, a large part of writing a large matrix.
    The cell, column, number and table styles this module adds are a few dozen, nearly
    all used: they are all written (one a sheet does not use costs a line). The page
    layout stays in styles.xml only, where odfpy's search, over the master pages, is
    cheap.
    """
    search = getattr(doc, "_used_auto_styles", None)  # odfpy 1.4's; else left alone
    if search is None:
        return

    def used(segments: list[Element]) -> list[Element]:
        if any(segment is doc.body for segment in segments):
            return [
                e
                for e in doc.automaticstyles.childNodes
                if isinstance(e, Element) and e.qname != (STYLENS, "page-layout")
            ]
        return search(segments)  # type: ignore[no-any-return]

    doc._used_auto_styles = used


class OdsExporter(Exporter):
    """The matrix, reasons and summary sheets as an OpenDocument spreadsheet."""

    format = "ods"
    suffix = ".ods"
    binary = True

    def render(self, result: AuditResult, lang: Lang) -> bytes:
        return ods_bytes(workbook_sheets(result, lang), result, lang)


def ods_bytes(sheets: list[Sheet], result: AuditResult, lang: Lang) -> bytes:
    """``sheets`` as an OpenDocument spreadsheet, dated and titled from ``result``."""
    doc = OpenDocumentSpreadsheet()
    title = xml_text(f"{label(lang, 'title')} — {result.estate.organisation.name}")
    doc.meta.addElement(dc.Title(text=title))
    doc.meta.addElement(dc.Language(text=lang))
    doc.meta.addElement(odf_meta.InitialCreator(text=f"souverain {__version__}"))
    doc.meta.addElement(odf_meta.CreationDate(text=f"{result.today.isoformat()}T00:00:00"))
    _page_styles(doc)
    _number_styles(doc)
    _cell_styles(doc)
    widths: set[int] = set()
    for sheet in sheets:
        doc.spreadsheet.addElement(_table(doc, sheet, widths))
    ranges = DatabaseRanges()
    for index, sheet in enumerate(sheets):
        if not sheet.table:
            continue
        ranges.addElement(
            DatabaseRange(
                name=f"__Anonymous_Sheet_DB__{index}",
                targetrangeaddress=_address(sheet),
                displayfilterbuttons="true",
            )
        )
    doc.spreadsheet.addElement(ranges)
    doc.settings.addElement(_view_settings(sheets))
    _stable_namespaces()
    _every_style_used(doc)
    buffer = io.BytesIO()
    doc.save(buffer)  # not doc.write, which leaves the zip unfinished
    return normalised_zip(buffer.getvalue())
