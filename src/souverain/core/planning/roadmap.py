"""The roadmap (docs/roadmap.md): actions ordered, phased and projected.

:func:`build_roadmap` orders the actions (from
:func:`~souverain.core.planning.generation.generate_actions`) by risk removed per day of
effort, keeps every prerequisite ahead of its dependents, fills three phases
(:mod:`souverain.core.planning.phases`) by capacity, applies a plan file's overrides
(drop, pin, re-phase: :mod:`souverain.core.planning.plan_file`), and projects the risk
total after each phase by re-scoring the estate with every action up to that phase
applied.

Everything here is pure: no file is read and nothing is printed.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from souverain.core.catalog.model import Catalog
from souverain.core.errors import InvalidInput, Problem
from souverain.core.phrase import phrase
from souverain.core.planning.actions import ORGANISATIONAL, Action, all_prerequisites, applied
from souverain.core.planning.measure import RiskScorer
from souverain.core.planning.phases import (
    DEFAULT_CAPACITY_DAYS_PER_MONTH,
    PHASE_MONTHS,
    PHASES,
    PhaseName,
)
from souverain.core.planning.plan_file import PlanFile
from souverain.core.scoring.audit import AuditResult
from souverain.core.scoring.risk import risk_total
from souverain.core.scoring.whatif import Overlay


@dataclass(frozen=True)
class Phase:
    name: PhaseName
    actions: tuple[Action, ...]
    effort_days: float
    capacity_days: float
    risk_after: float


@dataclass(frozen=True)
class Roadmap:
    risk_before: float
    phases: tuple[Phase, ...]
    capacity_days_per_month: float
    dropped: tuple[str, ...] = ()
    pinned: tuple[str, ...] = ()
    rephased: tuple[str, ...] = ()

    @property
    def actions(self) -> list[Action]:
        return [a for p in self.phases for a in p.actions]

    def phase_of(self, action_id: str) -> PhaseName | None:
        return next((p.name for p in self.phases for a in p.actions if a.id == action_id), None)

    @property
    def risk_after_each_phase(self) -> list[float]:
        return [p.risk_after for p in self.phases]


_KIND_RANK = {k: i for i, k in enumerate(("governance", "document", "awareness", "purchasing"))}


def _sort_key(action: Action) -> tuple[float, float, int, str]:
    return (
        -action.priority,
        -action.uncertainty / max(action.effort_days, 0.1),
        _KIND_RANK.get(action.kind, len(_KIND_RANK)),
        action.id,
    )


def order_actions(actions: list[Action], pinned: Iterable[str] = ()) -> list[Action]:
    """Pinned first, then by risk removed per day; prerequisites always ahead.

    A prerequisite inherits the best rank of the actions that need it, so that a
    valuable action is not held back by a modest prerequisite.
    """
    by_id = {a.id: a for a in actions}
    pins = set(pinned)
    dependents: dict[str, list[str]] = {a.id: [] for a in actions}
    for a in actions:
        for p in a.prerequisites:
            if p in dependents:
                dependents[p].append(a.id)
    rank_of: dict[str, tuple[int, float, float, int, str]] = {}

    def rank(ident: str, seen: frozenset[str] = frozenset()) -> tuple[int, float, float, int, str]:
        if ident not in rank_of:
            key = _sort_key(by_id[ident])
            best = (0 if ident in pins else 1, *key[:3])
            for d in dependents[ident]:
                if d not in seen:
                    best = min(best, rank(d, seen | {ident})[:4])
            rank_of[ident] = (*best, ident)
        return rank_of[ident]

    waiting = {a.id: sum(1 for p in a.prerequisites if p in by_id) for a in actions}
    heap = [(rank(i), i) for i, n in waiting.items() if n == 0]
    heapq.heapify(heap)
    out: list[Action] = []
    while heap:
        _, ident = heapq.heappop(heap)
        out.append(by_id[ident])
        for d in dependents[ident]:
            waiting[d] -= 1
            if waiting[d] == 0:
                heapq.heappush(heap, (rank(d), d))
    if len(out) != len(actions):  # a cycle: cannot happen with generated actions
        out += [a for a in actions if a not in out]
    return out


def build_roadmap(
    result: AuditResult,
    actions: list[Action],
    catalog: Catalog | None = None,
    capacity_days_per_month: float = DEFAULT_CAPACITY_DAYS_PER_MONTH,
    plan: PlanFile | None = None,
    scorer: RiskScorer | None = None,
) -> Roadmap:
    """Order, phase and project ``actions`` (from :func:`generate_actions`).

    Raises :class:`InvalidInput` (kind ``plan``) when the plan names an unknown action
    or puts an action in a phase before one of its prerequisites; paths are
    ``("actions", ID, ...)`` so that the caller can locate them in the plan file.
    ``scorer``: the audit's :class:`RiskScorer`, the one that measured the actions when
    the caller kept it (a new one otherwise).
    """
    catalog = catalog or result.catalog
    if catalog is None:
        raise ValueError("the audit carries no catalog: pass one")
    if capacity_days_per_month <= 0:
        raise InvalidInput(
            "option",
            [
                Problem(
                    ("--capacity",),
                    phrase("wrong-value"),
                    phrase("expected-capacity"),
                    str(capacity_days_per_month),
                )
            ],
        )
    plan = plan or PlanFile()
    known = {a.id for a in actions}
    problems = [
        Problem(
            ("actions", ident), phrase("unknown-action"), phrase("expected-action-id"), repr(ident)
        )
        for ident in plan.actions
        if ident not in known
    ]
    if problems:
        raise InvalidInput("plan", problems)
    dropped = {i for i, o in plan.actions.items() if o.drop}
    # Training on a tool whose migration is dropped has no object: it goes too.
    dropped |= {a.id for a in actions if a.kind == "train" and set(a.prerequisites) & dropped}
    kept = [
        replace(a, prerequisites=tuple(p for p in a.prerequisites if p not in dropped))
        if dropped.intersection(a.prerequisites)
        else a
        for a in actions
        if a.id not in dropped
    ]
    pinned = [i for i, o in plan.actions.items() if o.pin and i not in dropped]
    fixed: dict[str, int] = {
        i: PHASES.index(o.phase) for i, o in plan.actions.items() if o.phase is not None
    }
    ordered = order_actions(kept, pinned)
    phase_index = _assign_phases(ordered, fixed, capacity_days_per_month)
    if scorer is None or scorer.result is not result or scorer.catalog is not catalog:
        scorer = RiskScorer(result, catalog)
    state = Overlay(scorer.index)
    phases: list[Phase] = []
    for index, name in enumerate(PHASES):
        members = tuple(a for a in ordered if phase_index[a.id] == index)
        state = applied(state, members, catalog, result.today)
        risk = (
            scorer.total_of(state.edit)
            if any(a.kind not in ORGANISATIONAL for a in members)
            else (phases[-1].risk_after if phases else risk_total(result))
        )
        phases.append(
            Phase(
                name,
                members,
                round(sum(a.effort_days for a in members), 2),
                capacity_days_per_month * PHASE_MONTHS[name],
                risk,
            )
        )
    return Roadmap(
        risk_total(result),
        tuple(phases),
        capacity_days_per_month,
        tuple(sorted(dropped)),
        tuple(pinned),
        tuple(sorted(fixed)),
    )


def _assign_phases(
    ordered: list[Action], fixed: Mapping[str, int], capacity: float
) -> dict[str, int]:
    """Each action's phase: its fixed one, else the first (not before its prerequisites'
    and not after a fixed dependent's) in which it can start within capacity."""
    by_id = {a.id: a for a in ordered}
    problems = []
    for a in ordered:
        if a.id not in fixed:
            continue
        for p in all_prerequisites(a, by_id):
            if p in fixed and fixed[p] > fixed[a.id]:
                problems.append(
                    Problem(
                        ("actions", a.id, "phase"),
                        phrase("phase-before-prerequisite"),
                        phrase("expected-phase-after", phase=PHASES[fixed[p]], prerequisite=p),
                        PHASES[fixed[a.id]],
                    )
                )
    if problems:
        raise InvalidInput("plan", problems)
    # The latest phase each action may take: no later than a fixed dependent.
    latest = {a.id: len(PHASES) - 1 for a in ordered}
    for a in reversed(ordered):
        bound = fixed.get(a.id, latest[a.id])
        for p in a.prerequisites:
            if p in latest:
                latest[p] = min(latest[p], bound)
    used = [0.0] * len(PHASES)
    limits = [capacity * PHASE_MONTHS[n] for n in PHASES]
    for ident, index in fixed.items():
        if ident in by_id:
            used[index] += by_id[ident].effort_days
    out: dict[str, int] = {}
    for a in ordered:
        earliest = max((out[p] for p in a.prerequisites if p in out), default=0)
        if a.id in fixed:
            out[a.id] = fixed[a.id]
            continue
        index = earliest
        while index < latest[a.id] and used[index] >= limits[index]:
            index += 1
        index = max(earliest, min(index, latest[a.id]))
        out[a.id] = index
        used[index] += a.effort_days
    return out
