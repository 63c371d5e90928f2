"""The exit plans of an audit (docs/exit-plans.md): :func:`exit_plans`, one
:class:`~souverain.core.planning.exit_plans.model.ExitPlan` per vital or important
dependency, riskiest first (the audit's ranking).

Each plan's alternative comes from :mod:`.choice`, its steps and skills from
:mod:`.steps`, its contract steps from :mod:`.contract`; the export, the exit duration
and the downtime verdict are read here from the estate, the catalog and the audit.
Nothing is invented: where a figure is missing, the plan says so.
"""

from __future__ import annotations

from datetime import date

from souverain.core.catalog.model import Catalog, Product
from souverain.core.estate.duration import Duration
from souverain.core.estate.model import Asset
from souverain.core.phrase import duration_words, given, phrase
from souverain.core.planning.exit_plans.choice import choose
from souverain.core.planning.exit_plans.context import PlanContext
from souverain.core.planning.exit_plans.contract import contract_steps
from souverain.core.planning.exit_plans.facts import Facts
from souverain.core.planning.exit_plans.model import ExitPlan, Export, Note
from souverain.core.planning.exit_plans.steps import skills_of, steps_of
from souverain.core.planning.radar import Radar
from souverain.core.scoring.audit import AuditResult, Dependency, Reason
from souverain.core.vocabulary import GRAVE, LANGS


def exit_plans(result: AuditResult, catalog: Catalog, radar: Radar | None = None) -> list[ExitPlan]:
    """An exit plan for every vital or important dependency, riskiest first.

    The candidate alternatives are those of the alternatives radar; a caller that has
    worked it out already (``radar_for("alternatives", result, catalog)``) passes it
    as ``radar`` rather than have it worked out again.
    """
    grave = [d for d in result.dependencies if d.gravity in GRAVE]
    if not grave:
        return []
    context = PlanContext.build(result, catalog, radar)
    return [_exit_plan(dep, context) for dep in grave]


def _exit_plan(dep: Dependency, context: PlanContext) -> ExitPlan:
    catalog = context.catalog
    asset = context.assets[dep.asset]
    product = catalog.products.get(asset.product) if asset.product else None
    contract = context.contracts.get(asset.contract) if asset.contract else None
    deployment = _deployment(asset, product)
    holds_data = _holds_data(asset, dep.category, catalog)
    choice = choose(dep, asset, context)
    export = _export(asset, product, catalog, context.result.today)
    duration = dep.exit.time_to_exit
    duration_source, duration_note = _duration_source(asset, duration, context)
    fits, fits_note = _fits_max_downtime(dep)
    clauses = contract.clauses if contract else None
    notice = clauses.termination_notice_days if clauses else None
    notice_longer = None if notice is None or duration is None else notice > duration.days
    facts = Facts(
        dep,
        asset,
        context,
        contract,
        deployment,
        holds_data,
        choice,
        export,
        duration,
        notice,
        notice_longer,
        fits,
    )
    return ExitPlan(
        asset=dep.asset,
        name=dep.name,
        gravity=dep.gravity,
        process=dep.gravity_process,
        provider=dep.provider,
        alternative=choice.product,
        alternative_name=choice.name,
        alternative_ring=choice.ring,
        alternatives_considered=choice.considered,
        export=export,
        steps=tuple(steps_of(facts)),
        skills=tuple(skills_of(facts)),
        contract_steps=tuple(contract_steps(facts)),
        duration=duration,
        duration_source=duration_source,
        notice_days=notice,
        notice_longer_than_work=notice_longer,
        fits_max_downtime=fits,
        max_downtime=dep.exit.max_downtime,
        reasons=(*choice.notes, duration_note, *fits_note),
        process_name=context.process_names.get(dep.gravity_process or ""),
        provider_name=dep.provider_name,
        deployment=deployment,
    )


def _deployment(asset: Asset, product: Product | None) -> str | None:
    """The asset's deployment, or its catalog product's when it has only one."""
    if asset.deployment:
        return asset.deployment
    if product and product.deployments and len(product.deployments.value) == 1:
        return product.deployments.value[0]
    return None


def _holds_data(asset: Asset, category: str | None, catalog: Catalog) -> bool | None:
    if asset.data is not None:
        return bool(asset.data)
    entry = catalog.categories.get(category) if category else None
    return False if entry is not None and not entry.holds_data else None


def _export(asset: Asset, product: Product | None, catalog: Catalog, today: date) -> Export:
    tested = asset.exit.export_tested if asset.exit else None
    age = (today - tested).days if tested else None
    if asset.exports is not None:
        formats, source = list(asset.exports), f"assets[{asset.id}].exports"
    elif product is not None and product.exports is not None:
        formats, source = list(product.exports.value), f"catalog product {product.id}: exports"
    else:
        return Export((), None, f"assets[{asset.id}].exports", tested, age)
    opened: list[str] = []
    closed: list[str] = []
    for name in formats:
        standard = catalog.standard(name)
        if standard is not None and standard.open.value:
            opened.append(standard.id)
        else:
            closed.append(standard.id if standard else name)
    return Export(tuple(dict.fromkeys(opened + closed)), bool(opened), source, tested, age)


def _duration_source(
    asset: Asset, duration: Duration | None, context: PlanContext
) -> tuple[str | None, Note]:
    """Where the audit's time to exit comes from (it is never made up here)."""
    plan = asset.exit
    if duration is None or plan is None:
        return None, Note(phrase("duration-unknown"), f"assets[{asset.id}].exit")
    if plan.duration is not None:
        ref = f"assets[{asset.id}].exit.duration"
        return ref, Note(phrase("duration-given", duration=duration_words(duration)), ref)
    ref = f"assets[{asset.id}].exit.effort_days"
    people = context.result.methodology.exit.people_on_exit
    text = phrase(
        "duration-effort",
        duration=duration_words(duration),
        effort=f"{plan.effort_days:g}",
        people=f"{people:g}",
    )
    return ref, Note(text, ref)


def _fits_max_downtime(dep: Dependency) -> tuple[bool | None, tuple[Note, ...]]:
    """The audit's verdict (``scoring.score.exit_readiness``), None when not assessed."""
    verdict: Reason | None = next(
        (r for r in reversed(dep.exit.reasons) if r.predicate is None), None
    )
    if verdict is None:
        return dep.exit.can_exit_within_max_downtime, ()
    note = Note(
        given({lang: verdict.text(lang) for lang in LANGS}),
        verdict.evidence.ref,
        verdict.evidence.source,
        verdict.evidence.as_of,
    )
    return dep.exit.can_exit_within_max_downtime, (note,)
