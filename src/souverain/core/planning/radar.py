"""The tech radar (docs/radar.md): what could replace the estate's dependencies.

Two views of one audit, both laid out on the same four quadrants and four rings:

- :func:`alternatives_radar` — the catalog's alternatives that fit the estate's
  dependencies, one blip per alternative product, each linked to the assets it could
  replace. The ring is the catalog's editorial ring (adopt, trial, assess, hold).
- :func:`dependencies_radar` — the estate's current dependencies, one blip each, the
  ring derived from the audit's risk level (:data:`RING_OF_LEVEL`).

A blip's quadrant is the ``quadrant`` of its category in the catalog. A dependency
whose category is unknown (left out of the estate and not given by a catalog product),
or whose category names no quadrant of the radar, goes to *business applications*
(:data:`FALLBACK_QUADRANT`): an asset the inventory does not classify is most often an
application the business named, not a piece of infrastructure.

Nothing here knows how a radar is drawn or written, nor its words: names and
descriptions are phrases (:class:`~souverain.core.errors.Phrase`), worded in
``data/locales/radar.<lang>.yaml``; the exporters do that.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from souverain.core.catalog.model import Alternative, Catalog, Ring, Text
from souverain.core.phrase import GIVEN, Phrase, phrase
from souverain.core.scoring.audit import AuditResult, Dependency
from souverain.core.vocabulary import LANGS, Level

RadarView = Literal["alternatives", "dependencies"]
RADAR_VIEWS: tuple[RadarView, ...] = ("alternatives", "dependencies")
# A phrase that carries its words in each language (text from the catalog), worded
# as it is by souverain.wording.


@dataclass(frozen=True)
class Quadrant:
    """One of the four quadrants, with its name."""

    id: str
    name: Phrase


@dataclass(frozen=True)
class RingInfo:
    """One of the four rings, from the centre outwards."""

    id: Ring
    name: Phrase


QUADRANTS: tuple[Quadrant, ...] = tuple(
    Quadrant(ident, phrase(f"radar-quadrant-{ident}"))
    for ident in ("collaboration", "business-applications", "infrastructure", "data-identity")
)
RINGS: tuple[RingInfo, ...] = tuple(
    RingInfo(ring, phrase(f"radar-ring-{ring}")) for ring in ("adopt", "trial", "assess", "hold")
)
QUADRANT_IDS: tuple[str, ...] = tuple(q.id for q in QUADRANTS)
RING_IDS: tuple[Ring, ...] = tuple(r.id for r in RINGS)
FALLBACK_QUADRANT = "business-applications"

# The dependency view: the graver the risk, the further out, "hold" meaning
# "build nothing new on it and plan the exit now".
RING_OF_LEVEL: dict[Level, Ring] = {
    "critical": "hold",
    "high": "assess",
    "medium": "trial",
    "low": "adopt",
}


@dataclass(frozen=True)
class Blip:
    """One point of the radar.

    In the alternatives view a blip is an alternative product; ``replaces`` lists the
    assets it could replace, the riskiest first. In the dependencies view a blip is one
    asset of the estate, ``level`` its risk level and ``replaces`` is empty.

    ``description``: its sentences, joined by a space where their words are not empty
    (an alternative's catalog notes, then what it could replace).
    """

    number: int
    id: str
    name: str
    product: str | None
    quadrant: str
    ring: Ring
    is_new: bool
    description: tuple[Phrase, ...]
    replaces: tuple[str, ...] = ()
    category: str | None = None
    level: Level | None = None
    source: str | None = None
    as_of: date | None = None


@dataclass(frozen=True)
class Radar:
    """Blips on four quadrants (:data:`QUADRANTS`) and four rings (:data:`RINGS`)."""

    view: RadarView
    organisation: str
    as_of: date
    blips: tuple[Blip, ...]
    quadrants: tuple[Quadrant, ...] = QUADRANTS
    rings: tuple[RingInfo, ...] = RINGS
    # Display names of the assets the blips refer to, by asset id.
    asset_names: dict[str, str] = field(default_factory=dict)

    def in_quadrant(self, quadrant: str) -> list[Blip]:
        """The blips of one quadrant, in number order."""
        return [b for b in self.blips if b.quadrant == quadrant]


def quadrant_of(category: str | None, catalog: Catalog) -> str:
    """The radar quadrant of a category; :data:`FALLBACK_QUADRANT` when unknown."""
    entry = catalog.categories.get(category) if category else None
    if entry is not None and entry.quadrant in QUADRANT_IDS:
        return entry.quadrant
    return FALLBACK_QUADRANT


def _asset_label(dep: Dependency) -> str:
    return dep.name if dep.name == dep.asset else f"{dep.name} ({dep.asset})"


@dataclass
class _Candidate:
    """An alternative product while the dependencies it fits are collected."""

    alternative: Alternative
    replaces: list[Dependency] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # assets in ``replaces``


def alternatives_radar(result: AuditResult, catalog: Catalog) -> Radar:
    """The catalog's alternatives to the estate's dependencies, one blip per product.

    For every dependency whose category (its own, else its catalog product's) has
    alternatives in the catalog, each alternative product other than the one the asset
    already uses becomes a blip. A product that fits several dependencies appears once,
    listing them all in ``replaces``, riskiest first (the audit's ranking). When a
    product is an alternative in several categories, the entry that fits the riskiest
    dependency gives the ring, the quadrant and the source; the notes of all are kept.

    ``is_new`` is always false: a radar marks what changed since the previous one, and
    an audit has no previous radar to compare with.
    """
    by_category: dict[str, list[Alternative]] = {}
    for alternative in catalog.alternatives.values():
        by_category.setdefault(alternative.category, []).append(alternative)
    products_in_use = {a.id: a.product for a in result.estate.assets}
    candidates: dict[str, _Candidate] = {}
    for dep in result.dependencies:  # ranked, riskiest first
        if not dep.category:
            continue
        for alternative in by_category.get(dep.category, ()):
            if alternative.product == products_in_use.get(dep.asset):
                continue
            candidate = candidates.setdefault(alternative.product, _Candidate(alternative))
            if dep.asset not in candidate.seen:
                candidate.seen.add(dep.asset)
                candidate.replaces.append(dep)
            if alternative.notes and alternative.notes not in candidate.notes:
                candidate.notes.append(alternative.notes)
    blips = []
    for product_id, candidate in candidates.items():
        alternative = candidate.alternative
        product = catalog.products.get(product_id)
        assets = ", ".join(_asset_label(d) for d in candidate.replaces)
        description = (
            _given(candidate.notes),
            phrase("radar-could-replace", assets=assets),
        )
        blips.append(
            Blip(
                number=0,
                id=product_id,
                name=product.name if product else product_id,
                product=product_id,
                quadrant=quadrant_of(alternative.category, catalog),
                ring=alternative.ring,
                is_new=False,
                description=description,
                replaces=tuple(d.asset for d in candidate.replaces),
                category=alternative.category,
                source=alternative.source,
                as_of=alternative.as_of,
            )
        )
    blips.sort(
        key=lambda b: (
            QUADRANT_IDS.index(b.quadrant),
            RING_IDS.index(b.ring),
            b.name.casefold(),
            b.id,
        )
    )
    return Radar(
        "alternatives",
        result.estate.organisation.name,
        result.today,
        _numbered(blips),
        asset_names={d.asset: d.name for d in result.dependencies},
    )


def dependencies_radar(result: AuditResult, catalog: Catalog) -> Radar:
    """The estate's dependencies, one blip each, the ring from the risk level.

    Rings follow :data:`RING_OF_LEVEL` (critical → hold, high → assess, medium → trial,
    low → adopt); within a ring the riskiest come first, as in the audit's ranking.
    """
    products = {a.id: a.product for a in result.estate.assets}
    rank = {d.asset: index for index, d in enumerate(result.dependencies)}
    blips = []
    for dep in result.dependencies:
        gravity = phrase(f"radar-gravity-{dep.gravity}")
        if dep.gravity_process:
            gravity = phrase(
                "radar-gravity-of-process", gravity=gravity, process=dep.gravity_process
            )
        description = (
            phrase(
                "radar-dependency",
                level=phrase(f"radar-level-{dep.level}"),
                gravity=gravity,
                provider=dep.provider_name or phrase("radar-unknown-provider"),
                exposure=f"{dep.exposure_score:g}",
            ),
        )
        blips.append(
            Blip(
                number=0,
                id=dep.asset,
                name=dep.name,
                product=products.get(dep.asset),
                quadrant=quadrant_of(dep.category, catalog),
                ring=RING_OF_LEVEL[dep.level],
                is_new=False,
                description=description,
                category=dep.category,
                level=dep.level,
                source=f"assets[{dep.asset}]",
                as_of=result.today,
            )
        )
    blips.sort(key=lambda b: (QUADRANT_IDS.index(b.quadrant), RING_IDS.index(b.ring), rank[b.id]))
    return Radar(
        "dependencies",
        result.estate.organisation.name,
        result.today,
        _numbered(blips),
        asset_names={d.asset: d.name for d in result.dependencies},
    )


def _given(notes: list[Text]) -> Phrase:
    """The catalog's notes of an alternative, in each language, one after the other
    (a note missing in a language is read in English)."""
    return phrase(
        GIVEN,
        **{
            lang: " ".join(n.get(lang) or n.get("en") or "" for n in notes).strip()
            for lang in LANGS
        },
    )


def _numbered(blips: list[Blip]) -> tuple[Blip, ...]:
    return tuple(replace(b, number=index) for index, b in enumerate(blips, start=1))


def radar_for(view: RadarView, result: AuditResult, catalog: Catalog) -> Radar:
    """The radar of ``view`` (``alternatives`` or ``dependencies``)."""
    if view == "alternatives":
        return alternatives_radar(result, catalog)
    return dependencies_radar(result, catalog)


__all__ = [
    "FALLBACK_QUADRANT",
    "QUADRANTS",
    "RADAR_VIEWS",
    "RINGS",
    "RING_OF_LEVEL",
    "Blip",
    "Quadrant",
    "Radar",
    "RadarView",
    "RingInfo",
    "alternatives_radar",
    "dependencies_radar",
    "quadrant_of",
    "radar_for",
]
