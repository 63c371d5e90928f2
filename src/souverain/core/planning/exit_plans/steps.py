"""A plan's ordered steps and the skills it needs, from its :class:`Facts`."""

from __future__ import annotations

from souverain.core.estate.duration import Duration
from souverain.core.estate.model import requirement_ids
from souverain.core.phrase import Phrase, duration_words, phrase
from souverain.core.planning.exit_plans.choice import category_name
from souverain.core.planning.exit_plans.facts import Facts, hosting_of
from souverain.core.planning.exit_plans.model import (
    Param,
    Skill,
    Step,
    listed,
)
from souverain.core.vocabulary import MASTERY, OFF_PREMISE


def steps_of(f: Facts) -> list[Step]:
    name = f.dep.name
    asset_ref = f"assets[{f.asset.id}]"
    steps: list[Step] = []
    links = [*f.context.users.get(f.asset.id, ()), *requirement_ids(f.asset.depends_on)]
    links_text: Param = listed(links) if links else phrase("none-recorded")
    if f.holds_data is False:
        steps.append(
            Step("inventory", phrase("inventory-no-data", name=name, links=links_text), None)
        )
    else:
        data: Param = listed(f.asset.data) if f.asset.data else phrase("not-recorded")
        steps.append(
            Step(
                "inventory",
                phrase("inventory", name=name, data=data, links=links_text),
                None,
                f"{asset_ref}.data",
            )
        )
    if f.contract is None:
        steps.append(
            Step("contract", phrase("no-contract-step", name=name), None, f"{asset_ref}.contract")
        )
    if f.holds_data is not False:
        steps.append(_export_step(f))
    notice_step = _notice_step(f) if f.contract is not None else None
    if notice_step is not None and f.notice_longer:
        steps.append(notice_step)
    if f.choice.product is None:
        if f.choice.unmatched:
            text = phrase("choose-unmatched", wanted=f.choice.unmatched)
        elif not f.dep.category:
            text = phrase("choose-no-category", name=name)
        else:
            text = phrase(
                "choose-none",
                name=name,
                category=category_name(f.dep.category, f.context.catalog),
            )
        steps.append(Step("choose-alternative", text, None, f"{asset_ref}.exit.alternative"))
    steps.append(
        Step(
            "pilot",
            phrase("pilot", target=f.target, how=_pilot_how(f), process=f.process),
        )
    )
    if f.contract is not None:
        assistance = f.clause("exit_assistance")
        key = {True: "assistance-yes", False: "assistance-no", None: "assistance-unknown"}
        provider = f" ({f.dep.provider_name})" if f.dep.provider_name else ""
        steps.append(
            Step(
                "exit-assistance",
                phrase(key[assistance], contract=f.contract.id, provider=provider),
                None,
                f.clause_ref("exit_assistance"),
            )
        )
    if f.holds_data is not False:
        steps.append(
            Step(
                "migrate",
                phrase("migrate", name=name, target=f.target, formats=f.formats_suffix()),
            )
        )
    steps.append(Step("train", _train_text(f), None, f"{asset_ref}.skills"))
    if notice_step is not None and not f.notice_longer:
        steps.append(notice_step)
    steps.append(Step("switch", _switch_text(f), None, f"{asset_ref}.exit"))
    steps.append(_decommission_step(f))
    return steps


def _export_step(f: Facts) -> Step:
    export = f.export
    name = f.dep.name
    how = _export_how(f.deployment)
    portability: Param = ""
    if f.contract is not None and f.clause("data_portability") is not None:
        key = "portability-yes" if f.clause("data_portability") else "portability-no"
        portability = phrase(key, contract=f.contract.id)
    params: dict[str, Param] = {"name": name, "how": how, "portability": portability}
    if export.open_export is None:
        return Step("export-test", phrase("export-unknown", **params), None, export.source)
    if not export.formats:
        return Step("export-test", phrase("export-none", **params), None, export.source)
    if not export.open_export:
        text = phrase("export-closed", formats=", ".join(export.formats), **params)
        return Step("export-test", text, None, export.source)
    formats = ", ".join(f.open_formats)
    ref = f"assets[{f.asset.id}].exit.export_tested"
    if export.tested is None or export.tested_days_ago is None:
        text = phrase("export-untested", formats=formats, target=f.target, **params)
        return Step("export-test", text, None, export.source)
    when = {"when": export.tested.isoformat(), "days": str(export.tested_days_ago)}
    if export.tested_days_ago <= f.context.recent_days:
        text = phrase("export-recent", target=f.target, **when, **params)
    else:
        text = phrase("export-old", formats=formats, **when, **params)
    return Step("export-test", text, None, ref)


def _export_how(deployment: str | None) -> Param:
    if deployment in OFF_PREMISE:
        return phrase("how-saas")
    if deployment == "on-premise":
        return phrase("how-on-premise")
    return ""


def _pilot_how(f: Facts) -> Param:
    hosting = hosting_of(f.alternative_product)
    return phrase(f"pilot-{hosting}") if hosting else ""


def _notice_step(f: Facts) -> Step:
    assert f.contract is not None
    ends = f.contract.ends
    end: Param = phrase("notice-end", ends=ends.isoformat()) if ends else ""
    ref = f.clause_ref("termination_notice_days")
    params: dict[str, Param] = {"contract": f.contract.id, "end": end}
    if f.notice is None:
        return Step("notice", phrase("notice-unknown", **params), None, ref)
    if f.notice == 0:
        return Step("notice", phrase("notice-none", **params), 0, ref)
    days = duration_words(Duration.of_days(f.notice))
    if f.notice_longer:
        assert f.duration is not None
        text = phrase("notice-first", days=days, duration=duration_words(f.duration), **params)
    else:
        text = phrase("notice-before-switch", days=days, **params)
    return Step("notice", text, f.notice, ref)


def _train_text(f: Facts) -> Phrase:
    mastery = f.asset.skills
    suffix: Param = ""
    if mastery is None:
        suffix = phrase("train-unknown", name=f.dep.name)
    elif mastery in ("none", "low"):
        suffix = phrase("train-weak", name=f.dep.name, mastery=phrase(f"mastery-{mastery}"))
    return phrase("train", process=f.process, target=f.target, mastery=suffix)


def _switch_text(f: Facts) -> Phrase:
    max_downtime = f.dep.exit.max_downtime
    window: Param
    if f.fits is None or (max_downtime is not None and f.duration is None):
        # (it may fit for another reason: it outlives its licensor on premises)
        window = phrase("switch-unknown")
    elif f.fits and max_downtime is None:
        window = phrase("switch-free")
    else:
        key = "switch-fits" if f.fits else "switch-too-long"
        assert f.duration is not None and max_downtime is not None
        window = phrase(
            key, duration=duration_words(f.duration), max_downtime=duration_words(max_downtime)
        )
    return phrase("switch", process=f.process, target=f.target, window=window)


def _decommission_step(f: Facts) -> Step:
    name = f.dep.name
    if f.holds_data is False:
        return Step("decommission", phrase("decommission-no-data", name=name))
    formats = f.formats_suffix(first_only=True)
    if f.deployment in OFF_PREMISE:
        provider = f" ({f.dep.provider_name})" if f.dep.provider_name else ""
        text = phrase("decommission-cloud", name=name, provider=provider, formats=formats)
    elif f.deployment == "on-premise":
        text = phrase("decommission-on-premise", name=name, formats=formats)
    else:
        text = phrase("decommission", name=name, formats=formats)
    return Step("decommission", text)


def skills_of(f: Facts) -> list[Skill]:
    catalog = f.context.catalog
    category = category_name(f.dep.category, catalog)
    product = f.alternative_product
    skills: list[Skill] = []
    if f.choice.name:
        if product is not None:
            category = category_name(product.category, catalog)
        skills.append(
            Skill("product", phrase("skill-product", target=f.choice.name, category=category))
        )
    else:
        skills.append(Skill("product", phrase("skill-product-unknown", category=category)))
    hosting = hosting_of(product)
    if hosting == "self" or (hosting == "both" and f.deployment == "on-premise"):
        # self-hosted for sure, or as the organisation runs the current one
        skills.append(Skill("self-hosting", phrase("skill-self-hosting")))
    if f.holds_data is not False:
        skills.append(
            Skill("data-migration", phrase("skill-data-migration", formats=f.formats_suffix()))
        )
    mastery = f.asset.skills
    skills.append(
        Skill(
            "mastery",
            phrase(f"skill-mastery-{mastery or 'unknown'}", name=f.dep.name),
            mastery,
            f"assets[{f.asset.id}].skills",
        )
    )
    if f.choice.product:
        running = [a for a in f.context.by_product.get(f.choice.product, ()) if a.id != f.asset.id]
        if running:
            best = max(running, key=lambda a: MASTERY.index(a.skills) if a.skills else -1)
            skills.append(
                Skill(
                    "in-use",
                    phrase(
                        "skill-in-use",
                        target=f.choice.name or f.choice.product,
                        assets=listed([a.name or a.id for a in running]),
                        mastery=phrase(f"mastery-{best.skills}")
                        if best.skills
                        else phrase("not-assessed"),
                    ),
                    best.skills,
                    f"assets[{best.id}].skills",
                )
            )
    return skills
