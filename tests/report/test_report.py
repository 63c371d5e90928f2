"""The audit report (HTML): every section, a working table of contents, nothing loaded
from outside, the catalog's sources in the annex, charts that are valid SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from souverain.cli.report import report_inputs, report_parts
from souverain.core.scoring.audit import AuditResult, audit
from souverain.exporters.report import SECTIONS, ReportInputs, catalog_facts, render_html
from souverain.i18n import Lang, label
from souverain.importers.estate import load_estate
from souverain.resources import load_catalog, load_methodology
from tests.conftest import TODAY

EXAMPLE = Path(__file__).parents[2] / "examples" / "forges-bourgogne.yaml"


class Page(HTMLParser):
    """The ids, links and resource URLs of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in ("src", "href", "srcset", "data", "poster", "action", "xlink:href"):
            if values.get(name):
                self.urls.append(values[name] or "")


def parsed(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


@pytest.fixture(scope="module")
def result() -> AuditResult:
    catalog = load_catalog()
    return audit(load_estate(EXAMPLE), load_methodology(), catalog, TODAY)


@pytest.fixture(scope="module")
def inputs(result: AuditResult) -> dict[Lang, ReportInputs]:
    assert result.catalog is not None
    parts = report_parts(result, result.catalog)
    return {lang: report_inputs(result, parts, lang) for lang in ("en", "fr")}


@pytest.fixture(scope="module")
def pages(inputs: dict[Lang, ReportInputs]) -> dict[Lang, str]:
    return {lang: render_html(i, lang).decode("utf-8") for lang, i in inputs.items()}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_section_has_its_title(pages: dict[Lang, str], lang: Lang) -> None:
    for ident, key in SECTIONS:
        assert f'<h2 id="{ident}">{label(lang, key)}</h2>'.replace("'", "&#39;") in pages[lang]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_table_of_contents_links_to_every_section(pages: dict[Lang, str], lang: Lang) -> None:
    page = parsed(pages[lang])
    toc = pages[lang].split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert targets == [ident for ident, _ in SECTIONS]
    assert all(t in page.ids for t in targets)
    assert all(link[1:] in page.ids for link in page.links if link.startswith("#"))


def test_nothing_is_loaded_from_outside(pages: dict[Lang, str]) -> None:
    for text in pages.values():
        urls = parsed(text).urls
        assert all(u.startswith(("#", "data:")) for u in urls), urls
        assert "@import" not in text and "url(http" not in text
        assert "<script" not in text


def test_the_annex_lists_every_catalog_fact_with_its_source(
    inputs: dict[Lang, ReportInputs], pages: dict[Lang, str]
) -> None:
    facts = catalog_facts(inputs["en"])
    assert facts, "the example cites catalog facts"
    assert facts == sorted(facts, key=lambda f: (f["ref"], f["source"], f["as_of"]))
    assert len({(f["ref"], f["source"], f["as_of"]) for f in facts}) == len(facts)
    annex = unescape(pages["en"].split('id="sources"', 1)[1])
    for fact in facts:
        assert fact["source"] in annex and fact["ref"] in annex


def test_charts_are_inline_svg_that_parses(pages: dict[Lang, str]) -> None:
    for text in pages.values():
        fragments = re.findall(r"<svg\b.*?</svg>", text, flags=re.S)
        classes = set()
        for fragment in fragments:
            root = ET.fromstring(fragment)
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
            assert root.get("viewBox")
            classes.update((root.get("class") or "").split())
        assert {"heat-map", "dependence", "timeline", "radar"} <= classes


def test_the_heat_map_counts_every_dependency(result: AuditResult, pages: dict[Lang, str]) -> None:
    fragment = re.search(r'<svg [^>]*class="chart heat-map".*?</svg>', pages["en"], re.S)
    assert fragment is not None
    cells = re.findall(r"\((\d+)\)</title></rect>", fragment.group(0))
    assert len(cells) >= 20  # at least four gravities × five exposures
    assert sum(map(int, cells)) == len(result.dependencies)


def test_the_worst_scenarios_come_from_the_engine(inputs: dict[Lang, ReportInputs]) -> None:
    scenarios = inputs["en"].scenarios
    assert 5 <= len(scenarios) <= 10
    home = inputs["en"].result.estate.organisation.country
    assert all(s.scenario.spec != f"jurisdiction:{home}" for s in scenarios)
    assert any(p.state == "down" for p in scenarios[0].processes)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_missing_roadmap_and_exit_plans_are_said_not_faked(result: AuditResult, lang: Lang) -> None:
    page = render_html(ReportInputs(result), lang).decode("utf-8")
    text = unescape(page)
    assert label(lang, "report_roadmap_unavailable") in text
    assert label(lang, "report_exit_plans_unavailable") in text
    assert label(lang, "report_scenarios_none") in text
    assert 'class="chart timeline"' not in page


def test_durations_in_the_scenarios_are_words_of_the_language(pages: dict[Lang, str]) -> None:
    # The estate's notation ("30d") is not a sentence: "30 jours" / "30 days".
    scenarios = {lang: page.split('id="scenarios"', 1)[1] for lang, page in pages.items()}
    assert "30 jours" in scenarios["fr"] and "30d" not in scenarios["fr"]
    assert "30 days" in scenarios["en"] and "30d" not in scenarios["en"]
