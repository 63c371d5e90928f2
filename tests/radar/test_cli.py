"""``souverain radar`` end to end, through typer's runner."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from souverain.cli.app import app

RADAR_DATA = Path(__file__).parent / "data"
ESTATE = str(RADAR_DATA / "atelier.yaml")
CATALOG = str(RADAR_DATA / "catalog")
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["radar", ESTATE, "--catalog", CATALOG, "--as-of", "2026-11-23", *args]
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("radar.svg", "svg"), ("radar.csv", "csv"), ("radar.json", "json"), ("RADAR.SVG", "svg")],
)
def test_format_from_the_extension(tmp_path: Path, name: str, fmt: str) -> None:
    target = tmp_path / name
    code, _, err = run("-o", str(target), "--lang", "en")
    assert code == 0, err
    assert f"Wrote {target}" in err
    data = target.read_bytes()
    if fmt == "svg":
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
        assert "Dolibarr" in {r["name"] for r in rows}
    else:
        rows = json.loads(data)
        assert isinstance(rows, list)
        assert set(rows[0]) == {"name", "ring", "quadrant", "isNew", "description"}


def test_zalando_format_overrides_the_extension(tmp_path: Path) -> None:
    target = tmp_path / "config.json"
    code, _, err = run("-o", str(target), "--format", "zalando", "--lang", "fr")
    assert code == 0, err
    config = json.loads(target.read_text("utf-8"))
    assert set(config) == {"date", "title", "quadrants", "rings", "entries"}
    assert config["rings"][0]["name"] == "ADOPTER"


def test_unknown_extension_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "radar.png"
    code, _, err = run("-o", str(target), "--lang", "en")
    assert code == 2
    assert "'.png'" in err and ".svg, .csv or .json" in err
    assert not target.exists()
    code, _, err = run("-o", str(tmp_path / "radar"), "--lang", "fr")
    assert code == 2 and "impossible de déduire le format" in err


def test_table_without_output() -> None:
    code, out, _ = run("--lang", "en")
    assert code == 0
    assert "Tech radar of alternatives" in out
    assert "Dolibarr" in out and "ERP SAP, Ancien ERP" in out


def test_dependency_view_table_in_french() -> None:
    code, out, _ = run("--view", "dependencies", "--lang", "fr")
    assert code == 0
    assert "Dépendances actuelles par niveau de risque" in out
    assert "Suspendre" in out and "critique" in out


def test_format_without_output_goes_to_stdout() -> None:
    code, out, _ = run("--format", "csv", "--view", "dependencies", "--lang", "en")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["name"] for r in rows} >= {"ERP SAP", "Messagerie", "Usine"}


def test_invalid_estate_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("souverain: 1\norganisation: {name: X}\nassets: [{id: 3}]\n", "utf-8")
    result = runner.invoke(app, ["radar", str(bad), "-o", str(tmp_path / "r.svg")])
    assert result.exit_code == 1
    assert not (tmp_path / "r.svg").exists()


def test_bad_date_exits_2() -> None:
    result = runner.invoke(app, ["radar", ESTATE, "--as-of", "yesterday"])
    assert result.exit_code == 2
