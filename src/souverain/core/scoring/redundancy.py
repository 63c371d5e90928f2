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
to know them is missing (a provider named for an asset run off premises, an owner's
country, a region): no single loss the simulation knows takes both. What every holder
of the group (the processes and assets naming it) strictly needs itself is left out: a
loss that stops the holders anyway defeats no redundancy. A member with an independent
partner in its group is no single point of failure: it takes the gravity of the
processes one step lower (:mod:`souverain.core.scoring.gravity`). Otherwise the audit
names the common mode (``redundancy_common_mode`` on the operations axis).

Backups are judged alike: when every backup of an asset (the assets that ``protect``
it) shares an owner, a foreign country, a region or a required asset with it, the loss
that takes the asset takes its copies (``backup_common_mode``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from souverain.core.catalog.model import Catalog
from souverain.core.estate.model import AnyOf, Asset, Estate, Provider, Requirement
from souverain.core.scoring.footprint import (
    MODES,
    Footprint,
    Missing,
    Mode,
    Shared,
    needed_by_all,
)
from souverain.core.vocabulary import OFF_PREMISE

if TYPE_CHECKING:
    from souverain.core.scoring.context import Entity


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
        self._by_provider: dict[str, Footprint] = {}
        self._shared: dict[tuple[str, str, tuple[str, ...] | None], Shared] = {}
        self._modes: dict[
            str, dict[Mode, list[tuple[tuple[str, ...], list[str], tuple[str, ...]]]]
        ] = {}
        self._base: Redundancy | None = None  # the redundancy this one is an edit of
        self._changed: frozenset[str] = frozenset()
        # The groups some holder of which holds an edited asset in its footprint, when
        # the edit's maker knows them (Redundancy.support of the base): None, look.
        self._held: frozenset[tuple[str, ...]] | None = None
        self._independent: dict[tuple[tuple[str, ...], str], bool] = {}
        # Each member → the groups it belongs to; each asset → the assets protecting it.
        self.groups: dict[str, list[tuple[str, ...]]] = {}
        # Each group → the plain requirements of each process or asset naming it.
        self.holders: dict[tuple[str, ...], list[list[str]]] = {}
        self.holder_ids: dict[tuple[str, ...], list[str | None]] = {}
        holders: list[tuple[list[Requirement], str | None]] = [
            (p.depends_on, None) for p in estate.processes
        ]
        holders += [(a.depends_on, a.id) for a in self.assets.values()]
        for requirements, holder in holders:
            groups = [tuple(r.any_of) for r in requirements if isinstance(r, AnyOf)]
            if not groups:
                continue
            plain = [r for r in requirements if isinstance(r, str)]
            if holder is not None:
                plain.append(holder)
            for group in groups:
                self.holders.setdefault(group, []).append(plain)
                self.holder_ids.setdefault(group, []).append(holder)
                for member in group:
                    if group not in self.groups.setdefault(member, []):
                        self.groups[member].append(group)
        self._requirements: dict[tuple[str, ...], list[list[Footprint]]] = {}
        self._moved_needs: dict[tuple[str, ...], tuple[set[str], ...] | None] = {}
        self._moved_edit: tuple[set[str], ...] | None = None
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

    def edited(
        self,
        assets: Mapping[str, Asset],
        providers: Mapping[str, Provider],
        changed: set[str],
        chain: Callable[[str], tuple[Entity, ...]],
        held: set[tuple[str, ...]] | None = None,
    ) -> Redundancy:
        """This estate's redundancy after an edit that changed the assets ``changed``
        (now in ``assets``) but no group, holder's requirements or backup: footprints
        that hold none of them are this one's."""
        other = Redundancy.__new__(Redundancy)
        other.__dict__.update(self.__dict__)
        other.assets = assets
        other.providers = providers
        other.chain = chain
        other._footprints = {}
        other._by_provider = {}
        other._independent = {}
        other._requirements = {}
        other._moved_needs = {}
        other._moved_edit = None
        other._shared = {}
        other._modes = {}
        other._base = self
        other._changed = frozenset(changed)
        other._held = None if held is None else frozenset(held)
        return other

    def regrouped(self, holder: str, before: Asset, after: Asset) -> None:
        """Follow the asset ``holder`` naming other groups or other plain requirements
        (``before`` → ``after``), in this redundancy made by :meth:`edited` (its maps
        are copied before they change: the base's stay as they are)."""
        self.groups = dict(self.groups)
        self.holders = dict(self.holders)
        self.holder_ids = dict(self.holder_ids)
        self._requirements = {}
        self._moved_needs = {}
        self._moved_edit = None
        self._independent = {}
        self._shared = {}
        self._modes = {}
        for group in _groups_named(before):
            kept = [
                (plain, ident)
                for plain, ident in zip(self.holders[group], self.holder_ids[group], strict=True)
                if ident != holder
            ]
            if kept:
                self.holders[group] = [plain for plain, _ in kept]
                self.holder_ids[group] = [ident for _, ident in kept]
            else:
                del self.holders[group], self.holder_ids[group]
                for member in group:
                    rest = [g for g in self.groups.get(member, []) if g != group]
                    if rest:
                        self.groups[member] = rest
                    else:
                        self.groups.pop(member, None)
        plain = [r for r in after.depends_on if isinstance(r, str)] + [holder]
        for group in _groups_named(after):
            self.holders[group] = [*self.holders.get(group, []), plain]
            self.holder_ids[group] = [*self.holder_ids.get(group, []), holder]
            for member in group:
                if group not in self.groups.get(member, []):
                    self.groups[member] = [*self.groups.get(member, []), group]

    def inherit(self, base: Redundancy, changed: set[str]) -> None:
        """Reuse ``base``'s footprints that hold none of the assets ``changed``: this
        redundancy is of ``base``'s estate with those assets edited."""
        self._base = base
        self._changed = frozenset(changed)

    def _inherited(self, ident: str) -> Footprint | None:
        """The footprint of ``ident`` before the edit, if the edit left it alone."""
        if self._base is None:
            return None
        found = self._base.footprint(ident)
        return found if found.assets.isdisjoint(self._changed) else None

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
            if not ready and node not in self._changed:
                inherited = self._inherited(node)
                if inherited is not None:
                    self._footprints[node] = inherited
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
            part = self._by_provider.get(asset.provider)
            if part is None:
                part = self._by_provider[asset.provider] = self._provider_part(asset.provider)
            owners.update(part.owners)
            countries |= part.countries
            missing |= part.missing
        elif self._deployment(asset) in OFF_PREMISE:
            missing.add("provider")  # run by someone, who is not named
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

    def _provider_part(self, provider_id: str) -> Footprint:
        """What a provider brings to the footprints of its assets: the owner entities
        and foreign countries of its chain and of its subcontractors' chains."""
        owners: dict[str, str] = {}
        countries: set[str] = set()
        missing: set[Missing] = set()
        for ident in self._providers(provider_id):
            chain = self.chain(ident)
            owners.update((e.id, e.name) for e in chain)
            known = [e.country for e in chain if e.country]
            if not known:
                missing.add("country")
            countries.update(c for c in known if self.foreign(c))
        return Footprint(frozenset(), owners, frozenset(countries), {}, frozenset(missing))

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

    def shared(self, first: str, second: str, group: Sequence[str] | None = None) -> Shared:
        """What the footprints of assets ``first`` and ``second`` share; for members of
        ``group``, leaving out what every holder of the group strictly needs itself
        (what all their requirements' footprints hold): a loss that stops the holders
        anyway defeats no redundancy."""
        key = (first, second, None if group is None else tuple(group))
        found = self._shared.get(key)
        if found is None:
            found = self._shared[key] = self._shared_now(first, second, group)
        return found

    def _shared_now(self, first: str, second: str, group: Sequence[str] | None) -> Shared:
        a, b = self.footprint(first), self.footprint(second)
        base = self._base
        # Both footprints the unedited estate's (so no asset inside them was edited,
        # names included): what they share is the base's, which keeps it across edits —
        # unless the holders' needs, subtracted from a non-empty overlap, moved.
        alike = base is not None and a is base.footprint(first) and b is base.footprint(second)
        if alike and group is None:
            assert base is not None
            return base.shared(first, second)
        owners = a.owners.keys() & b.owners.keys()
        countries = a.countries & b.countries
        regions = a.regions.keys() & b.regions.keys()
        assets = a.assets & b.assets
        if alike and (
            not (owners or countries or regions or assets)
            or self._needs_unmoved(tuple(group or ()), (owners, countries, regions, assets))
        ):
            assert base is not None
            return base.shared(first, second, group)
        if group is not None and (owners or countries or regions or assets):
            # What every holder strictly needs itself (the intersection, over the
            # holders, of the union of their requirements' footprints), asked only of
            # what the two share.
            holders = self._holder_footprints(tuple(group))
            owners = {o for o in owners if not needed_by_all(holders, "owners", o)}
            countries = frozenset(
                c for c in countries if not needed_by_all(holders, "countries", c)
            )
            regions = {r for r in regions if not needed_by_all(holders, "regions", r)}
            assets = frozenset(i for i in assets if not needed_by_all(holders, "assets", i))
        return Shared(
            owner=tuple(sorted(a.owners[o] for o in owners)),
            country=tuple(sorted(countries)),
            region=tuple(sorted(a.regions[r] for r in regions)),
            asset=tuple(sorted(self._name(i) for i in assets)),
            unknown=tuple(sorted(a.missing | b.missing)),
        )

    def needs_kept(self, group: tuple[str, ...]) -> bool:
        """Whether what the holders of ``group`` strictly need is the unedited
        estate's: same holders, and none of their footprints holds an edited asset."""
        base = self._base
        if base is None or self.holders.get(group) is not base.holders.get(group):
            return False
        if self._held is not None:
            return group not in self._held
        return not any(
            base.footprint(i).assets & self._changed
            for plain in self.holders.get(group, ())
            for i in plain
            if i in base.assets
        )

    def _needs_unmoved(self, group: tuple[str, ...], shared: tuple[Iterable[str], ...]) -> bool:
        """Whether each of ``shared`` (owners, countries, regions, assets) is needed by
        every holder of ``group`` here as in the unedited estate."""
        if self.needs_kept(group):
            return True
        base = self._base
        if base is None or self.holders.get(group) is not base.holders.get(group):
            return False
        # What the edit changed in any footprint is within what it changed in the
        # footprints of the edited assets themselves: most shared names are not there.
        if all(
            part.isdisjoint(names) for part, names in zip(self._edit_moved(), shared, strict=True)
        ):
            return True
        moved = self._needs_moved(group)
        return moved is not None and all(
            part.isdisjoint(names) for part, names in zip(moved, shared, strict=True)
        )

    def _edit_moved(self) -> tuple[set[str], ...]:
        """:meth:`_moved` of the edited assets: every footprint holding one of them
        changed within that, no more (a footprint is its own part and its requirements'
        footprints)."""
        if self._moved_edit is None:
            self._moved_edit = self._moved(self._changed)
        return self._moved_edit

    def _needs_moved(self, group: tuple[str, ...]) -> tuple[set[str], ...] | None:
        """:meth:`_moved` of the requirements of the holders of ``group`` (nothing else
        changes whether every holder needs a name); None when the holders changed."""
        if group not in self._moved_needs:
            holders = self.holders.get(group)
            same = self._base is not None and holders is self._base.holders.get(group)
            self._moved_needs[group] = (
                self._moved([i for plain in holders or () for i in plain]) if same else None
            )
        return self._moved_needs[group]

    def _moved(self, idents: Iterable[str]) -> tuple[set[str], ...]:
        """By part (owners, countries, regions, assets), what the edit added to or took
        from the footprints of ``idents``."""
        base = self._base
        found: tuple[set[str], ...] = (set(), set(), set(), set())
        owners, countries, regions, assets = found
        for ident in idents:
            if base is None or ident not in base.assets:
                continue
            before = base.footprint(ident)
            if before.assets.isdisjoint(self._changed):
                continue  # this footprint is the base's
            after = self.footprint(ident)
            owners.update(before.owners.keys() ^ after.owners.keys())
            countries.update(before.countries ^ after.countries)
            regions.update(before.regions.keys() ^ after.regions.keys())
            assets.update(before.assets ^ after.assets)
        return found

    def _holder_footprints(self, group: tuple[str, ...]) -> list[list[Footprint]]:
        """The footprints of what each holder of ``group`` strictly requires (itself
        included, for an asset)."""
        found = self._requirements.get(group)
        if found is None and self._base is not None and self.needs_kept(group):
            found = self._requirements[group] = self._base._holder_footprints(group)
        if found is None:
            found = self._requirements[group] = [
                [self.footprint(i) for i in plain if i in self.assets]
                for plain in self.holders.get(group, [[]])
            ]
        return found

    def independent(self, group: Sequence[str], member: str) -> bool:
        """Whether ``member`` has a partner in ``group`` independent of it."""
        key = (tuple(group), member)
        found = self._independent.get(key)
        if found is None:
            # Unknown is never independent: a footprint with something missing
            # settles it without comparing (large groups stay linear then).
            found = self._independent[key] = not self.footprint(member).missing and any(
                self.shared(member, partner, group).independent
                for partner in group
                if partner != member and not self.footprint(partner).missing
            )
        return found

    def judged(self) -> set[str]:
        """The assets whose redundancy reasons read other assets' footprints: group
        members, protected assets and their backups."""
        judged = set(self.groups) | set(self.protectors)
        for backups in self.protectors.values():
            judged.update(backups)
        return judged

    def support(self) -> dict[str, tuple[set[str], set[tuple[str, ...]]]]:
        """Each asset whose provider, location, requirements or deployment the
        independence of a group or a backup depends on → (the judged assets whose
        footprint holds it, the groups whose holders' footprints hold it)."""
        support: dict[str, tuple[set[str], set[tuple[str, ...]]]] = {}
        for ident in self.judged():
            for inside in self.footprint(ident).assets:
                support.setdefault(inside, (set(), set()))[0].add(ident)
        for group, holders in self.holders.items():
            for plain in holders:
                for ident in plain:
                    if ident in self.assets:
                        for inside in self.footprint(ident).assets:
                            support.setdefault(inside, (set(), set()))[1].add(group)
        return support

    def moved(
        self, other: Redundancy, judged: set[str], groups: set[tuple[str, ...]]
    ) -> set[tuple[str, ...]]:
        """The groups among ``groups`` and the groups of ``judged`` (here or in
        ``other``) a member of which gains or loses an independent partner, from this
        estate's redundancy to ``other``'s (a group only one of them has counts as
        moved)."""
        todo = set(groups)
        for ident in judged:
            todo.update(self.groups_of(ident))
            todo.update(other.groups_of(ident))
        return {
            group
            for group in todo
            if (group in self.holders) != (group in other.holders)
            or any(
                self.independent(group, member) != other.independent(group, member)
                for member in group
            )
        }

    def reads_alike(self, other: Redundancy, ident: str) -> bool:
        """Whether the redundancy reasons of asset ``ident`` read the same here and in
        ``other``: its groups and backups, what it shares with each partner and backup,
        and their names. That is all the predicates reading the redundancy read of an
        asset (rules/operations.py: ``groups_of``, ``backups_of``, ``shared``, ``names``,
        and ``independent``, ``backed``, ``common_modes`` made from them): alike, they
        find the same."""
        groups = self.groups_of(ident)
        backups = self.backups_of(ident)
        if groups != other.groups_of(ident) or backups != other.backups_of(ident):
            return False
        pairs: list[tuple[str, tuple[str, ...] | None]] = [
            (p, g) for g in groups for p in g if p != ident
        ]
        pairs += [(b, None) for b in backups]
        return all(
            self._name(partner) == other._name(partner)
            and self.shared(ident, partner, group) == other.shared(ident, partner, group)
            for partner, group in pairs
        )

    def holding(self, group: tuple[str, ...]) -> list[str | None]:
        """The assets naming ``group`` in their ``depends_on`` (None: a process)."""
        return self.holder_ids.get(group, [])

    def common_modes(
        self, member: str
    ) -> dict[Mode, list[tuple[tuple[str, ...], list[str], tuple[str, ...]]]]:
        """For each group of ``member`` with no partner independent of it (sorted), by
        mode: (the group, the partners sharing something by that mode, what they share,
        sorted); by ``unknown``, the partners sharing nothing known whose independence
        cannot be established."""
        found = self._modes.get(member)
        if found is not None:
            return found
        found = {}
        for group in sorted(self.groups_of(member)):
            if self.independent(group, member):
                continue
            by_mode: dict[Mode, tuple[list[str], set[str]]] = {}
            for partner in group:
                if partner == member:
                    continue
                common = self.shared(member, partner, group)
                known = False
                for mode in MODES[:-1]:
                    names = common.of(mode)
                    if names:
                        known = True
                        entry = by_mode.setdefault(mode, ([], set()))
                        entry[0].append(partner)
                        entry[1].update(names)
                if common.unknown and not known:
                    by_mode.setdefault("unknown", ([], set()))[0].append(partner)
            for mode, (partners, shared) in by_mode.items():
                found.setdefault(mode, []).append((group, partners, tuple(sorted(shared))))
        self._modes[member] = found
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


def _groups_named(asset: Asset) -> list[tuple[str, ...]]:
    return list(dict.fromkeys(tuple(r.any_of) for r in asset.depends_on if isinstance(r, AnyOf)))
