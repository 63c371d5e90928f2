"""Actions generated from findings, and their what-if risk reduction."""

from __future__ import annotations

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.planning.actions import (
    KINDS,
    Action,
    Migrate,
    Negotiate,
    apply_action,
    cost_band,
)
from souverain.core.planning.generation import generate_actions
from souverain.core.planning.measure import measured_reduction
from souverain.core.scoring.audit import AuditResult, audit
from souverain.core.scoring.methodology import Methodology
from souverain.core.scoring.risk import risk_total
from souverain.wording import render
from tests.conftest import TODAY
from tests.core.conftest import SAP, build_estate

PROCESS = {"id": "sales", "criticality": "important", "max_downtime": "3d", "depends_on": ["crm"]}


def _by_kind(actions: list[Action], kind: str) -> list[Action]:
    return [a for a in actions if a.kind == kind]


def test_all_kinds_across_examples(shipped_catalog: Catalog) -> None:
    from souverain.importers.estate import load_estate
    from souverain.resources import load_methodology
    from tests.roadmap.conftest import EXAMPLES

    kinds: set[str] = set()
    for path in EXAMPLES:
        result = audit(load_estate(path), load_methodology(), shipped_catalog, TODAY)
        kinds |= {a.kind for a in generate_actions(result, shipped_catalog)}
    assert kinds == set(KINDS)


def test_actions_carry_the_contract_fields(forges_actions: list[Action]) -> None:
    ids = [a.id for a in forges_actions]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for action in forges_actions:
        assert action.kind in KINDS
        assert action.effort_days > 0
        assert action.cost_band in ("< 5 k€", "5–50 k€", "> 50 k€")
        assert action.rationale, action.id
        assert set(action.prerequisites) <= known
        assert action.risk_reduction >= 0
    assert [a.id for a in forges_actions if a.kind == "governance"] == ["governance"]


def test_negotiate_answers_the_missing_clauses(
    test_catalog: Catalog, methodology: Methodology
) -> None:
    estate = build_estate(
        processes=[PROCESS],
        providers=[SAP],
        assets=[{"id": "crm", "provider": "sap", "contract": "c-crm", "skills": "high"}],
        contracts=[
            {
                "id": "c-crm",
                "provider": "sap",
                "clauses": {"data_portability": False, "exit_assistance": False},
            }
        ],
    )
    result = audit(estate, methodology, test_catalog, TODAY)
    [action] = _by_kind(generate_actions(result, test_catalog), "negotiate")
    assert action.id == "negotiate:c-crm"
    assert action.targets == ("crm",)
    assert {r.rule for r in action.rationale} == {"no-portability", "no-exit-assistance"}
    assert isinstance(action.change, Negotiate)
    assert set(action.change.clauses) == {"data_portability", "exit_assistance"}
    changed = apply_action(estate, action, test_catalog, TODAY)
    clauses = changed.contracts[0].clauses
    assert clauses is not None and clauses.data_portability and clauses.exit_assistance
    # the original is untouched
    original = estate.contracts[0].clauses
    assert original is not None and original.data_portability is False
    assert action.risk_reduction > 0


def test_backup_makes_the_copy_independent(test_catalog: Catalog, methodology: Methodology) -> None:
    estate = build_estate(
        processes=[PROCESS],
        providers=[SAP],
        assets=[
            {
                "id": "crm",
                "provider": "sap",
                "deployment": "on-premise",
                "skills": "high",
                "continuity": {
                    "backup": {
                        "held_by": "provider",
                        "offline_copy": False,
                        "last_restore_test": None,
                    }
                },
            }
        ],
    )
    result = audit(estate, methodology, test_catalog, TODAY)
    actions = generate_actions(result, test_catalog)
    [backup] = _by_kind(actions, "backup")
    assert {r.rule for r in backup.rationale} >= {"backup-at-provider", "no-offline-copy"}
    changed = apply_action(estate, backup, test_catalog, TODAY)
    continuity = changed.assets[0].continuity
    assert continuity is not None and continuity.backup is not None
    assert continuity.backup.held_by == "organisation"
    assert continuity.backup.offline_copy is True
    assert continuity.backup.last_restore_test == TODAY
    assert estate.assets[0].continuity.backup.held_by == "provider"  # type: ignore[union-attr]
    assert backup.risk_reduction > 0


def test_skills_and_test_export(test_catalog: Catalog, methodology: Methodology) -> None:
    estate = build_estate(
        processes=[PROCESS],
        providers=[SAP],
        assets=[
            {
                "id": "crm",
                "provider": "sap",
                "deployment": "on-premise",
                "skills": "low",
                "exports": ["csv"],
                "data": ["customers"],
            }
        ],
    )
    result = audit(estate, methodology, test_catalog, TODAY)
    actions = generate_actions(result, test_catalog)
    [skills] = _by_kind(actions, "skills")
    assert skills.rationale[0].rule == "skills-low"
    assert apply_action(estate, skills, test_catalog, TODAY).assets[0].skills == "medium"
    [export] = _by_kind(actions, "test-export")
    changed = apply_action(estate, export, test_catalog, TODAY)
    assert changed.assets[0].exit is not None and changed.assets[0].exit.export_tested == TODAY
    assert export.risk_reduction > 0  # exit readiness enters the risk total


def test_document_claims_no_reduction(test_catalog: Catalog, methodology: Methodology) -> None:
    estate = build_estate(processes=[PROCESS], assets=[{"id": "crm"}])
    result = audit(estate, methodology, test_catalog, TODAY)
    [document] = _by_kind(generate_actions(result, test_catalog), "document")
    assert document.risk_reduction == 0
    assert document.uncertainty > 0
    assert all(r.rule.endswith("unknown") or r.rule.startswith("no-") for r in document.rationale)
    assert apply_action(estate, document, test_catalog, TODAY) is estate


def test_organisational_actions(forges_actions: list[Action]) -> None:
    by_id = {a.id: a for a in forges_actions}
    for ident in ("governance", "awareness", "purchasing", "fund-commons"):
        action = by_id[ident]
        assert action.risk_reduction == 0
        assert action.note is not None
        assert render(action.note, "en", "roadmap") and render(action.note, "fr", "roadmap")
    assert "governance" in by_id["awareness"].prerequisites
    commons = by_id["fund-commons"]
    assert commons.yearly_cost_eur > 0
    adopted = {
        a.id for a in forges_actions if isinstance(a.change, Migrate) and a.change.open_source
    }
    assert adopted and adopted <= set(commons.prerequisites)


def test_migrate_swaps_to_an_open_or_european_alternative(
    forges: AuditResult, forges_actions: list[Action], shipped_catalog: Catalog
) -> None:
    by_id = {a.id: a for a in forges_actions}
    migrate = by_id["migrate:erp"]
    assert isinstance(migrate.change, Migrate)
    assert migrate.change.product == "odoo-community"  # the estate's named alternative
    assert migrate.effort_days == 180  # the estate's exit.effort_days
    changed = apply_action(forges.estate, migrate, shipped_catalog, TODAY)
    erp = next(a for a in changed.assets if a.id == "erp")
    assert erp.product == "odoo-community"
    assert erp.deployment == "on-premise"
    assert erp.skills == "low"
    assert next(a for a in forges.estate.assets if a.id == "erp").product != "odoo-community"
    assert any(
        p.catalog == shipped_catalog.products["odoo-community"].provider for p in changed.providers
    )
    train = by_id["train:erp"]
    assert train.prerequisites == ("migrate:erp",)
    assert (
        apply_action(changed, train, shipped_catalog, TODAY)
        .assets[[a.id for a in changed.assets].index("erp")]
        .skills
        == "medium"
    )
    assert "skills:erp" not in by_id  # the training replaces it


@pytest.mark.parametrize("kind", ["migrate", "negotiate", "test-export", "skills", "train"])
def test_risk_reduction_is_the_measured_drop(
    forges: AuditResult, forges_actions: list[Action], shipped_catalog: Catalog, kind: str
) -> None:
    actions = [a for a in forges_actions if a.kind == kind]
    assert actions
    for action in actions[:3]:
        before, after = measured_reduction(forges, forges_actions, action.id, shipped_catalog)
        assert action.risk_reduction == pytest.approx(round(before - after, 2), abs=0.011)


def test_applying_never_changes_the_original(
    forges: AuditResult, forges_actions: list[Action], shipped_catalog: Catalog
) -> None:
    snapshot = forges.estate.model_dump()
    total = risk_total(forges)
    for action in forges_actions:
        apply_action(forges.estate, action, shipped_catalog, TODAY)
    assert forges.estate.model_dump() == snapshot
    assert risk_total(forges) == total


def test_cost_bands() -> None:
    assert cost_band(0) == "< 5 k€"
    assert cost_band(4_999) == "< 5 k€"
    assert cost_band(5_000) == "5–50 k€"
    assert cost_band(50_000) == "> 50 k€"


def test_migrations_and_exit_plans_name_the_same_alternative(
    example: AuditResult, shipped_catalog: Catalog
) -> None:
    from souverain.core.planning.exit_plans import exit_plans

    plans = {p.asset: p for p in exit_plans(example, shipped_catalog)}
    migrations = [a for a in generate_actions(example, shipped_catalog) if a.kind == "migrate"]
    assert migrations
    for migration in migrations:
        plan = plans.get(migration.targets[0])
        if plan is not None:
            assert isinstance(migration.change, Migrate)
            assert plan.alternative == migration.change.product, migration.id


def test_a_migration_takes_the_first_candidate_that_removes_risk(
    shipped_catalog: Catalog,
) -> None:
    """Candidates are tried best first; the first whose what-if removes risk is kept,
    even when a later one would remove more (the guidewire case of the insurer's estate:
    its own exit plan names a private cloud, a core-insurance suite would remove more)."""
    from souverain.core.planning import generation
    from souverain.importers.estate import load_estate
    from souverain.resources import load_methodology
    from tests.roadmap.conftest import ROOT

    result = audit(
        load_estate(ROOT / "examples" / "assurance-mutuelle.yaml"),
        load_methodology(),
        shipped_catalog,
        TODAY,
    )
    dep = next(d for d in result.dependencies if d.asset == "guidewire")
    asset = next(a for a in result.estate.assets if a.id == "guidewire")
    candidates = [p.id for p, _ in generation.migration_candidates(dep, asset, shipped_catalog)]
    assert candidates[0] == "ovhcloud-hosted-private-cloud"  # the estate's own choice

    class Scripted:
        """A scorer whose what-ifs remove what the test says, per candidate."""

        def __init__(self, drops: dict[str, float]) -> None:
            self.base = 100.0
            self.catalog = shipped_catalog
            self.drops = drops
            self.tried: list[str] = []

        def after(self, key: tuple[object, ...], action: Action) -> tuple[object, float]:
            assert isinstance(action.change, Migrate)
            product = action.change.product
            self.tried.append(product)
            return key, self.base - self.drops.get(product, 0.0)

    first, second = candidates[0], candidates[1]
    scorer = Scripted({first: 0.5, second: 9.0})
    chosen = generation._migration(dep, asset, scorer)  # type: ignore[arg-type]
    assert (
        chosen is not None and isinstance(chosen.change, Migrate) and chosen.change.product == first
    )
    assert chosen.risk_reduction == 0.5 and scorer.tried == [first]
    scorer = Scripted({first: 0.0, second: 2.0})
    chosen = generation._migration(dep, asset, scorer)  # type: ignore[arg-type]
    assert (
        chosen is not None
        and isinstance(chosen.change, Migrate)
        and chosen.change.product == second
    )
    assert scorer.tried == [first, second]
    scorer = Scripted({})
    assert generation._migration(dep, asset, scorer) is None  # type: ignore[arg-type]
    assert scorer.tried == candidates[: generation.CANDIDATES_TRIED]
