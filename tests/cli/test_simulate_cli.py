"""``souverain simulate`` end to end: its JSON names are a contract (docs/scenarios.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from souverain.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
FORGES = str(ROOT / "examples" / "forges-bourgogne.yaml")
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["simulate", *args, "--as-of", "2026-11-23"])
    return result.exit_code, result.stdout, result.stderr


def test_one_scenario_as_json() -> None:
    code, out, _ = run(FORGES, "--scenario", "jurisdiction:US", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {
        "scenario",
        "equivalent",
        "processes",
        "assets",
        "lost_data",
        "unreachable_data",
    }
    assert doc["scenario"] == "jurisdiction:US"
    for process in doc["processes"]:
        assert set(process) == {"id", "state", "time_to_impact", "exceeds_max_downtime"}
        assert process["state"] in ("up", "unpatched", "degraded", "down")
    states = {p["id"]: p["state"] for p in doc["processes"]}
    # The ERP is SaaS from SAP hosted at AWS (US-owned): invoicing stops at once;
    # the MES runs on premises, its licence terms unknown: unpatched, perhaps to stop.
    assert states["invoicing"] == "down"
    assert all(a["state"] in ("unpatched", "degraded", "down") for a in doc["assets"])
    assert "invoices" in doc["unreachable_data"]


def test_every_single_loss_ranked() -> None:
    code, out, _ = run(FORGES, "--all", "-f", "json")
    assert code == 0
    ranking = json.loads(out)
    assert [r["rank"] for r in ranking] == list(range(1, len(ranking) + 1))
    specs = {r["scenario"] for r in ranking}
    # An owner group reaching only one provider is that provider's line (equivalent).
    named = specs | {e for r in ranking for e in r["equivalent"]}
    assert {"provider:sap", "jurisdiction:US", "sanction:US", "owner:amazon"} <= named
    assert "owner:amazon" not in specs
    # The organisation's own laws (FR), and the EU's, are no foreign reach.
    assert not {"jurisdiction:FR", "jurisdiction:DE", "jurisdiction:IE"} & named

    def vital_beyond(entry: dict[str, object]) -> int:
        return sum(
            1
            for p in entry["processes"]  # type: ignore[attr-defined]
            if p["id"] == "production"  # the vital process
            and p["state"] != "up"
            and p["exceeds_max_downtime"]
        )

    ranks = [vital_beyond(r) for r in ranking]
    assert ranks == sorted(ranks, reverse=True)


def test_table_view_in_french(tmp_path: Path) -> None:
    code, out, _ = run(FORGES, "-s", "provider:siemens", "--lang", "fr", "--grace", "60d")
    assert code == 0 and "dégradé" in out and "60d" in out


def test_a_bad_scenario_exits_2_with_the_expected_form() -> None:
    code, _, err = run(FORGES, "-s", "vendor:sap", "--lang", "en")
    assert code == 2 and "vendor:sap" in err and "provider" in err


def test_an_unknown_provider_exits_2() -> None:
    code, _, err = run(FORGES, "-s", "provider:nobody", "--lang", "en")
    assert code == 2 and "nobody" in err


def test_scenario_and_all_are_exclusive() -> None:
    assert run(FORGES)[0] == 2
    assert run(FORGES, "--all", "-s", "provider:sap")[0] == 2


def test_a_bad_grace_period_is_refused() -> None:
    code, _, err = run(FORGES, "--all", "--grace", "soon", "--lang", "en")
    assert code == 2 and "30d" in err


def test_graph_findings_worked_out_in_a_forked_process_are_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Large estates get their graph findings from a forked child; they must be the
    ones the audit would work out itself."""
    import souverain.pipeline as pipeline
    from souverain.cli.app import app as main_app

    args = ["audit", FORGES, "-f", "json", "--as-of", "2026-11-23", "--lang", "en"]
    inline = runner.invoke(main_app, args)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM_BYTES", 0)
    forked = runner.invoke(main_app, args)
    assert inline.exit_code == forked.exit_code == 0
    summary = json.loads(forked.stdout)["summary"]
    assert summary["single_points_of_failure"] and summary["dependence"]
    assert json.loads(inline.stdout) == json.loads(forked.stdout)
