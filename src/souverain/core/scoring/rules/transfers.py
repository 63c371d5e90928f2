"""The legal basis of GDPR transfers, for the ``personal_data_transfer`` predicate.

A transfer outside the EEA is lawful on an adequacy decision (GDPR Art. 45),
appropriate safeguards (standard contractual clauses or binding corporate rules,
Art. 46-47) which, since Schrems II (CJEU C-311/18), need a transfer impact
assessment and supplementary measures where the destination's law undermines them
(EDPB Recommendations 01/2020), or, for occasional transfers only, a derogation of
Art. 49 (EDPB Guidelines 2/2018). Without any of them it is unlawful (Art. 44).

A record declares its transfers for the whole processing; the data leaves through
some of its assets only — those whose provider, host or recipient is in the third
country (EDPB Guidelines 05/2021 on the interplay of Art. 3 and Chapter V: a transfer
is a disclosure to an importer in a third country). A transfer is scored on its
*carriers* (:func:`carrier`): the assets the record names for it (``via``), else the
record's only asset, else the assets whose own path reaches the country (their data
location, the provider of their service or its owners, its subcontractors, the
providers of the assets they require). On an asset of the record none of these make a
carrier, the transfer is not assessed, never scored as a confirmed transfer: the record
does not say which asset sends the data.
"""

from __future__ import annotations

from typing import Literal

from souverain.core.estate.model import ProcessingRecord, Transfer
from souverain.core.scoring.context import Evidence, View
from souverain.core.scoring.rules.base import (
    Finding,
    adequacy_evidence,
    country_term,
    provider_roles,
    roles_of,
)
from souverain.core.scoring.rules.processors import host_deployment, subprocessors
from souverain.core.terms import term

# The bases a rule may select, best first.
BASES = ("adequacy", "assessed-safeguards", "safeguards", "derogation", "undocumented", "none")
# The Data Privacy Framework is the adequacy decision for the United States only
# (Commission Implementing Decision (EU) 2023/1795).
DPF_COUNTRY = "US"


def transfer_basis(transfer: Transfer, adequacy: str) -> str:
    """What a transfer to a country of adequacy status ``adequacy`` rests on.

    Full adequacy covers any transfer; a partial one (the DPF, Canada's PIPEDA,
    Japan's APPI) only the recipients it covers, which the estate states by naming
    ``adequacy`` (or ``dpf`` for a certified US recipient). Claiming an adequacy the
    country does not have is no basis at all.
    """
    mechanism = transfer.mechanism
    if adequacy == "full":
        return "adequacy"
    if mechanism == "dpf":
        return "adequacy" if adequacy == "partial" and transfer.country == DPF_COUNTRY else "none"
    if mechanism == "adequacy":
        return "adequacy" if adequacy == "partial" else "none"
    if mechanism in ("scc", "bcr"):
        return "assessed-safeguards" if transfer.tia is True else "safeguards"
    if mechanism == "derogation-49":
        return "derogation"
    if mechanism is None:  # the record names no basis: a gap in the record, not a finding
        return "undocumented"  # that none exists (unknown is never "none")
    return "none"


Carried = Literal["yes", "no", "unknown"]


def carrier(
    view: View, record: ProcessingRecord, index: int, transfer: Transfer
) -> tuple[Carried, tuple[Evidence, ...]]:
    """Whether the data of ``record``'s transfer number ``index`` leaves through the
    view's asset, with the facts that say so: ``yes``, ``no`` (the record names other
    assets for it), ``unknown`` (nothing says it does or does not).

    Read from the record and the asset's own path only (its location, provider chain,
    provider's subcontractors and the assets it requires), never from the record's
    other assets: an edit of another asset changes nothing here.
    """
    where = f"processing[{record.id}].transfers[{index}]"
    asset = view.asset
    if transfer.via:
        if asset.id in transfer.via:
            return "yes", (Evidence(f"{where}.via"),)
        return "no", ()
    if len(set(record.assets)) == 1:
        return "yes", (Evidence(f"processing[{record.id}].assets"),)
    country = transfer.country
    if asset.location is not None and asset.location.country == country:
        return "yes", (Evidence(view.field("location.country")),)
    # The provider receives the data when it runs a service for the asset.
    if "service" in provider_roles(view):
        for entity in view.chain:
            if entity.country == country:
                return "yes", (entity.country_evidence,)
        if view.provider is not None:
            for path in subprocessors(view, view.provider.id):
                entity = view.resolver.chain(path[-1])[0]
                if entity.country == country:
                    link = Evidence(f"providers[{view.provider.id}].subcontractors")
                    return "yes", (link, entity.country_evidence)
    for host in view.hosts:
        if not host.provider or "service" not in roles_of(host_deployment(view, host), None):
            continue
        for entity in view.resolver.chain(host.provider):
            if entity.country == country:
                return "yes", (Evidence(view.field("depends_on")), entity.country_evidence)
    return "unknown", ()


def _outside(view: View, transfer: Transfer) -> str | None:
    """The adequacy status of the transfer's country (full, partial, none), or None for
    a country of the EEA: not a transfer."""
    jurisdiction = view.resolver.jurisdiction(transfer.country)
    if jurisdiction is not None and jurisdiction.eea.value:
        return None
    return jurisdiction.adequacy.value.status if jurisdiction and jurisdiction.adequacy else "none"


def transfer_findings(
    view: View, basis: str | None, carried: Carried = "yes", bases: frozenset[str] | None = None
) -> list[Finding]:
    """The transfers of the asset's personal data outside the EEA whose basis is
    ``basis`` (or among ``bases``); without either, those to countries without full
    adequacy (any basis). ``carried``: only those whose data leaves through the asset
    (``yes``), or those of which nothing says whether it does (``unknown``)."""
    found = []
    for record in view.facts.records.get(view.asset.id, ()):
        for index, transfer in enumerate(record.transfers):
            adequacy = _outside(view, transfer)
            if adequacy is None:
                continue
            if basis is None and bases is None and adequacy == "full":
                continue
            kind = transfer_basis(transfer, adequacy)
            if (basis is not None and kind != basis) or (bases is not None and kind not in bases):
                continue
            how, facts = carrier(view, record, index, transfer)
            if how != carried:
                continue
            evidence = Evidence(f"processing[{record.id}].transfers[{index}]")
            decision = adequacy_evidence(view, transfer.country)
            cited = (evidence, *facts, *((decision,) if decision else ()))
            params = {
                "record": record.id,
                "country": country_term(
                    view.resolver.jurisdiction(transfer.country), transfer.country
                ),
                "mechanism": term("mechanism", transfer.mechanism or "?"),
            }
            if carried == "unknown":
                params["assets"] = ", ".join(dict.fromkeys(record.assets))
            found.append(
                Finding(
                    params,
                    evidence,
                    not_assessed=carried == "unknown",
                    cited=cited if len(cited) > 1 else (),
                )
            )
    return found
