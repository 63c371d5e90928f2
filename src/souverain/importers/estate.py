"""Load an estate from a YAML or JSON file."""

from __future__ import annotations

from pathlib import Path

from souverain.core.errors import InvalidInput
from souverain.core.model import Estate
from souverain.core.validation import check_estate
from souverain.importers.document import MAX_BYTES, read_document


def load_estate(path: Path, max_bytes: int = MAX_BYTES) -> Estate:
    """The estate in ``path``; :class:`InvalidInput` with every located problem otherwise."""
    document = read_document(path, max_bytes)
    estate, problems = check_estate(document.data)
    if estate is None:
        located = document.locate(problems)
        # Stable sort: problems keep section order, and within an entry follow the lines.
        order = {p.path[:2]: n for n, p in reversed(list(enumerate(located)))}
        located.sort(key=lambda p: (order[p.path[:2]], p.line or 0))
        raise InvalidInput("estate", located)
    return estate
