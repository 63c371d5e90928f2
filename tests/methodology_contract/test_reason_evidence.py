"""Each reason of the audit JSON names its predicate and cites every fact it used.

The examples' audit JSON is what it was before those fields came, once they are taken
out: the SHA-256 below are of ``souverain audit EXAMPLE -f json --as-of 2026-11-23
--lang en -o FILE`` at commit 83dac0e, before ``predicate`` and ``evidence`` existed,
updated when verdicts changed on purpose (issue 13: privileged data paths, redundancy
common modes, backups and sensitivity reasons).
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
    "assurance-mutuelle": "09ed1546d78c8bda",
    "forges-bourgogne": "d2bf36000a304d25",
    "mairie-exemple": "4cbe2a50236ef62d",
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


def _without_new_fields(value: Any) -> Any:
    if isinstance(value, dict):
        if "rule" in value and "not_assessed" in value:
            assert all(key in value for key in NEW), value
            value = {k: v for k, v in value.items() if k not in NEW}
        return {k: _without_new_fields(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_new_fields(v) for v in value]
    return value


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_the_audit_json_changes_only_by_the_new_fields(name: str, tmp_path: Path) -> None:
    document = json.loads(_audit(name, tmp_path))
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
        assert refs[1:] == [
            "catalog jurisdiction US: us-cloud-act",
            "catalog jurisdiction US: us-fisa-702",
        ]
        assert all(fact["source"] for fact in reason["evidence"][1:])
        assert reason["ref"].startswith(refs[0])


def test_the_schema_describes_the_new_fields() -> None:
    schema = schema_for("audit")
    reason = schema["$defs"]["ReasonOut"]
    assert {"predicate", "evidence"} <= set(reason["required"])
    assert schema["$defs"]["FactOut"]["required"] == ["ref", "source", "as_of"]
