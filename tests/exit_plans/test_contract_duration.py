"""Contract steps from the clauses, the duration from the estate (never invented), and
whether leaving fits within the max downtime (the audit's own verdict)."""

from __future__ import annotations

from typing import Any

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.estate.duration import Duration
from souverain.core.planning.exit_plans import ContractStep, ExitPlan, duration_words, exit_plans
from souverain.core.scoring.methodology import Methodology
from tests.exit_plans.conftest import AuditWith, PlanOf, said

VENDOR = [{"id": "vendor", "name": "Vendor SAS", "country": "FR"}]


def with_contract(plan_of: PlanOf, ends: str | None = "2028-06-30", **clauses: Any) -> ExitPlan:
    contract: dict[str, Any] = {"id": "c-app", "provider": "vendor", "clauses": clauses}
    if ends:
        contract["ends"] = ends
    return plan_of(
        category="crm",
        contract="c-app",
        provider="vendor",
        providers=VENDOR,
        contracts=[contract],
        exit={"duration": "2w"},
    )


def by_kind(plan: ExitPlan) -> dict[str, ContractStep]:
    return {c.kind: c for c in plan.contract_steps}


def test_contract_steps_come_from_the_clauses(plan_of: PlanOf) -> None:
    plan = with_contract(
        plan_of, termination_notice_days=90, exit_assistance=True, data_portability=False
    )
    steps = by_kind(plan)
    assert list(steps) == ["notice", "exit-assistance", "data-portability", "end-date"]
    assert [(c.field, c.value) for c in plan.contract_steps] == [
        ("contracts[c-app].clauses.termination_notice_days", 90),
        ("contracts[c-app].clauses.exit_assistance", True),
        ("contracts[c-app].clauses.data_portability", False),
        ("contracts[c-app].ends", "2028-06-30"),
    ]
    assert said(steps["notice"].text)["en"] == (
        "Notice period: 90 days, longer than the estimated 2 weeks of work: give notice first."
    )
    assert said(steps["exit-assistance"].text)["en"].startswith("Exit assistance granted")
    assert said(steps["data-portability"].text)["en"].startswith("No data portability")
    assert said(steps["end-date"].text)["en"] == (
        "The contract ends on 2028-06-30: give notice by 2028-04-01 to avoid its renewal."
    )
    assert plan.notice_days == 90
    assert plan.notice_longer_than_work is True


def test_unrecorded_clauses_are_said_unknown(plan_of: PlanOf) -> None:
    plan = with_contract(plan_of, ends=None)
    steps = by_kind(plan)
    assert [c.value for c in plan.contract_steps] == [None, None, None, None]
    assert said(steps["notice"].text)["en"] == "Notice period not recorded: check the contract."
    assert said(steps["exit-assistance"].text)["fr"] == (
        "Assistance à la réversibilité non renseignée : vérifier le contrat."
    )
    assert said(steps["end-date"].text)["en"] == "Contract end date not recorded."
    assert plan.notice_days is None and plan.notice_longer_than_work is None


def test_a_passed_notice_deadline_and_an_ended_contract(plan_of: PlanOf) -> None:
    passed = with_contract(plan_of, ends="2027-01-31", termination_notice_days=90)
    assert (
        "the notice deadline (2026-11-02) has passed"
        in said(by_kind(passed)["end-date"].text)["en"]
    )
    ended = with_contract(plan_of, ends="2026-06-30", termination_notice_days=90)
    assert said(by_kind(ended)["end-date"].text)["en"].startswith(
        "The contract ended on 2026-06-30"
    )


def test_a_short_notice_is_not_longer_than_the_work(plan_of: PlanOf) -> None:
    plan = with_contract(plan_of, termination_notice_days=14)
    assert plan.notice_longer_than_work is False  # 14 days = 2 weeks
    assert said(by_kind(plan)["notice"].text)["en"] == (
        "Notice period: 14 days, no longer than the estimated 2 weeks of work."
    )


def test_no_contract_linked(plan_of: PlanOf) -> None:
    plan = plan_of(category="crm")
    assert [(c.kind, c.field, c.value) for c in plan.contract_steps] == [
        ("no-contract", "assets[app].contract", None)
    ]
    assert plan.notice_days is None


def test_the_duration_given_in_the_estate(plan_of: PlanOf) -> None:
    plan = plan_of(category="crm", exit={"duration": "3w", "effort_days": 200})
    assert plan.duration == Duration.parse("3w")
    assert plan.duration_source == "assets[app].exit.duration"
    assert "Exit duration estimated in the estate: 3 weeks." in [
        said(r.text)["en"] for r in plan.reasons
    ]


def test_the_duration_from_effort_spread_over_the_people_on_exit(
    audit_with: AuditWith, plan_catalog: Catalog, methodology: Methodology
) -> None:
    two = methodology.model_copy(
        update={"exit": methodology.exit.model_copy(update={"people_on_exit": 2})}
    )
    result = audit_with(
        two,
        processes=[
            {"id": "p", "criticality": "important", "max_downtime": "30d", "depends_on": ["app"]}
        ],
        assets=[{"id": "app", "category": "crm", "exit": {"effort_days": 50}}],
    )
    plan = exit_plans(result, plan_catalog)[0]
    assert plan.duration is not None and plan.duration.days == 25
    assert str(plan.duration) == "25d"
    assert plan.duration_source == "assets[app].exit.effort_days"
    assert plan.fits_max_downtime is True
    assert any(
        "50 person-days" in said(r.text)["en"] and "(2)" in said(r.text)["en"] for r in plan.reasons
    )


def test_no_estimate_means_no_duration(plan_of: PlanOf) -> None:
    plan = plan_of(category="crm", exit={"alternative": "crm-libre"})
    assert plan.duration is None
    assert plan.duration_source is None
    assert plan.fits_max_downtime is None  # not assessed, not "no"
    assert all(s.days is None for s in plan.steps)  # no step gets a made-up figure


@pytest.mark.parametrize(
    ("max_downtime", "duration", "fits"),
    [("2w", "5d", True), ("8h", "5d", False), (None, "5d", None), ("8h", None, None)],
)
def test_fits_max_downtime(
    plan_of: PlanOf, max_downtime: str | None, duration: str | None, fits: bool | None
) -> None:
    exit_ = {"duration": duration} if duration else {}
    plan = plan_of(category="crm", max_downtime=max_downtime, exit=exit_)
    assert plan.fits_max_downtime is fits
    assert plan.max_downtime == (Duration.parse(max_downtime) if max_downtime else None)


def test_fits_agrees_with_the_audit(audit_with: AuditWith, plan_catalog: Catalog) -> None:
    result = audit_with(
        processes=[
            {"id": "a", "criticality": "vital", "max_downtime": "1d", "depends_on": ["x", "y"]},
            {"id": "b", "criticality": "important", "max_downtime": "30d", "depends_on": ["z"]},
            # Vital: independent members take its gravity one step lower, important.
            {"id": "c", "criticality": "vital", "depends_on": [{"any_of": ["r1", "r2"]}]},
        ],
        assets=[
            {"id": "x", "exit": {"duration": "4h"}},
            {"id": "y", "exit": {"effort_days": 3}},
            {"id": "z", "exit": {"duration": "2w"}},
            # Independent members (own providers, home country, own regions): another
            # member takes over. (A group of unknown independence is not: test below.)
            {"id": "r1", "provider": "p1", "deployment": "saas", "location": {"region": "n"}},
            {
                "id": "r2",
                "provider": "p2",
                "deployment": "saas",
                "location": {"region": "s"},
                "exit": {"duration": "1w"},
            },
        ],
        providers=[{"id": "p1", "country": "FR"}, {"id": "p2", "country": "FR"}],
    )
    audit_verdict = {d.asset: d.exit.can_exit_within_max_downtime for d in result.dependencies}
    plans = {p.asset: p for p in exit_plans(result, plan_catalog)}
    assert {a: p.fits_max_downtime for a, p in plans.items()} == {
        "x": True,
        "y": False,
        "z": True,
        "r1": True,  # redundant: another member takes over
        "r2": True,
    }
    for asset, plan in plans.items():
        assert plan.fits_max_downtime == audit_verdict[asset]
    redundant = next(s for s in plans["r1"].steps if s.kind == "switch")
    assert "no process strictly needs it" in said(redundant.text)["en"]


def test_durations_in_words() -> None:
    assert said(duration_words(Duration.parse("1d"))) == {"en": "1 day", "fr": "1 jour"}
    assert said(duration_words(Duration.parse("1.5w"))) == {"en": "1.5 weeks", "fr": "1,5 semaine"}
    assert said(duration_words(Duration.parse("8h"))) == {"en": "8 hours", "fr": "8 heures"}
    assert said(duration_words(Duration.of_days(2.5))) == {"en": "2.5 days", "fr": "2,5 jours"}


def test_a_member_of_a_group_of_unknown_independence_does_not_fit_by_default(
    audit_with: AuditWith, plan_catalog: Catalog
) -> None:
    result = audit_with(
        processes=[
            {"id": "c", "criticality": "important", "depends_on": [{"any_of": ["r1", "r2"]}]}
        ],
        assets=[{"id": "r1"}, {"id": "r2", "exit": {"duration": "1w"}}],
    )
    plans = {p.asset: p for p in exit_plans(result, plan_catalog)}
    assert plans["r2"].fits_max_downtime is None
    switch = next(s for s in plans["r2"].steps if s.kind == "switch")
    assert "cannot be checked" in said(switch.text)["en"]
