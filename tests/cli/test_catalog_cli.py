"""``souverain catalog`` end to end: its JSON names are a contract (docs/catalog.md)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from souverain.cli.app import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["catalog", *args])
    return result.exit_code, result.stdout, result.stderr


def test_match_json_has_the_stable_names() -> None:
    code, out, _ = run("match", "Office 365 E3 licences", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) >= {"query", "ambiguous", "matches"}
    assert doc["query"] == "Office 365 E3 licences" and doc["ambiguous"] is False
    best = doc["matches"][0]
    assert set(best) >= {"id", "kind", "name", "confidence"}
    assert (best["id"], best["kind"], best["name"]) == ("microsoft-365", "product", "Microsoft 365")
    assert [m["confidence"] for m in doc["matches"]] == sorted(
        (m["confidence"] for m in doc["matches"]), reverse=True
    )


def test_match_table_warns_when_ambiguous(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "souverain_catalog: 1\nkind: provider\nentries:\n"
        "  - {id: zz-one, name: Zyxel Zed One, aliases: [Zedcorp], source: s, as_of: 2026-01-01}\n"
        "  - {id: zz-two, name: Zyxel Zed Two, aliases: [Zedcorp], source: s, as_of: 2026-01-01}\n",
        encoding="utf-8",
    )
    code, out, err = run("match", "Zedcorp", "--catalog", str(tmp_path), "--lang", "en")
    assert code == 0 and "zz-one" in out and "zz-two" in out
    assert "Ambiguous" in err
    code, out, _ = run("match", "Zedcorp", "--catalog", str(tmp_path), "-f", "json")
    assert json.loads(out)["ambiguous"] is True


def test_match_without_result_exits_1_in_table_view() -> None:
    code, _, err = run("match", "qqqq zzzz", "--lang", "fr")
    assert code == 1 and "Aucune entrée" in err


def test_show_a_provider_gives_its_owner_chain_and_sources() -> None:
    code, out, _ = run("show", "aws-emea", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert {"id", "kind", "name", "country", "owner_chain", "sources"} <= set(doc)
    assert (doc["id"], doc["kind"], doc["country"]) == ("aws-emea", "provider", "LU")
    assert doc["owner_chain"] and doc["owner_chain"][-1]["id"] == "amazon"
    assert doc["owner_chain"][-1]["country"] == "US"
    assert all({"source", "as_of"} <= set(s) for s in doc["sources"])


def test_show_a_parent_has_an_empty_owner_chain() -> None:
    doc = json.loads(run("show", "amazon", "-f", "json")[1])
    assert doc["owner_chain"] == []


def test_show_a_product_names_its_provider() -> None:
    doc = json.loads(run("show", "microsoft-365", "-f", "json")[1])
    assert (doc["kind"], doc["provider"], doc["country"]) == ("product", "microsoft", "US")


def test_show_an_unknown_id_exits_1() -> None:
    code, _, err = run("show", "no-such-thing", "--lang", "en")
    assert code == 1 and "no-such-thing" in err


def test_show_table_lists_the_sources() -> None:
    code, out, _ = run("show", "aws-emea", "--lang", "fr")
    assert code == 0 and "Sources" in out and "Amazon" in out


def test_stats_json_counts_every_kind() -> None:
    code, out, _ = run("stats", "--format", "json", "--as-of", "2026-11-23")
    assert code == 0
    stats = json.loads(out)
    keys = {"jurisdictions", "providers", "products", "standards", "alternatives", "categories"}
    assert keys | {"stale"} <= set(stats)
    # The floor the shipped knowledge base keeps to.
    assert stats["providers"] >= 200 and stats["products"] >= 400
    assert stats["standards"] >= 50 and stats["categories"] >= 30
    assert stats["jurisdictions"] >= 45


def test_search_finds_by_alias_and_filters_by_kind() -> None:
    code, out, _ = run("search", "office 365", "--kind", "product", "-f", "json")
    assert code == 0
    ids = [r["id"] for r in json.loads(out)["results"]]
    assert "microsoft-365" in ids


def test_validate_passes_on_the_shipped_catalog() -> None:
    code, out, err = run("validate", "--as-of", "2026-11-23", "--lang", "en")
    assert code == 0, err
    assert "Catalog valid" in out


def test_validate_fails_with_located_problems_in_an_override(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "souverain_catalog: 1\nkind: product\nentries:\n"
        "  - id: mine\n    name: My tool\n    category: erp\n    provider: microsoft\n"
        "    exports: [carrier-pigeon]\n    source: s\n    as_of: 2026-01-01\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        "validate", "--catalog", str(tmp_path), "-f", "json", "--as-of", "2026-11-23"
    )
    assert code == 1
    doc = json.loads(out)
    assert doc["valid"] is False
    [error] = [e for e in doc["errors"] if e["file"].endswith("mine.yaml")]
    assert (error["line"], error["field"], error["found"]) == (
        8,
        "entries[0].exports[0]",
        "'carrier-pigeon'",
    )


def test_validate_reports_a_dangling_reference_as_a_load_error(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "souverain_catalog: 1\nkind: provider\nentries:\n"
        "  - {id: mine, name: Mine, owner: nobody-at-all, source: s, as_of: 2026-01-01}\n",
        encoding="utf-8",
    )
    code, _, err = run("validate", "--catalog", str(tmp_path), "--lang", "en")
    assert code == 1 and "nobody-at-all" in err
