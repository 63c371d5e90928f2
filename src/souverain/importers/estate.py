"""Load an estate from a YAML or JSON file."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from souverain.core.errors import InvalidInput
from souverain.core.estate.model import Estate
from souverain.core.estate.validation import check_catalog_links, check_estate
from souverain.core.limits import MAX_FILE_BYTES
from souverain.importers.document import fast_data, is_json, parse_text, read_text


def load_estate(
    path: Path, max_bytes: int = MAX_FILE_BYTES, catalog_providers: Collection[str] | None = None
) -> Estate:
    """The estate in ``path``; :class:`InvalidInput` with every located problem otherwise.

    A valid estate is read once, by the fast parser. Anything else is parsed again
    by the line-keeping parser, whose data and problems are the ones reported.
    ``catalog_providers``: the catalog's provider ids, that ``catalog:`` links must name.
    """
    text = read_text(path, max_bytes)
    data = fast_data(text, is_json(path))
    if data is not None:
        estate, _ = check_estate(data)
        if estate is not None and not (
            catalog_providers is not None and check_catalog_links(estate, catalog_providers)
        ):
            return estate
    document = parse_text(text, str(path), json_format=is_json(path))
    estate, problems = check_estate(document.data)
    if estate is not None and catalog_providers is not None:
        problems = check_catalog_links(estate, catalog_providers)
        estate = None if problems else estate
    if estate is None:
        located = document.locate(problems)
        # Stable sort: problems keep section order, and within an entry follow the lines.
        order = {p.path[:2]: n for n, p in reversed(list(enumerate(located)))}
        located.sort(key=lambda p: (order[p.path[:2]], p.line or 0))
        raise InvalidInput("estate", located)
    return estate
