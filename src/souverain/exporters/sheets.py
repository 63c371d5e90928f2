"""The spreadsheet layout that the xlsx and ods exporters (and the workbook) share.

Each sheet is plain typed rows plus named cell styles (:class:`Sheet`); each format
maps those names to its own formatting (``exporters/xlsx.py``, ``exporters/ods.py``).
Both formats therefore carry the same cells, and numbers stay numbers. Text is made
safe for XML by the writers (:func:`xml_text`), once per distinct string.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import zip_longest
from typing import Any

from souverain import __version__
from souverain.core.scoring.audit import AuditResult
from souverain.core.scoring.methodology import AXES
from souverain.core.text import printable
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
BORDER_COLOUR = "9AA3B2"

# Named cell styles of :class:`Sheet`: level_<level>, score_<0-4>, and these.
TITLE, HEADER, SECTION, DECIMAL, PERCENT = "title", "header", "section", "decimal", "percent"

MIN_WIDTH, MAX_WIDTH = 6, 60  # column widths, in characters
HEADER_WIDTH = 14  # longer column titles wrap rather than widen a column of scores
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entry time: same audit, same bytes
# zlib's fastest level: a large sheet's XML is tens of megabytes, and the default level
# (6) takes a few tenths of a second more for files a fifth to a third smaller
# (benchmarks/README.md, "Figures behind the code's choices").
COMPRESS_LEVEL = 1

# Besides control characters, what XML 1.0 (and so both xlsx and ods) cannot carry.
_ILLEGAL_XML = re.compile("[\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without control characters (:func:`souverain.core.text.printable`) or
    the other characters XML cannot carry, which would corrupt the file."""
    if text.isprintable():  # no control character, no U+FFFE/U+FFFF: most text
        return text
    text = printable(text)
    return _ILLEGAL_XML.sub("", text) if "\ufffe" in text or "\uffff" in text else text


def _text_width(value: Value) -> int:
    """How many characters ``value`` shows (a float with two decimals)."""
    if isinstance(value, str):
        return len(value) if value.isprintable() else len(xml_text(value))
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return len(str(value))


@dataclass
class Sheet:
    """One sheet as plain data: rows of typed values and named styles per cell.

    When ``table`` is true, row 0 is a header: frozen, filtered and repeated when
    printed; ``freeze_columns`` columns on the left stay visible too. ``None`` is an
    empty cell.
    """

    name: str
    rows: list[list[Value]]
    styles: dict[tuple[int, int], str] = field(default_factory=dict)
    table: bool = False
    freeze_columns: int = 0

    @property
    def width(self) -> int:
        """How many columns the widest row fills."""
        return max(map(len, self.rows), default=0)

    @property
    def height(self) -> int:
        """How many rows the sheet has."""
        return len(self.rows)

    def styles_by_row(self) -> dict[int, dict[int, str]]:
        """:attr:`styles` by row, then column; a row without a styled cell is absent
        (a writer looks a row up once, not each of its cells)."""
        rows: dict[int, dict[int, str]] = {}
        for (r, c), style in self.styles.items():
            rows.setdefault(r, {})[c] = style
        return rows

    def column_widths(self) -> list[int]:
        """A width per column, in characters, from its longest value (titles excluded;
        a header counts one more character, up to :data:`HEADER_WIDTH`)."""
        widths = [MIN_WIDTH] * self.width
        # Titles and headers are a few cells, measured one by one; the other rows are
        # measured a column at a time, each distinct value once.
        marked = {at: s for at, s in self.styles.items() if s in (TITLE, HEADER)}
        marked_rows = {r for r, _ in marked}
        for r in sorted(marked_rows):
            for c, value in enumerate(self.rows[r]):
                if value is None or marked.get((r, c)) == TITLE:
                    continue
                width = _text_width(value) + 1
                if marked.get((r, c)) == HEADER:
                    width = min(width + 1, HEADER_WIDTH)
                widths[c] = max(widths[c], min(MAX_WIDTH, width))
        rows = [row for r, row in enumerate(self.rows) if r not in marked_rows]
        for c, column in enumerate(zip_longest(*rows)):
            widths[c] = max(widths[c], min(MAX_WIDTH, _widest(column) + 1))
        return widths


@dataclass(frozen=True)
class Written:
    """A sheet a spreadsheet writer has already written (``xlsx_written``,
    ``ods_written``; the ``workbook`` command has it done in a child while this process
    works out the other sheets): its shape, for the parts that list the sheets, its
    column widths, and its XML, in the chunks the writer made (same chunks, same bytes)."""

    name: str
    width: int
    height: int
    table: bool
    freeze_columns: int
    widths: tuple[int, ...]
    chunks: tuple[str, ...]

    @classmethod
    def of(cls, sheet: Sheet, widths: Sequence[int], chunks: Iterable[str]) -> Written:
        """``sheet`` written as ``chunks``."""
        shape = (sheet.name, sheet.width, sheet.height, sheet.table, sheet.freeze_columns)
        return cls(*shape, tuple(widths), tuple(chunks))


# What the parts listing a workbook's sheets read of each: name, width, height, table.
Shaped = Sheet | Written


def _widest(column: Sequence[Value]) -> int:
    """The width of the widest value of ``column`` (0 when it has none)."""
    values = set(column)
    values.discard(None)
    texts = [v for v in values if isinstance(v, str)]
    others = [v for v in values if not isinstance(v, str)]
    if len({value.__class__ for value in others}) > 1:
        # 1, 1.0 and True are one member of a set, but 1.0 shows as 1.00: every value.
        others = [v for v in column if v is not None and not isinstance(v, str)]
    # Text that is all printable (nearly always) is measured by len alone, in C.
    if all(map(str.isprintable, texts)):
        widest = max(map(len, texts), default=0)
    else:
        widest = max(map(_text_width, texts))
    return max(widest, max(map(_text_width, others), default=0))


_SCORE_STYLES = tuple(f"score_{score}" for score in range(5))


def score_style(score: float) -> str:
    """The style of an exposure score, 0 (nothing found) to 4 (severe)."""
    score = int(score)
    return _SCORE_STYLES[score if 0 <= score <= 4 else 0 if score < 0 else 4]


def _blank(row: Sequence[Any]) -> list[Value]:
    # An empty string means "nothing here": leave the cell empty, not an empty text.
    return [None if value == "" else value for value in row]


def matrix_sheet(result: AuditResult, lang: Lang) -> Sheet:
    """The dependency matrix, one row per dependency, sorted by risk."""
    header = matrix_header(result, lang)
    sheet = Sheet(label(lang, "sheet_matrix"), [list(header)], table=True, freeze_columns=2)
    sheet.styles.update({(0, c): HEADER for c in range(len(header))})
    level = header.index(label(lang, "level"))
    confirmed = header.index(label(lang, "level_if_confirmed"))
    coverage = header.index(label(lang, "coverage"))
    exposure = header.index(label(lang, "exposure"))
    readiness = header.index(label(lang, "exit_readiness"))
    can_exit = header.index(label(lang, "can_exit"))
    for r, (row, dep) in enumerate(
        zip(matrix_rows(result, lang), result.dependencies, strict=True), 1
    ):
        sheet.rows.append(_blank(row))
        sheet.styles[(r, level)] = f"level_{dep.level}"
        sheet.styles[(r, confirmed)] = f"level_{dep.level_if_confirmed}"
        sheet.styles[(r, coverage)] = PERCENT
        sheet.styles[(r, exposure)] = DECIMAL
        for offset, axis in enumerate(AXES, exposure + 1):
            sheet.styles[(r, offset)] = score_style(dep.exposure[axis].score)
        sheet.styles[(r, readiness)] = score_style(4 - dep.exit.readiness)
        fits = dep.exit.can_exit_within_max_downtime
        sheet.styles[(r, can_exit)] = score_style(0 if fits else 2 if fits is None else 4)
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
    head: list[Value] = [
        label(lang, "level"),
        label(lang, "dependency_count"),
        label(lang, "if_confirmed"),
    ]
    add(head, SECTION)
    for level, count in summary["levels"].items():
        if_confirmed = summary["levels_if_confirmed"][level]
        add([label(lang, f"level_{level}"), count, if_confirmed], styles={0: f"level_{level}"})
    add(
        [label(lang, "total"), summary["dependencies"], summary["dependencies"]],
        styles={0: HEADER, 1: HEADER, 2: HEADER},
    )
    add([])
    add([label(lang, "provisional_count"), summary["provisional"]])
    add([label(lang, "coverage_mean"), summary["coverage"]], styles={1: PERCENT})
    for axis, count in summary["unknowns"].items():
        name = result.methodology.axes[axis].name.get(lang, axis)
        add([label(lang, "unknowns_on", axis=name), count])
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
    return [matrix_sheet(result, lang), reasons_sheet(result, lang), summary_sheet(result, lang)]


def document_title(result: AuditResult, lang: Lang) -> str:
    """The spreadsheet's title, in its properties: the matrix and the organisation."""
    return xml_text(f"{label(lang, 'title')} — {result.estate.organisation.name}")


def column_name(index: int) -> str:
    """The spreadsheet name of the column at 0-based ``index``: A, B, …, Z, AA, …"""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def xml_escape(text: str, quote: bool = False) -> str:
    """``text`` with ``&``, ``<``, ``>`` (and with ``quote``, ``"``) escaped for XML."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if quote and '"' in text:
        text = text.replace('"', "&quot;")
    return text


def write_part(
    archive: zipfile.ZipFile,
    name: str,
    chunks: Iterable[str],
    compression: int = zipfile.ZIP_DEFLATED,
) -> None:
    """Write the part ``name`` of a spreadsheet package from ``chunks`` of its text, as
    they come: a part is never whole in memory. Entries carry a fixed time and the same
    attributes everywhere, so the same audit gives the same bytes."""
    entry = zipfile.ZipInfo(name, FIXED_TIME)
    entry.compress_type = compression
    entry.create_system = 3  # the same on every platform
    entry.external_attr = 0o644 << 16
    entry._compresslevel = COMPRESS_LEVEL  # type: ignore[attr-defined]  # compress_level in 3.13
    with archive.open(entry, "w") as part:
        for chunk in chunks:
            part.write(chunk.encode("utf-8"))
