"""The dependency matrix as plain data: the one shape every exporter starts from.

:func:`audit_document` is the JSON contract (``souverain audit --format json``);
:func:`matrix_rows` and :func:`reason_rows` flatten it for CSV and spreadsheets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from souverain import __version__
from souverain.core.scenarios.findings import Chain, Dependence
from souverain.core.scoring.audit import AuditResult, Dependency, Reason
from souverain.core.scoring.context import Entity, chain_text
from souverain.core.scoring.methodology import AXES
from souverain.core.vocabulary import LEVELS
from souverain.exporters.graph_findings import dependence_sentence
from souverain.i18n import Lang, counted, label
from souverain.wording import say_duration


def _entity(entity: Entity) -> dict[str, Any]:
    # depth: steps up from the provider; joint owners of one entity share a depth.
    return {
        "id": entity.id,
        "name": entity.name,
        "country": entity.country,
        "depth": entity.depth,
    }


def country_name(result: AuditResult, code: str | None, lang: Lang) -> str:
    """A country as a reader names it ("États-Unis"), from the catalog the audit used;
    the code when the catalog does not know it, "?" when unknown."""
    jurisdiction = result.catalog.jurisdictions.get(code) if result.catalog and code else None
    if jurisdiction is None:
        return code or "?"
    return jurisdiction.name.get(lang) or jurisdiction.name.get("en") or code or "?"


def reason_document(reason: Reason, lang: Lang) -> dict[str, Any]:
    """One reason: its words, its rule and predicate, and the evidence behind it: the
    main fact (``ref``, ``source``, ``as_of``) and every fact it used (``evidence``)."""
    ref, source, as_of = reason.evidence
    day = as_of.isoformat() if as_of else None
    cited = reason.cited
    return {
        "text": reason.text(lang),
        "rule": reason.rule,
        "score": reason.score,
        "not_assessed": reason.not_assessed,
        "ref": ref,
        "source": source,
        "as_of": day,
        "predicate": reason.predicate,
        # reason.facts: cited, or the main fact alone (a large audit has over a hundred
        # thousand reasons, most resting on their main fact only)
        "evidence": [
            {"ref": fact.ref, "source": fact.source, "as_of": fact.as_of.isoformat()}
            if fact.as_of
            else {"ref": fact.ref, "source": fact.source, "as_of": None}
            for fact in cited
        ]
        if cited
        else [{"ref": ref, "source": source, "as_of": day}],
    }


def exit_word(value: bool | None) -> str:
    """The label of a three-valued exit verdict: yes, no, or unknown."""
    return "unknown" if value is None else "yes" if value else "no"


def dependency_document(rank: int, dep: Dependency, lang: Lang) -> dict[str, Any]:
    """One row of the matrix as JSON data."""
    return {
        "rank": rank,
        "asset": dep.asset,
        "name": dep.name,
        "category": dep.category,
        "provider": dep.provider,
        "provider_name": dep.provider_name,
        "owner_chain": [_entity(e) for e in dep.owner_chain],
        "gravity": dep.gravity,
        "gravity_process": dep.gravity_process,
        "level": dep.level,
        "provisional": dep.provisional,
        "level_if_confirmed": dep.level_if_confirmed,
        "band": dep.band,
        "coverage": dep.coverage,
        "unknown_axes": list(dep.unknown_axes),
        "exposure_score": dep.exposure_score,
        "exposure": {
            axis: {
                "score": dep.exposure[axis].score,
                "assessed_score": dep.assessed.get(axis, dep.exposure[axis].score),
                "reasons": [reason_document(r, lang) for r in dep.exposure[axis].reasons],
            }
            for axis in AXES
        },
        "exit": {
            "readiness": dep.exit.readiness,
            "can_exit_within_max_downtime": dep.exit.can_exit_within_max_downtime,
            "time_to_exit": str(dep.exit.time_to_exit) if dep.exit.time_to_exit else None,
            "max_downtime": str(dep.exit.max_downtime) if dep.exit.max_downtime else None,
            "reasons": [reason_document(r, lang) for r in dep.exit.reasons],
        },
        "survivability": dep.exit.survivability.document() if dep.exit.survivability else None,
    }


def summary_document(result: AuditResult, lang: Lang) -> dict[str, Any]:
    deps = result.dependencies
    confirmed = Counter(d.level_if_confirmed for d in deps)
    unknown = Counter(a for d in deps for a in d.unknown_axes)
    return {
        "dependencies": len(deps),
        "levels": result.counts(),
        "provisional": sum(1 for d in deps if d.provisional),
        "levels_if_confirmed": {level: confirmed.get(level, 0) for level in reversed(LEVELS)},
        "coverage": round(sum(d.coverage for d in deps) / len(deps), 2) if deps else 1.0,
        "unknowns": {axis: unknown.get(axis, 0) for axis in AXES},
        "not_assessed": sum(
            1 for d in deps for axis in d.exposure.values() for r in axis.reasons if r.not_assessed
        ),
        "cannot_exit_in_time": sum(
            1
            for d in deps
            if d.gravity in ("vital", "important") and d.exit.can_exit_within_max_downtime is False
        ),
        "exit_in_time_unknown": sum(
            1
            for d in deps
            if d.gravity in ("vital", "important") and d.exit.can_exit_within_max_downtime is None
        ),
        "concentration": [
            {
                "group": c.group,
                "name": c.name,
                "country": c.country,
                "count": c.count,
                "total": c.total,
                "text": counted(
                    lang,
                    "concentration_line",
                    c.count,
                    name=c.name,
                    country=country_name(result, c.country, lang),
                    count=c.count,
                    total=c.total,
                ),
            }
            for c in result.concentration
        ],
        **graph_summary(result, lang),
    }


def graph_summary(result: AuditResult, lang: Lang) -> dict[str, Any]:
    """Single points of failure, dependence on one loss, nth-party chains."""
    found = result.graph
    if found is None:
        return {
            "single_points_of_failure": [],
            "dependence": [],
            "home_dependence": [],
            "nth_party_chains": [],
            "riskiest_chains": [],
        }
    return {
        "single_points_of_failure": [
            {
                "process": s.process,
                "name": s.name,
                "criticality": s.criticality,
                "points": [{"kind": p.kind, "id": p.id, "name": p.name} for p in s.points],
            }
            for s in found.single_points_of_failure
        ],
        "dependence": [_dependence(d, lang) for d in found.dependence],
        # The laws of the home country (and the EU/EEA's for an EU/EEA organisation): a
        # resilience metric, not a foreign reach (docs/scenarios.md).
        "home_dependence": [_dependence(d, lang) for d in found.home_dependence],
        "nth_party_chains": [_chain(c) for c in found.chains],
        "riskiest_chains": [_chain(c) for c in found.risky_chains],
    }


def _dependence(d: Dependence, lang: Lang) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "id": d.id,
        "name": d.name,
        "vital": d.vital,
        "vital_total": d.vital_total,
        "important": d.important,
        "important_total": d.important_total,
        "text": dependence_sentence(d, lang),
    }


def _chain(chain: Chain) -> dict[str, Any]:
    return {
        "process": chain.process,
        "asset": chain.asset,
        "providers": list(chain.providers),
        "party": chain.party,
        "reached_by_foreign_law": list(chain.reached),
    }


def audit_document(result: AuditResult, lang: Lang) -> dict[str, Any]:
    """The whole audit as the stable JSON object."""
    document = audit_head(result, lang)
    document["dependencies"] = list(dependency_documents(result, lang))
    return document


def audit_head(result: AuditResult, lang: Lang) -> dict[str, Any]:
    """The JSON object without its dependencies: ``dependencies`` is an empty list, in
    its place, to be filled from :func:`dependency_documents`."""
    return {
        "souverain": __version__,
        "methodology": methodology_document(result),
        "date": result.today.isoformat(),
        "lang": lang,
        "organisation": result.estate.organisation.model_dump(mode="json"),
        "summary": summary_document(result, lang),
        "dependencies": [],
        "providers": [
            {
                "id": p.id,
                "name": p.name,
                "country": p.country,
                "gravity": p.gravity,
                "gravity_process": p.gravity_process,
                "owner_chain": [_entity(e) for e in p.owner_chain],
            }
            for p in result.providers
        ],
    }


def methodology_document(result: AuditResult) -> dict[str, Any]:
    """The methodology's name and how it reads a level: the cut-offs of the exposure
    band (``levels``) and the risk matrix (docs/methodology.md, "Levels")."""
    method = result.methodology
    return {
        "id": method.id,
        "version": method.version,
        "levels": method.levels.model_dump(mode="json"),
        "risk_matrix": {g: list(row) for g, row in method.risk_matrix.items()},
    }


def dependency_documents(result: AuditResult, lang: Lang) -> Iterator[dict[str, Any]]:
    """The matrix's rows as JSON data, one at a time, in rank order."""
    for rank, dep in enumerate(result.dependencies, 1):
        yield dependency_document(rank, dep, lang)


def main_reason(dep: Dependency, lang: Lang) -> str:
    """The weightiest assessed reason of the worst axis on its assessed findings (the
    findings the level is read from), for one-line views; when nothing is assessed,
    the weightiest reason of the worst axis."""
    axis = max(AXES, key=lambda a: dep.assessed.get(a, dep.exposure[a].score))
    if dep.assessed.get(axis, dep.exposure[axis].score) > 0:
        for reason in dep.exposure[axis].reasons:  # worst first
            if not reason.not_assessed:
                return reason.text(lang)
    axis = max(AXES, key=lambda a: dep.exposure[a].score)
    reasons = dep.exposure[axis].reasons
    return reasons[0].text(lang) if reasons else ""


def percent(value: float, lang: Lang) -> str:
    """A share as people write it: 58% in English, 58 % in French."""
    return f"{value * 100:.0f}{' %' if lang == 'fr' else '%'}"


def matrix_header(result: AuditResult, lang: Lang) -> list[str]:
    """Column titles of :func:`matrix_rows`."""
    axes = [result.methodology.axes[a].name.get(lang, a) for a in AXES]
    keys = [
        "rank",
        "asset",
        "category",
        "provider",
        "owner_chain",
        "gravity",
        "gravity_process",
        "level",
        "provisional",
        "level_if_confirmed",
        "coverage",
        "exposure",
    ]
    tail = ["exit_readiness", "can_exit", "time_to_exit", "max_downtime", "reasons"]
    return [label(lang, k) for k in keys] + axes + [label(lang, k) for k in tail]


def matrix_rows(result: AuditResult, lang: Lang) -> list[list[Any]]:
    """One row per dependency, values typed (numbers stay numbers)."""
    rows = []
    for rank, dep in enumerate(result.dependencies, 1):
        rows.append(
            [
                rank,
                dep.asset,
                dep.category or "",
                dep.provider_name or "",
                chain_text(dep.owner_chain, lambda e: f"{e.name} ({e.country or '?'})"),
                label(lang, f"gravity_{dep.gravity}"),
                dep.gravity_process or "",
                label(lang, f"level_{dep.level}"),
                label(lang, "yes" if dep.provisional else "no"),
                label(lang, f"level_{dep.level_if_confirmed}"),
                dep.coverage,
                dep.exposure_score,
                *[dep.exposure[a].score for a in AXES],
                dep.exit.readiness,
                label(lang, exit_word(dep.exit.can_exit_within_max_downtime)),
                say_duration(dep.exit.time_to_exit, lang) if dep.exit.time_to_exit else "",
                say_duration(dep.exit.max_downtime, lang) if dep.exit.max_downtime else "",
                main_reason(dep, lang),
            ]
        )
    return rows


def reasons_header(lang: Lang) -> list[str]:
    return [
        label(lang, k)
        for k in (
            "asset",
            "axis",
            "score",
            "reasons",
            "not_assessed",
            "evidence",
            "source",
            "as_of",
        )
    ]


def reason_rows(result: AuditResult, lang: Lang) -> list[list[Any]]:
    """One row per reason, exit readiness included, in matrix order."""
    rows: list[list[Any]] = []
    yes, no = label(lang, "yes"), label(lang, "no")
    for dep in result.dependencies:
        groups = [
            (result.methodology.axes[a].name.get(lang, a), dep.exposure[a].reasons) for a in AXES
        ]
        groups.append((label(lang, "exit_readiness"), dep.exit.reasons))
        for axis_name, reasons in groups:
            for reason in reasons:
                rows.append(
                    [
                        dep.asset,
                        axis_name,
                        reason.score,
                        reason.text(lang),
                        yes if reason.not_assessed else no,
                        reason.evidence.ref,
                        reason.evidence.source or "",
                        reason.evidence.as_of.isoformat() if reason.evidence.as_of else "",
                    ]
                )
    return rows
