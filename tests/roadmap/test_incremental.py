"""The what-if re-scores only the rows an action changes (audit.rescore): it must give
exactly what a whole new audit gives, and refuse the edits it cannot follow."""

from __future__ import annotations

from souverain.core.catalog.model import Catalog
from souverain.core.planning.actions import (
    ORGANISATIONAL,
    all_prerequisites,
    apply_action,
    apply_all,
)
from souverain.core.planning.generation import generate_actions
from souverain.core.planning.measure import RiskScorer
from souverain.core.scoring.audit import AuditResult, audit
from souverain.core.scoring.whatif import rescore


def test_re_scoring_the_changed_rows_equals_a_whole_audit(
    example: AuditResult, shipped_catalog: Catalog
) -> None:
    scorer = RiskScorer(example, shipped_catalog)
    actions = generate_actions(example, shipped_catalog)
    by_id = {a.id: a for a in actions}
    incremental = 0
    for action in actions:
        if action.kind in ORGANISATIONAL:
            continue
        start = apply_all(
            example.estate,
            [by_id[p] for p in all_prerequisites(action, by_id)],
            shipped_catalog,
            example.today,
        )
        after = apply_action(start, action, shipped_catalog, example.today)
        for estate in (start, after):
            if rescore(example, estate) is not None:
                incremental += 1
            assert scorer.total(estate) == scorer.audited_total(estate), action.id
    assert incremental > 0  # the fast path was taken, and agreed


def test_migrations_take_the_fast_path_unless_the_grave_count_moves(
    example: AuditResult, shipped_catalog: Catalog
) -> None:
    """A migration changes the provider and, on premises, drops the cloud hosts the
    asset required: re-scored in part (exactly: the test above compares every action
    with whole audits) — unless the number of vital and important assets moves, which
    changes every owner group's share: then the estate is audited whole."""
    migrations = [a for a in generate_actions(example, shipped_catalog) if a.kind == "migrate"]
    assert migrations
    fast = 0
    for action in migrations:
        after = apply_action(example.estate, action, shipped_catalog, example.today)
        partial = rescore(example, after)
        if partial is None:
            whole = audit(after, example.methodology, shipped_catalog, example.today)
            grave = ("vital", "important")
            count = sum(1 for d in whole.dependencies if d.gravity in grave)
            assert count != sum(1 for d in example.dependencies if d.gravity in grave)
        else:
            fast += 1
            assert action.targets[0] in {d.asset for d in partial[1]}
    assert fast > 0


def test_an_unchanged_estate_changes_no_row(forges: AuditResult) -> None:
    assert rescore(forges, forges.estate) == ([], [])
