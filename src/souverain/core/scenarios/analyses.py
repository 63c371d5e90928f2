"""What the scenario graph says without asking a question (docs/report.md, section 4):
single points of failure, concentration, and nth-party chains.

- A **single point of failure** of a process is an asset or a provider whose loss
  alone takes the process down. Computed with the scenario engine: one scenario per
  asset and per provider, all at once.
- **Concentration**: for every provider, owner group, country and region, the share
  of vital and important processes that its loss takes down or degrades, in a
  sentence ("7 of 9 vital processes depend on one owner group: Microsoft").
- **Nth-party chains**: the providers a process reaches through its providers'
  subcontractors. The organisation is the first party, its provider the third;
  the provider's subcontractor is a fourth party, and so on. The longest chains,
  and those whose far end is reached by a foreign law, are listed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from souverain.core.estate.duration import Duration
from souverain.core.scenarios.findings import (
    Chain,
    Dependence,
    GraphFindings,
    ProcessSpof,
    SinglePoint,
)
from souverain.core.scenarios.graph import ScenarioGraph
from souverain.core.scenarios.reference import DEGRADED, DOWN, UP
from souverain.core.scenarios.spec import Scenario, crisis_scenarios, every_single_loss
from souverain.core.scenarios.sweep import Batch, simulate_many
from souverain.core.vocabulary import CRITICALITIES, GRAVE


def _singles(graph: ScenarioGraph) -> list[Scenario]:
    """One scenario per asset and per provider."""
    out = [Scenario(f"asset:{a.id}", (("asset", a.id),)) for a in graph.estate.assets]
    out += [Scenario(f"provider:{p.id}", (("provider", p.id),)) for p in graph.estate.providers]
    return out


def _batch(graph: ScenarioGraph, scenarios: list[Scenario]) -> Batch:
    return simulate_many(graph, scenarios, count_assets=False, with_exceeds=False)


def _columns(batch: Batch, kinds: tuple[str, ...]) -> list[int]:
    """The batch's single-loss scenarios of these kinds."""
    return [
        column
        for column, scenario in enumerate(batch.scenarios)
        if len(scenario.losses) == 1 and scenario.losses[0][0] in kinds
    ]


def single_points_of_failure(
    graph: ScenarioGraph,
    batch: Batch | None = None,
    names: Mapping[str, str | Mapping[str, str]] | None = None,
) -> list[ProcessSpof]:
    """For each vital or important process, what it cannot lose (assets, then providers).

    ``batch``, if given, must hold one scenario per asset and per provider.
    """
    grave = [p for p in graph.estate.processes if p.criticality in GRAVE]
    if not grave:
        return []
    batch = batch or _batch(graph, _singles(graph))
    columns = np.array(_columns(batch, ("asset", "provider")), dtype=np.int64)
    rows = {p.id: n for n, p in enumerate(graph.estate.processes)}
    assets = {a.id: a.name or a.id for a in graph.estate.assets}
    known = names or {}
    providers: dict[str, str] = {}
    for provider in graph.estate.providers:
        given = known.get(provider.id)
        providers[provider.id] = provider.name or (given if isinstance(given, str) else provider.id)
    out = []
    for process in grave:
        down = columns[batch.states[rows[process.id], columns] == DOWN]
        points = []
        for column in down.tolist():
            kind, ident = batch.scenarios[column].losses[0]
            name = assets.get(ident) if kind == "asset" else providers.get(ident)
            points.append(SinglePoint(kind, ident, name or ident))
        out.append(
            ProcessSpof(process.id, process.name or process.id, process.criticality, tuple(points))
        )
    return out


CONCENTRATION_KINDS = ("provider", "owner", "jurisdiction", "region", "site")


def concentration(
    graph: ScenarioGraph,
    names: Mapping[str, str | Mapping[str, str]] | None = None,
    batch: Batch | None = None,
) -> list[Dependence]:
    """Every provider, owner group, country, region and site, by how many vital and
    important processes its loss stops or degrades; those that stop none are left out.

    ``names`` gives display names of owner entities and countries, by id; a name
    may be ``{"en": …, "fr": …}``. ``batch``, if given, must hold the scenarios of
    :func:`every_single_loss` for those kinds.
    """
    batch = batch or _batch(graph, every_single_loss(graph, CONCENTRATION_KINDS))
    criticality = np.array([p.criticality for p in graph.estate.processes])
    vital = criticality == "vital"
    important = criticality == "important"
    providers = {p.id: p.name or p.id for p in graph.estate.providers}
    assets = {a.id: a.name or a.id for a in graph.estate.assets}
    sites = {a.id for a in graph.estate.assets if a.category == "site"}
    out = []
    for column in _columns(batch, CONCENTRATION_KINDS):
        kind, ident = batch.scenarios[column].losses[0]
        if kind == "site" and ident not in sites:
            continue
        hit = batch.states[:, column] != UP
        v, i = int((hit & vital).sum()), int((hit & important).sum())
        if v + i == 0:
            continue
        known = (names or {}).get(ident)
        name_fr = None
        if isinstance(known, Mapping):
            name_fr = known.get("fr")
            known = known.get("en")
        name = known or providers.get(ident) or assets.get(ident) or ident
        out.append(
            Dependence(kind, ident, name, v, int(vital.sum()), i, int(important.sum()), name_fr)
        )
    out.sort(key=lambda d: (-d.vital, -d.important, d.kind, d.id))
    return out


def nth_party_chains(
    graph: ScenarioGraph,
    limit: int = 10,
    batch: Batch | None = None,
    laws: Mapping[str, Sequence[str]] | None = None,
    riskiest: bool = False,
) -> list[Chain]:
    """The longest provider chains under vital and important processes (fourth party
    and beyond), longest first, one per (process, end provider).

    A chain is under a process when losing its asset stops or degrades the process.
    ``batch``, if given, must hold one scenario per asset. ``laws`` gives, per
    country, the laws that let it demand data or cut a service: a chain notes the
    fourth parties and beyond that such a foreign law reaches. With ``riskiest``,
    only those chains, the most reached first.
    """
    estate = graph.estate
    subcontractors = {p.id: list(dict.fromkeys(p.subcontractors)) for p in estate.providers}
    longest = _Longest(subcontractors)
    chained = {a.id: a.provider for a in estate.assets if a.provider}
    chained = {asset: p for asset, p in chained.items() if longest.length(p) >= 2}
    if not chained:
        return []
    if batch is None:
        batch = _batch(graph, [Scenario(f"asset:{a}", (("asset", a),)) for a in chained])
    found: dict[tuple[str, str], tuple[str, str]] = {}  # (process, end) → (asset, provider)
    grave = [n for n, p in enumerate(estate.processes) if p.criticality in GRAVE]
    columns = [c for c in _columns(batch, ("asset",)) if batch.scenarios[c].losses[0][1] in chained]
    if not grave or not columns:
        return []
    hit = batch.states[np.ix_(grave, columns)] != UP
    for row, column in zip(*np.nonzero(hit), strict=True):
        process = estate.processes[grave[row]]
        asset = batch.scenarios[columns[column]].losses[0][1]
        provider = chained[asset]
        key = (process.id, longest.end[provider])
        if key not in found or longest.length(found[key][1]) < longest.length(provider):
            found[key] = (asset, provider)
    countries = _countries(graph)
    chains = [
        _with_reach(graph, Chain(process, asset, longest.chain(p)), laws or {}, countries)
        for (process, _), (asset, p) in found.items()
    ]
    if riskiest:
        chains = [c for c in chains if c.reached]
        chains.sort(key=lambda c: (-len(c.reached), -len(c.providers), c.process, c.asset))
    else:
        chains.sort(key=lambda c: (-len(c.providers), c.process, c.asset))
    return chains[:limit]


class _Longest:
    """The longest chain of subcontractors from each provider: its length, the next
    provider on it and where it ends, worked out without recursion (a chain may be
    thousands of providers long) and each provider once.

    Of a provider's subcontractors, the chain goes through the first whose own chain is
    the longest. (Validation refuses subcontracting cycles; one would be cut where it
    comes back, as the chain never names a provider twice.)
    """

    def __init__(self, subcontractors: Mapping[str, Sequence[str]]) -> None:
        self.subcontractors = subcontractors
        self.lengths: dict[str, int] = {}
        self.after: dict[str, str | None] = {}
        self.end: dict[str, str] = {}

    def length(self, provider: str) -> int:
        if provider not in self.lengths:
            self._walk(provider)
        return self.lengths[provider]

    def chain(self, provider: str) -> tuple[str, ...]:
        """The providers of the longest chain from ``provider``, itself first."""
        out = [provider]
        following = self.after[provider]
        while following is not None:
            out.append(following)
            following = self.after[following]
        return tuple(out)

    def _walk(self, root: str) -> None:
        subs = self.subcontractors
        lengths, after, end = self.lengths, self.after, self.end
        stack = [(root, iter(subs.get(root, ())))]
        open_ = {root}
        while stack:
            node, pending = stack[-1]
            for sub in pending:
                if sub not in lengths and sub not in open_:
                    stack.append((sub, iter(subs.get(sub, ()))))
                    open_.add(sub)
                    break
            else:
                stack.pop()
                open_.discard(node)
                best, following = 1, None
                for sub in subs.get(node, ()):
                    if sub in lengths and lengths[sub] + 1 > best:
                        best, following = lengths[sub] + 1, sub
                lengths[node], after[node] = best, following
                end[node] = node if following is None else end[following]


def _countries(graph: ScenarioGraph) -> dict[str, list[str]]:
    """Provider → the countries whose laws reach it (through its owner chain)."""
    countries: dict[str, list[str]] = {}
    for country, providers in graph.country_reach.items():
        for provider in providers:
            countries.setdefault(provider, []).append(country)
    return countries


def _with_reach(
    graph: ScenarioGraph,
    chain: Chain,
    laws: Mapping[str, Sequence[str]],
    countries: Mapping[str, list[str]],
) -> Chain:
    reached = []
    for provider in chain.providers[1:]:
        for country in sorted(countries.get(provider, [])):
            if country not in graph.domestic and laws.get(country):
                reached.append(f"{provider} ({country}: {', '.join(laws[country])})")
    return Chain(chain.process, chain.asset, chain.providers, tuple(reached))


def ranked(batch: Batch) -> list[int]:
    """Scenario columns, worst first (docs/scenarios.md): by vital processes stopped
    beyond their max downtime, then important ones; then vital processes down,
    important down, vital degraded, important degraded; then the same down the other
    criticalities; then by the data categories lost; then by name. A process out
    beyond its max downtime is one not up whose outage exceeds it (a degraded one
    stops after the grace period and stays out too long); one without a max
    downtime never counts as beyond it."""
    criticality = np.array([p.criticality for p in batch.graph.estate.processes], dtype=object)
    grave = [level for level in CRITICALITIES if level in GRAVE]
    rows: list[np.ndarray] = []
    for level in grave:
        mine = criticality == level
        rows.append(((batch.states[mine] != UP) & (batch.exceeds[mine] == 1)).sum(axis=0))
    for state in (DOWN, DEGRADED):
        rows += [(batch.states[criticality == level] == state).sum(axis=0) for level in grave]
    for level in CRITICALITIES:
        if level not in GRAVE:
            mine = batch.states[criticality == level]
            rows += [(mine == DOWN).sum(axis=0), (mine == DEGRADED).sum(axis=0)]
    # Then the scenario that destroys more data (a site, not its region's outage).
    rows.append(np.array([len(lost) for lost in batch.lost_data()], dtype=np.int64))
    keys = np.array(rows, dtype=np.int64).reshape(len(rows), len(batch.scenarios))
    worse = [tuple(column) for column in (-keys).T.tolist()]
    return sorted(range(len(batch.scenarios)), key=lambda c: (worse[c], batch.scenarios[c].spec))


def crisis_ranking(graph: ScenarioGraph, grace: Duration | None = None) -> tuple[Batch, list[int]]:
    """The one selection rule of every ranking (``simulate --all`` as a table or as
    JSON, the report, the workbook, ``make demo``): the scenarios of
    :func:`~souverain.core.scenarios.spec.crisis_scenarios` simulated at once (with
    their outcomes), the columns of equivalent ones merged, worst first
    (:func:`ranked`). ``grace``: how long software outlives its lost vendor or
    licensor, for every asset (``--grace``); by default each asset's survivability.

    Equivalent: the same outcome to the process, the asset and the data category, for
    scenarios that reach a node in common (those that reach the same nodes were merged
    before the simulation): a group and its country reaching one subsidiary are one
    crisis; two countries whose laws reach unrelated providers are two, even when
    their outcomes happen to be the same. The first column of a set keeps its place
    and names the others (``Scenario.equivalent``); the others are left out of the
    order."""
    batch = simulate_many(graph, crisis_scenarios(graph), grace, outcomes=True)
    assert batch.hits is not None
    columns, assets, states = batch.hits
    bounds = np.searchsorted(columns, np.arange(len(batch.scenarios) + 1)).tolist()
    lost = batch.lost_data()
    # Per outcome, the columns kept with the nodes their sets reach (worked out only
    # for an outcome met more than once).
    first: dict[tuple[bytes, bytes, bytes, bytes, bytes, tuple[str, ...]], list[int]] = {}
    reached: dict[int, set[int]] = {}

    def reach(column: int) -> set[int]:
        found = reached.get(column)
        if found is None:
            down, degraded = graph.seeds(batch.scenarios[column])
            found = reached[column] = {*down, *degraded}
        return found

    kept = []
    for column in range(len(batch.scenarios)):
        start, end = bounds[column], bounds[column + 1]
        key = (
            batch.states[:, column].tobytes(),
            batch.exceeds[:, column].tobytes(),
            batch.impacts[:, column].tobytes() if batch.impacts.size else b"",
            assets[start:end].tobytes(),
            states[start:end].tobytes(),
            lost[column],
        )
        alike = first.setdefault(key, [])
        same = next((c for c in alike if reach(c) & reach(column)), None) if alike else None
        if same is None:
            alike.append(column)
            kept.append(column)
            continue
        reach(same).update(reach(column))
        kept_scenario, other = batch.scenarios[same], batch.scenarios[column]
        batch.scenarios[same] = replace(
            kept_scenario, equivalent=kept_scenario.equivalent + other.specs
        )
    order = ranked(batch)
    keep = set(kept)
    return batch, [column for column in order if column in keep]


def graph_findings(
    graph: ScenarioGraph,
    names: Mapping[str, str | Mapping[str, str]] | None = None,
    laws: Mapping[str, Sequence[str]] | None = None,
) -> GraphFindings:
    """All three analyses from one pass of the engine over every single loss."""
    scenarios = _singles(graph) + every_single_loss(
        graph, ("owner", "jurisdiction", "region", "site")
    )
    batch = _batch(graph, scenarios)
    dependence = concentration(graph, names, batch)
    # The laws of the organisation's own country (and of the EU/EEA for an EU/EEA
    # organisation) are no foreign reach: kept apart, as resilience metrics.
    home = [d for d in dependence if d.kind == "jurisdiction" and d.id in graph.domestic]
    return GraphFindings(
        tuple(single_points_of_failure(graph, batch, names)),
        tuple(d for d in dependence if d not in home),
        tuple(nth_party_chains(graph, batch=batch, laws=laws)),
        tuple(nth_party_chains(graph, batch=batch, laws=laws, riskiest=True)),
        tuple(home),
    )
