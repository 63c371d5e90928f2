"""What the dependency graph says about an estate, as plain records: single points
of failure, dependence on one loss, nth-party chains (see core/scenarios/analyses.py).

Kept apart from the engine so that reading these records needs no numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

from souverain.core.phrase import Param, Phrase, given, phrase


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
    name_fr: str | None = None  # when the name differs in French (a country)

    @property
    def grave(self) -> int:
        return self.vital + self.important

    def phrase(self) -> Phrase:
        """ "7 of 9 vital processes depend on one owner group: Microsoft Corporation",
        worded in data/locales/scenarios.<lang>.yaml (the name in French when it
        differs)."""
        counts: list[Param] = []
        if self.vital:
            counts.append(phrase("dependence-vital", count=self.vital, total=self.vital_total))
        if self.important:
            counts.append(
                phrase("dependence-important", count=self.important, total=self.important_total)
            )
        processes: Param = (
            phrase("dependence-both", vital=counts[0], important=counts[1])
            if len(counts) == 2
            else counts[0]
            if counts
            else ""
        )
        name = given({"en": self.name, "fr": self.name_fr or self.name})
        return phrase("dependence", processes=processes, on=_ON[self.kind], name=name)


# What a dependence is on, per kind of loss.
_ON = {
    "provider": phrase("dependence-on-provider"),
    "owner": phrase("dependence-on-owner"),
    "jurisdiction": phrase("dependence-on-jurisdiction"),
    "region": phrase("dependence-on-region"),
    "site": phrase("dependence-on-site"),
}


@dataclass(frozen=True)
class Chain:
    """From a process to a provider through subcontracting: parties 3, 4, 5…"""

    process: str
    asset: str
    providers: tuple[str, ...]  # the direct provider first
    # Fourth parties and beyond reached by a foreign law that permits data access or
    # a service cut-off: "provider (CC: law, law)".
    reached: tuple[str, ...] = ()

    @property
    def party(self) -> int:
        """The last provider's rank: 3 for the direct provider, 4 for its subcontractor."""
        return 2 + len(self.providers)


@dataclass(frozen=True)
class GraphFindings:
    """What ``souverain audit`` reports from the graph."""

    single_points_of_failure: tuple[ProcessSpof, ...]
    dependence: tuple[Dependence, ...]
    chains: tuple[Chain, ...]  # the longest
    risky_chains: tuple[Chain, ...] = ()  # those reaching foreign laws, most reached first
    # Dependence on the laws of the organisation's own country, and of the EU/EEA for an
    # EU/EEA organisation: no foreign reach, a resilience metric (not a headline).
    home_dependence: tuple[Dependence, ...] = ()
