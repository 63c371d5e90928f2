"""What every predicate shares: the finding type, the registry and small helpers.

Each predicate is registered with its signature, declared on it by
:func:`predicate`: the parameters a methodology's rule may give it and the fields
its findings fill the rule's text with. A methodology is checked against these
declarations when it is loaded (:func:`souverain.core.scoring.methodology.methodology_problems`).
Each also declares what it reads of the estate around its asset (:data:`Read`): the
what-if derives from these declarations which rules to score again after an edit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from itertools import combinations
from typing import Any, Literal, NamedTuple, get_args

from souverain.core.catalog.licences import is_open_licence
from souverain.core.catalog.model import Adequacy, Jurisdiction, Law, Permit, Role
from souverain.core.estate.model import Clauses, Holder
from souverain.core.scoring.context import Entity, Evidence, View, chain_path
from souverain.core.scoring.methodology import Param, ParamProblem, Signature
from souverain.core.terms import Term, terms
from souverain.core.vocabulary import OFF_PREMISE, Deployment


class Finding(NamedTuple):
    """What a predicate found: text parameters and evidence.

    ``evidence`` is the main fact; ``cited``, when the finding rests on more than one,
    every fact it used (a law's country and each law reaching it), else empty.
    """

    params: Mapping[str, str]
    evidence: Evidence
    not_assessed: bool = False
    cited: tuple[Evidence, ...] = ()


def law_evidence(country: str | None, law: Law) -> Evidence:
    """A law of the catalog as a fact cited by a finding."""
    return Evidence(f"catalog jurisdiction {country}: {law.id}", law.source, law.as_of)


Predicate = Callable[[View, Mapping[str, Any]], list[Finding]]
PREDICATES: dict[str, Predicate] = {}
SIGNATURES: dict[str, Signature] = {}

# What a predicate may read beyond the fields of the asset that make its view
# (provider, product, category, deployment, data). When an edit moves only some of
# these, the what-if (souverain.core.scoring.whatif) scores again only the rules reading them.
# A test checks each predicate's declaration against its source, helpers included
# (tests/roadmap/test_whatif_reads.py).
Read = Literal[
    # the assets it requires directly, any_of members included (their id, name,
    # provider, deployment, category and product only: whatif.HOST_FIELDS)
    "hosts",
    # the strict need of the processes that reach it
    "need",
    # the estate-wide counts of EstateFacts (groups, grave_total) — and, of the view,
    # only the ultimate owners of its chain
    "estate_counts",
    # the contract it names
    "contract",
    # the footprints of its any_of partners and of its backups or what it protects
    # (scoring.redundancy: their providers, locations and requirements)
    "redundancy",
    # its own fields that roadmap actions change in place
    "skills",
    "continuity",
    "exit",
]
READ: tuple[Read, ...] = get_args(Read)
# Per predicate, what it reads, as declared on it.
READS_OF: dict[str, frozenset[Read]] = {}

# Per predicate, the shortcut it declares, if any (``selects`` of :func:`predicate`):
# ``(key, param)``, the predicate finding nothing unless ``key(view) == params[param]``;
# ``(key, None)``, nothing unless ``key(view)`` is True. The audit uses it to call, of a
# run of rules of that predicate, only those that may find something
# (souverain.core.scoring.score.compile_axes); tests/scoring/test_selects.py checks
# each declaration on the examples.
Selector = tuple[Callable[[View], Any], str | None]
SELECTS: dict[str, Selector] = {}

# What parameters choose among.
PERMITS: tuple[str, ...] = get_args(Permit)
ROLES: tuple[str, ...] = get_args(Role)
ALL_ROLES: frozenset[str] = frozenset(ROLES)
"""Every role: for an entity whose role for the asset is not known (unknown is never safe)."""
DEPLOYMENTS: tuple[str, ...] = get_args(Deployment)
HOLDERS: tuple[str, ...] = get_args(Holder)
ADEQUACY: tuple[str, ...] = get_args(Adequacy.model_fields["status"].annotation)
CLAUSES: tuple[str, ...] = tuple(sorted(Clauses.model_fields))
YES_NO_CLAUSES: tuple[str, ...] = tuple(
    sorted(name for name, f in Clauses.model_fields.items() if f.annotation == bool | None)
)
# The fields of a finding of :func:`reaching_laws`.
LAW_FIELDS = ("entity", "country", "laws", "chain", "via")


def predicate(
    *,
    params: Mapping[str, Param] | None = None,
    fields: Sequence[str] = (),
    check: Callable[[Mapping[str, Any]], list[ParamProblem]] | None = None,
    reads: Sequence[Read] = (),
    selects: Selector | None = None,
) -> Callable[[Predicate], Predicate]:
    """Register the decorated function under its own name, with its signature.

    ``params``: the parameters a rule may give it; ``fields``: every key of its
    findings' ``params``, the only fields a rule's text may use; ``check``: a
    constraint between parameters, returning what is wrong; ``reads``: what it
    reads of :data:`Read`, itself or through a helper; ``selects``: see :data:`SELECTS`.
    """
    unknown_reads = set(reads) - set(READ)
    if unknown_reads:
        raise ValueError(f"unknown reads: {sorted(unknown_reads)}")

    def register(function: Predicate) -> Predicate:
        PREDICATES[function.__name__] = function
        SIGNATURES[function.__name__] = Signature(dict(params or {}), tuple(fields), check)
        READS_OF[function.__name__] = frozenset(reads)
        if selects is not None:
            SELECTS[function.__name__] = selects
        return function

    return register


def unknown(ref: str, **params: str) -> list[Finding]:
    return [Finding(params, Evidence(ref), not_assessed=True)]


def names(items: list[str]) -> str:
    return ", ".join(items)


_LANGS = ("en", "fr")


def country_term(jurisdiction: Jurisdiction | None, code: str | None) -> Term | str:
    """A country code as a reason names it: "États-Unis", "les États-Unis", "aux
    États-Unis" (souverain.core.terms), from the catalog's names; the code as it is
    when the catalog does not know the country."""
    if jurisdiction is None:
        return code or "?"
    words = {}
    for lang in _LANGS:
        name = jurisdiction.name.get(lang) or jurisdiction.name.get("en") or jurisdiction.id  # type: ignore[call-overload]
        forms = {"": name, "the": jurisdiction.called.get(lang) or name}  # type: ignore[call-overload]
        located = jurisdiction.located.get(lang)  # type: ignore[call-overload]
        if located:
            forms["in"] = located
        words[lang] = forms
    return Term(jurisdiction.id, words)


def laws_term(laws: Sequence[Law]) -> Term:
    """Laws as a reason names them: "le CLOUD Act (…) et la section 702 du FISA (…)"
    (``called``), its value their names joined (what rules compare)."""
    items = [
        Term(law.name, {lang: {"": law.called.get(lang) or law.name} for lang in _LANGS})  # type: ignore[call-overload]
        for law in laws
    ]
    return terms(items, _LANGS)


def days_since(day: date, today: date) -> int:
    return (today - day).days


def software_open(view: View) -> bool | None:
    """Whether the asset's software is under an open-source licence (an SPDX
    expression, the estate's ``licence`` first, then the catalog product's); None:
    unknown. A source-available licence (BUSL, SSPL, Elastic-2.0…) is not open: its
    licensor still controls who may run it."""
    licence, _ = view.licence
    return None if licence is None else is_open_licence(licence)


@lru_cache(maxsize=256)  # a few deployments by three states: asked for every rule of a law
def roles_of(deployment: str | None, open_software: bool | None) -> frozenset[str]:
    """The roles (:data:`ROLES`) a provider plays for an asset deployed ``deployment``
    whose software is open or not: it runs a ``service`` when the asset is deployed
    off the premises or is a telecom link, it supplies ``closed-software`` unless the
    software is open. Unknown plays the role: unknown is never safe."""
    roles = set()
    # A telecom operator runs an electronic communication service for its link.
    if deployment is None or deployment in OFF_PREMISE or deployment == "link":
        roles.add("service")
    if open_software is not True:
        roles.add("closed-software")
    return frozenset(roles)


# Each set of roles as a suffix of the findings' cache key, worked out once (a
# constant table, not a cache: every subset of ROLES).
ROLE_KEYS: Mapping[frozenset[str], str] = {
    frozenset(chosen): "|" + "|".join(sorted(chosen))
    for size in range(len(ROLES) + 1)
    for chosen in combinations(ROLES, size)
}


def provider_roles(view: View) -> frozenset[str]:
    """The roles the asset's provider (and its owners) play for it."""
    return roles_of(view.deployment, software_open(view))


def reaching_laws(
    view: View,
    entities: tuple[Entity, ...],
    permit: str,
    roles: frozenset[str] | None = None,
) -> list[Finding]:
    """Findings for each entity of ``entities`` reached by a law permitting ``permit``
    that compels a provider playing one of ``roles`` (:func:`roles_of`; by default the
    roles the asset's own provider plays, :func:`provider_roles`). A law whose
    ``applies_to`` names none of them is left out: FISA 702 compels electronic
    communication service providers, not the vendor of software run on premises.

    Cached per chain, permit and roles: thousands of assets share a few hundred
    providers, and a handful of role sets.
    """
    if roles is None:
        roles = provider_roles(view)
    suffix = ROLE_KEYS.get(roles) or "|" + "|".join(sorted(roles))
    key = (tuple(e.id for e in entities), permit + suffix)
    cached = view.resolver.findings.get(key)
    if cached is None:
        cached = _reaching_laws(view, entities, permit, roles)
        view.resolver.findings[key] = cached
    return list(cached)


def scope_evidence(country: str | None, law: Law) -> Evidence:
    """The scope of a law (``applies_to``) as a fact cited by a finding."""
    scope = law.applies_to
    assert scope is not None
    return Evidence(
        f"catalog jurisdiction {country}: {law.id}.applies_to",
        scope.source or law.source,
        scope.as_of or law.as_of,
    )


def laws_cited(country: str | None, laws: list[Law]) -> tuple[Evidence, ...]:
    """Each law, and the scope of each law that has one, as facts cited by a finding."""
    cited: list[Evidence] = []
    for law in laws:
        cited.append(law_evidence(country, law))
        if law.applies_to is not None:
            cited.append(scope_evidence(country, law))
    return tuple(cited)


def _reaching_laws(
    view: View, entities: tuple[Entity, ...], permit: str, roles: frozenset[str]
) -> list[Finding]:
    found = []
    for depth, entity in enumerate(entities):
        laws = [
            law
            for law in view.resolver.laws(entity.country, "control")
            if permit in law.permits and law.applies(roles)
        ]
        if not laws:
            continue
        via = "" if depth == 0 else f" ← {entities[0].name}"  # the provider itself
        found.append(
            Finding(
                {
                    "entity": entity.name,
                    "country": country_term(
                        view.resolver.jurisdiction(entity.country), entity.country
                    ),
                    "laws": laws_term(laws),
                    "chain": " → ".join(e.name for e in chain_path(entities, depth)),
                    "via": via,
                },
                Evidence(
                    f"{entity.country_evidence.ref}; "
                    f"catalog jurisdiction {entity.country}: {laws[0].id}",
                    laws[0].source,
                    laws[0].as_of,
                ),
                cited=(entity.country_evidence, *laws_cited(entity.country, laws)),
            )
        )
    return found


def adequacy_of(view: View, country: str | None) -> str | None:
    """The GDPR adequacy status of ``country`` (full, partial, none); None for a
    country of the EEA or one the catalog does not know."""
    jurisdiction = view.resolver.jurisdiction(country)
    if jurisdiction is None or jurisdiction.eea.value:
        return None
    return jurisdiction.adequacy.value.status if jurisdiction.adequacy else "none"


def adequacy_evidence(view: View, country: str | None) -> Evidence | None:
    """The adequacy decision of ``country`` as a fact, if the catalog records one."""
    jurisdiction = view.resolver.jurisdiction(country)
    if jurisdiction is None or jurisdiction.adequacy is None:
        return None
    return Evidence.of_fact(f"catalog jurisdiction {country}: adequacy", jurisdiction.adequacy)


def with_adequacy(view: View, found: list[Finding], params: Mapping[str, Any]) -> list[Finding]:
    """The findings whose law's country has an adequacy status among the rule's
    ``adequacy`` (all without it), each citing the adequacy decision it rests on."""
    wanted = params.get("adequacy")
    if wanted is None:
        return found
    kept = []
    for finding in found:
        country = finding.params.get("country")
        if (adequacy_of(view, country) or "none") not in wanted:
            continue
        decision = adequacy_evidence(view, country)
        kept.append(finding._replace(cited=(*finding.cited, decision)) if decision else finding)
    return kept


def applies_to_deployment(view: View, deployment: str | None, params: Mapping[str, Any]) -> bool:
    """Whether ``deployment`` is among the rule's ``deployments`` (unknown always is)."""
    wanted = params.get("deployments")
    return wanted is None or deployment is None or deployment in wanted
