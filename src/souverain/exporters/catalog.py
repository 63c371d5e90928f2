"""``souverain catalog``'s JSON documents: an entry (``show``), matches (``match``)
and a validation report (``validate``); their names are a contract (docs/catalog.md).

The CLI prints them as JSON, or lays the same documents out as tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel

from souverain.core.catalog.matching import MatchResult
from souverain.core.catalog.model import Catalog, CatalogProvider, Product
from souverain.core.errors import Problem
from souverain.i18n import Lang, problem_text


def entry_name(entry: BaseModel, lang: Lang) -> str:
    """A catalog entry's name in ``lang`` (English when it has none), else its id."""
    name = getattr(entry, "name", None)
    if isinstance(name, dict):
        return str(name.get(lang) or name.get("en") or "")
    return str(name) if name else str(getattr(entry, "id", ""))


def entry_country(catalog: Catalog, entry: BaseModel) -> str | None:
    """The country of a provider, of a product's provider, or a jurisdiction's own."""
    if isinstance(entry, CatalogProvider):
        return entry.country.value if entry.country else None
    if isinstance(entry, Product):
        provider = catalog.providers.get(entry.provider)
        return provider.country.value if provider and provider.country else None
    ident = getattr(entry, "id", None)
    return str(ident) if entry.__class__.__name__ == "Jurisdiction" else None


def entry_document(catalog: Catalog, kind: str, ident: str, lang: Lang) -> dict[str, Any]:
    """One entry (``catalog show``): its name, country, owner chain, the sources of
    its facts, the file it comes from and the entry itself."""
    entry = catalog.table(kind)[ident]
    chain: list[CatalogProvider] = []
    document: dict[str, Any] = {"id": ident, "kind": kind, "name": entry_name(entry, lang)}
    if isinstance(entry, CatalogProvider):
        chain = catalog.owner_chain(ident)[1:]
    elif isinstance(entry, Product):
        provider = catalog.providers[entry.provider]
        document["provider"] = entry.provider
        document["provider_name"] = provider.name
        chain = catalog.owner_chain(entry.provider)
    document["country"] = entry_country(catalog, entry)
    document["owner_chain"] = [
        {"id": p.id, "name": p.name, "country": p.country.value if p.country else None}
        for p in chain
    ]
    document["sources"] = [
        {"field": name or None, "source": fact.source, "as_of": fact.as_of.isoformat()}
        for name, fact in _distinct_facts(entry)
    ]
    origin = catalog.origins.get((kind, ident))
    document["file"] = origin[0] if origin else None
    document["entry"] = entry.model_dump(mode="json", exclude_none=True, by_alias=True)
    return document


def _distinct_facts(entry: BaseModel) -> list[tuple[str, Any]]:
    """The entry's facts, one per distinct (source, date)."""
    from souverain.core.catalog.checks import iter_facts

    seen: set[tuple[str, date]] = set()
    out_facts = []
    for name, fact in iter_facts(entry):
        if (fact.source, fact.as_of) not in seen:
            seen.add((fact.source, fact.as_of))
            out_facts.append((name, fact))
    return out_facts


def match_document(result: MatchResult) -> dict[str, Any]:
    """The entries a free-text name may mean (``catalog match``)."""
    return {
        "query": result.query,
        "ambiguous": result.ambiguous,
        "matches": [
            {
                "id": m.id,
                "kind": m.kind,
                "name": m.name,
                "confidence": m.confidence,
                "matched": m.matched,
            }
            for m in result.matches
        ],
    }


def validation_document(
    errors: Sequence[Problem], warnings: Sequence[Problem], lang: Lang
) -> dict[str, Any]:
    """``catalog validate``'s report: each problem located, worded in ``lang``."""

    def item(problem: Problem) -> dict[str, Any]:
        return {
            "file": problem.file or None,
            "line": problem.line,
            "field": problem.field(),
            "message": problem_text(lang, problem.message),
            "expected": problem_text(lang, problem.expected),
            "found": problem_text(lang, problem.found),
        }

    return {
        "valid": not errors,
        "errors": [item(p) for p in errors],
        "warnings": [item(p) for p in warnings],
    }
