"""``souverain diff OLD NEW``: scores, levels, findings closed and opened,
between two estates, two audit JSON files, or one of each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from souverain.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
FORGES = ROOT / "examples" / "forges-bourgogne.yaml"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--as-of", "2026-11-23"])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def improved(tmp_path: Path) -> Path:
    """Forges de Bourgogne a year on: in-house skills on the IoT platform and its
    dashboard went from none to high; the ERP's SaaS contract gained data portability."""
    text = FORGES.read_text(encoding="utf-8")
    assert text.count("skills: none") >= 2
    path = tmp_path / "forges-2027.yaml"
    path.write_text(text.replace("skills: none", "skills: high"), encoding="utf-8")
    return path


def test_an_estate_against_itself_changes_nothing() -> None:
    code, out, _ = run("diff", str(FORGES), str(FORGES), "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["dependencies"] == {"added": [], "removed": [], "changed": []}
    assert doc["findings"] == {"opened": [], "closed": []}
    assert doc["old"]["level_total"] == doc["new"]["level_total"]


def test_skills_gained_close_the_skills_findings_and_lower_the_risk(improved: Path) -> None:
    code, out, _ = run("diff", str(FORGES), str(improved), "-f", "json")
    assert code == 0
    doc = json.loads(out)
    changed = {c["asset"]: c for c in doc["dependencies"]["changed"]}
    assert changed, "some dependency must have moved"
    for change in changed.values():
        assert change["axes"]["skills"][0] > change["axes"]["skills"][1]
    closed = {(f["asset"], f["rule"]) for f in doc["findings"]["closed"]}
    assert closed and all(rule.startswith("skills") or "mastery" in rule for _, rule in closed)
    assert {asset for asset, _ in closed} == set(changed)
    assert doc["findings"]["opened"] == []  # high mastery scores 0: no new risk
    assert doc["new"]["level_total"] <= doc["old"]["level_total"]
    # Skills is a lighter axis: it counts for at most 2 in the exposure band, so gaining
    # mastery moves none of these levels (their band comes from graver axes), but it
    # lowers each one's overall exposure, which ranks them and makes the risk total.
    assert all(c["direction"] != "worse" for c in changed.values())
    assert all(c["exposure_score"][0] > c["exposure_score"][1] for c in changed.values())


def test_an_audit_json_compares_with_an_estate_in_another_language(
    tmp_path: Path, improved: Path
) -> None:
    earlier = tmp_path / "audit-2026.json"
    code, _, _ = run("audit", str(FORGES), "-f", "json", "-o", str(earlier), "--lang", "fr")
    assert code == 0
    code, out, _ = run("diff", str(earlier), str(improved), "-f", "json", "--lang", "en")
    assert code == 0
    doc = json.loads(out)
    _, direct, _ = run("diff", str(FORGES), str(improved), "-f", "json")
    # Findings match by asset, axis, rule and evidence, not by the words of their text.
    key = lambda d: sorted((f["asset"], f["rule"]) for f in d["findings"]["closed"])  # noqa: E731
    assert key(doc) == key(json.loads(direct))
    assert doc["old"]["source"] == str(earlier)


def test_the_table_view_speaks_french(improved: Path) -> None:
    code, out, _ = run("diff", str(FORGES), str(improved), "--lang", "fr")
    assert code == 0 and "Constats levés" in out and "Total des niveaux" in out


def test_a_file_that_is_neither_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"souverain": "0.1.0", "dependencies": [{"asset": 3}]}', encoding="utf-8")
    code, _, err = run("diff", str(bad), str(FORGES), "--lang", "en")
    assert code == 1 and "bad.json" in err


def test_files_are_read_by_the_fast_parser_unless_it_cannot_settle_them(tmp_path: Path) -> None:
    """An audit JSON read by the fast parser gives the snapshot the line-keeping parser
    gives; an estate is told apart; a malformed file or an invalid audit is left to the
    line-keeping parser, whose problems name the line."""
    from souverain.importers.audit_json import fast_snapshot, snapshot_from_document
    from souverain.importers.document import read_document

    audit = tmp_path / "audit.json"
    assert run("audit", str(FORGES), "-f", "json", "-o", str(audit))[0] == 0
    fast = fast_snapshot(audit)
    assert fast == snapshot_from_document(read_document(audit))
    assert fast is not None and fast is not False and fast.rows
    assert fast_snapshot(FORGES) is False
    broken = tmp_path / "broken.yaml"
    broken.write_text("souverain: 1\norganisation: [unclosed\n", encoding="utf-8")
    assert fast_snapshot(broken) is None
    code, _, err = run("diff", str(broken), str(FORGES))
    assert code == 1 and "broken.yaml:" in err
    invalid = tmp_path / "invalid.json"
    invalid.write_text(
        '{\n  "souverain": "0.1.0",\n  "dependencies": [\n    {"asset": 3}\n  ]\n}\n',
        encoding="utf-8",
    )
    assert fast_snapshot(invalid) is None
    code, _, err = run("diff", str(invalid), str(FORGES))
    assert code == 1 and "invalid.json:" in err
