"""The data shipped with souverain (methodology, catalog) and the user's overrides."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from souverain.core.audit import check_methodology
from souverain.core.catalog import Catalog, CatalogDocument, build_catalog
from souverain.core.errors import InvalidInput, Problem
from souverain.core.methodology import Methodology, methodology_problems
from souverain.core.rules import SIGNATURES
from souverain.core.validation import parse_model
from souverain.importers.document import (
    Document,
    fast_data,
    is_json,
    parse_text,
    read_document,
    read_text,
)

DATA = resources.files("souverain") / "data"


def _shipped(name: str) -> Document:
    resource = DATA / name
    return parse_text(resource.read_text(encoding="utf-8"), f"<souverain>/data/{name}")


def load_methodology(path: Path | None = None) -> Methodology:
    """The shipped methodology, or the one in ``path``.

    Beyond its types, each rule is checked against its predicate's signature (its
    parameters, the fields of its text), and every other text against its fields.
    """
    document = read_document(path) if path else _shipped("methodology.yaml")
    try:
        methodology = parse_model(Methodology, document.data, "methodology")
        problems = methodology_problems(methodology, SIGNATURES)
        if problems:
            raise InvalidInput("methodology", problems)
        check_methodology(methodology)
        return methodology
    except InvalidInput as error:
        raise InvalidInput(error.kind, document.locate(error.problems)) from None


def _catalog_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise InvalidInput("catalog", [_missing_dir(directory)])
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))


def _missing_dir(directory: Path) -> Problem:
    return Problem(
        (),
        "not a catalog directory",
        "a directory of catalog YAML files",
        str(directory),
        file=str(directory),
    )


def _shipped_names(folder: str) -> list[str]:
    """Every YAML file under ``data/folder``, sub-folders included, in path order."""
    names: list[str] = []
    for entry in (DATA / folder).iterdir():
        if entry.is_dir():
            names.extend(_shipped_names(f"{folder}/{entry.name}"))
        elif entry.name.endswith(".yaml"):
            names.append(f"{folder}/{entry.name}")
    return sorted(names)


def shipped_catalog_documents() -> list[Document]:
    return [_shipped(name) for name in _shipped_names("catalog")]


def catalog_documents(extra: Sequence[Path] = ()) -> list[list[Document]]:
    """The catalog's documents, layer by layer: the shipped one, then each of ``extra``."""
    layers: list[list[Document]] = [shipped_catalog_documents()]
    for directory in extra:
        layers.append([read_document(p) for p in _catalog_files(directory)])
    return layers


def _fast_document(text: str, name: str, json_format: bool = False) -> Document:
    """Data from the fast parser, without lines; the line-keeping one if it refuses."""
    data = fast_data(text, json_format)
    return Document(name, data) if data is not None else parse_text(text, name, json_format)


def _fast_catalog_documents(extra: Sequence[Path]) -> list[list[Document]]:
    shipped = [
        _fast_document((DATA / name).read_text(encoding="utf-8"), f"<souverain>/data/{name}")
        for name in _shipped_names("catalog")
    ]
    layers = [shipped]
    for directory in extra:
        layers.append(
            [_fast_document(read_text(p), str(p), is_json(p)) for p in _catalog_files(directory)]
        )
    return layers


def load_catalog(extra: Sequence[Path] = ()) -> Catalog:
    """The shipped catalog, with each directory of ``extra`` merged over it in order.

    Read by the fast parser; a catalog with any problem is read again by the
    line-keeping parser, so that every problem names its line.
    """
    try:
        return build_catalog(
            [
                [CatalogDocument(d.name, d.data) for d in layer]
                for layer in _fast_catalog_documents(extra)
            ]
        )
    except InvalidInput:
        return catalog_from_documents(catalog_documents(extra))


def locate_in(layers: Iterable[list[Document]], problems: Iterable[Problem]) -> list[Problem]:
    """Problems with the line of their entry in its catalog document."""
    by_name = {d.name: d for layer in layers for d in layer}
    located = []
    for problem in problems:
        document = by_name.get(problem.file or "")
        located.extend(document.locate([problem]) if document else [problem])
    return located


def catalog_from_documents(layers: Iterable[list[Document]]) -> Catalog:
    """Build a catalog from parsed documents, layer over layer, with located errors."""
    layers = list(layers)
    try:
        return build_catalog([[CatalogDocument(d.name, d.data) for d in layer] for layer in layers])
    except InvalidInput as error:
        raise InvalidInput(error.kind, locate_in(layers, error.problems)) from None
