"""What the scenario graph says without asking a question (issue 4 §4):
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

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from souverain.core.scenarios import (
    DEGRADED,
    DOWN,
    Batch,
    Scenario,
    ScenarioGraph,
    every_single_loss,
    impact,
    simulate_many,
)

GRAVE = ("vital", "important")


@dataclass(frozen=True)
class SinglePoint:
    """A node whose loss alone stops a process."""

    kind: str  # "asset" or "provider"
    id: str
    name: str


@dataclass(frozen=True)
class ProcessSpof:
    process: str
    name: str
    criticality: str
    points: tuple[SinglePoint, ...]


def single_points_of_failure(graph: ScenarioGraph) -> list[ProcessSpof]:
    """For each vital or important process, what it cannot lose (assets, then providers)."""
    grave = [p for p in graph.estate.processes if p.criticality in GRAVE]
    if not grave:
        return []
    scenarios = [Scenario(f"asset:{a.id}", (("asset", a.id),)) for a in graph.estate.assets]
    scenarios += [
        Scenario(f"provider:{p.id}", (("provider", p.id),)) for p in graph.estate.providers
    ]
    batch = simulate_many(graph, scenarios, count_assets=False)
    rows = {p.id: n for n, p in enumerate(graph.estate.processes)}
    assets = {a.id: a for a in graph.estate.assets}
    providers = {p.id: p for p in graph.estate.providers}
    out = []
    for process in grave:
        down = np.flatnonzero(batch.states[rows[process.id]] == DOWN)
        points = []
        for column in down.tolist():
            kind, ident = scenarios[column].losses[0]
            entry = assets.get(ident) if kind == "asset" else providers.get(ident)
            name = (getattr(entry, "name", None) or ident) if entry else ident
            points.append(SinglePoint(kind, ident, name))
        out.append(
            ProcessSpof(process.id, process.name or process.id, process.criticality, tuple(points))
        )
    return out


@dataclass(frozen=True)
class Dependence:
    """How many vital and important processes one loss stops or degrades."""

    kind: str  # provider | owner | jurisdiction | region | site
    id: str
    name: str
    vital: int
    vital_total: int
    important: int
    important_total: int

    @property
    def grave(self) -> int:
        return self.vital + self.important

    def sentence(self, lang: str) -> str:
        """'7 of 9 vital processes depend on one owner group: Microsoft Corporation.'"""
        what = {
            "en": {
                "provider": "one provider",
                "owner": "one owner group",
                "jurisdiction": "one country's laws",
                "region": "one region",
                "site": "one site",
            },
            "fr": {
                "provider": "un seul fournisseur",
                "owner": "un seul groupe",
                "jurisdiction": "les lois d'un seul pays",
                "region": "une seule région",
                "site": "un seul site",
            },
        }[lang if lang in ("en", "fr") else "en"][self.kind]
        parts = []
        if lang == "fr":
            if self.vital_total:
                parts.append(f"{self.vital} des {self.vital_total} processus vitaux")
            if self.important_total:
                parts.append(f"{self.important} des {self.important_total} processus importants")
            return f"{' et '.join(parts)} dépendent de {what} : {self.name}."
        if self.vital_total:
            parts.append(f"{self.vital} of {self.vital_total} vital processes")
        if self.important_total:
            parts.append(f"{self.important} of {self.important_total} important processes")
        return f"{' and '.join(parts)} depend on {what}: {self.name}."


def concentration(
    graph: ScenarioGraph, names: Mapping[str, str] | None = None, batch: Batch | None = None
) -> list[Dependence]:
    """Every provider, owner group, country, region and site, by how many vital and
    important processes its loss stops or degrades; those that stop none are left out.

    ``names`` gives display names of owner entities and countries, by id.
    """
    scenarios = every_single_loss(graph, ("provider", "owner", "jurisdiction", "region", "site"))
    if batch is None:
        batch = simulate_many(graph, scenarios, count_assets=False)
    criticality = np.array([p.criticality for p in graph.estate.processes])
    vital = criticality == "vital"
    important = criticality == "important"
    providers = {p.id: p.name or p.id for p in graph.estate.providers}
    assets = {a.id: a.name or a.id for a in graph.estate.assets}
    out = []
    for column, scenario in enumerate(batch.scenarios):
        hit = (batch.states[:, column] == DOWN) | (batch.states[:, column] == DEGRADED)
        v, i = int((hit & vital).sum()), int((hit & important).sum())
        if v + i == 0:
            continue
        kind, ident = scenario.losses[0]
        name = (names or {}).get(ident) or providers.get(ident) or assets.get(ident) or ident
        out.append(Dependence(kind, ident, name, v, int(vital.sum()), i, int(important.sum())))
    out.sort(key=lambda d: (-d.vital, -d.important, d.kind, d.id))
    return out


@dataclass(frozen=True)
class Chain:
    """From a process to a provider through subcontracting: parties 3, 4, 5…"""

    process: str
    asset: str
    providers: tuple[str, ...]  # the direct provider first

    @property
    def party(self) -> int:
        """The last provider's rank: 3 for the direct provider, 4 for its subcontractor."""
        return 2 + len(self.providers)


def nth_party_chains(graph: ScenarioGraph, limit: int = 10) -> list[Chain]:
    """The longest provider chains under vital and important processes (fourth party
    and beyond), longest first, one per (process, end provider)."""
    estate = graph.estate
    subcontractors = {p.id: list(dict.fromkeys(p.subcontractors)) for p in estate.providers}
    longest: dict[str, tuple[str, ...]] = {}

    def deepest(provider: str, seen: tuple[str, ...] = ()) -> tuple[str, ...]:
        if provider in longest:
            return longest[provider]
        best: tuple[str, ...] = (provider,)
        for sub in subcontractors.get(provider, []):
            if sub not in seen:
                candidate = (provider, *deepest(sub, (*seen, provider)))
                if len(candidate) > len(best):
                    best = candidate
        longest[provider] = best
        return best

    reach = _process_assets(graph)
    assets = {a.id: a for a in estate.assets}
    found: dict[tuple[str, str], Chain] = {}
    for process in estate.processes:
        if process.criticality not in GRAVE:
            continue
        for asset_id in reach.get(process.id, []):
            provider = assets[asset_id].provider
            if not provider:
                continue
            chain = deepest(provider)
            if len(chain) < 2:
                continue
            key = (process.id, chain[-1])
            if key not in found or len(found[key].providers) < len(chain):
                found[key] = Chain(process.id, asset_id, chain)
    return sorted(found.values(), key=lambda c: (-len(c.providers), c.process, c.asset))[:limit]


def _process_assets(graph: ScenarioGraph) -> dict[str, list[str]]:
    """The assets each process reaches through its requirements (any_of included)."""
    out: dict[str, list[str]] = {}
    for process in graph.estate.processes:
        start = graph.index[f"process:{process.id}"]
        seen = {start}
        stack = [start]
        found = []
        while stack:
            node = stack.pop()
            for child in graph.indices[graph.indptr[node] : graph.indptr[node + 1]].tolist():
                if child in seen:
                    continue
                seen.add(child)
                name = graph.names[child]
                if name.startswith("asset:"):
                    found.append(name[6:])
                    stack.append(child)
                elif name.startswith("group:"):
                    stack.append(child)
        out[process.id] = found
    return out


def ranked(batch: Batch) -> list[int]:
    """Scenario columns, worst first: by vital processes down, then degraded, and so on."""
    criticalities = [p.criticality for p in batch.graph.estate.processes]
    keys = [impact(batch.states[:, c].tolist(), criticalities) for c in range(len(batch.scenarios))]
    return sorted(
        range(len(batch.scenarios)),
        key=lambda c: (tuple(-k for k in keys[c]), batch.scenarios[c].spec),
    )
