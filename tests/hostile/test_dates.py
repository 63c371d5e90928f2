"""Date arithmetic at the edges: no date computed from an estate
and ``--as-of`` overflows, whatever the efforts and notice periods."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from souverain.core.limits import (
    MAX_AS_OF,
    MAX_DURATION_DAYS,
    MAX_EFFORT_DAYS,
    MAX_NOTICE_DAYS,
    MIN_AS_OF,
)

EXAMPLE = Path(__file__).parents[2] / "examples" / "forges-bourgogne.yaml"
AS_OF = MAX_AS_OF.isoformat()
# Past the bounds: 3,000,000 days of exit effort (8,200 years: past 9999-12-31 from
# any --as-of); the ERP contract ends on the calendar's next-to-last day, with
# 4,000,000 days' notice (its deadline would fall 11,000 years earlier, before year 1).
HUGE_EFFORT, HUGE_NOTICE = 3_000_000, 4_000_000


def _estate(tmp_path: Path, effort: int, notice: int, duration: str | None = None) -> Path:
    """The Forges example with every exit effort, the ERP's notice period and end date
    (9999-12-30), and optionally every exit duration and max downtime, set."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text, efforts = re.subn(r"effort_days: [0-9.]+", f"effort_days: {effort}", text)
    text = text.replace("ends: 2028-06-30", "ends: 9999-12-30")
    text = text.replace("termination_notice_days: 180", f"termination_notice_days: {notice}")
    if duration:
        text = re.sub(r"max_downtime: \w+", f"max_downtime: {duration}", text)
        text = text.replace("effort_days:", f"duration: {duration}, effort_days:")
    assert efforts and "9999-12-30" in text and f"days: {notice}" in text
    path = tmp_path / "far.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _clean(result, codes: tuple[int, ...] = (0,)) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in codes, result.output
    assert "Traceback" not in result.output


def test_the_bounds_keep_every_date_inside_the_calendar() -> None:
    """The latest phase starts a year after --as-of at most; an action lasts its effort;
    a notice deadline is counted back from a contract end on or after --as-of."""
    assert date(MAX_AS_OF.year + 1, 12, 31).toordinal() + MAX_EFFORT_DAYS < date.max.toordinal()
    assert MIN_AS_OF.toordinal() - MAX_NOTICE_DAYS > date.min.toordinal()


def test_roadmap_report_workbook_and_simulate_at_the_largest_allowed_values(
    run, tmp_path: Path
) -> None:
    """--as-of at its bound, every exit effort, notice period, exit duration and max
    downtime at theirs: every command answers."""
    estate = _estate(tmp_path, MAX_EFFORT_DAYS, MAX_NOTICE_DAYS, f"{MAX_DURATION_DAYS}d")
    result = run("roadmap", estate, "-f", "json", "--as-of", AS_OF)
    _clean(result)
    document = json.loads(result.stdout)
    actions = [a for phase in document["phases"] for a in phase["actions"]]
    assert any(a["effort_days"] == MAX_EFFORT_DAYS for a in actions)
    assert all(a["start"] <= a["end"] < "2500" for a in actions)
    for command, name in (
        ("roadmap", "plan.ics"),
        ("report", "report.html"),
        ("workbook", "b.xlsx"),
    ):
        output = tmp_path / name
        extra = ["-f", "ics"] if name.endswith(".ics") else []
        _clean(run(command, estate, *extra, "-o", output, "--as-of", AS_OF, "--lang", "fr"))
        assert output.stat().st_size > 0
    grace = f"{MAX_DURATION_DAYS}d"
    _clean(run("simulate", estate, "--all", "-f", "json", "--as-of", AS_OF, "--grace", grace))


def test_efforts_and_notices_past_the_bounds_never_overflow(run, tmp_path: Path) -> None:
    """They raised OverflowError (an action's end, the notice deadline): now refused as
    out of bounds, or, where they are read, dated no later than 9999-12-31."""
    estate = _estate(tmp_path, HUGE_EFFORT, HUGE_NOTICE)
    for command, extra in (("roadmap", ["-f", "json"]), ("report", ["-o", tmp_path / "r.html"])):
        result = run(command, estate, *extra, "--as-of", AS_OF)
        _clean(result, (0, 1))
        if result.exit_code == 1:
            assert "effort_days" in result.stderr and "far.yaml:" in result.stderr


def test_an_action_ends_on_the_calendars_last_day_at_the_latest() -> None:
    from souverain.core.planning.phases import PHASES, action_end, phase_start

    for phase in PHASES:
        assert phase_start(date.max, phase) == date.max
        assert phase_start(MAX_AS_OF, phase) < date(2201, 1, 1)
    start = phase_start(MAX_AS_OF, PHASES[-1])
    for effort in (0, 0.5, HUGE_EFFORT, 1e300, float("inf"), float("nan")):
        assert start <= action_end(start, effort) <= date.max
    assert action_end(start, HUGE_EFFORT) == date.max
    assert action_end(date.max, 1) == date.max
    assert action_end(date(2026, 1, 1), 1.5) == date(2026, 1, 3)


def test_a_notice_deadline_before_year_1_is_said_not_computed() -> None:
    """Counted back from a contract end, a notice period longer than the calendar
    before it raised OverflowError in the exit plans."""
    from souverain.core.planning.exit_plans import exit_plans
    from souverain.core.scoring.audit import audit
    from souverain.importers.estate import load_estate
    from souverain.resources import load_catalog, load_methodology
    from souverain.wording import render

    estate = load_estate(EXAMPLE)
    contracts = []
    for contract in estate.contracts:
        if contract.id == "c-erp":
            assert contract.clauses is not None
            clauses = contract.clauses.model_copy(update={"termination_notice_days": HUGE_NOTICE})
            contract = contract.model_copy(update={"ends": date(9999, 12, 30), "clauses": clauses})
        contracts.append(contract)
    estate = estate.model_copy(update={"contracts": contracts})
    catalog = load_catalog()
    result = audit(estate, load_methodology(), catalog, MAX_AS_OF)
    texts = [
        {lang: render(s.text, lang, "exit_plans") for lang in ("en", "fr")}
        for plan in exit_plans(result, catalog)
        for s in plan.contract_steps
    ]
    said = [t for t in texts if "9999-12-30" in t["en"]]
    assert said and all("has passed" in t["en"] for t in said)
    assert f"({HUGE_NOTICE} days before 9999-12-30)" in said[0]["en"]
    assert f"({HUGE_NOTICE} jours avant le 9999-12-30)" in said[0]["fr"]


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01"])
def test_an_as_of_out_of_bounds_is_a_usage_error(run, tmp_path: Path, as_of: str) -> None:
    estate = _estate(tmp_path, 10, 30)
    result = run("roadmap", estate, "-f", "json", "--as-of", as_of)
    _clean(result, (2,))
    assert "--as-of" in result.stderr


@pytest.mark.parametrize("capacity", ["inf", "nan", "1e308", "0", "-5", "100001"])
def test_roadmap_capacity_is_bounded(capacity: str) -> None:
    """An infinite or absurd capacity is a usage error, not a phase 'of capacity inf'."""
    from souverain.cli.app import app

    forges = Path(__file__).parents[2] / "examples" / "forges-bourgogne.yaml"
    result = CliRunner().invoke(app, ["roadmap", str(forges), "--capacity", capacity])
    assert result.exit_code == 2
    assert "--capacity" in result.stderr and "100 000" in result.stderr
