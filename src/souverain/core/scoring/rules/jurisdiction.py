"""Predicates of the jurisdiction axis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from souverain.core.scoring.context import Evidence, View
from souverain.core.scoring.methodology import one_of, some_of
from souverain.core.scoring.rules.base import (
    ADEQUACY,
    DEPLOYMENTS,
    LAW_FIELDS,
    PERMITS,
    Finding,
    applies_to_deployment,
    country_term,
    laws_cited,
    laws_term,
    names,
    predicate,
    provider_roles,
    reaching_laws,
    roles_of,
    unknown,
    with_adequacy,
)
from souverain.core.scoring.rules.governance import is_community
from souverain.core.scoring.rules.processors import KEY_HOLDERS, applies_to_keys
from souverain.core.vocabulary import RUNS_LOCALLY


@predicate(
    params={
        "permit": one_of(*PERMITS),
        "deployments": some_of(*DEPLOYMENTS, required=False),
        "adequacy": some_of(*ADEQUACY, required=False),
        "keys_held_by": some_of(*KEY_HOLDERS, required=False),
    },
    fields=LAW_FIELDS,
)
def owner_chain_law(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A law of a country in the provider's owner chain permits ``permit`` and
    compels the provider in the role it plays for the asset (the law's ``applies_to``).

    With ``deployments``, only for assets deployed one of those ways (or whose
    deployment is unknown): a vendor of on-premise software holds no data to hand
    over, but can still be ordered to stop licences and updates. With ``adequacy``,
    only laws of countries whose GDPR adequacy status is one of those: the adequacy
    decision weighs the country's access to data (the Commission found the UK's
    Investigatory Powers Act, with its safeguards, essentially equivalent). With
    ``keys_held_by``, only for assets whose encryption keys are held by one of those
    ("unknown": not given): keys held by the organisation outside the provider lower
    what can be handed over, never what can be stopped.
    """
    if not applies_to_deployment(view, view.deployment, params):
        return []
    if not applies_to_keys(view, params):
        return []
    return with_adequacy(view, reaching_laws(view, view.chain, str(params["permit"])), params)


@predicate(fields=("provider",))
def provider_country_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset has a provider, but nothing says where it or its owners are.

    Not for a community (a project or foundation): without a legal home, no state
    can order it; with one, its country is known and the chain rules weigh it.
    """
    if view.provider is None or any(e.country for e in view.chain):
        return []
    if is_community(view):
        return []
    return unknown(f"providers[{view.provider.id}].country", provider=view.chain[0].name)


@predicate(fields=("countries",))
def jurisdiction_not_in_catalog(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A country in the owner chain, or where data lies, has no catalog entry.

    A community's legal home is left out: its laws could reach the project's
    infrastructure (registry, update channel), never the open code already run.
    """
    countries = {e.country for e in view.chain if e.country} if not is_community(view) else set()
    location = view.asset.location.country if view.asset.location else None
    if location and view.holds_data is not False:
        countries.add(location)
    missing = sorted(c for c in countries if view.resolver.jurisdiction(c) is None)
    if not missing:
        return []
    return unknown("catalog jurisdictions", countries=names(missing))


def _location(view: View) -> tuple[str | None, Evidence]:
    location = view.asset.location
    if location and location.country:
        return location.country, Evidence(view.field("location.country"))
    if view.deployment in RUNS_LOCALLY and view.estate.organisation.country:
        return view.estate.organisation.country, Evidence("organisation.country")
    return None, Evidence(view.field("location.country"))


def _adequacy(view: View) -> str | None:
    """The adequacy status of the country outside the EEA where data lies, if any."""
    if view.holds_data is False:
        return None
    jurisdiction = view.resolver.jurisdiction(_location(view)[0])
    if jurisdiction is None or jurisdiction.eea.value:
        return None
    return jurisdiction.adequacy.value.status if jurisdiction.adequacy else "none"


@predicate(
    params={"adequacy": one_of(*ADEQUACY)},
    fields=("country", "scope"),
    selects=(_adequacy, "adequacy"),
)
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
    adequacy = Evidence(
        f"{evidence.ref}; catalog jurisdiction {jurisdiction.id}: adequacy",
        fact.source if fact else jurisdiction.source,
        fact.as_of if fact else jurisdiction.as_of,
    )
    return [
        Finding(
            {"country": country_term(jurisdiction, jurisdiction.id), "scope": scope},
            adequacy,
            cited=(
                evidence,
                adequacy._replace(ref=f"catalog jurisdiction {jurisdiction.id}: adequacy"),
            ),
        )
    ]


@predicate(params={"permit": one_of(*PERMITS)}, fields=("country", "laws"))
def data_location_law(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The country where data lies has a law that reaches data on its territory."""
    if view.holds_data is False:
        return []
    country, evidence = _location(view)
    # Run in-house on the premises: no provider plays any role; otherwise the
    # provider's (a service whose provider is not named still has one).
    in_house = view.provider is None and view.deployment == "on-premise"
    roles = frozenset[str]() if in_house else provider_roles(view)
    laws = [
        law
        for law in view.resolver.laws(country, "territory")
        if params["permit"] in law.permits and law.applies(roles)
    ]
    if not laws:
        return []
    return [
        Finding(
            {
                "country": country_term(view.resolver.jurisdiction(country), country),
                "laws": laws_term(laws),
            },
            Evidence(
                f"{evidence.ref}; catalog jurisdiction {country}: {laws[0].id}",
                laws[0].source,
                laws[0].as_of,
            ),
            cited=(evidence, *laws_cited(country, laws)),
        )
    ]


@predicate()
def data_location_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset may hold data but its location is not given."""
    if view.holds_data is False or view.deployment in RUNS_LOCALLY:
        return []
    country, evidence = _location(view)
    return [] if country else unknown(evidence.ref)


@predicate(
    params={"permit": one_of(*PERMITS), "deployments": some_of(*DEPLOYMENTS, required=False)},
    fields=(*LAW_FIELDS, "host"),
    reads=("hosts",),
)
def host_chain_law(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """An asset this one requires (a plain requirement, not an ``any_of`` member) is
    provided by an entity reached by such a law. Superseded by :func:`processor_law`
    (``via: host``), kept for methodologies that name it."""
    found = []
    plain = {r for r in view.asset.depends_on if isinstance(r, str)}
    for host in view.hosts:
        if host.id not in plain:
            continue
        if not host.provider or (view.provider and host.provider == view.provider.id):
            continue
        if not applies_to_deployment(view, host.deployment, params):
            continue
        chain = view.resolver.chain(host.provider)
        # The host's provider runs that host: its role is the host's, not the asset's.
        roles = roles_of(host.deployment, None)
        for finding in reaching_laws(view, chain, str(params["permit"]), roles):
            found.append(finding._replace(params={**finding.params, "host": host.name or host.id}))
            break
    return found


@predicate()
def in_house(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """No provider and run where the organisation is: run by the organisation itself."""
    if view.provider is None and view.deployment in RUNS_LOCALLY:
        return [Finding({}, Evidence(view.field("provider")))]
    return []
