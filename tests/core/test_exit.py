"""Exit readiness: points for what makes leaving possible, and whether leaving fits
within the max downtime of the processes that cannot run without the asset
(docs/methodology.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from souverain.core.estate.duration import Duration
from souverain.core.scoring.audit import AuditResult, ExitReadiness, Reason
from souverain.core.scoring.methodology import Methodology
from tests.conftest import TODAY
from tests.core.conftest import SAP, AuditOf


def exit_of(result: AuditResult, asset: str = "app") -> ExitReadiness:
    return next(d.exit for d in result.dependencies if d.asset == asset)


def reason(readiness: ExitReadiness, rule: str) -> Reason:
    found = [r for r in readiness.reasons if r.rule == rule]
    assert found, f"no {rule} among {[r.rule for r in readiness.reasons]}"
    return found[0]


def rules(readiness: ExitReadiness) -> list[str]:
    return [r.rule for r in readiness.reasons]


def app(**fields: Any) -> dict[str, Any]:
    return {"id": "app", **fields}


def needed_within(max_downtime: str, process: str = "production") -> list[dict[str, Any]]:
    return [
        {"id": process, "criticality": "vital", "max_downtime": max_downtime, "depends_on": ["app"]}
    ]


# --- readiness points ------------------------------------------------------------------


def test_nothing_prepared_is_readiness_0(audit_of: AuditOf) -> None:
    readiness = exit_of(audit_of(assets=[app()]))
    assert readiness.readiness == 0
    assert rules(readiness) == ["exit-not-needed"]  # only the downtime verdict


def test_an_identified_alternative_is_1_point(audit_of: AuditOf) -> None:
    readiness = exit_of(audit_of(assets=[app(exit={"alternative": "odoo"})]))
    assert readiness.readiness == 1
    alternative = reason(readiness, "alternative")
    assert alternative.params == {"alternative": "odoo"}
    assert alternative.evidence.ref == "assets[app].exit.alternative"


def test_an_open_export_format_is_1_point(audit_of: AuditOf) -> None:
    readiness = exit_of(audit_of(assets=[app(exports=["vendor-dump", "csv"])]))
    assert readiness.readiness == 1
    assert reason(readiness, "open-export").params["formats"] == "csv"


def test_closed_export_formats_earn_nothing(audit_of: AuditOf) -> None:
    assert exit_of(audit_of(assets=[app(exports=["vendor-dump"])])).readiness == 0


def test_an_export_tested_within_a_year_is_1_point(audit_of: AuditOf) -> None:
    tested = date(2026, 1, 10)
    readiness = exit_of(audit_of(assets=[app(exit={"export_tested": tested})]))
    assert readiness.readiness == 1
    assert reason(readiness, "export-tested").params["days"] == str((TODAY - tested).days)  # 317


def test_an_export_tested_exactly_365_days_ago_still_counts_as_recent(audit_of: AuditOf) -> None:
    tested = date(2025, 11, 23)
    assert (TODAY - tested).days == 365
    readiness = exit_of(audit_of(assets=[app(exit={"export_tested": tested})]))
    assert "export-tested" in rules(readiness)


def test_an_export_tested_over_a_year_ago_is_half_a_point(audit_of: AuditOf) -> None:
    tested = date(2025, 3, 1)
    readiness = exit_of(audit_of(assets=[app(exit={"export_tested": tested})]))
    assert readiness.readiness == 0  # 0.5 rounds down
    stale = reason(readiness, "export-tested-long-ago")
    assert (stale.score, stale.params["days"]) == (0.5, str((TODAY - tested).days))  # 632
    assert "export-tested" not in rules(readiness)


def test_half_points_add_up(audit_of: AuditOf) -> None:
    # Export tested long ago (0.5) + medium mastery (0.5) = 1.
    asset = app(skills="medium", exit={"export_tested": date(2025, 3, 1)})
    assert exit_of(audit_of(assets=[asset])).readiness == 1


def test_low_mastery_earns_nothing_medium_or_better_half_a_point(audit_of: AuditOf) -> None:
    result = audit_of(
        assets=[
            app(skills="low", exit={"alternative": "odoo"}),
            {"id": "app2", "skills": "high", "exit": {"alternative": "odoo"}},
        ]
    )
    assert "skills" not in rules(exit_of(result, "app"))
    assert reason(exit_of(result, "app2"), "skills").score == 0.5


def test_exit_clauses_are_half_a_point_only_when_both_are_granted(audit_of: AuditOf) -> None:
    both = {"data_portability": True, "exit_assistance": True}
    result = audit_of(
        providers=[SAP],
        assets=[
            app(provider="sap", contract="c-both"),
            {"id": "app2", "provider": "sap", "contract": "c-one"},
        ],
        contracts=[
            {"id": "c-both", "provider": "sap", "clauses": both},
            {"id": "c-one", "provider": "sap", "clauses": {**both, "exit_assistance": False}},
        ],
    )
    terms = reason(exit_of(result, "app"), "exit-terms")
    assert (terms.score, terms.params["clauses"]) == (0.5, "data_portability, exit_assistance")
    assert "exit-terms" not in rules(exit_of(result, "app2"))


def test_every_criterion_met_is_readiness_4(audit_of: AuditOf) -> None:
    # 1 alternative + 1 open export + 1 recent test + 0.5 skills + 0.5 exit terms = 4.
    result = audit_of(
        providers=[SAP],
        assets=[
            app(
                provider="sap",
                contract="c-app",
                exports=["csv"],
                skills="high",
                exit={"alternative": "odoo", "export_tested": date(2026, 9, 1)},
            )
        ],
        contracts=[
            {
                "id": "c-app",
                "provider": "sap",
                "clauses": {"data_portability": True, "exit_assistance": True},
            }
        ],
    )
    assert exit_of(result).readiness == 4


# --- can the organisation leave within the max downtime? -------------------------------


def test_an_exit_shorter_than_the_max_downtime_fits(audit_of: AuditOf) -> None:
    result = audit_of(processes=needed_within("5d"), assets=[app(exit={"effort_days": 3})])
    readiness = exit_of(result)
    assert readiness.can_exit_within_max_downtime
    assert (readiness.time_to_exit, readiness.max_downtime) == (
        Duration.parse("3d"),
        Duration.parse("5d"),
    )
    fits = reason(readiness, "exit-fits")
    assert fits.params == {"duration": "3d", "max_downtime": "5d", "process": "production"}
    assert fits.evidence.ref == "assets[app].exit"


def test_an_exit_longer_than_the_max_downtime_does_not_fit(audit_of: AuditOf) -> None:
    result = audit_of(processes=needed_within("5d"), assets=[app(exit={"effort_days": 10})])
    readiness = exit_of(result)
    assert readiness.can_exit_within_max_downtime is False
    assert reason(readiness, "exit-too-long").params["duration"] == "10d"


def test_a_too_long_exit_is_an_assessed_finding(audit_of: AuditOf) -> None:
    # Everything needed to judge is known: the verdict is "no", not "not assessed".
    result = audit_of(processes=needed_within("5d"), assets=[app(exit={"effort_days": 10})])
    assert not reason(exit_of(result), "exit-too-long").not_assessed


def test_an_exit_as_long_as_the_max_downtime_fits(audit_of: AuditOf) -> None:
    # 7 days of effort, one week tolerated.
    result = audit_of(processes=needed_within("1w"), assets=[app(exit={"effort_days": 7})])
    assert exit_of(result).can_exit_within_max_downtime


def test_a_stated_exit_duration_wins_over_the_effort(audit_of: AuditOf) -> None:
    # 30 person-days of work, but done in 2 calendar days by a team.
    result = audit_of(
        processes=needed_within("5d"), assets=[app(exit={"duration": "2d", "effort_days": 30})]
    )
    readiness = exit_of(result)
    assert readiness.time_to_exit == Duration.parse("2d")
    assert readiness.can_exit_within_max_downtime


def test_effort_is_shared_by_the_people_working_on_the_exit(
    audit_of: AuditOf, methodology: Methodology
) -> None:
    four_people = methodology.model_copy(
        update={"exit": methodology.exit.model_copy(update={"people_on_exit": 4})}
    )
    result = audit_of(
        four_people, processes=needed_within("5d"), assets=[app(exit={"effort_days": 20})]
    )
    readiness = exit_of(result)
    assert readiness.time_to_exit == Duration.parse("5d")  # 20 / 4
    assert readiness.can_exit_within_max_downtime


def test_the_tightest_process_decides(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=[*needed_within("5d", "invoicing"), *needed_within("2d", "shipping")],
        assets=[app(exit={"effort_days": 3})],
    )
    readiness = exit_of(result)
    assert not readiness.can_exit_within_max_downtime
    assert readiness.max_downtime == Duration.parse("2d")
    assert reason(readiness, "exit-too-long").params["process"] == "shipping"


def test_a_process_needing_the_asset_through_another_asset_counts(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=[
            {
                "id": "production",
                "criticality": "vital",
                "max_downtime": "8h",
                "depends_on": ["mes"],
            }
        ],
        assets=[{"id": "mes", "depends_on": ["app"]}, app(exit={"effort_days": 1})],
    )
    readiness = exit_of(result)
    assert readiness.max_downtime == Duration.parse("8h")
    assert not readiness.can_exit_within_max_downtime  # 1 day > 8 hours


def test_no_exit_estimate_is_not_assessed_and_unknown(audit_of: AuditOf) -> None:
    # Three-valued (issue 13): never "no" for want of an estimate.
    result = audit_of(processes=needed_within("5d"), assets=[app(exit={"alternative": "odoo"})])
    readiness = exit_of(result)
    assert readiness.can_exit_within_max_downtime is None
    assert readiness.time_to_exit is None
    assert reason(readiness, "exit-no-estimate").not_assessed


def test_an_unknown_max_downtime_gives_an_unknown_verdict(audit_of: AuditOf) -> None:
    result = audit_of(
        processes=[{"id": "payroll", "criticality": "important", "depends_on": ["app"]}],
        assets=[app(exit={"effort_days": 1})],
    )
    readiness = exit_of(result)
    assert readiness.can_exit_within_max_downtime is None
    unknown = reason(readiness, "exit-downtime-unknown")
    assert (unknown.params["process"], unknown.not_assessed) == ("payroll", True)


def test_a_member_of_a_group_of_unknown_independence_is_not_said_to_be_left_freely(
    audit_of: AuditOf,
) -> None:
    # Neither member names a provider nor a region: whether local-accounts would take
    # over is unknown, so leaving app is not "can always be left" (it was, on purpose
    # changed: issue 13, a common mode or an unknown defeats the takeover; the
    # independent case is tests/core/test_independence.py).
    result = audit_of(
        processes=[
            {
                "id": "production",
                "criticality": "vital",
                "max_downtime": "8h",
                "depends_on": [{"any_of": ["app", "local-accounts"]}],
            }
        ],
        assets=[app(exit={"effort_days": 60}), {"id": "local-accounts"}],
    )
    readiness = exit_of(result)
    assert readiness.can_exit_within_max_downtime is None
    assert readiness.max_downtime is None
    verdict = reason(readiness, "exit-redundant-unknown")
    assert (verdict.params, verdict.not_assessed) == ({"partners": "local-accounts"}, True)
    assert verdict.evidence.ref == "any_of: [app, local-accounts]"


def test_an_asset_no_process_needs_can_always_be_left(audit_of: AuditOf) -> None:
    readiness = exit_of(audit_of(assets=[app(exit={"effort_days": 60})]))
    assert readiness.can_exit_within_max_downtime
    assert "exit-not-needed" in rules(readiness)


# --- source-code escrow ------------------------------------------------------------------


def _escrowed(audit_of: AuditOf, deployment: str, **terms: Any) -> ExitReadiness:
    vendor = {"id": "vendor", "name": "Vendor SAS", "country": "FR"}
    asset = app(
        provider="vendor",
        deployment=deployment,
        licence="proprietary",
        exit={"alternative": "odoo"},
        licence_terms={"model": "perpetual", "escrow": True, **terms},
    )
    return exit_of(audit_of(providers=[vendor], assets=[asset]))


def test_a_tested_escrow_of_software_run_on_premises_counts(audit_of: AuditOf) -> None:
    readiness = _escrowed(audit_of, "on-premise", escrow_tested="2026-06-01")
    found = reason(readiness, "escrow-tested")
    assert found.score == 0.5
    assert found.params["licensor"] == "Vendor SAS" and found.params["when"] == "2026-06-01"
    assert found.evidence.ref == "assets[app].licence_terms"
    assert "take over its maintenance" in found.text("en")
    assert "séquestre" in found.text("fr")
    # 1 (alternative) + 0.5, rounded down: the sum now reaches 1.5.
    assert readiness.readiness == 1
    assert "escrow-untested" not in rules(readiness)


def test_an_untested_or_old_escrow_earns_nothing(audit_of: AuditOf) -> None:
    for terms in ({}, {"escrow_tested": "2024-01-15"}):
        readiness = _escrowed(audit_of, "device", **terms)
        found = reason(readiness, "escrow-untested")
        assert found.score == 0
        assert "escrow-tested" not in rules(readiness)


def test_escrow_does_nothing_for_a_service(audit_of: AuditOf) -> None:
    readiness = _escrowed(audit_of, "saas", escrow_tested="2026-06-01")
    found = reason(readiness, "escrow-hosted")
    assert found.score == 0 and found.params["deployment"] == "saas"
    assert "keeps nothing running" in found.text("en")
    assert "escrow-tested" not in rules(readiness)


def test_a_tested_escrow_completes_a_half_point(audit_of: AuditOf) -> None:
    # With skills (0.5), a tested escrow (0.5) completes a point the other could not.
    vendor = {"id": "vendor", "name": "Vendor SAS", "country": "FR"}
    terms = {"model": "perpetual", "escrow": True, "escrow_tested": "2026-06-01"}
    base = {"provider": "vendor", "deployment": "on-premise", "skills": "high"}
    without = exit_of(audit_of(providers=[vendor], assets=[app(**base)]))
    escrowed = exit_of(audit_of(providers=[vendor], assets=[app(**base, licence_terms=terms)]))
    assert (without.readiness, escrowed.readiness) == (0, 1)


def test_open_source_needs_no_escrow(audit_of: AuditOf) -> None:
    readiness = exit_of(
        audit_of(
            assets=[
                app(
                    deployment="on-premise",
                    licence="Apache-2.0",
                    licence_terms={"escrow": True, "escrow_tested": "2026-06-01"},
                )
            ]
        )
    )
    assert not any(r.startswith("escrow") for r in rules(readiness))
