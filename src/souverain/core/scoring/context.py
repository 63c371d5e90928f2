"""What the rules look at: each asset with its provider chain, catalog facts and needs.

:class:`Resolver` follows ownership chains through the estate and then the
catalog; :class:`View` bundles everything the predicates of
:mod:`souverain.core.scoring.rules` need about one dependency, so that rules stay small.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, NamedTuple

from souverain.core.catalog.model import Catalog, CatalogProvider, Jurisdiction, Law, Product
from souverain.core.catalog.sourced import Sourced
from souverain.core.estate.model import Asset, Contract, Estate, ProcessingRecord, Provider
from souverain.core.scoring.gravity import GravityOf, Need
from souverain.core.scoring.redundancy import Redundancy
from souverain.core.vocabulary import NO_SOFTWARE, OFF_PREMISE, Sensitivity


class Evidence(NamedTuple):
    """What a reason rests on: an estate field or a catalog fact with its source.

    A named tuple rather than a dataclass: an audit makes one per finding, hundreds
    of thousands on a large estate, and tuples are the cheapest immutable records.
    """

    ref: str
    source: str | None = None
    as_of: date | None = None

    @classmethod
    def of_fact(cls, ref: str, fact: Sourced | None) -> Evidence:
        if fact is None:
            return cls(ref)
        return cls(ref, fact.source, fact.as_of)


@dataclass(frozen=True)
class Entity:
    """One legal entity in an ownership chain."""

    id: str
    name: str
    country: str | None
    country_evidence: Evidence
    origin: str  # "estate" or "catalog"
    controls: str | None = None  # the entity just below it in the chain (None: the provider)
    depth: int = 0  # steps up from the provider
    catalog_id: str | None = None  # its catalog entry, if it has one


def chain_path(entities: tuple[Entity, ...], index: int) -> list[Entity]:
    """The entities from the provider up to ``entities[index]``, following control.

    In a joint venture's chain the partners sit side by side; the path to one of
    them, or to one of their parents, runs through that partner only.
    """
    by_id = {e.id: e for e in entities}
    path = [entities[index]]
    while path[-1].controls is not None and path[-1].controls in by_id and len(path) <= len(by_id):
        path.append(by_id[path[-1].controls])
    return path[::-1]


def chain_text(
    entities: tuple[Entity, ...] | list[Entity], name: Callable[[Entity], str] | None = None
) -> str:
    """The chain in words: ``A → B → C``; joint owners at one level as ``B + B'``."""
    levels: dict[int, list[str]] = {}
    for entity in entities:
        levels.setdefault(entity.depth, []).append(name(entity) if name else entity.name)
    return " → ".join(" + ".join(names) for _, names in sorted(levels.items()))


def ultimate_owners(entities: tuple[Entity, ...]) -> list[Entity]:
    """The entities of the chain that nothing in it owns: the group(s) at the top."""
    owned_by_another = {e.controls for e in entities if e.controls is not None}
    below = {e.id for e in entities} - owned_by_another
    return [e for e in entities if e.id in below] or list(entities[-1:])


class Resolver:
    """Ownership chains and laws, cached per provider."""

    def __init__(self, estate: Estate, catalog: Catalog) -> None:
        self.catalog = catalog
        self.providers = {p.id: p for p in estate.providers}
        self._chains: dict[str, tuple[Entity, ...]] = {}
        # Rule findings that depend only on a provider chain, shared by its assets.
        self.findings: dict[tuple[tuple[str, ...], str], list[Any]] = {}
        # What a law reaches through a required asset, per what of it the reaches read
        # (rules.processors): a host is required by many assets.
        self.hosted: dict[tuple[str | None, ...], Any] = {}

    def extended(self, providers: Iterable[Provider]) -> Resolver:
        """A resolver that also knows ``providers`` (new ones, owning none of the
        known), sharing this one's caches: a chain never changes once worked out."""
        other = Resolver.__new__(Resolver)
        other.catalog = self.catalog
        other.providers = {**self.providers, **{p.id: p for p in providers}}
        other._chains = self._chains
        other.findings = self.findings
        other.hosted = self.hosted
        return other

    def chain(self, provider_id: str) -> tuple[Entity, ...]:
        """The provider, its owner, and so on up to the ultimate parent."""
        cached = self._chains.get(provider_id)
        if cached is not None:
            return cached
        entities: list[Entity] = []
        seen: set[str] = set()
        estate_provider: Provider | None = self.providers.get(provider_id)
        below: Entity | None = None
        catalog_ids: list[tuple[str, Entity]] = []
        while estate_provider is not None and estate_provider.id not in seen:
            seen.add(estate_provider.id)
            entity = self._estate_entity(estate_provider)
            if below is not None:
                entity = replace(entity, controls=below.id, depth=below.depth + 1)
            entities.append(entity)
            below = entity
            if estate_provider.owner:
                estate_provider = self.providers.get(estate_provider.owner)
                continue
            catalog_entry = self._catalog_entry(estate_provider)
            catalog_ids = [(o, entity) for o in (catalog_entry.owners if catalog_entry else [])]
            estate_provider = None
        # Up the catalog's ownership tree, breadth first: a joint venture is
        # reached through each of its controlling partners.
        seen_catalog: set[str] = set()
        while catalog_ids:
            catalog_id, child = catalog_ids.pop(0)
            entry = self.catalog.providers.get(catalog_id)
            if entry is None or catalog_id in seen_catalog:
                continue
            seen_catalog.add(catalog_id)
            entity = replace(_catalog_entity(entry), controls=child.id, depth=child.depth + 1)
            entities.append(entity)
            catalog_ids.extend((o, entity) for o in entry.owners)
        result = tuple(entities)
        self._chains[provider_id] = result
        return result

    def catalog_chain(self, catalog_id: str) -> tuple[Entity, ...]:
        """A catalog provider and its owners, up to the ultimate parents (breadth
        first, as :meth:`chain` goes on from an estate provider linked with
        ``catalog:``); empty when the catalog does not know it."""
        key = "\0catalog:" + catalog_id  # never an estate id (no NUL in ids)
        cached = self._chains.get(key)
        if cached is not None:
            return cached
        entities: list[Entity] = []
        pending: list[tuple[str, Entity | None]] = [(catalog_id, None)]
        seen: set[str] = set()
        while pending:
            ident, child = pending.pop(0)
            entry = self.catalog.providers.get(ident)
            if entry is None or ident in seen:
                continue
            seen.add(ident)
            entity = _catalog_entity(entry)
            if child is not None:
                entity = replace(entity, controls=child.id, depth=child.depth + 1)
            entities.append(entity)
            pending.extend((o, entity) for o in entry.owners)
        result = tuple(entities)
        self._chains[key] = result
        return result

    def _catalog_entry(self, provider: Provider) -> CatalogProvider | None:
        return self.catalog.providers.get(provider.catalog) if provider.catalog else None

    def _estate_entity(self, provider: Provider) -> Entity:
        entry = self._catalog_entry(provider)
        name = provider.name or (entry.name if entry else provider.id)
        catalog_id = entry.id if entry else None
        if provider.country:
            return Entity(
                provider.id,
                name,
                provider.country,
                Evidence(f"providers[{provider.id}].country"),
                "estate",
                catalog_id=catalog_id,
            )
        if entry and entry.country:
            return Entity(
                provider.id,
                name,
                entry.country.value,
                Evidence.of_fact(f"catalog provider {entry.id}: country", entry.country),
                "catalog",
                catalog_id=catalog_id,
            )
        return Entity(
            provider.id,
            name,
            None,
            Evidence(f"providers[{provider.id}].country"),
            "estate",
            catalog_id=catalog_id,
        )

    def jurisdiction(self, country: str | None) -> Jurisdiction | None:
        return self.catalog.jurisdictions.get(country) if country else None

    def laws(self, country: str | None, reach: str) -> list[Law]:
        """Laws of ``country`` that reach entities by ``control`` or by ``territory``."""
        jurisdiction = self.jurisdiction(country)
        if jurisdiction is None:
            return []
        return [law for law in jurisdiction.laws if reach in law.reach]


def _catalog_entity(entry: CatalogProvider) -> Entity:
    country = entry.country.value if entry.country else None
    return Entity(
        entry.id,
        entry.name,
        country,
        Evidence.of_fact(f"catalog provider {entry.id}: country", entry.country),
        "catalog",
        catalog_id=entry.id,
    )


@dataclass
class EstateFacts:
    """Facts about the whole estate that single-dependency rules compare against."""

    today: date
    groups: Counter[str] = field(default_factory=Counter)  # ultimate owner → grave assets
    group_names: dict[str, str] = field(default_factory=dict)
    grave_total: int = 0
    redundant: set[str] = field(default_factory=set)  # members of some any_of group
    # processing records naming each asset
    records: dict[str, list[ProcessingRecord]] = field(default_factory=dict)
    # footprints of assets and independence of any_of groups and backups
    redundancy: Redundancy | None = None
    # sensitivity of each declared kind of data (estate ``data``), and each asset's kinds
    sensitivity: dict[str, list[Sensitivity] | None] = field(default_factory=dict)
    data_of: dict[str, list[str]] = field(default_factory=dict)


def licence_of(asset: Asset, product: Product | None) -> tuple[str | None, Evidence]:
    """The asset's licence (the estate's, else its catalog product's), with its evidence."""
    if asset.licence:
        return asset.licence, Evidence(f"assets[{asset.id}].licence")
    if product is not None and product.licence:
        return product.licence.value, Evidence.of_fact(
            f"catalog product {product.id}: licence", product.licence
        )
    return None, Evidence(f"assets[{asset.id}].licence")


class View:
    """One dependency as the rules see it.

    What most rules need (owner chain, catalog product and category, deployment,
    whether it holds data) is worked out once, when the view is made.
    """

    __slots__ = (
        "asset",
        "catalog",
        "category",
        "chain",
        "cloud",
        "contract",
        "deployment",
        "estate",
        "facts",
        "gravity",
        "holds_data",
        "hosts",
        "licence",
        "memo",
        "need",
        "product",
        "provider",
        "resolver",
    )

    def __init__(
        self,
        asset: Asset,
        estate: Estate,
        resolver: Resolver,
        gravity: GravityOf,
        need: Need | None,
        facts: EstateFacts,
        provider: Provider | None,
        contract: Contract | None,
        hosts: list[Asset],  # assets this one directly requires, any_of members included
    ) -> None:
        self.asset = asset
        self.estate = estate
        self.resolver = resolver
        self.gravity = gravity
        self.need = need
        self.facts = facts
        self.provider = provider
        self.contract = contract
        self.hosts = hosts
        # What rules work out once per view and share (rules.processors).
        self.memo: dict[Any, Any] = {}
        catalog = self.catalog = resolver.catalog
        product = self.product = catalog.products.get(asset.product) if asset.product else None
        # No provider named: the catalog product's vendor and its owners stand for it
        # (a Zoom Workplace asset is Zoom's, under US law, whoever the estate forgot).
        # The asset's licence and its evidence (licence_of): many rules read it.
        self.licence: tuple[str | None, Evidence] = licence_of(asset, product)
        self.chain: tuple[Entity, ...] = (
            resolver.chain(provider.id)
            if provider
            else resolver.catalog_chain(product.provider)
            if product is not None
            else ()
        )
        ident = asset.category or (product.category if product else None)
        category = self.category = catalog.categories.get(ident) if ident else None
        deployment: str | None = asset.deployment
        if not deployment and product and product.deployments:
            values = product.deployments.value
            deployment = values[0] if len(values) == 1 else None
        self.deployment = deployment or None
        self.cloud = None if self.deployment is None else self.deployment in OFF_PREMISE
        # Whether the asset holds data; None when nothing says.
        holds: bool | None = None
        if category is not None and category.data_path == "privileged":
            holds = True  # a privileged path to the data holds it, whatever it stores
        elif asset.data is not None:
            holds = bool(asset.data)
        elif (category is not None and not category.holds_data) or self.deployment in NO_SOFTWARE:
            holds = False
        self.holds_data = holds

    def rebound(
        self,
        asset: Asset,
        resolver: Resolver,
        gravity: GravityOf,
        need: Need | None,
        facts: EstateFacts,
        contract: Contract | None,
        hosts: list[Asset],
    ) -> View:
        """This view with what an edit of the estate may change around its asset
        replaced: for an asset whose provider, product, category, deployment and data
        — what the rest of the view is made from — did not change (the what-if)."""
        other = View.__new__(View)
        for name in View.__slots__:
            setattr(other, name, getattr(self, name))
        other.asset = asset
        other.resolver = resolver
        other.gravity = gravity
        other.need = need
        other.facts = facts
        other.contract = contract
        other.hosts = hosts
        other.memo = {}
        return other

    def field(self, name: str) -> str:
        """The estate reference of one of this asset's fields."""
        return f"assets[{self.asset.id}].{name}"
