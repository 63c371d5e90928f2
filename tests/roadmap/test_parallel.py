"""souverain.parallel.split_map: the same results as doing the work here, in order, even
when a child dies; and the roadmap measured in two processes equals one."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest

from souverain import parallel
from souverain.core.catalog.model import Catalog
from souverain.core.planning.generation import generate_actions
from souverain.core.planning.measure import RiskScorer
from souverain.core.planning.roadmap import build_roadmap
from souverain.core.scoring.audit import AuditResult
from souverain.parallel import beside, split_map


def squares(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(i * i, os.getpid()) for i in items]


def test_results_come_back_in_order_from_two_processes() -> None:
    items = list(range(101))
    out = split_map(squares, items, workers=2, minimum=1)
    assert [value for value, _ in out] == [i * i for i in items]
    assert len({pid for _, pid in out}) == 2  # a child did its share


def test_small_work_stays_here() -> None:
    out = split_map(squares, [1, 2, 3], workers=2, minimum=10)
    assert {pid for _, pid in out} == {os.getpid()}


def test_a_child_that_dies_leaves_its_share_to_the_parent() -> None:
    parent = os.getpid()

    def dies_in_child(items: Sequence[int]) -> list[int]:
        if os.getpid() != parent:
            os._exit(3)
        return [i + 1 for i in items]

    assert split_map(dies_in_child, list(range(10)), workers=2, minimum=1) == list(range(1, 11))


def test_the_roadmap_measured_in_two_processes_is_the_same(
    forges: AuditResult, shipped_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = generate_actions(forges, shipped_catalog)
    monkeypatch.setattr(parallel, "MINIMUM", 1)
    shared = generate_actions(forges, shipped_catalog, parallel.split_map)
    assert shared == alone
    assert any(a.kind == "migrate" for a in shared)


def test_the_roadmap_phases_scored_in_two_processes_are_the_same(
    forges: AuditResult, shipped_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The what-if's rows of an edit shared between two processes (RiskScorer's mapper,
    as the pipeline passes it): the same phases and risk totals as scored here."""
    actions = generate_actions(forges, shipped_catalog)
    alone = build_roadmap(forges, actions, shipped_catalog)
    monkeypatch.setattr(parallel, "MINIMUM", 1)
    scorer = RiskScorer(forges, shipped_catalog, parallel.split_map)
    shared = build_roadmap(forges, actions, shipped_catalog, scorer=scorer)
    assert shared == alone
    assert [p.risk_after for p in shared.phases] != [alone.risk_before] * len(shared.phases)


def test_beside_gives_both_results_and_does_a_dead_childs_work_itself() -> None:
    parent = os.getpid()
    assert beside(lambda: os.getpid(), lambda: os.getpid()) != (parent, parent)
    assert beside(lambda: 1, lambda: "side") == (1, "side")

    def dies_in_child() -> int:
        if os.getpid() != parent:
            os._exit(3)
        return 7

    assert beside(lambda: 1, dies_in_child) == (1, 7)
