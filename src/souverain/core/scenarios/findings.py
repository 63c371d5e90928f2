"""What the dependency graph says about an estate, as plain records: single points
of failure, dependence on one loss, nth-party chains (see core/scenarios/analyses.py).

Kept apart from the engine so that reading these records needs no numpy.
"""

from __future__ import annotations

from dataclasses import dataclass


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
                "provider": "d'un seul fournisseur",
                "owner": "d'un seul groupe",
                "jurisdiction": "des lois d'un seul pays",
                "region": "d'une seule région",
                "site": "d'un seul site",
            },
        }[lang if lang in ("en", "fr") else "en"][self.kind]
        parts = []
        if lang == "fr":
            if self.vital:
                parts.append(f"{self.vital} des {self.vital_total} processus vitaux")
            if self.important:
                parts.append(f"{self.important} des {self.important_total} processus importants")
            return _ended(f"{' et '.join(parts)} dépendent {what} : {self.name_fr or self.name}")
        if self.vital:
            parts.append(f"{self.vital} of {self.vital_total} vital processes")
        if self.important:
            parts.append(f"{self.important} of {self.important_total} important processes")
        return _ended(f"{' and '.join(parts)} depend on {what}: {self.name}")


def _ended(sentence: str) -> str:
    """``sentence`` with a full stop, unless a name ending it has one ("Broadcom Inc.")."""
    return sentence if sentence.endswith(".") else sentence + "."


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
