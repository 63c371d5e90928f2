"""The report of a large estate (docs/report.md, "Large estates"): past the thresholds of
``Limits``, the matrix, the exit plans, the roadmap's phases, the scenarios, the radar's
blips and the sources list the riskiest rows, count every row and say, in the report's
language, where the complete lists are. Below them nothing changes.

The large estate is generated (benchmarks/generate.py) with a few hundred assets, just
past the matrix threshold; the other thresholds are lowered through ``Limits`` on the
bundled example, so that the tests stay fast.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest
from benchmarks.generate import generate_estate

from souverain.cli.report import report_inputs, report_parts
from souverain.core.estate.validation import check_estate
from souverain.core.planning.exit_plans import exit_plans
from souverain.core.planning.radar import radar_for
from souverain.core.scoring.audit import AuditResult, audit
from souverain.exporters.exit_plans import exit_plan_document
from souverain.exporters.report import (
    LISTED_LEVELS,
    Limits,
    ReportInputs,
    annex_facts,
    catalog_facts,
    render_html,
)
from souverain.i18n import Lang, label
from souverain.importers.estate import load_estate
from souverain.resources import load_catalog, load_methodology
from tests.conftest import TODAY

EXAMPLE = Path(__file__).parents[2] / "examples" / "forges-bourgogne.yaml"
LANGS: tuple[Lang, ...] = ("en", "fr")


def section(page: str, ident: str) -> str:
    """The HTML of one section of the report, from its heading to the next one."""
    start = page.index(f'<h2 id="{ident}"')
    end = page.find("<h2 id=", start + 1)
    return page[start : end if end > 0 else len(page)]


def detailed_assets(html: str) -> list[str]:
    """The assets of the full matrix rows (the shared matrix table, without links)."""
    return re.findall(r'<td class="asset">\s*<b>([^<]+)</b>', html)


def line_assets(html: str) -> list[str]:
    """The assets of the one-line rows of the compact matrix."""
    table = re.search(r'<table class="plain lines">.*?</table>', html, re.S)
    return (
        re.findall(r'<tr><td class="num muted">\d+</td><td><b>([^<]+)</b>', table.group(0))
        if table
        else []
    )


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


@pytest.fixture(scope="module")
def large() -> AuditResult:
    """A generated estate of 260 assets: past ``Limits.matrix_full`` (200)."""
    catalog = load_catalog()
    estate, problems = check_estate(generate_estate(260, 700, seed=7, catalog=catalog))
    assert estate is not None, problems
    return audit(estate, load_methodology(), catalog, TODAY)


@pytest.fixture(scope="module")
def large_inputs(large: AuditResult) -> ReportInputs:
    assert large.catalog is not None
    plans = exit_plans(large, large.catalog)
    return ReportInputs(large, exit_plans=[exit_plan_document(p, "en") for p in plans])


@pytest.fixture(scope="module")
def example() -> AuditResult:
    return audit(load_estate(EXAMPLE), load_methodology(), load_catalog(), TODAY)


@pytest.fixture(scope="module")
def example_inputs(example: AuditResult) -> dict[Lang, ReportInputs]:
    assert example.catalog is not None
    parts = report_parts(example, example.catalog)
    return {lang: report_inputs(example, parts, lang) for lang in LANGS}


# Thresholds low enough for the 29 dependencies of the example to be "large".
LOW = Limits(
    matrix_full=10,
    matrix_detail=4,
    matrix_lines=6,
    plans_full=5,
    plans_lines=8,
    plans_detail=3,
    phase_actions=2,
    scenario_items=2,
    blip_assets=1,
    facts_full=10,
)


@pytest.mark.parametrize("lang", LANGS)
def test_a_small_estate_gets_the_whole_matrix_and_every_plan(
    example: AuditResult, example_inputs: dict[Lang, ReportInputs], lang: Lang
) -> None:
    page = render_html(example_inputs[lang], lang).decode("utf-8")
    matrix = section(page, "matrix")
    assert detailed_assets(matrix) == [d.asset for d in example.dependencies]
    assert "plain lines" not in matrix and 'class="where"' not in page
    plans = example_inputs[lang].exit_plans or []
    assert page.count('<div class="plan">') == len(plans) > 0
    assert 'class="more"' not in page  # every roadmap action listed
    assert '<li class="muted">' not in section(page, "scenarios")  # and every process


@pytest.mark.parametrize("lang", LANGS)
def test_a_large_estate_lists_every_critical_and_high_row_and_counts_the_others(
    large: AuditResult, large_inputs: ReportInputs, lang: Lang
) -> None:
    deps = large.dependencies
    listed = [d.asset for d in deps if d.level in LISTED_LEVELS]
    assert len(deps) > Limits().matrix_full and 0 < len(listed) <= Limits().matrix_detail
    matrix = section(render_html(large_inputs, lang).decode("utf-8"), "matrix")
    # Every critical and high dependency in full, riskiest first; nothing else.
    assert detailed_assets(matrix) == listed
    words = text(matrix)
    counts = large.counts()
    assert label(lang, "report_matrix_where") in words
    assert label(lang, "report_matrix_compact", total=len(deps), **counts) in words
    # The table by category counts every dependency, level by level.
    total = re.search(r'<tr class="total">(.*?)</tr>', matrix, re.S)
    assert total is not None
    numbers = [int(n) for n in re.findall(r"<b>(\d+)</b>", total.group(1))]
    assert numbers == [counts[level] for level in ("critical", "high", "medium", "low")] + [
        len(deps)
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_past_the_lines_the_rows_are_counted_not_listed(
    large: AuditResult, large_inputs: ReportInputs, lang: Lang
) -> None:
    limits = Limits(matrix_detail=20, matrix_lines=25)
    matrix = section(render_html(replace(large_inputs, limits=limits), lang).decode(), "matrix")
    listed = [d.asset for d in large.dependencies if d.level in LISTED_LEVELS]
    assert len(listed) > 45
    assert detailed_assets(matrix) == listed[:20]
    assert line_assets(matrix) == listed[20:45]
    words = text(matrix)
    assert label(lang, "report_matrix_unlisted", count=len(listed) - 45) in words
    assert label(lang, "report_matrix_where") in words


@pytest.mark.parametrize("lang", LANGS)
def test_many_exit_plans_are_counted_and_the_riskiest_given_in_full(
    example_inputs: dict[Lang, ReportInputs], lang: Lang
) -> None:
    inputs = replace(example_inputs[lang], limits=LOW)
    plans = inputs.exit_plans or []
    assert len(plans) > LOW.plans_lines
    page = render_html(inputs, lang).decode("utf-8")
    part = section(page, "exit-plans")
    words = text(part)
    assert label(lang, "report_plans_where") in words
    assert label(lang, "report_plans_compact", count=len(plans)) in words
    assert label(lang, "report_plans_unlisted", count=len(plans) - LOW.plans_lines) in words
    assert part.count('<div class="plan">') == LOW.plans_detail
    total = re.search(r'<tr class="total">(.*?)</tr>', part, re.S)
    assert total is not None
    fits = sum(1 for p in plans if p.get("fits_max_downtime") is True)
    assert re.findall(r'<td class="num">(\d+)</td>', total.group(1))[:2] == [
        str(len(plans)),
        str(fits),
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_long_lists_elsewhere_are_cut_and_counted(
    example_inputs: dict[Lang, ReportInputs], lang: Lang
) -> None:
    inputs = replace(example_inputs[lang], limits=LOW)
    page = render_html(inputs, lang).decode("utf-8")
    roadmap = inputs.roadmap
    assert roadmap is not None
    cut = [p for p in roadmap["phases"] if len(p["actions"]) > LOW.phase_actions]
    assert cut
    part = text(section(page, "roadmap"))
    assert label(lang, "report_roadmap_where") in part
    for phase in cut:
        more = len(phase["actions"]) - LOW.phase_actions
        said = label(lang, "report_phase_more", count=more, effort="@", kinds="@")
        assert said.split("(")[0] in part  # "… and 31 more actions in this phase ("
    assert label(lang, "report_and_more", count=1).split()[0] in text(section(page, "scenarios"))
    assert label(lang, "report_and_more", count=1).split()[0] in text(section(page, "radar"))


def test_many_facts_are_listed_once_per_catalog_fact(
    example_inputs: dict[Lang, ReportInputs],
) -> None:
    facts = catalog_facts(example_inputs["en"])
    assert annex_facts(facts, len(facts), "en") == [dict(f, cited=0, fields="") for f in facts]
    grouped = annex_facts(facts, 10, "en")
    assert len(grouped) < len(facts)
    assert not any("; " in f["ref"] for f in grouped)  # what cites a fact is counted apart
    keys = [(f["ref"], f["source"], f["as_of"]) for f in grouped]
    assert keys == sorted(set(keys))
    # Every citation is counted: by its catalog fact's row, or is that row.
    cited = sum(f["cited"] for f in grouped)
    bare = sum(1 for f in facts if "; catalog" not in f["ref"])
    assert cited + bare == len(facts)
    page = text(render_html(replace(example_inputs["en"], limits=LOW), "en").decode())
    assert label("en", "report_sources_grouped", count=len(facts)) in page


def test_exit_plans_reuse_the_radar_they_are_given(example: AuditResult) -> None:
    assert example.catalog is not None
    radar = radar_for("alternatives", example, example.catalog)
    assert exit_plans(example, example.catalog, radar) == exit_plans(example, example.catalog)


def test_the_roadmap_comes_back_whole_from_the_child(
    example: AuditResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report's phases are projected in a child process, which sends the actions
    back by index (the parent has them): the roadmap is the one worked out here."""
    from souverain import parallel
    from souverain.core.planning.generation import generate_actions
    from souverain.core.planning.roadmap import build_roadmap

    assert example.catalog is not None
    monkeypatch.setattr(parallel, "MINIMUM", 1)  # fork, even for the example
    forked = report_parts(example, example.catalog).roadmap
    direct = build_roadmap(example, generate_actions(example, example.catalog), example.catalog)
    assert forked == direct
    assert all(isinstance(a, type(direct.phases[0].actions[0])) for a in forked.actions)


def test_actions_the_report_does_not_list_are_counted_not_written_out(
    example: AuditResult,
) -> None:
    from souverain.exporters.report import _phases

    assert example.catalog is not None
    inputs = report_inputs(example, report_parts(example, example.catalog), "en", LOW)
    assert inputs.limits == LOW and inputs.roadmap is not None
    phases = inputs.roadmap["phases"]
    assert any(len(p["actions"]) > LOW.phase_actions for p in phases)
    for phase in phases:
        listed, rest = phase["actions"][: LOW.phase_actions], phase["actions"][LOW.phase_actions :]
        assert all("title" in a and "rationale" in a for a in listed)
        assert all(set(a) == {"id", "kind", "effort_days"} for a in rest)
    # Rendered with more room than the document was written for, the short ones are
    # still only counted.
    for shown, phase in zip(_phases(inputs.roadmap, 1000, "en"), phases, strict=True):
        assert len(shown["actions"]) == min(LOW.phase_actions, len(phase["actions"]))
        assert shown["more"] == len(phase["actions"]) - len(shown["actions"])


def test_plans_worked_out_without_steps_are_listed_not_shown_in_full(
    example: AuditResult,
) -> None:
    """The report works out the steps of the plans it can show in full only; rendered
    with room for more, it still shows in full only those."""
    from souverain.exporters.report import _plans

    assert example.catalog is not None
    from souverain.pipeline import detailed_first

    light = detailed_first(exit_plans(example, example.catalog), 2)
    plans = [exit_plan_document(p, "en") for p in light]
    roomy = replace(LOW, plans_full=1, plans_detail=6)
    shown = _plans(plans, roomy)
    assert shown["compact"] and len(shown["lines"]) == min(len(plans), roomy.plans_lines)
    assert [p["asset"] for p in shown["full"]] == [p["asset"] for p in plans[:2]]
    assert all(p["steps"] for p in shown["full"])
