"""The what-if's engine: which rows an edit can change, scored again (see the
package's documentation)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from souverain.core.estate.model import AnyOf, Asset, Estate
from souverain.core.mapper import Mapper, serially
from souverain.core.scoring.audit import AuditResult
from souverain.core.scoring.context import EstateFacts, Resolver, View, ultimate_owners
from souverain.core.scoring.gravity import (
    DependencyGraph,
    GravityOf,
    Need,
    gravities,
    strict_needs,
)
from souverain.core.scoring.redundancy import Redundancy
from souverain.core.scoring.rules.base import PREDICATES
from souverain.core.scoring.score import CompiledAxis, Dependency, view_of
from souverain.core.scoring.whatif.derived import Derived
from souverain.core.scoring.whatif.folds import Folds
from souverain.core.scoring.whatif.overlay import (
    Edit,
    EstateIndex,
    Layered,
    Overlay,
    any_of_members,
    changed_fields,
    edit_between,
    materialise,
)
from souverain.core.scoring.whatif.reads import (
    ESTATE_WIDE,
    EXIT_READS,
    HOST_FIELDS,
    LOCAL_FIELDS,
    READS,
)
from souverain.core.vocabulary import GRAVE

# The fields of an asset its footprint is made from (scoring.redundancy).
FOOTPRINT_FIELDS = ("provider", "location", "depends_on", "deployment", "product")


class WhatIf:
    """Scores edits of an audited estate (see the module's documentation)."""

    def __init__(self, base: AuditResult, mapper: Mapper = serially) -> None:
        if base.context is None or base.catalog is None:
            raise ValueError("the audit carries no context: audit the estate first")
        self.base = base
        self.mapper = mapper  # scores the rows of an edit (they are independent)
        self.context = context = base.context
        estate = base.estate
        self.index = EstateIndex(estate)
        self.before = {d.asset: d for d in base.dependencies}
        self.users: dict[str, list[str]] = {}  # contract → assets naming it
        self.members: dict[str, list[str]] = {}  # provider → its assets
        self.any_of_count: Counter[str] = Counter()
        for asset in estate.assets:
            if asset.contract:
                self.users.setdefault(asset.contract, []).append(asset.id)
            if asset.provider:
                self.members.setdefault(asset.provider, []).append(asset.id)
            self.any_of_count.update(any_of_members(asset))
        self.any_of_count.update(
            m
            for process in estate.processes
            for r in process.depends_on
            if isinstance(r, AnyOf)
            for m in r.any_of
        )
        redundancy = context.facts.redundancy
        assert redundancy is not None, "the audit works out the estate's redundancy"
        self.redundancy = redundancy
        self._support: dict[str, tuple[set[str], set[tuple[str, ...]]]] | None = None
        self.folds = Folds(estate, self.index, context.grave, context.needs, redundancy.independent)
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
        self._again: dict[frozenset[str], list[tuple[CompiledAxis, list[Any]]]] = {}
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
            fields = changed_fields(asset, before)
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
        resolver = context.resolver
        if edit.providers:
            resolver = resolver.extended(edit.providers.values())
        redundancy, judged, moved_groups, whole = self._redundancy(edit, resolver, rewired)
        for ident in judged:
            touch(ident, "redundancy")
        if whole:
            # What a backup protects moved: gravities worked out whole.
            assert redundancy is not None
            graph = DependencyGraph(redundancy.estate, redundancy.independent)
            whole_grave, whole_needs = gravities(graph), strict_needs(graph)
            for ident in index.assets:
                node = ("asset", ident)
                if whole_grave[node] != context.grave[node] or whole_needs.get(
                    node
                ) != context.needs.get(node):
                    changed_gravity.add(ident)
                    touch(ident, "need")
            grave, needs = whole_grave, whole_needs
        else:
            # A group whose members gained or lost an independent partner: its
            # holders' edges step otherwise (refolded as if rewired), and what the
            # processes naming it give its members directly is worked out again.
            refold = set(rewired)
            seeds: dict[str, tuple[int, int] | None] = {}
            for group in moved_groups:
                assert redundancy is not None
                for holder in [*self.redundancy.holding(group), *redundancy.holding(group)]:
                    if holder is not None:
                        refold.add(holder)
                    else:
                        for member in group:
                            seeds[member] = self.folds.seed(member, redundancy.independent)
            if refold or seeds:
                new_grave, new_needs = self.folds.refolded(
                    refold,
                    overlay,
                    redundancy.independent if redundancy is not None else None,
                    seeds,
                )
                for node, value in new_grave.items():
                    if value != context.grave[node] or new_needs[node] != context.needs.get(node):
                        changed_gravity.add(node[1])
                        touch(node[1], "need")
                grave = Layered(new_grave, context.grave)
                needs = Layered(new_needs, context.needs)
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
        if redundancy is not None:
            facts = replace(facts, redundancy=redundancy)
        scored = replace(context, grave=grave, needs=needs, resolver=resolver, facts=facts)
        assets = Layered(edit.assets, index.assets)
        contracts = Layered(edit.contracts, index.contracts)
        providers = Layered(edit.providers, index.providers)
        derived = Derived(self, overlay, scored, assets, contracts, providers, exact)
        # Rows scored whole, then rows scored again in part; each on its own.
        work: list[tuple[str, Asset | None, set[str]]] = [(i, a, set()) for i, a in touched.items()]
        work += [(i, None, causes) for i, causes in partly.items() if i not in touched]

        def score(chunk: Sequence[tuple[str, Asset | None, set[str]]]) -> list[Dependency]:
            return [
                derived.score(asset) if asset is not None else derived.rescore(ident, causes)
                for ident, asset, causes in chunk
            ]

        rows = self.mapper(score, work)
        derived.rows = {item[0]: row for item, row in zip(work, rows, strict=True)}
        return derived

    def _redundancy(
        self, edit: Edit, resolver: Resolver, rewired: set[str]
    ) -> tuple[Redundancy | None, set[str], set[tuple[str, ...]], bool]:
        """(the edited estate's redundancy, the assets whose redundancy reasons may
        change, the groups a member of which gains or loses an independent partner,
        whether gravities must be worked out whole) for ``edit``.

        Whole only when the edit changes what a backup protects. The edited estate's
        redundancy is worked out when the edit changes the groups an asset names, or
        what the footprint of a group member, a backup or a group's holder is made of
        (provider, location, requirements, deployment, product); None otherwise."""
        judged: set[str] = set()
        groups: set[tuple[str, ...]] = set()
        structural = False
        whole = False
        support = self.support()
        changed: set[str] = set()
        held: set[tuple[str, ...]] = set()  # the groups a holder of which holds one
        for ident, asset in edit.assets.items():
            before = self.index.assets[ident]
            if asset is before:
                continue
            changed.add(ident)
            if asset.protects != before.protects:
                whole = True
            if asset.depends_on != before.depends_on and (
                any_of_members(asset) or any_of_members(before)
            ):
                structural = True
            inside = support.get(ident)
            if inside is not None:
                held |= inside[1]
            if inside is not None and any(
                getattr(asset, f) != getattr(before, f) for f in FOOTPRINT_FIELDS
            ):
                judged |= inside[0]
                groups |= inside[1]
        if not (whole or structural or judged or groups):
            return None, set(), set(), False
        assert self.base.catalog is not None
        if whole:
            estate = materialise(self.base.estate, edit)
            redundancy = Redundancy(estate, self.base.catalog, resolver.chain)
            redundancy.inherit(self.redundancy, changed)
            judged = self._reread(self.redundancy.judged() | redundancy.judged(), redundancy)
            return redundancy, judged, set(), True
        redundancy = self.redundancy.edited(
            Layered(edit.assets, self.index.assets),
            Layered(edit.providers, self.index.providers),
            changed,
            resolver.chain,
            held,
        )
        if structural:
            for ident in rewired:
                before, after = self.index.assets[ident], edit.assets[ident]
                if any_of_members(before) or any_of_members(after):
                    redundancy.regrouped(ident, before, after)
                for asset in (before, after):
                    groups.update(tuple(r.any_of) for r in asset.depends_on if isinstance(r, AnyOf))
        moved = self.redundancy.moved(redundancy, judged, groups)
        # Reasons name what members share with their partners, and assets what they
        # share with their backups: both sides are read again.
        reread = set(judged)
        for group in groups:
            reread.update(group)
        for ident in judged:
            for group in [*self.redundancy.groups_of(ident), *redundancy.groups_of(ident)]:
                reread.update(group)
            reread.update(self.redundancy.backups_of(ident))
            reread.update(self.index.assets[ident].protects)
        return redundancy, self._reread(reread, redundancy), moved, False

    def _reread(self, assets: set[str], redundancy: Redundancy) -> set[str]:
        """The assets among ``assets`` whose redundancy reasons read otherwise in the
        edited estate's ``redundancy`` (the others' reasons are the audit's)."""
        return {i for i in assets if not self.redundancy.reads_alike(redundancy, i)}

    def support(self) -> dict[str, tuple[set[str], set[tuple[str, ...]]]]:
        """Redundancy.support of the audited estate, worked out once."""
        if self._support is None:
            self._support = self.redundancy.support()
        return self._support

    def audited_view(self, ident: str) -> View:
        """The audited asset's view (kept: the what-if rebinds it, see View.rebound)."""
        view = self.views.get(ident)
        if view is None:
            index = self.index
            view = self.views[ident] = view_of(
                self.context,
                self.base.estate,
                index.assets[ident],
                index.assets,
                index.contracts,
                index.providers,
            )
        return view

    def again(self, causes: frozenset[str] | set[str]) -> list[tuple[CompiledAxis, list[Any]]]:
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
            counts.subtract(any_of_members(self.index.assets[ident]))
            asset = overlay.asset(ident)
            if asset is not None:
                counts.update(any_of_members(asset))
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
