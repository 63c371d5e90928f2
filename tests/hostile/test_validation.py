"""Careless and hostile values in an estate (validation side).

Licences that are neither ``proprietary`` nor SPDX, numbers as dates, infinite or
huge numbers and durations, contracts that end before they start or are with a
stranger, unknown catalog links, huge groups and texts: each is refused with a
located problem that says what the constraint really is, or accepted and read as
meant. Nothing is silently misread, nothing crashes later in the roadmap, the
report or the workbook.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from souverain.core.catalog.licences import LICENCE_IDS, LicenceError, normalise_licence
from souverain.core.limits import (
    MAX_DURATION_DAYS,
    MAX_EFFORT_DAYS,
    MAX_GROUP_MEMBERS,
    MAX_NAME_CHARS,
    MAX_NOTICE_DAYS,
    MAX_NOTIFICATION_HOURS,
)
from souverain.exporters.schema import schema_for
from souverain.importers.estate import load_estate
from souverain.resources import load_catalog

SOUVERAIN = Path(sys.executable).with_name("souverain")
EXAMPLES = Path(__file__).parents[2] / "examples"
FORGES = EXAMPLES / "forges-bourgogne.yaml"
DAY = ("--as-of", "2026-01-01")
HUB = {"id": "hub"}

# One vital process on one asset, with a contract: each test writes what it needs
# into the {asset}, {contract} and {providers} slots.
ESTATE = """\
souverain: 1
organisation: {{name: Careless SA, country: FR}}
processes:
  - {{id: billing, criticality: vital, max_downtime: 1d, depends_on: [erp]}}
providers:
  - {{id: acme, country: FR}}
{providers}
assets:
  - id: erp
    provider: acme
    contract: c-erp
{asset}
contracts:
  - id: c-erp
    provider: acme
{contract}
"""


def write(tmp_path: Path, asset: str = "", contract: str = "", providers: str = "") -> Path:
    path = tmp_path / "estate.yaml"
    path.write_text(
        ESTATE.format(asset=asset, contract=contract, providers=providers), encoding="utf-8"
    )
    return path


def refused(result: Any, *fragments: str) -> str:
    """Exit 1 on purpose (no exception escaped), every fragment in the message."""
    assert result.exit_code == 1, (result.exit_code, result.output[-800:])
    assert isinstance(result.exception, SystemExit), result.exception
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr[-1500:])
    return str(result.stderr)


def accepted(result: Any) -> None:
    assert result.exit_code == 0, (result.exit_code, result.output[-1500:])


def lock_in(run: Any, path: Path) -> dict[str, Any]:
    result = run("audit", path, "--format", "json", *DAY)
    accepted(result)
    return json.loads(result.stdout)["dependencies"][0]["exposure"]["lock_in"]


# --------------------------------------------------------------------------- licences


def test_proprietary_in_any_case_scores_as_proprietary(run, tmp_path: Path) -> None:
    """``Proprietary`` scored lock-in as an open-source licence."""
    lower = lock_in(run, write(tmp_path, asset="    licence: proprietary"))
    capital = lock_in(run, write(tmp_path, asset="    licence: Proprietary"))
    shouting = lock_in(run, write(tmp_path, asset="    licence: PROPRIETARY"))
    assert capital == lower == shouting
    assert any(r["rule"] == "proprietary" for r in capital["reasons"]), capital


@pytest.mark.parametrize(
    ("licence", "said"),
    [
        ("propietary", "the nearest to 'propietary': proprietary"),
        ("NOT-A-LICENCE", "unknown licence"),
        ("Apache-2", "the nearest to 'Apache-2': Apache-2.0"),
        ("open source", "unknown licence"),
        ("MIT AND", "not a licence expression"),
        ("(MIT OR Apache-2.0", "not a licence expression"),
        ("proprietary OR MIT", "proprietary alone"),
        ("GPL-2.0-only WITH Clspath-exception-2.0", "nearest to 'Clspath-exception-2.0'"),
    ],
)
def test_a_licence_neither_proprietary_nor_spdx_is_located(
    run, tmp_path: Path, licence: str, said: str
) -> None:
    """Each of these scored as open source (lock-in 0) without a word."""
    path = write(tmp_path, asset=f"    licence: {licence}")
    text = refused(run("audit", path, *DAY, "--lang", "en"), said)
    assert re.search(r"estate\.yaml:\d+: assets\[0\]\.licence", text), text


@pytest.mark.parametrize(
    ("licence", "canonical"),
    [
        ("MIT", "MIT"),
        ("mit", "MIT"),
        ("Apache-2.0 OR MIT", "Apache-2.0 OR MIT"),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("LicenseRef-Acme-EULA-2", "LicenseRef-Acme-EULA-2"),
        ("( mit or apache-2.0 ) and BSD-3-Clause", "(MIT OR Apache-2.0) AND BSD-3-Clause"),
        ("GPL-2.0+", "GPL-2.0+"),
        ("LGPL-2.1-only+", "LGPL-2.1-only+"),
    ],
)
def test_spdx_ids_and_expressions_are_read_as_written(licence: str, canonical: str) -> None:
    assert normalise_licence(licence) == canonical


def test_french_says_what_a_licence_should_be(run, tmp_path: Path) -> None:
    path = write(tmp_path, asset="    licence: propietary")
    refused(run("audit", path, *DAY, "--lang", "fr"), "licence inconnue", "les plus proches de")


def test_the_catalog_and_the_estate_check_licences_against_one_list() -> None:
    """The catalog's licences are canonical SPDX (or proprietary) by the same check,
    which no longer takes any word made of letters and dashes for a licence id."""
    catalog = load_catalog()
    licences = {p.licence.value for p in catalog.products.values() if p.licence}
    assert {normalise_licence(value) for value in licences} == licences
    assert "Elastic-2.0" in LICENCE_IDS and "SSPL-1.0" in LICENCE_IDS
    with pytest.raises(LicenceError):
        normalise_licence("NOT-A-LICENCE")


# --------------------------------------------------------------------------- catalog links


def test_an_unknown_catalog_link_is_located_with_the_nearest(run, tmp_path: Path) -> None:
    """``catalog: microsfot`` was dropped: the provider's owner chain silently stopped."""
    path = write(tmp_path, providers="  - {id: ms, catalog: microsfot}")
    text = refused(
        run("audit", path, *DAY, "--lang", "en"),
        "providers[1].catalog: unknown catalog provider",
        "the nearest: microsoft",
        "found: 'microsfot'",
    )
    assert re.search(r"estate\.yaml:7: providers\[1\]\.catalog", text), text
    for command in (("roadmap",), ("simulate", "--all"), ("report", "-o", tmp_path / "r.html")):
        refused(run(*command, path, *DAY, "--lang", "en"), "unknown catalog provider")
    assert not (tmp_path / "r.html").exists()


def test_a_known_catalog_link_passes(run, tmp_path: Path) -> None:
    accepted(run("audit", write(tmp_path, providers="  - {id: ms, catalog: microsoft}"), *DAY))


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("asset", "contract"),
    [
        ("    continuity: {backup: {last_restore_test: 0}}", ""),
        ("    continuity: {last_failover_test: 1700000000}", ""),
        ("    exit: {export_tested: '86400'}", ""),
        ("", "    starts: 2025.5"),
        ("", "    ends: true"),
        ("", "    ends: 2025-02-30"),
        ("", "    ends: 20250301"),
        ("", "    starts: 0225-03-01"),
    ],
)
def test_numbers_are_not_dates(run, tmp_path: Path, asset: str, contract: str) -> None:
    """``last_restore_test: 0`` was read as 1970-01-01, a Unix timestamp as a date."""
    path = write(tmp_path, asset=asset, contract=contract)
    text = refused(run("audit", path, *DAY, "--lang", "en"), "expected: ")
    assert "an ISO 8601 date (YYYY-MM-DD)" in text or "a date from 1900-01-01" in text, text


def test_iso_dates_in_json_and_yaml_dates_are_dates(run, tmp_path: Path) -> None:
    data = {
        "souverain": 1,
        "organisation": {"name": "Json SA"},
        "assets": [{"id": "a", "exit": {"export_tested": "2025-03-01"}}],
        "contracts": [{"id": "c", "provider": "p", "starts": "1900-01-01", "ends": "9999-12-31"}],
        "providers": [{"id": "p"}],
    }
    path = tmp_path / "estate.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    estate = load_estate(path)
    assert str(estate.assets[0].exit.export_tested) == "2025-03-01"  # type: ignore[union-attr]
    accepted(run("audit", write(tmp_path, contract="    starts: 2024-01-01"), *DAY))


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("asset", "contract", "said"),
    [
        ("    exit: {effort_days: 1e300}", "", f"person-days from 0 to {MAX_EFFORT_DAYS}"),
        ("    exit: {effort_days: 100001}", "", f"person-days from 0 to {MAX_EFFORT_DAYS}"),
        ("    exit: {effort_days: -1}", "", f"person-days from 0 to {MAX_EFFORT_DAYS}"),
        ("    exit: {effort_days: true}", "", f"person-days from 0 to {MAX_EFFORT_DAYS}"),
        ("    exit: {effort_days: '12'}", "", f"person-days from 0 to {MAX_EFFORT_DAYS}"),
        ("    exit: {duration: " + "9" * 400 + "w}", "", f"from 0s to {MAX_DURATION_DAYS}d"),
        ("    exit: {duration: 36526d}", "", f"from 0s to {MAX_DURATION_DAYS}d"),
        ("    continuity: {rto: 5300w}", "", f"from 0s to {MAX_DURATION_DAYS}d"),
        (
            "",
            "    clauses: {termination_notice_days: 99999999999}",
            f"a whole number of days from 0 to {MAX_NOTICE_DAYS}",
        ),
        (
            "",
            "    clauses: {termination_notice_days: 30.5}",
            f"a whole number of days from 0 to {MAX_NOTICE_DAYS}",
        ),
        (
            "",
            "    clauses: {incident_notification_hours: 1000000}",
            f"a whole number of hours from 0 to {MAX_NOTIFICATION_HOURS}",
        ),
    ],
)
def test_numbers_and_durations_have_both_bounds(
    run, tmp_path: Path, asset: str, contract: str, said: str
) -> None:
    """``effort_days: 1e300`` and 400-digit durations passed ("Leaving takes about infd")."""
    path = write(tmp_path, asset=asset, contract=contract)
    refused(run("audit", path, *DAY, "--lang", "en"), said)


def test_a_duration_bound_is_said_in_french(run, tmp_path: Path) -> None:
    path = write(tmp_path, asset="    exit: {duration: 99999w}")
    refused(run("audit", path, *DAY, "--lang", "fr"), "une durée de 0s à 36525d (100 ans)")


@pytest.mark.parametrize(
    ("pattern", "value"),
    [
        (r"effort_days: \d+", "effort_days: 1e300"),
        (r"termination_notice_days: \d+", "termination_notice_days: 99999999999"),
    ],
)
def test_huge_numbers_no_longer_crash_the_roadmap_report_and_workbook(
    run, tmp_path: Path, pattern: str, value: str
) -> None:
    """Both crashed with OverflowError (date arithmetic) in roadmap, report, workbook."""
    path = tmp_path / "forges.yaml"
    path.write_text(re.sub(pattern, value, FORGES.read_text(encoding="utf-8")), encoding="utf-8")
    for command in (
        ("roadmap",),
        ("report", "-o", tmp_path / "r.html"),
        ("workbook", "-o", tmp_path / "w.xlsx"),
    ):
        refused(run(*command, path, *DAY, "--lang", "en"), "from 0 to")


def test_the_largest_values_work_in_every_command(run, tmp_path: Path) -> None:
    """At every bound at once, with the latest --as-of, nothing leaves the calendar."""
    text = FORGES.read_text(encoding="utf-8")
    for pattern, value in (
        (r"effort_days: \d+", f"effort_days: {MAX_EFFORT_DAYS}"),
        (r"termination_notice_days: \d+", f"termination_notice_days: {MAX_NOTICE_DAYS}"),
        (r"max_downtime: \w+", f"max_downtime: {MAX_DURATION_DAYS}d"),
        (r"ends: [\d-]+", "ends: 9999-12-31"),
        (r"starts: [\d-]+", "starts: 1900-01-01"),
        (r"_test: [\d-]+", "_test: 1900-01-01"),
    ):
        text = re.sub(pattern, value, text)
    path = tmp_path / "max.yaml"
    path.write_text(text, encoding="utf-8")
    for as_of in ("1970-01-01", "2199-12-31"):
        for command in (
            ("audit",),
            ("roadmap", "--format", "ics"),
            ("report", "-o", tmp_path / "r.html"),
            ("workbook", "-o", tmp_path / "w.xlsx"),
        ):
            accepted(run(*command, path, "--as-of", as_of))


def test_the_schema_states_every_bound() -> None:
    defs = schema_for("estate")["$defs"]

    def number(model: str, field: str) -> dict[str, Any]:
        return defs[model]["properties"][field]["anyOf"][0]

    effort = number("Exit", "effort_days")
    assert (effort["minimum"], effort["maximum"]) == (0, MAX_EFFORT_DAYS)
    for field, high in (
        ("termination_notice_days", MAX_NOTICE_DAYS),
        ("incident_notification_hours", MAX_NOTIFICATION_HOURS),
    ):
        bounds = number("Clauses", field)
        assert (bounds["minimum"], bounds["maximum"], bounds["type"]) == (0, high, "integer")
    assert f"{MAX_DURATION_DAYS}d" in number("Exit", "duration")["description"]
    assert number("Contract", "ends")["format"] == "date"
    assert defs["AnyOf"]["properties"]["any_of"]["maxItems"] == MAX_GROUP_MEMBERS
    assert number("Asset", "name")["maxLength"] == MAX_NAME_CHARS


def test_the_schema_command_prints_the_bounds(run) -> None:
    result = run("schema", "estate")
    accepted(result)
    assert f'"maximum": {MAX_EFFORT_DAYS}' in result.stdout


# --------------------------------------------------------------------------- contracts


def test_a_contract_that_ends_before_it_starts_is_located(run, tmp_path: Path) -> None:
    path = write(tmp_path, contract="    starts: 2025-01-01\n    ends: 2024-12-31")
    refused(
        run("audit", path, *DAY, "--lang", "en"),
        "estate.yaml:17: contracts[0].ends: contract ends before it starts",
        "on or after its start, 2025-01-01; found: 2024-12-31",
    )


def test_a_contract_with_a_stranger_is_located(run, tmp_path: Path) -> None:
    """The asset's contract was with another, unrelated provider: its clauses were
    silently scored for the asset."""
    estate = ESTATE.replace("    provider: acme\n{contract}", "    provider: stranger\n")
    path = tmp_path / "estate.yaml"
    path.write_text(
        estate.format(providers="  - {id: stranger}", asset="", contract=""), encoding="utf-8"
    )
    refused(
        run("audit", path, *DAY, "--lang", "en"),
        "assets[0].contract: contract with another provider",
        "found: c-erp, a contract with stranger",
    )


@pytest.mark.parametrize(
    "providers",
    [
        "  - {id: reseller, subcontractors: [acme]}",  # a reseller or integrator
        "  - {id: reseller, owner: acme}",  # a subsidiary
        "  - {id: group}\n  - {id: reseller, owner: group}\n  - {id: acme2, owner: group}",
    ],
)
def test_a_contract_with_a_reseller_or_the_group_passes(
    run, tmp_path: Path, providers: str
) -> None:
    estate = ESTATE.replace("    provider: acme\n{contract}", "    provider: reseller\n")
    if "acme2" in providers:  # the asset's provider and the reseller share an owner
        estate = estate.replace("  - {{id: acme, country: FR}}", "  - {{id: acme, owner: group}}")
        providers = providers.replace("\n  - {id: acme2, owner: group}", "")
    path = tmp_path / "estate.yaml"
    path.write_text(estate.format(providers=providers, asset="", contract=""), encoding="utf-8")
    accepted(run("audit", path, *DAY))


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_examples_still_validate(example: Path) -> None:
    estate = load_estate(example, catalog_providers=load_catalog().providers)
    assert estate.assets


# --------------------------------------------------------------------------- large inputs


def cli(*args: object, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process, timed out rather than hung."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [str(SOUVERAIN), *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env
    )


def test_a_50000_member_group_is_refused_within_10_seconds(tmp_path: Path) -> None:
    """It was accepted: every member became a roadmap action (57 s for the roadmap)."""
    members = [f"a{i}" for i in range(50_000)]
    data = {
        "souverain": 1,
        "organisation": {"name": "Big"},
        "processes": [{"id": "p", "criticality": "vital", "depends_on": ["hub"]}],
        "assets": [{"id": m} for m in members] + [HUB | {"depends_on": [{"any_of": members}]}],
    }
    path = tmp_path / "group.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    start = time.monotonic()
    result = cli("roadmap", path, *DAY, "--lang", "en")
    assert time.monotonic() - start < 10
    assert result.returncode == 1, result.stderr[-800:]
    assert (
        f"assets[50000].depends_on[0].any_of: too many items — expected: at most "
        f"{MAX_GROUP_MEMBERS} item(s); found: a list of 50000 item(s)"
    ) in result.stderr
    assert result.stderr.count("\n") < 5  # one problem, not one per member


def test_a_group_at_the_limit_passes(run, tmp_path: Path) -> None:
    members = [f"a{i}" for i in range(MAX_GROUP_MEMBERS)]
    data = {
        "souverain": 1,
        "organisation": {"name": "Big"},
        "assets": [{"id": m} for m in members] + [HUB | {"depends_on": [{"any_of": members}]}],
    }
    path = tmp_path / "group.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_estate(path).assets[-1].depends_on


def test_a_one_megabyte_name_is_refused_within_10_seconds(tmp_path: Path) -> None:
    """A 1 MB ``exit.alternative`` kept the roadmap busy for minutes (fuzzy matching)."""
    text = FORGES.read_text(encoding="utf-8")
    text = text.replace("alternative: odoo-community", "alternative: " + "odoo " * 200_000, 1)
    path = tmp_path / "forges.yaml"
    path.write_text(text, encoding="utf-8")
    start = time.monotonic()
    result = cli("roadmap", path, *DAY, "--lang", "en", timeout=60)
    assert time.monotonic() - start < 10
    assert result.returncode == 1, result.stderr[-800:]
    assert f"text too long — expected: a text of at most {MAX_NAME_CHARS} characters" in (
        result.stderr
    )
    assert "exit.alternative" in result.stderr
