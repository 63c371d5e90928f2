"""What ``souverain catalog validate`` and ``catalog stats`` look at.

Loading already refuses what cannot be used (schema, duplicate ids in a layer,
owners, providers, categories and products that do not exist, ownership cycles).
These checks go further, on a loaded catalog: references to standards, aliases
that two entries share, sources, dates in the future, licences that are neither
SPDX nor ``proprietary``, texts missing a language, categories without
alternatives, and the age of every fact.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel

from souverain.core.catalog.licences import LicenceError, normalise_licence
from souverain.core.catalog.matching import normalise
from souverain.core.catalog.model import KINDS, Catalog
from souverain.core.catalog.sourced import Sourced
from souverain.core.errors import Problem
from souverain.core.phrase import Phrase, Words, phrase


@dataclass
class CatalogReport:
    """What the checks found: errors fail ``validate``; warnings are shown."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def iter_facts(entry: BaseModel) -> Iterator[tuple[str, Sourced]]:
    """Every sourced fact of an entry: the entry itself, then its own-sourced
    fields and list items, each with the name of its field."""
    if isinstance(entry, Sourced):
        yield "", entry
    for name in type(entry).model_fields:
        value = getattr(entry, name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, Sourced):
                yield name, item


def stale_facts(catalog: Catalog, today: date, months: int) -> list[tuple[str, str, str, date]]:
    """(kind, id, field, as_of) of facts checked more than ``months`` months ago.

    A fact that inherits its entry's date is counted once, with the entry.
    """
    limit = _months_before(today, months)
    out = []
    for kind, table in catalog:
        for ident, entry in table.items():
            seen: set[tuple[str, date]] = set()
            for name, fact in iter_facts(entry):
                key = (fact.source, fact.as_of)
                if fact.as_of < limit and key not in seen:
                    seen.add(key)
                    out.append((kind, ident, name, fact.as_of))
    return out


def _months_before(day: date, months: int) -> date:
    """The day ``months`` months before ``day``; the first day Python knows if that is
    earlier (no fact is older than it)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    return date(year, month + 1, min(day.day, 28))


def check_catalog(catalog: Catalog, today: date) -> CatalogReport:
    """Every problem of a loaded catalog, each located by file and entry."""
    report = CatalogReport()

    def at(kind: str, ident: str, *path: str | int) -> tuple[str, tuple[str | int, ...]]:
        name, index = catalog.origins.get((kind, ident), ("", -1))
        return name, ("entries", index, *path) if index >= 0 else (f"{kind} {ident}", *path)

    def error(
        kind: str,
        ident: str,
        path: tuple[str | int, ...],
        message: Phrase,
        expected: Phrase,
        found: Words,
        warn: bool = False,
    ) -> None:
        file, where = at(kind, ident, *path)
        problem = Problem(where, message, expected, found, file=file)
        (report.warnings if warn else report.errors).append(problem)

    for product in catalog.products.values():
        for name in ("standards", "exports"):
            fact = getattr(product, name)
            for position, ref in enumerate(fact.value if fact else []):
                if catalog.standard(ref) is None:
                    error(
                        "product",
                        product.id,
                        (name, position),
                        phrase("unknown-standard"),
                        phrase("expected-standard"),
                        repr(ref),
                    )
        if product.licence and not _licence_ok(product.licence.value):
            error(
                "product",
                product.id,
                ("licence",),
                phrase("not-a-licence-id"),
                phrase("expected-catalog-licence"),
                repr(product.licence.value),
            )
    for alternative in catalog.alternatives.values():
        if alternative.category not in catalog.categories:
            error(
                "alternative",
                alternative.id,
                ("category",),
                phrase("unknown-category"),
                phrase("expected-catalog-category"),
                repr(alternative.category),
            )
        for lang in ("en", "fr"):
            if not alternative.notes.get(lang):
                error(
                    "alternative",
                    alternative.id,
                    ("notes", lang),
                    phrase("missing-text"),
                    phrase("expected-notes-en-fr"),
                    phrase("nothing"),
                )
    for category in catalog.categories.values():
        for lang in ("en", "fr"):
            if not category.name.get(lang):  # type: ignore[call-overload]
                error(
                    "category",
                    category.id,
                    ("name", lang),
                    phrase("missing-text"),
                    phrase("expected-name-en-fr"),
                    phrase("nothing"),
                )
    with_alternatives = {a.category for a in catalog.alternatives.values()}
    for category in catalog.categories.values():
        if category.id not in with_alternatives and category.holds_data:
            error(
                "category",
                category.id,
                ("id",),
                phrase("no-alternative"),
                phrase("expected-alternative"),
                phrase("found-none"),
                warn=True,
            )
    _check_aliases(catalog, error)
    for kind, table in catalog:
        for ident, entry in table.items():
            seen: set[tuple[str, date]] = set()
            for name, fact in iter_facts(entry):
                if (fact.source, fact.as_of) in seen:
                    continue  # inherited from the entry: reported with it
                seen.add((fact.source, fact.as_of))
                path = (name,) if name else ("source",)
                if not fact.source.strip():
                    error(
                        kind,
                        ident,
                        path,
                        phrase("missing-source"),
                        phrase("expected-source"),
                        phrase("found-empty-source"),
                    )
                if fact.as_of > today:
                    error(
                        kind,
                        ident,
                        (name or "as_of",),
                        phrase("date-in-future"),
                        phrase("expected-date-by", day=today.isoformat()),
                        fact.as_of.isoformat(),
                    )
    return report


def _licence_ok(value: str) -> bool:
    """Exactly ``proprietary`` or an SPDX expression as the SPDX list writes it."""
    try:
        return normalise_licence(value) == value
    except LicenceError:
        return False


_KINDS = {
    "provider": phrase("a-provider"),
    "product": phrase("a-product"),
    "standard": phrase("a-standard"),
}


def _check_aliases(catalog: Catalog, error: object) -> None:
    """Two entries of one kind known by the same name cannot be told apart."""
    for kind in ("provider", "product", "standard"):
        holders: dict[str, list[str]] = defaultdict(list)
        for ident, entry in catalog.table(kind).items():
            names = {
                normalise(n)
                for n in (ident, getattr(entry, "name", ""), *entry.aliases)  # type: ignore[attr-defined]
            }
            for key in names - {""}:
                holders[key].append(ident)
        for key, idents in sorted(holders.items()):
            if len(idents) > 1:
                first, *others = sorted(idents)
                for other in others:
                    error(
                        kind,
                        other,
                        ("aliases",),
                        phrase("name-shared"),  # type: ignore[operator]
                        phrase("expected-distinct-names"),
                        phrase("found-name-of", name=repr(key), kind=_KINDS[kind], other=first),
                    )


def catalog_stats(catalog: Catalog, today: date, months: int) -> dict[str, object]:
    """Counts per kind and per category, and how many facts are older than ``months``."""
    counts: dict[str, object] = {
        f"{kind}s" if kind != "category" else "categories": 0 for kind in KINDS
    }
    for kind, table in catalog:
        counts[f"{kind}s" if kind != "category" else "categories"] = len(table)
    products = Counter(p.category for p in catalog.products.values())
    alternatives = Counter(a.category for a in catalog.alternatives.values())
    stale = stale_facts(catalog, today, months)
    facts = sum(
        len({(f.source, f.as_of) for _, f in iter_facts(e)})
        for _, table in catalog
        for e in table.values()
    )
    return {
        **counts,
        "stale": len(stale),
        "stale_months": months,
        "facts": facts,
        "by_category": {
            c: {"products": products.get(c, 0), "alternatives": alternatives.get(c, 0)}
            for c in sorted(set(catalog.categories) | set(products) | set(alternatives))
        },
        "stale_by_kind": dict(Counter(kind for kind, *_ in stale)),
    }
