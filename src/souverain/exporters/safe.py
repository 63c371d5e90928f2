"""What every CSV and JSON writer does to the user's text before writing it.

Names come from the user's files. The loaders refuse control characters; the writers
strip them anyway (:func:`souverain.core.text.printable`), and a CSV cell never
starts what a spreadsheet would run as a formula. Each writer of another format
(XML, HTML, Markdown, iCalendar) passes its text through ``printable`` in its own
escaping function.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import orjson

from souverain.core.mapper import Mapper, serially
from souverain.core.text import printable

T = TypeVar("T")

# OWASP's "CSV injection" rule: a cell starting with one of these is a formula (or,
# after a tab or carriage return, may become one) in Excel, LibreOffice and Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SAFE_NOT = frozenset(FORMULA_START)

# orjson writes the control characters printable() removes as escapes (\u0000, \b,
# \f…: every \u escape orjson writes is one), DEL as it is, and the C1 controls
# U+0080-U+009F as UTF-8 (C2 80-C2 9F); tab, line feed and carriage return stay.
_ESCAPED_CONTROL = (b"u", b"b", b"f")


def _json_has_control(data: bytes) -> bool:
    """Whether orjson's output ``data`` holds a control character that printable()
    removes: three byte searches, each escape skipped whole (a regular expression is
    much slower over the tens of megabytes of a large audit)."""
    if b"\x7f" in data:
        return True
    at = data.find(b"\\")
    while at >= 0:
        if data[at + 1 : at + 2] in _ESCAPED_CONTROL:
            return True
        at = data.find(b"\\", at + 2)
    at = data.find(b"\xc2")
    while at >= 0:
        if 0x80 <= data[at + 1] <= 0x9F:
            return True
        at = data.find(b"\xc2", at + 2)
    return False


def csv_cell(value: Any) -> Any:
    """A CSV cell: text without control characters, prefixed with ``'`` when it starts
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP), so that a
    spreadsheet shows it instead of running it. Numbers we write as numbers (int,
    float) are left as they are: ``-0.5`` stays a number."""
    if not isinstance(value, str):
        return value
    text = printable(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """``rows`` as RFC 4180 CSV (CRLF, quotes doubled), every cell through :func:`csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    # Most cells are numbers, or text with no control character (isprintable) that
    # starts harmlessly: they are kept without a call (a large matrix is nearly all such).
    writer.writerows(
        [
            value
            if value.__class__ is not str or (value.isprintable() and value[:1] not in _SAFE_NOT)
            else csv_cell(value)
            for value in row
        ]
        for row in rows
    )
    return buffer.getvalue()


def printable_data(data: Any) -> Any:
    """``data`` (JSON-like: dicts, lists, strings, numbers) with every string, keys
    included, through :func:`printable`."""
    if isinstance(data, str):
        return printable(data)
    if isinstance(data, dict):
        return {printable_data(k): printable_data(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [printable_data(v) for v in data]
    return data


_ITEM_INDENT = 4  # an item of a list that is a value of the top-level object


def json_bytes(data: Any) -> bytes:
    """``data`` as indented JSON (UTF-8, one final newline) with no control character
    in any string. The document is walked only when its JSON shows one: a clean audit,
    however large, is not walked twice."""
    # orjson: indented output at C speed (json.dumps with indent falls back to Python).
    text = orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"
    if not _json_has_control(text):
        return text
    return orjson.dumps(printable_data(data), option=orjson.OPT_INDENT_2) + b"\n"


def json_pieces(
    head: dict[str, Any],
    key: str,
    items: Iterable[T],
    document: Callable[[T], Any] | None = None,
    mapper: Mapper = serially,
) -> list[bytes]:
    """What ``json_bytes(head)`` gives once ``head[key]`` (an empty list in ``head``) is
    the list of ``items`` (each made into JSON data by ``document``, if given), in
    pieces to be written one after the other. Each item is serialised as soon as it is
    made, and dropped: a list of hundreds of thousands of small objects is never held
    whole (the garbage collector, on for the renderings, would walk it again and
    again), and the output is never copied whole. ``mapper``: how the items are
    serialised (:data:`~souverain.core.mapper.Mapper`; a sequence of items may be
    shared with a forked process, which sends back bytes)."""
    indent = b"\n" + b" " * _ITEM_INDENT
    comma = b"," + indent
    text = json_bytes(head)
    # A key of the top-level object is the only place a line starts with two spaces
    # and a quote: a newline inside a string is escaped.
    empty = b'\n  "' + key.encode() + b'": []'
    at = text.index(empty)
    pieces = [text[:at] + empty[:-1]]

    def serialised(share: Iterable[T]) -> list[bytes]:
        out = []
        for item in share:
            data = item if document is None else document(item)
            piece = orjson.dumps(data, option=orjson.OPT_INDENT_2)
            if _json_has_control(piece):
                piece = orjson.dumps(printable_data(data), option=orjson.OPT_INDENT_2)
            out.append(piece.replace(b"\n", indent))
        return out

    done = mapper(serialised, items) if isinstance(items, Sequence) else serialised(items)
    for piece in done:
        pieces += (comma if len(pieces) > 1 else indent, piece)
    if len(pieces) == 1:
        return [text]
    pieces.append(b"\n  ]" + text[at + len(empty) :])
    return pieces
