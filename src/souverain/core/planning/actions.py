"""The roadmap's actions (docs/roadmap.md): what each kind is, what it costs, and
what it changes in the estate.

An :class:`Action` names its kind, its targets, the findings it answers
(:class:`Rationale`) and what it changes (``change``: one typed variant per kind of
change, :data:`Change`). :func:`action_edit` turns an action into an edit of the estate
(:mod:`souverain.core.scoring.whatif`), which is how its reduction is measured
(:mod:`souverain.core.planning.measure`) and how :func:`apply_all` gives the estate with
actions done. Organisational actions (governance, awareness, purchasing, funding the
commons) and ``document`` change no field the methodology scores.

Words for people are phrases (:class:`~souverain.core.errors.Phrase`), worded in
``data/locales/roadmap.<lang>.yaml``; a finding's own words come from the methodology.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args

from souverain.core.catalog.model import Catalog
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
from souverain.core.phrase import Phrase, given, phrase
from souverain.core.scoring.audit import Reason
from souverain.core.scoring.whatif import NO_EDIT, Edit, EstateIndex, Overlay, materialise
from souverain.core.vocabulary import CLOUD_HOSTING, LANGS, MASTERY, Deployment, Mastery

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

NEGOTIATED_NOTICE_DAYS = 90
STANDARD_CLAUSES = {
    "eu_hosting": True,
    "data_portability": True,
    "exit_assistance": True,
    "subprocessor_approval": True,
    "audit_rights": True,
    "price_protection": True,
    "termination_notice_days": NEGOTIATED_NOTICE_DAYS,
}

# ------------------------------------------------------------------ what an action changes


@dataclass(frozen=True)
class Migrate:
    """``migrate``: the asset swapped for a catalog product, deployed as given."""

    product: str
    product_name: str
    deployment: Deployment
    open_source: bool


@dataclass(frozen=True)
class Negotiate:
    """``negotiate``: the contract's missing clauses obtained, its notice shortened to
    :data:`NEGOTIATED_NOTICE_DAYS` when ``notice``."""

    contract: str
    clauses: tuple[str, ...]
    notice: bool


@dataclass(frozen=True)
class IndependentBackup:
    """``backup``: a backup held by the organisation, with an offline copy, restored
    on the day of the roadmap."""


@dataclass(frozen=True)
class ExportTest:
    """``test-export``: an export tested on the day of the roadmap."""


@dataclass(frozen=True)
class RaiseSkills:
    """``skills``: the teams' mastery one step higher."""


@dataclass(frozen=True)
class Train:
    """``train``: the teams' mastery of the tool a migration brought, one step higher."""

    product: str


@dataclass(frozen=True)
class PurchasingPolicy:
    """``purchasing``: standard clauses in every new purchase (no scored field moves)."""

    clauses: tuple[str, ...]
    contracts: tuple[str, ...]


@dataclass(frozen=True)
class FundCommons:
    """``fund-commons``: a yearly contribution to the open-source products adopted (no
    scored field moves)."""

    products: tuple[str, ...]


# None: an action that changes nothing (governance, awareness, document).
Change = (
    Migrate
    | Negotiate
    | IndependentBackup
    | ExportTest
    | RaiseSkills
    | Train
    | PurchasingPolicy
    | FundCommons
    | None
)


@dataclass(frozen=True)
class Rationale:
    """One finding an action answers: the rule, the asset, its words.

    A finding of the audit keeps its reason's words, given in each language (the
    methodology's); a need the roadmap itself sees (governance, purchasing…) is a phrase
    of ``data/locales/roadmap.<lang>.yaml``.
    """

    rule: str
    asset: str | None
    text: Phrase

    @classmethod
    def of(cls, reason: Reason, asset: str | None) -> Rationale:
        return cls(reason.rule, asset, given({lang: reason.text(lang) for lang in LANGS}))


@dataclass(frozen=True)
class Action:
    """One step of the roadmap.

    ``change`` holds what :func:`action_edit` needs beyond kind and targets (the
    migration target, the clauses to obtain). ``risk_reduction`` is the measured drop of
    :func:`~souverain.core.scoring.risk.risk_total` when the action is applied after its
    prerequisites; ``note`` says what the figures mean when they need it.
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
    note: Phrase | None = None
    change: Change = None

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
    return materialise(estate, applied(Overlay(EstateIndex(estate)), actions, catalog, today).edit)


def applied(state: Overlay, actions: Iterable[Action], catalog: Catalog, today: date) -> Overlay:
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
    change = action.change
    if isinstance(change, Negotiate):
        return _negotiate(state, change)
    if isinstance(change, Migrate):
        return _migrate(state, action.targets[0], change, catalog)
    if not isinstance(change, IndependentBackup | ExportTest | RaiseSkills | Train):
        return NO_EDIT  # organisational and document actions change no scored field
    changed: dict[str, Asset] = {}
    for target in action.targets:
        asset = changed.get(target) or state.asset(target)
        if asset is None:
            continue
        if isinstance(change, IndependentBackup):
            continuity = asset.continuity or Continuity()
            backup = (continuity.backup or Backup()).model_copy(
                update={"held_by": "organisation", "offline_copy": True, "last_restore_test": today}
            )
            kept = continuity.model_copy(update={"backup": backup})
            update: dict[str, Any] = {"continuity": kept}
        elif isinstance(change, ExportTest):
            update = {"exit": (asset.exit or Exit()).model_copy(update={"export_tested": today})}
        else:
            update = {"skills": _raise_mastery(asset.skills)}
        changed[target] = asset.model_copy(update=update)
    return Edit(assets=changed)


def _negotiate(state: Overlay, change: Negotiate) -> Edit:
    contract = state.contract(change.contract)
    if contract is None:
        return NO_EDIT
    update: dict[str, Any] = dict.fromkeys(change.clauses, True)
    if change.notice:
        update["termination_notice_days"] = NEGOTIATED_NOTICE_DAYS
    clauses = (contract.clauses or Clauses()).model_copy(update=update)
    return Edit(contracts={change.contract: contract.model_copy(update={"clauses": clauses})})


def _migrate(state: Overlay, target: str, change: Migrate, catalog: Catalog) -> Edit:
    """Swap the asset for the chosen alternative product (see docs/roadmap.md)."""
    asset = state.asset(target)
    product = catalog.products.get(change.product)
    if asset is None or product is None:
        return NO_EDIT
    deployment = change.deployment
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
    else:
        country = _provider_country(catalog, product.provider)
        if country is not None:
            update["location"] = Location(country=country)
    # Migrated, it no longer needs the cloud platform that hosted the old product (the
    # jurisdiction axis follows hosts: kept, it would keep the old host's exposure).
    update["depends_on"] = [r for r in asset.depends_on if not _cloud_host(state, r)]
    return Edit({target: asset.model_copy(update=update)}, {contract_id: contract}, providers)


def _cloud_host(state: Overlay, requirement: object) -> bool:
    if not isinstance(requirement, str):
        return False
    host = state.asset(requirement)
    return host is not None and host.deployment in CLOUD_HOSTING


def _provider_country(catalog: Catalog, provider_id: str) -> str | None:
    entry = catalog.providers.get(provider_id)
    return entry.country.value if entry and entry.country else None


def all_prerequisites(action: Action, by_id: Mapping[str, Action]) -> list[str]:
    """The prerequisites of ``action`` among ``by_id``, transitively, each after its own."""
    out: list[str] = []
    listed: set[str] = set()  # what ``out`` holds: a chain of thousands is not quadratic

    def visit(ident: str) -> None:
        for p in by_id[ident].prerequisites if ident in by_id else ():
            if p not in listed and p in by_id:
                visit(p)
                out.append(p)
                listed.add(p)

    visit(action.id)
    return out


# Where a replacement runs, in words (roadmap.<lang>.yaml), never the deployment's id.
WHERE: dict[str, Phrase] = {
    "saas": phrase("roadmap-where-saas"),
    "public-cloud": phrase("roadmap-where-public-cloud"),
    "private-cloud": phrase("roadmap-where-private-cloud"),
    "on-premise": phrase("roadmap-where-on-premise"),
    "link": phrase("roadmap-where-link"),
    "device": phrase("roadmap-where-device"),
    "site": phrase("roadmap-where-site"),
}
