"""The predicates a methodology's rules are made of.

Each predicate looks at one :class:`~souverain.core.context.View` and returns
what it found, as :class:`Finding` values: the words to fill the rule's text
with and the evidence behind it. The methodology decides what each finding
scores. To find the rule behind a score: the methodology YAML names the
predicate in ``when``; the function of that name is here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from souverain.core.context import Entity, Evidence, View

EEA_FACT = "eea"


@dataclass(frozen=True)
class Finding:
    """What a predicate found: text parameters and evidence."""

    params: Mapping[str, str]
    evidence: Evidence
    not_assessed: bool = False


Predicate = Callable[[View, Mapping[str, Any]], list[Finding]]
PREDICATES: dict[str, Predicate] = {}


def predicate(function: Predicate) -> Predicate:
    """Register ``function`` under its own name."""
    PREDICATES[function.__name__] = function
    return function


def _unknown(ref: str, **params: str) -> list[Finding]:
    return [Finding(params, Evidence(ref), not_assessed=True)]


def _names(items: list[str]) -> str:
    return ", ".join(items)


def _days_since(day: date, today: date) -> int:
    return (today - day).days


# --- jurisdiction ---------------------------------------------------------------------


def _reaching_laws(view: View, entities: tuple[Entity, ...], permit: str) -> list[Finding]:
    found = []
    for depth, entity in enumerate(entities):
        laws = [law for law in view.resolver.laws(entity.country, "control") if permit in law.permits]
        if not laws:
            continue
        via = "" if depth == 0 else f" ← {entities[0].name}"
        found.append(
            Finding(
                {
                    "entity": entity.name,
                    "country": entity.country or "?",
                    "laws": _names([law.name for law in laws]),
                    "chain": " → ".join(e.name for e in entities[: depth + 1]),
                    "via": via,
                },
                Evidence(
                    f"{entity.country_evidence.ref}; catalog jurisdiction {entity.country}: {laws[0].id}",
                    laws[0].source,
                    laws[0].as_of,
                ),
            )
        )
    return found


@predicate
def owner_chain_law(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A law of a country in the provider's owner chain permits ``permit``."""
    return _reaching_laws(view, view.chain, str(params["permit"]))


@predicate
def provider_country_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset has a provider, but nothing says where it or its owners are."""
    if view.provider is None or any(e.country for e in view.chain):
        return []
    return _unknown(f"providers[{view.provider.id}].country", provider=view.chain[0].name)


@predicate
def jurisdiction_not_in_catalog(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A country in the owner chain has no catalog entry, so its laws are unknown."""
    missing = sorted(
        {e.country for e in view.chain if e.country and view.resolver.jurisdiction(e.country) is None}
    )
    if not missing:
        return []
    return _unknown("catalog jurisdictions", countries=_names(missing))


def _location(view: View) -> tuple[str | None, Evidence]:
    location = view.asset.location
    if location and location.country:
        return location.country, Evidence(view.field("location.country"))
    if view.deployment == "on-premise" and view.estate.organisation.country:
        return view.estate.organisation.country, Evidence("organisation.country")
    return None, Evidence(view.field("location.country"))


@predicate
def data_outside_eea(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Data lies in a country outside the EEA whose adequacy status is ``adequacy``."""
    if view.holds_data is False:
        return []
    country, evidence = _location(view)
    jurisdiction = view.resolver.jurisdiction(country)
    if jurisdiction is None or jurisdiction.eea.value:
        return []
    status = jurisdiction.adequacy.value.status if jurisdiction.adequacy else "none"
    if status != params["adequacy"]:
        return []
    fact = jurisdiction.adequacy
    scope = fact.value.scope if fact and fact.value.scope else ""
    return [
        Finding(
            {"country": jurisdiction.id, "scope": scope},
            Evidence(f"{evidence.ref}; catalog jurisdiction {jurisdiction.id}: adequacy",
                     fact.source if fact else jurisdiction.source,
                     fact.as_of if fact else jurisdiction.as_of),
        )
    ]


@predicate
def data_location_law(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The country where data lies has a law that reaches data on its territory."""
    if view.holds_data is False:
        return []
    country, evidence = _location(view)
    laws = [law for law in view.resolver.laws(country, "territory") if params["permit"] in law.permits]
    if not laws:
        return []
    return [
        Finding(
            {"country": country or "?", "laws": _names([law.name for law in laws])},
            Evidence(f"{evidence.ref}; catalog jurisdiction {country}: {laws[0].id}", laws[0].source, laws[0].as_of),
        )
    ]


@predicate
def data_location_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset may hold data but its location is not given."""
    if view.holds_data is False or view.deployment == "on-premise":
        return []
    country, evidence = _location(view)
    return [] if country else _unknown(evidence.ref)


@predicate
def host_chain_law(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """An asset this one requires is provided by an entity reached by such a law."""
    found = []
    for host in view.hosts:
        if not host.provider or (view.provider and host.provider == view.provider.id):
            continue
        chain = view.resolver.chain(host.provider)
        for finding in _reaching_laws(view, chain, str(params["permit"])):
            found.append(Finding({**finding.params, "host": host.name or host.id}, finding.evidence))
            break
    return found


@predicate
def in_house(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """No provider and operated on premises: run by the organisation itself."""
    if view.provider is None and view.deployment == "on-premise":
        return [Finding({}, Evidence(view.field("provider")))]
    return []


# --- data control ----------------------------------------------------------------------


@predicate
def holds_no_data(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset holds no data (by its ``data`` list or its category)."""
    if view.holds_data is False:
        return [Finding({}, Evidence(view.field("data")))]
    return []


@predicate
def keys_held_by(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """In a cloud deployment holding data, the encryption keys are held by ``holder``."""
    if view.holds_data is False or not view.cloud:
        return []
    encryption = view.asset.encryption
    if encryption is None or encryption.keys_held_by != params["holder"]:
        return []
    return [Finding({"deployment": view.deployment or "?"}, Evidence(view.field("encryption.keys_held_by")))]


@predicate
def keys_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A cloud asset that may hold data, with no word on who holds its keys."""
    if view.holds_data is False or not view.cloud:
        return []
    if view.asset.encryption and view.asset.encryption.keys_held_by:
        return []
    return _unknown(view.field("encryption.keys_held_by"))


@predicate
def keys_at_reachable_provider(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The provider holds the keys and its owner chain is reached by a data-access law."""
    encryption = view.asset.encryption
    if view.holds_data is False or not view.cloud:
        return []
    if encryption is not None and encryption.keys_held_by == "organisation":
        return []
    return _reaching_laws(view, view.chain, "data_access")[:1]


@predicate
def on_premise(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Deployed on the organisation's own premises."""
    if view.deployment == "on-premise":
        return [Finding({}, Evidence(view.field("deployment")))]
    return []


@predicate
def personal_data_transfer(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A processing record transfers personal data from this asset to a country without full adequacy."""
    found = []
    for record in view.estate.processing:
        if view.asset.id not in record.assets:
            continue
        for transfer in record.transfers:
            jurisdiction = view.resolver.jurisdiction(transfer.country)
            if jurisdiction is not None and jurisdiction.eea.value:
                continue
            adequacy = jurisdiction.adequacy.value.status if jurisdiction and jurisdiction.adequacy else "none"
            if adequacy == "full":
                continue
            found.append(
                Finding(
                    {"record": record.id, "country": transfer.country,
                     "mechanism": transfer.mechanism or "?"},
                    Evidence(f"processing[{record.id}].transfers"),
                )
            )
    return found


# --- operations ------------------------------------------------------------------------


@predicate
def deployment_is(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset is deployed as ``value``."""
    if view.deployment == params["value"]:
        ref = view.field("deployment") if view.asset.deployment else f"catalog product {view.asset.product}: deployments"
        return [Finding({"deployment": str(params["value"])}, Evidence(ref))]
    return []


@predicate
def deployment_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Nothing says how the asset is deployed (sites excepted)."""
    if view.deployment is None and (view.category is None or view.category.id != "site"):
        return _unknown(view.field("deployment"))
    return []


@predicate
def rto_exceeds_max_downtime(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset's RTO is longer than the max downtime of a process that needs it."""
    continuity = view.asset.continuity
    need = view.need
    if continuity is None or continuity.rto is None or need is None or need.max_downtime is None:
        return []
    if continuity.rto <= need.max_downtime:
        return []
    return [
        Finding(
            {"rto": str(continuity.rto), "max_downtime": str(need.max_downtime), "process": need.process or "?"},
            Evidence(view.field("continuity.rto")),
        )
    ]


@predicate
def rto_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A process needs the asset, but its recovery time objective is not given."""
    if view.need is None:
        return []
    continuity = view.asset.continuity
    return [] if continuity and continuity.rto else _unknown(view.field("continuity.rto"))


@predicate
def backup_held_by_provider(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Backups are kept by the provider that runs the asset."""
    continuity = view.asset.continuity
    backup = continuity.backup if continuity else None
    if backup is None or backup.held_by != "provider" or view.provider is None:
        return []
    return [Finding({"provider": view.chain[0].name}, Evidence(view.field("continuity.backup.held_by")))]


@predicate
def no_offline_copy(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset's backups have no offline copy."""
    continuity = view.asset.continuity
    backup = continuity.backup if continuity else None
    if backup is None or backup.offline_copy is not False:
        return []
    return [Finding({}, Evidence(view.field("continuity.backup.offline_copy")))]


@predicate
def backup_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset may hold data, but nothing says how it is backed up."""
    if view.holds_data is False:
        return []
    continuity = view.asset.continuity
    if continuity and continuity.backup and continuity.backup.held_by:
        return []
    return _unknown(view.field("continuity.backup"))


@predicate
def restore_not_tested(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Restores were never tested, or not within ``days`` days."""
    continuity = view.asset.continuity
    backup = continuity.backup if continuity else None
    if backup is None or "last_restore_test" not in backup.model_fields_set:
        return []
    ref = view.field("continuity.backup.last_restore_test")
    if backup.last_restore_test is None:
        return [Finding({"when": "never"}, Evidence(ref))]
    age = _days_since(backup.last_restore_test, view.facts.today)
    if age > int(params["days"]):
        return [Finding({"when": backup.last_restore_test.isoformat(), "days": str(age)}, Evidence(ref))]
    return []


# --- supply chain ----------------------------------------------------------------------


def _subcontractors(view: View) -> list[tuple[int, str]]:
    """(depth, provider id) of every subcontractor, breadth first."""
    if view.provider is None:
        return []
    providers = view.resolver.providers
    out: list[tuple[int, str]] = []
    seen = {view.provider.id}
    frontier = [view.provider.id]
    depth = 0
    while frontier:
        depth += 1
        nxt = []
        for ident in frontier:
            provider = providers.get(ident)
            for sub in provider.subcontractors if provider else []:
                if sub not in seen:
                    seen.add(sub)
                    out.append((depth, sub))
                    nxt.append(sub)
        frontier = nxt
    return out


@predicate
def subcontracted(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The provider relies on subcontractors, ``min_depth`` levels deep or more."""
    subs = _subcontractors(view)
    if not subs or max(d for d, _ in subs) < int(params.get("min_depth", 1)):
        return []
    names = [view.resolver.chain(s)[0].name for _, s in subs]
    assert view.provider is not None
    return [
        Finding(
            {"provider": view.chain[0].name, "subcontractors": _names(names), "depth": str(max(d for d, _ in subs))},
            Evidence(f"providers[{view.provider.id}].subcontractors"),
        )
    ]


@predicate
def subcontractor_chain_law(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A subcontractor's owner chain is reached by a law permitting ``permit``."""
    found = []
    for _, sub in _subcontractors(view):
        for finding in _reaching_laws(view, view.resolver.chain(sub), str(params["permit"]))[:1]:
            found.append(Finding({**finding.params, "subcontractor": view.resolver.chain(sub)[0].name},
                                 finding.evidence))
    return found


@predicate
def owner_group_concentration(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The provider's ultimate owner carries at least ``share`` of vital and important assets."""
    if not view.chain or view.facts.grave_total == 0:
        return []
    group = view.chain[-1].id
    count = view.facts.groups.get(group, 0)
    total = view.facts.grave_total
    if count < 2 or count / total < float(params["share"]):
        return []
    return [
        Finding(
            {"group": view.chain[-1].name, "count": str(count), "total": str(total)},
            Evidence("estate: assets with gravity vital or important, by ultimate owner"),
        )
    ]


@predicate
def provider_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset is not run in-house, yet no provider is named."""
    if view.provider is not None or view.deployment == "on-premise":
        return []
    if view.category is not None and view.category.id == "site":
        return []
    return _unknown(view.field("provider"))


# --- lock-in ---------------------------------------------------------------------------


def _licence(view: View) -> tuple[str | None, Evidence]:
    if view.asset.licence:
        return view.asset.licence, Evidence(view.field("licence"))
    if view.product and view.product.licence:
        return view.product.licence.value, Evidence.of_fact(
            f"catalog product {view.product.id}: licence", view.product.licence
        )
    return None, Evidence(view.field("licence"))


@predicate
def licence_proprietary(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The software is under a proprietary licence."""
    licence, evidence = _licence(view)
    return [Finding({}, evidence)] if licence == "proprietary" else []


@predicate
def licence_open(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The software is under an open-source licence (an SPDX id)."""
    licence, evidence = _licence(view)
    return [Finding({"licence": licence}, evidence)] if licence and licence != "proprietary" else []


@predicate
def licence_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The licence is not given and the catalog does not know it."""
    if view.category is not None and view.category.id == "site":
        return []
    licence, evidence = _licence(view)
    return [] if licence else _unknown(evidence.ref)


def _exports(view: View) -> tuple[list[str] | None, Evidence]:
    if view.asset.exports is not None:
        return view.asset.exports, Evidence(view.field("exports"))
    if view.product and view.product.exports:
        return view.product.exports.value, Evidence.of_fact(
            f"catalog product {view.product.id}: exports", view.product.exports
        )
    return None, Evidence(view.field("exports"))


def _open_formats(view: View, formats: list[str]) -> list[str]:
    out = []
    for name in formats:
        standard = view.catalog.standard(name)
        if standard is not None and standard.open.value:
            out.append(name)
    return out


@predicate
def no_export(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Data cannot be taken out at all (an empty ``exports`` list)."""
    if view.holds_data is False:
        return []
    formats, evidence = _exports(view)
    return [Finding({}, evidence)] if formats == [] else []


@predicate
def exports_closed_only(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Data can be exported, but in no open format the catalog knows."""
    if view.holds_data is False:
        return []
    formats, evidence = _exports(view)
    if not formats or _open_formats(view, formats):
        return []
    return [Finding({"formats": _names(formats)}, evidence)]


@predicate
def exports_open(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Data can be exported in at least one open format."""
    formats, evidence = _exports(view)
    open_ones = _open_formats(view, formats or [])
    return [Finding({"formats": _names(open_ones)}, evidence)] if open_ones else []


@predicate
def exports_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset may hold data, but its export formats are not known."""
    if view.holds_data is False:
        return []
    formats, evidence = _exports(view)
    return _unknown(evidence.ref) if formats is None else []


@predicate
def saas_not_self_hostable(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Offered only as a service: the catalog says it cannot be self-hosted."""
    product = view.product
    if product is None or product.self_hostable is None or product.self_hostable.value:
        return []
    if view.deployment not in ("saas", None):
        return []
    return [Finding({"product": product.name},
                    Evidence.of_fact(f"catalog product {product.id}: self_hostable", product.self_hostable))]


# --- contract --------------------------------------------------------------------------


@predicate
def no_contract(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A provider is named, but no contract is linked."""
    if view.provider is None or view.contract is not None:
        return []
    return _unknown(view.field("contract"), provider=view.chain[0].name)


@predicate
def clause_missing(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The contract lacks clause ``clause`` (explicitly false)."""
    contract = view.contract
    clauses = contract.clauses if contract else None
    if contract is None or clauses is None or getattr(clauses, str(params["clause"])) is not False:
        return []
    return [Finding({"contract": contract.id}, Evidence(f"contracts[{contract.id}].clauses.{params['clause']}"))]


@predicate
def clauses_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Some of the listed clauses are not assessed in the linked contract."""
    contract = view.contract
    if contract is None:
        return []
    wanted = [str(c) for c in params["clauses"]]
    clauses = contract.clauses
    missing = [c for c in wanted if clauses is None or getattr(clauses, c) is None]
    if not missing:
        return []
    return _unknown(f"contracts[{contract.id}].clauses", clauses=_names(missing), contract=contract.id)


@predicate
def notice_longer_than(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Leaving needs more than ``days`` days of notice."""
    contract = view.contract
    days = contract.clauses.termination_notice_days if contract and contract.clauses else None
    if contract is None or days is None or days <= int(params["days"]):
        return []
    return [Finding({"days": str(days), "contract": contract.id},
                    Evidence(f"contracts[{contract.id}].clauses.termination_notice_days"))]


@predicate
def contract_ends_soon(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The contract ends within ``days`` days (or has ended)."""
    contract = view.contract
    if contract is None or contract.ends is None:
        return []
    left = (contract.ends - view.facts.today).days
    if left > int(params["days"]):
        return []
    return [Finding({"ends": contract.ends.isoformat(), "days": str(left), "contract": contract.id},
                    Evidence(f"contracts[{contract.id}].ends"))]


# --- skills ----------------------------------------------------------------------------


@predicate
def mastery_is(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """In-house mastery of the asset is ``value``."""
    if view.asset.skills == params["value"]:
        return [Finding({"mastery": view.asset.skills}, Evidence(view.field("skills")))]
    return []


@predicate
def mastery_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """In-house mastery of the asset is not assessed."""
    if view.category is not None and view.category.id == "site":
        return []
    return _unknown(view.field("skills")) if view.asset.skills is None else []


# --- exit readiness --------------------------------------------------------------------


@predicate
def alternative_identified(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """An alternative to the asset is named."""
    exit_plan = view.asset.exit
    if exit_plan and exit_plan.alternative:
        alternative = view.catalog.products.get(exit_plan.alternative)
        name = alternative.name if alternative else exit_plan.alternative
        return [Finding({"alternative": name}, Evidence(view.field("exit.alternative")))]
    return []


@predicate
def export_tested_within(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A data export was tested within ``days`` days."""
    exit_plan = view.asset.exit
    if exit_plan is None or exit_plan.export_tested is None:
        return []
    age = _days_since(exit_plan.export_tested, view.facts.today)
    if age > int(params["days"]):
        return []
    return [Finding({"when": exit_plan.export_tested.isoformat(), "days": str(age)},
                    Evidence(view.field("exit.export_tested")))]


@predicate
def export_tested_before(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A data export was tested, but more than ``days`` days ago."""
    exit_plan = view.asset.exit
    if exit_plan is None or exit_plan.export_tested is None:
        return []
    age = _days_since(exit_plan.export_tested, view.facts.today)
    if age <= int(params["days"]):
        return []
    return [Finding({"when": exit_plan.export_tested.isoformat(), "days": str(age)},
                    Evidence(view.field("exit.export_tested")))]


@predicate
def mastery_at_least(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """In-house mastery is at least ``value``."""
    order = ["none", "low", "medium", "high"]
    skills = view.asset.skills
    if skills is None or order.index(skills) < order.index(str(params["value"])):
        return []
    return [Finding({"mastery": skills}, Evidence(view.field("skills")))]


@predicate
def exit_clauses(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The contract grants every clause in ``clauses``."""
    contract = view.contract
    clauses = contract.clauses if contract else None
    if contract is None or clauses is None:
        return []
    wanted = [str(c) for c in params["clauses"]]
    if all(getattr(clauses, c) is True for c in wanted):
        return [Finding({"contract": contract.id, "clauses": _names(wanted)},
                        Evidence(f"contracts[{contract.id}].clauses"))]
    return []
