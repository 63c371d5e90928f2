"""The ``souverain`` command end to end, through typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from souverain import __version__
from souverain.cli.app import app

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0
    assert out.strip() == f"souverain {__version__}"


def test_audit_json_has_the_stable_names() -> None:
    code, out, _ = run(
        "audit",
        str(EXAMPLES / "forges-bourgogne.yaml"),
        "-f",
        "json",
        "--as-of",
        "2026-11-23",
        "--lang",
        "en",
    )
    assert code == 0
    document = json.loads(out)
    assert document["souverain"] == __version__
    assert document["organisation"]["country"] == "FR"
    assert document["summary"]["dependencies"] == len(document["dependencies"])
    first = document["dependencies"][0]
    assert {"asset", "provider", "gravity", "level", "exposure", "exit"} <= set(first)
    assert set(first["exposure"]) == {
        "jurisdiction",
        "data_control",
        "operations",
        "supply_chain",
        "lock_in",
        "contract",
        "skills",
    }
    assert {"readiness", "can_exit_within_max_downtime", "reasons"} <= set(first["exit"])
    levels = [d["level"] for d in document["dependencies"]]
    order = ["critical", "high", "medium", "low"]
    assert levels == sorted(levels, key=order.index), "the matrix is sorted by risk"


def test_audit_json_matches_the_published_schema() -> None:
    from souverain.exporters.schema import AuditOut

    code, out, _ = run(
        "audit",
        str(EXAMPLES / "assurance-mutuelle.yaml"),
        "-f",
        "json",
        "--as-of",
        "2026-11-23",
        "--lang",
        "fr",
    )
    assert code == 0
    AuditOut.model_validate(json.loads(out))


def test_audit_in_french_speaks_french() -> None:
    code, out, _ = run(
        "audit", str(EXAMPLES / "mairie-exemple.yaml"), "--lang", "fr", "--as-of", "2026-11-23"
    )
    assert code == 0
    assert "Matrice des dépendances" in out
    assert "Synthèse" in out


def test_audit_writes_the_output_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "matrix.csv"
    code, _, err = run(
        "audit",
        str(DATA / "forges-mini.yaml"),
        "-f",
        "csv",
        "-o",
        str(target),
        "--lang",
        "en",
        "--as-of",
        "2026-11-23",
    )
    assert code == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbf#,Asset")
    assert str(target) in err
    assert [p.name for p in target.parent.iterdir()] == ["matrix.csv"], "no temporary file left"


def test_bad_estate_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "souverain: 1\norganisation: {name: X}\nprocesses:\n"
        "  - {id: p, criticality: vitl, depends_on: [ghost]}\n"
        "assets:\n  - {id: a, deployment: cloud}\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.json"
    code, out, err = run("audit", str(bad), "-f", "json", "-o", str(target), "--lang", "en")
    assert code == 1
    assert "3 problem(s)" in err
    assert f"{bad}:4: processes[0].criticality" in err
    assert f"{bad}:4: processes[0].depends_on[0]: unknown asset" in err
    assert f"{bad}:6: assets[0].deployment" in err
    assert "Traceback" not in err + out
    assert not target.exists(), "nothing is written when the input is bad"


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run("audit", str(tmp_path / "nope.yaml"), "--lang", "fr")
    assert code == 1
    assert "fichier introuvable" in err


def test_bad_as_of_date_is_a_usage_error() -> None:
    code, _, err = run("audit", str(DATA / "forges-mini.yaml"), "--as-of", "23/11/2026")
    assert code == 2
    assert "YYYY-MM-DD" in err


def test_methodology_override_changes_the_result(tmp_path: Path) -> None:
    shipped = (ROOT / "src" / "souverain" / "data" / "methodology.yaml").read_text("utf-8")
    # A methodology that calls everything vital "low" whatever the exposure.
    custom = shipped.replace(
        "vital:     [low, medium, high, critical, critical]", "vital:     [low, low, low, low, low]"
    )
    assert custom != shipped
    path = tmp_path / "method.yaml"
    path.write_text(custom, encoding="utf-8")
    args = ["audit", str(DATA / "forges-mini.yaml"), "-f", "json", "--as-of", "2026-11-23"]
    _, before, _ = run(*args)
    code, after, _ = run(*args, "--methodology", str(path))
    assert code == 0
    level = {d["asset"]: d["level"] for d in json.loads(before)["dependencies"]}
    level_after = {d["asset"]: d["level"] for d in json.loads(after)["dependencies"]}
    assert level["erp"] == "critical"
    assert level_after["erp"] == "low"


def test_invalid_methodology_is_located(tmp_path: Path) -> None:
    path = tmp_path / "method.yaml"
    path.write_text("souverain_methodology: 1\nid: x\n", encoding="utf-8")
    code, _, err = run("audit", str(DATA / "forges-mini.yaml"), "--methodology", str(path))
    assert code == 1
    assert str(path) in err


def test_catalog_override_replaces_an_entry(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "sap.yaml").write_text(
        "souverain_catalog: 1\nkind: provider\nentries:\n"
        "  - {id: sap, name: SAP SE, country: US, source: test, as_of: 2026-11-01}\n",
        encoding="utf-8",
    )
    estate = tmp_path / "estate.yaml"
    estate.write_text(
        "souverain: 1\norganisation: {name: X}\n"
        "processes: [{id: p, criticality: vital, depends_on: [erp]}]\n"
        "providers: [{id: sap, catalog: sap}]\n"
        "assets: [{id: erp, provider: sap, deployment: saas}]\n",
        encoding="utf-8",
    )
    args = ["audit", str(estate), "-f", "json", "--as-of", "2026-11-23"]
    _, before, _ = run(*args)
    code, after, _ = run(*args, "--catalog", str(catalog))
    assert code == 0
    chain = lambda doc: json.loads(doc)["dependencies"][0]["owner_chain"]  # noqa: E731
    assert chain(before)[0]["country"] == "DE"
    assert chain(after)[0]["country"] == "US"
    assert json.loads(after)["dependencies"][0]["exposure"]["jurisdiction"]["score"] == 4


@pytest.mark.parametrize("kind", ["estate", "audit", "methodology"])
def test_schema_is_json_schema(kind: str) -> None:
    code, out, _ = run("schema", kind)
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"].endswith("2020-12/schema")
    assert "properties" in schema


def test_estate_schema_names_the_contract_fields() -> None:
    _, out, _ = run("schema")
    properties = json.loads(out)["properties"]
    assert {
        "souverain",
        "organisation",
        "processes",
        "providers",
        "assets",
        "contracts",
        "processing",
    } <= set(properties)


def test_demo_writes_every_format_in_both_languages(tmp_path: Path) -> None:
    code, _, _ = run("demo", "-o", str(tmp_path), "--examples", str(EXAMPLES), "--lang", "en")
    assert code == 0
    names = {p.name for p in tmp_path.iterdir()}
    for stem in ("forges-bourgogne", "mairie-exemple", "assurance-mutuelle"):
        for lang in ("en", "fr"):
            for suffix in (".txt", ".json", ".csv", ".xlsx", ".ods", ".html"):
                assert f"{stem}.{lang}{suffix}" in names
        for lang in ("en", "fr"):
            roadmap = json.loads((tmp_path / f"{stem}.roadmap.{lang}.json").read_text("utf-8"))
            assert roadmap["phases"] and "exit_plans" in roadmap
            assert (tmp_path / f"{stem}.roadmap.{lang}.md").read_text("utf-8").startswith("#")
        ranking = json.loads((tmp_path / f"{stem}.scenarios.json").read_text(encoding="utf-8"))
        assert ranking[0]["rank"] == 1 and set(ranking[0]) >= {"scenario", "processes"}


def test_problems_are_worded_in_french(tmp_path: Path) -> None:
    bad = tmp_path / "mauvais.yaml"
    bad.write_text(
        "souverain: 1\norganisation: {name: X}\nassets:\n  - {id: a, depends_on: [b]}\n",
        encoding="utf-8",
    )
    code, _, err = run("audit", str(bad), "--lang", "fr")
    assert code == 1
    assert "1 problème(s)" in err
    assert f"{bad}:4: assets[0].depends_on[0]: actif inconnu" in err
    assert "attendu : l'identifiant d'un élément de assets de cet inventaire ; trouvé : 'b'" in err
