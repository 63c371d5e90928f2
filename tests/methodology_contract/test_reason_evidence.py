"""Each reason of the audit JSON names its predicate and cites every fact it used.

The examples' audit JSON is what it was before those fields came, once they are taken
out, and once the level and what comes with it are taken out too (rank, level,
provisional, level_if_confirmed, band, coverage, unknown_axes, each axis's
assessed_score; the summary's counts of levels and unknowns; the methodology's cut-offs),
the dependencies sorted by asset: levels are read from assessed findings since the
level was made a matter of coverage (docs/methodology.md, "Levels"), which changed no
reason. The SHA-256 below are of ``souverain audit EXAMPLE -f json --as-of 2026-11-23
--lang en -o FILE`` so normalised, updated on purpose whenever issue 13's scoring changes
the examples' verdicts (laws in their scope, transfers by mechanism and by carrier,
licensors, scenarios, ...); first taken at commit 83dac0e, before ``predicate`` and
``evidence`` existed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from souverain.cli.app import app
from souverain.exporters.schema import schema_for

ROOT = Path(__file__).resolve().parents[2]
BEFORE = {
    "assurance-mutuelle": "c8e81551f5922c5a",
    "forges-bourgogne": "7ce37b304503b254",
    "mairie-exemple": "a578146511ba9e1f",
}
NEW = ("predicate", "evidence")


def _audit(name: str, tmp_path: Path) -> bytes:
    out = tmp_path / f"{name}.json"
    args = ["audit", str(ROOT / "examples" / f"{name}.yaml"), "-f", "json"]
    args += ["--as-of", "2026-11-23", "--lang", "en", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    return out.read_bytes()


def _reasons(document: Any) -> list[dict[str, Any]]:
    out = []
    for dep in document["dependencies"]:
        for axis in dep["exposure"].values():
            out.extend(axis["reasons"])
        out.extend(dep["exit"]["reasons"])
    return out


# Issue 13 §2 (licensors, survivability, three-valued exit): what it adds, taken out,
# and its unknown exit verdicts (null) read as the false they were before.
NEW_KEYS = ("survivability", "exit_in_time_unknown")
NEW_RULES = ("exit-notice-covers", "exit-notice-short")
# What the level brings (docs/methodology.md, "Levels"), left out with the rank it orders.
LEVEL_FIELDS = ("rank", "level", "provisional", "level_if_confirmed", "band", "coverage")
LEVEL_FIELDS += ("unknown_axes",)
SUMMARY_FIELDS = ("levels", "provisional", "levels_if_confirmed", "coverage", "unknowns")


def _without_new_fields(value: Any) -> Any:
    if isinstance(value, dict):
        if "exit_in_time_unknown" in value:  # counted apart, as "cannot" before
            value = {
                **value,
                "cannot_exit_in_time": value["cannot_exit_in_time"] + value["exit_in_time_unknown"],
            }
        value = {k: v for k, v in value.items() if k not in NEW_KEYS}
        if value.get("can_exit_within_max_downtime", False) is None:
            value["can_exit_within_max_downtime"] = False
        if isinstance(value.get("reasons"), list):
            value["reasons"] = [r for r in value["reasons"] if r.get("rule") not in NEW_RULES]
        if "rule" in value and "not_assessed" in value:
            assert all(key in value for key in NEW), value
            # A reason's words are reworded freely (countries, laws and durations in
            # words): its rule, score and facts are what must not change.
            value = {k: v for k, v in value.items() if k not in NEW and k != "text"}
        if "reasons" in value and "score" in value and "assessed_score" in value:
            value = {k: v for k, v in value.items() if k != "assessed_score"}
        return {k: _without_new_fields(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_new_fields(v) for v in value]
    return value


def _without_levels(document: dict[str, Any]) -> dict[str, Any]:
    assert set(document["methodology"]) == {"id", "version", "levels", "risk_matrix"}
    summary = document["summary"]
    assert all(key in summary for key in SUMMARY_FIELDS)
    rows = document["dependencies"]
    assert all(key in row for row in rows for key in LEVEL_FIELDS)
    return {
        **document,
        "methodology": {k: document["methodology"][k] for k in ("id", "version")},
        "summary": {k: v for k, v in summary.items() if k not in SUMMARY_FIELDS},
        "dependencies": sorted(
            ({k: v for k, v in row.items() if k not in LEVEL_FIELDS} for row in rows),
            key=lambda row: row["asset"],
        ),
    }


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_the_audit_json_changes_only_by_the_new_fields(name: str, tmp_path: Path) -> None:
    document = _without_levels(json.loads(_audit(name, tmp_path)))
    # Issue 13 §6: the home (and EU/EEA) laws moved from summary.dependence to
    # summary.home_dependence (no foreign reach): put back where they were.
    summary = document["summary"]
    summary["dependence"] = sorted(
        summary["dependence"] + summary.pop("home_dependence"),
        key=lambda d: (-d["vital"], -d["important"], d["kind"], d["id"]),
    )
    # The concentration lines are words too (countries named, counts agreeing).
    summary["concentration"] = [
        {k: v for k, v in line.items() if k != "text"} for line in summary["concentration"]
    ]
    old = json.dumps(_without_new_fields(document), ensure_ascii=False, indent=2) + "\n"
    assert hashlib.sha256(old.encode("utf-8")).hexdigest()[:16] == BEFORE[name]


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_every_reason_names_its_predicate_and_cites_its_facts(name: str, tmp_path: Path) -> None:
    reasons = _reasons(json.loads(_audit(name, tmp_path)))
    for reason in reasons:
        evidence = reason["evidence"]
        assert evidence, reason
        if len(evidence) == 1:  # one fact: the main one
            assert evidence[0] == {k: reason[k] for k in ("ref", "source", "as_of")}
        if reason["predicate"] is None:
            assert reason["rule"] == "clear" or reason["rule"].startswith("exit-"), reason
    # A reason naming two laws cites both, and the country that brings them in.
    both = [
        r
        for r in reasons
        if r["predicate"] == "owner_chain_law" and "CLOUD Act" in r["text"] and "FISA" in r["text"]
    ]
    if name == "forges-bourgogne":
        assert both
    for reason in both:
        refs = [fact["ref"] for fact in reason["evidence"]]
        # Each law, then its scope (applies_to), then the adequacy decision that
        # decided the rule (partial for the US: not lowered).
        assert refs[1:] == [
            "catalog jurisdiction US: us-cloud-act",
            "catalog jurisdiction US: us-cloud-act.applies_to",
            "catalog jurisdiction US: us-fisa-702",
            "catalog jurisdiction US: us-fisa-702.applies_to",
            "catalog jurisdiction US: adequacy",
        ]
        assert all(fact["source"] for fact in reason["evidence"][1:])
        assert reason["ref"].startswith(refs[0])


def test_the_schema_describes_the_new_fields() -> None:
    schema = schema_for("audit")
    reason = schema["$defs"]["ReasonOut"]
    assert {"predicate", "evidence"} <= set(reason["required"])
    assert schema["$defs"]["FactOut"]["required"] == ["ref", "source", "as_of"]
