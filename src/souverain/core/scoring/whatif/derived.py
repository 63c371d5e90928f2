"""An edited estate as the what-if worked it out, and its rows scored again where
the edit reaches (see the package's documentation)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from souverain.core.estate.model import Asset, Contract, Provider, requirement_ids
from souverain.core.scoring.context import View
from souverain.core.scoring.score import (
    AxisScore,
    CompiledAxis,
    Dependency,
    ScoringContext,
    axis_score,
    clear_score,
    exit_readiness,
    reason_of,
    row_of,
    score_row,
    view_of,
)
from souverain.core.scoring.whatif.overlay import Edit, Layered, Overlay, changed_fields
from souverain.core.scoring.whatif.reads import LOCAL_FIELDS

if TYPE_CHECKING:
    from souverain.core.scoring.whatif.engine import WhatIf


class Derived:
    """An edited estate as :meth:`WhatIf.derive` worked it out: its gravities, needs
    and facts, and the rows that differ from the audit's."""

    def __init__(
        self,
        whatif: WhatIf,
        overlay: Overlay,
        context: ScoringContext,
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
        view = view_of(
            self.context,
            self.whatif.base.estate,
            asset,
            self.assets if assets is None else assets,
            self.contracts,
            self.providers,
        )
        return score_row(view, self.whatif.base.methodology, self.context.axes)

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
        if asset is audited or changed_fields(asset, audited) <= LOCAL_FIELDS:
            # What the view is made from did not change: rebind the audited view.
            view = whatif.audited_view(ident).rebound(
                asset,
                context.resolver,
                context.grave[node],
                context.needs.get(node),
                context.facts,
                self.contracts.get(asset.contract) if asset.contract else None,
                [assets[r] for r in requirement_ids(asset.depends_on)],
            )
        else:  # an asset an earlier edit changed (a migration before its training)
            view = view_of(
                context, whatif.base.estate, asset, assets, self.contracts, self.providers
            )
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
                exposure[axis.name] = axis_score(view, axis)
            moved = moved or exposure[axis.name].score != prior.exposure[axis.name].score
        methodology = whatif.base.methodology
        if not (self.exact or moved or redo_exit):
            return prior  # the same scores, gravity and exit: only texts could differ
        readiness = exit_readiness(view, methodology) if redo_exit else prior.exit
        return row_of(view, methodology, self.context.axes, exposure, readiness)

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
            fields = changed_fields(asset, prior)
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
    axis: CompiledAxis,
    again: list[Any],
    prior: AxisScore,
    rank: Mapping[str, int],
) -> AxisScore:
    """``prior`` with the reasons of rules ``again`` found anew: what
    :func:`score.axis_score` gives, the other rules' reasons being unchanged."""
    redo = {rule[2] for rule in again}
    reasons = [r for r in prior.reasons if r.rule != "clear" and r.rule not in redo]
    for rule in again:
        for f in rule[0](view, rule[1]):
            reasons.append(reason_of(rule, f))
    if not reasons:
        return clear_score(view, axis)
    # The audit lists reasons by rule, then sorts them by score (stably).
    reasons.sort(key=lambda r: (-r.score, rank[r.rule]))
    scores = [r.score for r in reasons]
    value = sum(scores) if axis.summed else max(scores)
    return AxisScore(int(min(4, value)), tuple(reasons))
