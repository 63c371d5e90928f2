"""The deliverables workbook: one sheet per deliverable, .xlsx and .ods,
re-read with openpyxl and python-calamine and checked against the same data."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from souverain.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
FORGES = str(ROOT / "examples" / "forges-bourgogne.yaml")
runner = CliRunner()
SHEETS = {
    "en": ["Matrix", "Reasons", "Summary", "Scenarios", "Radar", "Roadmap", "Exit plans"],
    "fr": [
        "Matrice",
        "Motifs",
        "Synthèse",
        "Scénarios",
        "Radar",
        "Feuille de route",
        "Plans de sortie",
    ],
}


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--as-of", "2026-11-23"])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wb") / "livrables.xlsx"
    code, _, err = run("workbook", FORGES, "-o", str(path), "--lang", "fr")
    assert code == 0, err
    return path


def test_one_sheet_per_deliverable(workbook: Path) -> None:
    assert openpyxl.load_workbook(workbook).sheetnames == SHEETS["fr"]


def test_the_sheets_hold_what_the_commands_print(workbook: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    _, ranking, _ = run("simulate", FORGES, "--all", "-f", "json")
    scenarios = [row for row in book["Scénarios"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[1]) for r in scenarios] == [
        (e["rank"], " = ".join([e["scenario"], *e["equivalent"]])) for e in json.loads(ranking)
    ]
    _, roadmap, _ = run("roadmap", FORGES, "-f", "json", "--lang", "fr")
    document = json.loads(roadmap)
    actions = [a["id"] for phase in document["phases"] for a in phase["actions"]]
    rows = list(book["Feuille de route"].iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in rows] == actions
    plans = list(book["Plans de sortie"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in plans] == [p["asset"] for p in document["exit_plans"]]
    radar_json = tmp_path / "radar.json"
    run("radar", FORGES, "-o", str(radar_json), "--lang", "fr")
    blips = json.loads(radar_json.read_text(encoding="utf-8"))
    radar_rows = list(book["Radar"].iter_rows(min_row=2, values_only=True))
    assert len(radar_rows) == len(blips)
    assert {r[1] for r in radar_rows} == {b["name"] for b in blips}


def test_the_ods_workbook_has_the_same_sheets_in_english(tmp_path: Path) -> None:
    path = tmp_path / "deliverables.ods"
    code, _, _ = run("workbook", FORGES, "-o", str(path), "--lang", "en")
    assert code == 0
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == SHEETS["en"]
    rows = book.get_sheet_by_name("Scenarios").to_python()
    assert rows[0][1] == "Scenario" and rows[1][0] == 1


def test_an_unknown_extension_is_refused_and_nothing_written(tmp_path: Path) -> None:
    code, _, err = run("workbook", FORGES, "-o", str(tmp_path / "x.txt"), "--lang", "en")
    assert code == 2 and ".xlsx" in err
    assert not list(tmp_path.iterdir())
