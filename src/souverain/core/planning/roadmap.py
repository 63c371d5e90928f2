"""The roadmap (docs/roadmap.md): actions from findings, measured, ordered, phased.

:func:`generate_actions` turns an audit's findings into actions. Every technical
action describes a change to the estate (:func:`apply_action`); its
``risk_reduction`` is *measured*, not guessed: the estate is scored with the change
applied, with the same methodology and catalog (only the rows the change can move,
through :mod:`souverain.core.scoring.whatif`, exactly as a whole audit would), and the drop
of :func:`risk_total` is the reduction. Organisational actions (governance,
awareness, purchasing, funding the commons) change no field the methodology scores:
their reduction is 0 and their rationale says so. ``document`` actions (assess what
is "not assessed") cannot be scored honestly either — what the assessment finds may be
better or worse — so their reduction is 0 and they carry ``uncertainty`` instead.

:func:`build_roadmap` orders the actions by risk removed per day of effort, keeps every
prerequisite ahead of its dependents, fills three phases by capacity, applies a plan's
overrides (drop, pin, re-phase), and projects the risk total after each phase by
re-scoring the estate with every action up to that phase applied.

Everything here is pure: no file is read and nothing is printed.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal, get_args

from souverain.core.catalog.model import Alternative, Catalog, Product, Text
from souverain.core.catalog.queries import is_european, is_open_source, is_self_hostable
from souverain.core.errors import InvalidInput, Problem
from souverain.core.estate.model import (
    Asset,
    Backup,
    Clauses,
    Continuity,
    Contract,
    Encryption,
    Estate,
    Exit,
    Location,
    Provider,
)
from souverain.core.planning.exit_plans import preference
from souverain.core.scoring.audit import AuditResult, Dependency, Reason, audit
from souverain.core.scoring.methodology import Axis
from souverain.core.scoring.whatif import (
    NO_EDIT,
    Derived,
    Edit,
    EstateIndex,
    Overlay,
    WhatIf,
    edit_between,
    materialise,
)
from souverain.core.vocabulary import CLOUD_HOSTING, MASTERY, Gravity, Mastery

Kind = Literal[
    "migrate",
    "negotiate",
    "backup",
    "test-export",
    "document",
    "train",
    "skills",
    "governance",
    "purchasing",
    "awareness",
    "fund-commons",
]
KINDS: tuple[Kind, ...] = get_args(Kind)
# Actions that change no scored field: their risk reduction is 0 by definition.
ORGANISATIONAL: frozenset[Kind] = frozenset(
    {"governance", "purchasing", "awareness", "fund-commons", "document"}
)

# ------------------------------------------------------------------ the risk total
# One dependency's risk = gravity weight × (overall exposure + EXIT_WEIGHT × (4 − exit
# readiness)). Exposure runs 0–4; the exit term adds up to one point when the
# organisation could not leave at all. Dependencies no process needs weigh 0.
GRAVITY_WEIGHT: Mapping[Gravity, int] = {
    "vital": 4,
    "important": 3,
    "useful": 2,
    "minor": 1,
    "none": 0,
}
EXIT_WEIGHT = 0.25
# For ordering only: one point of "not assessed" score counts as a quarter of a point
# of measured risk (assessing may find the risk smaller, larger or the same).
UNCERTAINTY_WEIGHT = 0.25

# ------------------------------------------------------------------ efforts and costs
DAY_RATE_EUR = 700  # a loaded person-day, to turn effort into money
PROPRIETARY_LICENCE_EUR = 10_000  # first-year licence of a proprietary replacement
COMMONS_EUR_PER_PRODUCT = 5_000  # yearly contribution per open-source product adopted
DEFAULT_MIGRATION_DAYS = 40.0  # when the estate gives no exit.effort_days
EFFORT: Mapping[str, float] = {
    "negotiate": 2.0,  # + NEGOTIATE_PER_CLAUSE per clause
    "backup": 5.0,  # an independent backup with an offline copy, and a restore test
    "restore-test": 2.0,  # backup already independent: only the restore test
    "test-export": 2.0,
    "document-per-unknown": 0.5,
    "train": 5.0,
    "skills": 10.0,  # per step of mastery
    "governance": 10.0,
    "purchasing": 5.0,
    "awareness": 3.0,
    "fund-commons": 2.0,
}
NEGOTIATE_PER_CLAUSE = 0.5
COST_BANDS: tuple[tuple[float, str], ...] = ((5_000, "< 5 k€"), (50_000, "5–50 k€"))
TOP_COST_BAND = "> 50 k€"

# ------------------------------------------------------------------ phases
PhaseName = Literal["0-3 months", "3-12 months", "12-36 months"]
PHASES: tuple[PhaseName, ...] = ("0-3 months", "3-12 months", "12-36 months")
PHASE_START_MONTHS: Mapping[PhaseName, int] = {
    "0-3 months": 0,
    "3-12 months": 3,
    "12-36 months": 12,
}
PHASE_MONTHS: Mapping[PhaseName, int] = {"0-3 months": 3, "3-12 months": 9, "12-36 months": 24}
DEFAULT_CAPACITY_DAYS_PER_MONTH = 10.0  # half a person, every month, on the roadmap

# The findings each technical action answers, recognised by the predicate that found
# them and its parameters (a reason's ``predicate`` and ``rule_params``), never by the
# rule's id: a methodology names its rules as it likes.
NEGOTIABLE: tuple[str, ...] = (  # clause_missing(clause=…): negotiate the clause
    "data_portability",
    "exit_assistance",
    "subprocessor_approval",
    "eu_hosting",
    "price_protection",
    "audit_rights",
)
MISSING_CLAUSE = "clause_missing"
LONG_NOTICE = "notice_longer_than"  # negotiate a shorter notice
NEGOTIATED_NOTICE_DAYS = 90
BACKUP_PREDICATES = frozenset({"backup_held_by_provider", "no_offline_copy", "restore_not_tested"})
SKILLS_PREDICATE = "mastery_is"  # with value below high: raise skills
SKILLS_GAPS = frozenset({"none", "low", "medium"})
EXPORT_TESTED = "export_tested_within"  # exit criteria: an export tested lately,
EXPORT_TESTED_LONG_AGO = "export_tested_before"  # or long ago
MIGRATION_AXES: tuple[Axis, ...] = ("jurisdiction", "lock_in")
MIGRATION_LEVELS = frozenset({"critical", "high"})
RING_ORDER = ("adopt", "trial", "assess")
CANDIDATES_TRIED = 3
STANDARD_CLAUSES = {
    "eu_hosting": True,
    "data_portability": True,
    "exit_assistance": True,
    "subprocessor_approval": True,
    "audit_rights": True,
    "price_protection": True,
    "termination_notice_days": NEGOTIATED_NOTICE_DAYS,
}


@dataclass(frozen=True)
class Rationale:
    """One finding an action answers: the rule, the asset, the reason's words."""

    rule: str
    asset: str | None
    text: Text

    @classmethod
    def of(cls, reason: Reason, asset: str | None) -> Rationale:
        return cls(reason.rule, asset, {"en": reason.text("en"), "fr": reason.text("fr")})


@dataclass(frozen=True)
class Action:
    """One step of the roadmap.

    ``change`` holds what :func:`apply_action` needs beyond kind and targets (the
    migration target, the clauses to obtain). ``risk_reduction`` is the measured drop of
    :func:`risk_total` when the action is applied after its prerequisites.
    """

    id: str
    kind: Kind
    targets: tuple[str, ...]
    rationale: tuple[Rationale, ...]
    effort_days: float
    cost_eur: float
    prerequisites: tuple[str, ...] = ()
    risk_reduction: float = 0.0
    yearly_cost_eur: float = 0.0
    uncertainty: float = 0.0
    note: Text = field(default_factory=dict)
    change: Mapping[str, Any] = field(default_factory=dict)

    @property
    def cost_band(self) -> str:
        return cost_band(self.cost_eur + self.yearly_cost_eur)

    @property
    def priority(self) -> float:
        """Risk removed per day of effort; for ``document`` actions, the uncertainty
        removed stands in (ordering only: it is never reported as a reduction)."""
        removed = self.risk_reduction + UNCERTAINTY_WEIGHT * self.uncertainty
        return removed / max(self.effort_days, 0.1)


def cost_band(euros: float) -> str:
    for bound, name in COST_BANDS:
        if euros < bound:
            return name
    return TOP_COST_BAND


def dependency_risk(dep: Dependency) -> float:
    """One dependency's share of :func:`risk_total`."""
    weight = GRAVITY_WEIGHT[dep.gravity]
    return weight * (dep.exposure_score + EXIT_WEIGHT * (4 - dep.exit.readiness))


def risk_total(result: AuditResult) -> float:
    """Σ gravity weight × (exposure + 0.25 × (4 − exit readiness)), rounded to 0.01."""
    return round(sum(dependency_risk(d) for d in result.dependencies), 2)


# ------------------------------------------------------------------ applying actions


def _raise_mastery(value: Mastery | None, floor: Mastery = "low") -> Mastery:
    if value is None:
        return floor
    return MASTERY[min(len(MASTERY) - 1, MASTERY.index(value) + 1)]


def apply_action(estate: Estate, action: Action, catalog: Catalog, today: date) -> Estate:
    """A copy of ``estate`` with ``action`` done; ``estate`` itself is never changed."""
    return apply_all(estate, [action], catalog, today)


def apply_all(estate: Estate, actions: Iterable[Action], catalog: Catalog, today: date) -> Estate:
    """A copy of ``estate`` with ``actions`` done in order."""
    return materialise(estate, _done(Overlay(EstateIndex(estate)), actions, catalog, today).edit)


def _done(state: Overlay, actions: Iterable[Action], catalog: Catalog, today: date) -> Overlay:
    """``state`` with ``actions`` done in order, gathered in one edit (not copied for
    each action: a roadmap's last phase may hold thousands)."""
    assets = dict(state.edit.assets)
    contracts = dict(state.edit.contracts)
    providers = dict(state.edit.providers)
    out = Overlay(state.index, Edit(assets, contracts, providers))
    for action in actions:
        later = action_edit(out, action, catalog, today)
        assets.update(later.assets)
        contracts.update(later.contracts)
        providers.update(later.providers)
    return out


def action_edit(state: Overlay, action: Action, catalog: Catalog, today: date) -> Edit:
    """What ``action`` changes in the estate ``state`` shows, as an :class:`Edit`.

    The models are frozen: every change goes through ``model_copy(update=...)`` on the
    path from the changed asset or contract down to the changed field.
    """
    kind = action.kind
    if kind == "negotiate":
        return _negotiate(state, action)
    if kind == "migrate":
        return _migrate(state, action, catalog)
    changed: dict[str, Asset] = {}
    for target in action.targets:
        asset = changed.get(target) or state.asset(target)
        if asset is None:
            continue
        if kind == "backup":
            continuity = asset.continuity or Continuity()
            backup = (continuity.backup or Backup()).model_copy(
                update={"held_by": "organisation", "offline_copy": True, "last_restore_test": today}
            )
            kept = continuity.model_copy(update={"backup": backup})
            update: dict[str, Any] = {"continuity": kept}
        elif kind == "test-export":
            update = {"exit": (asset.exit or Exit()).model_copy(update={"export_tested": today})}
        elif kind in ("skills", "train"):
            update = {"skills": _raise_mastery(asset.skills)}
        else:
            return NO_EDIT  # organisational and document actions change no scored field
        changed[target] = asset.model_copy(update=update)
    return Edit(assets=changed)


def _negotiate(state: Overlay, action: Action) -> Edit:
    contract_id = str(action.change["contract"])
    contract = state.contract(contract_id)
    if contract is None:
        return NO_EDIT
    update: dict[str, Any] = {c: True for c in action.change.get("clauses", ())}
    if action.change.get("notice"):
        update["termination_notice_days"] = NEGOTIATED_NOTICE_DAYS
    clauses = (contract.clauses or Clauses()).model_copy(update=update)
    return Edit(contracts={contract_id: contract.model_copy(update={"clauses": clauses})})


def _migrate(state: Overlay, action: Action, catalog: Catalog) -> Edit:
    """Swap the asset for the chosen alternative product (see docs/roadmap.md)."""
    target = action.targets[0]
    asset = state.asset(target)
    product = catalog.products.get(str(action.change["product"]))
    if asset is None or product is None:
        return NO_EDIT
    deployment = str(action.change["deployment"])
    providers: dict[str, Provider] = {}
    provider_id = state.provider_for_catalog(product.provider)
    if provider_id is None:
        provider_id = (
            product.provider
            if not state.has_provider(product.provider)
            else f"{product.provider}-new"
        )
        providers[provider_id] = Provider(id=provider_id, catalog=product.provider)
    contract_id = f"c-{target}-{product.id}"
    contract = Contract(id=contract_id, provider=provider_id, clauses=Clauses(**STANDARD_CLAUSES))
    update: dict[str, Any] = {
        "product": product.id,
        "provider": provider_id,
        "deployment": deployment,
        "licence": None,  # the catalog product's licence applies
        "exports": None,  # the catalog product's formats apply (unknown if it has none)
        "contract": contract_id,
        "skills": "low",  # a new tool: the teams start low (the train action follows)
        "exit": None,  # the old exit plan described leaving the old product
    }
    if deployment == "on-premise":
        country = state.estate.organisation.country or (
            asset.location.country if asset.location else None
        )
        update["location"] = Location(country=country)
        update["encryption"] = Encryption(keys_held_by="organisation")
        if asset.continuity and asset.continuity.backup:
            backup = asset.continuity.backup.model_copy(update={"held_by": "organisation"})
            update["continuity"] = asset.continuity.model_copy(update={"backup": backup})
        # Run on premises, it no longer needs the cloud platform that hosted it.
        update["depends_on"] = [r for r in asset.depends_on if not _cloud_host(state, r)]
    else:
        country = _provider_country(catalog, product.provider)
        if country is not None:
            update["location"] = Location(country=country)
    return Edit({target: asset.model_copy(update=update)}, {contract_id: contract}, providers)


def _cloud_host(state: Overlay, requirement: object) -> bool:
    if not isinstance(requirement, str):
        return False
    host = state.asset(requirement)
    return host is not None and host.deployment in CLOUD_HOSTING


def _provider_country(catalog: Catalog, provider_id: str) -> str | None:
    entry = catalog.providers.get(provider_id)
    return entry.country.value if entry and entry.country else None


# ------------------------------------------------------------------ generation


class _Scorer:
    """Re-scores edits of the audited estate with the audit's methodology, catalog and
    date: only the rows an edit can change are scored again (see
    :mod:`souverain.core.scoring.whatif`), exactly as a whole audit would score them.

    States are named by the actions done, in order (organisational ones change
    nothing and are left out of the name); each is worked out once.
    """

    def __init__(self, result: AuditResult, catalog: Catalog, today: date) -> None:
        self.result = result
        self.catalog = catalog
        self.today = today
        self.whatif = WhatIf(result)
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
            (action.id, change["product"], change["deployment"])
            if action.kind == "migrate"
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


_LAST: list[_Scorer] = []  # the last scorer made: build_roadmap reuses generate_actions'


def _scorer_for(result: AuditResult, catalog: Catalog) -> _Scorer:
    """A scorer of ``result`` (its indexes take a moment on large estates: one per
    audit is kept, for the phases after the actions)."""
    if _LAST and _LAST[0].result is result and _LAST[0].catalog is catalog:
        return _LAST[0]
    scorer = _Scorer(result, catalog, result.today)
    _LAST[:] = [scorer]
    return scorer


def _delta(before: list[Dependency], after: list[Dependency]) -> float:
    return sum(dependency_risk(d) for d in after) - sum(dependency_risk(d) for d in before)


def _reasons(dep: Dependency, wanted: Callable[[Reason], bool]) -> list[Reason]:
    return [r for axis in dep.exposure.values() for r in axis.reasons if wanted(r)]


def _backup(reason: Reason) -> bool:
    return reason.predicate in BACKUP_PREDICATES


def _skills_gap(reason: Reason) -> bool:
    return reason.predicate == SKILLS_PREDICATE and reason.rule_params.get("value") in SKILLS_GAPS


def _negotiable(reason: Reason) -> bool:
    """A missing clause that a negotiation can obtain, or a notice too long."""
    if reason.predicate == MISSING_CLAUSE:
        return reason.rule_params.get("clause") in NEGOTIABLE
    return reason.predicate == LONG_NOTICE


def _text(en: str, fr: str) -> Text:
    return {"en": en, "fr": fr}


def serially(work: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any]) -> list[Any]:
    """The default :data:`Mapper`: ``work(items)``, here."""
    return work(items)


# How ``generate_actions`` has its measuring done: ``mapper(work, items)`` must equal
# ``work(items)`` (the CLI passes souverain.parallel.split_map, which shares the items
# with a forked process; the core itself does no process work).
Mapper = Callable[[Callable[[Sequence[Any]], list[Any]], Sequence[Any]], list[Any]]


def generate_actions(
    result: AuditResult, catalog: Catalog | None = None, mapper: Mapper = serially
) -> list[Action]:
    """Every action the audit's findings call for, each with its measured reduction.

    A migration (and its training) whose measured reduction is not positive is left
    out; other technical actions are kept at 0 with a note saying why. Each dependency
    (its migration's candidates, training, backup, skills, export test) and each
    contract is measured on its own: ``mapper`` may share them between processes.
    """
    catalog = catalog or result.catalog
    if catalog is None:
        raise ValueError("the audit carries no catalog: pass one")
    estate = result.estate
    deps = [d for d in result.dependencies if d.gravity != "none"]
    governance = _governance()
    scorer = _scorer_for(result, catalog)

    def measure(chunk: Sequence[Dependency | Action]) -> list[list[Action]]:
        """The measured actions of each dependency; each contract's, measured."""
        return [
            _for_dependency(item, governance, scorer)
            if isinstance(item, Dependency)
            else [a for a in (_measured(item, {}, scorer),) if a is not None]
            for item in chunk
        ]

    # Dependencies and contracts in one share-out: one fork, not two.
    clauses = _negotiations(deps, estate)
    measured = mapper(measure, [*deps, *clauses])
    per_dependency, negotiations = measured[: len(deps)], measured[len(deps) :]
    migrations = [a for actions in per_dependency for a in actions if a.kind == "migrate"]
    actions = [governance, *migrations]
    actions += [a for actions in per_dependency for a in actions if a.kind == "train"]
    actions += [a for measured in negotiations for a in measured]
    actions += [
        a for actions in per_dependency for a in actions if a.kind not in ("migrate", "train")
    ]
    actions += _purchasing(estate)
    actions.append(_awareness(result))
    commons = _commons(migrations, catalog)
    if commons is not None:
        actions.append(commons)
    kept = {a.id for a in actions}
    return [
        a
        if all(p in kept for p in a.prerequisites)
        else replace(a, prerequisites=tuple(p for p in a.prerequisites if p in kept))
        for a in actions
    ]


def _for_dependency(dep: Dependency, governance: Action, scorer: _Scorer) -> list[Action]:
    """The measured actions on one dependency: its migration (the best candidate) and
    the training that follows it, or raising skills and testing an export; a backup;
    assessing what is not assessed."""
    asset = scorer.index.assets[dep.asset]
    out: list[Action] = []
    migration = _migration(dep, asset, scorer)
    if migration is not None:
        train = _measured(
            _train(migration), {governance.id: governance, migration.id: migration}, scorer
        )
        out.append(migration)
        if train is not None:
            out.append(train)
    backup = _reasons(dep, _backup)
    if backup:
        held = asset.continuity.backup if asset.continuity else None
        independent = held is not None and held.held_by == "organisation" and held.offline_copy
        effort = EFFORT["restore-test"] if independent else EFFORT["backup"]
        out.append(
            _action(f"backup:{dep.asset}", "backup", (dep.asset,), backup, dep.asset, effort)
        )
    skills = _reasons(dep, _skills_gap)
    if skills and migration is None:
        out.append(
            _action(
                f"skills:{dep.asset}", "skills", (dep.asset,), skills, dep.asset, EFFORT["skills"]
            )
        )
    export = _export_test_needed(dep, asset, scorer.catalog)
    if export is not None and migration is None:
        out.append(
            Action(
                f"test-export:{dep.asset}",
                "test-export",
                (dep.asset,),
                (export,),
                EFFORT["test-export"],
                EFFORT["test-export"] * DAY_RATE_EUR,
            )
        )
    measured = [a if a.kind in ("migrate", "train") else _measured(a, {}, scorer) for a in out]
    out = [a for a in measured if a is not None]
    unknown = [r for axis in dep.exposure.values() for r in axis.reasons if r.not_assessed]
    if unknown:
        out.append(_document(dep, unknown))
    return out


def _unique(items: Iterable[Rationale]) -> tuple[Rationale, ...]:
    out: dict[tuple[str, str | None, str], Rationale] = {}
    for item in items:
        out.setdefault((item.rule, item.asset, item.text.get("en", "")), item)
    return tuple(out.values())


def _action(
    ident: str,
    kind: Kind,
    targets: tuple[str, ...],
    reasons: Iterable[Reason],
    asset: str | None,
    effort: float,
    **extra: Any,
) -> Action:
    rationale = _unique(Rationale.of(r, asset) for r in reasons)
    return Action(ident, kind, targets, rationale, effort, round(effort * DAY_RATE_EUR, 2), **extra)


def _measured(action: Action, by_id: Mapping[str, Action], scorer: _Scorer) -> Action | None:
    """``action`` with its reduction measured after its prerequisites (those of
    ``by_id``, transitively); None for a migration or training that removes nothing."""
    if action.kind in ORGANISATIONAL:
        return action
    key: tuple[Any, ...] = ()
    before = round(scorer.base, 2)
    by_id = {**by_id, action.id: action}
    for prerequisite in _closure(action, by_id):
        key, before = scorer.after(key, by_id[prerequisite])
    _, after = scorer.after(key, action)
    reduction = max(0.0, round(before - after, 2))
    if reduction == 0 and action.kind in ("migrate", "train"):
        return None
    note = action.note or (_ZERO_NOTE if reduction == 0 else {})
    return replace(action, risk_reduction=reduction, note=note)


def _closure(action: Action, by_id: Mapping[str, Action]) -> list[str]:
    """The prerequisites of ``action``, transitively, each after its own."""
    out: list[str] = []

    def visit(ident: str) -> None:
        for p in by_id[ident].prerequisites if ident in by_id else ():
            if p not in out and p in by_id:
                visit(p)
                out.append(p)

    visit(action.id)
    return out


def measured_reduction(
    result: AuditResult, actions: list[Action], action_id: str, catalog: Catalog
) -> tuple[float, float]:
    """Risk totals before and after ``action_id`` (prerequisites applied first): for tests."""
    by_id = {a.id: a for a in actions}
    scorer = _Scorer(result, catalog, result.today)
    start = apply_all(
        result.estate, [by_id[p] for p in _closure(by_id[action_id], by_id)], catalog, result.today
    )
    after = apply_action(start, by_id[action_id], catalog, result.today)
    return scorer.total(start), scorer.total(after)


_ZERO_NOTE = _text(
    "Measured reduction 0: another finding on the same axis keeps its score (an axis "
    "scores its worst finding). The action still answers the findings listed.",
    "Réduction mesurée 0 : une autre constatation du même axe maintient la note (un axe "
    "retient sa pire constatation). L'action répond tout de même aux constatations citées.",
)


def _governance() -> Action:
    return Action(
        "governance",
        "governance",
        (),
        (
            Rationale(
                "roadmap-governance",
                None,
                _text(
                    "A roadmap needs an owner: a sovereignty committee (management, IT, "
                    "purchasing, legal, business) that arbitrates, funds and follows it.",
                    "Une feuille de route a besoin d'un responsable : un comité "
                    "souveraineté (direction, DSI, achats, juridique, métiers) qui arbitre, "
                    "finance et suit.",
                ),
            ),
        ),
        EFFORT["governance"],
        EFFORT["governance"] * DAY_RATE_EUR,
        note=_ORGANISATIONAL_NOTE,
    )


_ORGANISATIONAL_NOTE = _text(
    "Organisational action: it changes no field the methodology scores, so its measured "
    "risk reduction is 0; the technical actions it enables carry the reduction.",
    "Action organisationnelle : elle ne modifie aucun champ noté par la méthodologie, sa "
    "réduction de risque mesurée est donc 0 ; les actions techniques qu'elle permet la portent.",
)


def _awareness(result: AuditResult) -> Action:
    grave = tuple(d.asset for d in result.dependencies if d.level in ("critical", "high"))
    reasons = [
        r
        for d in result.dependencies
        if d.level == "critical"
        for axis in d.exposure.values()
        for r in axis.reasons[:1]
        if r.score >= 3
    ][:5]
    rationale = _unique(Rationale.of(r, None) for r in reasons) or (
        Rationale(
            "roadmap-awareness",
            None,
            _text(
                "Teams choose tools every day: they need to know what a dependency costs.",
                "Les équipes choisissent des outils tous les jours : elles doivent savoir "
                "ce que coûte une dépendance.",
            ),
        ),
    )
    return Action(
        "awareness",
        "awareness",
        grave,
        rationale,
        EFFORT["awareness"],
        EFFORT["awareness"] * DAY_RATE_EUR,
        ("governance",),
        note=_ORGANISATIONAL_NOTE,
    )


def _negotiations(deps: list[Dependency], estate: Estate) -> list[Action]:
    by_contract: dict[str, tuple[list[str], list[Rationale], set[str], bool]] = {}
    for dep in deps:
        for reason in _reasons(dep, _negotiable):
            contract = reason.params.get("contract")
            if not contract:
                continue
            targets, rationale, clauses, notice = by_contract.setdefault(
                contract, ([], [], set(), False)
            )
            if dep.asset not in targets:
                targets.append(dep.asset)
            item = Rationale.of(reason, dep.asset)
            if item not in rationale:
                rationale.append(item)
            if reason.predicate == LONG_NOTICE:
                by_contract[contract] = (targets, rationale, clauses, True)
            else:
                clauses.add(str(reason.rule_params["clause"]))
    out = []
    for contract, (targets, rationale, clauses, notice) in sorted(by_contract.items()):
        effort = EFFORT["negotiate"] + NEGOTIATE_PER_CLAUSE * (len(clauses) + notice)
        out.append(
            Action(
                f"negotiate:{contract}",
                "negotiate",
                tuple(targets),
                tuple(rationale),
                effort,
                effort * DAY_RATE_EUR,
                change={"contract": contract, "clauses": tuple(sorted(clauses)), "notice": notice},
            )
        )
    return out


def _purchasing(estate: Estate) -> list[Action]:
    """A purchasing policy when several contracts lack the same clause."""
    lacking: dict[str, list[str]] = {}
    for contract in estate.contracts:
        clauses = contract.clauses
        for clause in NEGOTIABLE:
            if clauses is None or getattr(clauses, clause) is not True:
                lacking.setdefault(clause, []).append(contract.id)
    common = {c: ids for c, ids in lacking.items() if len(ids) >= 2}
    if not common:
        return []
    contracts = sorted({i for ids in common.values() for i in ids})
    named = set(contracts)
    targets = tuple(a.id for a in estate.assets if a.contract in named)
    listed = ", ".join(f"{c} ({len(ids)})" for c, ids in sorted(common.items()))
    rationale = Rationale(
        "roadmap-purchasing",
        None,
        _text(
            f"Several contracts lack the same clauses, not granted or not assessed: {listed}. "
            "Standard clauses in every new purchase stop the gap from reopening.",
            f"Plusieurs contrats n'ont pas les mêmes clauses, absentes ou non évaluées : "
            f"{listed}. Des clauses types dans chaque achat évitent que le manque se reforme.",
        ),
    )
    return [
        Action(
            "purchasing",
            "purchasing",
            targets,
            (rationale,),
            EFFORT["purchasing"],
            EFFORT["purchasing"] * DAY_RATE_EUR,
            ("governance",),
            note=_ORGANISATIONAL_NOTE,
            change={"clauses": tuple(sorted(common)), "contracts": tuple(contracts)},
        )
    ]


def _document(dep: Dependency, unknown: list[Reason]) -> Action:
    effort = max(1.0, EFFORT["document-per-unknown"] * len(unknown))
    uncertainty = round(
        GRAVITY_WEIGHT[dep.gravity] * sum(r.score for r in unknown) / len(dep.exposure), 2
    )
    return _action(
        f"document:{dep.asset}",
        "document",
        (dep.asset,),
        unknown,
        dep.asset,
        effort,
        uncertainty=uncertainty,
        note=_text(
            "Assessing an unknown may find it better or worse: no risk reduction is claimed "
            "(0). 'uncertainty' is the gravity-weighted score that unknowns add today.",
            "Évaluer une inconnue peut la révéler meilleure ou pire : aucune réduction n'est "
            "revendiquée (0). « uncertainty » est le score pondéré que les inconnues ajoutent.",
        ),
    )


def _export_test_needed(dep: Dependency, asset: Asset, catalog: Catalog) -> Rationale | None:
    """Data can be exported, but no export was tested within a year."""
    exports = asset.exports
    product = catalog.products.get(asset.product) if asset.product else None
    if exports is None and product is not None and product.exports:
        exports = product.exports.value
    if not exports or asset.data == []:
        return None
    if any(r.predicate == EXPORT_TESTED for r in dep.exit.reasons):
        return None
    old = [r for r in dep.exit.reasons if r.predicate == EXPORT_TESTED_LONG_AGO]
    if old:
        return Rationale.of(old[0], dep.asset)
    return Rationale(
        "export-never-tested",
        dep.asset,
        _text(
            f"Data can be exported ({', '.join(exports)}), but no export has been tested.",
            f"Les données sont exportables ({', '.join(exports)}), mais aucun export n'a été "
            "testé.",
        ),
    )


def _train(migration: Action) -> Action:
    target = migration.targets[0]
    product = str(migration.change["product"])
    return Action(
        f"train:{target}",
        "train",
        (target,),
        (
            Rationale(
                "roadmap-train",
                target,
                _text(
                    f"After the migration to {product}, the teams start with low mastery "
                    "of the new tool.",
                    f"Après la migration vers {product}, les équipes partent d'une faible "
                    "maîtrise du nouvel outil.",
                ),
            ),
        ),
        EFFORT["train"],
        EFFORT["train"] * DAY_RATE_EUR,
        (migration.id,),
        change={"product": product},
    )


def _candidates(dep: Dependency, asset: Asset, catalog: Catalog) -> list[tuple[Product, str]]:
    """Open or European alternatives for the asset, best first, with a deployment each."""
    chosen: list[Product] = []
    named = asset.exit.alternative if asset.exit else None
    if named and named in catalog.products and named != asset.product:
        chosen.append(catalog.products[named])
    ranked = [
        a for a in _by_category(catalog).get(dep.category or "", ()) if a.product != asset.product
    ]
    for alternative in ranked:
        product = catalog.products.get(alternative.product)
        if product is not None and product not in chosen:
            chosen.append(product)
    out: list[tuple[Product, str]] = []
    for product in chosen:
        deployments = product.deployments.value if product.deployments else []
        self_hosted = is_self_hostable(product) is True
        european = is_european(catalog, product.provider) is True
        if not (is_open_source(product) is True or european):
            continue
        if self_hosted:
            out.append((product, "on-premise"))
        elif european and deployments:
            out.append((product, deployments[0]))
    return out[:CANDIDATES_TRIED]


_BY_CATEGORY: list[tuple[Catalog, dict[str, list[Alternative]]]] = []


def _by_category(catalog: Catalog) -> dict[str, list[Alternative]]:
    """The catalog's alternatives that may be tried, by category, best first as the exit
    plans rank them (:func:`souverain.core.planning.exit_plans.preference`: ring, open source,
    European, name). The last catalog's are kept: every dependency of an estate asks."""
    if _BY_CATEGORY and _BY_CATEGORY[0][0] is catalog:
        return _BY_CATEGORY[0][1]
    found: dict[str, list[Alternative]] = {}
    for alternative in catalog.alternatives.values():
        if alternative.ring in RING_ORDER:
            found.setdefault(alternative.category, []).append(alternative)
    for items in found.values():
        items.sort(key=lambda a: preference(a, catalog))
    _BY_CATEGORY[:] = [(catalog, found)]
    return found


def _migration(dep: Dependency, asset: Asset, scorer: _Scorer) -> Action | None:
    """Migrate a high or critical dependency that a foreign law or lock-in makes grave.

    The candidates are tried in the exit plans' order (the estate's named alternative
    first, then the catalog's by ring, open source, European): the first whose what-if
    removes risk is kept, with that measured reduction, so that the roadmap and the
    exit plan name the same target. At most three are tried.
    """
    if dep.level not in MIGRATION_LEVELS or not dep.category:
        return None
    if max(dep.exposure[axis].score for axis in MIGRATION_AXES) < 3:
        return None
    reasons = [r for axis in MIGRATION_AXES for r in dep.exposure[axis].reasons if r.score >= 2]
    candidates = _candidates(dep, asset, scorer.catalog)
    if not candidates:
        return None
    base = round(scorer.base, 2)
    effort = (
        asset.exit.effort_days
        if asset.exit and asset.exit.effort_days is not None
        else DEFAULT_MIGRATION_DAYS
    )
    # One action for every candidate: its rationale is worked out once.
    common = _action(
        f"migrate:{dep.asset}",
        "migrate",
        (dep.asset,),
        reasons,
        dep.asset,
        effort,
        prerequisites=("governance",),
    )
    for product, deployment in candidates:
        licence = 0 if is_open_source(product) is True else PROPRIETARY_LICENCE_EUR
        action = replace(
            common,
            cost_eur=common.cost_eur + licence,
            change={
                "product": product.id,
                "product_name": product.name,
                "deployment": deployment,
                "open_source": is_open_source(product) is True,
            },
            note=_text(
                f"Move to {product.name} ({deployment}); the replacement is procured "
                "under the standard clauses (portability, exit assistance, EU hosting, "
                "subprocessor approval, audit, price protection, 90 days' notice).",
                f"Passer à {product.name} ({deployment}) ; le remplaçant est acheté avec "
                "les clauses types (portabilité, réversibilité, hébergement UE, accord "
                "des sous-traitants, audit, protection tarifaire, préavis de 90 jours).",
            ),
        )
        drop = round(base - scorer.after((), action)[1], 2)
        if drop > 0:
            return replace(action, risk_reduction=drop)
    return None


def _commons(migrations: list[Action], catalog: Catalog) -> Action | None:
    adopted = [m for m in migrations if m.change.get("open_source")]
    if not adopted:
        return None
    products = sorted({str(m.change["product"]) for m in adopted})
    names = ", ".join(catalog.products[p].name if p in catalog.products else p for p in products)
    yearly = COMMONS_EUR_PER_PRODUCT * len(products)
    return Action(
        "fund-commons",
        "fund-commons",
        tuple(m.targets[0] for m in adopted),
        (
            Rationale(
                "roadmap-commons",
                None,
                _text(
                    f"The migrations adopt open-source products ({names}): the estate comes "
                    "to rely on their maintainers. Fund them or contribute, every year.",
                    f"Les migrations adoptent des logiciels libres ({names}) : le patrimoine "
                    "dépend désormais de leurs mainteneurs. Les financer ou y contribuer, "
                    "chaque année.",
                ),
            ),
        ),
        EFFORT["fund-commons"],
        EFFORT["fund-commons"] * DAY_RATE_EUR,
        ("governance", *(m.id for m in adopted)),
        yearly_cost_eur=yearly,
        note=_text(
            f"Budgeted as maintenance: {yearly} € a year ({COMMONS_EUR_PER_PRODUCT} € per "
            "product). No measured risk reduction (0): the methodology does not score the "
            "health of the projects.",
            f"Budgété en maintenance : {yearly} € par an ({COMMONS_EUR_PER_PRODUCT} € par "
            "produit). Aucune réduction mesurée (0) : la méthodologie ne note pas la santé "
            "des projets.",
        ),
        change={"products": tuple(products)},
    )


# ------------------------------------------------------------------ the plan file


@dataclass(frozen=True)
class Override:
    drop: bool = False
    pin: bool = False
    phase: PhaseName | None = None


@dataclass(frozen=True)
class Plan:
    """A user's decisions over the generated actions, by action id."""

    actions: Mapping[str, Override] = field(default_factory=dict)


PLAN_KEYS = ("drop", "phase", "pin")


def parse_plan(data: Any) -> Plan:
    """A :class:`Plan` from plain data; :class:`InvalidInput` lists every problem, by path."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InvalidInput("plan", [Problem((), "wrong type", "a mapping", type(data).__name__)])
    if data.get("souverain_plan") != 1:
        problems.append(
            Problem(
                ("souverain_plan",), "unsupported version", "1", repr(data.get("souverain_plan"))
            )
        )
    for key in data:
        if key not in ("souverain_plan", "actions"):
            problems.append(
                Problem((str(key),), "unknown field", "souverain_plan, actions", repr(key))
            )
    entries = data.get("actions") or {}
    actions: dict[str, Override] = {}
    if not isinstance(entries, dict):
        problems.append(
            Problem(("actions",), "wrong type", "a mapping of action ids", type(entries).__name__)
        )
        entries = {}
    for ident, entry in entries.items():
        where: tuple[str | int, ...] = ("actions", str(ident))
        if not isinstance(entry, dict):
            problems.append(
                Problem(
                    where, "wrong type", "{drop: true}, {phase: ...} or {pin: true}", repr(entry)
                )
            )
            continue
        bad = False
        for key, value in entry.items():
            if key not in PLAN_KEYS:
                problems.append(
                    Problem((*where, str(key)), "unknown field", "drop, phase, pin", repr(key))
                )
                bad = True
            elif key in ("drop", "pin") and not isinstance(value, bool):
                problems.append(Problem((*where, key), "wrong type", "true or false", repr(value)))
                bad = True
            elif key == "phase" and value not in PHASES:
                problems.append(
                    Problem((*where, key), "unknown phase", ", ".join(PHASES), repr(value))
                )
                bad = True
        if entry.get("drop") is True and ("phase" in entry or entry.get("pin") is True):
            problems.append(
                Problem(where, "conflicting decisions", "drop alone, or phase and pin", repr(entry))
            )
            bad = True
        if not bad:
            actions[str(ident)] = Override(
                bool(entry.get("drop")), bool(entry.get("pin")), entry.get("phase")
            )
    if problems:
        raise InvalidInput("plan", problems)
    return Plan(actions)


# ------------------------------------------------------------------ the roadmap


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
    plan: Plan | None = None,
) -> Roadmap:
    """Order, phase and project ``actions`` (from :func:`generate_actions`).

    Raises :class:`InvalidInput` (kind ``plan``) when the plan names an unknown action
    or puts an action in a phase before one of its prerequisites; paths are
    ``("actions", ID, ...)`` so that the caller can locate them in the plan file.
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
                    "wrong value",
                    "a positive number of days",
                    str(capacity_days_per_month),
                )
            ],
        )
    plan = plan or Plan()
    known = {a.id for a in actions}
    problems = [
        Problem(("actions", ident), "unknown action", "an action id of this roadmap", repr(ident))
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
    scorer = _scorer_for(result, catalog)
    state = Overlay(scorer.index)
    phases: list[Phase] = []
    for index, name in enumerate(PHASES):
        members = tuple(a for a in ordered if phase_index[a.id] == index)
        state = _done(state, members, catalog, result.today)
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
        for p in _closure(a, by_id):
            if p in fixed and fixed[p] > fixed[a.id]:
                problems.append(
                    Problem(
                        ("actions", a.id, "phase"),
                        "phase before its prerequisite",
                        f"{PHASES[fixed[p]]} or later (prerequisite {p})",
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


def phase_start(today: date, phase: PhaseName) -> date:
    """The first day of a phase: ``today`` plus the phase's offset in months (the
    calendar's last day, 9999-12-31, at the latest: the CLI keeps ``today`` centuries
    before it, :data:`~souverain.core.limits.MAX_AS_OF`)."""
    months = PHASE_START_MONTHS[phase]
    year, month = divmod(today.month - 1 + months, 12)
    year += today.year
    if year > date.max.year:
        return date.max
    month += 1
    days = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(today.day, days))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def calendar_days(effort_days: float) -> int:
    """An action's length in the calendar: its effort, rounded up, at least one day."""
    return max(1, math.ceil(effort_days))


def action_end(start: date, effort_days: float) -> date:
    """The day an action begun on ``start`` ends, :func:`calendar_days` later.

    Never past the calendar's last day, 9999-12-31, which stands for "later than any
    calendar": with ``--as-of`` at most :data:`~souverain.core.limits.MAX_AS_OF` and
    every effort bounded, no action of a valid estate ends within centuries of it, but
    a date must never overflow (the action's ``effort_days`` still gives its length).
    """
    room = (date.max - start).days
    if not effort_days < room:  # also an infinite or undefined effort
        return date.max
    return start + timedelta(days=calendar_days(effort_days))
