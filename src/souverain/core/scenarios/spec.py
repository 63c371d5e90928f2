"""What a crisis scenario is (docs/scenarios.md): one or more losses, such as
``provider:aws-emea+jurisdiction:US``; read from the text people type
(:func:`parse_scenario`), with the nearest known names when one is unknown, or
generated (:func:`every_single_loss`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from souverain.core.errors import InvalidInput, Problem
from souverain.core.phrase import Phrase, Words, phrase

if TYPE_CHECKING:
    from souverain.core.scenarios.graph import ScenarioGraph

KINDS = ("provider", "owner", "jurisdiction", "sanction", "region", "site", "asset", "product")
# Losses that name a country, written as its code in capitals.
COUNTRY_KINDS = ("jurisdiction", "sanction")


@dataclass(frozen=True)
class Scenario:
    """One or more losses: ``provider:aws-emea+jurisdiction:US``.

    ``equivalent``: other scenarios that reach exactly the same nodes (an owner group,
    its one subsidiary and their country), merged into this one by :func:`merged`."""

    spec: str
    losses: tuple[tuple[str, str], ...]
    equivalent: tuple[str, ...] = ()

    @property
    def specs(self) -> tuple[str, ...]:
        """This scenario's spec, then its equivalents'."""
        return (self.spec, *self.equivalent)


def parse_scenario(spec: str, graph: ScenarioGraph | None = None) -> Scenario:
    """A scenario from its text; :class:`InvalidInput` naming what is wrong.

    With ``graph``, every loss must also name something the graph knows
    (:meth:`ScenarioGraph.check`): a scenario typed by someone is refused rather than
    answered "nothing is lost" because of a typo.
    """
    losses = []
    problems = []
    for part in spec.split("+"):
        kind, _, value = part.strip().partition(":")
        kind = kind.strip().lower()
        value = value.strip()
        if kind not in KINDS or not value:
            problems.append(
                Problem(
                    ("scenario",),
                    phrase("not-a-scenario"),
                    phrase("expected-scenario", kinds=", ".join(KINDS)),
                    repr(part.strip()),
                )
            )
            continue
        losses.append((kind, value.upper() if kind in COUNTRY_KINDS else value))
    if problems or not losses:
        empty = Problem(("scenario",), phrase("empty-scenario"))
        raise InvalidInput("scenario", problems or [empty])
    scenario = Scenario(spec.strip(), tuple(losses))
    if graph is not None:
        unknown = graph.check(scenario)
        if unknown:
            raise InvalidInput("scenario", unknown)
    return scenario


# Codes written for a country that are not its ISO 3166-1 alpha-2 code.
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}

# What each kind of loss must name, said as the constraint really is.
EXPECTED = {
    "provider": phrase("expected-loss-provider"),
    "owner": phrase("expected-loss-owner"),
    "jurisdiction": phrase("expected-loss-country"),
    "sanction": phrase("expected-loss-country"),
    "region": phrase("expected-loss-region"),
    "site": phrase("expected-loss-site"),
    "asset": phrase("expected-loss-asset"),
    "product": phrase("expected-loss-product"),
}
# What a loss naming nothing known says, per kind; ``hint`` is :func:`did_you_mean`.
NO_SUCH: Mapping[str, Callable[[Words], Phrase]] = {
    "provider": lambda hint: phrase("no-such-provider", hint=hint),
    "owner": lambda hint: phrase("no-such-owner", hint=hint),
    "jurisdiction": lambda hint: phrase("no-such-country", hint=hint),
    "sanction": lambda hint: phrase("no-such-country", hint=hint),
    "region": lambda hint: phrase("no-such-region", hint=hint),
    "site": lambda hint: phrase("no-such-site", hint=hint),
    "asset": lambda hint: phrase("no-such-asset", hint=hint),
    "product": lambda hint: phrase("no-such-product", hint=hint),
}


def nearest(value: str, known: Mapping[str, str], count: int = 3, cutoff: float = 0.6) -> list[str]:
    """The known names closest to ``value`` (``known`` maps each name, casefolded, to
    how it is written), closest first; none when nothing is close. Names that begin
    with ``value`` come first (``aws`` for ``aws-emea``), shortest first."""
    folded = value.casefold()
    found = sorted((k for k in known if folded and k.startswith(folded)), key=len)[:count]
    found += difflib.get_close_matches(folded, known, n=count, cutoff=cutoff)
    return list(dict.fromkeys(known[f] for f in found))[:count]


def did_you_mean(names: Sequence[str]) -> Words:
    """``"; did you mean A?"``, ``"; did you mean A, B or C?"``, or ``""``."""
    if not names:
        return ""
    if len(names) == 1:
        return phrase("did-you-mean", name=names[0])
    return phrase("did-you-mean-many", names=", ".join(names[:-1]), last=names[-1])


def every_single_loss(graph: ScenarioGraph, kinds: Iterable[str] = KINDS) -> list[Scenario]:
    """One scenario per provider, owner group (an owner of at least two estate
    providers, or a catalog parent; a licensor's group too), jurisdiction (reaching a
    provider or a licensor), region and site of the estate."""
    wanted = set(kinds)
    out: list[Scenario] = []
    if "provider" in wanted:
        out += [Scenario(f"provider:{p.id}", (("provider", p.id),)) for p in graph.estate.providers]
    if "owner" in wanted:
        providers = {p.id for p in graph.estate.providers}
        # An owner group reaching providers, or only licensors (a catalog group whose
        # technology an estate provider runs under licence).
        for owner in sorted({*graph.owner_reach, *graph.owner_licensors}):
            reached = graph.owner_reach.get(owner, [])
            if len(reached) > 1 or owner not in providers:
                out.append(Scenario(f"owner:{owner}", (("owner", owner),)))
    if "jurisdiction" in wanted:
        out += [
            Scenario(f"jurisdiction:{c}", (("jurisdiction", c),))
            for c in sorted({*graph.country_reach, *graph.country_licensors})
        ]
    if "region" in wanted:
        regions = sorted(
            {a.location.region for a in graph.estate.assets if a.location and a.location.region}
        )
        out += [Scenario(f"region:{r}", (("region", r),)) for r in regions]
    if "site" in wanted:
        out += [
            Scenario(f"site:{a.id}", (("site", a.id),))
            for a in graph.estate.assets
            if a.category == "site"
        ]
    return out


def crisis_scenarios(graph: ScenarioGraph) -> list[Scenario]:
    """The scenarios every ranking simulates (``simulate --all``, the report, the
    workbook, ``make demo``): one rule for every format. Every single loss of
    :func:`every_single_loss` but the laws of the organisation's own country and, for an
    EU/EEA organisation, of the EU/EEA (``graph.domestic``: no foreign reach; they are
    simulated on request and counted as resilience metrics); a targeted sanction by
    each foreign country that reaches something; equivalent ones merged (:func:`merged`).
    """
    found = [
        s
        for s in every_single_loss(graph)
        if not (s.losses[0][0] == "jurisdiction" and s.losses[0][1] in graph.domestic)
    ]
    found += [Scenario(f"sanction:{c}", (("sanction", c),)) for c in graph.sanctioning()]
    return merged(graph, found)


def merged(graph: ScenarioGraph, scenarios: Sequence[Scenario]) -> list[Scenario]:
    """``scenarios`` with those that reach exactly the same nodes (down and degraded)
    and destroy the same sites merged into one: the first in the order of
    :data:`KINDS` (a provider before its owner group and its country) names the others
    as ``equivalent``. Order otherwise kept."""
    rank = {kind: n for n, kind in enumerate(KINDS)}
    groups: dict[object, list[Scenario]] = {}
    for scenario in scenarios:
        down, degraded = graph.seeds(scenario)
        sites = frozenset(graph.lost_sites(scenario))
        groups.setdefault((frozenset(down), frozenset(degraded), sites), []).append(scenario)
    out = []
    for group in groups.values():
        group.sort(key=lambda s: [rank[kind] for kind, _ in s.losses])
        first = group[0]
        others = tuple(s for other in group[1:] for s in other.specs)
        out.append(Scenario(first.spec, first.losses, first.equivalent + others))
    return out
