"""Every output format, written then read back; the CLI end to end."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from souverain.cli.app import app
from tests.roadmap.conftest import EXAMPLES, FORGES

runner = CliRunner()
AS_OF = "2026-11-23"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["roadmap", *args, "--as-of", AS_OF])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def forges_json() -> dict:  # type: ignore[type-arg]
    code, out, err = run(str(FORGES), "-f", "json", "--lang", "en")
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def test_json_contract(forges_json: dict) -> None:  # type: ignore[type-arg]
    doc = forges_json
    assert {"phases", "exit_plans", "risk_before", "risk_after_each_phase"} <= set(doc)
    assert [p["name"] for p in doc["phases"]] == ["0-3 months", "3-12 months", "12-36 months"]
    assert doc["risk_after_each_phase"] == [p["risk_after"] for p in doc["phases"]]
    ids = set()
    for phase in doc["phases"]:
        assert {"name", "actions"} <= set(phase)
        for action in phase["actions"]:
            assert {
                "id",
                "kind",
                "targets",
                "effort_days",
                "risk_reduction",
                "prerequisites",
            } <= set(action)
            assert {"rationale", "cost_band"} <= set(action)
            assert set(action["prerequisites"]) <= ids, action["id"]
            ids.add(action["id"])
    assert doc["exit_plans"], "exit plans of vital and important dependencies"
    for plan in doc["exit_plans"]:
        assert {"asset", "alternative", "steps", "duration", "fits_max_downtime"} <= set(plan)


def test_csv_one_row_per_action(tmp_path: Path, forges_json: dict) -> None:  # type: ignore[type-arg]
    target = tmp_path / "roadmap.csv"
    code, _, err = run(str(FORGES), "-f", "csv", "-o", str(target), "--lang", "fr")
    assert code == 0, err
    raw = target.read_bytes()
    assert b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    expected = [a["id"] for p in forges_json["phases"] for a in p["actions"]]
    assert [r["id"] for r in rows] == expected
    assert {r["phase"] for r in rows} <= {"0-3 months", "3-12 months", "12-36 months"}
    assert any("Non évalué" in r["rationale"] for r in rows)
    assert all(float(r["effort_days"]) > 0 for r in rows)


def test_markdown_headings(tmp_path: Path) -> None:
    target = tmp_path / "roadmap.md"
    code, _, err = run(str(FORGES), "-f", "md", "-o", str(target), "--lang", "en")
    assert code == 0, err
    text = target.read_text("utf-8")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[0] == "# Roadmap — Forges de Bourgogne SAS"
    assert "## 0–3 months (quick wins)" in headings
    assert "## 3–12 months" in headings and "## 12–36 months" in headings
    assert "## Exit plans" in headings
    assert "| # | Action |" in text


def _parse_ics(raw: bytes) -> list[dict[str, str]]:
    """A small RFC 5545 reader: unfold, split properties, collect VEVENTs."""
    text = raw.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert not any("\n" in line or "\r" in line for line in physical)
    lines: list[str] = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return events


def test_ics_parses_back(tmp_path: Path, forges_json: dict) -> None:  # type: ignore[type-arg]
    target = tmp_path / "roadmap.ics"
    code, _, err = run(str(FORGES), "-f", "ics", "-o", str(target), "--lang", "en")
    assert code == 0, err
    events = _parse_ics(target.read_bytes())
    actions = [(p, a) for p in forges_json["phases"] for a in p["actions"]]
    assert len(events) == len(actions)
    assert len({e["UID"] for e in events}) == len(events)
    starts = {"0-3 months": date(2026, 11, 23), "3-12 months": date(2027, 2, 23)}
    starts["12-36 months"] = date(2027, 11, 23)
    for event, (phase, action) in zip(events, actions, strict=True):
        assert event["X-SOUVERAIN-ACTION"] == action["id"].replace(",", "\\,")
        assert event["DTSTAMP"] == "20261123T000000Z"
        start = event["DTSTART;VALUE=DATE"]
        assert date(int(start[:4]), int(start[4:6]), int(start[6:])) == starts[phase["name"]]
        days = int(event["DURATION"][1:-1])
        assert event["DURATION"].startswith("P") and days >= action["effort_days"] > days - 1
        assert (starts[phase["name"]] + timedelta(days=days)).isoformat() == action["end"]
        assert event["SUMMARY"]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_example_every_format(tmp_path: Path, path: Path, lang: str) -> None:
    for fmt in ("json", "md", "csv", "ics"):
        target = tmp_path / f"r.{fmt}"
        code, _, err = run(str(path), "-f", fmt, "-o", str(target), "--lang", lang)
        assert code == 0, err
        assert target.stat().st_size > 0
    code, out, err = run(str(path), "--lang", lang)
    assert code == 0, err
    assert ("Roadmap" if lang == "en" else "Feuille de route") in out


def test_plan_file_through_the_cli(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "souverain_plan: 1\nactions:\n  migrate:erp: {drop: true}\n"
        "  test-export:mes: {phase: 12-36 months}\n",
        encoding="utf-8",
    )
    code, out, err = run(str(FORGES), "-f", "json", "--plan", str(plan))
    assert code == 0, err
    doc = json.loads(out)
    phase_of = {a["id"]: p["name"] for p in doc["phases"] for a in p["actions"]}
    assert "migrate:erp" not in phase_of
    assert phase_of["test-export:mes"] == "12-36 months"
    assert doc["plan"]["dropped"] == ["migrate:erp", "train:erp"]


def test_unknown_action_in_plan_is_located(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("souverain_plan: 1\nactions:\n\n  migrate:nowhere: {drop: true}\n", "utf-8")
    code, _, err = run(str(FORGES), "--plan", str(plan), "--lang", "en")
    assert code == 1
    assert f"{plan}:4" in err
    assert "migrate:nowhere" in err and "unknown action" in err


def test_capacity_option(tmp_path: Path) -> None:
    code, out, _ = run(str(FORGES), "-f", "json", "--capacity", "40")
    assert code == 0
    assert json.loads(out)["capacity_days_per_month"] == 40
    code, _, _ = run(str(FORGES), "--capacity", "0")
    assert code == 2


def test_invalid_estate_fails_cleanly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("souverain: 1\norganisation: {name: X}\nassets: [{id: a, deployment: moon}]\n")
    code, _, err = run(str(bad))
    assert code == 1
    assert "bad.yaml:3" in err
