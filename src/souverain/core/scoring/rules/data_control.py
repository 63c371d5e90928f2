"""Predicates of the data control axis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from souverain.core.catalog.sourced import CertificationStatus
from souverain.core.scoring.context import Evidence, View
from souverain.core.scoring.methodology import one_of, some_of, texts
from souverain.core.scoring.rules.base import (
    ADEQUACY,
    ALL_ROLES,
    HOLDERS,
    LAW_FIELDS,
    Finding,
    names,
    predicate,
    reaching_laws,
    unknown,
    with_adequacy,
)
from souverain.core.scoring.rules.transfers import BASES, transfer_findings
from souverain.core.scoring.sensitivity import sensitive_kinds
from souverain.core.terms import term
from souverain.core.vocabulary import RUNS_LOCALLY


@predicate()
def holds_no_data(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset holds no data (by its ``data`` list or its category)."""
    if view.holds_data is False:
        return [Finding({}, Evidence(view.field("data")))]
    return []


def _keys_holder(view: View) -> str | None:
    """Who holds the keys of a cloud asset that may hold data (None: not such an asset)."""
    encryption = view.asset.encryption
    if view.holds_data is False or not view.cloud or encryption is None:
        return None
    return encryption.keys_held_by


@predicate(
    params={"holder": one_of(*HOLDERS)},
    fields=("deployment",),
    selects=(_keys_holder, "holder"),
)
def keys_held_by(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """In a cloud deployment holding data, the encryption keys are held by ``holder``."""
    if view.holds_data is False or not view.cloud:
        return []
    encryption = view.asset.encryption
    if encryption is None or encryption.keys_held_by != params["holder"]:
        return []
    return [
        Finding(
            {"deployment": term("deployment", view.deployment or "?")},
            Evidence(view.field("encryption.keys_held_by")),
        )
    ]


@predicate()
def keys_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A cloud asset that may hold data, with no word on who holds its keys."""
    if view.holds_data is False or not view.cloud:
        return []
    if view.asset.encryption and view.asset.encryption.keys_held_by:
        return []
    return unknown(view.field("encryption.keys_held_by"))


@predicate(params={"adequacy": some_of(*ADEQUACY, required=False)}, fields=LAW_FIELDS)
def keys_at_reachable_provider(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The provider can read the data and its owner chain is reached by a data-access
    law (of a country whose adequacy status is one of ``adequacy``, when given). A
    SaaS reads the data it processes whoever holds the keys (EDPB Recommendations
    01/2020, use case 6: no effective measure when the provider processes data in
    clear); on a cloud platform, keys the organisation holds keep the data out of it."""
    encryption = view.asset.encryption
    if view.holds_data is False or not view.cloud:
        return []
    own_keys = encryption is not None and encryption.keys_held_by == "organisation"
    if own_keys and view.deployment != "saas":
        return []
    return with_adequacy(view, reaching_laws(view, view.chain, "data_access"), params)[:1]


@predicate()
def on_premise(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Deployed on the organisation's own premises, devices or sites."""
    if view.deployment in RUNS_LOCALLY:
        return [Finding({}, Evidence(view.field("deployment")))]
    return []


@predicate(
    params={"basis": one_of(*BASES, required=False)},
    fields=("record", "country", "mechanism"),
    reads=("hosts",),
)
def personal_data_transfer(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A processing record sends personal data outside the EEA through this asset: the
    record names it for the transfer (``via``), it is the record's only asset, or its
    own path reaches the country (rules.transfers.carrier).

    Without ``basis``, every transfer to a country without full adequacy. With it,
    the transfers whose legal basis (GDPR Chapter V) is ``basis``: ``adequacy`` (a
    country with full adequacy, or one with partial adequacy and a recipient it
    covers: ``adequacy`` or ``dpf``), ``assessed-safeguards`` (SCC or BCR with a
    transfer impact assessment), ``safeguards`` (SCC or BCR without one recorded),
    ``derogation`` (Art. 49) or ``none`` (no mechanism, an unknown one, or an
    adequacy the country does not have).
    """
    return transfer_findings(view, params.get("basis"))


@predicate(
    params={"bases": some_of(*BASES)},
    fields=("record", "country", "mechanism", "assets"),
    reads=("hosts",),
)
def transfer_carrier_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Not assessed: a processing record naming this asset declares a transfer outside
    the EEA whose basis is among ``bases``, but neither names the assets it leaves
    through (``via``) nor has a single asset, and nothing on this asset's own path
    (data location, provider chain, subcontractors, required assets) is in that
    country: which of the record's assets sends the data is not known."""
    return transfer_findings(view, None, "unknown", frozenset(params["bases"]))


def _in_catalog(view: View) -> bool:
    provider = view.provider
    if provider is None or not provider.catalog:
        return False
    return view.catalog.providers.get(provider.catalog) is not None


CERTIFICATION_STATUSES: tuple[str, ...] = get_args(CertificationStatus)


def _has_product(view: View) -> bool:
    return view.product is not None


@predicate(
    params={
        "schemes": texts(),
        "statuses": some_of(*CERTIFICATION_STATUSES, required=False),
    },
    fields=("product", "scheme", "status", "scope", "since", "until"),
    selects=(_has_product, None),
)
def offer_certified(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset's offer (its catalog product) holds a certification of ``schemes``
    whose status today is one of ``statuses`` (``qualified`` by default).

    Scored (usually 0) to show it among the reasons, with the certificate's status,
    scope, dates and source: a certification is evidence about how one offer is run,
    not about the whole company, and not a shield against a law that reaches its
    owners.
    """
    product = view.product
    if product is None:
        return []
    wanted = {str(s).casefold() for s in params["schemes"]}
    statuses = params.get("statuses") or ("qualified",)
    found = []
    for certification in product.certifications:
        status = certification.status_on(view.facts.today)
        if certification.scheme.casefold() not in wanted or status not in statuses:
            continue
        found.append(
            Finding(
                {
                    "product": product.name,
                    "scheme": certification.scheme,
                    "status": status,
                    "scope": certification.scope or "?",
                    "since": certification.since.isoformat() if certification.since else "?",
                    "until": certification.until.isoformat() if certification.until else "?",
                },
                Evidence(
                    f"catalog product {product.id}: certifications",
                    certification.source,
                    certification.as_of,
                ),
            )
        )
    return found


@predicate(
    params={"schemes": texts()},
    fields=("provider", "scheme", "scope", "since"),
    selects=(_in_catalog, None),
)
def provider_certified(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The provider's catalog entry states one of the certifications ``schemes`` for
    the provider as a whole (deprecated provider-level ``certifications``, read from
    older catalog layers): shown, never taken as the certificate of the offer used.
    """
    if view.provider is None or not view.provider.catalog:
        return []
    entry = view.catalog.providers.get(view.provider.catalog)
    if entry is None:
        return []
    wanted = {str(s).casefold() for s in params["schemes"]}
    return [
        Finding(
            {
                "provider": entry.name,
                "scheme": certification.scheme,
                "scope": certification.scope or "?",
                "since": certification.since.isoformat() if certification.since else "?",
            },
            Evidence(
                f"catalog provider {entry.id}: certifications",
                certification.source,
                certification.as_of,
            ),
        )
        for certification in entry.certifications
        if certification.scheme.casefold() in wanted
    ]


def _privileged(view: View) -> bool:
    return view.category is not None and view.category.data_path == "privileged"


@predicate(fields=LAW_FIELDS, selects=(_privileged, None))
def privileged_path_law(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset runs on premises but is a privileged path to the data (its category's
    ``data_path``: a security agent, a camera with a vendor cloud connector, a remote
    support tool, a backup), and its provider's owner chain is reached by a data-access
    law: the vendor's agent, connector or update channel reaches the data it sees."""
    if not _privileged(view) or view.deployment not in RUNS_LOCALLY:
        return []
    # The vendor runs the service behind the agent (its cloud console, reputation
    # lookups, sample uploads, remote sessions): it is compelled as a service provider.
    return reaching_laws(view, view.chain, "data_access", ALL_ROLES)[:1]


def _declared(view: View) -> bool:
    return bool(view.facts.sensitivity)


@predicate(fields=("kinds",), selects=(_declared, None))
def holds_sensitive_data(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset holds (or, as a backup, keeps copies of) data declared sensitive: the
    level follows the data's sensitivity when a data-access law reaches it."""
    kinds = sensitive_kinds(view)
    if not kinds:
        return []
    cited = tuple(Evidence(f"data[{kind}].sensitivity") for kind in sorted(kinds))
    # The main fact is the first kind's sensitivity; the reason cites each kind's.
    return [Finding({"kinds": names(sorted(kinds))}, cited[0], cited=cited)]
