"""Generate large, realistic synthetic estates for the crisis-scenario benchmark.

Unlike ``generate.py`` (which fills every field the audit scores), this generator
shapes the *dependency graph* of a large organisation, sized by the scenario graph
it yields (``souverain.core.scenarios.graph.ScenarioGraph``): nodes are processes, assets,
providers and ``any_of`` groups; requirement edges are ``depends_on`` members (a
group counting one edge to it plus one per member), asset → provider and provider →
subcontractor. The output is deterministic for a given seed.

What it makes:

- ``processes`` business processes (criticality 15 % vital, 35 % important, 30 %
  useful, 20 % minor; 90 % with a ``max_downtime``), each requiring 5–30
  applications, a few of them as redundant pairs;
- ``providers`` providers: an eighth are corporate groups headquartered over 30
  countries with a realistic skew (US 30 %, FR 16 %, DE 10 %, GB, NL, IE, LU, CH…
  and a long tail), half are subsidiaries (of a group, or of an intermediate
  holding — US groups hold their European business through IE, LU or NL), the rest
  independents; a quarter have 1–3 subcontractors, mostly among the largest groups;
  owner and subcontractor links point to earlier providers only (no cycle);
  provider popularity is skewed (Zipf): a few hyperscalers host a large share;
- assets in four layers, ids in layer order so that ``depends_on`` only points to a
  higher index (a DAG): applications (36 %) → middleware and databases (30 %) →
  hosting: VMs, servers, clusters, storage, network (34 %) → sites (~0.3 %, shared);
- locality: assets form information systems of ~100 (an ERP and the middleware and
  hosting it runs on); 97 % of requirements stay within the system, 2.8 % go to
  the shared platform (system 0: identity, network, shared databases, run mostly
  in-house) and 0.2 % to another system (integrations); a process requires 5–30
  applications of one to three systems, a tenth of them as redundant pairs. Without
  locality every process would reach nearly every provider, and every loss would
  stop everything;
- about 3 % of the nodes are ``{any_of: [...]}`` redundancy groups of 2–3 members
  (dual sites, database replicas, load-balanced services);
- each asset but sites has a provider (90 %) and a ``deployment`` (saas,
  public-cloud, private-cloud, on-premise: the latter is the soft, "degraded" edge),
  cloud assets a ``location`` with ``region``, and 60 % an ``exit.duration``.

CLI::

    python benchmarks/generate_graph.py --nodes 100000 --edges 1000000 -o estate.json
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from souverain.core.estate.duration import Duration
from souverain.core.estate.model import Estate

# (country, weight, countries its subsidiaries are in): where groups are headquartered.
GROUP_COUNTRIES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("US", 0.30, ("US", "IE", "LU", "NL", "FR", "DE", "GB")),
    ("FR", 0.16, ("FR", "BE", "LU")),
    ("DE", 0.10, ("DE", "AT", "CH")),
    ("GB", 0.05, ("GB", "IE")),
    ("NL", 0.04, ("NL", "BE")),
    ("IE", 0.03, ("IE",)),
    ("LU", 0.03, ("LU", "FR")),
    ("CH", 0.03, ("CH", "DE")),
    ("IT", 0.03, ("IT",)),
    ("ES", 0.03, ("ES", "PT")),
    ("SE", 0.02, ("SE", "FI", "DK")),
    ("BE", 0.02, ("BE",)),
    ("DK", 0.01, ("DK",)),
    ("FI", 0.01, ("FI",)),
    ("NO", 0.01, ("NO",)),
    ("AT", 0.01, ("AT",)),
    ("PL", 0.01, ("PL",)),
    ("CZ", 0.01, ("CZ",)),
    ("PT", 0.01, ("PT",)),
    ("CN", 0.02, ("CN", "NL", "SG")),
    ("IN", 0.02, ("IN", "GB")),
    ("IL", 0.01, ("IL", "US")),
    ("JP", 0.01, ("JP", "DE")),
    ("KR", 0.01, ("KR",)),
    ("CA", 0.01, ("CA", "US")),
    ("AU", 0.005, ("AU",)),
    ("SG", 0.005, ("SG",)),
    ("BR", 0.005, ("BR",)),
    ("TW", 0.005, ("TW",)),
    ("AE", 0.005, ("AE",)),
)
# Independent (unowned) providers: mostly local to a European organisation.
INDEPENDENT_COUNTRIES = (
    ("FR", 0.40),
    ("DE", 0.15),
    ("BE", 0.06),
    ("LU", 0.05),
    ("IE", 0.04),
    ("NL", 0.06),
    ("ES", 0.04),
    ("IT", 0.05),
    ("GB", 0.05),
    ("US", 0.06),
    ("CH", 0.02),
    ("PL", 0.02),
)
CRITICALITY_MIX = (("vital", 0.15), ("important", 0.35), ("useful", 0.30), ("minor", 0.20))
DOWNTIMES = {
    "vital": ("1h", "4h", "8h", "1d"),
    "important": ("8h", "1d", "3d", "5d"),
    "useful": ("3d", "5d", "1w", "2w"),
    "minor": ("1w", "2w", "4w"),
}
EXIT_DURATIONS = ("4h", "1d", "3d", "1w", "2w", "4w", "12w", "26w")
REGIONS = {
    "FR": ("eu-west-3", "fr-par", "gra", "sbg"),
    "DE": ("eu-central-1", "de-fra", "fsn1"),
    "IE": ("eu-west-1", "north-europe"),
    "NL": ("nl-ams", "europe-west4", "west-europe"),
    "US": ("us-east-1", "us-west-2", "us-central1"),
    "GB": ("eu-west-2", "uk-south"),
    "CH": ("ch-zrh",),
    "BE": ("europe-west1",),
}
REGION_COUNTRIES = (
    ("FR", 0.32),
    ("DE", 0.18),
    ("IE", 0.16),
    ("NL", 0.12),
    ("US", 0.12),
    ("GB", 0.04),
    ("CH", 0.03),
    ("BE", 0.03),
)

# Layers: (id prefix, share of the assets, categories, deployment mix).
APP, MIDDLEWARE, HOSTING, SITE = 0, 1, 2, 3
LAYERS: tuple[tuple[str, float, tuple[str, ...], tuple[tuple[str, float], ...]], ...] = (
    (
        "app",
        0.36,
        (
            "erp",
            "crm",
            "hr",
            "accounting",
            "mes",
            "plm",
            "email",
            "collaboration",
            "e-commerce",
            "business-intelligence",
            "ticketing",
            "payment",
        ),
        (("saas", 0.35), ("public-cloud", 0.20), ("private-cloud", 0.10), ("on-premise", 0.35)),
    ),
    (
        "mw",
        0.30,
        ("database", "message-queue", "cache", "identity", "api-gateway", "search", "paas"),
        (("saas", 0.10), ("public-cloud", 0.30), ("private-cloud", 0.15), ("on-premise", 0.45)),
    ),
    (
        "host",
        0.34,
        ("vm", "server", "cluster", "storage", "network", "iaas"),
        (("public-cloud", 0.40), ("private-cloud", 0.20), ("on-premise", 0.40)),
    ),
    ("site", 0.0, ("site",), (("on-premise", 1.0),)),
)
PLATFORM = (("on-premise", 0.7), ("private-cloud", 0.2), ("public-cloud", 0.1))
SITES_SHARE = 0.003
# Mean depends_on members per asset, split by the layer they point to.
DEGREE = {
    APP: {APP: 2.0, MIDDLEWARE: 9.0, HOSTING: 2.0},
    MIDDLEWARE: {MIDDLEWARE: 2.5, HOSTING: 9.5},
    HOSTING: {HOSTING: 3.0, SITE: 1.0},
    SITE: {},
}
GROUP_SHARE = 0.03  # any_of groups, as a share of the nodes
SYSTEM_SIZE = 100  # assets per information system (an ERP and what it runs on…)
LOCAL = 0.97  # share of requirements within the asset's own system
SHARED = 0.028  # …towards the shared platform (system 0: identity, network, shared DBs)
# and the rest (0.2 %) towards any other system's asset: integrations.


def _pick(rng: random.Random, mix: Sequence[tuple[str, float]]) -> str:
    return rng.choices([v for v, _ in mix], weights=[w for _, w in mix])[0]


class _Generator:
    def __init__(self, nodes: int, edges: int, providers: int, processes: int, seed: int) -> None:
        if providers < 10 or processes < 1:
            raise ValueError("need at least 10 providers and 1 process")
        self.rng = random.Random(seed)
        self._zipf_weights: dict[int, list[float]] = {}
        self.n_processes = processes
        self.n_providers = providers
        self.n_groups = round(nodes * GROUP_SHARE)
        self.n_assets = nodes - processes - providers - self.n_groups
        if self.n_assets < 100:
            raise ValueError("too few nodes for the processes and providers asked")
        self.n_edges = edges
        sites = max(2, round(self.n_assets * SITES_SHARE))
        rest = self.n_assets - sites
        sizes = [round(rest * share) for _, share, _, _ in LAYERS[:2]]
        sizes += [rest - sum(sizes), sites]
        self.n_systems = max(1, rest // SYSTEM_SIZE)
        self.bounds: list[tuple[int, int]] = []
        start = 0
        for size in sizes:
            self.bounds.append((start, start + size))
            start += size

    # --- providers ----------------------------------------------------------------------

    def providers(self) -> list[dict[str, Any]]:
        rng = self.rng
        n = self.n_providers
        n_groups = max(2, n // 8)
        n_subsidiaries = n // 2
        out: list[dict[str, Any]] = []
        group_country: list[str] = []  # per provider: its ultimate owner's country
        mix = [(c, w) for c, w, _ in GROUP_COUNTRIES]
        subsidiary_countries = {c: s for c, _, s in GROUP_COUNTRIES}
        for index in range(n):
            entry: dict[str, Any] = {"id": f"prov-{index:05d}", "name": f"Provider {index}"}
            if index < n_groups:
                country = _pick(rng, mix)
                top = country
            elif index < n_groups + n_subsidiaries:
                # Owned by a group (skewed towards the big ones) or, one time in five,
                # by an earlier subsidiary: an intermediate holding.
                if index > n_groups and rng.random() < 0.2:
                    owner = rng.randrange(n_groups, index)
                else:
                    owner = self._zipf(n_groups)
                top = group_country[owner]
                country = rng.choice(subsidiary_countries[top])
                entry["owner"] = f"prov-{owner:05d}"
            else:
                country = _pick(rng, INDEPENDENT_COUNTRIES)
                top = country
            if rng.random() > 0.03:  # a few providers' country is not known
                entry["country"] = country
            if index > 0 and rng.random() < 0.25:
                # Subcontracting, mostly to the largest groups (hosting, payment, CDN).
                subs = set()
                for _ in range(rng.choice((1, 1, 2, 3))):
                    if rng.random() < 0.7:
                        subs.add(self._zipf(min(index, n_groups)))
                    else:
                        subs.add(rng.randrange(index))
                entry["subcontractors"] = [f"prov-{s:05d}" for s in sorted(subs)]
            group_country.append(top)
            out.append(entry)
        return out

    def _zipf(self, n: int) -> int:
        """An index below ``n``, Zipf-skewed (weight 1 / (k + 2)): a few are chosen often."""
        weights = self._zipf_weights.get(n)
        if weights is None:
            weights = list(itertools.accumulate(1 / (k + 2) for k in range(n)))
            self._zipf_weights[n] = weights
        return bisect.bisect(weights, self.rng.random() * weights[-1])

    def _provider_of(self) -> int:
        """A provider index, Zipf-skewed: a few (hyperscalers) serve many assets."""
        return self._zipf(self.n_providers)

    # --- assets -------------------------------------------------------------------------

    def _system_slice(self, system: int, layer: int) -> tuple[int, int]:
        """The index range of ``system``'s assets in ``layer`` (sites are shared)."""
        start, end = self.bounds[layer]
        if layer == SITE:
            return start, end
        size = end - start
        return start + size * system // self.n_systems, start + size * (
            system + 1
        ) // self.n_systems

    def _system_of(self, index: int, layer: int) -> int:
        start, end = self.bounds[layer]
        return (index - start) * self.n_systems // max(1, end - start)

    def _layer_target(self, source: int, system: int, layer: int) -> int:
        """A target in ``layer`` with a higher index than ``source`` (or -1): mostly in
        the source's own system, else on the shared platform (system 0), rarely in
        another system (an integration)."""
        rng = self.rng
        draw = rng.random()
        if draw < LOCAL or system == 0:
            start, end = self._system_slice(system, layer)
        elif draw < LOCAL + SHARED:
            start, end = self._system_slice(0, layer)
        else:
            start, end = self.bounds[layer]
        start = max(start, source + 1)
        if start >= end:
            return -1
        return rng.randrange(start, end)

    def _degrees(self) -> list[dict[int, int]]:
        """Per asset, how many depends_on members towards each layer."""
        rng = self.rng
        out: list[dict[int, int]] = []
        for layer, (start, end) in enumerate(self.bounds):
            for _ in range(start, end):
                wanted = {}
                for target, mean in DEGREE[layer].items():
                    # Heavy-ish tail: most assets need a few things, some need dozens.
                    wanted[target] = min(200, int(rng.expovariate(1 / mean) + 0.5))
                out.append(wanted)
        return out

    def assets(self, ids: list[str], budget: int) -> list[dict[str, Any]]:
        """Assets whose depends_on members number about ``budget``."""
        rng = self.rng
        degrees = self._degrees()
        raw = sum(sum(d.values()) for d in degrees)
        made = 0  # members made so far: the scale is corrected as we go (some draws
        # collide or find no higher index in a small system)
        out: list[dict[str, Any]] = []
        layer = 0
        for index, ident in enumerate(ids):
            while index >= self.bounds[layer][1]:
                layer += 1
            _, _, categories, deployments = LAYERS[layer]
            system = self._system_of(index, layer) if layer != SITE else 0
            asset: dict[str, Any] = {"id": ident, "category": rng.choice(categories)}
            if layer == SITE:
                country = _pick(rng, (("FR", 0.7), ("DE", 0.2), ("ES", 0.1)))
                asset["location"] = {"country": country, "region": f"site-{country.lower()}"}
            else:
                # The shared platform is mostly run in-house.
                deployment = _pick(rng, PLATFORM if system == 0 else deployments)
                asset["deployment"] = deployment
                if rng.random() < (0.5 if system == 0 else 0.9):
                    asset["provider"] = f"prov-{self._provider_of():05d}"
                if deployment != "on-premise":
                    country = _pick(rng, REGION_COUNTRIES)
                    asset["location"] = {"country": country, "region": rng.choice(REGIONS[country])}
            if layer != SITE and rng.random() < 0.6:
                asset["exit"] = {"duration": rng.choice(EXIT_DURATIONS)}
            targets: dict[int, list[int]] = {}
            wanted = degrees[index]
            scale = max(0.0, budget - made) / raw if raw else 0.0
            raw -= sum(wanted.values())
            for target_layer, count in wanted.items():
                # Stochastic rounding keeps the total on budget.
                scaled = count * scale
                count = int(scaled) + (rng.random() < scaled - int(scaled))
                chosen: set[int] = set()
                for _ in range(3 * count):  # distinct targets, as many as fit
                    if len(chosen) == count:
                        break
                    target = self._layer_target(index, system, target_layer)
                    if target >= 0:
                        chosen.add(target)
                if chosen:
                    targets[target_layer] = sorted(chosen)
                    made += len(chosen)
            if targets:
                asset["depends_on"] = self._requirements(ids, targets)
            out.append(asset)
        return out

    def _requirements(self, ids: list[str], targets: dict[int, list[int]]) -> list[Any]:
        """depends_on, with some 2–3 members of one layer made a redundancy group."""
        rng = self.rng
        out: list[Any] = []
        grouped = -1
        if rng.random() < self.group_rate:
            candidates = [layer for layer, members in targets.items() if len(members) >= 2]
            if candidates:
                grouped = rng.choice(candidates)
        for layer, members in targets.items():
            if layer == grouped:
                size = min(len(members), rng.choice((2, 2, 3)))
                out.append({"any_of": [ids[m] for m in members[:size]]})
                members = members[size:]
            out.extend(ids[m] for m in members)
        return out

    # --- the estate ---------------------------------------------------------------------

    def generate(self) -> dict[str, Any]:
        rng = self.rng
        providers = self.providers()
        ids = []
        for layer, (start, end) in enumerate(self.bounds):
            ids += [f"{LAYERS[layer][0]}-{i:06d}" for i in range(start, end)]
        processes = []
        process_edges = 0
        for index in range(self.n_processes):
            criticality = _pick(rng, CRITICALITY_MIX)
            process: dict[str, Any] = {
                "id": f"proc-{index:04d}",
                "name": f"Process {index}",
                "criticality": criticality,
            }
            if rng.random() < 0.9:
                process["max_downtime"] = rng.choice(DOWNTIMES[criticality])
            # A process runs on the applications of one to three information systems.
            pool = [
                app
                for system in rng.sample(
                    range(self.n_systems), min(self.n_systems, rng.randint(1, 3))
                )
                for app in range(*self._system_slice(system, APP))
            ]
            chosen = rng.sample(pool, min(len(pool), rng.randint(5, 30)))
            requirements: list[Any] = []
            while chosen:
                if len(chosen) >= 2 and rng.random() < 0.1:
                    requirements.append({"any_of": [ids[chosen.pop()], ids[chosen.pop()]]})
                    process_edges += 3
                else:
                    requirements.append(ids[chosen.pop()])
                    process_edges += 1
            process["depends_on"] = requirements
            processes.append(process)
        # Groups are made at this rate per asset with requirements in a layer.
        self.group_rate = self.n_groups / max(1, self.bounds[HOSTING][1])
        subcontracting = sum(len(p.get("subcontractors", ())) for p in providers)
        provider_edges = round(0.9 * self.bounds[HOSTING][1])  # about asset → provider
        groups = self.n_groups
        # Every group costs one edge to it and ~2.33 members, of which 2.33 are budget.
        budget = self.n_edges - process_edges - subcontracting - provider_edges - groups
        assets = self.assets(ids, max(0, budget))
        return {
            "souverain": 1,
            "organisation": {
                "name": "Groupe Synthétique Européen",
                "country": "FR",
                "sector": "manufacturing",
                "regimes": ["gdpr", "nis2", "dora"],
            },
            "processes": processes,
            "providers": providers,
            "assets": assets,
        }


def generate_graph_estate(
    nodes: int = 100_000,
    edges: int = 1_000_000,
    providers: int = 2_000,
    processes: int = 300,
    seed: int = 42,
) -> dict[str, Any]:
    """An estate whose scenario graph has about ``nodes`` nodes and ``edges`` edges."""
    return _Generator(nodes, edges, providers, processes, seed).generate()


def exit_times(estate: Estate) -> dict[str, Duration | None]:
    """Each asset's time to leave it, from ``exit.duration`` (unknown otherwise)."""
    return {a.id: a.exit.duration if a.exit else None for a in estate.assets}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--providers", type=int, default=2_000)
    parser.add_argument("--processes", type=int, default=300)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("-o", "--output", type=Path, help="JSON file (default: stdout)")
    args = parser.parse_args(argv)
    estate = generate_graph_estate(
        args.nodes, args.edges, args.providers, args.processes, args.seed
    )
    text = json.dumps(estate, ensure_ascii=False)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
