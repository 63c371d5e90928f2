"""The legal basis of GDPR transfers, for the ``personal_data_transfer`` predicate.

A transfer outside the EEA is lawful on an adequacy decision (GDPR Art. 45),
appropriate safeguards (standard contractual clauses or binding corporate rules,
Art. 46-47) which, since Schrems II (CJEU C-311/18), need a transfer impact
assessment and supplementary measures where the destination's law undermines them
(EDPB Recommendations 01/2020), or, for occasional transfers only, a derogation of
Art. 49 (EDPB Guidelines 2/2018). Without any of them it is unlawful (Art. 44).
"""

from __future__ import annotations

from souverain.core.estate.model import Transfer
from souverain.core.scoring.context import Evidence, View
from souverain.core.scoring.rules.base import Finding, adequacy_evidence, country_term
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


def transfer_findings(view: View, basis: str | None) -> list[Finding]:
    """The transfers of the asset's personal data outside the EEA whose basis is
    ``basis``; without it, those to countries without full adequacy (any basis)."""
    found = []
    for record in view.facts.records.get(view.asset.id, ()):
        for index, transfer in enumerate(record.transfers):
            jurisdiction = view.resolver.jurisdiction(transfer.country)
            if jurisdiction is not None and jurisdiction.eea.value:
                continue
            adequacy = (
                jurisdiction.adequacy.value.status
                if jurisdiction and jurisdiction.adequacy
                else "none"
            )
            if basis is None and adequacy == "full":
                continue
            if basis is not None and transfer_basis(transfer, adequacy) != basis:
                continue
            evidence = Evidence(f"processing[{record.id}].transfers[{index}]")
            decision = adequacy_evidence(view, transfer.country)
            found.append(
                Finding(
                    {
                        "record": record.id,
                        "country": country_term(jurisdiction, transfer.country),
                        "mechanism": term("mechanism", transfer.mechanism or "?"),
                    },
                    evidence,
                    cited=(evidence, decision) if decision else (),
                )
            )
    return found
