"""What-if: the rows an edit of an audited estate changes, without auditing it whole.

The roadmap measures every action by scoring the estate with the action applied. A
large estate's roadmap measures thousands of actions: a whole audit for each would
cost thousands of audits. An action changes a few assets' own fields, a contract, or
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

import heapq
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from souverain.core.estate.model import AnyOf, Asset, Contract, Estate, Provider
from souverain.core.scoring.audit import (
    AuditResult,
    AxisScore,
    Dependency,
    Reason,
    _Axis,
    _axis_score,
    _Context,
    _exit,
    _reason,
    _row,
    _score,
    _view,
)
from souverain.core.scoring.context import EstateFacts, Evidence, Resolver, View, ultimate_owners
from souverain.core.scoring.gravity import GravityOf, Need
from souverain.core.scoring.rules.base import PREDICATES, READ, READS_OF
from souverain.core.vocabulary import CRITICALITIES, GRAVE, GRAVITIES

# Per thing a predicate may read (rules.base.Read, beyond the fields of the asset that
# make its view), the predicates declaring they read it: when only some of these moved,
# only the axes with a rule reading them are scored again. Derived once from the
# declarations on the predicates, which a test checks against their sources
# (tests/roadmap/test_whatif_reads.py). "redundant", membership of an any_of group, is
# read by no predicate; the exit readiness reads it.
READS: Mapping[str, frozenset[str]] = {
    **{read: frozenset(name for name, reads in READS_OF.items() if read in reads) for read in READ},
    "redundant": frozenset(),
}
# Asset fields whose change re-scores only the axes reading them.
LOCAL_FIELDS = frozenset({"skills", "continuity", "exit"})
# What the exit readiness reads itself, whatever its criteria (audit._exit, _fits).
EXIT_READS = frozenset({"need", "redundant", "exit"})
ESTATE_WIDE = READS["estate_counts"]
HOST_FIELDS = ("id", "name", "provider", "deployment")

K = TypeVar("K")
V = TypeVar("V")
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


class Layered(dict[K, V]):
    """``top``'s entries over ``base``'s, without copying ``base`` (a lighter ChainMap
    of two: lookups are those of a dict, falling back once)."""

    __slots__ = ("base",)

    def __init__(self, top: Mapping[K, V], base: Mapping[K, V]) -> None:
        super().__init__(top)
        self.base = base

    def __missing__(self, key: K) -> V:
        return self.base[key]

    def get(self, key: K, default: Any = None) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self.base.get(key, default)

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.base


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


def _changed(asset: Asset, before: Asset) -> set[str]:
    """The fields of ``asset`` that are not those of ``before`` (by identity: edits
    copy models with ``model_copy(update=...)``, which keeps the other fields)."""
    old = before.__dict__
    return {k for k, v in asset.__dict__.items() if v is not old.get(k)}


def _edges(asset: Asset) -> list[tuple[str, bool]]:
    """(required asset, strict) pairs: plain requirements are strict, any_of not."""
    out: list[tuple[str, bool]] = []
    for requirement in asset.depends_on:
        if isinstance(requirement, AnyOf):
            out.extend((member, False) for member in requirement.any_of)
        else:
            out.append((requirement, True))
    return out


def _requirements(asset: Asset | None) -> tuple[Any, ...] | None:
    """What ``asset`` requires, hashable."""
    if asset is None:
        return None
    return tuple(r if isinstance(r, str) else ("any_of", *r.any_of) for r in asset.depends_on)


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
        # A topological order of the audited estate (requirers first).
        self.rank = {
            ident: rank
            for rank, ident in enumerate(
                self._topological(set(self.index.assets), lambda i: _edges(self.index.assets[i]))
            )
        }
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
        self.base_keys = {
            ident: self._key(context.grave[("asset", ident)]) for ident in self.index.assets
        }
        # The owner groups at the top of the chains of providers with assets (one, or
        # the partners of a joint venture) → those providers; each group → its tops.
        self.tops: dict[str, tuple[str, ...]] = {}
        self.tops_providers: dict[tuple[str, ...], list[str]] = {}
        self.group_tops: dict[str, list[tuple[str, ...]]] = {}
        for provider_id in self.members:
            tops = self._tops(provider_id)
            if tops not in self.tops_providers:
                for group in tops:
                    self.group_tops.setdefault(group, []).append(tops)
            self.tops_providers.setdefault(tops, []).append(provider_id)
        # Per axis, each rule's rank (to put reasons back in the audit's order), and
        # whether rule ids are unique and none is "clear", which that needs.
        self.rule_rank = {
            axis.name: {rule[2]: rank for rank, rule in enumerate(axis.rules)}
            for axis in context.axes
        }
        self.by_rule = {
            axis.name: len(self.rule_rank[axis.name]) == len(axis.rules)
            and "clear" not in self.rule_rank[axis.name]
            for axis in context.axes
        }
        self.cause_exit = {
            cause: cause in EXIT_READS
            or any(c.when in predicates for c in base.methodology.exit.criteria)
            for cause, predicates in READS.items()
        }
        self.views: dict[str, View] = {}
        self.refolds: dict[tuple[Any, ...], Any] = {}
        self._again: dict[frozenset[str], list[tuple[_Axis, list[Any]]]] = {}
        self._redo_exit: dict[frozenset[str], bool] = {}
        self._capped: dict[tuple[str, frozenset[str]], bool] = {}
        self.found: dict[tuple[Any, ...], tuple[tuple[bool, ...], ...]] = {}
        self.found_audited: dict[tuple[str, ...], tuple[tuple[bool, ...], ...]] = {}
        self.flips: dict[tuple[Any, ...], list[tuple[str, ...]]] = {}
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

    def _refolded(
        self, rewired: set[str], overlay: Overlay
    ) -> tuple[dict[tuple[str, str], GravityOf], dict[tuple[str, str], Need | None]]:
        """:meth:`_refold`, kept by the requirements of the rewired assets, on which
        alone it depends: a migration's candidates that run on premises all drop the
        same cloud hosts."""
        key = tuple(sorted((i, _requirements(overlay.asset(i))) for i in rewired))
        found = self.refolds.get(key)
        if found is None:
            found = self.refolds[key] = self._refold(rewired, overlay)
        return found

    def _refold(
        self, rewired: set[str], overlay: Overlay
    ) -> tuple[dict[tuple[str, str], GravityOf], dict[tuple[str, str], Need | None]]:
        """Gravity and strict need of the assets below a changed requirement, where
        they moved.

        Both are folds over an asset's requirers (and the processes naming it), so
        they are worked out again from the changed requirements down, in topological
        order, only as far as they move: in the order of the audited estate while its
        edges still follow it (removed requirements, or added ones that go down it),
        else in an order worked out for the assets below.
        """
        assets = self.index.assets

        def edges_of(ident: str) -> list[tuple[str, bool]]:
            asset = overlay.asset(ident)
            return _edges(asset) if asset is not None else []

        added: dict[str, list[tuple[str, bool]]] = {}
        roots: set[str] = set()
        in_order = True
        for ident in rewired:
            roots.update(c for c, _ in _edges(assets[ident]))
            for child, strict in edges_of(ident):
                roots.add(child)
                added.setdefault(child, []).append((ident, strict))
                if child in assets and self.rank[child] <= self.rank[ident]:
                    in_order = False
        roots &= assets.keys()
        needs = self.context.needs
        keys: dict[str, Key | None] = {}
        found: dict[str, Need | None] = {}
        process_rank = self.process_index

        def settle(node: str) -> bool:
            """Fold ``node`` again; whether it moved."""
            key = self.seed_key.get(node)
            need = self.seed_need.get(node)
            parents = [p for p in self.parents.get(node, ()) if p[0] not in rewired]
            parents += added.get(node, ())
            for parent, strict in parents:
                parent_key = keys[parent] if parent in keys else self.base_keys[parent]
                if parent_key is not None and (key is None or parent_key < key):
                    key = parent_key
                if strict:
                    parent_need = found[parent] if parent in found else needs.get(("asset", parent))
                    if parent_need is not None:
                        need = (
                            parent_need if need is None else need.merge(parent_need, process_rank)
                        )
            node_key = ("asset", node)
            if key == self.base_keys[node] and need == needs.get(node_key):
                return False
            keys[node] = key
            found[node] = need
            return True

        if in_order:
            heap = [(self.rank[n], n) for n in roots]
            heapq.heapify(heap)
            done: set[str] = set()
            while heap:
                _, node = heapq.heappop(heap)
                if node in done:
                    continue
                done.add(node)
                if settle(node):
                    for child, _ in edges_of(node):
                        if child in assets and child not in done:
                            heapq.heappush(heap, (self.rank[child], child))
        else:
            below: set[str] = set()
            stack = list(roots)
            while stack:
                node = stack.pop()
                if node not in below and node in assets:
                    below.add(node)
                    stack.extend(c for c, _ in edges_of(node))
                    stack.extend(c for c, _ in _edges(assets[node]))
            dirty = set(roots)
            for node in self._topological(below, edges_of):
                if node in dirty and settle(node):
                    dirty.update(c for c, _ in edges_of(node))
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
        owner-group concentration reason quotes, and keeps the audit's row where the
        rules found again give the same scores: only texts could differ. Totals of
        risk are the same either way; the roadmap uses it.
        """
        derived = self.derive(edit, exact)
        return [self.before[i] for i in derived.rows], list(derived.rows.values())

    def derive(self, edit: Edit, exact: bool = True) -> Derived:
        """The estate ``edit`` makes, scored where it changed (see :meth:`rows`)."""
        context = self.context
        index = self.index
        overlay = Overlay(index, edit)
        touched: dict[str, Asset] = {}  # scored again whole
        partly: dict[str, set[str]] = {}  # scored again for these causes only

        def touch(ident: str, *causes: str) -> None:
            partly.setdefault(ident, set()).update(causes)

        for contract_id in edit.contracts:
            for user in self.users.get(contract_id, ()):
                touch(user, "contract")
        moved: set[str] = set()
        rewired: set[str] = set()
        for ident, asset in edit.assets.items():
            before = index.assets[ident]
            if asset is before:
                continue
            fields = _changed(asset, before)
            if fields <= LOCAL_FIELDS:
                touch(ident, *fields)
                continue
            touched[ident] = asset
            if asset.provider != before.provider:
                moved.add(ident)
            if asset.depends_on != before.depends_on:
                rewired.add(ident)
            if any(getattr(asset, f) != getattr(before, f) for f in HOST_FIELDS):
                for parent in self.context.dependents.get(ident, ()):
                    touch(parent, "hosts")
        grave: Mapping[tuple[str, str], GravityOf] = context.grave
        needs: Mapping[tuple[str, str], Need | None] = context.needs
        changed_gravity: set[str] = set()
        if rewired:
            new_grave, new_needs = self._refolded(rewired, overlay)
            for node, value in new_grave.items():
                if value != context.grave[node] or new_needs[node] != context.needs.get(node):
                    changed_gravity.add(node[1])
                    touch(node[1], "need")
            grave = Layered(new_grave, context.grave)
            needs = Layered(new_needs, context.needs)
        resolver = context.resolver
        if edit.providers:
            resolver = resolver.extended(edit.providers.values())
        facts = context.facts
        regrouped = moved | {i for i in changed_gravity if self._grave_moved(i, grave)}
        redundant = self._redundant(rewired, overlay) if rewired else set()
        for ident in redundant:
            touch(ident, "redundant")
        if regrouped or redundant:
            facts, shifted = self._facts(regrouped, redundant, overlay, grave, resolver)
            moving = self._regrouped(facts, shifted) if exact else self._flipped(facts, shifted)
            for tops in moving:
                for provider_id in self.tops_providers[tops]:
                    for member in self.members[provider_id]:
                        touch(member, "estate_counts")
        scored = replace(context, grave=grave, needs=needs, resolver=resolver, facts=facts)
        assets = Layered(edit.assets, index.assets)
        contracts = Layered(edit.contracts, index.contracts)
        providers = Layered(edit.providers, index.providers)
        derived = Derived(self, overlay, scored, assets, contracts, providers, exact)
        derived.rows = {i: derived.score(a) for i, a in touched.items()}
        for ident, causes in partly.items():
            if ident not in touched:
                derived.rows[ident] = derived.rescore(ident, causes)
        return derived

    def view_of(self, ident: str) -> View:
        """The audited asset's view (kept: the what-if rebinds it, see View.rebound)."""
        view = self.views.get(ident)
        if view is None:
            index = self.index
            view = self.views[ident] = _view(
                self.context,
                self.base.estate,
                index.assets[ident],
                index.assets,
                index.contracts,
                index.providers,
            )
        return view

    def again(self, causes: frozenset[str] | set[str]) -> list[tuple[_Axis, list[Any]]]:
        """Each axis with its rules that read what ``causes`` name."""
        key = causes if isinstance(causes, frozenset) else frozenset(causes)
        found = self._again.get(key)
        if found is None:
            predicates = frozenset().union(*(READS[c] for c in causes))
            found = self._again[key] = [
                (axis, [rule for rule in axis.rules if rule[0].__name__ in predicates])
                for axis in self.context.axes
            ]
        return found

    def redo_exit(self, causes: frozenset[str]) -> bool:
        """Whether the exit readiness reads what ``causes`` name."""
        found = self._redo_exit.get(causes)
        if found is None:
            found = self._redo_exit[causes] = any(self.cause_exit[c] for c in causes)
        return found

    def capped_audited(self, ident: str, causes: frozenset[str]) -> bool:
        """:meth:`capped` for the audit's row of ``ident`` (kept: every candidate of a
        migration asks it of the same dependents)."""
        key = (ident, causes)
        found = self._capped.get(key)
        if found is None:
            found = self._capped[key] = self.capped(causes, self.before[ident])
        return found

    def capped(self, causes: frozenset[str] | set[str], prior: Dependency) -> bool:
        """Whether no rule reading what ``causes`` name can move ``prior``'s axis
        scores: on each axis (scored by its worst reason) where such rules are, another
        rule's reason already scores at least as high as any of them could."""
        for axis, again in self.again(causes):
            if not again:
                continue
            if axis.summed:
                return False
            redo = {rule[2] for rule in again}
            highest = max(rule[3] for rule in again)
            kept = [
                r.score
                for r in prior.exposure[axis.name].reasons
                if r.rule != "clear" and r.rule not in redo
            ]
            if not kept or max(kept) < highest:
                return False
        return True

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
    ) -> tuple[EstateFacts, set[str]]:
        """The estate's facts after the edit (owner-group counts and any_of members),
        and the groups whose counts moved."""
        old = self.context.facts
        moves: Counter[str] = Counter()
        names: dict[str, str] = {}
        total = old.grave_total
        for ident in regrouped:
            before = self.index.assets[ident]
            if self.context.grave[("asset", ident)].gravity in GRAVE:
                total -= 1
                if before.provider:
                    moves.subtract(self._tops(before.provider, resolver))
            after = overlay.asset(ident)
            if after is not None and grave[("asset", ident)].gravity in GRAVE:
                total += 1
                if after.provider:
                    for top in ultimate_owners(resolver.chain(after.provider)):
                        moves[top.id] += 1
                        names[top.id] = top.name
        shifted = {g for g, move in moves.items() if move}
        groups = old.groups
        if shifted:
            groups = Counter(old.groups)
            for group in shifted:
                groups[group] += moves[group]
                if groups[group] <= 0:
                    del groups[group]
        facts = replace(
            old,
            groups=groups,
            group_names={**old.group_names, **names} if names else old.group_names,
            grave_total=total,
            redundant=old.redundant ^ redundant if redundant else old.redundant,
        )
        return facts, shifted

    def _tops(self, provider_id: str, resolver: Resolver | None = None) -> tuple[str, ...]:
        """The owner groups at the top of a provider's chain."""
        tops = self.tops.get(provider_id)
        if tops is None:
            chain = (resolver or self.context.resolver).chain(provider_id)
            tops = self.tops[provider_id] = tuple(t.id for t in ultimate_owners(chain))
        return tops

    def _regrouped(self, facts: EstateFacts, shifted: set[str]) -> list[tuple[str, ...]]:
        """The tops (owner groups of a chain) whose counts, or their total, moved."""
        if facts.grave_total != self.context.facts.grave_total:
            return list(self.tops_providers)
        return list(dict.fromkeys(t for g in shifted for t in self.group_tops.get(g, ())))

    def _flipped(self, facts: EstateFacts, shifted: set[str]) -> list[tuple[str, ...]]:
        """The tops of :meth:`_regrouped` for which a rule reading estate-wide counts
        finds otherwise; kept by what decides it, the total and the shifted groups'
        counts (the other groups' are the audit's)."""
        key = (facts.grave_total, tuple(sorted((g, facts.groups.get(g, 0)) for g in shifted)))
        found = self.flips.get(key)
        if found is None:
            found = self.flips[key] = [
                tops
                for tops in self._regrouped(facts, shifted)
                if self._finds_otherwise(tops, facts)
            ]
        return found

    def _finds_otherwise(self, tops: tuple[str, ...], facts: EstateFacts) -> bool:
        """Whether a rule reading estate-wide counts finds otherwise for these tops."""
        audited = self.found_audited.get(tops)
        if audited is None:
            audited = self.found_audited[tops] = self._found(tops, self.context.facts)
        return self._found(tops, facts) != audited

    def _found(self, tops: tuple[str, ...], facts: EstateFacts) -> tuple[tuple[bool, ...], ...]:
        """What the estate-wide rules find for chains topped by ``tops`` (not-assessed
        flags), cached by the counts they read: the tops' and the total. Those rules
        read, of the view, only its chain's ultimate owners (ESTATE_WIDE): one
        provider's view stands for all providers with the same tops."""
        key = (tops, tuple(facts.groups.get(t, 0) for t in tops), facts.grave_total)
        cached = self.found.get(key)
        if cached is None:
            provider_id = self.tops_providers[tops][0]
            member = self.members[provider_id][0]
            view = View(
                self.index.assets[member],
                self.base.estate,
                self.context.resolver,
                self.context.grave[("asset", member)],
                None,
                facts,
                self.index.providers[provider_id],
                None,
                [],
            )
            cached = self.found[key] = tuple(
                tuple(f.not_assessed for f in when(view, params))
                for when, params in self.estate_wide
            )
        return cached


class Derived:
    """An edited estate as :meth:`WhatIf.derive` worked it out: its gravities, needs
    and facts, and the rows that differ from the audit's."""

    def __init__(
        self,
        whatif: WhatIf,
        overlay: Overlay,
        context: _Context,
        assets: Mapping[str, Asset],
        contracts: Mapping[str, Contract],
        providers: Mapping[str, Provider],
        exact: bool = True,
    ) -> None:
        self.whatif = whatif
        self.exact = exact
        self.overlay = overlay
        self.context = context
        self.assets = assets
        self.contracts = contracts
        self.providers = providers
        self.rows: dict[str, Dependency] = {}

    def score(self, asset: Asset, assets: Mapping[str, Asset] | None = None) -> Dependency:
        view = _view(
            self.context,
            self.whatif.base.estate,
            asset,
            self.assets if assets is None else assets,
            self.contracts,
            self.providers,
        )
        return _score(view, self.whatif.base.methodology, self.context.axes)

    def rescore(
        self,
        ident: str,
        causes: set[str],
        prior: Dependency | None = None,
        assets: Mapping[str, Asset] | None = None,
    ) -> Dependency:
        """The row of ``ident`` scored again only where ``causes`` (keys of
        :data:`READS`) reach; the rest is ``prior``'s (by default, the audit's row)."""
        whatif = self.whatif
        key = frozenset(causes)
        redo_exit = whatif.redo_exit(key)
        if prior is None:  # the audit's row
            prior = whatif.before[ident]
            if not (self.exact or redo_exit) and whatif.capped_audited(ident, key):
                return prior
        elif not (self.exact or redo_exit) and whatif.capped(key, prior):
            return prior  # no rule found again could move an axis score: skip them
        assets = self.assets if assets is None else assets
        asset = assets[ident]
        node = ("asset", ident)
        context = self.context
        audited = whatif.index.assets[ident]
        if asset is audited or _changed(asset, audited) <= LOCAL_FIELDS:
            # What the view is made from did not change: rebind the audited view.
            view = whatif.view_of(ident).rebound(
                asset,
                context.resolver,
                context.grave[node],
                context.needs.get(node),
                context.facts,
                self.contracts.get(asset.contract) if asset.contract else None,
                [assets[r] for r in asset.depends_on if isinstance(r, str)],
            )
        else:  # an asset an earlier edit changed (a migration before its training)
            view = _view(context, whatif.base.estate, asset, assets, self.contracts, self.providers)
        exposure = {}
        moved = False
        for axis, again in whatif.again(key):
            if not again:
                exposure[axis.name] = prior.exposure[axis.name]
            elif whatif.by_rule[axis.name]:
                exposure[axis.name] = _rules_again(
                    view, axis, again, prior.exposure[axis.name], whatif.rule_rank[axis.name]
                )
            else:
                exposure[axis.name] = _axis_score(view, axis)
            moved = moved or exposure[axis.name].score != prior.exposure[axis.name].score
        methodology = whatif.base.methodology
        if not (self.exact or moved or redo_exit):
            return prior  # the same scores, gravity and exit: only texts could differ
        exit_readiness = _exit(view, methodology) if redo_exit else prior.exit
        return _row(view, methodology, self.context.axes, exposure, exit_readiness)

    def row(self, ident: str) -> Dependency:
        return self.rows.get(ident) or self.whatif.before[ident]

    def then_local(self, later: Edit, rows: list[Dependency]) -> Derived:
        """This estate with ``later`` made, ``later`` being local (see :meth:`local`)
        and ``rows`` the rows :meth:`local` scored for it."""
        derived = Derived(
            self.whatif,
            self.overlay.then(later),
            self.context,
            Layered(later.assets, self.assets),
            self.contracts,
            self.providers,
            self.exact,
        )
        derived.rows = {**self.rows, **{d.asset: d for d in rows}}
        return derived

    def local(self, later: Edit) -> tuple[list[Dependency], list[Dependency]] | None:
        """(before, after) rows of ``later`` made on this estate, when it changes only
        assets' fields that no other row reads and that the view is not made from
        (:data:`LOCAL_FIELDS`: what backups, export tests and training change); else
        None."""
        if later.contracts or later.providers:
            return None
        changes = []
        for ident, asset in later.assets.items():
            prior = self.overlay.asset(ident)
            if prior is None:
                return None
            fields = _changed(asset, prior)
            if not fields <= LOCAL_FIELDS:
                return None
            changes.append((ident, fields))
        assets = Layered(later.assets, self.assets)
        before = [self.row(i) for i in later.assets]
        after = [
            self.rescore(ident, fields, row, assets)
            for row, (ident, fields) in zip(before, changes, strict=True)
        ]
        return before, after


def _rules_again(
    view: View,
    axis: _Axis,
    again: list[Any],
    prior: AxisScore,
    rank: Mapping[str, int],
) -> AxisScore:
    """``prior`` with the reasons of rules ``again`` found anew: what
    :func:`audit._axis_score` gives, the other rules' reasons being unchanged."""
    redo = {rule[2] for rule in again}
    reasons = [r for r in prior.reasons if r.rule != "clear" and r.rule not in redo]
    for rule in again:
        for f in rule[0](view, rule[1]):
            reasons.append(_reason(rule, f))
    if not reasons:
        return AxisScore(0, (Reason("clear", 0, axis.clear, {}, Evidence(view.field("*"))),))
    # The audit lists reasons by rule, then sorts them by score (stably).
    reasons.sort(key=lambda r: (-r.score, rank[r.rule]))
    scores = [r.score for r in reasons]
    value = sum(scores) if axis.summed else max(scores)
    return AxisScore(int(min(4, value)), tuple(reasons))


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
