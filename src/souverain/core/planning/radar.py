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

Nothing here knows how a radar is drawn or written; the exporters do that.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from souverain.core.catalog.model import Alternative, Catalog, Ring, Text
from souverain.core.scoring.audit import AuditResult, Dependency
from souverain.core.vocabulary import Level

View = Literal["alternatives", "dependencies"]
VIEWS: tuple[View, ...] = ("alternatives", "dependencies")


@dataclass(frozen=True)
class Quadrant:
    """One of the four quadrants, with its name in each language."""

    id: str
    name: Text


@dataclass(frozen=True)
class RingInfo:
    """One of the four rings, from the centre outwards."""

    id: Ring
    name: Text


QUADRANTS: tuple[Quadrant, ...] = (
    Quadrant("collaboration", {"en": "Collaboration", "fr": "Collaboration"}),
    Quadrant("business-applications", {"en": "Business applications", "fr": "Applications métier"}),
    Quadrant("infrastructure", {"en": "Infrastructure", "fr": "Infrastructure"}),
    Quadrant("data-identity", {"en": "Data & identity", "fr": "Données et identité"}),
)
RINGS: tuple[RingInfo, ...] = (
    RingInfo("adopt", {"en": "Adopt", "fr": "Adopter"}),
    RingInfo("trial", {"en": "Trial", "fr": "Essayer"}),
    RingInfo("assess", {"en": "Assess", "fr": "Évaluer"}),
    RingInfo("hold", {"en": "Hold", "fr": "Suspendre"}),
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

_REPLACES: Text = {"en": "Could replace: {assets}.", "fr": "Pourrait remplacer : {assets}."}
_LEVEL_WORDS: dict[Level, Text] = {
    "critical": {"en": "Critical risk", "fr": "Risque critique"},
    "high": {"en": "High risk", "fr": "Risque élevé"},
    "medium": {"en": "Medium risk", "fr": "Risque moyen"},
    "low": {"en": "Low risk", "fr": "Risque faible"},
}
_DEPENDENCY: Text = {
    "en": "{level}; gravity {gravity}; provider {provider}; exposure {exposure}/4.",
    "fr": "{level} ; gravité {gravity} ; fournisseur {provider} ; exposition {exposure}/4.",
}
_GRAVITY_WORDS: dict[str, Text] = {
    "vital": {"en": "vital", "fr": "vitale"},
    "important": {"en": "important", "fr": "importante"},
    "useful": {"en": "useful", "fr": "utile"},
    "minor": {"en": "minor", "fr": "mineure"},
    "none": {"en": "none", "fr": "aucune"},
}
_UNKNOWN: Text = {"en": "unknown", "fr": "inconnu"}
_LANGS: tuple[Literal["en", "fr"], ...] = ("en", "fr")


@dataclass(frozen=True)
class Blip:
    """One point of the radar.

    In the alternatives view a blip is an alternative product; ``replaces`` lists the
    assets it could replace, the riskiest first. In the dependencies view a blip is one
    asset of the estate, ``level`` its risk level and ``replaces`` is empty.
    """

    number: int
    id: str
    name: str
    product: str | None
    quadrant: str
    ring: Ring
    is_new: bool
    description: Text
    replaces: tuple[str, ...] = ()
    category: str | None = None
    level: Level | None = None
    source: str | None = None
    as_of: date | None = None


@dataclass(frozen=True)
class Radar:
    """Blips on four quadrants (:data:`QUADRANTS`) and four rings (:data:`RINGS`)."""

    view: View
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
        description: Text = {}
        for lang in _LANGS:
            notes = " ".join(n.get(lang) or n.get("en") or "" for n in candidate.notes).strip()
            replaces = _REPLACES[lang].format(assets=assets)
            description[lang] = f"{notes} {replaces}" if notes else replaces
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
        description: Text = {}
        for lang in _LANGS:
            gravity = _GRAVITY_WORDS[dep.gravity][lang]
            if dep.gravity_process:
                gravity = f"{gravity} ({dep.gravity_process})"
            description[lang] = _DEPENDENCY[lang].format(
                level=_LEVEL_WORDS[dep.level][lang],
                gravity=gravity,
                provider=dep.provider_name or _UNKNOWN[lang],
                exposure=f"{dep.exposure_score:g}",
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


def _numbered(blips: list[Blip]) -> tuple[Blip, ...]:
    return tuple(replace(b, number=index) for index, b in enumerate(blips, start=1))


def radar_for(view: View, result: AuditResult, catalog: Catalog) -> Radar:
    """The radar of ``view`` (``alternatives`` or ``dependencies``)."""
    if view == "alternatives":
        return alternatives_radar(result, catalog)
    return dependencies_radar(result, catalog)


__all__ = [
    "FALLBACK_QUADRANT",
    "QUADRANTS",
    "RINGS",
    "RING_OF_LEVEL",
    "VIEWS",
    "Blip",
    "Quadrant",
    "Radar",
    "RingInfo",
    "alternatives_radar",
    "dependencies_radar",
    "quadrant_of",
    "radar_for",
]
