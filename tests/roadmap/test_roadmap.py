"""Ordering, phases, projected risk and the plan file."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from souverain.cli.roadmap import load_plan, make_roadmap
from souverain.core.catalog.model import Catalog
from souverain.core.errors import InvalidInput
from souverain.core.planning.actions import Action, apply_all
from souverain.core.planning.generation import generate_actions
from souverain.core.planning.phases import PHASES, phase_start
from souverain.core.planning.plan_file import PlanFile, parse_plan
from souverain.core.planning.roadmap import Roadmap, build_roadmap, order_actions
from souverain.core.scoring.audit import AuditResult, audit
from souverain.core.scoring.risk import risk_total
from souverain.i18n import problem_text
from tests.conftest import TODAY


def _check_prerequisites(roadmap: Roadmap) -> None:
    position = {a.id: i for i, a in enumerate(roadmap.actions)}
    phase = {a.id: PHASES.index(roadmap.phase_of(a.id) or PHASES[0]) for a in roadmap.actions}
    for action in roadmap.actions:
        for p in action.prerequisites:
            assert position[p] < position[action.id], (p, action.id)
            assert phase[p] <= phase[action.id], (p, action.id)


def test_order_respects_prerequisites_and_priority(forges_actions: list[Action]) -> None:
    ordered = order_actions(forges_actions)
    assert sorted(a.id for a in ordered) == sorted(a.id for a in forges_actions)
    seen: set[str] = set()
    for action in ordered:
        assert set(action.prerequisites) <= seen, action.id
        seen.add(action.id)
    # Among actions free to start that no other action needs (those inherit the rank of
    # their dependents), the best ratio of risk removed per day comes first.
    needed = {p for a in forges_actions for p in a.prerequisites}
    free = [
        a
        for a in forges_actions
        if not a.prerequisites and a.id not in needed and a.kind != "document"
    ]
    free_ids = {a.id for a in free}
    ratios = [a.risk_reduction / a.effort_days for a in ordered if a.id in free_ids]
    assert ratios == sorted(ratios, reverse=True)


def test_a_prerequisite_inherits_the_rank_of_its_dependent() -> None:
    low = Action("low", "governance", (), (), 10, 0)
    high = Action("high", "migrate", ("x",), (), 1, 0, ("low",), risk_reduction=100)
    middle = Action("middle", "skills", ("y",), (), 1, 0, risk_reduction=5)
    assert [a.id for a in order_actions([middle, high, low])] == ["low", "high", "middle"]


def test_phases_sum_and_projected_risk(example: AuditResult, shipped_catalog: Catalog) -> None:
    actions = generate_actions(example, shipped_catalog)
    roadmap = build_roadmap(example, actions, shipped_catalog)
    assert [p.name for p in roadmap.phases] == list(PHASES)
    assert sorted(a.id for a in roadmap.actions) == sorted(a.id for a in actions)
    for phase in roadmap.phases:
        assert phase.effort_days == pytest.approx(sum(a.effort_days for a in phase.actions))
    risks = [roadmap.risk_before, *roadmap.risk_after_each_phase]
    assert all(later <= earlier + 1e-9 for earlier, later in itertools.pairwise(risks))
    assert roadmap.risk_after_each_phase[-1] < roadmap.risk_before
    _check_prerequisites(roadmap)
    # the projection is a real re-scoring of everything up to the phase
    done = apply_all(example.estate, roadmap.phases[0].actions, shipped_catalog, TODAY)
    rescored = audit(done, example.methodology, shipped_catalog, TODAY)
    assert risk_total(rescored) == pytest.approx(roadmap.phases[0].risk_after)


def test_capacity_moves_work_earlier(forges: AuditResult, forges_actions: list[Action]) -> None:
    small = build_roadmap(forges, forges_actions, capacity_days_per_month=2)
    large = build_roadmap(forges, forges_actions, capacity_days_per_month=1000)
    assert len(large.phases[0].actions) > len(small.phases[0].actions)
    assert large.phases[0].capacity_days == 3000
    assert len(large.phases[0].actions) == len(forges_actions)  # everything fits
    # the quick-wins phase starts an action only while capacity remains
    limit = small.phases[0].capacity_days
    started = 0.0
    for action in small.phases[0].actions:
        assert started < limit
        started += action.effort_days


def test_plan_drop_pin_and_rephase(forges: AuditResult, forges_actions: list[Action]) -> None:
    base = build_roadmap(forges, forges_actions)
    last = base.phases[-1].actions[-1].id
    plan = parse_plan(
        {
            "souverain_plan": 1,
            "actions": {
                "migrate:erp": {"drop": True},
                last: {"pin": True},
                "test-export:mes": {"phase": "12-36 months"},
            },
        }
    )
    roadmap = build_roadmap(forges, forges_actions, plan=plan)
    ids = [a.id for a in roadmap.actions]
    assert "migrate:erp" not in ids
    assert "train:erp" not in ids  # training on a tool that will not come goes too
    assert "governance" in ids
    assert all("migrate:erp" not in a.prerequisites for a in roadmap.actions)
    assert roadmap.dropped == ("migrate:erp", "train:erp")
    assert roadmap.phase_of("test-export:mes") == "12-36 months"
    assert roadmap.phase_of(last) == "0-3 months"
    assert ids.index(last) <= len(base.phases[0].actions)
    _check_prerequisites(roadmap)


def test_rephasing_pulls_prerequisites_along(
    forges: AuditResult, forges_actions: list[Action]
) -> None:
    plan = parse_plan({"souverain_plan": 1, "actions": {"train:erp": {"phase": "0-3 months"}}})
    roadmap = build_roadmap(forges, forges_actions, plan=plan)
    assert roadmap.phase_of("train:erp") == "0-3 months"
    assert roadmap.phase_of("migrate:erp") == "0-3 months"
    assert roadmap.phase_of("governance") == "0-3 months"
    _check_prerequisites(roadmap)


def test_a_dependent_before_its_fixed_prerequisite_is_a_problem(
    forges: AuditResult, forges_actions: list[Action]
) -> None:
    plan = parse_plan(
        {
            "souverain_plan": 1,
            "actions": {
                "governance": {"phase": "12-36 months"},
                "train:erp": {"phase": "0-3 months"},
            },
        }
    )
    with pytest.raises(InvalidInput) as caught:
        build_roadmap(forges, forges_actions, plan=plan)
    [problem] = caught.value.problems
    assert problem.path == ("actions", "train:erp", "phase")
    assert "governance" in problem_text("en", problem.expected)


def _plan_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_action_names_the_id_and_line(
    tmp_path: Path, forges: AuditResult, shipped_catalog: Catalog
) -> None:
    path = _plan_file(
        tmp_path,
        "souverain_plan: 1\nactions:\n  governance: {pin: true}\n  migrate:nowhere: {drop: true}\n",
    )
    plan, document = load_plan(path)
    with pytest.raises(InvalidInput) as caught:
        make_roadmap(forges, shipped_catalog, 10, plan, document)
    [problem] = caught.value.problems
    assert problem_text("en", problem.message) == "unknown action"
    assert "migrate:nowhere" in problem_text("en", problem.found)
    assert problem.file == str(path)
    assert problem.line == 4


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("souverain_plan: 2\nactions: {}\n", 1, "unsupported version"),
        ("souverain_plan: 1\nactions:\n  governance: {phase: soon}\n", 3, "unknown phase"),
        ("souverain_plan: 1\nactions:\n  governance:\n    drop: yes\n", 4, "wrong type"),
        ("souverain_plan: 1\nactions:\n  governance: {later: true}\n", 3, "unknown field"),
        (
            "souverain_plan: 1\nactions:\n  governance: {drop: true, pin: true}\n",
            3,
            "conflicting decisions",
        ),
        ("souverain_plan: 1\nextra: 1\n", 2, "unknown field"),
    ],
)
def test_bad_plan_files_are_located(tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_plan(_plan_file(tmp_path, text))
    [problem] = caught.value.problems
    assert problem_text("en", problem.message) == message
    assert problem.line == line
    assert problem.file.endswith("plan.yaml")


def test_empty_plan_changes_nothing(forges: AuditResult, forges_actions: list[Action]) -> None:
    a = build_roadmap(forges, forges_actions)
    b = build_roadmap(forges, forges_actions, plan=PlanFile())
    assert [x.id for x in a.actions] == [x.id for x in b.actions]
    assert a.risk_after_each_phase == b.risk_after_each_phase


def test_phase_start_adds_months() -> None:
    from datetime import date

    assert phase_start(date(2026, 11, 30), "3-12 months") == date(2027, 2, 28)
    assert phase_start(date(2026, 11, 23), "12-36 months") == date(2027, 11, 23)
    assert phase_start(date(2026, 11, 23), "0-3 months") == date(2026, 11, 23)
