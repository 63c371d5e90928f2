"""The data shipped with souverain (methodology, catalog) and the user's overrides."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

# The words of the terms a reason names (a transfer mechanism, a duration) come from the
# wording data: loading the data a score needs installs them (souverain.core.terms).
from souverain import wording as _wording  # noqa: F401
from souverain.core.catalog.model import Catalog, CatalogDocument, build_catalog
from souverain.core.errors import InvalidInput, Problem, os_reason
from souverain.core.estate.validation import parse_model
from souverain.core.phrase import Phrase, Words, phrase
from souverain.core.scoring.audit import check_methodology
from souverain.core.scoring.methodology import Methodology, methodology_problems
from souverain.core.scoring.rules import SIGNATURES
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


CATALOG_SUFFIXES = (".yaml", ".yml", ".json")
"""What a catalog file's name ends with, in any case (``providers.YAML`` is read too)."""

_KIND_OF_FILE = (
    (stat.S_ISDIR, phrase("a-directory")),
    (stat.S_ISFIFO, phrase("a-fifo")),
    (stat.S_ISCHR, phrase("a-character-device")),
    (stat.S_ISBLK, phrase("a-block-device")),
    (stat.S_ISSOCK, phrase("a-socket")),
)


def _catalog_files(directory: Path) -> tuple[list[Path], list[Problem]]:
    """The catalog files under ``directory`` and its sub-folders, in path order, and
    the problems of the folder: not a directory, a sub-folder that cannot be listed,
    a name ending like a catalog file that is not a regular file (a FIFO would block,
    a device never end), no catalog file at all.

    Symbolic links to files are followed; links to folders are not walked, as before.
    """
    if not directory.is_dir():
        return [], [_missing_dir(directory)]
    problems: list[Problem] = []
    files: list[Path] = []
    others: list[str] = []

    def unlistable(error: OSError) -> None:
        problems.append(
            Problem(
                (),
                phrase("cannot-read-directory"),
                phrase("expected-readable-directory"),
                os_reason(error),
                file=str(error.filename or directory),
            )
        )

    for folder, subfolders, names in os.walk(directory, onerror=unlistable):
        for name in subfolders:  # os.walk lists folders apart: one named like a file
            if name.lower().endswith(CATALOG_SUFFIXES):
                problems.append(_not_a_file(Path(folder, name), phrase("a-directory")))
        for name in names:
            path = Path(folder, name)
            if not name.lower().endswith(CATALOG_SUFFIXES):
                others.append(str(path.relative_to(directory)))
                continue
            problem = _not_regular(path)
            if problem:
                problems.append(problem)
            else:
                files.append(path)
    if not files and not problems:
        problems.append(_no_catalog_file(directory, sorted(others)))
    return sorted(files), problems


def _not_regular(path: Path) -> Problem | None:
    """Why ``path`` cannot be read as a catalog file, if it cannot."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return _not_a_file(path, phrase("nothing-at-path"), phrase("no-such-file"))
    except OSError as error:
        return Problem(
            (),
            phrase("cannot-read-file"),
            phrase("expected-readable-file"),
            os_reason(error),
            file=str(path),
        )
    if stat.S_ISREG(mode):
        return None
    found = next((what for test, what in _KIND_OF_FILE if test(mode)), phrase("not-a-regular-file"))
    return _not_a_file(path, found)


def _not_a_file(path: Path, found: Words, message: Phrase | None = None) -> Problem:
    return Problem(
        (),
        message or phrase("not-a-regular-file"),
        phrase("expected-regular-file"),
        found,
        file=str(path),
    )


_SHOWN = 5  # names of other files quoted when a folder has no catalog file


def _no_catalog_file(directory: Path, others: list[str]) -> Problem:
    if not others:
        found = phrase("nothing")
    else:
        shown = ", ".join(others[:_SHOWN]) + (", …" if len(others) > _SHOWN else "")
        found = phrase("only-other-files", files=shown)
    return Problem(
        (),
        phrase("no-catalog-file"),
        phrase("expected-catalog-files"),
        found,
        file=str(directory),
    )


def _missing_dir(directory: Path) -> Problem:
    return Problem(
        (),
        phrase("not-a-catalog-directory"),
        phrase("expected-catalog-directory"),
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
    """The catalog's documents, layer by layer: the shipped one, then each of ``extra``.

    Every file is read: if any folder or file has a problem, :class:`InvalidInput`
    carries all of them, with the problems of the entries of the files that could
    be read (not their references, which the unread files may define).
    """
    layers: list[list[Document]] = [shipped_catalog_documents()]
    problems: list[Problem] = []
    for directory in extra:
        files, found = _catalog_files(directory)
        problems.extend(found)
        layer = []
        for path in files:
            try:
                layer.append(read_document(path))
            except InvalidInput as error:
                problems.extend(error.problems)
        layers.append(layer)
    if problems:
        try:
            build_catalog(
                [[CatalogDocument(d.name, d.data) for d in layer] for layer in layers],
                references=False,
            )
        except InvalidInput as error:
            problems.extend(locate_in(layers, error.problems))
        raise InvalidInput("catalog", problems)
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
        files, problems = _catalog_files(directory)
        if problems:
            raise InvalidInput("catalog", problems)
        layers.append([_fast_document(read_text(p), str(p), is_json(p)) for p in files])
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
