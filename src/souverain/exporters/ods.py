"""``--format ods``: the same three sheets as the xlsx export, as an OpenDocument spreadsheet.

The layout is :func:`souverain.exporters.sheets.workbook_sheets`; this module writes it
as OpenDocument 1.2 XML, streamed: ``content.xml`` goes into the zip row by row, each
distinct text escaped once. A large matrix is about a million cells; a document-object
library (odfpy) holds every cell as a tree of Python objects before writing any, which
took minutes and gigabytes (benchmarks/README.md, "Figures behind the code's choices").
Numbers are written as typed float cells, dates as date cells, text as string cells
(never a formula); tabs, line breaks and runs of spaces as ODF marks them. Kept: cell
styles (fills, bold, alignment, number formats), column widths, the header rows
repeated on printed pages, A4 landscape, an autofilter on each table, frozen header
(and first columns) for LibreOffice. The same audit gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

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

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
CM_PER_CHARACTER = 0.2  # column width of one character of 10pt text
DATE_STYLE = "date"
TABLE_STYLE = "ta-landscape"
# ODF style names of our number formats.
_DATA_STYLES = {DECIMAL: "N2", PERCENT: "P0", DATE_STYLE: "D1"}
ROWS_PER_WRITE = 2000  # rows joined before each write into the zip

_NAMESPACES = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
}
_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"


def _root(tag: str) -> str:
    """The opening tag of an ODF document part, declaring every namespace we use."""
    names = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in _NAMESPACES.items())
    return f'{_DECLARATION}<office:{tag} {names} office:version="1.2">'


def _paragraph(text: str) -> str:
    """``text`` as a ``<text:p>``: tabs as ``<text:tab/>``, line breaks as
    ``<text:line-break/>``, a run of n > 1 spaces as one space and ``<text:s
    text:c="n-1"/>`` (what odfpy's teletype writes)."""
    text = xml_text(text)
    if not text:
        return "<text:p/>"
    if "\t" not in text and "\n" not in text and "  " not in text:
        return f"<text:p>{xml_escape(text)}</text:p>"
    out: list[str] = []
    i, end = 0, len(text)
    while i < end:
        ch = text[i]
        if ch == "\t":
            out.append("<text:tab/>")
            i += 1
        elif ch == "\n":
            out.append("<text:line-break/>")
            i += 1
        elif ch == " ":
            run = i + 1
            while run < end and text[run] == " ":
                run += 1
            out.append(" " if run - i == 1 else f' <text:s text:c="{run - i - 1}"/>')
            i = run
        else:
            run = i + 1
            while run < end and text[run] not in "\t\n ":
                run += 1
            out.append(xml_escape(text[i:run]))
            i = run
    return f"<text:p>{''.join(out)}</text:p>"


def _display(value: float, style: str | None) -> str:
    """What a spreadsheet shows for a number before it recalculates anything."""
    if style == DECIMAL:
        return f"{value:.2f}"
    if style == PERCENT:
        return f"{value:.0%}"
    return f"{value:g}"


def _cell_styles() -> str:
    """One ODF cell style per named style of :class:`Sheet`, named ``ce-<name>``."""
    border = f"0.5pt solid #{BORDER_COLOUR}"
    bold = '<style:text-properties fo:font-weight="bold"/>'
    centre = '<style:paragraph-properties fo:text-align="center"/>'

    def fill(colour: str, extra: str = "") -> str:
        return f'<style:table-cell-properties fo:background-color="#{colour}"{extra}/>'

    specs: list[tuple[str, str, str | None]] = [
        (TITLE, '<style:text-properties fo:font-weight="bold" fo:font-size="14pt"/>', None),
        (
            HEADER,
            fill(HEADER_FILL, f' fo:border-bottom="{border}" fo:wrap-option="wrap"') + bold,
            None,
        ),
        (SECTION, fill(SECTION_FILL) + bold, None),
        (DECIMAL, "", _DATA_STYLES[DECIMAL]),
        (PERCENT, "", _DATA_STYLES[PERCENT]),
        (DATE_STYLE, "", _DATA_STYLES[DATE_STYLE]),
    ]
    for level, (background, ink) in LEVEL_COLOURS.items():
        text = f'<style:text-properties fo:font-weight="bold" fo:color="#{ink}"/>'
        specs.append((f"level_{level}", fill(background) + centre + text, None))
    for score, background in enumerate(SCORE_FILLS):
        specs.append((f"score_{score}", fill(background) + centre, None))
    out = []
    for name, properties, data_style in specs:
        data = f' style:data-style-name="{data_style}"' if data_style else ""
        opening = f'<style:style style:name="ce-{name}" style:family="table-cell"{data}'
        out.append(f"{opening}>{properties}</style:style>" if properties else f"{opening}/>")
    return "".join(out)


def _automatic_styles(widths: Iterable[int]) -> str:
    """The table, number, cell and column styles content.xml uses."""
    table = (
        f'<style:style style:name="{TABLE_STYLE}" style:family="table" '
        'style:master-page-name="Landscape"><style:table-properties table:display="true"/>'
        "</style:style>"
    )
    numbers = (
        f'<number:number-style style:name="{_DATA_STYLES[DECIMAL]}">'
        '<number:number number:decimal-places="2" number:min-integer-digits="1"/>'
        "</number:number-style>"
        f'<number:percentage-style style:name="{_DATA_STYLES[PERCENT]}">'
        '<number:number number:decimal-places="0" number:min-integer-digits="1"/>'
        "<number:text>%</number:text></number:percentage-style>"
        f'<number:date-style style:name="{_DATA_STYLES[DATE_STYLE]}">'
        '<number:year number:style="long"/><number:text>-</number:text>'
        '<number:month number:style="long"/><number:text>-</number:text>'
        '<number:day number:style="long"/></number:date-style>'
    )
    columns = "".join(
        f'<style:style style:name="co-{width}" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{width * CM_PER_CHARACTER:.2f}cm"/>'
        "</style:style>"
        for width in sorted(set(widths))
    )
    styles = f"{table}{numbers}{_cell_styles()}{columns}"
    return f"<office:automatic-styles>{styles}</office:automatic-styles>"


def _rows(sheet: Sheet, paragraphs: dict[str, str]) -> Iterator[str]:
    """The ``<table:table-row>`` elements of ``sheet``, a batch at a time; the first in
    ``<table:table-header-rows>`` when the sheet is a table. ``paragraphs`` keeps each
    distinct text's ``<text:p>``."""
    by_row = sheet.styles_by_row()
    no_style: dict[int, str] = {}
    named: dict[str | None, str] = {None: ""}
    batch: list[str] = []
    for r, row in enumerate(sheet.rows):
        header = r == 0 and sheet.table
        batch.append(
            "<table:table-header-rows><table:table-row>" if header else "<table:table-row>"
        )
        row_styles = by_row.get(r, no_style)
        for c, value in enumerate(row):
            style = row_styles.get(c)
            st = named.get(style)
            if st is None:
                st = named[style] = f' table:style-name="ce-{style}"'
            kind = value.__class__
            if kind is str or isinstance(value, str):
                text = paragraphs.get(value)  # type: ignore[arg-type]
                if text is None:
                    text = paragraphs[value] = _paragraph(value)  # type: ignore[index, arg-type]
                batch.append(
                    f'<table:table-cell{st} office:value-type="string">{text}</table:table-cell>'
                )
            elif value is None:
                batch.append(f"<table:table-cell{st}/>")
            elif kind is bool:
                word = "true" if value else "false"
                batch.append(
                    f'<table:table-cell{st} office:value-type="boolean" office:boolean-value='
                    f'"{word}"><text:p>{word.upper()}</text:p></table:table-cell>'
                )
            elif isinstance(value, date):
                if style is None:
                    st = f' table:style-name="ce-{DATE_STYLE}"'
                day = value.isoformat()
                batch.append(
                    f'<table:table-cell{st} office:value-type="date" office:date-value="{day}">'
                    f"<text:p>{day}</text:p></table:table-cell>"
                )
            else:  # a number
                batch.append(
                    f'<table:table-cell{st} office:value-type="float" office:value="{value!r}">'
                    f"<text:p>{_display(value, style)}</text:p></table:table-cell>"
                )
        batch.append(
            "</table:table-row></table:table-header-rows>" if header else "</table:table-row>"
        )
        if len(batch) > ROWS_PER_WRITE * 8:
            yield "".join(batch)
            batch.clear()
    yield "".join(batch)


def _address(sheet: Shaped) -> str:
    """The whole table of ``sheet`` as an ODF range address, e.g. ``'Matrix'.A1:'Matrix'.U7``."""
    name = "'" + sheet.name.replace("'", "''") + "'"
    return f"{name}.A1:{name}.{column_name(sheet.width - 1)}{sheet.height}"


def _table(sheet: Sheet, widths: Sequence[int], paragraphs: dict[str, str]) -> Iterator[str]:
    """The ``<table:table>`` of ``sheet``, streamed."""
    columns = "".join(f'<table:table-column table:style-name="co-{w}"/>' for w in widths)
    name = xml_escape(xml_text(sheet.name), quote=True)
    yield f'<table:table table:name="{name}" table:style-name="{TABLE_STYLE}">{columns}'
    yield from _rows(sheet, paragraphs)
    yield "</table:table>"


def ods_written(sheets: list[Sheet]) -> list[Written]:
    """The first sheets of a spreadsheet, written: :func:`ods_bytes` then writes the
    same bytes as from the sheets themselves."""
    paragraphs: dict[str, str] = {}
    written = []
    for sheet in sheets:
        widths = sheet.column_widths()
        written.append(Written.of(sheet, widths, _table(sheet, widths, paragraphs)))
    return written


def _content(sheets: Sequence[Sheet | Written]) -> Iterator[str]:
    """content.xml, streamed: styles, then each table, then the filtered ranges."""
    widths = [
        list(sheet.widths) if isinstance(sheet, Written) else sheet.column_widths()
        for sheet in sheets
    ]
    yield _root("document-content") + _automatic_styles(w for ws in widths for w in ws)
    yield "<office:body><office:spreadsheet>"
    paragraphs: dict[str, str] = {}
    for sheet, sheet_widths in zip(sheets, widths, strict=True):
        if isinstance(sheet, Written):
            yield from sheet.chunks
        else:
            yield from _table(sheet, sheet_widths, paragraphs)
    ranges = "".join(
        f'<table:database-range table:name="__Anonymous_Sheet_DB__{index}" '
        f'table:target-range-address="{xml_escape(_address(sheet), quote=True)}" '
        'table:display-filter-buttons="true"/>'
        for index, sheet in enumerate(sheets)
        if sheet.table
    )
    if ranges:
        yield f"<table:database-ranges>{ranges}</table:database-ranges>"
    yield "</office:spreadsheet></office:body></office:document-content>"


def _styles_part() -> str:
    """styles.xml: every sheet prints on A4 landscape, like the xlsx export and the report."""
    return (
        _root("document-styles") + "<office:styles/><office:automatic-styles>"
        '<style:page-layout style:name="pm-landscape"><style:page-layout-properties '
        'fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" '
        'fo:margin="1cm"/></style:page-layout></office:automatic-styles><office:master-styles>'
        '<style:master-page style:name="Landscape" style:page-layout-name="pm-landscape"/>'
        "</office:master-styles></office:document-styles>"
    )


def _meta_part(result: AuditResult, lang: Lang) -> str:
    return (
        _root("document-meta") + "<office:meta>"
        f"<dc:title>{xml_escape(document_title(result, lang))}</dc:title>"
        f"<dc:language>{lang}</dc:language>"
        f"<meta:initial-creator>souverain {__version__}</meta:initial-creator>"
        f"<meta:creation-date>{result.today.isoformat()}T00:00:00</meta:creation-date>"
        f"<meta:generator>souverain/{__version__}</meta:generator>"
        "</office:meta></office:document-meta>"
    )


def _settings_part(sheets: Sequence[Shaped]) -> str:
    """Frozen header rows (and first columns) for LibreOffice, the way it writes them itself."""

    def item(name: str, kind: str, value: object) -> str:
        return (
            f'<config:config-item config:name="{name}" config:type="{kind}">'
            f"{xml_escape(str(value))}</config:config-item>"
        )

    tables = []
    for sheet in sheets:
        if not sheet.table:
            continue
        frozen = sheet.freeze_columns
        entries = "".join(
            item(name, kind, value)
            for name, kind, value in (
                ("CursorPositionX", "int", frozen),
                ("CursorPositionY", "int", 1),
                ("HorizontalSplitMode", "short", 2 if frozen else 0),
                ("VerticalSplitMode", "short", 2),
                ("HorizontalSplitPosition", "int", frozen),
                ("VerticalSplitPosition", "int", 1),
                # The pane holding the cursor: bottom right with frozen columns, else bottom left.
                ("ActiveSplitRange", "short", 3 if frozen else 2),
                ("PositionLeft", "int", 0),
                ("PositionRight", "int", frozen),
                ("PositionTop", "int", 0),
                ("PositionBottom", "int", 1),
            )
        )
        name = xml_escape(xml_text(sheet.name), quote=True)
        tables.append(
            f'<config:config-item-map-entry config:name="{name}">{entries}'
            "</config:config-item-map-entry>"
        )
    active = item("ActiveTable", "string", xml_text(sheets[0].name)) if sheets else ""
    return (
        _root("document-settings") + "<office:settings>"
        '<config:config-item-set config:name="ooo:view-settings">'
        '<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
        + item("ViewId", "string", "view1")
        + '<config:config-item-map-named config:name="Tables">'
        + "".join(tables)
        + "</config:config-item-map-named>"
        + active
        + "</config:config-item-map-entry></config:config-item-map-indexed>"
        "</config:config-item-set></office:settings></office:document-settings>"
    )


def _manifest() -> str:
    entries = "".join(
        f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{kind}"/>'
        for path, kind in (
            ("/", MIMETYPE),
            ("styles.xml", "text/xml"),
            ("content.xml", "text/xml"),
            ("settings.xml", "text/xml"),
            ("meta.xml", "text/xml"),
        )
    )
    return (
        f"{_DECLARATION}<manifest:manifest "
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        f'manifest:version="1.2">{entries}</manifest:manifest>'
    )


class OdsExporter(Exporter):
    """The matrix, reasons and summary sheets as an OpenDocument spreadsheet."""

    format = "ods"
    suffix = ".ods"
    binary = True

    def render(self, result: AuditResult, lang: Lang) -> bytes:
        return ods_bytes(workbook_sheets(result, lang), result, lang)


def ods_bytes(
    sheets: list[Sheet], result: AuditResult, lang: Lang, written: Sequence[Written] = ()
) -> bytes:
    """``sheets`` as an OpenDocument spreadsheet, dated and titled from ``result``;
    after the sheets already ``written``, if any."""
    every: list[Shaped] = [*written, *sheets]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype first and stored, so that a reader can tell the kind from its offset.
        write_part(archive, "mimetype", [MIMETYPE], zipfile.ZIP_STORED)
        parts: list[tuple[str, Iterable[str]]] = [
            ("styles.xml", [_styles_part()]),
            ("content.xml", _content(every)),
            ("meta.xml", [_meta_part(result, lang)]),
            ("settings.xml", [_settings_part(every)]),
            ("META-INF/manifest.xml", [_manifest()]),
        ]
        for name, chunks in parts:
            write_part(archive, name, chunks)
    return buffer.getvalue()
