"""The radar outputs, each parsed back: BYOR CSV and JSON, Zalando config.json, SVG."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.planning.radar import Radar, alternatives_radar, dependencies_radar
from souverain.core.scoring.audit import AuditResult
from souverain.exporters.radar_interface import blip_description as described
from souverain.exporters.radar_svg import BLIP_R, LEVEL_COLOURS, RING_COLOURS, SCREEN_QUADRANT
from souverain.exporters.registry import RADAR_EXPORTERS, radar_exporter_for
from souverain.i18n import Lang

SVG = "{http://www.w3.org/2000/svg}"
BYOR_KEYS = ["name", "ring", "quadrant", "isNew", "description"]


@pytest.fixture()
def alternatives(atelier: AuditResult, radar_catalog: Catalog) -> Radar:
    return alternatives_radar(atelier, radar_catalog)


@pytest.fixture()
def dependencies(atelier: AuditResult, radar_catalog: Catalog) -> Radar:
    return dependencies_radar(atelier, radar_catalog)


def render(radar: Radar, fmt: str, lang: Lang) -> bytes:
    return radar_exporter_for(fmt).render(radar, lang)


# --- Build-Your-Own-Radar --------------------------------------------------------------


def test_byor_csv_reads_back(alternatives: Radar) -> None:
    data = render(alternatives, "csv", "en")
    assert not data.startswith(b"\xef\xbb\xbf")  # no BOM: BYOR would read it into "name"
    text = data.decode("utf-8")
    assert text.startswith("name,ring,quadrant,isNew,description\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(alternatives.blips)
    assert all(list(row) == BYOR_KEYS for row in rows)
    assert {r["ring"] for r in rows} <= {"Adopt", "Trial", "Assess", "Hold"}
    assert {r["quadrant"] for r in rows} <= {
        "Collaboration",
        "Business applications",
        "Infrastructure",
        "Data & identity",
    }
    assert {r["isNew"] for r in rows} == {"FALSE"}
    by_name = {r["name"]: r for r in rows}
    blip = next(b for b in alternatives.blips if b.id == "suite-t")
    # A name with quotes, a comma, an ampersand and angle brackets survives RFC 4180.
    assert by_name[blip.name]["description"] == described(blip, "en")
    assert by_name["Dolibarr"]["ring"] == "Adopt"
    assert by_name["Dolibarr"]["quadrant"] == "Business applications"
    # Rings come from the centre outwards: older BYORs number rings by first appearance.
    order = ["Adopt", "Trial", "Assess", "Hold"]
    seen = [r["ring"] for r in rows]
    assert seen == sorted(seen, key=order.index)


def test_byor_json_reads_back_in_french(alternatives: Radar) -> None:
    rows: list[dict[str, Any]] = json.loads(render(alternatives, "json", "fr"))
    assert isinstance(rows, list) and len(rows) == len(alternatives.blips)
    assert all(list(row) == BYOR_KEYS for row in rows)
    assert {r["ring"] for r in rows} <= {"Adopter", "Essayer", "Évaluer", "Suspendre"}
    assert "Applications métier" in {r["quadrant"] for r in rows}
    assert {r["isNew"] for r in rows} == {"FALSE"}
    assert all(isinstance(r["description"], str) and r["description"] for r in rows)
    assert len({r["quadrant"] for r in rows}) <= 4 and len({r["ring"] for r in rows}) <= 4
    dolibarr = next(r for r in rows if r["name"] == "Dolibarr")
    assert "Pourrait remplacer" in dolibarr["description"]


def test_byor_dependency_view(dependencies: Radar) -> None:
    rows = list(csv.DictReader(io.StringIO(render(dependencies, "csv", "en").decode(), newline="")))
    names = {r["name"]: r for r in rows}
    assert names["Messagerie"]["ring"] == "Hold"  # critical: a US SaaS on a vital process
    # A German SaaS on a vital process of which nothing else is known: high, provisional
    # (its unknowns, if confirmed, would make it critical; they no longer do by themselves)
    assert names["ERP SAP"]["ring"] == "Assess"
    assert len(rows) == len(dependencies.blips)


# --- Zalando ---------------------------------------------------------------------------


def test_zalando_config_structure(alternatives: Radar) -> None:
    config = json.loads(render(alternatives, "zalando", "en"))
    assert set(config) == {"date", "title", "quadrants", "rings", "entries"}
    assert config["date"] == "2026-11-23"
    assert "Atelier d'essai" in config["title"]
    assert len(config["quadrants"]) == 4 and all(set(q) == {"name"} for q in config["quadrants"])
    assert len(config["rings"]) == 4
    assert all(set(r) == {"name", "color"} for r in config["rings"])
    assert [r["name"] for r in config["rings"]] == ["ADOPT", "TRIAL", "ASSESS", "HOLD"]
    assert [r["color"] for r in config["rings"]] == list(RING_COLOURS.values())
    # Zalando counts clockwise from the bottom right; souverain draws data & identity there.
    names = [q["name"] for q in config["quadrants"]]
    assert names == ["Data & identity", "Infrastructure", "Collaboration", "Business applications"]
    assert SCREEN_QUADRANT["data-identity"] == "bottom-right"
    assert len(config["entries"]) == len(alternatives.blips)
    for entry, blip in zip(config["entries"], alternatives.blips, strict=True):
        assert set(entry) <= {"label", "quadrant", "ring", "moved", "active", "link"}
        assert {"label", "quadrant", "ring", "moved", "active"} <= set(entry)
        assert entry["label"] == blip.name
        assert entry["quadrant"] in range(4) and entry["ring"] in range(4)
        assert entry["moved"] == 0 and entry["active"] is True
        assert entry["link"] == blip.source
    dolibarr = next(e for e in config["entries"] if e["label"] == "Dolibarr")
    assert names[dolibarr["quadrant"]] == "Business applications"
    assert dolibarr["ring"] == 0


def test_zalando_dependency_view_in_french(dependencies: Radar) -> None:
    config = json.loads(render(dependencies, "zalando", "fr"))
    assert [r["name"] for r in config["rings"]] == ["ADOPTER", "ESSAYER", "ÉVALUER", "SUSPENDRE"]
    # Each ring holds one risk level: hold is critical's colour.
    assert config["rings"][3]["color"] == LEVEL_COLOURS["critical"]
    assert config["quadrants"][3] == {"name": "Applications métier"}
    erp = next(e for e in config["entries"] if e["label"] == "ERP SAP")
    assert erp["ring"] == 2 and erp["quadrant"] == 3  # high (provisional): évaluer
    mail = next(e for e in config["entries"] if e["label"] == "Messagerie")
    assert mail["ring"] == 3  # critical: suspendre
    assert all("link" not in e for e in config["entries"])  # estate assets have no URL


# --- SVG -------------------------------------------------------------------------------


def svg_tree(radar: Radar, lang: Lang) -> ET.Element:
    data = render(radar, "svg", lang)
    assert b"http://" not in data.replace(b"http://www.w3.org/2000/svg", b"")
    assert b"https://" not in data  # loads nothing: no fonts, links or images
    return ET.fromstring(data)


def circles(root: ET.Element) -> dict[int, tuple[float, float, float]]:
    out = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "blip":
            continue
        circle = group.find(f"{SVG}circle")
        number = group.find(f"{SVG}text")
        assert circle is not None and number is not None and number.text
        assert int(number.text) not in out, "blip number drawn twice"
        out[int(number.text)] = (
            float(circle.get("cx", "nan")),
            float(circle.get("cy", "nan")),
            float(circle.get("r", "nan")),
        )
    return out


def texts(root: ET.Element, cls: str) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.get("class") == cls]


@pytest.mark.parametrize("view", ["alternatives", "dependencies"])
def test_svg_every_blip_once_without_overlap(
    view: str, alternatives: Radar, dependencies: Radar
) -> None:
    radar = alternatives if view == "alternatives" else dependencies
    root = svg_tree(radar, "en")
    drawn = circles(root)
    assert sorted(drawn) == [b.number for b in radar.blips]
    for (_, (x1, y1, r1)), (_, (x2, y2, r2)) in itertools.combinations(drawn.items(), 2):
        assert math.hypot(x1 - x2, y1 - y2) >= r1 + r2
    assert {r for _, _, r in drawn.values()} == {BLIP_R}
    # The legend lists every blip once, by number, with its name.
    entries = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend-entry"]
    assert sorted(int(g.get("data-number", "0")) for g in entries) == sorted(drawn)
    names = texts(root, "legend-name")
    for blip in radar.blips:
        assert any(n.startswith(blip.name) for n in names), blip.name


def test_svg_blips_sit_in_their_quadrant_and_ring(alternatives: Radar) -> None:
    root = svg_tree(alternatives, "en")
    rings = sorted(
        float(c.get("r", "0"))
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "rings"
        for c in g.iter(f"{SVG}circle")
    )
    assert len(rings) == 4
    centre_x = float(next(t for t in root.iter(f"{SVG}line")).get("x1", "0")) + rings[-1]
    centre_y = float(next(t for t in root.iter(f"{SVG}line")).get("y1", "0"))
    drawn = circles(root)
    ring_index = {"adopt": 0, "trial": 1, "assess": 2, "hold": 3}
    for blip in alternatives.blips:
        x, y, r = drawn[blip.number]
        distance = math.hypot(x - centre_x, y - centre_y)
        index = ring_index[blip.ring]
        inner = rings[index - 1] if index else 0.0
        assert inner + r <= distance <= rings[index] - r
        horizontal, vertical = SCREEN_QUADRANT[blip.quadrant].split("-")[::-1]
        assert (x > centre_x) == (horizontal == "right")
        assert (y > centre_y) == (vertical == "bottom")


def test_svg_legend_colour_key_and_title(alternatives: Radar, dependencies: Radar) -> None:
    root = svg_tree(alternatives, "en")
    assert texts(root, "title") == ["Tech radar of alternatives — Atelier d'essai"]
    assert set(texts(root, "legend-quadrant")) == {
        "Collaboration",
        "Business applications",
        "Infrastructure",
        "Data & identity",
    }
    assert texts(root, "key-label") == ["Adopt", "Trial", "Assess", "Hold"]
    assert "2026-11-23" in texts(root, "subtitle")[0]
    replaced = " ".join(texts(root, "legend-name"))
    assert "← ERP SAP, Ancien ERP" in replaced  # each blip linked to what it replaces
    dep_root = svg_tree(dependencies, "en")
    assert texts(dep_root, "key-label") == ["critical", "high", "medium", "low"]
    fills = {
        c.get("fill")
        for g in dep_root.iter(f"{SVG}g")
        if g.get("class") == "blip"
        for c in g.iter(f"{SVG}circle")
    }
    assert fills <= set(LEVEL_COLOURS.values()) and LEVEL_COLOURS["critical"] in fills


def test_svg_in_french(alternatives: Radar) -> None:
    root = svg_tree(alternatives, "fr")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert texts(root, "title") == ["Radar technologique des alternatives — Atelier d'essai"]
    assert "Applications métier" in texts(root, "legend-quadrant")
    assert "Données et identité" in texts(root, "quadrant-label")
    assert set(texts(root, "ring-label")) == {"ADOPTER", "ESSAYER", "ÉVALUER", "SUSPENDRE"}
    assert texts(root, "key-label") == ["Adopter", "Essayer", "Évaluer", "Suspendre"]


def test_svg_of_an_empty_radar(mini_result: AuditResult, test_catalog: Catalog) -> None:
    radar = alternatives_radar(mini_result, test_catalog)
    root = svg_tree(radar, "fr")
    assert circles(root) == {}
    assert texts(root, "radar-empty") == [
        "Aucune alternative du catalogue ne correspond aux dépendances de cet inventaire."
    ]


def test_every_radar_format_is_registered() -> None:
    assert set(RADAR_EXPORTERS) == {"svg", "csv", "json", "zalando"}
    assert {radar_exporter_for(f).suffix for f in RADAR_EXPORTERS} == {".svg", ".csv", ".json"}
