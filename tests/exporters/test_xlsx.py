"""``--format xlsx``: the workbook re-read with openpyxl, cell by cell."""

from __future__ import annotations

import dataclasses
import io
from datetime import datetime
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from souverain.core.scoring.audit import AuditResult
from souverain.exporters.matrix import matrix_header, matrix_rows, reason_rows, reasons_header
from souverain.exporters.xlsx import LEVEL_COLOURS, SCORE_FILLS, XlsxExporter
from souverain.i18n import Lang


def workbook(result: AuditResult, lang: Lang) -> Workbook:
    return load_workbook(io.BytesIO(XlsxExporter().render(result, lang)))


def values(ws: Any) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def expected(rows: list[list[Any]]) -> list[list[Any]]:
    """What openpyxl reads back: empty strings are left as empty cells."""
    return [[None if v == "" else v for v in row] for row in rows]


def fill(cell: Any) -> str:
    return str(cell.fill.fgColor.rgb)[-6:]


def test_exporter_identity() -> None:
    assert (XlsxExporter.format, XlsxExporter.suffix, XlsxExporter.binary) == (
        "xlsx",
        ".xlsx",
        True,
    )


@pytest.mark.parametrize(
    ("lang", "names"),
    [("en", ["Matrix", "Reasons", "Summary"]), ("fr", ["Matrice", "Motifs", "Synthèse"])],
)
def test_sheet_names_are_in_the_language(mini_result: AuditResult, lang: Lang, names: list[str]):
    assert workbook(mini_result, lang).sheetnames == names


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_matrix_sheet_holds_the_matrix_rows(mini_result: AuditResult, lang: Lang) -> None:
    ws = workbook(mini_result, lang).worksheets[0]
    header = matrix_header(mini_result, lang)
    assert values(ws) == [header, *expected(matrix_rows(mini_result, lang))]


def test_matrix_first_row_is_the_worst_dependency(mini_result: AuditResult) -> None:
    ws = workbook(mini_result, "en")["Matrix"]
    assert ws.max_row == len(mini_result.dependencies) + 1 == 7
    assert ws["A2"].value == 1
    assert ws["B2"].value == "entra-id"
    assert ws["H1"].value == "Risk"
    assert ws["H2"].value == "critical"
    assert ws["B7"].value == "usine"
    assert ws["H7"].value == "low"


def test_numbers_stay_numbers(mini_result: AuditResult) -> None:
    ws = workbook(mini_result, "en")["Matrix"]
    exposure, jurisdiction = ws["L2"], ws["M2"]
    assert exposure.value == pytest.approx(3.62)
    assert exposure.data_type == "n"
    assert exposure.number_format == "0.00"
    assert jurisdiction.value == 4
    assert isinstance(jurisdiction.value, int)
    assert ws["T4"].value == 2  # exit readiness of erp
    assert ws["K2"].value == pytest.approx(0.08)  # entra-id's coverage, a share
    assert ws["K2"].number_format == "0%"


def test_french_matrix_labels_and_accents(mini_result: AuditResult) -> None:
    ws = workbook(mini_result, "fr")["Matrice"]
    assert ws["E1"].value == "Chaîne de contrôle"
    assert [ws.cell(row=r, column=8).value for r in range(2, 8)] == [
        "critique",
        "critique",
        "critique",
        "moyen",  # mes and local-accounts: nothing grave assessed, provisional
        "moyen",
        "faible",
    ]
    assert [ws.cell(row=r, column=10).value for r in (5, 6)] == ["élevé", "élevé"]
    assert ws["U3"].value == "inconnu"  # aws-eu-central-1: no exit estimate (issue 13)
    assert ws["E5"].value == "Intégrateur Bourgogne SARL (FR)"


def test_matrix_is_formatted_as_a_table(mini_result: AuditResult) -> None:
    ws = workbook(mini_result, "en")["Matrix"]
    assert all(cell.font.b for cell in ws[1])
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:X7"
    assert ws.column_dimensions["B"].width >= len("aws-eu-central-1")
    assert ws.page_setup.orientation == "landscape"


def test_level_and_score_cells_are_coloured(mini_result: AuditResult) -> None:
    ws = workbook(mini_result, "en")["Matrix"]
    assert fill(ws["H2"]) == LEVEL_COLOURS["critical"][0]
    assert fill(ws["H5"]) == LEVEL_COLOURS["medium"][0]  # mes, provisional
    assert fill(ws["J5"]) == LEVEL_COLOURS["high"][0]  # its level if confirmed
    assert fill(ws["H7"]) == LEVEL_COLOURS["low"][0]
    assert fill(ws["M2"]) == SCORE_FILLS[4]  # entra-id jurisdiction: 4
    assert fill(ws["P4"]) == SCORE_FILLS[0]  # erp supply chain: 0
    assert fill(ws["T4"]) == SCORE_FILLS[2]  # erp exit readiness 2, reversed: 4 - 2


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_reasons_sheet_holds_every_reason(mini_result: AuditResult, lang: Lang) -> None:
    ws = workbook(mini_result, lang).worksheets[1]
    rows = values(ws)
    assert rows == [reasons_header(lang), *expected(reason_rows(mini_result, lang))]
    # 74 before issue 13: the ERP's host and notice reasons, and the redundancy of
    # entra-id and local-accounts, not assessed (no region given)
    assert len(rows) == 79


def test_reasons_sheet_keeps_the_evidence(mini_result: AuditResult) -> None:
    ws = workbook(mini_result, "en")["Reasons"]
    assert [c.value for c in ws[2]] == [
        "entra-id",
        "Jurisdiction",
        4,
        "Amazon.com Inc. (United States) is subject to Test Data Access Act, which compel"
        " the providers of"
        " such services to hand over the data they hold or control wherever it is stored"
        " (chain: Amazon.com Inc.).",
        "no",
        "providers[amazon].country; catalog jurisdiction US: test-data-law",
        "test fixture",
        "2026-01-01",
    ]
    assert ws.freeze_panes == "B2"


def summary_values(result: AuditResult, lang: Lang) -> dict[str, list[Any]]:
    ws = workbook(result, lang).worksheets[2]
    return {row[0]: list(row[1:]) for row in ws.iter_rows(values_only=True) if row[0]}


def test_summary_sheet_in_english(mini_result: AuditResult) -> None:
    summary = summary_values(mini_result, "en")
    assert summary["Organisation"][0] == "Forges de Bourgogne"
    assert summary["Date"][0] == datetime(2026, 11, 23)
    assert summary["Methodology"][0] == "souverain-default 2026.11"
    # each level's count, then its count if the unknowns are confirmed
    assert [summary[level][:2] for level in ("critical", "high", "medium", "low")] == [
        [3, 3],
        [0, 2],
        [2, 0],
        [1, 1],
    ]
    assert summary["Total"][0] == 6
    assert summary["Provisional levels (findings not assessed could raise them)"][0] == 2
    assert summary["Dependencies with a finding not assessed on Jurisdiction"][0] == 1  # entra-id
    assert summary["Dependencies with a finding not assessed on Skills"][0] == 4
    assert summary["Reasons not assessed"][0] == 27
    cannot_exit = "Vital or important dependencies that cannot exit within max downtime"
    assert summary[cannot_exit][0] == 1  # erp; the two without an estimate are unknown
    assert summary["Amazon.com Inc."][:4] == ["US", 2, 5, pytest.approx(0.4)]
    assert summary["Amazon.com Inc."][4] == (
        "Amazon.com Inc. (United States) carries 2 of 5 vital or important dependencies"
    )


def test_summary_sheet_in_french(mini_result: AuditResult) -> None:
    ws = workbook(mini_result, "fr")["Synthèse"]
    summary = {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row[0]}
    assert summary["Méthodologie"] == "souverain-default 2026.11"
    assert summary["critique"] == 3
    assert summary["faible"] == 1
    assert summary["Motifs non évalués"] == 27
    assert ws["A1"].value == "Matrice des dépendances — Forges de Bourgogne"
    assert ws["A1"].font.b
    assert fill(ws["A12"]) == LEVEL_COLOURS["critical"][0]


def test_same_audit_same_bytes(mini_result: AuditResult) -> None:
    assert XlsxExporter().render(mini_result, "en") == XlsxExporter().render(mini_result, "en")


def test_text_that_looks_like_a_formula_stays_text(mini_result: AuditResult) -> None:
    first = dataclasses.replace(mini_result.dependencies[0], asset='=HYPERLINK("x","y")')
    result = dataclasses.replace(mini_result, dependencies=[first, *mini_result.dependencies[1:]])
    cell = workbook(result, "en")["Matrix"]["B2"]
    assert cell.value == '=HYPERLINK("x","y")'
    assert cell.data_type == "s"
