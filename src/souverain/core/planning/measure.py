"""Measuring actions: the risk total of the audited estate with actions done.

A :class:`RiskScorer` re-scores edits of the audited estate with the audit's
methodology, catalog and date: only the rows an edit can change are scored again
(:mod:`souverain.core.scoring.whatif`), exactly as a whole audit would score them. Its
indexes take a moment on a large estate: make one per audit and give it to both
:func:`~souverain.core.planning.generation.generate_actions` and
:func:`~souverain.core.planning.roadmap.build_roadmap` (souverain.pipeline does).
"""

from __future__ import annotations

from typing import Any

from souverain.core.catalog.model import Catalog
from souverain.core.estate.model import Estate
from souverain.core.mapper import Mapper, serially
from souverain.core.planning.actions import (
    Action,
    Migrate,
    action_edit,
    all_prerequisites,
    apply_action,
    apply_all,
)
from souverain.core.scoring.audit import AuditResult, Dependency, audit
from souverain.core.scoring.risk import dependency_risk, risk_total
from souverain.core.scoring.whatif import (
    NO_EDIT,
    Derived,
    Edit,
    WhatIf,
    edit_between,
)


class RiskScorer:
    """The risk total of edits of one audited estate, scored with its audit's
    methodology, catalog and date.

    States are named by the actions done, in order (organisational ones change
    nothing and are left out of the name); each is worked out once.
    """

    def __init__(
        self, result: AuditResult, catalog: Catalog | None = None, mapper: Mapper = serially
    ) -> None:
        catalog = catalog or result.catalog
        if catalog is None:
            raise ValueError("the audit carries no catalog: pass one")
        self.result = result
        self.catalog = catalog
        self.today = result.today
        self.whatif = WhatIf(result, mapper)  # mapper: shares out an edit's rows
        self.index = self.whatif.index
        self.base = sum(dependency_risk(d) for d in result.dependencies)
        self.states: dict[tuple[Any, ...], Derived] = {(): self.whatif.derive(NO_EDIT, exact=False)}
        self.raw: dict[tuple[Any, ...], float] = {(): self.base}

    def after(self, key: tuple[Any, ...], action: Action) -> tuple[tuple[Any, ...], float]:
        """The state ``action`` leads to from state ``key``, and its risk total."""
        prior = self.states[key]
        later = action_edit(prior.overlay, action, self.catalog, self.today)
        if not (later.assets or later.contracts or later.providers):
            return key, round(self.raw[key], 2)
        # Candidates of one migration share an id: the product tells them apart.
        change = action.change
        token: Any = (
            (action.id, change.product, change.deployment)
            if isinstance(change, Migrate)
            else action.id
        )
        new = (*key, token)
        if new not in self.raw:
            local = prior.local(later)
            if local is not None:
                before, rows = local
                self.states[new] = prior.then_local(later, rows)
                self.raw[new] = self.raw[key] + _delta(before, rows)
            else:
                derived = self.whatif.derive(prior.overlay.edit.then(later), exact=False)
                self.states[new] = derived
                before = [self.whatif.before[i] for i in derived.rows]
                self.raw[new] = self.base + _delta(before, list(derived.rows.values()))
        return new, round(self.raw[new], 2)

    def total_of(self, edit: Edit) -> float:
        """The risk total of the audited estate with ``edit`` made."""
        before, after = self.whatif.rows(edit, exact=False)
        return round(self.base + _delta(before, after), 2)

    def total(self, estate: Estate) -> float:
        """The risk total of ``estate``, an edit of the audited one or not."""
        edit = edit_between(self.result.estate, estate)
        return self.total_of(edit) if edit is not None else self.audited_total(estate)

    def audited_total(self, estate: Estate) -> float:
        """The risk total of a whole new audit of ``estate``."""
        # The graph findings do not enter the scores: reuse the original ones.
        found = audit(
            estate,
            self.result.methodology,
            self.catalog,
            self.today,
            findings=self.result.graph or (lambda: None),
        )
        return risk_total(found)


def _delta(before: list[Dependency], after: list[Dependency]) -> float:
    return sum(dependency_risk(d) for d in after) - sum(dependency_risk(d) for d in before)


def measured_reduction(
    result: AuditResult, actions: list[Action], action_id: str, catalog: Catalog
) -> tuple[float, float]:
    """Risk totals before and after ``action_id`` (prerequisites applied first): for tests."""
    by_id = {a.id: a for a in actions}
    scorer = RiskScorer(result, catalog)
    start = apply_all(
        result.estate,
        [by_id[p] for p in all_prerequisites(by_id[action_id], by_id)],
        catalog,
        result.today,
    )
    after = apply_action(start, by_id[action_id], catalog, result.today)
    return scorer.total(start), scorer.total(after)
