"""Choosing the alternative an exit plan targets: the estate's own choice if it names
one, else the catalog's best candidate (:func:`preference`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from souverain.core.catalog.model import Alternative, Catalog, Ring
from souverain.core.catalog.queries import is_european, is_open_source
from souverain.core.estate.model import Asset
from souverain.core.phrase import given, phrase
from souverain.core.planning.exit_plans.model import Note, Param, listed
from souverain.core.planning.radar import RING_IDS
from souverain.core.scoring.audit import Dependency
from souverain.core.vocabulary import LANGS

if TYPE_CHECKING:
    from souverain.core.planning.exit_plans.context import PlanContext

Preference = tuple[int, int, int, str, str]

_YES_NO = {True: "yes", False: "no", None: "unknown"}


def _unknown_last(value: bool | None) -> int:
    return 0 if value is True else 1 if value is None else 2


def preference(entry: Alternative, catalog: Catalog) -> Preference:
    """How the catalog's alternatives are ranked, best first: ring, then open source,
    then a European owner chain (unknowns after), then name. The roadmap's migrations
    try them in this order too."""
    product = catalog.products[entry.product]
    return (
        RING_IDS.index(entry.ring),
        _unknown_last(is_open_source(product)),
        _unknown_last(is_european(catalog, product.provider)),
        product.name.casefold(),
        product.id,
    )


def category_name(category: str | None, catalog: Catalog) -> Param:
    """A category's name from the catalog in each language; its id when unknown."""
    entry = catalog.categories.get(category) if category else None
    if entry is None:
        return category or "?"
    return given({lang: entry.name.get(lang) or entry.name.get("en") or entry.id for lang in LANGS})


@dataclass(frozen=True)
class Choice:
    product: str | None
    name: str | None
    ring: Ring | None
    considered: tuple[str, ...]
    notes: tuple[Note, ...]
    unmatched: str | None = None  # free text the catalog does not know


def choose(dep: Dependency, asset: Asset, context: PlanContext) -> Choice:
    """The target alternative: the estate's own choice if it names one, else the
    catalog's best candidate (ring, then open source, then European)."""
    catalog = context.catalog
    entries = [
        context.entries[(dep.category, p)]
        for p in context.candidates.get(dep.asset, ())
        if dep.category and (dep.category, p) in context.entries
    ]
    ranked = sorted((e for e in entries if e.ring != "hold"), key=context.preference)
    ranked_ids = [e.product for e in ranked]
    wanted = asset.exit.alternative if asset.exit else None
    ref = f"assets[{asset.id}].exit.alternative"
    if wanted:
        notes: list[Note] = []
        product_id: str | None = wanted if wanted in catalog.products else None
        if product_id is None:
            match = context.match(wanted)
            if match.best is not None:
                product_id = match.best.id
                text = phrase(
                    "why-matched",
                    wanted=wanted,
                    target=match.best.name,
                    confidence=f"{match.best.confidence:.0%}",
                )
                notes.append(Note(text, ref))
            else:
                names = listed([m.name for m in match.matches]) if match.ambiguous else ""
                candidates: Param = phrase("why-ambiguous", names=names) if names else ""
                notes.append(
                    Note(phrase("why-unmatched", wanted=wanted, candidates=candidates), ref)
                )
                return Choice(None, wanted, None, tuple(ranked_ids), tuple(notes), wanted)
        product = catalog.products[product_id]
        entry = context.entries.get((dep.category or "", product_id))
        if not notes:
            notes.append(Note(phrase("why-named", target=product.name), ref))
        if entry is not None and entry.ring == "hold":
            notes.append(
                Note(
                    phrase("why-held", target=product.name),
                    f"catalog alternative {entry.id}: ring",
                    entry.source,
                    entry.as_of,
                )
            )
        return Choice(
            product_id,
            product.name,
            entry.ring if entry else None,
            tuple(p for p in ranked_ids if p != product_id),
            tuple(notes),
        )
    if not ranked:
        if not dep.category:
            note = Note(phrase("why-no-category", name=dep.name), f"assets[{asset.id}].category")
        else:
            category = category_name(dep.category, catalog)
            note = Note(phrase("why-none", category=category), f"assets[{asset.id}].category")
        return Choice(None, None, None, (), (note,))
    best = ranked[0]
    product = catalog.products[best.product]
    note = Note(
        phrase(
            "why-catalog",
            target=product.name,
            ring=phrase(f"ring-{best.ring}"),
            category=category_name(dep.category, catalog),
            open=phrase(f"open-{_YES_NO[is_open_source(product)]}"),
            european=phrase(f"european-{_YES_NO[is_european(catalog, product.provider)]}"),
        ),
        f"catalog alternative {best.id}",
        best.source,
        best.as_of,
    )
    return Choice(best.product, product.name, best.ring, tuple(ranked_ids[1:]), (note,))
