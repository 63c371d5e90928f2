"""Generate realistic synthetic estates (DESIGN.md §3) for benchmarks.

The output is deterministic for a given seed and catalog: the same arguments give
byte-identical YAML. The generated estate looks like a large organisation's:

- about one business process per 50 assets, with criticalities mixed and some
  ``max_downtime`` left unassessed;
- about one provider per 20 assets: corporate groups (a fair share of them
  American, some Chinese, most European), subsidiaries owned by them (sometimes
  through an intermediate holding) and subcontracting between providers; owner and
  subcontractor links always point to an earlier provider, so both graphs are
  acyclic; when the shipped catalog knows providers, some estate providers link to
  them with ``catalog:`` and let the catalog supply country and owner chain;
- contracts per provider, with clauses fully, partly or not assessed;
- assets in three layers (applications, platforms, infrastructure) whose
  ``depends_on`` edges only point from a lower to a higher index, so the graph is a
  DAG; some requirements are ``{any_of: [a, b]}`` redundancy groups;
- a mix of fully described, partly described and barely known assets (unknown is a
  value: left-out fields score as "not assessed");
- GDPR processing records with third-country transfers.

``dependencies`` counts ``depends_on`` members (process and asset requirements,
each member of an ``any_of`` group counting once).

CLI::

    python benchmarks/generate.py --assets 10000 --dependencies 30000 -o estate.yaml
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from souverain.core.catalog.model import Catalog
from souverain.core.estate.validation import check_estate
from souverain.importers.document import parse_text


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    """A tuple of the words of ``text`` (keeps long vocabularies compact)."""
    return tuple(word.strip() for word in text.split(sep))


# A fixed reference date, so that the output does not depend on the day it is generated.
REFERENCE = date(2026, 6, 1)

CRITICALITY_MIX = (("vital", 0.15), ("important", 0.35), ("useful", 0.30), ("minor", 0.20))
DOWNTIMES = {
    "vital": ("1h", "4h", "8h", "1d"),
    "important": ("8h", "1d", "3d", "5d"),
    "useful": ("3d", "5d", "1w", "2w"),
    "minor": ("1w", "2w", "4w"),
}
PROCESS_NAMES = _words(
    "Production|Invoicing|Payroll|Procurement|Sales|Customer support|Logistics|Quality control|"
    "Maintenance|Accounting|Treasury|Recruitment|Research|Marketing|Legal|Compliance|"
    "Engineering|Warehousing|Fleet management|Training",
    "|",
)

# Layers of the asset graph: (share of assets, categories). Assets of a layer depend
# mostly on those of the next layers.
LAYERS: tuple[tuple[float, tuple[str, ...]], ...] = (
    (
        0.60,
        _words(
            """erp crm hr accounting mes plm email office-suite collaboration messaging
            video-conferencing document-management e-commerce website business-intelligence
            ticketing payment e-signature project-management cad"""
        ),
    ),
    (
        0.25,
        _words(
            """database paas identity storage backup monitoring ci-cd source-control analytics
            api-gateway secrets-management"""
        ),
    ),
    (0.15, _words("iaas network dns cdn server workstation mobile-device site")),
)

# (country, weight, subsidiary countries): where corporate groups are headquartered.
GROUP_COUNTRIES = (
    ("US", 0.30, ("IE", "LU", "NL", "FR", "DE")),
    ("FR", 0.22, ("FR",)),
    ("DE", 0.14, ("DE", "AT")),
    ("NL", 0.05, ("NL",)),
    ("GB", 0.06, ("GB", "IE")),
    ("CH", 0.04, ("CH",)),
    ("IT", 0.04, ("IT",)),
    ("ES", 0.03, ("ES",)),
    ("SE", 0.03, ("SE",)),
    ("CN", 0.03, ("CN", "NL")),
    ("IN", 0.02, ("IN", "GB")),
    ("IL", 0.02, ("IL",)),
    ("JP", 0.02, ("JP", "DE")),
)
LEGAL_FORMS = {
    pair[:2]: pair[3:]
    for pair in _words(
        "US=Inc.|FR=SAS|DE=GmbH|AT=GmbH|NL=B.V.|GB=Ltd|IE=Ltd|LU=S.à r.l.|CH=AG|IT=S.p.A.|"
        "ES=S.L.|SE=AB|CN=Co., Ltd.|IN=Pvt Ltd|IL=Ltd|JP=K.K.",
        "|",
    )
}
NAME_PARTS = _words(
    """Acme Nordic Atlas Helios Orion Vega Alpine Blue Cobalt Delta Ember Falcon Granite Harbor
    Iris Jade Kepler Lumen Meridian Nimbus Opal Polar Quartz Rhône Sirius Tidal Umbra Vertex
    Willow Zenith"""
)
NAME_KINDS = ("Cloud", "Software", "Systems", "Data", "Networks", "Solutions", "Digital")
REGIONS = {
    "FR": ("eu-west-3", "fr-par", "gra"),
    "DE": ("eu-central-1", "de-fra", "fsn1"),
    "IE": ("eu-west-1",),
    "NL": ("nl-ams", "europe-west4"),
    "US": ("us-east-1", "us-west-2", "us-central1"),
    "GB": ("eu-west-2", "uk-south"),
    "CH": ("ch-zrh",),
    "SG": ("ap-southeast-1",),
    "IN": ("ap-south-1",),
    "CN": ("cn-north-1",),
}
DATA_KINDS = _words(
    """customer-orders customer-personal employee-personal payroll invoices designs
    production-recipes quality-records contracts emails source-code logs financial-statements
    health supplier-records"""
)
EXPORT_FORMATS = _words(
    "csv xlsx json xml pdf sql ods odt docx parquet mbox eml ics vcf proprietary-binary bak"
)
OPEN_LICENCES = _words(
    """MIT Apache-2.0 GPL-3.0-only AGPL-3.0-only LGPL-2.1-or-later PostgreSQL MPL-2.0
    BSD-3-Clause EUPL-1.2"""
)
ALTERNATIVES = _words(
    """odoo nextcloud collabora-online matrix-element jitsi keycloak postgresql gitlab forgejo
    grafana openstack proxmox bluemind dolibarr erpnext mattermost onlyoffice zammad
    metabase"""
)
TRANSFER_COUNTRIES = (("US", "dpf"), ("US", "scc"), ("IN", "scc"), ("CN", None), ("GB", None))


@dataclass
class _Provider:
    id: str
    group_country: str  # where the ultimate owner is: drives subsidiary countries
    catalog: str | None


def _pick(rng: random.Random, mix: Sequence[tuple[str, float]]) -> str:
    return rng.choices([v for v, _ in mix], weights=[w for _, w in mix])[0]


def _day(rng: random.Random, back_days: int, forward_days: int = 0) -> date:
    return REFERENCE + timedelta(days=rng.randint(-back_days, forward_days))


@dataclass
class _CatalogFacts:
    """What the generator uses from a catalog, in a stable order."""

    group_countries: dict[str, str]  # catalog provider → country of its ultimate owner
    products: dict[str, list[str]]  # catalog provider → its product ids
    categories: set[str]

    @classmethod
    def of(cls, catalog: Catalog | None) -> _CatalogFacts:
        if catalog is None:
            return cls({}, {}, set())
        countries = {}
        for ident in sorted(catalog.providers):
            top = catalog.owner_chain(ident)[-1]
            if top.country is not None:
                countries[ident] = top.country.value
        products: dict[str, list[str]] = {}
        for product in sorted(catalog.products.values(), key=lambda p: p.id):
            products.setdefault(product.provider, []).append(product.id)
        return cls(countries, products, set(catalog.categories))


class _Generator:
    def __init__(self, assets: int, dependencies: int, seed: int, catalog: Catalog | None) -> None:
        if assets < 3:
            raise ValueError("an estate needs at least 3 assets")
        if dependencies < 0:
            raise ValueError("dependencies must be ≥ 0")
        self.rng = random.Random(seed)
        self.n_assets = assets
        self.n_dependencies = dependencies
        self.catalog = _CatalogFacts.of(catalog)
        self.providers: list[_Provider] = []
        self.asset_ids: list[str] = []
        self.process_edges = 0
        self.contracts_of: dict[str, list[str]] = {}
        # Asset index ranges per layer.
        bounds = [0]
        for share, _ in LAYERS[:-1]:
            bounds.append(bounds[-1] + max(1, round(assets * share)))
        bounds.append(assets)
        self.layer_bounds = [(bounds[i], bounds[i + 1]) for i in range(len(LAYERS))]

    # --- providers and contracts ------------------------------------------------------

    def _name(self, country: str) -> str:
        rng = self.rng
        return (
            f"{rng.choice(NAME_PARTS)} {rng.choice(NAME_KINDS)} {LEGAL_FORMS.get(country, 'Ltd')}"
        )

    def providers_section(self) -> list[dict[str, Any]]:
        rng = self.rng
        total = max(3, self.n_assets // 20)
        n_groups = max(1, total // 5)
        out: list[dict[str, Any]] = []
        mix = [(c, w) for c, w, _ in GROUP_COUNTRIES]
        subsidiaries = {c: subs for c, _, subs in GROUP_COUNTRIES}
        # Some groups are linked to the catalog, which then supplies country and owners.
        linkable = sorted(self.catalog.group_countries)
        rng.shuffle(linkable)
        n_linked = min(len(linkable), n_groups // 4)
        for index in range(total):
            ident = f"prov-{index:05d}"
            if index < n_groups:
                country = _pick(rng, mix)
                entry: dict[str, Any] = {"id": ident}
                catalog_id = linkable[index] if index < n_linked else None
                if catalog_id is not None:
                    entry["catalog"] = catalog_id
                    country = self.catalog.group_countries[catalog_id]
                elif rng.random() < 0.04:
                    entry["name"] = self._name(country)  # country not assessed
                else:
                    entry["name"] = self._name(country)
                    entry["country"] = country
                self.providers.append(_Provider(ident, country, catalog_id))
            else:
                # A subsidiary or an independent company; owners and subcontractors are
                # always earlier providers, so neither graph has a cycle.
                entry = {"id": ident}
                if rng.random() < 0.65:
                    owner = self.providers[
                        rng.randrange(n_groups) if rng.random() < 0.8 else rng.randrange(index)
                    ]
                    country = rng.choice(subsidiaries.get(owner.group_country, ("FR",)))
                    entry["name"] = self._name(country)
                    entry["country"] = country
                    entry["owner"] = owner.id
                    group_country = owner.group_country
                else:
                    group_country = _pick(rng, mix)
                    country = rng.choice(subsidiaries[group_country])
                    entry["name"] = self._name(country)
                    if rng.random() > 0.05:
                        entry["country"] = country
                if rng.random() < 0.3:
                    count = min(index, rng.choice((1, 1, 2, 3)))
                    subs = rng.sample(range(index), count)
                    entry["subcontractors"] = [self.providers[s].id for s in sorted(subs)]
                self.providers.append(_Provider(ident, group_country, None))
            out.append(entry)
        return out

    def contracts_section(self) -> list[dict[str, Any]]:
        rng = self.rng
        out: list[dict[str, Any]] = []
        for provider in self.providers:
            for n in range(rng.choice((0, 1, 1, 2, 3, 4))):
                ident = f"c-{provider.id}-{n}"
                contract: dict[str, Any] = {"id": ident, "provider": provider.id}
                if rng.random() < 0.8:
                    contract["starts"] = _day(rng, 2500, -30)
                if rng.random() < 0.75:
                    contract["ends"] = _day(rng, 60, 1500)
                depth = rng.random()
                if depth < 0.55:  # fully assessed
                    contract["clauses"] = {
                        "eu_hosting": rng.random() < 0.6,
                        "data_portability": rng.random() < 0.5,
                        "exit_assistance": rng.random() < 0.35,
                        "termination_notice_days": rng.choice((30, 60, 90, 180, 365)),
                        "subprocessor_approval": rng.random() < 0.4,
                        "audit_rights": rng.random() < 0.5,
                        "incident_notification_hours": rng.choice((24, 48, 72)),
                        "price_protection": rng.random() < 0.3,
                    }
                elif depth < 0.85:  # partly assessed
                    contract["clauses"] = {
                        "data_portability": rng.random() < 0.5,
                        "termination_notice_days": rng.choice((30, 90, 180)),
                    }
                out.append(contract)
                self.contracts_of.setdefault(provider.id, []).append(ident)
        return out

    # --- assets and edges -------------------------------------------------------------

    def _layer_of(self, index: int) -> int:
        for layer, (start, end) in enumerate(self.layer_bounds):
            if start <= index < end:
                return layer
        raise AssertionError(index)

    def _categories(self, layer: int) -> tuple[str, ...]:
        wanted = LAYERS[layer][1]
        if not self.catalog.categories:
            return wanted
        known = tuple(c for c in wanted if c in self.catalog.categories)
        return known or wanted

    def _edges(self) -> list[list[int]]:
        """Targets of every asset's ``depends_on``, each to a higher index."""
        rng = self.rng
        n = self.n_assets
        targets: list[set[int]] = [set() for _ in range(n)]
        remaining = self.n_dependencies - self.process_edges
        capacity = n * (n - 1) // 2
        if remaining > capacity:
            raise ValueError(f"at most {capacity + self.process_edges} dependencies fit")
        # Applications carry most requirements; infrastructure few.
        weights = [(3.0, 2.0, 0.5)[self._layer_of(i)] for i in range(n - 1)]
        sources = rng.choices(range(n - 1), weights=weights, k=max(0, remaining))
        for first in sources:
            source = first
            while True:
                if len(targets[source]) >= n - 1 - source:  # full: place the edge elsewhere
                    source = rng.randrange(n - 1)
                    continue
                layer = self._layer_of(source)
                if layer + 1 < len(LAYERS) and rng.random() < 0.8:
                    start = max(source + 1, self.layer_bounds[layer + 1][0])
                else:
                    start = source + 1
                target = rng.randrange(start, n)
                if target not in targets[source]:
                    targets[source].add(target)
                    break
        return [sorted(t) for t in targets]

    def _requirements(self, targets: list[str]) -> list[Any]:
        """``depends_on``: plain ids, with some pairs made redundancy groups."""
        rng = self.rng
        targets = list(targets)
        rng.shuffle(targets)
        out: list[Any] = []
        while targets:
            if len(targets) >= 2 and rng.random() < 0.12:
                out.append({"any_of": [targets.pop(), targets.pop()]})
            else:
                out.append(targets.pop())
        return out

    def _asset(self, index: int, targets: list[int]) -> dict[str, Any]:
        rng = self.rng
        layer = self._layer_of(index)
        category = rng.choice(self._categories(layer))
        ident = f"{category}-{index:05d}"
        self.asset_ids.append(ident)
        asset: dict[str, Any] = {"id": ident}
        detail = rng.random()  # < 0.45 fully described, < 0.85 partly, else barely known
        if detail < 0.85:
            asset["name"] = f"{category.replace('-', ' ').title()} {index}"
        asset["category"] = category
        site = category == "site"
        provider: _Provider | None = None
        if not site and rng.random() < 0.88:
            provider = rng.choice(self.providers)
            asset["provider"] = provider.id
            products = self.catalog.products.get(provider.catalog or "")
            if products and rng.random() < 0.7:
                asset["product"] = rng.choice(products)
        if site:
            asset["location"] = {"country": _pick(rng, (("FR", 0.7), ("DE", 0.2), ("ES", 0.1)))}
        elif detail < 0.85 or rng.random() < 0.3:
            deployment = _pick(
                rng,
                (
                    ("saas", 0.4),
                    ("public-cloud", 0.25),
                    ("private-cloud", 0.1),
                    ("on-premise", 0.25),
                )
                if provider
                else (("on-premise", 0.8), ("private-cloud", 0.2)),
            )
            asset["deployment"] = deployment
            if deployment != "on-premise" and (detail < 0.6 or rng.random() < 0.5):
                country = _pick(
                    rng,
                    (
                        ("FR", 0.35),
                        ("DE", 0.2),
                        ("IE", 0.15),
                        ("NL", 0.1),
                        ("US", 0.12),
                        ("GB", 0.03),
                        ("CH", 0.02),
                        ("SG", 0.01),
                        ("IN", 0.01),
                        ("CN", 0.01),
                    ),
                )
                location: dict[str, Any] = {"country": country}
                if country in REGIONS and rng.random() < 0.6:
                    location["region"] = rng.choice(REGIONS[country])
                asset["location"] = location
        if not site and detail < 0.85:
            if layer == 2 and rng.random() < 0.5:
                asset["data"] = []
            elif rng.random() < 0.8:
                asset["data"] = rng.sample(DATA_KINDS, rng.randint(1, 4))
            if rng.random() < 0.75:
                asset["exports"] = rng.sample(EXPORT_FORMATS, rng.randint(0, 3))
            if rng.random() < 0.85:
                asset["licence"] = (
                    "proprietary" if rng.random() < 0.65 else rng.choice(OPEN_LICENCES)
                )
            contracts = self.contracts_of.get(provider.id, []) if provider else []
            if contracts and rng.random() < 0.75:
                asset["contract"] = rng.choice(contracts)
            if rng.random() < 0.6:
                asset["skills"] = rng.choice(("none", "low", "medium", "high"))
            if asset.get("deployment") in ("saas", "public-cloud", "private-cloud") and (
                rng.random() < 0.5
            ):
                asset["encryption"] = {
                    "keys_held_by": rng.choice(("organisation", "provider", "third-party"))
                }
        if detail < 0.45 and not site:
            backup: dict[str, Any] = {
                "held_by": rng.choice(("organisation", "provider", "third-party")),
                "offline_copy": rng.random() < 0.4,
                "last_restore_test": None if rng.random() < 0.3 else _day(rng, 900),
            }
            asset["continuity"] = {
                "rto": rng.choice(("1h", "4h", "8h", "1d", "3d", "1w")),
                "rpo": rng.choice(("15m", "1h", "4h", "1d")),
                "last_failover_test": None if rng.random() < 0.5 else _day(rng, 700),
                "backup": backup,
            }
            exit_plan: dict[str, Any] = {}
            if rng.random() < 0.6:
                exit_plan["alternative"] = rng.choice(ALTERNATIVES)
            if rng.random() < 0.4:
                exit_plan["export_tested"] = _day(rng, 800)
            if rng.random() < 0.7:
                exit_plan["effort_days"] = rng.choice((5, 10, 20, 40, 60, 120, 250))
            elif rng.random() < 0.5:
                exit_plan["duration"] = rng.choice(("2w", "4w", "12w"))
            if exit_plan:
                asset["exit"] = exit_plan
        if targets:
            asset["depends_on"] = targets  # replaced by ids once every asset is named
        return asset

    def generate(self) -> dict[str, Any]:
        rng = self.rng
        n_processes = max(1, self.n_assets // 50)
        apps_end = self.layer_bounds[0][1]
        # Process requirements: 5–25 applications each, at most an eighth of the budget.
        counts = [min(apps_end, rng.randint(5, 25)) for _ in range(n_processes)]
        while sum(counts) > self.n_dependencies // 8:
            counts[counts.index(max(counts))] -= 1
        self.process_edges = sum(counts)
        providers = self.providers_section()
        contracts = self.contracts_section()
        edges = self._edges()
        assets = [self._asset(i, edges[i]) for i in range(self.n_assets)]
        for asset in assets:
            if "depends_on" in asset:
                asset["depends_on"] = self._requirements(
                    [self.asset_ids[t] for t in asset["depends_on"]]
                )
        processes = []
        for index, count in enumerate(counts):
            criticality = _pick(rng, CRITICALITY_MIX)
            base = PROCESS_NAMES[index % len(PROCESS_NAMES)]
            process: dict[str, Any] = {
                "id": f"proc-{index:04d}",
                "name": f"{base} {index // len(PROCESS_NAMES) + 1}",
                "criticality": criticality,
            }
            if rng.random() < 0.9:
                process["max_downtime"] = rng.choice(DOWNTIMES[criticality])
            chosen = rng.sample(range(apps_end), count)
            process["depends_on"] = self._requirements([self.asset_ids[t] for t in chosen])
            processes.append(process)
        processing = []
        for index in range(max(1, self.n_assets // 100)):
            record: dict[str, Any] = {
                "id": f"rec-{index:04d}",
                "purpose": f"{rng.choice(PROCESS_NAMES)} records",
                "legal_basis": rng.choice(
                    ("contract", "legal-obligation", "legitimate-interest", "consent")
                ),
                "data_subjects": rng.sample(["employees", "customers", "suppliers", "visitors"], 2),
                "personal_data": rng.sample(["identity", "contact", "bank", "salary", "health"], 2),
                "assets": sorted(
                    self.asset_ids[i]
                    for i in rng.sample(range(apps_end), min(apps_end, rng.randint(1, 5)))
                ),
            }
            if rng.random() < 0.4:
                country, mechanism = rng.choice(TRANSFER_COUNTRIES)
                transfer: dict[str, Any] = {"country": country}
                if mechanism:
                    transfer["mechanism"] = mechanism
                record["transfers"] = [transfer]
            processing.append(record)
        return {
            "souverain": 1,
            "organisation": {
                "name": "Groupe Industriel Synthétique",
                "country": "FR",
                "sector": "manufacturing",
                "regimes": ["gdpr", "nis2"],
            },
            "processes": processes,
            "providers": providers,
            "assets": assets,
            "contracts": contracts,
            "processing": processing,
        }


def generate_estate(
    assets: int, dependencies: int, seed: int = 42, catalog: Catalog | None = None
) -> dict[str, Any]:
    """A synthetic estate of ``assets`` assets and ``dependencies`` ``depends_on`` members.

    With a ``catalog``, some providers link to its providers and some assets to its
    products and categories; without, providers carry their own ``country``.
    """
    return _Generator(assets, dependencies, seed, catalog).generate()


def count_dependencies(estate: dict[str, Any]) -> int:
    """``depends_on`` members of processes and assets, group members counted once each."""
    total = 0
    for section in ("processes", "assets"):
        for entry in estate[section]:
            for requirement in entry.get("depends_on", []):
                total += len(requirement["any_of"]) if isinstance(requirement, dict) else 1
    return total


def estate_yaml(estate: dict[str, Any]) -> str:
    """The estate as YAML text, in the order of DESIGN.md §3."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(estate, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    return text


def check(data: Any) -> None:
    """Raise ``ValueError`` unless ``data`` is a valid estate."""
    estate, problems = check_estate(data)
    if estate is None:
        shown = "\n".join(f"  {p.path}: {p.message} ({p.found})" for p in problems[:20])
        raise ValueError(f"generated estate is invalid ({len(problems)} problems):\n{shown}")


def self_check(text: str, name: str = "<generated>") -> None:
    """Raise ``ValueError`` unless ``text`` reads back, as souverain reads it, as a valid estate."""
    check(parse_text(text, name).data)


def shipped_catalog() -> Catalog:
    """The catalog shipped with souverain (what an audit without ``--catalog`` uses)."""
    from souverain.resources import load_catalog

    return load_catalog()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--dependencies", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("-o", "--output", type=Path, help="YAML file (default: stdout)")
    parser.add_argument(
        "--no-catalog", action="store_true", help="do not link providers to the shipped catalog"
    )
    parser.add_argument("--no-check", action="store_true", help="skip validating the result")
    args = parser.parse_args(argv)
    catalog = None if args.no_catalog else shipped_catalog()
    try:
        estate = generate_estate(args.assets, args.dependencies, args.seed, catalog)
    except ValueError as error:
        parser.error(str(error))
    text = estate_yaml(estate)
    if not args.no_check:
        self_check(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(
            f"{args.output}: {len(estate['assets'])} assets, "
            f"{count_dependencies(estate)} dependencies, {len(text.encode()) / 1e6:.1f} MB",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
