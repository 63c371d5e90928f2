"""Gravity flows from processes down to the assets and providers they need;
strict needs carry the tightest max_downtime down AND edges only (docs/estate.md)."""

from __future__ import annotations

from typing import Any

from souverain.core.estate.duration import Duration
from souverain.core.estate.validation import parse_estate
from souverain.core.scoring.gravity import DependencyGraph, GravityOf, Need, gravities, strict_needs


def graph_of(**sections: Any) -> DependencyGraph:
    raw = {"souverain": 1, "organisation": {"name": "Forges de Bourgogne", "country": "FR"}}
    return DependencyGraph(parse_estate({**raw, **sections}))


def asset(ident: str) -> tuple[str, str]:
    return ("asset", ident)


def provider(ident: str) -> tuple[str, str]:
    return ("provider", ident)


# --- gravity ---------------------------------------------------------------------------


def test_an_asset_takes_the_criticality_of_the_process_that_needs_it() -> None:
    graph = graph_of(
        processes=[{"id": "invoicing", "criticality": "important", "depends_on": ["erp"]}],
        assets=[{"id": "erp"}],
    )
    assert gravities(graph)[asset("erp")] == GravityOf("important", "invoicing")


def test_the_highest_criticality_wins_and_names_its_process() -> None:
    # Listed from least to most critical, so estate order cannot explain the answer.
    graph = graph_of(
        processes=[
            {"id": "newsletter", "criticality": "minor", "depends_on": ["erp"]},
            {"id": "invoicing", "criticality": "important", "depends_on": ["erp"]},
            {"id": "production", "criticality": "vital", "depends_on": ["erp"]},
            {"id": "reporting", "criticality": "useful", "depends_on": ["erp"]},
        ],
        assets=[{"id": "erp"}],
    )
    assert gravities(graph)[asset("erp")] == GravityOf("vital", "production")


def test_gravity_flows_through_depends_on_transitively() -> None:
    graph = graph_of(
        processes=[{"id": "production", "criticality": "vital", "depends_on": ["mes"]}],
        assets=[
            {"id": "mes", "depends_on": ["mes-db"]},
            {"id": "mes-db", "depends_on": ["vm"]},
            {"id": "vm"},
        ],
    )
    assert gravities(graph)[asset("vm")] == GravityOf("vital", "production")


def test_a_deeper_path_from_a_graver_process_still_wins() -> None:
    # invoicing (important) needs vm directly; production (vital) reaches it in three steps.
    graph = graph_of(
        processes=[
            {"id": "invoicing", "criticality": "important", "depends_on": ["vm"]},
            {"id": "production", "criticality": "vital", "depends_on": ["mes"]},
        ],
        assets=[
            {"id": "mes", "depends_on": ["db"]},
            {"id": "db", "depends_on": ["vm"]},
            {"id": "vm"},
        ],
    )
    assert gravities(graph)[asset("vm")] == GravityOf("vital", "production")


def test_every_member_of_an_any_of_group_takes_the_gravity() -> None:
    graph = graph_of(
        processes=[{"id": "production", "criticality": "vital", "depends_on": ["erp"]}],
        assets=[
            {"id": "erp", "depends_on": [{"any_of": ["entra-id", "local-accounts"]}]},
            {"id": "entra-id"},
            {"id": "local-accounts"},
        ],
    )
    grave = gravities(graph)
    assert grave[asset("entra-id")] == GravityOf("vital", "production")
    assert grave[asset("local-accounts")] == GravityOf("vital", "production")


def test_gravity_flows_from_an_asset_to_its_provider() -> None:
    graph = graph_of(
        processes=[{"id": "invoicing", "criticality": "important", "depends_on": ["erp"]}],
        providers=[{"id": "sap", "country": "DE"}],
        assets=[{"id": "erp", "provider": "sap"}],
    )
    assert gravities(graph)[provider("sap")] == GravityOf("important", "invoicing")


def test_gravity_flows_from_a_provider_to_its_subcontractors_transitively() -> None:
    graph = graph_of(
        processes=[{"id": "production", "criticality": "vital", "depends_on": ["mes"]}],
        providers=[
            {"id": "integrateur", "subcontractors": ["ovhcloud"]},
            {"id": "ovhcloud", "subcontractors": ["datacenter"]},
            {"id": "datacenter"},
        ],
        assets=[{"id": "mes", "provider": "integrateur"}],
    )
    assert gravities(graph)[provider("datacenter")] == GravityOf("vital", "production")


def test_an_owner_is_not_a_dependency_and_gets_no_gravity() -> None:
    # Ownership brings jurisdiction exposure, not gravity.
    graph = graph_of(
        processes=[{"id": "production", "criticality": "vital", "depends_on": ["vm"]}],
        providers=[{"id": "aws-emea", "owner": "amazon"}, {"id": "amazon", "country": "US"}],
        assets=[{"id": "vm", "provider": "aws-emea"}],
    )
    assert gravities(graph)[provider("amazon")] == GravityOf("none", None)


def test_an_asset_no_process_reaches_has_gravity_none() -> None:
    graph = graph_of(
        processes=[{"id": "production", "criticality": "vital", "depends_on": ["mes"]}],
        assets=[{"id": "mes"}, {"id": "old-intranet"}],
    )
    assert gravities(graph)[asset("old-intranet")] == GravityOf("none", None)


def test_dependencies_do_not_flow_upwards() -> None:
    # vm is vital; what depends on vm (billing, needed by no process) is not.
    graph = graph_of(
        processes=[{"id": "production", "criticality": "vital", "depends_on": ["vm"]}],
        assets=[{"id": "vm"}, {"id": "billing", "depends_on": ["vm"]}],
    )
    assert gravities(graph)[asset("billing")] == GravityOf("none", None)


# --- strict needs ---------------------------------------------------------------------


def test_a_strict_need_carries_the_process_max_downtime_down_depends_on() -> None:
    graph = graph_of(
        processes=[
            {
                "id": "production",
                "criticality": "vital",
                "max_downtime": "8h",
                "depends_on": ["mes"],
            }
        ],
        assets=[{"id": "mes", "depends_on": ["mes-db"]}, {"id": "mes-db"}],
    )
    assert strict_needs(graph)[asset("mes-db")] == Need(Duration.parse("8h"), "production", None)


def test_the_tightest_max_downtime_wins_not_the_gravest_process() -> None:
    # production is vital but tolerates 8h; the minor kiosk tolerates only 30m.
    graph = graph_of(
        processes=[
            {
                "id": "production",
                "criticality": "vital",
                "max_downtime": "8h",
                "depends_on": ["mes"],
            },
            {"id": "kiosk", "criticality": "minor", "max_downtime": "30m", "depends_on": ["db"]},
            {
                "id": "invoicing",
                "criticality": "important",
                "max_downtime": "5d",
                "depends_on": ["db"],
            },
        ],
        assets=[{"id": "mes", "depends_on": ["db"]}, {"id": "db"}],
    )
    needs = strict_needs(graph)
    assert needs[asset("db")] == Need(Duration.parse("30m"), "kiosk", None)
    assert needs[asset("mes")] == Need(Duration.parse("8h"), "production", None)


def test_a_strict_need_reaches_the_provider_and_its_subcontractors() -> None:
    graph = graph_of(
        processes=[
            {
                "id": "production",
                "criticality": "vital",
                "max_downtime": "8h",
                "depends_on": ["mes"],
            }
        ],
        providers=[{"id": "integrateur", "subcontractors": ["ovhcloud"]}, {"id": "ovhcloud"}],
        assets=[{"id": "mes", "provider": "integrateur"}],
    )
    needs = strict_needs(graph)
    assert needs[provider("integrateur")].max_downtime == Duration.parse("8h")
    assert needs[provider("ovhcloud")].max_downtime == Duration.parse("8h")


def test_any_of_members_get_no_strict_need() -> None:
    graph = graph_of(
        processes=[
            {
                "id": "production",
                "criticality": "vital",
                "max_downtime": "8h",
                "depends_on": ["erp"],
            }
        ],
        assets=[
            {"id": "erp", "depends_on": [{"any_of": ["entra-id", "local-accounts"]}]},
            {"id": "entra-id", "depends_on": ["idp-db"]},
            {"id": "local-accounts"},
            {"id": "idp-db"},
        ],
    )
    needs = strict_needs(graph)
    assert asset("erp") in needs
    # Neither member, nor what a member needs, is strictly needed: the other member takes over.
    assert {asset("entra-id"), asset("local-accounts"), asset("idp-db")}.isdisjoint(needs)


def test_an_any_of_member_needed_directly_by_another_process_is_strictly_needed() -> None:
    graph = graph_of(
        processes=[
            {
                "id": "production",
                "criticality": "vital",
                "max_downtime": "8h",
                "depends_on": [{"any_of": ["entra-id", "local-accounts"]}],
            },
            {"id": "hr", "criticality": "useful", "max_downtime": "2d", "depends_on": ["entra-id"]},
        ],
        assets=[{"id": "entra-id"}, {"id": "local-accounts"}],
    )
    needs = strict_needs(graph)
    assert needs[asset("entra-id")] == Need(Duration.parse("2d"), "hr", None)
    assert asset("local-accounts") not in needs


def test_a_process_without_max_downtime_is_recorded_as_unknown() -> None:
    graph = graph_of(
        processes=[{"id": "payroll", "criticality": "important", "depends_on": ["hr-saas"]}],
        assets=[{"id": "hr-saas"}],
    )
    assert strict_needs(graph)[asset("hr-saas")] == Need(None, None, "payroll")


def test_an_unknown_max_downtime_is_kept_beside_a_known_one() -> None:
    graph = graph_of(
        processes=[
            {"id": "payroll", "criticality": "important", "depends_on": ["erp"]},
            {
                "id": "invoicing",
                "criticality": "important",
                "max_downtime": "5d",
                "depends_on": ["erp"],
            },
        ],
        assets=[{"id": "erp", "depends_on": ["db"]}, {"id": "db"}],
    )
    assert strict_needs(graph)[asset("db")] == Need(Duration.parse("5d"), "invoicing", "payroll")


def test_an_asset_no_process_needs_has_no_strict_need() -> None:
    graph = graph_of(
        processes=[
            {
                "id": "production",
                "criticality": "vital",
                "max_downtime": "8h",
                "depends_on": ["mes"],
            }
        ],
        assets=[{"id": "mes"}, {"id": "old-intranet"}],
    )
    assert asset("old-intranet") not in strict_needs(graph)
