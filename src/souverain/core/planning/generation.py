"""Actions from an audit's findings, each measured (docs/roadmap.md).

:func:`generate_actions` turns an audit's findings into actions. Every technical
action describes a change to the estate (:mod:`souverain.core.planning.actions`); its
``risk_reduction`` is *measured*, not guessed: the estate is scored with the change
applied, with the same methodology and catalog (only the rows the change can move,
through :mod:`souverain.core.scoring.whatif`, exactly as a whole audit would), and the
drop of :func:`~souverain.core.scoring.risk.risk_total` is the reduction.
Organisational actions (governance, awareness, purchasing, funding the commons) change
no field the methodology scores: their reduction is 0 and their note says so.
``document`` actions (assess what is "not assessed") cannot be scored honestly either —
what the assessment finds may be better or worse — so their reduction is 0 and they
carry ``uncertainty`` instead.

Everything here is pure: no file is read and nothing is printed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from souverain.core.catalog.model import Alternative, Catalog, Product
from souverain.core.catalog.queries import is_european, is_open_source, is_self_hostable
from souverain.core.estate.model import Asset, Estate
from souverain.core.mapper import Mapper, serially
from souverain.core.phrase import GIVEN, Phrase, phrase
from souverain.core.planning.actions import (
    COMMONS_EUR_PER_PRODUCT,
    DAY_RATE_EUR,
    DEFAULT_MIGRATION_DAYS,
    EFFORT,
    NEGOTIATE_PER_CLAUSE,
    ORGANISATIONAL,
    PROPRIETARY_LICENCE_EUR,
    WHERE,
    Action,
    ExportTest,
    FundCommons,
    IndependentBackup,
    Kind,
    Migrate,
    Negotiate,
    PurchasingPolicy,
    RaiseSkills,
    Rationale,
    Train,
    all_prerequisites,
)
from souverain.core.planning.exit_plans import preference
from souverain.core.planning.measure import RiskScorer
from souverain.core.scoring.audit import AuditResult, Dependency, Reason
from souverain.core.scoring.methodology import Axis
from souverain.core.scoring.risk import GRAVITY_WEIGHT
from souverain.core.vocabulary import Deployment

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
BACKUP_PREDICATES = frozenset({"backup_held_by_provider", "no_offline_copy", "restore_not_tested"})
SKILLS_PREDICATE = "mastery_is"  # with value below high: raise skills
SKILLS_GAPS = frozenset({"none", "low", "medium"})
EXPORT_TESTED = "export_tested_within"  # exit criteria: an export tested lately,
EXPORT_TESTED_LONG_AGO = "export_tested_before"  # or long ago
MIGRATION_AXES: tuple[Axis, ...] = ("jurisdiction", "lock_in")
MIGRATION_LEVELS = frozenset({"critical", "high"})
# The predicate that finds the asset's own vendor (or an owner up its chain) on a
# sanctions or high-risk-vendor list: a confirmed finding calls for a replacement,
# whatever the level and the jurisdiction and lock-in scores.
DESIGNATED = "designated"
RING_ORDER = ("adopt", "trial", "assess")
CANDIDATES_TRIED = 3


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


def generate_actions(
    result: AuditResult,
    catalog: Catalog | None = None,
    mapper: Mapper = serially,
    scorer: RiskScorer | None = None,
) -> list[Action]:
    """Every action the audit's findings call for, each with its measured reduction.

    A migration (and its training) whose measured reduction is not positive is left
    out; other technical actions are kept at 0 with a note saying why. Each dependency
    (its migration's candidates, training, backup, skills, export test) and each
    contract is measured on its own: ``mapper`` may share them between processes.
    ``scorer``: the audit's :class:`RiskScorer`, when the caller keeps one for the
    roadmap's phases (a new one otherwise).
    """
    catalog = catalog or result.catalog
    if catalog is None:
        raise ValueError("the audit carries no catalog: pass one")
    if scorer is None or scorer.result is not result or scorer.catalog is not catalog:
        scorer = RiskScorer(result, catalog)
    estate = result.estate
    deps = [d for d in result.dependencies if d.gravity != "none"]
    governance = _governance()
    ranked = rank_alternatives(catalog)
    measuring = scorer

    def measure(chunk: Sequence[Dependency | Action]) -> list[list[Action]]:
        """The measured actions of each dependency; each contract's, measured."""
        return [
            _for_dependency(item, governance, measuring, ranked)
            if isinstance(item, Dependency)
            else [a for a in (_measured(item, {}, measuring),) if a is not None]
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


def _for_dependency(
    dep: Dependency, governance: Action, scorer: RiskScorer, ranked: Ranking
) -> list[Action]:
    """The measured actions on one dependency: its migration (the best candidate) and
    the training that follows it, or raising skills and testing an export; a backup;
    assessing what is not assessed."""
    asset = scorer.index.assets[dep.asset]
    out: list[Action] = []
    migration = _migration(dep, asset, scorer, ranked)
    if migration is not None and isinstance(migration.change, Migrate):
        train = _measured(
            _train(migration, migration.change.product),
            {governance.id: governance, migration.id: migration},
            scorer,
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
            _action(
                f"backup:{dep.asset}",
                "backup",
                (dep.asset,),
                backup,
                dep.asset,
                effort,
                change=IndependentBackup(),
            )
        )
    skills = _reasons(dep, _skills_gap)
    if skills and migration is None:
        out.append(
            _action(
                f"skills:{dep.asset}",
                "skills",
                (dep.asset,),
                skills,
                dep.asset,
                EFFORT["skills"],
                change=RaiseSkills(),
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
                change=ExportTest(),
            )
        )
    measured = [a if a.kind in ("migrate", "train") else _measured(a, {}, scorer) for a in out]
    out = [a for a in measured if a is not None]
    unknown = [r for axis in dep.exposure.values() for r in axis.reasons if r.not_assessed]
    if unknown:
        out.append(_document(dep, unknown))
    return out


def _unique(items: Iterable[Rationale]) -> tuple[Rationale, ...]:
    out: dict[tuple[str, str | None, object], Rationale] = {}
    for item in items:
        out.setdefault((item.rule, item.asset, _english(item.text)), item)
    return tuple(out.values())


def _english(words: Phrase) -> object:
    """What tells two rationales apart: a finding's English words, or the phrase."""
    return dict(words.params).get("en", "") if words.id == GIVEN else words


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


def _measured(action: Action, by_id: Mapping[str, Action], scorer: RiskScorer) -> Action | None:
    """``action`` with its reduction measured after its prerequisites (those of
    ``by_id``, transitively); None for a migration or training that removes nothing."""
    if action.kind in ORGANISATIONAL:
        return action
    key: tuple[Any, ...] = ()
    before = round(scorer.base, 2)
    by_id = {**by_id, action.id: action}
    for prerequisite in all_prerequisites(action, by_id):
        key, before = scorer.after(key, by_id[prerequisite])
    _, after = scorer.after(key, action)
    reduction = max(0.0, round(before - after, 2))
    if reduction == 0 and action.kind in ("migrate", "train"):
        return None
    note = action.note or (_ZERO_NOTE if reduction == 0 else None)
    return replace(action, risk_reduction=reduction, note=note)


# Why a technical action's measured reduction is 0 (an axis scores its worst finding).
_ZERO_NOTE = phrase("roadmap-note-zero-reduction")


def _governance() -> Action:
    return Action(
        "governance",
        "governance",
        (),
        (
            Rationale(
                "roadmap-governance",
                None,
                phrase("roadmap-why-governance"),
            ),
        ),
        EFFORT["governance"],
        EFFORT["governance"] * DAY_RATE_EUR,
        note=_ORGANISATIONAL_NOTE,
    )


_ORGANISATIONAL_NOTE = phrase("roadmap-note-organisational")


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
            phrase("roadmap-why-awareness"),
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
                change=Negotiate(contract, tuple(sorted(clauses)), notice),
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
        phrase("roadmap-why-purchasing", clauses=listed),
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
            change=PurchasingPolicy(tuple(sorted(common)), tuple(contracts)),
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
        note=phrase("roadmap-note-document"),
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
        phrase("roadmap-why-export-never-tested", formats=", ".join(exports)),
    )


def _train(migration: Action, product: str) -> Action:
    target = migration.targets[0]
    return Action(
        f"train:{target}",
        "train",
        (target,),
        (
            Rationale(
                "roadmap-train",
                target,
                phrase("roadmap-why-train", product=product),
            ),
        ),
        EFFORT["train"],
        EFFORT["train"] * DAY_RATE_EUR,
        (migration.id,),
        change=Train(product),
    )


# The alternatives a migration may try, by category, best first.
Ranking = Mapping[str, Sequence[Alternative]]


def rank_alternatives(catalog: Catalog) -> Ranking:
    """The catalog's alternatives that may be tried, by category, best first as the exit
    plans rank them (:func:`souverain.core.planning.exit_plans.preference`: ring, open
    source, European, name). Worked out once per :func:`generate_actions`: every
    dependency of an estate asks."""
    found: dict[str, list[Alternative]] = {}
    for alternative in catalog.alternatives.values():
        if alternative.ring in RING_ORDER:
            found.setdefault(alternative.category, []).append(alternative)
    for items in found.values():
        items.sort(key=lambda a: preference(a, catalog))
    return found


def migration_candidates(
    dep: Dependency, asset: Asset, catalog: Catalog, ranked: Ranking | None = None
) -> list[tuple[Product, Deployment]]:
    """Open or European alternatives for the asset, best first, with a deployment each
    (``ranked``: :func:`rank_alternatives` of ``catalog``, worked out if not given)."""
    if ranked is None:
        ranked = rank_alternatives(catalog)
    chosen: list[Product] = []
    named = asset.exit.alternative if asset.exit else None
    if named and named in catalog.products and named != asset.product:
        chosen.append(catalog.products[named])
    for alternative in ranked.get(dep.category or "", ()):
        if alternative.product == asset.product:
            continue
        product = catalog.products.get(alternative.product)
        if product is not None and product not in chosen:
            chosen.append(product)
    out: list[tuple[Product, Deployment]] = []
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


def _migration(
    dep: Dependency, asset: Asset, scorer: RiskScorer, ranked: Ranking | None = None
) -> Action | None:
    """Migrate a high or critical dependency that a foreign law or lock-in makes grave,
    or whose vendor is designated on a sanctions or high-risk-vendor list (a confirmed
    finding of :data:`DESIGNATED`, cited first: a designation is a reason to replace the
    vendor whatever the other scores say).

    The candidates are tried in the exit plans' order (the estate's named alternative
    first, then the catalog's by ring, open source, European): the first whose what-if
    removes risk is kept, with that measured reduction, so that the roadmap and the
    exit plan name the same target. At most three are tried.
    """
    if not dep.category:
        return None
    designated = [
        r
        for scored in dep.exposure.values()
        for r in scored.reasons
        if r.predicate == DESIGNATED and not r.not_assessed
    ]
    if not designated:
        if dep.level not in MIGRATION_LEVELS:
            return None
        if max(dep.exposure[axis].score for axis in MIGRATION_AXES) < 3:
            return None
    reasons = designated + [
        r for axis in MIGRATION_AXES for r in dep.exposure[axis].reasons if r.score >= 2
    ]
    candidates = migration_candidates(dep, asset, scorer.catalog, ranked)
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
            change=Migrate(product.id, product.name, deployment, is_open_source(product) is True),
            note=phrase(
                "roadmap-note-migrate",
                product=product.name,
                deployment=WHERE[deployment],
            ),
        )
        drop = round(base - scorer.after((), action)[1], 2)
        if drop > 0:
            return replace(action, risk_reduction=drop)
    return None


def _commons(migrations: list[Action], catalog: Catalog) -> Action | None:
    adopted = [
        (m, m.change) for m in migrations if isinstance(m.change, Migrate) and m.change.open_source
    ]
    if not adopted:
        return None
    products = sorted({change.product for _, change in adopted})
    names = ", ".join(catalog.products[p].name if p in catalog.products else p for p in products)
    yearly = COMMONS_EUR_PER_PRODUCT * len(products)
    return Action(
        "fund-commons",
        "fund-commons",
        tuple(m.targets[0] for m, _ in adopted),
        (
            Rationale(
                "roadmap-commons",
                None,
                phrase("roadmap-why-commons", products=names),
            ),
        ),
        EFFORT["fund-commons"],
        EFFORT["fund-commons"] * DAY_RATE_EUR,
        ("governance", *(m.id for m, _ in adopted)),
        yearly_cost_eur=yearly,
        note=phrase("roadmap-note-commons", yearly=yearly, per_product=COMMONS_EUR_PER_PRODUCT),
        change=FundCommons(tuple(products)),
    )
