"""The steps of a plan: concrete, ordered, adapted to the case (SaaS or on-premise,
export tested or not, contract terms, data held or not)."""

from __future__ import annotations

from datetime import date
from typing import Any

from souverain.core.planning.exit_plans import ExitPlan, Step
from tests.conftest import TODAY
from tests.exit_plans.conftest import PlanOf, said

VENDOR = [{"id": "vendor", "name": "Vendor SAS", "country": "FR"}]


def kinds(plan: ExitPlan) -> list[str]:
    return [s.kind for s in plan.steps]


def step(plan: ExitPlan, kind: str) -> Step:
    found = [s for s in plan.steps if s.kind == kind]
    assert found, f"no {kind} step among {kinds(plan)}"
    return found[0]


def contract(**clauses: Any) -> list[dict[str, Any]]:
    return [{"id": "c-app", "provider": "vendor", "ends": "2028-06-30", "clauses": clauses}]


def test_a_saas_exit_goes_through_the_provider(plan_of: PlanOf) -> None:
    plan = plan_of(category="crm", deployment="saas", exports=["csv"], data=["customers"])
    assert kinds(plan) == [
        "inventory",
        "contract",  # no contract linked: find it first
        "export-test",
        "pilot",
        "migrate",
        "train",
        "switch",
        "decommission",
    ]
    assert "export function or API of the provider" in said(step(plan, "export-test").text)["en"]
    decommission = said(step(plan, "decommission").text)["en"]
    assert decommission.startswith(
        "Once the final export is checked, close the Application accounts"
    )
    assert "keep an archive in csv" in decommission


def test_an_on_premise_exit_extracts_and_uninstalls(plan_of: PlanOf) -> None:
    plan = plan_of(category="crm", deployment="on-premise", exports=["csv"], data=["customers"])
    assert "database extraction" in said(step(plan, "export-test").text)["en"]
    assert said(step(plan, "decommission").text)["en"] == (
        "Keep an archived copy of the data in csv, then uninstall Application, free its servers "
        "and end its licences and maintenance."
    )
    # BigCRM runs only as a service: no self-hosting skill is asked for
    assert "self-hosting" not in [s.kind for s in plan.skills]


def test_the_deployment_may_come_from_the_catalog_product(plan_of: PlanOf) -> None:
    plan = plan_of(product="crm-current")  # deployments: [saas]; category crm from the product
    assert plan.alternative == "crm-adopt-us"
    assert "export function or API of the provider" in said(step(plan, "export-test").text)["en"]
    assert plan.export.source == "catalog product crm-current: exports"


def test_an_untested_open_export_is_to_be_tested(plan_of: PlanOf) -> None:
    plan = plan_of(category="crm", exports=["vendor-dump", "CSV", "xlsx"])
    assert plan.export.formats == ("csv", "xlsx", "vendor-dump")  # ids, open ones first
    assert plan.export.open_export is True
    assert plan.export.source == "assets[app].exports"
    assert said(step(plan, "export-test").text)["en"].startswith(
        "Test a full export of Application in csv, xlsx and check that BigCRM can read it back."
    )
    assert said(step(plan, "migrate").text)["en"].startswith(
        "Migrate the data of Application to BigCRM in csv, xlsx"
    )


def test_a_recently_tested_export_is_repeated_before_migrating(plan_of: PlanOf) -> None:
    tested = date(2026, 9, 1)
    plan = plan_of(category="crm", exports=["csv"], exit={"export_tested": tested})
    text = step(plan, "export-test")
    days = (TODAY - tested).days
    assert said(text.text)["en"].startswith(
        f"The export was tested on 2026-09-01 ({days} days ago): repeat it"
    )
    assert text.ref == "assets[app].exit.export_tested"
    assert (plan.export.tested, plan.export.tested_days_ago) == (tested, days)


def test_an_export_tested_long_ago_is_tested_again(plan_of: PlanOf) -> None:
    plan = plan_of(category="crm", exports=["csv"], exit={"export_tested": date(2024, 1, 15)})
    assert said(step(plan, "export-test").text)["en"].startswith(
        "The last export test dates from 2024-01-15 (1043 days ago): "
        "test a full export in csv again"
    )


def test_closed_missing_and_unknown_exports(plan_of: PlanOf) -> None:
    closed = plan_of(category="crm", exports=["vendor-dump"])
    assert closed.export.open_export is False
    assert "only in closed formats (vendor-dump)" in said(step(closed, "export-test").text)["en"]
    none = plan_of(category="crm", exports=[])
    assert none.export.open_export is False and none.export.formats == ()
    assert "offers no data export" in said(step(none, "export-test").text)["en"]
    unknown = plan_of(category="crm")
    assert unknown.export.open_export is None
    assert said(step(unknown, "export-test").text)["en"].startswith("Find out in which formats")


def test_an_asset_holding_no_data_has_no_export_or_migration(plan_of: PlanOf) -> None:
    plan = plan_of(category="site")
    assert "export-test" not in kinds(plan) and "migrate" not in kinds(plan)
    assert said(step(plan, "decommission").text)["en"] == (
        "Shut Application down and end its licences, accounts and contracts."
    )


def test_the_inventory_names_data_and_integrations(plan_of: PlanOf) -> None:
    plan = plan_of(category="crm", data=["customers", "orders"])
    assert said(step(plan, "inventory").text)["en"] == (
        "List the data Application holds (customers, orders) and its integrations (Ventes), "
        "with the owner of each."
    )


def test_a_long_notice_is_given_early(plan_of: PlanOf) -> None:
    plan = plan_of(
        category="crm",
        deployment="saas",
        exports=["csv"],
        contract="c-app",
        provider="vendor",
        providers=VENDOR,
        contracts=contract(
            termination_notice_days=180, exit_assistance=True, data_portability=True
        ),
        exit={"duration": "6w"},
    )
    assert kinds(plan) == [
        "inventory",
        "export-test",
        "notice",  # 180 days of notice, 42 days of work: give notice first
        "pilot",
        "exit-assistance",
        "migrate",
        "train",
        "switch",
        "decommission",
    ]
    notice = step(plan, "notice")
    assert notice.days == 180
    assert notice.ref == "contracts[c-app].clauses.termination_notice_days"
    assert said(notice.text)["en"] == (
        "Give notice on contract c-app early: its notice period (180 days) is longer than the "
        "estimated 6 weeks of work; otherwise it runs until 2028-06-30."
    )
    assert said(step(plan, "exit-assistance").text)["en"].startswith(
        "Call on the exit assistance granted by contract c-app (Vendor SAS)"
    )
    assert "grants data portability: invoke it" in said(step(plan, "export-test").text)["en"]


def test_a_short_notice_is_given_before_the_switch(plan_of: PlanOf) -> None:
    plan = plan_of(
        category="crm",
        contract="c-app",
        provider="vendor",
        providers=VENDOR,
        contracts=contract(
            termination_notice_days=30, exit_assistance=False, data_portability=False
        ),
        exit={"effort_days": 60},
    )
    assert kinds(plan)[-4:] == ["train", "notice", "switch", "decommission"]
    assert said(step(plan, "notice").text)["en"].startswith(
        "Give notice on contract c-app at the latest 30 days before the planned switch-over"
    )
    assert said(step(plan, "exit-assistance").text)["en"].startswith(
        "Contract c-app grants no exit assistance"
    )
    assert (
        "no data portability: secure the export before giving notice"
        in said(step(plan, "export-test").text)["en"]
    )


def test_an_unknown_notice_is_to_be_found(plan_of: PlanOf) -> None:
    plan = plan_of(
        category="crm", contract="c-app", provider="vendor", providers=VENDOR, contracts=contract()
    )
    notice = step(plan, "notice")
    assert notice.days is None
    assert said(notice.text)["en"].startswith(
        "Find the notice period of contract c-app (not recorded)"
    )
    assert said(step(plan, "exit-assistance").text)["en"].startswith(
        "Check whether contract c-app grants"
    )


def test_switch_over_against_the_max_downtime(plan_of: PlanOf) -> None:
    fits = plan_of(category="crm", max_downtime="2w", exit={"duration": "5d"})
    assert said(step(fits, "switch").text)["en"] == (
        "Switch Ventes over to BigCRM: the estimated 5 days fits within its max downtime "
        "of 2 weeks."
    )
    too_long = plan_of(category="crm", max_downtime="8h", exit={"duration": "5d"})
    assert "running both side by side" in said(step(too_long, "switch").text)["en"]
    unknown = plan_of(category="crm", max_downtime="8h")
    assert "cannot be checked" in said(step(unknown, "switch").text)["en"]


def test_skills_name_the_alternative_and_the_in_house_mastery(plan_of: PlanOf) -> None:
    plan = plan_of(category="crm", skills="low", exit={"alternative": "crm-libre"})
    by_kind = {s.kind: s for s in plan.skills}
    assert list(by_kind) == ["product", "self-hosting", "data-migration", "mastery"]
    assert said(by_kind["product"].text)["en"] == (
        "Customer relationship management: use and administration of LibreCRM."
    )
    assert by_kind["mastery"].mastery == "low"
    assert by_kind["mastery"].ref == "assets[app].skills"
    assert "low: train the team or bring in an integrator" in said(by_kind["mastery"].text)["en"]
    assert "in-house mastery of Application is low" in said(step(plan, "train").text)["en"]
    unknown = plan_of(category="crm")
    assert (
        "is not assessed" in said(next(s for s in unknown.skills if s.kind == "mastery").text)["en"]
    )


def test_skills_build_on_a_team_that_already_runs_the_alternative(plans_of: Any) -> None:
    plans = plans_of(
        processes=[{"id": "sales", "criticality": "vital", "depends_on": ["crm"]}],
        assets=[
            {"id": "crm", "category": "crm", "skills": "none"},
            {"id": "crm-lab", "name": "CRM lab", "product": "crm-adopt-us", "skills": "high"},
        ],
    )
    plan = plans[0]
    assert plan.alternative == "crm-adopt-us"
    in_use = next(s for s in plan.skills if s.kind == "in-use")
    assert in_use.mastery == "high"
    assert said(in_use.text)["en"] == (
        "BigCRM already runs here (CRM lab), in-house mastery high: build on that team."
    )
    assert (
        "No in-house mastery of crm"
        in said(next(s for s in plan.skills if s.kind == "mastery").text)["en"]
    )


def test_plans_past_the_detailed_ones_keep_everything_but_their_steps() -> None:
    """pipeline.detailed_first, as the report asks: the first n plans whole, the
    others without steps, skills and contract steps, and otherwise the same."""
    from dataclasses import replace
    from pathlib import Path

    from souverain.core.planning.exit_plans import exit_plans
    from souverain.core.scoring.audit import audit
    from souverain.importers.estate import load_estate
    from souverain.pipeline import detailed_first
    from souverain.resources import load_catalog, load_methodology
    from tests.conftest import TODAY

    path = Path(__file__).resolve().parents[2] / "examples" / "assurance-mutuelle.yaml"
    catalog = load_catalog()
    result = audit(load_estate(path), load_methodology(), catalog, TODAY)
    whole = exit_plans(result, catalog)
    light = detailed_first(whole, 3)
    assert len(whole) == len(light) > 3
    assert light[:3] == whole[:3]
    for full, short in zip(whole[3:], light[3:], strict=True):
        assert full.steps and not short.steps and not short.skills and not short.contract_steps
        assert short == replace(full, steps=(), skills=(), contract_steps=())
