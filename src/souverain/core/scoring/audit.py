"""The audit: every dependency scored on each axis, weighted by gravity, ranked.

:func:`audit` is the one entry point. It resolves each asset's context, applies
the methodology's rules, computes exit readiness, and returns an
:class:`AuditResult` that every exporter renders.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from souverain.core.catalog.model import Catalog, Text
from souverain.core.errors import InvalidInput, Problem
from souverain.core.estate.duration import Duration
from souverain.core.estate.model import AnyOf, Asset, Contract, Estate, Provider
from souverain.core.scenarios.findings import GraphFindings
from souverain.core.scoring.context import (
    Entity,
    EstateFacts,
    Evidence,
    Resolver,
    View,
    ultimate_owners,
)
from souverain.core.scoring.gravity import DependencyGraph, GravityOf, Need, gravities, strict_needs
from souverain.core.scoring.methodology import AXES, VERDICT_RULES, Axis, Methodology, Verdict
from souverain.core.scoring.rules import PREDICATES, Finding
from souverain.core.vocabulary import GRAVITIES, LEVELS, Gravity, Lang, Level

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
        template = str(self.template.get(lang) or self.template.get("en") or "")
        try:
            return template.format_map(self.params)
        except KeyError:
            return template.format_map(_Blank(self.params))


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


class AxisScore(NamedTuple):
    score: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class ExitReadiness:
    readiness: int
    can_exit_within_max_downtime: bool
    reasons: tuple[Reason, ...]
    time_to_exit: Duration | None
    max_downtime: Duration | None


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

    @property
    def rank_key(self) -> tuple[int, int, float, str]:
        return (
            -LEVELS.index(self.level),
            GRAVITIES.index(self.gravity),
            -self.exposure_score,
            self.asset,
        )


@dataclass(frozen=True)
class ProviderGravity:
    id: str
    name: str
    country: str | None
    gravity: Gravity
    gravity_process: str | None
    owner_chain: tuple[Entity, ...]


@dataclass(frozen=True)
class Concentration:
    """Share of vital and important assets carried by one owner group."""

    group: str
    name: str
    country: str | None
    count: int
    total: int


@dataclass
class AuditResult:
    estate: Estate
    methodology: Methodology
    today: date
    dependencies: list[Dependency]
    providers: list[ProviderGravity]
    concentration: list[Concentration] = field(default_factory=list)
    catalog: Catalog | None = None  # the catalog the audit used
    graph: GraphFindings | None = None  # single points of failure, dependence, chains
    # What scoring one more asset needs (see souverain.core.scoring.whatif).
    context: _Context | None = field(default=None, repr=False, compare=False)

    def counts(self) -> dict[Level, int]:
        counts = Counter(d.level for d in self.dependencies)
        return {level: counts.get(level, 0) for level in reversed(LEVELS)}


@dataclass(frozen=True)
class _Context:
    graph: DependencyGraph
    grave: Mapping[tuple[str, str], GravityOf]
    needs: Mapping[tuple[str, str], Need | None]
    resolver: Resolver
    facts: EstateFacts
    axes: tuple[_Axis, ...]
    # The assets that require each asset directly (rules read their hosts' fields).
    dependents: dict[str, list[str]] = field(default_factory=dict)


def check_methodology(methodology: Methodology) -> None:
    """Raise :class:`InvalidInput` if a rule names a predicate that does not exist."""
    problems = []
    for axis, rules in methodology.axes.items():
        for index, rule in enumerate(rules.rules):
            if rule.when not in PREDICATES:
                problems.append(
                    Problem(
                        ("axes", axis, "rules", index, "when"),
                        "unknown predicate",
                        "one of " + ", ".join(sorted(PREDICATES)),
                        repr(rule.when),
                    )
                )
    for index, criterion in enumerate(methodology.exit.criteria):
        if criterion.when not in PREDICATES:
            problems.append(
                Problem(
                    ("exit", "criteria", index, "when"),
                    "unknown predicate",
                    "one of " + ", ".join(sorted(PREDICATES)),
                    repr(criterion.when),
                )
            )
    if problems:
        raise InvalidInput("methodology", problems)


def audit(
    estate: Estate,
    methodology: Methodology,
    catalog: Catalog,
    today: date,
    progress: Callable[[int, int], None] | None = None,
    findings: GraphFindings | Callable[[], GraphFindings | None] | None = None,
) -> AuditResult:
    """Score every asset of ``estate``; ``today`` dates the ages of tests and contracts.

    ``findings``: the estate's graph findings (:func:`audit_graph`) if the caller has
    them, or a function called once scoring is done that may give them (the CLI works
    them out in parallel); when there are none, they are worked out here.
    """
    check_methodology(methodology)
    graph = DependencyGraph(estate)
    grave = gravities(graph)
    needs = strict_needs(graph)
    resolver = Resolver(estate, catalog)
    facts = _estate_facts(estate, resolver, grave, today)
    contracts = {c.id: c for c in estate.contracts}
    assets = {a.id: a for a in estate.assets}
    rows: list[Dependency] = []
    axes = _compile(methodology)
    total = len(estate.assets)
    dependents: dict[str, list[str]] = {}
    for asset in estate.assets:
        for requirement in asset.depends_on:
            if isinstance(requirement, str):
                dependents.setdefault(requirement, []).append(asset.id)
    context = _Context(graph, grave, needs, resolver, facts, axes, dependents)
    for index, asset in enumerate(estate.assets):
        view = _view(context, estate, asset, assets, contracts)
        rows.append(_score(view, methodology, axes))
        if progress is not None and (index % 500 == 0 or index == total - 1):
            progress(index + 1, total)
    rows.sort(key=lambda d: d.rank_key)
    providers = [
        ProviderGravity(
            p.id,
            resolver.chain(p.id)[0].name,
            resolver.chain(p.id)[0].country,
            grave[("provider", p.id)].gravity,
            grave[("provider", p.id)].process,
            resolver.chain(p.id),
        )
        for p in estate.providers
    ]
    providers.sort(key=lambda p: (GRAVITIES.index(p.gravity), p.id))
    if callable(findings):
        findings = findings()
    if findings is None:
        findings = audit_graph(estate, catalog, resolver)
    return AuditResult(
        estate,
        methodology,
        today,
        rows,
        providers,
        _concentration(facts, resolver),
        catalog,
        findings,
        context,
    )


def _view(
    context: _Context,
    estate: Estate,
    asset: Asset,
    assets: Mapping[str, Asset],
    contracts: Mapping[str, Contract],
    providers: Mapping[str, Provider] | None = None,
) -> View:
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
        [assets[r] for r in asset.depends_on if isinstance(r, str)],
    )


def audit_graph(
    estate: Estate, catalog: Catalog, resolver: Resolver | None = None
) -> GraphFindings:
    """Single points of failure, dependence on one loss and nth-party chains."""
    from souverain.core.scenarios.analyses import graph_findings  # numpy: imported when needed
    from souverain.core.scenarios.graph import ScenarioGraph

    resolver = resolver or Resolver(estate, catalog)
    scenario_graph = ScenarioGraph.build(estate, catalog, resolver=resolver)
    laws = {
        country: [
            law.name
            for law in jurisdiction.laws
            if "control" in law.reach and {"data_access", "service_cutoff"} & set(law.permits)
        ]
        for country, jurisdiction in catalog.jurisdictions.items()
    }
    return graph_findings(scenario_graph, _display_names(catalog, resolver), laws)


def _display_names(catalog: Catalog, resolver: Resolver) -> dict[str, str | Mapping[str, str]]:
    """Names of owner entities and countries (en, fr) for the dependence sentences."""
    names: dict[str, str | Mapping[str, str]] = {
        ident: entry.name for ident, entry in catalog.providers.items()
    }
    # An estate provider is called by its own name, else its catalog entry's.
    names.update({ident: resolver.chain(ident)[0].name for ident in resolver.providers})
    names.update(
        {cc: {str(k): v for k, v in j.name.items()} for cc, j in catalog.jurisdictions.items()}
    )
    return names


def _estate_facts(
    estate: Estate, resolver: Resolver, grave: dict[tuple[str, str], GravityOf], today: date
) -> EstateFacts:
    facts = EstateFacts(today)
    requirements = [r for p in estate.processes for r in p.depends_on]
    requirements += [r for a in estate.assets for r in a.depends_on]
    facts.redundant = {m for r in requirements if isinstance(r, AnyOf) for m in r.any_of}
    for record in estate.processing:
        for asset_id in dict.fromkeys(record.assets):
            facts.records.setdefault(asset_id, []).append(record)
    for asset in estate.assets:
        if grave[("asset", asset.id)].gravity not in ("vital", "important"):
            continue
        facts.grave_total += 1
        if asset.provider:
            # A joint venture counts towards each of its controlling groups.
            for top in ultimate_owners(resolver.chain(asset.provider)):
                facts.groups[top.id] += 1
                facts.group_names[top.id] = top.name
    return facts


def _concentration(facts: EstateFacts, resolver: Resolver) -> list[Concentration]:
    out = []
    for group, count in facts.groups.most_common():
        entity = (
            next((e for e in resolver.chain(group)), None) if group in resolver.providers else None
        )
        country = entity.country if entity else _catalog_country(resolver, group)
        out.append(
            Concentration(group, facts.group_names[group], country, count, facts.grave_total)
        )
    return out


def _catalog_country(resolver: Resolver, ident: str) -> str | None:
    entry = resolver.catalog.providers.get(ident)
    return entry.country.value if entry and entry.country else None


def _reasons(
    findings: list[Finding],
    rule: str,
    score: float,
    text: Text,
    predicate: str,
    rule_params: Mapping[str, Any],
) -> list[Reason]:
    return [
        Reason(
            rule, score, text, f.params, f.evidence, f.not_assessed, predicate, rule_params, f.cited
        )
        for f in findings
    ]


# A rule bound to its predicate: (predicate, params, rule id, score, text, predicate's name).
_Rule = tuple[Any, Mapping[str, Any], str, float, Text, str]


@dataclass(frozen=True)
class _Axis:
    """One axis of a methodology, its rules bound to their predicates."""

    name: Axis
    weight: float
    summed: bool
    clear: Text
    rules: tuple[_Rule, ...]


def _compile(methodology: Methodology) -> tuple[_Axis, ...]:
    """The methodology's rules as a flat table, looked up once per audit, not per asset."""
    return tuple(
        _Axis(
            axis,
            methodology.axes[axis].weight,
            methodology.axes[axis].aggregate != "max",
            methodology.axes[axis].clear,
            tuple(
                (PREDICATES[r.when], r.params, r.id, r.score, r.text, r.when)
                for r in methodology.axes[axis].rules
            ),
        )
        for axis in AXES
    )


def _by_score(reason: Reason) -> float:
    return -reason.score


def _score(view: View, methodology: Methodology, axes: tuple[_Axis, ...]) -> Dependency:
    exposure = {axis.name: _axis_score(view, axis) for axis in axes}
    return _row(view, methodology, axes, exposure, _exit(view, methodology))


def _reason(rule: _Rule, found: Any) -> Reason:
    """The reason a rule gives for one of its predicate's findings."""
    _, params, rule_id, rule_score, text, name = rule
    return Reason(
        rule_id,
        rule_score,
        text,
        found.params,
        found.evidence,
        found.not_assessed,
        name,
        params,
        found.cited,
    )


def _axis_score(view: View, axis: _Axis) -> AxisScore:
    reasons: list[Reason] = []
    for rule in axis.rules:
        for f in rule[0](view, rule[1]):
            reasons.append(_reason(rule, f))
    if not reasons:
        return AxisScore(0, (Reason("clear", 0, axis.clear, {}, Evidence(view.field("*"))),))
    scores = [r.score for r in reasons]
    value = sum(scores) if axis.summed else max(scores)
    if len(reasons) > 1:
        reasons.sort(key=_by_score)
    return AxisScore(int(min(4, value)), tuple(reasons))


def _row(
    view: View,
    methodology: Methodology,
    axes: tuple[_Axis, ...],
    exposure: dict[Axis, AxisScore],
    exit_readiness: ExitReadiness,
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
    level = methodology.level(view.gravity.gravity, math.floor(exposure_score + 0.5))
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
        level=level,
        exit=exit_readiness,
    )


def _exit(view: View, methodology: Methodology) -> ExitReadiness:
    reasons: list[Reason] = []
    points = 0.0
    for criterion in methodology.exit.criteria:
        found = PREDICATES[criterion.when](view, criterion.params)[:1]
        if found:
            points += criterion.points
            reasons.extend(
                _reasons(
                    found,
                    criterion.id,
                    criterion.points,
                    criterion.text,
                    criterion.when,
                    criterion.params,
                )
            )
    readiness = int(min(4, math.floor(points + 1e-9)))
    fits, time_to_exit, duration_reasons = _fits(view, methodology)
    reasons.extend(duration_reasons)
    return ExitReadiness(
        readiness, fits, tuple(reasons), time_to_exit, view.need.max_downtime if view.need else None
    )


def _fits(view: View, methodology: Methodology) -> tuple[bool, Duration | None, list[Reason]]:
    """Whether leaving fits within the downtime the needing processes tolerate."""
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
    need: Need | None = view.need
    if need is None:
        redundant = _only_redundant(view)
        verdict: Verdict = "redundant" if redundant else "not_needed"
        return True, duration, [say(verdict, True)]
    if duration is None:
        return False, None, [say("no_estimate", False)]
    if need.unknown is not None:
        return (
            False,
            duration,
            [say("downtime_unknown", False, process=need.unknown, duration=str(duration))],
        )
    assert need.max_downtime is not None
    fits = duration <= need.max_downtime
    return (
        fits,
        duration,
        [
            say(
                "fits" if fits else "too_long",
                True,
                duration=str(duration),
                max_downtime=str(need.max_downtime),
                process=need.process or "?",
            )
        ],
    )


def _only_redundant(view: View) -> bool:
    """Whether processes reach the asset, but only through ``any_of`` groups."""
    return view.gravity.gravity != "none" and view.asset.id in view.facts.redundant
