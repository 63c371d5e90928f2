"""Read a YAML or JSON file into plain data, remembering the line of every value.

Estates, catalog files and methodologies all go through :func:`read_document`,
so that every error anywhere can name its file and line. Whatever the bytes, the
answer is data or located problems, never a crash or a hang: what is read, how deep
documents nest and how long integers are is bounded (:mod:`souverain.core.limits`);
duplicate keys, non-finite numbers and control characters are refused.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import stat
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson
import yaml
import yaml_rs

from souverain.core.errors import InvalidInput, Problem, os_reason
from souverain.core.limits import MAX_FILE_BYTES, MAX_INT_DIGITS, MAX_NESTING_DEPTH
from souverain.core.phrase import Phrase, Words, phrase
from souverain.core.text import first_control, printable

_Path = tuple[Any, ...]


@dataclass
class Document:
    """Parsed data plus the line of each container member (1-based)."""

    name: str
    data: Any
    lines: dict[int, Any] = field(default_factory=dict)

    def line_of(self, path: Iterable[str | int]) -> int | None:
        """The line of the deepest part of ``path`` that exists in the document."""
        node = self.data
        line: int | None = 1
        for part in path:
            table = self.lines.get(id(node))
            try:
                child = node[part]
            except (KeyError, IndexError, TypeError):
                break
            if table is not None:
                with contextlib.suppress(KeyError, IndexError, TypeError):
                    line = table[part]
            node = child
        return line

    def locate(self, problems: Iterable[Problem]) -> list[Problem]:
        """The problems with this document's name and their lines filled in."""
        return [
            replace(p, file=p.file or self.name, line=p.line or self.line_of(p.path))
            for p in problems
        ]


# --- values the loaders refuse -------------------------------------------------------


class _Refused:
    """A value no souverain document may hold (a non-finite number, an integer too
    long), kept in the data in its place so that the walk after loading reports it
    with its path and line."""

    __slots__ = ("expected", "found", "message", "shown")

    def __init__(self, message: Phrase, expected: Phrase, found: Words, shown: str) -> None:
        self.message, self.expected, self.found = message, expected, found
        self.shown = shown  # as a path names it when it is a key, in no language


def _literal(text: str) -> Words:
    if len(text) <= 40:
        return text
    return phrase("long-literal", start=text[:20], end=text[-10:], count=len(text))


def _non_finite(literal: str) -> _Refused:
    shown = literal if len(literal) <= 40 else f"{literal[:20]}…{literal[-10:]}"
    return _Refused(phrase("not-finite"), phrase("expected-finite"), _literal(literal), shown)


def _too_long(digits: int, base: int = 10) -> _Refused:
    found = (
        phrase("found-integer-digits", digits=digits)
        if base == 10
        else phrase("found-integer-digits-base", digits=digits, base=base)
    )
    return _Refused(
        phrase("number-too-long"),
        phrase("expected-integer-digits", digits=MAX_INT_DIGITS),
        found,
        "…",
    )


_INT_BOUND = 10**MAX_INT_DIGITS
# Control characters are the ones core.text.first_control finds (the one definition).
_CONTROLS = "".join(chr(code) for code in range(0xA0) if first_control(chr(code)) is not None)
# Raw control characters are parsed as private-use stand-ins (YAML refuses most raw
# controls with no word of where they are): the walk then names the field that holds one.
_STAND_IN = 0xF0000
_STAND_INS = re.compile(f"[{chr(_STAND_IN)}-{chr(_STAND_IN + 0x9F)}]")


def _control_problem(text: str, stand_ins: bool) -> _Refused | None:
    index = first_control(text)
    code = ord(text[index]) if index is not None else 0
    if stand_ins:
        match = _STAND_INS.search(text)
        if match is not None and (index is None or match.start() < index):
            index, code = match.start(), ord(match.group()) - _STAND_IN
    if index is None:
        return None
    return _Refused(
        phrase("control-character"),
        phrase("expected-no-control"),
        phrase("found-control-at-character", code=f"{code:04X}", at=index + 1),
        f"U+{code:04X}",
    )


def _refusal(value: Any, controls: bool, stand_ins: bool) -> _Refused | None:
    """Why ``value`` (a scalar or a key) is refused, if it is."""
    kind = type(value)
    if kind is str:
        return _control_problem(value, stand_ins) if controls else None
    if kind is _Refused:
        return value  # type: ignore[no-any-return]
    if kind is float:
        return None if math.isfinite(value) else _non_finite(repr(value))
    if kind is int and not -_INT_BOUND < value < _INT_BOUND:
        return _too_long(MAX_INT_DIGITS + 1)  # only from the fast parsers: they are re-read
    return None


def _refusals(
    data: Any, lines: dict[int, Any] | None = None, controls: bool = True, stand_ins: bool = False
) -> Iterator[tuple[_Path, int | None, _Refused]]:
    """Every refused key or value in ``data``, with its path and line (from ``lines``,
    the loader's table). Containers shared through aliases are visited once."""
    seen: set[int] = set()
    stack: list[tuple[Any, _Path, int | None]] = [(data, (), 1)]
    while stack:
        node, path, line = stack.pop()
        if isinstance(node, dict):
            if id(node) in seen:
                continue
            seen.add(id(node))
            table = lines.get(id(node)) if lines else None
            for key, value in node.items():
                at = table.get(key, line) if table else line
                refused = _refusal(key, controls, stand_ins)
                if refused is not None:
                    yield (*path, key), at, refused
                stack.append((value, (*path, key), at))
        elif isinstance(node, list):
            if id(node) in seen:
                continue
            seen.add(id(node))
            table = lines.get(id(node)) if lines else None
            for index, value in enumerate(node):
                stack.append((value, (*path, index), table[index] if table else line))
        else:
            refused = _refusal(node, controls, stand_ins)
            if refused is not None:
                yield path, line, refused


def _shown(path: _Path) -> tuple[str | int, ...]:
    """A path as it may be printed: keys as text, without control characters."""
    shown: list[str | int] = []
    for part in path:
        if type(part) is not int:
            text = part.shown if isinstance(part, _Refused) else str(part)
            part = _STAND_INS.sub("", printable(text))
        shown.append(part)
    return tuple(shown)


# --- the line-keeping loader -----------------------------------------------------------

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NON_FINITE = "tag:souverain,2025:non-finite"  # JSON's Infinity, -Infinity and NaN
_JSON_CONSTANTS = frozenset({"Infinity", "-Infinity", "NaN"})
# First characters with which a plain scalar may be something other than text.
_MAYBE_TYPED = frozenset("-+0123456789.<~nN=tTfF")


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """A safe loader that records lines, rejects duplicate keys and reads
    booleans the YAML 1.2 way (``NO`` is Norway, not false).

    libyaml composes the node tree; :meth:`build` turns it into plain data in one
    tight pass, which is several times faster than PyYAML's generic constructor
    on large estates. Numbers that are not finite or too long are built as
    :class:`_Refused` (and :attr:`refused` set), for :func:`parse_text` to report.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.lines: dict[int, Any] = {}
        self.duplicates: list[tuple[int, str, int]] = []  # line, key, id of the mapping
        self.refused = False
        self._built: dict[int, Any] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # Most scalars in an estate are plain words: skip the regular expressions.
        if kind is yaml.ScalarNode and implicit[0] and value and value[0] not in _MAYBE_TYPED:
            return _STR
        return super().resolve(kind, value, implicit)

    def build(self, node: yaml.Node) -> Any:
        """Plain data from a composed node, recording the line of every member."""
        tag = node.tag
        if tag == _STR:
            return node.value
        known = self._built.get(id(node))  # an alias: the same object, as PyYAML does
        if known is not None:
            return known
        if tag == _MAP and isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            mapping: dict[Any, Any] = {}
            lines: dict[Any, int] = {}
            self._built[id(node)] = mapping
            for key_node, value_node in node.value:
                key = self.build(key_node)
                try:
                    hash(key)
                except TypeError:
                    raise yaml.constructor.ConstructorError(
                        None, None, "a mapping key must be a plain value", key_node.start_mark
                    ) from None
                if key in mapping:
                    self.duplicates.append((key_node.start_mark.line + 1, str(key), id(mapping)))
                mapping[key] = self.build(value_node)
                lines[key] = value_node.start_mark.line + 1
            self.lines[id(mapping)] = lines
            return mapping
        if tag == _SEQ and isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            self._built[id(node)] = items
            items.extend(self.build(child) for child in node.value)
            self.lines[id(items)] = [child.start_mark.line + 1 for child in node.value]
            return items
        if tag == "tag:yaml.org,2002:timestamp":
            # An impossible date (2025-13-01) stays text, so validation can say what is wrong.
            try:
                return self.construct_yaml_timestamp(node)
            except ValueError:
                return node.value
        if tag == _INT:
            number = _yaml12_int(str(node.value))
            self.refused |= type(number) is _Refused
            return number
        if tag == _FLOAT:
            real = self.construct_yaml_float(node)
            if math.isfinite(real):
                return real
            self.refused = True
            return _non_finite(str(node.value))
        if tag == _NON_FINITE:
            self.refused = True
            return _non_finite(str(node.value))
        constructor = self.yaml_constructors.get(tag)
        if constructor is None or tag in (_MAP, _SEQ):
            raise yaml.constructor.ConstructorError(
                None, None, f"unsupported tag {tag!r}", node.start_mark
            )
        return constructor(self, node)


class _JsonLoader(_Loader):
    """The loader for JSON text, whose ``Infinity`` and ``NaN`` are numbers, not words."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0] and value in _JSON_CONSTANTS:
            return _NON_FINITE
        return super().resolve(kind, value, implicit)


# Plain scalars are read the YAML 1.2 way, as yaml-rs (the fast path) reads them:
# booleans are only true/false (NO is Norway), 012 is twelve, 0o12 is octal, 1e3 a
# number and 12:30 text. Like yaml-rs, digits may be grouped with underscores.
_RESOLVED_HERE = {"tag:yaml.org,2002:bool", _INT, _FLOAT}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _RESOLVED_HERE]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_Loader.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?0b[01_]+|[-+]?0o[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[0-9][0-9_]*)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"""^(?:[-+]?(?:\.[0-9][0-9_]*|[0-9][0-9_]*\.[0-9_]*)(?:[eE][-+]?[0-9]+)?
        |[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+0123456789."),
)


def _yaml12_int(value: str) -> int | _Refused | str:
    """A YAML 1.2 integer; :class:`_Refused` if it has more than MAX_INT_DIGITS
    decimal digits (checked before converting: Python converts at most 4,300).
    A prefix with no digit (``0x_``) is text, as yaml-rs reads it."""
    digits = value.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    digits = digits.lstrip("+-")
    base = 10
    for prefix, radix in (("0b", 2), ("0o", 8), ("0x", 16)):
        if digits.startswith(prefix):
            digits, base = digits[2:], radix
    if not digits:
        return value
    significant = digits.lstrip("0")
    if base == 10 and len(significant) > MAX_INT_DIGITS:
        return _too_long(len(significant))
    if len(significant) > 4 * MAX_INT_DIGITS:  # far past 10^100 in any base
        return _too_long(len(significant), base)
    number = sign * int(digits, base)
    if not -_INT_BOUND < number < _INT_BOUND:
        return _too_long(len(significant), base)
    return number


# --- nesting ---------------------------------------------------------------------------
# libyaml composes nodes and yaml-rs builds data recursively: ~11,000 nested levels
# overflow the C stack (a segmentation fault), and the loader's build() stops near 330
# levels with a RecursionError. Nesting is therefore measured first, as cheaply as a
# valid estate allows, and exactly (libyaml's event parser, which keeps its own stack)
# whenever the cheap bounds cannot rule out nesting past MAX_NESTING_DEPTH.

# A cheap look at a large file: its UTF-8 bytes translated into classes, searched at
# C speed. b"p" is indentation or an indicator (space, tab, - ? :),
# b"n" and b"r" line feed and carriage return, b"(" b")" brackets, b"c" a C0 control or
# DEL, b"Ck" a C1 control, b"d" a digit, "." or "+", b"e" an exponent mark, b"h"
# another hexadecimal letter or "_"; b" " anything else.


def _byte_classes() -> bytes:
    table = bytearray(b" " * 256)
    for byte in _CONTROLS.encode("latin-1"):
        table[byte] = ord("c" if byte < 0x80 else "k")
    table[0xC2] = ord("C")
    for chars, kind in (
        (b"0123456789.+", "d"),
        (b"eE", "e"),
        (b"abcdfABCDF_", "h"),
        (b" \t?:-", "p"),
        (b"\n", "n"),
        (b"\r", "r"),
        (b"[{", "("),
        (b"]}", ")"),
    ):
        for byte in chars:
            table[byte] = ord(kind)
    return bytes(table)


_CLASSES = _byte_classes()
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"()")


def _classes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass").translate(_CLASSES)


# Brackets inside quoted strings can hide flow nesting from the bracket count below;
# past this many opening brackets, nesting is measured exactly before libyaml composes.
_UNTRUSTED_BRACKETS = 5_000


_FEW_BRACKETS = 16


def _bracket_depth(classes: bytes) -> int:
    """The deepest bracket nesting, counting every bracket (even in strings)."""
    depth = deepest = 0
    for byte in classes.translate(None, _NOT_BRACKETS):
        if byte == 40:  # (
            depth += 1
            if depth > deepest:
                deepest = depth
        elif depth:
            depth -= 1
    return deepest


def _may_nest_too_deeply(
    text: str, classes: bytes, trust_brackets: bool = False, block: bool = True
) -> bool:
    """Whether ``text`` may nest past :data:`MAX_NESTING_DEPTH` (False means it does not).

    Block nesting: a block collection nested in another starts at least one column
    further right every second level (a sequence may sit at its parent key's column),
    and its first entry is preceded on its line only by spaces and the indicators
    ``- ? :``. So ``k`` block levels need such a run of about ``k / 2`` characters at
    the start of a line. Flow nesting is at most the bracket count (brackets in strings
    only add to it, unless closing ones in strings hide opening ones: ``trust_brackets``
    when that cannot crash, as for yaml-rs, which stops at 256 flow levels by itself,
    and for JSON, which the standard library checks first with a recursion limit).
    """
    openers = classes.count(b"(")
    if not trust_brackets and openers >= _UNTRUSTED_BRACKETS:
        return True
    # The count bounds the depth; past a few brackets the depth itself is worked out
    # (a count near the limit would leave almost no room for block nesting).
    flow = openers if openers <= _FEW_BRACKETS else _bracket_depth(classes)
    if flow > MAX_NESTING_DEPTH:
        return True
    if not block:
        return False
    if "\x85" in text or "\u2028" in text or "\u2029" in text:  # breaks to libyaml (YAML 1.1)
        return True
    run = b"p" * ((MAX_NESTING_DEPTH - 2 - flow) // 2 + 1)  # the shortest that may go past
    return classes.startswith(run) or b"n" + run in classes or b"r" + run in classes


def _too_deep_line(text: str) -> int | None:
    """The line where nesting first goes past :data:`MAX_NESTING_DEPTH`, if it does,
    by libyaml's event parser (no recursion, whatever the depth). None also if the
    text is not valid YAML before that point: composing it then stops at that error."""
    starts = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    parser = _Loader(text)
    depth = 0
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, starts):
                depth += 1
                if depth > MAX_NESTING_DEPTH:
                    mark = event.start_mark
                    return mark.line + 1 if mark is not None else None
            elif isinstance(event, ends):
                depth -= 1
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return None


def _too_deep(name: str, line: int | None) -> InvalidInput:
    return _problem(
        name,
        line,
        phrase("nested-too-deeply"),
        phrase("expected-nesting", levels=MAX_NESTING_DEPTH),
        phrase("found-deeper-nesting"),
    )


def _paths_to(data: Any, targets: set[int]) -> dict[int, _Path]:
    """The path of each container whose id is in ``targets`` (to report errors).
    Containers shared through aliases are walked once: an alias bomb stays small.
    Breadth first, so that a shared container is named by its shortest path (where its
    anchor is, usually), not by one of the aliases deep inside the bomb."""
    found: dict[int, _Path] = {}
    seen: set[int] = set()
    queue: deque[tuple[Any, _Path]] = deque([(data, ())])
    while queue and len(found) < len(targets):
        node, path = queue.popleft()
        if id(node) in targets and id(node) not in found:
            found[id(node)] = path
        if not isinstance(node, (dict, list)) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            queue.extend((v, (*path, k)) for k, v in node.items())
        else:
            queue.extend((v, (*path, i)) for i, v in enumerate(node))
    return found


# What the JSON parser says of a document it cannot read (its English words), worded.
_JSON_PROBLEMS = {
    "Expecting value": phrase("json-expecting-value"),
    "Expecting property name enclosed in double quotes": phrase("json-expecting-name"),
    "Expecting ':' delimiter": phrase("json-expecting-colon"),
    "Expecting ',' delimiter": phrase("json-expecting-comma"),
    "Extra data": phrase("json-extra-data"),
    "Unterminated string starting at": phrase("json-unterminated"),
    "Invalid control character at": phrase("json-control"),
    "Invalid \\escape": phrase("json-escape"),
    "Invalid \\uXXXX escape": phrase("json-u-escape"),
}
# What libyaml says of a document it cannot read (its English words), worded.
_YAML_PROBLEMS = {
    "did not find expected key": phrase("yaml-expected-key"),
    "did not find expected '-' indicator": phrase("yaml-expected-dash"),
    "did not find expected ',' or ']'": phrase("yaml-expected-comma-bracket"),
    "did not find expected ',' or '}'": phrase("yaml-expected-comma-brace"),
    "did not find expected node content": phrase("yaml-expected-content"),
    "did not find expected <document start>": phrase("yaml-expected-document-start"),
    "could not find expected ':'": phrase("yaml-expected-colon"),
    "mapping values are not allowed in this context": phrase("yaml-mapping-not-allowed"),
    "found character that cannot start any token": phrase("yaml-bad-character"),
    "found undefined alias": phrase("yaml-undefined-alias"),
    "found unknown escape character": phrase("yaml-unknown-escape"),
    "found a tab character that violates indentation": phrase("yaml-tab"),
    "found unexpected end of stream": phrase("yaml-end-of-stream"),
    "while scanning a quoted scalar": phrase("yaml-quoted"),
    "while scanning a simple key": phrase("yaml-simple-key"),
    "while parsing a block mapping": phrase("yaml-block-mapping"),
    "while parsing a flow sequence": phrase("yaml-flow-sequence"),
}
# What libyaml says it expected instead of what it found ("expected <block end>, but
# found '<scalar>'").
_YAML_EXPECTED = {
    "<block end>": phrase("yaml-block-end"),
    "<document start>": phrase("yaml-document-start"),
    "a comment or a line break": phrase("yaml-comment-or-line-break"),
}


def _yaml_problem(text: str) -> Words:
    """libyaml's ``problem`` worded, or as it says it when it is none of the usual."""
    known = _YAML_PROBLEMS.get(text)
    if known is not None:
        return known
    wanted, but, found = text.partition(", but found ")
    expected = _YAML_EXPECTED.get(wanted.removeprefix("expected "))
    if but and expected is not None and len(found) > 1 and found[0] == found[-1] == "'":
        return phrase("yaml-but-found", expected=expected, found=found[1:-1])
    return text


def _problem(
    name: str, line: int | None, message: Phrase, expected: Phrase, found: Words
) -> InvalidInput:
    return InvalidInput("file", [Problem((), message, expected, found, line=line, file=name)])


def _text(raw: bytes, name: str) -> str:
    if b"\0" in raw[:8192]:
        raise _problem(
            name, None, phrase("binary-file"), phrase("expected-text-file"), phrase("binary-data")
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise _problem(
            name,
            line,
            phrase("not-utf8"),
            phrase("expected-text-file"),
            phrase("found-not-utf8", byte=f"{raw[error.start]:02x}", offset=error.start),
        ) from None


def _with_stand_ins(text: str) -> tuple[str, bool]:
    """``text`` with each raw control character replaced by its private-use stand-in,
    and whether there was any (and no stand-in was there already)."""
    if first_control(text) is None or _STAND_INS.search(text):
        return text, False
    table = {ord(char): _STAND_IN + ord(char) for char in _CONTROLS}
    return text.translate(table), True


def _check_json(text: str, name: str) -> None:
    """Refuse text that is not JSON. Numbers are kept as text here: the loader
    bounds them with their lines."""
    try:
        json.loads(text, parse_int=str, parse_float=str, parse_constant=str)
    except json.JSONDecodeError as error:
        raise _problem(
            name,
            error.lineno,
            phrase("not-json"),
            phrase("expected-json"),
            phrase(
                "found-at-column", what=_JSON_PROBLEMS.get(error.msg, error.msg), column=error.colno
            ),
        ) from None
    except RecursionError:
        raise _too_deep(name, _too_deep_line(text)) from None


def _compose(text: str, name: str, json_format: bool) -> tuple[Any, _Loader]:
    """The data of ``text`` and the loader that built it (with its lines)."""
    if json_format:
        _check_json(text, name)
    loader = (_JsonLoader if json_format else _Loader)(text)
    try:
        node = loader.get_single_node()
        data = loader.build(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        what = _yaml_problem((error.problem or error.context or "unreadable YAML").strip())
        raise _problem(name, line, phrase("not-yaml"), phrase("expected-yaml"), what) from None
    except yaml.YAMLError as error:
        raise _problem(
            name, None, phrase("not-yaml"), phrase("expected-yaml"), str(error)
        ) from None
    except RecursionError:
        raise _too_deep(name, _too_deep_line(text)) from None
    finally:
        loader.dispose()
    return data, loader


def _raw_control(text: str, name: str) -> InvalidInput:
    """The first raw control character of ``text``, where a field cannot be named."""
    index = first_control(text) or 0
    start = text.rfind("\n", 0, index) + 1
    return _problem(
        name,
        text.count("\n", 0, index) + 1,
        phrase("control-character"),
        phrase("expected-no-control"),
        phrase("found-control-at-column", code=f"{ord(text[index]):04X}", at=index - start + 1),
    )


def parse_text(text: str, name: str, json_format: bool = False) -> Document:
    """Parse YAML (or JSON, a subset of YAML) text into a :class:`Document`."""
    original = text
    text, stand_ins = _with_stand_ins(text)
    if _may_nest_too_deeply(
        text, _classes(text), trust_brackets=json_format, block=not json_format
    ):
        deep = _too_deep_line(text)
        if deep is not None:
            raise _too_deep(name, deep)
    try:
        data, loader = _compose(text, name, json_format)
    except InvalidInput as error:
        if stand_ins and error.problems[0].code in ("not-yaml", "not-json"):
            raise _raw_control(original, name) from None  # what breaks the syntax, likely
        raise
    document = Document(name, data, loader.lines)
    problems: list[Problem] = []
    if loader.duplicates:
        paths = _paths_to(data, {owner for _, _, owner in loader.duplicates})
        problems.extend(
            Problem(
                _shown((*paths.get(owner, ()), key)),
                phrase("duplicate-key"),
                phrase("expected-key-once"),
                phrase("found-second-time", key=repr(printable(key))),
                line=line,
                file=name,
            )
            for line, key, owner in loader.duplicates
        )
    if loader.refused or stand_ins or _may_hold_controls(text):
        problems.extend(
            Problem(_shown(path), r.message, r.expected, r.found, line=line, file=name)
            for path, line, r in _refusals(data, loader.lines, stand_ins=stand_ins)
        )
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise InvalidInput("file", problems)
    return document


# --- the fast path ---------------------------------------------------------------------

# Escapes that make a control character: YAML's \0 \a \b \e \f \v \N and \x \u \U
# codes below U+00A0 that are not tab or line breaks; JSON's \b \f and \u00XX.
_CONTROL_ESCAPE = re.compile(
    r"\\(?:[0abefvN]|(?:x|u00|U000000)(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F]))"
)


_NUMBER_CHARS = bytes.maketrans(b"deh", b"xxx")
_NUMBER_RUN = b"x" * 84  # 84 hexadecimal or 101 decimal digits reach 10^100
_LONG_DECIMAL = b"d" * (MAX_INT_DIGITS + 1)
_NON_FINITE_WORD = re.compile(r"\.(?:inf|Inf|INF|nan|NaN|NAN)")


def _may_hold_controls(text: str) -> bool:
    """Whether a string of ``text`` may hold a control character once parsed."""
    return first_control(text) is not None or (
        "\\" in text and _CONTROL_ESCAPE.search(text) is not None
    )


def _suspect_values(text: str, classes: bytes, json_format: bool) -> bool:
    """Whether the fast parser's data may hold a refused value: a control character,
    a non-finite number or an integer past MAX_INT_DIGITS digits (False means it does
    not). A few C-speed passes over the bytes; the data is walked only if so."""
    if b"c" in classes or b"Ck" in classes:
        return True
    if "\\" in text and _CONTROL_ESCAPE.search(text) is not None:
        return True
    if json_format:  # orjson refuses Infinity, NaN and overflowing numbers itself
        return False
    if b"deddd" in classes or _NON_FINITE_WORD.search(text) is not None:
        return True
    return _NUMBER_RUN in classes.translate(_NUMBER_CHARS)


def _json_duplicates(text: str, data: Any) -> bool:
    """Whether JSON ``text`` may repeat a key that orjson silently dropped.

    Every key is followed by one colon; a colon in a string stays one colon, in
    ``text`` (written ``:`` or ``\\u003a``, counted generously) and in orjson's
    compact output of ``data``. A dropped key takes its colon, and its value's, away.
    """
    colons = text.count(":")
    if "\\u003" in text:
        colons += text.count("\\u003a") + text.count("\\u003A")
    try:
        return colons != orjson.dumps(data).count(b":")
    except orjson.JSONEncodeError:
        return True


def fast_data(text: str, json_format: bool = False) -> Any | None:
    """The data of ``text`` from a fast parser, or None if it will not read it.

    The fast parsers (orjson; yaml-rs, a YAML 1.2 parser in Rust) are several times
    quicker than libyaml on large files but keep no lines. Callers use this data
    only when it validates, and otherwise parse again with :func:`parse_text`,
    whose answer, lines and messages are authoritative. So this says None for
    anything :func:`parse_text` refuses: nesting that may be too deep (looked at
    before parsing: yaml-rs would crash), duplicate keys (orjson keeps the last),
    control characters, non-finite numbers and integers too long.
    """
    classes = _classes(text)
    try:
        if json_format:  # orjson stops at 1,024 nested levels by itself
            data = orjson.loads(text)
            if _json_duplicates(text, data):
                return None
        else:
            if _may_nest_too_deeply(text, classes, trust_brackets=True):
                return None
            data = yaml_rs.loads(text)
    except (orjson.JSONDecodeError, yaml_rs.YAMLDecodeError, RecursionError, ValueError):
        return None
    if json_format and _LONG_DECIMAL in classes:
        return None  # orjson reads long integers as floats: leave them to the loader
    if _suspect_values(text, classes, json_format) and next(_refusals(data), None) is not None:
        return None
    return data


# --- files -----------------------------------------------------------------------------

_MIB = 1024 * 1024
_CHUNK = 1 << 20  # what is read at a time from a stream


def _size(count: int, exact: bool = True) -> Phrase:
    """A size as the docs state limits: in MiB (whole ones for a limit), or bytes."""
    if count < _MIB:
        return phrase("size-bytes", count=count)
    if exact and count % _MIB == 0:
        return phrase("size-mib", count=count // _MIB)
    return phrase("size-mib", count=f"{count / _MIB:.1f}")


def _too_large(name: str, max_bytes: int, found: Phrase) -> InvalidInput:
    expected = phrase("at-most-size", size=_size(max_bytes))
    return _problem(name, None, phrase("file-too-large"), expected, found)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """At most ``max_bytes`` of ``path``; refused past that, whatever ``stat`` says
    (``/dev/zero`` or a pipe have no size). A FIFO is opened without waiting for a
    writer: with none, it reads as empty; with one (``<(cat estate.yaml)``), whole."""
    name = str(path)
    nonblocking = getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, os.O_RDONLY | nonblocking | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(name)
        regular = stat.S_ISREG(info.st_mode)
        if regular and info.st_size > max_bytes:
            raise _too_large(name, max_bytes, _size(info.st_size, exact=False))
        if nonblocking:
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while True:
            want = info.st_size + 1 - total if regular and total <= info.st_size else _CHUNK
            chunk = os.read(fd, min(want, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise _too_large(name, max_bytes, phrase("more-than-size", size=_size(max_bytes)))
            if len(chunks) == 1 and b"\0" in chunk[:8192]:
                break  # binary, as _text will say: no need to read on
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The text of ``path``; raise :class:`InvalidInput` naming the file if it is not
    a readable, reasonably sized, non-empty UTF-8 text file."""
    name = str(path)
    try:
        raw = _read_bytes(path, max_bytes)
    except IsADirectoryError:
        raise _problem(
            name,
            None,
            phrase("not-a-file"),
            phrase("expected-yaml-or-json-file"),
            phrase("a-directory"),
        ) from None
    except FileNotFoundError:
        raise _problem(
            name,
            None,
            phrase("no-such-file"),
            phrase("expected-existing-file"),
            phrase("nothing-at-path"),
        ) from None
    except OSError as error:
        raise _problem(
            name,
            None,
            phrase("cannot-read-file"),
            phrase("expected-readable-file"),
            os_reason(error),
        ) from None
    text = _text(raw, name)
    if not text.strip():
        raise _problem(
            name,
            1,
            phrase("empty-file"),
            phrase("expected-yaml-or-json"),
            phrase("found-empty-file"),
        )
    return text


def is_json(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def read_document(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read and parse ``path``; raise :class:`InvalidInput` naming the file on failure."""
    return parse_text(read_text(path, max_bytes), str(path), json_format=is_json(path))
