"""Scoring one asset: its view, its axis scores, its exit readiness, its row.

The audit (:mod:`souverain.core.scoring.audit`) scores every asset of an estate with
these functions; the what-if (:mod:`souverain.core.scoring.whatif`) scores again only
the rows an edit can change, with the same functions, so both give the same rows.

- :class:`ScoringContext`: what scoring any asset of one estate needs (its graph,
  gravities and needs, the resolver of provider chains, the estate-wide facts, the
  methodology's axes compiled by :func:`compile_axes`);
- :func:`view_of`: an asset as the rules see it (:class:`View`);
- :func:`score_row`: the asset's :class:`Dependency`, made of :func:`axis_score` for
  each axis, :func:`exit_readiness`, and :func:`row_of` which weighs them;
- :func:`reason_of`: the :class:`Reason` a rule gives for one finding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from souverain.core import terms
from souverain.core.catalog.model import Text
from souverain.core.estate.duration import Duration
from souverain.core.estate.model import Asset, Contract, Estate, Provider, requirement_ids
from souverain.core.scoring.context import Entity, EstateFacts, Evidence, Resolver, View
from souverain.core.scoring.gravity import DependencyGraph, GravityOf, Need
from souverain.core.scoring.levels import floored, standing_of
from souverain.core.scoring.methodology import (
    AXES,
    VERDICT_RULES,
    Axis,
    Methodology,
    Verdict,
)
from souverain.core.scoring.rules import PREDICATES
from souverain.core.scoring.rules.base import SELECTS
from souverain.core.scoring.sensitivity import confidentiality_level
from souverain.core.scoring.survivability import Survivability, stand_ins, survivability
from souverain.core.scoring.takeover import takeover
from souverain.core.vocabulary import GRAVITIES, LEVELS, RUNS_LOCALLY, Gravity, Lang, Level

_NO_PARAMS: Mapping[str, Any] = {}


class Reason(NamedTuple):
    """Why a score is what it is, in words, with the evidence behind it.

    ``predicate`` and ``rule_params`` are the ``when`` and ``params`` of the rule that
    found it: what the planning recognises a reason by, whatever the methodology calls
    its rules. ``predicate`` is None for souverain's own reasons (an axis's ``clear``,
    the exit-duration verdicts). ``cited``: every fact the finding used when it used
    more than ``evidence`` (see :attr:`facts`).
    """

    rule: str
    score: float
    template: Text
    params: Mapping[str, str]
    evidence: Evidence
    not_assessed: bool = False
    predicate: str | None = None
    rule_params: Mapping[str, Any] = _NO_PARAMS
    cited: tuple[Evidence, ...] = ()

    @property
    def facts(self) -> tuple[Evidence, ...]:
        """Every fact the reason rests on: ``cited``, or ``evidence`` alone."""
        return self.cited or (self.evidence,)

    def text(self, lang: Lang) -> str:
        """The reason in ``lang`` (``en`` or ``fr``)."""
        # souverain.core.terms.say: country codes, mechanisms and durations in words
        template = self.template.get(lang) or self.template.get("en") or ""
        return terms.say(template, self.params, lang)


class AxisScore(NamedTuple):
    score: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class ExitReadiness:
    readiness: int
    # True, False, or None when it cannot be told (no exit estimate, a needing process
    # without a max downtime): never False for want of an estimate.
    can_exit_within_max_downtime: bool | None
    reasons: tuple[Reason, ...]
    time_to_exit: Duration | None
    max_downtime: Duration | None
    survivability: Survivability | None = None


@dataclass(frozen=True)
class Dependency:
    """One row of the dependency matrix."""

    asset: str
    name: str
    category: str | None
    provider: str | None
    provider_name: str | None
    owner_chain: tuple[Entity, ...]
    gravity: Gravity
    gravity_process: str | None
    exposure: Mapping[Axis, AxisScore]
    exposure_score: float
    level: Level
    exit: ExitReadiness
    # How sure the level is (docs/methodology.md, "Levels" and "Coverage"): the exposure
    # band (the risk matrix's column) read from the assessed findings; the level the
    # dependency would have if its not-assessed findings were confirmed at their rules'
    # scores; the share of the axes' weight whose findings are all assessed; the axes
    # with a not-assessed finding; each axis's score on its assessed findings only.
    band: int = 0
    level_if_confirmed: Level = "low"
    coverage: float = 1.0
    unknown_axes: tuple[Axis, ...] = ()
    assessed: Mapping[Axis, int] = field(default_factory=dict)

    @property
    def provisional(self) -> bool:
        """Whether assessing what is not assessed could raise the level."""
        return LEVELS.index(self.level_if_confirmed) > LEVELS.index(self.level)

    @property
    def rank_key(self) -> tuple[int, int, float, str]:
        return (
            -LEVELS.index(self.level),
            GRAVITIES.index(self.gravity),
            -self.exposure_score,
            self.asset,
        )


# A rule bound to its predicate: (predicate, params, rule id, score, text, predicate's name).
BoundRule = tuple[Any, Mapping[str, Any], str, float, Text, str]


# A run of an axis's rules, in order: (key, table, rules). With no key, ``rules`` are
# all called; else only ``table.get(key(view), ())``: the rules of one predicate that
# may find something for the view, by the predicate's declared shortcut (SELECTS).
Step = tuple[
    Callable[[View], Any] | None, Mapping[Any, tuple[BoundRule, ...]], tuple[BoundRule, ...]
]


@dataclass(frozen=True)
class CompiledAxis:
    """One axis of a methodology, its rules bound to their predicates.

    ``steps``: the same rules in the same order, as :func:`axis_score` calls them.
    """

    name: Axis
    weight: float
    summed: bool
    clear: Text
    rules: tuple[BoundRule, ...]
    steps: tuple[Step, ...] = ()
    # The rules with a floor (Rule.floor), by id: the least level by gravity.
    floors: Mapping[str, Mapping[Gravity, Level]] = field(default_factory=dict)


def compile_axes(methodology: Methodology) -> tuple[CompiledAxis, ...]:
    """The methodology's rules as a flat table, looked up once per audit, not per asset."""
    compiled = []
    for axis in AXES:
        rules = tuple(
            (PREDICATES[r.when], r.params, r.id, r.score, r.text, r.when)
            for r in methodology.axes[axis].rules
        )
        compiled.append(
            CompiledAxis(
                axis,
                methodology.axes[axis].weight,
                methodology.axes[axis].aggregate != "max",
                methodology.axes[axis].clear,
                rules,
                _steps(rules),
                {r.id: r.floor for r in methodology.axes[axis].rules if r.floor},
            )
        )
    return tuple(compiled)


def _steps(rules: tuple[BoundRule, ...]) -> tuple[Step, ...]:
    """``rules`` cut into runs: each run of rules of a predicate that declares a
    shortcut, and each run of other rules (see :data:`Step`)."""
    runs: list[list[BoundRule]] = []
    for rule in rules:
        last = runs[-1][0][5] if runs else None
        if last is not None and (
            last == rule[5] or (rule[5] not in SELECTS and last not in SELECTS)
        ):
            runs[-1].append(rule)
        else:
            runs.append([rule])
    steps: list[Step] = []
    for run in runs:
        selector = SELECTS.get(run[0][5])
        if selector is None:
            steps.append((None, {}, tuple(run)))
            continue
        key, param = selector
        table: dict[Any, list[BoundRule]] = {}
        for rule in run:
            table.setdefault(True if param is None else rule[1][param], []).append(rule)
        steps.append((key, {k: tuple(v) for k, v in table.items()}, ()))
    return tuple(steps)


@dataclass(frozen=True)
class ScoringContext:
    """What scoring any asset of one estate needs, worked out once by the audit."""

    graph: DependencyGraph
    grave: Mapping[tuple[str, str], GravityOf]
    needs: Mapping[tuple[str, str], Need | None]
    resolver: Resolver
    facts: EstateFacts
    axes: tuple[CompiledAxis, ...]
    # The assets that require each asset directly (rules read their hosts' fields).
    dependents: Mapping[str, list[str]] = field(default_factory=dict)


def view_of(
    context: ScoringContext,
    estate: Estate,
    asset: Asset,
    assets: Mapping[str, Asset],
    contracts: Mapping[str, Contract],
    providers: Mapping[str, Provider] | None = None,
) -> View:
    """``asset`` as the rules see it; ``providers`` by default the estate's."""
    node = ("asset", asset.id)
    known = context.graph.providers if providers is None else providers
    provider = known.get(asset.provider) if asset.provider else None
    return View(
        asset,
        estate,
        context.resolver,
        context.grave[node],
        context.needs.get(node),
        context.facts,
        provider,
        contracts.get(asset.contract) if asset.contract else None,
        [assets[r] for r in requirement_ids(asset.depends_on)],
    )


def score_row(view: View, methodology: Methodology, axes: tuple[CompiledAxis, ...]) -> Dependency:
    """The row of the asset ``view`` shows: every axis, the exit readiness, the level."""
    exposure = {axis.name: axis_score(view, axis) for axis in axes}
    return row_of(view, methodology, axes, exposure, exit_readiness(view, methodology))


def reason_of(rule: BoundRule, found: Any) -> Reason:
    """The reason a rule gives for one of its predicate's findings."""
    _, params, rule_id, rule_score, text, name = rule
    return _new_reason(
        Reason,
        (rule_id, rule_score, text, found[0], found[1], found[2], name, params, found[3]),
    )


# A reason made from a tuple in C, without the named tuple's __new__ (an audit makes one
# per finding: over a hundred thousand on a large estate). Same fields, same order.
_new_reason = tuple.__new__


def _by_score(reason: Reason) -> float:
    return -reason.score


def axis_score(view: View, axis: CompiledAxis) -> AxisScore:
    """One axis's score: its rules' reasons, worst first, summed or the worst."""
    reasons: list[Reason] = []
    for key, table, rules in axis.steps:
        if key is not None:
            rules = table.get(key(view), ())
        for check, params, rule_id, rule_score, text, name in rules:
            found = check(view, params)
            if found:
                for f in found:
                    reasons.append(
                        _new_reason(
                            Reason,
                            (rule_id, rule_score, text, f[0], f[1], f[2], name, params, f[3]),
                        )
                    )
    if not reasons:
        return clear_score(view, axis)
    if len(reasons) == 1:
        return _new_axis_score(AxisScore, (int(min(4, reasons[0].score)), tuple(reasons)))
    scores = [r.score for r in reasons]
    value = sum(scores) if axis.summed else max(scores)
    reasons.sort(key=_by_score)
    return _new_axis_score(AxisScore, (int(min(4, value)), tuple(reasons)))


_new_axis_score = tuple.__new__


def clear_score(view: View, axis: CompiledAxis) -> AxisScore:
    """The score of an axis on which no rule found anything."""
    evidence = _new_evidence(Evidence, (f"assets[{view.asset.id}].*", None, None))
    reason = _new_reason(
        Reason, ("clear", 0, axis.clear, {}, evidence, False, None, _NO_PARAMS, ())
    )
    return _new_axis_score(AxisScore, (0, (reason,)))


_new_evidence = tuple.__new__


def row_of(
    view: View,
    methodology: Methodology,
    axes: tuple[CompiledAxis, ...],
    exposure: dict[Axis, AxisScore],
    readiness: ExitReadiness,
) -> Dependency:
    """A dependency's row from its axes' scores and its exit readiness."""
    weighted = 0.0
    weights = 0.0
    worst = 0
    for axis in axes:
        score = exposure[axis.name].score
        weighted += axis.weight * score
        weights += axis.weight
        if score > worst:
            worst = score
    mean = weighted / weights if weights else 0.0
    blend = methodology.exposure.max_weight
    exposure_score = round(blend * worst + (1 - blend) * mean, 2)
    standing = standing_of(methodology, axes, view.gravity.gravity, exposure)
    level = standing.level
    for axis in axes:
        if axis.floors:
            level = floored(level, view.gravity.gravity, exposure[axis.name], axis.floors)
    # Confidentiality has its own gravity (scoring.sensitivity): the level is at least
    # what the sensitivity of the data calls for when a data-access law reaches it.
    sensitive = confidentiality_level(view, exposure, methodology)
    if sensitive is not None and LEVELS.index(sensitive) > LEVELS.index(level):
        level = sensitive
    if level != standing.level:  # floors: confirmed findings only
        confirmed = max(LEVELS.index(level), LEVELS.index(standing.level_if_confirmed))
        standing = standing._replace(level=level, level_if_confirmed=LEVELS[confirmed])
    provider_name = view.chain[0].name if view.chain else None
    return Dependency(
        asset=view.asset.id,
        name=view.asset.name or view.asset.id,
        category=view.asset.category or (view.product.category if view.product else None),
        provider=view.provider.id if view.provider else None,
        provider_name=provider_name,
        owner_chain=view.chain,
        gravity=view.gravity.gravity,
        gravity_process=view.gravity.process,
        exposure=exposure,
        exposure_score=exposure_score,
        level=standing.level,
        exit=readiness,
        band=standing.band,
        level_if_confirmed=standing.level_if_confirmed,
        coverage=standing.coverage,
        unknown_axes=standing.unknown_axes,
        assessed=standing.assessed,
    )


def exit_readiness(view: View, methodology: Methodology) -> ExitReadiness:
    """How ready the organisation is to leave the asset, and whether leaving fits."""
    reasons: list[Reason] = []
    points = 0.0
    for criterion in methodology.exit.criteria:
        found = PREDICATES[criterion.when](view, criterion.params)
        if found:  # the first finding only
            points += criterion.points
            f = found[0]
            reasons.append(
                _new_reason(
                    Reason,
                    (
                        criterion.id,
                        criterion.points,
                        criterion.text,
                        f[0],
                        f[1],
                        f[2],
                        criterion.when,
                        criterion.params,
                        f[3],
                    ),
                )
            )
    readiness = int(min(4, math.floor(points + 1e-9)))
    lasts = survivability(
        view.asset, view.catalog, view.facts.today, view.contract, stand_ins(view.resolver)
    )
    fits, time_to_exit, duration_reasons = _fits(view, methodology, lasts)
    reasons.extend(duration_reasons)
    return ExitReadiness(
        readiness,
        fits,
        tuple(reasons),
        time_to_exit,
        view.need.max_downtime if view.need else None,
        lasts,
    )


def _fits(
    view: View, methodology: Methodology, lasts: Survivability
) -> tuple[bool | None, Duration | None, list[Reason]]:
    """Whether leaving fits within the downtime the needing processes tolerate: True,
    False, or None when it cannot be told.

    An asset the organisation runs (``on-premise``) keeps running for its survivability
    once its vendor or licensor is lost (core/scoring/survivability.py): leaving may
    take that long plus the max downtime; one that runs indefinitely (a perpetual or
    open licence) can be left at leisure. A hosted asset stops with its provider. The
    contract's termination notice is compared with the time to leave too (a reason;
    a cut-off by a foreign order gives no notice, so it does not change the verdict),
    before the verdict, which is the last reason.
    """
    verdicts = methodology.exit.verdicts

    def say(verdict: Verdict, known: bool, **params: str) -> Reason:
        text = verdicts.text(verdict)
        return Reason(
            VERDICT_RULES[verdict], 0, text, params, Evidence(view.field("exit")), not known
        )

    plan = view.asset.exit
    duration: Duration | None = None
    if plan is not None and plan.duration is not None:
        duration = plan.duration
    elif plan is not None and plan.effort_days is not None:
        duration = Duration.of_days(plan.effort_days / methodology.exit.people_on_exit)
    notice = _notice(view, duration, say)
    need: Need | None = view.need
    if need is None:
        if not _only_redundant(view):
            return True, duration, [*notice, say("not_needed", True)]
        verdict, fields, group = takeover(view)  # whether another member takes over
        found = say(verdict, verdict != "redundant_unknown", **fields)
        found = found._replace(evidence=group) if group is not None else found
        return (True if verdict == "redundant" else None), duration, [*notice, found]
    runs_here = view.asset.deployment in RUNS_LOCALLY
    licensor = _licensor_name(view, lasts)
    if runs_here and lasts.indefinitely:
        words = _words(duration) if duration else "?"
        process = _process(view, need.process or need.unknown)
        outlives = say("outlives", True, licensor=licensor, duration=words, process=process)
        return True, duration, [*notice, _cited(outlives, lasts)]
    if duration is None:
        return None, None, [*notice, say("no_estimate", False)]
    if need.unknown is not None:
        return (
            None,
            duration,
            [
                *notice,
                say(
                    "downtime_unknown",
                    False,
                    process=_process(view, need.unknown),
                    duration=_words(duration),
                ),
            ],
        )
    assert need.max_downtime is not None
    window = need.max_downtime
    buffer = lasts.runs if runs_here else None
    if buffer is not None and buffer.seconds > 0:
        window = Duration(window.seconds + buffer.seconds)
        fits = duration <= window
        found = say(
            "fits_survivability" if fits else "too_long_survivability",
            True,
            duration=_words(duration),
            max_downtime=_words(need.max_downtime),
            process=_process(view, need.process),
            survivability=_words(buffer),
            licensor=licensor,
        )
        return fits, duration, [*notice, _cited(found, lasts)]
    fits = duration <= window
    if not fits and runs_here and lasts.stops_unknown:
        # Whether it keeps running without its licensor is unknown: never a "no".
        unsure = say(
            "survivability_unknown",
            False,
            duration=_words(duration),
            max_downtime=_words(need.max_downtime),
            process=_process(view, need.process),
            licensor=licensor,
        )
        return None, duration, [*notice, unsure]
    return (
        fits,
        duration,
        [
            *notice,
            say(
                "fits" if fits else "too_long",
                True,
                duration=_words(duration),
                max_downtime=_words(need.max_downtime),
                process=_process(view, need.process),
            ),
        ],
    )


def _words(duration: Duration) -> str:
    """A duration as a reason says it: in words of the reader's language (core/terms.py)."""
    return terms.term("duration", str(duration))


def _process(view: View, ident: str | None) -> str:
    """A process as a reason names it: its name in the estate, else its id."""
    if ident is None:
        return "?"
    return next((p.name or p.id for p in view.estate.processes if p.id == ident), ident)


def _licensor_name(view: View, lasts: Survivability) -> str:
    licensor = lasts.licensor
    if licensor is None:
        return "?"
    if licensor.estate:
        return view.resolver.chain(licensor.id)[0].name if licensor.id else "?"
    entry = view.catalog.providers.get(licensor.id)
    return entry.name if entry else licensor.id


def _cited(reason: Reason, lasts: Survivability) -> Reason:
    """``reason`` citing the licence terms and update channel it rests on."""
    facts = lasts.sources
    return reason._replace(cited=(reason.evidence, *facts)) if facts else reason


def _notice(view: View, duration: Duration | None, say: Callable[..., Reason]) -> list[Reason]:
    """The contract's termination notice against the time to leave, if both are known."""
    contract = view.contract
    clauses = contract.clauses if contract else None
    days = clauses.termination_notice_days if clauses else None
    if contract is None or days is None or duration is None:
        return []
    covers = duration.seconds <= days * 86400
    found: Reason = say(
        "notice_covers" if covers else "notice_short",
        True,
        days=str(days),
        duration=_words(duration),
    )
    ref = f"contracts[{contract.id}].clauses.termination_notice_days"
    return [found._replace(evidence=Evidence(ref), cited=(Evidence(ref), found.evidence))]


def _only_redundant(view: View) -> bool:
    """Whether processes reach the asset, but only through ``any_of`` groups."""
    return view.gravity.gravity != "none" and view.asset.id in view.facts.redundant
