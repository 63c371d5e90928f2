"""Read a YAML or JSON file into plain data, remembering the line of every value.

Estates, catalog files and methodologies all go through :func:`read_document`,
so that every error anywhere can name its file and line.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson
import yaml
import yaml_rs

from souverain.core.errors import InvalidInput, Problem

MAX_BYTES = 64 * 1024 * 1024  # an estate of 100,000 assets is ~40 MB of YAML


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


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# First characters with which a plain scalar may be something other than text.
_MAYBE_TYPED = frozenset("-+0123456789.<~nN=tTfF")
MAX_FLOW_DEPTH = 1000  # libyaml's recursive composer overflows the C stack far above this


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """A safe loader that records lines, rejects duplicate keys and reads
    booleans the YAML 1.2 way (``NO`` is Norway, not false).

    libyaml composes the node tree; :meth:`build` turns it into plain data in one
    tight pass, which is several times faster than PyYAML's generic constructor
    on large estates.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.lines: dict[int, Any] = {}
        self.duplicates: list[tuple[int, str, int]] = []  # line, key, id of the mapping
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
        if tag == "tag:yaml.org,2002:int":
            return _yaml12_int(str(node.value))
        constructor = self.yaml_constructors.get(tag)
        if constructor is None or tag in (_MAP, _SEQ):
            raise yaml.constructor.ConstructorError(
                None, None, f"unsupported tag {tag!r}", node.start_mark
            )
        return constructor(self, node)


# Plain scalars are read the YAML 1.2 way, as yaml-rs (the fast path) reads them:
# booleans are only true/false (NO is Norway), 012 is twelve, 0o12 is octal, 1e3 a
# number and 12:30 text. Like yaml-rs, digits may be grouped with underscores.
_RESOLVED_HERE = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
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
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[01_]+|[-+]?0o[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[0-9][0-9_]*)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"""^(?:[-+]?(?:\.[0-9][0-9_]*|[0-9][0-9_]*\.[0-9_]*)(?:[eE][-+]?[0-9]+)?
        |[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+0123456789."),
)


def _yaml12_int(value: str) -> int:
    digits = value.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    digits = digits.lstrip("+-")
    for prefix, base in (("0b", 2), ("0o", 8), ("0x", 16)):
        if digits.startswith(prefix):
            return sign * int(digits[2:], base)
    return sign * int(digits, 10)


_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_depth_line(text: str) -> int | None:
    """The line where bracket nesting first exceeds :data:`MAX_FLOW_DEPTH`, if it does."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                return text.count("\n", 0, match.start()) + 1
        elif depth:
            depth -= 1
    return None


def _path_to(data: Any, target: int) -> tuple[str | int, ...]:
    """The path of the container whose id is ``target`` (only used to report errors)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if id(node) == target:
            return path
        if isinstance(node, dict):
            stack.extend((v, (*path, str(k))) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(node))
    return ()


def _problem(name: str, line: int | None, message: str, expected: str, found: str) -> InvalidInput:
    return InvalidInput("file", [Problem((), message, expected, found, line=line, file=name)])


def _text(raw: bytes, name: str) -> str:
    if b"\0" in raw[:8192]:
        raise _problem(name, None, "binary file", "a UTF-8 text file (YAML or JSON)", "binary data")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise _problem(
            name,
            line,
            "not UTF-8 text",
            "a UTF-8 text file (YAML or JSON)",
            f"byte 0x{raw[error.start]:02x} at offset {error.start}, which is not UTF-8",
        ) from None


def parse_text(text: str, name: str, json_format: bool = False) -> Document:
    """Parse YAML (or JSON, a subset of YAML) text into a :class:`Document`."""
    if json_format:
        try:
            json.loads(text)
        except json.JSONDecodeError as error:
            raise _problem(
                name,
                error.lineno,
                "not valid JSON",
                "a JSON document",
                f"{error.msg} (column {error.colno})",
            ) from None
    deep = _flow_depth_line(text)
    if deep is not None:
        raise _problem(
            name,
            deep,
            "nested too deeply",
            f"at most {MAX_FLOW_DEPTH} nested brackets",
            "deeper nesting",
        )
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.build(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        what = (error.problem or error.context or "unreadable YAML").strip()
        raise _problem(name, line, "not valid YAML", "a YAML (or JSON) document", what) from None
    except yaml.YAMLError as error:
        raise _problem(
            name, None, "not valid YAML", "a YAML (or JSON) document", str(error)
        ) from None
    except RecursionError:
        raise _problem(
            name,
            None,
            "nested too deeply",
            "a YAML (or JSON) document",
            "thousands of nested levels",
        ) from None
    finally:
        loader.dispose()
    document = Document(name, data, loader.lines)
    if loader.duplicates:
        raise InvalidInput(
            "file",
            [
                Problem(
                    (*_path_to(data, owner), key),
                    "duplicate key",
                    "each key once per mapping",
                    f"{key!r} a second time",
                    line=line,
                    file=name,
                )
                for line, key, owner in loader.duplicates
            ],
        )
    return document


def fast_data(text: str, json_format: bool = False) -> Any | None:
    """The data of ``text`` from a fast parser, or None if it will not read it.

    The fast parsers (orjson; yaml-rs, a YAML 1.2 parser in Rust) are several times
    quicker than libyaml on large files but keep no lines. Callers use this data
    only when it validates, and otherwise parse again with :func:`parse_text`,
    whose answer, lines and messages are authoritative. Deep nesting is refused
    first, as in :func:`parse_text`.
    """
    if _flow_depth_line(text) is not None:
        return None
    try:
        if json_format:
            return orjson.loads(text)
        return yaml_rs.loads(text)
    except (orjson.JSONDecodeError, yaml_rs.YAMLDecodeError, RecursionError, ValueError):
        return None


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The text of ``path``; raise :class:`InvalidInput` naming the file if it is not
    a readable, reasonably sized, non-empty UTF-8 text file."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _problem(
                name,
                None,
                "file too large",
                f"at most {max_bytes / 1e6:.0f} MB",
                f"{size / 1e6:.1f} MB",
            )
        raw = path.read_bytes()
    except IsADirectoryError:
        raise _problem(name, None, "not a file", "a YAML or JSON file", "a directory") from None
    except FileNotFoundError:
        raise _problem(
            name, None, "no such file", "an existing file", "nothing at this path"
        ) from None
    except OSError as error:
        raise _problem(
            name, None, "cannot read file", "a readable file", error.strerror or str(error)
        ) from None
    text = _text(raw, name)
    if not text.strip():
        raise _problem(name, 1, "empty file", "a YAML or JSON document", "an empty file")
    return text


def is_json(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def read_document(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read and parse ``path``; raise :class:`InvalidInput` naming the file on failure."""
    return parse_text(read_text(path, max_bytes), str(path), json_format=is_json(path))
