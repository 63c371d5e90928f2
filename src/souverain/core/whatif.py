"""What-if: the rows an edit of an audited estate changes, without auditing it whole.

The roadmap (issue 5) measures every action by scoring the estate with the action
applied. Auditing a 10,000-asset estate takes about a second; a roadmap measures
thousands of actions. An action changes a few assets' own fields, a contract, or
moves an asset to another provider: :class:`WhatIf` works out which rows such an
:class:`Edit` can change, and scores only those, exactly as a whole audit would.

A row is scored again when:

- its asset is replaced, or the contract it names is;
- an asset it requires directly changes provider, deployment or name (the only
  fields of hosts that rules read: ``host_chain_law``);
- its gravity or its strict need moves: both are folds over the processes that reach
  the asset (the lowest criticality rank, then the earliest process; the tightest
  downtime, then the earliest process), so they are worked out again only for the
  assets below a changed requirement, in topological order;
- it joins or leaves an ``any_of`` group;
- an owner group's count of vital and important assets, or that count's total,
  moves, and a rule reading those estate-wide counts (:data:`ESTATE_WIDE`) finds
  otherwise for its provider's owner chain — or, with ``exact=True`` (the texts
  give the counts), whenever the group's count moves.

Edits never copy the estate: :class:`Overlay` looks assets, contracts and providers
up through the edit first. :func:`edit_between` turns two estates into an edit, for
callers that hold a changed estate; :func:`materialise` does the reverse.
"""

from __future__ import annotations

from collections import ChainMap, Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from souverain.core.audit import AuditResult, Dependency, _score, _view
from souverain.core.context import EstateFacts, Resolver, View, ultimate_owners
from souverain.core.gravity import GravityOf, Need
from souverain.core.methodology import GRAVITIES
from souverain.core.model import CRITICALITIES, AnyOf, Asset, Contract, Estate, Provider
from souverain.core.rules.base import PREDICATES

# Predicates that read the estate-wide counts of EstateFacts (groups, grave_total) —
# and, of the view, only its owner chain. A test checks the list against the sources.
ESTATE_WIDE = frozenset({"owner_group_concentration"})
# The fields of a required asset that rules read (host_chain_law).
HOST_FIELDS = ("id", "name", "provider", "deployment")
GRAVE = frozenset({"vital", "important"})

Key = tuple[int, int]  # (criticality rank, process index): the lower, the graver


@dataclass(frozen=True)
class Edit:
    """Replaced assets, replaced or added contracts, and added providers (in order)."""

    assets: Mapping[str, Asset] = field(default_factory=dict)
    contracts: Mapping[str, Contract] = field(default_factory=dict)
    providers: Mapping[str, Provider] = field(default_factory=dict)

    def then(self, later: Edit) -> Edit:
        """This edit followed by ``later`` (``later`` wins where both change a thing)."""
        if not (later.assets or later.contracts or later.providers):
            return self
        return Edit(
            {**self.assets, **later.assets},
            {**self.contracts, **later.contracts},
            {**self.providers, **later.providers},
        )


NO_EDIT = Edit()


class EstateIndex:
    """An estate's assets, contracts and providers by id: built once, shared by
    every :class:`Overlay` of it."""

    def __init__(self, estate: Estate) -> None:
        self.estate = estate
        self.assets = {a.id: a for a in estate.assets}
        self.contracts = {c.id: c for c in estate.contracts}
        self.providers = {p.id: p for p in estate.providers}
        self.by_catalog: dict[str, str] = {}
        for provider in estate.providers:
            if provider.catalog:
                self.by_catalog.setdefault(provider.catalog, provider.id)


class Overlay:
    """An estate as an edit makes it, looked up without copying it."""

    def __init__(self, index: EstateIndex, edit: Edit = NO_EDIT) -> None:
        self.index = index
        self.edit = edit

    @property
    def estate(self) -> Estate:
        return self.index.estate

    def asset(self, ident: str) -> Asset | None:
        found = self.edit.assets.get(ident)
        return found if found is not None else self.index.assets.get(ident)

    def contract(self, ident: str) -> Contract | None:
        found = self.edit.contracts.get(ident)
        return found if found is not None else self.index.contracts.get(ident)

    def has_provider(self, ident: str) -> bool:
        return ident in self.edit.providers or ident in self.index.providers

    def provider_for_catalog(self, catalog_id: str) -> str | None:
        """The first estate provider linked to catalog entry ``catalog_id``."""
        found = self.index.by_catalog.get(catalog_id)
        if found is not None:
            return found
        return next((p.id for p in self.edit.providers.values() if p.catalog == catalog_id), None)

    def then(self, later: Edit) -> Overlay:
        return Overlay(self.index, self.edit.then(later))


def materialise(estate: Estate, edit: Edit) -> Estate:
    """A copy of ``estate`` with ``edit`` made; ``estate`` itself is never changed."""
    update: dict[str, Any] = {}
    if edit.assets:
        update["assets"] = [edit.assets.get(a.id, a) for a in estate.assets]
    if edit.contracts:
        known = {c.id for c in estate.contracts}
        update["contracts"] = [edit.contracts.get(c.id, c) for c in estate.contracts] + [
            c for ident, c in edit.contracts.items() if ident not in known
        ]
    if edit.providers:
        known = {p.id for p in estate.providers}
        update["providers"] = list(estate.providers) + [
            p for ident, p in edit.providers.items() if ident not in known
        ]
    return estate.model_copy(update=update) if update else estate


def edit_between(old: Estate, new: Estate) -> Edit | None:
    """``new`` as an edit of ``old``, or None when it is not one :class:`WhatIf` can
    follow: processes, processing records or the organisation changed; an asset was
    added, removed, or changed what data it holds; a provider was changed or removed
    (new ones may be appended); a contract was removed or moved to another provider."""
    if (
        new.organisation is not old.organisation
        or new.processes is not old.processes
        or new.processing is not old.processing
        or len(new.assets) != len(old.assets)
    ):
        return None
    kept = len(old.providers)
    if new.providers is not old.providers and (
        len(new.providers) < kept
        or any(a is not b for a, b in zip(new.providers[:kept], old.providers, strict=True))
    ):
        return None
    old_contracts = {c.id: c for c in old.contracts}
    contracts = {}
    for contract in new.contracts:
        earlier = old_contracts.pop(contract.id, None)
        if earlier is not None and earlier.provider != contract.provider:
            return None
        if contract is not earlier:
            contracts[contract.id] = contract
    if old_contracts:
        return None
    old_assets = {a.id: a for a in old.assets}
    assets = {}
    for asset in new.assets:
        before = old_assets.get(asset.id)
        if before is None:
            return None
        if asset is not before:
            if asset.data != before.data:
                return None
            assets[asset.id] = asset
    providers = {p.id: p for p in new.providers[kept:]}
    return Edit(assets, contracts, providers)


def _edges(asset: Asset) -> list[tuple[str, bool]]:
    """(required asset, strict) pairs: plain requirements are strict, any_of not."""
    out: list[tuple[str, bool]] = []
    for requirement in asset.depends_on:
        if isinstance(requirement, AnyOf):
            out.extend((member, False) for member in requirement.any_of)
        else:
            out.append((requirement, True))
    return out


def _any_of_members(asset: Asset) -> list[str]:
    return [m for r in asset.depends_on if isinstance(r, AnyOf) for m in r.any_of]


class WhatIf:
    """Scores edits of an audited estate (see the module's documentation)."""

    def __init__(self, base: AuditResult) -> None:
        if base.context is None or base.catalog is None:
            raise ValueError("the audit carries no context: audit the estate first")
        self.base = base
        self.context = context = base.context
        estate = base.estate
        self.index = EstateIndex(estate)
        self.before = {d.asset: d for d in base.dependencies}
        self.users: dict[str, list[str]] = {}  # contract → assets naming it
        self.members: dict[str, list[str]] = {}  # provider → its assets
        self.parents: dict[str, list[tuple[str, bool]]] = {}
        self.any_of_count: Counter[str] = Counter()
        for asset in estate.assets:
            if asset.contract:
                self.users.setdefault(asset.contract, []).append(asset.id)
            if asset.provider:
                self.members.setdefault(asset.provider, []).append(asset.id)
            for child, strict in _edges(asset):
                self.parents.setdefault(child, []).append((asset.id, strict))
            self.any_of_count.update(_any_of_members(asset))
        # What processes give each asset directly.
        self.process_index = {p.id: i for i, p in enumerate(estate.processes)}
        self.seed_key: dict[str, Key] = {}
        self.seed_need: dict[str, Need] = {}
        for index, process in enumerate(estate.processes):
            key = (CRITICALITIES.index(process.criticality), index)
            own = (
                Need(process.max_downtime, process.id, None)
                if process.max_downtime is not None
                else Need(None, None, process.id)
            )
            for requirement in process.depends_on:
                strict = not isinstance(requirement, AnyOf)
                members = requirement.any_of if isinstance(requirement, AnyOf) else [requirement]
                for member in members:
                    if member not in self.seed_key or key < self.seed_key[member]:
                        self.seed_key[member] = key
                    if strict:
                        earlier = self.seed_need.get(member)
                        self.seed_need[member] = (
                            own if earlier is None else earlier.merge(own, self.process_index)
                        )
            self.any_of_count.update(
                m for r in process.depends_on if isinstance(r, AnyOf) for m in r.any_of
            )
        # Owner groups → estate providers whose chain they top.
        self.group_providers: dict[str, list[str]] = {}
        for provider in estate.providers:
            for top in ultimate_owners(context.resolver.chain(provider.id)):
                self.group_providers.setdefault(top.id, []).append(provider.id)
        self.estate_wide = [
            (PREDICATES[r.when], r.params)
            for axis in base.methodology.axes.values()
            for r in axis.rules
            if r.when in ESTATE_WIDE
        ] + [
            (PREDICATES[c.when], c.params)
            for c in base.methodology.exit.criteria
            if c.when in ESTATE_WIDE
        ]

    # ------------------------------------------------------------------ gravity

    def _key(self, gravity: GravityOf) -> Key | None:
        if gravity.process is None:
            return None
        return (CRITICALITIES.index(gravity.gravity), self.process_index[gravity.process])

    def _gravity_of(self, key: Key | None) -> GravityOf:
        if key is None:
            return GravityOf(GRAVITIES[-1], None)
        return GravityOf(CRITICALITIES[key[0]], self.base.estate.processes[key[1]].id)

    def _refold(
        self, rewired: set[str], overlay: Overlay
    ) -> tuple[dict[tuple[str, str], GravityOf], dict[tuple[str, str], Need | None]]:
        """Gravity and strict need of every asset below a changed requirement."""
        assets = self.index.assets

        def new_edges(ident: str) -> list[tuple[str, bool]]:
            asset = overlay.asset(ident)
            return _edges(asset) if asset is not None else []

        roots: set[str] = set()
        for ident in rewired:
            roots.update(c for c, _ in _edges(assets[ident]))
            roots.update(c for c, _ in new_edges(ident))
        below: set[str] = set()
        stack = list(roots)
        while stack:
            node = stack.pop()
            if node in below or node not in assets:
                continue
            below.add(node)
            stack.extend(c for c, _ in _edges(assets[node]))
            if node in overlay.edit.assets:
                stack.extend(c for c, _ in new_edges(node))
        # Parents in the edited estate, for the assets below.
        added: dict[str, list[tuple[str, bool]]] = {}
        for ident in rewired:
            for child, strict in new_edges(ident):
                added.setdefault(child, []).append((ident, strict))
        order = self._topological(below, new_edges)
        grave = self.context.grave
        needs = self.context.needs
        keys: dict[str, Key | None] = {}
        found: dict[str, Need | None] = {}
        rank = self.process_index
        for node in order:
            key = self.seed_key.get(node)
            need = self.seed_need.get(node)
            parents = [p for p in self.parents.get(node, ()) if p[0] not in rewired]
            parents += added.get(node, ())
            for parent, strict in parents:
                parent_key = keys[parent] if parent in keys else self._key(grave[("asset", parent)])
                if parent_key is not None and (key is None or parent_key < key):
                    key = parent_key
                if strict:
                    parent_need = found[parent] if parent in found else needs.get(("asset", parent))
                    if parent_need is not None:
                        need = parent_need if need is None else need.merge(parent_need, rank)
            keys[node] = key
            found[node] = need
        return (
            {("asset", n): self._gravity_of(k) for n, k in keys.items()},
            {("asset", n): v for n, v in found.items()},
        )

    @staticmethod
    def _topological(nodes: set[str], edges: Any) -> list[str]:
        """``nodes``, each before those it requires (depth-first, iterative)."""
        order: list[str] = []
        done: set[str] = set()
        for start in sorted(nodes):
            if start in done:
                continue
            stack: list[tuple[str, bool]] = [(start, False)]
            while stack:
                node, expanded = stack.pop()
                if expanded:
                    order.append(node)
                    continue
                if node in done:
                    continue
                done.add(node)
                stack.append((node, True))
                stack.extend((c, False) for c, _ in edges(node) if c in nodes and c not in done)
        order.reverse()
        return order

    # ------------------------------------------------------------------ rows

    def rows(self, edit: Edit, exact: bool = True) -> tuple[list[Dependency], list[Dependency]]:
        """(rows before, rows after) of the assets ``edit`` can change.

        ``exact=False`` leaves out the rows whose only change would be the counts an
        owner-group concentration reason quotes: their scores do not move. Totals of
        risk are the same either way; the roadmap uses it.
        """
        context = self.context
        base = self.base
        index = self.index
        overlay = Overlay(index, edit)
        touched: dict[str, Asset] = {}

        def touch(ident: str) -> None:
            if ident not in touched:
                asset = overlay.asset(ident)
                if asset is not None:
                    touched[ident] = asset

        for contract_id in edit.contracts:
            for user in self.users.get(contract_id, ()):
                touch(user)
        moved: set[str] = set()
        rewired: set[str] = set()
        for ident, asset in edit.assets.items():
            before = index.assets[ident]
            if asset is before:
                continue
            touched[ident] = asset
            if asset.provider != before.provider:
                moved.add(ident)
            if asset.depends_on != before.depends_on:
                rewired.add(ident)
            if any(getattr(asset, f) != getattr(before, f) for f in HOST_FIELDS):
                for parent in self.context.dependents.get(ident, ()):
                    touch(parent)
        grave: Mapping[tuple[str, str], GravityOf] = context.grave
        needs: Mapping[tuple[str, str], Need | None] = context.needs
        changed_gravity: set[str] = set()
        if rewired:
            new_grave, new_needs = self._refold(rewired, overlay)
            for node, value in new_grave.items():
                if value != context.grave[node] or new_needs[node] != context.needs.get(node):
                    changed_gravity.add(node[1])
                    touch(node[1])
            grave = ChainMap(new_grave, context.grave)  # type: ignore[arg-type]
            needs = ChainMap(new_needs, context.needs)  # type: ignore[arg-type]
        resolver = context.resolver
        if edit.providers:
            resolver = resolver.extended(edit.providers.values())
        facts = context.facts
        regrouped = moved | {i for i in changed_gravity if self._grave_moved(i, grave)}
        redundant = self._redundant(rewired, overlay) if rewired else set()
        for ident in redundant:
            touch(ident)
        if regrouped or redundant:
            facts = self._facts(regrouped, redundant, overlay, grave, resolver)
            for provider_id in self._regrouped_providers(facts, resolver, edit):
                members = self.members.get(provider_id, ())
                if not members:
                    continue
                if exact or self._finds_otherwise(members[0], provider_id, facts, resolver):
                    for member in members:
                        touch(member)
        scored = replace(context, grave=grave, needs=needs, resolver=resolver, facts=facts)
        assets = ChainMap(dict(edit.assets), index.assets)
        contracts = ChainMap(dict(edit.contracts), index.contracts)
        providers = ChainMap(dict(edit.providers), index.providers)
        after = [
            _score(
                _view(scored, base.estate, a, assets, contracts, providers),
                base.methodology,
                context.axes,
            )
            for a in touched.values()
        ]
        return [self.before[i] for i in touched], after

    def _grave_moved(self, ident: str, grave: Mapping[tuple[str, str], GravityOf]) -> bool:
        node = ("asset", ident)
        return (grave[node].gravity in GRAVE) != (self.context.grave[node].gravity in GRAVE)

    def _redundant(self, rewired: set[str], overlay: Overlay) -> set[str]:
        """The assets that joined or left every ``any_of`` group."""
        counts: Counter[str] = Counter()
        for ident in rewired:
            counts.subtract(_any_of_members(self.index.assets[ident]))
            asset = overlay.asset(ident)
            if asset is not None:
                counts.update(_any_of_members(asset))
        return {
            m
            for m, delta in counts.items()
            if delta and (self.any_of_count[m] > 0) != (self.any_of_count[m] + delta > 0)
        }

    def _facts(
        self,
        regrouped: set[str],
        redundant: set[str],
        overlay: Overlay,
        grave: Mapping[tuple[str, str], GravityOf],
        resolver: Resolver,
    ) -> EstateFacts:
        """The estate's facts after the edit: owner-group counts and any_of members."""
        old = self.context.facts
        groups = Counter(old.groups)
        names = dict(old.group_names)
        total = old.grave_total
        for ident in regrouped:
            before = self.index.assets[ident]
            if self.context.grave[("asset", ident)].gravity in GRAVE:
                total -= 1
                if before.provider:
                    for top in ultimate_owners(resolver.chain(before.provider)):
                        groups[top.id] -= 1
            after = overlay.asset(ident)
            if after is not None and grave[("asset", ident)].gravity in GRAVE:
                total += 1
                if after.provider:
                    for top in ultimate_owners(resolver.chain(after.provider)):
                        groups[top.id] += 1
                        names[top.id] = top.name
        for group in [g for g, count in groups.items() if count <= 0]:
            del groups[group]
        return replace(
            old,
            groups=groups,
            group_names=names,
            grave_total=total,
            redundant=old.redundant ^ redundant,
        )

    def _regrouped_providers(self, facts: EstateFacts, resolver: Resolver, edit: Edit) -> list[str]:
        """Estate providers whose owner groups' counts (or their total) moved."""
        old = self.context.facts
        if facts.grave_total != old.grave_total:
            return list(self.index.providers)
        shifted = {
            g for g in set(facts.groups) | set(old.groups) if facts.groups[g] != old.groups[g]
        }
        found = dict.fromkeys(p for g in shifted for p in self.group_providers.get(g, ()))
        return list(found)

    def _finds_otherwise(
        self, member: str, provider_id: str, facts: EstateFacts, resolver: Resolver
    ) -> bool:
        """Whether a rule reading estate-wide counts finds otherwise for this provider."""
        asset = self.index.assets[member]
        provider = self.index.providers[provider_id]
        gravity = self.context.grave[("asset", member)]
        estate = self.base.estate
        old = self.context.facts
        before = View(asset, estate, resolver, gravity, None, old, provider, None, [])
        after = View(asset, estate, resolver, gravity, None, facts, provider, None, [])
        for when, params in self.estate_wide:
            if [f.not_assessed for f in when(before, params)] != [
                f.not_assessed for f in when(after, params)
            ]:
                return True
        return False


def rescore(base: AuditResult, estate: Estate) -> tuple[list[Dependency], list[Dependency]] | None:
    """The rows that change when ``estate`` replaces the audited one: (before, after),
    exactly as a whole audit gives them; None when ``estate`` is not an edit
    :class:`WhatIf` can follow (:func:`edit_between`)."""
    if base.context is None or base.catalog is None:
        return None
    edit = edit_between(base.estate, estate)
    if edit is None:
        return None
    return WhatIf(base).rows(edit)
