"""The audit: every dependency scored on each axis, weighted by gravity, ranked.

:func:`audit` is the one entry point. It works out what scoring needs once (gravities,
needs, provider chains, estate-wide facts: a :class:`ScoringContext`), scores each asset
with :mod:`souverain.core.scoring.score`, ranks the rows, and returns an
:class:`AuditResult` that every exporter renders.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from souverain.core.catalog.model import Catalog
from souverain.core.errors import InvalidInput, Problem
from souverain.core.estate.model import AnyOf, Asset, Estate, requirement_ids
from souverain.core.mapper import Mapper, serially
from souverain.core.phrase import phrase
from souverain.core.scenarios.findings import GraphFindings
from souverain.core.scoring.context import (
    Entity,
    EstateFacts,
    Resolver,
    ultimate_owners,
)
from souverain.core.scoring.gravity import DependencyGraph, GravityOf, gravities, strict_needs
from souverain.core.scoring.methodology import Methodology
from souverain.core.scoring.redundancy import Redundancy
from souverain.core.scoring.rules import PREDICATES
from souverain.core.scoring.score import (
    AxisScore,
    Dependency,
    ExitReadiness,
    Reason,
    ScoringContext,
    compile_axes,
    score_row,
    view_of,
)
from souverain.core.vocabulary import GRAVITIES, LEVELS, Gravity, Level

# The rows' types live with the scoring; the audit's users find them here too.
__all__ = [
    "AuditResult",
    "AxisScore",
    "Concentration",
    "Dependency",
    "ExitReadiness",
    "ProviderGravity",
    "Reason",
    "audit",
    "audit_graph",
    "check_methodology",
]


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


@dataclass(frozen=True)
class AuditResult:
    """An audit: the estate's rows ranked, its providers' gravities, the owner groups'
    concentration and the graph findings. Immutable: every deliverable reads the same
    audit (a changed estate is audited again, or measured through the what-if)."""

    estate: Estate
    methodology: Methodology
    today: date
    dependencies: tuple[Dependency, ...]
    providers: tuple[ProviderGravity, ...]
    concentration: tuple[Concentration, ...] = ()
    catalog: Catalog | None = None  # the catalog the audit used
    graph: GraphFindings | None = None  # single points of failure, dependence, chains
    # What scoring one more asset needs (see souverain.core.scoring.whatif).
    context: ScoringContext | None = field(default=None, repr=False, compare=False)

    def counts(self) -> dict[Level, int]:
        counts = Counter(d.level for d in self.dependencies)
        return {level: counts.get(level, 0) for level in reversed(LEVELS)}


def check_methodology(methodology: Methodology) -> None:
    """Raise :class:`InvalidInput` if a rule names a predicate that does not exist."""
    problems = []
    for axis, rules in methodology.axes.items():
        for index, rule in enumerate(rules.rules):
            if rule.when not in PREDICATES:
                problems.append(
                    Problem(
                        ("axes", axis, "rules", index, "when"),
                        phrase("unknown-predicate"),
                        phrase("one-of", choices=", ".join(sorted(PREDICATES))),
                        repr(rule.when),
                    )
                )
    for index, criterion in enumerate(methodology.exit.criteria):
        if criterion.when not in PREDICATES:
            problems.append(
                Problem(
                    ("exit", "criteria", index, "when"),
                    phrase("unknown-predicate"),
                    phrase("one-of", choices=", ".join(sorted(PREDICATES))),
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
    mapper: Mapper = serially,
) -> AuditResult:
    """Score every asset of ``estate``; ``today`` dates the ages of tests and contracts.

    ``findings``: the estate's graph findings (:func:`audit_graph`) if the caller has
    them, or a function called once scoring is done that may give them (the CLI works
    them out in parallel); when there are none, they are worked out here. ``mapper``:
    how the assets' rows are worked out (:data:`souverain.core.mapper.Mapper`; the CLI
    shares them with a forked process).
    """
    check_methodology(methodology)
    resolver = Resolver(estate, catalog)
    redundancy = Redundancy(estate, catalog, resolver.chain)
    graph = DependencyGraph(estate, redundancy.independent)
    grave = gravities(graph)
    needs = strict_needs(graph)
    facts = _estate_facts(estate, resolver, grave, today)
    facts.redundancy = redundancy
    contracts = {c.id: c for c in estate.contracts}
    assets = {a.id: a for a in estate.assets}
    axes = compile_axes(methodology)
    total = len(estate.assets)
    dependents: dict[str, list[str]] = {}
    for asset in estate.assets:
        for requirement in dict.fromkeys(requirement_ids(asset.depends_on)):
            dependents.setdefault(requirement, []).append(asset.id)
    context = ScoringContext(graph, grave, needs, resolver, facts, axes, dependents)

    def score_share(share: Sequence[Asset]) -> list[Dependency]:
        """The rows of ``share``; progress told as if it were the whole estate (the
        mapper may score the other assets elsewhere at the same pace)."""
        out = []
        last = len(share) - 1
        for index, asset in enumerate(share):
            view = view_of(context, estate, asset, assets, contracts)
            out.append(score_row(view, methodology, axes))
            if progress is not None and (index % 500 == 0 or index == last):
                progress(min(total, (index + 1) * total // len(share)), total)
        return out

    rows = mapper(score_share, estate.assets)
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
        findings = audit_graph(estate, catalog, resolver, today)
    return AuditResult(
        estate,
        methodology,
        today,
        tuple(rows),
        tuple(providers),
        _concentration(facts, resolver),
        catalog,
        findings,
        context,
    )


def audit_graph(
    estate: Estate, catalog: Catalog, resolver: Resolver | None = None, today: date | None = None
) -> GraphFindings:
    """Single points of failure, dependence on one loss and nth-party chains (which of
    them a loss stops or degrades does not depend on ``today``)."""
    from souverain.core.scenarios.analyses import graph_findings  # numpy: imported when needed
    from souverain.core.scenarios.graph import ScenarioGraph

    resolver = resolver or Resolver(estate, catalog)
    scenario_graph = ScenarioGraph.build(estate, catalog, resolver=resolver, today=today)
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
    facts.sensitivity = {kind.id: kind.sensitivity for kind in estate.data}
    facts.data_of = {a.id: a.data for a in estate.assets if a.data}
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


def _concentration(facts: EstateFacts, resolver: Resolver) -> tuple[Concentration, ...]:
    out = []
    for group, count in facts.groups.most_common():
        entity = (
            next((e for e in resolver.chain(group)), None) if group in resolver.providers else None
        )
        country = entity.country if entity else _catalog_country(resolver, group)
        out.append(
            Concentration(group, facts.group_names[group], country, count, facts.grave_total)
        )
    return tuple(out)


def _catalog_country(resolver: Resolver, ident: str) -> str | None:
    entry = resolver.catalog.providers.get(ident)
    return entry.country.value if entry and entry.country else None
