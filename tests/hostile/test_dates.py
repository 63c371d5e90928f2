"""Date arithmetic at the edges (issue 11, item 11): no date computed from an estate
and ``--as-of`` overflows, whatever the efforts and notice periods."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from souverain.core.limits import MAX_AS_OF

EXAMPLE = Path(__file__).parents[2] / "examples" / "forges-bourgogne.yaml"
AS_OF = MAX_AS_OF.isoformat()
# An exit of 3,000,000 days of effort (8,200 years: past 9999-12-31 from any --as-of);
# the ERP contract ends on the calendar's next-to-last day, with 4,000,000 days' notice
# (its deadline would fall 11,000 years earlier, before year 1).
EFFORT_DAYS = 3_000_000
NOTICE_DAYS = 4_000_000


@pytest.fixture()
def estate(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    text, efforts = re.subn(r"effort_days: [0-9.]+", f"effort_days: {EFFORT_DAYS}", text)
    text = text.replace("ends: 2028-06-30", "ends: 9999-12-30")
    text = text.replace("termination_notice_days: 180", f"termination_notice_days: {NOTICE_DAYS}")
    assert efforts and "9999-12-30" in text and str(NOTICE_DAYS) in text
    path = tmp_path / "far.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _ok(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_the_roadmap_of_far_dates_ends_on_the_calendars_last_day(run, estate: Path) -> None:
    """It raised OverflowError (an action's end, the notice deadline)."""
    result = run("roadmap", estate, "-f", "json", "--as-of", AS_OF)
    _ok(result)
    document = json.loads(result.stdout)
    actions = [a for phase in document["phases"] for a in phase["actions"]]
    longest = [a for a in actions if a.get("effort_days") == EFFORT_DAYS]
    assert longest and all(a["end"] == "9999-12-31" for a in longest)
    assert all(date.fromisoformat(a["start"]) <= date.fromisoformat(a["end"]) for a in actions)
    texts = [s["text"] for plan in document["exit_plans"] for s in plan["contract_steps"]]
    assert any(f"({NOTICE_DAYS} days before 9999-12-30) has passed" in t for t in texts), texts


def test_the_roadmap_calendar_report_and_workbook_of_far_dates(
    run, estate: Path, tmp_path: Path
) -> None:
    for command, name in (
        ("roadmap", "plan.ics"),
        ("report", "report.html"),
        ("workbook", "book.xlsx"),
    ):
        output = tmp_path / name
        extra = ["-f", "ics"] if name.endswith(".ics") else []
        result = run(command, estate, *extra, "-o", output, "--as-of", AS_OF, "--lang", "fr")
        _ok(result)
        assert output.stat().st_size > 0
    ics = (tmp_path / "plan.ics").read_text(encoding="utf-8")
    assert "DURATION:P-" not in ics
    assert f"{NOTICE_DAYS} jours avant le 9999-12-30" in (tmp_path / "report.html").read_text(
        encoding="utf-8"
    )


def test_simulate_at_the_last_as_of(run, estate: Path) -> None:
    _ok(run("simulate", estate, "--all", "-f", "json", "--as-of", AS_OF, "--grace", "36525d"))


def test_dates_never_overflow_in_the_core() -> None:
    from souverain.core.roadmap import PHASES, action_end, phase_start

    for phase in PHASES:
        assert phase_start(date.max, phase) == date.max
        assert phase_start(MAX_AS_OF, phase) < date(2201, 1, 1)
    start = phase_start(MAX_AS_OF, PHASES[-1])
    for effort in (0, 0.5, 1e300, float("inf"), float("nan")):
        assert start <= action_end(start, effort) <= date.max
    assert action_end(start, 1e300) == date.max
    assert action_end(date.max, 1) == date.max
    assert action_end(date(2026, 1, 1), 1.5) == date(2026, 1, 3)
