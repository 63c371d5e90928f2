"""What the exporters write when names are hostile.

The loaders refuse control characters; the writers are the second guard. The estate
here is built past the loader (a loaded example whose names are replaced in the model),
so that every writer meets control characters, spreadsheet formulas, markup and the
characters each format gives a meaning to. Every format is rendered in-process and
read back with a parser of its own kind.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from souverain.cli.report import report_inputs, report_parts
from souverain.core.catalog.model import Catalog
from souverain.core.planning.exit_plans import exit_plans
from souverain.core.planning.generation import generate_actions
from souverain.core.planning.phases import DEFAULT_CAPACITY_DAYS_PER_MONTH
from souverain.core.planning.radar import Radar, radar_for
from souverain.core.planning.roadmap import build_roadmap
from souverain.core.scoring.audit import AuditResult, audit
from souverain.core.text import printable
from souverain.exporters.exit_plans import exit_plan_document
from souverain.exporters.registry import exporter_for, radar_exporter_for
from souverain.exporters.report import render_html
from souverain.exporters.roadmap import (
    render_csv,
    render_ics,
    render_json,
    render_md,
    roadmap_document,
)
from souverain.exporters.workbook import workbook_bytes
from souverain.importers.estate import load_estate
from souverain.resources import load_catalog, load_methodology
from tests.conftest import TODAY

FORGES = Path(__file__).parents[2] / "examples" / "forges-bourgogne.yaml"

# What a spreadsheet would run (OWASP's list: = + - @ tab, carriage return).
FORMULAS = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tTab",
    "\rReturn",
    "=1+1",
]
# Control characters, markup and each format's own special characters.
CONTROLS = "\x00\x07\x1b[2J\x0b\x85"
MARKUP = [
    f"Ctrl{CONTROLS}name",
    "<script>alert(1)</script>",
    "CDATA ]]> end",
    "pipe | in ` a name",
    "two\nlines",
    "[a link](http://evil)",
    "ics; comma, back\\slash",
    "\x1b]0;title\x07osc",
]
NAMES = FORMULAS + MARKUP
ORGANISATION = f"Forges{CONTROLS} <script>x</script> | `o` ]]>;,\\\nnext"
# Any control character but tab, line feed and carriage return.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def _hostile(i: int) -> str:
    return NAMES[i % len(NAMES)]


@dataclass
class Hostile:
    result: AuditResult
    catalog: Catalog
    radars: dict[str, Radar]
    roadmap: dict[str, Any]


@pytest.fixture(scope="module")
def hostile() -> Hostile:
    """The Forges example with hostile names everywhere a name can be, past the loader."""
    catalog = load_catalog()
    estate = load_estate(FORGES)
    update = {
        "organisation": estate.organisation.model_copy(
            update={"name": ORGANISATION, "sector": "=sector\x00", "regimes": ["@NIS2\x1b"]}
        ),
        "processes": [
            p.model_copy(update={"name": _hostile(i + 3)}) for i, p in enumerate(estate.processes)
        ],
        "providers": [
            p.model_copy(update={"name": _hostile(i + 5)}) for i, p in enumerate(estate.providers)
        ],
        "assets": [a.model_copy(update={"name": _hostile(i)}) for i, a in enumerate(estate.assets)],
    }
    result = audit(estate.model_copy(update=update), load_methodology(), catalog, TODAY)
    radars = {}
    for view in ("alternatives", "dependencies"):
        radar = radar_for(view, result, catalog)  # type: ignore[arg-type]
        blips = tuple(replace(b, name=_hostile(n)) for n, b in enumerate(radar.blips))
        radars[view] = replace(radar, blips=blips)
    actions = generate_actions(result, catalog)
    roadmap = build_roadmap(result, actions, catalog, DEFAULT_CAPACITY_DAYS_PER_MONTH, None)
    plans = [exit_plan_document(p, "en") for p in exit_plans(result, catalog)]
    return Hostile(result, catalog, radars, roadmap_document(roadmap, result, "en", plans))


@pytest.fixture(scope="module")
def outputs(hostile: Hostile) -> dict[str, bytes]:
    """Every format, rendered once."""
    result = hostile.result
    out = {
        f"audit.{f}": exporter_for(f).render(result, "en")
        for f in ("json", "csv", "xlsx", "ods", "html")
    }
    for view, radar in hostile.radars.items():
        for f in ("svg", "csv", "json", "zalando"):
            out[f"radar.{view}.{f}"] = radar_exporter_for(f).render(radar, "en")
    out["roadmap.json"] = render_json(hostile.roadmap)
    out["roadmap.csv"] = render_csv(hostile.roadmap)
    out["roadmap.md"] = render_md(hostile.roadmap, "en")
    out["roadmap.ics"] = render_ics(hostile.roadmap, "en")
    for suffix in (".xlsx", ".ods"):
        out[f"workbook{suffix}"] = workbook_bytes(result, hostile.catalog, "en", suffix)
    parts = report_parts(result, hostile.catalog)
    out["report.html"] = render_html(report_inputs(result, parts, "en"), "en")
    return out


def _texts(outputs: dict[str, bytes]) -> dict[str, str]:
    """Each output as text; zipped ones as each of their XML parts."""
    texts = {}
    for name, data in outputs.items():
        if name.endswith((".xlsx", ".ods")):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for part in archive.namelist():
                    if part.endswith((".xml", ".rels")):
                        texts[f"{name}:{part}"] = archive.read(part).decode("utf-8")
        else:
            texts[name] = data.decode("utf-8-sig")
    return texts


def test_no_output_holds_a_control_character(outputs: dict[str, bytes]) -> None:
    for name, text in _texts(outputs).items():
        found = CONTROL.search(text)
        assert found is None, (
            f"{name}: {found.group()!r} at {text[found.start() - 40 : found.end()]!r}"
        )
    for name in (
        "audit.json",
        "roadmap.json",
        "radar.alternatives.json",
        "radar.alternatives.zalando",
    ):
        decoded = json.dumps(json.loads(outputs[name]), ensure_ascii=False)
        assert "\\u00" not in decoded.replace("\\u0009", "").replace("\\u000a", ""), name


def test_every_xml_part_and_svg_parses(outputs: dict[str, bytes]) -> None:
    for name, text in _texts(outputs).items():
        if ":" in name or name.endswith(".svg"):
            ET.fromstring(text.encode("utf-8"))  # raises on a malformed document


def test_markup_in_names_stays_text_in_html_and_svg(outputs: dict[str, bytes]) -> None:
    for name in ("audit.html", "report.html", "radar.alternatives.svg", "radar.dependencies.svg"):
        text = outputs[name].decode("utf-8")
        assert "<script>alert" not in text and "<script>x" not in text, name
        assert "&lt;script&gt;alert(1)" in text, name
        assert "]]>" not in text, name
        if name.endswith(".svg"):
            # The whole name survives, as text, in the hover titles.
            titles = [
                e.text or "" for e in ET.fromstring(text).iter("{http://www.w3.org/2000/svg}title")
            ]
            assert any("<script>alert(1)</script>" in t for t in titles), name


def test_csv_cells_never_start_a_formula(outputs: dict[str, bytes]) -> None:
    for name in ("audit.csv", "radar.alternatives.csv", "radar.dependencies.csv", "roadmap.csv"):
        rows = list(csv.reader(io.StringIO(outputs[name].decode("utf-8-sig"), newline="")))
        cells = [cell for row in rows for cell in row]
        for cell in cells:
            if cell.startswith(DANGEROUS_START):
                float(cell)  # only numbers we wrote as numbers may start with "-"
        assert len({len(row) for row in rows}) == 1, name  # no row broken by a name
    names = {
        cell
        for name in ("audit.csv", "radar.dependencies.csv")
        for row in csv.reader(io.StringIO(outputs[name].decode("utf-8-sig"), newline=""))
        for cell in row
    }
    for formula in FORMULAS:
        assert "'" + formula in names  # neutralised by OWASP's rule: a leading quote


def test_roadmap_csv_neutralises_rationale_and_targets(hostile: Hostile) -> None:
    document = json.loads(render_json(hostile.roadmap))
    action = document["phases"][0]["actions"][0]
    action["rationale"] = [{"rule": "r", "asset": "a", "text": "=cmd|' /C calc'!A0"}]
    action["targets"] = ["@SUM(A1)"]
    action["title"] = "\x00=2+2"  # a formula behind a control character
    action["risk_reduction"] = -0.5  # a number we write stays a number
    rows = list(csv.reader(io.StringIO(render_csv(document).decode("utf-8"), newline="")))
    row = rows[1]
    assert row[-1] == "'=cmd|' /C calc'!A0"
    assert row[4] == "'=2+2"
    assert row[5] == "'@SUM(A1)"
    assert row[9] == "-0.5"


def test_spreadsheets_keep_formula_names_as_text(outputs: dict[str, bytes], tmp_path: Path) -> None:
    for name in ("audit.xlsx", "workbook.xlsx"):
        path = tmp_path / name
        path.write_bytes(outputs[name])
        with zipfile.ZipFile(path) as archive:
            sheets = [p for p in archive.namelist() if p.startswith("xl/worksheets/")]
            assert not any(b"<f>" in archive.read(p) or b"<f " in archive.read(p) for p in sheets)
        book = openpyxl.load_workbook(path)
        values = {c.value for ws in book for row in ws.iter_rows() for c in row}
        assert "=1+1" in values and '=HYPERLINK("http://evil","x")' in values, name
        assert book.properties.title is not None and CONTROL.search(book.properties.title) is None
    for name in ("audit.ods", "workbook.ods", "audit.xlsx"):
        path = tmp_path / name
        path.write_bytes(outputs[name])
        book = CalamineWorkbook.from_path(str(path))
        values = {
            v
            for s in book.sheet_names
            for row in book.get_sheet_by_name(s).to_python()
            for v in row
        }
        assert "=1+1" in values, name
        if name.endswith(".ods"):
            with zipfile.ZipFile(path) as archive:
                assert b"table:formula" not in archive.read("content.xml")


def _unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_ics_lines_are_clean_escaped_and_folded(outputs: dict[str, bytes]) -> None:
    ics = outputs["roadmap.ics"].decode("utf-8")
    physical = ics.split("\r\n")
    assert physical[-1] == ""
    for line in physical[:-1]:
        assert len(line.encode("utf-8")) <= 75
        assert CONTROL.search(line) is None and "\r" not in line and "\n" not in line
        assert "\t" not in line or line.startswith(("DESCRIPTION", " "))
    lines = _unfold(ics)
    calname = next(line for line in lines if line.startswith("X-WR-CALNAME:"))
    # Unescaped commas and semicolons would split the value; the name comes back whole.
    assert not re.search(r"(?<!\\)(\\\\)*[;,]", calname.split(":", 1)[1])
    assert printable(ORGANISATION, one_line=True) in _unescape(calname.split(":", 1)[1])
    for line in lines:
        if line.startswith("SUMMARY:"):
            assert "\\n" not in line  # a summary is one line


def _unescaped(markdown: str, text: str) -> bool:
    """Whether ``text`` occurs in ``markdown`` without a backslash escaping it."""
    return re.search(r"(?<!\\)(?:\\\\)*" + re.escape(text), markdown) is not None


def test_markdown_tables_hold_hostile_names(outputs: dict[str, bytes]) -> None:
    md = outputs["roadmap.md"].decode("utf-8")
    lines = md.split("\n")
    assert lines[0].startswith("# ") and lines[0].endswith(" next")  # on one line
    columns = None
    for line in lines:
        if line.startswith("|---"):
            columns = line.count("|")
            continue
        if columns and line.startswith("|"):
            unescaped = len(re.findall(r"(?<!\\)(?:\\\\)*\|", line))
            assert unescaped == columns, line
        elif columns and line:
            columns = None
    body = md.replace("\\`", "")
    assert all(c.count("`") % 2 == 0 for c in body.split("\n")), "an unpaired backtick"
    assert not _unescaped(md, "<script>") and not _unescaped(md, "](http://evil)")
    assert "\\<script>" in md and "\\[a link\\](http://evil)" in md


def test_markdown_list_items_and_steps_stay_on_one_line(hostile: Hostile) -> None:
    document = json.loads(render_json(hostile.roadmap))
    document["exit_plans"] = [
        {
            "asset": "a\nb",
            "alternative": "<b>x</b>\n# heading",
            "duration": "1w",
            "fits_max_downtime": True,
            "steps": [{"text": "step\n\n# not a heading\x00"}],
        }
    ]
    md = render_md(document, "en").decode("utf-8")
    assert "\n# heading" not in md and "\n# not a heading" not in md and "\x00" not in md
    assert not _unescaped(md, "<b>")


def test_numbers_and_headers_are_not_quoted(hostile: Hostile) -> None:
    """A number stays a number, and our own column titles are left alone."""
    text = exporter_for("csv").render(hostile.result, "en").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][0] == "1"
    assert all(not c.startswith("'") for c in rows[0])
