"""Redundancy that is really independent: the common modes of ``any_of`` groups.

A redundancy group (``any_of``) holds while one member holds (docs/scenarios.md). It
protects a process only against the losses that do not take every member at once. Each
member has a *footprint*: what a single loss of the simulation can take it with —

- the assets it strictly requires, transitively, itself included (``asset:``/``site:``);
- the owner entities of the providers of those assets and of their subcontractors,
  transitively (``owner:``, ``provider:``);
- the countries of those entities, foreign ones only (``jurisdiction:``): the
  organisation's own country and, for an organisation in the EEA, EEA countries are
  not a foreign-law common mode;
- the regions of those assets (``region:``).

Two members are *independent* when their footprints share nothing and nothing needed
to know them is missing (a provider, an owner's country, a region): no single loss the
simulation knows takes both. A member with an independent partner in its group is no
single point of failure: it takes the gravity of the processes one step lower
(:mod:`souverain.core.scoring.gravity`). Otherwise the audit names the common mode
(``redundancy_common_mode`` on the operations axis).

Backups are judged alike: an asset's backup (an asset that ``protects`` it) whose
footprint shares an owner, a foreign country or a region with the asset's is lost with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from souverain.core.catalog.model import Catalog
from souverain.core.estate.model import AnyOf, Asset, Estate, Provider

if TYPE_CHECKING:
    from souverain.core.scoring.context import Entity

Mode = Literal["owner", "country", "region", "asset", "unknown"]
MODES: tuple[Mode, ...] = ("owner", "country", "region", "asset", "unknown")
# What may be missing from a footprint.
Missing = Literal["provider", "country", "region"]


@dataclass(frozen=True)
class Footprint:
    """What a single loss can take an asset with (see the module's documentation)."""

    assets: frozenset[str]
    owners: Mapping[str, str]  # owner entity id → name
    countries: frozenset[str]
    regions: Mapping[str, str]  # region, case folded → as written
    missing: frozenset[Missing]


@dataclass(frozen=True)
class Shared:
    """What two footprints share, by mode: names of what is shared; ``unknown``: what
    is missing from either."""

    owner: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    asset: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    def of(self, mode: Mode) -> tuple[str, ...]:
        result: tuple[str, ...] = getattr(self, mode)
        return result

    @property
    def independent(self) -> bool:
        return not any(self.of(mode) for mode in MODES)


class Redundancy:
    """The footprints of an estate's assets, and the independence of its groups."""

    def __init__(
        self,
        estate: Estate,
        catalog: Catalog,
        chain: Callable[[str], tuple[Entity, ...]],
        assets: Mapping[str, Asset] | None = None,
        providers: Mapping[str, Provider] | None = None,
    ) -> None:
        self.estate = estate
        self.catalog = catalog
        self.chain = chain
        self.assets = assets if assets is not None else {a.id: a for a in estate.assets}
        self.providers = providers if providers is not None else {p.id: p for p in estate.providers}
        self.home = estate.organisation.country
        home = catalog.jurisdictions.get(self.home) if self.home else None
        self.home_eea = bool(home is not None and home.eea.value)
        self._footprints: dict[str, Footprint] = {}
        self._independent: dict[tuple[tuple[str, ...], str], bool] = {}
        # Each member → the groups it belongs to; each asset → the assets protecting it.
        self.groups: dict[str, list[tuple[str, ...]]] = {}
        requirements = [r for p in estate.processes for r in p.depends_on]
        requirements += [r for a in self.assets.values() for r in a.depends_on]
        for requirement in requirements:
            if isinstance(requirement, AnyOf):
                group = tuple(requirement.any_of)
                for member in group:
                    if group not in self.groups.setdefault(member, []):
                        self.groups[member].append(group)
        self.protectors: dict[str, list[str]] = {}
        for asset in self.assets.values():
            for protected in asset.protects:
                self.protectors.setdefault(protected, []).append(asset.id)

    def foreign(self, country: str) -> bool:
        """Whether ``country``'s law is a foreign-law common mode for the organisation."""
        if country == self.home:
            return False
        if self.home_eea:
            entry = self.catalog.jurisdictions.get(country)
            return not (entry is not None and entry.eea.value)
        return True

    def footprint(self, ident: str) -> Footprint:
        """The footprint of asset ``ident`` (worked out once, below it first)."""
        found = self._footprints.get(ident)
        if found is not None:
            return found
        # Iterative post-order over strict requirements (estates have no cycles).
        stack: list[tuple[str, bool]] = [(ident, False)]
        while stack:
            node, ready = stack.pop()
            if node in self._footprints:
                continue
            children = [r for r in self.assets[node].depends_on if isinstance(r, str)]
            if ready:
                self._footprints[node] = self._own(node, [self._footprints[c] for c in children])
            else:
                stack.append((node, True))
                stack.extend((c, False) for c in children if c not in self._footprints)
        return self._footprints[ident]

    def _own(self, ident: str, below: Sequence[Footprint]) -> Footprint:
        asset = self.assets[ident]
        assets = {ident}
        owners: dict[str, str] = {}
        countries: set[str] = set()
        regions: dict[str, str] = {}
        missing: set[Missing] = set()
        if asset.provider:
            for provider_id in self._providers(asset.provider):
                chain = self.chain(provider_id)
                owners.update((e.id, e.name) for e in chain)
                known = [e.country for e in chain if e.country]
                if not known:
                    missing.add("country")
                countries.update(c for c in known if self.foreign(c))
        elif self._deployment(asset) != "on-premise":
            missing.add("provider")
        if asset.location is not None and asset.location.region:
            regions[asset.location.region.casefold()] = asset.location.region
        for footprint in below:
            assets |= footprint.assets
            owners.update(footprint.owners)
            countries |= footprint.countries
            regions.update(footprint.regions)
            missing |= footprint.missing - {"region"}
        if not regions:
            missing.add("region")
        return Footprint(
            frozenset(assets), owners, frozenset(countries), regions, frozenset(missing)
        )

    def _providers(self, provider_id: str) -> list[str]:
        """The provider and its subcontractors, transitively."""
        out: list[str] = []
        todo = [provider_id]
        while todo:
            current = todo.pop()
            if current in out:
                continue
            out.append(current)
            provider = self.providers.get(current)
            if provider is not None:
                todo.extend(provider.subcontractors)
        return out

    def _deployment(self, asset: Asset) -> str | None:
        if asset.deployment:
            return asset.deployment
        product = self.catalog.products.get(asset.product) if asset.product else None
        if product is not None and product.deployments and len(product.deployments.value) == 1:
            return product.deployments.value[0]
        return None

    def shared(self, first: str, second: str) -> Shared:
        """What the footprints of assets ``first`` and ``second`` share."""
        a, b = self.footprint(first), self.footprint(second)
        return Shared(
            owner=tuple(sorted(a.owners[o] for o in a.owners.keys() & b.owners.keys())),
            country=tuple(sorted(a.countries & b.countries)),
            region=tuple(sorted(a.regions[r] for r in a.regions.keys() & b.regions.keys())),
            asset=tuple(sorted(self._name(i) for i in a.assets & b.assets)),
            unknown=tuple(sorted(a.missing | b.missing)),
        )

    def independent(self, group: Sequence[str], member: str) -> bool:
        """Whether ``member`` has a partner in ``group`` independent of it."""
        key = (tuple(group), member)
        found = self._independent.get(key)
        if found is None:
            found = self._independent[key] = any(
                self.shared(member, partner).independent for partner in group if partner != member
            )
        return found

    def groups_of(self, member: str) -> list[tuple[str, ...]]:
        """The ``any_of`` groups ``member`` belongs to."""
        return self.groups.get(member, [])

    def backups_of(self, ident: str) -> list[str]:
        """The assets that protect ``ident``."""
        return self.protectors.get(ident, [])

    def backed(self, member: str) -> bool:
        """Whether ``member`` has an independent partner in every group it belongs to."""
        groups = self.groups.get(member, ())
        return bool(groups) and all(self.independent(g, member) for g in groups)

    def _name(self, ident: str) -> str:
        asset = self.assets.get(ident)
        return (asset.name or ident) if asset is not None else ident

    def names(self, idents: Iterable[str]) -> str:
        return ", ".join(self._name(i) for i in idents)
