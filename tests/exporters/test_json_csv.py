"""``--format json`` and ``--format csv``: the stable names and the matrix rows."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from souverain import __version__
from souverain.core.scoring.audit import AuditResult
from souverain.exporters.csv import CsvExporter
from souverain.exporters.json import JsonExporter
from souverain.exporters.matrix import audit_document, matrix_header, matrix_rows
from souverain.exporters.safe import json_bytes, json_pieces
from souverain.exporters.schema import AuditOut
from souverain.i18n import Lang

AXES = (
    "jurisdiction",
    "data_control",
    "operations",
    "supply_chain",
    "lock_in",
    "contract",
    "skills",
)


def document(result: AuditResult, lang: Lang) -> dict[str, Any]:
    data = JsonExporter().render(result, lang)
    assert data.endswith(b"\n")
    parsed: dict[str, Any] = json.loads(data.decode("utf-8"))
    return parsed


def test_json_has_the_stable_names(mini_result: AuditResult) -> None:
    doc = document(mini_result, "en")
    assert doc["souverain"] == __version__
    assert doc["lang"] == "en"
    assert doc["date"] == "2026-11-23"
    assert doc["organisation"]["name"] == "Forges de Bourgogne"
    # mes and local-accounts: their grave findings are all "not assessed": medium, provisional
    assert doc["summary"]["levels"] == {"critical": 3, "high": 0, "medium": 2, "low": 1}
    assert doc["summary"]["levels_if_confirmed"] == {
        "critical": 3,
        "high": 2,
        "medium": 0,
        "low": 1,
    }
    assert doc["summary"]["provisional"] == 2
    assert len(doc["dependencies"]) == 6
    for dep in doc["dependencies"]:
        assert {"asset", "provider", "gravity", "level", "exposure", "exit"} <= set(dep)
        assert set(dep["exposure"]) == set(AXES)
        for axis in AXES:
            score = dep["exposure"][axis]["score"]
            assert isinstance(score, int)
            assert 0 <= score <= 4
            assert dep["exposure"][axis]["reasons"], (dep["asset"], axis)
            assert all(r["text"] and r["ref"] for r in dep["exposure"][axis]["reasons"])
        assert {"readiness", "can_exit_within_max_downtime", "reasons"} <= set(dep["exit"])
        # three-valued: null when it cannot be told (issue 13)
        assert dep["exit"]["can_exit_within_max_downtime"] in (True, False, None)
    AuditOut.model_validate(doc)


def test_json_values_of_the_mini_estate(mini_result: AuditResult) -> None:
    deps = {d["asset"]: d for d in document(mini_result, "en")["dependencies"]}
    first = document(mini_result, "en")["dependencies"][0]
    assert (first["rank"], first["asset"], first["level"]) == (1, "entra-id", "critical")
    assert first["exposure"]["jurisdiction"]["score"] == 4
    assert first["exposure"]["jurisdiction"]["reasons"][0]["source"] == "test fixture"
    assert first["exposure"]["jurisdiction"]["reasons"][0]["as_of"] == "2026-01-01"
    erp = deps["erp"]
    assert erp["provider"] == "sap"
    assert erp["gravity"] == "vital"
    # 3.38, not 2.75: its AWS host now scores like a provider (issue 13, jurisdiction 4).
    assert erp["exposure_score"] == pytest.approx(3.38)
    assert erp["exit"]["readiness"] == 2
    assert erp["exit"]["can_exit_within_max_downtime"] is False
    assert erp["exit"]["time_to_exit"] == "120d"
    assert erp["exit"]["max_downtime"] == "8h"
    assert deps["usine"]["level"] == "low"
    assert deps["usine"]["provider"] is None


def test_json_in_french(mini_result: AuditResult) -> None:
    raw = JsonExporter().render(mini_result, "fr")
    assert "é".encode() in raw  # accents are written as text, not \u escapes
    doc = json.loads(raw)
    assert doc["lang"] == "fr"
    mes = next(d for d in doc["dependencies"] if d["asset"] == "mes")
    assert mes["exposure"]["contract"]["reasons"][0]["text"] == (
        "Non évalué : aucun contrat avec Intégrateur Bourgogne SARL n'est rattaché."
    )
    assert doc["summary"]["concentration"][0]["text"] == (
        "Amazon.com Inc. (États-Unis) porte 2 dépendances vitales ou importantes sur 5"
    )


def csv_rows(result: AuditResult, lang: Lang) -> list[list[str]]:
    data = CsvExporter().render(result, lang)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM, so that spreadsheets read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_csv_is_the_matrix(mini_result: AuditResult, lang: Lang) -> None:
    rows = csv_rows(mini_result, lang)
    assert rows[0] == matrix_header(mini_result, lang)
    assert rows[1:] == [[str(v) for v in row] for row in matrix_rows(mini_result, lang)]


def test_csv_values_of_the_mini_estate(mini_result: AuditResult) -> None:
    rows = csv_rows(mini_result, "fr")
    assert len(rows) == 7
    assert rows[0][:2] == ["n°", "Actif"]
    assert rows[1][:2] == ["1", "entra-id"]
    assert rows[1][7:12] == ["critique", "non", "critique", "0.08", "3.62"]
    assert rows[4][3] == "Intégrateur Bourgogne SARL"
    # mes: nothing grave is assessed: medium, provisional, high if the unknowns are confirmed
    assert rows[4][1] == "mes"
    assert rows[4][7:10] == ["moyen", "oui", "élevé"]
    assert CsvExporter().render(mini_result, "en").count(b"\r\n") == 7


def test_json_pieces_are_the_whole_document(mini_result: AuditResult) -> None:
    # The CLI writes the pieces one after the other: they must make the same bytes as
    # the one document serialised whole.
    pieces = JsonExporter().pieces(mini_result, "fr")
    assert len(pieces) > 2
    assert b"".join(pieces) == json_bytes(audit_document(mini_result, "fr"))


@pytest.mark.parametrize("count", [0, 1, 3])
def test_json_pieces_of_a_list_with_controls_and_nesting(count: int) -> None:
    items = [
        {"text": f"ligne\x00{n}\u0085", "nested": {"deep": [n, {"k": '\n  "x": []'}]}}
        for n in range(count)
    ]
    head: dict[str, Any] = {"before": {"a": [1]}, "x": [], "after": "fin\x07"}
    whole = json_bytes({**head, "x": items})
    assert b"".join(json_pieces(head, "x", iter(items))) == whole
    assert b"\x00" not in whole and b"\\u0000" not in whole
